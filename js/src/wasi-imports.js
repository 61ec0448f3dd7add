// Checks a guest's wasi_snapshot_preview1 imports before it runs. A JS forwarder accepts any
// signature, so a guest importing `fd_write` as `(i32) -> i32` would link and then fail inside
// the call ("internal error"); instead it is refused up front with a LinkError that names the
// import and the signature WASI preview 1 defines. The signatures come from the engine (cove-core
// p1/signature.rs, generated from the same table as the p1 exports).
//
// Used where Cove sees the module: run(), the Worker runner, the CLI. A user who instantiates
// with `wasi.getImportObject()` themselves gets no such check (Cove never sees the module).
import { currentEngine, glue } from "./engine.js";
import { describeImports } from "./wasm-sections.js";

const MODULE = "wasi_snapshot_preview1";

/**
 * Throws a `WebAssembly.LinkError` for the first wasi_snapshot_preview1 import that WASI
 * preview 1 does not define, or defines with another signature. With the module's `bytes` the
 * types are checked; with only the compiled `module`, the names.
 * @param {WebAssembly.Module} module
 * @param {Uint8Array | ArrayBuffer | undefined} bytes
 */
export function checkWasiImports(module, bytes) {
  currentEngine(); // the glue then calls a healthy engine
  let imports;
  if (bytes) {
    try {
      imports = describeImports(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    } catch {
      // Compiled, so valid: a section this reader does not follow. Check the names only.
    }
  }
  imports ??= WebAssembly.Module.imports(module).filter((i) => i.kind === "function");
  for (const { module: from, name, params, results } of imports) {
    if (from !== MODULE) continue;
    const problem = glue.check_wasi_import(name, params && Uint8Array.from(params), results && Uint8Array.from(results));
    if (problem) throw new WebAssembly.LinkError(problem);
  }
}
