// A guest given as bytes, a URL or a compiled module, compiled and checked against WASI's
// signatures before anything runs: one loader for `run()` (run.js) and the Worker runner (worker.js).
import { checkWasiImports } from "./wasi-imports.js";
import { functionImports } from "./wasm-sections.js";

/**
 * The compiled guest. Import names are always checked; their types too when the bytes are here
 * (a `WebAssembly.Module` does not show them on every engine). `who` names the caller in errors.
 */
export async function loadGuestModule(wasm, who) {
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
    module = await WebAssembly.compile(bytes);
  }
  checkWasiImports(functionImports(module, bytes));
  return module;
}
