import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { AttemptStore } from '../attempt-store.js';
import { CodeStore } from '../code-store.js';
import { RefreshTokenStore } from '../refresh-token-store.js';
import { SessionStore } from '../session-store.js';
import { UsedTokenStore } from '../used-token-store.js';
import { describeHousekeeping, type HousekeepingReport, runHousekeeping } from './run-housekeeping.js';

/**
 * Deletes what has expired (sessions, attempt counters, used-token records,
 * codes, refresh trackers) in bounded batches, so the tables stay the size of what is live.
 * With `housekeeping.enabled` it runs every `housekeeping.interval` on an
 * unref'd timer (it never keeps the process alive); every instance may run
 * it, as the deletes are idempotent. `run()` is also what the CLI's
 * `nest-security housekeeping --app ...` calls.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<HousekeepingReport> | undefined;

  constructor(
    private readonly sessions: SessionStore,
    private readonly attempts: AttemptStore,
    private readonly usedTokens: UsedTokenStore,
    private readonly codes: CodeStore,
    private readonly refreshTokens: RefreshTokenStore,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  onApplicationBootstrap(): void {
    const { enabled, interval } = this.options.housekeeping;
    if (!enabled) return;
    this.timer = setInterval(() => void this.tick(), interval * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One bounded run over every store; concurrent calls share the run in progress. */
  run(): Promise<HousekeepingReport> {
    const { limits, housekeeping } = this.options;
    const stores = {
      sessions: this.sessions,
      attempts: this.attempts,
      usedTokens: this.usedTokens,
      codes: this.codes,
      refreshTokens: this.refreshTokens,
    };
    this.running ??= runHousekeeping(stores, {
      batchSize: housekeeping.batchSize,
      attemptHorizonSeconds: Math.max(limits.perAccount.window, limits.perIp.window, limits.lockout),
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      const report = await this.run();
      if (report.sessions + report.attempts + report.usedTokens + report.codes + report.refreshTrackers > 0)
        this.logger.log(describeHousekeeping(report));
    } catch (error) {
      // The database may be down for a while: the next tick tries again.
      this.logger.warn(`housekeeping failed: ${(error as Error).message}`);
    }
  }
}
