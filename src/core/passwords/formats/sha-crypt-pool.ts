import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { shaCryptDigest } from './sha-crypt-scheme.js';

/*
 * SHA-crypt runs hundreds of thousands of hash rounds (Flask-Security's
 * hash_data: 535,000), far too long for the event loop, and node:crypto has
 * no asynchronous one-shot hash. So the rounds run on a few worker threads,
 * started on first use. An idle worker is unref'd: the pool never keeps a
 * process alive, but one waiting for a verification does not exit mid-way.
 */

interface Job {
  algorithm: 'sha256' | 'sha512';
  password: Uint8Array;
  salt: Uint8Array;
  rounds: number;
  resolve(digest: Uint8Array): void;
  reject(error: Error): void;
}

/** The worker's program: the scheme's own source, fed from messages. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const shaCryptDigest = ${shaCryptDigest.toString()};
parentPort.on('message', ({ algorithm, password, salt, rounds }) => {
  try {
    parentPort.postMessage({ digest: shaCryptDigest(createHash, algorithm, password, salt, rounds) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
});
`;

/** At most this many threads: hashing must leave cores for serving requests. */
const MAX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

class PooledWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  job: Job | undefined;

  constructor(private readonly onDone: (self: PooledWorker, failed: boolean) => void) {
    this.worker.unref();
    this.worker.on('message', (message: { digest?: Uint8Array; error?: string }) => {
      const job = this.finish();
      if (message.digest) job?.resolve(message.digest);
      else job?.reject(new Error(`sha-crypt worker: ${message.error}`));
      this.onDone(this, false);
    });
    const fail = (error: Error) => {
      this.finish()?.reject(error);
      this.onDone(this, true);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`sha-crypt worker exited with code ${code}`)));
  }

  start(job: Job): void {
    this.job = job;
    this.worker.ref();
    this.worker.postMessage({ algorithm: job.algorithm, password: job.password, salt: job.salt, rounds: job.rounds });
  }

  private finish(): Job | undefined {
    const job = this.job;
    this.job = undefined;
    this.worker.unref();
    return job;
  }
}

const idle: PooledWorker[] = [];
const busy = new Set<PooledWorker>();
const queue: Job[] = [];

function done(worker: PooledWorker, failed: boolean): void {
  busy.delete(worker);
  if (failed) {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  } else {
    idle.push(worker);
  }
  dispatch();
}

function dispatch(): void {
  while (queue.length > 0) {
    let worker = idle.pop();
    if (!worker && busy.size < MAX_WORKERS) worker = new PooledWorker(done);
    if (!worker) return;
    busy.add(worker);
    worker.start(queue.shift()!);
  }
}

/** shaCryptDigest on a worker thread. */
export function shaCryptDigestOffThread(
  algorithm: 'sha256' | 'sha512',
  password: Uint8Array,
  salt: Uint8Array,
  rounds: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    queue.push({ algorithm, password, salt, rounds, resolve, reject });
    dispatch();
  });
}
