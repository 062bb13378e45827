/**
 * Every body field of every route the module mounts, given a value of the
 * wrong type, answers 400 VALIDATION_ERROR with an error under that field;
 * bodies too deep, too wide or too long are 400 BODY_TOO_COMPLEX; no
 * hostile body is ever a 500. Routes and fields are read from the running
 * app (Nest's route metadata, class-validator's metadata storage), so a new
 * route or field is covered without editing this file.
 */
import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import request from 'supertest';
import { AUTHN_CONTROLLERS } from '../../src/authn/authn.providers.js';
import { getRoutePolicy } from '../../src/authn/route-policy.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { ALL_FLOW_CONTROLLERS } from '../../src/flows/flow-mounting.js';
import { SECURITY_URL_PREFIX } from '../../src/security.constants.js';
import { SecurityModule } from '../../src/security.module.js';
import { createFlowsApp, type FlowsApp } from '../support/flows-app.js';
import { TEST_PLATFORMS } from '../support/platform.js';

const PASSWORD = 'a long enough passphrase';

type FieldKind = 'string' | 'boolean' | 'string[]';
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

interface BodyField {
  name: string;
  kind: FieldKind;
  /** MaxLength of the string (of each item for string[]). */
  maxLength?: number;
  /** ArrayMaxSize, for string[]. */
  maxItems?: number;
  isEmail: boolean;
}

interface BodyRoute {
  /** `POST /auth/reset/:token`, for failure messages. */
  name: string;
  method: 'post' | 'put' | 'patch' | 'delete';
  url: string;
  authenticated: boolean;
  dto: Type;
  fields: BodyField[];
}

/** Wrong values for each kind of field: an object, array, number, boolean or null where a string belongs, and so on. */
const WRONG_VALUES: Record<FieldKind, unknown[]> = {
  string: [{}, { $ne: '' }, [], ['a string in an array'], 42, 0, -1.5, true, false, null],
  boolean: ['true', 'false', '', {}, [], [true], 1, 0, null],
  'string[]': ['email', {}, { 0: 'email' }, 42, true, null, [42], [{}], [null], [['email']], [true]],
};

const REQUEST_METHODS: Partial<Record<RequestMethod, BodyRoute['method']>> = {
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/** A valid-looking value per field name, for bodies that get past validation (unknown names get a plain string). */
const PLAUSIBLE: Record<string, unknown> = {
  email: 'hostile-bodies@example.com',
  identity: 'hostile-bodies@example.com',
  username: 'hostilebodies',
  password: PASSWORD,
  password_confirm: PASSWORD,
  new_password: 'another long passphrase',
  new_password_confirm: 'another long passphrase',
  passcode: '123456',
  chosen_method: 'email',
  delete_method: ['email'],
  remember: true,
};

function fieldsOf(dto: Type): BodyField[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byName = new Map<string, ValidationMetadata[]>();
  for (const rule of metadata) byName.set(rule.propertyName, [...(byName.get(rule.propertyName) ?? []), rule]);
  return [...byName].map(([name, rules]) => {
    const named = (ruleName: string) => rules.find((rule) => rule.name === ruleName);
    const kind: FieldKind = named('isBoolean') ? 'boolean' : named('isArray') ? 'string[]' : 'string';
    if (kind === 'string' && !named('isString')) throw new Error(`${dto.name}.${name}: no type rule (isString, isBoolean or isArray)`);
    return {
      name,
      kind,
      maxLength: named('maxLength')?.constraints[0] as number | undefined,
      maxItems: named('arrayMaxSize')?.constraints[0] as number | undefined,
      isEmail: named('isAccountEmail') !== undefined,
    };
  });
}

/** The routes of the module's controllers that take a body, as mounted in `flows.app`. */
function bodyRoutes(flows: FlowsApp): { routes: BodyRoute[]; controllers: Type[] } {
  const prefix = flows.app.get<string>(SECURITY_URL_PREFIX).replace(/\/$/, '');
  const reflector = new Reflector();
  const controllers = flows.app
    .get(DiscoveryService)
    .getControllers()
    // Every controller SecurityModule mounts, whichever list it comes from.
    .filter((wrapper) => wrapper.host?.metatype === SecurityModule)
    .map((wrapper) => wrapper.metatype as Type);
  const routes: BodyRoute[] = [];
  for (const controller of controllers) {
    const controllerPath = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[key] as Function;
      if (key === 'constructor' || typeof handler !== 'function') continue;
      const method = REQUEST_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (!method || path === undefined) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, { index: number }>;
      const body = Object.entries(args).find(([argKey]) => argKey.startsWith(`${RouteParamtypes.BODY}:`));
      if (!body) continue;
      const dto = (Reflect.getMetadata('design:paramtypes', controller.prototype, key) as Type[])[body[1].index];
      const template = [prefix, controllerPath, Array.isArray(path) ? path[0] : path].join('/').replace(/\/+/g, '/').replace(/\/$/, '');
      // A link route's token (`:token`, or Fastify's `*`): any value reaches validation, which comes first.
      const url = template.replace(/:[A-Za-z]+|\*/g, 'not-a-real-token');
      const policy = getRoutePolicy(reflector, handler, controller);
      routes.push({
        name: `${method.toUpperCase()} ${template} (${controller.name}.${key})`,
        method,
        url,
        authenticated: policy.kind === 'authenticated',
        dto,
        fields: fieldsOf(dto),
      });
    }
  }
  return { routes, controllers };
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('hostile bodies on every route of the module (real PostgreSQL)', () => {
    let flows: FlowsApp;
    let routes: BodyRoute[];
    let mounted: Type[];
    let token: string;

    beforeAll(async () => {
      flows = await createFlowsApp(
        {
          passwordless: true,
          unifiedSignin: true,
          twoFactor: true,
          multiFactorRecoveryCodes: true,
          webauthn: true,
          totpSecrets: { '1': 'hostile-bodies-totp-secret' },
          limits: { perAccount: { max: 100_000 }, perIp: { max: 100_000 } },
        },
        platform,
      );
      ({ routes, controllers: mounted } = bodyRoutes(flows));
    });
    afterAll(() => flows?.close());
    // Some plausible bodies do what they ask (revoke tokens, log out, change the password): each test signs in afresh.
    beforeEach(async () => {
      token = await signIn();
    });

    let users = 0;
    /** A new confirmed user's auth token. */
    async function signIn(): Promise<string> {
      const email = `signed-in-${++users}@example.com`;
      await flows.datastore.createUser({ email, password: await flows.app.get(PasswordHasher).hash(PASSWORD), confirmedAt: new Date() });
      const login = await request(flows.server).post('/auth/login?include_auth_token').send({ email, password: PASSWORD }).expect(200);
      return login.body.authentication_token;
    }

    async function send(route: BodyRoute, body: unknown, raw = false, freshUser = false) {
      let call = request(flows.server)[route.method](route.url);
      if (route.authenticated) call = call.set('Authentication-Token', freshUser ? await signIn() : token);
      if (raw) call = call.set('Content-Type', 'application/json');
      return call.send(body as object);
    }

    /** Runs every case, then reports each failing one (route, field, value, what came back) at once. */
    async function failures(
      cases: Array<{ route: BodyRoute; label: string; body: unknown; raw?: boolean; freshUser?: boolean }>,
      expectation: (response: request.Response) => boolean,
    ): Promise<string[]> {
      const failed: string[] = [];
      for (const { route, label, body, raw, freshUser } of cases) {
        const response = await send(route, body, raw, freshUser);
        if (!expectation(response)) failed.push(`${route.name} ${label}: ${response.status} ${response.text.slice(0, 200)}`);
      }
      return failed;
    }

    const fieldError = (field: string) => (response: request.Response) =>
      response.status === 400 &&
      response.body.code === 'VALIDATION_ERROR' &&
      Array.isArray(response.body.errors?.[field]) &&
      response.body.errors[field].length > 0;

    /** `failures` where each case expects a field error under its own field. */
    async function failuresEach(cases: Array<{ route: BodyRoute; field: BodyField; label: string; body: unknown }>): Promise<string[]> {
      const failed: string[] = [];
      for (const { field, ...rest } of cases) failed.push(...(await failures([rest], fieldError(field.name))));
      return failed;
    }

    it('finds every controller of the module mounted, and their body routes', () => {
      // All flows are on here: if one were not mounted its routes would silently go untested.
      expect(mounted.map((controller) => controller.name)).toEqual(
        expect.arrayContaining([...AUTHN_CONTROLLERS, ...ALL_FLOW_CONTROLLERS].map((controller) => controller.name)),
      );
      expect(routes.length).toBeGreaterThanOrEqual(17);
      expect(routes.filter((route) => route.fields.length === 0).map((route) => route.name)).toEqual([]);
      expect(routes.filter((route) => route.fields.some((field) => field.isEmail)).length).toBeGreaterThanOrEqual(7);
    });

    it('every route × field × wrong-typed value: 400 VALIDATION_ERROR with an error under that field', async () => {
      const cases = routes.flatMap((route) =>
        route.fields.flatMap((field) =>
          WRONG_VALUES[field.kind].map((value) => ({
            route,
            label: `${field.name}=${JSON.stringify(value)}`,
            body: { [field.name]: value },
            field,
          })),
        ),
      );
      expect(cases.length).toBeGreaterThan(300);
      expect(await failuresEach(cases)).toEqual([]);
    });

    it('every string field has a length cap, and one character more is a field error', async () => {
      const uncapped = routes.flatMap((route) =>
        route.fields
          .filter((field) => field.kind !== 'boolean' && field.maxLength === undefined)
          .map((field) => `${route.name} ${field.name}`),
      );
      expect(uncapped).toEqual([]);
      const cases = routes.flatMap((route) =>
        route.fields
          .filter((field) => field.kind !== 'boolean')
          .map((field) => {
            const long = 'x'.repeat(field.maxLength! + 1);
            return {
              route,
              field,
              label: `${field.name} of ${field.maxLength! + 1} characters`,
              body: { [field.name]: field.kind === 'string' ? long : [long] },
            };
          }),
      );
      expect(await failuresEach(cases)).toEqual([]);
    });

    it('every list has a cap on its items', async () => {
      const lists = routes.flatMap((route) => route.fields.filter((field) => field.kind === 'string[]').map((field) => ({ route, field })));
      expect(lists.filter(({ field }) => field.maxItems === undefined).map(({ route, field }) => `${route.name} ${field.name}`)).toEqual(
        [],
      );
      const cases = lists.map(({ route, field }) => ({
        route,
        field,
        label: `${field.name} of ${field.maxItems! + 1} items`,
        body: { [field.name]: Array.from({ length: field.maxItems! + 1 }, () => 'email') },
      }));
      expect(await failuresEach(cases)).toEqual([]);
    });

    it('a lone surrogate in an email field is a field error; in any field of a plausible body, never a 500', async () => {
      const emailCases = routes.flatMap((route) =>
        route.fields
          .filter((field) => field.isEmail)
          .flatMap((field) =>
            ['jane\ud800@example.com', '\udfff', 'jane@exa\ud800mple.com'].map((value) => ({
              route,
              label: `${field.name}=${JSON.stringify(value)}`,
              body: { ...plausibleBody(route), [field.name]: value },
              field,
            })),
          ),
      );
      expect(emailCases.length).toBeGreaterThanOrEqual(21);
      expect(await failuresEach(emailCases)).toEqual([]);

      const anyField = routes.flatMap((route) =>
        route.fields
          .filter((field) => field.kind !== 'boolean')
          .map((field) => {
            const value = field.kind === 'string' ? 'x\ud800y' : ['\ud800'];
            const body = { ...plausibleBody(route), [field.name]: value };
            return { route, label: `${field.name}=${JSON.stringify(value)}`, body, freshUser: true };
          }),
      );
      expect(await failures(anyField, (response) => response.status < 500)).toEqual([]);
    });

    it('JSON nested 2,000 deep is 400 BODY_TOO_COMPLEX on every route', async () => {
      const deep = `{"${'x'}":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      const cases = routes.map((route) => ({ route, label: 'nested 2,000 deep', body: deep, raw: true }));
      expect(await failures(cases, (response) => response.status === 400 && response.body.code === 'BODY_TOO_COMPLEX')).toEqual([]);
    });

    it('a 95 KB body of 12,000 keys is 400 BODY_TOO_COMPLEX on every route (refused before transformation: not a field error)', async () => {
      const wide = `{${Array.from({ length: 12_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`;
      expect(wide.length).toBeGreaterThan(90_000);
      expect(wide.length).toBeLessThan(100_000);
      const cases = routes.map((route) => ({ route, label: '12,000 keys', body: wide, raw: true }));
      expect(
        await failures(
          cases,
          (response) =>
            response.status === 400 &&
            response.body.code === 'BODY_TOO_COMPLEX' &&
            response.body.message === 'The request body has too many fields',
        ),
      ).toEqual([]);
    });

    it('a body with too much text in total is 400 BODY_TOO_COMPLEX', async () => {
      // Under Express's 100 KB limit; each string under the cap of no field, but 70,000 characters in all.
      const body = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}`, 'x'.repeat(10_000)]));
      const cases = routes.map((route) => ({ route, label: '70,000 characters', body }));
      expect(await failures(cases, (response) => response.status === 400 && response.body.code === 'BODY_TOO_COMPLEX')).toEqual([]);
    });
  });
});

/** Every field of the route with a valid-looking value, so a request can get past validation. */
function plausibleBody(route: BodyRoute): Record<string, unknown> {
  return Object.fromEntries(
    route.fields
      .filter((field) => field.name !== 'csrf_token')
      .map((field) => [field.name, PLAUSIBLE[field.name] ?? (field.kind === 'boolean' ? true : 'plausible')]),
  );
}
