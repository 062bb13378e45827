import type { Role } from './typeorm/entities/role.entity.js';
import type { SecurityUser } from './typeorm/entities/security-user.entity.js';
import { newUniquifier } from './uniquifier.js';

/** Which user to find. Email and username match case-insensitively. */
export interface UserLookup {
  id?: number;
  email?: string;
  username?: string;
  fsUniquifier?: string;
  fsTokenUniquifier?: string;
}

export interface CreateUserInput {
  email: string;
  /** Already hashed (see PasswordHasher); null for passwordless accounts. */
  password?: string | null;
  username?: string | null;
  active?: boolean;
  confirmedAt?: Date | null;
  /** Role names or roles; names must exist (use findOrCreateRole first). */
  roles?: Array<string | Role>;
  /** Extra columns of a custom user entity. */
  [extra: string]: unknown;
}

export interface CreateRoleInput {
  name: string;
  description?: string | null;
  permissions?: string[];
}

/**
 * The datastore contract: what nest-security needs from storage, named after
 * Flask-Security's UserDatastore. The TypeORM implementation ships with the
 * package; provide your own by passing `datastore` to SecurityModule.
 *
 * Methods that change a user or role persist the change before they resolve.
 */
/**
 * The second-factor properties (Flask-Security's column names) that
 * reset_user_access forgets, where the user entity has them: one list for
 * every shipped datastore.
 */
export const SECOND_FACTOR_PROPERTIES: readonly string[] = [
  'usMethods',
  'usTotpSecrets',
  'usPhoneNumber',
  'tfPrimaryMethod',
  'tfTotpSecret',
  'tfPhoneNumber',
  'mfRecoveryCodes',
];

export abstract class UserDatastore<U extends SecurityUser = SecurityUser> {
  abstract findUser(lookup: UserLookup): Promise<U | null>;
  /** Email or (when usernames are on) username, as typed at login. */
  abstract findUserByIdentity(identity: string): Promise<U | null>;
  /**
   * The user an auth token's uid names: the one whose fs_token_uniquifier it
   * is, else the one whose fs_uniquifier it is when that user has no token
   * uniquifier (Flask-Security models without the column, migrated rows).
   * Runs on every token-authenticated request: override it to make it one query.
   */
  async findUserByAuthTokenUid(uid: string): Promise<U | null> {
    const byToken = await this.findUser({ fsTokenUniquifier: uid });
    if (byToken) return byToken;
    const byUniquifier = await this.findUser({ fsUniquifier: uid });
    return byUniquifier && !byUniquifier.fsTokenUniquifier ? byUniquifier : null;
  }
  abstract createUser(input: CreateUserInput): Promise<U>;
  abstract deleteUser(user: U): Promise<void>;
  /** Persist changed fields of a user loaded from this datastore. */
  abstract saveUser(user: U): Promise<U>;

  /** Returns true when the flag changed. */
  abstract activateUser(user: U): Promise<boolean>;
  /** Also rotates fs_uniquifier and fs_token_uniquifier: reactivating must not bring old sessions, links or tokens back. */
  abstract deactivateUser(user: U): Promise<boolean>;

  abstract findRole(name: string): Promise<Role | null>;
  abstract createRole(input: CreateRoleInput): Promise<Role>;
  abstract findOrCreateRole(name: string, input?: Omit<CreateRoleInput, 'name'>): Promise<Role>;
  /** Returns true when the user did not have the role before. */
  abstract addRoleToUser(user: U, role: string | Role): Promise<boolean>;
  abstract removeRoleFromUser(user: U, role: string | Role): Promise<boolean>;
  abstract addPermissionsToRole(role: string | Role, permissions: string[]): Promise<boolean>;
  abstract removePermissionsFromRole(role: string | Role, permissions: string[]): Promise<boolean>;

  /** Rotate (or set) fs_uniquifier: every session, reset token and login link of the user dies. */
  abstract setUniquifier(user: U, uniquifier?: string): Promise<void>;
  /**
   * Rotate (or set) fs_token_uniquifier: every auth token of the user dies.
   * `null` clears it, binding auth tokens to fs_uniquifier (Flask-Security
   * models without the column behave that way).
   */
  abstract setTokenUniquifier(user: U, uniquifier?: string | null): Promise<void>;
  /** Flask-Security's reset_user_access: rotate both uniquifiers and forget second factors. */
  abstract resetUserAccess(user: U): Promise<void>;

  // --- two-factor (Flask-Security's tf_set, tf_reset, mf_set_recovery_codes) ---

  /**
   * The second factor the user just confirmed: its method, the TOTP JSON
   * (already encrypted) and, for 'sms', the phone number. The defaults go
   * through saveUser; the shipped datastores write these columns alone.
   */
  async tfSet(user: U, method: string, totpSecret: string, phoneNumber: string | null = null): Promise<void> {
    Object.assign(user, { tfPrimaryMethod: method, tfTotpSecret: totpSecret, tfPhoneNumber: phoneNumber });
    await this.saveUser(user);
  }

  /** Forget the second factor (method, secret, phone); recovery codes stay, as in Flask-Security. */
  async tfReset(user: U): Promise<void> {
    Object.assign(user, { tfPrimaryMethod: null, tfTotpSecret: null, tfPhoneNumber: null });
    await this.saveUser(user);
  }

  /** Replace the stored recovery codes (hashed by the caller); null or [] removes them. */
  async mfSetRecoveryCodes(user: U, codes: string[] | null): Promise<void> {
    user.mfRecoveryCodes = codes && codes.length > 0 ? codes : null;
    await this.saveUser(user);
  }

  /**
   * Store a new password hash and rotate fs_uniquifier in one save, so every
   * session, reset token, login link and uniquifier-bound auth token of the
   * user dies with the old password. fs_token_uniquifier (when the user has
   * one) rotates too unless `keepAuthTokens`; a user without one has its
   * auth tokens bound to fs_uniquifier, dead already.
   */
  async setPassword(user: U, passwordHash: string, { keepAuthTokens = false }: { keepAuthTokens?: boolean } = {}): Promise<void> {
    user.password = passwordHash;
    user.fsUniquifier = newUniquifier();
    if (user.fsTokenUniquifier && !keepAuthTokens) user.fsTokenUniquifier = newUniquifier();
    await this.saveUser(user);
  }
}
