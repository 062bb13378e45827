/**
 * A small app for the sign-in suites: real PostgreSQL (a fresh database,
 * the shipped migrations plus the user-change triggers), SecurityModule with
 * cheap argon2, EventEmitterModule with a recorder, the exception filter
 * bound globally, and the test controllers given.
 *
 *   const authn = await createAuthnApp({ controllers: [ProtectedController] }, platform);
 *   await authn.createUser('jane@example.com', 'correct horse 1', ['admin']);
 *   const { cookie, csrf, token } = await authn.login('jane@example.com', 'correct horse 1');
 *   await authn.close();
 */
import 'reflect-metadata';
import type { INestApplication, Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Server } from 'node:http';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { SecurityGuard } from '../../src/authn/security.guard.js';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { securityMigrations } from '../../src/storage/typeorm/migrations/index.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { SECURITY_DATA_SOURCE } from '../../src/security.constants.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { createMigratedTestDatabase, type TestDatabase } from './database.js';
import { createPlatformApp, initPlatformApp, type TestPlatform } from './platform.js';

export const AUTHN_SECRET_KEY = 'authn-test-secret-key-0123456789abcdef';
export const AUTHN_PASSWORD_SALT = 'authn-test-password-salt';

export interface AuthnAppOptions {
  options?: Partial<SecurityModuleOptions>;
  controllers?: Type[];
  providers?: Provider[];
  /** Install SecurityGuard as APP_GUARD. */
  globalGuard?: boolean;
  /** Reuse a database (several apps on one database, as several instances). */
  database?: TestDatabase;
}

export interface SignedIn {
  /** `name=value; name=value` of the cookies set, for a Cookie header. */
  cookie: string;
  csrf: string;
  token: string;
  body: Record<string, unknown>;
  setCookie: string[];
}

export interface AuthnApp {
  app: INestApplication;
  server: Server;
  database: TestDatabase;
  dataSource: DataSource;
  datastore: UserDatastore;
  hasher: PasswordHasher;
  tokens: TokenFactory;
  events: Array<{ name: string; payload: unknown }>;
  createUser(email: string, password: string, roles?: string[], extra?: Record<string, unknown>): Promise<SecurityUser>;
  login(email: string, password: string, query?: string): Promise<SignedIn>;
  close(): Promise<void>;
}

export function authnTestOptions(): SecurityModuleOptions {
  return {
    secretKey: AUTHN_SECRET_KEY,
    passwordSalt: AUTHN_PASSWORD_SALT,
    argon2: { memoryCost: 1024, timeCost: 1 },
    // Every request of a suite comes from 127.0.0.1: keep the per-IP limit out of the way.
    limits: { perIp: { max: 100_000 } },
    testing: true,
  };
}

export async function createAuthnApp(setup: AuthnAppOptions = {}, platform: TestPlatform = 'express'): Promise<AuthnApp> {
  const ownDatabase = !setup.database;
  const database = setup.database ?? (await createMigratedTestDatabase());
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () =>
            createSecurityDataSource({
              url: database.url,
              migrationsRun: true,
              migrations: securityMigrations,
            }).initialize(),
        }),
        SecurityModule.forRoot({ ...authnTestOptions(), ...setup.options }),
      ],
      controllers: setup.controllers ?? [],
      providers: [...(setup.providers ?? []), ...(setup.globalGuard ? [{ provide: APP_GUARD, useClass: SecurityGuard }] : [])],
    }).compile();
    const app = createPlatformApp(moduleRef, platform, { logger: ['error'] });
    configureSecurityApp(app);
    await initPlatformApp(app, platform);
    const events: AuthnApp['events'] = [];
    app.get(EventEmitter2).onAny((name: string | string[], payload: unknown) => {
      events.push({ name: Array.isArray(name) ? name.join('.') : name, payload });
    });
    const datastore = app.get(UserDatastore);
    const hasher = app.get(PasswordHasher);
    const server = app.getHttpServer() as Server;
    return {
      app,
      server,
      database,
      dataSource: app.get<DataSource>(SECURITY_DATA_SOURCE),
      datastore,
      hasher,
      tokens: app.get(TokenFactory),
      events,
      async createUser(email, password, roles = [], extra = {}) {
        for (const role of roles) await datastore.findOrCreateRole(role, { permissions: role === 'reporter' ? ['reports:read'] : [] });
        return datastore.createUser({ email, password: await hasher.hash(password), confirmedAt: new Date(), roles, ...extra });
      },
      async login(email, password, query = '?include_auth_token') {
        const response = await request(server).post(`/auth/login${query}`).send({ email, password });
        if (response.status !== 200) throw new Error(`login of ${email} answered ${response.status} ${JSON.stringify(response.body)}`);
        const setCookie = setCookiesOf(response.headers['set-cookie']);
        return {
          cookie: cookiesOf(setCookie),
          csrf: response.body.csrf_token,
          token: response.body.authentication_token,
          body: response.body,
          setCookie,
        };
      },
      async close() {
        await app.close();
        if (ownDatabase) await database.drop();
      },
    };
  } catch (error) {
    if (ownDatabase) await database.drop();
    throw error;
  }
}

export function setCookiesOf(header: string | string[] | undefined): string[] {
  return Array.isArray(header) ? header : header ? [header] : [];
}

/** The `name=value` pairs of Set-Cookie headers (deleted cookies left out), as a Cookie header. */
export function cookiesOf(setCookie: string | string[] | undefined): string {
  return setCookiesOf(setCookie)
    .map((cookie) => cookie.split(';')[0])
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

/** `Authorization: Basic ...` for an identity and password. */
export function basic(identity: string, password: string): string {
  return `Basic ${Buffer.from(`${identity}:${password}`, 'utf8').toString('base64')}`;
}
