import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SessionService } from '../../authn/session/session.service.js';
import type { SecurityUser } from '../../datastore/entities/security-user.entity.js';
import { TokenFactory } from '../../tokens/token.factory.js';

/** What a flow answers after signing the user in: the login answer's shape. */
export interface SignedInBody {
  user: { id: number; email: string; roles: string[] };
  authentication_token?: string;
  csrf_token?: string;
}

/**
 * Signs a user in at the end of a flow (register, confirm, reset, change),
 * as Flask-Security's login_user: a new session and its cookie, and the auth
 * token when the request asks with `?include_auth_token`.
 * TEMPORARY: direct on SessionService until authn's login service lands.
 */
@Injectable()
export class FlowSignIn {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: TokenFactory,
  ) {}

  async signIn(request: Request, response: Response, user: SecurityUser, _via: string): Promise<SignedInBody> {
    const { secret, session } = await this.sessions.create(user);
    this.sessions.writeCookies(response, secret, session);
    const body: SignedInBody = { user: { id: user.id, email: user.email, roles: (user.roles ?? []).map((role) => role.name) } };
    if (request.query && 'include_auth_token' in request.query) body.authentication_token = this.tokens.auth(user);
    if (session.csrfToken) body.csrf_token = session.csrfToken;
    return body;
  }
}
