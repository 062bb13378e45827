import { UsageError } from './cli-error.js';

/**
 * Validation of what an operator types, before anything touches the
 * database. Emails: trimmed, domain lower-cased (as email_validator
 * normalises them for Flask-Security). Usernames: NFKD, lower case.
 */
export function parseEmail(input: string): string {
  const email = input.trim();
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  const validLocal = at > 0 && local.length <= 64 && !/[\s@<>()[\]\\,;:"\p{Cc}]/u.test(local) && !/^\.|\.$|\.\./.test(local);
  const labels = domain.split('.');
  const validDomain =
    labels.length >= 2 &&
    labels.every((label) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u.test(label)) &&
    /^\p{L}{2,}$/u.test(labels[labels.length - 1]);
  if (!validLocal || !validDomain || email.length > 254) throw new UsageError(`invalid email address "${input}"`);
  return `${local}@${domain}`;
}

export function parseUsername(input: string): string {
  const username = input.trim().normalize('NFKD').toLowerCase();
  if (username.length < 4 || username.length > 32 || !/^[\p{L}\p{M}\p{N}._-]+$/u.test(username)) {
    throw new UsageError(`invalid username "${input}": 4 to 32 letters, digits, ".", "_" or "-"`);
  }
  return username;
}

export function parseRoleName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || name.length > 80 || name.includes(',')) {
    throw new UsageError(`invalid role name "${input}": 1 to 80 characters, no commas`);
  }
  return name;
}

export function parsePermissions(input: string | undefined): string[] {
  return (input ?? '')
    .split(',')
    .map((permission) => permission.trim())
    .filter((permission) => permission.length > 0);
}
