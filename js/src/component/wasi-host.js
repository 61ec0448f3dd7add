// WASI preview 2 for components (docs/preview2.md): every `wasi:*@0.2.x` import the embedder did
// not supply is served by the Cove engine's p2 host, one engine export per function
// (docs/engine-abi.md "Preview 2"), on a context made by `new WASI` from the same options as
// run(). A lowered import's core function is a forwarder: it points the context at the lowering's
// memory and realloc, calls the engine export with the guest's flat values and acts on the
// signal the engine may have raised meanwhile (trap, exit, blocked).
// Nothing of the preview-1 graph is imported here: the WASI object lends what is needed
// (wasi.js COMPONENT_HOST), so bundlers split the p1 page as before (scripts/size.mjs).
import { trap } from "./trap.js";

const COMPONENT_HOST = Symbol.for("cove.componentHost");

const MAX_FLAT_PARAMS = 16;
const MAX_FLAT_RESULTS = 1;

/** `wasi:cli/run@0.2.6` → `wasi:cli/run`; undefined for what is not a WASI 0.2 interface. */
export function wasiInterface(name) {
  const m = /^(wasi:[a-z0-9-]+\/[a-z0-9-]+)@0\.2\.\d+(?:-[0-9A-Za-z.-]+)?$/.exec(name);
  return m ? m[1] : undefined;
}

// Signals the engine raises during a call (its `p2_signal` import).
const TRAP = 1, EXIT = 2, BLOCKED = 3;
const NO_MEMORY = new Uint8Array(0);

/** An imported WASI interface: its members are served by the engine, not by JS values. */
export class WasiInstance {
  constructor(host, name, iface) {
    this.host = host;
    this.name = name; // as imported: wasi:cli/stdout@0.2.6
    this.iface = iface; // as the engine names it: wasi:cli/stdout
  }
}

/** A function of a WASI interface, before `canon lower` turns it into a forwarder. */
export class WasiFunction {
  constructor(instance, name) {
    this.host = instance.host;
    this.instance = instance;
    this.name = name;
  }
}

/** A resource type of a WASI interface: its handles live in the engine's p2 table. */
export class WasiResource {
  constructor(instance, name) {
    this.host = instance.host;
    this.instance = instance;
    this.name = name;
  }

  /** Why a handle of this type cannot become a JS value (docs/preview2.md). */
  crossing() {
    return new TypeError(`a ${this.instance.name}#${this.name} handle cannot be passed to or from JavaScript: Cove serves WASI resources inside its engine, so they only move between the component and its WASI imports`);
  }
}

/** The core types a lowered function of signature `sig` has: { params, results }. */
export function loweredCoreType(sig, types) {
  let params = [];
  if (sig.flatParams > MAX_FLAT_PARAMS) params = ["i32"];
  else for (const p of sig.params) params.push(...types[p[2]].flat);
  let results = [];
  if (sig.result >= 0) {
    if (sig.flatResults > MAX_FLAT_RESULTS) params.push("i32");
    else results = types[sig.result].flat;
  }
  return { params, results };
}

/** Functions that may wait (for stdin, a clock): under JSPI they are WebAssembly.Suspending. */
const mayBlock = (name) => name.includes("blocking") || name === "poll" || name === "[method]pollable.block";

const CORE_TYPE_CODES = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

/**
 * The p2 host of one component instance (or one run): a WASI context and the forwarders into
 * it. `wasi` is a WASI object (run() makes one) or the options `makeWasi` makes one from.
 */
export class WasiHost {
  constructor(wasi, makeWasi) {
    const owned = typeof wasi?.[COMPONENT_HOST] !== "function";
    this.wasi = owned ? makeWasi(wasi) : wasi;
    const c = this.wasi[COMPONENT_HOST]();
    if (typeof c.E.p2_cannot_wait !== "function") {
      throw new TypeError("options.wasi: this WASI object lives in Cove's preview-1 engine, made before a component first loaded the full engine (docs/engine-abi.md \"Two engines\"); pass WASI options instead, or make the WASI object after that first component");
    }
    this.context = c;
    this.blocking = c.blocking;
    this.instances = new Map();
    this.resources = new Map();
    const binding = c.binding;
    binding.signal = 0;
    binding.signalValue = undefined;
    binding.reallocFn = null;
    binding.reallocFrame = null;
    const utf8 = new TextDecoder();
    binding.p2Signal = (kind, a, b) => {
      binding.signal = kind;
      // A trap's message is UTF-8 at (a, b) in engine memory: read it before anything moves it.
      binding.signalValue = kind === TRAP ? utf8.decode(binding.engine.bytes().subarray(a >>> 0, (a >>> 0) + (b >>> 0))) : a;
    };
    binding.guestRealloc = (oldPtr, oldSize, align, newSize) => {
      const fn = binding.reallocFn;
      const frame = binding.reallocFrame;
      if (!fn) {
        binding.pendingError ??= new WebAssembly.RuntimeError("the component's WASI import has no realloc option, but its result needs memory");
        return -1;
      }
      frame.mayLeave = false;
      try {
        return fn(oldPtr >>> 0, oldSize >>> 0, align >>> 0, newSize >>> 0) >>> 0;
      } catch (e) {
        binding.pendingError ??= e;
        return -1;
      } finally {
        frame.mayLeave = true;
      }
    };
    // Where this thread can neither suspend (JSPI) nor sleep on Atomics for stdin, a call that
    // would wait gets the engine's non-blocking answer instead (docs/engine-abi.md).
    if (c.blocking !== "jspi" && c.blocking !== "sab") c.E.p2_cannot_wait(c.ctx);
  }

  /** instantiate(): exports return to JS with no exit to flush stdout at, as for a reactor. */
  unbufferStdout() {
    this.context.E.unbuffer_stdout(this.context.ctx);
  }

  /** The instance standing for import `name` (a WASI 0.2 interface, `iface` without version). */
  instance(name, iface) {
    let inst = this.instances.get(name);
    if (!inst) this.instances.set(name, (inst = new WasiInstance(this, name, iface)));
    return inst;
  }

  /** A member of `instance` as the component graph uses it (`kind`: "func" or "type"). */
  member(instance, name, kind) {
    if (kind === "func") return new WasiFunction(instance, name);
    if (kind === "type") {
      const key = `${instance.name}#${name}`;
      let rt = this.resources.get(key);
      if (!rt) this.resources.set(key, (rt = new WasiResource(instance, name)));
      return rt;
    }
    throw new TypeError(`import "${instance.name}" has no ${kind} "${name}" (Cove's WASI preview 2 host serves functions and resource types)`);
  }

  /** The engine export serving `name` of `instance`, checked against the lowering's core type. */
  #export(instance, name, core) {
    const { iface } = instance;
    const fn = this.context.E[`p2:${iface}#${name}`];
    const what = `import "${instance.name}#${name}"`;
    if (typeof fn !== "function") throw new WebAssembly.LinkError(`${what}: Cove's WASI preview 2 host does not provide this function`);
    if (core) {
      const codes = (types) => Uint8Array.from(types, (t) => CORE_TYPE_CODES[t]);
      const problem = this.context.checkImport(instance.name, name, codes(core.params), codes(core.results));
      if (problem) throw new WebAssembly.LinkError(problem);
    }
    return fn;
  }

  /** `canon lower` of a WASI function: the core function the guest calls. */
  lower(func, cx, sig) {
    const fn = this.#export(func.instance, func.name, loweredCoreType(sig, cx.types));
    return this.#forwarder(fn, cx.inst, cx.memory, cx.realloc, mayBlock(func.name));
  }

  /** `canon resource.drop` of a WASI resource type. */
  drop(rt, frame) {
    const fn = this.#export(rt.instance, `[resource-drop]${rt.name}`, { params: ["i32"], results: [] });
    return this.#forwarder(fn, frame, null, null, false);
  }

  #forwarder(fn, frame, memory, realloc, blocks) {
    const { binding, blocking, callSuspending, callWaiting } = this.context;
    const holder = this.context.holder; // referenced so the context lives while the guest can call
    const call = (args) => {
      if (memory && binding.memory !== memory) {
        binding.memory = memory;
        binding.u8 = NO_MEMORY;
      }
      binding.reallocFn = realloc;
      binding.reallocFrame = frame;
      binding.signal = 0;
      return fn(holder.ctx, ...args);
    };
    const isBlocked = () => binding.signal === BLOCKED;
    const done = (r) => (binding.signal !== 0 || binding.pendingError ? this.#settle(r) : r);
    const enter = () => {
      if (!frame.mayLeave) trap("cannot leave component instance");
    };
    if (blocks && blocking === "jspi") {
      return new WebAssembly.Suspending((...args) => {
        enter();
        return callSuspending(binding, () => call(args), isBlocked, done);
      });
    }
    if (blocks && blocking === "sab") {
      return (...args) => {
        enter();
        return done(callWaiting(binding, () => call(args), isBlocked));
      };
    }
    return (...args) => {
      enter();
      return done(call(args));
    };
  }

  /** After an engine call that raised a signal or during which a user callback threw. */
  #settle(r) {
    const binding = this.context.binding;
    const e = binding.pendingError;
    if (e) {
      binding.pendingError = null;
      throw e;
    }
    const signal = binding.signal;
    binding.signal = 0;
    if (signal === TRAP) trap(binding.signalValue);
    if (signal === EXIT) this.context.exit(binding.signalValue | 0);
    // Only the functions mayBlock() names wait; the engine answers the others at once.
    if (signal === BLOCKED) throw new Error("cove: a WASI preview 2 call asked to wait where Cove cannot wait for it (a bug in Cove)");
    return r;
  }
}
