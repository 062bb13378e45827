import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * nest-security's tables on PostgreSQL. `role`, `"user"` and `roles_users`
 * have Flask-Security's table and column names, so a Flask-Security database
 * maps unchanged; the security_* tables back sessions, brute-force counters
 * and single-use tokens. A test proves this equals the entities (TypeORM's
 * schema diff is empty after it runs).
 */
export class SecurityInitial1795824000000 implements MigrationInterface {
  name = 'SecurityInitial1795824000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "role" (
        "id" SERIAL NOT NULL,
        "name" character varying(80) NOT NULL,
        "description" character varying(255),
        "permissions" text,
        "update_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "role_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "role_name_key" UNIQUE ("name")
      )`);

    await queryRunner.query(`
      CREATE TABLE "user" (
        "id" SERIAL NOT NULL,
        "email" character varying(255) NOT NULL,
        "username" character varying(255),
        "password" character varying(255),
        "active" boolean NOT NULL DEFAULT true,
        "fs_uniquifier" character varying(64) NOT NULL,
        "fs_token_uniquifier" character varying(64),
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        "last_login_at" TIMESTAMP WITH TIME ZONE,
        "current_login_at" TIMESTAMP WITH TIME ZONE,
        "last_login_ip" character varying(64),
        "current_login_ip" character varying(64),
        "login_count" integer NOT NULL DEFAULT '0',
        "us_methods" text,
        "create_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "update_datetime" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "user_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "user_fs_uniquifier_key" UNIQUE ("fs_uniquifier"),
        CONSTRAINT "user_fs_token_uniquifier_key" UNIQUE ("fs_token_uniquifier")
      )`);
    // Emails and usernames are unique regardless of case (TypeORM cannot declare these).
    await queryRunner.query(`CREATE UNIQUE INDEX "user_email_lower_key" ON "user" (lower("email"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "user_username_lower_key" ON "user" (lower("username"))`);

    // Index and primary key names below are the ones TypeORM derives for the join table.
    await queryRunner.query(`
      CREATE TABLE "roles_users" (
        "user_id" integer NOT NULL,
        "role_id" integer NOT NULL,
        CONSTRAINT "PK_6516a2e208664a508f5e2f7f284" PRIMARY KEY ("user_id", "role_id"),
        CONSTRAINT "roles_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE,
        CONSTRAINT "roles_users_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE CASCADE ON UPDATE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_fe845889e03e87003e6d9a06ca" ON "roles_users" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_de502d3ca59c0bfd32fa882939" ON "roles_users" ("role_id")`);

    await queryRunner.query(`
      CREATE TABLE "security_session" (
        "id" character varying(64) NOT NULL,
        "user_id" integer NOT NULL,
        "fs_uniquifier" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "remember" boolean NOT NULL DEFAULT false,
        "authenticated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "csrf_token" character varying(64),
        "data" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "security_session_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "security_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "security_session_user_id_idx" ON "security_session" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "security_session_expires_at_idx" ON "security_session" ("expires_at")`);

    await queryRunner.query(`
      CREATE TABLE "security_attempt" (
        "key" character varying(255) NOT NULL,
        "count" integer NOT NULL DEFAULT '0',
        "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "locked_until" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "security_attempt_pkey" PRIMARY KEY ("key")
      )`);

    await queryRunner.query(`
      CREATE TABLE "security_used_token" (
        "digest" character varying(64) NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "security_used_token_pkey" PRIMARY KEY ("digest")
      )`);
    await queryRunner.query(`CREATE INDEX "security_used_token_expires_at_idx" ON "security_used_token" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "security_used_token"`);
    await queryRunner.query(`DROP TABLE "security_attempt"`);
    await queryRunner.query(`DROP TABLE "security_session"`);
    await queryRunner.query(`DROP TABLE "roles_users"`);
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`DROP TABLE "role"`);
  }
}
