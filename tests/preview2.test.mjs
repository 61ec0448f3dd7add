// WASI preview 2 from JS (docs/preview2.md): instantiate() of a component that imports wasi:*
// gets Cove's p2 host, run() and `cove run` take command components. The command is
// tests/wasip2-command (build/wasip2/wasip2-command.wasm, built by scripts/build.mjs); the
// small components written here in WAT pin down the wiring: user overrides, signature checks,
// a realloc that traps, WASI handles that must not become JS values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseWat } from "@bytecodealliance/jco";
import { run, instantiate, MemFS } from "../js/src/node.js";
import { root, runCove } from "./cli-helpers.mjs";

const commandPath = join(root, "build", "wasip2", "wasip2-command.wasm");
const command = readFileSync(commandPath);

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), "cove-p2-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A component importing wasi:cli/environment's get-arguments with the core type `lowered`
 * declares, exporting `count` (how many arguments it got). `realloc` is the body of its
 * cabi_realloc (a bump allocator unless given).
 */
async function argumentsComponent({ resultType = "(list string)", realloc, lowerOptions = "(memory (core memory $mem \"memory\")) (realloc (core func $mem \"realloc\"))", coreImport = "(param i32)", countBody = "(call $ga (i32.const 16)) (i32.load offset=4 (i32.const 16))" } = {}) {
  const bump = `(local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)`;
  return parseWat(`(component
    (import "wasi:cli/environment@0.2.0" (instance $env (export "get-arguments" (func (result ${resultType})))))
    (core module $Mem
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) ${realloc ?? bump}))
    (core instance $mem (instantiate $Mem))
    (alias export $env "get-arguments" (func $ga))
    (core func $ga_lowered (canon lower (func $ga) ${lowerOptions}))
    (core module $Main
      (import "env" "get-arguments" (func $ga ${coreImport}))
      (import "mem" "memory" (memory 1))
      (func (export "count") (result i32) ${countBody}))
    (core instance $main (instantiate $Main
      (with "env" (instance (export "get-arguments" (func $ga_lowered))))
      (with "mem" (instance $mem))))
    (func (export "count") (result u32) (canon lift (core func $main "count"))))`);
}

test("instantiate: wasi:* imports are served by Cove, with the options run() takes", async () => {
  const { exports } = await instantiate(await argumentsComponent(), {}, { wasi: { args: ["a", "b", "c"] } });
  assert.equal(exports.count(), 3);
});

test("instantiate: a wasi interface the embedder supplies is theirs, whole", async () => {
  const { exports } = await instantiate(await argumentsComponent(), { "wasi:cli/environment": { getArguments: () => ["only"] } }, { wasi: { args: ["a", "b"] } });
  assert.equal(exports.count(), 1);
});

test("instantiate: a wasi import lowered with the wrong core type is a LinkError naming it", async () => {
  const bytes = await argumentsComponent({ resultType: "u32", lowerOptions: "", coreImport: "(result i32)", countBody: "(call $ga)" });
  await assert.rejects(instantiate(bytes, {}), (e) => {
    assert.ok(e instanceof WebAssembly.LinkError, e);
    assert.match(e.message, /wasi:cli\/environment@0\.2\.0#get-arguments/);
    return true;
  });
});

test("instantiate: a wasi function Cove does not have is a LinkError naming it", async () => {
  const bytes = await parseWat(`(component
    (import "wasi:cli/environment@0.2.0" (instance $env (export "no-such-function" (func))))
    (alias export $env "no-such-function" (func $f))
    (core func $lowered (canon lower (func $f)))
    (core module $M (import "env" "f" (func)))
    (core instance (instantiate $M (with "env" (instance (export "f" (func $lowered)))))))`);
  await assert.rejects(instantiate(bytes, {}), /LinkError: import "wasi:cli\/environment@0\.2\.0#no-such-function": Cove's WASI preview 2 host does not provide this function/);
});

test("instantiate: a realloc that traps fails the call with its trap, not a wrong value", async () => {
  const { exports } = await instantiate(await argumentsComponent({ realloc: "unreachable" }), {}, { wasi: { args: ["a"] } });
  assert.throws(() => exports.count(), (e) => e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message));
});

test("instantiate: a WASI handle never becomes a JS value", async () => {
  const bytes = await parseWat(`(component
    (import "wasi:io/streams@0.2.0" (instance $io (export "output-stream" (type (sub resource)))))
    (alias export $io "output-stream" (type $os))
    (import "wasi:cli/stdout@0.2.0" (instance $out
      (alias outer 1 $os (type $os2))
      (export "output-stream" (type $os3 (eq $os2)))
      (export "get-stdout" (func (result (own $os3))))))
    (alias export $out "get-stdout" (func $get))
    (core func $lowered (canon lower (func $get)))
    (core module $M
      (import "cli" "get-stdout" (func $g (result i32)))
      (func (export "leak") (result i32) (call $g)))
    (core instance $m (instantiate $M (with "cli" (instance (export "get-stdout" (func $lowered))))))
    (func (export "leak") (result (own $os)) (canon lift (core func $m "leak"))))`);
  const { exports } = await instantiate(bytes, {}, { wasi: { stdout: () => {} } });
  assert.throws(() => exports.leak(), /a wasi:cli\/stdout@0\.2\.0#output-stream handle cannot be passed to or from JavaScript|wasi:io\/streams@0\.2\.0#output-stream handle cannot be passed/);
});

test("instantiate: a command's run export, called from JS, delivers its output at once", async () => {
  const chunks = [];
  const { exports } = await instantiate(command, {}, { wasi: { args: ["cmd", "hello"], stdout: (c) => chunks.push(Buffer.from(c).toString()) } });
  assert.equal(exports["wasi:cli/run@0.2.0"].run(), undefined);
  assert.equal(chunks.join(""), "hello from a component\n", "not held in the engine's stdout buffer");
});

test("run: a command component prints, and tells itself from a module by its preamble", async () => {
  const r = await run(command, { args: ["cmd", "hello"] });
  assert.deepEqual([r.exitCode, r.stdout, r.stderr], [0, "hello from a component\n", ""]);
});

test("run: args and env reach the component byte for byte", async () => {
  const r = await run(command, { args: ["cmd", "args-env", "ü ✓", ""], env: { A: "1", EMPTY: "", "U_Ä": "ö" } });
  assert.equal(r.stdout, "arg cmd\narg args-env\narg ü ✓\narg \nenv A=1\nenv EMPTY=\nenv U_Ä=ö\n");
});

test("run: stdout and stderr are told apart", async () => {
  const r = await run(command, { args: ["cmd", "stderr"] });
  assert.deepEqual([r.stdout, r.stderr], ["to stdout", "to stderr"]);
});

test("run: exit codes as wasi:cli/exit gives them (0 stays 0, any failure is 1)", async () => {
  const ok = await run(command, { args: ["cmd", "exit", "0"] });
  assert.deepEqual([ok.exitCode, ok.stdout], [0, "before exit"]);
  const failed = await run(command, { args: ["cmd", "exit", "7"] });
  assert.deepEqual([failed.exitCode, failed.stdout], [1, "before exit"]);
  const unknown = await run(command, { args: ["cmd", "nonsense"] });
  assert.equal(unknown.exitCode, 1);
});

test("run: a trap rejects with the RuntimeError after the output is delivered", async () => {
  const seen = [];
  await assert.rejects(run(command, { args: ["cmd", "trap"], onStdout: (c) => seen.push(Buffer.from(c).toString()) }), WebAssembly.RuntimeError);
  assert.equal(seen.join(""), "before trap");
});

test("run: stdin given up front is read", async () => {
  const r = await run(command, { args: ["cmd", "stdin"], stdin: "typed\n" });
  assert.equal(r.stdout, "stdin: typed\n");
});

test("run: a MemFS is the component's / (read and write)", async () => {
  const fs = new MemFS();
  fs.writeFile("/in.txt", "from memfs");
  const read = await run(command, { args: ["cmd", "read", "/in.txt"], fs });
  assert.equal(read.stdout, "from memfs");
  const wrote = await run(command, { args: ["cmd", "write", "/out.txt", "written"], fs });
  assert.equal(wrote.exitCode, 0, wrote.stdout + wrote.stderr);
  assert.equal(fs.readFile("/out.txt", "utf8"), "written");
});

test("run: a host directory preopen, and a read-only mount's denial reaches onEvent", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "ro"));
  writeFileSync(join(dir, "ro", "kept.txt"), "kept");
  const rw = await run(command, { args: ["cmd", "write", "/data/new.txt", "hello"], preopens: { "/data": dir } });
  assert.equal(rw.exitCode, 0, rw.stdout + rw.stderr);
  assert.equal(readFileSync(join(dir, "new.txt"), "utf8"), "hello");
  const events = [];
  const ro = await run(command, {
    args: ["cmd", "write", "/ro/kept.txt", "changed"],
    policy: { mounts: [{ host: join(dir, "ro"), guest: "/ro", mode: "ro" }] },
    onEvent: (e) => events.push(e),
  });
  assert.equal(ro.exitCode, 1); // the guest exits with 2: wasi:cli/exit@0.2.6 carries err only
  assert.match(ro.stdout, /write \/ro\/kept\.txt failed/);
  assert.equal(readFileSync(join(dir, "ro", "kept.txt"), "utf8"), "kept");
  assert.ok(events.some((e) => e.type === "denied" && e.path.includes("kept.txt")), JSON.stringify(events));
});

test("cove run: a component, with --dir, args and stdin", async (t) => {
  const dir = tempDir(t);
  const hello = await runCove(["run", commandPath, "hello"]);
  assert.deepEqual([hello.code, hello.stdout], [0, "hello from a component\n"]);
  const wrote = await runCove(["run", "--dir", `${dir}::/work`, commandPath, "write", "/work/f.txt", "cli"]);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.equal(readFileSync(join(dir, "f.txt"), "utf8"), "cli");
  const echoed = await runCove(["run", commandPath, "stdin"], { input: "piped" });
  assert.equal(echoed.stdout, "stdin: piped");
  const failed = await runCove(["run", commandPath, "exit", "3"]);
  assert.equal(failed.code, 1);
});

test("cove run: a component's trap is reported like a module's", async () => {
  const r = await runCove(["run", commandPath, "trap"]);
  assert.equal(r.stdout, "before trap");
  assert.match(r.stderr, /wasm trap: unreachable/);
  assert.equal(r.code, 134);
});
