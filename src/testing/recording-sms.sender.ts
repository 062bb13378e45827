import { SmsSender } from '../mail/sms/sms-sender.js';

export interface RecordedSms {
  to: string;
  message: string;
}

/** An SmsSender for tests: keeps every message, and can wait for the next one to a number. */
export class RecordingSmsSender extends SmsSender {
  readonly sent: RecordedSms[] = [];
  private waiters: Array<{ match: (sms: RecordedSms) => boolean; resolve: (sms: RecordedSms) => void }> = [];

  async send(to: string, message: string): Promise<void> {
    const sms = { to, message };
    this.sent.push(sms);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(sms)) return true;
      waiter.resolve(sms);
      return false;
    });
  }

  /** The first message (already sent or still to come) that matches. */
  waitFor(match: (sms: RecordedSms) => boolean, timeoutMs = 5000): Promise<RecordedSms> {
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching SMS arrived')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (sms) => {
          clearTimeout(timer);
          resolve(sms);
        },
      });
    });
  }

  /** The last code (a run of digits) sent to a number. */
  lastCode(to: string): string | undefined {
    const last = [...this.sent].reverse().find((sms) => sms.to === to);
    return last?.message.match(/\b\d{6,10}\b/)?.[0];
  }
}
