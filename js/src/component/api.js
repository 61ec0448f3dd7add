// The component engine's JS side, imported by lazy.js on first use: loads the engine artifact
// and turns its answers into the public API's values and errors.
import init, { validate as engineValidate, typescriptDeclarations as engineDeclarations, compile as engineCompile, Failure } from "../../engine/cove_component_wasm.js";
import { invalidArgType } from "../errors.js";
import { ComponentError } from "./lazy.js";
import { CompiledComponent, instantiateCompiled, runCommand, importsServedByCove } from "./instantiate.js";

export { runCommand, importsServedByCove };

/** `source`: the engine's bytes (Node) or URL (browsers), as the wasm-bindgen glue takes them. */
export async function loadComponentEngine(source) {
  await init({ module_or_path: source });
}

/** The bytes of a BufferSource, as WebAssembly.validate accepts them. */
function bufferBytes(name, bytes) {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw invalidArgType(name, "an instance of ArrayBuffer, TypedArray or DataView", bytes);
}

function componentError(failure) {
  const { message, offset, section } = failure;
  failure.free();
  return new ComponentError(`invalid component: ${message} (at byte offset ${offset}, in ${section})`, offset, section);
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

/** Parses, validates and plans a component once (`compileComponent`). */
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
