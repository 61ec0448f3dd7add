// Save a MemFS to IndexedDB and load it back, e.g. across page reloads:
//   await saveMemFS(fs, "project");   const fs = await loadMemFS("project"); // null when absent
// Each name holds one snapshot (snapshot.js: directories, files, symlinks) in the object store
// "snapshots" of the database "cove"; saving replaces the previous snapshot atomically.
import { MemFS } from "./memfs.js";
import { snapshotMemFS, restoreInto } from "./snapshot.js";

const DB_NAME = "cove", STORE = "snapshots";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb() {
  if (typeof indexedDB === "undefined") throw new Error("IndexedDB is not available in this context");
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

async function withStore(mode, fn) {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(fn(tx.objectStore(STORE)));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
    return result;
  } finally {
    db.close();
  }
}

/** Store the whole of `fs` under `name` (replacing what was there). */
export async function saveMemFS(fs, name) {
  const snapshot = snapshotMemFS(fs);
  await withStore("readwrite", (store) => store.put({ ...snapshot, savedAt: Date.now() }, String(name)));
}

/** The MemFS saved under `name` (restored into `into` when given), or null when none was saved. */
export async function loadMemFS(name, into) {
  const snapshot = await withStore("readonly", (store) => store.get(String(name)));
  if (!snapshot) return null;
  return restoreInto(into ?? new MemFS(), snapshot);
}

/** Forget the snapshot saved under `name`. */
export async function deleteMemFS(name) {
  await withStore("readwrite", (store) => store.delete(String(name)));
}

/** Names of the saved snapshots. */
export async function listMemFS() {
  return (await withStore("readonly", (store) => store.getAllKeys())).map(String);
}
