import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { AuthMethod, ResolvedSecurityOptions } from '../../security.options.js';
import { Authenticator } from '../authenticator.service.js';
import { LoginService, type UserPayload, userPayload } from './login.service.js';

/** GET /login's answer: Flask-Security's login view for a JSON client. */
export interface LoginFormBody {
  /** What a user can sign in with: `email`, then `username` when usernames are on (Flask's get_identity_attributes). */
  identity_attributes: string[];
  /** Null with CSRF protection off. */
  csrf_token: string | null;
  /** Present when the caller is already signed in (a single page app reloading). */
  user?: UserPayload;
}

/**
 * GET /login, as Flask-Security answers a JSON GET of its login view: the
 * identity attributes and a CSRF token (the session's, else a pre-session
 * one), plus the user when the request is already signed in, so a single
 * page app that lost its state on a reload learns who it is. Open to
 * everyone, as in Flask (only POST refuses the signed-in).
 */
@Injectable()
export class LoginFormService {
  /** Flask's current_user comes from the session or a token, never from Basic credentials (which would cost a hash). */
  private readonly methods: readonly AuthMethod[];

  constructor(
    private readonly authenticator: Authenticator,
    private readonly login: LoginService,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    this.methods = options.defaultAuthMethods.filter((method) => method !== 'basic');
  }

  async describe(request: RequestContext, response: ResponseContext): Promise<LoginFormBody> {
    const identity_attributes = this.options.usernameEnable ? ['email', 'username'] : ['email'];
    const authentication = this.methods.length > 0 ? await this.authenticator.authenticate(request, this.methods) : false;
    const { csrf_token } = await this.login.csrfToken(request, response);
    return { ...(authentication ? { user: userPayload(authentication.user) } : {}), csrf_token, identity_attributes };
  }
}
