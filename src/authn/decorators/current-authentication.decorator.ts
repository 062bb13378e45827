import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getAuthentication } from '../authentication.js';

/**
 * How the request was authenticated (`{ user, method, authenticatedAt,
 * session }`), or one of those fields: `@CurrentAuthentication('method') via:
 * AuthMethod`. Undefined on routes SecurityGuard does not authenticate.
 */
export const CurrentAuthentication = createParamDecorator((field: string | undefined, context: ExecutionContext) => {
  const authentication = getAuthentication(context.switchToHttp().getRequest<object>());
  return field && authentication ? (authentication as unknown as Record<string, unknown>)[field] : authentication;
});
