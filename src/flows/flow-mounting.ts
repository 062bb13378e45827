import type { ServerResponse } from 'node:http';
import { HttpStatus, Injectable, type MiddlewareConsumer, type NestMiddleware, type Type } from '@nestjs/common';
import { SecurityErrorCode, SecurityException } from '../common/errors/index.js';
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
 */
@Injectable()
export class DisabledFlowMiddleware implements NestMiddleware {
  // Middleware gets Node's own response on both platforms (Fastify passes the raw one), so the
  // answer is written here, in the shape SecurityExceptionFilter gives every error.
  use(_request: unknown, response: ServerResponse): void {
    const body = new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'Not Found').getResponse();
    response.statusCode = HttpStatus.NOT_FOUND;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(body));
  }
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
