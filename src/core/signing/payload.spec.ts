import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { BadPayload } from './errors.js';
import { decodePayload, encodePayload, MIN_COMPRESSIBLE_BYTES } from './payload.js';

describe('token payloads: JSON.stringify, zlib when it pays, base64url', () => {
  it('writes compact JSON as base64url without padding, as itsdangerous', () => {
    expect(encodePayload(['abc', 1, null])).toBe(Buffer.from('["abc",1,null]').toString('base64url'));
    expect(encodePayload({ é: '✓ 😀' })).toBe(Buffer.from('{"é":"✓ 😀"}', 'utf8').toString('base64url')); // ensure_ascii=False
  });

  it('compresses a large compressible payload into a zlib stream behind a "."', () => {
    const value = Array(100).fill('repeat');
    const encoded = encodePayload(value);
    expect(encoded.startsWith('.')).toBe(true);
    expect(inflateSync(Buffer.from(encoded.slice(1), 'base64url')).toString()).toBe(JSON.stringify(value));
    expect(decodePayload(encoded)).toEqual(value);
  });

  it('leaves small payloads uncompressed, however compressible', () => {
    const small = 'a'.repeat(MIN_COMPRESSIBLE_BYTES - 3); // 125 bytes of JSON with its quotes
    expect(encodePayload(small)).toBe(Buffer.from(JSON.stringify(small)).toString('base64url'));
    const random = randomBytes(60).toString('hex');
    expect(decodePayload(encodePayload(random))).toBe(random);
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => encodePayload(undefined)).toThrow(TypeError);
    expect(() => encodePayload(() => 1)).toThrow(TypeError);
    expect(() => encodePayload(10n)).toThrow(TypeError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => encodePayload(cyclic)).toThrow(TypeError);
  });

  it('anything that is not base64url of UTF-8 JSON, or of zlib of it, is BadPayload', () => {
    for (const bad of ['', '.', '.!!!', '_w', Buffer.from('NaN').toString('base64url'), '.' + Buffer.from('x').toString('base64url')]) {
      expect(() => decodePayload(bad)).toThrow(BadPayload);
    }
  });
});
