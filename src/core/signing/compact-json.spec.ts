import { dumpsCompactJson, loadsCompactJson } from './compact-json.js';

// Expected strings are what CPython's json.dumps(v, ensure_ascii=False, separators=(",", ":")) prints.
describe('dumpsCompactJson writes what Python writes', () => {
  it.each([
    [0, '0'],
    [-42, '-42'],
    [2 ** 53, '9007199254740992'],
    [1e21, '1000000000000000000000'],
    [123456789012345678901234567890n, '123456789012345678901234567890'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e-4, '0.0001'],
    [-2.25e-5, '-2.25e-05'],
    [1.5e-7, '1.5e-07'],
    [5e-324, '5e-324'],
    [1e-100, '1e-100'],
    [1700000000.123456, '1700000000.123456'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [true, 'true'],
    [null, 'null'],
    ['ünïcödé ✓ 😀 \u2028 \x7f', '"ünïcödé ✓ 😀 \u2028 \x7f"'],
    ['quotes " and \\ and / slashes\n\t\0\x1f', '"quotes \\" and \\\\ and / slashes\\n\\t\\u0000\\u001f"'],
    [[], '[]'],
    [{}, '{}'],
    [{ b: [1, 2.5, null, true], a: { 'é': '' } }, '{"b":[1,2.5,null,true],"a":{"é":""}}'],
  ])('%p', (value, expected) => {
    expect(dumpsCompactJson(value)).toBe(expected);
  });

  it('drops undefined like JSON.stringify and honours toJSON', () => {
    expect(dumpsCompactJson({ a: undefined, b: 1, c: () => 1 })).toBe('{"b":1}');
    expect(dumpsCompactJson([undefined, () => 1])).toBe('[null,null]');
    expect(dumpsCompactJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it('refuses what cannot be serialized', () => {
    expect(() => dumpsCompactJson(undefined)).toThrow(TypeError);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => dumpsCompactJson(cycle)).toThrow(TypeError);
  });

  it('a shared (non-circular) object is fine', () => {
    const shared = { x: 1 };
    expect(dumpsCompactJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});

describe('loadsCompactJson reads what Python writes', () => {
  it('standard JSON', () => {
    expect(loadsCompactJson('{"a":[1,1.0,1e-05,"x"]}')).toEqual({ a: [1, 1, 1e-5, 'x'] });
  });

  it("Python's NaN and infinities, anywhere outside strings", () => {
    expect(loadsCompactJson('[NaN,Infinity,-Infinity,{"k":NaN}," NaN "]')).toEqual([NaN, Infinity, -Infinity, { k: NaN }, ' NaN ']);
  });

  it('keeps "__proto__" an ordinary key on the Python path too', () => {
    const value = loadsCompactJson('{"__proto__":{"polluted":1},"n":NaN}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurd nesting on the Python path', () => {
    expect(() => loadsCompactJson('['.repeat(10_000) + 'NaN' + ']'.repeat(10_000))).toThrow(SyntaxError);
  });

  it.each(['[NaN', 'NaN NaN', '[Infinity,]', '{"a" NaN}', 'nan', '"NaN', '[-NaN]', '[01,NaN]'])('refuses %p', (text) => {
    expect(() => loadsCompactJson(text)).toThrow(SyntaxError);
  });
});
