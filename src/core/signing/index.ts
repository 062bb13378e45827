/**
 * itsdangerous 2.x compatible signing, free of Nest: tokens made here load in
 * Python and the other way round. On node:crypto, node:zlib, Buffer and JSON
 * only. For the same value and time an uncompressed token is the bytes Python
 * gives (see payload.ts for the number spellings that differ); a compressed one
 * is a valid zlib stream that Python reads, not necessarily Python's bytes.
 */
export { BadData, BadHeader, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './errors.js';
export { JWSTimedSerializer, type JwsAlgorithm, type JwsLoadsOptions, type JWSTimedSerializerOptions } from './jws.js';
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
