import { Logger } from '@nestjs/common';
import { Mailer, type MailMessage } from './mailer.js';

/**
 * DEVELOPMENT ONLY: prints each mail (recipient, subject, text part) to the
 * log instead of sending it, links and codes included, because it stands in
 * for the developer's own mailbox. Used when `mail.smtpUrl` is unset; never
 * run it where logs are collected from real users' requests.
 */
export class ConsoleMailer extends Mailer {
  private readonly logger = new Logger('ConsoleMailer');

  constructor() {
    super();
    this.logger.warn('mail.smtpUrl is not set: mail is printed here, links included (development only)');
  }

  async send(message: MailMessage): Promise<void> {
    this.logger.log(`\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`);
  }
}
