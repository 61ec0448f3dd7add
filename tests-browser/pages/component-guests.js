// Runs the cases of tests/component-guests/cases.mjs in this realm (a page or a Worker), under
// Cove's instantiate or, to check the cases and this harness in each browser, jco's transpiled
// output (build/components/jco/, written by the Node side). Returns
// { results: [{ name, ok, why }], evalAllowed } (false where the
// page's CSP forbids eval, so Cove must use its table-driven path).
// `part` picks "big" (the 64 MiB cases) or "rest", so each stays within the runner's time limit.
import * as cove from "/js/src/browser.js";
import { CASES } from "/tests/component-guests/cases.mjs";
import { jcoLoader } from "/tests/component-guests/jco-load.mjs";

const fetchBytes = async (url) => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
};

function coveLoader() {
  const compiled = new Map();
  return async (name, imports) => {
    if (!compiled.has(name)) compiled.set(name, fetchBytes(`/build/components/${name}.wasm`).then((b) => cove.compileComponent(b)));
    return (await cove.instantiate(await compiled.get(name), imports)).exports;
  };
}

function evalAllowed() {
  try {
    return new Function("return true")();
  } catch {
    return false;
  }
}

export async function runComponentCases(part, runtime = "cove") {
  let load;
  if (runtime === "jco") {
    load = jcoLoader((name) => import(`/build/components/jco/${name}/${name}.js`),
      async (name, path) => WebAssembly.compile(await fetchBytes(`/build/components/jco/${name}/${path}`)));
  } else {
    load = coveLoader();
  }
  const results = [];
  for (const c of CASES.filter((c) => c.name.includes("64 MiB") === (part === "big"))) {
    if (runtime === "jco" && c.jco) continue;
    try {
      await c.run(load);
      results.push({ name: c.name, ok: true });
    } catch (e) {
      results.push({ name: c.name, ok: false, why: String(e?.stack ?? e) });
    }
  }
  return { results, evalAllowed: evalAllowed() };
}
