import { Column, CreateDateColumn, JoinTable, ManyToMany, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Role } from './role.entity.js';

/**
 * The columns every nest-security user has. Extend it in your own entity
 * (`@Entity('user') class User extends SecurityUser { ... }`) or use the
 * shipped {@link User}. Column names are Flask-Security's (fs_uniquifier,
 * confirmed_at, ...) so a Flask-Security users table maps unchanged.
 *
 * Roles are loaded eagerly: role and permission checks then need no query.
 *
 * Constraint names are PostgreSQL's own conventions (user_pkey, ..._key), as
 * a Flask-Security database has them. The case-insensitive unique indexes on
 * lower(email) and lower(username) are expression indexes, which TypeORM
 * cannot declare: the shipped migrations create them (and
 * createSecurityDataSource adds them after `synchronize`).
 */
@Unique('user_fs_uniquifier_key', ['fsUniquifier'])
@Unique('user_fs_token_uniquifier_key', ['fsTokenUniquifier'])
@Unique('user_fs_webauthn_user_handle_key', ['fsWebauthnUserHandle'])
export abstract class SecurityUser {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'user_pkey' })
  id: number;

  /** Stored as typed; looked up case-insensitively (unique index on lower(email)). */
  @Column({ type: 'varchar', length: 255 })
  email: string;

  /** Optional, unique when set, stored normalised (NFKD, lower case). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  username: string | null;

  /** A password hash (argon2id, bcrypt or a passlib format), or null for passwordless users. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  password: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Rotated on every password change: kills sessions, reset tokens and login links. */
  @Column({ name: 'fs_uniquifier', type: 'varchar', length: 64 })
  fsUniquifier: string;

  /** When set, auth tokens are bound to it instead, and survive password changes. */
  @Column({ name: 'fs_token_uniquifier', type: 'varchar', length: 64, nullable: true })
  fsTokenUniquifier: string | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'current_login_at', type: 'timestamptz', nullable: true })
  currentLoginAt: Date | null;

  @Column({ name: 'last_login_ip', type: 'varchar', length: 64, nullable: true })
  lastLoginIp: string | null;

  @Column({ name: 'current_login_ip', type: 'varchar', length: 64, nullable: true })
  currentLoginIp: string | null;

  @Column({ name: 'login_count', type: 'integer', default: 0 })
  loginCount: number;

  /** Unified sign-in: the methods this user set up (e.g. ['email']), comma-separated. */
  @Column({ name: 'us_methods', type: 'simple-array', nullable: true })
  usMethods: string[] | null;

  // Two-factor (Flask-Security's columns, so its rows keep working; see docs/two-factor.md).

  /** The second factor the user set up: 'authenticator', 'email' or 'sms'; null without two-factor. */
  @Column({ name: 'tf_primary_method', type: 'varchar', length: 64, nullable: true })
  tfPrimaryMethod: string | null;

  /** passlib's TOTP JSON, its key encrypted with `totpSecrets` (TOTP_SECRETS). Email and SMS codes come from it too. */
  @Column({ name: 'tf_totp_secret', type: 'varchar', length: 255, nullable: true })
  tfTotpSecret: string | null;

  @Column({ name: 'tf_phone_number', type: 'varchar', length: 128, nullable: true })
  tfPhoneNumber: string | null;

  /** Recovery codes, comma-separated: hashed here; plain (or Fernet) in rows Flask-Security wrote. */
  @Column({ name: 'mf_recovery_codes', type: 'simple-array', nullable: true })
  mfRecoveryCodes: string[] | null;

  /** The WebAuthn user handle authenticators keep for this user (set by the passkey store at the first registration). */
  @Column({ name: 'fs_webauthn_user_handle', type: 'varchar', length: 64, nullable: true })
  fsWebauthnUserHandle: string | null;

  @CreateDateColumn({ name: 'create_datetime', type: 'timestamptz' })
  createDatetime: Date;

  @UpdateDateColumn({ name: 'update_datetime', type: 'timestamptz' })
  updateDatetime: Date;

  @ManyToMany(() => Role, { eager: true })
  @JoinTable({
    name: 'roles_users',
    joinColumn: { name: 'user_id', referencedColumnName: 'id', foreignKeyConstraintName: 'roles_users_user_id_fkey' },
    inverseJoinColumn: { name: 'role_id', referencedColumnName: 'id', foreignKeyConstraintName: 'roles_users_role_id_fkey' },
  })
  roles: Role[];
}
