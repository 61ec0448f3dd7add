// Path helpers and directory listing over the package's MemFS, for the file tree. Snapshots (to
// cross to the Worker or into IndexedDB) are the package's own: js/src/snapshot.js.
export function join(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

export function parentOf(path) {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path) {
  return path.slice(path.lastIndexOf("/") + 1);
}

function kindOf(stats) {
  return stats.isDirectory() ? "dir" : stats.isSymbolicLink() ? "symlink" : "file";
}

/** Entries of `dir`, folders first, then by name: [{ name, path, kind, size }]. */
export function list(fs, dir) {
  const entries = fs.readdir(dir).map((name) => {
    const path = join(dir, name);
    const stats = fs.lstat(path);
    return { name, path, kind: kindOf(stats), size: stats.size };
  });
  return entries.sort((a, b) => (a.kind === "dir") === (b.kind === "dir") ? a.name.localeCompare(b.name) : a.kind === "dir" ? -1 : 1);
}

export function exists(fs, path) {
  try {
    fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
