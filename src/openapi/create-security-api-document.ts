import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, type OperationObject, type PathItemObject, type SwaggerDocumentOptions, SwaggerModule } from '@nestjs/swagger';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { ANSWER_SCHEMAS } from './answer-schemas.js';
import { describeSecurityRoutes, ROUTE_MARK } from './describe-security-routes.js';
import { securityOf, securitySchemes } from './security-schemes.js';
import { type SecurityRoute, securityRoutesOf } from './security-routes.js';

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type MarkedOperation = OperationObject & { [ROUTE_MARK]?: string };

/**
 * Per app: drops the operations of flows that are off (forRootAsync
 * registers them and answers 404), states how each route accepts a caller,
 * names Fastify's link wildcard `{token}` as on Express, and adds the
 * answer schemas and security schemes the operations refer to.
 */
function finishDocument(document: OpenAPIObject, routes: readonly SecurityRoute[], options: ResolvedSecurityOptions): OpenAPIObject {
  const byKey = new Map(routes.map((route) => [route.key, route]));
  const paths: Record<string, PathItemObject> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of OPERATIONS) {
      const operation = item[method] as MarkedOperation | undefined;
      const key = operation?.[ROUTE_MARK];
      if (!operation || key === undefined) continue;
      delete operation[ROUTE_MARK];
      delete item[method];
      const route = byKey.get(key);
      if (!route?.enabled) continue;
      const security = securityOf(route.policy, options);
      if (security) operation.security = security;
      // Fastify declares a link route `confirm/*`, which swagger names `{path}`.
      const finalPath = route.link ? path.replace(/\/\{path\}$/, '/{token}') : path;
      paths[finalPath] = { ...paths[finalPath], [method]: operation };
    }
    if (OPERATIONS.some((method) => item[method])) paths[path] = { ...item, ...paths[path] };
  }
  const components = document.components ?? {};
  return {
    ...document,
    paths,
    components: {
      ...components,
      schemas: { ...components.schemas, ...ANSWER_SCHEMAS },
      securitySchemes: { ...securitySchemes(options), ...components.securitySchemes },
    },
  };
}

/**
 * `SwaggerModule.createDocument(app, config, options)` with nest-security's
 * routes documented: every route the app mounts (the flows that are on,
 * under the module's prefix), its summary, body schema (from the DTO's
 * class-validator rules), answers, link token, `?include_auth_token` and
 * the credentials it accepts. The app's own routes are documented as
 * SwaggerModule documents them.
 *
 * ```ts
 * const config = new DocumentBuilder().setTitle('My app').build();
 * SwaggerModule.setup('docs', app, createSecurityApiDocument(app, config));
 * ```
 */
export function createSecurityApiDocument(
  app: INestApplication,
  config: Omit<OpenAPIObject, 'paths'>,
  options?: SwaggerDocumentOptions,
): OpenAPIObject {
  const routes = securityRoutesOf(app);
  describeSecurityRoutes(routes);
  const document = SwaggerModule.createDocument(app, config, options);
  return finishDocument(document, routes, app.get<ResolvedSecurityOptions>(SECURITY_OPTIONS, { strict: false }));
}
