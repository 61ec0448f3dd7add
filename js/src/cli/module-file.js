// Reads and compiles the guest module, turning every way that can fail into a ModuleError that
// names the file and says what is wrong (with the byte offset V8 reports, where there is one).
import { readFileSync } from "node:fs";
import { ModuleError } from "./errors.js";
import { WASM_MAGIC, binaryKind } from "../wasm-sections.js";

/** @returns {{ bytes: Uint8Array, module: WebAssembly.Module | null }} (null: a component) */
export function loadModule(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ModuleError(file, readProblem(e));
  }
  if (bytes.length === 0) throw new ModuleError(file, "empty file (expected a WebAssembly module)");
  if (bytes.length < 8 && WASM_MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
    throw new ModuleError(file, `truncated: ${bytes.length} bytes, shorter than the 8-byte WebAssembly header`);
  }
  const kind = binaryKind(bytes);
  if (kind === "not-wasm") {
    throw new ModuleError(file, "not a WebAssembly module (it does not start with the bytes \\0asm)");
  }
  // A component is compiled by the guest's worker (the component engine loads there).
  if (kind === "component") return { bytes, module: null };
  try {
    return { bytes, module: new WebAssembly.Module(bytes) };
  } catch (e) {
    throw new ModuleError(file, `invalid WebAssembly: ${compileProblem(e, bytes.length)}`);
  }
}

export function readProblem(e) {
  switch (e.code) {
    case "ENOENT": return "no such file";
    case "EACCES": return "permission denied";
    case "EISDIR": return "is a directory, not a file";
    default: return `cannot read: ${e.message}`;
  }
}

/** V8 says "WebAssembly.Module(): <what> @+<offset>"; keep what and offset, add the file size. */
function compileProblem(e, size) {
  const message = String(e.message).replace(/^WebAssembly\.Module\(\): /, "");
  const match = /^(.*) @\+(\d+)$/s.exec(message);
  if (!match) return message;
  const [, what, offset] = match;
  // V8 reports a cut-off module either as reading past the end or as failing right at the end.
  const truncated = /past end|fell off end/.test(what) || Number(offset) >= size;
  return `${what} at byte offset ${offset}${truncated ? ` (the file is ${size} bytes: truncated?)` : ""}`;
}
