import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/**
 * Two apps written as users write them, in plain files under test/apps/ (no
 * test helpers): one ESM, one CommonJS. Each imports the built package by name,
 * boots Nest with SecurityModule on its own PostgreSQL database, logs in over
 * HTTP and reads a protected route with the token.
 */
describe.each([
  ['an ESM app', 'test/apps/esm/main.mjs', 'esm'],
  ['a CommonJS app', 'test/apps/cjs/main.cjs', 'cjs'],
])('%s using nest-security from dist/', (_name, file, kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    if (!existsSync(`${root}dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` before the tests');
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('starts, logs a user in and answers the authenticated request', async () => {
    const { stdout } = await run(process.execPath, [file], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({
      login: 200,
      anonymous: 401,
      status: 200,
      body: { email: `${kind}@example.com` },
      signing: [kind],
    });
  }, 90_000);
});
