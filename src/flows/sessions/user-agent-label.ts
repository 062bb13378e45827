/**
 * A short, readable label for a User-Agent header ("Firefox on Linux",
 * "Safari on iOS", "curl"), for the session list. Deliberately small: it
 * names the common browsers and systems and falls back to the first product
 * token; it is a hint for a person, never a security decision.
 */
export function userAgentLabel(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return 'Unknown device';
  const browser = browserOf(ua);
  const system = systemOf(ua);
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  const product = productOf(ua);
  if (system) return `${product ?? 'Browser'} on ${system}`;
  return product ?? 'Unknown device';
}

/** Checked in order: many browsers also say "Chrome" and "Safari", so the specific ones come first. */
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera|OPiOS)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bMSIE |\bTrident\//, 'Internet Explorer'],
];

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

function browserOf(ua: string): string | undefined {
  return BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
}

function systemOf(ua: string): string | undefined {
  return SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
}

/** The first product token ("curl/8.5.0" → "curl"), unless it is the meaningless "Mozilla". */
function productOf(ua: string): string | undefined {
  const match = /^([A-Za-z][\w.-]{0,39})(?:\/|\s|$)/.exec(ua);
  if (!match || match[1] === 'Mozilla') return undefined;
  return match[1];
}
