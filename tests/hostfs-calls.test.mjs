// What a guest's file operations cost a host directory in backend calls (each one is a system
// call or more on a host directory): work the engine can prove unnecessary is not asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NodeDirectory } from "cove";
import { runGuest, describeRun, tempDir } from "./guests/harness.mjs";

/** `backend` behind an object that counts the calls of each method (a backend is any such object). */
function counted(backend) {
  const calls = {};
  const wrapper = {};
  for (const name of Object.getOwnPropertyNames(NodeDirectory.prototype)) {
    if (name === "constructor" || typeof backend[name] !== "function") continue;
    wrapper[name] = (...args) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return backend[name](...args);
    };
  }
  return { wrapper, calls };
}

test("writing a new file with O_CREAT|O_TRUNC does not truncate what it just created; an existing file is truncated", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { wrapper, calls } = counted(new NodeDirectory(dir));
  let r = await runGuest("files", ["write", "/work/new.txt", "fresh"], { preopens: { "/work": wrapper } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(readFileSync(join(dir, "new.txt"), "utf8"), "fresh");
  assert.equal(calls.createFile, 1);
  assert.equal(calls.setSize, undefined);

  writeFileSync(join(dir, "old.txt"), "a much longer text than the next one");
  r = await runGuest("files", ["write", "/work/old.txt", "short"], { preopens: { "/work": wrapper } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(readFileSync(join(dir, "old.txt"), "utf8"), "short");
  assert.equal(calls.setSize, 1);
});
