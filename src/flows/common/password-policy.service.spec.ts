import type { PasswordHasher } from '../../core/passwords/index.js';
import { resolveSecurityOptions, type SecurityModuleOptions } from '../../security.options.js';
import { PasswordPolicy } from './password-policy.service.js';

/** Only what the policy uses of the hasher: its own rules and NFKD normalisation. */
const hasher = {
  validate: (password: string) => ([...password.normalize('NFKD')].length < 8 ? ['too short'] : []),
  normalize: (password: string) => password.normalize('NFKD'),
} as unknown as PasswordHasher;

const policy = (breachedPasswords: SecurityModuleOptions['breachedPasswords'], extra: Partial<SecurityModuleOptions> = {}) =>
  new PasswordPolicy(hasher, resolveSecurityOptions({ secretKey: 'k', testing: true, breachedPasswords, ...extra }));

describe('PasswordPolicy', () => {
  it("reports the hasher's rules first", async () => {
    expect(await policy(['short']).problems('short')).toEqual(['too short']);
  });

  it('rejects passwords of the breached list, case-insensitively and after NFKD', async () => {
    const list = policy(['Password123', 'ｃｏｍｐａｔｉｂｌｅ1']);
    expect(await list.problems('PASSWORD123')).toHaveLength(1);
    expect(await list.problems('compatible1')).toHaveLength(1);
    expect(await list.problems('a fine passphrase')).toEqual([]);
  });

  it('asks a checker function, and fails closed when it throws', async () => {
    const seen: string[] = [];
    const checker = policy(async (password) => {
      seen.push(password);
      if (password === 'checker is down') throw new Error('unreachable');
      return password === 'leaked passphrase';
    });
    expect(await checker.problems('leaked passphrase')).toHaveLength(1);
    expect(await checker.problems('unseen passphrase')).toEqual([]);
    expect(await checker.problems('checker is down')).toHaveLength(1);
    expect(seen).toEqual(['leaked passphrase', 'unseen passphrase', 'checker is down']);
  });

  it('wants the retyped password equal, and present when requirePasswordConfirm', () => {
    const optional = policy([]);
    expect(optional.confirmProblems('a fine passphrase', undefined)).toEqual([]);
    expect(optional.confirmProblems('a fine passphrase', 'a fine passphrase')).toEqual([]);
    expect(optional.confirmProblems('a fine passphrase', 'a fine passphrasE')).toEqual(['Passwords do not match']);
    const required = policy([], { requirePasswordConfirm: true });
    expect(required.confirmProblems('a fine passphrase', undefined)).toEqual(['Password not provided']);
    expect(required.confirmProblems('a fine passphrase', 'a fine passphrase')).toEqual([]);
  });
});
