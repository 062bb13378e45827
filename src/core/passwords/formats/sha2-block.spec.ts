import { createHash } from 'node:crypto';
import { paddedLength, Sha256Block, Sha512Block, writePadding, type Sha2Block } from './sha2-block.js';

/** Hashes `message` in one go with the block function, as SHA-crypt's layouts do. */
function digest(block: Sha2Block, message: Uint8Array): Buffer {
  const buffer = new Uint8Array(paddedLength(message.length, block.blockBytes));
  buffer.set(message);
  writePadding(buffer, message.length, message.length, block.blockBytes);
  block.init();
  block.compress(buffer, 0, buffer.length / block.blockBytes);
  const out = Buffer.alloc(block.digestBytes);
  block.writeDigest(out, 0);
  return out;
}

describe.each([
  ['sha256', () => new Sha256Block()],
  ['sha512', () => new Sha512Block()],
] as const)('%s block function', (name, make) => {
  it('matches node:crypto for every length across three blocks', () => {
    const block = make();
    let seed = 7;
    for (let length = 0; length <= 3 * block.blockBytes + 1; length++) {
      const message = Buffer.alloc(length);
      for (let i = 0; i < length; i++) message[i] = seed = (seed * 1103515245 + 12345) & 0xff;
      expect(digest(block, message).toString('hex')).toBe(createHash(name).update(message).digest('hex'));
    }
  });

  it('continues from a saved state and reads back its own digest', () => {
    const block = make();
    const message = Buffer.alloc(block.blockBytes * 2 + 5, 0xa5);
    const whole = createHash(name).update(message).digest();
    // First block, then the rest with the length of the whole message in the padding.
    block.init();
    block.compress(message, 0, 1);
    const saved = Int32Array.from(block.state);
    const rest = message.subarray(block.blockBytes);
    const buffer = new Uint8Array(paddedLength(rest.length, block.blockBytes));
    buffer.set(rest);
    writePadding(buffer, rest.length, message.length, block.blockBytes);
    block.state.set(saved);
    block.compress(buffer, 0, buffer.length / block.blockBytes);
    const out = Buffer.alloc(block.digestBytes);
    block.writeDigest(out, 0);
    expect(out.equals(whole)).toBe(true);
    block.init();
    block.readDigest(whole, 0);
    const again = Buffer.alloc(block.digestBytes);
    block.writeDigest(again, 0);
    expect(again.equals(whole)).toBe(true);
  });
});
