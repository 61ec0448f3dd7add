// Just enough of the WebAssembly binary format to explain a trap — the function names of the
// "name" custom section, and where each function body lies (so a backtrace frame can be checked
// to belong to the guest, not to the engine, which is wasm too; never throws: a malformed or
// missing section just means fewer names), to check a guest's imports (their types), and to
// tell the playground what a module imports and exports before anything compiles it
// (www/module-info.js). Binary format: https://webassembly.github.io/spec/core/binary/modules.html

/** What every WebAssembly binary, module or component, starts with: `\0asm`. */
export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function isWasm(bytes) {
  return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The kind of binary from its first 8 bytes: "module" (core WebAssembly 1), "component" (a
 * component-model binary: WASI 0.2; the same magic with layer 1, the component model's
 * Binary.md), "not-wasm", or "unknown" (some other version or layer). The one place that tells
 * them apart (the CLI and the playground ask it).
 */
export function binaryKind(bytes) {
  if (!isWasm(bytes) || bytes.length < 8) return "not-wasm";
  const version = bytes[4] | (bytes[5] << 8);
  const layer = bytes[6] | (bytes[7] << 8);
  if (layer === 1) return "component";
  if (layer === 0 && version === 1) return "module";
  return "unknown";
}

const TYPE_SECTION = 1, IMPORT_SECTION = 2, EXPORT_SECTION = 7, CODE_SECTION = 10;
const KINDS = ["function", "table", "memory", "global", "tag"];

/**
 * The module's sections in order, each as `{ id, reader }` with the reader at the section's
 * contents and unable to read past its end. One walk for every question asked of a module:
 * sections are skipped by their size, so a big module costs a few hundred section headers.
 * Throws when a section runs past the end of the module.
 */
function* sections(bytes) {
  const reader = new Reader(bytes, 8);
  while (!reader.atEnd()) {
    const id = reader.byte();
    const size = reader.leb();
    const end = reader.pos + size;
    if (end > bytes.length) throw new Error(`section ${id} runs past the end of the module`);
    yield { id, reader: new Reader(bytes.subarray(0, end), reader.pos) };
    reader.pos = end;
  }
}

/**
 * @returns {{ names: Map<number, string>, importedFunctions: number, bodies: Array<[number, number]> }}
 *   names by function index; bodies[i] = [start, end) byte offsets of defined function i
 *   (function index = importedFunctions + i).
 */
export function describeFunctions(bytes) {
  const result = { names: new Map(), importedFunctions: 0, bodies: [] };
  try {
    for (const { id, reader } of sections(bytes)) {
      if (id === IMPORT_SECTION) result.importedFunctions = readImports(reader).filter((i) => i.kind === "function").length;
      else if (id === CODE_SECTION) result.bodies = codeBodies(reader);
      else if (id === 0 && reader.name() === "name") readFunctionNames(reader, result.names);
    }
  } catch {
    // Malformed: keep what was read before the bad byte.
  }
  return result;
}

/**
 * The module's imports `{ module, name, kind }` ("function", "table", "memory", "global",
 * "tag") and exports `{ name, kind }`. Function imports also have `params` and `results`, types
 * by their binary encoding (0x7f i32, 0x7e i64…), undefined when the import's type is not one
 * this reader follows. Reading stops at the export section (nothing later is needed). Throws on
 * a malformed module.
 * @returns {{ imports: Array<{ module: string, name: string, kind: string, params?: number[], results?: number[] }>,
 *   exports: Array<{ name: string, kind: string }> }}
 */
export function describeModule(bytes) {
  let types = [];
  const imports = [], exports = [];
  for (const { id, reader } of sections(bytes)) {
    if (id === TYPE_SECTION) types = readTypes(reader);
    else if (id === IMPORT_SECTION) imports.push(...readImports(reader));
    else if (id === EXPORT_SECTION) {
      exports.push(...readExports(reader));
      break;
    }
  }
  return {
    imports: imports.map(({ type, ...i }) => (i.kind === "function" ? { ...i, params: types[type]?.params, results: types[type]?.results } : i)),
    exports,
  };
}

/**
 * The module's function imports for checking them against WASI (wasi-imports.js): with their
 * types when `bytes` are given and readable, else by name only, from the compiled `module`.
 * @param {WebAssembly.Module} module
 * @param {Uint8Array | ArrayBuffer | undefined} bytes
 * @returns {Array<{ module: string, name: string, params?: number[], results?: number[] }>}
 */
export function functionImports(module, bytes) {
  if (bytes) {
    try {
      return describeModule(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).imports.filter((i) => i.kind === "function");
    } catch {
      // Compiled, so valid: a section this reader does not follow. Fall back to the names.
    }
  }
  return WebAssembly.Module.imports(module).filter((i) => i.kind === "function");
}

/**
 * The type section: each entry `{ params, results }` for a function type, `{}` for another
 * composite type. A form this reader does not know ends the reading: the types from there on
 * stay unknown (undefined), and so do the imports that use them.
 */
function readTypes(r) {
  const types = [];
  const compositeType = () => {
    const form = r.byte();
    if (form === 0x60) {
      const params = r.valTypes();
      const results = r.valTypes();
      return { params, results };
    }
    if (form === 0x5f) for (let n = r.leb(); n > 0; n--) { r.refType(); r.byte(); } // struct fields
    else if (form === 0x5e) { r.refType(); r.byte(); } // array
    else throw new Error(`unknown type form 0x${form.toString(16)}`);
    return {};
  };
  const subType = () => {
    const b = r.bytes[r.pos];
    if (b === 0x50 || b === 0x4f) {
      r.pos++;
      for (let n = r.leb(); n > 0; n--) r.leb();
    }
    types.push(compositeType());
  };
  try {
    for (let n = r.leb(); n > 0; n--) {
      if (r.bytes[r.pos] === 0x4e) {
        r.pos++;
        for (let m = r.leb(); m > 0; m--) subType();
      } else subType();
    }
  } catch {
    // Keep the types read so far.
  }
  return types;
}

/** The import section: `{ module, name, kind }`, and the type index `type` of a function. */
function readImports(r) {
  const imports = [];
  for (let n = r.leb(); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const code = r.byte();
    const kind = KINDS[code];
    if (code === 0) {
      imports.push({ module, name, kind, type: r.leb() });
      continue;
    }
    if (code === 1) {
      r.refType(); // the element type: one byte, or a typed reference (ref null? heaptype)
      r.limits();
    } else if (code === 2) r.limits();
    else if (code === 3) {
      r.refType(); // a value type: one byte, or a typed reference
      r.byte(); // mutability
    } else if (code === 4) {
      r.byte(); // attribute
      r.leb(); // type index
    } else throw new Error(`import ${module}.${name}: unknown kind ${code}`);
    imports.push({ module, name, kind });
  }
  return imports;
}

function readExports(r) {
  const exports = [];
  for (let n = r.leb(); n > 0; n--) {
    const name = r.name();
    const code = r.byte();
    r.leb();
    exports.push({ name, kind: KINDS[code] ?? `kind ${code}` });
  }
  return exports;
}

function codeBodies(r) {
  const bodies = [];
  for (let n = r.leb(); n > 0; n--) {
    const size = r.leb();
    bodies.push([r.pos, r.pos + size]);
    r.pos += size;
  }
  return bodies;
}

function readFunctionNames(r, names) {
  while (!r.atEnd()) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.leb(); n > 0; n--) {
        const index = r.leb();
        names.set(index, r.name());
      }
    }
    r.pos = end;
  }
}

class Reader {
  constructor(bytes, pos) {
    this.bytes = bytes;
    this.pos = pos;
  }
  atEnd() {
    return this.pos >= this.bytes.length;
  }
  byte() {
    if (this.pos >= this.bytes.length) throw new Error("unexpected end");
    return this.bytes[this.pos++];
  }
  /**
   * An unsigned LEB128 of up to 64 bits (memory64 and table64 limits); values past 2^53 lose
   * precision, which is harmless here. Also skips a signed one (a heap type) of the same length.
   */
  leb() {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
    }
    throw new Error("a LEB128 number is too long");
  }
  name() {
    const length = this.leb();
    if (this.pos + length > this.bytes.length) throw new Error("a name runs past the end of its section");
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  /** A vector of value types, each as its first byte (the code of a plain type). */
  valTypes() {
    const types = [];
    for (let n = this.leb(); n > 0; n--) {
      types.push(this.bytes[this.pos]);
      this.refType();
    }
    return types;
  }
  refType() {
    // 0x63/0x64: (ref null? heaptype), with the heap type as a signed LEB; others are one byte.
    const b = this.byte();
    if (b === 0x63 || b === 0x64) this.leb();
  }
  /** Limits: flags, minimum, the maximum if flag 1, the page size (as log2) if flag 8. */
  limits() {
    const flags = this.byte();
    this.leb();
    if (flags & 1) this.leb();
    if (flags & 8) this.leb();
  }
}
