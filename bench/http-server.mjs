// Child process of the HTTP benchmark: the demo app on PostgreSQL, alone on
// its event loop, so the load generator in the parent does not share it.
// Counts every SQL statement sent through `pg`, to report queries/request.
import 'reflect-metadata';
import pg from 'pg';
import { NestFactory } from '@nestjs/core';
import { DemoAppModule } from '../demo/dist/app.module.js';
import { SessionService, TokenFactory, UserDatastore } from 'nest-security';

let queries = 0;
// Distinct statements (text → first values) since the parent last asked, for its query plans.
let statements = new Map();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  queries += 1;
  const [config, values] = args;
  const text = typeof config === 'string' ? config : config?.text;
  if (text && !statements.has(text)) statements.set(text, (typeof config === 'object' ? config.values : undefined) ?? values ?? []);
  return originalQuery.apply(this, args);
};

const databaseUrl = process.env.DATABASE_URL;
const userCache = process.env.USER_CACHE === '1';
const app = await NestFactory.create(
  DemoAppModule.register(
    {
      port: 0,
      databaseUrl,
      pglitePath: '',
      secretKey: 'bench-secret-key-bench-secret-key-0123456789',
      passwordSalt: 'bench-password-salt',
      totpSecrets: { 1: 'bench-totp-secret' },
      smtpUrl: undefined,
      appUrl: 'http://localhost',
      redisUrl: undefined,
      userCache,
    },
    // One token minted at start serves the whole run, which may outlast the 15-minute default; the checks cost the same.
    { tokenMaxAge: 0 },
  ),
  { logger: ['error'] },
);
await app.listen(0, '127.0.0.1');
const datastore = app.get(UserDatastore);
const email = `bench-${process.pid}@example.com`;
const user = (await datastore.findUser({ email })) ?? (await datastore.createUser({ email, password: null, confirmedAt: new Date() }));
const token = app.get(TokenFactory).auth(user);
// A signed-in browser: the session cookie of a server-side session, as POST /auth/login sets it.
const { secret } = await app.get(SessionService).create(user);
const cookie = `nest_security_session=${secret}`;
const { port } = app.getHttpServer().address();

process.stdin.setEncoding('utf8');
process.stdin.on('data', async (chunk) => {
  for (const command of chunk.split('\n').filter(Boolean)) {
    if (command === 'queries') process.stdout.write(JSON.stringify({ queries, rss: process.memoryUsage().rss }) + '\n');
    if (command === 'statements') {
      process.stdout.write(JSON.stringify({ statements: [...statements].map(([text, values]) => ({ text, values })) }) + '\n');
      statements = new Map();
    }
    if (command === 'exit') {
      await app.close();
      process.exit(0);
    }
  }
});
process.stdout.write(JSON.stringify({ port, token, cookie }) + '\n');
