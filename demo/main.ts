import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureSecurityApp } from 'nest-security';
import { DemoAppModule } from './app.module.js';
import { readDemoEnv } from './demo-env.js';

async function bootstrap(): Promise<void> {
  const env = readDemoEnv();
  const app = await NestFactory.create(DemoAppModule.register(env));
  // Gives body-parser errors (malformed JSON, too large) the stable error shape too.
  configureSecurityApp(app);
  app.enableShutdownHooks();
  await app.listen(env.port, '127.0.0.1');
  const store = env.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.pglitePath}`;
  new Logger('Demo').log(
    `nest-security demo on ${env.appUrl} using ${store}; mail ${env.smtpUrl ? 'via ' + env.smtpUrl : 'printed to the console'}`,
  );
}

bootstrap().catch((error: unknown) => {
  // One line, no stack: start-up problems are configuration problems.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
