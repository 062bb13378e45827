import { Secret, TOTP } from 'otpauth';
import { base32Encode } from './base32.js';
import type { TotpState } from './totp-state.js';

function totp(state: TotpState): TOTP {
  return new TOTP({
    secret: new Secret({ buffer: Uint8Array.from(state.key).buffer }),
    algorithm: state.alg.toUpperCase(),
    digits: state.digits,
    period: state.period,
  });
}

/** The time step a moment falls in. */
export function totpCounter(state: TotpState, now = Date.now()): number {
  return Math.floor(now / 1000 / state.period);
}

/** The code of a moment (for tests and for sending by email or SMS). */
export function totpCode(state: TotpState, now = Date.now()): string {
  return totp(state).generate({ timestamp: now });
}

export interface TotpMatchOptions {
  /** Steps accepted either side of now. Default 1 (one 30-second step). */
  window?: number;
  /** The step of the last accepted code: it and earlier steps are refused (no reuse within the window). */
  lastCounter?: number | null;
  now?: number;
}

/**
 * The step the code matches, or null. A code is accepted once: give the
 * returned step back as `lastCounter` next time.
 */
export function matchTotp(state: TotpState, code: string, options: TotpMatchOptions = {}): number | null {
  const now = options.now ?? Date.now();
  const window = options.window ?? 1;
  const token = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${state.digits}}$`).test(token)) return null;
  const delta = totp(state).validate({ token, timestamp: now, window });
  if (delta === null) return null;
  const counter = totpCounter(state, now) + delta;
  if (options.lastCounter != null && counter <= options.lastCounter) return null;
  return counter;
}

/** The key as an authenticator app wants it typed: base32 in groups of four (passlib's pretty_key). */
export function prettyTotpKey(state: TotpState): string {
  return base32Encode(state.key)
    .match(/.{1,4}/g)!
    .join('-');
}

/**
 * The `otpauth://` URI of the QR code, as passlib's to_uri: the issuer in
 * the label and in the query, `%20` for spaces, defaults left out.
 */
export function totpUri(state: TotpState, label: string, issuer = state.issuer): string {
  if (label.includes(':') || issuer?.includes(':')) throw new TypeError('a TOTP label or issuer may not contain ":"');
  const params: Array<[string, string]> = [['secret', base32Encode(state.key)]];
  if (state.alg !== 'sha1') params.push(['algorithm', state.alg.toUpperCase()]);
  if (state.digits !== 6) params.push(['digits', String(state.digits)]);
  if (state.period !== 30) params.push(['period', String(state.period)]);
  let path = quote(label, '@');
  if (issuer) {
    path = `${quote(issuer, '@')}:${path}`;
    params.push(['issuer', issuer]);
  }
  return `otpauth://totp/${path}?${params.map(([key, value]) => `${key}=${quote(value)}`).join('&')}`;
}

/** Python's urllib.parse.quote: like encodeURIComponent, but `!'()*` are escaped too. */
function quote(value: string, safe = ''): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return safe.includes('@') ? encoded.replace(/%40/g, '@') : encoded;
}
