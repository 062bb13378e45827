import type { Type } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import {
  ApiExtension,
  ApiOperation,
  ApiParam,
  ApiProperty,
  type ApiPropertyOptions,
  ApiQuery,
  ApiResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import { ANSWERS } from './answer-schemas.js';
import { propertySchemasOf } from './dto-schema.js';
import { describeRoute } from './route-descriptions.js';
import type { SecurityRoute } from './security-routes.js';

/** The extension each of nest-security's operations carries until createSecurityApiDocument finishes it. */
export const ROUTE_MARK = 'x-nest-security-route';

const ERROR: SchemaObject = { $ref: '#/components/schemas/SecurityError' } as SchemaObject;

// Decorations are class metadata, the same for every app: each class and handler is decorated once per process.
const described = new WeakSet<Function>();

function once(target: Function, decorate: () => void): void {
  if (described.has(target)) return;
  described.add(target);
  decorate();
}

/** 'UnifiedSigninController' → 'Unified signin'. */
function tagOf(controller: Type): string {
  const words = controller.name.replace(/Controller$/, '').split(/(?=[A-Z])/);
  return words.map((word, i) => (i === 0 ? word : word.toLowerCase())).join(' ');
}

/** Every class-validator DTO among the handler's parameters gets an @ApiProperty() per validated property. */
function describeDtos(route: SecurityRoute): void {
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.methodName) as Function[] | undefined) ?? [];
  for (const dto of types) {
    const properties = propertySchemasOf(dto);
    if (properties.size === 0) continue;
    once(dto, () => {
      for (const [name, schema] of properties) ApiProperty(schema as ApiPropertyOptions)(dto.prototype as object, name);
    });
  }
}

function describeHandler(route: SecurityRoute): void {
  const description = describeRoute(route.key);
  const status = (Reflect.getMetadata(HTTP_CODE_METADATA, route.handler) as number | undefined) ?? (route.method === 'post' ? 201 : 200);
  const answer = ANSWERS[description.answer];
  const decorators: MethodDecorator[] = [
    ApiExtension(ROUTE_MARK, route.key),
    ApiOperation({ summary: description.summary }),
    ApiResponse({ status, description: answer.description, schema: answer.schema }),
    ApiResponse({ status: 400, description: 'Bad input (`errors` per field), or a bad link or code', schema: ERROR }),
  ];
  if (route.policy.kind === 'authenticated') {
    decorators.push(
      ApiResponse({ status: 401, description: 'Not signed in (UNAUTHENTICATED), or not recently enough (REAUTH_REQUIRED)', schema: ERROR }),
    );
  }
  if (route.link) {
    decorators.push(
      ApiParam({ name: 'token', type: String, description: 'The token of the mailed link' }),
      ApiResponse({ status: 302, description: 'A browser is redirected to the page the module is configured with' }),
    );
  }
  if (description.includeAuthToken) {
    decorators.push(
      ApiQuery({
        name: 'include_auth_token',
        required: false,
        allowEmptyValue: true,
        type: String,
        description: 'Present (any value): the answer carries `authentication_token`',
      }),
    );
  }
  for (const [name, text] of Object.entries(description.query ?? {})) {
    decorators.push(ApiQuery({ name, required: true, type: String, description: text }));
  }
  const descriptor = { value: route.handler };
  for (const decorate of decorators) decorate(route.controller.prototype as object, route.methodName, descriptor);
}

/**
 * Puts swagger's decorators on nest-security's controllers, handlers and
 * DTOs, derived from what they already declare: the DTOs' class-validator
 * rules, the route table's summaries and answers, the link token. What
 * depends on the app (which flows are on, accepted credentials) is left to
 * the document itself: see createSecurityApiDocument.
 */
export function describeSecurityRoutes(routes: readonly SecurityRoute[]): void {
  for (const route of routes) {
    once(route.controller, () => ApiTags(tagOf(route.controller))(route.controller));
    once(route.handler, () => describeHandler(route));
    describeDtos(route);
  }
}
