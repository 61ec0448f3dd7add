// The component API that `import "cove"` exports: everything else of the component path (api.js,
// the engine js/engine/cove_component_wasm*) is imported on the first call (docs/components.md),
// and the full Cove engine (p1 + the WASI 0.2 host) when a component first needs WASI
// (engine.js loadFullEngine, docs/engine-abi.md "Two engines").

/** Bytes that are not a valid component; `offset` and `section` say where. */
export class ComponentError extends WebAssembly.CompileError {
  constructor(message, offset, section) {
    super(message);
    this.name = "ComponentError";
    this.offset = offset;
    this.section = section;
  }
}

let engineSource;
let api;
let loadFullEngine;

/** Set by guest-module.js: engine.js's loadFullEngine (not imported here, so that the component
 *  chunk does not pull engine.js apart from memfs.js into chunks of their own: scripts/size.mjs). */
export const setFullEngineLoader = (load) => { loadFullEngine = load; };

/** Set by the entry: returns the engine's bytes or URL, as the wasm-bindgen glue's init takes. */
export const setComponentEngineSource = (source) => { engineSource = source; };

/** api.js with the engine loaded; a failed load (a network blip) is retried on the next call. */
export function componentApi() {
  return api ??= import("./api.js")
    .then(async (m) => (await m.loadComponentEngine(await engineSource()), m))
    .catch((e) => { api = undefined; throw e; });
}

/** Resolves when `bytes` is a valid component; rejects with a ComponentError saying why not. */
export const validate = async (bytes) => (await componentApi()).validate(bytes);

/** Parses, validates and plans a component once; the result instantiates many times. */
export const compileComponent = async (bytes) => (await componentApi()).compileComponent(bytes);

/**
 * A fresh instance of a component: `{ exports }`. `bytesOrCompiled`: the component's bytes or a
 * `compileComponent` result. `options.tableDriven` forces the eval-free canonical ABI path.
 */
export async function instantiate(bytesOrCompiled, imports, options) {
  const api = await componentApi();
  const compiled = api.compiledOf(bytesOrCompiled);
  const checkedLater = imports !== undefined && (imports === null || typeof imports !== "object"); // instantiate throws
  if (!checkedLater && api.importsServedByCove(compiled, imports)) await loadFullEngine();
  return api.instantiate(compiled, imports, options, makeWasi);
}

/**
 * Makes the WASI context of `instantiate`'s `options.wasi` (docs/preview2.md) from run()'s
 * options; set by wasi.js, so this module (shared with the component chunk) need not import it.
 */
let makeWasi;
export const setWasiFactory = (factory) => { makeWasi = factory; };
