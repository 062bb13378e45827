import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The app's own column, in the app's own migration (run after nest-security's). */
export class AddDisplayName1900000000000 implements MigrationInterface {
  name = 'AddDisplayName1900000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "user" ADD COLUMN "display_name" varchar(80)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "user" DROP COLUMN "display_name"');
  }
}
