import { Inject, Injectable } from '@nestjs/common';
import { type RedirectPolicy, type RequestContext, safeNext } from '../../http/index.js';
import { LINK_OPTIONS, type LinkOptions, REDIRECT_POLICY } from '../../options/option-slices.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';
import { userQuery } from './link-outcome.js';

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

  constructor(
    @Inject(LINK_OPTIONS) private readonly options: LinkOptions,
    @Inject(REDIRECT_POLICY) private readonly policy: RedirectPolicy,
  ) {
    this.apiBase = `${options.appUrl}${options.urlPrefix}`;
  }

  /** The request's `next` (body, else query) when it is a safe redirect target. */
  next(request: RequestContext): string | undefined {
    return safeNext(request, this.policy);
  }

  /**
   * The user's `email` and `identity` for a SPA redirect's query: none
   * unless `redirectIncludeIdentity` (Flask-Security 5.9 leaves them out:
   * whoever holds a link learns no address from where it lands).
   */
  identityQuery(user: SecurityUser | null): Record<string, string> {
    return this.options.redirectIncludeIdentity ? userQuery(user) : {};
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
