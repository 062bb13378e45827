import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { userForeignKeyTarget } from './user-foreign-key.js';

/**
 * A unified sign-in code waiting to be typed: one per user and purpose
 * ('signin', 'verify', 'setup'), a new one replacing the last. Only an
 * HMAC of the code is kept (keyed by the secret key, bound to the user's
 * fs_uniquifier, so a rotation kills it); the row is deleted when the code
 * is used. Expired rows stay a day, so a late code is told apart from a
 * wrong one.
 */
@Entity('security_us_code')
@Index('security_us_code_expires_at_idx', ['expiresAt'])
export class UsCode {
  @PrimaryColumn({ name: 'user_id', type: 'integer', primaryKeyConstraintName: 'security_us_code_pkey' })
  @ForeignKey(userForeignKeyTarget, { name: 'security_us_code_user_id_fkey', onDelete: 'CASCADE' })
  userId: number;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'security_us_code_pkey' })
  purpose: string;

  /** HMAC-SHA256 hex; never the code itself. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
