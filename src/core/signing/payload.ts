import { isUtf8 } from 'node:buffer';
import { inflateSync } from 'node:zlib';
import { base64urlDecode, base64urlEncode } from './base64url.js';
import { dumpsCompactJsonUtf8, loadsCompactJson } from './compact-json.js';
import { BadPayload } from './errors.js';
import { zlibCompressIfShorter } from './zlib-deflate.js';

/** Decompressed payloads larger than this are refused (zlib bombs). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const DOT = 0x2e;

/**
 * The payload part of a URL-safe token: compact JSON, zlib-compressed with a
 * leading "." when that is at least two bytes shorter (itsdangerous's rule),
 * then base64url without padding.
 */
export function encodePayload(value: unknown): string {
  const { bytes, length } = dumpsCompactJsonUtf8(value);
  const compressed = zlibCompressIfShorter(bytes, length - 1, length);
  return compressed === undefined ? bytes.toString('base64url', 0, length) : '.' + base64urlEncode(compressed);
}

/** Reverse of encodePayload; anything wrong is a BadPayload. */
export function decodePayload(text: string): unknown {
  let bytes: Buffer;
  if (text.charCodeAt(0) === DOT) {
    try {
      bytes = inflateSync(base64urlDecode(text.slice(1)), { maxOutputLength: MAX_PAYLOAD_BYTES });
    } catch (error) {
      throw new BadPayload('Could not zlib decompress the payload', error);
    }
  } else {
    bytes = base64urlDecode(text);
  }
  if (!isUtf8(bytes)) throw new BadPayload('The payload is not UTF-8');
  try {
    return loadsCompactJson(bytes.toString('utf8'));
  } catch (error) {
    throw new BadPayload('Could not parse the payload as JSON', error);
  }
}
