import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityGuard, SecurityModule, type SecurityModuleOptions } from 'nest-security';
import { securityEntities, securityMigrations, typeormStorage } from 'nest-security/typeorm';
import { memoryStorage } from 'nest-security/testing';
import { AccountController } from './account.controller.js';
import { AddDisplayName1900000000000 } from './add-display-name.migration.js';
import { AppUser } from './app-user.entity.js';

export interface UserAppSettings {
  /** PostgreSQL; unset: no database at all (memoryStorage). */
  databaseUrl?: string;
  smtpUrl: string;
  urlPrefix: string;
  appUrl: string;
}

/** A user's app module: its own entity and migration, forRootAsync, the guard everywhere. */
@Module({})
export class AppModule {
  static register(settings: UserAppSettings): DynamicModule {
    const options = (): SecurityModuleOptions => ({
      secretKey: 'a user app secret key of at least 32 characters',
      passwordSalt: 'a user app password salt',
      appUrl: settings.appUrl,
      registerable: true,
      confirmable: true,
      mail: { smtpUrl: settings.smtpUrl, from: 'app@example.com' },
      storage: settings.databaseUrl ? typeormStorage({ userEntity: AppUser }) : memoryStorage({ userEntity: AppUser }),
    });
    const database = settings.databaseUrl
      ? [
          TypeOrmModule.forRoot({
            type: 'postgres',
            url: settings.databaseUrl,
            entities: securityEntities({ userEntity: AppUser }),
            migrations: [...securityMigrations, AddDisplayName1900000000000],
            migrationsRun: true,
          }),
        ]
      : [];
    return {
      module: AppModule,
      imports: [...database, SecurityModule.forRootAsync({ useFactory: options, urlPrefix: settings.urlPrefix })],
      controllers: [AccountController],
      providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
    };
  }
}
