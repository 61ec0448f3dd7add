// The Worker that runs one guest for a page (module worker, created by worker-client.js).
// Protocol: worker-protocol.js. One guest per Worker: the page terminates the Worker to stop a
// runaway guest, and creates a fresh one for the next run.
// Not browser.js: its top-level await would fetch and compile the engine again. The page sends
// its compiled engine module with "start" and the Worker only instantiates it.
import { engineImports, finishEngineLoad, setFullEngineSource } from "./engine.js";
import { compileWasmAt } from "./fetch-wasm.js";
import { loadGuest, startGuest } from "./guest-module.js";
import { WASI } from "./wasi.js";
import { MemFS } from "./memfs.js";
import { StdinPipe, SabStdinReader, detectBlocking } from "./blocking.js";
import { snapshotMemFS, snapshotBuffers, restoreInto } from "./snapshot.js";
import { openOPFS } from "./opfs.js";
import { OutputGate, gateWrites, costOf } from "./output-flow.js";
import * as P from "./worker-protocol.js";
import { setComponentEngineSources } from "./component/lazy.js";

const post = (msg, transfer = []) => self.postMessage(msg, transfer);

// A component guest loads the component engines (artifacts of their own) next to this file's engine.
setComponentEngineSources({
  instantiate: () => new URL("../engine/cove_component_wasm_bg.wasm", import.meta.url),
  validator: () => new URL("../engine/cove_component_validator_wasm_bg.wasm", import.meta.url),
});
// ... and the full engine (p1 + the WASI 0.2 host) in place of the page's p1 engine (docs/engine-abi.md "Two engines").
setFullEngineSource(async () => (await import("./fetch-wasm.js")).compileWasmAt(new URL("../engine/cove_wasm_p2_bg.wasm", import.meta.url)));

// Stdin that arrives while the guest runs (JSPI suspends the guest, so these messages are
// delivered); in "none" mode the guest never yields, so only what came before is seen.
const stdinPipe = new StdinPipe();
let started = false;
let gate = null; // the output's flow control (output-flow.js), once the guest starts

self.onmessage = async ({ data: msg }) => {
  if (msg.type === P.ACK) gate?.consumed(msg.bytes);
  else if (msg.type === P.STDIN) stdinPipe.write(msg.data);
  else if (msg.type === P.STDIN_END) stdinPipe.end();
  else if (msg.type === P.START && !started) {
    started = true;
    try {
      await runGuest(msg);
    } catch (e) {
      post({ type: P.ERROR, name: e?.name ?? "Error", message: String(e?.message ?? e), stack: String(e?.stack ?? "") });
    }
  }
};

post({ type: P.READY });

async function runGuest(msg) {
  const engine = msg.engine ?? await compileWasmAt(new URL("../engine/cove_wasm_bg.wasm", import.meta.url));
  finishEngineLoad(await WebAssembly.instantiate(engine, engineImports()), engine);
  const blocking = detectBlocking(msg.blocking ?? "auto");
  gate = new OutputGate({ window: msg.outputWindow ?? Infinity, channel: msg.ackChannel, mode: blocking });
  // Chunks are transferred, not copied again: wasi.js hands each callback bytes of its own.
  // Stdout arrives in the engine's batches (up to 16 KiB), stderr per write.
  const own = (bytes) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());
  const output = (type) => (chunk) => {
    const c = own(chunk);
    gate.sent(costOf(c.byteLength));
    post({ type, data: c }, [c.buffer]);
  };
  const stdout = output(P.STDOUT);
  const stderr = output(P.STDERR);

  // Stdin given up front and closed is plain bytes (the engine serves it itself); open stdin is
  // a pipe fed by "stdin" messages, or in "sab" mode answered by the page through shared memory.
  let stdin = msg.stdin ?? new Uint8Array(0);
  if (msg.stdinOpen) {
    if (blocking === "sab" && msg.stdinChannel) stdin = sabStdin(msg.stdinChannel);
    else {
      if (msg.stdin?.length) stdinPipe.write(msg.stdin);
      stdin = stdinPipe;
    }
  }

  // The page's filesystem, when it gave one, is the guest's "/" (or, with policy mounts, what
  // they name: wasi.js); without one the guest has no preopens but the OPFS mounts.
  const fs = msg.files ? restoreInto(new MemFS(), msg.files) : undefined;
  const preopens = {};
  const mounts = [];
  for (const [guestPath, dirName] of Object.entries(msg.opfs ?? {})) {
    const backend = await openOPFS(dirName);
    mounts.push(backend);
    preopens[guestPath] = backend;
  }

  const guest = await loadGuest(msg.wasm, "runInWorker");
  const wasi = new WASI({
    version: "preview1", args: msg.args ?? [], env: msg.env ?? {}, fs, preopens, returnOnExit: true,
    stdin, stdout, stderr, blocking, policy: msg.policy,
    onEvent: (event) => post({ type: P.EVENT, event }),
  });
  post({ type: P.STARTED, blocking });
  // A component's writes reach the page without the output window (its WASI calls are the
  // engine's p2 exports, not these p1 imports).
  const imports = wasi.getImportObject();
  gateWrites(imports.wasi_snapshot_preview1, gate, blocking);
  if (msg.stubImports && guest.module) stubForeignImports(guest.module, imports);
  let exitCode;
  try {
    exitCode = await startGuest(guest, wasi, imports);
  } finally {
    // Whatever the guest wrote to OPFS reaches the disk before the page hears "exit".
    for (const m of mounts) await m.close();
  }
  const files = msg.returnFiles && fs ? snapshotMemFS(fs) : undefined;
  post({ type: P.EXIT, exitCode, files }, files ? snapshotBuffers(files) : []);
}

/** "sab" mode: reads ask the page, and the forwarders (blocking.js) wait on shared memory. */
function sabStdin(channel) {
  const reader = new SabStdinReader(channel, () => post({ type: P.STDIN_REQUEST }));
  return { read: (max) => reader.read(max), waitSync: (ms) => reader.waitSync(ms) };
}

/**
 * `stubImports`: every function the module imports from outside WASI becomes one that traps when
 * called, so a module that never calls them runs. Memories, tables and globals cannot be made up;
 * instantiation reports those as before.
 */
function stubForeignImports(module, imports) {
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function" || from === "wasi_snapshot_preview1") continue;
    imports[from] ??= {};
    imports[from][name] = () => {
      throw new WebAssembly.RuntimeError(`the guest called ${from}.${name}, an import the host does not provide (a stub that traps)`);
    };
  }
}
