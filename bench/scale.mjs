// `npm run bench -- scale` (SPEC 6): token- and session-protected req/s with
// 1,000 users and sessions, then with 1,000,000 of each (seeded with COPY),
// each as a ratio to the open endpoint of the same run; the plans of the
// statements the protected requests sent; the demo's resident memory.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { measure, startServer, withDatabase } from './http.mjs';

const LARGE = Number(process.env.BENCH_SCALE_USERS ?? 1_000_000);
const SMALL = 1_000;
const BATCH = 10_000;

/** COPY `count` users, and one session of each, numbered from `from`. */
async function seed(databaseUrl, from, count) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT coalesce(max(id), 0) AS max FROM "user"');
    const firstId = Number(rows[0].max) + 1;
    const started = performance.now();
    await copy(
      client,
      'COPY "user" (email, fs_uniquifier, confirmed_at) FROM STDIN',
      from,
      count,
      (i) => `seed-${i}@example.com\t${uniquifier(i)}\t2026-01-01 00:00:00+00\n`,
    );
    await copy(
      client,
      'COPY security_session (id, user_id, fs_uniquifier, expires_at) FROM STDIN',
      from,
      count,
      (i) =>
        `${createHash('sha256').update(`seed-session-${i}`).digest('hex')}\t${firstId + (i - from)}\t${uniquifier(i)}\t2099-01-01 00:00:00+00\n`,
    );
    // Every seeded user has a role, so the roles join reads a table of the users' size.
    const role = await client.query(
      `INSERT INTO role (name) VALUES ('member') ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`,
    );
    await copy(
      client,
      'COPY roles_users (user_id, role_id) FROM STDIN',
      from,
      count,
      (i) => `${firstId + (i - from)}\t${role.rows[0].id}\n`,
    );
    await client.query('ANALYZE "user"; ANALYZE security_session; ANALYZE roles_users');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

const uniquifier = (i) => i.toString(16).padStart(32, '0');

async function copy(client, sql, from, count, line) {
  async function* rows() {
    for (let start = from; start < from + count; start += BATCH) {
      let chunk = '';
      for (let i = start; i < Math.min(start + BATCH, from + count); i++) chunk += line(i);
      yield chunk;
    }
  }
  await pipeline(Readable.from(rows()), client.query(copyStreams.from(sql)));
}

async function counts(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query('SELECT (SELECT count(*) FROM "user") AS users, (SELECT count(*) FROM security_session) AS sessions');
  await client.end();
  return { users: Number(rows[0].users), sessions: Number(rows[0].sessions) };
}

/** EXPLAIN of each statement the protected requests sent, with the values first seen. */
async function plans(databaseUrl, statements) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const out = [];
  try {
    for (const [index, { text, values }] of statements.entries()) {
      if (!/^\s*(SELECT|WITH)/i.test(text)) continue;
      const name = `bench_plan_${index}`;
      await client.query(`PREPARE ${name} AS ${text}`);
      const args = values.map((value) =>
        value === null ? 'NULL' : `'${String(Array.isArray(value) ? `{${value.join(',')}}` : value).replace(/'/g, "''")}'`,
      );
      const { rows } = await client.query(`EXPLAIN (COSTS OFF) EXECUTE ${name}${args.length ? `(${args.join(', ')})` : ''}`);
      await client.query(`DEALLOCATE ${name}`);
      const plan = rows.map((row) => row['QUERY PLAN']);
      out.push({ text: text.replace(/\s+/g, ' ').trim(), plan, seqScan: plan.some((line) => /Seq Scan/.test(line)) });
    }
  } finally {
    await client.end();
  }
  return out;
}

async function figuresAt(databaseUrl) {
  const server = await startServer(databaseUrl, false);
  try {
    await server.statements();
    const token = await measure(server, { 'Authentication-Token': server.token });
    const tokenStatements = await server.statements();
    const session = await measure(server, { Cookie: server.cookie });
    const sessionStatements = await server.statements();
    return { token, session, statements: [...tokenStatements, ...sessionStatements], rss: server.rss };
  } finally {
    await server.stop();
  }
}

export async function benchScale() {
  return withDatabase(async (databaseUrl) => {
    // The first start runs the migrations and creates the bench user.
    await (await startServer(databaseUrl, false)).stop();
    const smallSeconds = await seed(databaseUrl, 0, SMALL);
    const small = await figuresAt(databaseUrl);
    const smallCounts = await counts(databaseUrl);
    const largeSeconds = await seed(databaseUrl, SMALL, LARGE - SMALL);
    const largeCounts = await counts(databaseUrl);
    const large = await figuresAt(databaseUrl);
    const largePlans = await plans(databaseUrl, large.statements);

    console.log(
      `\nScale (demo app on PostgreSQL, user cache off; COPY seeded ${SMALL} rows in ${smallSeconds.toFixed(1)}s, then ${LARGE - SMALL} in ${largeSeconds.toFixed(1)}s)`,
    );
    console.log('  protected by   rows (users / sessions)     open req/s   protected req/s   ratio   ratio change   target');
    for (const kind of ['token', 'session']) {
      for (const [label, f, c] of [
        ['small', small[kind], smallCounts],
        ['large', large[kind], largeCounts],
      ]) {
        const change = label === 'large' ? (large[kind].ratio / small[kind].ratio - 1) * 100 : undefined;
        console.log(
          `  ${kind.padEnd(12)} ${`${c.users} / ${c.sessions}`.padStart(23)}   ${String(f.openRps).padStart(10)}   ${String(f.protectedRps).padStart(15)}   ${f.ratio.toFixed(2).padStart(5)}   ${change === undefined ? '' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`.padStart(12)}   ${change === undefined ? '' : Math.abs(change) <= 10 ? 'within 10% ok' : 'within 10% MISS'}`,
        );
      }
    }
    console.log(
      `  demo resident memory under load: ${(small.rss / 1024 / 1024).toFixed(0)} MiB at ${SMALL} rows, ${(large.rss / 1024 / 1024).toFixed(0)} MiB at ${LARGE}`,
    );
    console.log(`\n  Plans of the statements the protected requests sent, at ${LARGE} rows:`);
    for (const { text, plan, seqScan } of largePlans) {
      console.log(`  ${seqScan ? 'SEQ SCAN ' : ''}${text.slice(0, 160)}${text.length > 160 ? '…' : ''}`);
      for (const line of plan) console.log(`      ${line}`);
    }
    return { small, large, plans: largePlans };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScale();
