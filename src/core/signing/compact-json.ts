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

/** UTF-8 JSON in a reused buffer: bytes[0..length). */
export interface CompactJsonBytes {
  bytes: Buffer;
  length: number;
}

/**
 * The UTF-8 bytes of dumpsCompactJson(value), in a buffer that is reused:
 * valid until the next call. What a token needs is the bytes (to compress
 * and base64-encode), and for the usual values (arrays and plain objects of
 * strings, numbers, booleans and null) writing them directly costs about
 * half of building the text and encoding it. Anything else (toJSON, boxed
 * primitives, class instances, deep nesting) takes the text path, so the
 * bytes are always those of dumpsCompactJson. (A value that falls back after
 * part of it was written has its getters, if any, read twice.)
 */
export function dumpsCompactJsonUtf8(value: unknown): CompactJsonBytes {
  if (writing) {
    // Re-entered from a getter or proxy trap of the value being written: the
    // shared buffer is in use, so this one gets its own.
    const bytes = Buffer.from(dumpsCompactJson(value), 'utf8');
    return { bytes, length: bytes.length };
  }
  writing = true;
  try {
    if (out.bytes.length > MAX_KEPT_BUFFER) out.bytes = Buffer.allocUnsafe(INITIAL_BUFFER);
    out.length = 0;
    if (!writeFast(value, 0)) {
      const text = dumpsCompactJson(value);
      out.length = 0;
      reserve(3 * text.length); // UTF-8 takes at most 3 bytes per UTF-16 unit
      out.length = out.bytes.write(text, 0, out.bytes.length, 'utf8');
    }
    return out;
  } finally {
    writing = false;
  }
}

const INITIAL_BUFFER = 1024;
const MAX_KEPT_BUFFER = 64 * 1024;
/** Deeper values take the text path, which also detects cycles. */
const MAX_FAST_DEPTH = 32;
const out: CompactJsonBytes = { bytes: Buffer.allocUnsafe(INITIAL_BUFFER), length: 0 };
let writing = false;

/** Room for `extra` more bytes after out.length. */
function reserve(extra: number): void {
  const need = out.length + extra;
  if (need <= out.bytes.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(need, 2 * out.bytes.length));
  out.bytes.copy(bigger, 0, 0, out.length);
  out.bytes = bigger;
}

/** Writes value as writeValue would, or returns false (having written part of it) for a value it leaves to writeValue. */
function writeFast(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      writeString(value);
      return true;
    case 'number':
      writeAscii(writeNumber(value));
      return true;
    case 'boolean':
      writeAscii(value ? 'true' : 'false');
      return true;
    case 'bigint':
      writeAscii(value.toString());
      return true;
    case 'object':
      if (value === null) {
        writeAscii('null');
        return true;
      }
      if (depth >= MAX_FAST_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      if (Array.isArray(value)) return writeFastArray(value, depth + 1);
      {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return false;
      }
      return writeFastObject(value as Record<string, unknown>, depth + 1);
    default:
      return false;
  }
}

function writeFastArray(array: unknown[], depth: number): boolean {
  writeByte(0x5b); // [
  for (let i = 0; i < array.length; i++) {
    if (i > 0) writeByte(0x2c); // ,
    const item = array[i];
    const type = typeof item;
    if (type === 'undefined' || type === 'function' || type === 'symbol') writeAscii('null');
    else if (!writeFast(item, depth)) return false;
  }
  writeByte(0x5d); // ]
  return true;
}

function writeFastObject(record: Record<string, unknown>, depth: number): boolean {
  writeByte(0x7b); // {
  let first = true;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const type = typeof item;
    if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
    if (!first) writeByte(0x2c); // ,
    first = false;
    writeString(key);
    writeByte(0x3a); // :
    if (!writeFast(item, depth)) return false;
  }
  writeByte(0x7d); // }
  return true;
}

function writeByte(byte: number): void {
  reserve(1);
  out.bytes[out.length++] = byte;
}

/** Text known to be ASCII (numbers, literals). */
function writeAscii(text: string): void {
  reserve(text.length);
  const bytes = out.bytes;
  let at = out.length;
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  out.length = at;
}

/** JSON.stringify(text) as UTF-8: printable ASCII is copied as is, anything else goes through JSON.stringify. */
function writeString(text: string): void {
  const n = text.length;
  reserve(n + 2);
  const bytes = out.bytes;
  let at = out.length;
  bytes[at++] = 0x22; // "
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // Control characters, quote and backslash are escaped; the rest is UTF-8.
    if (c < 0x20 || c >= 0x80 || c === 0x22 || c === 0x5c) {
      const quoted = JSON.stringify(text); // well-formed: lone surrogates come out escaped
      reserve(3 * quoted.length);
      out.length += out.bytes.write(quoted, out.length, out.bytes.length - out.length, 'utf8');
      return;
    }
    bytes[at++] = c;
  }
  bytes[at++] = 0x22;
  out.length = at;
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
