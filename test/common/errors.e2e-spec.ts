import 'reflect-metadata';
import { jest } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  INestApplication,
  Logger,
  Module,
  NotFoundException,
  Post,
  Query,
  UseFilters,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import {
  configureSecurityApp,
  ExpiredTokenException,
  ForbiddenAccessException,
  InvalidTokenException,
  ReauthRequiredException,
  SecurityExceptionFilter,
  TooManyAttemptsException,
  UnauthenticatedException,
} from '../../src/common/errors/index.js';
import { createSecurityValidationPipe } from '../../src/common/validation/index.js';
import { createPlatformApp, initPlatformApp, TEST_PLATFORMS, type TestPlatform } from '../support/platform.js';

class ProfileDto {
  @IsInt() @Min(0) @Max(150) age: number;
}

class SignupDto {
  @IsEmail() @Length(3, 255) email: string;
  @IsString() @Length(8, 128) password: string;
  @IsOptional() @IsBoolean() remember?: boolean;
  @IsOptional() @ValidateNested() @Type(() => ProfileDto) profile?: ProfileDto;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => ProfileDto) children?: ProfileDto[];
}

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
}

const SECRET = 'postgres://admin:hunter2@db/prod';

@Controller('auth')
@UseFilters(SecurityExceptionFilter)
@UsePipes(createSecurityValidationPipe())
class AuthTestController {
  @Post('signup')
  @HttpCode(200)
  signup(@Body() body: SignupDto) {
    return { isDto: body instanceof SignupDto, body };
  }

  @Get('page')
  page(@Query() query: PageQuery) {
    return { page: query.page ?? 1 };
  }

  @Get('boom')
  boom() {
    throw new Error(`connect failed: ${SECRET}`);
  }

  @Get('boom-string')
  boomString() {
    throw SECRET;
  }

  @Get('forbidden')
  forbidden() {
    throw new ForbiddenAccessException();
  }

  @Get('unauthenticated')
  unauthenticated() {
    throw new UnauthenticatedException(undefined, { headers: { 'WWW-Authenticate': 'Basic realm="Login Required"' } });
  }

  @Get('reauth')
  reauth() {
    throw new ReauthRequiredException();
  }

  @Get('locked')
  locked() {
    throw new TooManyAttemptsException(29.2);
  }

  @Get('invalid-token')
  invalidToken() {
    throw new InvalidTokenException();
  }

  @Get('expired-token')
  expiredToken() {
    throw new ExpiredTokenException();
  }

  @Get('not-found')
  notFound() {
    throw new NotFoundException('No such thing');
  }
}

// A host route: the host's own (lenient) pipe and no nest-security filter.
@Controller('host')
class HostController {
  @Post('echo')
  @HttpCode(200)
  @UsePipes(new ValidationPipe({ transform: true }))
  echo(@Body() body: SignupDto) {
    return body;
  }

  @Get('forbidden')
  forbidden() {
    throw new ForbiddenAccessException();
  }
}

@Module({ controllers: [AuthTestController, HostController] })
class TestAppModule {}

async function createApp(options: { configure: boolean }, platform: TestPlatform): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const app = createPlatformApp(moduleRef, platform, { logger: false });
  if (options.configure) configureSecurityApp(app);
  await initPlatformApp(app, platform);
  return app;
}

const valid = { email: 'ada@example.com', password: 'correct horse battery' };

function expectShape(body: Record<string, unknown>, statusCode: number, error: string, code: string): void {
  expect(body).toMatchObject({ statusCode, error, code });
  expect(typeof body.message).toBe('string');
}

describe.each(TEST_PLATFORMS)('on %s', (platform) => {
  describe('nest-security error responses (configureSecurityApp)', () => {
    let app: INestApplication;
    let logged: jest.SpiedFunction<Logger['error']>;

    beforeAll(async () => {
      app = await createApp({ configure: true }, platform);
    });
    afterAll(async () => {
      await app.close();
    });
    beforeEach(() => {
      logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      logged.mockRestore();
    });

    const http = () => request(app.getHttpServer());

    it('a valid body reaches the handler as the DTO class', async () => {
      const res = await http()
        .post('/auth/signup')
        .send({ ...valid, remember: true, profile: { age: 36 } })
        .expect(200);
      expect(res.body).toEqual({ isDto: true, body: { ...valid, remember: true, profile: { age: 36 } } });
    });

    it('malformed JSON is 400 MALFORMED_BODY, without quoting the body', async () => {
      const res = await http()
        .post('/auth/signup')
        .set('Content-Type', 'application/json')
        .send('{"email": "ada@example.com", "password": "s3cret-pass');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body is not valid JSON',
        code: 'MALFORMED_BODY',
      });
      expect(res.text).not.toContain('s3cret');
    });

    it('a non-object JSON body is a 400: malformed for body-parser (strict), not an object for our pipe on Fastify', async () => {
      const res = await http().post('/auth/signup').set('Content-Type', 'application/json').send('"just a string"');
      expect(res.status).toBe(400);
      // Fastify's JSON parser accepts any JSON value; nest-security's validation pipe then refuses it.
      expect(res.body.code).toBe(platform === 'express' ? 'MALFORMED_BODY' : 'VALIDATION_ERROR');
    });

    it('an unknown field is 400 VALIDATION_ERROR under its name', async () => {
      const res = await http()
        .post('/auth/signup')
        .send({ ...valid, is_admin: true })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        code: 'VALIDATION_ERROR',
        errors: { is_admin: ['property is_admin should not exist'] },
      });
    });

    it('wrong types and missing fields are field errors, with no value echoed', async () => {
      const res = await http()
        .post('/auth/signup')
        .send({ email: 42, password: ['pw-value-here'], remember: 'yes' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'password', 'remember']);
      expect(res.body.errors.remember).toEqual(['remember must be a boolean value']);
      expect(res.text).not.toContain('pw-value-here');

      const empty = await http().post('/auth/signup').send({}).expect(400);
      expect(Object.keys(empty.body.errors).sort()).toEqual(['email', 'password']);
    });

    it('nested errors are flattened as a.b, array items as a.0.b', async () => {
      const res = await http()
        .post('/auth/signup')
        .send({ ...valid, profile: { age: -1, extra: 1 }, children: [{ age: 3 }, { age: 'x' }] })
        .expect(400);
      expect(res.body.errors).toEqual({
        'profile.age': ['age must not be less than 0'],
        'profile.extra': ['property extra should not exist'],
        'children.1.age': expect.arrayContaining(['age must be an integer number']),
      });
    });

    it('a JSON array where an object is expected is a validation error, not a 500', async () => {
      const res = await http().post('/auth/signup').send([valid]).expect(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.errors).toEqual({ body: ['The body must be a JSON object'] });
    });

    it('query strings are validated and transformed too', async () => {
      await http().get('/auth/page?page=3').expect(200, { page: 3 });
      const res = await http().get('/auth/page?page=zero').expect(400);
      expect(Object.keys(res.body.errors)).toEqual(['page']);
      const unknown = await http().get('/auth/page?sort=name').expect(400);
      expect(unknown.body.errors).toEqual({ sort: ['property sort should not exist'] });
    });

    it('a body over the size limit is 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await http()
        .post('/auth/signup')
        // Over each platform's default limit: body-parser's 100 KB, Fastify's 1 MiB.
        .send({ ...valid, padding: 'x'.repeat(platform === 'express' ? 200_000 : 1_100_000) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is too large',
        code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('an unexpected error is 500 INTERNAL_ERROR: details and stack in the log only', async () => {
      const res = await http().get('/auth/boom').expect(500);
      expect(res.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
        code: 'INTERNAL_ERROR',
      });
      expect(res.text).not.toContain('hunter2');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
      expect(logged).toHaveBeenCalledTimes(1);
      const [message, stack] = logged.mock.calls[0] as [string, string];
      expect(message).toContain('connect failed');
      expect(stack).toContain('boom');
    });

    it('a thrown non-Error is a 500 too', async () => {
      const res = await http().get('/auth/boom-string').expect(500);
      expect(res.body.code).toBe('INTERNAL_ERROR');
      expect(res.text).not.toContain('hunter2');
    });

    it.each([
      ['/auth/forbidden', 403, 'Forbidden', 'FORBIDDEN'],
      ['/auth/unauthenticated', 401, 'Unauthorized', 'UNAUTHENTICATED'],
      ['/auth/reauth', 401, 'Unauthorized', 'REAUTH_REQUIRED'],
      ['/auth/invalid-token', 400, 'Bad Request', 'INVALID_TOKEN'],
      ['/auth/expired-token', 400, 'Bad Request', 'EXPIRED_TOKEN'],
      ['/auth/locked', 429, 'Too Many Requests', 'TOO_MANY_ATTEMPTS'],
      ['/auth/not-found', 404, 'Not Found', 'NOT_FOUND'],
      ['/no/such/route', 404, 'Not Found', 'NOT_FOUND'],
    ])('%s is %d %s', async (path, status, error, code) => {
      const res = await http().get(path).expect(status);
      expectShape(res.body, status, error, code);
      expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
    });

    it('TooManyAttempts sets Retry-After in whole seconds; headers of an exception are sent', async () => {
      const locked = await http().get('/auth/locked').expect(429);
      expect(locked.headers['retry-after']).toBe('30');
      const basic = await http().get('/auth/unauthenticated').expect(401);
      expect(basic.headers['www-authenticate']).toBe('Basic realm="Login Required"');
    });

    it('an exception keeps its shape on a host route the filter is not bound to', async () => {
      // configureSecurityApp is global here; the next suite checks without it
      const res = await http().get('/host/forbidden').expect(403);
      expectShape(res.body, 403, 'Forbidden', 'FORBIDDEN');
    });

    it('global: a host route keeps Nest-shaped bodies, with a code added', async () => {
      const res = await http().post('/host/echo').send({ email: 'nope' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'BAD_REQUEST' });
      expect(Array.isArray(res.body.message)).toBe(true);
    });
  });

  describe('without configureSecurityApp', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createApp({ configure: false }, platform);
    });
    afterAll(async () => {
      await app.close();
    });

    const http = () => request(app.getHttpServer());

    it('errors raised in the route are still shaped by the route-scoped filter', async () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementationOnce(() => undefined);
      const boom = await http().get('/auth/boom').expect(500);
      expect(boom.body.code).toBe('INTERNAL_ERROR');
      const invalid = await http()
        .post('/auth/signup')
        .send({ ...valid, x: 1 })
        .expect(400);
      expect(invalid.body.code).toBe('VALIDATION_ERROR');
    });

    it('nest-security exceptions keep their body on host routes (Nest default filter)', async () => {
      const res = await http().get('/host/forbidden').expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'You do not have the role or permission this resource requires',
        code: 'FORBIDDEN',
      });
    });

    // Why configureSecurityApp exists: Nest's express adapter sends body-parser
    // errors to global filters only. If this starts failing, Nest changed that.
    it('body-parser errors never reach the route-scoped filter (Nest 12 behaviour)', async () => {
      const res = await http().post('/auth/signup').set('Content-Type', 'application/json').send('{"password": "s3cret');
      expect(res.status).toBe(400);
      expect(res.body.code).toBeUndefined();
    });
  });
});
