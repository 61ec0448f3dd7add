// The component API that `import "cove"` exports. The rest of the component path is imported on
// the first call, from one of two engine artifacts (docs/components.md, "Size"):
// compileComponent/instantiate load api.js and js/engine/cove_component_wasm* (no function-body
// validator: the JS engine checks core code as it compiles each module); validate and `cove types`
// load validator-api.js and js/engine/cove_component_validator_wasm* (the full validator).
// The full Cove engine (p1 + the WASI 0.2 host) is loaded when a component first needs WASI
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

let engineSources;
const apis = {};
let loadFullEngine;

/** Set by guest-module.js: engine.js's loadFullEngine (not imported here, so that the component
 *  chunk does not pull engine.js apart from memfs.js into chunks of their own: scripts/size.mjs). */
export const setFullEngineLoader = (load) => { loadFullEngine = load; };

/**
 * Set by the entry: `{ instantiate, validator }`, each a function returning that engine's bytes
 * or URL, as the wasm-bindgen glue's init takes them.
 */
export const setComponentEngineSources = (sources) => { engineSources = sources; };

/** An engine's JS side with the engine loaded; a failed load (a network blip) is retried on the next call. */
const engineApi = (engine, importApi) => apis[engine] ??= importApi()
  .then(async (m) => (await m.loadComponentEngine(await engineSources[engine]()), m))
  .catch((e) => { apis[engine] = undefined; throw e; });

/** api.js (compileComponent, instantiate) with the instantiation engine loaded. */
export const componentApi = () => engineApi("instantiate", () => import("./api.js"));

/** validator-api.js (validate, typescriptDeclarations) with the validator engine loaded. */
export const componentValidatorApi = () => engineApi("validator", () => import("./validator-api.js"));

/** Resolves when `bytes` is a valid component; rejects with a ComponentError saying why not. */
export const validate = async (bytes) => (await componentValidatorApi()).validate(bytes);

/** Parses, checks and plans a component once; the result instantiates many times. */
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
