import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A refresh-token family (RefreshTokenStore). Table and column names are
 * Flask-Security 5.9's FsRefreshTracker (`fs_refresh`), so a migrated
 * database keeps its families and the refresh tokens out in clients keep
 * working. The tokens themselves are never stored: each carries its
 * family and generation, signed.
 */
@Entity('fs_refresh')
@Unique('fs_refresh_refresh_family_key', ['family'])
@Index('fs_refresh_user_id_idx', ['userId'])
export class RefreshTrackerEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'fs_refresh_pkey' })
  id: number;

  @Column({ name: 'refresh_family', type: 'varchar', length: 64 })
  family: string;

  @Column({ type: 'integer', default: 1 })
  gen: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt: Date;

  @CreateDateColumn({ name: 'create_datetime', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'user_id', type: 'integer' })
  @ForeignKey('user', { name: 'fs_refresh_user_id_fkey', onDelete: 'CASCADE' })
  userId: number;
}
