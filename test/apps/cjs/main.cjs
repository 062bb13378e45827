// A plain CommonJS Nest app using the built package by name, as an app outside this
// repository would. Env: DATABASE_URL (an empty PostgreSQL database).
// Prints one JSON line: what an authenticated request answered.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { APP_GUARD, NestFactory } = require('@nestjs/core');
const { TypeOrmModule } = require('@nestjs/typeorm');
const { AuthRequired, CurrentUser, SecurityGuard, SecurityModule, UserDatastore } = require('nest-security');
const { PasswordHasher } = require('nest-security/passwords');
const { URLSafeTimedSerializer } = require('nest-security/signing');
const { createSecurityDataSource } = require('nest-security/typeorm');

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
      secretKey: 'cjs-app-secret-key-0123456789abcdef0123456789',
      passwordSalt: 'cjs-app-password-salt',
      appUrl: 'http://localhost',
      argon2: { memoryCost: 1024, timeCost: 1 },
    }),
  ],
  controllers: [ProfileController],
  providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
})(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    await app.get(UserDatastore).createUser({
      email: 'cjs@example.com',
      password: await app.get(PasswordHasher).hash('cjs app password'),
      confirmedAt: new Date(),
    });
    const login = await fetch(`${base}/auth/login?include_auth_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cjs@example.com', password: 'cjs app password' }),
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
        signing: signed.loads(signed.dumps(['cjs'])),
      }),
    );
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
