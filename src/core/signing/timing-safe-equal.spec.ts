import { timingSafeEqualStrings } from './index.js';

describe('timingSafeEqualStrings', () => {
  it('compares strings and bytes of any length', () => {
    expect(timingSafeEqualStrings('123456', '123456')).toBe(true);
    expect(timingSafeEqualStrings('123456', '123457')).toBe(false);
    expect(timingSafeEqualStrings('123456', '1234567')).toBe(false);
    expect(timingSafeEqualStrings('', '')).toBe(true);
    expect(timingSafeEqualStrings('', 'a')).toBe(false);
    expect(timingSafeEqualStrings('ünï', Buffer.from('ünï'))).toBe(true);
    expect(timingSafeEqualStrings(Buffer.from([0, 1]), Buffer.from([0, 1, 0]))).toBe(false);
  });
});
