import { type INestApplicationContext, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { getRoutePolicy, type RoutePolicy } from '../authn/route-policy.js';
import { FLOW_FEATURES_KEY, type FlowFeature } from '../flows/common/flow-feature.js';
import { FEATURE_SWITCHES, type FeatureSwitches } from '../options/option-slices.js';
import { SecurityModule } from '../security.module.js';

/** One route of nest-security's HTTP API, as an app has it. */
export interface SecurityRoute {
  controller: Type;
  /** The handler's name on the controller's prototype, and the handler. */
  methodName: string;
  handler: Function;
  /** 'get', 'post', ... as OpenAPI names operations. */
  method: string;
  /** Under the module's prefix, Express-style, without a leading slash: 'reset/:token'. */
  path: string;
  /** `${METHOD} ${path}`: 'POST reset/:token', the key of the description table. */
  key: string;
  /** A mailed link's route (`@LinkRoute`): the last segment is the token. */
  link: boolean;
  /** Its flow's switches are on: the route answers rather than 404. */
  enabled: boolean;
  policy: RoutePolicy;
}

const reflector = new Reflector();

function joinPath(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/');
}

/** The path a handler is declared under, Fastify's link wildcard ('confirm/*') read as the token it is. */
function declaredPath(handler: Function): { path: string; link: boolean } {
  const raw = Reflect.getMetadata(PATH_METADATA, handler) as string | string[];
  const path = joinPath(Array.isArray(raw) ? (raw[0] ?? '') : raw);
  if (path.endsWith('/*')) return { path: `${path.slice(0, -2)}/:token`, link: true };
  return { path, link: path.endsWith('/:token') };
}

function featuresOf(target: Function): FlowFeature[] {
  return (Reflect.getMetadata(FLOW_FEATURES_KEY, target) as FlowFeature[] | undefined) ?? [];
}

/**
 * Every route SecurityModule registered in `app`: the controllers of its
 * module in the app's container (forRoot registers only the flows that are
 * on, forRootAsync all of them, gating those that are off), each handler's
 * method, path and policy, and whether its flow is on.
 */
export function securityRoutesOf(app: INestApplicationContext): SecurityRoute[] {
  const modules = [...app.get(ModulesContainer).values()].filter((module) => module.metatype === SecurityModule);
  if (modules.length === 0) throw new Error('nest-security/openapi: the app does not import SecurityModule');
  const switches = app.get<FeatureSwitches>(FEATURE_SWITCHES, { strict: false });
  const scanner = new MetadataScanner();
  const routes: SecurityRoute[] = [];
  for (const module of modules) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prototype = controller.prototype as Record<string, Function>;
      const controllerPath = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name]!;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const declared = declaredPath(handler);
        const path = joinPath(controllerPath, declared.path);
        const method = RequestMethod[requestMethod].toLowerCase();
        const features = [...featuresOf(controller), ...featuresOf(handler)];
        routes.push({
          controller,
          methodName: name,
          handler,
          method,
          path,
          key: `${method.toUpperCase()} ${path}`,
          link: declared.link,
          enabled: features.every((feature) => switches[feature]),
          policy: getRoutePolicy(reflector, handler, controller),
        });
      }
    }
  }
  return routes;
}
