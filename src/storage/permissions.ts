/** Trimmed, non-empty, unique; a comma is refused (stored comma-separated, as Flask-Security does). */
export function cleanPermissions(permissions: string[]): string[] {
  const cleaned = permissions.map((permission) => String(permission).trim()).filter((permission) => permission.length > 0);
  for (const permission of cleaned) {
    if (permission.includes(',')) throw new Error(`permission "${permission}" cannot contain a comma`);
  }
  return [...new Set(cleaned)];
}
