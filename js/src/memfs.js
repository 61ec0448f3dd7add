// `MemFS`: the engine's in-memory filesystem with node:fs-style synchronous methods. One engine
// filesystem can back several MemFS objects: `subtree(dir)` returns a view rooted at `dir`,
// which is what a preopen of part of a filesystem uses.
import { glue, currentEngine, trackEngineObject, engineFailed, throwIfEngineFailed } from "./engine.js";
import { ERRNO, errnoName } from "./wasi-errno.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// What each engine errno says in a MemFS error, and the number node:fs gives it (libuv's, as on
// Linux), so `e.code` and `e.errno` read as they do for node:fs; `e.wasiErrno` keeps the engine's.
const NODE_STYLE = {
  EACCES: [-13, "permission denied"], EBADF: [-9, "bad file descriptor"], EBUSY: [-16, "resource busy or locked"],
  EDQUOT: [-122, "disk quota exceeded"], EEXIST: [-17, "file already exists"], EFBIG: [-27, "file too large"],
  EILSEQ: [-84, "illegal byte sequence"], EINVAL: [-22, "invalid argument"], EISDIR: [-21, "illegal operation on a directory"],
  ELOOP: [-40, "too many symbolic links encountered"], ENAMETOOLONG: [-36, "name too long"],
  ENOENT: [-2, "no such file or directory"], ENOMEM: [-12, "not enough memory"], ENOSPC: [-28, "no space left on device"],
  ENOTDIR: [-20, "not a directory"], ENOTEMPTY: [-39, "directory not empty"], EPERM: [-1, "operation not permitted"],
  EROFS: [-30, "read-only file system"], ENOTCAPABLE: [-13, "path leads outside the filesystem"],
};

/** A Node-style error (`code`, `errno`, `syscall`, `path`) for an engine errno. */
function fsError(errno, syscall, path) {
  const code = errnoName(errno);
  const [nodeErrno, text] = NODE_STYLE[code] ?? [-errno, `error ${errno}`];
  const e = new Error(`${code}: ${text}, ${syscall} '${path}'`);
  Object.assign(e, { errno: nodeErrno, code, syscall, path, wasiErrno: errno });
  return e;
}

const FILETYPES = { 3: "directory", 4: "file", 7: "symlink" };

/** What `stat` returns: the fields and predicates of node:fs Stats that make sense here. */
class Stats {
  constructor(raw) {
    const [type, size, nlink, ino, atim, mtim, ctim] = raw;
    this.type = FILETYPES[Number(type)] ?? "unknown";
    this.size = Number(size);
    this.nlink = Number(nlink);
    this.ino = Number(ino);
    this.atimeNs = atim;
    this.mtimeNs = mtim;
    this.ctimeNs = ctim;
    this.atimeMs = Number(atim / 1000n) / 1000;
    this.mtimeMs = Number(mtim / 1000n) / 1000;
    this.ctimeMs = Number(ctim / 1000n) / 1000;
  }
  get atime() { return new Date(this.atimeMs); }
  get mtime() { return new Date(this.mtimeMs); }
  get ctime() { return new Date(this.ctimeMs); }
  isFile() { return this.type === "file"; }
  isDirectory() { return this.type === "directory"; }
  isSymbolicLink() { return this.type === "symlink"; }
}

/** Joins `root` and a user path into an absolute path of the underlying filesystem. */
function join(root, path) {
  if (typeof path !== "string") throw new TypeError(`MemFS: path must be a string, got ${typeof path}`);
  const parts = [];
  for (const part of `${root}/${path}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      // `..` never climbs above this view's root (as in a preopen).
      if (parts.length > root.split("/").filter(Boolean).length) parts.pop();
      continue;
    }
    parts.push(part);
  }
  return "/" + parts.join("/");
}

/** Marks the internal constructor call that makes a subtree view. */
const VIEW = Symbol("MemFS view");

/**
 * Where a MemFS's files live: the engine-side filesystem and the engine instance holding it,
 * shared by the MemFS and its subtree views. When the full engine replaces the p1 engine the
 * tree is copied into the new instance (memfs-move.js) and every view follows, so a MemFS made
 * before the first component keeps working (docs/engine-abi.md "Two engines").
 */
class Home {
  constructor() {
    this.engine = currentEngine();
    this.fs = new glue.MemFs();
    trackEngineObject(this.engine, this);
  }

  /** Lets go of the engine-side filesystem without freeing it through the glue, which may
   *  already serve another instance (its finalizer would free into that one). */
  disarm() {
    this.fs.__destroy_into_raw();
  }
}

/** A MemFS over `home` (memfs-move.js reads and re-creates a tree through it). */
export const memfsOf = (home) => new MemFS(VIEW, { home, root: "/" });

export class MemFS {
  #home; // the filesystem and its engine instance (Home), shared with subtree views
  get #fs() { return this.#home.fs; }
  get #engine() { return this.#home.engine; }
  #root;

  /**
   * @param {Record<string, string | Uint8Array> | undefined} files initial files, by absolute path
   */
  constructor(files = undefined, view = undefined) {
    if (files === VIEW) {
      this.#home = view.home;
      this.#root = view.root;
      return;
    }
    this.#home = new Home();
    this.#root = "/";
    if (files !== undefined) {
      if (files === null || typeof files !== "object") throw new TypeError("MemFS: expected an object mapping paths to contents");
      for (const [path, contents] of Object.entries(files)) this.writeFile(path, contents);
    }
  }

  #call(syscall, path, f) {
    throwIfEngineFailed(this.#engine);
    const full = join(this.#root, path);
    try {
      return f(full);
    } catch (e) {
      if (typeof e === "number") throw fsError(e, syscall, path);
      // A trap inside the engine (MemFs methods run no guest code): its state is suspect.
      if (e instanceof WebAssembly.RuntimeError) {
        throw engineFailed(this.#engine, e);
      }
      throw e;
    }
  }

  /** Writes a file (string as UTF-8, or bytes), creating missing parent directories. */
  writeFile(path, data) {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (!(bytes instanceof Uint8Array)) throw new TypeError("MemFS.writeFile: data must be a string or a Uint8Array");
    this.#call("open", path, (p) => this.#fs.write_file(p, bytes));
  }

  /** The file's bytes, or its text with `readFile(path, "utf8")` / `{ encoding: "utf8" }`. */
  readFile(path, options) {
    const bytes = this.#call("open", path, (p) => this.#fs.read_file(p));
    const encoding = typeof options === "string" ? options : options?.encoding;
    if (encoding === "utf8" || encoding === "utf-8") return decoder.decode(bytes);
    if (encoding) throw new TypeError(`MemFS.readFile: unsupported encoding ${encoding}`);
    return bytes;
  }

  mkdir(path, options = {}) {
    this.#call("mkdir", path, (p) => this.#fs.mkdir(p, Boolean(options.recursive)));
  }

  /** Entry names (sorted), without `.` and `..`. */
  readdir(path) {
    return this.#call("scandir", path, (p) => this.#fs.readdir(p));
  }

  stat(path) {
    return new Stats(this.#call("stat", path, (p) => this.#fs.stat(p, true)));
  }

  lstat(path) {
    return new Stats(this.#call("lstat", path, (p) => this.#fs.stat(p, false)));
  }

  exists(path) {
    try {
      this.#call("stat", path, (p) => this.#fs.stat(p, true));
      return true;
    } catch (e) {
      if (e.code === "ENOENT" || e.code === "ENOTDIR") return false;
      throw e;
    }
  }

  /** Creates `path` as a symbolic link to `target` (stored as given, resolved when followed). */
  symlink(target, path) {
    this.#call("symlink", path, (p) => this.#fs.symlink(String(target), p));
  }

  readlink(path) {
    return this.#call("readlink", path, (p) => this.#fs.readlink(p));
  }

  rm(path, options = {}) {
    this.#call("rm", path, (p) => this.#fs.rm(p, Boolean(options.recursive), Boolean(options.force)));
  }

  rename(from, to) {
    const target = join(this.#root, to);
    this.#call("rename", from, (p) => this.#fs.rename(p, target));
  }

  /** A MemFS view of the directory `dir`: same files, with `dir` as its root. */
  subtree(dir) {
    const full = join(this.#root, dir);
    if (!this.stat(dir).isDirectory()) throw fsError(ERRNO.ENOTDIR, "subtree", dir);
    return new MemFS(VIEW, { home: this.#home, root: full });
  }

  /** Every path under `dir` (default: the root), depth first, directories before their contents. */
  *walk(dir = "/") {
    for (const name of this.readdir(dir)) {
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      const stats = this.lstat(path);
      yield { path, stats };
      if (stats.isDirectory()) yield* this.walk(path);
    }
  }

  /** The preopen description for the engine (wasi.js). */
  static mountOf(fs, guest, readonly) {
    throwIfEngineFailed(fs.#engine);
    return { guest, memfs: fs.#fs.id(), path: fs.#root, readonly };
  }
}

export function memfsMount(guest, fs, readonly) {
  return MemFS.mountOf(fs, guest, readonly);
}
