// The JS side of the instantiation engine (js/engine/cove_component_wasm*), imported by lazy.js on
// the first compileComponent/instantiate: turns its answers into the public API's values and
// errors. That engine checks everything but core function bodies, which WebAssembly.Module
// checks as each core module compiles (core-module.js; docs/components.md, "Size").
import init, { compile as engineCompile, Failure } from "../../engine/cove_component_wasm.js";
import { bufferBytes, componentError } from "./engine-failure.js";
import { CompiledComponent, instantiateCompiled, runCommand, importsServedByCove } from "./instantiate.js";

export { runCommand, importsServedByCove };

/** `source`: the engine's bytes (Node) or URL (browsers), as the wasm-bindgen glue takes them. */
export async function loadComponentEngine(source) {
  await init({ module_or_path: source });
}

/** Parses, checks and plans a component once (`compileComponent`). */
export function compileComponent(bytes) {
  const view = bufferBytes("bytes", bytes);
  let plan;
  try {
    plan = JSON.parse(engineCompile(view));
  } catch (e) {
    throw e instanceof Failure ? componentError(e) : e;
  }
  return new CompiledComponent(plan, view);
}

/** A fresh instance of a component (bytes or a `compileComponent` result). */
export function instantiate(bytesOrCompiled, imports, options, makeWasi) {
  return instantiateCompiled(compiledOf(bytesOrCompiled), imports, options, makeWasi);
}

/** A `compileComponent` result for a component's bytes or such a result. */
export function compiledOf(bytesOrCompiled) {
  return bytesOrCompiled instanceof CompiledComponent ? bytesOrCompiled : compileComponent(bytesOrCompiled);
}
