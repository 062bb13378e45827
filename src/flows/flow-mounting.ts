import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type MiddlewareConsumer, type NestMiddleware, NotFoundException, type Type } from '@nestjs/common';
import { toFlaskSecurityError, toSecurityErrorResponse } from '../common/errors/index.js';
import { withVary } from '../http/no-store.js';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { FLOW_FEATURES_KEY, type FlowFeature } from './common/flow-feature.js';
import { FLOW_CONTROLLERS } from './flows.providers.js';
import { PASSWORDLESS_CONTROLLERS } from './passwordless/passwordless.providers.js';
import { UNIFIED_SIGNIN_CONTROLLERS } from './unified-signin/unified-signin.providers.js';
import { TWO_FACTOR_CONTROLLERS } from './two-factor/two-factor.providers.js';
import { WEBAUTHN_CONTROLLERS } from './webauthn/webauthn.providers.js';

/** Every flow controller; each needs the feature switches its @FlowController() names. */
export const ALL_FLOW_CONTROLLERS: readonly Type[] = [
  ...FLOW_CONTROLLERS,
  ...PASSWORDLESS_CONTROLLERS,
  ...UNIFIED_SIGNIN_CONTROLLERS,
  ...TWO_FACTOR_CONTROLLERS,
  ...WEBAUTHN_CONTROLLERS,
];

function featuresOf(controller: Type): FlowFeature[] {
  return (Reflect.getMetadata(FLOW_FEATURES_KEY, controller) as FlowFeature[] | undefined) ?? [];
}

/** The flow controllers whose switches are all on (`isOn`) or, with `on: false`, the others. */
export function flowControllers(isOn: (feature: FlowFeature) => boolean, on = true): Type[] {
  return ALL_FLOW_CONTROLLERS.filter((controller) => featuresOf(controller).every(isOn) === on);
}

/**
 * Answers 404 NOT_FOUND before anything else on the routes of a flow that is
 * off. Middleware runs before every guard, global ones included, so an
 * anonymous caller gets 404, not the 401 of an app's global SecurityGuard.
 * The answer is the one the route would get were it not mounted (forRoot):
 * Nest's "Cannot GET /path" through SecurityExceptionFilter, in the shape
 * `responseShape` asks for, plus the no-store cache headers of every
 * answer of the module's controllers.
 */
@Injectable()
export class DisabledFlowMiddleware implements NestMiddleware {
  constructor(@Inject(SECURITY_OPTIONS) private readonly options: Pick<ResolvedSecurityOptions, 'responseShape'>) {}

  // Middleware gets Node's own request and response on Fastify (Express's are Node's too), so
  // the answer is written here, as SecurityExceptionFilter and NoStoreInterceptor would write it.
  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse): void {
    const plain = toSecurityErrorResponse(new NotFoundException(`Cannot ${request.method} ${request.originalUrl ?? request.url}`));
    const { status, body } = this.options.responseShape === 'flask-security' ? toFlaskSecurityError(plain) : plain;
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Vary', withVary(headerText(response.getHeader('Vary')), 'Cookie'));
    response.end(JSON.stringify(body));
  }
}

function headerText(value: number | string | string[] | undefined): string | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * With forRootAsync every flow controller is registered (the switches are
 * not known when the module is built): the ones that turn out to be off get
 * DisabledFlowMiddleware. With forRoot only the flows that are on are
 * registered, and this adds nothing.
 */
export function gateDisabledFlows(consumer: MiddlewareConsumer, mounted: readonly Type[], isOn: (feature: FlowFeature) => boolean): void {
  const disabled = mounted.filter((controller) => !featuresOf(controller).every(isOn));
  if (disabled.length > 0) consumer.apply(DisabledFlowMiddleware).forRoutes(...disabled);
}
