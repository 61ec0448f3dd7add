// Loads the engine (crate/wasm, built by scripts/build.mjs into js/engine/) and serves its
// `cove_host` imports: numbers in, numbers out, bytes copied between the guest's memory and the
// engine's (docs/engine-abi.md, docs/boundary.md). Host-specific entries (node.js, browser.js) supply
// the compiled module; nothing here touches Node or DOM APIs.
import * as glue from "../engine/cove_wasm.js";
import { ERRNO, errnoOfCode } from "./wasi-errno.js";

/** Host filesystem backends (nodefs.js, opfs.js), indexed by the id the engine passes back. */
const hostBackends = [];

/** Makes `backend` (see hostfsImports) reachable from the engine; returns its id. */
export function registerBackend(backend) {
  let id = hostBackends.indexOf(undefined);
  if (id < 0) id = hostBackends.push(backend) - 1;
  else hostBackends[id] = backend;
  return id;
}

export function unregisterBackend(id) {
  hostBackends[id] = undefined;
}

/** Lets backends close what they keep open only for speed (nodefs.js: cached directories). */
export function releaseCachedHandles(ids) {
  for (const id of ids) hostBackends[id]?.release?.();
}

/** Context ids: the low bits name the slot the engine's imports use (crate/wasm contexts.rs). */
const SLOT_MASK = (1 << 20) - 1;
export const slotOf = (ctx) => ctx & SLOT_MASK;

const utf8 = new TextDecoder();
const RANDOM_CHUNK = 65536; // crypto.getRandomValues' limit per call

const hasSharedArrayBuffer = typeof SharedArrayBuffer === "function";
// Remembered for the last view asked about: `instanceof` on every syscall showed in profiles.
let sharedCheckedView = null;
let sharedCheckedResult = false;
function isShared(view) {
  if (view !== sharedCheckedView) {
    sharedCheckedView = view;
    sharedCheckedResult = hasSharedArrayBuffer && view.buffer instanceof SharedArrayBuffer;
  }
  return sharedCheckedResult;
}

// Small random requests are served from a pool refilled by one crypto.getRandomValues call:
// in Node each call costs ~3.7 us whatever its size (a 16-byte random_get was 90 % of the
// clockrandom benchmark). Every pooled byte is handed out once and then zeroed.
export const RANDOM_POOLED_MAX = 256;
const randomPool = new Uint8Array(4096);
let randomPoolAt = randomPool.length;

/** Copies `len` (at most RANDOM_POOLED_MAX) pooled random bytes to `dest` at `at`. */
export function fillFromRandomPool(dest, at, len) {
  if (randomPoolAt + len > randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomPoolAt = 0;
  }
  const end = randomPoolAt + len;
  for (let i = randomPoolAt; i < end; i++) dest[at++] = randomPool[i];
  randomPool.fill(0, randomPoolAt, end);
  randomPoolAt = end;
}

// --- host filesystems (crate/wasm/src/hostfs.rs) ---------------------------------------------
//
// A backend is a JS object with one-name operations, called synchronously; the engine has
// already resolved the path, so a backend never sees more than one component:
//   root() -> node        metadata(node, justAnswered) -> { ino, filetype, nlink, size, atim, mtim, ctim }
//     (justAnswered: node is what the last lookup or createFile of this same engine call
//     returned; only then may the answer come from what that operation saw)
//   lookup(dir, name) -> node   [lookupEntry(dir, name) -> [node, filetype], optional, faster]
//   readlink(node) -> string    readdir(dir) -> [{ name, ino, filetype }] (no . and ..)
//   createFile(dir, name) -> node   createDir(dir, name)   symlink(dir, name, target)
//   link(node, dir, name)   unlink(dir, name)   rmdir(dir, name)   rename(fromDir, from, toDir, to)
//   read(node, offset, buf) -> n   write(node, offset, data) -> n   setSize(node, size)
//   setTimes(node, atimKind, mtimKind, atim, mtim, now)  (kinds: 0 keep, 1 now, 2 at; bigint ns)
//   opened(node, writable)   closed(node)   sync(node)   [release(), optional: see releaseCachedHandles]
// Nodes are numbers (< 2^53); times are bigint or number nanoseconds; names are strings. A
// failure is thrown: an object with a numeric WASI `errno`, or a Node error with a `code`.


/** The WASI errno for an exception a backend threw (EIO when it is not a filesystem error). */
export function errnoOf(e) {
  if (typeof e?.errno === "number" && e.errno > 0 && !e.code) return e.errno;
  return errnoOfCode(e?.code) ?? ERRNO.EIO;
}

/** Names up to this many bytes are decoded without TextDecoder when they are ASCII. */
const SHORT_NAME = 64;

const META = { ino: 0, nlink: 8, size: 16, atim: 24, mtim: 32, ctim: 40, filetype: 48 };
const bigint = (v) => (typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v ?? 0))));

/** `f` returns a number; failures become -errno. */
function numberCall(f) {
  try {
    return f();
  } catch (e) {
    return -errnoOf(e);
  }
}

/** `f` returns nothing; the result is an errno. */
function voidCall(f) {
  try {
    f();
    return 0;
  } catch (e) {
    return errnoOf(e);
  }
}

/** Copies `bytes` to buf (capacity cap) in engine memory `e` when they fit; returns the length needed. */
function sized(e, bytes, buf, cap) {
  buf >>>= 0;
  if (bytes.length <= cap >>> 0) e.set(bytes, buf);
  return bytes.length;
}

const encoder = new TextEncoder();

function encodeListing(entries) {
  const names = entries.map((e) => encoder.encode(e.name));
  const out = new Uint8Array(names.reduce((n, b) => n + 13 + b.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  entries.forEach((e, i) => {
    view.setUint32(at, names[i].length, true);
    out.set(names[i], at + 4);
    at += 4 + names[i].length;
    out[at] = e.filetype;
    view.setBigUint64(at + 1, bigint(e.ino), true);
    at += 9;
  });
  return out;
}

/**
 * The `hostfs_*` imports of one engine instance, over its memory. Pointers and lengths arrive
 * as signed i32: each is read as the u32 it is (`>>> 0`), so an engine past 2 GiB works.
 */
function hostfsImports(engineBytes, engineDataView, bytesAt) {
  // A short ASCII name (most are) is read byte by byte: TextDecoder's fixed cost and the
  // subarray it needs were most of the JS time of a host-directory lookup besides the lstat.
  const name = (ptr, len) => {
    ptr >>>= 0;
    len >>>= 0;
    if (len > SHORT_NAME) return utf8.decode(bytesAt(ptr, len));
    const e = engineBytes();
    let text = "";
    for (let i = ptr; i < ptr + len; i++) {
      if (e[i] >= 0x80) return utf8.decode(bytesAt(ptr, len));
      text += String.fromCharCode(e[i]);
    }
    return text;
  };
  // A listing or link target longer than the engine's first buffer is asked for again at once,
  // with a buffer of exactly the length the first call returned (crate/wasm hostfs.rs `sized`).
  // That retry gets the bytes the first call produced instead of a second listing (on a host
  // directory of 2,000 files, 2,000 more lstats). Only the very next sized call can take them,
  // and only for the same backend, node and that capacity: the engine's first call of any
  // answer offers less than what was kept, so a kept answer is never served to a later call.
  let unfit = null;
  function sizedAnswer(kind, fs, node, buf, cap, produce) {
    const kept = unfit;
    unfit = null;
    cap >>>= 0;
    const bytes = kept?.kind === kind && kept.fs === fs && kept.node === node && kept.bytes.length === cap ? kept.bytes : produce();
    if (bytes.length > cap) unfit = { kind, fs, node, bytes };
    return sized(engineBytes(), bytes, buf, cap);
  }
  return {
    hostfs_root: (fs) => hostBackends[fs].root(),
    hostfs_metadata: (fs, node, out, justAnswered) => voidCall(() => {
      const m = hostBackends[fs].metadata(node, justAnswered === 1);
      const view = engineDataView();
      // Field by field: iterating Object.entries(META) allocated 7 arrays on every stat.
      out >>>= 0;
      view.setBigUint64(out + META.ino, bigint(m.ino), true);
      view.setBigUint64(out + META.nlink, bigint(m.nlink), true);
      view.setBigUint64(out + META.size, bigint(m.size), true);
      view.setBigUint64(out + META.atim, bigint(m.atim), true);
      view.setBigUint64(out + META.mtim, bigint(m.mtim), true);
      view.setBigUint64(out + META.ctim, bigint(m.ctim), true);
      view.setUint8(out + META.filetype, m.filetype);
    }),
    hostfs_lookup: (fs, dir, ptr, len, typeOut) => numberCall(() => {
      const b = hostBackends[fs];
      let node, filetype;
      if (b.lookupEntry) [node, filetype] = b.lookupEntry(dir, name(ptr, len));
      else {
        node = b.lookup(dir, name(ptr, len));
        filetype = b.metadata(node).filetype;
      }
      engineBytes()[typeOut >>> 0] = filetype;
      return node;
    }),
    hostfs_readlink: (fs, node, buf, cap) =>
      numberCall(() => sizedAnswer("readlink", fs, node, buf, cap, () => encoder.encode(hostBackends[fs].readlink(node)))),
    hostfs_readdir: (fs, dir, buf, cap) =>
      numberCall(() => sizedAnswer("readdir", fs, dir, buf, cap, () => encodeListing(hostBackends[fs].readdir(dir)))),
    hostfs_create_file: (fs, dir, ptr, len) => numberCall(() => hostBackends[fs].createFile(dir, name(ptr, len))),
    hostfs_create_dir: (fs, dir, ptr, len) => voidCall(() => hostBackends[fs].createDir(dir, name(ptr, len))),
    hostfs_symlink: (fs, dir, ptr, len, tptr, tlen) => voidCall(() => hostBackends[fs].symlink(dir, name(ptr, len), name(tptr, tlen))),
    hostfs_link: (fs, node, dir, ptr, len) => voidCall(() => hostBackends[fs].link(node, dir, name(ptr, len))),
    hostfs_unlink: (fs, dir, ptr, len) => voidCall(() => hostBackends[fs].unlink(dir, name(ptr, len))),
    hostfs_rmdir: (fs, dir, ptr, len) => voidCall(() => hostBackends[fs].rmdir(dir, name(ptr, len))),
    hostfs_rename: (fs, fromDir, fptr, flen, toDir, tptr, tlen) =>
      voidCall(() => hostBackends[fs].rename(fromDir, name(fptr, flen), toDir, name(tptr, tlen))),
    hostfs_read: (fs, node, offset, buf, len) => numberCall(() => hostBackends[fs].read(node, offset, bytesAt(buf, len))),
    hostfs_write: (fs, node, offset, data, len) => numberCall(() => hostBackends[fs].write(node, offset, bytesAt(data, len))),
    hostfs_set_size: (fs, node, size) => voidCall(() => hostBackends[fs].setSize(node, size)),
    hostfs_set_times: (fs, node, times) => voidCall(() => {
      const v = engineDataView();
      times >>>= 0;
      hostBackends[fs].setTimes(node, v.getUint32(times, true), v.getUint32(times + 4, true),
        v.getBigUint64(times + 8, true), v.getBigUint64(times + 16, true), v.getBigUint64(times + 24, true));
    }),
    hostfs_opened: (fs, node, writable) => voidCall(() => hostBackends[fs].opened?.(node, writable !== 0)),
    hostfs_closed: (fs, node) => { try { hostBackends[fs].closed?.(node); } catch { /* closing cannot fail the guest */ } },
    hostfs_sync: (fs, node) => voidCall(() => hostBackends[fs].sync?.(node)),
  };
}

let sleepCell = null;
/** Sleeps synchronously where the host allows it (Node, workers); false where it cannot. */
function sleepSync(ms) {
  try {
    sleepCell ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleepCell, 0, 0, ms);
    return true;
  } catch {
    return false;
  }
}

// Up to this many bytes, an aligned copy goes word by word: `set(subarray(…))` allocates a view
// (~100-140 ns for 32-64 bytes, docs/boundary.md), and a filestat (64 bytes) is written on every stat.
const SMALL_COPY = 256;

/** Copies `len` bytes (a multiple of 4) between 4-aligned byte offsets of two word views. */
function copyWords(from, fromByte, to, toByte, len) {
  let f = fromByte >>> 2;
  let t = toByte >>> 2;
  const end = f + (len >>> 2);
  while (f < end) to[t++] = from[f++];
}

/** The host's clock `clock` (0 realtime, 1 monotonic) in nanoseconds: every real clock read. */
export function hostNowNs(clock) {
  return clock === 0 ? (performance.timeOrigin + performance.now()) * 1e6 : performance.now() * 1e6;
}

/**
 * One engine instance: its exports, its memory views, its contexts' JS halves and the
 * `cove_host` imports it was instantiated with. Each instance has its own, so an instance that
 * failed (see `engineFailed`) and is replaced never touches its successor's memory or contexts
 * even if a guest of it runs on.
 */
function createEngine() {
  const engine = {
    E: null, // the raw exports
    /** JS side of each context, indexed by its slot (`slotOf`; wasi.js `Binding`). */
    contexts: [],
    /** Why the instance failed (an Error), once it has: it then serves no new context. */
    failed: null,
    /** Engine-side objects handed to JS (memfs.js Home), weakly: disarmed when the instance
     *  fails, moved when the full engine replaces it. */
    objects: new Set(),
    liveObjects: 0, // objects.size after the last sweep of collected ones
    bytes: engineBytes,
    dataView: engineDataView,
    imports: null,
  };
  const contexts = engine.contexts;
  let engineU8 = new Uint8Array(0);
  let engineU32 = new Uint32Array(0);
  let engineView = new DataView(new ArrayBuffer(0));

  /** Engine memory as bytes; views are cached and re-validated (a grown memory detaches them). */
  function engineBytes() {
    if (engineU8.length === 0) refreshEngineViews();
    return engineU8;
  }

  function engineDataView() {
    if (engineU8.length === 0) refreshEngineViews();
    return engineView;
  }

  function refreshEngineViews() {
    const buffer = engine.E.memory.buffer;
    engineU8 = new Uint8Array(buffer);
    engineU32 = new Uint32Array(buffer);
    engineView = new DataView(buffer);
  }

  /** `len` bytes of engine memory at `ptr` (both u32s passed as i32: read with `>>> 0`). */
  const bytesAt = (ptr, len) => engineBytes().subarray(ptr >>> 0, (ptr >>> 0) + (len >>> 0));

  const hostImports = {
    // Called on most syscalls (the engine range-checks output pointers before any side effect),
    // so it must not allocate: a fresh view costs 45-80 ns plus garbage. The cached view is
    // current unless memory.grow detached it (length 0); shared memory never detaches, so its
    // size is read afresh.
    guest_size(ctx) {
      const c = contexts[ctx];
      const g = c.u8;
      return g.length !== 0 && !isShared(g) ? g.length : c.guestBytes().length;
    },
    // Pointers and lengths arrive as signed i32: `>>> 0` reads them as the u32 they are, so an
    // address past 2 GiB is out of range (EFAULT) rather than a negative index from the end.
    guest_read(ctx, gptr, len, eptr) {
      gptr >>>= 0;
      len >>>= 0;
      eptr >>>= 0;
      const c = contexts[ctx];
      let g = c.u8;
      if (g.length === 0 || gptr + len > g.length) {
        g = c.guestBytes();
        if (gptr + len > g.length) return 1;
      }
      const e = engineU8.length === 0 ? engineBytes() : engineU8;
      if (len <= 16) for (let i = 0; i < len; i++) e[eptr + i] = g[gptr + i];
      else if (len <= SMALL_COPY && ((gptr | eptr | len) & 3) === 0) copyWords(c.u32, gptr, engineU32, eptr, len);
      else e.set(g.subarray(gptr, gptr + len), eptr);
      return 0;
    },
    guest_write(ctx, eptr, len, gptr) {
      gptr >>>= 0;
      len >>>= 0;
      eptr >>>= 0;
      const c = contexts[ctx];
      let g = c.u8;
      if (g.length === 0 || gptr + len > g.length) {
        g = c.guestBytes();
        if (gptr + len > g.length) return 1;
      }
      const e = engineU8.length === 0 ? engineBytes() : engineU8;
      if (len <= 16) for (let i = 0; i < len; i++) g[gptr + i] = e[eptr + i];
      else if (len <= SMALL_COPY && ((gptr | eptr | len) & 3) === 0) copyWords(engineU32, eptr, c.u32, gptr, len);
      else g.set(e.subarray(eptr, eptr + len), gptr);
      return 0;
    },
    // Every other engine pointer and length is read as unsigned too (`>>> 0`).
    out_write: (ctx, fd, eptr, len) => contexts[ctx].writeOut(fd, bytesAt(eptr, len)),
    in_read: (ctx, eptr, max) => contexts[ctx].readIn(eptr >>> 0, max >>> 0),
    now: hostNowNs,
    random_fill(eptr, len) {
      eptr >>>= 0;
      len >>>= 0;
      if (len <= RANDOM_POOLED_MAX) return fillFromRandomPool(engineBytes(), eptr, len);
      for (let off = 0; off < len; off += RANDOM_CHUNK) {
        crypto.getRandomValues(engineBytes().subarray(eptr + off, eptr + Math.min(len, off + RANDOM_CHUNK)));
      }
    },
    block: (ctx, ns) => (contexts[ctx].block ? contexts[ctx].block(ns) : sleepSync(ns / 1e6) ? 0 : 1),
    event: (ctx, eptr, len) => contexts[ctx].event(utf8.decode(bytesAt(eptr, len))),
    is_terminal: (ctx, fd) => (contexts[ctx].isTerminal(fd) ? 1 : 0),
    // Preview 2 (docs/engine-abi.md, "Preview 2"): only the component runtime's contexts call them.
    p2_signal: (ctx, kind, a, b) => contexts[ctx].p2Signal(kind, a, b),
    guest_realloc: (ctx, oldPtr, oldSize, align, newSize) => contexts[ctx].guestRealloc(oldPtr, oldSize, align, newSize),
    ...hostfsImports(engineBytes, engineDataView, bytesAt),
  };
  engine.imports = hostImports;
  return engine;
}

/** The instance serving new contexts, and the one `engineImports` prepared for loading. */
let current = null;
let pending = null;
/** The compiled engine, kept to instantiate a fresh engine when the current one fails. */
let engineModule = null;

/** The import object the engine module needs (for hosts that instantiate it asynchronously). */
export function engineImports() {
  pending = createEngine();
  const imports = glue.__wbg_get_imports();
  imports.cove_host = pending.imports;
  return imports;
}

/** Completes loading once the engine module is instantiated with `engineImports()`. */
export function finishEngineLoad(instance, module) {
  const engine = pending;
  pending = null;
  engine.E = glue.__wbg_finalize_init(instance, module);
  current = engine;
  engineModule = module;
  return engine.E;
}

/** Instantiates the engine synchronously from a compiled `WebAssembly.Module`. */
export function loadEngine(module) {
  if (current) return current.E;
  return finishEngineLoad(new WebAssembly.Instance(module, engineImports()), module);
}

/**
 * The engine instance for a new context or MemFS: the current one, or a fresh instance of the
 * same module when the current one failed. Throws when no entry loaded the engine.
 */
export function currentEngine() {
  if (!current) throw new Error("cove: the engine is not loaded (import \"cove\" rather than its internal modules)");
  if (current.failed) {
    // The failed instance is left to its own contexts (they throw on their next use); the glue
    // module's functions move to the new one.
    const failed = current;
    current = null;
    loadEngine(engineModule);
    for (const ref of failed.objects) ref.deref()?.disarm(); // glue finalizers would free into the new instance
    failed.objects.clear();
  }
  return current;
}

// --- the full engine (docs/engine-abi.md "Two engines") ---------------------------------------
// A page running preview-1 modules loads the p1 engine only; the first component that needs the
// WASI 0.2 host loads the full engine (p1 + p2, same glue), which then serves every later
// context and MemFS. Host entries say how to compile it (setFullEngineSource).

let fullEngineSource = null;
let fullEngine = null; // the promise of the switch, once asked for

/** Set by the entry: `source()` returns a promise of the full engine's WebAssembly.Module. */
export function setFullEngineSource(source) {
  fullEngineSource = source;
}

/**
 * Makes the full engine current, compiling it on first use; a failed load (a network blip) is
 * retried on the next call. Resolves once new contexts and MemFS objects live in it.
 */
export function loadFullEngine() {
  if (!fullEngineSource) return Promise.reject(new Error("cove: no full engine to load (import \"cove\" rather than its internal modules)"));
  return fullEngine ??= Promise.all([fullEngineSource(), import("./memfs-move.js")]).then(([module, move]) => switchEngine(module, move), (e) => {
    fullEngine = null;
    throw e;
  });
}

/**
 * Instantiates `module` and makes it current. Each live MemFS moves along (`save`, `moveTo`:
 * memfs-move.js): its tree is read through the glue while it still serves the old instance,
 * then re-created in the new one.
 * Contexts stay in the old instance (their raw exports are its own) and finish there.
 */
function switchEngine(module, { save, moveTo }) {
  const old = currentEngine();
  const moving = [];
  for (const ref of old.objects) {
    const object = ref.deref();
    if (object) moving.push([object, save(object)]);
  }
  old.objects.clear();
  current = null;
  loadEngine(module);
  for (const [object, saved] of moving) moveTo(object, current, saved);
}

/** The current engine's raw exports (`p1_*`, `flush`, `exit_code`…). */
export function engine() {
  return currentEngine().E;
}

/**
 * Remembers an engine-side object (memfs.js Home) so it can be disarmed (`disarm()`) if its
 * engine fails and moved (memfs-move.js) if the full engine replaces it.
 */
export function trackEngineObject(engine, object) {
  if (engine.objects.size >= 64 + 2 * engine.liveObjects) {
    for (const ref of engine.objects) if (!ref.deref()) engine.objects.delete(ref);
    engine.liveObjects = engine.objects.size;
  }
  engine.objects.add(new WeakRef(object));
}

/**
 * Marks `engine` as failed: an exception or trap left it mid-call (a panic, an out-of-memory
 * abort, a host exception thrown through it), so its state cannot be trusted. The next
 * `currentEngine()` instantiates a fresh one; what lived in the failed one (its contexts and
 * MemFS objects) throws from then on (`throwIfEngineFailed`). Returns that error.
 */
export function engineFailed(engine, cause) {
  engine.failed ??= cause;
  return engineFailedError(engine);
}

/** Throws, if `engine` has failed, the error its contexts and MemFS objects throw from then on. */
export function throwIfEngineFailed(engine) {
  if (engine.failed) throw engineFailedError(engine);
}

function engineFailedError(engine) {
  const cause = engine.failed;
  return new Error(`cove: the engine this object lived in failed (${cause?.message ?? cause}); a new WASI or MemFS gets a fresh engine`, { cause });
}

export { glue };
