import { normalizeUsername, usernameProblems } from './username.js';

describe('usernames', () => {
  it('normalises to trimmed NFKD lower case', () => {
    expect(normalizeUsername('  JaneDoe ')).toBe('janedoe');
    expect(normalizeUsername('ＪａｎｅＤｏｅ')).toBe('janedoe');
    expect(normalizeUsername('Zoë')).toBe('zoe\u0308');
  });

  it('allows letters and digits (accented letters too), 4 to 32 of them', () => {
    expect(usernameProblems('jane2026')).toEqual([]);
    expect(usernameProblems('Zoë1')).toEqual([]);
    expect(usernameProblems('名前です')).toEqual([]);
    expect(usernameProblems('abc')).toHaveLength(1);
    expect(usernameProblems('a'.repeat(33))).toHaveLength(1);
    for (const bad of ['jane doe', 'jane.doe', 'jane_doe', '<b>jane</b>', 'jane\u0000x', '\u0308abcd']) {
      expect({ bad, problems: usernameProblems(bad).length > 0 }).toEqual({ bad, problems: true });
    }
  });
});
