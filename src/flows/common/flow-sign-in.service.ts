import { Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { LoginService, type SignedInBody } from '../../authn/login/login.service.js';
import { PasswordAuthenticator } from '../../authn/login/password-authenticator.service.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';

/**
 * Signs a user in at the end of a flow (register, confirm, reset, change),
 * through authn's LoginService (Flask-Security's login_user): the session
 * the request came with ends, a new one starts with its cookies, trackable
 * fields and `user.authenticated` (with `via`) follow, and the auth token
 * is returned when the request asks with `?include_auth_token`.
 */
@Injectable()
export class FlowSignIn {
  constructor(
    private readonly login: LoginService,
    private readonly passwords: PasswordAuthenticator,
  ) {}

  /** Whether a flow may sign this user in: the rule of login (active; confirmed when confirmation is required). */
  maySignIn(user: SecurityUser): boolean {
    return this.passwords.maySignIn(user);
  }

  signIn(request: RequestContext, response: ResponseContext, user: SecurityUser, via: string): Promise<SignedInBody> {
    return this.login.signIn(request, response, user, via);
  }
}
