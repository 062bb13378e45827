// `npm run soak`: two app instances (test/apps/instance/main.mjs, the built
// package) on one fresh PostgreSQL database and Redis, loopback only, under
// a bounded mix of sign-ins, wrong passwords, protected requests, sign-in
// link requests and bad input. Prints requests, answers by status, p50/p99,
// each instance's resident memory at start and end, and the rows left in
// each table. SOAK_SECONDS (default 90, at most 600), SOAK_CONCURRENCY (8).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PasswordHasher } from 'nest-security/passwords';
import { withDatabase } from './http.mjs';

const SECONDS = Math.min(600, Number(process.env.SOAK_SECONDS ?? 90));
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8);
const MAX_REQUESTS = 2_000_000;
const USERS = 50;
const PASSWORD = 'soak password 1';
const INSTANCE = new URL('../test/apps/instance/main.mjs', import.meta.url).pathname;
const TABLES = ['user', 'security_session', 'security_attempt', 'security_used_token', 'security_us_code', 'fs_refresh'];

function startInstance(databaseUrl) {
  const child = spawn(process.execPath, [INSTANCE], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    // Mail goes to the console (no SMTP_URL): keep reading, or the pipe fills up.
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (out === null) return;
      out += chunk;
      const line = out.split('\n').find((each) => each.startsWith('{"port"'));
      if (line) {
        out = null;
        resolve({ child, url: `http://127.0.0.1:${JSON.parse(line).port}` });
      }
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

/** Resident memory of a process, in MiB (Linux). */
function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((each) => each.startsWith('VmRSS:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

async function send(url, path, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

await withDatabase(async (databaseUrl) => {
  const a = await startInstance(databaseUrl); // applies the migrations
  const b = await startInstance(databaseUrl);
  const instances = [a, b];
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const hash = await new PasswordHasher({ passwordSalt: 'instance-password-salt', argon2: { memoryCost: 1024, timeCost: 1 } }).hash(
      PASSWORD,
    );
    await db.query(
      `INSERT INTO "user" (email, password, fs_uniquifier, confirmed_at)
       SELECT 'soak-' || g || '@example.com', $1, md5(random()::text || g), now() FROM generate_series(1, $2) g`,
      [hash, USERS],
    );
    const email = (i) => `soak-${i}@example.com`;
    const tokens = [];
    for (let i = 1; i <= USERS; i++) {
      const { body } = await send(a.url, '/auth/login?include_auth_token', {
        method: 'POST',
        body: JSON.stringify({ email: email(i), password: PASSWORD }),
      });
      tokens.push(body.authentication_token);
    }
    const memoryStart = instances.map(({ child }) => rssMiB(child.pid));

    const pick = (list) => list[Math.floor(Math.random() * list.length)];
    const user = () => 1 + Math.floor(Math.random() * USERS);
    const mix = [
      [
        30,
        'login',
        (url) => send(url, '/auth/login', { method: 'POST', body: JSON.stringify({ email: email(user()), password: PASSWORD }) }),
      ],
      [
        10,
        'wrong password',
        (url) => send(url, '/auth/login', { method: 'POST', body: JSON.stringify({ email: 'nobody@example.com', password: 'guess' }) }),
      ],
      [35, 'protected', (url) => send(url, '/me', { headers: { 'Authentication-Token': pick(tokens) } })],
      [10, 'login link', (url) => send(url, '/auth/login-link', { method: 'POST', body: JSON.stringify({ email: email(user()) }) })],
      [5, 'malformed JSON', (url) => send(url, '/auth/login', { method: 'POST', body: '{"email": "x' })],
      [5, 'bad token', (url) => send(url, '/me', { headers: { 'Authentication-Token': 'not.a.token' } })],
      [5, 'bad email', (url) => send(url, '/auth/login', { method: 'POST', body: JSON.stringify({ email: ['x'], password: 1 }) })],
    ];
    const total = mix.reduce((sum, [weight]) => sum + weight, 0);
    const choose = () => {
      let roll = Math.random() * total;
      for (const entry of mix) if ((roll -= entry[0]) < 0) return entry;
      return mix[0];
    };

    const byStatus = {};
    const byKind = {};
    const latencies = [];
    let requests = 0;
    const endAt = Date.now() + SECONDS * 1000;
    const worker = async () => {
      while (Date.now() < endAt && requests < MAX_REQUESTS) {
        const [, kind, run] = choose();
        const started = performance.now();
        const { status } = await run(instances[requests++ % 2].url);
        latencies.push(performance.now() - started);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        byKind[kind] ??= {};
        byKind[kind][status] = (byKind[kind][status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const memoryEnd = instances.map(({ child }) => rssMiB(child.pid));
    latencies.sort((x, y) => x - y);
    const percentile = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 10) / 10;
    const rows = {};
    for (const table of TABLES) rows[table] = Number((await db.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    const errors = Object.entries(byStatus)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, count]) => sum + count, 0);
    console.log(
      JSON.stringify(
        {
          seconds: SECONDS,
          concurrency: CONCURRENCY,
          requests,
          perSecond: Math.round(requests / SECONDS),
          errors5xx: errors,
          byStatus,
          byKind,
          latencyMs: { p50: percentile(50), p99: percentile(99) },
          rssMiB: { start: memoryStart, end: memoryEnd },
          rows,
        },
        null,
        2,
      ),
    );
    if (errors > 0) process.exitCode = 1;
  } finally {
    await db.end();
    await Promise.all(
      instances.map(
        ({ child }) =>
          new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
      ),
    );
  }
});
