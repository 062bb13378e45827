import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureSecurityApp } from 'nest-security';
import { AppModule, type UserAppSettings } from './app.module.js';

/** How the app starts, on the platform it chose; returns it listening on an ephemeral port. */
export async function startUserApp(platform: 'express' | 'fastify', settings: UserAppSettings): Promise<INestApplication> {
  const module = AppModule.register(settings);
  const app =
    platform === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: ['error'] })
      : await NestFactory.create(module, { logger: ['error'] });
  configureSecurityApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}
