import { Inject, Injectable } from '@nestjs/common';
import { CsrfFailedException } from '../../common/errors/security.exception.js';
import { timingSafeEqualStrings } from '../../core/signing/timing-safe-equal.js';
import type { StoredSession } from '../../storage/session-store.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import type { RequestContext } from '../../http/index.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const MAX_TOKEN_LENGTH = 256;

/**
 * CSRF protection for requests authenticated by the session cookie. Each
 * session has its own random token (in its row); the client gets it in the
 * readable `XSRF-TOKEN` cookie and in the login response (`csrf_token`), and
 * echoes it in the `X-XSRF-Token` header or a `csrf_token` body field on
 * every state-changing request. Token and Basic authentication need none:
 * a browser never adds those credentials on its own.
 */
@Injectable()
export class CsrfService {
  constructor(@Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions) {}

  get enabled(): boolean {
    return this.options.csrf.enabled;
  }

  /** POST, PUT, PATCH, DELETE (anything but GET, HEAD, OPTIONS, TRACE). */
  isStateChanging(request: RequestContext): boolean {
    return !SAFE_METHODS.has(request.method.toUpperCase());
  }

  /** The token the client sent: header first, then a `csrf_token` body field. */
  sentToken(request: RequestContext): string | undefined {
    const header = request.header(this.options.csrf.headerName);
    if (header) return header;
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const field = (body as Record<string, unknown>).csrf_token;
      if (typeof field === 'string') return field;
    }
    return undefined;
  }

  /** Throws 400 CSRF_FAILED unless the request carries the session's token (constant-time compare). */
  verify(request: RequestContext, session: StoredSession): void {
    if (!this.enabled) return;
    const sent = this.sentToken(request);
    const expected = session.csrfToken;
    if (!sent || !expected || sent.length > MAX_TOKEN_LENGTH || !timingSafeEqualStrings(sent, expected)) {
      throw new CsrfFailedException();
    }
  }

  /** The guard's rule: a state-changing request authenticated by the session must carry the token. */
  protect(request: RequestContext, session: StoredSession | undefined): void {
    if (this.enabled && session && this.isStateChanging(request)) this.verify(request, session);
  }
}
