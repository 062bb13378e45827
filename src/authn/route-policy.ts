import type { Reflector } from '@nestjs/core';
import {
  PERMISSIONS_ACCEPTED_KEY,
  PERMISSIONS_REQUIRED_KEY,
  ROLES_ACCEPTED_KEY,
  ROLES_REQUIRED_KEY,
} from '../authz/authz.constants.js';
import { ANONYMOUS_REQUIRED_KEY, AUTH_REQUIRED_KEY, PUBLIC_KEY } from './authn.constants.js';
import type { AuthRequirement } from './decorators/auth-required.decorator.js';

/** What SecurityGuard does on a route. */
export type RoutePolicy =
  | { kind: 'public' }
  | { kind: 'anonymous' }
  | { kind: 'authenticated'; requirement: AuthRequirement };

const DEFAULT_REQUIREMENT: AuthRequirement = Object.freeze({ methods: undefined, within: -1, grace: undefined });
const AUTHZ_KEYS = [ROLES_REQUIRED_KEY, ROLES_ACCEPTED_KEY, PERMISSIONS_REQUIRED_KEY, PERMISSIONS_ACCEPTED_KEY];

// handler -> controller -> policy. Metadata is fixed once the app is built.
const cache = new WeakMap<Function, WeakMap<Function, RoutePolicy>>();

/** The policy one level (the handler, or the controller) states, if any. */
function stated(reflector: Reflector, target: Function): RoutePolicy | undefined {
  if (reflector.get(PUBLIC_KEY, target)) return { kind: 'public' };
  if (reflector.get(ANONYMOUS_REQUIRED_KEY, target)) return { kind: 'anonymous' };
  const requirement: AuthRequirement | undefined = reflector.get(AUTH_REQUIRED_KEY, target);
  return requirement ? { kind: 'authenticated', requirement } : undefined;
}

function resolve(reflector: Reflector, handler: Function, controller: Function): RoutePolicy {
  const onHandler = stated(reflector, handler);
  const onController = stated(reflector, controller);
  const policy = onHandler ?? onController ?? { kind: 'authenticated', requirement: DEFAULT_REQUIREMENT };
  // A roles/permissions requirement (on the handler or its controller) always needs a user:
  // @Public() / @AnonymousRequired() cannot loosen it, as nothing loosens an authz requirement.
  const hasAuthz = AUTHZ_KEYS.some((key) => reflector.get(key, handler) !== undefined || reflector.get(key, controller) !== undefined);
  if (hasAuthz && policy.kind !== 'authenticated') {
    return onController?.kind === 'authenticated' ? onController : { kind: 'authenticated', requirement: DEFAULT_REQUIREMENT };
  }
  return policy;
}

/**
 * The route's policy: what the handler states wins over what its controller
 * states; where neither says anything, authentication by the default
 * methods is required (the guard only runs where someone put it). A route
 * with a roles or permissions requirement always requires authentication.
 */
export function getRoutePolicy(reflector: Reflector, handler: Function, controller: Function): RoutePolicy {
  let byController = cache.get(handler);
  if (!byController) cache.set(handler, (byController = new WeakMap()));
  let policy = byController.get(controller);
  if (!policy) {
    policy = resolve(reflector, handler, controller);
    byController.set(controller, policy);
  }
  return policy;
}
