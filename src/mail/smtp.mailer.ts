import type { Transporter } from 'nodemailer';
import { Mailer, type MailMessage } from './mailer.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://...` (TLS from the start). Query parameters set further nodemailer options, e.g. `?pool=true`. */
  smtpUrl: string;
  from: string;
}

/** Timeouts in ms: a dead server fails a try in seconds, not nodemailer's minutes. */
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000, dnsTimeout: 5_000 };

/**
 * Sends through an SMTP server with nodemailer; one connection per mail unless `?pool=true`.
 * nodemailer is an optional peer: it is imported on the first mail, so apps
 * that never configure SMTP need not install it.
 */
export class SmtpMailer extends Mailer {
  private transport?: Promise<Transporter>;

  constructor(private readonly config: SmtpMailerOptions) {
    super();
    if (!/^smtps?:\/\//i.test(config.smtpUrl)) throw new Error('nest-security: mail.smtpUrl must start with smtp:// or smtps://');
  }

  async send(message: MailMessage): Promise<void> {
    const transport = await (this.transport ??= this.createTransport());
    await transport.sendMail({ from: this.config.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
  }

  override async close(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    (await transport?.catch(() => undefined))?.close();
  }

  private async createTransport(): Promise<Transporter> {
    const nodemailer = await import('nodemailer').catch((error: unknown) => {
      this.transport = undefined; // let a later send retry once the package is installed
      throw new Error(
        `nest-security: mail.smtpUrl is set but the optional peer "nodemailer" cannot be loaded (npm install nodemailer): ${String(error)}`,
      );
    });
    // The URL's own settings (host, port, auth, query options) win over these defaults.
    return nodemailer.createTransport({ url: this.config.smtpUrl, pool: false, ...TIMEOUTS });
  }
}
