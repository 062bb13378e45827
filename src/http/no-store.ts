import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { type ResponseContext, responseContext } from './response-context.js';

/**
 * Keeps credentials and user data out of caches: `Cache-Control: no-store`
 * (nothing stored, by browsers or proxies), and, where the session cookie
 * decides the answer, `Vary: Cookie` (added to a Vary already set), so a
 * cache that ignores no-store still does not serve one user's answer to
 * another. Does nothing once the headers are sent.
 */
export function preventCaching(response: ResponseContext, { varyCookie }: { varyCookie: boolean }): void {
  if (response.headersSent) return;
  response.setHeader('Cache-Control', 'no-store');
  if (varyCookie) response.setHeader('Vary', withVary(response.getHeader('Vary'), 'Cookie'));
}

/** A Vary value with `field` added once (case-insensitive); `*` stays `*`. */
export function withVary(existing: string | undefined, field: string): string {
  const fields = (existing ?? '')
    .split(',')
    .map((each) => each.trim())
    .filter((each) => each !== '');
  if (fields.includes('*') || fields.some((each) => each.toLowerCase() === field.toLowerCase())) return fields.join(', ');
  return [...fields, field].join(', ');
}

/**
 * Bound on every nest-security controller: each of their answers (sign-in,
 * tokens, flows, followed links and their redirects, and the errors raised
 * by handlers and pipes) carries a credential, user data or depends on the
 * session cookie, so all get `Cache-Control: no-store` and `Vary: Cookie`.
 * The headers are set before the handler runs, so they are on whatever
 * answer follows: JSON, a redirect or an error. (A request SecurityGuard
 * authenticates gets them from the guard already, before this runs.)
 */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') preventCaching(responseContext(context.switchToHttp().getResponse<object>()), { varyCookie: true });
    return next.handle();
  }
}
