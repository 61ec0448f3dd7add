// Resources (docs/components.md, "Resources"): resource types, one handle table per component
// instance, borrow scopes, and the JS objects that stand for handles held by the host.
import { trap } from "./trap.js";

/** The handle a JS object stands for: `{ rt, rep, owned, dropped }`. */
export const HANDLE = Symbol("cove.handle");

/** A resource type: `impl` is the component instance that defined it (null: the JS host). */
export class ResourceType {
  constructor(impl, dtor, name, hostClass) {
    this.impl = impl;
    this.dtor = dtor;
    this.name = name;
    this.hostClass = hostClass ?? null;
    // Host resources: the rep numbers handed to guests for JS objects, and back.
    this.objects = new Map();
    this.reps = new WeakMap();
    this.nextRep = 1;
    this.guestClass = null;
    // The exported `[constructor]` of a guest-defined resource, when there is one.
    this.ctor = null;
  }

  describe() {
    return this.impl ? "guest-defined resource" : "host-defined resource";
  }

  /** The class whose instances stand for this guest-defined resource's handles in JS. */
  classFor() {
    if (this.guestClass) return this.guestClass;
    const rt = this;
    const name = this.name || "Resource";
    this.guestClass = ({ [name]: class {
      constructor(...args) {
        if (!rt.ctor) throw new TypeError(`${name} has no constructor exported; instances come from the component's functions`);
        const made = rt.ctor(...args);
        this[HANDLE] = made[HANDLE];
        made[HANDLE] = undefined;
      }
      [Symbol.dispose]() {
        const h = this[HANDLE];
        if (!h || !h.owned || h.dropped) return;
        h.dropped = true;
        rt.destroy(h.rep);
      }
    } })[name];
    return this.guestClass;
  }

  /** A JS object for a handle of this guest-defined resource. */
  wrap(rep, owned) {
    const obj = Object.create(this.classFor().prototype);
    obj[HANDLE] = { rt: this, rep, owned, dropped: false };
    return obj;
  }

  /** Runs the destructor of a guest-defined resource (its instance must be enterable). */
  destroy(rep) {
    if (!this.dtor) return;
    if (!this.impl.mayEnter) trap("cannot enter component instance");
    this.dtor(rep);
  }

  /** The rep of a host object (host-defined resources), numbering it on first sight. */
  repOf(obj) {
    let rep = this.reps.get(obj);
    if (rep === undefined) {
      rep = this.nextRep++;
      this.reps.set(obj, rep);
      this.objects.set(rep, obj);
    }
    return rep;
  }
}

function wrongType(i, expected, found) {
  const what = expected.impl && found.impl ? "a different guest-defined resource" : found.describe();
  trap(`handle index ${i} used with the wrong type, expected ${expected.describe()} but found ${what}`);
}

/** One component instance's handles: index 0 is never valid; freed slots are reused. */
export class HandleTable {
  constructor() {
    this.entries = [null];
    this.free = [];
  }

  add(entry) {
    if (this.free.length) {
      const i = this.free.pop();
      this.entries[i] = entry;
      return i;
    }
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  get(i, rt) {
    const e = i < this.entries.length ? this.entries[i] : null;
    if (!e) trap(`unknown handle index ${i >>> 0}`);
    if (rt && e.rt !== rt) wrongType(i, rt, e.rt);
    return e;
  }

  remove(i, rt) {
    const e = this.get(i, rt);
    this.entries[i] = null;
    this.free.push(i);
    return e;
  }
}

/** `canon resource.new`: a new owned handle in `inst`'s table. */
export function resourceNew(inst, rt, rep) {
  if (!inst.mayLeave) trap("cannot leave component instance");
  return inst.handles.add({ rt, rep, own: true, lends: 0, scope: null });
}

/** `canon resource.rep`. */
export function resourceRep(inst, rt, i) {
  return inst.handles.get(i, rt).rep;
}

/** `canon resource.drop`: an owned handle runs the destructor, a borrow ends. */
export function resourceDrop(inst, rt, i) {
  if (!inst.mayLeave) trap("cannot leave component instance");
  const e = inst.handles.get(i, rt);
  if (e.own && e.lends) trap("cannot remove owned resource while borrowed");
  inst.handles.remove(i);
  if (!e.own) {
    e.scope.borrows--;
    return;
  }
  if (rt.impl) {
    if (rt.impl !== inst) rt.destroy(e.rep);
    else if (rt.dtor) rt.dtor(e.rep);
  } else {
    const obj = rt.objects.get(e.rep);
    rt.objects.delete(e.rep);
    if (obj) rt.reps.delete(obj);
    obj?.[Symbol.dispose]?.();
  }
}

/** Lifting `own<T>` out of `inst`'s table: the handle leaves it; the value is a JS object. */
export function liftOwn(inst, rt, i) {
  const e = inst.handles.get(i, rt);
  if (e.lends) trap("cannot remove owned resource while borrowed");
  if (!e.own) trap(`cannot lift own resource from a borrow (handle index ${i})`);
  inst.handles.remove(i);
  return toObject(e.rt, e.rep, true);
}

/** Lifting `borrow<T>` from `inst`'s table for the duration of a call (`lent` collects owners). */
export function liftBorrow(inst, rt, i, lent) {
  const e = inst.handles.get(i, rt);
  if (e.own) {
    e.lends++;
    lent.push(e);
  }
  return toObject(e.rt, e.rep, false);
}

function toObject(rt, rep, owned) {
  if (rt.impl) return rt.wrap(rep, owned);
  const obj = rt.objects.get(rep);
  if (owned) {
    rt.objects.delete(rep);
    rt.reps.delete(obj);
  }
  return obj;
}

/** The rep and type of a JS value standing for a handle (`rt`: the type expected, if known). */
function handleOf(value, rt, own) {
  const h = value?.[HANDLE];
  if (h) {
    if (rt && h.rt !== rt) throw new TypeError(`expected a handle of resource ${rt.name || "(unnamed)"}, got one of ${h.rt.name || "another resource"}`);
    if (h.dropped) throw new TypeError(`resource ${h.rt.name || ""} handle was already dropped or moved`);
    if (own) {
      if (!h.owned) throw new TypeError(`a borrowed ${h.rt.name || "resource"} cannot be passed where ownership is expected`);
      h.dropped = true;
    }
    return h;
  }
  if (rt && !rt.impl && value !== null && (typeof value === "object" || typeof value === "function")) {
    if (rt.hostClass && !(value instanceof rt.hostClass)) throw new TypeError(`expected an instance of ${rt.hostClass.name}`);
    return { rt, rep: rt.repOf(value) };
  }
  throw new TypeError(`expected a resource handle${rt?.name ? ` (${rt.name})` : ""}, got ${value === null ? "null" : typeof value}`);
}

/** Lowering `own<T>` into `inst`'s table. */
export function lowerOwn(inst, rt, value) {
  const h = handleOf(value, rt, true);
  return inst.handles.add({ rt: h.rt, rep: h.rep, own: true, lends: 0, scope: null });
}

/** Lowering `borrow<T>` into `inst`: its implementer gets the rep, anyone else a borrow handle. */
export function lowerBorrow(inst, rt, value, scope) {
  const h = handleOf(value, rt, false);
  if (h.rt.impl === inst) return h.rep;
  scope.borrows++;
  return inst.handles.add({ rt: h.rt, rep: h.rep, own: false, lends: 0, scope });
}
