import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `security_session.user_agent` and `.ip`: what the session list shows of each session (entity SecuritySession). */
export class SecuritySessionDevice1795824400000 implements MigrationInterface {
  name = 'SecuritySessionDevice1795824400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "security_session" ADD "user_agent" character varying(256)`);
    await queryRunner.query(`ALTER TABLE "security_session" ADD "ip" character varying(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "security_session" DROP COLUMN "ip"`);
    await queryRunner.query(`ALTER TABLE "security_session" DROP COLUMN "user_agent"`);
  }
}
