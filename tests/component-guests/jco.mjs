// jco 1.35's view of the test components (Node only): each component transpiled once into
// build/components/jco/<name>/ (`--instantiation async`, so imports are passed at run time as
// with Cove), and a `load(component, imports)` with the shape cases.mjs expects (jco-load.mjs).
// Used by tests/component-guests-jco.test.mjs, tests-browser/component-guests.test.mjs and bench/.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { componentsOut } from "../../scripts/build-component-guests.mjs";
import { jcoLoader } from "./jco-load.mjs";

export const jcoOut = join(componentsOut, "jco");

/** Transpiles build/components/<name>.wasm with jco when its output is missing or older. */
export async function transpileWithJco(name) {
  const wasm = join(componentsOut, `${name}.wasm`);
  const dir = join(jcoOut, name);
  const entry = join(dir, `${name}.js`);
  if (existsSync(entry) && statSync(entry).mtimeMs >= statSync(wasm).mtimeMs) return entry;
  const { transpile } = await import("@bytecodealliance/jco");
  const { files } = await transpile(readFileSync(wasm), { name, instantiation: { tag: "async" }, noTypescript: true });
  rmSync(dir, { recursive: true, force: true });
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), bytes);
  }
  return entry;
}

/** `load(component, imports)` → exports, through jco's transpiled output (Node). */
export function nodeJcoLoader() {
  return jcoLoader(async (name) => import(pathToFileURL(await transpileWithJco(name)).href),
    (name, path) => WebAssembly.compile(readFileSync(join(jcoOut, name, path))));
}
