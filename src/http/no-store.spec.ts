import { withVary } from './no-store.js';

describe('withVary', () => {
  it('adds a field once, keeping what is there', () => {
    expect(withVary(undefined, 'Cookie')).toBe('Cookie');
    expect(withVary('', 'Cookie')).toBe('Cookie');
    expect(withVary('Accept-Language', 'Cookie')).toBe('Accept-Language, Cookie');
    expect(withVary('Origin, cookie', 'Cookie')).toBe('Origin, cookie');
    expect(withVary('*', 'Cookie')).toBe('*');
  });
});
