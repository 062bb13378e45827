import { isUtf8 } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { BadPayload } from './errors.js';

/** Decompressed payloads larger than this are refused (zlib bombs). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * JSON shorter than this is never compressed: a zlib stream carries six bytes
 * of header and checksum, so short payloads almost never shrink, and skipping
 * the attempt keeps dumps fast. (Python tries anyway; either form loads in both.)
 */
export const MIN_COMPRESSIBLE_BYTES = 128;

const DOT = 0x2e;

/**
 * The payload part of a URL-safe token: compact JSON (JSON.stringify's output
 * is what itsdangerous writes, with ensure_ascii=False, for every value but
 * floats below 1e-4 and integers from 1e21, which the two languages spell
 * differently), zlib-compressed with a leading "." when that is at least two
 * bytes shorter (itsdangerous's rule), then base64url without padding.
 */
export function encodePayload(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError('nest-security: value is not JSON serializable');
  const bytes = Buffer.from(json, 'utf8');
  if (bytes.length >= MIN_COMPRESSIBLE_BYTES) {
    const compressed = deflateSync(bytes);
    if (compressed.length < bytes.length - 1) return '.' + compressed.toString('base64url');
  }
  return bytes.toString('base64url');
}

/** Reverse of encodePayload; anything wrong is a BadPayload. */
export function decodePayload(text: string): unknown {
  let bytes: Buffer;
  if (text.charCodeAt(0) === DOT) {
    try {
      // Lenient base64 as Python's decoder: the signature already covers the text.
      bytes = inflateSync(Buffer.from(text.slice(1), 'base64url'), { maxOutputLength: MAX_PAYLOAD_BYTES });
    } catch (error) {
      throw new BadPayload('Could not zlib decompress the payload', error);
    }
  } else {
    bytes = Buffer.from(text, 'base64url');
  }
  if (!isUtf8(bytes)) throw new BadPayload('The payload is not UTF-8');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BadPayload('Could not parse the payload as JSON', error);
  }
}
