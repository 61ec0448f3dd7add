// The table-driven canonical ABI (docs/components.md, "Lifting and lowering"): lift and lower
// any value by reading the type descriptors the engine computed (types.rs in crate/component).
// The generated trampolines (trampolines.js) call into these for what they do not inline, and
// pages whose CSP forbids eval run every call through them.
//
// `cx` is a call's context: { inst, memory, realloc, encoding, types, rts, scope, lent, dv }.
// `dv` is a DataView of the memory, refreshed by `view(cx)` whenever the memory may have grown.
import { trap } from "./trap.js";
import { lowerBorrow, lowerOwn, liftBorrow, liftOwn } from "./resources.js";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf16Decoder = new TextDecoder("utf-16le", { fatal: true });
const utf8Encoder = new TextEncoder();
const UTF16_TAG = 0x80000000;
const f32 = new Float32Array(1);
const f32i = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64i = new BigInt64Array(f64.buffer);

/**
 * The DataView of `cx.memory`'s current buffer. Growing a memory detaches its old buffer (its
 * byteLength becomes 0), so the cached view is kept while its buffer is attached, without the
 * `memory.buffer` getter (a call into the engine) on every use. A shared memory's buffer does
 * not detach when the memory grows, so for one the buffer is read afresh every time.
 */
export function view(cx) {
  const dv = cx.dv;
  if (dv !== undefined && dv.buffer.byteLength !== 0 && cx.dvShared === false) return dv;
  const buf = cx.memory.buffer;
  cx.dvShared = typeof SharedArrayBuffer === "function" && buf instanceof SharedArrayBuffer;
  return (cx.dv = new DataView(buf));
}

/** A pointer to a value of type `t` (or `{ align, size }`) must be aligned and in bounds. */
export function checkPointer(cx, ptr, t) {
  if (ptr % t.align !== 0) trap("unaligned pointer");
  if (ptr + t.size > view(cx).byteLength) trap("pointer out of bounds of memory");
}

/** A `bytes`-long range at `ptr` must be aligned and in bounds (a string's or a list's content). */
export function checkRange(cx, ptr, bytes, align, what) {
  if (ptr % align !== 0) trap("unaligned pointer");
  if (ptr + bytes > view(cx).byteLength) trap(`${what} pointer/length out of bounds of memory (${what} content out-of-bounds)`);
}

/** `realloc(0, 0, align, size)` with the spec's checks on what it returns. */
export function allocate(cx, align, size, what = "list") {
  const inst = cx.inst;
  inst.mayLeave = false;
  let ptr;
  try {
    ptr = cx.realloc(0, 0, align, size) >>> 0;
  } finally {
    inst.mayLeave = true;
  }
  if (ptr % align !== 0) trap(`realloc return: result not aligned (unaligned pointer)`);
  if (ptr + size > view(cx).byteLength) trap(`realloc return: beyond end of memory (${what} content out-of-bounds)`);
  return ptr;
}

// ---- scalars ------------------------------------------------------------------------------

export function liftChar(i) {
  const c = i >>> 0;
  if (c >= 0x110000 || (c >= 0xd800 && c <= 0xdfff)) trap("invalid `char` bit pattern");
  return String.fromCodePoint(c);
}

export function lowerChar(v) {
  if (typeof v !== "string") throw new TypeError(`expected a one-character string for a char, got ${typeof v}`);
  const c = v.codePointAt(0);
  if (c === undefined || v.length !== (c > 0xffff ? 2 : 1) || (c >= 0xd800 && c <= 0xdfff)) {
    throw new TypeError(`expected a single Unicode scalar value for a char, got ${JSON.stringify(v)}`);
  }
  return c;
}

export function toNumber(v, k) {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return Number(v);
  throw new TypeError(`expected a number for ${k}, got ${typeof v}`);
}

export function toBigInt(v, k) {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`expected a bigint for ${k}, got ${typeof v}`);
}

/** A scalar's value from its flat core value (i32 as a number, i64 as a bigint). */
function liftScalar(k, x) {
  switch (k) {
    case "bool": return x !== 0;
    case "u8": return x & 0xff;
    case "s8": return (x << 24) >> 24;
    case "u16": return x & 0xffff;
    case "s16": return (x << 16) >> 16;
    case "u32": return x >>> 0;
    case "s32": return x | 0;
    case "u64": return BigInt.asUintN(64, x);
    case "s64": return BigInt.asIntN(64, x);
    case "f32": case "f64": return x;
    case "char": return liftChar(x);
  }
}

/** A scalar's flat core value. */
function lowerScalar(k, v) {
  switch (k) {
    case "bool": return v ? 1 : 0;
    case "u8": case "s8": case "u16": case "s16": case "u32": case "s32": return toNumber(v, k) | 0;
    case "u64": case "s64": return BigInt.asIntN(64, toBigInt(v, k));
    case "f32": return Math.fround(toNumber(v, k));
    case "f64": return toNumber(v, k);
    case "char": return lowerChar(v);
  }
}

function loadScalar(dv, k, ptr) {
  switch (k) {
    case "bool": return dv.getUint8(ptr) !== 0;
    case "u8": return dv.getUint8(ptr);
    case "s8": return dv.getInt8(ptr);
    case "u16": return dv.getUint16(ptr, true);
    case "s16": return dv.getInt16(ptr, true);
    case "u32": return dv.getUint32(ptr, true);
    case "s32": return dv.getInt32(ptr, true);
    case "u64": return dv.getBigUint64(ptr, true);
    case "s64": return dv.getBigInt64(ptr, true);
    case "f32": return dv.getFloat32(ptr, true);
    case "f64": return dv.getFloat64(ptr, true);
    case "char": return liftChar(dv.getUint32(ptr, true));
  }
}

function storeScalar(dv, k, v, ptr) {
  const x = lowerScalar(k, v);
  switch (k) {
    case "bool": case "u8": case "s8": dv.setUint8(ptr, x); break;
    case "u16": case "s16": dv.setUint16(ptr, x, true); break;
    case "u32": case "s32": case "char": dv.setUint32(ptr, x, true); break;
    case "u64": case "s64": dv.setBigInt64(ptr, x, true); break;
    case "f32": dv.setFloat32(ptr, x, true); break;
    case "f64": dv.setFloat64(ptr, x, true); break;
  }
}

const SCALARS = new Set(["bool", "u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char"]);

// ---- strings ------------------------------------------------------------------------------

function decodeUtf8(bytes) {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    const d = new TextDecoder("utf-8", { fatal: true });
    try {
      d.decode(bytes, { stream: true });
    } catch {
      trap("invalid utf-8");
    }
    trap("invalid utf-8: incomplete utf-8 byte sequence");
  }
}

/** A string from guest memory in `cx.encoding`. */
export function liftString(cx, ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  const enc = cx.encoding;
  if (enc === "utf8") {
    checkRange(cx, ptr, len, 1, "string");
    return decodeUtf8(new Uint8Array(view(cx).buffer, ptr, len));
  }
  let utf16 = enc === "utf16";
  if (!utf16 && len & UTF16_TAG) {
    len ^= UTF16_TAG;
    utf16 = true;
  }
  if (utf16) {
    checkRange(cx, ptr, 2 * len, 2, "string");
    try {
      return utf16Decoder.decode(new Uint8Array(view(cx).buffer, ptr, 2 * len));
    } catch {
      trap("invalid utf-16");
    }
  }
  checkRange(cx, ptr, len, 2, "string");
  const bytes = new Uint8Array(view(cx).buffer, ptr, len);
  let s = "";
  for (let i = 0; i < len; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096));
  return s;
}

// Strings up to SCRATCH_CHARS UTF-16 units encode into one reused buffer (3 bytes per unit at
// most) before the copy into guest memory: TextEncoder.encode allocates an array per call, and
// the exact length must be known before realloc. Nothing can run between the encode and the copy
// but the guest's realloc, which may not call imports (mayLeave), so the buffer is not reused
// under us.
const SCRATCH_CHARS = 1 << 16;
let scratch = new Uint8Array(3 * 1024);

function utf8Bytes(v) {
  if (v.length > SCRATCH_CHARS) return utf8Encoder.encode(v);
  if (scratch.length < 3 * v.length) scratch = new Uint8Array(3 * v.length);
  return scratch.subarray(0, utf8Encoder.encodeInto(v, scratch).written);
}

/** Copies a JS string into guest memory (through realloc); returns [ptr, len]. */
export function lowerString(cx, v) {
  if (typeof v !== "string") throw new TypeError(`expected a string, got ${v === null ? "null" : typeof v}`);
  const enc = cx.encoding;
  if (enc === "utf8") {
    const bytes = utf8Bytes(v);
    const ptr = allocate(cx, 1, bytes.length, "string");
    new Uint8Array(view(cx).buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  }
  let latin1 = enc !== "utf16";
  if (latin1) for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0xff) { latin1 = false; break; }
  if (latin1) {
    const ptr = allocate(cx, 2, v.length, "string");
    const out = new Uint8Array(view(cx).buffer, ptr, v.length);
    for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i);
    return [ptr, v.length];
  }
  const ptr = allocate(cx, 2, 2 * v.length, "string");
  const dv = view(cx);
  for (let i = 0; i < v.length; i++) dv.setUint16(ptr + 2 * i, v.charCodeAt(i), true);
  return [ptr, enc === "utf16" ? v.length : (v.length | UTF16_TAG) >>> 0];
}

// ---- lists --------------------------------------------------------------------------------

function liftMap(cx, t, ptr, len) {
  return new Map(liftList(cx, t, ptr, len));
}

function lowerMap(cx, t, v) {
  return lowerList(cx, t, v instanceof Map ? [...v] : v);
}

function liftList(cx, t, ptr, len) {
  ptr >>>= 0;
  len >>>= 0;
  const et = cx.types[t.t];
  checkRange(cx, ptr, len * et.size, et.align, "list");
  if (t.typed) {
    const Typed = globalThis[t.typed];
    return new Typed(view(cx).buffer.slice(ptr, ptr + len * et.size));
  }
  const out = new Array(len);
  for (let i = 0; i < len; i++) out[i] = load(cx, et, ptr + i * et.size);
  return out;
}

function lowerList(cx, t, v) {
  const et = cx.types[t.t];
  if (t.typed && v instanceof globalThis[t.typed]) {
    const ptr = allocate(cx, et.align, v.byteLength);
    new Uint8Array(view(cx).buffer, ptr, v.byteLength).set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    return [ptr, v.length];
  }
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new TypeError(`expected an array for a list, got ${v === null ? "null" : typeof v}`);
  const ptr = allocate(cx, et.align, v.length * et.size);
  for (let i = 0; i < v.length; i++) store(cx, et, v[i], ptr + i * et.size);
  return [ptr, v.length];
}

// ---- variants, flags, enums ---------------------------------------------------------------

/** The case index of enum value `v` (one of its names). */
export function enumIndex(t, v) {
  const i = t.names.indexOf(v);
  if (i < 0) throw new TypeError(`expected one of ${t.names.map((n) => `'${n}'`).join(", ")}, got ${JSON.stringify(v)}`);
  return i;
}

/** The case index of variant or result value `v` (`{ tag, val }`). */
export function caseIndex(t, v) {
  const tag = v?.tag;
  const i = t.cases.findIndex((c) => c[0] === tag);
  if (i < 0) throw new TypeError(`expected { tag, val } with tag one of ${t.cases.map((c) => `'${c[0]}'`).join(", ")}, got ${JSON.stringify(tag)}`);
  return i;
}

/** The case index and payload of a JS variant-like value. */
function caseOf(t, v) {
  switch (t.k) {
    case "option":
      if (t.nested ? v?.tag === "none" : v === undefined || v === null) return [0, undefined];
      return [1, t.nested ? v.val : v];
    case "enum": return [enumIndex(t, v), undefined];
    default: return [caseIndex(t, v), v.val];
  }
}

/** The JS value of case `i` with payload `val`. */
function variantValue(t, i, val) {
  switch (t.k) {
    case "option":
      if (t.nested) return i === 0 ? { tag: "none" } : { tag: "some", val };
      return i === 0 ? undefined : val;
    case "enum": return t.names[i];
    default: return t.cases[i][1] < 0 ? { tag: t.cases[i][0] } : { tag: t.cases[i][0], val };
  }
}

function caseCount(t) {
  return t.k === "enum" ? t.names.length : t.cases.length;
}

function caseType(cx, t, i) {
  if (t.k === "enum") return null;
  const ti = t.cases[i][1];
  return ti < 0 ? null : cx.types[ti];
}

function liftFlags(t, bits) {
  const out = {};
  for (let i = 0; i < t.js.length; i++) out[t.js[i]] = ((bits[i >> 5] >>> (i & 31)) & 1) === 1;
  return out;
}

function lowerFlags(t, v) {
  const words = new Array(Math.max(1, Math.ceil(t.js.length / 32))).fill(0);
  if (v === null || typeof v !== "object") throw new TypeError(`expected an object of booleans for flags, got ${v === null ? "null" : typeof v}`);
  for (let i = 0; i < t.js.length; i++) if (v[t.js[i]] ?? v[t.names[i]]) words[i >> 5] |= 1 << (i & 31);
  return words;
}

function fieldOf(v, f) {
  if (v === null || typeof v !== "object") throw new TypeError(`expected an object for a record, got ${v === null ? "null" : typeof v}`);
  return f[1] in v ? v[f[1]] : v[f[0]];
}

// ---- load / store -------------------------------------------------------------------------

/** A value of type `t` from memory at `ptr` (aligned and in bounds by the caller's checks). */
export function load(cx, t, ptr) {
  const k = t.k;
  if (SCALARS.has(k)) return loadScalar(view(cx), k, ptr);
  const dv = view(cx);
  switch (k) {
    case "string": return liftString(cx, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
    case "list": return liftList(cx, t, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
    case "map": return liftMap(cx, t, dv.getUint32(ptr, true), dv.getUint32(ptr + 4, true));
    case "record": {
      const out = {};
      for (const f of t.fields) out[f[1]] = load(cx, cx.types[f[2]], ptr + f[3]);
      return out;
    }
    case "tuple": return t.items.map(([ti, off]) => load(cx, cx.types[ti], ptr + off));
    case "flags": {
      const n = t.size === 0 ? 0 : Math.ceil(t.js.length / 32);
      const bits = [];
      if (t.size === 1) bits.push(dv.getUint8(ptr));
      else if (t.size === 2) bits.push(dv.getUint16(ptr, true));
      else for (let i = 0; i < n; i++) bits.push(dv.getUint32(ptr + 4 * i, true));
      return liftFlags(t, bits);
    }
    case "own": case "borrow": return liftHandle(cx, t, dv.getUint32(ptr, true));
    case "unsupported": throw new TypeError(`Cove does not support ${t.what} values yet`);
    default: {
      const i = t.disc === 1 ? dv.getUint8(ptr) : t.disc === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
      if (i >= caseCount(t)) trap("invalid variant discriminant");
      const ct = caseType(cx, t, i);
      return variantValue(t, i, ct ? load(cx, ct, ptr + t.off) : undefined);
    }
  }
}

/** Stores `v` of type `t` at `ptr`. */
export function store(cx, t, v, ptr) {
  const k = t.k;
  if (SCALARS.has(k)) return storeScalar(view(cx), k, v, ptr);
  switch (k) {
    case "string": case "list": case "map": {
      const [p, n] = k === "string" ? lowerString(cx, v) : k === "map" ? lowerMap(cx, t, v) : lowerList(cx, t, v);
      const dv = view(cx);
      dv.setUint32(ptr, p, true);
      dv.setUint32(ptr + 4, n, true);
      return;
    }
    case "record":
      for (const f of t.fields) store(cx, cx.types[f[2]], fieldOf(v, f), ptr + f[3]);
      return;
    case "tuple":
      if (!Array.isArray(v)) throw new TypeError(`expected an array for a tuple, got ${v === null ? "null" : typeof v}`);
      t.items.forEach(([ti, off], i) => store(cx, cx.types[ti], v[i], ptr + off));
      return;
    case "flags": {
      const words = lowerFlags(t, v);
      const dv = view(cx);
      if (t.size === 1) dv.setUint8(ptr, words[0]);
      else if (t.size === 2) dv.setUint16(ptr, words[0], true);
      else words.forEach((w, i) => dv.setUint32(ptr + 4 * i, w, true));
      return;
    }
    case "own": case "borrow": view(cx).setUint32(ptr, lowerHandle(cx, t, v), true); return;
    case "unsupported": throw new TypeError(`Cove does not support ${t.what} values yet`);
    default: {
      const [i, val] = caseOf(t, v);
      const dv = view(cx);
      if (t.disc === 1) dv.setUint8(ptr, i);
      else if (t.disc === 2) dv.setUint16(ptr, i, true);
      else dv.setUint32(ptr, i, true);
      const ct = caseType(cx, t, i);
      if (ct) store(cx, ct, val, ptr + t.off);
    }
  }
}

// ---- handles ------------------------------------------------------------------------------

function resourceOf(cx, t) {
  const rt = t.r < 0 ? null : cx.rts[t.r];
  // A WASI resource (wasi-host.js) has its handles in the engine: none becomes a JS value.
  if (rt?.crossing) throw rt.crossing();
  return rt;
}

function liftHandle(cx, t, i) {
  const rt = resourceOf(cx, t);
  if (t.k === "own") return liftOwn(cx.inst, rt, i);
  return liftBorrow(cx.inst, rt, i, cx.lent);
}

function lowerHandle(cx, t, v) {
  const rt = resourceOf(cx, t);
  if (t.k === "own") return lowerOwn(cx.inst, rt, v);
  return lowerBorrow(cx.inst, rt, v, cx.scope);
}

// ---- flat values --------------------------------------------------------------------------

/** Reads flat core values in order (`vals`), converting between joined variant types. */
class FlatReader {
  constructor(vals) {
    this.vals = vals;
    this.i = 0;
  }
  next() {
    return this.vals[this.i++];
  }
}

/** Converts a core value of type `have` (in a joined variant slot) to the case's type `want`. */
function coerceLift(x, have, want) {
  if (have === want) return x;
  if (have === "i32" && want === "f32") { f32i[0] = x; return f32[0]; }
  if (have === "i64") {
    if (want === "i32") return Number(BigInt.asIntN(32, x));
    if (want === "f32") { f32i[0] = Number(BigInt.asIntN(32, x)); return f32[0]; }
    if (want === "f64") { f64i[0] = x; return f64[0]; }
  }
  return x;
}

function coerceLower(x, have, want) {
  if (have === want) return x;
  if (have === "f32" && want === "i32") { f32[0] = x; return f32i[0]; }
  if (want === "i64") {
    if (have === "i32") return BigInt(x >>> 0);
    if (have === "f32") { f32[0] = x; return BigInt(f32i[0] >>> 0); }
    if (have === "f64") { f64[0] = x; return f64i[0]; }
  }
  return x;
}

/** A value of type `t` from flat core values. */
export function liftFlat(cx, t, r) {
  const k = t.k;
  if (SCALARS.has(k)) return liftScalar(k, r.next());
  switch (k) {
    case "string": return liftString(cx, r.next(), r.next());
    case "list": return liftList(cx, t, r.next(), r.next());
    case "map": return liftMap(cx, t, r.next(), r.next());
    case "record": {
      const out = {};
      for (const f of t.fields) out[f[1]] = liftFlat(cx, cx.types[f[2]], r);
      return out;
    }
    case "tuple": return t.items.map(([ti]) => liftFlat(cx, cx.types[ti], r));
    case "flags": {
      const bits = [];
      for (let i = 0; i < t.flat.length; i++) bits.push(r.next());
      return liftFlags(t, bits);
    }
    case "own": case "borrow": return liftHandle(cx, t, r.next() >>> 0);
    case "unsupported": throw new TypeError(`Cove does not support ${t.what} values yet`);
    default: {
      const i = r.next() >>> 0;
      if (i >= caseCount(t)) trap("invalid variant discriminant");
      const ct = caseType(cx, t, i);
      const joined = t.flat;
      const start = r.i;
      let val;
      if (ct) {
        const want = ct.flat;
        const vals = new Array(want.length);
        for (let j = 0; j < want.length; j++) vals[j] = coerceLift(r.next(), joined[1 + j], want[j]);
        val = liftFlat(cx, ct, new FlatReader(vals));
      }
      r.i = start + joined.length - 1;
      return variantValue(t, i, val);
    }
  }
}

/** Pushes the flat core values of `v` (type `t`) onto `out`. */
export function lowerFlat(cx, t, v, out) {
  const k = t.k;
  if (SCALARS.has(k)) return void out.push(lowerScalar(k, v));
  switch (k) {
    case "string": case "list": case "map": {
      const [p, n] = k === "string" ? lowerString(cx, v) : k === "map" ? lowerMap(cx, t, v) : lowerList(cx, t, v);
      out.push(p | 0, n | 0);
      return;
    }
    case "record":
      for (const f of t.fields) lowerFlat(cx, cx.types[f[2]], fieldOf(v, f), out);
      return;
    case "tuple":
      if (!Array.isArray(v)) throw new TypeError(`expected an array for a tuple, got ${v === null ? "null" : typeof v}`);
      t.items.forEach(([ti], i) => lowerFlat(cx, cx.types[ti], v[i], out));
      return;
    case "flags":
      for (const w of lowerFlags(t, v).slice(0, t.flat.length)) out.push(w | 0);
      return;
    case "own": case "borrow": out.push(lowerHandle(cx, t, v) | 0); return;
    case "unsupported": throw new TypeError(`Cove does not support ${t.what} values yet`);
    default: {
      const [i, val] = caseOf(t, v);
      out.push(i);
      const joined = t.flat;
      const ct = caseType(cx, t, i);
      let n = 0;
      if (ct) {
        const payload = [];
        lowerFlat(cx, ct, val, payload);
        for (; n < payload.length; n++) out.push(coerceLower(payload[n], ct.flat[n], joined[1 + n]));
      }
      for (n += 1; n < joined.length; n++) out.push(joined[n] === "i64" ? 0n : 0);
    }
  }
}

export { FlatReader };
