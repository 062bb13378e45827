import { DEFAULT_MAIL_TEMPLATES, MAIL_TEMPLATE_NAMES, type MailTemplateContexts } from './default-templates.js';
import { escapeHtml } from './escape-html.js';
import { formatWithin } from './mail-template.js';
import { renderMailTemplate, substitute } from './render-mail-template.js';

const hostile = `<script>alert("x")</script>&'`;

/** A context for every template, every value hostile, so escaping is checked everywhere. */
const contexts: { [N in keyof MailTemplateContexts]: MailTemplateContexts[N] } = {
  welcome: {
    email: `a${hostile}@example.com`,
    username: hostile,
    link: `https://app.test/auth/confirm/t?a=1&b=${hostile}`,
    within: 432000,
  },
  confirm_instructions: { email: hostile, link: `https://app.test/auth/confirm/${hostile}`, within: 432000 },
  reset_instructions: { email: hostile, link: `https://app.test/auth/reset/${hostile}`, within: '5 days' },
  reset_notice: { email: hostile },
  change_notice: { email: hostile, resetLink: `https://app.test/auth/reset?${hostile}` },
  change_email_instructions: { email: hostile, newEmail: hostile, link: `https://app.test/auth/change-email/${hostile}`, within: 7200 },
  change_email_notice: { email: hostile, newEmail: hostile },
  login_instructions: { email: hostile, link: `https://app.test/auth/login/${hostile}`, within: 86400 },
  us_code: { email: hostile, code: hostile, within: 120, link: `https://app.test/auth/us-signin?${hostile}` },
  username_recovery: { email: hostile, username: hostile },
  change_username_notice: { email: hostile, username: hostile, previousUsername: hostile },
  register_existing: { email: hostile, username: hostile, resetLink: `https://app.test/auth/reset?${hostile}` },
  register_username_taken: { email: hostile, username: hostile },
  two_factor_instructions: { email: hostile, code: hostile, within: 300 },
  two_factor_rescue: { email: hostile, userEmail: hostile },
};

describe('mail templates', () => {
  it('has the template names flows rely on', () => {
    expect(MAIL_TEMPLATE_NAMES.sort()).toEqual(
      [
        'change_email_instructions',
        'change_email_notice',
        'change_notice',
        'change_username_notice',
        'confirm_instructions',
        'login_instructions',
        'register_existing',
        'register_username_taken',
        'reset_instructions',
        'reset_notice',
        'two_factor_instructions',
        'two_factor_rescue',
        'us_code',
        'username_recovery',
        'welcome',
      ].sort(),
    );
  });

  it.each(MAIL_TEMPLATE_NAMES)('%s: a subject, a text part and an HTML part with every value escaped', (name) => {
    const mail = renderMailTemplate(name, contexts[name] as never);
    expect(mail.subject.length).toBeGreaterThan(0);
    expect(mail.text).toContain(hostile); // raw in text
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(escapeHtml(hostile));
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    for (const key of ['link', 'resetLink', 'code'] as const) {
      const value = (contexts[name] as Record<string, unknown>)[key];
      if (typeof value === 'string') {
        expect(mail.text).toContain(value);
        expect(mail.html).toContain(escapeHtml(value));
      }
    }
  });

  it('states lifetimes in words', () => {
    expect(renderMailTemplate('reset_instructions', { email: 'a@b.c', link: 'https://x/r/t', within: 432000 }).text).toContain(
      'expires in 5 days',
    );
    expect(renderMailTemplate('us_code', { email: 'a@b.c', code: '123456', within: 120 }).text).toContain('expires in 2 minutes');
    expect(formatWithin(3600)).toBe('1 hour');
    expect(formatWithin(5400)).toBe('90 minutes');
    expect(formatWithin(90)).toBe('90 seconds');
  });

  it('welcome mentions confirmation only with a confirm link', () => {
    expect(renderMailTemplate('welcome', { email: 'a@b.c' }).text).not.toMatch(/confirm/i);
    expect(renderMailTemplate('welcome', { email: 'a@b.c', link: 'https://x/auth/confirm/t' }).text).toContain('https://x/auth/confirm/t');
  });

  it('keeps line breaks out of the subject', () => {
    const mail = renderMailTemplate('reset_notice', { email: 'a@b.c', name: 'x\r\nBcc: victim@example.com' }, { subject: 'Hi {{name}}' });
    expect(mail.subject).toBe('Hi x Bcc: victim@example.com');
  });
});

describe('template overrides', () => {
  it('substitutes {{var}} raw in subject and text, escaped in html', () => {
    const mail = renderMailTemplate(
      'confirm_instructions',
      { email: 'a&b@example.com', link: 'https://x/c/t?a=1&b=2', within: 3600 },
      { subject: 'Confirm {{ email }}', text: 'Go to {{link}} within {{within}}.', html: '<a href="{{link}}">{{email}}</a>' },
    );
    expect(mail.subject).toBe('Confirm a&b@example.com');
    expect(mail.text).toBe('Go to https://x/c/t?a=1&b=2 within 1 hour.');
    expect(mail.html).toBe('<a href="https://x/c/t?a=1&amp;b=2">a&amp;b@example.com</a>');
  });

  it('replaces only the parts given', () => {
    const context = { email: 'a@b.c', link: 'https://x/r/t' };
    const mail = renderMailTemplate('reset_instructions', context, { subject: 'Reset' });
    const plain = renderMailTemplate('reset_instructions', context);
    expect(mail).toEqual({ ...plain, subject: 'Reset' });
  });

  it('derives the HTML part from an overridden text part when no HTML is given', () => {
    const mail = renderMailTemplate(
      'login_instructions',
      { email: '<b>@b.c', link: 'https://x/l/t?a=1&b=2' },
      { text: 'Hello {{email}}\n\nSign in: {{link}}' },
    );
    expect(mail.text).toBe('Hello <b>@b.c\n\nSign in: https://x/l/t?a=1&b=2');
    expect(mail.html).toContain('<p>Hello &lt;b&gt;@b.c</p>');
    expect(mail.html).toContain('<a href="https://x/l/t?a=1&amp;b=2">https://x/l/t?a=1&amp;b=2</a>');
  });

  it('renders unknown placeholders as empty and never evaluates anything', () => {
    expect(substitute('{{nope}}|{{constructor}}|{{ __proto__ }}|{{a.b}}', {})).toBe('|||{{a.b}}');
  });

  it('refuses an unknown template name', () => {
    expect(() => renderMailTemplate('nope' as never, { email: 'a@b.c' } as never)).toThrow(/unknown mail template/);
  });

  it('defines every template with a subject and blocks', () => {
    for (const template of Object.values(DEFAULT_MAIL_TEMPLATES)) {
      expect(typeof template.subject).toBe('function');
      expect(typeof template.blocks).toBe('function');
    }
  });
});
