// What a .wasm file is and what it needs, read from its header and its import and export sections
// before anything compiles it — so the page can say it in words ("a WASI 0.2 component", "needs
// env.foo, which WASI does not define") instead of relaying the compiler's error.

import { describeModule, binaryKind } from "../js/src/wasm-sections.js";

export { isWasm, binaryKind } from "../js/src/wasm-sections.js";
export const WASI_P1 = "wasi_snapshot_preview1";

/**
 * { kind, imports: [{ module, name, kind }], exports: [{ name, kind }], error? } for a core
 * module, read by the package's own reader (js/src/wasm-sections.js, which skips sections by
 * size); for anything else just { kind }. A malformed section stops the reading with `error`
 * set: the compiler will say more when the module runs.
 */
export function inspectModule(bytes) {
  const kind = binaryKind(bytes);
  const info = { kind, imports: [], exports: [] };
  if (kind !== "module") return info;
  try {
    const { imports, exports } = describeModule(bytes);
    info.imports = imports;
    info.exports = exports;
  } catch (e) {
    info.error = e.message;
  }
  return info;
}

/**
 * What the playground can do with `info`: { runnable, stubbable, summary, foreign, reason }.
 * `foreign` lists the imports WASI preview 1 does not define; function imports among them can
 * be stubbed (each traps when called), other kinds cannot be made up.
 */
export function assessModule(name, info) {
  if (info.kind === "component") {
    // Its imports are checked when it is compiled: a wasi:cli/run command runs like a p1 program.
    return { runnable: true, foreign: [], summary: `${name}: a WebAssembly component (WASI 0.2): runs as a command through wasi:cli/run.` };
  }
  if (info.kind === "unknown") {
    return { runnable: false, summary: `${name} is a WebAssembly binary of a version this browser's playground does not know.`, reason: "an unknown WebAssembly version" };
  }
  if (info.kind === "not-wasm") {
    return { runnable: false, summary: `${name} is not WebAssembly (it does not start with \\0asm).`, reason: "not a WebAssembly module" };
  }
  const foreign = info.imports.filter((i) => i.module !== WASI_P1);
  const unstubbable = foreign.filter((i) => i.kind !== "function");
  const hasStart = info.exports.some((e) => e.name === "_start" && e.kind === "function");
  const hasMemory = info.exports.some((e) => e.kind === "memory");
  const wasi = info.imports.length - foreign.length;
  const needs = `${wasi} WASI preview-1 import${wasi === 1 ? "" : "s"}`;
  if (info.error) return { runnable: true, foreign, summary: `${name}: a WebAssembly module (its sections could not all be read: ${info.error}).` };
  if (!hasStart) {
    return { runnable: false, foreign, summary: `${name} exports no _start: it is a library (a reactor), not a program the playground can run.`, reason: "no _start to run (a library module)" };
  }
  if (!hasMemory) {
    return { runnable: false, foreign, summary: `${name} exports no memory, which WASI needs to pass data to it.`, reason: "exports no memory" };
  }
  if (unstubbable.length) {
    return {
      runnable: false, foreign,
      summary: `${name} imports ${list(unstubbable)} from its host: the playground cannot provide ${unstubbable.length === 1 ? "it" : "them"}.`,
      reason: "imports the playground cannot provide",
    };
  }
  if (foreign.length) {
    return {
      runnable: true, stubbable: true, foreign,
      summary: `${name}: a WASI preview-1 program (${needs}) that also imports ${foreign.length} function${foreign.length === 1 ? "" : "s"} WASI does not define: ${list(foreign)}.`,
      reason: "imports functions WASI does not define",
    };
  }
  return { runnable: true, foreign, summary: `${name}: a WASI preview-1 program (${needs}).` };
}

function list(imports, max = 8) {
  const names = imports.slice(0, max).map((i) => `${i.module}.${i.name}${i.kind === "function" ? "" : ` (${i.kind})`}`);
  return names.join(", ") + (imports.length > max ? ` and ${imports.length - max} more` : "");
}
