import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { MAIL_TEMPLATE_NAMES, type MailTemplateContexts, type MailTemplateName } from './templates/default-templates.js';
import { renderMailTemplate } from './templates/render-mail-template.js';

/** One mail, both parts. The sender is the mailer's (`options.mail.from`). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes: the injection token and the contract. nest-security ships
 * an SMTP mailer and a development console mailer (see `createMailer`); an app
 * or a test can provide its own `Mailer` instead.
 */
export abstract class Mailer {
  /** Sends or throws; retries are `MailService`'s job. */
  abstract send(message: MailMessage): Promise<void>;

  /** Releases connections; called when the app shuts down. */
  async close(): Promise<void> {}
}

/** The outcome of `MailService.sendTemplate`, which never throws. */
export type MailDelivery = { delivered: true; attempts: number } | { delivered: false; attempts: number; error: Error };

/**
 * Renders a named template (with the user's override, if any) and sends it
 * through the `Mailer`, retrying transient failures. Failures are logged
 * (without the message, its links or codes) and returned, never thrown, so a
 * request never fails because SMTP is down. Flows that answer the same for
 * known and unknown accounts may leave the promise un-awaited.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  /** Tries per mail; a permanent SMTP refusal (5xx) is not retried. */
  protected readonly attempts: number = 3;
  /** Wait before the second try; doubled for each later one. */
  protected readonly backoffMs: number = 250;
  protected readonly logger = new Logger('MailService');

  constructor(
    protected readonly mailer: Mailer,
    @Inject(SECURITY_OPTIONS) protected readonly options: ResolvedSecurityOptions,
  ) {
    for (const name of Object.keys(options.mail.templates)) {
      if (!(MAIL_TEMPLATE_NAMES as string[]).includes(name))
        this.logger.warn(`mail.templates.${name} is not a mail template name and is ignored (names: ${MAIL_TEMPLATE_NAMES.join(', ')})`);
    }
  }

  /** Closes pooled SMTP connections when the app shuts down. */
  async onApplicationShutdown(): Promise<void> {
    // A `mailer` instance of the app's may be a plain object with send() only.
    await this.mailer.close?.();
  }

  /** Renders template `name` for `to` and sends it. `appUrl` is added to the context for overrides. */
  async sendTemplate<N extends MailTemplateName>(name: N, to: string, context: MailTemplateContexts[N]): Promise<MailDelivery> {
    if (typeof to !== 'string' || to.trim() === '' || /[\r\n]/.test(to)) {
      return this.failed(name, to, 0, new Error('invalid recipient address'));
    }
    let message: MailMessage;
    try {
      const rendered = renderMailTemplate(name, { appUrl: this.options.appUrl, ...context }, this.options.mail.templates[name]);
      message = { to, ...rendered };
    } catch (error) {
      return this.failed(name, to, 0, asError(error));
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await this.mailer.send(message);
        this.logger.debug(`Sent "${name}" mail to ${maskAddress(to)}`);
        return { delivered: true, attempts: attempt };
      } catch (raw) {
        const error = asError(raw);
        if (attempt >= this.attempts || isPermanent(error)) return this.failed(name, to, attempt, error);
        this.logger.warn(
          `Sending "${name}" mail to ${maskAddress(to)} failed (try ${attempt} of ${this.attempts}): ${describe(error)}; retrying`,
        );
        await sleep(this.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private failed(name: string, to: string, attempts: number, error: Error): MailDelivery {
    this.logger.error(
      `Could not send "${name}" mail to ${maskAddress(to)} after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${describe(error)}`,
    );
    return { delivered: false, attempts, error };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

/** SMTP 5xx replies are permanent: trying again gets the same answer (and may lock an account on 535). */
const isPermanent = (error: Error): boolean => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** The error for a log line: code and first line of the message, credentials in URLs masked. */
function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const message = (error.message.split('\n')[0] ?? '').replace(/\/\/[^\s/@]*@/g, '//***@').slice(0, 200);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/** "jane.doe@example.com" -> "j***@example.com": enough to match a complaint, not to harvest addresses. */
export function maskAddress(address: unknown): string {
  const text = String(address ?? '');
  const at = text.lastIndexOf('@');
  if (at < 1) return '***';
  return `${text[0]}***${text.slice(at).replace(/[\r\n]/g, '')}`;
}
