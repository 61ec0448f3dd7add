// The `WASI` class: a drop-in for node:wasi (same options, methods and misuse errors) whose
// every call runs in the Cove engine, plus Cove's extras (MemFS preopens, stdio callbacks,
// policy, denial events, tracing). Host-specific behaviour (Node fds, host directories,
// process exit) comes from the platform hooks installed by the entry module (node.js,
// browser.js) through `setPlatform`.
import { currentEngine, glue, slotOf, engineFailed, throwIfEngineFailed, errnoOf, registerBackend, releaseCachedHandles, unregisterBackend } from "./engine.js";
import { MemFS, memfsMount } from "./memfs.js";
import {
  invalidArgType, invalidArgValue, alreadyStarted, notStarted, invalidMemory, invalidConfig, validateObject, validateFd,
} from "./errors.js";
import { blockingMode, setUpBlocking, blockingImports, callSuspending, callWaiting } from "./blocking.js";
import { answerInJs } from "./host-answers.js";
import { ERRNO, SENTINEL } from "./wasi-errno.js";
import { policyText } from "./policy.js";
import { setWasiFactory } from "./component/lazy.js";

const { EXIT, BLOCKED, DISPOSED } = SENTINEL;
const { EIO, EAGAIN } = ERRNO;
const STDIN_FROM_HOST = 1; // context_new flags (crate/wasm config.rs)
const TRACE = 2;
const EMPTY = new Uint8Array(0);

/**
 * What differs between hosts. Node: fds are real, preopens may name host directories.
 * Browser: no fds; `hostDirectory` may serve OPFS.
 */
let platform = {
  name: "generic",
  defaultStdio: { stdin: null, stdout: null, stderr: null },
  writeFd() { throw new TypeError("file descriptors are not available on this platform"); },
  readFd() { throw new TypeError("file descriptors are not available on this platform"); },
  /** Whether a host fd is a terminal (the guest's `isatty` on stdio given as that fd). */
  isTerminal: () => false,
  /** Whether `hostDirectory` works here (Node); otherwise policy mounts name directories of `fs`. */
  hostDirectories: false,
  /** A filesystem backend (engine.js) serving a host directory, or throws. */
  hostDirectory(path) { throw new TypeError(`host directory preopens are not available on this platform (${path})`); },
  exit(code) { throw new Error(`guest exited with code ${code} (returnOnExit: false is not supported here)`); },
  traceSink: (line) => console.error(line),
  /** The host's environment as [name, value] pairs; only names the policy allows reach the guest. */
  hostEnv: () => [],
};

export function setPlatform(hooks) {
  platform = { ...platform, ...hooks };
}

/**
 * What the component path (component/wasi-host.js) reaches a context through; not public API. A
 * registered symbol, so that path need not import this module (the p1 bundle's chunks stay as
 * they were: scripts/size.mjs).
 */
export const COMPONENT_HOST = Symbol.for("cove.componentHost");

/** Thrown by proc_exit's forwarder, caught by start(); never reaches user code. */
class ExitSignal {
  constructor(code) {
    this.code = code;
  }
}

const encoder = new TextEncoder();

/** The JS half of one engine context: guest memory view, stdio, events (engine.js calls it). */
class Binding {
  memory = null;
  u8 = new Uint8Array(0);
  /** The same memory as 32-bit words, for small aligned copies (engine.js guest_read/write). */
  u32 = new Uint32Array(0);
  /** An exception thrown by a user callback during an engine call, rethrown once it returns. */
  pendingError = null;

  constructor({ stdin, stdout, stderr, onEvent, trace }) {
    this.stdinSource = stdin;
    this.stdinAhead = null; // bytes a stdin callback returned beyond what the guest asked for
    this.outputs = [null, stdout, stderr];
    this.onEvent = onEvent;
    this.trace = trace;
  }

  guestBytes() {
    if (this.memory) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.u32 = new Uint32Array(this.memory.buffer);
    }
    // An export called before start()/initialize() (node:wasi parity): the call fails with
    // EFAULT and its forwarder throws this, rather than the guest aborting on its own.
    else this.pendingError ??= notStarted();
    return this.u8;
  }

  writeOut(fd, bytes) {
    const out = this.outputs[fd];
    try {
      if (typeof out === "function") out(bytes.slice());
      else if (typeof out === "number") platform.writeFd(out, bytes);
      return 0;
    } catch (e) {
      // A host fd failing (EPIPE: the reader went away) is the guest's errno, as in node:wasi;
      // only exceptions from user callbacks propagate to the embedder.
      if (typeof out === "number" && typeof e?.code === "string") return errnoOf(e);
      this.pendingError ??= e;
      return EIO;
    }
  }

  readIn(eptr, max) {
    const source = this.stdinSource;
    try {
      if (typeof source === "number") return platform.readFd(source, this.engine.bytes(), eptr, max);
      let chunk = this.stdinAhead;
      this.stdinAhead = null;
      if (!chunk) {
        chunk = typeof source === "function" ? source(max) : source.read(max);
        if (chunk === null || chunk === undefined) return 0;
        if (typeof chunk === "symbol") return -1; // a pipe's "would block" marker
        if (typeof chunk === "string") chunk = encoder.encode(chunk);
        if (!(chunk instanceof Uint8Array)) throw new TypeError("a stdin callback must return a Uint8Array, a string or null");
        if (chunk.length === 0) return -1; // nothing yet: would block
      }
      const n = Math.min(max, chunk.length);
      this.engine.bytes().set(chunk.subarray(0, n), eptr);
      if (n < chunk.length) this.stdinAhead = chunk.slice(n);
      return n;
    } catch (e) {
      // A host fd failing is an I/O error for the guest; a user callback's exception propagates.
      if (typeof source !== "number") this.pendingError ??= e;
      return -2;
    }
  }

  /** Stdio `fd` (0-2) is a terminal when it is a host fd that is one (node:wasi parity). */
  isTerminal(fd) {
    const stream = fd === 0 ? this.stdinSource : this.outputs[fd];
    try {
      return typeof stream === "number" && platform.isTerminal(stream);
    } catch {
      return false;
    }
  }

  event(json) {
    const event = JSON.parse(json);
    try {
      if (event.type === "trace") {
        if (typeof this.trace === "function") this.trace(event.line);
        else if (this.trace) platform.traceSink(event.line);
      } else if (this.onEvent) {
        const { type, ...rest } = event;
        this.onEvent({ type, ...rest });
      }
    } catch (e) {
      this.pendingError ??= e;
    }
  }
}

/**
 * Forwarders by arity: each passes the guest's arguments straight to the engine export and
 * leaves the fast path only for a sentinel result or a user callback that threw meanwhile.
 */
function forwarder(fn, ctx, arity, binding, slow) {
  switch (arity) {
    case 0: return () => { const r = fn(ctx); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 1: return (a) => { const r = fn(ctx, a); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 2: return (a, b) => { const r = fn(ctx, a, b); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 3: return (a, b, c) => { const r = fn(ctx, a, b, c); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 4: return (a, b, c, d) => { const r = fn(ctx, a, b, c, d); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 5: return (a, b, c, d, e) => { const r = fn(ctx, a, b, c, d, e); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 6: return (a, b, c, d, e, f) => { const r = fn(ctx, a, b, c, d, e, f); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    case 7: return (a, b, c, d, e, f, g) => { const r = fn(ctx, a, b, c, d, e, f, g); return r > 0xffff || binding.pendingError ? slow(r) : r; };
    default: return (...args) => { const r = fn(ctx, ...args); return r > 0xffff || binding.pendingError ? slow(r) : r; };
  }
}

/** Frees a context once its WASI object and every forwarder are unreachable. */
const contextReaper = new FinalizationRegistry(({ engine, ctx, backends }) => disposeContext(engine, ctx, backends));

/** Frees context `ctx` of `engine` once (a slot may since serve a newer context: left alone). */
function disposeContext(engine, ctx, backends) {
  const slot = slotOf(ctx);
  if (engine.contexts[slot]?.ctx !== ctx) return;
  engine.contexts[slot] = undefined;
  if (!engine.failed) engine.E.context_drop(ctx); // a failed engine is left as it is
  releaseBackends(backends);
}

/** Unregisters a context's backends (`ids`) and closes those it opened itself (`opened`). */
function releaseBackends(backends) {
  for (const id of backends.ids.splice(0)) unregisterBackend(id);
  for (const backend of backends.opened.splice(0)) backend.close?.();
}

function disposedError() {
  return new Error("cove: this WASI instance was disposed (dispose() was called); create a new WASI to run a guest");
}

function validateStdio(value, name, input) {
  if (value === undefined || value === null) return;
  if (typeof value === "number") return validateFd(value, name);
  if (typeof value === "function") return;
  if (input && (typeof value === "string" || value instanceof Uint8Array || typeof value?.read === "function")) return;
  throw invalidArgType(name, input ? "of type number, string or function, or an instance of Uint8Array" : "of type number or function", value);
}

/** The directory `host` of `fs` as a MemFS view, for policy mount `i`. */
function fsDirectory(fs, host, i) {
  try {
    return fs.subtree(host);
  } catch (e) {
    throw invalidConfig(`policy.mounts[${i}].host: ${JSON.stringify(host)} is not a directory of options.fs (${e.code ?? e.message})`);
  }
}

function isMemFS(value) {
  return value instanceof MemFS;
}

/** A host filesystem backend object (engine.js describes the interface), e.g. an OPFS mount. */
function isBackend(value) {
  return value !== null && typeof value === "object" && typeof value.root === "function" && typeof value.lookup === "function";
}

export class WASI {
  #ctx;
  #engine; // the engine instance holding the context (engine.js createEngine)
  #binding;
  #started = false;
  #returnOnExit;
  #blocking; // how this context waits: "jspi" | "sab" | "none" (blocking.js)
  #backends = { ids: [], opened: [] }; // registered backend ids; host directories opened for this context
  #holder; // kept alive by every forwarder: the context lives while any of them can be called

  /**
   * @param {import("./index.d.ts").WASIOptions} options
   */
  constructor(options = {}) {
    validateObject(options, "options");
    const { version, args = [], env = {}, preopens = {}, returnOnExit = true, policy, onEvent, trace = false, fs, blocking } = options;
    if (typeof version !== "string") throw invalidArgType("options.version", "of type string", version);
    if (version !== "preview1") throw invalidArgValue("options.version", "unsupported WASI version", version);
    if (!Array.isArray(args)) throw invalidArgType("options.args", "an instance of Array", args);
    validateObject(env, "options.env");
    validateObject(preopens, "options.preopens");
    if (typeof returnOnExit !== "boolean") throw invalidArgType("options.returnOnExit", "of type boolean", returnOnExit);
    const stdio = { ...platform.defaultStdio };
    for (const name of ["stdin", "stdout", "stderr"]) {
      if (options[name] !== undefined) stdio[name] = options[name];
      validateStdio(stdio[name], `options.${name}`, name === "stdin");
    }
    if (policy !== undefined && (policy === null || typeof policy !== "object")) throw invalidArgType("options.policy", "of type object", policy);
    if (onEvent !== undefined && typeof onEvent !== "function") throw invalidArgType("options.onEvent", "of type function", onEvent);
    if (typeof trace !== "boolean" && typeof trace !== "function") throw invalidArgType("options.trace", "of type boolean or function", trace);
    if (fs !== undefined && !isMemFS(fs)) throw invalidArgType("options.fs", "an instance of MemFS", fs);
    // Every option is checked before anything is allocated (host directories, backend ids, the
    // engine context), so a constructor that throws leaves nothing behind.
    const waitMode = blockingMode(blocking);
    this.#returnOnExit = returnOnExit;

    const eng = currentEngine(); // a fresh instance if the last one failed
    this.#engine = eng;
    let policyJson = ""; // none: the engine's defaults, without running its JSON reader
    let checked = {}; // the policy as the engine validated it: mounts and env are read from this
    if (policy !== undefined) {
      policyJson = policyText(policy);
      try {
        glue.policy_check(policyJson);
      } catch (e) {
        throw invalidConfig(e.message);
      }
      checked = JSON.parse(policyJson) ?? {};
    }
    const mounts = [];
    // With `fs`, policy mount hosts name directories of that MemFS: how a page, which has no host
    // directories, grants parts of its filesystem (read-only or not). A policy that lists mounts
    // (even none) then decides alone what the guest sees, so `fs` is not also mounted at "/".
    const policyMounts = checked.mounts ?? [];
    const mountsInFs = fs !== undefined && Array.isArray(checked.mounts) && !platform.hostDirectories;
    if (fs && !mountsInFs && !Object.hasOwn(preopens, "/")) mounts.push(memfsMount("/", fs, false));
    try {
      for (const [guest, target] of Object.entries(preopens)) {
        if (isMemFS(target)) mounts.push(memfsMount(guest, target, false));
        else if (isBackend(target)) this.#mountBackend(mounts, guest, target, false);
        else this.#mountBackend(mounts, guest, this.#openHostDirectory(String(target), false), false);
      }
      for (const [i, mount] of policyMounts.entries()) {
        const readonly = mount.mode !== "rw"; // as the engine reads it: read-only unless "rw"
        if (mountsInFs) mounts.push(memfsMount(String(mount.guest), fsDirectory(fs, mount.host, i), readonly));
        else this.#mountBackend(mounts, String(mount.guest), this.#openHostDirectory(mount.host, readonly), readonly);
      }
      const stdinBytes = typeof stdio.stdin === "string" ? encoder.encode(stdio.stdin)
        : stdio.stdin instanceof Uint8Array ? stdio.stdin : undefined;
      // Arguments and variables cross as NUL-terminated strings end to end, the layout the guest
      // reads them in, with their counts beside them (crate/wasm config.rs). A string with a
      // NUL of its own upsets the count, and the engine refuses it.
      let argText = "";
      for (const arg of args) argText += `${arg}\0`;
      let envText = "";
      let envc = 0;
      for (const name in env) {
        if (Object.hasOwn(env, name) && env[name] !== undefined) {
          envText += `${name}\0${env[name]}\0`;
          envc += 2;
        }
      }
      let hostEnvText = "";
      let hostEnvc = 0;
      // No allow-list, no host variable can pass: don't hand the whole host environment over.
      if (checked.env?.allow?.length) {
        for (const [name, value] of platform.hostEnv()) {
          hostEnvText += `${name}\0${value}\0`;
          hostEnvc += 2;
        }
      }
      const flags = (stdinBytes === undefined && stdio.stdin != null ? STDIN_FROM_HOST : 0) | (trace ? TRACE : 0);
      try {
        this.#ctx = glue.context_new(mounts.length ? encoder.encode(JSON.stringify(mounts)) : EMPTY,
          encoder.encode(argText), args.length, encoder.encode(envText), envc,
          encoder.encode(hostEnvText), hostEnvc, flags, policyJson, stdinBytes);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) {
          throw engineFailed(eng, e);
        }
        throw invalidConfig(e.message);
      }
    } catch (e) {
      releaseBackends(this.#backends);
      throw e;
    }
    this.#binding = new Binding({ stdin: stdio.stdin, stdout: stdio.stdout, stderr: stdio.stderr, onEvent, trace });
    this.#binding.ctx = this.#ctx;
    this.#binding.engine = eng;
    eng.contexts[slotOf(this.#ctx)] = this.#binding;
    this.#blocking = setUpBlocking(waitMode, this.#binding);
    this.#holder = { ctx: this.#ctx, backends: this.#backends };
    contextReaper.register(this.#holder, { engine: eng, ctx: this.#ctx, backends: this.#backends }, this.#holder);
    this.wasiImport = this.#makeImports();
  }

  /** A host directory backend this context opens (and closes when it is freed). */
  #openHostDirectory(path, readonly) {
    const backend = platform.hostDirectory(path, readonly);
    this.#backends.opened.push(backend);
    return backend;
  }

  #mountBackend(mounts, guest, backend, readonly) {
    const id = registerBackend(backend);
    this.#backends.ids.push(id);
    mounts.push({ guest, hostfs: id, readonly });
  }

  #makeImports() {
    const E = this.#engine.E;
    const binding = this.#binding;
    const holder = this.#holder; // referenced below, so every forwarder keeps the context alive
    const slow = (r) => {
      if (binding.pendingError) {
        const e = binding.pendingError;
        binding.pendingError = null;
        throw e;
      }
      if (r === EXIT) this.#exit(E.exit_code(holder.ctx) | 0);
      if (r === BLOCKED) return EAGAIN; // only the browser's JSPI forwarders can wait and retry
      if (r === DISPOSED) throw disposedError();
      return r;
    };
    const imports = {};
    for (const name of Object.keys(E)) {
      if (!name.startsWith("p1_")) continue;
      const fn = E[name];
      imports[name.slice(3)] = forwarder(fn, holder.ctx, fn.length - 1, binding, slow);
    }
    answerInJs(E.host_answers(holder.ctx), imports, binding);
    blockingImports(this.#blocking, imports, E, holder.ctx, binding, slow);
    return imports;
  }

  /** The guest exits with `code`: its output is flushed and start() returns the code. */
  #exit(code) {
    this.#flush();
    if (!this.#returnOnExit) platform.exit(code);
    throw new ExitSignal(code);
  }

  /**
   * The context as the component path serves WASI preview 2 from it: engine exports, context id,
   * binding (memory, hooks), blocking mode and its wait loops, the import check; `exit(code)` as
   * proc_exit; `start(entry)` as start() for a component's entry (a JS function, async under
   * JSPI) returning the exit code.
   */
  [COMPONENT_HOST]() {
    return {
      E: this.#engine.E, ctx: this.#ctx, binding: this.#binding, blocking: this.#blocking, holder: this.#holder,
      callWaiting, callSuspending, checkImport: glue.p2_check_import,
      exit: (code) => this.#exit(code),
      start: (entry) => {
        this.#checkStart();
        return this.#runReleasing(entry, (f) => f);
      },
    };
  }

  /** Delivers batched stdout; a callback's exception surfaces here. */
  #flush() {
    throwIfEngineFailed(this.#engine);
    this.#engine.E.flush(this.#ctx);
    const e = this.#binding.pendingError;
    if (e) {
      this.#binding.pendingError = null;
      throw e;
    }
  }

  /** The import object to instantiate the guest with. */
  getImportObject() {
    return { wasi_snapshot_preview1: this.wasiImport };
  }

  #checkStart() {
    throwIfEngineFailed(this.#engine);
    if (this.#binding.engine.contexts[slotOf(this.#ctx)] !== this.#binding) throw disposedError();
    if (this.#started) throw alreadyStarted();
    this.#started = true;
  }

  #bind(instance) {
    this.#checkStart();
    validateObject(instance, "instance");
    validateObject(instance.exports, "instance.exports");
    const { memory } = instance.exports;
    if (!(memory instanceof WebAssembly.Memory)) throw invalidMemory("instance.exports.memory");
    this.#binding.memory = memory;
    this.#binding.guestBytes();
  }

  /**
   * Runs the command's `_start` and returns its exit code (0 when `_start` returns). A trap is
   * rethrown as the original `WebAssembly.RuntimeError`, after the guest's output is flushed.
   */
  start(instance) {
    this.#bind(instance);
    const { _start, _initialize } = instance.exports;
    if (typeof _start !== "function") throw invalidArgType("instance.exports._start", "of type function", _start);
    if (_initialize !== undefined) throw invalidArgType("instance.exports._initialize", "undefined", _initialize);
    return this.#runReleasing(_start, WebAssembly.promising);
  }

  /** Runs a command's entry; `suspendable` makes it JSPI's (see #run). */
  #runReleasing(entry, suspendable) {
    // A finished command needs no cached host descriptors (what its descriptors hold stays open
    // until dispose() or garbage collection).
    let result;
    try {
      result = this.#run(entry, suspendable);
    } finally {
      if (!(result instanceof Promise)) releaseCachedHandles(this.#backends.ids);
    }
    return result instanceof Promise ? result.finally(() => releaseCachedHandles(this.#backends.ids)) : result;
  }

  /** Prepares a reactor: calls `_initialize` when it exists. */
  initialize(instance) {
    this.#bind(instance);
    const { _start, _initialize } = instance.exports;
    if (_start !== undefined) throw invalidArgType("instance.exports._start", "undefined", _start);
    // Its exports return to JS with no exit to flush at: deliver stdout per write.
    this.#engine.E.unbuffer_stdout(this.#ctx);
    if (_initialize !== undefined) {
      if (typeof _initialize !== "function") throw invalidArgType("instance.exports._initialize", "of type function", _initialize);
      this.#run(_initialize, WebAssembly.promising);
    }
  }

  /**
   * Runs `entry` to its end; returns the exit code (0 when it returns). Under JSPI,
   * `suspendable(entry)` is what may suspend (WebAssembly.promising of a core export; a
   * component's entry is async already) and the result is a Promise.
   */
  #run(entry, suspendable) {
    // Engine calls in progress now (more when a host callback runs this guest): after an
    // exception, a higher count means it left the engine mid-call (#exited).
    const depth = this.#engine.E.engine_depth();
    if (this.#blocking === "jspi") return this.#runSuspendable(suspendable(entry), depth);
    try {
      entry();
      this.#flush();
      return 0;
    } catch (e) {
      return this.#exited(e, depth);
    }
  }

  /**
   * What an exception out of an entry point means: proc_exit (its code), an engine panic (a
   * Cove bug, reported as such), or a guest trap (rethrown after the guest's output is flushed).
   */
  #exited(e, depth) {
    if (e instanceof ExitSignal) return e.code;
    const eng = this.#engine;
    if (!eng.failed && eng.E.engine_depth() !== depth) {
      // The exception left the engine mid-call (a panic, an out-of-memory abort, a host
      // exception thrown through it): its state is suspect, so no new context will use it.
      const panic = e instanceof WebAssembly.RuntimeError ? glue.take_panic() : undefined;
      const error = panic
        ? new Error(`cove engine panic (a bug in Cove, not in the guest): ${panic}`, { cause: e })
        : new Error(`cove engine failed in a WASI call (${e?.message ?? e}); the next WASI gets a fresh engine`, { cause: e });
      engineFailed(eng, error);
      throw error;
    }
    throwIfEngineFailed(eng);
    this.#flush();
    throw e;
  }

  /** JSPI: the guest may suspend in a blocking import; resolves to the exit code. */
  async #runSuspendable(entry, depth) {
    try {
      await entry();
      this.#flush();
      return 0;
    } catch (e) {
      return this.#exited(e, depth);
    }
  }

  /** Frees the engine context now instead of at garbage collection (run() uses it). */
  dispose() {
    const eng = this.#engine;
    if (!eng.failed && eng.contexts[slotOf(this.#ctx)] === this.#binding) this.#flush();
    contextReaper.unregister(this.#holder);
    disposeContext(eng, this.#ctx, this.#backends);
  }
}

// A component's wasi:* imports get a context made exactly as `new WASI` makes one (docs/preview2.md).
setWasiFactory((options) => new WASI({ returnOnExit: true, ...options, version: "preview1" }));
