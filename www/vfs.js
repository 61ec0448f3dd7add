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

function kindOf(stat) {
  if (typeof stat.isDirectory === "function") {
    if (stat.isDirectory()) return "dir";
    if (typeof stat.isSymbolicLink === "function" && stat.isSymbolicLink()) return "symlink";
    return "file";
  }
  return stat.type === "directory" || stat.type === "dir" ? "dir" : stat.type === "symlink" ? "symlink" : "file";
}

function lstat(fs, path) {
  return typeof fs.lstat === "function" ? fs.lstat(path) : fs.stat(path);
}

/** Entries of `dir`, folders first, then by name: [{ name, path, kind, size }]. */
export function list(fs, dir) {
  const entries = fs.readdir(dir).map((entry) => {
    const name = typeof entry === "string" ? entry : entry.name;
    const path = join(dir, name);
    const stat = lstat(fs, path);
    return { name, path, kind: kindOf(stat), size: Number(stat.size ?? 0) };
  });
  return entries.sort((a, b) => (a.kind === "dir") === (b.kind === "dir") ? a.name.localeCompare(b.name) : a.kind === "dir" ? -1 : 1);
}

export function exists(fs, path) {
  try {
    lstat(fs, path);
    return true;
  } catch {
    return false;
  }
}
