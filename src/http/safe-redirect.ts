/**
 * Open-redirect-safe targets for `next` and the configured `redirects.*`:
 * a relative path, or an absolute http(s) URL on `appUrl`'s host or an
 * allowed host. Anything else is refused (undefined) and the caller falls
 * back to its default.
 *
 * Browsers are lenient where parsers are not (Flask-Security's
 * get_post_action_redirect lists the tricks): they drop tabs and newlines,
 * read `\` as `/`, take `https:evil.com` for `https://evil.com` and follow
 * `//evil.com` off the site. So the candidate is first refused on its raw
 * text (control and invisible characters, any backslash, a scheme not
 * followed by `//`), then parsed with WHATWG `URL` (what browsers use), and
 * the host the parser found must be the one written. Hosts are compared as
 * strings, never through a pattern: a pattern built from a host
 * (`app.example.com` matches `appXexample.com`) and a suffix test fooled by
 * `evil.com\.app.example.com` are the open redirects of GHSA-w2j7-f3c6-g8cw.
 * What is returned is the parser's serialisation, so the Location sent is
 * exactly what was checked.
 */

/** Longer candidates are refused: no real front-end URL is this long. */
export const MAX_REDIRECT_LENGTH = 2048;

/** Where redirects may go, compiled once from the options (see redirectPolicy). */
export interface RedirectPolicy {
  /** appUrl's origin: relative paths resolve against it. */
  readonly origin: string;
  /** appUrl is https: absolute http:// targets (a downgrade) are refused. */
  readonly httpsOnly: boolean;
  /** appUrl's host and the allowed ones, normalised. */
  readonly hosts: readonly AllowedHost[];
  /** Subdomains of those hosts are allowed too. */
  readonly allowSubdomains: boolean;
}

interface AllowedHost {
  /** Lower-case, punycode (as URL.hostname). */
  readonly hostname: string;
  /** '' for the scheme's default port (as URL.port). */
  readonly port: string;
  /** An IP address has no subdomains. */
  readonly isIp: boolean;
}

export interface RedirectPolicyInput {
  appUrl: string;
  redirectAllowedHosts?: readonly string[];
  redirectAllowSubdomains?: boolean;
}

// C0/C1 controls, DEL, format characters (zero-width, bidi), and every space: browsers strip or
// reinterpret some of them, and no legitimate redirect needs any.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Z}\\]/u;
/** What a percent-decoded path may not hold: a decoded backslash or control character. */
const FORBIDDEN_DECODED = /[\p{Cc}\\]/u;
const ABSOLUTE = /^(https?):\/\/([^/?#]*)/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** An allowed host as configured (`host` or `host:port`), normalised; undefined when it is not one. */
export function parseAllowedHost(entry: unknown): AllowedHost | undefined {
  if (typeof entry !== 'string' || entry === '' || FORBIDDEN_CHARACTERS.test(entry) || /[/?#@]/.test(entry)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${entry}`);
  } catch {
    return undefined;
  }
  // What was written must be what was parsed (apart from case and IDN encoding): no `%2e` dots.
  if (entry.includes('%')) return undefined;
  return { hostname: url.hostname, port: url.port, isIp: IPV4.test(url.hostname) || url.hostname.startsWith('[') };
}

/** Compiles the policy; throws on an invalid appUrl (the options check reports bad allowed hosts). */
export function redirectPolicy(input: RedirectPolicyInput): RedirectPolicy {
  const app = new URL(input.appUrl);
  const own: AllowedHost = { hostname: app.hostname, port: app.port, isIp: IPV4.test(app.hostname) || app.hostname.startsWith('[') };
  const allowed = (input.redirectAllowedHosts ?? []).map(parseAllowedHost).filter((host): host is AllowedHost => host !== undefined);
  return Object.freeze({
    origin: app.origin,
    httpsOnly: app.protocol === 'https:',
    hosts: Object.freeze([own, ...allowed]),
    allowSubdomains: input.redirectAllowSubdomains === true,
  });
}

/**
 * The candidate, normalised, when it is a safe redirect target; undefined
 * otherwise. Safe: a path starting with one `/` (not `//`, not `/\`), or an
 * absolute `http(s)://` URL without userinfo whose host is allowed.
 */
export function safeRedirect(candidate: unknown, policy: RedirectPolicy): string | undefined {
  if (typeof candidate !== 'string' || candidate === '' || candidate.length > MAX_REDIRECT_LENGTH) return undefined;
  if (FORBIDDEN_CHARACTERS.test(candidate)) return undefined;
  if (candidate.startsWith('/')) return safePath(candidate, policy);
  return safeAbsolute(candidate, policy);
}

function safePath(candidate: string, policy: RedirectPolicy): string | undefined {
  if (candidate.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(candidate, policy.origin);
  } catch {
    return undefined;
  }
  if (url.origin !== policy.origin) return undefined;
  // The normalised path must not be scheme-relative (`/a/..//evil.com` resolves to `//evil.com`), nor
  // become so once decoded (`/%2F/evil.com`, `/%5Cevil.com`): something down the line may decode it.
  if (!decodesSafely(url.pathname)) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

function decodesSafely(path: string): boolean {
  let current = path;
  for (let round = 0; round < 3; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded.startsWith('//') || FORBIDDEN_DECODED.test(decoded)) return false;
    if (decoded === current) return true;
    current = decoded;
  }
  return false;
}

function safeAbsolute(candidate: string, policy: RedirectPolicy): string | undefined {
  // The scheme must be written in full (`https://`): `https:evil.com` and `https:/evil.com` parse as
  // `https://evil.com/`, whatever a naive check made of them.
  const written = ABSOLUTE.exec(candidate);
  if (!written) return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.protocol === 'http:' && policy.httpsOnly) return undefined;
  // `https://app.example.com@evil.com` goes to evil.com; `https://evil.com@app.example.com` to us, but
  // userinfo in a redirect is a phishing device and no front end needs it.
  if (url.username !== '' || url.password !== '') return undefined;
  // The host as written must be the host as parsed (up to case and a written default port):
  // no percent-encoded, IDN or otherwise rewritten hosts.
  const authority = written[2]!.toLowerCase();
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  if (authority !== url.host && authority !== `${url.hostname}:${defaultPort}`) return undefined;
  if (!policy.hosts.some((host) => hostMatches(url, host, policy.allowSubdomains))) return undefined;
  return url.href;
}

function hostMatches(url: URL, host: AllowedHost, allowSubdomains: boolean): boolean {
  if (url.port !== host.port) return false;
  if (url.hostname === host.hostname) return true;
  return allowSubdomains && !host.isIp && url.hostname.endsWith(`.${host.hostname}`);
}

/**
 * A configured redirect (`redirects.*`): a path under appUrl (`/welcome`,
 * or `welcome` as before) or an absolute URL on an allowed host. Returns
 * the normalised target, or undefined when it would be refused as a `next`.
 */
export function safeConfiguredRedirect(target: string, policy: RedirectPolicy): string | undefined {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(target);
  return safeRedirect(absolute || target.startsWith('/') ? target : `/${target}`, policy);
}
