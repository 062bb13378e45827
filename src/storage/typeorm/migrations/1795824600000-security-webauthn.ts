import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys: Flask-Security's `webauthn` table and the user's
 * `fs_webauthn_user_handle`, with its names. `IF NOT EXISTS`: a database that
 * came from Flask-Security has them already (its naive timestamps then stay
 * as they are and read as UTC).
 */
export class SecurityWebAuthn1795824600000 implements MigrationInterface {
  name = 'SecurityWebAuthn1795824600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "fs_webauthn_user_handle" character varying(64)`);
    // Flask-Security's unique=True is this constraint, by PostgreSQL's own naming.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'user_fs_webauthn_user_handle_key') THEN
          ALTER TABLE "user" ADD CONSTRAINT "user_fs_webauthn_user_handle_key" UNIQUE ("fs_webauthn_user_handle");
        END IF;
      END $$`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "webauthn" (
        "id" SERIAL NOT NULL,
        "credential_id" bytea NOT NULL,
        "public_key" bytea NOT NULL,
        "sign_count" integer DEFAULT 0,
        "transports" text,
        "backup_state" boolean NOT NULL,
        "device_type" character varying(64) NOT NULL,
        "extensions" character varying(255),
        "create_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "lastuse_datetime" TIMESTAMP WITH TIME ZONE NOT NULL,
        "name" character varying(64) NOT NULL,
        "usage" character varying(64) NOT NULL,
        "user_id" integer NOT NULL,
        CONSTRAINT "webauthn_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "webauthn_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX IF NOT EXISTS "webauthn_credential_id_key" ON "webauthn" ("credential_id")`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "webauthn_user_id_idx" ON "webauthn" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webauthn"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "fs_webauthn_user_handle"`);
  }
}
