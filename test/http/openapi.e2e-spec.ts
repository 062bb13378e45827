/**
 * nest-security/openapi: the OpenAPI document of the module's routes, and
 * the demo's /docs. Which routes exist is read from the running app (the
 * routes Nest maps, as it logs them), never from a list kept here, so a
 * route added to the module without a description fails this suite.
 */
import 'reflect-metadata';
import type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DemoAppModule } from '../../demo/app.module.js';
import { setupDemoDocs } from '../../demo/docs.js';
import { configureSecurityApp } from '../../src/common/errors/index.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { createSecurityApiDocument } from '../../src/openapi/index.js';
import { ROUTE_DESCRIPTIONS } from '../../src/openapi/route-descriptions.js';
import { SecurityModule } from '../../src/security.module.js';
import type { SecurityModuleOptions } from '../../src/security.options.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { createMigratedTestDatabase, type TestDatabase } from '../support/database.js';
import { flowsTestOptions } from '../support/flows-app.js';
import { createPlatformApp, initPlatformApp, TEST_PLATFORMS, type TestPlatform } from '../support/platform.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';

const PASSWORD = 'a long enough passphrase';
const OPERATIONS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Records the routes Nest maps ("Mapped {/auth/login, POST} route"); errors still reach the console. */
class MappedRoutes implements LoggerService {
  readonly routes: string[] = [];
  log(message: unknown): void {
    const mapped = /^Mapped \{(.+), (\w+)\} route/.exec(String(message));
    // Express names a link token `:token`, Fastify's route is `<path>/*`: both are `{token}` in OpenAPI.
    if (mapped) this.routes.push(`${mapped[2]!.toLowerCase()} ${mapped[1]!.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{token}')}`);
  }
  error(...args: unknown[]): void {
    console.error(...args);
  }
  warn(): void {}
}

interface DocumentedApp {
  app: INestApplication;
  document: OpenAPIObject;
  /** `${method} ${path}` of every route Nest mapped, OpenAPI-style. */
  mapped: string[];
  close(): Promise<void>;
}

/**
 * `module` on a fresh PostgreSQL database and the SMTP sink, served at
 * /docs the way `setup` does it, before app.init() (Fastify takes no routes
 * once ready); `document` is what /docs-json serves.
 */
async function documentedApp(
  platform: TestPlatform,
  module: (database: TestDatabase, sink: SmtpSink) => DynamicModule[],
  setup: (app: INestApplication) => void,
): Promise<DocumentedApp> {
  const database = await createMigratedTestDatabase();
  const sink = await startSmtpSink();
  const recorder = new MappedRoutes();
  const moduleRef = await Test.createTestingModule({ imports: module(database, sink) }).compile();
  const app = createPlatformApp(moduleRef, platform, { logger: recorder });
  configureSecurityApp(app);
  setup(app);
  await initPlatformApp(app, platform);
  const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as OpenAPIObject;
  return {
    app,
    document,
    mapped: recorder.routes,
    close: async () => {
      await app.close();
      await sink.close();
      await database.drop();
    },
  };
}

function flowsModules(options: Partial<SecurityModuleOptions>) {
  return (database: TestDatabase, sink: SmtpSink): DynamicModule[] => [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({}),
      dataSourceFactory: async () => createSecurityDataSource({ url: database.url, migrationsRun: true }).initialize(),
    }),
    SecurityModule.forRoot({ ...flowsTestOptions(sink.url), ...options }),
  ];
}

const SUITE_CONFIG = new DocumentBuilder().setTitle('openapi suite').build();

/**
 * Serves the document the lazy way (SwaggerModule.setup takes a factory, called on the first
 * request, once the app is initialized), where Fastify's link routes are already `<path>/*`.
 */
function serveDocument(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createSecurityApiDocument(app, SUITE_CONFIG));
}

/** `${method} ${path}` of every operation in the document. */
function operationsOf(document: OpenAPIObject): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    OPERATIONS.filter((method) => item[method]).map((method) => `${method} ${path}`),
  );
}

function operation(document: OpenAPIObject, method: (typeof OPERATIONS)[number], path: string): OperationObject {
  const found = document.paths[path]?.[method];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
}

/** A schema, its `$ref` followed. */
function resolve(document: OpenAPIObject, schema: unknown): SchemaObject {
  const ref = (schema as { $ref?: string }).$ref;
  if (!ref) return schema as SchemaObject;
  return document.components!.schemas![ref.replace('#/components/schemas/', '')] as SchemaObject;
}

function bodySchema(document: OpenAPIObject, method: (typeof OPERATIONS)[number], path: string): SchemaObject {
  const body = operation(document, method, path).requestBody as { content: Record<string, { schema: unknown }> };
  return resolve(document, body.content['application/json']!.schema);
}

const under = (prefix: string) => (route: string) => route.split(' ')[1]!.startsWith(`${prefix}/`);
const underPrefix = under('/auth');

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('with every flow on', () => {
    let documented: DocumentedApp;

    beforeAll(async () => {
      documented = await documentedApp(
        platform,
        flowsModules({ passwordless: true, unifiedSignin: true, changeUsername: true, sessionList: true, webauthn: true }),
        serveDocument,
      );
    });
    afterAll(() => documented?.close());

    it('lists every route the module mounts, with its method, and nothing else under the prefix', () => {
      const mapped = documented.mapped.filter(underPrefix).sort();
      expect(mapped.length).toBeGreaterThan(20);
      expect(mapped).toEqual(expect.arrayContaining(['post /auth/login', 'get /auth/reset/{token}', 'post /auth/reset/{token}']));
      expect(operationsOf(documented.document).filter(underPrefix).sort()).toEqual(mapped);
    });

    it("gives every route its summary from the route table, a success answer, and its path's parameters", () => {
      for (const route of documented.mapped.filter(underPrefix)) {
        const [method, path] = route.split(' ') as [(typeof OPERATIONS)[number], string];
        const op = operation(documented.document, method, path);
        const key = `${method.toUpperCase()} ${path.slice('/auth/'.length).replace(/\{(\w+)\}/g, ':$1')}`;
        expect({ route, summary: op.summary }).toEqual({
          route,
          summary: ROUTE_DESCRIPTIONS[key]?.summary ?? 'missing from ROUTE_DESCRIPTIONS',
        });
        expect(Object.keys(op.responses).some((status) => status.startsWith('2'))).toBe(true);
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        const parameters = (op.parameters as ParameterObject[])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name);
        expect({ route, parameters }).toEqual({ route, parameters: inPath });
      }
    });

    it('describes each body by its DTO: every field, its type, whether it is required, its caps', () => {
      const doc = documented.document;
      expect(bodySchema(doc, 'post', '/auth/login')).toEqual({
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email', maxLength: 254 },
          username: { type: 'string', minLength: 1, maxLength: 255 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
          remember: { type: 'boolean' },
          next: { type: 'string', maxLength: 2048 },
          csrf_token: { type: 'string', maxLength: 256 },
        },
        // email is required unless a username is given (@ValidateIf): not required as such.
        required: ['password'],
      });
      const register = bodySchema(doc, 'post', '/auth/register');
      expect(register.properties).toEqual({
        email: { type: 'string', format: 'email', maxLength: 254 },
        username: { type: 'string', maxLength: 255 },
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        password_confirm: { type: 'string', maxLength: 1024 },
        csrf_token: { type: 'string', maxLength: 256 },
      });
      expect([...register.required!].sort()).toEqual(['email', 'password']);
      expect(bodySchema(doc, 'post', '/auth/reset/{token}').required).toEqual(['password']);
      expect(bodySchema(doc, 'post', '/auth/change').required).toEqual(['new_password']);
      expect(bodySchema(doc, 'post', '/auth/us-setup').properties!.delete_method).toEqual({
        type: 'array',
        maxItems: 8,
        items: { type: 'string', maxLength: 32 },
      });
      for (const route of operationsOf(doc).filter(underPrefix)) {
        const [method, path] = route.split(' ') as [(typeof OPERATIONS)[number], string];
        if (!operation(doc, method, path).requestBody) continue;
        const schema = bodySchema(doc, method, path);
        for (const [name, property] of Object.entries(schema.properties!)) {
          expect({ route, name, type: (property as SchemaObject).type }).toEqual({ route, name, type: expect.any(String) });
        }
      }
    });

    it('documents the sign-in answer (user, csrf_token, authentication_token) as login gives it', async () => {
      const doc = documented.document;
      const login = operation(doc, 'post', '/auth/login');
      const answer = resolve(
        doc,
        (login.responses['200'] as { content: Record<string, { schema: unknown }> }).content['application/json']!.schema,
      );
      expect(Object.keys(answer.properties!)).toEqual(expect.arrayContaining(['user', 'csrf_token', 'authentication_token']));
      expect(resolve(doc, answer.properties!.user).properties).toEqual({
        id: { type: 'integer' },
        email: { type: 'string', format: 'email' },
        roles: { type: 'array', items: { type: 'string' } },
      });
      expect((login.parameters as ParameterObject[]).map((parameter) => `${parameter.in} ${parameter.name}`)).toEqual([
        'query include_auth_token',
      ]);

      const password = await documented.app.get(PasswordHasher).hash(PASSWORD);
      await documented.app.get(UserDatastore).createUser({ email: 'openapi@example.com', password, confirmedAt: new Date() });
      const signedIn = await request(documented.app.getHttpServer())
        .post('/auth/login?include_auth_token')
        .send({ email: 'openapi@example.com', password: PASSWORD })
        .expect(200);
      expect(Object.keys(signedIn.body).every((field) => field in answer.properties!)).toBe(true);
      expect(signedIn.body).toEqual(expect.objectContaining({ csrf_token: expect.any(String), authentication_token: expect.any(String) }));
      expect(Object.keys(signedIn.body.user).sort()).toEqual(Object.keys(resolve(doc, answer.properties!.user).properties!).sort());
    });

    it('says which credentials each route takes: none on sign-in, the auth token or the session cookie where signed in', () => {
      const doc = documented.document;
      expect(operation(doc, 'post', '/auth/login').security).toEqual([]);
      expect(operation(doc, 'get', '/auth/me').security).toEqual([
        { SecurityAuthToken: [] },
        { SecurityBearer: [] },
        { SecuritySession: [] },
      ]);
      expect(operation(doc, 'post', '/auth/change').security).toEqual(operation(doc, 'get', '/auth/me').security);
      expect(doc.components!.securitySchemes).toEqual(
        expect.objectContaining({
          SecurityAuthToken: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authentication-Token' }),
          SecurityBearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
          SecuritySession: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'nest_security_session' }),
        }),
      );
    });

    it('serves Swagger UI at /docs and the document at /docs-json', async () => {
      const server = documented.app.getHttpServer();
      const page = await request(server).get('/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('swagger-ui');
      // The UI's own script, a static file (on Fastify through @fastify/static).
      await request(server).get('/docs/swagger-ui-bundle.js').expect(200);
      const json = await request(server).get('/docs-json').expect(200);
      expect(json.body.paths['/auth/login']).toBeDefined();
      // Made again (the decorations are put on once), the document is the same.
      expect(JSON.parse(JSON.stringify(createSecurityApiDocument(documented.app, SUITE_CONFIG)))).toEqual(json.body);
    });
  });

  describe('with some flows off', () => {
    it('forRoot, under another prefix: the routes of a flow that is off are neither mounted nor documented', async () => {
      const documented = await documentedApp(platform, flowsModules({ recoverable: false, urlPrefix: '/api/account' }), serveDocument);
      try {
        const mapped = documented.mapped.filter(under('/api/account')).sort();
        expect(mapped).toEqual(expect.arrayContaining(['post /api/account/login', 'get /api/account/confirm/{token}']));
        expect(mapped).not.toContain('post /api/account/reset');
        expect(operationsOf(documented.document).sort()).toEqual(mapped);
      } finally {
        await documented.close();
      }
    });

    it('forRootAsync (the demo): a flow that is off answers 404 and is left out of the document served at /docs', async () => {
      const documented = await documentedApp(
        platform,
        (database, sink) => [
          DemoAppModule.register(
            {
              port: 0,
              databaseUrl: database.url,
              pglitePath: '',
              secretKey: 'openapi-demo-secret-key-0123456789abcdef',
              passwordSalt: 'openapi-demo-password-salt',
              totpSecrets: { '1': 'openapi-demo-totp-secret' },
              smtpUrl: sink.url,
              appUrl: 'http://localhost:3000',
              redisUrl: undefined,
              userCache: false,
            },
            { passwordless: false, argon2: { memoryCost: 1024, timeCost: 1 }, testing: true },
          ),
        ],
        setupDemoDocs,
      );
      try {
        const server = documented.app.getHttpServer();
        // forRootAsync registers every flow's routes and gates the ones that are off: asked without
        // credentials, those answer 404 before any guard, every other one something else (400, 401, 200).
        expect(documented.mapped).toEqual(expect.arrayContaining(['post /auth/login-link', 'get /auth/login/{token}']));
        const gated: string[] = [];
        for (const route of documented.mapped.filter(underPrefix)) {
          const [method, path] = route.split(' ') as [(typeof OPERATIONS)[number], string];
          const agent = request(server);
          const answer = await agent[method](path.replace(/\{\w+\}/g, 'x')).set('Accept', 'application/json');
          if (answer.status === 404) gated.push(route);
        }
        expect(gated).toEqual(expect.arrayContaining(['post /auth/login-link', 'get /auth/login/{token}']));
        const documentedRoutes = operationsOf(documented.document);
        expect(documentedRoutes.sort()).toEqual(documented.mapped.filter((route) => !gated.includes(route)).sort());
        expect(documentedRoutes).toEqual(expect.arrayContaining(['post /auth/login', 'get /demo/me', 'get /health']));
        const page = await request(server).get('/docs').expect(200);
        expect(page.text).toContain('swagger-ui');
      } finally {
        await documented.close();
      }
    });
  });
});
