import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A single-use token (reset link, login link) that was used. The digest is a
 * SHA-256 of the token's signed bytes, so a re-encoded copy of the token
 * matches too. Rows past `expiresAt` can go: the token is dead by age then.
 */
@Entity('security_used_token')
@Index('security_used_token_expires_at_idx', ['expiresAt'])
export class UsedToken {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'security_used_token_pkey' })
  digest: string;

  @Column({ name: 'used_at', type: 'timestamptz', default: () => 'now()' })
  usedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
