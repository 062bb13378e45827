import { Delete, Get, HttpCode, HttpStatus, Param, Res } from '@nestjs/common';
import { responseContext } from '../../http/index.js';
import type { Authentication } from '../../authn/authentication.js';
import { AuthRequired, CurrentAuthentication } from '../../authn/decorators/index.js';
import { SessionService } from '../../authn/session/session.service.js';
import { FlowController } from '../common/flow-controller.decorator.js';
import { SessionListService } from './session-list.service.js';

/**
 * The caller's sessions (`sessionList`, on by default). Session or token
 * authentication; a cookie-authenticated DELETE needs the CSRF token, as
 * every state change does (SecurityGuard).
 */
@FlowController('sessionList')
export class SessionsController {
  constructor(
    private readonly sessionList: SessionListService,
    private readonly sessions: SessionService,
  ) {}

  /** → 200 `{ sessions: [{ id, device, ip, created_at, last_seen_at, current }] }`, the most recently seen first. */
  @Get('sessions')
  @AuthRequired()
  async list(@CurrentAuthentication() authentication: Authentication) {
    return { sessions: await this.sessionList.list(authentication) };
  }

  /** Ends every session but this one ("sign out everywhere else") → 200 `{ ended }`. */
  @Delete('sessions')
  @AuthRequired()
  @HttpCode(HttpStatus.OK)
  async endOthers(@CurrentAuthentication() authentication: Authentication) {
    const { ended } = await this.sessionList.endOthers(authentication);
    return { ended };
  }

  /** Ends one of the caller's sessions → 200 `{ ended: 1 }`; 404 NOT_FOUND for an unknown id or another user's. */
  @Delete('sessions/:id')
  @AuthRequired()
  @HttpCode(HttpStatus.OK)
  async end(
    @CurrentAuthentication() authentication: Authentication,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: object,
  ) {
    const { ended, endedCurrent } = await this.sessionList.end(authentication, id);
    // Ending the session this request came with is a logout: the browser forgets its cookies too.
    if (endedCurrent) this.sessions.clearCookies(responseContext(response));
    return { ended };
  }
}
