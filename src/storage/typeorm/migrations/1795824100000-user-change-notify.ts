import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel user changes are announced on; the payload is a user id, or '*' for "any user". */
export const USER_CHANGED_CHANNEL = 'nest_security_user_changed';
/** Name of the trigger on "user" (the user cache checks it exists before it turns on). */
export const USER_CHANGED_TRIGGER = 'nest_security_user_changed';

/**
 * Triggers that NOTIFY every change to a user, to the user's roles, and
 * (as '*') to any role. Whoever writes (this app, another instance, the
 * admin CLI, a Flask app sharing the database, plain SQL), every process
 * with the user cache on hears of it and drops what it holds. NOTIFY is
 * delivered at commit, so nobody hears of a change that rolled back.
 */
export class UserChangeNotify1795824100000 implements MigrationInterface {
  name = 'UserChangeNotify1795824100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "nest_security_notify_user_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        payload text;
      BEGIN
        IF TG_ARGV[0] = '*' THEN
          payload := '*';
        ELSIF TG_OP = 'DELETE' THEN
          payload := to_jsonb(OLD) ->> TG_ARGV[0];
        ELSE
          payload := to_jsonb(NEW) ->> TG_ARGV[0];
        END IF;
        PERFORM pg_notify('${USER_CHANGED_CHANNEL}', payload);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "${USER_CHANGED_TRIGGER}" AFTER UPDATE OR DELETE ON "user"
      FOR EACH ROW EXECUTE FUNCTION "nest_security_notify_user_changed"('id')`);
    await queryRunner.query(`
      CREATE TRIGGER "nest_security_roles_users_changed" AFTER INSERT OR UPDATE OR DELETE ON "roles_users"
      FOR EACH ROW EXECUTE FUNCTION "nest_security_notify_user_changed"('user_id')`);
    await queryRunner.query(`
      CREATE TRIGGER "nest_security_role_changed" AFTER UPDATE OR DELETE ON "role"
      FOR EACH STATEMENT EXECUTE FUNCTION "nest_security_notify_user_changed"('*')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS "nest_security_role_changed" ON "role"`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS "nest_security_roles_users_changed" ON "roles_users"`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS "${USER_CHANGED_TRIGGER}" ON "user"`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS "nest_security_notify_user_changed"()`);
  }
}
