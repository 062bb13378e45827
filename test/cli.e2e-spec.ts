/**
 * The admin CLI (`nest-security users|roles|db ...`), against real PostgreSQL,
 * each test on a database of its own, in its two ways of running: on
 * DATABASE_URL with the shipped entities, and inside an app (--app), here the
 * tests' own app with its own user entity (test/cli-app/staff-app.module.mjs).
 *
 * DATABASE_URL commands run in-process through runCli (the function the
 * binary calls); both ways run through the built binary (dist/cli/main.js,
 * made by `npm run build`, which CI runs before the tests) as a child
 * process, the way an operator runs it. An app module imports 'nest-security'
 * (dist/) by name, so it can only be booted by the built binary.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
import type { UserDatastore } from '../src/storage/user-datastore.js';
import request from 'supertest';
import { createMigratedTestDataSource, createTestDatabase, type TestDatabase, type TestDataSource } from './support/database.js';
import { createFlowsApp, type FlowsApp } from './support/flows-app.js';

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
  const database = await createMigratedTestDataSource();
  try {
    const { dataSource } = database;
    const datastore = new TypeOrmUserDatastore(dataSource);
    await datastore.createRole({ name: 'admin', permissions: ['reports:read'] });
    await datastore.createRole({ name: 'editor' });
    const password = await (seedHash ??= hasher.hash(PASSWORD));
    await datastore.createUser({
      email: 'Jane@example.com',
      username: 'jane',
      password,
      roles: ['admin', 'editor'],
      confirmedAt: new Date(),
    });
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
    expect(
      await cli(['roles', 'create', 'auditor', '--permissions', 'reports:read, users:read', '--description', 'Read-only staff'], env),
    ).toEqual({
      code: 0,
      out: ['Created role auditor (permissions: reports:read, users:read)'],
      err: [],
    });
    expect(await cli(['roles', 'create', 'guest'], env)).toEqual({ code: 0, out: ['Created role guest'], err: [] });
    expect(await datastore.findRole('auditor')).toMatchObject({
      description: 'Read-only staff',
      permissions: ['reports:read', 'users:read'],
    });
    expect(await datastore.findRole('guest')).toMatchObject({ description: null, permissions: null });
  });

  it("users create: confirmed and active, with roles, and a password that verifies with the app's salt", async () => {
    const result = await cli(
      ['users', 'create', 'Ops@Example.COM', '--password', PASSWORD, '--username', 'OpsTeam', '--role', 'admin', '--role', 'editor'],
      env,
    );
    expect(result).toEqual({
      code: 0,
      out: [expect.stringMatching(/^Created user Ops@example\.com \(id \d+, active, confirmed, roles: admin, editor\)$/)],
      err: [],
    });

    // Stored as POST /register stores them: the address normalised (domain lower-cased), the username normalised.
    const user = (await findUser('ops@example.com'))!;
    expect(user).toMatchObject({ email: 'Ops@example.com', username: 'opsteam', active: true, fsUniquifier: expect.stringMatching(HEX32) });
    expect(Math.abs(user.confirmedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
    expect(await roleNames('ops@example.com')).toEqual(['admin', 'editor']);
  });

  it('users create --inactive --unconfirmed, reading the password from stdin / the prompt', async () => {
    const result = await cli(['users', 'create', 'quiet@example.com', '--inactive', '--unconfirmed'], env, PASSWORD);
    expect(result).toEqual({
      code: 0,
      out: [expect.stringMatching(/^Created user quiet@example\.com \(id \d+, inactive, unconfirmed\)$/)],
      err: [],
    });
    const user = (await findUser('quiet@example.com'))!;
    expect(user).toMatchObject({ active: false, confirmedAt: null, roles: [] });
    expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
  });

  it('users deactivate / activate: the datastore sees the flag, and a no-op says so', async () => {
    expect(await cli(['users', 'deactivate', 'JANE@example.com'], env)).toEqual({
      code: 0,
      out: ['Deactivated user Jane@example.com'],
      err: [],
    });
    expect((await findUser('jane@example.com'))!.active).toBe(false);
    expect(await cli(['users', 'deactivate', 'jane@example.com'], env)).toEqual({
      code: 0,
      out: ['User Jane@example.com was already inactive'],
      err: [],
    });

    expect(await cli(['users', 'activate', 'jane@example.com'], env)).toEqual({
      code: 0,
      out: ['Activated user Jane@example.com'],
      err: [],
    });
    expect((await findUser('jane@example.com'))!.active).toBe(true);
    expect(await cli(['users', 'activate', 'jane@example.com'], env)).toEqual({
      code: 0,
      out: ['User Jane@example.com was already active'],
      err: [],
    });
  });

  it('roles remove / add: the datastore sees the roles, and a no-op says so', async () => {
    expect(await cli(['roles', 'remove', 'jane@example.com', 'editor'], env)).toEqual({
      code: 0,
      out: ['Removed role editor from Jane@example.com'],
      err: [],
    });
    expect(await roleNames('jane@example.com')).toEqual(['admin']);
    expect((await cli(['roles', 'remove', 'jane@example.com', 'editor'], env)).out).toEqual([
      'User Jane@example.com did not have role editor',
    ]);

    expect(await cli(['roles', 'add', 'jane@example.com', 'editor'], env)).toEqual({
      code: 0,
      out: ['Added role editor to Jane@example.com'],
      err: [],
    });
    expect(await roleNames('jane@example.com')).toEqual(['admin', 'editor']);
    expect((await cli(['roles', 'add', 'jane@example.com', 'editor'], env)).out).toEqual(['User Jane@example.com already has role editor']);
  });

  it('roles add-permissions / remove-permissions: the role grants what was added, no longer what was removed', async () => {
    expect(await cli(['roles', 'add-permissions', 'admin', 'users:read, users:write'], env)).toEqual({
      code: 0,
      out: ['Added permissions users:read, users:write to role admin'],
      err: [],
    });
    expect((await datastore.findRole('admin'))!.permissions).toEqual(['reports:read', 'users:read', 'users:write']);
    expect((await cli(['roles', 'add-permissions', 'admin', 'reports:read'], env)).out).toEqual([
      'Role admin already has permissions reports:read',
    ]);

    expect(await cli(['roles', 'remove-permissions', 'admin', 'reports:read,users:write'], env)).toEqual({
      code: 0,
      out: ['Removed permissions reports:read, users:write from role admin'],
      err: [],
    });
    expect((await datastore.findRole('admin'))!.permissions).toEqual(['users:read']);
    expect((await cli(['roles', 'remove-permissions', 'admin', 'reports:read'], env)).out).toEqual([
      'Role admin had none of the permissions reports:read',
    ]);
    // The role's users see it: roles load with the user.
    expect((await findUser('jane@example.com'))!.roles.find((role) => role.name === 'admin')!.permissions).toEqual(['users:read']);
  });

  it('users change-password: new hash, both uniquifiers rotated (sessions, auth tokens and links die)', async () => {
    const before = (await findUser('jane@example.com'))!;
    const result = await cli(['users', 'change-password', 'jane@example.com'], env, 'a brand new passphrase');
    expect(result).toEqual({
      code: 0,
      out: ['Changed the password of Jane@example.com; their sessions, auth tokens and links are revoked'],
      err: [],
    });

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
    expect(await cli(['users', 'create', '--help'], env)).toEqual({
      code: 0,
      out: [expect.stringContaining('Usage: nest-security users create EMAIL')],
      err: [],
    });
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
    [
      'username with a dot (POST /register refuses it too)',
      ['users', 'create', 'new@example.com', '--username', 'jane.doe', '--password', PASSWORD],
      /^invalid username "jane\.doe": A username can contain only letters and digits$/,
    ],
    [
      'short username',
      ['users', 'create', 'new@example.com', '--username', 'abc', '--password', PASSWORD],
      /^invalid username "abc": A username must have 4 to 32 characters$/,
    ],
    ['short password', ['users', 'create', 'new@example.com', '--password', 'short'], /^invalid password: /],
    ['no password at all', ['users', 'create', 'new@example.com'], /^no password given/],
    [
      'unknown role',
      ['users', 'create', 'new@example.com', '--password', PASSWORD, '--role', 'admin', '--role', 'ghost'],
      /^role "ghost" does not exist$/,
    ],
    ['duplicate email', ['users', 'create', 'JANE@EXAMPLE.COM', '--password', PASSWORD], /^a user with this email already exists$/],
    [
      'duplicate username',
      ['users', 'create', 'new@example.com', '--username', 'JANE', '--password', PASSWORD],
      /^a user with this username already exists$/,
    ],
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
    ['missing PERMISSIONS', ['roles', 'add-permissions', 'admin'], /^missing PERMISSIONS/],
    ['empty permission list', ['roles', 'add-permissions', 'admin', ' , '], /^no permissions given/],
    ['permissions of an unknown role', ['roles', 'add-permissions', 'ghost', 'a'], /^role "ghost" does not exist$/],
    ['removing permissions of an unknown role', ['roles', 'remove-permissions', 'ghost', 'a'], /^role "ghost" does not exist$/],
    ['--app without a file', ['--app'], /^option '--app <module file>\[#ExportName\]' argument missing$/],
    ['--app given twice', ['--app', 'a.mjs', 'users', 'activate', 'jane@example.com', '--app', 'b.mjs'], /^--app is given twice$/],
    [
      'an app module file that does not exist',
      ['--app', 'no-such-app.module.js', 'users', 'activate', 'jane@example.com'],
      /^--app: no-such-app\.module\.js does not exist$/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const before = await snapshot(dataSource);
    const result = await cli(args, env);
    expect(result).toEqual({ code: expect.any(Number), out: [], err: [expect.stringMatching(message)] });
    expect(result.code).not.toBe(0);
    expect(result.err[0]).not.toContain('\n');
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it('without PASSWORD_SALT it refuses to hash (a hash the app cannot verify is worse than none)', async () => {
    const before = await snapshot(dataSource);
    const result = await cli(['users', 'create', 'new@example.com', '--password', PASSWORD], { DATABASE_URL: database.url });
    expect(result).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^PASSWORD_SALT is not set/)] });
    expect(await snapshot(dataSource)).toEqual(before);
  });

  it('with neither DATABASE_URL nor --app / NEST_SECURITY_APP it refuses, naming both', async () => {
    const result = await cli(['roles', 'create', 'auditor'], { PASSWORD_SALT: SALT });
    expect(result).toEqual({
      code: 2,
      out: [],
      err: [expect.stringMatching(/^no database: set DATABASE_URL .* --app <module file>\[#ExportName\] \(or NEST_SECURITY_APP\)$/)],
    });
  });

  it('an unreachable server is one line too', async () => {
    const result = await cli(['users', 'activate', 'jane@example.com'], {
      ...env,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect(result).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^error: .*ECONNREFUSED/)] });
  });
});

/**
 * One set of rules: every address and username below gets the same verdict
 * from `users create` as from POST /register, and is stored in the same form.
 * The HTTP side is a real app (real SMTP sink); each side has its own database.
 */
describe('admin CLI and POST /register: the same email and username rules', () => {
  let flows: FlowsApp;
  let cliDatabase: Seeded;

  beforeAll(async () => {
    flows = await createFlowsApp({ returnGenericResponses: false });
    cliDatabase = await seededDatabase();
  });

  afterAll(async () => {
    await flows?.close();
    await cliDatabase?.database.drop();
  });

  const emails = [
    'plain@example.com',
    'Mixed.Case+tag@Sub.Example.ORG',
    'ünïcode@example.com',
    'not-an-email',
    'new@localhost',
    'two@at@example.com',
    'space in@example.com',
    'trailing-dot.@example.com',
    'x@example.c',
    `${'a'.repeat(250)}@example.com`,
  ];
  const usernames = ['JaneDoe', 'Zoë2026', 'ＦｕｌｌＷｉｄｔｈ', '名前です', 'jane.doe', 'jane_doe', 'abc', 'a'.repeat(33), 'jane doe'];

  /** Each side's verdict: the stored email and username when accepted, else 'refused'. */
  async function verdicts(email: string, username?: string) {
    const body = { email, password: PASSWORD, ...(username === undefined ? {} : { username }) };
    const http = await request(flows.server).post('/auth/register').send(body);
    const args = ['users', 'create', email, '--password', PASSWORD, ...(username === undefined ? [] : ['--username', username])];
    const cliResult = await cli(args, cliDatabase.env);
    const stored = async (datastore: UserDatastore) => {
      const user = await datastore.findUser({ email });
      return user ? { email: user.email, username: user.username } : 'not found';
    };
    return {
      http: http.status < 300 ? await stored(flows.datastore) : 'refused',
      cli: cliResult.code === 0 ? await stored(cliDatabase.datastore) : 'refused',
    };
  }

  it('emails: the same addresses accepted, stored normalised', async () => {
    const accepted: string[] = [];
    for (const email of emails) {
      const { http, cli } = await verdicts(email);
      expect({ email, cli }).toEqual({ email, cli: http });
      if (http !== 'refused') accepted.push(email);
    }
    // email_validator's rule: a top-level domain of one letter is a hostname.
    expect(accepted).toEqual(['plain@example.com', 'Mixed.Case+tag@Sub.Example.ORG', 'ünïcode@example.com', 'x@example.c']);
  });

  it('usernames: the same names accepted, stored normalised (NFKD, lower case)', async () => {
    const accepted: unknown[] = [];
    for (const [index, username] of usernames.entries()) {
      const { http, cli } = await verdicts(`user${index}@example.com`, username);
      expect({ username, cli }).toEqual({ username, cli: http });
      if (typeof http !== 'string') accepted.push(http.username);
    }
    expect(accepted).toEqual(['janedoe', 'zoe\u03082026', 'fullwidth', '名前です'.normalize('NFKD')]);
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
      expect((await check.query('SELECT name FROM role ORDER BY name')).map((row: { name: string }) => row.name)).toEqual([
        'role-a',
        'role-b',
        'role-c',
        'role-d',
      ]);
    } finally {
      await check.destroy();
    }
  });
});

const BINARY = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Each run starts node and loads TypeORM (and argon2): allow for a busy CI machine. */
const BINARY_TEST_TIMEOUT = 90_000;

interface BinaryResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary the way an operator does (no jest, no NODE_OPTIONS), with `input` on stdin, in `cwd` (default the checkout). */
function runBinary(args: string[], env: Record<string, string>, input = '', cwd?: string): Promise<BinaryResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * On a new empty database of its own, dropped after `work`: the binary's cases
 * run concurrently (each spawn is seconds of module loading, mostly waiting on
 * one core), so they cannot share beforeEach's variables.
 */
async function onEmptyDatabase(work: (env: Record<string, string>, database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    await work({ DATABASE_URL: database.url, PASSWORD_SALT: SALT }, database);
  } finally {
    await database.drop();
  }
}

describe('the built nest-security binary (child process)', () => {
  beforeAll(() => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build\` before these tests`);
  });

  it.concurrent(
    'migrates, creates a role and a user with the password on stdin, one line per action',
    () =>
      onEmptyDatabase(async (env, database) => {
        expect(await runBinary(['db', 'migrate'], env)).toEqual({ code: 0, stdout: `${MIGRATED}\n`, stderr: '' });
        expect(await runBinary(['roles', 'create', 'admin'], env)).toEqual({ code: 0, stdout: 'Created role admin\n', stderr: '' });
        const created = await runBinary(['users', 'create', 'ops@example.com', '--role', 'admin'], env, `${PASSWORD}\n`);
        expect(created).toEqual({
          code: 0,
          stdout: expect.stringMatching(/^Created user ops@example\.com \(id \d+, active, confirmed, roles: admin\)\n$/),
          stderr: '',
        });

        const check = await createSecurityDataSource({ url: database.url }).initialize();
        try {
          const user = (await new TypeOrmUserDatastore(check).findUser({ email: 'ops@example.com' }))!;
          expect(await hasher.verify(PASSWORD, user.password!)).toBe(true);
          expect(user.confirmedAt).not.toBeNull();
          expect(user.roles.map((role) => role.name)).toEqual(['admin']);
        } finally {
          await check.destroy();
        }
      }),
    BINARY_TEST_TIMEOUT,
  );

  it.concurrent(
    'exits non-zero with one line on stderr for bad input, writing nothing',
    () =>
      onEmptyDatabase(async (env, database) => {
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
          expect({ args: bad[index], exit: result.code === 0 ? 'zero' : 'non-zero', stdout: result.stdout, stderr: result.stderr }).toEqual(
            {
              args: bad[index],
              exit: 'non-zero',
              stdout: '',
              stderr: expect.stringMatching(/^[^\n]+\n$/),
            },
          );
        }
        const check = await createSecurityDataSource({ url: database.url }).initialize();
        try {
          expect(await snapshot(check)).toEqual({ users: [], roles: [], links: [] });
        } finally {
          await check.destroy();
        }
      }),
    BINARY_TEST_TIMEOUT,
  );

  it.concurrent(
    'prints usage on --help',
    () =>
      onEmptyDatabase(async (env) => {
        const result = await runBinary(['--help'], env);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain('roles add EMAIL ROLE');
        expect(result.stdout).toContain('roles add-permissions NAME a,b');
        expect(result.stdout).toContain('--app');
      }),
    BINARY_TEST_TIMEOUT,
  );
});

describe('the binary without DATABASE_URL or an app module', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nest-security-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'refuses in one line and writes nothing: no embedded database, no ./.data',
    async () => {
      const results = await Promise.all([
        runBinary(['users', 'create', 'demo@example.com', '--password', PASSWORD], { PASSWORD_SALT: SALT }, '', dir),
        runBinary(['db', 'migrate'], {}, '', dir),
      ]);
      for (const result of results) {
        expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^no database: set DATABASE_URL [^\n]*\n$/) });
      }
      expect(readdirSync(dir)).toEqual([]);
    },
    BINARY_TEST_TIMEOUT,
  );
});

/**
 * Inside an app: the tests' own app module (test/cli-app/staff-app.module.mjs)
 * with its own StaffUser entity (a display_name column its entity fills in),
 * its own migration, salt, password rules (12 characters at least, a
 * breached list) and usernames required. It reads DATABASE_URL itself, as
 * apps do: with --app, that is the app's setting, not the CLI's.
 */
describe('the binary inside an app (--app / NEST_SECURITY_APP)', () => {
  const STAFF_APP = fileURLToPath(new URL('./cli-app/staff-app.module.mjs', import.meta.url));
  const BROKEN_APPS = fileURLToPath(new URL('./cli-app/broken-apps.module.mjs', import.meta.url));
  const STAFF_SALT = 'staff-app-password-salt';
  const staffHasher = new PasswordHasher({ passwordSalt: STAFF_SALT });
  let database: TestDatabase;
  let env: Record<string, string>;
  let check: DataSource;

  const staffRows = () =>
    check.query('SELECT email, username, display_name, password, fs_uniquifier, fs_token_uniquifier, confirmed_at FROM "user" ORDER BY id');

  beforeAll(async () => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`npm run build\` before these tests`);
    database = await createTestDatabase();
    // No PASSWORD_SALT: inside the app, the app's own salt is used.
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    if (check?.isInitialized) await check.destroy();
    await database?.drop();
  });

  it(
    "db migrate applies the app's migrations (the shipped ones and its own), then users and roles are written through its entity",
    async () => {
      expect(await runBinary(['--app', STAFF_APP, 'db', 'migrate'], env)).toEqual({
        code: 0,
        stdout: `Applied ${MIGRATIONS.length + 1} migrations: ${[...MIGRATIONS, 'AddDisplayName1800000000000'].join(', ')}\n`,
        stderr: '',
      });
      check = await createSecurityDataSource({ url: database.url }).initialize();

      // NEST_SECURITY_APP does what --app does; `#AppModule` names the export (the default name anyway).
      const appEnv = { ...env, NEST_SECURITY_APP: `${STAFF_APP}#AppModule` };
      expect(await runBinary(['roles', 'create', 'staff', '--permissions', 'reports:read'], appEnv)).toEqual({
        code: 0,
        stdout: 'Created role staff (permissions: reports:read)\n',
        stderr: '',
      });
      // Independent once the role exists: started together, one boot's wait instead of two.
      const [permitted, created] = await Promise.all([
        runBinary(['roles', 'add-permissions', 'staff', 'users:read'], appEnv),
        runBinary(
          ['users', 'create', 'Ops@Example.com', '--username', 'OpsTeam', '--role', 'staff', '--app', STAFF_APP],
          env,
          `${PASSWORD}\n`,
        ),
      ]);
      expect(permitted).toMatchObject({ code: 0, stderr: '' });
      expect(created).toEqual({
        code: 0,
        stdout: expect.stringMatching(/^Created user Ops@example\.com \(id \d+, active, confirmed, roles: staff\)\n$/),
        stderr: '',
      });

      const [row] = await staffRows();
      // display_name: filled in by StaffUser's own @BeforeInsert, so the row was written through the app's entity.
      expect(row).toMatchObject({ email: 'Ops@example.com', username: 'opsteam', display_name: 'Ops', confirmed_at: expect.any(Date) });
      expect(await staffHasher.verify(PASSWORD, row.password)).toBe(true);
      expect(await hasher.verify(PASSWORD, row.password)).toBe(false);
      const roles = await check.query('SELECT r.name, r.permissions FROM roles_users ru JOIN role r ON r.id = ru.role_id');
      expect(roles).toEqual([{ name: 'staff', permissions: 'reports:read,users:read' }]);

      const changed = await runBinary(
        ['--app', STAFF_APP, 'users', 'change-password', 'ops@example.com'],
        env,
        'another long passphrase\n',
      );
      expect(changed).toEqual({
        code: 0,
        stdout: 'Changed the password of Ops@example.com; their sessions, auth tokens and links are revoked\n',
        stderr: '',
      });
      const [after] = await staffRows();
      expect(await staffHasher.verify('another long passphrase', after.password)).toBe(true);
      expect(after.fs_uniquifier).not.toBe(row.fs_uniquifier);
      expect(after.fs_token_uniquifier).not.toBe(row.fs_token_uniquifier);
    },
    BINARY_TEST_TIMEOUT * 2,
  );

  it(
    "refuses by the app's rules, and refuses app modules it cannot use, in one line each, writing nothing",
    async () => {
      check ??= await createSecurityDataSource({ url: database.url }).initialize();
      const before = await snapshot(check);
      const app = ['--app', STAFF_APP];
      const bad: Array<[string[], RegExp]> = [
        // 11 characters: enough for the default (8), not for this app (12).
        [
          [...app, 'users', 'create', 'new@example.com', '--username', 'newbie', '--password', 'elevenchars'],
          /^invalid password: Password must be at least 12 characters$/,
        ],
        [
          [...app, 'users', 'create', 'new@example.com', '--username', 'newbie', '--password', 'password1234567'],
          /^invalid password: .*breach/,
        ],
        [[...app, 'users', 'create', 'new@example.com', '--password', PASSWORD], /^this app requires a username: give --username$/],
        [[...app, 'users', 'create', 'new@example.com', '--username', 'new.bie', '--password', PASSWORD], /^invalid username "new\.bie"/],
        [
          [...app, 'users', 'create', 'new@example.com', '--username', 'newbie', '--role', 'ghost', '--password', PASSWORD],
          /^role "ghost" does not exist$/,
        ],
        [
          [...app, 'users', 'create', 'ops@example.com', '--username', 'newbie', '--password', PASSWORD],
          /^a user with this email already exists$/,
        ],
        [
          ['--app', `${BROKEN_APPS}#FailingModule`, 'users', 'activate', 'ops@example.com'],
          /^FailingModule \(.*\) did not start: APP_CONFIG is missing \(set it in \.env\)$/,
        ],
        [
          ['--app', `${BROKEN_APPS}#PlainModule`, 'users', 'activate', 'ops@example.com'],
          /^PlainModule \(.*\) does not import SecurityModule/,
        ],
        [
          ['--app', BROKEN_APPS, 'users', 'activate', 'ops@example.com'],
          /has no AppModule, no default export and more than one export \(exports: FailingModule, PlainModule\)/,
        ],
        [['--app', `${STAFF_APP}#NoSuchModule`, 'users', 'activate', 'ops@example.com'], /has no export named NoSuchModule/],
      ];
      const results = await Promise.all(bad.map(([args]) => runBinary(args, env)));
      for (const [index, result] of results.entries()) {
        const [args, message] = bad[index];
        const [line, ...rest] = result.stderr.split('\n');
        expect({ args, exit: result.code === 0 ? 'zero' : 'non-zero', stdout: result.stdout, line, rest }).toEqual({
          args,
          exit: 'non-zero',
          stdout: '',
          line: expect.stringMatching(message),
          rest: [''],
        });
      }
      expect(await snapshot(check)).toEqual(before);
    },
    BINARY_TEST_TIMEOUT * 2,
  );
});
