// `cove types <file.wasm>`: the TypeScript declarations of a component's imports and exports,
// rendered by the component engine (docs/components.md).
import { readFileSync, writeSync } from "node:fs";
import { ModuleError } from "./errors.js";
import { readProblem } from "./module-file.js";
import { ComponentError, componentValidatorApi } from "../component/lazy.js";
import "../node.js"; // sets where the component engines are read from

export async function typesCommand({ file }) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ModuleError(file, readProblem(e));
  }
  let text;
  try {
    text = (await componentValidatorApi()).typescriptDeclarations(bytes);
  } catch (e) {
    if (e instanceof ComponentError) throw new ModuleError(file, e.message);
    throw e;
  }
  writeSync(1, text);
  return 0;
}
