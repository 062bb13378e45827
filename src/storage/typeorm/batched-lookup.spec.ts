import { BatchedLookup } from './batched-lookup.js';

describe('BatchedLookup', () => {
  it('sends the keys asked for in one round of the event loop as one statement, and gives each caller its own rows', async () => {
    const statements: string[][] = [];
    const lookup = new BatchedLookup<string>(async (keys) => {
      statements.push(keys);
      return new Map(keys.map((key) => [key, key === 'missing' ? [] : [`row of ${key}`]]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((key) => lookup.load(key)));
    expect(answers).toEqual([['row of a'], ['row of b'], ['row of a'], []]);
    expect(statements).toEqual([['a', 'b', 'missing']]);
    // A lone lookup later is a statement of its own.
    expect(await lookup.load('c')).toEqual(['row of c']);
    expect(statements).toHaveLength(2);
  });

  it("rejects every caller of a batch with the statement's error", async () => {
    const lookup = new BatchedLookup<string>(async () => {
      throw new Error('connection lost');
    });
    const results = await Promise.allSettled([lookup.load('a'), lookup.load('b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('sends a full batch at once, without waiting for the end of the round', async () => {
    const sizes: number[] = [];
    const lookup = new BatchedLookup<string>(async (keys) => {
      sizes.push(keys.length);
      return new Map();
    }, 3);
    await Promise.all(['a', 'b', 'c', 'd'].map((key) => lookup.load(key)));
    expect(sizes).toEqual([3, 1]);
  });
});
