import { PUBLIC_KEY } from '../authn.constants.js';
import { securityMetadata } from './bind-security-guard.js';

/**
 * The route (or every route of the controller) is open: SecurityGuard, even
 * when installed globally through APP_GUARD, lets the request through
 * without authenticating it, and `@CurrentUser()` is undefined there.
 * A handler's decorator overrides its controller's.
 */
export function Public(): ClassDecorator & MethodDecorator {
  return securityMetadata(PUBLIC_KEY, true);
}
