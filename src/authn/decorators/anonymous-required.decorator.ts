import { ANONYMOUS_REQUIRED_KEY } from '../authn.constants.js';
import { securityMetadata } from './bind-security-guard.js';

/**
 * Only callers who are not signed in (Flask-Security's
 * `anonymous_user_required`): a caller with a valid session or token gets
 * 400 `ANONYMOUS_REQUIRED`, as Flask-Security answers JSON requests.
 * Invalid credentials count as anonymous.
 */
export function AnonymousRequired(): ClassDecorator & MethodDecorator {
  return securityMetadata(ANONYMOUS_REQUIRED_KEY, true);
}
