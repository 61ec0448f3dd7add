// `cove run`: exit statuses, arguments, environment, directories, and traps with backtraces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { guest, runCove, tempDir, writeWat } from "./cli-helpers.mjs";

test("the exit status is the guest's exit code, and its unterminated last line is kept", async () => {
  for (const code of [0, 1, 3, 42, 255]) {
    const r = await runCove(["run", guest("exit_code"), String(code)]);
    assert.equal(r.code, code);
    assert.equal(r.stdout, `exit ${code}`);
  }
});

test("guest arguments: argv[0] is the module as given, the rest verbatim (UTF-8, spaces, dashes)", async () => {
  const file = guest("hello");
  const r = await runCove(["run", file, "plain", "two words", "ünïcødé ✓", "--dir", ""]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, ["Hello from Cove!", `arg 0: ${file}`, "arg 1: plain", "arg 2: two words",
    "arg 3: ünïcødé ✓", "arg 4: --dir", "arg 5: ", ""].join("\n"));
});

test("the guest sees no environment variables unless granted", async () => {
  const r = await runCove(["run", guest("env_list")], { env: { ...process.env, COVE_SECRET: "hunter2" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "");
});

test("--env NAME=VALUE sets; --env NAME passes a host variable through; unset names are skipped", async () => {
  const r = await runCove(
    ["run", "--env", "GREETING=hello world", "--env", "COVE_PASSED", "--env", "COVE_UNSET", "--env", "EMPTY=", guest("env_list")],
    { env: { ...process.env, COVE_PASSED: "from host", COVE_SECRET: "hunter2" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "COVE_PASSED=from host\nEMPTY=\nGREETING=hello world\n");
});

test("--env NAME=VALUE wins over a passed-through NAME", async () => {
  const r = await runCove(["run", "--env", "COVE_X", "--env", "COVE_X=flag", guest("env_list")],
    { env: { ...process.env, COVE_X: "host" } });
  assert.equal(r.stdout, "COVE_X=flag\n");
});

test("without --dir the guest sees no host files", async (t) => {
  const r = await runCove(["run", guest("files"), "ls", "/"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^files: ls \/: /);
  const cat = await runCove(["run", guest("files"), "cat", join(process.cwd(), "package.json")]);
  assert.equal(cat.code, 1);
  assert.equal(cat.stdout, "");
});

test("--dir HOST::GUEST: the guest reads and writes the host directory", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "in.txt"), "from the host\n");
  const cat = await runCove(["run", "--dir", `${dir}::/data`, guest("files"), "cat", "/data/in.txt"]);
  assert.equal(cat.code, 0, cat.stderr);
  assert.equal(cat.stdout, "from the host\n");
  const write = await runCove(["run", `--dir=${dir}::/data`, guest("files"), "write", "/data/sub-out.txt", "from the guest"]);
  assert.equal(write.code, 0, write.stderr);
  assert.equal(readFileSync(join(dir, "sub-out.txt"), "utf8"), "from the guest");
});

test("--dir HOST alone: the guest sees it under the same path", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "inner"));
  writeFileSync(join(dir, "inner", "f.txt"), "x");
  const r = await runCove(["run", "--dir", dir, guest("files"), "ls", join(dir, "inner")]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "f.txt\n");
});

test("a relative --dir is relative to the current directory", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "rel"));
  writeFileSync(join(dir, "rel", "f.txt"), "relative\n");
  const r = await runCove(["run", "--dir", "rel::/r", guest("files"), "cat", "/r/f.txt"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "relative\n");
});

// ---- traps ----------------------------------------------------------------------------------

const wasiStart = (body, extra = "") => `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before the trap\\n")
  (func $say_before (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ${extra}
  (func $start (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 16))
    (call $say_before)
    ${body}))`;

/** Parses "   N: 0xOFF - NAME" backtrace lines into names. */
function backtraceNames(stderr) {
  const lines = stderr.split("\n");
  const at = lines.indexOf("wasm backtrace:");
  assert.ok(at > 0, stderr);
  return lines.slice(at + 1).filter(Boolean).map((line) => {
    const m = /^ +(\d+): +0x[0-9a-f]+ - (.+)$/.exec(line);
    assert.ok(m, `backtrace line: ${JSON.stringify(line)}`);
    return m[2];
  });
}

test("a trap: output so far, the message, a named backtrace, exit 134", async (t) => {
  const file = writeWat(tempDir(t), "trap.wasm", wasiStart("(call $outer)",
    "(func $inner (unreachable)) (func $outer (call $inner))"));
  const r = await runCove(["run", file]);
  assert.equal(r.code, 134);
  assert.equal(r.stdout, "before the trap\n");
  assert.equal(r.stderr.split("\n")[0], `cove: ${file}: wasm trap: unreachable`);
  assert.deepEqual(backtraceNames(r.stderr), ["inner", "outer", "start"]);
});

test("a trap in a module without a name section: function indices", async (t) => {
  const file = writeWat(tempDir(t), "anon.wasm", wasiStart("(call $outer)",
    "(func $inner (unreachable)) (func $outer (call $inner))"), { names: false });
  const r = await runCove(["run", file]);
  assert.equal(r.code, 134);
  // Index 0 is the fd_write import; $say_before is 1, $inner 2, $outer 3, $start 4.
  assert.deepEqual(backtraceNames(r.stderr), ["<wasm function 2>", "<wasm function 3>", "<wasm function 4>"]);
});

test("trap messages say what happened", async (t) => {
  const dir = tempDir(t);
  const cases = [
    ["(drop (i32.div_u (i32.const 1) (i32.const 0)))", "divide by zero"],
    ["(drop (i32.load (i32.const -4)))", "memory access out of bounds"],
  ];
  for (const [i, [body, message]] of cases.entries()) {
    const file = writeWat(dir, `t${i}.wasm`, wasiStart(body));
    const r = await runCove(["run", file]);
    assert.equal(r.code, 134);
    assert.equal(r.stderr.split("\n")[0], `cove: ${file}: wasm trap: ${message}`);
    assert.deepEqual(backtraceNames(r.stderr), ["start"]);
  }
});

test("unbounded recursion: stack exhaustion is a trap, with a cut backtrace", async (t) => {
  const file = writeWat(tempDir(t), "deep.wasm", wasiStart("(call $down)", "(func $down (call $down))"));
  const r = await runCove(["run", file]);
  assert.equal(r.code, 134);
  assert.equal(r.stderr.split("\n")[0], `cove: ${file}: wasm trap: Maximum call stack size exceeded`);
  const names = backtraceNames(r.stderr.replace(/\n +… cut at \d+ frames\n$/, "\n"));
  assert.ok(names.length > 10 && names.every((n) => n === "down"), names.join(","));
  assert.match(r.stderr, /\n {4}… cut at \d+ frames\n$/);
});

test("a Rust panic: the guest's panic message, then the trap with the guest's function names", async () => {
  const r = await runCove(["run", guest("trap"), "panic"]);
  assert.equal(r.code, 134);
  assert.match(r.stderr, /panicked at/);
  const names = backtraceNames(r.stderr);
  assert.ok(names.includes("trap::main"), names.join("\n"));
  assert.equal(names.at(-1), "_start");
});

test("a Rust guest hitting unreachable: trap::main at the top", async () => {
  const r = await runCove(["run", guest("trap"), "unreachable"]);
  assert.equal(r.code, 134);
  assert.equal(r.stderr.split("\n").find((l) => l.startsWith("cove:")), `cove: ${guest("trap")}: wasm trap: unreachable`);
  assert.equal(backtraceNames(r.stderr)[0], "trap::main");
});
