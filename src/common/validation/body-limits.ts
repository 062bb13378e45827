/**
 * Caps on the shape of a parsed body (or query), checked before
 * class-transformer sees it. Its recursive walk overflows the stack on deep
 * nesting (a 500) and slows down quadratically with the number of keys (a
 * 95 KB body of 12,000 keys costs ~470 ms of CPU), and the body parsers let
 * both through: they cap bytes, not shape.
 */
export interface BodyLimits {
  /** Levels of objects and arrays: `{}` is 1, `{ "a": [] }` is 2. */
  maxDepth: number;
  /** Object keys plus array items, counted over the whole value. */
  maxKeys: number;
  /** Characters of every key and string, counted over the whole value. */
  maxSize: number;
}

/**
 * Generous for nest-security's bodies (flat, a handful of fields, the longest
 * string a 1,024-character password), far below what hurts.
 */
export const DEFAULT_BODY_LIMITS: Readonly<BodyLimits> = Object.freeze({ maxDepth: 8, maxKeys: 200, maxSize: 65_536 });

/** Which limit a value goes over, or null. */
export type BodyLimitExceeded = keyof BodyLimits;

/**
 * The first limit `value` goes over, or null. Iterative, and stops as soon as
 * a limit is passed, so its cost is bounded by the limits, not by the value.
 */
export function exceededBodyLimit(value: unknown, limits: BodyLimits = DEFAULT_BODY_LIMITS): BodyLimitExceeded | null {
  let keys = 0;
  let size = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current === 'string') {
      size += current.length;
      if (size > limits.maxSize) return 'maxSize';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > limits.maxDepth) return 'maxDepth';
    if (Array.isArray(current)) {
      keys += current.length;
      if (keys > limits.maxKeys) return 'maxKeys';
      for (const item of current) pending.push([item, depth + 1]);
      continue;
    }
    for (const key in current) {
      if (!Object.prototype.hasOwnProperty.call(current, key)) continue;
      keys += 1;
      size += key.length;
      if (keys > limits.maxKeys) return 'maxKeys';
      if (size > limits.maxSize) return 'maxSize';
      pending.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}
