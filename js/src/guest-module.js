// A guest given as bytes, a URL or a compiled module, compiled and checked against WASI's
// signatures before anything runs: one loader for `run()` (run.js) and the Worker runner
// (worker.js). A component (wasm32-wasip2) is told apart by its preamble and compiled by the
// component path, loaded only then (docs/preview2.md).
import { checkWasiImports } from "./wasi-imports.js";
import { binaryKind, functionImports } from "./wasm-sections.js";
import { componentApi, setFullEngineLoader } from "./component/lazy.js";
import { loadFullEngine } from "./engine.js";

setFullEngineLoader(loadFullEngine);

/**
 * The compiled guest. Import names are always checked; their types too when the bytes are here
 * (a `WebAssembly.Module` does not show them on every engine). `who` names the caller in errors.
 */
export async function loadGuestModule(wasm, who) {
  return (await loadGuest(wasm, who)).module;
}

/**
 * The guest, compiled: `{ module }` for a preview-1 module, `{ component }` (a compileComponent
 * result) for a component.
 */
export async function loadGuest(wasm, who) {
  let module, bytes;
  if (wasm instanceof WebAssembly.Module) module = wasm;
  else {
    if (wasm instanceof URL || typeof wasm === "string") {
      const url = wasm instanceof URL ? wasm : new URL(wasm, globalThis.location?.href);
      if (url.protocol === "file:") {
        // A computed specifier: browser bundlers leave it alone (this branch only runs in Node).
        const nodeFs = "node:fs/promises";
        const { readFile } = await import(nodeFs);
        bytes = await readFile(url);
      } else {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${who}: fetching ${url} failed: ${response.status} ${response.statusText}`);
        bytes = new Uint8Array(await response.arrayBuffer());
      }
    } else if (wasm instanceof ArrayBuffer) bytes = new Uint8Array(wasm);
    else if (ArrayBuffer.isView(wasm)) bytes = new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength);
    else throw new TypeError(`${who}: expected the module as bytes, a WebAssembly.Module or a URL`);
    if (binaryKind(bytes) === "component") {
      // A command runs on the WASI 0.2 host, which the full engine has (docs/engine-abi.md "Two engines").
      const [api] = await Promise.all([componentApi(), loadFullEngine()]);
      return { component: api.compileComponent(bytes) };
    }
    module = await WebAssembly.compile(bytes);
  }
  checkWasiImports(functionImports(module, bytes));
  return { module };
}

/**
 * Runs a loaded guest on `wasi` and resolves to its exit code: `_start` of a module (instantiated
 * with `importObject`), `wasi:cli/run` of a component.
 */
export async function startGuest(guest, wasi, importObject) {
  if (guest.component) return (await componentApi()).runCommand(guest.component, wasi);
  const instance = await WebAssembly.instantiate(guest.module, importObject ?? wasi.getImportObject());
  return wasi.start(instance);
}
