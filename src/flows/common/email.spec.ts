import { checkEmail, emailProblems, MAX_EMAIL_LENGTH, normalizeEmail } from './email.js';
import { FieldMessage } from './flow-messages.js';

// What Flask-Security's MailUtil (python email_validator, no DNS check) accepts, and the form it stores.
const GOOD: Array<[input: string, normalized: string]> = [
  ['jane@example.com', 'jane@example.com'],
  ['Jane.Doe+news@Mail.Example.ORG', 'Jane.Doe+news@mail.example.org'],
  ["o'brien@example.com", "o'brien@example.com"],
  ['a!#$%&*+/=?^_`{|}~-@example.com', 'a!#$%&*+/=?^_`{|}~-@example.com'],
  ['jane@sub-domain.example.co.uk', 'jane@sub-domain.example.co.uk'],
  ['ünïcode@example.com', 'ünïcode@example.com'],
  ['用户@例子.广告', '用户@例子.广告'],
  // the local part NFC (e + combining acute → é)
  ['jose\u0301@example.com', 'jos\u00e9@example.com'],
  // the domain mapped by UTS #46 and shown in Unicode
  ['x@xn--bcher-kva.example', 'x@bücher.example'],
  ['jane@BÜCHER.Example', 'jane@bücher.example'],
  ['jane@ｅｘａｍｐｌｅ．ｃｏｍ', 'jane@example.com'],
  ['jane@example\u3002com', 'jane@example.com'],
  ['jane@straße.de', 'jane@straße.de'],
  // RFC 2142 mailbox names are case-insensitive
  ['PostMaster@example.com', 'postmaster@example.com'],
  [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.com`, `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.com`],
];

const BAD: Array<[input: string, why: string]> = [
  ['', 'empty'],
  ['jane', 'no @-sign'],
  ['jane＠example.com', 'full-width at-sign'],
  ['@example.com', 'no local part'],
  ['jane@', 'no domain'],
  ['a@b@example.com', 'two @-signs'],
  ['jane doe@example.com', 'space'],
  [' jane@example.com', 'leading space'],
  ['jane@example.com ', 'trailing space'],
  ['jane\u3000doe@example.com', 'ideographic space'],
  ['jane.@example.com', 'dot before @'],
  ['.jane@example.com', 'leading dot'],
  ['ja..ne@example.com', 'two dots'],
  ['"jane"@example.com', 'quoted local part'],
  ['"jane doe"@example.com', 'quoted local part with a space'],
  ['"jane\r\n"@example.com', 'quoted local part with CR/LF'],
  ['Jane <jane@example.com>', 'display name'],
  ['<jane@example.com>', 'angle brackets'],
  ['jane>@example.com', 'angle bracket'],
  ['jane@example.com\r\nBcc: eve@example.org', 'CR/LF header injection'],
  ['jane\n@example.com', 'LF'],
  ['jane,joe@example.com', 'comma'],
  ['jane@example.com,eve@example.org', 'two addresses'],
  ['jane\ud800@example.com', 'lone surrogate before @'],
  ['jane@exa\udc00mple.com', 'lone surrogate after @'],
  ['jane\u200b@example.com', 'zero-width space'],
  ['jane\u202e@example.com', 'bidi override'],
  ['jane\u2028@example.com', 'line separator'],
  ['\u0301jane@example.com', 'combining mark first'],
  ['jane\u0000@example.com', 'NUL'],
  ['jane@exam\u00adple.com', 'soft hyphen in the domain'],
  ['jane@[127.0.0.1]', 'IPv4 literal'],
  ['jane@[IPv6:::1]', 'IPv6 literal'],
  ['jane@127.0.0.1', 'IP address'],
  ['jane@localhost', 'no dot, special-use'],
  ['jane@example', 'no dot'],
  ['jane@example.123', 'numeric top-level domain'],
  ['jane@ex_ample.com', 'underscore'],
  ['jane@-example.com', 'label starts with a hyphen'],
  ['jane@example-.com', 'label ends with a hyphen'],
  ['jane@.example.com', 'leading dot in the domain'],
  ['jane@example..com', 'empty label'],
  ['jane@example.com.', 'trailing dot'],
  ['jane@ab--cd.com', 'R-LDH label that is not Punycode'],
  ['jane@xn--zz.com', 'bad Punycode'],
  ['jane@😀.com', 'emoji (not IDNA 2008)'],
  ['jane@⒈.com', 'a character that expands to a dot'],
  ['jane@example.local', 'special-use .local'],
  ['jane@mail.test', 'special-use .test'],
  ['jane@hidden.onion', 'special-use .onion'],
  ['jane@a.invalid', 'special-use .invalid'],
  ['jane@1.0.0.127.in-addr.arpa', 'special-use .arpa'],
  [`jane@${'b'.repeat(64)}.com`, 'label over 63 characters'],
  [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`, 'over 254 characters'],
  [`${'ü'.repeat(125)}@example.com`, 'over 254 bytes in UTF-8'],
];

describe('account email addresses (HTTP bodies and the admin CLI)', () => {
  it.each(GOOD)('accepts %j, stored as %j', (input, normalized) => {
    expect(checkEmail(input)).toEqual({ valid: true, normalized });
    expect(emailProblems(input)).toEqual([]);
    expect(normalizeEmail(input)).toBe(normalized);
    // the stored form is itself valid, and stays as it is
    expect(checkEmail(normalized)).toEqual({ valid: true, normalized });
  });

  it.each(BAD)('refuses %j (%s)', (input) => {
    expect(checkEmail(input)).toMatchObject({ valid: false, reason: expect.any(String) });
    expect(emailProblems(input)).toEqual([FieldMessage.INVALID_EMAIL_ADDRESS]);
    expect(normalizeEmail(input)).toBe(input);
  });

  it('says "not provided" for a non-string, and never throws', () => {
    for (const notString of [undefined, null, 42, true, ['jane@example.com'], { email: 'jane@example.com' }]) {
      expect(emailProblems(notString)).toEqual([FieldMessage.EMAIL_NOT_PROVIDED]);
      expect(checkEmail(notString).valid).toBe(false);
    }
    expect(checkEmail('x'.repeat(1_000_000))).toEqual({ valid: false, reason: 'too long' });
    expect(MAX_EMAIL_LENGTH).toBe(254);
  });
});
