// Checks a guest's wasi_snapshot_preview1 imports before it runs. A JS forwarder accepts any
// signature, so a guest importing `fd_write` as `(i32) -> i32` would link and then fail inside
// the call ("internal error"); instead it is refused up front with a LinkError that names the
// import and the signature WASI preview 1 defines. The signatures come from the engine (cove-core
// p1/signature.rs, generated from the same table as the p1 exports).
//
// Used where Cove sees the module: run(), the Worker runner, the CLI. A user who instantiates
// with `wasi.getImportObject()` themselves gets no such check (Cove never sees the module).
import { currentEngine, glue } from "./engine.js";

const MODULE = "wasi_snapshot_preview1";

/**
 * Throws a `WebAssembly.LinkError` for the first wasi_snapshot_preview1 import that WASI
 * preview 1 does not define, or defines with another signature. Imports with `params` and
 * `results` have their types checked, the others their names.
 * @param {Array<{ module: string, name: string, params?: number[], results?: number[] }>} imports
 *   the module's function imports, as `functionImports` (wasm-sections.js) reads them
 */
export function checkWasiImports(imports) {
  currentEngine(); // the glue then calls a healthy engine
  for (const { module: from, name, params, results } of imports) {
    if (from !== MODULE) continue;
    const problem = glue.check_wasi_import(name, params && Uint8Array.from(params), results && Uint8Array.from(results));
    if (problem) throw new WebAssembly.LinkError(problem);
  }
}
