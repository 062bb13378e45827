/**
 * Raised when an email, username or role name is already taken (or, when a
 * caller supplies one, a uniquifier). Carries the field, never the value.
 */
export class DuplicateValueError extends Error {
  constructor(
    readonly field: 'email' | 'username' | 'role' | 'fsUniquifier' | 'fsTokenUniquifier',
    message = `${field} is already in use`,
  ) {
    super(message);
    this.name = 'DuplicateValueError';
  }
}

/** Raised when a role named in an operation does not exist. */
export class RoleNotFoundError extends Error {
  constructor(readonly role: string) {
    super(`role "${role}" does not exist`);
    this.name = 'RoleNotFoundError';
  }
}
