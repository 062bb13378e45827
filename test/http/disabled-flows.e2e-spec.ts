/**
 * A flow that is off answers 404 on its routes. With forRoot they are not
 * mounted (the app's global SecurityExceptionFilter answers); with
 * forRootAsync they are mounted and DisabledFlowMiddleware answers. Either
 * way the body is the module's, in the shape `responseShape` asks for, and
 * the middleware's carries the cache headers of every module answer.
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import type { ResponseShape } from '../../src/http/response-shape.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { createTestDatabase } from '../support/database.js';
import { createPlatformApp, initPlatformApp, TEST_PLATFORMS, type TestPlatform } from '../support/platform.js';

/** Only recovery is on: every other flow is off. */
const OPTIONS: SecurityModuleOptions = {
  secretKey: 'disabled-flows-secret-key-0123456789abcdef',
  argon2: { memoryCost: 1024, timeCost: 1 },
  appUrl: 'https://app.example.test',
  recoverable: true,
  testing: true,
};

/** Routes of flows that are off, one per kind of controller. */
const OFF_ROUTES: ReadonlyArray<[method: 'get' | 'post', path: string]> = [
  ['post', '/auth/register'],
  ['post', '/auth/change'],
  ['get', '/auth/change-email/some.token'],
  ['post', '/auth/us-signin'],
  ['post', '/auth/login-link'],
  ['get', '/auth/change-username'],
  ['post', '/auth/tf-validate'],
  ['post', '/auth/wan-signin'],
];

/** What an unmounted route answers (Nest's message, the module's shape). */
function expectedBody(shape: ResponseShape, method: string, path: string): unknown {
  const message = `Cannot ${method.toUpperCase()} ${path}`;
  return shape === 'flask-security'
    ? { meta: { code: 404 }, response: { code: 'NOT_FOUND', errors: [message] } }
    : { statusCode: 404, error: 'Not Found', message, code: 'NOT_FOUND' };
}

/** The app on a fresh, migrated database; `close` ends both. */
async function boot(platform: TestPlatform, shape: ResponseShape, async: boolean): Promise<{ server: unknown; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const options = { ...OPTIONS, responseShape: shape };
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () => ({}),
        dataSourceFactory: async () => createSecurityDataSource({ url: database.url, migrationsRun: true }).initialize(),
      }),
      async ? SecurityModule.forRootAsync({ useFactory: async () => options }) : SecurityModule.forRoot(options),
    ],
  }).compile();
  const app = createPlatformApp(moduleRef, platform, { logger: false });
  configureSecurityApp(app);
  await initPlatformApp(app, platform);
  return {
    server: app.getHttpServer(),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  let onClose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await onClose?.();
    onClose = undefined;
  });

  describe.each(['nest-security', 'flask-security'] as const)('responseShape %s', (shape) => {
    /** Boots the app and asks every route of OFF_ROUTES: each answers as an unmounted route does. */
    async function askOffRoutes(async: boolean): Promise<{ server: never; answers: Array<[string, request.Response]> }> {
      const app = await boot(platform, shape, async);
      onClose = app.close;
      const agent = request(app.server as never);
      const answers: Array<[string, request.Response]> = [];
      for (const [method, path] of OFF_ROUTES) {
        const answer = await agent[method](path).send({});
        expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 404, body: expectedBody(shape, method, path) });
        answers.push([path, answer]);
      }
      return { server: app.server as never, answers };
    }

    it('forRootAsync: 404 in the module shape, with Cache-Control: no-store and Vary: Cookie', async () => {
      const { server, answers } = await askOffRoutes(true);
      for (const [path, answer] of answers) {
        expect({ path, type: answer.headers['content-type'] }).toEqual({ path, type: expect.stringMatching(/^application\/json/) });
        expect({ path, cache: answer.headers['cache-control'], vary: answer.headers.vary }).toEqual({
          path,
          cache: 'no-store',
          vary: expect.stringMatching(/\bCookie\b/),
        });
      }
      // What is on answers as usual.
      expect((await request(server).post('/auth/reset').send({ email: 'a@example.com' })).status).toBe(200);
    });

    it('forRoot (routes not mounted): the same status and body', async () => {
      await askOffRoutes(false);
    });
  });
});
