/** Trimmed, non-empty, unique; a comma is refused (stored comma-separated, as Flask-Security does). */
export function cleanPermissions(permissions: string[]): string[] {
  const cleaned = permissions.map((permission) => String(permission).trim()).filter((permission) => permission.length > 0);
  for (const permission of cleaned) {
    if (permission.includes(',')) throw new Error(`permission "${permission}" cannot contain a comma`);
  }
  return [...new Set(cleaned)];
}

/** A role's permissions change: `current` with `permissions` added. Every datastore applies it the same way. */
export function addingPermissions(permissions: string[]): (current: string[]) => string[] {
  const adding = cleanPermissions(permissions);
  return (current) => [...new Set([...current, ...adding])];
}

/** A role's permissions change: `current` without `permissions`. */
export function removingPermissions(permissions: string[]): (current: string[]) => string[] {
  const removing = new Set(cleanPermissions(permissions));
  return (current) => current.filter((permission) => !removing.has(permission));
}
