// The two engines (docs/engine-abi.md "Two engines"): `import "cove"` loads the p1 engine; the
// first component that needs WASI loads the full engine (p1 + p2), which then serves everything
// new. A MemFS made before the switch is moved into it whole; p1 guests keep running. The tests
// of this file run in order, in one process: the first ones see the p1 engine only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WASI, MemFS, run, validate, instantiate } from "../js/src/node.js";
import { currentEngine } from "../js/src/engine.js";
import { command, writes } from "./api-helpers.mjs";
import { root } from "./cli-helpers.mjs";

const component = readFileSync(join(root, "build", "wasip2", "wasip2-command.wasm"));
const files = readFileSync(join(root, "build", "guests", "files.wasm"));
const say = (text) => {
  const { data, body } = writes(1, text);
  return command(body, { data });
};
const hasP2 = () => Object.keys(currentEngine().E).some((name) => name.startsWith("p2:"));

// Made before the first component: moved into the full engine by the switch.
const early = new MemFS({ "/in.txt": "written before the switch", "/dir/nested.txt": "nested" });
early.mkdir("/empty");
early.symlink("in.txt", "/link");
const earlyView = early.subtree("/dir");
const statsBefore = {};
let oldWasi;
const oldWasiOut = [];

test("a p1 guest and a component's validate() run on the p1 engine: no p2 host is loaded", async () => {
  const r = await run(say("p1 first"));
  assert.deepEqual([r.exitCode, r.stdout], [0, "p1 first"]);
  await validate(component);
  assert.equal(hasP2(), false, "the engine `import \"cove\"` loads has no p2 exports");
  const listed = await run(files, { args: ["files", "ls", "/"], fs: early });
  assert.equal(listed.stdout, "dir/\nempty/\nin.txt\nlink -> in.txt\n");
  for (const path of ["/in.txt", "/dir", "/dir/nested.txt", "/empty", "/link", "/"]) statsBefore[path] = early.lstat(path);
  oldWasi = new WASI({ version: "preview1", args: ["files", "ls", "/"], preopens: { "/": early }, returnOnExit: true, stdout: (c) => oldWasiOut.push(Buffer.from(c)) });
});

test("the first component run switches to the full engine and sees the MemFS made before it", async () => {
  const p1Engine = currentEngine();
  const read = await run(component, { args: ["cmd", "read", "/in.txt"], fs: early });
  assert.deepEqual([read.exitCode, read.stdout], [0, "written before the switch"]);
  assert.notEqual(currentEngine(), p1Engine, "a new engine instance serves from now on");
  assert.equal(hasP2(), true);
  const wrote = await run(component, { args: ["cmd", "write", "/dir/out.txt", "from the component"], fs: early });
  assert.equal(wrote.exitCode, 0);
  assert.equal(early.readFile("/dir/out.txt", "utf8"), "from the component", "the component's write shows in the MemFS");
  assert.equal(earlyView.readFile("/out.txt", "utf8"), "from the component", "and in a subtree view made before the switch");
  early.writeFile("/after.txt", "written by JS after the switch");
  const again = await run(component, { args: ["cmd", "read", "/after.txt"], fs: early });
  assert.equal(again.stdout, "written by JS after the switch");
});

test("the move keeps kinds, contents, symlinks and access and modification times", () => {
  assert.equal(early.readlink("/link"), "in.txt");
  assert.equal(early.readFile("/link", "utf8"), "written before the switch");
  assert.deepEqual(early.readdir("/empty"), []);
  for (const path of ["/in.txt", "/dir/nested.txt", "/empty", "/link"]) {
    const before = statsBefore[path], after = early.lstat(path);
    assert.deepEqual([after.type, after.size, after.atimeNs, after.mtimeNs], [before.type, before.size, before.atimeNs, before.mtimeNs], path);
  }
  // "/" and "/dir" changed since (new entries), so only their kind is compared.
  assert.ok(early.lstat("/").isDirectory() && early.lstat("/dir").isDirectory());
});

test("p1 guests still run after the switch, on the moved MemFS too", async () => {
  const r = await run(say("p1 after"));
  assert.deepEqual([r.exitCode, r.stdout], [0, "p1 after"]);
  const cat = await run(files, { args: ["files", "cat", "/dir/out.txt"], fs: early });
  assert.deepEqual([cat.exitCode, cat.stdout], [0, "from the component"]);
});

test("a WASI object made before the switch keeps its mounts as they were, and cannot serve a component", async () => {
  const { instance } = await WebAssembly.instantiate(files, oldWasi.getImportObject());
  assert.equal(oldWasi.start(instance), 0);
  assert.equal(Buffer.concat(oldWasiOut).toString(), "dir/\nempty/\nin.txt\nlink -> in.txt\n", "the old instance's copy: none of the later files");
  await assert.rejects(instantiate(component, {}, { wasi: oldWasi }), (e) => e instanceof TypeError && /made before a component first loaded the full engine/.test(e.message));
});

test("the full engine, once failed, is replaced by a fresh full engine", async () => {
  const failing = currentEngine();
  await assert.rejects(run(say("x"), { onStdout: () => failing.E.test_panic_in_engine() }), /cove engine panic/);
  const r = await run(component, { args: ["cmd", "hello"] });
  assert.deepEqual([r.exitCode, r.stdout], [0, "hello from a component\n"]);
  assert.notEqual(currentEngine(), failing);
  assert.equal(hasP2(), true, "the fresh instance is of the full engine");
  assert.throws(() => early.readFile("/in.txt"), /the engine this object lived in failed/);
});
