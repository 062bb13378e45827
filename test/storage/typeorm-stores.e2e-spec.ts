/** Every contract suite of nest-security/testing against the TypeORM stores, on real PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  describeAttemptStoreContract,
  describeCodeStoreContract,
  describeSessionStoreContract,
  describeUsedTokenStoreContract,
  describeUserChangeFeedContract,
  describeUserDatastoreContract,
  describeWebAuthnCredentialStoreContract,
} from '../../src/testing/index.js';
import {
  TypeOrmAttemptStore,
  TypeOrmCodeStore,
  TypeOrmSessionStore,
  TypeOrmUsedTokenStore,
  TypeOrmUserChangeFeed,
  TypeOrmUserDatastore,
  TypeOrmWebAuthnCredentialStore,
} from '../../src/storage/typeorm/index.js';
import { createTestDataSource, type TestDataSource } from '../support/database.js';

let database: TestDataSource | undefined;
let opening: Promise<DataSource> | undefined;
/** One database for the file, opened by whichever suite asks first. */
const dataSource = () => (opening ??= createTestDataSource().then((opened) => (database = opened).dataSource));

afterAll(() => database?.drop());

describeUserDatastoreContract('TypeOrmUserDatastore', async () => new TypeOrmUserDatastore(await dataSource()));
describeSessionStoreContract('TypeOrmSessionStore', async () => {
  const users = new TypeOrmUserDatastore(await dataSource());
  return { sessions: new TypeOrmSessionStore(await dataSource(), users), users };
});
describeUsedTokenStoreContract('TypeOrmUsedTokenStore', async () => new TypeOrmUsedTokenStore(await dataSource()));
describeCodeStoreContract(
  'TypeOrmCodeStore',
  async () => new TypeOrmCodeStore(await dataSource()),
  // Codes reference the user table.
  async () =>
    (await new TypeOrmUserDatastore(await dataSource()).createUser({ email: `${randomBytes(6).toString('hex')}@example.com` })).id,
);
describeWebAuthnCredentialStoreContract(
  'TypeOrmWebAuthnCredentialStore',
  async () => new TypeOrmWebAuthnCredentialStore(await dataSource()),
  // Passkeys reference the user table.
  async () =>
    (await new TypeOrmUserDatastore(await dataSource()).createUser({ email: `${randomBytes(6).toString('hex')}@example.com` })).id,
);
describeAttemptStoreContract('TypeOrmAttemptStore', async () => new TypeOrmAttemptStore(await dataSource()));
describeUserChangeFeedContract('TypeOrmUserChangeFeed', async () => ({
  feed: new TypeOrmUserChangeFeed(await dataSource()),
  users: new TypeOrmUserDatastore(await dataSource()),
}));

describe('TypeOrmSessionStore', () => {
  /** A new user with one live session, on the shared database. */
  async function userWithSession() {
    const source = await dataSource();
    const users = new TypeOrmUserDatastore(source);
    const sessions = new TypeOrmSessionStore(source, users);
    const user = await users.createUser({ email: `${randomBytes(6).toString('hex')}@example.com` });
    const id = randomBytes(32).toString('hex');
    await sessions.create({
      id,
      userId: user.id,
      fsUniquifier: user.fsUniquifier,
      lastSeenAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      remember: false,
      authenticatedAt: new Date(),
      csrfToken: null,
      data: {},
    });
    return { users, sessions, user, id };
  }

  it('looks a session and its user up in one statement', async () => {
    const { sessions, user, id } = await userWithSession();
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      expect((await sessions.findWithUser(id))?.user.email).toBe(user.email);
      expect(spy.mock.calls).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('loads users a saveUser then patches (only what changed)', async () => {
    const { users, sessions, user, id } = await userWithSession();
    const found = (await sessions.findWithUser(id))!;
    await users.setUniquifier(user);
    found.user.loginCount = 3;
    await users.saveUser(found.user);
    expect(await users.findUser({ id: user.id })).toMatchObject({ loginCount: 3, fsUniquifier: user.fsUniquifier });
  });
});
