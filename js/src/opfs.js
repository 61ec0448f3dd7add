// An OPFS (Origin Private File System) directory as a Cove filesystem backend, for Workers.
//
// The engine calls its filesystem synchronously (crate/wasm/src/hostfs.rs), but only file *data*
// has a synchronous OPFS API (FileSystemSyncAccessHandle, Workers only); creating, listing,
// renaming and removing entries are all async. So:
//   - `openOPFS(name)` walks the directory once (async) and opens a sync access handle on every
//     file: reads, writes, truncation and flush then go straight to OPFS, synchronously.
//   - The directory tree lives in memory. Creating, removing and renaming entries change it at
//     once and mark it dirty; `reconcile()` brings OPFS in line with it asynchronously, whenever
//     the guest gives the event loop a turn (JSPI waits) and always in `flush()` / `close()`.
//     A file created (or moved) since the last reconcile keeps its bytes in memory until then.
// Limits: no symlinks or hard links (ENOTSUP); atime/mtime changes are kept in memory only (OPFS
// has no way to set them); each file holds an exclusive lock while open, so one Worker at a time
// may mount a directory (a second `openOPFS` of it fails with a clear error).
import { ERRNO } from "./wasi-errno.js";

const E = Object.fromEntries(["ACCES", "EXIST", "INVAL", "IO", "ISDIR", "NOENT", "NOTDIR", "NOTEMPTY", "NOTSUP"].map((n) => [n, ERRNO[`E${n}`]]));
const FILETYPE = { dir: 3, file: 4 };

/** A failure the engine sees as a WASI errno. */
export class FsError extends Error {
  constructor(errno, message = `errno ${errno}`) {
    super(message);
    this.errno = errno;
  }
}
const fail = (errno) => { throw new FsError(errno); };
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

class Node {
  constructor(ino, type, parent, name) {
    Object.assign(this, { ino, type, parent, name, opens: 0 });
    this.children = type === "dir" ? new Map() : null;
    this.dirHandle = null; // FileSystemDirectoryHandle once it exists in OPFS
    this.access = null; // FileSystemSyncAccessHandle of a file that exists in OPFS
    this.mem = type === "file" ? new Uint8Array(0) : null; // bytes of a file not (yet) in OPFS
    this.size = 0; // length of `mem` in use
    const t = nowNs();
    this.atim = t; this.mtim = t; this.ctim = t;
  }
}

export class OpfsFs {
  #nodes = new Map();
  #nextIno = 1;
  #chain = Promise.resolve(); // reconciles run one after another
  #scheduled = false;
  #dirty = false;
  #closed = false;
  #errors = [];

  constructor(dirHandle) {
    this.rootNode = this.#add("dir", null, "");
    this.rootNode.dirHandle = dirHandle;
  }

  #add(type, parent, name) {
    const node = new Node(this.#nextIno++, type, parent, name);
    this.#nodes.set(node.ino, node);
    parent?.children.set(name, node);
    return node;
  }

  #node(ino) {
    return this.#nodes.get(ino) ?? fail(E.NOENT);
  }

  #dir(ino) {
    const n = this.#node(ino);
    return n.type === "dir" ? n : fail(E.NOTDIR);
  }

  #file(ino) {
    const n = this.#node(ino);
    return n.type === "file" ? n : fail(E.ISDIR);
  }

  /** Walk the OPFS directory into memory and open every file (called by openOPFS). */
  async load(node = this.rootNode) {
    for await (const [name, handle] of node.dirHandle.entries()) {
      if (handle.kind === "directory") {
        const child = this.#add("dir", node, name);
        child.dirHandle = handle;
        await this.load(child);
      } else {
        const child = this.#add("file", node, name);
        const file = await handle.getFile();
        child.mtim = child.atim = child.ctim = BigInt(file.lastModified) * 1_000_000n;
        child.access = await openAccessHandle(handle, name);
        child.mem = null;
      }
    }
  }

  // --- the Filesystem operations (crate/core/src/vfs/mod.rs), synchronous ---

  root() { return this.rootNode.ino; }

  metadata(ino) {
    const n = this.#node(ino);
    const size = n.type === "dir" ? 0 : n.access ? n.access.getSize() : n.size;
    return { ino: n.ino, filetype: FILETYPE[n.type], nlink: 1, size, atim: n.atim, mtim: n.mtim, ctim: n.ctim };
  }

  lookup(dir, name) {
    return (this.#dir(dir).children.get(name) ?? fail(E.NOENT)).ino;
  }

  /** lookup plus the entry's type in one call (engine.js prefers it). */
  lookupEntry(dir, name) {
    const n = this.#dir(dir).children.get(name) ?? fail(E.NOENT);
    return [n.ino, FILETYPE[n.type]];
  }

  readlink() { fail(E.INVAL); }

  readdir(dir) {
    return [...this.#dir(dir).children.values()].map((c) => ({ name: c.name, ino: c.ino, filetype: FILETYPE[c.type] }));
  }

  createFile(dir, name) {
    const d = this.#dir(dir);
    if (d.children.has(name)) fail(E.EXIST);
    const node = this.#add("file", d, name);
    this.#touchDir(d);
    return node.ino;
  }

  createDir(dir, name) {
    const d = this.#dir(dir);
    if (d.children.has(name)) fail(E.EXIST);
    this.#add("dir", d, name);
    this.#touchDir(d);
  }

  symlink() { fail(E.NOTSUP); }
  link() { fail(E.NOTSUP); }

  unlink(dir, name) {
    const d = this.#dir(dir);
    const n = d.children.get(name) ?? fail(E.NOENT);
    if (n.type === "dir") fail(E.ISDIR);
    this.#detach(n, n.opens > 0); // an open descriptor keeps reading the (now nameless) file
    d.children.delete(name);
    if (n.opens === 0) this.#nodes.delete(n.ino);
    n.parent = null;
    this.#touchDir(d);
  }

  rmdir(dir, name) {
    const d = this.#dir(dir);
    const n = d.children.get(name) ?? fail(E.NOENT);
    if (n.type !== "dir") fail(E.NOTDIR);
    if (n.children.size) fail(E.NOTEMPTY);
    d.children.delete(name);
    this.#nodes.delete(n.ino);
    this.#touchDir(d);
  }

  rename(fromDir, from, toDir, to) {
    const src = this.#dir(fromDir), dst = this.#dir(toDir);
    const n = src.children.get(from) ?? fail(E.NOENT);
    const existing = dst.children.get(to);
    if (existing === n) return;
    for (let p = dst; p; p = p.parent) if (p === n) fail(E.INVAL); // a directory into itself
    if (existing) {
      if (n.type === "dir" && existing.type !== "dir") fail(E.NOTDIR);
      if (n.type !== "dir" && existing.type === "dir") fail(E.ISDIR);
      if (existing.type === "dir") {
        if (existing.children.size) fail(E.NOTEMPTY);
        this.rmdir(toDir, to);
      } else this.unlink(toDir, to);
    }
    // Its OPFS entry stays at the old name until reconcile: keep its bytes in memory meanwhile.
    this.#detachTree(n);
    src.children.delete(from);
    n.parent = dst;
    n.name = to;
    dst.children.set(to, n);
    n.ctim = nowNs();
    this.#touchDir(src);
    this.#touchDir(dst);
  }

  read(ino, offset, buf) {
    const n = this.#file(ino);
    n.atim = nowNs();
    if (n.access) return n.access.read(buf, { at: offset });
    if (offset >= n.size) return 0;
    const len = Math.min(buf.length, n.size - offset);
    buf.set(n.mem.subarray(offset, offset + len));
    return len;
  }

  write(ino, offset, data) {
    const n = this.#file(ino);
    n.mtim = n.ctim = nowNs();
    if (n.access) return n.access.write(data, { at: offset });
    const end = offset + data.length;
    this.#reserve(n, end);
    if (offset > n.size) n.mem.fill(0, n.size, offset);
    n.mem.set(data, offset);
    n.size = Math.max(n.size, end);
    return data.length;
  }

  setSize(ino, size) {
    const n = this.#file(ino);
    n.mtim = n.ctim = nowNs();
    if (n.access) return n.access.truncate(size);
    this.#reserve(n, size);
    if (size > n.size) n.mem.fill(0, n.size, size);
    n.size = size;
  }

  /** kinds: 0 keep, 1 now, 2 at (ns, bigint). */
  setTimes(ino, atimKind, mtimKind, atim, mtim, now) {
    const n = this.#node(ino);
    const pick = (kind, at, old) => (kind === 1 ? now : kind === 2 ? at : old);
    n.atim = pick(atimKind, atim, n.atim);
    n.mtim = pick(mtimKind, mtim, n.mtim);
    n.ctim = now;
  }

  opened(ino) { this.#node(ino).opens++; }

  closed(ino) {
    const n = this.#nodes.get(ino);
    if (!n) return;
    n.opens = Math.max(0, n.opens - 1);
    if (!n.parent && n !== this.rootNode && n.opens === 0) this.#nodes.delete(ino);
  }

  sync(ino) { this.#nodes.get(ino)?.access?.flush(); }

  // --- persistence ---

  /** Bring OPFS in line with the in-memory tree and flush every file. */
  async flush() {
    await this.#reconcile();
    for (const n of this.#nodes.values()) n.access?.flush();
    if (this.#errors.length) throw new Error(`OPFS: ${this.#errors.splice(0).map((e) => e.message).join("; ")}`);
  }

  /** Flush, then release every file lock (the directory can be opened again, e.g. after reload). */
  async close() {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      for (const n of this.#nodes.values()) { n.access?.close(); n.access = null; }
    }
  }

  // --- internals ---

  #touchDir(d) {
    d.mtim = d.ctim = nowNs();
    this.#dirty = true;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setTimeout(() => { this.#scheduled = false; this.#reconcile(); }, 0);
    }
  }

  #reserve(n, size) {
    if (size <= n.mem.length) return;
    const grown = new Uint8Array(Math.max(size, n.mem.length * 2, 4096));
    grown.set(n.mem.subarray(0, n.size));
    n.mem = grown;
  }

  /** Move a file's bytes from its OPFS handle into memory and release the handle. */
  #detach(n, keepBytes = true) {
    if (!n.access) return;
    if (keepBytes) {
      n.size = n.access.getSize();
      n.mem = new Uint8Array(n.size);
      n.access.read(n.mem, { at: 0 });
    } else {
      n.mem = new Uint8Array(0);
      n.size = 0;
    }
    n.access.close();
    n.access = null;
  }

  #detachTree(n) {
    if (n.type === "file") this.#detach(n);
    else {
      n.dirHandle = null;
      for (const c of n.children.values()) this.#detachTree(c);
    }
  }

  /** Reconcile until the tree stops changing; never rejects (errors surface in flush()). */
  #reconcile() {
    this.#chain = this.#chain.then(async () => {
      while (this.#dirty && !this.#closed) {
        this.#dirty = false;
        await this.#reconcileDir(this.rootNode);
      }
    }).catch((e) => { this.#errors.push(e); });
    return this.#chain;
  }

  /** Make OPFS under `node` match the tree: drop stale entries, create missing ones. */
  async #reconcileDir(node) {
    const handle = node.dirHandle;
    const stale = [];
    for await (const [name, h] of handle.entries()) {
      const child = node.children.get(name);
      const kind = child ? (child.type === "dir" ? "directory" : "file") : null;
      // An entry is current if the tree has a node of that kind there that is attached to it.
      const current = child && h.kind === kind && (child.type === "dir" ? child.dirHandle : child.access);
      if (!current) stale.push(name);
    }
    for (const name of stale) await handle.removeEntry(name, { recursive: true }).catch(ignoreMissing);
    for (const child of [...node.children.values()]) {
      if (child.parent !== node) continue; // moved while we awaited
      if (child.type === "dir") {
        if (!child.dirHandle) {
          const h = await handle.getDirectoryHandle(child.name, { create: true });
          if (child.parent === node && !child.dirHandle) child.dirHandle = h;
        }
        if (child.dirHandle) await this.#reconcileDir(child);
      } else if (!child.access) {
        const name = child.name;
        const fh = await handle.getFileHandle(name, { create: true });
        const access = await fh.createSyncAccessHandle();
        if (child.parent !== node || child.name !== name || child.access || this.#closed) {
          access.close(); // changed meanwhile: the next reconcile handles it
          this.#dirty = true;
          continue;
        }
        access.truncate(0);
        access.write(child.mem.subarray(0, child.size), { at: 0 });
        child.access = access;
        child.mem = null;
        child.size = 0;
      }
    }
  }
}

/**
 * A file's sync access handle. A Worker that was just terminated may still hold the lock for a
 * moment, so a locked file is retried briefly before we report the directory as in use.
 */
async function openAccessHandle(handle, name) {
  for (let delay = 20; ; delay *= 2) {
    try {
      return await handle.createSyncAccessHandle();
    } catch (e) {
      if (e?.name !== "NoModificationAllowedError" || delay > 320) {
        throw new Error(`OPFS: cannot open ${name} (${e?.name}); is this directory mounted in another Worker or tab?`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function ignoreMissing(e) {
  if (e?.name !== "NotFoundError") throw e;
}

/**
 * Mount an OPFS directory (created when missing; "" = the origin's OPFS root) as a filesystem a
 * WASI preopen can use, e.g. `new WASI({ preopens: { "/persist": await openOPFS("notes") } })`.
 * Workers only (sync access handles). Call `await fs.close()` when done so data is flushed and
 * the files' locks are released.
 */
export async function openOPFS(name = "") {
  if (typeof FileSystemSyncAccessHandle !== "function") {
    throw new Error("OPFS backend: synchronous access handles exist only in a Worker (use startWorker with { opfs })");
  }
  let dir = await navigator.storage.getDirectory();
  for (const part of String(name).split("/").filter(Boolean)) dir = await dir.getDirectoryHandle(part, { create: true });
  const fs = new OpfsFs(dir);
  await fs.load();
  return fs;
}
