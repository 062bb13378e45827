import { nearestName } from '../common/nearest-name.js';
import type { OptionShape } from './known-options.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * One problem per option name `shape` does not know, in `options` and in its
 * groups, with the nearest valid name: a misspelt option would otherwise be
 * silently ignored and its default used ("unknown option `confirmable2`; did
 * you mean `confirmable`?").
 */
export function unknownOptions(options: unknown, shape: OptionShape, path = ''): string[] {
  if (shape === true || !isPlainObject(options)) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const name = path ? `${path}.${key}` : key;
    const known = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (known === undefined) {
      const nearest = nearestName(key, Object.keys(shape));
      problems.push(`unknown option \`${name}\`${nearest === undefined ? '' : `; did you mean \`${path ? `${path}.` : ''}${nearest}\`?`}`);
    } else if (value !== undefined) {
      problems.push(...unknownOptions(value, known, name));
    }
  }
  return problems;
}
