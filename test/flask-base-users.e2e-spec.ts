import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { adoptUsersTable, securityMigrations } from '../src/storage/typeorm/index.js';
import { UserDatastore } from '../src/storage/user-datastore.js';
import { flaskBaseLegacyLinks } from '../src/tokens/legacy-links.js';
import { FlaskBaseUser } from './apps/flask-base/flask-base-user.entity.js';
import { type AdoptedTableApp, expectSignInRehashes, startAdoptedTableApp } from './support/adopted-table-app.js';
import { TEST_PLATFORMS } from './support/platform.js';

const werkzeug = JSON.parse(readFileSync(new URL('./fixtures/werkzeug.json', import.meta.url), 'utf8')) as {
  hashes: Array<{ method: string; password: string; hash: string }>;
};
const links = JSON.parse(readFileSync(new URL('./fixtures/flask-app-links.json', import.meta.url), 'utf8')) as Record<string, string>;

/** flask-base's tables as its SQLAlchemy models create them (app/models/user.py), with users as it stores them. */
async function createFlaskBaseTables(sql: pg.Client): Promise<Array<{ email: string; password: string }>> {
  await sql.query(`
    CREATE TABLE roles (
      id SERIAL PRIMARY KEY, name VARCHAR(64) UNIQUE, index VARCHAR(64), "default" BOOLEAN, permissions INTEGER
    )`);
  await sql.query(`CREATE INDEX ix_roles_default ON roles ("default")`);
  await sql.query(`
    CREATE TABLE users (
      id SERIAL PRIMARY KEY, confirmed BOOLEAN, first_name VARCHAR(64), last_name VARCHAR(64),
      email VARCHAR(64), password_hash VARCHAR(128), role_id INTEGER REFERENCES roles (id)
    )`);
  await sql.query(`CREATE UNIQUE INDEX ix_users_email ON users (email)`);
  await sql.query(`CREATE INDEX ix_users_first_name ON users (first_name)`);
  await sql.query(
    `INSERT INTO roles (name, index, "default", permissions) VALUES ('User', 'main', true, 1), ('Administrator', 'admin', false, 255)`,
  );
  const pbkdf2 = werkzeug.hashes.find((entry) => entry.method === 'pbkdf2:sha256')!;
  // password_hash is VARCHAR(128): the Werkzeug 2 default pbkdf2:sha256 (Werkzeug 3's scrypt strings would not fit).
  const unicode = werkzeug.hashes.find(
    (entry) => entry.method === 'pbkdf2:sha256:1000' && entry.password !== entry.password.normalize('NFKD'),
  )!;
  const rows = [
    { id: 1, email: 'aleya@example.com', entry: pbkdf2, confirmed: false, role: 1 },
    { id: 2, email: 'admin@example.com', entry: unicode, confirmed: true, role: 2 },
    { id: 3, email: 'user@example.com', entry: pbkdf2, confirmed: true, role: 1 },
  ];
  for (const row of rows) {
    await sql.query(
      `INSERT INTO users (id, confirmed, first_name, last_name, email, password_hash, role_id) VALUES ($1, $2, 'First', 'Last', $3, $4, $5)`,
      [row.id, row.confirmed, row.email, row.entry.hash, row.role],
    );
  }
  await sql.query(`SELECT setval('users_id_seq', 3)`);
  return rows.map((row) => ({ email: row.email, password: row.entry.password }));
}

describe.each(TEST_PLATFORMS)('a flask-base users table adopted, on %s', (platform) => {
  let adopted: AdoptedTableApp<Array<{ email: string; password: string }>>;

  beforeAll(async () => {
    adopted = await startAdoptedTableApp(platform, {
      table: 'users',
      oldTables: createFlaskBaseTables,
      userEntity: FlaskBaseUser,
      migrations: [
        ...securityMigrations,
        adoptUsersTable({
          table: 'users',
          passwordColumn: 'password_hash',
          confirmedColumn: 'confirmed',
          roles: { table: 'roles', userColumn: 'role_id' },
        }),
      ],
      security: { confirmable: true, recoverable: true, legacyLinks: flaskBaseLegacyLinks(links.secretKey) },
    });
  });
  afterAll(() => adopted?.close());

  const row = (email: string) => adopted.row(email);

  it('keeps the columns and fills what the module needs', async () => {
    const admin = await row('admin@example.com');
    expect(admin).toMatchObject({ role_id: 2, first_name: 'First', confirmed: true, active: true, login_count: 0 });
    expect(admin.fs_uniquifier).toMatch(/^[0-9a-f]{32}$/);
    expect((await row('user@example.com')).fs_uniquifier).not.toBe(admin.fs_uniquifier);
    expect(admin.confirmed_at).toBeInstanceOf(Date);
    expect((await row('aleya@example.com')).confirmed_at).toBeNull();
    // flask-base's VARCHAR(64) email is widened to the module's 255 (a longer address would be a database error).
    const [email] = (await adopted.app
      .get(DataSource)
      .query(
        `SELECT character_maximum_length AS length FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'`,
      )) as Array<{
      length: number;
    }>;
    expect(email.length).toBe(255);
    const user = (await adopted.app.get(UserDatastore).findUser({ email: 'ADMIN@example.com' }))!;
    expect(user.roles.map((role) => role.name)).toEqual(['Administrator']);
  });

  it('signs in with the Werkzeug pbkdf2 password (ASCII and non-ASCII) and rehashes it to argon2id in password_hash', async () => {
    for (const user of adopted.old.filter((entry) => entry.email !== 'aleya@example.com'))
      await expectSignInRehashes(adopted, 'password_hash', user);
  });

  it('an unconfirmed flask-base user signs in after following their old confirm link', async () => {
    const { email, password } = adopted.old[0];
    const before = await request(adopted.server).post('/auth/login').send({ email, password });
    expect(before.status).toBe(400);
    // links.confirm names user 1, minted by itsdangerous 1.1 as flask-base mints it.
    const confirmed = await request(adopted.server).get(`/auth/confirm/${links.confirm}`);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
    // The old app's flag follows (the adopt trigger), for a Flask app still running beside.
    expect((await row(email)).confirmed).toBe(true);
    expect((await request(adopted.server).post('/auth/login').send({ email, password })).status).toBe(200);
  });
});
