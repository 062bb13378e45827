import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import request from 'supertest';
import { Column, CreateDateColumn, DataSource, Entity, type MigrationInterface, type QueryRunner, UpdateDateColumn } from 'typeorm';
import { SecurityUser } from '../src/storage/typeorm/entities/security-user.entity.js';
import { adoptUsersTable, renameUsersTable, securityMigrations } from '../src/storage/typeorm/index.js';
import { UserDatastore } from '../src/storage/user-datastore.js';
import { flaskBonesLegacyLinks } from '../src/tokens/legacy-links.js';
import { type AdoptedTableApp, expectSignInRehashes, startAdoptedTableApp } from './support/adopted-table-app.js';
import { settleMail } from './support/flows-app.js';
import { TEST_PLATFORMS } from './support/platform.js';
import { extractLink, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const bcrypt = JSON.parse(readFileSync(new URL('./fixtures/single-hash.json', import.meta.url), 'utf8')) as {
  hashes: Array<{ password: string; normalizedChanged: boolean; rounds: number; hash: string }>;
};
const links = JSON.parse(readFileSync(new URL('./fixtures/flask-app-links.json', import.meta.url), 'utf8')) as Record<string, string>;

/** The doc's entity (docs/migrating-from-flask.md, flask-bones step 2). */
@Entity('users')
class BonesUser extends SecurityUser {
  @Column({ name: 'pw_hash', type: 'varchar', length: 255, nullable: true })
  pwHash: string | null;

  @Column({ name: 'is_admin', type: 'boolean', nullable: true })
  isAdmin: boolean | null;

  // Set on rows the module writes too (with the database defaults the migration below adds).
  @CreateDateColumn({ name: 'created_ts', type: 'timestamptz', nullable: true })
  createdTs: Date | null;

  @UpdateDateColumn({ name: 'updated_ts', type: 'timestamptz', nullable: true })
  updatedTs: Date | null;

  @Column({ name: 'remote_addr', type: 'varchar', length: 20, nullable: true })
  remoteAddr: string | null;
}

/** The user's own migration of step 2: flask-bones' `active` meant "verified". */
class FlaskBonesVerifiedIsConfirmed1795900000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE users SET confirmed_at = now() WHERE active`);
    await queryRunner.query(`UPDATE users SET active = true`);
    // flask-bones filled these in Python (default=utcnow): rows the module inserts get them from the database.
    await queryRunner.query(`ALTER TABLE users ALTER COLUMN created_ts SET DEFAULT now(), ALTER COLUMN updated_ts SET DEFAULT now()`);
  }

  async down(): Promise<void> {}
}

interface BonesRow {
  id: number;
  username: string;
  email: string;
  password: string;
  /** flask-bones' register leaves active NULL; /auth/verify sets it true. */
  active: boolean | null;
  isAdmin: boolean | null;
}

/**
 * flask-bones' "user" table as `flask create-db` (db.create_all() over app/user/models.py, SQLAlchemy 1.3)
 * makes it on PostgreSQL, with rows as User.create and /auth/verify leave them.
 */
async function createFlaskBonesTable(sql: pg.Client): Promise<BonesRow[]> {
  await sql.query(`
    CREATE TABLE "user" (
      id SERIAL NOT NULL,
      username VARCHAR(20) NOT NULL,
      email VARCHAR(128) NOT NULL,
      pw_hash VARCHAR(60) NOT NULL,
      created_ts TIMESTAMP WITH TIME ZONE,
      updated_ts TIMESTAMP WITH TIME ZONE,
      remote_addr VARCHAR(20),
      active BOOLEAN,
      is_admin BOOLEAN,
      PRIMARY KEY (id),
      UNIQUE (username),
      UNIQUE (email)
    )`);
  // Flask-Bcrypt hashes of the password as typed (the 12-round one as flask-bones' cost 10 would be, only slower).
  const hash = (password: string, rounds: number) => bcrypt.hashes.find((entry) => entry.password === password && entry.rounds === rounds)!;
  const unicode = bcrypt.hashes.find((entry) => entry.normalizedChanged && entry.rounds === 4)!;
  const rows: BonesRow[] = [
    {
      id: 1,
      username: 'cburmeister',
      email: 'admin@example.com',
      password: hash('correct horse battery staple', 12).password,
      active: true,
      isAdmin: true,
    },
    // User 2 is the one links.bonesVerify names: registered, never verified.
    { id: 2, username: 'jane', email: 'jane@example.com', password: hash('Tr0ub4dor&3', 4).password, active: null, isAdmin: null },
    { id: 3, username: 'Zoe.K', email: 'zoe@example.com', password: unicode.password, active: true, isAdmin: false },
  ];
  const hashes = [hash('correct horse battery staple', 12).hash, hash('Tr0ub4dor&3', 4).hash, unicode.hash];
  for (const [index, row] of rows.entries()) {
    await sql.query(
      `INSERT INTO "user" (id, username, email, pw_hash, created_ts, updated_ts, remote_addr, active, is_admin)
       VALUES ($1, $2, $3, $4, '2019-11-02T10:00:00Z', '2019-11-02T10:00:00Z', '203.0.113.7', $5, $6)`,
      [row.id, row.username, row.email, hashes[index], row.active, row.isAdmin],
    );
  }
  await sql.query(`SELECT setval('user_id_seq', 3)`);
  return rows;
}

describe.each(TEST_PLATFORMS)('a flask-bones user table adopted as the doc writes it, on %s', (platform) => {
  let adopted: AdoptedTableApp<BonesRow[]>;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    adopted = await startAdoptedTableApp(platform, {
      table: 'users',
      oldTables: createFlaskBonesTable,
      userEntity: BonesUser,
      migrations: [
        renameUsersTable({ from: 'user', to: 'users' }),
        ...securityMigrations,
        adoptUsersTable({ table: 'users', passwordColumn: 'pw_hash' }),
        FlaskBonesVerifiedIsConfirmed1795900000001,
      ],
      security: {
        appUrl: 'https://bones.example.test',
        mail: { smtpUrl: sink.url, from: 'admin@flask-bones.com' },
        registerable: true,
        confirmable: true,
        usernameEnable: true,
        usernameRequired: true,
        passwordSingleHash: ['bcrypt'],
        legacyLinks: flaskBonesLegacyLinks(links.secretKey),
      },
    });
  });
  afterAll(async () => {
    if (sink) await settleMail(sink, 150);
    await adopted?.close();
    await sink?.close();
  });

  const row = (email: string) => adopted.row(email);

  it('keeps flask-bones columns, and turns "verified" into confirmed', async () => {
    const admin = await row('admin@example.com');
    expect(admin).toMatchObject({ username: 'cburmeister', is_admin: true, remote_addr: '203.0.113.7', active: true });
    expect(admin.confirmed_at).toBeInstanceOf(Date);
    expect(admin.fs_uniquifier).toMatch(/^[0-9a-f]{32}$/);
    expect(await row('jane@example.com')).toMatchObject({ active: true, confirmed_at: null });
    const user = (await adopted.app.get(UserDatastore).findUser({ email: 'admin@example.com' })) as BonesUser;
    expect(user.isAdmin).toBe(true);
    expect(user.createdTs).toEqual(new Date('2019-11-02T10:00:00Z'));
  });

  it('signs in with the Flask-Bcrypt password and rehashes pw_hash to argon2id', async () => {
    for (const user of adopted.old.filter((entry) => entry.active)) await expectSignInRehashes(adopted, 'pw_hash', user);
  });

  it('an unverified flask-bones user confirms through the old verification link, then signs in', async () => {
    const { email, password } = adopted.old[1];
    expect((await request(adopted.server).post('/auth/login').send({ email, password })).status).toBe(400);
    const confirmed = await request(adopted.server).get(`/auth/confirm/${links.bonesVerify}`);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
    expect((await row(email)).confirmed_at).toBeInstanceOf(Date);
    expect((await request(adopted.server).post('/auth/login').send({ email, password })).status).toBe(200);
    // flask-bones' links never expire: a second visit finds the account confirmed.
    expect((await request(adopted.server).get(`/auth/confirm/${links.bonesVerify}`)).body).toMatchObject({
      code: 'ALREADY_CONFIRMED',
    });
  });

  it("moves flask-bones' constraints, indexes and sequence out of the module's way with the table", async () => {
    const names = async (sql: string) =>
      ((await adopted.app.get(DataSource).query(sql)) as Array<{ name: string }>).map((entry) => entry.name).sort();
    expect(await names(`SELECT conname AS name FROM pg_constraint WHERE conrelid = 'users'::regclass AND conname LIKE 'user%'`)).toEqual([
      'users_email_key',
      'users_fs_token_uniquifier_key',
      'users_fs_uniquifier_key',
      'users_fs_webauthn_user_handle_key',
      'users_pkey',
      'users_username_key',
    ]);
    expect(await names(`SELECT relname AS name FROM pg_class WHERE relkind = 'S' AND relname LIKE 'user%'`)).toEqual(['users_id_seq']);
    expect(await names(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'user%'`)).toEqual(['users']);
  });

  it('signs in by username, as flask-bones users did', async () => {
    const { username, password } = adopted.old[2];
    const answer = await request(adopted.server).post('/auth/login').send({ username, password });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ email: 'zoe@example.com' });
  });

  it('registers a new user into the same table, with the columns flask-bones reads', async () => {
    const email = 'new.user@example.com';
    const password = 'a new password for bones';
    const registered = await request(adopted.server).post('/auth/register').send({ email, username: 'newuser', password });
    expect(registered.status).toBe(200);
    const mail = await sink.waitFor((message) => message.to.includes(email));
    const confirmed = await request(adopted.server).get(new URL(extractLink(mail, '/auth/confirm/')).pathname);
    expect(confirmed.body).toMatchObject({ code: 'EMAIL_CONFIRMED', email });
    const created = await row(email);
    // Next id of flask-bones' own sequence; pw_hash (NOT NULL in flask-bones) holds the module's hash.
    expect(created).toMatchObject({ id: 4, username: 'newuser', active: true, is_admin: null });
    expect(created.pw_hash).toMatch(/^\$argon2id\$/);
    expect(created.pw_hash).toBe(created.password);
    expect(created.created_ts).toBeInstanceOf(Date);
    expect(created.confirmed_at).toBeInstanceOf(Date);
    expect((await request(adopted.server).post('/auth/login').send({ username: 'newuser', password })).status).toBe(200);
  });

  it("registers addresses and usernames longer than flask-bones' columns held", async () => {
    // flask-bones: email VARCHAR(128), username VARCHAR(20); the module accepts up to 254 and 32.
    const email = `${'a'.repeat(64)}@${'b'.repeat(60)}.example.com`;
    const username = 'u'.repeat(32);
    const registered = await request(adopted.server).post('/auth/register').send({ email, username, password: 'long enough password' });
    expect(registered.status).toBe(200);
    expect(await row(email)).toMatchObject({ username });
  });

  it('a registration without a username is refused: flask-bones requires one', async () => {
    const answer = await request(adopted.server)
      .post('/auth/register')
      .send({ email: 'no.name@example.com', password: 'long enough password' });
    expect(answer.status).toBe(400);
  });
});
