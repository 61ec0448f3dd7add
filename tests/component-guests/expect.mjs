// Exact comparison of component values, usable in Node and in browsers (no node:assert there).
// Stricter than deepStrictEqual where component values need it: numbers by Object.is (NaN equals
// NaN, -0 differs from 0), typed arrays by constructor and elements. One looseness: a key whose
// value is undefined equals a missing key, so `{ tag: 'empty' }` and `{ tag: 'empty', val:
// undefined }` are the same variant value (jco writes the first for variants, the second for
// results; a user reads `.val` either way).

const show = (v) => {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v);
  if (Object.is(v, -0)) return "-0";
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (v && typeof v === "object") return `${v.constructor?.name ?? "Object"} {${Object.keys(v).join(", ")}}`;
  return String(v);
};

/** Throws an Error naming the path of the first difference between `actual` and `expected`. */
export function expectEqual(actual, expected, path = "value") {
  const fail = (why) => { throw new Error(`${path}: ${why}: got ${show(actual)}, expected ${show(expected)}`); };
  if (typeof expected !== "object" || expected === null) {
    if (!Object.is(actual, expected)) fail("different value");
    return;
  }
  if (typeof actual !== "object" || actual === null) fail("not an object");
  if (ArrayBuffer.isView(expected)) {
    if (actual.constructor !== expected.constructor) fail("different typed array type");
    if (actual.length !== expected.length) fail("different length");
    for (let i = 0; i < expected.length; i++) {
      if (!Object.is(actual[i], expected[i])) {
        throw new Error(`${path}[${i}]: got ${show(actual[i])}, expected ${show(expected[i])}`);
      }
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail("not an Array");
    if (actual.length !== expected.length) fail("different length");
    expected.forEach((e, i) => expectEqual(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (Object.getPrototypeOf(expected) !== Object.prototype) {
    if (actual !== expected) fail("not the same object");
    return;
  }
  if (Array.isArray(actual) || ArrayBuffer.isView(actual)) fail("not a plain object");
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const k of keys) {
    if (!(k in expected) && actual[k] !== undefined) fail(`unexpected key ${JSON.stringify(k)}`);
    expectEqual(actual[k], expected[k], `${path}.${k}`);
  }
}

/** Runs `fn`; expects it to throw an Error whose `payload` equals `payload`. */
export async function expectThrowsPayload(fn, payload, what) {
  let thrown;
  try {
    await fn();
  } catch (e) {
    thrown = e;
  }
  if (!thrown) throw new Error(`${what}: expected a thrown error with payload ${show(payload)}, returned normally`);
  if (!(thrown instanceof Error)) throw new Error(`${what}: thrown value is not an Error: ${show(thrown)}`);
  expectEqual(thrown.payload, payload, `${what}: error.payload`);
}

/** Expects `fn` to throw (anything); returns what it threw. */
export async function expectThrows(fn, what) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error(`${what}: expected an exception, returned normally`);
}
