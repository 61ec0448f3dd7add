// The JS side of the validator engine (js/engine/cove_component_validator_wasm*), imported by
// lazy.js on the first validate() or `cove types`: wasmparser's full validator, function bodies
// included, and the TypeScript printer (docs/components.md, "Size").
import init, { validate as engineValidate, typescriptDeclarations as engineDeclarations, Failure } from "../../engine/cove_component_validator_wasm.js";
import { bufferBytes, componentError } from "./engine-failure.js";

/** `source`: the engine's bytes (Node) or URL (browsers), as the wasm-bindgen glue takes them. */
export async function loadComponentEngine(source) {
  await init({ module_or_path: source });
}

export function validate(bytes) {
  const failure = engineValidate(bufferBytes("bytes", bytes));
  if (failure) throw componentError(failure);
}

/** TypeScript declarations of a component's imports and exports (`cove types`). */
export function typescriptDeclarations(bytes) {
  try {
    return engineDeclarations(bufferBytes("bytes", bytes));
  } catch (e) {
    throw e instanceof Failure ? componentError(e) : e;
  }
}
