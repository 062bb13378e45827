/** Every contract suite of nest-security/testing against the in-memory stores, and their refusal of production. */
import {
  describeAttemptStoreContract,
  describeCodeStoreContract,
  describeSessionStoreContract,
  describeUsedTokenStoreContract,
  describeUserChangeFeedContract,
  describeUserDatastoreContract,
  MemoryAttemptStore,
  MemoryCodeStore,
  MemorySessionStore,
  MemoryUsedTokenStore,
  MemoryUserDatastore,
  describeWebAuthnCredentialStoreContract,
  MemoryWebAuthnCredentialStore,
} from '../../src/testing/index.js';

describeUserDatastoreContract('MemoryUserDatastore', () => new MemoryUserDatastore());
describeSessionStoreContract('MemorySessionStore', () => {
  const users = new MemoryUserDatastore();
  return { sessions: new MemorySessionStore(users), users };
});
describeUsedTokenStoreContract('MemoryUsedTokenStore', () => new MemoryUsedTokenStore());
describeCodeStoreContract('MemoryCodeStore', () => new MemoryCodeStore());
describeAttemptStoreContract('MemoryAttemptStore', () => new MemoryAttemptStore());
describeWebAuthnCredentialStoreContract('MemoryWebAuthnCredentialStore', () => new MemoryWebAuthnCredentialStore());
describeUserChangeFeedContract('MemoryUserChangeFeed', () => {
  const users = new MemoryUserDatastore();
  return { feed: users.changes, users };
});

describe('in-memory stores', () => {
  it('hand out copies: changing a user changes nothing until saveUser', async () => {
    const users = new MemoryUserDatastore();
    const user = await users.createUser({ email: 'copy@example.com', password: null });
    user.active = false;
    expect((await users.findUser({ id: user.id }))?.active).toBe(true);
    await users.saveUser(user);
    expect((await users.findUser({ id: user.id }))?.active).toBe(false);
  });

  it.each([
    ['MemoryUserDatastore', () => new MemoryUserDatastore()],
    ['MemoryAttemptStore', () => new MemoryAttemptStore()],
    ['MemoryUsedTokenStore', () => new MemoryUsedTokenStore()],
    ['MemoryWebAuthnCredentialStore', () => new MemoryWebAuthnCredentialStore()],
  ])('%s refuses NODE_ENV=production', (_name, make) => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(make).toThrow(/refuses to run with NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
