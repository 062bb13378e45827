import { emailProblems, MAX_EMAIL_LENGTH, normalizeEmail } from './email.js';
import { FieldMessage } from './flow-messages.js';

describe('account email addresses (HTTP bodies and the admin CLI)', () => {
  it('accepts ordinary and international addresses, stored as typed (trimmed)', () => {
    for (const good of ['jane@example.com', 'Jane.Doe+news@Mail.Example.ORG', 'ünïcode@example.com', 'x@xn--bcher-kva.example']) {
      expect({ good, problems: emailProblems(good) }).toEqual({ good, problems: [] });
    }
    expect(normalizeEmail('  Jane@Example.com ')).toBe('Jane@Example.com');
  });

  it('refuses what is not an address, and says "not provided" for a non-string', () => {
    const tooLong = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(tooLong.length).toBeGreaterThan(MAX_EMAIL_LENGTH);
    for (const bad of [
      '',
      'jane',
      'jane@localhost',
      'jane@example',
      'a@b@example.com',
      'jane doe@example.com',
      'jane.@example.com',
      ' jane@example.com',
      tooLong,
    ]) {
      expect({ bad, problems: emailProblems(bad) }).toEqual({ bad, problems: [FieldMessage.INVALID_EMAIL_ADDRESS] });
    }
    for (const notString of [undefined, null, 42, ['jane@example.com'], { email: 'jane@example.com' }]) {
      expect(emailProblems(notString)).toEqual([FieldMessage.EMAIL_NOT_PROVIDED]);
    }
  });
});
