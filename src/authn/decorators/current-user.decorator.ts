import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SecurityRequestState } from '../authentication.js';

/**
 * The authenticated user (`request.user`), or one of its properties:
 * `@CurrentUser() user: User`, `@CurrentUser('email') email: string`.
 * Undefined on routes SecurityGuard does not protect.
 */
export const CurrentUser = createParamDecorator((property: string | undefined, context: ExecutionContext) => {
  const user = context.switchToHttp().getRequest<SecurityRequestState>().user;
  return property && user ? (user as unknown as Record<string, unknown>)[property] : user;
});
