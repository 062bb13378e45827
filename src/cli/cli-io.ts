import { CliError } from './cli-error.js';

/** Where the CLI reads and writes; a test passes its own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  /** One line of result, to stdout. */
  out(line: string): void | Promise<void>;
  /** One line of complaint, to stderr. */
  err(line: string): void | Promise<void>;
  /** A password not given as --password: the first line of stdin when piped, a hidden prompt (twice) on a terminal. */
  readPassword(): Promise<string>;
}

/** The real process: stdout, stderr, stdin, environment. */
export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => write(process.stdout, line),
    err: (line) => write(process.stderr, line),
    readPassword: async () => {
      if (!process.stdin.isTTY) return readFirstLine(process.stdin);
      const password = await promptHidden('Password: ');
      if ((await promptHidden('Repeat password: ')) !== password) throw new CliError('the passwords do not match');
      return password;
    },
  };
}

/** Resolves once the line is handed to the OS, so exiting right after loses nothing. */
function write(stream: NodeJS.WriteStream, line: string): Promise<void> {
  return new Promise((resolve) => stream.write(`${line}\n`, () => resolve()));
}

async function readFirstLine(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  stream.destroy();
  return text.split(/\r?\n/)[0];
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value: string[] = [];
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value.join(''));
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new CliError('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value.push(char);
      }
    };
    stdin.on('data', onData);
  });
}
