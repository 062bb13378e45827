// HTTP figures of SPEC 6: requests/s of a public and a token-protected demo
// endpoint, with the in-process user cache off and on, and queries/request.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
// Open and protected are measured in alternating rounds, so a drift of the shared machine
// (another process, the database's housekeeping) weighs on both alike.
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);

export async function withDatabase(run) {
  const name = `nest_security_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function startServer(databaseUrl, userCache) {
  const child = spawn(process.execPath, [new URL('./http-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: databaseUrl, USER_CACHE: userCache ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  const { port, token, cookie } = await next();
  let rss = 0;
  return {
    port,
    token,
    cookie,
    /** Statements sent so far; notes the server's resident memory too. */
    async queries() {
      child.stdin.write('queries\n');
      const answer = await next();
      rss = Math.max(rss, answer.rss);
      return answer.queries;
    },
    /** The distinct SQL statements sent since the last call, each with the values it was first sent with. */
    async statements() {
      child.stdin.write('statements\n');
      return (await next()).statements;
    },
    get rss() {
      return rss;
    },
    async stop() {
      child.stdin.write('exit\n');
      await once(child, 'exit');
    },
  };
}

function load(url, headers, duration = SECONDS) {
  return autocannon({ url, headers, connections: 32, pipelining: 1, duration }).then((result) => {
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result;
  });
}

/** The previous design's figures (a private pipelined connection; sessions in two queries), for comparison. */
const PREVIOUS = { 'token, cache off': '0.63-0.68', 'token, cache on': '0.86-0.91', session: '~0.32' };
const TARGETS = { 'token, cache off': 0.7, 'token, cache on': 0.85, session: 0.7 };

/** Open and protected in alternating rounds on one server; the protected route read with `headers`. */
export async function measure(server, headers) {
  const base = `http://127.0.0.1:${server.port}`;
  await load(`${base}/demo/open`, {}, 1); // warm-up
  await load(`${base}/demo/me`, headers, 1);
  const totals = { open: 0, me: 0, meRequests: 0, queries: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    totals.open += (await load(`${base}/demo/open`)).requests.average;
    const before = await server.queries();
    const me = await load(`${base}/demo/me`, headers);
    totals.queries += (await server.queries()) - before;
    totals.me += me.requests.average;
    totals.meRequests += me.requests.total;
  }
  return {
    openRps: Math.round(totals.open / ROUNDS),
    protectedRps: Math.round(totals.me / ROUNDS),
    ratio: totals.me / totals.open,
    queriesPerRequest: totals.queries / totals.meRequests,
  };
}

export async function benchHttp() {
  return withDatabase(async (databaseUrl) => {
    const figures = {};
    let rss = 0;
    for (const userCache of [false, true]) {
      const server = await startServer(databaseUrl, userCache);
      figures[`token, cache ${userCache ? 'on' : 'off'}`] = await measure(server, { 'Authentication-Token': server.token });
      // The session path reads the session joined with its user: the user cache plays no part.
      if (!userCache) figures.session = await measure(server, { Cookie: server.cookie });
      rss = Math.max(rss, server.rss);
      await server.stop();
    }
    console.log(
      `\nHTTP (demo app on PostgreSQL, autocannon 32 connections, server alone in a child process; ${ROUNDS} alternating rounds of ${SECONDS}s each)`,
    );
    console.log('  /demo/me by          /demo/open req/s   /demo/me req/s   ratio   target    previous design   queries/request');
    for (const [label, f] of Object.entries(figures)) {
      const target = TARGETS[label];
      console.log(
        `  ${label.padEnd(18)}  ${String(f.openRps).padStart(16)}   ${String(f.protectedRps).padStart(14)}   ${f.ratio.toFixed(2).padStart(5)}   ${target.toFixed(2)}${f.ratio >= target ? ' ok  ' : ' MISS'}   ${PREVIOUS[label].padStart(15)}   ${f.queriesPerRequest.toFixed(2)}`,
      );
    }
    console.log(`  demo resident memory under load: ${(rss / 1024 / 1024).toFixed(0)} MiB (peak seen between rounds)`);
    return figures;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHttp();
