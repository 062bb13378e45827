// One instance of an app behind a load balancer, for the operations suites:
// the built package by name, on a shared PostgreSQL (DATABASE_URL) and Redis
// holding the limits (REDIS_URL), mail to SMTP_URL, USER_CACHE=1 for the user
// cache. Shutdown hooks on, as in production. Prints `{"port":...}` once listening.
//
//   GET /me          any credential; answers the user's email
//   GET /slow?ms=N   public; answers after N ms (for draining on SIGTERM)
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthRequired, CurrentUser, Public, SecurityGuard, SecurityModule, configureSecurityApp } from 'nest-security';
import { createSecurityDataSource } from 'nest-security/typeorm';

// Plain JavaScript has no decorator syntax: Nest's decorators applied as functions.
class InstanceController {
  me(user) {
    return { email: user.email };
  }

  async slow(ms) {
    await new Promise((resolve) => setTimeout(resolve, Number(ms) || 0));
    return { slept: Number(ms) || 0 };
  }
}
const me = Object.getOwnPropertyDescriptor(InstanceController.prototype, 'me');
CurrentUser()(InstanceController.prototype, 'me', 0);
AuthRequired()(InstanceController.prototype, 'me', me);
Get('me')(InstanceController.prototype, 'me', me);
const slow = Object.getOwnPropertyDescriptor(InstanceController.prototype, 'slow');
Query('ms')(InstanceController.prototype, 'slow', 0);
Public()(InstanceController.prototype, 'slow', slow);
Get('slow')(InstanceController.prototype, 'slow', slow);
Controller()(InstanceController);

class InstanceModule {}
Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({}),
      dataSourceFactory: () => createSecurityDataSource({ url: process.env.DATABASE_URL, migrationsRun: true }).initialize(),
    }),
    SecurityModule.forRoot({
      secretKey: 'instance-secret-key-0123456789abcdef0123456789',
      passwordSalt: 'instance-password-salt',
      appUrl: 'http://localhost',
      argon2: { memoryCost: 1024, timeCost: 1 },
      mail: { smtpUrl: process.env.SMTP_URL, from: 'Instance <no-reply@example.test>' },
      passwordless: true,
      changeable: true,
      limits: { redisUrl: process.env.REDIS_URL || undefined, perIp: { max: 100_000 } },
      userCache: { enabled: process.env.USER_CACHE === '1' },
      testing: true,
    }),
  ],
  controllers: [InstanceController],
  providers: [{ provide: APP_GUARD, useClass: SecurityGuard }],
})(InstanceModule);

const app = await NestFactory.create(InstanceModule, { logger: ['error', 'warn'] });
configureSecurityApp(app);
await app.listen(0, '127.0.0.1');
// As demo/main.ts: SIGTERM closes the app (the server stops accepting, requests in flight are answered,
// shutdown hooks close the pools) and then exits 0. Nest's enableShutdownHooks() would re-raise the signal instead.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
process.stdout.write(`${JSON.stringify({ port: app.getHttpServer().address().port })}\n`);
