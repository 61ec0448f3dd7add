// Rust symbol demangling for backtraces: the name section of a Rust guest holds mangled names
// (`_ZN4trap4main17h…E`, `_RNvCs…_4trap4main`); people want `trap::main`. Covers the legacy
// scheme and the v0 scheme (paths, generics, the common types); anything else is returned as is.

/** @returns {string} the demangled name, or `name` unchanged when it is not a Rust symbol */
export function demangle(name) {
  try {
    if (name.startsWith("_ZN")) return demangleLegacy(name) ?? name;
    if (name.startsWith("_R")) return new V0(name.slice(2)).symbol() ?? name;
  } catch {
    // Not a symbol we understand: the raw name is still useful.
  }
  return name;
}

// ---- legacy: _ZN <len><ident>… [17h<16 hex>] E ------------------------------------------------

const LEGACY_ESCAPES = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };

function demangleLegacy(name) {
  let pos = 3;
  const parts = [];
  while (name[pos] !== "E") {
    const digits = /^\d+/.exec(name.slice(pos));
    if (!digits) return null;
    pos += digits[0].length;
    const part = name.slice(pos, pos + Number(digits[0]));
    if (part.length !== Number(digits[0])) return null;
    parts.push(part);
    pos += part.length;
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.map(unescapeLegacy).join("::");
}

function unescapeLegacy(part) {
  return part
    .replace(/^_\$/, "$")
    .replace(/\.\./g, "::")
    .replace(/\$([A-Z]+|u[0-9a-f]+)\$/g, (whole, code) =>
      code.startsWith("u") ? String.fromCodePoint(parseInt(code.slice(1), 16)) : (LEGACY_ESCAPES[code] ?? whole));
}

// ---- v0: https://doc.rust-lang.org/rustc/symbol-mangling/v0.html ------------------------------

const BASIC_TYPES = {
  a: "i8", b: "bool", c: "char", d: "f64", e: "str", f: "f32", h: "u8", i: "isize", j: "usize",
  l: "i32", m: "u32", n: "i128", o: "u128", s: "i16", t: "u16", u: "()", v: "...", x: "i64",
  y: "u64", z: "!", p: "_",
};

class V0 {
  constructor(text) {
    this.s = text;
    this.pos = 0;
    this.depth = 0;
  }

  symbol() {
    if (/\d/.test(this.peek())) this.decimal(); // encoding version
    const path = this.path();
    // What follows (instantiating crate, vendor suffix) is not part of the name.
    return path;
  }

  peek() {
    return this.s[this.pos];
  }
  next() {
    if (this.pos >= this.s.length) throw new Error("unexpected end");
    return this.s[this.pos++];
  }
  eat(c) {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }
  decimal() {
    const m = /^\d+/.exec(this.s.slice(this.pos));
    if (!m) throw new Error("expected a number");
    this.pos += m[0].length;
    return Number(m[0]);
  }
  base62() {
    if (this.eat("_")) return 0;
    let value = 0;
    for (let c = this.next(); c !== "_"; c = this.next()) {
      const digit = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".indexOf(c);
      if (digit < 0) throw new Error("bad base-62 digit");
      value = value * 62 + digit;
    }
    return value + 1;
  }
  disambiguator() {
    return this.eat("s") ? this.base62() : 0;
  }
  identifier() {
    const disambiguator = this.disambiguator();
    const punycode = this.eat("u");
    const length = this.decimal();
    this.eat("_");
    const text = this.s.slice(this.pos, this.pos + length);
    this.pos += length;
    return { disambiguator, name: punycode ? `{punycode:${text}}` : text };
  }

  /** Parses at a back-reference's target, then comes back. */
  backref(parse) {
    const target = this.base62();
    if (target >= this.pos || ++this.depth > 100) throw new Error("bad back-reference");
    const saved = this.pos;
    this.pos = target;
    const result = parse.call(this);
    this.pos = saved;
    this.depth--;
    return result;
  }

  path() {
    const tag = this.next();
    switch (tag) {
      case "C":
        return this.identifier().name;
      case "N": {
        const namespace = this.next();
        const parent = this.path();
        const { disambiguator, name } = this.identifier();
        if (namespace === "C") return `${parent}::{closure${name ? `:${name}` : ""}#${disambiguator}}`;
        if (/[A-Z]/.test(namespace)) return `${parent}::{${namespace === "S" ? "shim" : namespace}${name ? `:${name}` : ""}#${disambiguator}}`;
        return name ? `${parent}::${name}` : parent;
      }
      case "M": {
        this.disambiguator();
        this.path();
        return `<${this.type()}>`;
      }
      case "X": {
        this.disambiguator();
        this.path();
        const self = this.type();
        return `<${self} as ${this.path()}>`;
      }
      case "Y": {
        const self = this.type();
        return `<${self} as ${this.path()}>`;
      }
      case "I": {
        const base = this.path();
        const args = [];
        while (!this.eat("E")) args.push(this.genericArg());
        return `${base}::<${args.join(", ")}>`;
      }
      case "B":
        return this.backref(this.path);
      default:
        throw new Error(`unknown path tag ${tag}`);
    }
  }

  genericArg() {
    if (this.eat("L")) {
      this.base62();
      return "'_";
    }
    if (this.eat("K")) return this.constant();
    return this.type();
  }

  constant() {
    if (this.eat("p")) return "_";
    if (this.eat("B")) return this.backref(this.constant);
    const type = this.type();
    const negative = this.eat("n");
    let hex = "";
    for (let c = this.next(); c !== "_"; c = this.next()) hex += c;
    if (type === "bool") return hex === "1" ? "true" : "false";
    const value = hex === "" ? 0n : BigInt(`0x${hex}`);
    return `${negative ? "-" : ""}${value}`;
  }

  type() {
    const c = this.peek();
    if (BASIC_TYPES[c]) {
      this.pos++;
      return BASIC_TYPES[c];
    }
    switch (c) {
      case "A": {
        this.pos++;
        const element = this.type();
        return `[${element}; ${this.constant()}]`;
      }
      case "S":
        this.pos++;
        return `[${this.type()}]`;
      case "T": {
        this.pos++;
        const items = [];
        while (!this.eat("E")) items.push(this.type());
        return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
      }
      case "R":
      case "Q": {
        this.pos++;
        if (this.eat("L")) this.base62();
        return `&${c === "Q" ? "mut " : ""}${this.type()}`;
      }
      case "P":
      case "O":
        this.pos++;
        return `*${c === "P" ? "const" : "mut"} ${this.type()}`;
      case "F":
        this.pos++;
        return this.fnSig();
      case "D":
        this.pos++;
        return this.dynBounds();
      case "B":
        this.pos++;
        return this.backref(this.type);
      default:
        return this.path();
    }
  }

  fnSig() {
    if (this.eat("G")) this.base62();
    const unsafe = this.eat("U");
    let abi = "";
    if (this.eat("K")) abi = this.eat("C") ? "C" : this.identifier().name.replace(/_/g, "-");
    const params = [];
    while (!this.eat("E")) params.push(this.type());
    const ret = this.type();
    return `${unsafe ? "unsafe " : ""}${abi ? `extern "${abi}" ` : ""}fn(${params.join(", ")})${ret === "()" ? "" : ` -> ${ret}`}`;
  }

  dynBounds() {
    if (this.eat("G")) this.base62();
    const traits = [];
    while (!this.eat("E")) {
      let trait = this.path();
      const bindings = [];
      while (this.eat("p")) {
        const { name } = this.identifier();
        bindings.push(`${name} = ${this.type()}`);
      }
      if (bindings.length) trait = `${trait}<${bindings.join(", ")}>`;
      traits.push(trait);
    }
    this.eat("L") && this.base62();
    return `dyn ${traits.join(" + ")}`;
  }
}
