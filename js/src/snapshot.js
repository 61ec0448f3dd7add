// A MemFS as plain data (structured-cloneable): how a filesystem crosses to a Worker and back,
// and how IndexedDB stores it. Uses only MemFS's public node:fs-like methods.
//
// Snapshot: { version: 1, entries: [{ path, type: "dir" | "file" | "symlink", data?, target? }] }
// in parent-before-child order; `data` is a Uint8Array. With `{ times: true }` each entry also
// has `atimeNs` and `mtimeNs` (bigint), which memfs.js uses when it copies a MemFS into another
// engine instance (restoreInto does not set them).
export const SNAPSHOT_VERSION = 1;

function join(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function kindOf(stats) {
  if (stats.isSymbolicLink()) return "symlink";
  return stats.isDirectory() ? "dir" : "file";
}

/** Walk `fs` from `root` and return its snapshot (`times`: with each entry's times). */
export function snapshotMemFS(fs, root = "/", { times = false } = {}) {
  const entries = [];
  const walk = (dir) => {
    for (const name of fs.readdir(dir)) {
      const path = join(dir, name);
      const stats = fs.lstat(path);
      const kind = kindOf(stats);
      let entry;
      if (kind === "dir") entry = { path, type: "dir" };
      else if (kind === "symlink") entry = { path, type: "symlink", target: fs.readlink(path) };
      else entry = { path, type: "file", data: fs.readFile(path) };
      if (times) Object.assign(entry, { atimeNs: stats.atimeNs, mtimeNs: stats.mtimeNs });
      entries.push(entry);
      if (kind === "dir") walk(path);
    }
  };
  walk(root);
  return { version: SNAPSHOT_VERSION, entries };
}

/** The ArrayBuffers of a snapshot's file data, for postMessage's transfer list. */
export function snapshotBuffers(snapshot) {
  return snapshot.entries.filter((e) => e.data?.buffer).map((e) => e.data.buffer);
}

/** Write a snapshot's entries into `fs` (an existing MemFS; existing paths are overwritten). */
export function restoreInto(fs, snapshot) {
  if (!snapshot || snapshot.version !== SNAPSHOT_VERSION || !Array.isArray(snapshot.entries)) {
    throw new TypeError("not a Cove MemFS snapshot (expected { version: 1, entries: [...] })");
  }
  for (const e of snapshot.entries) {
    if (e.type === "dir") fs.mkdir(e.path, { recursive: true });
    else if (e.type === "symlink") fs.symlink(e.target, e.path);
    else fs.writeFile(e.path, e.data);
  }
  return fs;
}

/** Make `fs` hold exactly the snapshot's tree: everything under "/" is replaced. */
export function replaceContents(fs, snapshot) {
  for (const name of fs.readdir("/")) fs.rm(join("/", name), { recursive: true, force: true });
  return restoreInto(fs, snapshot);
}
