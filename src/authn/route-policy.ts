import type { Reflector } from '@nestjs/core';
import { type AuthzRequirement, authzRequirementOf } from '../authz/authorize.js';
import { memoizeByRoute } from '../common/route-memo.js';
import { ANONYMOUS_REQUIRED_KEY, AUTH_REQUIRED_KEY, PUBLIC_KEY } from './authn.constants.js';
import type { AuthRequirement } from './decorators/auth-required.decorator.js';

/**
 * What SecurityGuard does on a route. An authenticated route carries its
 * roles/permissions requirement too (null: none), so the guard reads all of
 * a route's metadata in one cached lookup.
 */
export type RoutePolicy =
  { kind: 'public' } | { kind: 'anonymous' } | { kind: 'authenticated'; requirement: AuthRequirement; authz: AuthzRequirement | null };

const DEFAULT_REQUIREMENT: AuthRequirement = Object.freeze({ methods: undefined, within: -1, grace: undefined });

type StatedPolicy = { kind: 'public' } | { kind: 'anonymous' } | { kind: 'authenticated'; requirement: AuthRequirement };

/** The policy one level (the handler, or the controller) states, if any. */
function stated(reflector: Reflector, target: Function): StatedPolicy | undefined {
  if (reflector.get(PUBLIC_KEY, target)) return { kind: 'public' };
  if (reflector.get(ANONYMOUS_REQUIRED_KEY, target)) return { kind: 'anonymous' };
  const requirement: AuthRequirement | undefined = reflector.get(AUTH_REQUIRED_KEY, target);
  return requirement ? { kind: 'authenticated', requirement } : undefined;
}

function resolve(reflector: Reflector, handler: Function, controller: Function): RoutePolicy {
  const onHandler = stated(reflector, handler);
  const onController = stated(reflector, controller);
  const policy = onHandler ?? onController ?? { kind: 'authenticated', requirement: DEFAULT_REQUIREMENT };
  const authz = authzRequirementOf(reflector, handler, controller);
  if (policy.kind === 'authenticated') return { ...policy, authz };
  // A roles/permissions requirement (on the handler or its controller) always needs a user:
  // @Public() / @AnonymousRequired() cannot loosen it, as nothing loosens an authz requirement.
  if (authz) {
    const requirement = onController?.kind === 'authenticated' ? onController.requirement : DEFAULT_REQUIREMENT;
    return { kind: 'authenticated', requirement, authz };
  }
  return policy;
}

/**
 * The route's policy: what the handler states wins over what its controller
 * states; where neither says anything, authentication by the default
 * methods is required (the guard only runs where someone put it). A route
 * with a roles or permissions requirement always requires authentication.
 */
export const getRoutePolicy = memoizeByRoute(resolve);
