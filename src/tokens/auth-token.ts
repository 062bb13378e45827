/**
 * The auth token payload of Flask-Security 5.x ("remember" serializer):
 * `{ ver: "5", uid, fs_paa, exp }`. Version 4 tokens were a bare
 * `[uniquifier]` list and are still accepted.
 */
export interface AuthTokenData {
  ver: string;
  /** fs_token_uniquifier when the user has one, else fs_uniquifier. */
  uid: string;
  /** Primary authentication time, epoch seconds (float): freshness for token auth. */
  fs_paa: number;
  /** Epoch seconds after which the token is dead; 0 means no token-specific expiry. */
  exp: number;
}

/** Normalise a loaded payload into AuthTokenData, or null when it is not one. */
export function parseAuthTokenData(data: unknown): AuthTokenData | null {
  if (Array.isArray(data)) {
    return typeof data[0] === 'string' && data[0].length > 0 ? { ver: '4', uid: data[0], fs_paa: 0, exp: 0 } : null;
  }
  if (data === null || typeof data !== 'object') return null;
  const { ver, uid, fs_paa: paa, exp } = data as Record<string, unknown>;
  if (typeof uid !== 'string' || uid.length === 0) return null;
  return {
    ver: typeof ver === 'string' ? ver : '5',
    uid,
    fs_paa: typeof paa === 'number' && Number.isFinite(paa) ? paa : 0,
    exp: typeof exp === 'number' && Number.isFinite(exp) ? exp : 0,
  };
}
