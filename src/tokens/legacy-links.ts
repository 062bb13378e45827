import { BadData, JWSTimedSerializer, SignatureExpired, URLSafeSerializer, type SecretKey } from '../core/signing/index.js';
import type { UserLookup } from '../storage/user-datastore.js';

/** Anything that reads the old app's tokens: an itsdangerous-style serializer, or a function that throws BadData / SignatureExpired. */
export type LegacyLinkSerializer = { loads(token: string): unknown } | ((token: string) => unknown);

/**
 * `legacyLinks`: the old app's confirm, reset and change-email links keep
 * working on the module's own routes. Each mapper turns the old token's
 * payload into the user it names (by id or any lookup column), or null when
 * the payload is not a link of that purpose.
 */
export interface LegacyLinksOptions {
  serializer: LegacyLinkSerializer;
  confirm?: (payload: unknown) => UserLookup | null;
  reset?: (payload: unknown) => UserLookup | null;
  changeEmail?: (payload: unknown) => { user: UserLookup; newEmail: string } | null;
}

export type LegacyLinkPurpose = 'confirm' | 'reset' | 'change_email';

export interface LegacyLink {
  expired: boolean;
  user: UserLookup;
  /** change_email only. */
  newEmail?: string;
  /** When the old token stops being good (its `exp`); null when it never expires. */
  expiresAt: Date | null;
}

/** The payload and `exp` of a legacy token; null when it does not verify. */
function load(serializer: LegacyLinkSerializer, token: string): { payload: unknown; expired: boolean; expiresAt: Date | null } | null {
  try {
    if (serializer instanceof JWSTimedSerializer) {
      const [payload, header] = serializer.loadsWithHeader(token);
      return { payload, expired: false, expiresAt: new Date(Number(header.exp) * 1000) };
    }
    const payload = typeof serializer === 'function' ? serializer(token) : serializer.loads(token);
    return { payload, expired: false, expiresAt: null };
  } catch (error) {
    if (error instanceof SignatureExpired) return { payload: error.payload, expired: true, expiresAt: null };
    if (error instanceof BadData) return null;
    throw error;
  }
}

/**
 * Reads an old app's link for one purpose. Null when legacy links are off,
 * the purpose has no mapper, the token does not verify, or its payload is
 * not a link of this purpose. A mapper that throws is treated as "not mine":
 * the payload is signed, but its shape is the old app's, not ours.
 */
export function readLegacyLink(options: LegacyLinksOptions | undefined, purpose: LegacyLinkPurpose, token: string): LegacyLink | null {
  const mapper = purpose === 'confirm' ? options?.confirm : purpose === 'reset' ? options?.reset : options?.changeEmail;
  if (!options || !mapper) return null;
  const loaded = load(options.serializer, token);
  if (!loaded) return null;
  let mapped: ReturnType<NonNullable<LegacyLinksOptions['changeEmail']>> | UserLookup | null;
  try {
    mapped = mapper(loaded.payload);
  } catch {
    return null;
  }
  if (!mapped || typeof mapped !== 'object') return null;
  if (purpose !== 'change_email') return { expired: loaded.expired, user: mapped as UserLookup, expiresAt: loaded.expiresAt };
  const { user, newEmail } = mapped as { user: UserLookup; newEmail: unknown };
  if (!user || typeof newEmail !== 'string' || newEmail.length === 0 || newEmail.length > 255) return null;
  return { expired: loaded.expired, user, newEmail, expiresAt: loaded.expiresAt };
}

/**
 * Until when a used link must stay recorded: our links die after `within`
 * seconds; an old app's link at its own `exp` (if later), or never.
 */
export function usedUntil(legacy: LegacyLink | undefined, within: number): Date {
  const ours = Date.now() + within * 1000;
  if (!legacy) return new Date(ours);
  return legacy.expiresAt ? new Date(Math.max(ours, legacy.expiresAt.getTime())) : FAR_FUTURE;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown): UserLookup | null {
  return Number.isSafeInteger(value) ? { id: value as number } : null;
}

/**
 * hack4impact/flask-base's links: `TimedJSONWebSignatureSerializer(SECRET_KEY)`
 * (HS512, the raw secret key) over `{"confirm": id}`, `{"reset": id}` and
 * `{"change_email": id, "new_email": ...}`. Pass the old app's SECRET_KEY.
 */
export function flaskBaseLegacyLinks(secretKey: SecretKey | ReadonlyArray<SecretKey>): LegacyLinksOptions {
  return {
    serializer: new JWSTimedSerializer(secretKey, { algorithm: 'HS512' }),
    confirm: (payload) => (isRecord(payload) ? idOf(payload.confirm) : null),
    reset: (payload) => (isRecord(payload) ? idOf(payload.reset) : null),
    changeEmail: (payload) => {
      if (!isRecord(payload) || typeof payload.new_email !== 'string') return null;
      const user = idOf(payload.change_email);
      return user ? { user, newEmail: payload.new_email } : null;
    },
  };
}

/**
 * cburmeister/flask-bones' verification links: `URLSafeSerializer(SECRET_KEY)`
 * (salt 'itsdangerous', no expiry) over the bare user id. Confirm only.
 */
export function flaskBonesLegacyLinks(secretKey: SecretKey | ReadonlyArray<SecretKey>): LegacyLinksOptions {
  return { serializer: new URLSafeSerializer(secretKey), confirm: idOf };
}
