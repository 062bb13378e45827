import type { MigrationInterface, QueryRunner } from 'typeorm';
import { quote } from './adopt-users-table.js';

export interface RenameUsersTableOptions {
  /** The old app's table, named as the module's own: flask-bones' 'user'. */
  from: string;
  /** Its new name, which adoptUsersTable then adopts: e.g. 'users'. */
  to: string;
  /** The migration's timestamp (it must run before securityMigrations). Default 1795823900000. */
  timestamp?: number;
}

/**
 * A migration that moves an old app's users table out of the module's way
 * when it already has the module's name ("user", as flask-bones'): it runs
 * before the shipped migrations, renames the table, and renames the
 * constraints, indexes and sequences PostgreSQL named after it
 * (`user_pkey`, `user_email_key`, `user_id_seq`, ...), which would
 * otherwise collide with the ones the shipped migrations create. Follow it
 * with adoptUsersTable({ table: to }) (docs/migrating-from-flask.md).
 */
export function renameUsersTable(options: RenameUsersTableOptions): new () => MigrationInterface {
  const name = `RenameUsersTable${options.timestamp ?? 1795823900000}`;
  return class RenameUsersTable implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await renameTable(queryRunner, options.from, options.to);
    }

    /** adoptUsersTable, which follows it, cannot be reverted either: restore the backup. */
    async down(): Promise<void> {
      throw new Error(`nest-security: ${name} cannot be reverted; restore the backup taken before it ran`);
    }
  };
}

async function renameTable(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  const prefix = `${from}_`;
  await queryRunner.query(`ALTER TABLE ${quote(from)} RENAME TO ${quote(to)}`);
  const renamed = (old: string) => quote(`${to}_${old.slice(prefix.length)}`);
  const owned = async (sql: string) =>
    ((await queryRunner.query(sql, [to])) as Array<{ name: string }>).map((row) => row.name).filter((old) => old.startsWith(prefix));

  // A primary key's or unique constraint's index takes the constraint's new name with it.
  for (const old of await owned(`SELECT conname AS name FROM pg_constraint WHERE conrelid = to_regclass(quote_ident($1))`))
    await queryRunner.query(`ALTER TABLE ${quote(to)} RENAME CONSTRAINT ${quote(old)} TO ${renamed(old)}`);
  for (const old of await owned(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = to_regclass(quote_ident($1)) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  ))
    await queryRunner.query(`ALTER INDEX ${quote(old)} RENAME TO ${renamed(old)}`);
  // SERIAL and IDENTITY sequences (their columns' defaults follow by oid).
  for (const old of await owned(
    `SELECT s.relname AS name FROM pg_class s JOIN pg_depend d ON d.objid = s.oid
     WHERE s.relkind = 'S' AND d.refobjid = to_regclass(quote_ident($1)) AND d.deptype IN ('a', 'i')`,
  ))
    await queryRunner.query(`ALTER SEQUENCE ${quote(old)} RENAME TO ${renamed(old)}`);
}
