// nest-security/testing: storage with no database, and the contract suites a store of your own must pass.
export { memoryStorage } from '../storage/memory/memory-storage.js';
export { MemoryUserDatastore, type MemoryUserDatastoreOptions } from '../storage/memory/memory-user-datastore.js';
export { MemorySessionStore } from '../storage/memory/memory-session.store.js';
export { MemoryUsedTokenStore } from '../storage/memory/memory-used-token.store.js';
export { MemoryCodeStore } from '../storage/memory/memory-code.store.js';
export { MemoryWebAuthnCredentialStore } from '../storage/memory/memory-webauthn-credential.store.js';
export { MemoryAttemptStore } from '../storage/memory/memory-attempt.store.js';
export { MemoryUserChangeFeed } from '../storage/memory/memory-user-change-feed.js';
export { MemoryRefreshTokenStore } from '../storage/memory/memory-refresh-token.store.js';
export { describeAttemptStoreContract } from './attempt-store.contract.js';
export { describeCodeStoreContract } from './code-store.contract.js';
export { describeRefreshTokenStoreContract } from './refresh-token-store.contract.js';
export { describeWebAuthnCredentialStoreContract } from './webauthn-credential-store.contract.js';
export { describeSessionStoreContract, type SessionStoreFixture } from './session-store.contract.js';
export { describeUsedTokenStoreContract } from './used-token-store.contract.js';
export { describeUserChangeFeedContract, type UserChangeFeedFixture } from './user-change-feed.contract.js';
export { describeUserDatastoreContract } from './user-datastore.contract.js';
export { RecordingSmsSender, type RecordedSms } from './recording-sms.sender.js';
