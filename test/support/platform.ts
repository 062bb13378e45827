/**
 * The HTTP platforms every e2e suite runs over, as nestjs/throttler's do:
 *
 *   describe.each(TEST_PLATFORMS)('on %s', (platform) => {
 *     beforeAll(async () => (flows = await createFlowsApp({}, platform)));
 *   });
 *
 * Fastify is created as users create it: `new FastifyAdapter()`, default settings.
 */
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';

export type TestPlatform = 'express' | 'fastify';

export const TEST_PLATFORMS: readonly TestPlatform[] = ['express', 'fastify'];

/** The app of a testing module on a platform, not yet initialized. */
export function createPlatformApp(
  moduleRef: TestingModule,
  platform: TestPlatform,
  options: NestApplicationOptions = {},
): INestApplication {
  if (platform === 'fastify') return moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), options);
  return moduleRef.createNestApplication(options);
}

/** app.init(), and on Fastify its ready(), after which supertest can use `app.getHttpServer()`. */
export async function initPlatformApp(app: INestApplication, platform: TestPlatform): Promise<void> {
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}
