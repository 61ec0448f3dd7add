// Runs each benchmark sample in a fresh module Worker (a fresh JS realm and wasm instance; a
// fresh page costs ~0.4 s more and measures the same thing). wholeMs spans new Worker() to the
// result message: worker start-up, importing the runtime, fetching and compiling the guest, and
// the run — the browser's counterpart of Node's whole-process time.
window.runSample = (spec) => new Promise((resolve) => {
  const started = performance.now();
  const worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
  const finish = (result) => {
    clearTimeout(timer);
    worker.terminate();
    resolve({ ...result, wholeMs: performance.now() - started });
  };
  const timer = setTimeout(() => finish({ error: `timed out after ${spec.timeoutMs} ms`, timedOut: true }), spec.timeoutMs);
  worker.onmessage = (e) => finish(e.data);
  worker.onerror = (e) => finish({ error: `worker error: ${e.message ?? e}` });
  worker.postMessage(spec);
});
window.benchPageReady = true;
