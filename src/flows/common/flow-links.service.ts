import { Inject, Injectable } from '@nestjs/common';
import { LINK_OPTIONS, type LinkOptions } from '../../options/option-slices.js';

export type RedirectName = keyof LinkOptions['redirects'];

/**
 * Builds the absolute URLs flows put in mails and SPA redirects, always from
 * `options.appUrl` and the prefix the routes are mounted under (the
 * `urlPrefix` module extra): never from the request's Host header, which a
 * client chooses.
 */
@Injectable()
export class FlowLinks {
  private readonly apiBase: string;

  constructor(@Inject(LINK_OPTIONS) private readonly options: LinkOptions) {
    this.apiBase = `${options.appUrl}${options.urlPrefix}`;
  }

  /** `appUrl + urlPrefix + path`, e.g. api('/confirm/', token). */
  api(path: string, token?: string): string {
    return `${this.apiBase}${path}${token === undefined ? '' : encodeURIComponent(token)}`;
  }

  confirmLink(token: string): string {
    return this.api('/confirm/', token);
  }

  resetLink(token: string): string {
    return this.api('/reset/', token);
  }

  changeEmailLink(token: string): string {
    return this.api('/change-email/', token);
  }

  /** Where a mail sends someone to ask for a reset: the SPA's reset view, when one is configured. */
  resetRequestPage(): string | undefined {
    return this.options.recoverable && this.options.redirects.resetView ? this.frontEnd('resetView') : undefined;
  }

  /**
   * A front-end URL of `options.redirects` (absolute, or a path under
   * appUrl; unset: appUrl itself) with `query` added to its own query string.
   */
  frontEnd(name: RedirectName, query: Record<string, string | number | undefined | null> = {}): string {
    const target = this.options.redirects[name];
    const url = new URL(
      !target ? `${this.options.appUrl}/` : /^https?:\/\//i.test(target) ? target : `${this.options.appUrl}/${target.replace(/^\/+/, '')}`,
    );
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}
