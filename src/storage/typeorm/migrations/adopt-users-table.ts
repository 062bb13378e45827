import type { MigrationInterface, QueryRunner } from 'typeorm';
import { USER_CHANGED_TRIGGER } from './1795824100000-user-change-notify.js';

export interface AdoptUsersTableOptions {
  /** The old app's users table, e.g. flask-base's 'users'. */
  table: string;
  /**
   * Its password column (flask-base: 'password_hash'): kept, widened to 255
   * characters, and mirrored both ways into the module's "password" column
   * by a trigger.
   */
  passwordColumn?: string;
  /** A boolean "confirmed" column (flask-base's): confirmed rows get confirmed_at = the migration's time; a trigger keeps the two in step after. */
  confirmedColumn?: string;
  /**
   * The old app's one-role-per-user scheme (flask-base: users.role_id ->
   * roles.id, roles.name): every role name is added to `role` and every
   * user to `roles_users`. The old column and table are left as they are.
   */
  roles?: { table: string; userColumn: string; nameColumn?: string };
  /** The migration's timestamp (it must run after securityMigrations). Default 1795900000000. */
  timestamp?: number;
}

/** The module's user columns, as the shipped migrations create them on "user". */
const MODULE_COLUMNS = [
  `"username" character varying(255)`,
  `"active" boolean NOT NULL DEFAULT true`,
  `"fs_uniquifier" character varying(64)`,
  `"fs_token_uniquifier" character varying(64)`,
  `"confirmed_at" TIMESTAMP WITH TIME ZONE`,
  `"last_login_at" TIMESTAMP WITH TIME ZONE`,
  `"current_login_at" TIMESTAMP WITH TIME ZONE`,
  `"last_login_ip" character varying(64)`,
  `"current_login_ip" character varying(64)`,
  `"login_count" integer NOT NULL DEFAULT '0'`,
  `"us_methods" text`,
  `"tf_primary_method" character varying(64)`,
  `"tf_totp_secret" character varying(255)`,
  `"tf_phone_number" character varying(128)`,
  `"mf_recovery_codes" text`,
  `"fs_webauthn_user_handle" character varying(64)`,
  `"create_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
  `"update_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
];

/** Tables of the shipped migrations whose user_id points at the user table. */
const USER_FOREIGN_KEYS = [
  { table: 'roles_users', constraint: 'roles_users_user_id_fkey', onUpdate: 'CASCADE' },
  { table: 'security_session', constraint: 'security_session_user_id_fkey', onUpdate: 'NO ACTION' },
  { table: 'security_us_code', constraint: 'security_us_code_user_id_fkey', onUpdate: 'NO ACTION' },
  { table: 'fs_refresh', constraint: 'fs_refresh_user_id_fkey', onUpdate: 'NO ACTION' },
  { table: 'webauthn', constraint: 'webauthn_user_id_fkey', onUpdate: 'NO ACTION' },
];

/** A double-quoted identifier, for names that come from options (never user input). */
export function quote(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new TypeError(`nest-security: "${name}" is not a plain SQL name`);
  return `"${name}"`;
}

/**
 * A migration that makes an existing users table (flask-base's, or any
 * Flask-Login app's) the module's user table, without renaming a column:
 * it adds the columns the module needs, fills fs_uniquifier with a random
 * value per row, sets confirmed_at from a boolean column, adds the
 * case-insensitive unique indexes, points the module's tables (roles_users,
 * sessions, codes) at it, moves the change trigger onto it, and drops the
 * empty "user" table the shipped migrations made. Run it after
 * securityMigrations; map the table with a SecurityUser subclass
 * (docs/migrating-from-flask.md). It refuses to run if "user" holds rows.
 */
export function adoptUsersTable(options: AdoptUsersTableOptions): new () => MigrationInterface {
  const table = quote(options.table);
  const base = options.table;
  const password = options.passwordColumn ? quote(options.passwordColumn) : undefined;
  const confirmed = options.confirmedColumn ? quote(options.confirmedColumn) : undefined;
  const roles = options.roles && {
    table: quote(options.roles.table),
    userColumn: quote(options.roles.userColumn),
    nameColumn: quote(options.roles.nameColumn ?? 'name'),
  };
  const name = `AdoptUsersTable${options.timestamp ?? 1795900000000}`;

  return class AdoptUsersTable implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      const [{ count }] = (await queryRunner.query(`SELECT count(*)::int AS count FROM "user"`)) as Array<{ count: number }>;
      if (count > 0)
        throw new Error(`nest-security: "user" holds ${count} rows; adoptUsersTable moves the module onto ${table} only while it is empty`);

      await queryRunner.query(`ALTER TABLE ${table} ${MODULE_COLUMNS.map((column) => `ADD COLUMN IF NOT EXISTS ${column}`).join(', ')}`);
      await this.widenIdentityColumns(queryRunner);
      if (password) {
        // TypeORM keeps the first-declared column of a property, so a subclass cannot rename SecurityUser's
        // "password": the module gets its own column, and a trigger keeps both in step (the old app's column included).
        await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN ${password} TYPE character varying(255)`);
        await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS "password" character varying(255)`);
        await queryRunner.query(`UPDATE ${table} SET "password" = ${password}`);
      }
      if (password || confirmed) await this.createSyncTrigger(queryRunner);
      // Random per row, as newUniquifier(): 32 hex characters of a v4 UUID.
      await queryRunner.query(
        `UPDATE ${table} SET "fs_uniquifier" = replace(gen_random_uuid()::text, '-', '') WHERE "fs_uniquifier" IS NULL`,
      );
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN "fs_uniquifier" SET NOT NULL`);
      if (confirmed) await queryRunner.query(`UPDATE ${table} SET "confirmed_at" = now() WHERE ${confirmed} AND "confirmed_at" IS NULL`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${quote(`${base}_fs_uniquifier_key`)} UNIQUE ("fs_uniquifier")`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${quote(`${base}_fs_token_uniquifier_key`)} UNIQUE ("fs_token_uniquifier")`,
      );
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${quote(`${base}_fs_webauthn_user_handle_key`)} UNIQUE ("fs_webauthn_user_handle")`,
      );
      // Fails if two rows' emails differ only in case: settle those first.
      await queryRunner.query(`CREATE UNIQUE INDEX ${quote(`${base}_email_lower_key`)} ON ${table} (lower("email"))`);
      await queryRunner.query(`CREATE UNIQUE INDEX ${quote(`${base}_username_lower_key`)} ON ${table} (lower("username"))`);

      for (const key of USER_FOREIGN_KEYS) {
        await queryRunner.query(`ALTER TABLE ${quote(key.table)} DROP CONSTRAINT ${quote(key.constraint)}`);
        await queryRunner.query(
          `ALTER TABLE ${quote(key.table)} ADD CONSTRAINT ${quote(key.constraint)} FOREIGN KEY ("user_id") REFERENCES ${table}("id") ON DELETE CASCADE ON UPDATE ${key.onUpdate}`,
        );
      }
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${quote(USER_CHANGED_TRIGGER)} ON "user"`);
      await queryRunner.query(
        `CREATE TRIGGER ${quote(USER_CHANGED_TRIGGER)} AFTER UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION "nest_security_notify_user_changed"('id')`,
      );
      await queryRunner.query(`DROP TABLE "user"`);

      if (roles) {
        await queryRunner.query(
          `INSERT INTO "role" ("name") SELECT DISTINCT ${roles.nameColumn} FROM ${roles.table} ON CONFLICT ("name") DO NOTHING`,
        );
        await queryRunner.query(
          `INSERT INTO "roles_users" ("user_id", "role_id")
           SELECT u."id", r."id" FROM ${table} u JOIN ${roles.table} o ON o."id" = u.${roles.userColumn} JOIN "role" r ON r."name" = o.${roles.nameColumn}
           ON CONFLICT DO NOTHING`,
        );
      }
    }

    /**
     * The module accepts emails and usernames up to 255 characters (as its own table holds them); an old app's
     * narrower columns (flask-base's email VARCHAR(64), flask-bones' username VARCHAR(20)) would turn a longer one
     * into a database error. Widening a varchar rewrites nothing; text and wider columns are left alone.
     */
    private async widenIdentityColumns(queryRunner: QueryRunner): Promise<void> {
      const narrow = (await queryRunner.query(
        `SELECT column_name AS name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND column_name IN ('email', 'username')
           AND data_type = 'character varying' AND character_maximum_length < 255`,
        [base],
      )) as Array<{ name: string }>;
      for (const column of narrow)
        await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN ${quote(column.name)} TYPE character varying(255)`);
    }

    /** Old column and module column stay equal, whichever side writes (the Flask app may still run beside). */
    private async createSyncTrigger(queryRunner: QueryRunner): Promise<void> {
      const fn = quote(`${base}_nest_security_sync`);
      const steps: string[] = [];
      if (password) {
        steps.push(`IF TG_OP = 'INSERT' THEN
            NEW."password" := COALESCE(NEW."password", NEW.${password});
            NEW.${password} := NEW."password";
          ELSIF NEW."password" IS DISTINCT FROM OLD."password" THEN
            NEW.${password} := NEW."password";
          ELSIF NEW.${password} IS DISTINCT FROM OLD.${password} THEN
            NEW."password" := NEW.${password};
          END IF;`);
      }
      if (confirmed) {
        steps.push(`IF NEW."confirmed_at" IS NOT NULL THEN NEW.${confirmed} := true;
          ELSIF NEW.${confirmed} THEN NEW."confirmed_at" := now(); END IF;`);
      }
      await queryRunner.query(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${steps.join('\n          ')}
          RETURN NEW;
        END
        $$`);
      await queryRunner.query(`CREATE TRIGGER ${fn} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    }

    /** Not reversible: the old table keeps what was added; restore from the backup taken before migrating. */
    async down(): Promise<void> {
      throw new Error(`nest-security: ${name} cannot be reverted; restore the backup taken before it ran`);
    }
  };
}
