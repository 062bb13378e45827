import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DuplicateValueError, RoleNotFoundError } from '../storage/datastore.errors.js';
import { CliError, UsageError } from './cli-error.js';
import { parseEmail, parsePermissions, parseRoleName, parseUsername } from './cli-input.js';
import type { CliIo } from './cli-io.js';
import { describeMigrations } from './commands/db.js';
import { describeHousekeeping } from '../storage/housekeeping/run-housekeeping.js';
import { addPermissions, addRole, createRole, removePermissions, removeRole } from './commands/roles.js';
import { activateUser, changePassword, createUser, deactivateUser, resetAccess } from './commands/users.js';
import { oneLine } from './one-line.js';
import { openCliTarget } from './targets/open-cli-target.js';
import type { CliTarget } from './targets/cli-target.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface CommandContext {
  target: CliTarget;
  io: CliIo;
}

/** The work of one command, on input already checked. Returns the line to print. */
type Work = (context: CommandContext) => Promise<string>;

interface Command {
  usage: string;
  arguments: string[];
  options: Options;
  /** Checks the command line (throwing UsageError) before any database or app is opened, and returns the work. */
  prepare(args: string[], values: Values): Work;
}

/** Where the commands work: `--app <module file>[#ExportName]` (or NEST_SECURITY_APP), else DATABASE_URL. */
const APP_OPTION: Options = { app: { type: 'string' } };

const userCommand = (usage: string, work: (email: string) => Work): Command => ({
  usage,
  arguments: ['EMAIL'],
  options: {},
  prepare: ([email]) => work(email.trim()),
});

const permissionsCommand = (usage: string, change: typeof addPermissions): Command => ({
  usage,
  arguments: ['NAME', 'PERMISSIONS'],
  options: {},
  prepare([name, list]) {
    const role = parseRoleName(name);
    const permissions = parsePermissions(list, { required: true });
    return async ({ target }) => change(await target.datastore(), role, permissions);
  },
});

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
    prepare([email], values) {
      const input = {
        email: parseEmail(email),
        username: values.username === undefined ? undefined : parseUsername(values.username as string),
        roles: ((values.role as string[] | undefined) ?? []).map(parseRoleName),
        active: !values.inactive,
        confirmed: !values.unconfirmed,
      };
      return async ({ target, io }) => {
        if (input.username !== undefined && !target.usernames.enabled)
          throw new UsageError('usernames are not enabled in this app (usernameEnable)');
        if (input.username === undefined && target.usernames.required)
          throw new UsageError('this app requires a username: give --username');
        const passwordHash = await newPasswordHash(values, { target, io });
        return createUser(await target.datastore(), { ...input, passwordHash });
      };
    },
  },
  'users activate': userCommand(
    'users activate EMAIL',
    (email) =>
      async ({ target }) =>
        activateUser(await target.datastore(), email),
  ),
  'users deactivate': userCommand(
    'users deactivate EMAIL',
    (email) =>
      async ({ target }) =>
        deactivateUser(await target.datastore(), email),
  ),
  'users reset-access': userCommand(
    'users reset-access EMAIL',
    (email) =>
      async ({ target }) =>
        resetAccess(await target.datastore(), email),
  ),
  'users change-password': {
    usage: 'users change-password EMAIL [--password P]',
    arguments: ['EMAIL'],
    options: { password: { type: 'string' } },
    prepare:
      ([email], values) =>
      async (context) => {
        const passwordHash = await newPasswordHash(values, context);
        return changePassword(await context.target.datastore(), email.trim(), passwordHash);
      },
  },
  'roles create': {
    usage: 'roles create NAME [--permissions a,b] [--description D]',
    arguments: ['NAME'],
    options: { permissions: { type: 'string' }, description: { type: 'string' } },
    prepare([name], values) {
      const description = values.description as string | undefined;
      if (description !== undefined && description.length > 255) throw new UsageError('the description is longer than 255 characters');
      const input = { name: parseRoleName(name), description, permissions: parsePermissions(values.permissions as string | undefined) };
      return async ({ target }) => createRole(await target.datastore(), input);
    },
  },
  'roles add': {
    usage: 'roles add EMAIL ROLE',
    arguments: ['EMAIL', 'ROLE'],
    options: {},
    prepare([email, role]) {
      const roleName = parseRoleName(role);
      return async ({ target }) => addRole(await target.datastore(), email.trim(), roleName);
    },
  },
  'roles remove': {
    usage: 'roles remove EMAIL ROLE',
    arguments: ['EMAIL', 'ROLE'],
    options: {},
    prepare([email, role]) {
      const roleName = parseRoleName(role);
      return async ({ target }) => removeRole(await target.datastore(), email.trim(), roleName);
    },
  },
  'roles add-permissions': permissionsCommand('roles add-permissions NAME a,b', addPermissions),
  'roles remove-permissions': permissionsCommand('roles remove-permissions NAME a,b', removePermissions),
  housekeeping: {
    usage: 'housekeeping',
    arguments: [],
    options: {},
    prepare:
      () =>
      async ({ target }) =>
        describeHousekeeping(await target.housekeeping()),
  },
  'db migrate': {
    usage: 'db migrate',
    arguments: [],
    options: {},
    prepare:
      () =>
      async ({ target }) =>
        describeMigrations(await target.migrate()),
  },
};

export const USAGE = [
  'Usage: nest-security [--app <module file>[#ExportName]] <command>',
  '',
  ...Object.values(COMMANDS).map((command) => `  ${command.usage}`),
  '',
  'Where it works, one of:',
  '  --app FILE[#Export] (or NEST_SECURITY_APP): inside your app. Its root module (default export name AppModule) is booted',
  '    without HTTP, and its UserDatastore (your user entity), password hasher and policy, and username settings are used.',
  "    Point it at the built file (dist/app.module.js). Commands do not migrate; `db migrate` applies the app's DataSource migrations.",
  '  DATABASE_URL: PostgreSQL with the shipped entities; pending migrations are applied before each users/roles command.',
  '    Passwords are hashed with PASSWORD_SALT and PASSWORD_HASH (argon2, the default, or bcrypt), as the app is configured.',
  'Without --password the password is read from stdin, or prompted for on a terminal.',
].join('\n');

/**
 * Runs one CLI command; resolves to the exit code. Prints one line on
 * success (stdout) or failure (stderr); a failure writes nothing.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { app: leadingApp, rest: args } = takeLeadingApp(argv);
    if (args.length === 1 && ['help', '--help', '-h'].includes(args[0])) {
      await io.out(USAGE);
      return 0;
    }
    const [group, ...afterGroup] = args;
    if (group === undefined) throw new UsageError('missing command (try --help)');
    // `housekeeping` is a command of one word; the others are "group action".
    const [command, rest] = group === 'housekeeping' ? [COMMANDS.housekeeping, afterGroup] : groupCommand(group, afterGroup);
    if (rest.includes('--help') || rest.includes('-h')) {
      await io.out(`Usage: nest-security ${command.usage}`);
      return 0;
    }
    const { positionals, values } = parseCommandLine(command, rest);
    if (leadingApp !== undefined && values.app !== undefined) throw new UsageError('--app is given twice');
    const work = command.prepare(positionals, values);

    const target = await openCliTarget((leadingApp ?? values.app) as string | undefined, io.env);
    try {
      await io.out(await work({ target, io }));
    } finally {
      await target.close();
    }
    return 0;
  } catch (error) {
    await io.err(describeError(error));
    return error instanceof CliError ? error.exitCode : 1;
  }
}

/** The command of `<group> <action> ...` and the arguments after it. */
function groupCommand(group: string, [action, ...rest]: string[]): [Command, string[]] {
  if (!['users', 'roles', 'db'].includes(group)) throw new UsageError(`unknown command "${group}" (try --help)`);
  if (action === undefined || action.startsWith('-')) throw new UsageError(`missing ${group} command (try --help)`);
  const command = COMMANDS[`${group} ${action}`];
  if (!command) throw new UsageError(`unknown command "${group} ${action}" (try --help)`);
  return [command, rest];
}

/** `--app FILE` / `--app=FILE` before the command, as `git -C DIR`. */
function takeLeadingApp(argv: string[]): { app?: string; rest: string[] } {
  const [first, second, ...rest] = argv;
  if (first === '--app') {
    if (second === undefined || second.startsWith('-')) throw new UsageError("option '--app <module file>[#ExportName]' argument missing");
    return { app: second, rest };
  }
  if (first?.startsWith('--app=')) return { app: first.slice('--app='.length), rest: argv.slice(1) };
  return { rest: argv };
}

function parseCommandLine(command: Command, args: string[]): { positionals: string[]; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...command.options, ...APP_OPTION }, strict: true, allowPositionals: true });
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

/** --password or stdin/prompt, checked against the target's password rules, then hashed: all before anything is written. */
async function newPasswordHash(values: Values, { target, io }: CommandContext): Promise<string> {
  const password = (values.password as string | undefined) ?? (await io.readPassword());
  if (!password) throw new UsageError('no password given (use --password, pipe it to stdin, or run in a terminal)');
  const problems = await target.passwordProblems(password);
  if (problems.length > 0) throw new UsageError(`invalid password: ${problems.join('; ')}`);
  return target.hashPassword(password);
}

function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof RoleNotFoundError || error instanceof DuplicateValueError) return oneLine(error);
  return `error: ${oneLine(error)}`;
}
