import { createTransport, type Transporter } from 'nodemailer';
import { Mailer, type MailMessage } from './mailer.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://...` (TLS from the start). Query parameters set further nodemailer options, e.g. `?pool=true`. */
  smtpUrl: string;
  from: string;
}

/** Timeouts in ms: a dead server fails a try in seconds, not nodemailer's minutes. */
const TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000, dnsTimeout: 5_000 };

/** Sends through an SMTP server with nodemailer; one connection per mail unless `?pool=true`. */
export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpMailerOptions) {
    super();
    if (!/^smtps?:\/\//i.test(config.smtpUrl)) throw new Error('nest-security: mail.smtpUrl must start with smtp:// or smtps://');
    // The URL's own settings (host, port, auth, query options) win over these defaults.
    this.transport = createTransport({ url: config.smtpUrl, pool: false, ...TIMEOUTS });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.config.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
  }

  override async close(): Promise<void> {
    this.transport.close();
  }
}
