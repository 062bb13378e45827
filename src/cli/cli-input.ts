import { emailProblems, normalizeEmail } from '../flows/common/email.js';
import { normalizeUsername, usernameProblems } from '../flows/common/username.js';
import { UsageError } from './cli-error.js';

/**
 * Validation of what an operator types, before anything touches the
 * database. Emails and usernames follow the HTTP API's rules, through the
 * same functions, so the CLI makes no account that POST /register would refuse.
 */
export function parseEmail(input: string): string {
  const problems = emailProblems(input);
  if (problems.length > 0) throw new UsageError(`invalid email address "${input}": ${problems.join('; ')}`);
  return normalizeEmail(input);
}

export function parseUsername(input: string): string {
  const problems = usernameProblems(input);
  if (problems.length > 0) throw new UsageError(`invalid username "${input}": ${problems.join('; ')}`);
  return normalizeUsername(input);
}

/** Role names are the CLI's own concern (no HTTP route makes roles): non-empty, no commas, as Flask-Security stores them. */
export function parseRoleName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || name.length > 80 || name.includes(',')) {
    throw new UsageError(`invalid role name "${input}": 1 to 80 characters, no commas`);
  }
  return name;
}

/** `a,b`: permissions, trimmed, empty entries dropped; `required` refuses an empty list. */
export function parsePermissions(input: string | undefined, { required = false } = {}): string[] {
  const permissions = (input ?? '')
    .split(',')
    .map((permission) => permission.trim())
    .filter((permission) => permission.length > 0);
  if (required && permissions.length === 0) throw new UsageError('no permissions given (a comma-separated list: a,b)');
  return [...new Set(permissions)];
}
