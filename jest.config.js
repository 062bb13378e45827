// Nest 12 is ESM-only, so jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/demo'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/demo/dist/', '<rootDir>/dist/'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  moduleNameMapper: {
    // The demo imports the package by name, as a user's app does; under jest that is the source.
    '^nest-security$': '<rootDir>/src/index.ts',
    '^nest-security/signing$': '<rootDir>/src/core/signing/index.ts',
    '^nest-security/passwords$': '<rootDir>/src/core/passwords/index.ts',
    '^nest-security/typeorm$': '<rootDir>/src/storage/typeorm/index.ts',
    '^nest-security/testing$': '<rootDir>/src/testing/index.ts',
    '^nest-security/openapi$': '<rootDir>/src/openapi/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
    // @fastify/static (Swagger UI on Fastify) require()s the ESM-only content-disposition 3. Node 20 does that,
    // jest's CommonJS loader only on Node 24.9+: that one file is compiled to CommonJS for the tests.
    '/@fastify/static/node_modules/content-disposition/dist/index\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)'],
  testTimeout: 30000,
};
