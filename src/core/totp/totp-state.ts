import { randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.js';
import { type EncryptedTotpKey, TotpSecrets, TotpSecretsError } from './totp-secrets.js';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** One user's authenticator: the shared key and its parameters (RFC 6238). */
export interface TotpState {
  key: Buffer;
  alg: TotpAlgorithm;
  digits: number;
  period: number;
  label?: string;
  issuer?: string;
}

const KEY_BYTES: Record<TotpAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** A fresh key of the algorithm's digest size, as passlib's TOTP.new(). */
export function newTotpState(options: Partial<Omit<TotpState, 'key'>> = {}): TotpState {
  const alg = options.alg ?? 'sha1';
  return { digits: 6, period: 30, ...options, alg, key: randomBytes(KEY_BYTES[alg]) };
}

/**
 * The JSON passlib's `TOTP.to_json()` writes (what Flask-Security stores in
 * `tf_totp_secret`): sorted keys, no spaces, defaults left out, the key
 * encrypted with `secrets` (`enckey`) or, without secrets, in the clear (`key`).
 */
export async function totpStateToJson(state: TotpState, secrets?: TotpSecrets): Promise<string> {
  const fields: Record<string, unknown> = { type: 'totp', v: 1 };
  if (state.alg !== 'sha1') fields.alg = state.alg;
  if (state.digits !== 6) fields.digits = state.digits;
  if (state.period !== 30) fields.period = state.period;
  if (state.label) fields.label = state.label;
  if (state.issuer) fields.issuer = state.issuer;
  if (secrets) fields.enckey = sortKeys({ ...(await secrets.encrypt(state.key)) });
  else fields.key = base32Encode(state.key);
  return JSON.stringify(sortKeys(fields));
}

/**
 * Reads a stored `tf_totp_secret` (passlib's JSON, encrypted or not).
 * `needsReencrypt` says it should be written again: plain, or under an
 * older secret tag or cost.
 */
export async function totpStateFromJson(json: string, secrets?: TotpSecrets): Promise<TotpState & { needsReencrypt: boolean }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TotpSecretsError('stored TOTP state is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new TotpSecretsError('stored TOTP state is not an object');
  const fields = parsed as Record<string, unknown>;
  if (fields.type !== 'totp' || fields.v !== 1) throw new TotpSecretsError('stored TOTP state has an unknown type or version');
  const alg = (fields.alg ?? 'sha1') as TotpAlgorithm;
  if (!(alg in KEY_BYTES)) throw new TotpSecretsError(`unsupported TOTP algorithm ${JSON.stringify(alg)}`);
  const digits = fields.digits ?? 6;
  const period = fields.period ?? 30;
  if (!Number.isInteger(digits) || (digits as number) < 6 || (digits as number) > 10) throw new TotpSecretsError('bad TOTP digits');
  if (!Number.isInteger(period) || (period as number) < 1) throw new TotpSecretsError('bad TOTP period');

  let key: Buffer;
  let needsReencrypt: boolean;
  if (fields.enckey !== undefined) {
    if (!secrets) throw new TotpSecretsError('stored TOTP key is encrypted and no TOTP secrets are configured');
    ({ key, needsReencrypt } = await secrets.decrypt(fields.enckey as EncryptedTotpKey));
  } else if (typeof fields.key === 'string') {
    key = base32Decode(fields.key);
    needsReencrypt = secrets !== undefined;
  } else {
    throw new TotpSecretsError("stored TOTP state has neither 'enckey' nor 'key'");
  }
  const state: TotpState & { needsReencrypt: boolean } = { key, alg, digits: digits as number, period: period as number, needsReencrypt };
  if (typeof fields.label === 'string') state.label = fields.label;
  if (typeof fields.issuer === 'string') state.issuer = fields.issuer;
  return state;
}

function sortKeys(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
