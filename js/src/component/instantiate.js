// The plan runner (docs/components.md, "Instantiation"): builds a component instance by running
// the steps the engine computed (plan.rs in crate/component) over fresh index spaces, with the
// core modules compiled once per compiled component.
import { booleanOption, validateObject } from "../errors.js";
import { trap } from "./trap.js";
import { HandleTable, ResourceType, resourceDrop, resourceNew, resourceRep } from "./resources.js";
import { FlatReader, allocate, checkPointer, liftFlat, load, lowerFlat, store } from "./table-driven.js";
import { trampolinesFor } from "./trampolines.js";
import { WasiFunction, WasiHost, WasiInstance, WasiResource, wasiInterface } from "./wasi-host.js";
import { compileCoreModule } from "./core-module.js";

const MAX_FLAT_PARAMS = 16;
const MAX_FLAT_RESULTS = 1;

/** What a compiled component holds: the plan and its compiled core modules. */
export class CompiledComponent {
  constructor(plan, bytes) {
    for (const t of plan.types) if (t.k === "option") t.nested = plan.types[t.cases[1][1]].k === "option";
    this.plan = plan;
    this.modules = plan.modules.map((module) => compileCoreModule(bytes, module));
    this.trampolines = new Map();
  }
}

/** Component functions that came from the JS host (their top-level `result` is value-or-throw). */
const hostFunctions = new WeakSet();
/** Lifted functions → their signature, for the JS-facing export wrappers. */
const liftedSignatures = new WeakMap();

/** An imported instance as JS gave it: members by kebab name or lowerCamelCase. */
class HostInstance {
  constructor(name, object) {
    this.name = name;
    this.object = object;
    this.types = new Map();
  }
  get(member, kind) {
    const o = this.object;
    // lowerCamelCase first, as jco looks members up; then the kebab name.
    const camel = lowerCamel(member);
    let value = camel in o ? o[camel] : o[member];
    if (value === undefined && kind === "type") value = o[pascal(member)];
    if (value === undefined && kind === "func") value = resourceMember(o, member);
    return hostValue(`${this.name}#${member}`, kind, value, this.types, member);
  }
}

/** `[constructor]r`, `[method]r.m`, `[static]r.m` of an imported interface, from r's JS class. */
function resourceMember(o, member) {
  const m = /^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$/.exec(member);
  if (!m) return undefined;
  const cls = o[pascal(m[2])] ?? o[m[2]];
  if (typeof cls !== "function") return undefined;
  if (m[1] === "constructor") return (...args) => new cls(...args);
  const key = lowerCamel(m[3]);
  if (m[1] === "static") return typeof cls[key] === "function" ? (...args) => cls[key](...args) : undefined;
  return (self, ...args) => {
    if (typeof self?.[key] !== "function") throw new TypeError(`${cls.name}.prototype.${key} is not a function`);
    return self[key](...args);
  };
}

function lowerCamel(kebab) {
  return kebab.split("-").map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join("");
}

function pascal(kebab) {
  return kebab.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join("");
}

/** A JS-provided import as the graph uses it. `types` memoises resource types by name. */
function hostValue(what, kind, value, types, name) {
  switch (kind) {
    case "func":
      // A member left out fails when the guest calls it (as with jco), so partial imports work.
      if (value === undefined) {
        value = () => {
          throw new TypeError(`import "${what}" was not provided`);
        };
      }
      if (typeof value !== "function") throw new TypeError(`import "${what}" must be a function, got ${typeof value}`);
      hostFunctions.add(value);
      return value;
    case "instance":
      if (value === null || typeof value !== "object") throw new TypeError(`import "${what}" must be an object of its interface's members, got ${value === undefined ? "nothing" : typeof value}`);
      return value instanceof HostInstance ? value : new HostInstance(what, value);
    case "type": {
      let rt = types.get(name);
      if (!rt) {
        rt = new ResourceType(null, null, typeof value === "function" ? value.name : pascal(name.replace(/^.*[/:]/, "")), typeof value === "function" ? value : null);
        types.set(name, rt);
      }
      return rt;
    }
    case "module":
      if (!(value instanceof WebAssembly.Module)) throw new TypeError(`import "${what}" must be a WebAssembly.Module`);
      return value;
    default:
      if (value === undefined) throw new TypeError(`import "${what}" is missing`);
      return value;
  }
}

/** The `imports` member for a component import name: exact, without `@version`, plain, camel. */
function findImport(imports, name) {
  if (name in imports) return imports[name];
  const unversioned = name.replace(/@[^/]*$/, "");
  if (unversioned in imports) return imports[unversioned];
  const plain = unversioned.replace(/^.*\//, "");
  if (plain !== unversioned && plain in imports) return imports[plain];
  const camel = lowerCamel(plain);
  if (camel in imports) return imports[camel];
  const cls = pascal(plain);
  if (cls in imports) return imports[cls];
  return resourceMember(imports, name);
}

/** One component instance: its index spaces and the canonical ABI's per-instance state. */
class Frame {
  constructor(parent) {
    this.parent = parent;
    this.modules = [];
    this.coreInstances = [];
    this.func = [];
    this.table = [];
    this.memory = [];
    this.global = [];
    this.tag = [];
    this.funcs = [];
    this.values = [];
    this.types = [];
    this.instances = [];
    this.components = [];
    this.exports = Object.create(null);
    this.handles = new HandleTable();
    this.mayLeave = true;
    this.mayEnter = true;
    // Task-local storage (context.get/set) of the call running in this instance.
    this.context = [0, 0];
    this.backpressure = 0;
  }
  space(kind) {
    switch (kind) {
      case "module": return this.modules;
      case "component": return this.components;
      case "instance": return this.instances;
      case "func": return this.funcs;
      case "value": return this.values;
      case "type": return this.types;
    }
  }
}

function coreSpace(frame, kind) {
  return frame[kind];
}

function exportOf(instance, name, kind) {
  if (instance instanceof HostInstance) return instance.get(name, kind);
  if (instance instanceof WasiInstance) return instance.host.member(instance, name, kind);
  if (!(name in instance)) throw new TypeError(`instance has no export "${name}"`);
  return instance[name];
}

/**
 * Runs component definition `def` with `args` (a function name, kind → value) and returns its
 * exports by name. `options.tableDriven` forces the table-driven canonical ABI.
 */
function run(compiled, def, parent, args, options) {
  const { plan } = compiled;
  const frame = new Frame(parent);
  for (const step of plan.components[def]) {
    switch (step[0]) {
      case "module": frame.modules.push(compiled.modules[step[1]]); break;
      case "component": frame.components.push({ def: step[1], parent: frame }); break;
      case "core-instantiate": {
        const imports = {};
        for (const [name, i] of step[2]) imports[name] = frame.coreInstances[i];
        frame.coreInstances.push(new WebAssembly.Instance(frame.modules[step[1]], imports).exports);
        break;
      }
      case "core-instance": {
        const exports = {};
        for (const [name, kind, i] of step[1]) exports[name] = coreSpace(frame, kind)[i];
        frame.coreInstances.push(exports);
        break;
      }
      case "core-alias": {
        const inst = frame.coreInstances[step[2]];
        coreSpace(frame, step[1]).push(inst[step[3]]);
        break;
      }
      case "alias": frame.space(step[1]).push(exportOf(frame.instances[step[2]], step[3], step[1])); break;
      case "outer": {
        let f = frame;
        for (let i = 0; i < step[2]; i++) f = f.parent;
        frame.space(step[1]).push(f.space(step[1])[step[3]]);
        break;
      }
      case "type": frame.types.push(null); break;
      case "resource": frame.types.push(new ResourceType(frame, step[1] < 0 ? null : frame.func[step[1]], "")); break;
      case "import": frame.space(step[2]).push(args(step[1], step[2])); break;
      case "export": {
        const value = frame.space(step[2])[step[3]];
        frame.space(step[2]).push(value);
        frame.exports[step[1]] = value;
        if (step[2] === "type" && value instanceof ResourceType && !value.name) value.name = pascal(step[1]);
        break;
      }
      case "instantiate": {
        const component = frame.components[step[1]];
        const given = new Map(step[2].map(([name, kind, i]) => [name, frame.space(kind)[i]]));
        const childArgs = (name) => {
          if (!given.has(name)) throw new TypeError(`nested component import "${name}" was not given`);
          return given.get(name);
        };
        frame.instances.push(run(compiled, component.def, component.parent, childArgs, options));
        break;
      }
      case "instance": {
        const exports = Object.create(null);
        for (const [name, kind, i] of step[1]) exports[name] = frame.space(kind)[i];
        frame.instances.push(exports);
        break;
      }
      case "lift": frame.funcs.push(lift(compiled, frame, step, options)); break;
      case "lower": frame.func.push(lower(compiled, frame, step, options)); break;
      case "resource.new": {
        const rt = frame.types[step[1]];
        frame.func.push((rep) => resourceNew(frame, rt, rep));
        break;
      }
      case "resource.rep": {
        const rt = frame.types[step[1]];
        frame.func.push((i) => resourceRep(frame, rt, i >>> 0));
        break;
      }
      case "resource.drop": {
        const rt = frame.types[step[1]];
        if (rt instanceof WasiResource) frame.func.push(rt.host.drop(rt, frame));
        else frame.func.push((i) => resourceDrop(frame, rt, i >>> 0));
        break;
      }
      case "context.get": {
        const slot = step[1];
        frame.func.push(() => frame.context[slot]);
        break;
      }
      case "context.set": {
        const slot = step[1];
        frame.func.push((v) => { frame.context[slot] = v; });
        break;
      }
      case "backpressure": {
        const delta = step[1];
        frame.func.push(() => { frame.backpressure += delta; });
        break;
      }
      case "builtin":
        if (step[1] === "start") throw new TypeError("component start functions are not supported by Cove yet");
        frame.func.push(() => {
          if (!frame.mayLeave) trap("cannot leave component instance");
          trap(`canonical builtin ${step[1]} is not supported by Cove yet`);
        });
        break;
      default: throw new Error(`unknown plan step ${step[0]}`);
    }
  }
  return frame.exports;
}

/** The call context of a canonical function's options in `frame`. */
function context(compiled, frame, opts) {
  return {
    inst: frame,
    memory: opts.memory < 0 ? null : frame.memory[opts.memory],
    realloc: opts.realloc < 0 ? null : frame.func[opts.realloc],
    encoding: opts.encoding,
    types: compiled.plan.types,
    rts: frame.types,
    scope: null,
    lent: null,
    dv: undefined,
    dvShared: false,
  };
}

/** `canon lift`: a JS function (JS values in and out) calling core function `step[1]`. */
function lift(compiled, frame, step, options) {
  const [, coreIndex, sigIndex, opts] = step;
  const sig = compiled.plan.signatures[sigIndex];
  if (opts.async || sig.async) throw new TypeError("async component functions are not supported by Cove yet");
  const core = frame.func[coreIndex];
  const postReturn = opts.postReturn < 0 ? null : frame.func[opts.postReturn];
  const cx = context(compiled, frame, opts);
  // Under JSPI the core function may suspend in a WASI import: it runs as
  // WebAssembly.promising, and the lifted function is async (the table-driven path awaits it).
  const promising = options.suspending ? suspendable(core) : null;
  const fast = options.tableDriven || promising ? null : trampolinesFor(compiled, sigIndex, "lift");
  const fn = fast ? fast(cx, core, postReturn) : liftTableDriven(cx, sig, promising ?? core, postReturn, promising !== null);
  liftedSignatures.set(fn, sig);
  return fn;
}

/** `core` as WebAssembly.promising, or null when it is not a WebAssembly function. */
function suspendable(core) {
  try {
    return WebAssembly.promising(core);
  } catch {
    return null;
  }
}

/** `awaited`: `core` returns a Promise (JSPI), and so does the lifted function. */
function liftTableDriven(cx, sig, core, postReturn, awaited) {
  const { types } = cx;
  const params = sig.params.map((p) => types[p[2]]);
  const result = sig.result < 0 ? null : types[sig.result];
  const frame = cx.inst;
  const enter = (args, scope) => {
    frame.context = [0, 0];
    cx.scope = scope;
    if (sig.flatParams > MAX_FLAT_PARAMS) {
      const ptr = allocate(cx, sig.paramsAlign, sig.paramsSize);
      for (let i = 0; i < params.length; i++) store(cx, params[i], args[i], ptr + sig.paramOffsets[i]);
      return [ptr];
    }
    const flat = [];
    for (let i = 0; i < params.length; i++) lowerFlat(cx, params[i], args[i], flat);
    return flat;
  };
  const leave = (ret, scope) => {
    let value;
    if (result) {
      cx.lent = [];
      if (sig.flatResults > MAX_FLAT_RESULTS) {
        const ptr = ret >>> 0;
        checkPointer(cx, ptr, result);
        value = load(cx, result, ptr);
      } else {
        value = liftFlat(cx, result, new FlatReader([ret]));
      }
    }
    if (postReturn) {
      frame.mayLeave = false;
      try {
        if (result) postReturn(ret); else postReturn();
      } finally {
        frame.mayLeave = true;
      }
    }
    if (scope.borrows !== 0) trap("borrow handles still remain at the end of the call");
    return value;
  };
  if (awaited) {
    return async function lifted(...args) {
      if (!frame.mayEnter) trap("cannot enter component instance");
      frame.mayEnter = false;
      const scope = { borrows: 0 };
      try {
        return leave(await core(...enter(args, scope)), scope);
      } finally {
        frame.mayEnter = true;
      }
    };
  }
  return function lifted(...args) {
    if (!frame.mayEnter) trap("cannot enter component instance");
    frame.mayEnter = false;
    const scope = { borrows: 0 };
    try {
      return leave(core(...enter(args, scope)), scope);
    } finally {
      frame.mayEnter = true;
    }
  };
}

/** `canon lower`: a core function calling component function `step[1]` (JS values). */
function lower(compiled, frame, step, options) {
  const [, funcIndex, sigIndex, opts] = step;
  const sig = compiled.plan.signatures[sigIndex];
  if (opts.async || sig.async) throw new TypeError("async component functions are not supported by Cove yet");
  let callee = frame.funcs[funcIndex];
  if (callee instanceof WasiFunction) return callee.host.lower(callee, context(compiled, frame, opts), sig);
  if (hostFunctions.has(callee) && sig.result >= 0 && compiled.plan.types[sig.result].k === "result") callee = resultFromThrow(callee);
  const cx = context(compiled, frame, opts);
  const fast = options.tableDriven ? null : trampolinesFor(compiled, sigIndex, "lower");
  return fast ? fast(cx, callee) : lowerTableDriven(cx, sig, callee);
}

function lowerTableDriven(cx, sig, callee) {
  const { types } = cx;
  const params = sig.params.map((p) => types[p[2]]);
  const result = sig.result < 0 ? null : types[sig.result];
  const frame = cx.inst;
  return function lowered(...core) {
    if (!frame.mayLeave) trap("cannot leave component instance");
    const lent = [];
    cx.lent = lent;
    let args;
    if (sig.flatParams > MAX_FLAT_PARAMS) {
      const ptr = core[0] >>> 0;
      checkPointer(cx, ptr, { align: sig.paramsAlign, size: sig.paramsSize });
      args = params.map((t, i) => load(cx, t, ptr + sig.paramOffsets[i]));
    } else {
      const r = new FlatReader(core);
      args = params.map((t) => liftFlat(cx, t, r));
    }
    let value;
    try {
      value = callee(...args);
    } finally {
      for (const e of lent) e.lends--;
    }
    if (!result) return;
    cx.scope = null;
    if (sig.flatResults > MAX_FLAT_RESULTS) {
      const ptr = core[core.length - 1] >>> 0;
      checkPointer(cx, ptr, result);
      store(cx, result, value, ptr);
      return;
    }
    const out = [];
    lowerFlat(cx, result, value, out);
    return out[0];
  };
}

/** A host function for a `result`-returning import: a throw becomes `err` with its payload. */
function resultFromThrow(fn) {
  return (...args) => {
    try {
      return { tag: "ok", val: fn(...args) };
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw e;
      return { tag: "err", val: e !== null && typeof e === "object" && "payload" in e ? e.payload : e };
    }
  };
}

export class ResultError extends Error {
  constructor(payload) {
    super(typeof payload === "string" ? payload : `component function returned err${payload === undefined ? "" : `: ${describe(payload)}`}`);
    this.name = "ComponentResultError";
    this.payload = payload;
  }
}

function describe(v) {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x));
  } catch {
    return String(v);
  }
}

/** The JS exports object: functions by kebab name and lowerCamelCase, instances nested. */
function exportsObject(compiled, exports) {
  const out = {};
  for (const [name, value] of Object.entries(exports)) {
    const js = jsValue(compiled, value);
    if (js === undefined) continue;
    out[name] = js;
    const plain = name.replace(/@[^/]*$/, "").replace(/^.*\//, "");
    if (typeof value === "function") {
      const camel = lowerCamel(plain);
      if (!(camel in out)) out[camel] = js;
    } else if (value instanceof ResourceType) {
      const cls = pascal(plain);
      if (!(cls in out)) out[cls] = js;
    } else if (plain !== name && !(plain in out)) {
      out[plain] = js;
    }
  }
  attachResourceMembers(out, exports);
  return out;
}

/** `[constructor]r`, `[method]r.m`, `[static]r.m` exports become members of r's class. */
function attachResourceMembers(out, exports) {
  for (const name of Object.keys(exports)) {
    const m = /^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$/.exec(name);
    if (!m) continue;
    const rt = exports[m[2]];
    if (!(rt instanceof ResourceType) || !rt.impl) continue;
    const cls = rt.classFor();
    const fn = out[name];
    if (m[1] === "constructor") rt.ctor = fn;
    else if (m[1] === "method") {
      Object.defineProperty(cls.prototype, lowerCamel(m[3]), {
        configurable: true, writable: true,
        value: function (...args) { return fn(this, ...args); },
      });
    } else {
      Object.defineProperty(cls, lowerCamel(m[3]), { configurable: true, writable: true, value: fn });
    }
  }
}

function jsValue(compiled, value) {
  if (typeof value === "function") return topLevel(compiled, value);
  if (value instanceof ResourceType) return value.impl ? value.classFor() : value.hostClass ?? undefined;
  if (value instanceof HostInstance) return value.object;
  if (value && typeof value === "object" && !(value instanceof WebAssembly.Module)) return exportsObject(compiled, value);
  return value;
}

function topLevel(compiled, fn) {
  const sig = liftedSignatures.get(fn);
  if (!sig || sig.result < 0 || compiled.plan.types[sig.result].k !== "result") return fn;
  return (...args) => {
    const r = fn(...args);
    if (r.tag === "err") throw new ResultError(r.val);
    return r.val;
  };
}

/**
 * The root's exports as the graph holds them, and the WASI preview 2 host serving the wasi:*
 * imports `imports` leaves out (null when there are none): a WasiHost, or `options.wasi` to make
 * one from (WASI options or a WASI object; docs/preview2.md).
 */
function instantiateRaw(compiled, imports, options, makeWasi) {
  validateObject(imports, "imports");
  validateObject(options, "options");
  const tableDriven = booleanOption("options.tableDriven", options.tableDriven, false);
  if (options.wasi !== undefined && !(options.wasi instanceof WasiHost)) validateObject(options.wasi, "options.wasi");
  const servedByCove = (name) => wasiInterface(name) !== undefined && findImport(imports, name) === undefined;
  const { plan } = compiled;
  const wasiImports = importsServedByCove(compiled, imports);
  let host = null;
  if (wasiImports && options.wasi instanceof WasiHost) host = options.wasi;
  else if (wasiImports) {
    host = new WasiHost(options.wasi ?? {}, makeWasi);
    host.unbufferStdout();
  }
  const types = new Map();
  const args = (name, kind) => {
    if (host && kind === "instance" && servedByCove(name)) return host.instance(name, wasiInterface(name));
    const value = findImport(imports, name);
    if (value === undefined && kind !== "type") throw new TypeError(`import "${name}" is missing from the imports object`);
    return hostValue(name, kind, value, types, name);
  };
  const exports = run(compiled, plan.root, null, args, { tableDriven, suspending: host?.blocking === "jspi" });
  return { exports, host };
}

/** Whether `compiled` imports a WASI 0.2 interface that `imports` leaves to Cove's p2 host. */
export function importsServedByCove(compiled, imports) {
  const { plan } = compiled;
  const servedByCove = (name) => wasiInterface(name) !== undefined && findImport(imports ?? {}, name) === undefined;
  return plan.components[plan.root].some((s) => s[0] === "import" && s[2] === "instance" && servedByCove(s[1]));
}

/** Instantiates `compiled` with `imports`; returns `{ exports }`. `makeWasi(options)`: lazy.js's. */
export function instantiateCompiled(compiled, imports = {}, options = {}, makeWasi) {
  return { exports: exportsObject(compiled, instantiateRaw(compiled, imports, options, makeWasi).exports) };
}

/**
 * run() of a command component: instantiates it on the context of `wasi` (a WASI object) and
 * runs its `wasi:cli/run@0.2.x#run` as start() runs `_start`; resolves to the exit code
 * (`run` returning err exits with 1, as wasmtime does).
 */
export function runCommand(compiled, wasi) {
  const host = new WasiHost(wasi);
  const { exports } = instantiateRaw(compiled, {}, { wasi: host });
  const name = Object.keys(exports).find((n) => /^wasi:cli\/run@0\.2\.\d+/.test(n));
  const run = name && exports[name]?.run;
  if (typeof run !== "function") {
    throw new TypeError("the component does not export wasi:cli/run@0.2.x#run, so it is not a command (a wasm32-wasip2 program is one)");
  }
  const exitFor = (result) => {
    if (result?.tag === "err") host.context.exit(1);
  };
  return host.context.start(host.blocking === "jspi" ? async () => exitFor(await run()) : () => exitFor(run()));
}
