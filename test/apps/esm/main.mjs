// A plain ESM Nest app using the built package by name, as an app outside this
// repository would. Env: DATABASE_URL (an empty PostgreSQL database).
// Prints one JSON line: what an authenticated request answered.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthRequired, CurrentUser, SecurityGuard, SecurityModule, UserDatastore } from 'nest-security';
import { PasswordHasher } from 'nest-security/passwords';
import { URLSafeTimedSerializer } from 'nest-security/signing';
import { createSecurityDataSource } from 'nest-security/typeorm';

// Plain JavaScript has no decorator syntax: apply Nest's decorators as functions.
class ProfileController {
  me(user) {
    return { email: user.email };
  }
}
const me = Object.getOwnPropertyDescriptor(ProfileController.prototype, 'me');
CurrentUser()(ProfileController.prototype, 'me', 0);
AuthRequired()(ProfileController.prototype, 'me', me);
Get('me')(ProfileController.prototype, 'me', me);
Controller('profile')(ProfileController);

class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({}),
      dataSourceFactory: () => createSecurityDataSource({ url: process.env.DATABASE_URL, migrationsRun: true }).initialize(),
    }),
    SecurityModule.forRoot({
      secretKey: 'esm-app-secret-key-0123456789abcdef0123456789',
      passwordSalt: 'esm-app-password-salt',
      appUrl: 'http://localhost',
      argon2: { memoryCost: 1024, timeCost: 1 },
    }),
  ],
  controllers: [ProfileController],
  providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
try {
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  await app.get(UserDatastore).createUser({
    email: 'esm@example.com',
    password: await app.get(PasswordHasher).hash('esm app password'),
    confirmedAt: new Date(),
  });
  const login = await fetch(`${base}/auth/login?include_auth_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'esm@example.com', password: 'esm app password' }),
  });
  const { authentication_token: token } = await login.json();
  const anonymous = await fetch(`${base}/profile/me`);
  const authenticated = await fetch(`${base}/profile/me`, { headers: { authorization: `Bearer ${token}` } });
  const signed = new URLSafeTimedSerializer('k', { salt: 's' });
  console.log(
    JSON.stringify({
      login: login.status,
      anonymous: anonymous.status,
      status: authenticated.status,
      body: await authenticated.json(),
      signing: signed.loads(signed.dumps(['esm'])),
    }),
  );
} finally {
  await app.close();
}
