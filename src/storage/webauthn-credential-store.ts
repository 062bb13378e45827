/** How a passkey may be used: to sign in on its own, or only as a second factor (Flask-Security's `usage`). */
export type WebAuthnUsage = 'first' | 'secondary';

/** A registered passkey (one row of Flask-Security's `webauthn` table). */
export interface WebAuthnCredential {
  id: number;
  userId: number;
  /** The authenticator's raw credential id. */
  credentialId: Buffer;
  /** The COSE public key, as the authenticator gave it. */
  publicKey: Buffer;
  signCount: number;
  transports: string[];
  backupState: boolean;
  /** 'singleDevice' or 'multiDevice'. */
  deviceType: string;
  /** The client extension results as JSON text, or null. */
  extensions: string | null;
  /** Unique per user (the caller normalises it). */
  name: string;
  usage: WebAuthnUsage;
  createdAt: Date;
  lastUsedAt: Date;
}

export type NewWebAuthnCredential = Omit<WebAuthnCredential, 'id' | 'createdAt' | 'lastUsedAt'>;

/**
 * The users' passkeys. Also the injection token.
 *
 * `add` refuses (resolves null) a credential id that is already registered,
 * to anyone, and a name the user already has. `recordUse` is the
 * anti-replay guarantee: it moves the sign counter only from the value the
 * caller verified against, so of N concurrent uses of one assertion exactly
 * one resolves true.
 */
export abstract class WebAuthnCredentialStore {
  /** Store a new credential; null when its credential id or the user's name for it is taken. */
  abstract add(credential: NewWebAuthnCredential): Promise<WebAuthnCredential | null>;
  abstract findByCredentialId(credentialId: Buffer): Promise<WebAuthnCredential | null>;
  /** The user's credentials, oldest first. */
  abstract listForUser(userId: number): Promise<WebAuthnCredential[]>;
  /** Set the counter to `newCount` if it is still `expectedCount`; true for the one caller that did. */
  abstract recordUse(id: number, expectedCount: number, newCount: number, usedAt: Date): Promise<boolean>;
  /** Delete the user's credential of this name; true when there was one. */
  abstract remove(userId: number, name: string): Promise<boolean>;
  /**
   * The user's WebAuthn user handle (Flask-Security's `fs_webauthn_user_handle`),
   * created on first use: `create` gives a new random one, stored unless another is already set.
   */
  abstract userHandle(userId: number, create: () => string): Promise<string>;
}
