// How a guest waits in a browser: for stdin that has not been typed yet, and for poll_oneoff sleeps.
//
// The engine never blocks by itself (docs/engine-abi.md): when stdin is empty it asks JS, and JS
// either waits synchronously (returns data), or says "would block" so the syscall returns BLOCKED
// and a JSPI forwarder can await and retry. Three ways, best first:
//   "jspi" — WebAssembly.Suspending/promising (Chromium 137+, Node 24+): the guest's stack is
//            suspended while the event loop runs; works on the main thread and in Workers, needs
//            no cross-origin isolation.
//   "sab"  — SharedArrayBuffer + Atomics.wait, only inside a Worker of a crossOriginIsolated page
//            (COOP/COEP headers): the worker sleeps on a shared word, and the page answers stdin
//            requests by writing into shared memory (the page itself can never Atomics.wait).
//            Reads never wait inside the engine: an empty stdin is "would block", and the
//            forwarder waits on the shared word (with a poll's timeout, if any) and calls again.
//   "none" — neither: reads return what is already there, else EAGAIN ("would block") until the
//            page ends stdin (then EOF); sleeps return at once, so a guest's sleep takes ~0 ms.
//            Stdin given up front (a string or bytes) behaves exactly as in the other modes.
// Everything here is platform-neutral JS (no Node built-ins, no DOM).

import { SENTINEL } from "./wasi-errno.js";

/** Returned by a stdin source when nothing is buffered yet and the writer has not ended. */
export const WOULD_BLOCK = Symbol("cove.wouldBlock");

export function hasJspi() {
  return typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
}

/** True in a Worker (or Node) whose realm may both create SharedArrayBuffers and Atomics.wait. */
export function canAtomicsWait() {
  if (typeof SharedArrayBuffer !== "function" || globalThis.crossOriginIsolated === false) return false;
  const isWindow = typeof globalThis.document === "object";
  return !isWindow;
}

/** The blocking mode "auto" resolves to in this realm ("jspi" | "sab" | "none"). */
export function detectBlocking(requested = "auto") {
  if (requested !== "auto") {
    if (requested === "jspi" && !hasJspi()) throw new Error("blocking: \"jspi\" requested but this engine has no WebAssembly.Suspending");
    if (requested === "sab" && !canAtomicsWait()) throw new Error("blocking: \"sab\" needs a Worker of a crossOriginIsolated page");
    if (!["jspi", "sab", "none"].includes(requested)) throw new Error(`blocking: expected "auto", "jspi", "sab" or "none", got ${JSON.stringify(requested)}`);
    return requested;
  }
  if (hasJspi()) return "jspi";
  if (canAtomicsWait()) return "sab";
  return "none";
}

/**
 * A pipe a page (or the Worker runner) writes and the guest's stdin reads. `read(max)` never
 * waits: it returns bytes, `null` at EOF, or WOULD_BLOCK; `readable()` resolves when a read
 * would return something other than WOULD_BLOCK (JSPI awaits it).
 */
export class StdinPipe {
  #chunks = [];
  #ended = false;
  #waiters = [];

  write(data) {
    if (this.#ended) throw new Error("stdin: write after end");
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
    if (bytes.length) this.#chunks.push(bytes);
    this.#wake();
  }

  end() {
    this.#ended = true;
    this.#wake();
  }

  get ended() { return this.#ended; }

  read(max) {
    if (!this.#chunks.length) return this.#ended ? null : WOULD_BLOCK;
    const head = this.#chunks[0];
    if (head.length <= max) {
      this.#chunks.shift();
      return head;
    }
    this.#chunks[0] = head.subarray(max);
    return head.subarray(0, max);
  }

  readable() {
    if (this.#chunks.length || this.#ended) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake() {
    for (const w of this.#waiters.splice(0)) w();
  }
}

// --- SharedArrayBuffer channel between a Worker (reader) and its page (writer) ---
// Layout: Int32 [0] state (0 idle, 1 request pending, 2 answered), [1] answer length
// (-1 = EOF), [2] requested max; bytes from offset 16. One request at a time.
const STATE = 0, LENGTH = 1, MAX = 2, HEADER_BYTES = 16;
const IDLE = 0, REQUESTED = 1, ANSWERED = 2;
const SAB_STDIN_BYTES = 64 * 1024;

export function createStdinChannel() {
  return new SharedArrayBuffer(HEADER_BYTES + SAB_STDIN_BYTES);
}

/**
 * Worker side. `read(max)` never waits: it returns the page's answer if one came, else posts a
 * request (once) and returns WOULD_BLOCK; `waitSync(ms)` sleeps on the shared word until the
 * page answers or `ms` pass ("timed-out"). `notify()` tells the page a request is waiting (a
 * postMessage: the page cannot wait).
 */
export class SabStdinReader {
  constructor(sab, notify) {
    this.words = new Int32Array(sab, 0, 4);
    this.bytes = new Uint8Array(sab, HEADER_BYTES);
    this.notify = notify;
    this.eof = false;
  }

  read(max) {
    if (this.eof) return null;
    const state = Atomics.load(this.words, STATE);
    if (state === ANSWERED) {
      const n = Atomics.load(this.words, LENGTH);
      const chunk = n < 0 ? null : this.bytes.slice(0, n);
      Atomics.store(this.words, STATE, IDLE);
      if (chunk === null) this.eof = true;
      return chunk;
    }
    if (state === IDLE) {
      Atomics.store(this.words, MAX, Math.min(max, this.bytes.length));
      Atomics.store(this.words, STATE, REQUESTED);
      this.notify();
    }
    return WOULD_BLOCK;
  }

  waitSync(ms = Infinity) {
    return Atomics.wait(this.words, STATE, REQUESTED, ms);
  }
}

/** Page side: answers a pending request from `pipe` as soon as it has data (or has ended). */
export class SabStdinWriter {
  constructor(sab, pipe) {
    this.words = new Int32Array(sab, 0, 4);
    this.bytes = new Uint8Array(sab, HEADER_BYTES);
    this.pipe = pipe;
    this.serving = false;
  }

  /** Called when the worker posts a request; answers now or when the pipe becomes readable. */
  async serve() {
    if (this.serving) return;
    this.serving = true;
    try {
      while (Atomics.load(this.words, STATE) === REQUESTED) {
        const chunk = this.pipe.read(Atomics.load(this.words, MAX));
        if (chunk === WOULD_BLOCK) {
          await this.pipe.readable();
          continue;
        }
        if (chunk === null) Atomics.store(this.words, LENGTH, -1);
        else {
          this.bytes.set(chunk);
          Atomics.store(this.words, LENGTH, chunk.length);
        }
        Atomics.store(this.words, STATE, ANSWERED);
        Atomics.notify(this.words, STATE);
      }
    } finally {
      this.serving = false;
    }
  }
}

// --- per-context set-up, called by wasi.js for its `blocking` option ---

const { BLOCKED } = SENTINEL;
/** Imports whose engine call can return BLOCKED: they wait on stdin or on a clock. */
const MAY_BLOCK = ["fd_read", "poll_oneoff"];
const POLL_STDIN_MS = 10; // a stdin callback without readable(): how often JSPI re-checks it

/**
 * How a WASI's context waits, for its `blocking` option; throws for a mode this realm cannot
 * do (the constructor asks before it allocates anything). `requested` undefined keeps the
 * host's synchronous default (node:wasi-like `start()`: "sync" where Atomics.wait works, else
 * "none"); "auto" may pick "jspi", after which `start()` returns a Promise.
 */
export function blockingMode(requested) {
  return requested === undefined ? (canAtomicsWait() ? "sync" : "none") : detectBlocking(requested);
}

/** Installs the engine's `block` hook for `mode` (from `blockingMode`) on a context's binding (wasi.js). */
export function setUpBlocking(mode, binding) {
  if (mode === "none") binding.block = () => 0; // sleeps return at once (documented above)
  if (mode === "jspi" || mode === "sab") {
    trackStdin(binding);
    binding.block = (ns) => {
      if (binding.sleptFor !== undefined) { binding.sleptFor = undefined; return 0; } // we waited it out
      // "sab" sleeps right here unless stdin is also awaited (a poll on stdin with a timeout).
      if (mode === "sab" && !binding.stdinSource?.wanted) {
        sleepSync(ns);
        return 0;
      }
      binding.sleepNs = ns;
      return 1;
    };
  }
  return mode;
}

/** Remember when the engine found stdin empty, so a retry waits on stdin only then. */
function trackStdin(binding) {
  const source = binding.stdinSource;
  if (typeof source !== "function" && typeof source?.read !== "function") return;
  const read = typeof source === "function" ? source : (max) => source.read(max);
  const tracked = {
    wanted: false,
    read(max) {
      const chunk = read(max);
      if (typeof chunk === "symbol" || chunk?.length === 0) tracked.wanted = true;
      return chunk;
    },
    readable: typeof source.readable === "function" ? () => source.readable() : undefined,
    waitSync: typeof source.waitSync === "function" ? (ms) => source.waitSync(ms) : undefined,
  };
  binding.stdinSource = tracked;
}

let sleepWord;
function sleepSync(ns) {
  sleepWord ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleepWord, 0, 0, ns / 1e6);
}

/** Forget what an earlier call waited for: this call's engine run records its own needs. */
function startCall(binding) {
  binding.sleepNs = undefined;
  if (binding.stdinSource?.wanted) binding.stdinSource.wanted = false;
}

/** wasi.js: give the imports that may block the forwarders of this context's mode. */
export function blockingImports(mode, imports, engineExports, ctx, binding, settle) {
  if (mode === "jspi") suspendingImports(imports, engineExports, ctx, binding, settle);
  if (mode === "sab") waitingImports(imports, engineExports, ctx, binding, settle);
  return imports;
}

/**
 * "sab": calls `call()` until `blocked(result)` is false, waiting synchronously between tries —
 * on the stdin channel (up to a poll's timeout) or for the sleep. Returns the last result, a
 * blocked one when this thread has nothing to wait for (the caller's non-blocking answer).
 */
export function callWaiting(binding, call, blocked) {
  for (;;) {
    startCall(binding);
    const r = call();
    if (!blocked(r)) return r;
    const source = binding.stdinSource;
    const sleepNs = binding.sleepNs;
    if (source?.wanted && source.waitSync) {
      source.wanted = false;
      if (source.waitSync(sleepNs === undefined ? Infinity : sleepNs / 1e6) === "timed-out") binding.sleptFor = sleepNs;
    } else if (sleepNs !== undefined) {
      sleepSync(sleepNs);
      binding.sleptFor = sleepNs;
    } else {
      return r;
    }
  }
}

/**
 * "jspi": the body of a WebAssembly.Suspending import. Calls `call()`; while `blocked(result)`,
 * awaits stdin or the requested sleep and calls again (the engine changed nothing before
 * answering "blocked"). `done(result)` finishes the call either way.
 */
export function callSuspending(binding, call, blocked, done) {
  startCall(binding);
  const r = call();
  if (!blocked(r)) return done(r);
  return (async () => {
    for (;;) {
      await waitForProgress(binding);
      const again = call();
      if (!blocked(again)) return done(again);
    }
  })();
}

const isBlocked = (r) => r === BLOCKED;

/** "sab": the imports that may block wait (callWaiting) and call the engine again. */
function waitingImports(imports, engineExports, ctx, binding, settle) {
  for (const name of MAY_BLOCK) {
    const fn = engineExports[`p1_${name}`];
    if (!fn || !imports[name]) continue;
    imports[name] = (...args) => {
      const r = callWaiting(binding, () => fn(ctx, ...args), isBlocked);
      return r > 0xffff || binding.pendingError ? settle(r) : r; // still BLOCKED: EAGAIN
    };
  }
}

/**
 * "jspi": replace the imports that may block with WebAssembly.Suspending forwarders
 * (callSuspending). Other results go through `settle` (wasi.js's slow path).
 */
function suspendingImports(imports, engineExports, ctx, binding, settle) {
  const done = (r) => (r > 0xffff || binding.pendingError ? settle(r) : r);
  for (const name of MAY_BLOCK) {
    const fn = engineExports[`p1_${name}`];
    if (!fn || !imports[name]) continue;
    imports[name] = new WebAssembly.Suspending((...args) => callSuspending(binding, () => fn(ctx, ...args), isBlocked, done));
  }
  return imports;
}

/**
 * Resolves "sleep" once performance.now() — the guest's monotonic clock — has advanced by `ms`:
 * a browser may fire a timer up to a millisecond early by that clock, and a sleep must not end
 * before its deadline. `onTimer` receives each pending timer so the caller can cancel it.
 */
function sleepAtLeast(ms, onTimer) {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const check = () => {
      const left = end - performance.now();
      if (left <= 0) resolve("sleep");
      else onTimer(setTimeout(check, left));
    };
    onTimer(setTimeout(check, ms));
  });
}

/** Await whatever the last BLOCKED call was waiting for: stdin data, a sleep's end, or both. */
async function waitForProgress(binding) {
  const source = binding.stdinSource;
  const sleepNs = binding.sleepNs;
  binding.sleepNs = undefined;
  const waits = [];
  let timer;
  if (source?.wanted) {
    source.wanted = false;
    waits.push(typeof source.readable === "function"
      ? source.readable().then(() => "stdin")
      : new Promise((r) => setTimeout(() => r("stdin"), POLL_STDIN_MS)));
  }
  if (sleepNs !== undefined) waits.push(sleepAtLeast(sleepNs / 1e6, (t) => { timer = t; }));
  if (!waits.length) waits.push(new Promise((r) => setTimeout(() => r("stdin"), POLL_STDIN_MS)));
  const woken = await Promise.race(waits);
  clearTimeout(timer);
  if (woken === "sleep") binding.sleptFor = sleepNs;
}
