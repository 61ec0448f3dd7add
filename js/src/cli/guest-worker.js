// Runs the guest on a worker thread, so the main thread stays free to answer Ctrl-C (a guest
// blocked in a stdin read or a busy loop would otherwise keep the SIGINT handler from running).
// Guest output goes straight to fds 1 and 2 from here, synchronously, in the order written.
import { parentPort, workerData } from "node:worker_threads";
import { BACKTRACE_LIMIT, isTrap } from "./backtrace.js";
import { createWasi } from "./guest-wasi.js";
import { checkWasiImports } from "../wasi-imports.js";
import { startGuest } from "../guest-module.js";
import { compileComponent } from "../node.js";
import { loadFullEngine } from "../engine.js";

const { module, component, imports: moduleImports, args, policy, trace } = workerData;
Error.stackTraceLimit = BACKTRACE_LIMIT;

parentPort.postMessage(await runGuest());

async function runGuest() {
  // A component runs on the WASI 0.2 host: its context must live in the full engine (docs/engine-abi.md "Two engines").
  if (component) await loadFullEngine();
  let wasi;
  try {
    wasi = createWasi({ args, policy, trace });
  } catch (e) {
    if (e.code === "ERR_COVE_INVALID_CONFIG") return { kind: "config", message: e.message };
    throw e;
  }
  if (component) return runComponent(wasi);
  const imports = wasi.getImportObject();
  const missing = moduleImports
    .filter(({ module: from, name }) => typeof imports[from]?.[name] !== "function")
    .map(({ module: from, name }) => `${from}.${name}`);
  if (missing.length) return { kind: "error", message: `imports what cove does not provide: ${missing.join(", ")}` };
  try {
    checkWasiImports(moduleImports);
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) return { kind: "error", message: e.message };
    throw e;
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    return { kind: "error", message: `cannot instantiate: ${e.message.replace(/^WebAssembly\.Instance\(\): /, "")}` };
  }
  if (typeof instance.exports._start !== "function") {
    return { kind: "error", message: "exports no _start function (cove run needs a WASI command module)" };
  }
  if (!(instance.exports.memory instanceof WebAssembly.Memory)) {
    return { kind: "error", message: "exports no memory (a WASI module must export \"memory\")" };
  }
  try {
    // (A promise where the engine suspends through JSPI; a number otherwise.)
    return { kind: "exit", code: (await wasi.start(instance)) ?? 0 };
  } catch (e) {
    if (isTrap(e)) return { kind: "trap", message: e.message, stack: e.stack };
    throw e;
  }
}

/** A command component (wasm32-wasip2): compiled here, its wasi:cli/run run on the WASI context. */
async function runComponent(wasi) {
  let compiled;
  try {
    compiled = await compileComponent(component);
  } catch (e) {
    return { kind: "error", message: e.message };
  }
  try {
    return { kind: "exit", code: await startGuest({ component: compiled }, wasi) };
  } catch (e) {
    if (isTrap(e)) return { kind: "trap", message: e.message, stack: e.stack };
    if (e instanceof WebAssembly.LinkError || e instanceof TypeError) return { kind: "error", message: e.message };
    throw e;
  }
}
