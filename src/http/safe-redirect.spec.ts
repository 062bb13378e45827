import { HOSTILE_REDIRECTS, SAFE_REDIRECTS } from '../../test/http/hostile-redirects.js';
import { parseAllowedHost, redirectPolicy, safeConfiguredRedirect, safeRedirect } from './safe-redirect.js';

const APP_URL = 'https://app.example.test';
const policy = redirectPolicy({ appUrl: APP_URL });

describe('safeRedirect', () => {
  it.each(HOSTILE_REDIRECTS.map((value) => [JSON.stringify(value), value]))('refuses %s', (_label, value) => {
    expect(safeRedirect(value, policy)).toBeUndefined();
  });

  it.each(SAFE_REDIRECTS)('keeps %j as %j', (value, location) => {
    expect(safeRedirect(value, policy)).toBe(location);
  });

  it('refuses what is not a string, and overlong values', () => {
    for (const value of [undefined, null, 1, ['/a'], { href: '/a' }]) expect(safeRedirect(value, policy)).toBeUndefined();
    expect(safeRedirect(`/${'a'.repeat(2048)}`, policy)).toBeUndefined();
    expect(safeRedirect(`/${'a'.repeat(2000)}`, policy)).toBe(`/${'a'.repeat(2000)}`);
  });

  it('allows the allowed hosts exactly, with their port', () => {
    const withHosts = redirectPolicy({ appUrl: APP_URL, redirectAllowedHosts: ['spa.example.test', 'LOCALHOST:5173'] });
    expect(safeRedirect('https://spa.example.test/x', withHosts)).toBe('https://spa.example.test/x');
    expect(safeRedirect('https://localhost:5173/x', withHosts)).toBe('https://localhost:5173/x');
    expect(safeRedirect('https://localhost/x', withHosts)).toBeUndefined();
    expect(safeRedirect('https://a.spa.example.test/x', withHosts)).toBeUndefined();
    expect(safeRedirect('https://spaXexample.test/x', withHosts)).toBeUndefined();
    expect(safeRedirect('https://spa.example.test.evil.com/x', withHosts)).toBeUndefined();
    expect(safeRedirect('https://evil.com\\.spa.example.test/x', withHosts)).toBeUndefined();
  });

  it('allows subdomains of our host and the allowed ones only when enabled', () => {
    const subdomains = redirectPolicy({ appUrl: APP_URL, redirectAllowedHosts: ['spa.example.test'], redirectAllowSubdomains: true });
    expect(safeRedirect('https://a.app.example.test/x', subdomains)).toBe('https://a.app.example.test/x');
    expect(safeRedirect('https://b.a.spa.example.test/', subdomains)).toBe('https://b.a.spa.example.test/');
    expect(safeRedirect('https://evilapp.example.test/', subdomains)).toBeUndefined();
    expect(safeRedirect('https://app.example.test.evil.com/', subdomains)).toBeUndefined();
    expect(safeRedirect('https://evil.com\\.app.example.test/', subdomains)).toBeUndefined();
    expect(safeRedirect('https://evil.com%5C.app.example.test/', subdomains)).toBeUndefined();
    expect(safeRedirect('https://a.app.example.test/', policy)).toBeUndefined();
  });

  it('allows http targets only when appUrl itself is http', () => {
    const plain = redirectPolicy({ appUrl: 'http://localhost:3000' });
    expect(safeRedirect('http://localhost:3000/x', plain)).toBe('http://localhost:3000/x');
    expect(safeRedirect('https://localhost:3000/x', plain)).toBe('https://localhost:3000/x');
    expect(safeRedirect('http://localhost/x', plain)).toBeUndefined();
    expect(safeRedirect('/x', plain)).toBe('/x');
  });

  it('normalises allowed hosts, and refuses what is not one', () => {
    expect(parseAllowedHost('Spa.Example.Test')).toEqual({ hostname: 'spa.example.test', port: '', isIp: false });
    expect(parseAllowedHost('spa.example.test:443')).toEqual({ hostname: 'spa.example.test', port: '443', isIp: false });
    expect(parseAllowedHost('10.0.0.1')).toEqual({ hostname: '10.0.0.1', port: '', isIp: true });
    for (const bad of ['', 'https://spa.example.test', 'spa.example.test/x', 'a@b', 'a b', 'a\\b', 'spa%2eexample.test', 7]) {
      expect(parseAllowedHost(bad)).toBeUndefined();
    }
  });

  it('checks configured redirects the same way, a bare path being under appUrl', () => {
    expect(safeConfiguredRedirect('welcome', policy)).toBe('/welcome');
    expect(safeConfiguredRedirect('/welcome?x=1', policy)).toBe('/welcome?x=1');
    expect(safeConfiguredRedirect('https://app.example.test/spa', policy)).toBe('https://app.example.test/spa');
    expect(safeConfiguredRedirect('https://spa.example.test/spa', policy)).toBeUndefined();
    expect(safeConfiguredRedirect('//evil.com', policy)).toBeUndefined();
    expect(safeConfiguredRedirect('javascript:alert(1)', policy)).toBeUndefined();
  });
});
