import type { afterAll as AfterAll, beforeAll as BeforeAll, describe as Describe, expect as Expect, it as It } from '@jest/globals';

/**
 * The test runner's globals, read when a suite is declared (not at import),
 * so this entry loads anywhere and the suites run under jest (or a runner
 * with jest-compatible globals).
 */
export function testGlobals(): {
  describe: typeof Describe;
  it: typeof It;
  expect: typeof Expect;
  beforeAll: typeof BeforeAll;
  afterAll: typeof AfterAll;
} {
  const globals = globalThis as unknown as Record<string, unknown>;
  for (const name of ['describe', 'it', 'expect', 'beforeAll', 'afterAll']) {
    if (typeof globals[name] !== 'function')
      throw new Error(`nest-security/testing: the contract suites need the test runner's global ${name}()`);
  }
  return globals as never;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
