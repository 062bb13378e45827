import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { PasswordHasher } from '../core/passwords/index.js';
import { DuplicateValueError, RoleNotFoundError } from '../storage/datastore.errors.js';
import { TypeOrmUserDatastore } from '../storage/typeorm/typeorm-user-datastore.js';
import type { UserDatastore } from '../storage/user-datastore.js';
import { CliError, UsageError } from './cli-error.js';
import { createHasher, openDatabase } from './cli-env.js';
import { parseEmail, parsePermissions, parseRoleName, parseUsername } from './cli-input.js';
import type { CliIo } from './cli-io.js';
import { migrate } from './commands/db.js';
import { addRole, createRole, removeRole } from './commands/roles.js';
import { activateUser, changePassword, createUser, deactivateUser, resetAccess } from './commands/users.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  usage: string;
  arguments: string[];
  options: Options;
  /** Validates the input (throwing UsageError), then does the work; returns the line to print. */
  run(args: string[], values: Values, io: CliIo): Promise<string>;
}

const USER = { arguments: ['EMAIL'], options: {} };

const COMMANDS: Record<string, Command> = {
  'users create': {
    usage: 'users create EMAIL [--password P] [--username U] [--role R]... [--inactive] [--unconfirmed]',
    arguments: ['EMAIL'],
    options: {
      password: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string', multiple: true },
      inactive: { type: 'boolean' },
      unconfirmed: { type: 'boolean' },
    },
    async run([email], values, io) {
      const command = {
        email: parseEmail(email),
        username: values.username === undefined ? undefined : parseUsername(values.username as string),
        roles: ((values.role as string[] | undefined) ?? []).map(parseRoleName),
        active: !values.inactive,
        confirmed: !values.unconfirmed,
      };
      const passwordHash = await newPasswordHash(values, io);
      return withDatastore(io, (datastore) => createUser(datastore, { ...command, passwordHash }));
    },
  },
  'users activate': {
    usage: 'users activate EMAIL',
    ...USER,
    run: async ([email], _values, io) => withDatastore(io, (datastore) => activateUser(datastore, email.trim())),
  },
  'users deactivate': {
    usage: 'users deactivate EMAIL',
    ...USER,
    run: async ([email], _values, io) => withDatastore(io, (datastore) => deactivateUser(datastore, email.trim())),
  },
  'users reset-access': {
    usage: 'users reset-access EMAIL',
    ...USER,
    run: async ([email], _values, io) => withDatastore(io, (datastore) => resetAccess(datastore, email.trim())),
  },
  'users change-password': {
    usage: 'users change-password EMAIL [--password P]',
    arguments: ['EMAIL'],
    options: { password: { type: 'string' } },
    async run([email], values, io) {
      const passwordHash = await newPasswordHash(values, io);
      return withDatastore(io, (datastore) => changePassword(datastore, email.trim(), passwordHash));
    },
  },
  'roles create': {
    usage: 'roles create NAME [--permissions a,b] [--description D]',
    arguments: ['NAME'],
    options: { permissions: { type: 'string' }, description: { type: 'string' } },
    async run([name], values, io) {
      const description = values.description as string | undefined;
      if (description !== undefined && description.length > 255) throw new UsageError('the description is longer than 255 characters');
      const command = { name: parseRoleName(name), description, permissions: parsePermissions(values.permissions as string | undefined) };
      return withDatastore(io, (datastore) => createRole(datastore, command));
    },
  },
  'roles add': {
    usage: 'roles add EMAIL ROLE',
    arguments: ['EMAIL', 'ROLE'],
    options: {},
    run: async ([email, role], _values, io) => withDatastore(io, (datastore) => addRole(datastore, email.trim(), parseRoleName(role))),
  },
  'roles remove': {
    usage: 'roles remove EMAIL ROLE',
    arguments: ['EMAIL', 'ROLE'],
    options: {},
    run: async ([email, role], _values, io) => withDatastore(io, (datastore) => removeRole(datastore, email.trim(), parseRoleName(role))),
  },
  'db migrate': {
    usage: 'db migrate',
    arguments: [],
    options: {},
    async run(_args, _values, io) {
      const dataSource = await openDatabase(io.env, { migrate: false });
      try {
        return await migrate(dataSource);
      } finally {
        await dataSource.destroy();
      }
    },
  },
};

export const USAGE = [
  'Usage: nest-security <command>',
  '',
  ...Object.values(COMMANDS).map((command) => `  ${command.usage}`),
  '',
  'Database: DATABASE_URL (PostgreSQL), else the demo\'s embedded PGlite in $DEMO_DATA_DIR/pglite (default ./.data);',
  'pending migrations are applied before each users/roles command.',
  'Passwords are hashed with PASSWORD_SALT (else $DEMO_DATA_DIR/password_salt) and PASSWORD_HASH (argon2, the default, or bcrypt);',
  'without --password the password is read from stdin, or prompted for on a terminal.',
].join('\n');

/**
 * Runs one CLI command; resolves to the exit code. Prints one line on
 * success (stdout) or failure (stderr); a failure writes nothing.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    if (argv.length === 1 && ['help', '--help', '-h'].includes(argv[0])) {
      await io.out(USAGE);
      return 0;
    }
    const [group, action, ...rest] = argv;
    if (group === undefined) throw new UsageError('missing command (try --help)');
    if (!['users', 'roles', 'db'].includes(group)) throw new UsageError(`unknown command "${group}" (try --help)`);
    if (action === undefined || action.startsWith('-')) throw new UsageError(`missing ${group} command (try --help)`);
    const command = COMMANDS[`${group} ${action}`];
    if (!command) throw new UsageError(`unknown command "${group} ${action}" (try --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      await io.out(`Usage: nest-security ${command.usage}`);
      return 0;
    }
    const { positionals, values } = parseCommandLine(command, rest);
    await io.out(await command.run(positionals, values, io));
    return 0;
  } catch (error) {
    await io.err(describeError(error));
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function parseCommandLine(command: Command, args: string[]): { positionals: string[]; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options, strict: true, allowPositionals: true });
  } catch (error) {
    // Node's messages run on with advice; the first sentence says it.
    throw new UsageError(`${(error as Error).message.split(/\.\s/)[0]} (usage: ${command.usage})`);
  }
  const { positionals, values } = parsed;
  if (positionals.length < command.arguments.length) {
    throw new UsageError(`missing ${command.arguments[positionals.length]} (usage: ${command.usage})`);
  }
  if (positionals.length > command.arguments.length) {
    throw new UsageError(`unexpected argument "${positionals[command.arguments.length]}" (usage: ${command.usage})`);
  }
  for (const [index, value] of positionals.entries()) {
    if (value.trim() === '') throw new UsageError(`${command.arguments[index]} is empty`);
  }
  return { positionals, values: values as Values };
}

/** --password or stdin/prompt, checked against the password rules, then hashed; all before the database is opened. */
async function newPasswordHash(values: Values, io: CliIo): Promise<string> {
  const hasher: PasswordHasher = createHasher(io.env);
  const password = (values.password as string | undefined) ?? (await io.readPassword());
  if (!password) throw new UsageError('no password given (use --password, pipe it to stdin, or run in a terminal)');
  const problems = hasher.validate(password);
  if (problems.length > 0) throw new UsageError(`invalid password: ${problems.join('; ')}`);
  return hasher.hash(password);
}

async function withDatastore(io: CliIo, work: (datastore: UserDatastore) => Promise<string>): Promise<string> {
  const dataSource = await openDatabase(io.env);
  const datastore = new TypeOrmUserDatastore(dataSource);
  try {
    return await work(datastore);
  } finally {
    await dataSource.destroy();
  }
}

function describeError(error: unknown): string {
  let message: string;
  if (error instanceof CliError || error instanceof RoleNotFoundError || error instanceof DuplicateValueError) message = error.message;
  else if (error instanceof Error) message = `error: ${error.message || (error as { code?: string }).code || error.name}`;
  else message = `error: ${String(error)}`;
  return message.replace(/\s*\n\s*/g, ' ');
}
