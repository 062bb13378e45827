// Password benchmark: what a login costs. argon2id at the default parameters
// (19456 KiB, 2 passes, 1 lane) and bcrypt at cost 12, one operation at a
// time (the latency a user sees) and several at once (what the process
// sustains: argon2 and bcrypt (@node-rs) run on libuv's thread pool, SHA-crypt
// on a small worker pool); plus the SHA-crypt verifications of legacy
// Flask-Security data: hash_data at 535,000 rounds (tokens in mailboxes) and
// $6$ at 656,000. Then the proof that all of it is off the event loop: the
// loop's delay (monitorEventLoopDelay p99) while 12 verifications of each
// kind run at once, against the same loop idle.
//
//   npm run build && node bench/passwords.mjs
//
// SPEC 6: "login's cost is the password hash's cost: report hashes/s at the
// configured argon2 parameters". PASSWORDS_DIST=/path/to/core/passwords/index.js
// measures another build.
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadDist } from './load-dist.mjs';

const PASSWORD = 'correct horse battery staple';
const SALT = 'bench-password-salt';
const SECONDS = 2;
/** Verifications in flight at once for the event-loop check (the issue's twelve wrong logins). */
const CONCURRENT = 12;

/** p99 of the event loop's delay in ms while `during()` runs. */
async function loopDelayP99(during) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await during();
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

/** Operations per second of the async fn, `concurrency` in flight, over about `seconds`. */
async function rate(fn, { concurrency = 1, seconds = SECONDS, minOps = 3 } = {}) {
  await fn(); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline || ops < minOps) {
      await fn();
      ops++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ops / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function bestMsAsync(fn, runs = 3) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export async function benchPasswords() {
  const { PasswordHasher, hashData, verifyHashDataAsync, HASH_DATA_DEFAULT_ROUNDS } = await loadDist(
    'core/passwords/index.js',
    'PASSWORDS_DIST',
  );
  const argon2 = new PasswordHasher({ passwordSalt: SALT });
  const bcrypt = new PasswordHasher({ passwordSalt: SALT, scheme: 'bcrypt', bcryptRounds: 12 });
  const argon2Hash = await argon2.hash(PASSWORD);
  const bcryptHash = await bcrypt.hash(PASSWORD);
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const parallel = Math.min(pool, cpus().length);

  const results = {
    'passwords.argon2_hash_per_sec': await rate(() => argon2.hash(PASSWORD)),
    'passwords.argon2_verify_per_sec': await rate(() => argon2.verify(PASSWORD, argon2Hash)),
    [`passwords.argon2_verify_per_sec_x${parallel}`]: await rate(() => argon2.verify(PASSWORD, argon2Hash), { concurrency: parallel }),
    'passwords.bcrypt12_hash_per_sec': await rate(() => bcrypt.hash(PASSWORD)),
    'passwords.bcrypt12_verify_per_sec': await rate(() => bcrypt.verify(PASSWORD, bcryptHash)),
  };

  const email = 'migrated.user@example.com';
  const flaskTokenHash = hashData(email, 535_000); // what Flask-Security puts in confirm tokens
  const ownTokenHash = hashData(email);
  const sha512Hash = '$6$rounds=656000$' + flaskTokenHash.split('$')[3] + '$' + 'a'.repeat(86);
  results['passwords.hash_data_verify_535000_ms'] = await bestMsAsync(() => verifyHashDataAsync(flaskTokenHash, email));
  results['passwords.hash_data_verify_own_ms'] = await bestMsAsync(() => verifyHashDataAsync(ownTokenHash, email), 20);
  results['passwords.sha512_crypt_verify_656000_ms'] = await bestMsAsync(() => argon2.verify(PASSWORD, sha512Hash), 2);

  // Off the event loop: the loop's p99 delay, idle and then while 12 verifications of each kind run at once.
  const sha256Hash = '$5$rounds=535000$' + flaskTokenHash.split('$')[3] + '$' + 'a'.repeat(43);
  const loadByKind = {
    bcrypt: () => bcrypt.verify('a wrong password', bcryptHash),
    argon2: () => argon2.verify('a wrong password', argon2Hash),
    'sha-crypt': () => argon2.verify('a wrong password', sha256Hash),
  };
  const idleP99 = await loopDelayP99(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  results['passwords.loop_delay_idle_p99_ms'] = idleP99;
  for (const [kind, verify] of Object.entries(loadByKind)) {
    const busyP99 = await loopDelayP99(() => Promise.all(Array.from({ length: CONCURRENT }, verify)));
    results[`passwords.loop_delay_${kind}_x${CONCURRENT}_p99_ms`] = busyP99;
    results[`passwords.loop_delay_${kind}_vs_idle`] = busyP99 / idleP99;
  }

  const perSec = (v) => `${v.toFixed(1).padStart(8)}/s  (${(1000 / v).toFixed(0)} ms each)`;
  const total = (v) => `${v.toFixed(1).padStart(8)}/s  in all`;
  const ms = (v) => `${v.toFixed(1).padStart(8)} ms`;
  console.log(
    [
      `passwords (load average ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs; thread pool ${pool}):`,
      `  argon2id m=19456 t=2 p=1 hash         ${perSec(results['passwords.argon2_hash_per_sec'])}`,
      `  argon2id m=19456 t=2 p=1 verify       ${perSec(results['passwords.argon2_verify_per_sec'])}`,
      `  argon2id verify, ${parallel} at once           ${total(results[`passwords.argon2_verify_per_sec_x${parallel}`])}`,
      `  bcrypt cost 12 hash (@node-rs)       ${perSec(results['passwords.bcrypt12_hash_per_sec'])}`,
      `  bcrypt cost 12 verify (@node-rs)     ${perSec(results['passwords.bcrypt12_verify_per_sec'])}`,
      `  hash_data verify, 535000 rounds      ${ms(results['passwords.hash_data_verify_535000_ms'])}  (Flask-Security's tokens; worker thread)`,
      `  hash_data verify, ${String(HASH_DATA_DEFAULT_ROUNDS).padEnd(6)} rounds      ${ms(results['passwords.hash_data_verify_own_ms'])}  (tokens made here)`,
      `  sha512_crypt verify, 656000 rounds   ${ms(results['passwords.sha512_crypt_verify_656000_ms'])}  (legacy password hashes; worker thread)`,
      `  event loop delay p99, idle           ${ms(idleP99)}`,
      ...Object.keys(loadByKind).map(
        (kind) =>
          `  ... while ${CONCURRENT} ${kind.padEnd(9)} verify     ${ms(results[`passwords.loop_delay_${kind}_x${CONCURRENT}_p99_ms`])}  = ${results[`passwords.loop_delay_${kind}_vs_idle`].toFixed(2)}x idle`,
      ),
      `  previous design (bcryptjs on the main thread): 12 concurrent bcrypt logins held an open route for 4.2 s`,
    ].join('\n'),
  );
  for (const key of Object.keys(results)) results[key] = Math.round(results[key] * 10) / 10;
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchPasswords();
}
