import { Fernet } from '../../core/fernet/index.js';
import { RecoveryCodeFormats } from './recovery-code-formats.js';

const SECRET = 'recovery-code-formats-secret-0123456789';
const KEY = Fernet.generateKey();
const CODE = '1a2b-3c4d-5e6f';

describe('RecoveryCodeFormats', () => {
  const hashing = new RecoveryCodeFormats([SECRET], []);
  const encrypting = new RecoveryCodeFormats([SECRET], [KEY]);

  it('without Fernet keys: HMACs bound to the user, and plain Flask-Security codes', () => {
    const sealed = hashing.seal(7, CODE);
    expect(sealed).toMatch(/^hmac-sha256\$[0-9a-f]{64}$/);
    expect(hashing.matching(7, ['aaaa-bbbb-cccc', sealed], CODE)).toBe(sealed);
    expect(hashing.matching(8, [sealed], CODE)).toBeNull();
    expect(hashing.matching(7, ['aaaa-bbbb-cccc', sealed], 'AAAA-BBBB-CCCC')).toBe('aaaa-bbbb-cccc');
  });

  it('without Fernet keys, an encrypted entry matches nothing: neither its code nor the token typed as it is', () => {
    const token = new Fernet(KEY).encrypt(CODE);
    expect(hashing.matching(7, [token], CODE)).toBeNull();
    expect(hashing.matching(7, [token], token)).toBeNull();
  });

  it('with Fernet keys: new entries are tokens of the first key; tokens of any key match their code only', () => {
    const sealed = encrypting.seal(7, CODE);
    expect(new Fernet(KEY).decrypt(sealed).toString()).toBe(CODE);
    const older = Fernet.generateKey();
    const rotated = new RecoveryCodeFormats([SECRET], [Fernet.generateKey(), older]);
    const fromOlder = new Fernet(older).encrypt('9999-8888-7777');
    expect(rotated.matching(7, [sealed, fromOlder], '9999-8888-7777')).toBe(fromOlder);
    expect(rotated.matching(7, [sealed, fromOlder], CODE)).toBeNull();
    expect(encrypting.matching(7, [sealed], sealed)).toBeNull();
    // HMACs written before the keys were set still match.
    expect(encrypting.matching(7, [hashing.seal(7, CODE)], CODE)).not.toBeNull();
  });
});
