import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateBy } from 'class-validator';
import { domainToASCII, domainToUnicode } from 'node:url';
import { FieldMessage } from './flow-messages.js';

/**
 * The one rule for an account's email address, used by every body field that
 * takes one (login, register, confirm resend, reset, change-email, login
 * link, username recovery) and by the admin CLI, so none accepts an address
 * another refuses.
 *
 * It is the rule of Flask-Security's MailUtil, which calls python's
 * email_validator with its defaults and no DNS check: an unquoted
 * (dot-atom) local part, internationalised characters allowed but no unsafe
 * ones (controls, format characters, surrogates, spaces), no display name, no
 * IP literal, and a domain that is a valid hostname after IDNA (UTS #46)
 * mapping, with a dot, a top-level domain ending in a letter and not a
 * special-use name. The stored form is email_validator's normalised one:
 * the local part NFC, the domain mapped (lower-cased, NFKC) and in Unicode.
 */

/** RFC 5321's limit on a forward path, in UTF-8 bytes, as email_validator counts it. */
export const MAX_EMAIL_LENGTH = 254;

export type EmailCheck = { valid: true; normalized: string } | { valid: false; reason: string };

/** RFC 5322 atext, then internationalised (RFC 6531: every code point from U+0080). */
const ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const DOT_ATOM_INTL = new RegExp(`^[${ATEXT}\\u0080-\\u{10FFFF}]+(?:\\.[${ATEXT}\\u0080-\\u{10FFFF}]+)*$`, 'u');
const HOSTNAME_CHARS = /^[A-Za-z0-9.\-\u0080-\u{10FFFF}]+$/u;
const HOSTNAME_LABEL = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)';
const ASCII_HOSTNAME = new RegExp(`^${HOSTNAME_LABEL}(?:\\.${HOSTNAME_LABEL})*$`);
/** IDNA 2008 allows letters, marks and digits in a label (and the hyphen); not symbols or punctuation. */
const IDNA_LABEL = /^[\p{L}\p{M}\p{N}-]+$/u;
/**
 * Never safe in an address: controls (CR, LF), format characters, private
 * use, unassigned, separators, and surrogates, which a /u pattern sees when
 * they are lone ("\ud800" is category Cs).
 */
const UNSAFE = /[\p{C}\p{Z}]/u;
const DNS_LABEL_MAX = 63;
const DOMAIN_MAX = 253;

/** email_validator's SPECIAL_USE_DOMAIN_NAMES: no address there can receive mail from the internet. */
const SPECIAL_USE_DOMAINS = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];
/** RFC 2142 mailbox names, case-insensitive by definition: lower-cased in the normalised form. */
const CASE_INSENSITIVE_MAILBOXES = new Set([
  'info',
  'marketing',
  'sales',
  'support',
  'abuse',
  'noc',
  'security',
  'postmaster',
  'hostmaster',
  'usenet',
  'news',
  'webmaster',
  'www',
  'uucp',
  'ftp',
]);

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A combining mark in the first position would combine with what precedes the address. */
function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text) || /^\p{M}/u.test(text);
}

/** The local part as stored, or why it is refused. */
function checkLocalPart(local: string): { local: string; ascii: boolean } | string {
  if (local.length === 0) return 'nothing before the @-sign';
  if (DOT_ATOM.test(local)) {
    return { local: CASE_INSENSITIVE_MAILBOXES.has(local.toLowerCase()) ? local.toLowerCase() : local, ascii: true };
  }
  // Quotes, spaces, CR/LF, <, >, commas, brackets and misplaced dots all fail here.
  if (!DOT_ATOM_INTL.test(local)) return 'invalid characters or dots before the @-sign';
  if (hasUnsafeCharacters(local)) return 'unsafe characters before the @-sign';
  const normalized = local.normalize('NFC');
  if (normalized !== local && (!DOT_ATOM_INTL.test(normalized) || hasUnsafeCharacters(normalized))) {
    return 'invalid after Unicode normalisation';
  }
  return { local: normalized, ascii: false };
}

/** The domain in its stored (Unicode) and ASCII (IDNA) forms, or why it is refused. */
function checkDomain(domain: string): { unicode: string; ascii: string } | string {
  if (domain.length === 0) return 'nothing after the @-sign';
  if (!HOSTNAME_CHARS.test(domain) || hasUnsafeCharacters(domain)) return 'invalid characters after the @-sign';
  // Characters whose compatibility form holds a dot (⒈) would add a label; the full-width full stop is a dot.
  if ([...domain].some((c) => c !== '.' && c !== '\uff0e' && c.normalize('NFKD').includes('.')))
    return 'invalid characters after the @-sign';
  // UTS #46 mapping (case folding, NFKC, the other full stops to '.') and Punycode; '' when not valid IDNA.
  const ascii = domainToASCII(domain);
  if (ascii === '') return 'not a valid internationalised domain name';
  const unicode = domainToUnicode(ascii);
  if (unicode === '' || hasUnsafeCharacters(unicode)) return 'not a valid internationalised domain name';
  const labels = unicode.split('.');
  if (labels.some((label) => label === '')) return 'an empty label (a dot at either end, or two in a row)';
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) return 'a label starts or ends with a hyphen';
  // RFC 5890: "ab--" starts only Punycode ("xn--") labels.
  if (labels.some((label) => /^(?!xn)..--/i.test(label))) return 'two hyphens in the third and fourth positions of a label';
  if (labels.some((label) => !IDNA_LABEL.test(label))) return 'a label with characters IDNA does not allow';
  if (!ASCII_HOSTNAME.test(ascii)) return 'not a valid hostname';
  if (ascii.length > DOMAIN_MAX || ascii.split('.').some((label) => label.length > DNS_LABEL_MAX)) return 'the domain is too long';
  if (!ascii.includes('.')) return 'the domain has no dot';
  if (!/[a-z]$/i.test(ascii)) return 'the top-level domain does not end with a letter';
  if (SPECIAL_USE_DOMAINS.some((name) => ascii === name || ascii.endsWith(`.${name}`))) return 'a special-use or reserved domain';
  return { unicode, ascii };
}

/**
 * Whether `input` is an acceptable account address and, if so, its
 * normalised form (the one stored and looked up). Never throws, whatever
 * the input.
 */
export function checkEmail(input: unknown): EmailCheck {
  if (typeof input !== 'string') return { valid: false, reason: 'not a string' };
  // A UTF-16 unit is at least one UTF-8 byte: longer strings are too long whatever they hold (and cost nothing more).
  if (input.length > MAX_EMAIL_LENGTH) return { valid: false, reason: 'too long' };
  const at = input.indexOf('@');
  if (at < 0) return { valid: false, reason: 'no @-sign' };
  const local = checkLocalPart(input.slice(0, at));
  if (typeof local === 'string') return { valid: false, reason: local };
  const domain = checkDomain(input.slice(at + 1));
  if (typeof domain === 'string') return { valid: false, reason: domain };
  const normalized = `${local.local}@${domain.unicode}`;
  const forms = [input, normalized, `${local.local}@${domain.ascii}`];
  if (forms.some((form) => utf8Length(form) > MAX_EMAIL_LENGTH)) return { valid: false, reason: 'too long' };
  return { valid: true, normalized };
}

/** Problems with a typed email address (the messages HTTP field errors carry); empty when fine. */
export function emailProblems(email: unknown): string[] {
  if (typeof email !== 'string') return [FieldMessage.EMAIL_NOT_PROVIDED];
  return checkEmail(email).valid ? [] : [FieldMessage.INVALID_EMAIL_ADDRESS];
}

/**
 * The stored form of an address: email_validator's normalised one
 * (`Jane@Example.COM` → `Jane@example.com`). An address that is not valid is
 * returned unchanged, for the validation that follows to refuse.
 */
export function normalizeEmail(email: string): string {
  const check = checkEmail(email);
  return check.valid ? check.normalized : email;
}

/**
 * The DTO form of {@link checkEmail}, for an `email` field: the value is
 * replaced by its normalised form before validation (as Flask-Security's
 * EmailValidation sets `field.data`), so the flows see the stored form.
 */
export function IsAccountEmail(): PropertyDecorator {
  // Listed in the order TypeScript applies stacked decorators (bottom first), so field errors keep their order.
  return applyDecorators(
    ValidateBy(
      { name: 'isAccountEmail', validator: { validate: (value: unknown) => checkEmail(value).valid } },
      { message: FieldMessage.INVALID_EMAIL_ADDRESS },
    ),
    MaxLength(MAX_EMAIL_LENGTH),
    IsString({ message: FieldMessage.EMAIL_NOT_PROVIDED }),
    // Surrounding whitespace is a typing slip, not part of the address (a pasted address often carries it).
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value.trim()) : value), { toClassOnly: true }),
  );
}
