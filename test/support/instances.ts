/**
 * Real app processes for the operations suites: test/apps/instance/main.mjs
 * (the built package, `npm run build`) as a child process of its own.
 *
 *   const a = await startInstance({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379/0' });
 *   await fetch(`${a.url}/me`);
 *   expect(await a.stop('SIGTERM')).toBe(0);
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../apps/instance/main.mjs', import.meta.url));

export interface Instance {
  url: string;
  child: ChildProcess;
  /** The exit code, once the process ended. */
  exited: Promise<number | null>;
  /** What it wrote on stderr so far (for failure messages). */
  stderr(): string;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startInstance(env: Record<string, string>, startTimeoutMs = 30_000): Promise<Instance> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`instance did not start in ${startTimeoutMs} ms: ${errors}`)), startTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((candidate) => candidate.startsWith('{"port"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code} before listening: ${errors}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    stderr: () => errors,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
