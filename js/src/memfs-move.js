// Moving a MemFS into the full engine when it replaces the p1 engine (engine.js switchEngine,
// docs/engine-abi.md "Two engines"): loaded with the full engine, so a p1 page never downloads it.
import { glue, trackEngineObject } from "./engine.js";
import { memfsOf } from "./memfs.js";
import { snapshotMemFS, restoreInto } from "./snapshot.js";

/** `home`'s tree as plain data with its times, read while the glue still serves the old instance. */
export function save(home) {
  return { root: home.fs.stat("/", false), snapshot: snapshotMemFS(memfsOf(home), "/", { times: true }) };
}

/** Re-creates the tree `save(home)` read in `engine`, the instance the glue now serves. */
export function moveTo(home, engine, { root, snapshot }) {
  home.disarm();
  home.engine = engine;
  home.fs = new glue.MemFs();
  trackEngineObject(engine, home);
  restoreInto(memfsOf(home), snapshot);
  // Times last, children before their directory (adding an entry changes a directory's times).
  for (let i = snapshot.entries.length - 1; i >= 0; i--) {
    const e = snapshot.entries[i];
    home.fs.set_times(e.path, e.atimeNs, e.mtimeNs);
  }
  home.fs.set_times("/", root[4], root[5]);
}
