// Loading jco's transpiled output of a test component (browser-safe; tests/component-guests/jco.mjs
// transpiles). jco's `--instantiation async` output exports instantiate(getCoreModule, imports).

/** Cove's import object in jco's shape: jco takes a bare function import `f` as `{ f: { default } }`. */
export function jcoImports(imports) {
  return Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, typeof v === "function" ? { default: v } : v]));
}

/**
 * `load(component, imports)` → exports, as cases.mjs expects. `importEntry(name)` resolves to the
 * transpiled module, `compileCore(name, path)` to a WebAssembly.Module of one of its core modules.
 */
export function jcoLoader(importEntry, compileCore) {
  const instantiators = new Map();
  return async (name, imports) => {
    if (!instantiators.has(name)) {
      const cores = new Map();
      const getCoreModule = (path) => {
        if (!cores.has(path)) cores.set(path, compileCore(name, path));
        return cores.get(path);
      };
      instantiators.set(name, importEntry(name).then(({ instantiate }) => (imports) => instantiate(getCoreModule, imports)));
    }
    return (await instantiators.get(name))(jcoImports(imports));
  };
}
