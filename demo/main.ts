import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureSecurityApp } from 'nest-security';
import { DemoAppModule } from './app.module.js';
import { readDemoEnv } from './demo-env.js';
import { setupDemoDocs } from './docs.js';

async function bootstrap(): Promise<void> {
  const env = readDemoEnv();
  const app = await createDemoApp(DemoAppModule.register(env));
  // Gives body-parser errors (malformed JSON, too large) the stable error shape too.
  configureSecurityApp(app);
  setupDemoDocs(app);
  app.enableShutdownHooks();
  await app.listen(env.port, '127.0.0.1');
  const store = env.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.pglitePath}`;
  new Logger('Demo').log(
    `nest-security demo on ${env.appUrl} using ${store}; mail ${env.smtpUrl ? 'via ' + env.smtpUrl : 'printed to the console'}; API docs at ${env.appUrl}/docs`,
  );
}

/** Express by default; `PLATFORM=fastify` runs the same app on Fastify, created as users create it. */
async function createDemoApp(module: DynamicModule): Promise<INestApplication> {
  const platform = process.env.PLATFORM ?? 'express';
  if (platform === 'express') return NestFactory.create(module);
  if (platform !== 'fastify') throw new Error(`PLATFORM must be express or fastify, not ${platform}`);
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return NestFactory.create(module, new FastifyAdapter());
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: start-up problems are configuration problems.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
