/**
 * itsdangerous 2.x compatible signing, free of Nest: tokens made here load in
 * Python and the other way round. For the same value and time, dumps gives
 * the bytes Python gives (payloads up to 16382 bytes of JSON; beyond that the
 * compressed stream may differ, see zlib-deflate.ts).
 */
export { BadData, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
export type { Digest, KeyDerivation, SecretKey } from './key-derivation.js';
export { Signer, MAX_TOKEN_LENGTH, type SignerOptions } from './signer.js';
export { TimestampSigner, type TimestampSignerOptions, type UnsignOptions } from './timestamp-signer.js';
export {
  URLSafeSerializer,
  URLSafeTimedSerializer,
  type LoadsOptions,
  type SerializerOptions,
  type TimedSerializerOptions,
} from './serializer.js';
export { MAX_PAYLOAD_BYTES } from './payload.js';
export { timingSafeEqualStrings } from './timing-safe-equal.js';
