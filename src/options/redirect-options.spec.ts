import { resolveSecurityOptions, type SecurityModuleOptions } from '../security.options.js';

const resolve = (extra: Partial<SecurityModuleOptions>) =>
  resolveSecurityOptions({ secretKey: 'k', testing: true, appUrl: 'https://app.example.test', ...extra });

describe('redirect options', () => {
  it('refuses to start with a configured redirect a next could not take', () => {
    expect(() => resolve({ redirects: { postLogin: '//evil.com' } })).toThrow(
      /redirects\.postLogin: "\/\/evil\.com" is not a safe redirect/,
    );
    expect(() => resolve({ redirects: { resetView: 'https://spa.example.test/reset' } })).toThrow(/redirects\.resetView/);
    expect(() => resolve({ redirects: { loginError: 'javascript:alert(1)' } })).toThrow(/redirects\.loginError/);
    expect(() => resolve({ redirects: { postConfirm: 'https://app.example.test.evil.com/' } })).toThrow(/redirects\.postConfirm/);
  });

  it('takes paths, appUrl and the allowed hosts', () => {
    const options = resolve({
      redirects: {
        postLogin: '/welcome',
        confirmError: 'oops',
        resetView: 'https://spa.example.test/reset',
        postConfirm: 'https://app.example.test/x',
      },
      redirectAllowedHosts: ['spa.example.test'],
    });
    expect(options.redirectAllowSubdomains).toBe(false);
    expect(options.redirectIncludeIdentity).toBe(false);
    expect(() =>
      resolve({
        redirects: { resetView: 'https://a.spa.example.test/' },
        redirectAllowedHosts: ['spa.example.test'],
        redirectAllowSubdomains: true,
      }),
    ).not.toThrow();
  });

  it('refuses allowed hosts that are not hosts', () => {
    expect(() => resolve({ redirectAllowedHosts: ['https://spa.example.test'] })).toThrow(
      /redirectAllowedHosts: "https:\/\/spa.example.test" is not a host/,
    );
    expect(() => resolve({ redirectAllowedHosts: 'spa.example.test' as never })).toThrow(/redirectAllowedHosts must be a list/);
  });
});
