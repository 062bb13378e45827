import type { DataSource } from 'typeorm';

/**
 * Deletes at most `limit` rows of `table` matching `where` (all when no
 * limit), in one statement; resolves how many went. Bounded by ctid so a
 * housekeeping batch never holds locks on more rows than it was given.
 * `where` uses $1..$n for `params`; the limit is the next parameter.
 */
export async function deleteExpiredRows(
  dataSource: DataSource,
  table: string,
  where: string,
  params: unknown[],
  limit?: number,
): Promise<number> {
  const limitParam = `$${params.length + 1}::int`;
  const rows = (await dataSource.query(
    `WITH gone AS (
       DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${limitParam}) RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [...params, limit ?? null],
  )) as Array<{ n: number | string }>;
  return Number(rows[0]?.n ?? 0);
}
