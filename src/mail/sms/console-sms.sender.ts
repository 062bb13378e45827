import { Logger } from '@nestjs/common';
import { SmsSender } from './sms-sender.js';

/**
 * DEVELOPMENT ONLY: prints each SMS, code included, to the log (the default
 * while no `smsSender` is configured; the demo uses it). Never run it where
 * logs are collected from real users' requests.
 */
export class ConsoleSmsSender extends SmsSender {
  private readonly logger = new Logger('ConsoleSmsSender');

  constructor() {
    super();
    this.logger.warn('smsSender is not set: SMS codes are printed here (development only)');
  }

  async send(to: string, message: string): Promise<void> {
    this.logger.log(`SMS to ${to}: ${message}`);
  }
}
