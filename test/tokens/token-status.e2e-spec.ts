import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { URLSafeTimedSerializer } from '../../src/core/signing/index.js';
import { PasswordHasher } from '../../src/core/passwords/index.js';
import { createSecurityDataSource } from '../../src/storage/typeorm/data-source.js';
import { UserDatastore } from '../../src/storage/user-datastore.js';
import { SecurityModule } from '../../src/security.module.js';
import { InjectSerializer } from '../../src/tokens/inject-serializer.decorator.js';
import { OneTimeTokenService } from '../../src/tokens/one-time-token.service.js';
import { SerializerRegistry } from '../../src/tokens/serializer-registry.js';
import { TokenStatusService } from '../../src/tokens/token-status.service.js';
import { TokenFactory } from '../../src/tokens/token.factory.js';
import { createMigratedTestDatabase } from '../support/database.js';
import { flask, FOREVER, insertFlaskUsers } from '../fixtures/flask-tokens.js';

@Injectable()
class NeedsConfirmSerializer {
  constructor(@InjectSerializer('confirm') readonly serializer: URLSafeTimedSerializer) {}
}

describe('named serializers and token status (real PostgreSQL, Flask-Security-minted tokens)', () => {
  let database: { url: string; drop(): Promise<void> };
  let app: INestApplication;
  let tokenStatus: TokenStatusService;
  let tokens: TokenFactory;
  let datastore: UserDatastore;
  let hasher: PasswordHasher;

  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SECRET_KEY: flask.secretKey, PASSWORD_SALT: flask.passwordSalt })] }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => createSecurityDataSource({ url: database.url, migrationsRun: true }).initialize(),
        }),
        // forRootAsync with ConfigService, the way an app reads its secrets.
        SecurityModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            secretKey: config.getOrThrow<string>('SECRET_KEY'),
            passwordSalt: config.getOrThrow<string>('PASSWORD_SALT'),
            confirmEmailWithin: FOREVER,
            resetPasswordWithin: FOREVER,
            loginWithin: FOREVER,
            // The Flask-Security auth tokens of the fixtures were minted long ago: no max age (the pre-5.9 default).
            tokenMaxAge: 0,
            argon2: { memoryCost: 1024, timeCost: 1 },
          }),
        }),
      ],
      providers: [NeedsConfirmSerializer],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    tokenStatus = app.get(TokenStatusService);
    tokens = app.get(TokenFactory);
    datastore = app.get(UserDatastore);
    hasher = app.get(PasswordHasher);
    // The rows a migrated Flask-Security users table would hold.
    await insertFlaskUsers(datastore, { confirmed: false });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const findFlaskUser = async (index: number) => (await datastore.findUser({ email: flask.users[index].email }))!;

  it('injects one named serializer with its own salt', () => {
    const injected = app.get(NeedsConfirmSerializer).serializer;
    expect(injected).toBe(app.get(SerializerRegistry).get('confirm'));
    const python = new URLSafeTimedSerializer(flask.secretKey, { salt: 'confirm-salt' });
    expect(python.loads(injected.dumps(['x']))).toEqual(['x']);
  });

  it.each(flask.users.map((user, index) => [user.email, index] as const))(
    'accepts the confirm, reset, login and auth tokens Flask-Security minted for %s',
    async (_email, index) => {
      const fixture = flask.users[index];
      const user = await findFlaskUser(index);
      for (const [token, name] of [
        [fixture.confirmToken, 'confirm'],
        [fixture.resetToken, 'reset'],
        [fixture.loginToken, 'login'],
        [fixture.authToken, 'remember'],
      ] as const) {
        const status = await tokenStatus.getTokenStatus(token, name);
        expect({ name, expired: status.expired, invalid: status.invalid, userId: status.user?.id }).toEqual({
          name,
          expired: false,
          invalid: false,
          userId: user.id,
        });
      }
    },
  );

  it("verifies the password hashes Flask-Security stored, with the app's password salt", async () => {
    for (const fixture of flask.users) {
      expect(await hasher.verify(fixture.password, fixture.passwordHash)).toBe(true);
      expect(await hasher.verify(fixture.password + '!', fixture.passwordHash)).toBe(false);
    }
  });

  it('reports a well-signed but old token as expired, with its data and user', async () => {
    const fixture = flask.users[0];
    const status = await tokenStatus.getTokenStatus(fixture.loginToken, 'login', 1);
    expect(status.expired).toBe(true);
    expect(status.invalid).toBe(false);
    expect(status.data).toEqual([fixture.fsUniquifier]);
    expect(status.user?.email).toBe(fixture.email);
  });

  it('reports tampered, foreign-salt and garbage tokens as invalid, without data', async () => {
    const fixture = flask.users[0];
    const [payload, timestamp, signature] = fixture.confirmToken.split('.');
    const tampered = `${payload}.${timestamp}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const [token, name] of [
      [tampered, 'confirm'],
      [fixture.confirmToken, 'reset'],
      ['', 'login'],
      ['not.a.token', 'login'],
      ['x'.repeat(100_000), 'reset'],
    ] as const) {
      const status = await tokenStatus.getTokenStatus(token, name);
      expect({ token: token.slice(0, 20), expired: status.expired, invalid: status.invalid, data: status.data, user: status.user }).toEqual(
        {
          token: token.slice(0, 20),
          expired: false,
          invalid: true,
          data: null,
          user: null,
        },
      );
    }
  });

  it('kills a confirm link once the email changed, and a reset link once the password changed', async () => {
    const user = await datastore.createUser({ email: 'changer@example.com', password: await hasher.hash('first password 1') });
    const confirm = tokens.confirm(user);
    const reset = tokens.reset(user);
    const changeEmail = tokens.changeEmail(user, 'new@example.com');
    expect((await tokenStatus.getTokenStatus(confirm, 'confirm')).invalid).toBe(false);
    expect((await tokenStatus.getTokenStatus(reset, 'reset')).invalid).toBe(false);
    expect((await tokenStatus.getTokenStatus(changeEmail, 'change_email')).invalid).toBe(false);

    user.email = 'changed@example.com';
    await datastore.saveUser(user);
    expect((await tokenStatus.getTokenStatus(confirm, 'confirm')).invalid).toBe(true);
    expect((await tokenStatus.getTokenStatus(changeEmail, 'change_email')).invalid).toBe(true);
    // The reset link is bound to the password, not the email.
    expect((await tokenStatus.getTokenStatus(reset, 'reset')).invalid).toBe(false);

    user.password = await hasher.hash('second password 2');
    await datastore.saveUser(user);
    expect((await tokenStatus.getTokenStatus(reset, 'reset')).invalid).toBe(true);
  });

  it('kills every link and uniquifier-bound token when the uniquifier rotates', async () => {
    const user = await datastore.createUser({ email: 'rotate@example.com', password: null });
    await datastore.setTokenUniquifier(user, null);
    const login = tokens.login(user);
    const auth = tokens.auth(user);
    expect((await tokenStatus.getTokenStatus(login, 'login')).user?.id).toBe(user.id);
    expect((await tokenStatus.getTokenStatus(auth, 'remember')).user?.id).toBe(user.id);
    await datastore.setUniquifier(user);
    expect((await tokenStatus.getTokenStatus(login, 'login')).invalid).toBe(true);
    expect((await tokenStatus.getTokenStatus(auth, 'remember')).invalid).toBe(true);
  });

  it('binds auth tokens to fs_token_uniquifier when the user has one: they survive a password change', async () => {
    const user = await datastore.createUser({ email: 'api@example.com', password: null });
    await datastore.setTokenUniquifier(user);
    const auth = tokens.auth(user);
    const payload = app.get(SerializerRegistry).get('remember').loads(auth) as Record<string, unknown>;
    expect(payload).toEqual({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: expect.any(Number), exp: 0 });
    await datastore.setUniquifier(user);
    expect((await tokenStatus.getTokenStatus(auth, 'remember')).user?.id).toBe(user.id);
    await datastore.setTokenUniquifier(user);
    expect((await tokenStatus.getTokenStatus(auth, 'remember')).invalid).toBe(true);
    // A token naming the fs_uniquifier of a user who has a token uniquifier is not theirs.
    const byUniquifier = app.get(SerializerRegistry).get('remember').dumps({ ver: '5', uid: user.fsUniquifier, fs_paa: 1, exp: 0 });
    expect((await tokenStatus.getTokenStatus(byUniquifier, 'remember')).invalid).toBe(true);
  });

  it('treats an auth token past its own exp as expired', async () => {
    const user = await datastore.createUser({ email: 'exp@example.com', password: null });
    const remember = app.get(SerializerRegistry).get('remember');
    const past = remember.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: 1, exp: Math.floor(Date.now() / 1000) - 10 });
    const status = await tokenStatus.getTokenStatus(past, 'remember');
    expect(status.expired).toBe(true);
    expect(status.invalid).toBe(false);
  });

  it('verifies an auth token once but checks its age every time; a twin with one character changed stays invalid', async () => {
    const user = await datastore.createUser({ email: 'again@example.com', password: null });
    const remember = app.get(SerializerRegistry).get('remember');
    const auth = tokens.auth(user);
    const first = tokenStatus.check(auth, 'remember');
    expect(first).toEqual({ expired: false, invalid: false, data: expect.objectContaining({ uid: user.fsTokenUniquifier }) });
    // Remembered: the same frozen value comes back, and no caller can alter what the next request sees.
    const again = tokenStatus.check(auth, 'remember');
    expect(again.data).toBe(first.data);
    expect(Object.isFrozen(again.data)).toBe(true);
    // Its age is still measured on each use: with a lifetime shorter than its age it is expired.
    const old = remember.dumps({ ver: '5', uid: user.fsTokenUniquifier, fs_paa: 1, exp: 0 });
    expect(tokenStatus.check(old, 'remember').expired).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(tokenStatus.check(old, 'remember', 0)).toEqual({ expired: true, invalid: false, data: expect.objectContaining({ fs_paa: 1 }) });
    expect((await tokenStatus.getTokenStatus(old, 'remember', 0)).expired).toBe(true);
    // Remembering is by exact text: a twin one character off is verified afresh, and fails.
    const [payload, , signature] = auth.split('.');
    const last = signature.at(-1) === 'A' ? 'B' : 'A';
    expect(tokenStatus.check(`${payload}.${auth.split('.')[1]}.${signature.slice(0, -1)}${last}`, 'remember').invalid).toBe(true);
    expect(tokenStatus.check(auth, 'remember').invalid).toBe(false);
  });

  it('lets exactly one of many simultaneous uses consume a one-time token, whatever its spelling', async () => {
    const oneTime = app.get(OneTimeTokenService);
    const user = await datastore.createUser({ email: 'once@example.com', password: null });
    const token = tokens.login(user);
    const expiresAt = new Date(Date.now() + 3600_000);
    expect(await oneTime.isUsed(token, 'login')).toBe(false);
    const results = await Promise.all(Array.from({ length: 10 }, () => oneTime.consume(token, 'login', expiresAt)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await oneTime.isUsed(token, 'login')).toBe(true);
    // Recorded under its serializer's name: the same text is no use of another kind of token.
    expect(await oneTime.isUsed(token, 'reset')).toBe(false);

    // The signature's base64 has unused low bits: another spelling of the same bytes.
    const another = tokens.login(await datastore.createUser({ email: 'once2@example.com', password: null }));
    const last = another.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = another.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(respelled.split('.')[2], 'base64url')).toEqual(Buffer.from(another.split('.')[2], 'base64url'));
    expect(await oneTime.consume(another, 'login', expiresAt)).toBe(true);
    expect(await oneTime.consume(respelled, 'login', expiresAt)).toBe(false);
    expect(await oneTime.isUsed(respelled, 'login')).toBe(true);
  });
});
