import { redirectPolicy } from '../../http/index.js';
import { linkOptions } from '../../options/option-slices.js';
import { resolveSecurityOptions } from '../../security.options.js';
import { FlowLinks } from './flow-links.service.js';

const links = (extra: Record<string, unknown> = {}) => {
  const options = resolveSecurityOptions({ secretKey: 'k', testing: true, appUrl: 'https://app.example.com/', ...extra });
  return new FlowLinks(linkOptions(options), redirectPolicy(options));
};

describe('FlowLinks', () => {
  it('builds mail links from appUrl and the route prefix', () => {
    expect(links().confirmLink('a.b-c_d')).toBe('https://app.example.com/auth/confirm/a.b-c_d');
    expect(links({ urlPrefix: '/api/auth' }).resetLink('t')).toBe('https://app.example.com/api/auth/reset/t');
    expect(links({ urlPrefix: '/' }).changeEmailLink('t')).toBe('https://app.example.com/change-email/t');
    expect(links().confirmLink('a/b?c')).toBe('https://app.example.com/auth/confirm/a%2Fb%3Fc');
  });

  it('resolves SPA targets (absolute, a path under appUrl, or appUrl) and adds the query, keeping its own', () => {
    const spa = links({
      redirects: { postConfirm: 'https://spa.example.com/done?from=mail', confirmError: 'oops', resetView: '/reset' },
      redirectAllowedHosts: ['spa.example.com'],
    });
    expect(spa.frontEnd('postConfirm', { code: 'EMAIL_CONFIRMED', email: 'a+b@example.com', empty: '', none: undefined })).toBe(
      'https://spa.example.com/done?from=mail&code=EMAIL_CONFIRMED&email=a%2Bb%40example.com',
    );
    expect(spa.frontEnd('confirmError')).toBe('https://app.example.com/oops');
    expect(spa.frontEnd('resetView', { token: 'x.y' })).toBe('https://app.example.com/reset?token=x.y');
    expect(spa.frontEnd('postChangeEmail')).toBe('https://app.example.com/');
  });

  it('puts the email and identity in SPA redirects only with redirectIncludeIdentity', () => {
    const user = { email: 'a@example.com', username: 'ann' } as never;
    expect(links().identityQuery(user)).toEqual({});
    expect(links({ redirectIncludeIdentity: true }).identityQuery(user)).toEqual({ email: 'a@example.com', identity: 'ann' });
    expect(links({ redirectIncludeIdentity: true }).identityQuery(null)).toEqual({});
  });
});
