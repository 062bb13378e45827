import type { DataSource } from 'typeorm';
import {
  type NewWebAuthnCredential,
  type WebAuthnCredential,
  WebAuthnCredentialStore,
  type WebAuthnUsage,
} from '../webauthn-credential-store.js';
import { rowsOf } from './typeorm-code.store.js';

interface Row {
  id: number;
  user_id: number;
  credential_id: Buffer;
  public_key: Buffer;
  sign_count: number | null;
  transports: string | null;
  backup_state: boolean;
  device_type: string;
  extensions: string | null;
  name: string;
  usage: string;
  create_datetime: Date;
  lastuse_datetime: Date;
}

const COLUMNS = `id, user_id, credential_id, public_key, sign_count, transports, backup_state, device_type, extensions,
  name, usage, create_datetime, lastuse_datetime`;

/**
 * Passkeys in Flask-Security's `webauthn` table. The credential id is unique
 * by index; the user's names are checked in the INSERT itself; `recordUse`
 * is an UPDATE conditional on the old counter, so the row lock decides.
 */
export class TypeOrmWebAuthnCredentialStore extends WebAuthnCredentialStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async add(input: NewWebAuthnCredential): Promise<WebAuthnCredential | null> {
    const rows = rowsOf(
      await this.dataSource.query(
        `INSERT INTO webauthn (user_id, credential_id, public_key, sign_count, transports, backup_state, device_type,
           extensions, name, usage, create_datetime, lastuse_datetime)
         SELECT $1::integer, $2::bytea, $3::bytea, $4::integer, $5::text, $6::boolean, $7::varchar, $8::varchar, $9::varchar,
           $10::varchar, now(), now()
         WHERE NOT EXISTS (SELECT 1 FROM webauthn WHERE user_id = $1::integer AND name = $9::varchar)
         ON CONFLICT (credential_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          input.userId,
          input.credentialId,
          input.publicKey,
          input.signCount,
          input.transports.length ? input.transports.join(',') : null,
          input.backupState,
          input.deviceType,
          input.extensions,
          input.name,
          input.usage,
        ],
      ),
    ) as Row[];
    return rows[0] ? toCredential(rows[0]) : null;
  }

  async findByCredentialId(credentialId: Buffer): Promise<WebAuthnCredential | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webauthn WHERE credential_id = $1`, [credentialId]);
    return rows[0] ? toCredential(rows[0]) : null;
  }

  async listForUser(userId: number): Promise<WebAuthnCredential[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webauthn WHERE user_id = $1 ORDER BY id`, [userId]);
    return rows.map(toCredential);
  }

  async recordUse(id: number, expectedCount: number, newCount: number, usedAt: Date): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query(
        'UPDATE webauthn SET sign_count = $3, lastuse_datetime = $4 WHERE id = $1 AND COALESCE(sign_count, 0) = $2 RETURNING 1 AS used',
        [id, expectedCount, newCount, usedAt],
      ),
    );
    return rows.length === 1;
  }

  async remove(userId: number, name: string): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query('DELETE FROM webauthn WHERE user_id = $1 AND name = $2 RETURNING 1 AS removed', [userId, name]),
    );
    return rows.length > 0;
  }

  async userHandle(userId: number, create: () => string): Promise<string> {
    await this.dataSource.query('UPDATE "user" SET fs_webauthn_user_handle = $2 WHERE id = $1 AND fs_webauthn_user_handle IS NULL', [
      userId,
      create(),
    ]);
    const rows: Array<{ handle: string | null }> = await this.dataSource.query(
      'SELECT fs_webauthn_user_handle AS handle FROM "user" WHERE id = $1',
      [userId],
    );
    if (!rows[0]?.handle) throw new Error(`nest-security: no user ${userId} for a WebAuthn user handle`);
    return rows[0].handle;
  }
}

function toCredential(row: Row): WebAuthnCredential {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: Buffer.from(row.credential_id),
    publicKey: Buffer.from(row.public_key),
    signCount: row.sign_count ?? 0,
    transports: row.transports ? row.transports.split(',') : [],
    backupState: row.backup_state,
    deviceType: row.device_type,
    extensions: row.extensions,
    name: row.name,
    usage: row.usage as WebAuthnUsage,
    createdAt: new Date(row.create_datetime),
    lastUsedAt: new Date(row.lastuse_datetime),
  };
}
