/**
 * JSON exactly as itsdangerous writes it: Python's
 * `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`, and a reader
 * for everything Python's `json.loads` accepts.
 *
 * Where JS and Python differ for the same value:
 * - integers print as Python ints, all digits (1e21 -> "1000000000000000000000");
 *   bigint is accepted and printed the same way;
 * - non-integer floats use the shortest round-trip digits (both languages do),
 *   in Python's layout: exponent form below 1e-4, with a two-digit exponent
 *   ("1e-05", "1.5e-07");
 * - NaN and the infinities print as Python does (NaN, Infinity, -Infinity);
 * - strings: JSON.stringify's escaping is Python's with ensure_ascii=False
 *   (quote, backslash, control characters; "/" and non-ASCII kept raw).
 * Undefined, functions and symbols are dropped from objects and become null
 * in arrays, and toJSON() is honoured, as JSON.stringify does. A value Python
 * sent as 1.0 reads back as 1 and is written again as "1": JS has one number
 * type.
 */
export function dumpsCompactJson(value: unknown): string {
  const text = writeValue(value, '', []);
  if (text === undefined) throw new TypeError('nest-security: value is not JSON serializable');
  return text;
}

function writeValue(value: unknown, key: string, ancestors: object[]): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return writeNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Number) return writeNumber(value.valueOf());
      if (value instanceof String) return JSON.stringify(value.valueOf());
      if (value instanceof Boolean) return value.valueOf() ? 'true' : 'false';
      return writeContainer(value, ancestors);
    default:
      return undefined;
  }
}

function writeContainer(value: object, ancestors: object[]): string {
  if (ancestors.includes(value)) throw new TypeError('nest-security: circular reference in value');
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += writeValue(value[i], String(i), ancestors) ?? 'null';
    }
    text += ']';
  } else {
    text = '{';
    let first = true;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = writeValue(record[key], key, ancestors);
      if (item === undefined) continue;
      if (!first) text += ',';
      first = false;
      text += JSON.stringify(key) + ':' + item;
    }
    text += '}';
  }
  ancestors.pop();
  return text;
}

function writeNumber(n: number): string {
  if (Number.isInteger(n)) return n < 1e21 && n > -1e21 ? String(n) : BigInt(n).toString();
  if (n !== n) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  // Non-integers are below 2^53, where both print plain decimals, except
  // that Python switches to exponent form below 1e-4 and JS only below 1e-6.
  if (n >= 1e-4 || n <= -1e-4) return String(n);
  const text = n.toExponential(); // shortest digits, e.g. "1.5e-7"
  const e = text.indexOf('e');
  const exponent = text.slice(e + 2);
  return text.slice(0, e + 2) + (exponent.length < 2 ? '0' + exponent : exponent);
}

/**
 * Parses what Python's json.loads accepts. Standard JSON goes to JSON.parse;
 * only text that fails there and mentions NaN or Infinity (which Python
 * writes for those floats) takes the slower path. Throws SyntaxError.
 */
export function loadsCompactJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!text.includes('NaN') && !text.includes('Infinity')) throw error;
    return new PythonJsonReader(text).readDocument();
  }
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON plus Python's NaN, Infinity and -Infinity literals. */
class PythonJsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  readDocument(): unknown {
    const value = this.readValue(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail();
    return value;
  }

  private readValue(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new SyntaxError('JSON nested too deeply');
    this.skipSpace();
    const text = this.text;
    const ch = text[this.pos];
    if (ch === '{') return this.readObject(depth);
    if (ch === '[') return this.readArray(depth);
    if (ch === '"') return this.readString();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(text);
    if (!match) this.fail();
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private readObject(depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.readString();
      this.expect(':');
      // defineProperty, so that a "__proto__" key stays an ordinary key as with JSON.parse.
      Object.defineProperty(result, key, { value: this.readValue(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === '}') return result;
      if (next !== ',') this.fail();
    }
  }

  private readArray(depth: number): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.readValue(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ']') return result;
      if (next !== ',') this.fail();
    }
  }

  private readString(): string {
    const text = this.text;
    let end = this.pos + 1;
    for (;;) {
      const c = text.charCodeAt(end);
      if (Number.isNaN(c)) this.fail();
      if (c === 0x5c) end += 2;
      else if (c === 0x22) break;
      else end++;
    }
    const value = JSON.parse(text.slice(this.pos, end + 1)) as string;
    this.pos = end + 1;
    return value;
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail();
    this.pos++;
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  private fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.pos}`);
  }
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];
