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
  await app.listen(env.port, '127.0.0.1');
  closeOnSignals(app);
  const store = env.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.pglitePath}`;
  new Logger('Demo').log(
    `nest-security demo on ${env.appUrl} using ${store}; mail ${env.smtpUrl ? 'via ' + env.smtpUrl : 'printed to the console'}; API docs at ${env.appUrl}/docs`,
  );
}

/**
 * Graceful shutdown: on SIGTERM / SIGINT the app closes (the server stops
 * accepting, requests in flight are answered, the shutdown hooks close the
 * database and Redis connections), then the process exits 0. Nest's
 * enableShutdownHooks() runs the same hooks but re-raises the signal, so the
 * process would end "killed by SIGTERM" rather than 0.
 */
function closeOnSignals(app: INestApplication): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
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
