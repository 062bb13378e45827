import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor columns on `user`, with Flask-Security's names and types
 * (tf_primary_method, tf_totp_secret, tf_phone_number, mf_recovery_codes).
 * `IF NOT EXISTS`: a users table that came from Flask-Security has them already.
 */
export class SecurityTwoFactor1795824500000 implements MigrationInterface {
  name = 'SecurityTwoFactor1795824500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "user"
        ADD COLUMN IF NOT EXISTS "tf_primary_method" character varying(64),
        ADD COLUMN IF NOT EXISTS "tf_totp_secret" character varying(255),
        ADD COLUMN IF NOT EXISTS "tf_phone_number" character varying(128),
        ADD COLUMN IF NOT EXISTS "mf_recovery_codes" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "user"
        DROP COLUMN "mf_recovery_codes",
        DROP COLUMN "tf_phone_number",
        DROP COLUMN "tf_totp_secret",
        DROP COLUMN "tf_primary_method"`);
  }
}
