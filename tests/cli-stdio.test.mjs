// Live streams through `cove run`: an interactive guest answers each line before the next is
// sent, output appears as it is written and in order, stdin reaches EOF, Ctrl-C exits 130.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { coveBin, collect, guest, runCove, spawnCove, tempDir, writeWat } from "./cli-helpers.mjs";

// No assertion here is about time; the timeout only turns a hang (output held back) into a failure.
const options = { timeout: 60_000 };

test("an interactive guest answers each line before the next is sent", options, async () => {
  const child = spawnCove(["run", guest("repl")]);
  const out = collect(child);
  // The prompt has no newline and stdin stays open: it can only arrive if output is live.
  let at = await out.waitFor("stdout", "> ");
  for (const [line, answer] of [["1+2", "3"], ["6*7", "42"], ["(1 + 2) * -3", "-9"]]) {
    child.stdin.write(`${line}\n`);
    at = await out.waitFor("stdout", `${answer}\n> `, at);
  }
  // Errors go to stderr, also live, and the guest keeps going.
  child.stdin.write("1+\n");
  await out.waitFor("stderr", "error:");
  at = await out.waitFor("stdout", "> ", at);
  child.stdin.end(); // EOF: the guest ends its prompt line and exits 0
  const r = await out.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "> 3\n> 42\n> -9\n> > \n");
});

test("piped input: printf '1+2\\n' | cove run repl.wasm", options, async () => {
  const r = await runCove(["run", guest("repl")], { input: "1+2\n" });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "> 3\n> \n");
});

test("stdin is passed byte for byte and EOF reaches the guest", options, async () => {
  const input = "line one\nünïcødé\n\0binary\xff\n".repeat(3) + "no newline at the end";
  const r = await runCove(["run", guest("stdin_echo")], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, input);
  assert.equal(r.stderr, `stdin_echo: ${Buffer.byteLength(input)} bytes\n`);
});

test("a large stdin (4 MiB through a pipe) arrives whole", options, async () => {
  const input = "0123456789abcdef".repeat(256 * 1024);
  const r = await runCove(["run", guest("stdin_echo")], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, input.length);
  assert.ok(r.stdout === input, "stdout equals stdin");
});

test("an empty stdin is an immediate EOF", options, async () => {
  const r = await runCove(["run", guest("stdin_echo")]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "stdin_echo: 0 bytes\n");
});

/** A guest writing out1, err1, out2, err2, … alternately to fds 1 and 2, `count` times each. */
function alternatingWriter(dir, count) {
  const data = [];
  const body = [];
  for (let i = 1; i <= count; i++) {
    for (const [fd, name] of [[1, "out"], [2, "err"]]) {
      const text = `${name}${i}\\n`;
      const at = 64 + data.length * 16;
      data.push(`(data (i32.const ${at}) "${text}")`);
      body.push(`(call $say (i32.const ${fd}) (i32.const ${at}) (i32.const ${`${name}${i}`.length + 1}))`);
    }
  }
  return writeWat(dir, "alternate.wasm", `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    ${data.join("\n")}
    (func $say (param $fd i32) (param $ptr i32) (param $len i32)
      (i32.store (i32.const 0) (local.get $ptr)) (i32.store (i32.const 4) (local.get $len))
      (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
    (func (export "_start") ${body.join(" ")}))`);
}

test("stdout and stderr keep the guest's order when they share a pipe (2>&1)", options, async (t) => {
  const file = alternatingWriter(tempDir(t), 50);
  const child = spawn("sh", ["-c", `"${process.execPath}" "${coveBin}" run "${file}" 2>&1`], { stdio: ["ignore", "pipe", "pipe"] });
  const r = await collect(child).done;
  assert.equal(r.code, 0);
  const expected = Array.from({ length: 50 }, (_, i) => `out${i + 1}\nerr${i + 1}\n`).join("");
  assert.equal(r.stdout, expected);
});

// Ctrl-C: cove dies of SIGINT, as an interrupted command should, so a shell reports 130.
test("Ctrl-C while the guest waits for input: killed by SIGINT at once, status 130 in a shell", options, async () => {
  const shell = spawn("sh", ["-c", `"${process.execPath}" "${coveBin}" run "${guest("repl")}"; echo "status $?" >&2`],
    { stdio: ["pipe", "pipe", "pipe"] });
  const out = collect(shell);
  await out.waitFor("stdout", "> ");
  const cove = spawnSync("pgrep", ["-P", String(shell.pid)], { encoding: "utf8" }).stdout.trim();
  assert.match(cove, /^\d+$/, "one child of sh: cove");
  process.kill(Number(cove), "SIGINT");
  await out.waitFor("stderr", "status ");
  // The guest's stdin is still open: the shell went on because cove had ended.
  shell.stdin.end();
  const r = await out.done;
  assert.match(r.stderr, /(^|\n)status 130\n$/);
});

// (Stdout to a pipe is held in blocks, as C's stdio does; the guest says it is spinning on
// stderr, which is never held. tests/stdout-buffering.test.mjs covers what shows when.)
test("a guest in a long computation: Ctrl-C kills it by SIGINT", options, async (t) => {
  const file = writeWat(tempDir(t), "spin.wasm", `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "spinning\\n")
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 9))
      (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
      (loop $forever (br $forever))))`);
  const child = spawnCove(["run", file]);
  const out = collect(child);
  await out.waitFor("stderr", "spinning\n");
  child.kill("SIGINT");
  const r = await out.done;
  assert.equal(r.signal, "SIGINT");
  assert.equal(r.code, null);
});

test("stdout closed by its reader (| head): the guest gets EPIPE, cove does not crash", options, async () => {
  const child = spawn("sh", ["-c", `head -c 3000000 /dev/zero | "${process.execPath}" "${coveBin}" run "${guest("stdin_echo")}" | head -c 10 > /dev/null`],
    { stdio: ["ignore", "pipe", "pipe"] });
  const r = await collect(child).done;
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.match(r.stderr, /^stdin_echo: write failed after \d+ bytes: Broken pipe/m);
});
