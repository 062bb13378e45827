/**
 * A real SMTP server for tests: the app sends through nodemailer over TCP, the
 * sink keeps what arrived, parsed into the parts a test asserts on.
 *
 *   const sink = await startSmtpSink();            // options.mail.smtpUrl = sink.url
 *   const mail = await sink.waitFor((m) => m.to.includes('jane@example.com'));
 *   const link = extractLink(mail, '/auth/confirm/');
 *   await sink.close();
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), as sent. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  envelopeFrom: string;
  /** Header values by lower-case name (first occurrence), encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  /** The text/plain part ('' if none), line ends as "\n". */
  text: string;
  /** The text/html part ('' if none), line ends as "\n". */
  html: string;
  /** The user name the client authenticated with, if it did. */
  authUser?: string;
  raw: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for `options.mail.smtpUrl`. */
  url: string;
  port: number;
  /** Everything received so far, oldest first. */
  messages: ReceivedMail[];
  /** The first message, already received or still to come, that matches. Rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Refuses the next `count` mails with a temporary SMTP error (default 451), to exercise retries. */
  rejectNext(count: number, responseCode?: number): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();
  let rejections: { count: number; responseCode: number } = { count: 0, responseCode: 451 };

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, _session, callback) {
      if (rejections.count > 0) {
        rejections.count--;
        return callback(Object.assign(new Error('Try again later (test sink)'), { responseCode: rejections.responseCode }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        let mail: ReceivedMail;
        try {
          mail = toReceivedMail(Buffer.concat(chunks).toString('latin1'), session);
        } catch (error) {
          return callback(error as Error);
        }
        messages.push(mail);
        for (const waiter of waiters) if (waiter.predicate(mail)) waiter.resolve(mail);
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
          reject(new Error(`smtp-sink: no matching mail within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    rejectNext(count, responseCode = 451) {
      rejections = { count, responseCode };
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first URL in the text part that contains `pathPrefix` (e.g. '/auth/confirm/'); throws if there is none. */
export function extractLink(mail: ReceivedMail, pathPrefix: string): string {
  const link = (mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? []).find((url) => url.includes(pathPrefix));
  if (!link) throw new Error(`smtp-sink: no link containing "${pathPrefix}" in mail "${mail.subject}" to ${mail.to.join(', ')}`);
  return link;
}

/** The path segment after `pathPrefix` in that link: the token of '/auth/confirm/<token>'. */
export function extractToken(mail: ReceivedMail, pathPrefix: string): string {
  const link = extractLink(mail, pathPrefix);
  const rest = link.slice(link.indexOf(pathPrefix) + pathPrefix.length);
  return decodeURIComponent(rest.split(/[/?#]/)[0]!);
}

// --- a minimal MIME reader: enough for what nodemailer writes -------------------------

interface MimePart {
  headers: Record<string, string>;
  body: string; // latin1: one char per byte
}

function toReceivedMail(raw: string, session: SMTPServerSession): ReceivedMail {
  const root = parsePart(raw);
  // The CRLF that ends the last line before the DATA terminator is not content.
  if (!contentType(root).type.startsWith('multipart/')) root.body = root.body.replace(/\r?\n$/, '');
  const parts = leafParts(root);
  const find = (type: string) =>
    parts.find((part) => contentType(part).type === type && !/^attachment/i.test(part.headers['content-disposition'] ?? ''));
  const textPart = find('text/plain');
  const htmlPart = find('text/html');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(root.headers)) headers[name] = decodeHeader(value);
  return {
    to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    headers,
    subject: headers.subject ?? '',
    text: textPart ? decodeBody(textPart) : '',
    html: htmlPart ? decodeBody(htmlPart) : '',
    authUser: typeof session.user === 'string' ? session.user : undefined,
    raw,
  };
}

function parsePart(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function contentType(part: MimePart): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (part.headers['content-type'] ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

/** The non-multipart parts, depth first, in order. */
function leafParts(part: MimePart): MimePart[] {
  const { type, params } = contentType(part);
  if (!type.startsWith('multipart/') || !params.boundary) return [part];
  const delimiter = `--${params.boundary}`;
  const children: MimePart[] = [];
  const sections = part.body.split(delimiter);
  // sections[0] is the preamble; a section starting with "--" is the closing delimiter's epilogue.
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    children.push(parsePart(section.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '')));
  }
  return children.flatMap(leafParts);
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = contentType(part).params.charset ?? 'utf-8';
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return new TextDecoder(charset).decode(bytes).replace(/\r\n/g, '\n');
}

function decodeQuotedPrintable(body: string): Buffer {
  const text = body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** Raw header bytes as UTF-8, with RFC 2047 encoded words (=?UTF-8?Q?...?= / ?B?) decoded. */
function decodeHeader(value: string): string {
  const text = Buffer.from(value, 'latin1').toString('utf8');
  return text
    .replace(/(\?=)\s+(?==\?)/g, '$1') // white space between adjacent encoded words is not content
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_match, charset: string, kind: string, data: string) => {
      const bytes = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return new TextDecoder(charset.replace(/\*.*$/, '')).decode(bytes);
    });
}
