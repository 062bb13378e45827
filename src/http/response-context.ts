import { withSetCookie } from './cookie-header.js';
import { flaskSecuritySuccess, type ResponseShape } from './response-shape.js';

/** The response as nest-security writes it, on Express and on Fastify alike. */
export interface ResponseContext {
  /** The headers are on the wire: nothing more can be set. */
  readonly headersSent: boolean;
  /**
   * The JSON shape this answer takes: 'flask-security' on the module's routes
   * when `responseShape` says so (set by SecurityRouteInterceptor). json()
   * then wraps successes in Flask-Security's envelope; error bodies come
   * already shaped from the SecurityExceptionFilter.
   */
  shape: ResponseShape;
  setHeader(name: string, value: string): void;
  /** A header set so far on this response (several values joined with ", "). */
  getHeader(name: string): string | undefined;
  /** Adds a Set-Cookie (a serialized cookie), replacing an earlier one of the same name in this response. */
  setCookie(cookie: string): void;
  /** Sends a redirect to `url` (302 unless told). */
  redirect(url: string, status?: number): void;
  /** Sends `body` as JSON with `status` (a success in Flask-Security's envelope when `shape` says so). */
  json(status: number, body: unknown): void;
  /** Ends a response whose headers were already sent (an error mid-response). */
  end(): void;
}

/** Express's response: Node's ServerResponse plus `status`, `json` and `redirect`. */
interface ExpressResponse {
  headersSent: boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string | string[]): unknown;
  status(code: number): { json(body: unknown): unknown };
  redirect(status: number, url: string): void;
  end(): unknown;
}

/** Fastify's reply: its own header map until `send`, Node's response as `raw`. */
interface FastifyReply {
  sent: boolean;
  raw: { headersSent: boolean; end(): unknown };
  getHeader(name: string): unknown;
  header(name: string, value: unknown): unknown;
  removeHeader(name: string): unknown;
  code(status: number): { send(body: unknown): unknown };
  redirect(url: string, status?: number): unknown;
}

function isFastifyReply(response: object): response is FastifyReply {
  const reply = response as Partial<FastifyReply>;
  return typeof reply.code === 'function' && typeof reply.header === 'function' && typeof reply.raw === 'object';
}

function isExpressResponse(response: object): response is ExpressResponse {
  const res = response as Partial<ExpressResponse>;
  return typeof res.setHeader === 'function' && typeof res.status === 'function' && typeof res.redirect === 'function';
}

/** A success body as `shape` wants it; errors (4xx, 5xx) are shaped by the filter, never here. */
function shapedBody(shape: ResponseShape, status: number, body: unknown): unknown {
  return shape === 'flask-security' && status < 400 ? flaskSecuritySuccess(status, body) : body;
}

class ExpressResponseContext implements ResponseContext {
  shape: ResponseShape = 'nest-security';

  constructor(private readonly response: ExpressResponse) {}

  get headersSent(): boolean {
    return this.response.headersSent;
  }

  setHeader(name: string, value: string): void {
    this.response.setHeader(name, value);
  }

  getHeader(name: string): string | undefined {
    return headerText(this.response.getHeader(name));
  }

  setCookie(cookie: string): void {
    if (this.headersSent) return;
    this.response.setHeader('Set-Cookie', withSetCookie(this.response.getHeader('Set-Cookie'), cookie));
  }

  redirect(url: string, status = 302): void {
    this.response.redirect(status, url);
  }

  json(status: number, body: unknown): void {
    this.response.status(status).json(shapedBody(this.shape, status, body));
  }

  end(): void {
    this.response.end();
  }
}

class FastifyResponseContext implements ResponseContext {
  shape: ResponseShape = 'nest-security';

  constructor(private readonly reply: FastifyReply) {}

  get headersSent(): boolean {
    return this.reply.sent || this.reply.raw.headersSent;
  }

  setHeader(name: string, value: string): void {
    this.reply.header(name, value);
  }

  getHeader(name: string): string | undefined {
    return headerText(this.reply.getHeader(name));
  }

  setCookie(cookie: string): void {
    if (this.headersSent) return;
    const list = withSetCookie(this.reply.getHeader('set-cookie'), cookie);
    // Fastify appends to an existing Set-Cookie: drop it first so a cookie set twice is sent once.
    this.reply.removeHeader('set-cookie');
    this.reply.header('set-cookie', list);
  }

  redirect(url: string, status = 302): void {
    this.reply.redirect(url, status);
  }

  json(status: number, body: unknown): void {
    this.reply.code(status).send(shapedBody(this.shape, status, body));
  }

  end(): void {
    this.reply.raw.end();
  }
}

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

const contexts = new WeakMap<object, ResponseContext>();

/**
 * The ResponseContext of a platform response (Express's `res`, Fastify's
 * reply: what `@Res()` gives), told apart by shape so that neither platform
 * package is loaded by the library.
 */
export function responseContext(response: object): ResponseContext {
  let context = contexts.get(response);
  if (!context) {
    if (isFastifyReply(response)) context = new FastifyResponseContext(response);
    else if (isExpressResponse(response)) context = new ExpressResponseContext(response);
    else throw new TypeError('nest-security answers HTTP on @nestjs/platform-express or @nestjs/platform-fastify only');
    contexts.set(response, context);
  }
  return context;
}
