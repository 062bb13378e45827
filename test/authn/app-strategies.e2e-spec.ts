/**
 * Open strategies: an app adds passport strategies of its own and names
 * them in @AuthRequired(...), alone or with the built-ins; an unknown name
 * fails at start-up.
 */
import { Controller, Get, Injectable, Req } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as PassportBaseStrategy } from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import request from 'supertest';
import { getAuthentication } from '../../src/authn/authentication.js';
import { AuthRequired, CurrentUser } from '../../src/authn/decorators/index.js';
import { SecurityPassportStrategy } from '../../src/authn/strategies/security-passport.js';
import { RolesRequired } from '../../src/authz/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { type AuthnApp, createAuthnApp } from '../support/authn-app.js';

/** The app's API keys: key -> the email of its user. */
@Injectable()
class ApiKeys {
  readonly owners = new Map<string, string>();
}

/** An API key in `X-API-Key`, through passport-custom, named 'apikey' for @AuthRequired. */
@Injectable()
class ApiKeyStrategy extends SecurityPassportStrategy(CustomStrategy, 'apikey') {
  constructor(
    private readonly keys: ApiKeys,
    private readonly users: UserDatastore,
  ) {
    super();
  }

  async validate(request: { headers: Record<string, string | undefined> }): Promise<SecurityUser | false> {
    const email = this.keys.owners.get(request.headers['x-api-key'] ?? '');
    return (email && (await this.users.findUser({ email }))) || false;
  }
}

/** A strategy as passport packages write them: its own `name`, registered with plain PassportStrategy(Strategy). */
class HeaderKeyStrategy extends PassportBaseStrategy {
  override name = 'header-key';
  constructor(private readonly verify: (key: string, done: (error: unknown, user?: unknown) => void) => void) {
    super();
  }
  override authenticate(request: { headers: Record<string, string | string[] | undefined> }): void {
    const key = request.headers['x-header-key'];
    if (typeof key !== 'string' && key !== undefined) return this.fail(400);
    if (!key) return this.fail(401);
    this.verify(key, (error, user) => (error ? this.error(error) : user ? this.success(user) : this.fail(401)));
  }
}

@Injectable()
class HeaderKeyAuth extends PassportStrategy(HeaderKeyStrategy) {
  constructor(
    private readonly keys: ApiKeys,
    private readonly users: UserDatastore,
  ) {
    super();
  }
  async validate(key: string): Promise<SecurityUser | null> {
    const email = this.keys.owners.get(key);
    return email ? this.users.findUser({ email }) : null;
  }
}

const who = (user: SecurityUser, request: object) => ({ email: user.email, via: getAuthentication(request)?.method });

@Controller('k')
class KeyedController {
  @AuthRequired('apikey')
  @Get('apikey')
  apiKey(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  // Named app strategy first: the built-in token is still tried first.
  @AuthRequired('apikey', 'token')
  @Get('either')
  either(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('header-key')
  @Get('header')
  header(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('apikey')
  @RolesRequired('admin')
  @Get('admin')
  admin(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('apikey', { within: 5 })
  @Get('fresh')
  fresh(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }
}

@Controller('typo')
class TypoController {
  @AuthRequired('token', 'apikye')
  @Get()
  get() {
    return {};
  }
}

describe('app strategies named in @AuthRequired', () => {
  let authn: AuthnApp;
  let keys: ApiKeys;
  beforeAll(async () => {
    authn = await createAuthnApp({ controllers: [KeyedController], providers: [ApiKeys, ApiKeyStrategy, HeaderKeyAuth] });
    keys = authn.app.get(ApiKeys);
    await authn.createUser('ada@example.com', 'correct horse 1', ['admin']);
    await authn.createUser('bob@example.com', 'correct horse 2');
    await authn.createUser('gone@example.com', 'correct horse 3', [], { active: false });
    keys.owners.set('ada-key', 'ada@example.com').set('bob-key', 'bob@example.com').set('gone-key', 'gone@example.com');
  });
  afterAll(() => authn?.close());

  const get = (path: string, headers: Record<string, string> = {}) => request(authn.server).get(path).set(headers);

  it('protects a route with the API key alone', async () => {
    expect((await get('/k/apikey', { 'X-API-Key': 'ada-key' })).body).toEqual({ email: 'ada@example.com', via: 'apikey' });
    expect((await get('/k/apikey', { 'X-API-Key': 'wrong' })).status).toBe(401);
    expect((await get('/k/apikey')).body.code).toBe('UNAUTHENTICATED');
    // A valid auth token is no API key.
    const { token } = await authn.login('bob@example.com', 'correct horse 2');
    expect((await get('/k/apikey', { 'Authentication-Token': token })).status).toBe(401);
  });

  it('refuses an inactive user an app strategy hands back', async () => {
    expect((await get('/k/apikey', { 'X-API-Key': 'gone-key' })).status).toBe(401);
  });

  it('combines with token: either works, and the built-in token is tried first', async () => {
    const { token } = await authn.login('bob@example.com', 'correct horse 2');
    expect((await get('/k/either', { 'X-API-Key': 'ada-key' })).body).toEqual({ email: 'ada@example.com', via: 'apikey' });
    expect((await get('/k/either', { 'Authentication-Token': token })).body).toEqual({ email: 'bob@example.com', via: 'token' });
    expect((await get('/k/either', { 'Authentication-Token': token, 'X-API-Key': 'ada-key' })).body).toEqual({
      email: 'bob@example.com',
      via: 'token',
    });
    expect((await get('/k/either')).status).toBe(401);
  });

  it("finds a strategy registered with plain PassportStrategy(Strategy) by the strategy's own name", async () => {
    expect((await get('/k/header', { 'X-Header-Key': 'bob-key' })).body).toEqual({ email: 'bob@example.com', via: 'header-key' });
    expect((await get('/k/header', { 'X-API-Key': 'bob-key' })).status).toBe(401);
  });

  it('authorization follows an app strategy as any other', async () => {
    expect((await get('/k/admin', { 'X-API-Key': 'ada-key' })).status).toBe(200);
    expect((await get('/k/admin', { 'X-API-Key': 'bob-key' })).body.code).toBe('FORBIDDEN');
  });

  it('an app strategy carries no sign-in time: never fresh', async () => {
    expect((await get('/k/fresh', { 'X-API-Key': 'ada-key' })).body.code).toBe('REAUTH_REQUIRED');
  });
});

describe('app strategies in defaultAuthMethods', () => {
  let authn: AuthnApp;
  beforeAll(async () => {
    authn = await createAuthnApp({
      options: { defaultAuthMethods: ['token', 'apikey'] },
      controllers: [DefaultController],
      providers: [ApiKeys, ApiKeyStrategy],
    });
    await authn.createUser('ada@example.com', 'correct horse 1');
    authn.app.get(ApiKeys).owners.set('ada-key', 'ada@example.com');
  });
  afterAll(() => authn?.close());

  it('a route with no named strategies accepts the API key', async () => {
    expect((await request(authn.server).get('/d').set('X-API-Key', 'ada-key')).body).toEqual({ email: 'ada@example.com', via: 'apikey' });
    expect((await request(authn.server).get('/d')).status).toBe(401);
  });
});

@Controller('d')
class DefaultController {
  @AuthRequired()
  @Get()
  get(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }
}

describe('unknown strategy names fail at start-up', () => {
  it('names the route and the nearest known strategy', async () => {
    await expect(createAuthnApp({ controllers: [TypoController], providers: [ApiKeys, ApiKeyStrategy] })).rejects.toThrow(
      /GET \/typo \(TypoController\.get\): no strategy is registered as "apikye"; did you mean `apikey`\? \(known: token, session, basic, apikey\)/,
    );
  });

  it('checks defaultAuthMethods too', async () => {
    await expect(createAuthnApp({ options: { defaultAuthMethods: ['sesion'] } })).rejects.toThrow(
      /option defaultAuthMethods: no strategy is registered as "sesion"; did you mean `session`\?/,
    );
  });
});
