import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `security_us_code`: pending unified sign-in codes, stored as HMACs (entity UsCode). */
export class SecurityUsCode1795824200000 implements MigrationInterface {
  name = 'SecurityUsCode1795824200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "security_us_code" (
        "user_id" integer NOT NULL,
        "purpose" character varying(16) NOT NULL,
        "code_hash" character varying(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "security_us_code_pkey" PRIMARY KEY ("user_id", "purpose"),
        CONSTRAINT "security_us_code_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "security_us_code_expires_at_idx" ON "security_us_code" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "security_us_code"`);
  }
}
