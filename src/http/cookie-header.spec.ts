import { serializeCookie } from '../authn/session/cookies.js';
import { requestContext } from './request-context.js';
import { withSetCookie } from './cookie-header.js';

const requestWith = (cookie: string | undefined) => requestContext({ method: 'GET', headers: { cookie } });
const readCookie = (request: ReturnType<typeof requestWith>, name: string) => request.cookie(name);

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
    let list = withSetCookie(undefined, 'a=1; Path=/');
    list = withSetCookie(list, 'b=2; Path=/');
    list = withSetCookie(list, 'a=3; Path=/');
    expect(list).toEqual(['b=2; Path=/', 'a=3; Path=/']);
    // A name that is a prefix of another's is not mistaken for it.
    expect(withSetCookie('session_x=1', 'session=2')).toEqual(['session_x=1', 'session=2']);
  });
});
