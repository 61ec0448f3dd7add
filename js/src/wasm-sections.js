// Just enough of the WebAssembly binary format to explain a trap — the function names of the
// "name" custom section, and where each function body lies (so a backtrace frame can be checked
// to belong to the guest, not to the engine, which is wasm too; never throws: a malformed or
// missing section just means fewer names) — and to check a guest's imports (their types).

/**
 * @returns {{ names: Map<number, string>, importedFunctions: number, bodies: Array<[number, number]> }}
 *   names by function index; bodies[i] = [start, end) byte offsets of defined function i
 *   (function index = importedFunctions + i).
 */
export function describeFunctions(bytes) {
  const result = { names: new Map(), importedFunctions: 0, bodies: [] };
  try {
    const reader = new Reader(bytes, 8);
    while (!reader.atEnd()) {
      const id = reader.byte();
      const size = reader.u32();
      const end = reader.pos + size;
      if (end > bytes.length) break;
      const section = new Reader(bytes.subarray(0, end), reader.pos);
      if (id === 2) result.importedFunctions = countFunctionImports(section);
      else if (id === 10) result.bodies = codeBodies(section);
      else if (id === 0 && section.name() === "name") readFunctionNames(section, result.names);
      reader.pos = end;
    }
  } catch {
    // Malformed: keep what was read before the bad byte.
  }
  return result;
}

/**
 * The module's function imports with their types: `{ module, name, params, results }`, types
 * by their binary encoding (0x7f i32, 0x7e i64…). `params`/`results` are undefined when the
 * import's type is not one this reader follows. Throws on a malformed module.
 * @returns {Array<{ module: string, name: string, params?: number[], results?: number[] }>}
 */
export function describeImports(bytes) {
  let types = [];
  const imports = [];
  const reader = new Reader(bytes, 8);
  while (!reader.atEnd()) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.pos + size;
    if (end > bytes.length) throw new Error("section past the end of the module");
    const section = new Reader(bytes.subarray(0, end), reader.pos);
    if (id === 1) types = readTypes(section);
    else if (id === 2) {
      for (let n = section.u32(); n > 0; n--) {
        const module = section.name();
        const name = section.name();
        const kind = section.byte();
        if (kind === 0) imports.push({ module, name, ...types[section.u32()] });
        else skipImportDesc(section, kind);
      }
      break; // the import section comes after the type section
    }
    reader.pos = end;
  }
  return imports;
}

/** The type section: each entry `{ params, results }` for a function type, `{}` otherwise. */
function readTypes(r) {
  const types = [];
  const compositeType = () => {
    const form = r.byte();
    if (form === 0x60) {
      const params = r.valTypes();
      const results = r.valTypes();
      return { params, results };
    }
    if (form === 0x5f) for (let n = r.u32(); n > 0; n--) { r.refType(); r.byte(); } // struct fields
    else if (form === 0x5e) { r.refType(); r.byte(); } // array
    else throw new Error(`unknown type form 0x${form.toString(16)}`);
    return {};
  };
  const subType = () => {
    const b = r.bytes[r.pos];
    if (b === 0x50 || b === 0x4f) {
      r.pos++;
      for (let n = r.u32(); n > 0; n--) r.u32();
    }
    types.push(compositeType());
  };
  for (let n = r.u32(); n > 0; n--) {
    if (r.bytes[r.pos] === 0x4e) {
      r.pos++;
      for (let m = r.u32(); m > 0; m--) subType();
    } else subType();
  }
  return types;
}

function skipImportDesc(r, kind) {
  if (kind === 1) {
    r.refType();
    r.limits();
  } else if (kind === 2) {
    r.limits();
  } else if (kind === 3) {
    r.refType(); // a value type: one byte, or a typed reference
    r.byte();
  } else if (kind === 4) {
    r.byte();
    r.u32();
  } else {
    throw new Error(`unknown import kind ${kind}`);
  }
}

function countFunctionImports(r) {
  let functions = 0;
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) {
      functions++;
      r.u32();
    } else skipImportDesc(r, kind);
  }
  return functions;
}

function codeBodies(r) {
  const bodies = [];
  for (let n = r.u32(); n > 0; n--) {
    const size = r.u32();
    bodies.push([r.pos, r.pos + size]);
    r.pos += size;
  }
  return bodies;
}

function readFunctionNames(r, names) {
  while (!r.atEnd()) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        const index = r.u32();
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
  u32() {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
    }
    throw new Error("LEB128 too long");
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  /** A vector of value types, each as its first byte (the code of a plain type). */
  valTypes() {
    const types = [];
    for (let n = this.u32(); n > 0; n--) {
      types.push(this.bytes[this.pos]);
      this.refType();
    }
    return types;
  }
  refType() {
    // 0x63/0x64: (ref null? heaptype), with the heap type as a signed LEB; others are one byte.
    const b = this.byte();
    if (b === 0x63 || b === 0x64) this.u32();
  }
  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}
