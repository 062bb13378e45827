import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SecurityRequest, SecurityResponse } from '../../authn/authentication.js';
import { LoginService, type SignedInBody } from '../../authn/login/login.service.js';
import type { SecurityUser } from '../../datastore/entities/security-user.entity.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';

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
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  /** Whether a flow may sign this user in: active, and confirmed unless confirmation is not required (as login). */
  maySignIn(user: SecurityUser): boolean {
    return user.active && !(this.options.confirmable && !this.options.loginWithoutConfirmation && !user.confirmedAt);
  }

  signIn(request: Request, response: Response, user: SecurityUser, via: string): Promise<SignedInBody> {
    return this.login.signIn(request as unknown as SecurityRequest, response as unknown as SecurityResponse, user, via);
  }
}
