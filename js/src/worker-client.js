// The page's side of the Worker runner: start a guest in a Worker, stream its output back, feed
// it stdin, stop it. Protocol: worker-protocol.js; worker side: worker.js.
import { StdinPipe, SabStdinWriter, createStdinChannel, canAtomicsWait, hasJspi } from "./blocking.js";
import { snapshotMemFS, snapshotBuffers, replaceContents } from "./snapshot.js";
import { OutputAcks, createAckChannel, outputWindowOption, costOf } from "./output-flow.js";
import * as P from "./worker-protocol.js";
import { OutputCollector, maxOutputOf } from "./output.js";
import { booleanOption } from "./errors.js";

const encoder = new TextEncoder();

/** The page's compiled engine (browser.js sets it): Workers instantiate it instead of compiling. */
let engineModule = null;
export function setEngineModule(module) {
  engineModule = module;
}
/** A fresh copy (it may be transferred to the Worker, which must not detach the caller's buffer). */
function toBytes(data) {
  if (typeof data === "string") return encoder.encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  throw new TypeError("expected a string, bytes or an ArrayBuffer");
}

function wasmForWorker(wasm) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm instanceof URL) return wasm.href;
  if (typeof wasm === "string") return new URL(wasm, globalThis.location?.href).href;
  if (ArrayBuffer.isView(wasm)) return wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  if (wasm instanceof ArrayBuffer) return wasm.slice(0);
  throw new TypeError("wasm: expected a WebAssembly.Module, bytes, or a URL");
}

/** `stdin` of startWorker: omitted = open pipe; bytes/text = given then EOF; { open: true, data }. */
function stdinOption(stdin) {
  if (stdin === undefined) return { open: true, given: undefined };
  if (typeof stdin === "string" || ArrayBuffer.isView(stdin) || stdin instanceof ArrayBuffer) return { open: false, given: stdin };
  if (stdin !== null && typeof stdin === "object" && stdin.open === true) return { open: true, given: stdin.data };
  throw new TypeError("startWorker: stdin must be a string, bytes, or { open: true, data? } (a callback cannot cross to a Worker)");
}

/**
 * Start `wasm` in a new Worker. Options: args, env, fs (a MemFS, copied in and — when the guest
 * exits — updated with what it wrote; or a { path: contents } object), stdin (string/bytes given
 * up front, then EOF; omit it, or pass `{ open: true }` with optional `data`, to keep stdin open for
 * `job.writeStdin` / `job.endStdin`), stdout/stderr (chunk callbacks; one that returns a Promise
 * holds the chunk as unconsumed until it settles), outputWindow (bytes of output the page may be
 * behind before the guest's writes wait; default 1 MiB, Infinity for no limit), onEvent
 * (denials), policy, blocking ("auto" | "jspi" | "sab" | "none"), opfs
 * ({ "/guest/path": "opfs-dir-name" }), stubImports (non-WASI function imports trap when called).
 */
export function startWorker(wasm, options = {}) {
  const { open, given } = stdinOption(options.stdin);
  const outputWindow = outputWindowOption(options.outputWindow);
  const stubImports = booleanOption("options.stubImports", options.stubImports, false);

  // Pick the worker's blocking mode here, where crossOriginIsolated is known: "sab" needs a
  // channel created by the page.
  const blocking = options.blocking ?? "auto";
  const workerCanWait = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
  if (blocking === "sab" && !workerCanWait) {
    throw new Error("startWorker: blocking \"sab\" needs a crossOriginIsolated page (COOP: same-origin, COEP: require-corp)");
  }
  const workerSab = blocking === "sab" || (blocking === "auto" && !hasJspi() && workerCanWait);
  const useSab = open && workerSab;
  const pipe = new StdinPipe();
  const stdinChannel = useSab ? createStdinChannel() : undefined;
  const sabWriter = useSab ? new SabStdinWriter(stdinChannel, pipe) : undefined;

  let memfs;
  let files;
  if (options.fs && typeof options.fs.readdir === "function") {
    memfs = options.fs;
    files = snapshotMemFS(memfs);
  } else if (options.fs) {
    files = { version: 1, entries: Object.entries(options.fs).map(([path, data]) => ({ path, type: "file", data: toBytes(data) })) };
  }

  const worker = new Worker(options.workerURL ?? new URL("./worker.js", import.meta.url), { type: "module", name: "cove" });
  let settle;
  const exited = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  let startedMode;
  const startedPromise = new Promise((resolve) => { startedMode = resolve; });
  let done = false;
  const finish = (fn) => {
    if (done) return;
    done = true;
    worker.terminate();
    startedMode(null); // never started (load error, terminated early): `blocking` still settles
    fn();
  };

  // Messages wait until the Worker says it is ready (see worker-protocol.js).
  let outbox = [];
  const send = (msg, transfer = []) => (outbox ? outbox.push([msg, transfer]) : worker.postMessage(msg, transfer));

  // Output is acked once its callback is done with it; the Worker's fd_write waits while more
  // than `outputWindow` bytes are unacked (output-flow.js).
  const ackChannel = workerSab && outputWindow !== Infinity ? createAckChannel() : undefined;
  const acks = new OutputAcks({ window: outputWindow, channel: ackChannel, post: (bytes) => done || send({ type: P.ACK, bytes }) });
  const deliver = (callback, chunk) => {
    const bytes = costOf(chunk.byteLength);
    let result;
    try {
      result = callback?.(chunk);
    } finally {
      if (typeof result?.then === "function") result.then(() => acks.consumed(bytes), () => acks.consumed(bytes));
      else acks.consumed(bytes);
    }
  };

  worker.onmessage = ({ data: msg }) => {
    if (done) return; // terminated: output still queued for the page is dropped, not delivered
    switch (msg.type) {
      case P.READY:
        for (const [m, t] of outbox) worker.postMessage(m, t);
        outbox = null;
        break;
      case P.STARTED: startedMode(msg.blocking); break;
      case P.STDOUT: deliver(options.stdout, msg.data); break;
      case P.STDERR: deliver(options.stderr, msg.data); break;
      case P.EVENT: options.onEvent?.(msg.event); break;
      case P.STDIN_REQUEST: sabWriter?.serve(); break;
      case P.EXIT:
        try {
          if (memfs && msg.files) replaceContents(memfs, msg.files);
          finish(() => settle.resolve({ exitCode: msg.exitCode }));
        } catch (e) {
          finish(() => settle.reject(e));
        }
        break;
      case P.ERROR: {
        const err = new Error(msg.message);
        err.name = msg.name;
        err.stack = msg.stack || err.stack;
        finish(() => settle.reject(err));
        break;
      }
    }
  };
  worker.onerror = (e) => { e.preventDefault?.(); finish(() => settle.reject(new Error(`cove worker: ${e.message ?? "failed to load"}`))); };
  worker.onmessageerror = () => finish(() => settle.reject(new Error("cove worker: a message could not be decoded")));

  let stdinBytes = given === undefined ? undefined : toBytes(given);
  if (useSab && stdinBytes) {
    pipe.write(stdinBytes); // in "sab" mode the page answers every read, these bytes first
    stdinBytes = undefined;
  }
  send({
    type: P.START, engine: engineModule, wasm: wasmForWorker(wasm), args: options.args, env: options.env, files,
    stdin: stdinBytes, stdinOpen: open, blocking,
    stdinChannel, opfs: options.opfs, policy: options.policy, returnFiles: Boolean(memfs),
    outputWindow, ackChannel, stubImports,
  }, files ? snapshotBuffers(files) : []);

  return {
    /** Resolves to { exitCode } when the guest exits; rejects with the guest's trap or load error. */
    exited,
    /** Resolves to the blocking mode the worker runs with ("jspi" | "sab" | "none"; null if it never started). */
    blocking: startedPromise,
    writeStdin(data) {
      if (useSab) pipe.write(data);
      else {
        const bytes = toBytes(data);
        send({ type: P.STDIN, data: bytes }, [bytes.buffer]);
      }
    },
    endStdin() {
      if (useSab) pipe.end();
      else send({ type: P.STDIN_END });
    },
    /** Stop the guest now; `exited` resolves to { exitCode: null, terminated: true }. */
    terminate() {
      finish(() => settle.resolve({ exitCode: null, terminated: true }));
    },
  };
}

/** Run `wasm` to completion in a Worker: { exitCode, stdout, stderr } (strings, like run()). */
export async function runInWorker(wasm, options = {}) {
  const max = maxOutputOf(options.maxOutput);
  const out = new OutputCollector("stdout", max, options.stdout ?? options.onStdout);
  const err = new OutputCollector("stderr", max, options.stderr ?? options.onStderr);
  // Past maxOutput the guest is stopped (as run() on this thread stops it) and the error thrown.
  // The user's callback's result passes through, so a Promise from it holds the guest back.
  const collect = (collector) => (c) => {
    try {
      return collector.push(c);
    } catch {
      job.terminate();
    }
  };
  const job = startWorker(wasm, { ...options, stdin: options.stdin ?? "", stdout: collect(out), stderr: collect(err) });
  const { exitCode } = await job.exited;
  if (out.error || err.error) throw out.error ?? err.error;
  const text = (collector) => new TextDecoder().decode(collector.bytes());
  return { exitCode, stdout: text(out), stderr: text(err) };
}
