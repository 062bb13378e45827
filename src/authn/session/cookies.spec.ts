import type { SecurityRequest, SecurityResponse } from '../authentication.js';
import { appendSetCookie, readCookie, serializeCookie } from './cookies.js';

const requestWith = (cookie: string | undefined): SecurityRequest => ({ method: 'GET', headers: { cookie } });

function fakeResponse(): SecurityResponse & { headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    getHeader: (name) => headers[name.toLowerCase()] as never,
    setHeader: (name, value) => (headers[name.toLowerCase()] = value),
  };
}

describe('cookies', () => {
  it('reads one cookie among several, first wins, quotes stripped', () => {
    const request = requestWith('a=1; sid=abc; sid=def; q="x y"');
    expect(readCookie(request, 'sid')).toBe('abc');
    expect(readCookie(request, 'q')).toBe('x y');
    expect(readCookie(request, 'missing')).toBeUndefined();
    expect(readCookie(requestWith(undefined), 'sid')).toBeUndefined();
    expect(readCookie(requestWith('garbage;;=;sid'), 'sid')).toBeUndefined();
  });

  it('ignores absurdly long Cookie headers', () => {
    expect(readCookie(requestWith(`sid=1; pad=${'x'.repeat(20_000)}`), 'sid')).toBeUndefined();
  });

  it('writes Path=/, SameSite=Lax, HttpOnly and Secure as asked; Max-Age only for persistent cookies', () => {
    expect(serializeCookie('sid', 'v', { httpOnly: true, secure: false })).toBe('sid=v; Path=/; SameSite=Lax; HttpOnly');
    const persistent = serializeCookie('sid', 'v', { httpOnly: false, secure: true, maxAge: 60 });
    expect(persistent).toMatch(/^sid=v; Path=\/; SameSite=Lax; Max-Age=60; Expires=[^;]+ GMT; Secure$/);
    expect(serializeCookie('sid', '', { httpOnly: true, secure: false, maxAge: 0 })).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('keeps one Set-Cookie per name in a response', () => {
    const response = fakeResponse();
    appendSetCookie(response, 'a=1; Path=/');
    appendSetCookie(response, 'b=2; Path=/');
    appendSetCookie(response, 'a=3; Path=/');
    expect(response.headers['set-cookie']).toEqual(['b=2; Path=/', 'a=3; Path=/']);
  });
});
