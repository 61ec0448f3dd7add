// jco 1.35's view of the test components (Node only): each component transpiled once into
// build/components/jco/<name>/ (`--instantiation async`, so imports are passed at run time as
// with Cove), and a `load(component, imports)` with the shape cases.mjs expects.
// Used by tests/component-guests-jco.test.mjs and bench/components.mjs.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { componentsOut } from "../../scripts/build-component-guests.mjs";

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

/** Cove's import object in jco's shape: jco takes a bare function import `f` as `{ f: { default } }`. */
export function jcoImports(imports) {
  return Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, typeof v === "function" ? { default: v } : v]));
}

/** `load(component, imports)` → exports, through jco's transpiled output. */
export function jcoLoader() {
  const modules = new Map();
  return async (name, imports) => {
    if (!modules.has(name)) {
      const entry = await transpileWithJco(name);
      const { instantiate } = await import(pathToFileURL(entry).href);
      const cores = new Map();
      const getCoreModule = (path) => {
        if (!cores.has(path)) cores.set(path, WebAssembly.compile(readFileSync(join(dirname(entry), path))));
        return cores.get(path);
      };
      modules.set(name, (imp) => instantiate(getCoreModule, imp));
    }
    return modules.get(name)(jcoImports(imports));
  };
}
