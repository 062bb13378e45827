/**
 * Housekeeping on real PostgreSQL: what has expired goes (sessions, attempt
 * counters, used-token records, codes a day past expiry, refresh trackers), what is live
 * stays; one run is bounded; the CLI prints the counts and the time; the
 * module's timer runs it when enabled.
 */
import type { DataSource } from 'typeorm';
import { runCli } from '../../src/cli/cli.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { SECURITY_OPTIONS } from '../../src/security.constants.js';
import type { ResolvedSecurityOptions } from '../../src/security.options.js';
import { runHousekeeping, HOUSEKEEPING_MAX_BATCHES } from '../../src/storage/housekeeping/run-housekeeping.js';
import { TypeOrmAttemptStore } from '../../src/storage/typeorm/typeorm-attempt.store.js';
import { TypeOrmCodeStore } from '../../src/storage/typeorm/typeorm-code.store.js';
import { TypeOrmRefreshTokenStore } from '../../src/storage/typeorm/typeorm-refresh-token.store.js';
import { TypeOrmSessionStore } from '../../src/storage/typeorm/typeorm-session.store.js';
import { TypeOrmUsedTokenStore } from '../../src/storage/typeorm/typeorm-used-token.store.js';
import { TypeOrmUserDatastore } from '../../src/storage/typeorm/typeorm-user-datastore.js';
import { createAuthnApp } from '../support/authn-app.js';
import { createTestDataSource, type TestDataSource } from '../support/database.js';

async function seedSessions(dataSource: DataSource, userId: number, count: number, expiresIn: string): Promise<void> {
  await dataSource.query(
    `INSERT INTO security_session (id, user_id, fs_uniquifier, expires_at)
     SELECT md5(random()::text || g), $1, 'u', now() + $3::interval FROM generate_series(1, $2) g`,
    [userId, count, expiresIn],
  );
}

async function counts(dataSource: DataSource): Promise<Record<string, number>> {
  const [row] = await dataSource.query(`SELECT
    (SELECT count(*)::int FROM security_session) AS sessions,
    (SELECT count(*)::int FROM security_attempt) AS attempts,
    (SELECT count(*)::int FROM security_used_token) AS "usedTokens",
    (SELECT count(*)::int FROM security_us_code) AS codes,
    (SELECT count(*)::int FROM fs_refresh) AS "refreshTrackers"`);
  return row;
}

describe('housekeeping', () => {
  let db: TestDataSource;
  let userId: number;

  beforeAll(async () => {
    db = await createTestDataSource();
    const users = (await db.dataSource.query(
      `INSERT INTO "user" (email, fs_uniquifier) SELECT 'u' || g || '@example.com', md5(random()::text || g) FROM generate_series(1, 3) g RETURNING id`,
    )) as Array<{ id: number }>;
    userId = users[0].id;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('`nest-security housekeeping` deletes what has expired, keeps what is live, and prints counts and time', async () => {
    const { dataSource } = db;
    await seedSessions(dataSource, userId, 25, '-1 minute');
    await seedSessions(dataSource, userId, 3, '1 hour');
    await dataSource.query(`INSERT INTO security_attempt (key, count, window_started_at, locked_until) VALUES
      ('over-1', 3, now() - interval '1 hour', NULL), ('over-2', 3, now() - interval '2 hours', NULL),
      ('over-3', 3, now() - interval '1 day', now() - interval '1 hour'), ('over-4', 1, now() - interval '16 minutes', NULL),
      ('locked', 11, now() - interval '1 hour', now() + interval '10 minutes'), ('counting', 2, now() - interval '1 minute', NULL)`);
    await dataSource.query(
      `INSERT INTO security_used_token (digest, expires_at) SELECT md5('t' || g), now() + CASE WHEN g <= 5 THEN interval '-1 second' ELSE interval '1 hour' END FROM generate_series(1, 7) g`,
    );
    const [first, second, third] = (await dataSource.query('SELECT id FROM "user" ORDER BY id')) as Array<{ id: number }>;
    await dataSource.query(
      `INSERT INTO security_us_code (user_id, purpose, code_hash, expires_at) VALUES
       ($1, 'a', 'h', now() - interval '2 days'), ($1, 'b', 'h', now() - interval '25 hours'),
       ($2, 'a', 'h', now() - interval '1 hour'), ($3, 'a', 'h', now() + interval '5 minutes')`,
      [first.id, second.id, third.id],
    );
    await dataSource.query(
      `INSERT INTO fs_refresh (refresh_family, expires_at, revoked_at, last_used_at, name, user_id) VALUES
       ('gone', now() - interval '1 second', NULL, now() - interval '1 day', 'default', $1),
       ('gone-revoked', now() - interval '1 day', now() - interval '2 days', now() - interval '3 days', 'default', $1),
       ('live', now() + interval '1 day', NULL, now(), 'default', $1)`,
      [first.id],
    );

    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      env: { DATABASE_URL: db.url },
      out: (line) => void out.push(line),
      err: (line) => void err.push(line),
      readPassword: async () => '',
    };
    expect(await runCli(['housekeeping'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Deleted 25 sessions, 4 attempts, 5 used tokens, 2 codes, 2 refresh trackers in \d+ ms$/);
    // Live sessions, a locked and a counting counter, unexpired digests, codes less than a day past expiry.
    expect(await counts(dataSource)).toEqual({ sessions: 3, attempts: 2, usedTokens: 2, codes: 2, refreshTrackers: 1 });

    out.length = 0;
    expect(await runCli(['housekeeping'], io)).toBe(0);
    expect(out[0]).toMatch(/^Deleted 0 sessions, 0 attempts, 0 used tokens, 0 codes, 0 refresh trackers in \d+ ms$/);
  });

  it('deletes at most batchSize × HOUSEKEEPING_MAX_BATCHES per store in one run, and says more is left', async () => {
    const { dataSource } = db;
    await dataSource.query('DELETE FROM security_session');
    await seedSessions(dataSource, userId, 2 * HOUSEKEEPING_MAX_BATCHES + 3, '-1 minute');
    const users = new TypeOrmUserDatastore(dataSource);
    const stores = {
      sessions: new TypeOrmSessionStore(dataSource, users),
      attempts: new TypeOrmAttemptStore(dataSource),
      usedTokens: new TypeOrmUsedTokenStore(dataSource),
      codes: new TypeOrmCodeStore(dataSource),
      refreshTokens: new TypeOrmRefreshTokenStore(dataSource),
    };
    const first = await runHousekeeping(stores, { batchSize: 2, attemptHorizonSeconds: 900 });
    expect(first).toMatchObject({ sessions: 2 * HOUSEKEEPING_MAX_BATCHES, more: true });
    expect((await counts(dataSource)).sessions).toBe(3);
    const second = await runHousekeeping(stores, { batchSize: 2, attemptHorizonSeconds: 900 });
    expect(second).toMatchObject({ sessions: 3, more: false });
    expect((await counts(dataSource)).sessions).toBe(0);
  });

  it('runs on the module timer when enabled; is off by default under testing: true', async () => {
    const off = await createAuthnApp({});
    try {
      expect(off.app.get<ResolvedSecurityOptions>(SECURITY_OPTIONS).housekeeping).toEqual({
        enabled: false,
        interval: 3600,
        batchSize: 1000,
      });
    } finally {
      await off.close();
    }
    const on = await createAuthnApp({ options: { housekeeping: { enabled: true, interval: 0.2, batchSize: 10 } } });
    try {
      const user = await on.createUser('timer@example.com', 'timer password 1');
      await seedSessions(on.dataSource, user.id, 15, '-1 minute');
      await seedSessions(on.dataSource, user.id, 1, '1 hour');
      let left = -1;
      for (const deadline = Date.now() + 5000; Date.now() < deadline && left !== 1;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = (await counts(on.dataSource)).sessions;
      }
      expect(left).toBe(1);
    } finally {
      await on.close();
    }
  });
});
