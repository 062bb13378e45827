import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { userForeignKeyTarget } from './user-foreign-key.js';

/**
 * A passkey, on Flask-Security's `webauthn` table and column names, so rows
 * migrated from a Flask app keep signing in. `transports` is comma-separated
 * text, as Flask-Security's AsaList stores it.
 */
@Entity('webauthn')
@Index('webauthn_user_id_idx', ['userId'])
export class WebAuthnCredentialRow {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'webauthn_pkey' })
  id: number;

  @Index('webauthn_credential_id_key', { unique: true })
  @Column({ name: 'credential_id', type: 'bytea' })
  credentialId: Buffer;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @Column({ name: 'sign_count', type: 'integer', nullable: true, default: 0 })
  signCount: number | null;

  @Column({ type: 'text', nullable: true })
  transports: string | null;

  @Column({ name: 'backup_state', type: 'boolean' })
  backupState: boolean;

  @Column({ name: 'device_type', type: 'varchar', length: 64 })
  deviceType: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  extensions: string | null;

  @CreateDateColumn({ name: 'create_datetime', type: 'timestamptz' })
  createDatetime: Date;

  @Column({ name: 'lastuse_datetime', type: 'timestamptz' })
  lastuseDatetime: Date;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  usage: string;

  @Column({ name: 'user_id', type: 'integer' })
  @ForeignKey(userForeignKeyTarget, { name: 'webauthn_user_id_fkey', onDelete: 'CASCADE' })
  userId: number;
}
