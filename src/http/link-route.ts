import { type ExecutionContext, Get, NotFoundException, Post, createParamDecorator } from '@nestjs/common';

/**
 * Routes whose last segment is a mailed link's token (`GET /confirm/:token`
 * and the like). The tokens are ~180 characters, and Fastify's router
 * refuses a route parameter over 100 (`maxParamLength`, 414) unless the app
 * raised it; its wildcard has no such cap. So the same URL is declared
 * `<path>/:token` for Express and `<path>/*` for Fastify, chosen when the
 * app registers its routes (SecurityHttpModule), and the handler reads the
 * token with `@LinkToken()`, which accepts exactly one non-empty segment on
 * both, as `:token` does.
 */
const linkRoutes: Array<(wildcard: boolean) => void> = [];

export function LinkRoute(method: 'GET' | 'POST', path: string): MethodDecorator {
  return (target, key, descriptor) => {
    const route = method === 'GET' ? Get : Post;
    const declare = (wildcard: boolean) => route(wildcard ? `${path}/*` : `${path}/:token`)(target, key, descriptor);
    declare(false);
    linkRoutes.push(declare);
  };
}

/**
 * Declares every link route for the platform about to register them
 * (`HttpAdapter.getType()`). Runs before each app's routes are registered;
 * apps on different platforms initialized concurrently in one process are
 * not supported.
 */
export function declareLinkRoutesFor(platform: string | undefined): void {
  const wildcard = platform === 'fastify';
  for (const declare of linkRoutes) declare(wildcard);
}

interface RequestWithParams {
  method?: string;
  url?: string;
  params?: Record<string, unknown>;
}

/** The token of a `@LinkRoute`: Express's `:token`, or Fastify's wildcard when it is one segment. */
export const LinkToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<RequestWithParams>();
  const params = request.params ?? {};
  const token = params.token ?? params['*'];
  if (typeof token !== 'string' || token === '' || token.includes('/')) {
    // What the router answers for a path no route matches (Express: `/confirm/a/b`).
    throw new NotFoundException(`Cannot ${request.method ?? 'GET'} ${(request.url ?? '').split('?')[0]}`);
  }
  return token;
});
