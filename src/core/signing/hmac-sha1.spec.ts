import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha1 } from './hmac-sha1.js';
import { Signer } from './signer.js';

describe('HmacSha1 (the JS fast path of the default digest)', () => {
  it('equals node:crypto for keys and ASCII messages of every length around the block edges', () => {
    const out = new Uint8Array(20);
    for (const keyLength of [0, 1, 20, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const mac = new HmacSha1(key);
      for (let length = 0; length <= 300; length++) {
        let text = '';
        for (let i = 0; i < length; i++) text += String.fromCharCode(32 + ((i * 37 + length) % 95));
        expect(mac.macAscii(text, out)).toBe(true);
        expect(Buffer.from(out).equals(createHmac('sha1', key).update(text).digest())).toBe(true);
      }
    }
  });

  it('declines text that is not 7-bit ASCII, and the Signer then uses node:crypto (UTF-8)', () => {
    expect(new HmacSha1(Buffer.from('k')).macAscii('é', new Uint8Array(20))).toBe(false);
    expect(new HmacSha1(Buffer.from('k')).macAscii('x'.repeat(100) + '\u0100', new Uint8Array(20))).toBe(false);
    const signer = new Signer('k', { salt: 's' });
    const signed = signer.sign('ünïcödé ✓');
    expect(signer.unsign(signed)).toBe('ünïcödé ✓');
    const sha256 = new Signer('k', { salt: 's', digest: 'sha256' });
    expect(signed.slice(0, signed.lastIndexOf('.'))).toBe(sha256.unsign(sha256.sign('ünïcödé ✓')));
  });
});
