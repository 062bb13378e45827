import type { Provider } from '@nestjs/common';
import type { FlowFeature } from '../flows/common/flow-feature.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { AuthMethod, ResolvedSecurityOptions } from '../security.options.js';
import { redirectPolicy } from '../http/safe-redirect.js';

/**
 * The resolved options are validated once (SECURITY_OPTIONS) and handed out
 * in slices: a service injects the part it reads, so what it depends on is
 * visible in its constructor and it can be built in a test from that part.
 */

/** What links in mails and SPA redirects are built from (FlowLinks). */
export interface LinkOptions {
  readonly appUrl: string;
  /** The prefix the routes are mounted under: '' for the root. */
  readonly urlPrefix: string;
  readonly recoverable: boolean;
  readonly redirects: ResolvedSecurityOptions['redirects'];
  /** SPA redirects carry `email` and `identity` (redirectIncludeIdentity). */
  readonly redirectIncludeIdentity: boolean;
}
export const LINK_OPTIONS = Symbol('nest-security:link-options');

/** The flows' feature switches (which flows are mounted). */
export type FeatureSwitches = Readonly<Record<FlowFeature, boolean>>;
export const FEATURE_SWITCHES = Symbol('nest-security:feature-switches');

/** What authentication reads: the strategies tried where a route names none. */
export interface AuthnOptions {
  readonly defaultAuthMethods: readonly AuthMethod[];
}
export const AUTHN_OPTIONS = Symbol('nest-security:authn-options');

export function linkOptions(options: ResolvedSecurityOptions): LinkOptions {
  return Object.freeze({
    appUrl: options.appUrl,
    urlPrefix: options.urlPrefix === '/' ? '' : options.urlPrefix,
    recoverable: options.recoverable,
    redirects: options.redirects,
    redirectIncludeIdentity: options.redirectIncludeIdentity,
  });
}

/** Where `next` and the configured redirects may go (safeRedirect's policy). */
export const REDIRECT_POLICY = Symbol('nest-security:redirect-policy');

export function featureSwitches(options: ResolvedSecurityOptions): FeatureSwitches {
  return Object.freeze({
    registerable: options.registerable,
    confirmable: options.confirmable,
    recoverable: options.recoverable,
    changeable: options.changeable,
    changeEmail: options.changeEmail,
    usernameEnable: options.usernameEnable,
    usernameRecovery: options.usernameRecovery,
    passwordless: options.passwordless,
    unifiedSignin: options.unifiedSignin,
    changeUsername: options.changeUsername,
    sessionList: options.sessionList,
    twoFactor: options.twoFactor,
    multiFactorRecoveryCodes: options.multiFactorRecoveryCodes,
    webauthn: options.webauthn,
  });
}

export const OPTION_SLICE_PROVIDERS: Provider[] = [
  { provide: LINK_OPTIONS, useFactory: linkOptions, inject: [SECURITY_OPTIONS] },
  { provide: FEATURE_SWITCHES, useFactory: featureSwitches, inject: [SECURITY_OPTIONS] },
  { provide: REDIRECT_POLICY, useFactory: redirectPolicy, inject: [SECURITY_OPTIONS] },
  {
    provide: AUTHN_OPTIONS,
    useFactory: (options: ResolvedSecurityOptions): AuthnOptions => Object.freeze({ defaultAuthMethods: options.defaultAuthMethods }),
    inject: [SECURITY_OPTIONS],
  },
];
