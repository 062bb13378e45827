/** The RefreshTokenStore contract against the TypeORM store (real PostgreSQL) and the in-memory one. */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { describeRefreshTokenStoreContract, MemoryRefreshTokenStore } from '../../src/testing/index.js';
import { TypeOrmRefreshTokenStore, TypeOrmUserDatastore } from '../../src/storage/typeorm/index.js';
import { createTestDataSource, type TestDataSource } from '../support/database.js';

let database: TestDataSource | undefined;
let opening: Promise<DataSource> | undefined;
const dataSource = () => (opening ??= createTestDataSource().then((opened) => (database = opened).dataSource));

afterAll(() => database?.drop());

describeRefreshTokenStoreContract(
  'TypeOrmRefreshTokenStore',
  async () => new TypeOrmRefreshTokenStore(await dataSource()),
  // Families reference the user table.
  async () =>
    (await new TypeOrmUserDatastore(await dataSource()).createUser({ email: `${randomBytes(6).toString('hex')}@example.com` })).id,
);
describeRefreshTokenStoreContract('MemoryRefreshTokenStore', () => new MemoryRefreshTokenStore());

describe('MemoryRefreshTokenStore', () => {
  it('refuses NODE_ENV=production', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => new MemoryRefreshTokenStore()).toThrow(/refuses to run with NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
