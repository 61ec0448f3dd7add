// The engine boundary (issue 10): context ids carry a generation, so a disposed WASI's import
// functions never act on the context that took its slot; an engine that failed mid-call is
// replaced by a fresh instance for the next WASI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { WASI, MemFS, run } from "../js/src/node.js";
import { currentEngine } from "../js/src/engine.js";
import { command, writes, instantiate } from "./api-helpers.mjs";

const say = (text) => {
  const w = writes(1, text);
  return command(w.body, { data: w.data });
};

test("a disposed WASI's imports throw, and never reach the context that took its slot", async () => {
  const outA = [];
  const a = new WASI({ version: "preview1", preopens: { "/data": new MemFS() }, stdout: (c) => outA.push(c) });
  await instantiate(say("a"), a);
  a.dispose();
  // b is created right after: it takes the slot a had (the engine reuses the lowest free one).
  const outB = [];
  const b = new WASI({ version: "preview1", preopens: { "/data": new MemFS() }, stdout: (c) => outB.push(c) });
  const instanceB = await instantiate(say("b"), b);
  assert.equal(b.start(instanceB), 0);
  const memoryB = new Uint8Array(instanceB.exports.memory.buffer);
  const before = memoryB.slice(0, 64);
  // The attack of issue 10: a's functions, called after dispose(), wrote "/data" into b's
  // memory and a's output into b's stdout callback.
  assert.throws(() => a.wasiImport.fd_prestat_dir_name(3, 0, 5), /this WASI instance was disposed/);
  assert.throws(() => a.wasiImport.fd_write(1, 8, 1, 4), /this WASI instance was disposed/);
  assert.throws(() => a.wasiImport.proc_exit(3), /this WASI instance was disposed/);
  assert.deepEqual(memoryB.slice(0, 64), before, "b's memory is untouched");
  b.dispose();
  assert.deepEqual(outA, []);
  assert.equal(Buffer.concat(outB).toString(), "b");
  // A disposed WASI cannot start either, and dispose() twice is harmless.
  const c = new WASI({ version: "preview1" });
  const instanceC = await instantiate(say("c"), c);
  c.dispose();
  c.dispose();
  assert.throws(() => c.start(instanceC), /this WASI instance was disposed/);
});

test("ids stay unique across many create/dispose cycles of one slot", async () => {
  const bytes = say("x");
  const old = [];
  for (let i = 0; i < 50; i++) {
    const w = new WASI({ version: "preview1", stdout: () => {} });
    await instantiate(bytes, w);
    w.dispose();
    old.push(w);
  }
  const out = [];
  const live = new WASI({ version: "preview1", stdout: (c) => out.push(c) });
  const instance = await instantiate(say("live"), live);
  for (const w of old) assert.throws(() => w.wasiImport.fd_write(1, 8, 1, 4), /disposed/);
  assert.equal(live.start(instance), 0);
  live.dispose();
  assert.equal(Buffer.concat(out).toString(), "live");
});

test("an engine that fails mid-call is replaced: the next WASI runs on a fresh instance", async () => {
  const failing = currentEngine();
  const fs = new MemFS({ "/kept.txt": "before" });
  const fail = () => failing.E.test_panic_in_engine(); // a panic inside an engine call
  await assert.rejects(
    run(say("hello"), { onStdout: fail }),
    /cove engine panic \(a bug in Cove, not in the guest\): [^]*failed on purpose/,
  );
  // The failed instance is not used again; what lived in it says so clearly.
  assert.throws(() => fs.readFile("/kept.txt"), /the engine this object lived in failed [^]*a new WASI or MemFS gets a fresh engine/);
  assert.throws(() => new WASI({ version: "preview1", preopens: { "/": fs } }), /engine this object lived in failed/);
  const fresh = currentEngine();
  assert.notEqual(fresh, failing);
  const result = await run(say("hello again"));
  assert.deepEqual([result.exitCode, result.stdout], [0, "hello again"]);
  const files = new MemFS({ "/new.txt": "after" });
  assert.equal(files.readFile("/new.txt", "utf8"), "after");
  assert.equal(currentEngine(), fresh, "a healthy engine is kept");
});
