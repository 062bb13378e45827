import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `fs_refresh`: refresh-token families, as Flask-Security 5.9's FsRefreshTracker (entity RefreshTrackerEntity). */
export class SecurityRefreshToken1795824300000 implements MigrationInterface {
  name = 'SecurityRefreshToken1795824300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "fs_refresh" (
        "id" SERIAL NOT NULL,
        "refresh_family" character varying(64) NOT NULL,
        "gen" integer NOT NULL DEFAULT '1',
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "create_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "name" character varying(64) NOT NULL,
        "user_id" integer NOT NULL,
        CONSTRAINT "fs_refresh_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "fs_refresh_refresh_family_key" UNIQUE ("refresh_family"),
        CONSTRAINT "fs_refresh_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "fs_refresh_user_id_idx" ON "fs_refresh" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "fs_refresh"`);
  }
}
