import type { RefreshTracker } from '../storage/refresh-token-store.js';

/**
 * The refresh token payload of Flask-Security 5.9 (`refresh` serializer,
 * untimed): `{ ver: "1", uid, expires_at, last_used_at, name, family, gen }`,
 * keys in that order so the JSON is the bytes Python writes. Only `uid`,
 * `family` and `gen` decide anything: the dates are the family's at
 * minting, for the client's information; the store's are the ones checked.
 */
export interface RefreshTokenData {
  ver: string;
  /** fs_token_uniquifier when the user has one, else fs_uniquifier: a rotation kills the token. */
  uid: string;
  /** Epoch seconds (float). */
  expires_at: number;
  /** Epoch seconds (float). */
  last_used_at: number;
  name: string;
  family: string;
  gen: number;
}

/** The payload for the family's current generation. */
export function refreshTokenData(tracker: RefreshTracker, uid: string): RefreshTokenData {
  return {
    ver: '1',
    uid,
    expires_at: tracker.expiresAt.getTime() / 1000,
    last_used_at: tracker.lastUsedAt.getTime() / 1000,
    name: tracker.name,
    family: tracker.family,
    gen: tracker.gen,
  };
}

/** The payload of a loaded token, or null when it is not one (any field of the wrong shape). */
export function parseRefreshTokenData(data: unknown): RefreshTokenData | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const { ver, uid, expires_at, last_used_at, name, family, gen } = data as Record<string, unknown>;
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > 64) return null;
  if (typeof family !== 'string' || family.length === 0 || family.length > 64) return null;
  if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 1) return null;
  return {
    ver: typeof ver === 'string' ? ver : '1',
    uid,
    expires_at: typeof expires_at === 'number' ? expires_at : 0,
    last_used_at: typeof last_used_at === 'number' ? last_used_at : 0,
    name: typeof name === 'string' ? name : '',
    family,
    gen,
  };
}
