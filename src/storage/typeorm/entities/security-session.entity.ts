import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { userForeignKeyTarget } from './user-foreign-key.js';

/**
 * A server-side login session. The cookie holds a random secret; the row is
 * keyed by its SHA-256, so a database leak yields no usable cookie. The row
 * remembers the user's fs_uniquifier at login: when it rotates (password
 * change, reset-access) the session no longer matches and is dead.
 *
 * The foreign key points at the user entity securityEntities() was given
 * (the `user` table by default), so any SecurityUser subclass works, on
 * `user` or on an adopted table (adoptUsersTable).
 */
@Entity('security_session')
@Index('security_session_user_id_idx', ['userId'])
@Index('security_session_expires_at_idx', ['expiresAt'])
export class SecuritySession {
  /** SHA-256 hex of the session secret in the cookie. */
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'security_session_pkey' })
  id: string;

  @Column({ name: 'user_id', type: 'integer' })
  @ForeignKey(userForeignKeyTarget, { name: 'security_session_user_id_fkey', onDelete: 'CASCADE' })
  userId: number;

  /** The user's fs_uniquifier at login; a rotation kills the session. */
  @Column({ name: 'fs_uniquifier', type: 'varchar', length: 64 })
  fsUniquifier: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'boolean', default: false })
  remember: boolean;

  /** When the user last proved who they are (login or re-authentication): freshness. */
  @Column({ name: 'authenticated_at', type: 'timestamptz', default: () => 'now()' })
  authenticatedAt: Date;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64, nullable: true })
  csrfToken: string | null;

  /** Small per-session state of the sign-in flows (e.g. a pending second factor). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  /** The User-Agent at login (capped), for the session list's device label. */
  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;

  /** The client address at login. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;
}
