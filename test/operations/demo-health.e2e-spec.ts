/**
 * The demo's GET /health while its database goes away and comes back (a
 * TCP proxy in front of PostgreSQL): 200 ok, then 503 degraded, then 200 ok
 * again without a restart.
 */
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DemoAppModule } from '../../demo/app.module.js';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createPlatformApp, initPlatformApp, TEST_PLATFORMS } from '../support/platform.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import type { INestApplication } from '@nestjs/common';

describe.each(TEST_PLATFORMS)('demo /health on %s', (platform) => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(5432);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const moduleRef = await Test.createTestingModule({
      imports: [
        DemoAppModule.register(
          {
            port: 0,
            databaseUrl: viaProxy.toString(),
            pglitePath: '',
            secretKey: 'health-demo-secret-key-0123456789abcdef',
            passwordSalt: 'health-demo-password-salt',
            totpSecrets: { '1': 'health-demo-totp-secret' },
            smtpUrl: undefined,
            appUrl: 'http://localhost:3000',
            redisUrl: undefined,
            userCache: false,
          },
          { argon2: { memoryCost: 1024, timeCost: 1 }, testing: true },
        ),
      ],
    }).compile();
    app = createPlatformApp(moduleRef, platform, { logger: false });
    configureSecurityApp(app);
    await initPlatformApp(app, platform);
  });

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await app?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers ok, degraded (503) while the database is away, then ok again', async () => {
    const health = () => request(app.getHttpServer()).get('/health');
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    await proxy.cut();
    expect(await health()).toMatchObject({ status: 503, body: { status: 'degraded' } });
    await proxy.restore();
    let answer = await health();
    for (const deadline = Date.now() + 5000; Date.now() < deadline && answer.status !== 200; answer = await health()) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
