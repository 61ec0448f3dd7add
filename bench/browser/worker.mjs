// One benchmark sample in a fresh Worker: the browser counterpart of bench/node-sample.mjs, with
// the same adapters (bench/runtimes.mjs) and the same timed region.
import { runtime, stderrText } from "../runtimes.mjs";
import { workload, guestArgs, guestEnv } from "../workloads.mjs";

// Module workers cannot use import maps, so package names map to the files the server exposes.
const PACKAGE_URLS = {
  "cove": "/build/bench/cove/js/src/browser.js", // bench/run.mjs's snapshot of js/
  "@bjorn3/browser_wasi_shim": "/node_modules/@bjorn3/browser_wasi_shim/dist/index.js",
  // bundled by bench/run.mjs from dist/wasm-util.esm-bundler.js, as a user's bundler would
  "@tybys/wasm-util": "/build/bench/wasm-util.browser.mjs",
};

function importModule(name) {
  const url = PACKAGE_URLS[name];
  if (!url) throw new Error(`${name} is not available in the browser`);
  return import(url);
}

self.onmessage = async ({ data: spec }) => {
  const stderr = [];
  try {
    const rt = runtime(spec.runtime);
    const work = workload(spec.workload);
    const importStart = performance.now();
    const lib = await rt.load(importModule, "browser");
    const importMs = performance.now() - importStart;
    const module = await WebAssembly.compileStreaming(fetch(spec.guestUrl));
    const job = { module, args: guestArgs(work.name), env: guestEnv(work.name), needsFs: work.needsFs, hostDir: undefined, stderr };
    const runStart = performance.now();
    const exitCode = await rt.run(lib, job);
    const runMs = performance.now() - runStart;
    self.postMessage({ importMs, runMs, exitCode, stderr: stderrText(stderr) });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e), stderr: stderrText(stderr) });
  }
};
