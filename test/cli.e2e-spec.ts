/**
 * The admin CLI (`nest-security users|roles|db ...`), against real PostgreSQL,
 * each test on a database of its own.
 *
 * Commands run in-process through runCli (the function the binary calls),
 * and the built binary (dist/cli/main.js, made by `npm run build`, which CI
 * runs before the tests) as a child process, the way an operator runs it.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { runCli } from '../src/cli/cli.js';
import type { CliIo } from '../src/cli/cli-io.js';
import { PasswordHasher } from '../src/core/passwords/index.js';
import { createSecurityDataSource } from '../src/storage/typeorm/data-source.js';
import { securityMigrations } from '../src/storage/typeorm/migrations/index.js';
import { TypeOrmUserDatastore } from '../src/storage/typeorm/typeorm-user-datastore.js';
import { createTestDatabase, createTestDataSource, type TestDatabase, type TestDataSource } from './support/database.js';

const SALT = 'cli-test-password-salt';
const PASSWORD = 'correct horse battery staple';
const HEX32 = /^[0-9a-f]{32}$/;
/** Every shipped migration, as TypeORM names them, and what `db migrate` says on a fresh database. */
const MIGRATIONS = securityMigrations.map((migration) => new migration().name);
const MIGRATED = `Applied ${MIGRATIONS.length} migration${MIGRATIONS.length === 1 ? '' : 's'}: ${MIGRATIONS.join(', ')}`;
const hasher = new PasswordHasher({ passwordSalt: SALT });

interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

/** Runs one command in-process; `password` is what stdin / the prompt would give. */
async function cli(args: string[], env: Record<string, string | undefined>, password = ''): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (line) => void out.push(line), err: (line) => void err.push(line), readPassword: async () => password };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** Everything the CLI could write. */
async function snapshot(dataSource: DataSource) {
  return {
    users: await dataSource.query('SELECT * FROM "user" ORDER BY id'),
    roles: await dataSource.query('SELECT * FROM role ORDER BY id'),
    links: await dataSource.query('SELECT * FROM roles_users ORDER BY user_id, role_id'),
  };
}

interface Seeded {
  database: TestDataSource;
  dataSource: DataSource;
  datastore: TypeOrmUserDatastore;
  env: Record<string, string>;
}

let seedHash: Promise<string> | undefined;

/** A new migrated database holding roles admin and editor, and Jane@example.com (username jane) with both. */
async function seededDatabase(): Promise<Seeded> {
  const database = await createTestDataSource();
  try {
    const { dataSource } = database;
    const datastore = new TypeOrmUserDatastore(dataSource);
    await datastore.createRole({ name: 'admin', permissions: ['reports:read'] });
    await datastore.createRole({ name: 'editor' });
    const password = await (seedHash ??= hasher.hash(PASSWORD));
    await datastore.createUser({ email: 'Jane@example.com', username: 'jane', password, roles: ['admin', 'editor'], confirmedAt: new Date() });
    return { database, dataSource, datastore, env: { DATABASE_URL: database.url, PASSWORD_SALT: SALT } };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

describe('admin CLI, in-process (real PostgreSQL)', () => {
  let database: TestDataSource;
  let datastore: TypeOrmUserDatastore;
  let env: Record<string, string>;

  beforeEach(async () => {
    ({ database, datastore, env } = await seededDatabase());
  });

  afterEach(async () => {
    await database?.drop();
  });

  const findUser = (email: string) => datastore.findUser({ email });
  const roleNames = async (email: string) => (await findUser(email))!.roles.map((role) => role.name).sort();

  it('roles create: with permissions and a description, or bare', async () => {
    expect(await cli(['roles', 'create', 'auditor', '--permissions', 'reports:read, users:read', '--description', 'Read-only staff'], env)).toEqual({
      code: 0,
      out: ['Created role auditor (permissions: reports:read, users:read)'],
      err: [],
    });
    expect(await cli(['roles', 'create', 'guest'], env)).toEqual({ code: 0, out: ['Created role guest'], err: [] });
    expect(await datastore.findRole('auditor')).toMatchObject({ description: 'Read-only staff', permissions: ['reports:read', 'users:read'] });
    expect(await datastore.findRole('guest')).toMatchObject({ description: null, permissions: null });
  });

  it("users create: confirmed and active, with roles, and a password that verifies with the app's salt", async () => {
    const result = await cli(['users', 'create', 'Ops@Example.COM', '--password', PASSWORD, '--username', 'Ops.Team', '--role', 'admin', '--role', 'editor'], env);
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^Created user Ops@example\.com \(id \d+, active, confirmed, roles: admin, editor\)$/)], err: [] });

    const user = (await findUser('ops@example.com'))!;
    expect(user).toMatchObject({ email: 'Ops@example.com', username: 'ops.team', active: true, fsUniquifier: expect.stringMatching(HEX32) });
    expect(Math.abs(user.confirmedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
    expect(await roleNames('ops@example.com')).toEqual(['admin', 'editor']);
  });

  it('users create --inactive --unconfirmed, reading the password from stdin / the prompt', async () => {
    const result = await cli(['users', 'create', 'quiet@example.com', '--inactive', '--unconfirmed'], env, PASSWORD);
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^Created user quiet@example\.com \(id \d+, inactive, unconfirmed\)$/)], err: [] });
    const user = (await findUser('quiet@example.com'))!;
    expect(user).toMatchObject({ active: false, confirmedAt: null, roles: [] });
    expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
  });

  it('users deactivate / activate: the datastore sees the flag, and a no-op says so', async () => {
    expect(await cli(['users', 'deactivate', 'JANE@example.com'], env)).toEqual({ code: 0, out: ['Deactivated user Jane@example.com'], err: [] });
    expect((await findUser('jane@example.com'))!.active).toBe(false);
    expect(await cli(['users', 'deactivate', 'jane@example.com'], env)).toEqual({ code: 0, out: ['User Jane@example.com was already inactive'], err: [] });

    expect(await cli(['users', 'activate', 'jane@example.com'], env)).toEqual({ code: 0, out: ['Activated user Jane@example.com'], err: [] });
    expect((await findUser('jane@example.com'))!.active).toBe(true);
    expect(await cli(['users', 'activate', 'jane@example.com'], env)).toEqual({ code: 0, out: ['User Jane@example.com was already active'], err: [] });
  });

  it('roles remove / add: the datastore sees the roles, and a no-op says so', async () => {
    expect(await cli(['roles', 'remove', 'jane@example.com', 'editor'], env)).toEqual({ code: 0, out: ['Removed role editor from Jane@example.com'], err: [] });
    expect(await roleNames('jane@example.com')).toEqual(['admin']);
    expect((await cli(['roles', 'remove', 'jane@example.com', 'editor'], env)).out).toEqual(['User Jane@example.com did not have role editor']);

    expect(await cli(['roles', 'add', 'jane@example.com', 'editor'], env)).toEqual({ code: 0, out: ['Added role editor to Jane@example.com'], err: [] });
    expect(await roleNames('jane@example.com')).toEqual(['admin', 'editor']);
    expect((await cli(['roles', 'add', 'jane@example.com', 'editor'], env)).out).toEqual(['User Jane@example.com already has role editor']);
  });

  it('users change-password: new hash, both uniquifiers rotated (sessions, auth tokens and links die)', async () => {
    const before = (await findUser('jane@example.com'))!;
    const result = await cli(['users', 'change-password', 'jane@example.com'], env, 'a brand new passphrase');
    expect(result).toEqual({ code: 0, out: ['Changed the password of Jane@example.com; their sessions, auth tokens and links are revoked'], err: [] });

    const after = (await findUser('jane@example.com'))!;
    expect(await hasher.verify('a brand new passphrase', after.password!)).toBe(true);
    expect(await hasher.verify(PASSWORD, after.password!)).toBe(false);
    expect(after.fsUniquifier).toMatch(HEX32);
    expect(after.fsUniquifier).not.toBe(before.fsUniquifier);
    expect(after.fsTokenUniquifier).toMatch(HEX32);
    expect(after.fsTokenUniquifier).not.toBe(before.fsTokenUniquifier);
  });

  it('users reset-access: both uniquifiers rotate, the password stays', async () => {
    const before = (await findUser('jane@example.com'))!;
    expect(await cli(['users', 'reset-access', 'jane@example.com'], env)).toEqual({
      code: 0,
      out: ['Reset access of Jane@example.com: sessions, tokens and second factors revoked'],
      err: [],
    });
    const after = (await findUser('jane@example.com'))!;
    expect(after.fsUniquifier).toMatch(HEX32);
    expect(after.fsUniquifier).not.toBe(before.fsUniquifier);
    expect(after.fsTokenUniquifier).toMatch(HEX32);
    expect(after.fsTokenUniquifier).not.toBe(before.fsTokenUniquifier);
    expect(after.password).toBe(before.password);
  });

  it('--help prints usage, for the CLI and for one command', async () => {
    const result = await cli(['--help'], env);
    expect(result.code).toBe(0);
    expect(result.out[0]).toContain('users create EMAIL');
    expect(result.out[0]).toContain('db migrate');
    expect(await cli(['users', 'create', '--help'], env)).toEqual({ code: 0, out: [expect.stringContaining('Usage: nest-security users create EMAIL')], err: [] });
  });
});

/**
 * Each case asserts that it wrote nothing, so they can share one seeded
 * database (one per case would add seconds for nothing).
 */
describe('admin CLI, bad input: non-zero exit, one line on stderr, nothing written', () => {
  let database: TestDataSource;
  let dataSource: DataSource;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ database, dataSource, env } = await seededDatabase());
  });

  afterAll(async () => {
    await database?.drop();
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /^missing command/],
    ['unknown command', ['frobnicate'], /^unknown command "frobnicate"/],
    ['missing action', ['users'], /^missing users command/],
    ['unknown action', ['users', 'explode', 'x@example.com'], /^unknown command "users explode"/],
    ['db without action', ['db'], /^missing db command/],
    ['missing EMAIL', ['users', 'create', '--password', PASSWORD], /^missing EMAIL/],
    ['empty EMAIL', ['users', 'activate', ' '], /^EMAIL is empty/],
    ['extra argument', ['users', 'activate', 'jane@example.com', 'more'], /^unexpected argument "more"/],
    ['unknown option', ['users', 'create', 'new@example.com', '--password', PASSWORD, '--admin'], /^Unknown option '--admin'/],
    ['option without value', ['users', 'create', 'new@example.com', '--password'], /argument missing/],
    ['invalid email', ['users', 'create', 'not-an-email', '--password', PASSWORD], /^invalid email address "not-an-email"/],
    ['email without a domain', ['users', 'create', 'new@localhost', '--password', PASSWORD], /^invalid email address/],
    ['invalid username', ['users', 'create', 'new@example.com', '--username', 'a b', '--password', PASSWORD], /^invalid username/],
    ['short password', ['users', 'create', 'new@example.com', '--password', 'short'], /^invalid password: /],
    ['no password at all', ['users', 'create', 'new@example.com'], /^no password given/],
    ['unknown role', ['users', 'create', 'new@example.com', '--password', PASSWORD, '--role', 'admin', '--role', 'ghost'], /^role "ghost" does not exist$/],
    ['duplicate email', ['users', 'create', 'JANE@EXAMPLE.COM', '--password', PASSWORD], /^a user with this email already exists$/],
    ['duplicate username', ['users', 'create', 'new@example.com', '--username', 'JANE', '--password', PASSWORD], /^a user with this username already exists$/],
    ['unknown user to activate', ['users', 'activate', 'ghost@example.com'], /^no user with email ghost@example\.com$/],
    ['unknown user to deactivate', ['users', 'deactivate', 'ghost@example.com'], /^no user with email ghost@example\.com$/],
    ['unknown user to reset', ['users', 'reset-access', 'ghost@example.com'], /^no user with email/],
    ['unknown user for a password', ['users', 'change-password', 'ghost@example.com', '--password', PASSWORD], /^no user with email/],
    ['short new password', ['users', 'change-password', 'jane@example.com', '--password', 'short'], /^invalid password: /],
    ['duplicate role', ['roles', 'create', 'admin'], /^a role with this name already exists$/],
    ['missing NAME', ['roles', 'create'], /^missing NAME/],
    ['role name with a comma', ['roles', 'create', 'a,b'], /^invalid role name/],
    ['missing ROLE', ['roles', 'add', 'jane@example.com'], /^missing ROLE/],
    ['unknown role to add', ['roles', 'add', 'jane@example.com', 'ghost'], /^role "ghost" does not exist$/],
    ['unknown user for a role', ['roles', 'add', 'ghost@example.com', 'admin'], /^no user with email/],
    ['unknown role to remove', ['roles', 'remove', 'jane@example.com', 'ghost'], /^role "ghost" does not exist$/],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const before = await snapshot(dataSource);
    const result = await cli(args, env);
    expect(result).toEqual({ code: expect.any(Number), out: [], err: [expect.stringMatching(message)] });
    expect(result.code).not.toBe(0);
    expect(result.err[0]).not.toContain('\n');
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it("without PASSWORD_SALT (nor the demo's salt file) it refuses to hash", async () => {
    const before = await snapshot(dataSource);
    const result = await cli(['users', 'create', 'new@example.com', '--password', PASSWORD], {
      DATABASE_URL: database.url,
      DEMO_DATA_DIR: join(tmpdir(), 'nest-security-no-such-dir'),
    });
    expect(result).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^PASSWORD_SALT is not set/)] });
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it('an unreachable server is one line too', async () => {
    const result = await cli(['users', 'activate', 'jane@example.com'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(result).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^error: .*ECONNREFUSED/)] });
  });
});

describe('admin CLI on a fresh database: migrations', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, PASSWORD_SALT: SALT };
  });

  afterEach(async () => {
    await database?.drop();
  });

  it('db migrate applies the shipped migrations once, then has nothing to do', async () => {
    expect(await cli(['db', 'migrate'], env)).toEqual({ code: 0, out: [MIGRATED], err: [] });
    expect(await cli(['db', 'migrate'], env)).toEqual({ code: 0, out: ['Database is up to date'], err: [] });
  });

  it('users and roles commands migrate first, so a fresh database just works', async () => {
    expect(await cli(['roles', 'create', 'admin'], env)).toEqual({ code: 0, out: ['Created role admin'], err: [] });
    expect((await cli(['users', 'create', 'first@example.com', '--password', PASSWORD, '--role', 'admin'], env)).code).toBe(0);
    expect(await cli(['db', 'migrate'], env)).toEqual({ code: 0, out: ['Database is up to date'], err: [] });
  });

  it('commands started together on a fresh database migrate it once and all succeed', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((name) => cli(['roles', 'create', `role-${name}`], env)));
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);

    const check = await createSecurityDataSource({ url: database.url }).initialize();
    try {
      expect((await check.query('SELECT name FROM migrations ORDER BY id')).map((row: { name: string }) => row.name)).toEqual(MIGRATIONS);
      expect((await check.query('SELECT name FROM role ORDER BY name')).map((row: { name: string }) => row.name)).toEqual(['role-a', 'role-b', 'role-c', 'role-d']);
    } finally {
      await check.destroy();
    }
  });
});

describe('admin CLI without DATABASE_URL', () => {
  // The library carries no embedded database: without DATABASE_URL there is nothing to manage.
  it('refuses in one line and creates nothing on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nest-security-cli-'));
    try {
      writeFileSync(join(dir, 'password_salt'), 'demo-salt\n');
      const result = await cli(['users', 'create', 'demo@example.com', '--password', PASSWORD], { DEMO_DATA_DIR: dir });
      expect(result).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^DATABASE_URL is not set/)] });
      expect(readdirSync(dir)).toEqual(['password_salt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const BINARY = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Each run starts node and loads TypeORM (and argon2): allow for a busy CI machine. */
const BINARY_TEST_TIMEOUT = 90_000;

/** Runs the built binary the way an operator does (no jest, no NODE_OPTIONS), with `input` on stdin. */
function runBinary(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('the built nest-security binary (child process)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(() => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build\` before these tests`);
  });

  beforeEach(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, PASSWORD_SALT: SALT };
  });

  afterEach(async () => {
    await database?.drop();
  });

  it('migrates, creates a role and a user with the password on stdin, one line per action', async () => {
    expect(await runBinary(['db', 'migrate'], env)).toEqual({ code: 0, stdout: `${MIGRATED}\n`, stderr: '' });
    expect(await runBinary(['roles', 'create', 'admin'], env)).toEqual({ code: 0, stdout: 'Created role admin\n', stderr: '' });
    const created = await runBinary(['users', 'create', 'ops@example.com', '--role', 'admin'], env, `${PASSWORD}\n`);
    expect(created).toEqual({ code: 0, stdout: expect.stringMatching(/^Created user ops@example\.com \(id \d+, active, confirmed, roles: admin\)\n$/), stderr: '' });

    const check = await createSecurityDataSource({ url: database.url }).initialize();
    try {
      const user = (await new TypeOrmUserDatastore(check).findUser({ email: 'ops@example.com' }))!;
      expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
      expect(user.confirmedAt).not.toBeNull();
      expect(user.roles.map((role) => role.name)).toEqual(['admin']);
    } finally {
      await check.destroy();
    }
  }, BINARY_TEST_TIMEOUT);

  it('exits non-zero with one line on stderr for bad input, writing nothing', async () => {
    const bad = [
      ['nope'],
      ['users', 'create'],
      ['users', 'create', 'bad-email', '--password', PASSWORD],
      ['users', 'create', 'new@example.com'], // empty stdin: no password
      ['users', 'create', 'new@example.com', '--role', 'ghost', '--password', PASSWORD],
      ['users', 'activate', 'ghost@example.com'],
    ];
    const results = await Promise.all(bad.map((args) => runBinary(args, env)));
    for (const [index, result] of results.entries()) {
      expect({ args: bad[index], exit: result.code === 0 ? 'zero' : 'non-zero', stdout: result.stdout, stderr: result.stderr }).toEqual({
        args: bad[index],
        exit: 'non-zero',
        stdout: '',
        stderr: expect.stringMatching(/^[^\n]+\n$/),
      });
    }
    const check = await createSecurityDataSource({ url: database.url }).initialize();
    try {
      expect(await snapshot(check)).toEqual({ users: [], roles: [], links: [] });
    } finally {
      await check.destroy();
    }
  }, BINARY_TEST_TIMEOUT);

  it('prints usage on --help', async () => {
    const result = await runBinary(['--help'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('roles add EMAIL ROLE');
  }, BINARY_TEST_TIMEOUT);
});
