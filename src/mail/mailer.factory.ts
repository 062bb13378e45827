import { ConsoleMailer } from './console.mailer.js';
import type { Mailer } from './mailer.js';
import { SmtpMailer } from './smtp.mailer.js';

/** The mailer for `options.mail`: SMTP when `smtpUrl` is set, else the development console mailer. */
export function createMailer(options: { smtpUrl?: string; from: string }): Mailer {
  return options.smtpUrl ? new SmtpMailer({ smtpUrl: options.smtpUrl, from: options.from }) : new ConsoleMailer();
}
