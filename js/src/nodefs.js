// A host directory as a Cove filesystem backend (the interface engine.js describes), with
// node:fs synchronous calls. The engine resolves every path itself, one name at a time with
// `lookupEntry` (an lstat), and follows symlinks itself, so a symlink on the host can never
// lead the guest outside the directory: this backend only ever joins one name to a directory
// the engine already walked to.
//
// Nodes are host inode numbers; `#paths` remembers where each was last seen.
//
// Timestamps: Node can only set times through seconds as a double (utimes), which rounds
// nanoseconds away. The exact values the guest set are remembered and reported for as long
// as the host still shows the (rounded) values we set, so a guest reads back what it wrote.
import {
  closeSync, constants, fstatSync, fsyncSync, ftruncateSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync,
  readSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, writeSync,
} from "node:fs";
import { resolve as resolvePath } from "node:path";

const FILETYPE = { blockDevice: 1, characterDevice: 2, directory: 3, file: 4, socket: 6, symlink: 7 };
const EROFS = { errno: 69 };
const ENOENT = { errno: 44 };
const ELOOP = { errno: 32 };
// Opening with O_NOFOLLOW refuses a symlink in the open call itself (ELOOP), so no lstat is
// needed first and a symlink swapped in after the engine's lookup is still never followed.
// Windows has no O_NOFOLLOW: there `opened` keeps the lstat check.
const { O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

function filetypeOf(st) {
  if (st.isFile()) return FILETYPE.file;
  if (st.isDirectory()) return FILETYPE.directory;
  if (st.isSymbolicLink()) return FILETYPE.symlink;
  if (st.isCharacterDevice()) return FILETYPE.characterDevice;
  if (st.isBlockDevice()) return FILETYPE.blockDevice;
  if (st.isSocket()) return FILETYPE.socket;
  return 0;
}

export class NodeDirectory {
  #root;
  #rootNode;
  #readonly;
  /** node -> host path where it was last seen */
  #paths = new Map();
  /** node -> { fd, writable, count } while descriptors are open on it */
  #handles = new Map();
  /** node -> { hostAtim, hostMtim, atim, mtim }: exact times the guest set (see header) */
  #exactTimes = new Map();
  /**
   * The node and lstat of the last `#see`, kept for a `metadata` call that directly follows it:
   * the core asks for a file's metadata right after looking it up (stat, open), and on this
   * machine the lstat system call is most of the cost of both. Any other operation drops it
   * (they all go through `#path` or `#withFd`, or `closed`), so metadata never reports a state
   * older than the lookup the engine just made; it is used once.
   */
  #lastSeen = null;
  /**
   * A file `createFile` just made, whose descriptor is kept (as a handle with no users) for the
   * `opened` that follows in path_open, so creating a file is one open instead of three (create,
   * truncate, open). Any operation that needs a path (which includes the next lookup or create)
   * closes it if nothing adopted it, so at most one such descriptor is ever left over.
   */
  #created = null;

  /**
   * @param {string} path a host directory
   * @param {{ readonly?: boolean }} options read-only is enforced by the engine; the backend
   *   refuses writes too, as a second line of defence.
   */
  constructor(path, { readonly = false } = {}) {
    this.#root = resolvePath(String(path));
    const st = statSync(this.#root, { bigint: true });
    if (!st.isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, preopen '${path}'`), { code: "ENOTDIR", path });
    }
    this.#rootNode = Number(st.ino);
    this.#paths.set(this.#rootNode, this.#root);
    this.#readonly = readonly;
  }

  #path(node) {
    this.#lastSeen = null;
    if (this.#created !== null) this.#closeUnadopted();
    const p = this.#paths.get(node);
    if (p === undefined) throw ENOENT;
    return p;
  }

  #join(dir, name) {
    return `${this.#path(dir)}/${name}`;
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

  #writable() {
    if (this.#readonly) throw EROFS;
  }

  #see(path) {
    // A missing name is a common answer (programs probe for .gitignore, __init__.py, …): ask
    // for undefined rather than an Error, whose construction costs more than the lstat itself.
    const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (st === undefined) throw ENOENT;
    const node = Number(st.ino);
    this.#paths.set(node, path);
    this.#lastSeen = { node, st };
    return [node, st];
  }

  /** Runs `f(fd)` on an open descriptor of `node`, opening one just for the call if needed. */
  #withFd(node, writable, f) {
    this.#lastSeen = null;
    const h = this.#handles.get(node);
    if (h?.fd != null && (h.writable || !writable)) return f(h.fd);
    const fd = this.#openNoFollow(this.#path(node), writable);
    if (fd === null) throw ELOOP; // a symlink now stands at the node's name: never follow it
    try {
      return f(fd);
    } finally {
      closeSync(fd);
    }
  }

  root() {
    return this.#rootNode;
  }

  metadata(node) {
    const h = this.#handles.get(node);
    const seen = this.#lastSeen;
    this.#lastSeen = null;
    let st;
    if (seen?.node === node) st = seen.st;
    else if (h?.fd != null) st = fstatSync(h.fd, { bigint: true });
    else {
      st = lstatSync(this.#path(node), { bigint: true });
      if (Number(st.ino) !== node) throw ENOENT; // its name now belongs to another file
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
    const [node, st] = this.#see(this.#join(dir, name));
    return [node, filetypeOf(st)];
  }

  lookup(dir, name) {
    return this.lookupEntry(dir, name)[0];
  }

  readlink(node) {
    return readlinkSync(this.#path(node));
  }

  readdir(dir) {
    const base = this.#path(dir);
    const entries = [];
    for (const name of readdirSync(base).sort()) {
      let seen;
      try {
        seen = this.#see(`${base}/${name}`);
      } catch (e) {
        if (e === ENOENT) continue; // removed by someone else since the listing
        throw e;
      }
      entries.push({ name, ino: seen[0], filetype: filetypeOf(seen[1]) });
    }
    return entries;
  }

  createFile(dir, name) {
    this.#writable();
    const path = this.#join(dir, name);
    // O_EXCL: fails on any existing name, a symlink included (never followed).
    const fd = openSync(path, O_RDWR | O_CREAT | O_EXCL);
    let st;
    try {
      st = fstatSync(fd, { bigint: true });
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    const node = Number(st.ino);
    this.#paths.set(node, path);
    this.#lastSeen = { node, st };
    this.#handles.set(node, { fd, writable: true, count: 0 });
    this.#created = node;
    return node;
  }

  createDir(dir, name) {
    this.#writable();
    mkdirSync(this.#join(dir, name));
  }

  symlink(dir, name, target) {
    this.#writable();
    symlinkSync(target, this.#join(dir, name));
  }

  link(node, dir, name) {
    this.#writable();
    linkSync(this.#path(node), this.#join(dir, name));
  }

  unlink(dir, name) {
    this.#writable();
    unlinkSync(this.#join(dir, name));
  }

  rmdir(dir, name) {
    this.#writable();
    rmdirSync(this.#join(dir, name));
  }

  rename(fromDir, from, toDir, to) {
    this.#writable();
    const source = this.#join(fromDir, from);
    const target = this.#join(toDir, to);
    renameSync(source, target);
    // Everything known under the old name moves with it.
    for (const [node, path] of this.#paths) {
      if (path === source) this.#paths.set(node, target);
      else if (path.startsWith(source + "/")) this.#paths.set(node, target + path.slice(source.length));
    }
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
    const path = this.#path(node);
    const current = this.metadata(node);
    const pick = (kind, at, old) => (kind === 1 ? now : kind === 2 ? at : old);
    const newAtim = pick(atimKind, atim, BigInt(current.atim));
    const newMtim = pick(mtimKind, mtim, BigInt(current.mtim));
    const seconds = (ns) => Number(ns / 1000n) / 1e6;
    lutimesSync(path, seconds(newAtim), seconds(newMtim));
    const st = lstatSync(path, { bigint: true });
    this.#exactTimes.set(node, { hostAtim: st.atimeNs, hostMtim: st.mtimeNs, atim: newAtim, mtim: newMtim });
  }

  opened(node, writable) {
    const h = this.#handles.get(node);
    if (this.#created === node) this.#created = null;
    if (h && (h.writable || !writable)) {
      h.count++;
      return;
    }
    const fd = this.#openNoFollow(this.#path(node), writable && !this.#readonly);
    if (fd === null) {
      this.#handles.set(node, { fd: null, writable: false, count: (h?.count ?? 0) + 1 });
      return;
    }
    if (h?.fd != null) closeSync(h.fd);
    this.#handles.set(node, { fd, writable, count: (h?.count ?? 0) + 1 });
  }

  /** An fd on `path` itself, or null when `path` is a symlink (never followed). */
  #openNoFollow(path, writable) {
    if (O_NOFOLLOW === undefined) {
      if (lstatSync(path).isSymbolicLink()) return null;
      return openSync(path, writable ? "r+" : "r");
    }
    try {
      return openSync(path, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW);
    } catch (e) {
      if (e.code === "ELOOP") return null;
      throw e;
    }
  }

  closed(node) {
    this.#lastSeen = null;
    const h = this.#handles.get(node);
    if (!h || --h.count > 0) return;
    this.#handles.delete(node);
    if (h.fd != null) closeSync(h.fd);
  }

  sync(node) {
    const h = this.#handles.get(node);
    if (h?.fd != null) fsyncSync(h.fd);
  }
}
