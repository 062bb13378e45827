/**
 * `next` values that must never take a browser off the site whose appUrl is
 * https://app.example.test (the flows test app's). Each is refused by
 * safeRedirect; the e2e suite feeds them to every route that takes `next`.
 */
export const HOSTILE_REDIRECTS: readonly string[] = [
  // scheme-relative, in every spelling browsers accept
  '//evil.com',
  '///evil.com',
  '////evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  '\\/evil.com',
  '/.\\evil',
  '/\\/evil.com',
  // the scheme without its slashes: WHATWG (and browsers) read https://evil.com
  'https:evil.com',
  'https:/evil.com',
  'https:\\\\evil.com',
  'http:evil.com',
  // plainly elsewhere, in any case
  'http://evil.com',
  'https://evil.com',
  'HTTPS://EVIL.COM',
  'https://evil.com/app.example.test',
  'https://evil.com?https://app.example.test',
  'https://evil.com#https://app.example.test',
  // other schemes
  'javascript:alert(1)',
  'JavaScript:alert(1)//https://app.example.test',
  'data:text/html,x',
  'vbscript:msgbox(1)',
  'ftp://app.example.test/',
  'file:///etc/passwd',
  // encoded
  '%2F%2Fevil.com',
  '/%2F/evil.com',
  '/%2f%2fevil.com',
  '/%5Cevil.com',
  '/%5cevil.com',
  '/%252F%252Fevil.com',
  'https://app.example.test%2F@evil.com',
  'https://app%2Eexample.test',
  '/a/..//evil.com',
  '/.//evil.com',
  // userinfo
  'https://app.example.test@evil.com',
  'https://app.example.test:443@evil.com',
  'https://user:pass@evil.com',
  // ours in the userinfo, not in the host: fine as a destination, refused as a phishing device
  'https://evil.com@app.example.test',
  // suffixes and look-alikes
  'https://app.example.test.evil.com',
  'https://evilapp.example.test',
  'https://appXexample.test',
  'https://app.example.test\\.evil.com',
  'https://evil.com\\.app.example.test',
  'https://app.example.test./',
  'https://\u0430pp.example.test', // Cyrillic а
  'https://xn--pp-8cd.example.test', // the same in punycode
  'https://app.example.test\u3002evil.com', // ideographic full stop
  '\uff0f\uff0fevil.com', // fullwidth solidus
  'https://app.example.test\uff0fevil.com',
  // whitespace and control characters, stripped by browsers
  '/\t/evil.com',
  '/\n/evil.com',
  '/\r/evil.com',
  '\t//evil.com',
  '  //evil.com',
  ' /welcome',
  '\u0019//evil.com',
  '\u200a///evil.com', // thin space
  '/\u0000/evil.com',
  'https://app.example.test\u0000.evil.com',
  // downgrade to http on an https appUrl; a port that is not ours
  'http://app.example.test/welcome',
  'https://app.example.test:8443/welcome',
  // not a URL at all
  'evil.com',
  '.evil.com',
  '',
  ' ',
];

/**
 * The values a second platform walks. Its routes and safeRedirect are the
 * same code, and the values arrive percent-encoded, as browsers send them:
 * what its own parsers could still read differently are the bytes beyond
 * printable ASCII (control characters, white space, non-ASCII) and the empty
 * value, so all of those are in, and every third of the rest.
 */
export const HOSTILE_REDIRECTS_SAMPLE: readonly string[] = HOSTILE_REDIRECTS.filter(
  (next, index) => next === '' || /[^\x21-\x7e]/.test(next) || index % 3 === 0,
);

/** Relative paths and same-site URLs that are kept: [candidate, the Location sent]. */
export const SAFE_REDIRECTS: ReadonlyArray<readonly [string, string]> = [
  ['/dashboard', '/dashboard'],
  ['/dashboard?tab=2#top', '/dashboard?tab=2#top'],
  ['/a/../b', '/b'],
  ['/caf\u00e9', '/caf%C3%A9'],
  ['https://app.example.test/account', 'https://app.example.test/account'],
  ['HTTPS://APP.EXAMPLE.TEST/account', 'https://app.example.test/account'],
  ['https://app.example.test:443/account', 'https://app.example.test/account'],
];
