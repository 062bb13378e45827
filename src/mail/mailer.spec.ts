import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import { extractLink, extractToken, startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import { resolveSecurityOptions, type SecurityModuleOptions } from '../security.options.js';
import { ConsoleMailer } from './console.mailer.js';
import { Mailer, MailService, type MailMessage } from './mailer.js';
import { createMailer } from './mailer.factory.js';
import { SmtpMailer } from './smtp.mailer.js';

const FROM = 'Example App <no-reply@example.com>';
const options = (mail: SecurityModuleOptions['mail'] = {}) =>
  resolveSecurityOptions({ secretKey: 'k'.repeat(32), appUrl: 'https://app.example.com', mail: { from: FROM, ...mail } });

/** Every line any Nest logger writes while a test runs. */
class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  private record =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      this.lines.push({ level, message: [message, ...rest].map(String).join(' ') });
    };
  log = this.record('log');
  error = this.record('error');
  warn = this.record('warn');
  debug = this.record('debug');
  verbose = this.record('verbose');
  fatal = this.record('fatal');
  get text() {
    return this.lines.map((line) => `${line.level}: ${line.message}`).join('\n');
  }
}

/** Counts the tries that reach the SMTP mailer. */
class CountingSmtpMailer extends SmtpMailer {
  tries = 0;
  override async send(message: MailMessage): Promise<void> {
    this.tries++;
    return super.send(message);
  }
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let sink: SmtpSink;
let logs: CapturingLogger;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});
beforeEach(() => {
  sink.clear();
  logs = new CapturingLogger();
  Logger.overrideLogger(logs);
});
afterEach(() => {
  Logger.overrideLogger(new ConsoleLogger());
});

describe('MailService over SMTP', () => {
  it('delivers a template with subject, text and HTML parts to the recipient', async () => {
    const mailer = createMailer({ smtpUrl: sink.url, from: FROM });
    const mail = new MailService(mailer, options());
    const link = 'https://app.example.com/auth/confirm/eyJhYmMiOjF9.Zx-_yA.sig?next=%2Fa&b=1';

    const delivery = await mail.sendTemplate('confirm_instructions', 'Jane.Doe@example.com', {
      email: 'Jane.Doe@example.com',
      link,
      within: 432000,
    });

    expect(delivery).toEqual({ delivered: true, attempts: 1 });
    const received = await sink.waitFor((m) => m.to.includes('Jane.Doe@example.com'));
    expect(received.envelopeFrom).toBe('no-reply@example.com');
    expect(received.headers.from).toBe(FROM);
    expect(received.subject).toBe('Please confirm your email address');
    expect(received.text).toContain('Jane.Doe@example.com');
    expect(received.text).toContain('expires in 5 days');
    expect(extractLink(received, '/auth/confirm/')).toBe(link);
    expect(extractToken(received, '/auth/confirm/')).toBe('eyJhYmMiOjF9.Zx-_yA.sig');
    expect(received.html).toContain('href="https://app.example.com/auth/confirm/eyJhYmMiOjF9.Zx-_yA.sig?next=%2Fa&amp;b=1"');
    await mailer.close();
  });

  it('escapes user-controlled values in the HTML part and keeps non-ASCII text intact', async () => {
    const mail = new MailService(createMailer({ smtpUrl: sink.url, from: FROM }), options());
    const username = `Zoë <img src=x onerror=alert(1)> "ünïcødé" ${'long '.repeat(40)}`;

    await mail.sendTemplate('username_recovery', 'zoe@example.com', { email: 'zoe@example.com', username });

    const received = await sink.waitFor((m) => m.to.includes('zoe@example.com'));
    expect(received.text).toContain(username);
    expect(received.html).not.toContain('<img');
    expect(received.html).toContain('Zoë &lt;img src=x onerror=alert(1)&gt; &quot;ünïcødé&quot;');
  });

  it('uses the overrides in options.mail.templates, with {{var}} placeholders', async () => {
    const mail = new MailService(
      createMailer({ smtpUrl: sink.url, from: FROM }),
      options({
        templates: {
          reset_instructions: {
            subject: 'Réinitialiser le mot de passe de {{email}}',
            text: 'Bonjour,\n\nCliquez ici : {{link}} (valable {{within}}).\n\n{{appUrl}}',
            html: '<p>Bonjour {{email}}, <a href="{{link}}">réinitialiser</a></p>',
          },
        },
      }),
    );
    const link = 'https://app.example.com/auth/reset/tok?x=1&y=2';

    const delivery = await mail.sendTemplate('reset_instructions', 'bob@example.com', { email: '<bob>@example.com', link, within: 3600 });

    expect(delivery.delivered).toBe(true);
    const received = await sink.waitFor((m) => m.to.includes('bob@example.com'));
    expect(received.subject).toBe('Réinitialiser le mot de passe de <bob>@example.com');
    expect(received.text.trim()).toBe(`Bonjour,\n\nCliquez ici : ${link} (valable 1 hour).\n\nhttps://app.example.com`);
    expect(received.html.trim()).toBe(
      '<p>Bonjour &lt;bob&gt;@example.com, <a href="https://app.example.com/auth/reset/tok?x=1&amp;y=2">réinitialiser</a></p>',
    );
  });

  it('retries a refused send and then delivers', async () => {
    const mailer = new CountingSmtpMailer({ smtpUrl: sink.url, from: FROM });
    const mail = new MailService(mailer, options());
    sink.rejectNext(1);

    const delivery = await mail.sendTemplate('reset_notice', 'carol@example.com', { email: 'carol@example.com' });

    expect(delivery).toEqual({ delivered: true, attempts: 2 });
    expect(mailer.tries).toBe(2);
    expect(sink.messages.filter((m) => m.to.includes('carol@example.com'))).toHaveLength(1);
  });

  it('does not retry a permanent (5xx) refusal', async () => {
    const mailer = new CountingSmtpMailer({ smtpUrl: sink.url, from: FROM });
    sink.rejectNext(1, 550);

    const delivery = await new MailService(mailer, options()).sendTemplate('reset_notice', 'dan@example.com', { email: 'dan@example.com' });

    expect(delivery.delivered).toBe(false);
    expect(mailer.tries).toBe(1);
  });

  it('passes credentials from the smtp URL', async () => {
    const mail = new MailService(createMailer({ smtpUrl: `smtp://mailer%40app:p%40ss@127.0.0.1:${sink.port}`, from: FROM }), options());
    await mail.sendTemplate('reset_notice', 'erin@example.com', { email: 'erin@example.com' });
    expect((await sink.waitFor((m) => m.to.includes('erin@example.com'))).authUser).toBe('mailer@app');
  });
});

describe('MailService when SMTP is down', () => {
  it('retries, then reports delivered: false without throwing and without logging the link', async () => {
    const mailer = new CountingSmtpMailer({ smtpUrl: `smtp://user:hunter2@127.0.0.1:${await closedPort()}`, from: FROM });
    const mail = new MailService(mailer, options());
    const token = 'InVzZXItdW5pcXVpZmllciI.ZxYz12.c2VjcmV0LXNpZ25hdHVyZQ';

    const started = Date.now();
    const delivery = await mail.sendTemplate('reset_instructions', 'frank@example.com', {
      email: 'frank@example.com',
      link: `https://app.example.com/auth/reset/${token}`,
    });

    expect(delivery.delivered).toBe(false);
    expect(delivery.attempts).toBe(3);
    expect(delivery.delivered === false && delivery.error).toBeInstanceOf(Error);
    expect(mailer.tries).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    const failures = logs.lines.filter((line) => line.level === 'error' || line.level === 'warn');
    expect(failures.map((line) => line.level)).toEqual(['warn', 'warn', 'error']);
    expect(failures[2]!.message).toMatch(/Could not send "reset_instructions" mail to f\*\*\*@example.com after 3 tries: .*ECONNREFUSED/);
    expect(logs.text).not.toContain(token);
    expect(logs.text).not.toContain('/auth/reset/');
    expect(logs.text).not.toContain('hunter2');
    expect(logs.text).not.toContain('frank@');
  });

  it('never throws, even for a failing custom mailer or a bad recipient', async () => {
    class BrokenMailer extends Mailer {
      async send(): Promise<void> {
        throw 'not even an Error';
      }
    }
    const mail = new MailService(new BrokenMailer(), options());
    await expect(mail.sendTemplate('reset_notice', 'g@example.com', { email: 'g@example.com' })).resolves.toMatchObject({
      delivered: false,
      attempts: 3,
    });
    await expect(mail.sendTemplate('reset_notice', 'a@b.c\r\nBcc: x@y.z', { email: 'a@b.c' })).resolves.toMatchObject({
      delivered: false,
      attempts: 0,
    });
    await expect(mail.sendTemplate('nope' as never, 'g@example.com', { email: 'g@example.com' } as never)).resolves.toMatchObject({
      delivered: false,
      attempts: 0,
    });
  });
});

describe('wiring', () => {
  it('is injectable with a Mailer provider and SECURITY_OPTIONS', async () => {
    const resolved = options({ smtpUrl: sink.url });
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: SECURITY_OPTIONS, useValue: resolved },
        { provide: Mailer, useFactory: () => createMailer(resolved.mail) },
        MailService,
      ],
    }).compile();
    expect(moduleRef.get(Mailer)).toBeInstanceOf(SmtpMailer);

    await moduleRef
      .get(MailService)
      .sendTemplate('us_code', 'hana@example.com', { email: 'hana@example.com', code: '123456', within: 120 });

    expect((await sink.waitFor((m) => m.to.includes('hana@example.com'))).text).toContain('123456');
    await moduleRef.close();
  });

  it('warns about overrides for template names that do not exist', () => {
    new MailService(new ConsoleMailer(), options({ templates: { reset_instructons: { subject: 'typo' } } }));
    expect(logs.text).toMatch(/mail\.templates\.reset_instructons is not a mail template name/);
  });

  it('prints mail to the log when no SMTP URL is set (development only)', async () => {
    const mailer = createMailer({ from: FROM });
    expect(mailer).toBeInstanceOf(ConsoleMailer);
    await new MailService(mailer, options()).sendTemplate('login_instructions', 'ivy@example.com', {
      email: 'ivy@example.com',
      link: 'https://app.example.com/auth/login/abc',
    });
    expect(logs.text).toMatch(/development only/);
    expect(logs.text).toContain('To: ivy@example.com');
    expect(logs.text).toContain('https://app.example.com/auth/login/abc');
  });

  it('refuses an smtpUrl that is not smtp:// or smtps://', () => {
    expect(() => createMailer({ smtpUrl: 'http://mail.example.com', from: FROM })).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});
