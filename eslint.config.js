// Flat config: typescript-eslint's recommended rules, without type information
// (fast, and the type checker already runs in `npm run typecheck`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'demo/dist/', 'coverage/', 'node_modules/', '.data/', 'test/fixtures/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // Node's globals, for the .mjs/.cjs scripts (TypeScript checks them in .ts files).
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'setTimeout',
          'clearTimeout',
          'setImmediate',
          'setInterval',
          'clearInterval',
          'AbortController',
          'TextEncoder',
          'TextDecoder',
          'performance',
          'structuredClone',
          'queueMicrotask',
          'fetch',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest modules and DI tokens are classes with only static members or none.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Nest's Reflector and ExecutionContext.getHandler()/getClass() speak `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // The demo's pages: plain browser modules, no build step.
    files: ['demo/pages/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'navigator', 'fetch', 'FormData', 'URLSearchParams', 'PublicKeyCredential'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
