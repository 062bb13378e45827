import { Fernet, type FernetDecryptOptions, type FernetEncryptOptions, InvalidFernetToken } from './fernet.js';

/**
 * Several Fernet keys, as Python's `cryptography.fernet.MultiFernet`: the
 * first encrypts, every one decrypts, so a new key goes first and the old
 * ones stay until nothing they made is left.
 */
export class MultiFernet {
  private readonly fernets: readonly Fernet[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new RangeError('MultiFernet needs at least one key');
    this.fernets = keys.map((key) => new Fernet(key));
  }

  encrypt(plaintext: Buffer | string, options?: FernetEncryptOptions): string {
    return this.fernets[0]!.encrypt(plaintext, options);
  }

  decrypt(token: string, options?: FernetDecryptOptions): Buffer {
    for (const fernet of this.fernets) {
      try {
        return fernet.decrypt(token, options);
      } catch (error) {
        if (!(error instanceof InvalidFernetToken)) throw error;
      }
    }
    throw new InvalidFernetToken();
  }
}
