// The browser entry of "cove" (package.json exports, "browser" condition). Plain ES modules, no
// Node built-ins anywhere in this import graph: a page can `import` it directly or bundle it.
// The engine's .wasm is found next to its glue with import.meta.url and compiled once per realm
// (page or Worker) by the top-level await below.
import { engineImports, finishEngineLoad, setFullEngineSource } from "./engine.js";
import { run as runHere } from "./run.js";
import { runInWorker, setEngineModule } from "./worker-client.js";
import { setComponentEngineSources } from "./component/lazy.js";

const engineUrl = new URL("../engine/cove_wasm_bg.wasm", import.meta.url);

async function instantiateEngine() {
  const response = fetch(engineUrl);
  try {
    const { instance, module } = await WebAssembly.instantiateStreaming(response, engineImports());
    setEngineModule(module);
    return finishEngineLoad(instance, module);
  } catch (e) {
    // instantiateStreaming needs the application/wasm MIME type; some static servers omit it.
    if (!(e instanceof TypeError)) throw e;
    const bytes = await (await fetch(engineUrl)).arrayBuffer();
    const { instance, module } = await WebAssembly.instantiate(bytes, engineImports());
    setEngineModule(module);
    return finishEngineLoad(instance, module);
  }
}
await instantiateEngine();
// The component engines are artifacts of their own, each fetched on first use (docs/components.md).
setComponentEngineSources({
  instantiate: () => new URL("../engine/cove_component_wasm_bg.wasm", import.meta.url),
  validator: () => new URL("../engine/cove_component_validator_wasm_bg.wasm", import.meta.url),
});
// The full engine (p1 + the WASI 0.2 host), fetched when a component first needs WASI (docs/engine-abi.md "Two engines").
setFullEngineSource(async () => (await import("./fetch-wasm.js")).compileWasmAt(new URL("../engine/cove_wasm_p2_bg.wasm", import.meta.url)));

export { WASI } from "./wasi.js";
export { MemFS } from "./memfs.js";
export { startWorker, runInWorker } from "./worker-client.js";
// IndexedDB snapshots and OPFS are loaded on first use: every one of these is async anyway, and a
// page running a guest on MemFS should not download them (scripts/size.mjs, the p1 page budget).
const idb = () => import("./idb.js");
export const saveMemFS = async (fs, name) => (await idb()).saveMemFS(fs, name);
export const loadMemFS = async (name, into) => (await idb()).loadMemFS(name, into);
export const deleteMemFS = async (name) => (await idb()).deleteMemFS(name);
export const listMemFS = async () => (await idb()).listMemFS();
export const openOPFS = async (name) => (await import("./opfs.js")).openOPFS(name);
export { detectBlocking, StdinPipe } from "./blocking.js";
export { validate, compileComponent, instantiate, ComponentError } from "./component/lazy.js";

/**
 * `run(wasm, options)` → { exitCode, stdout, stderr }, as in Node; `{ worker: true }` runs the
 * guest in a Worker instead of on this thread (runInWorker), so a long guest keeps the page live.
 */
export function run(wasm, options = {}) {
  if (options.worker) {
    const { worker, ...rest } = options;
    return runInWorker(wasm, rest);
  }
  // "auto": JSPI where the engine has it, so sleeps and stdin callbacks can wait on this thread.
  return runHere(wasm, { blocking: "auto", ...options });
}
