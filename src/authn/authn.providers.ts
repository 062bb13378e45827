import type { Provider, Type } from '@nestjs/common';
import { Authenticator } from './authenticator.service.js';
import { UserCache } from './cache/user-cache.js';
import { CsrfService } from './csrf/csrf.service.js';
import { LoginLimitsService } from './limits/login-limits.service.js';
import { SendLimits } from './limits/send-limits.service.js';
import { LoginController } from './login/login.controller.js';
import { LoginFormService } from './login/login-form.service.js';
import { LoginService } from './login/login.service.js';
import { PasswordAuthenticator } from './login/password-authenticator.service.js';
import { RefreshTokenController } from './refresh/refresh-token.controller.js';
import { RefreshTokenEndpoint } from './refresh/refresh-token-endpoint.service.js';
import { RefreshTokenCookie } from './refresh/refresh-token-cookie.js';
import { SecurityGuard } from './security.guard.js';
import { SessionService } from './session/session.service.js';
import { BasicStrategy } from './strategies/basic.strategy.js';
import { SessionStrategy } from './strategies/session.strategy.js';
import { StrategyRegistry } from './strategies/strategy-registry.js';
import { TokenStrategy } from './strategies/token.strategy.js';

/** Sign-in's services, provided by SecurityModule. */
export const AUTHN_PROVIDERS: Provider[] = [
  LoginLimitsService,
  SendLimits,
  PasswordAuthenticator,
  SessionService,
  CsrfService,
  UserCache,
  TokenStrategy,
  SessionStrategy,
  BasicStrategy,
  StrategyRegistry,
  Authenticator,
  LoginService,
  LoginFormService,
  RefreshTokenEndpoint,
  RefreshTokenCookie,
  SecurityGuard,
];

/**
 * What SecurityModule exports: everything SecurityGuard needs (it is
 * instantiated in the app's modules, wherever it is bound) and the services
 * apps and flows use.
 */
export const AUTHN_EXPORTS = [
  LoginLimitsService,
  SendLimits,
  PasswordAuthenticator,
  SessionService,
  CsrfService,
  UserCache,
  StrategyRegistry,
  Authenticator,
  LoginService,
  SecurityGuard,
];

export const AUTHN_CONTROLLERS: Type[] = [LoginController, RefreshTokenController];
