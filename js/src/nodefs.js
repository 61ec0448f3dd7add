// A host directory as a Cove filesystem backend (the interface engine.js describes), with
// node:fs synchronous calls. The engine resolves every path itself, one name at a time with
// `lookupEntry`, and follows symlinks itself; this backend makes sure that each of those names is
// looked up in the very directory the engine walked to, never by re-walking a path string.
//
// Directories as capabilities (README.md, "Sandbox"): every directory the guest reaches is held
// as an open host descriptor, and a name is resolved relative to it through
// `/proc/<pid>/fd/<fd>/<name>`, which the kernel resolves like openat(fd, name): the descriptor
// stands for the directory itself, wherever it is now, and only the last component is looked
// up, never followed (lstat, O_NOFOLLOW, mkdir, unlink, rename…). A directory that is renamed,
// removed or swapped for a symlink after the engine reached it can therefore never lead outside
// the mount: a removed directory has no entries (ENOENT, as on wasmtime).
//
// Nodes are host inode numbers. `#places` remembers where each node was last seen (parent node +
// name); a directory descriptor is opened from its parent's descriptor and that name, with
// O_DIRECTORY|O_NOFOLLOW, and kept only if its device and inode are the ones the lookup saw.
// Descriptors are cached (at most MAX_CACHED_DIRS directories, or as many as the guest holds
// open; least recently used first out), those the guest does not hold are closed when `start()`
// returns (`release`), and all when the guest's last descriptor on this backend closes (dispose).
//
// Without /proc (macOS, Windows; or the `fdPaths: false` option) directories are reached by host
// path strings instead, and every directory on the way is checked (device, inode, a directory
// and not a symlink) before and after each use: a change is refused with ENOENT. That narrows a
// host-side race to a window it cannot close, as README.md states.
//
// Timestamps: Node can only set times through seconds as a double (utimes), which rounds
// nanoseconds away. The exact values the guest set are remembered and reported for as long
// as the host still shows the (rounded) values we set, so a guest reads back what it wrote.
import {
  closeSync, constants, existsSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, linkSync, lstatSync, lutimesSync,
  mkdirSync, openSync, readSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync,
  writeSync,
} from "node:fs";
import { resolve as resolvePath } from "node:path";
import { ERRNO } from "./wasi-errno.js";
import { booleanOption, validateObject } from "./errors.js";

const FILETYPE = { blockDevice: 1, characterDevice: 2, directory: 3, file: 4, socket: 6, symlink: 7 };
// Thrown as they are: engine.js reads a bare `errno` as the WASI errno.
const EROFS = { errno: ERRNO.EROFS };
const ENOENT = { errno: ERRNO.ENOENT };
const ELOOP = { errno: ERRNO.ELOOP };
const ENOTDIR = { errno: ERRNO.ENOTDIR };
// O_NOFOLLOW refuses a symlink in the open call itself (ELOOP), so a symlink swapped in after the
// engine's lookup is never followed. Windows has neither flag: there the lstat check stays.
const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY } = constants;
const DIR_FLAGS = O_RDONLY | (O_DIRECTORY ?? 0) | (O_NOFOLLOW ?? 0);
/** lstat options of a lookup: exact times, and a missing name as undefined (cheaper than an Error). */
const LOOKUP_STAT = { bigint: true, throwIfNoEntry: false };

/** Directory descriptors kept open (more only while the guest's own descriptors hold more). */
export const MAX_CACHED_DIRS = 256;
/** Places (where a node was last seen) kept besides those of open nodes; older ones are dropped. */
const MAX_PLACES = 8192;
/** More directories than a path of PATH_MAX (4,096 bytes) can name. */
const MAX_DEPTH = 2048;

// File types by the mode's S_IFMT bits. Each `isFile()`-style test of a BigIntStats masks its
// BigInt mode again: up to six per stat showed in profiles. (Windows lacks some: never matched.)
const MODE_TYPES = new Map([
  [constants.S_IFREG, FILETYPE.file], [constants.S_IFDIR, FILETYPE.directory], [constants.S_IFLNK, FILETYPE.symlink],
  [constants.S_IFCHR, FILETYPE.characterDevice], [constants.S_IFBLK, FILETYPE.blockDevice], [constants.S_IFSOCK, FILETYPE.socket],
].filter(([bits]) => bits !== undefined));
const S_IFMT = constants.S_IFMT ?? 0o170000;

function filetypeOf(st) {
  return MODE_TYPES.get(Number(st.mode) & S_IFMT) ?? 0;
}

/**
 * The prefix that names a descriptor of this process as a directory the kernel resolves like
 * openat ("/proc/<pid>/fd/"), or null when the platform has none; found once per process. The
 * numeric pid costs the kernel one lookup less than "self" (~25 % of an lstat through it); both
 * are checked to name the descriptor's directory, since /proc may belong to another pid namespace.
 */
let descriptorPrefix;
function descriptorDirectory() {
  if (descriptorPrefix !== undefined) return descriptorPrefix;
  descriptorPrefix = null;
  if (!existsSync("/proc/self/fd") || O_DIRECTORY === undefined) return null;
  let fd;
  try {
    fd = openSync("/", O_RDONLY | O_DIRECTORY);
    const st = fstatSync(fd, { bigint: true });
    for (const prefix of [`/proc/${process.pid}/fd/`, "/proc/self/fd/"]) {
      const seen = statSync(`${prefix}${fd}`, { bigint: true, throwIfNoEntry: false });
      if (seen?.ino === st.ino && seen.dev === st.dev) {
        descriptorPrefix = prefix;
        break;
      }
    }
  } catch {
    // no usable /proc: checked path strings
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return descriptorPrefix;
}

/** Opens `path` and returns the descriptor if it is the file `id` ({ dev, ino }), else ENOENT. */
function openAs(path, flags, id) {
  const fd = openSync(path, flags);
  try {
    const st = fstatSync(fd, { bigint: true });
    if (st.ino !== id.ino || st.dev !== id.dev) throw ENOENT; // its name now belongs to another
    return fd;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

export class NodeDirectory {
  #root;
  #rootNode;
  /** the root directory's { dev, ino } at construction: a root reopened later must match */
  #rootId;
  #readonly;
  /** "/proc/<pid>/fd/" where directory descriptors resolve names; null: checked path strings */
  #fdDir;
  /** node -> { parent, name, dev, ino, dir }: where the node was last seen */
  #places = new Map();
  /** directory node -> { fd, pins, dev }; Map order is recency (least recent first) */
  #dirs = new Map();
  /** the directory node `#dirFd` returned last (already the most recent: no reordering) */
  #lastDir = -1;
  /** file node -> { fd, writable, count } while descriptors are open on it */
  #handles = new Map();
  /** descriptors the guest holds on this backend (files and directories) */
  #pins = 0;
  /** node -> { hostAtim, hostMtim, atim, mtim }: exact times the guest set (see header) */
  #exactTimes = new Map();
  /**
   * The node and lstat of the last lookup (or fstat of the last created file), kept for a
   * `metadata` call that directly follows it in the same engine call: the core asks for a
   * file's metadata right after looking it up (stat, open), and the lstat system call is most
   * of the cost of both. It is used once, only when the engine says the node was just answered
   * in this call (`justAnswered`: a later guest call must see the file as it is then), and every
   * other operation drops it (they all start with `#begin`).
   */
  #lastSeen = null;
  /**
   * A file `createFile` just made, whose descriptor is kept (as a handle with no users) for the
   * `opened` that follows in path_open, so creating a file is one open instead of three (create,
   * truncate, open). The next operation closes it if nothing adopted it, so at most one such
   * descriptor is ever left over.
   */
  #created = null;

  /**
   * @param {string} path a host directory
   * @param {{ readonly?: boolean, fdPaths?: boolean }} options read-only is enforced by the
   *   engine; the backend refuses writes too, as a second line of defence. `fdPaths: false`
   *   uses the checked path strings of platforms without /proc even where /proc exists (tests).
   */
  constructor(path, options = {}) {
    validateObject(options, "options");
    const readonly = booleanOption("options.readonly", options.readonly, false);
    const fdPaths = booleanOption("options.fdPaths", options.fdPaths, true);
    this.#root = resolvePath(String(path));
    const st = statSync(this.#root, { bigint: true });
    if (!st.isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, preopen '${path}'`), { code: "ENOTDIR", path });
    }
    this.#rootNode = Number(st.ino);
    this.#rootId = { dev: st.dev, ino: st.ino };
    this.#readonly = readonly;
    // Descriptors are opened when a guest first needs them.
    this.#fdDir = fdPaths ? descriptorDirectory() : null;
  }

  /** Called first by every operation: drops the one-shot state and trims the caches. */
  #begin() {
    this.#lastSeen = null;
    if (this.#created !== null) this.#closeUnadopted();
    if (this.#dirs.size > MAX_CACHED_DIRS) this.#trimDirs();
  }

  #closeUnadopted() {
    const node = this.#created;
    this.#created = null;
    const h = this.#handles.get(node);
    if (h?.count === 0) {
      this.#handles.delete(node);
      closeSync(h.fd);
    }
  }

  /**
   * Closes the least recently used directory descriptors the guest does not hold. Only called at
   * the start of an operation: within one, a descriptor named in a path is never closed (its
   * number could be reused by the next open and name another directory).
   */
  #trimDirs() {
    for (const [node, d] of this.#dirs) {
      if (this.#dirs.size <= MAX_CACHED_DIRS) break;
      if (d.pins > 0 || d.fd === null) continue;
      this.#dirs.delete(node);
      closeSync(d.fd);
    }
    this.#lastDir = -1;
  }

  /**
   * Closes the descriptors kept only for speed (directories no guest descriptor holds): a
   * command that has finished needs none of them (wasi.js calls this after `start`).
   */
  release() {
    this.#begin();
    for (const [node, d] of this.#dirs) {
      if (d.pins > 0) continue;
      this.#dirs.delete(node);
      if (d.fd !== null) closeSync(d.fd);
    }
    this.#lastDir = -1;
  }

  /**
   * Closes every host descriptor this backend holds (wasi.js calls it when the context that
   * opened this directory is dropped, or its constructor failed before the guest could use it).
   */
  close() {
    this.#closeAll();
  }

  /** Closes every host descriptor: nothing on this backend is open in any guest any more. */
  #closeAll() {
    this.#closeUnadopted();
    for (const d of this.#dirs.values()) if (d.fd !== null) closeSync(d.fd);
    for (const h of this.#handles.values()) if (h.fd !== null) closeSync(h.fd);
    this.#dirs.clear();
    this.#handles.clear();
    this.#places.clear();
    this.#lastDir = -1;
    this.#lastSeen = null;
  }

  #writable() {
    if (this.#readonly) throw EROFS;
  }

  /** The root directory, if its host path still names the directory it named at construction. */
  #openRoot() {
    return openAs(this.#root, O_RDONLY | (O_DIRECTORY ?? 0), this.#rootId);
  }

  #place(node) {
    const p = this.#places.get(node);
    if (p === undefined) throw ENOENT;
    return p;
  }

  #remember(node, parent, name, st, filetype) {
    const dir = filetype === FILETYPE.directory;
    const old = this.#places.get(node);
    // Seen where it was last seen (a file stat'ed again and again): the place stands as it is.
    if (old === undefined || old.parent !== parent || old.name !== name || old.ino !== st.ino || old.dev !== st.dev || old.dir !== dir) {
      if (this.#places.size >= MAX_PLACES && old === undefined) this.#trimPlaces();
      this.#places.set(node, { parent, name, dev: st.dev, ino: st.ino, dir });
    }
    if (dir) {
      // A held descriptor keeps its inode allocated, so no other directory of the same device
      // can have its number; one of another device (a mount inside) can: the cached descriptor
      // is dropped then, unless the guest holds it open.
      const d = this.#dirs.get(node);
      if (d !== undefined && d.pins === 0 && d.fd !== null && d.dev !== st.dev) {
        this.#dirs.delete(node);
        closeSync(d.fd);
        if (this.#lastDir === node) this.#lastDir = -1;
      }
    }
  }

  /** Forgets the oldest quarter of places that no open descriptor needs. */
  #trimPlaces() {
    let drop = MAX_PLACES >> 2;
    for (const node of this.#places.keys()) {
      if (drop === 0) break;
      if (this.#handles.has(node) || this.#dirs.get(node)?.pins > 0) continue;
      this.#places.delete(node);
      drop--;
    }
  }

  /**
   * The place of directory `node`, `depth` steps below the directory being reached. Places are
   * where lookups saw nodes, so host-side moves can make them form a loop: a chain longer than
   * any path ends in ENOENT.
   */
  #parentPlace(node, depth) {
    const p = this.#place(node);
    if (!p.dir) throw ENOTDIR;
    if (depth > MAX_DEPTH) throw ENOENT;
    return p;
  }

  /** An open descriptor of directory `node`, from the cache or opened from its parent's. */
  #dirFd(node, depth = 0) {
    const d = this.#dirs.get(node);
    if (d !== undefined) {
      if (this.#lastDir !== node) {
        this.#dirs.delete(node);
        this.#dirs.set(node, d);
        this.#lastDir = node;
      }
      return d.fd;
    }
    let fd, dev;
    if (node === this.#rootNode) {
      fd = this.#openRoot();
      dev = this.#rootId.dev;
    } else {
      const p = this.#parentPlace(node, depth);
      const at = `${this.#fdDir}${this.#dirFd(p.parent, depth + 1)}/${p.name}`;
      try {
        fd = openAs(at, DIR_FLAGS, p);
      } catch (e) {
        // A symlink (ELOOP) or a file now stands at its name, or nothing: the directory is gone.
        if (e.code === "ELOOP" || e.code === "ENOTDIR" || e.code === "ENOENT") throw ENOENT;
        throw e;
      }
      dev = p.dev;
    }
    this.#dirs.set(node, { fd, pins: 0, dev });
    this.#lastDir = node;
    return fd;
  }

  /**
   * The host path that names entry `name` of directory `dir`: through the directory's descriptor,
   * or (without /proc) its checked path string; `#confirm(dir)` re-checks the latter after use.
   */
  #at(dir, name) {
    if (this.#fdDir !== null) return `${this.#fdDir}${this.#dirFd(dir)}/${name}`;
    return `${this.#checkedPath(dir)}/${name}`;
  }

  /** Without /proc: fails unless every directory from the root to `dir` is still as seen. */
  #confirm(dir) {
    if (this.#fdDir === null) this.#checkedPath(dir);
  }

  /** The path string of directory `dir`, each step checked: device, inode, a real directory. */
  #checkedPath(dir, depth = 0) {
    if (dir === this.#rootNode) {
      const st = statSync(this.#root, { bigint: true, throwIfNoEntry: false });
      if (st?.ino !== this.#rootId.ino || st.dev !== this.#rootId.dev) throw ENOENT;
      return this.#root;
    }
    const p = this.#parentPlace(dir, depth);
    const path = `${this.#checkedPath(p.parent, depth + 1)}/${p.name}`;
    const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (st === undefined || !st.isDirectory() || st.ino !== p.ino || st.dev !== p.dev) throw ENOENT;
    return path;
  }

  /** The path of `node` by its place (the parent directory's handle path and its name). */
  #pathOf(node) {
    const p = this.#place(node);
    return this.#at(p.parent, p.name);
  }

  /**
   * A descriptor on file `node` itself, opened where it was last seen; ELOOP when a symlink now
   * stands there (never followed), ENOENT when another file does.
   */
  #openFile(node, writable) {
    const p = this.#place(node);
    const path = this.#at(p.parent, p.name);
    let fd;
    if (O_NOFOLLOW === undefined) {
      if (lstatSync(path).isSymbolicLink()) throw ELOOP;
      fd = openAs(path, writable ? "r+" : "r", p);
    } else {
      fd = openAs(path, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW, p);
    }
    try {
      this.#confirm(p.parent);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  }

  /** Runs `f(fd)` on an open descriptor of `node`, opening one just for the call if needed. */
  #withFd(node, writable, f) {
    this.#begin();
    const h = this.#handles.get(node);
    if (h !== undefined && (h.writable || !writable)) {
      if (h.fd === null) throw ELOOP; // a symlink stood at its name when it was opened
      return f(h.fd);
    }
    const fd = this.#openFile(node, writable);
    try {
      return f(fd);
    } finally {
      closeSync(fd);
    }
  }

  root() {
    return this.#rootNode;
  }

  metadata(node, justAnswered = false) {
    const seen = this.#lastSeen;
    let st;
    if (justAnswered && seen?.node === node) {
      this.#lastSeen = null;
      st = seen.st;
    } else {
      this.#begin();
      const fd = this.#handles.get(node)?.fd ?? this.#dirs.get(node)?.fd ?? null;
      if (fd !== null) st = fstatSync(fd, { bigint: true });
      else if (node === this.#rootNode && this.#fdDir !== null) st = fstatSync(this.#dirFd(node), { bigint: true });
      else if (node === this.#rootNode) st = statSync(this.#checkedPath(node), { bigint: true });
      else {
        const p = this.#place(node);
        st = lstatSync(this.#at(p.parent, p.name), { bigint: true, throwIfNoEntry: false });
        if (st?.ino !== p.ino || st.dev !== p.dev) throw ENOENT; // gone, or its name is another file's
        this.#confirm(p.parent);
      }
    }
    let atim = st.atimeNs, mtim = st.mtimeNs;
    const exact = this.#exactTimes.get(node);
    if (exact) {
      if (exact.hostAtim === atim) atim = exact.atim;
      if (exact.hostMtim === mtim) mtim = exact.mtim;
    }
    return { ino: st.ino, filetype: filetypeOf(st), nlink: st.nlink, size: st.size, atim, mtim, ctim: st.ctimeNs };
  }

  lookupEntry(dir, name) {
    this.#begin();
    // A missing name is a common answer (programs probe for .gitignore, __init__.py, …): ask
    // for undefined rather than an Error, whose construction costs more than the lstat itself.
    const st = lstatSync(this.#at(dir, name), LOOKUP_STAT);
    this.#confirm(dir);
    if (st === undefined) throw ENOENT;
    const node = Number(st.ino);
    const filetype = filetypeOf(st);
    this.#remember(node, dir, name, st, filetype);
    this.#lastSeen = { node, st };
    return [node, filetype];
  }

  lookup(dir, name) {
    return this.lookupEntry(dir, name)[0];
  }

  readlink(node) {
    this.#begin();
    const p = this.#place(node);
    const target = readlinkSync(this.#at(p.parent, p.name));
    this.#confirm(p.parent);
    return target;
  }

  readdir(dir) {
    this.#begin();
    // The directory's own handle path (no trailing name) opens the directory itself.
    const base = this.#at(dir, "").slice(0, -1);
    const entries = [];
    for (const name of readdirSync(base).sort()) {
      const st = lstatSync(`${base}/${name}`, LOOKUP_STAT);
      if (st === undefined) continue; // removed by someone else since the listing
      const node = Number(st.ino);
      const filetype = filetypeOf(st);
      this.#remember(node, dir, name, st, filetype);
      entries.push({ name, ino: st.ino, filetype });
    }
    this.#confirm(dir);
    return entries;
  }

  createFile(dir, name) {
    this.#writable();
    this.#begin();
    // O_EXCL: fails on any existing name, a symlink included (never followed).
    const fd = openSync(this.#at(dir, name), O_RDWR | O_CREAT | O_EXCL);
    let st;
    try {
      st = fstatSync(fd, { bigint: true });
      this.#confirm(dir);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    const node = Number(st.ino);
    this.#remember(node, dir, name, st, filetypeOf(st));
    this.#lastSeen = { node, st };
    this.#handles.set(node, { fd, writable: true, count: 0 });
    this.#created = node;
    return node;
  }

  /** Runs a one-name change `f(path)` on entry `name` of `dir` (mkdir, unlink…: none follows it). */
  #change(dir, name, f) {
    this.#writable();
    this.#begin();
    f(this.#at(dir, name));
    this.#confirm(dir);
  }

  createDir(dir, name) {
    this.#change(dir, name, (path) => mkdirSync(path));
  }

  symlink(dir, name, target) {
    this.#change(dir, name, (path) => symlinkSync(target, path));
  }

  link(node, dir, name) {
    this.#change(dir, name, (path) => {
      const p = this.#place(node);
      linkSync(this.#at(p.parent, p.name), path);
      this.#confirm(p.parent);
    });
  }

  unlink(dir, name) {
    this.#change(dir, name, (path) => unlinkSync(path));
  }

  rmdir(dir, name) {
    this.#change(dir, name, (path) => rmdirSync(path));
  }

  rename(fromDir, from, toDir, to) {
    this.#change(toDir, to, (target) => {
      renameSync(this.#at(fromDir, from), target);
      this.#confirm(fromDir);
      // The moved node is now found under its new name (a directory's descriptor, if cached,
      // followed it; its place is what reopens it).
      const st = lstatSync(target, { bigint: true, throwIfNoEntry: false });
      if (st !== undefined) this.#remember(Number(st.ino), toDir, to, st, filetypeOf(st));
    });
  }

  read(node, offset, buf) {
    return this.#withFd(node, false, (fd) => readSync(fd, buf, 0, buf.length, offset));
  }

  write(node, offset, data) {
    this.#writable();
    return this.#withFd(node, true, (fd) => writeSync(fd, data, 0, data.length, offset));
  }

  setSize(node, size) {
    this.#writable();
    this.#withFd(node, true, (fd) => ftruncateSync(fd, size));
  }

  setTimes(node, atimKind, mtimKind, atim, mtim, now) {
    this.#writable();
    const current = this.metadata(node);
    this.#begin();
    const pick = (kind, at, old) => (kind === 1 ? now : kind === 2 ? at : old);
    const newAtim = pick(atimKind, atim, BigInt(current.atim));
    const newMtim = pick(mtimKind, mtim, BigInt(current.mtim));
    const seconds = (ns) => Number(ns / 1000n) / 1e6;
    // On a descriptor when one is open: it is the node itself, wherever it is now.
    const fd = this.#handles.get(node)?.fd ?? (this.#fdDir !== null ? this.#dirs.get(node)?.fd : null) ?? null;
    let st;
    if (fd !== null) {
      futimesSync(fd, seconds(newAtim), seconds(newMtim));
      st = fstatSync(fd, { bigint: true });
    } else {
      const p = this.#place(node);
      const path = this.#at(p.parent, p.name);
      lutimesSync(path, seconds(newAtim), seconds(newMtim));
      st = lstatSync(path, { bigint: true });
      this.#confirm(p.parent);
      if (st.ino !== p.ino) throw ENOENT; // its name changed hands meanwhile
    }
    this.#exactTimes.set(node, { hostAtim: st.atimeNs, hostMtim: st.mtimeNs, atim: newAtim, mtim: newMtim });
  }

  opened(node, writable) {
    const h = this.#handles.get(node);
    if (this.#created === node) this.#created = null;
    this.#begin();
    if (h !== undefined && (h.writable || !writable)) {
      h.count++;
      this.#pins++;
      return;
    }
    const p = node === this.#rootNode ? null : this.#place(node);
    if (p === null || p.dir) {
      // A directory: its descriptor stays open (pinned) while the guest holds it.
      if (this.#fdDir !== null) this.#dirFd(node);
      else this.#confirm(node);
      const d = this.#dirs.get(node) ?? { fd: null, pins: 0, dev: p?.dev };
      d.pins++;
      this.#dirs.set(node, d);
      this.#pins++;
      return;
    }
    let fd = null;
    try {
      fd = this.#openFile(node, writable && !this.#readonly);
    } catch (e) {
      if (e !== ELOOP && e.code !== "ELOOP") throw e;
    }
    if (h?.fd != null) closeSync(h.fd);
    this.#handles.set(node, { fd, writable, count: (h?.count ?? 0) + 1 });
    this.#pins++;
  }

  closed(node) {
    this.#lastSeen = null;
    const h = this.#handles.get(node);
    const d = this.#dirs.get(node);
    if (h !== undefined && h.count > 0) {
      if (--h.count === 0) {
        this.#handles.delete(node);
        if (h.fd !== null) closeSync(h.fd);
      }
    } else if (d !== undefined && d.pins > 0) {
      if (--d.pins === 0 && d.fd === null) this.#dirs.delete(node);
    } else {
      return; // not open here: a stray close changes nothing
    }
    if (--this.#pins === 0) this.#closeAll();
  }

  sync(node) {
    const h = this.#handles.get(node);
    if (h?.fd != null) fsyncSync(h.fd);
  }
}
