import type { DataSource } from 'typeorm';
import { TypeOrmUserChangeFeed } from '../../src/storage/typeorm/typeorm-user-change-feed.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import { securityMigrations } from '../../src/storage/typeorm/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { emptyPGliteDataDir } from '../support/pglite-dump.js';

/** Collects what a feed reports. */
function recorder() {
  const seen: string[] = [];
  let ups = 0;
  return {
    seen,
    get ups() {
      return ups;
    },
    handlers: { changed: (payload: string) => seen.push(payload), up: () => ups++, down: () => undefined },
  };
}

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The triggers' notifications, heard through each kind of database nest-security runs on. */
describe.each([
  ['PostgreSQL (pg LISTEN)', 'postgres'],
  ['embedded PGlite (its listen API)', 'pglite'],
])('user change notifications on %s', (_label, kind) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let unsubscribe: (() => Promise<void>) | undefined;
  const record = recorder();

  beforeAll(async () => {
    if (kind === 'postgres') database = await createTestDatabase();
    // PGlite is the demo's database, not the library's: the test brings its own driver, as the demo does.
    // It starts from a dumped empty cluster (no initdb); the migrations below still run on it.
    const driver =
      kind === 'pglite' ? new (await import('typeorm-pglite')).PGliteDriver({ loadDataDir: await emptyPGliteDataDir() }).driver : undefined;
    dataSource = await createSecurityDataSource({
      ...(database ? { url: database.url } : { driver }),
      migrationsRun: true,
      migrations: securityMigrations,
    }).initialize();
    unsubscribe = await new TypeOrmUserChangeFeed(dataSource).subscribe(record.handlers);
  });

  afterAll(async () => {
    await unsubscribe?.();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('reports the user id on a user update, a role grant, and "*" on a role change', async () => {
    expect(record.ups).toBe(1);
    const [{ id }] = await dataSource.query(`INSERT INTO "user" (email, fs_uniquifier) VALUES ('feed@example.com', 'u-feed') RETURNING id`);
    const [{ id: roleId }] = await dataSource.query(`INSERT INTO role (name) VALUES ('feeders') RETURNING id`);
    await dataSource.query(`UPDATE "user" SET active = false WHERE id = $1`, [id]);
    await waitFor(() => record.seen.includes(String(id)));
    expect(record.seen).toEqual([String(id)]);
    await dataSource.query(`INSERT INTO roles_users (user_id, role_id) VALUES ($1, $2)`, [id, roleId]);
    await dataSource.query(`UPDATE role SET permissions = 'a,b' WHERE id = $1`, [roleId]);
    await waitFor(() => record.seen.includes('*'));
    expect(record.seen).toEqual([String(id), String(id), '*']);
  });
});
