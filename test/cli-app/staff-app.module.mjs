/**
 * An app of the CLI tests' own, written as a user writes one: its own user
 * entity (an extra column, filled in by the entity itself), its own
 * migration for that column, its own password and username rules. Plain ESM
 * JavaScript (decorators applied as functions), so the built CLI loads it
 * as it loads an app's build output: `nest-security --app staff-app.module.mjs ...`.
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BeforeInsert, Column, Entity } from 'typeorm';
import { SecurityModule } from 'nest-security';
import { SecurityUser, securityEntities, securityMigrations } from 'nest-security/typeorm';

export const STAFF_PASSWORD_SALT = 'staff-app-password-salt';
export const BREACHED_PASSWORD = 'password1234567';

/** The app's user: Flask-Security's columns plus a display name, defaulting to the address's local part. */
export class StaffUser extends SecurityUser {
  defaultDisplayName() {
    this.displayName ??= this.email.slice(0, this.email.indexOf('@'));
  }
}
Column({ name: 'display_name', type: 'varchar', length: 80, nullable: true })(StaffUser.prototype, 'displayName');
BeforeInsert()(StaffUser.prototype, 'defaultDisplayName');
Entity('user')(StaffUser);

/** The app's own migration for its own column. */
export class AddDisplayName1800000000000 {
  name = 'AddDisplayName1800000000000';
  async up(queryRunner) {
    await queryRunner.query('ALTER TABLE "user" ADD COLUMN display_name varchar(80)');
  }
  async down(queryRunner) {
    await queryRunner.query('ALTER TABLE "user" DROP COLUMN display_name');
  }
}

export class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      // One class per table: the app's StaffUser instead of the shipped User.
      entities: securityEntities({ userEntity: StaffUser }),
      migrations: [...securityMigrations, AddDisplayName1800000000000],
      retryAttempts: 0,
    }),
    SecurityModule.forRoot({
      secretKey: 'staff-app-secret-key-of-at-least-32-characters',
      passwordSalt: STAFF_PASSWORD_SALT,
      userEntity: StaffUser,
      passwordLengthMin: 12,
      breachedPasswords: [BREACHED_PASSWORD],
      usernameEnable: true,
      usernameRequired: true,
    }),
  ],
})(AppModule);
