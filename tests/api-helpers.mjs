// Small hand-written guests for the API tests, assembled from WebAssembly text with binaryen.
import binaryen from "binaryen";

const WASI_IMPORTS = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
`;

/** Assembles a module: `body` is the text of `_start` (or more fields when `raw`). */
export function wat(text) {
  const module = binaryen.parseText(text);
  module.setFeatures(binaryen.Features.MVP);
  const bytes = module.emitBinary();
  module.dispose();
  return bytes;
}

/** A command whose `_start` runs `body`, with the WASI imports above and a 1-page memory. */
export function command(body, { data = "", exports = "" } = {}) {
  return wat(`(module ${WASI_IMPORTS}
    (memory (export "memory") 1)
    ${data}
    ${exports}
    (func (export "_start") ${body}))`);
}

/** `text` as a data segment at `at`, with an iovec for it at `at - 8` (at must be >= 8). */
export function iovecData(at, text) {
  const bytes = new TextEncoder().encode(text);
  const hex = (n) => [0, 8, 16, 24].map((s) => "\\" + ((n >> s) & 255).toString(16).padStart(2, "0")).join("");
  const escaped = [...bytes].map((b) => "\\" + b.toString(16).padStart(2, "0")).join("");
  return `(data (i32.const ${at - 8}) "${hex(at)}${hex(bytes.length)}${escaped}")`;
}

/** Writes `text` to `fd` (iovec at 8, text at 16). */
export function writes(fd, text) {
  return {
    data: iovecData(16, text),
    body: `(drop (call $fd_write (i32.const ${fd}) (i32.const 8) (i32.const 1) (i32.const 4)))`,
  };
}

export const instantiate = async (bytes, wasi) => (await WebAssembly.instantiate(bytes, wasi.getImportObject())).instance;
