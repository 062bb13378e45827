import { Injectable } from '@nestjs/common';
import { requestContext } from '../../http/index.js';
import type { Authentication } from '../authentication.js';
import { SessionService } from '../session/session.service.js';
import { SecurityStrategy } from './security-passport.js';

/**
 * 'session': the session cookie names a live session (SessionStore) whose
 * fs_uniquifier is still the user's, and the user is active.
 * Freshness is the session's `authenticated_at` (login or /verify).
 */
@Injectable()
export class SessionStrategy extends SecurityStrategy('session') {
  constructor(private readonly sessions: SessionService) {
    super();
  }

  async validate(platformRequest: object): Promise<Authentication | false> {
    const secret = this.sessions.secretFrom(requestContext(platformRequest));
    if (!secret) return false;
    const found = await this.sessions.authenticate(secret);
    if (!found) return false;
    return { user: found.user, method: 'session', authenticatedAt: found.session.authenticatedAt, session: found.session };
  }
}
