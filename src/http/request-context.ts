import { cookieFromHeader } from './cookie-header.js';

/**
 * The request as nest-security reads it, on Express and on Fastify alike.
 * Services, the guard and the filter see only this, never a platform type.
 */
export interface RequestContext {
  /** The platform's own request object (what `@Req()` gives); authentication is recorded against it. */
  readonly platformRequest: object;
  readonly method: string;
  /** The URL's path, without the query string. */
  readonly path: string;
  /** The client address as the platform sees it (its `request.ip`, which honours its trust-proxy setting). */
  readonly ip: string;
  /** The parsed query string (empty when there is none). */
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed body, as the platform's body parser left it. */
  readonly body: unknown;
  /** One header's value (the first, when repeated). */
  header(name: string): string | undefined;
  /** One cookie of the Cookie header. */
  cookie(name: string): string | undefined;
}

/**
 * What Express's request and Fastify's request have in common, and all we
 * read: both give `ip` (trust-proxy aware), `headers` (Node's lower-cased
 * map), `query` and `body`.
 */
interface PlatformRequest {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  query?: unknown;
  body?: unknown;
  socket?: { remoteAddress?: string };
}

const EMPTY_QUERY: Readonly<Record<string, unknown>> = Object.freeze({});

class PlatformRequestContext implements RequestContext {
  constructor(readonly platformRequest: PlatformRequest) {}

  get method(): string {
    return this.platformRequest.method ?? 'GET';
  }

  get path(): string {
    const url = this.platformRequest.url ?? '/';
    const query = url.indexOf('?');
    return query < 0 ? url : url.slice(0, query);
  }

  get ip(): string {
    return this.platformRequest.ip ?? this.platformRequest.socket?.remoteAddress ?? 'unknown';
  }

  get query(): Readonly<Record<string, unknown>> {
    const query = this.platformRequest.query;
    return query && typeof query === 'object' ? (query as Record<string, unknown>) : EMPTY_QUERY;
  }

  get body(): unknown {
    return this.platformRequest.body;
  }

  header(name: string): string | undefined {
    const value = this.platformRequest.headers?.[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  cookie(name: string): string | undefined {
    const raw = this.platformRequest.headers?.cookie;
    return cookieFromHeader(Array.isArray(raw) ? raw.join('; ') : raw, name);
  }
}

// One context per platform request, so the guard, strategies and services share it.
const contexts = new WeakMap<object, RequestContext>();

/** The RequestContext of a platform request (Express's `req`, Fastify's `request`), or the context itself. */
export function requestContext(request: object): RequestContext {
  if (request instanceof PlatformRequestContext) return request;
  let context = contexts.get(request);
  if (!context) {
    context = new PlatformRequestContext(request as PlatformRequest);
    contexts.set(request, context);
  }
  return context;
}

/** The platform request behind a context (or the object itself when it is one). */
export function platformRequestOf(request: object): object {
  return request instanceof PlatformRequestContext ? request.platformRequest : request;
}
