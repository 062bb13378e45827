import type { SecurityRequirementObject, SecuritySchemeObject } from '@nestjs/swagger';
import { AUTH_METHOD_ORDER } from '../authn/authn.constants.js';
import type { RoutePolicy } from '../authn/route-policy.js';
import type { ResolvedSecurityOptions } from '../security.options.js';

/**
 * The security schemes of the built-in strategies, named as they appear in
 * the document's `components.securitySchemes` (prefixed, apart from an
 * app's own schemes). An auth token is read from either header.
 */
export function securitySchemes(options: ResolvedSecurityOptions): Record<string, SecuritySchemeObject> {
  return {
    SecurityAuthToken: {
      type: 'apiKey',
      in: 'header',
      name: 'Authentication-Token',
      description: 'The `authentication_token` of a sign-in answer (`?include_auth_token`).',
    },
    SecurityBearer: { type: 'http', scheme: 'bearer', description: 'The same auth token, as `Authorization: Bearer`.' },
    SecuritySession: {
      type: 'apiKey',
      in: 'cookie',
      name: options.session.cookieName,
      description: `The session cookie a sign-in sets. Unsafe methods also need the CSRF token (${options.csrf.headerName} header or \`csrf_token\`).`,
    },
    SecurityBasic: { type: 'http', scheme: 'basic', description: 'HTTP Basic with email (or username) and password.' },
  };
}

const SCHEMES_OF_METHOD: Record<string, SecurityRequirementObject[]> = {
  token: [{ SecurityAuthToken: [] }, { SecurityBearer: [] }],
  session: [{ SecuritySession: [] }],
  basic: [{ SecurityBasic: [] }],
};

/**
 * An operation's `security`: alternatives, one per way the route accepts a
 * caller (its `@AuthRequired` methods, or the module's `defaultAuthMethods`).
 * Open routes say so with `[]`. An app's own strategies have no scheme here
 * (the app documents them): a route that takes only those gets no `security`.
 */
export function securityOf(policy: RoutePolicy, options: ResolvedSecurityOptions): SecurityRequirementObject[] | undefined {
  if (policy.kind !== 'authenticated') return [];
  const methods = policy.requirement.methods ?? options.defaultAuthMethods;
  // In the order SecurityGuard tries them.
  const security = AUTH_METHOD_ORDER.filter((method) => methods.includes(method)).flatMap((method) => SCHEMES_OF_METHOD[method]);
  return security.length > 0 ? security : undefined;
}
