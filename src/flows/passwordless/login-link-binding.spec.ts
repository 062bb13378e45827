import { type RequestContext, type ResponseContext, requestContext, responseContext } from '../../http/index.js';
import { resolveSecurityOptions } from '../../security.options.js';
import { LoginLinkBinding } from './login-link-binding.service.js';

/** A browser: keeps the cookies the server sets and sends them back. */
class Browser {
  private jar = new Map<string, string>();

  request(): RequestContext {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return requestContext({ method: 'GET', headers: cookie ? { cookie } : {} });
  }

  /** An Express-shaped response (what responseContext writes to), whose Set-Cookie lands in the jar. */
  response(): ResponseContext {
    const headers = new Map<string, unknown>();
    return responseContext({
      headersSent: false,
      status: () => ({ json: () => undefined }),
      redirect: () => undefined,
      end: () => undefined,
      getHeader: (name: string) => headers.get(name.toLowerCase()) as string[] | undefined,
      setHeader: (name: string, value: string | string[]) => {
        headers.set(name.toLowerCase(), value);
        for (const cookie of [value].flat() as string[]) {
          const [pair, ...attributes] = cookie.split('; ');
          const eq = pair!.indexOf('=');
          if (attributes.includes('Max-Age=0')) this.jar.delete(pair!.slice(0, eq));
          else this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
      },
    });
  }
}

const binding = (secretKey: string | string[]) =>
  new LoginLinkBinding(resolveSecurityOptions({ secretKey, testing: true, passwordlessBindToBrowser: true }));

describe('LoginLinkBinding', () => {
  const token = 'WyJhYmMiXQ.aAbBcC.signature-of-the-link-token';

  it('matches only in the browser that was bound, and forgets a released token', () => {
    const links = binding('one secret key');
    const mine = new Browser();
    links.bind(mine.request(), mine.response(), token);
    expect(links.matches(mine.request(), token)).toBe(true);
    expect(links.matches(new Browser().request(), token)).toBe(false);
    expect(links.matches(mine.request(), `${token}x`)).toBe(false);
    links.release(mine.request(), mine.response(), token);
    expect(links.matches(mine.request(), token)).toBe(false);
  });

  it('keeps the five newest links of a browser', () => {
    const links = binding('one secret key');
    const browser = new Browser();
    const tokens = Array.from({ length: 6 }, (_, i) => `${token}${i}`);
    for (const each of tokens) links.bind(browser.request(), browser.response(), each);
    expect(tokens.map((each) => links.matches(browser.request(), each))).toEqual([false, true, true, true, true, true]);
  });

  it('survives a key rotation (every key verifies, the newest binds), and a different key does not match', () => {
    const browser = new Browser();
    binding('old secret key').bind(browser.request(), browser.response(), token);
    expect(binding(['old secret key', 'new secret key']).matches(browser.request(), token)).toBe(true);
    expect(binding('another secret key').matches(browser.request(), token)).toBe(false);
  });

  it('ignores junk in the cookie', () => {
    const links = binding('one secret key');
    const request = requestContext({ method: 'GET', headers: { cookie: `${links.cookieName}=..junk.<script>.${'A'.repeat(22)}` } });
    expect(links.matches(request, token)).toBe(false);
  });
});
