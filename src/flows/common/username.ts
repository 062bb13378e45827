/** Flask-Security's USERNAME_MIN_LENGTH / USERNAME_MAX_LENGTH defaults. */
export const USERNAME_MIN_LENGTH = 4;
export const USERNAME_MAX_LENGTH = 32;

/**
 * The stored form of a username: trimmed, NFKD-normalised and lower-cased, so
 * "Jane" and "ｊａｎｅ" are one name. Lookups compare the same way.
 */
export function normalizeUsername(username: string): string {
  return username.trim().normalize('NFKD').toLowerCase();
}

/**
 * Problems with a typed username (as Flask-Security's UsernameUtil: letters
 * and digits only, 4 to 32 characters after normalisation); empty when fine.
 */
export function usernameProblems(username: string): string[] {
  const normalized = normalizeUsername(username);
  const problems: string[] = [];
  // NFKD splits accented letters into letter + combining mark (category M): both allowed.
  if (!/^[\p{L}\p{N}][\p{L}\p{M}\p{N}]*$/u.test(normalized)) problems.push('A username can contain only letters and digits');
  const length = [...normalized].length;
  if (length < USERNAME_MIN_LENGTH || length > USERNAME_MAX_LENGTH) {
    problems.push(`A username must have ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters`);
  }
  return problems;
}
