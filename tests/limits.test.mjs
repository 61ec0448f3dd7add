// Issue 10, items 5, 6, 7 and 9a: limits that bound the host's memory, run()'s output bound,
// a policy read once (and refused when it is not finite), and constructors that leak nothing
// when they throw. The attacks run as guests (tests/guests/src/bin/memory_hog.rs).
import test from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { WASI, MemFS, run, NodeDirectory } from "cove";
import { currentEngine } from "../js/src/engine.js";
import { hasJspi } from "../js/src/blocking.js";
import { startWorker } from "../js/src/worker-client.js";
import { outputWindowOption } from "../js/src/output-flow.js";
import { runGuest, describeRun, guestModule, tempDir } from "./guests/harness.mjs";
import { runCove, guest } from "./cli-helpers.mjs";

const MiB = 1024 * 1024;
const memoryDenials = (r) => r.events.filter((e) => e.type === "denied" && e.reason === "memory limit (limits.memory)");

// ---- item 5: limits bound memory -------------------------------------------------------------

test("a byte at the end of each 1 MiB chunk counts the whole chunk against limits.memory", async () => {
  // The attack: under these limits 4,094 such writes took the process to 4.1 GiB.
  const fs = new MemFS();
  fs.mkdir("/data");
  const rssBefore = process.memoryUsage().rss;
  const limits = { fileBytes: 1024 * MiB, writtenBytes: MiB, memory: 16 * MiB };
  const r = await runGuest("memory_hog", ["sparse", "/data/sparse.bin", "4094"], {
    preopens: { "/data": fs.subtree("/data") }, policy: { limits },
  });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.match(r.out, /^sparse: 15 done, then errno=19 EDQUOT\n$/);
  assert.equal(fs.stat("/data/sparse.bin").size, 15 * MiB);
  assert.equal(memoryDenials(r).length, 1, JSON.stringify(r.events));
  assert.equal(memoryDenials(r)[0].path, "/data/sparse.bin");
  const grownMiB = (process.memoryUsage().rss - rssBefore) / MiB;
  assert.ok(grownMiB < 128, `RSS grew by ${grownMiB.toFixed(0)} MiB under a 16 MiB limit`);
  // The shared engine is alive for the next guest.
  const next = await runGuest("hello", []);
  assert.equal(next.exitCode, 0, describeRun(next));
});

test("names past 255 bytes are ENAMETOOLONG; shorter ones count against limits.memory", async () => {
  // The attack: 4,000 directories with 60 kB names, 282 MiB under writtenBytes: 1024
  // (and 100 s spent comparing the names).
  const fs = new MemFS();
  fs.mkdir("/data");
  const options = { preopens: { "/data": fs.subtree("/data") }, policy: { limits: { writtenBytes: 1024, memory: MiB } } };
  const long = await runGuest("memory_hog", ["names", "4000", "60000"], options);
  assert.equal(long.out, "names: 0 done, then errno=37 ENAMETOOLONG\n");
  const r = await runGuest("memory_hog", ["names", "4000", "255"], options);
  assert.equal(r.exitCode, 0, describeRun(r));
  const made = Number(r.out.match(/^names: (\d+) done, then errno=19 EDQUOT\n$/)?.[1]);
  assert.ok(made > 2000 && made * 255 <= MiB, r.out);
  assert.equal(fs.readdir("/data").length, made);
  assert.equal(memoryDenials(r).length, 1);
  assert.equal(memoryDenials(r)[0].op, "path_create_directory");
  assert.throws(() => fs.mkdir(`/data/${"x".repeat(256)}`), { code: "ENAMETOOLONG" });
});

test("a MemFS shared by two guests is bounded in total, and freeing makes room again", async () => {
  const fs = new MemFS();
  fs.mkdir("/data");
  const options = { preopens: { "/data": fs.subtree("/data") }, policy: { limits: { memory: 8 * MiB } } };
  const first = await runGuest("memory_hog", ["sparse", "/data/a.bin", "5"], options);
  assert.equal(first.out, "sparse: 5 done\n");
  const second = await runGuest("memory_hog", ["sparse", "/data/b.bin", "5"], options);
  assert.match(second.out, /^sparse: 2 done, then errno=19 EDQUOT\n$/, "the first guest's chunks count");
  fs.rm("/data/a.bin");
  const third = await runGuest("memory_hog", ["sparse", "/data/b.bin", "5"], options);
  assert.equal(third.out, "sparse: 5 done\n");
});

// ---- item 6: run() output is bounded -----------------------------------------------------------

test("run() stops a guest that writes more than maxOutput to stdout, with ERR_COVE_OUTPUT_LIMIT", async () => {
  const wasm = await guestModule("stdin_echo");
  const stdin = new Uint8Array(2 * MiB).fill(65);
  await assert.rejects(run(wasm, { args: ["stdin_echo"], stdin, maxOutput: MiB }), (e) => {
    assert.equal(e.code, "ERR_COVE_OUTPUT_LIMIT");
    assert.match(e.message, /more than options\.maxOutput \(1048576 bytes\) to stdout/);
    return true;
  });
  const exact = await run(wasm, { args: ["stdin_echo"], stdin, maxOutput: 2 * MiB });
  assert.equal(exact.stdoutBytes.length, 2 * MiB, "exactly maxOutput is fine");
  assert.match(exact.stderr, /stdin_echo: 2097152 bytes/);
});

test("run() collects at most 64 MiB of a stream by default", async () => {
  const wasm = await guestModule("stdin_echo");
  const stdin = new Uint8Array(64 * MiB + 1);
  await assert.rejects(run(wasm, { args: ["stdin_echo"], stdin }), { code: "ERR_COVE_OUTPUT_LIMIT", message: /\(67108864 bytes\)/ });
});

test("run() refuses a maxOutput that is not a whole number of bytes", async () => {
  const wasm = await guestModule("hello");
  for (const maxOutput of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
    await assert.rejects(run(wasm, { maxOutput }), {
      code: "ERR_OUT_OF_RANGE",
      message: `The value of "options.maxOutput" is out of range. It must be a whole number of bytes >= 0 (default 67108864). Received ${maxOutput}`,
    });
  }
  for (const maxOutput of ["1", {}, [], null, true, 1n]) {
    await assert.rejects(run(wasm, { maxOutput }), { code: "ERR_INVALID_ARG_TYPE", message: /^The "options\.maxOutput" property must be of type number\./ });
  }
});

test("startWorker refuses an outputWindow that is not a positive byte count or Infinity, as maxOutput", () => {
  const wasm = new Uint8Array(8); // refused before the module is looked at
  for (const outputWindow of [0, -1, 1.5, NaN, -Infinity]) {
    assert.throws(() => startWorker(wasm, { outputWindow }), {
      code: "ERR_OUT_OF_RANGE",
      message: `The value of "options.outputWindow" is out of range. It must be a whole number of bytes >= 1 or Infinity (default 1048576). Received ${outputWindow}`,
    });
  }
  for (const outputWindow of ["1024", {}, null, false]) {
    assert.throws(() => startWorker(wasm, { outputWindow }), { code: "ERR_INVALID_ARG_TYPE", message: /^The "options\.outputWindow" property must be of type number\./ });
  }
  assert.equal(outputWindowOption(Infinity), Infinity);
  assert.equal(outputWindowOption(undefined), 1 << 20);
  assert.equal(outputWindowOption(2 ** 40), 2 ** 30, "capped, so 32-bit counts still compare");
});

// ---- item 7: the policy is read once and must be finite ----------------------------------------

/** Runs `files ls /etc` under `policy`: whether the guest could see a mount at /etc. */
async function seesEtc(policy) {
  const r = await runGuest("files", ["ls", "/etc"], { policy });
  return r.exitCode === 0;
}

test("an inherited or toJSON-hidden mounts list mounts nothing (the engine never saw it)", async () => {
  const etc = [{ guest: "/etc", host: "/etc", mode: "rw" }];
  assert.equal(await seesEtc({ mounts: etc }), true, "the control: a plain policy mounts /etc");
  assert.equal(await seesEtc(Object.create({ mounts: etc })), false, "inherited");
  assert.equal(await seesEtc({ mounts: etc, toJSON: () => ({}) }), false, "hidden by toJSON");
  let reads = 0;
  const changing = { get mounts() { return reads++ === 0 ? [] : etc; } };
  assert.equal(await seesEtc(changing), false, "a getter is read once");
});

test("non-finite numbers anywhere in a policy are errors naming the key", () => {
  const cases = [
    [{ limits: { fileBytes: NaN } }, /^policy\.limits\.fileBytes: expected a finite number \(got NaN\)$/],
    [{ limits: { memory: Infinity } }, /^policy\.limits\.memory: expected a finite number \(got Infinity\)$/],
    [{ limits: { openFiles: -Infinity } }, /^policy\.limits\.openFiles: expected a finite number \(got -Infinity\)$/],
    [{ clock: { rate: NaN } }, /^policy\.clock\.rate: expected a finite number/],
    [{ random: { seed: Infinity } }, /^policy\.random\.seed: expected a finite number/],
    [{ mounts: [{ guest: "/a", host: "a" }, { guest: "/b", host: "b", x: NaN }] }, /^policy\.mounts\[1\]\.x: expected a finite number/],
    [{ mounts: [{ guest: "/d", host: "" }] }, /^policy\.mounts\[0\]\.host: empty /],
    [{ toJSON: () => undefined }, /^policy: not JSON-serialisable/],
    [{ limits: { memory: 1n } }, /^policy: not JSON-serialisable/],
  ];
  for (const [policy, message] of cases) {
    assert.throws(() => new WASI({ version: "preview1", policy }), { code: "ERR_COVE_INVALID_CONFIG", message }, message.source);
  }
});

test("cove run --policy: an infinite limit or an empty host path names the key", async (t) => {
  const dir = tempDir("cove-limits-");
  t.after(dir.cleanup);
  const cases = [
    ['{"limits": {"fileBytes": 1e999}}', "policy.limits.fileBytes: expected a finite number (got Infinity)"],
    ['{"mounts": [{"guest": "/d", "host": ""}]}', 'policy.mounts[0].host: empty (expected a directory path; "." for the working directory)'],
  ];
  for (const [i, [text, message]] of cases.entries()) {
    const file = join(dir.dir, `policy${i}.json`);
    writeFileSync(file, text);
    const r = await runCove(["run", "--policy", file, guest("hello")]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `cove: ${file}: ${message}\n`);
  }
});

// ---- item 9a: a constructor that throws leaks nothing ------------------------------------------

const openFds = () => readdirSync("/proc/self/fd").length;

test("a WASI constructor that throws leaves no engine context and no host descriptor behind", { skip: process.platform !== "linux" && "needs /proc/self/fd" }, () => {
  const host = join(tmpdir(), `cove-limits-${process.pid}`);
  mkdirSync(host, { recursive: true });
  const throwing = [
    { blocking: "bogus" },
    ...(hasJspi() ? [] : [{ blocking: "jspi" }]), // the case: JSPI asked for on Node 20
    { args: ["a\0b"] }, // refused by the engine, after the host directory was opened
    { policy: { limits: { memory: NaN } } },
  ];
  // Warm up: the first construction loads and compiles the engine.
  new WASI({ version: "preview1", preopens: { "/d": host } }).dispose();
  const fdsBefore = openFds();
  const contextsBefore = currentEngine().contexts.length;
  for (let i = 0; i < 200; i++) {
    for (const options of throwing) {
      assert.throws(() => new WASI({ version: "preview1", preopens: { "/d": host }, ...options }));
    }
  }
  assert.equal(openFds(), fdsBefore, "host descriptors leaked");
  assert.equal(currentEngine().contexts.length, contextsBefore, "engine contexts leaked");
});

test("a host directory's own EDQUOT (a disk quota) reaches the guest as itself, not as limits.memory", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // A host backend whose disk is over quota for new directories: what a real quota answers.
  const disk = new NodeDirectory(dir);
  const overQuota = {};
  for (const name of Object.getOwnPropertyNames(NodeDirectory.prototype)) {
    if (name !== "constructor") overQuota[name] = disk[name].bind(disk);
  }
  overQuota.createDir = () => { throw { errno: 19 }; }; // WASI's EDQUOT
  let i = 0;
  const lines = ["mkdir q"];
  const r = await runGuest("path_ops", [], { preopens: { "/data": overQuota }, stdin: () => (i < lines.length ? `${lines[i++]}\n` : null) });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.match(r.out, /errno=19 EDQUOT/, r.out);
  assert.deepEqual(r.events.filter((e) => e.type === "denied"), [], "no memory-limit denial for the host's own quota");
});
