// Stdout to a host fd is buffered as C's stdio buffers it (docs/engine-abi.md, "Stdout
// buffering"): in blocks when it is a pipe or a file, by line on a terminal. Buffering must not
// change what a user sees: each test drives a real guest with host fds (pipes to a child process
// running `new WASI` through `node -e` or `cove run`, a pseudo-terminal from util-linux `script`)
// and checks what shows up and in which order.
//
// No assertion here is about time: a guest that waits does so for a minute, and the test ends it
// as soon as the output it waits for has arrived; the timeout only turns a hang into a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { coveBin, collect, guest, runCove } from "./cli-helpers.mjs";
import { root } from "../scripts/lib.mjs";
import { ensureGuestsBuilt } from "./guests/harness.mjs";

ensureGuestsBuilt(); // when this file runs on its own

const options = { timeout: 60_000 };
const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
const LONG_WAIT_MS = "60000";

/**
 * Runs guest `name` in a child Node process through `new WASI` with the process's own stdio
 * (fds 0, 1, 2), counting the process's write calls on fd 1. `shell` wraps the command
 * (e.g. `CMD 2>&1`). Resolves the child and a collector of its output.
 */
function spawnWasi(name, args, { shell = (cmd) => cmd } = {}) {
  const script = `
    import fs from "node:fs";
    import { syncBuiltinESMExports } from "node:module";
    let writes = 0;
    const writeSync = fs.writeSync;
    fs.writeSync = (fd, ...rest) => { if (fd === 1) writes++; return writeSync(fd, ...rest); };
    syncBuiltinESMExports(); // cove's own \`import { writeSync }\` now counts too
    const { WASI } = await import("cove");
    const [path, ...args] = process.argv.slice(1);
    const wasi = new WASI({ version: "preview1", args: [path, ...args], returnOnExit: true });
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(path), wasi.getImportObject());
    let code;
    try {
      code = wasi.start(instance);
    } finally {
      writeSync(2, "[writes to fd 1: " + writes + "]");
    }
    process.exitCode = code;
  `;
  const command = [process.execPath, "--input-type=module", "-e", script, guest(name), ...args].map(quote).join(" ");
  // `exec`: the shell becomes the guest's process, so killing the child ends the guest.
  const child = spawn("sh", ["-c", `exec ${shell(command)}`], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  return { child, out: collect(child) };
}

const writeCount = (stderr) => Number(/\[writes to fd 1: (\d+)\]/.exec(stderr)?.[1]);

test("a pipe gets stdout in blocks: 1,000 lines cost a handful of writes, whole and in order", options, async () => {
  const args = Array.from({ length: 1000 }, (_, i) => `argument-${i}`);
  const { child, out } = spawnWasi("hello", args);
  child.stdin.end();
  const r = await out.done;
  assert.equal(r.code, 0, r.stderr);
  const expected = ["Hello from Cove!", `arg 0: ${guest("hello")}`, ...args.map((a, i) => `arg ${i + 1}: ${a}`)].join("\n") + "\n";
  assert.equal(r.stdout, expected);
  const writes = writeCount(r.stderr);
  assert.ok(writes >= 1 && writes <= 5, `1,001 lines took ${writes} writes to fd 1`);
});

test("prints, then reads stdin: the prompt shows before the guest waits for input", options, async () => {
  const { child, out } = spawnWasi("repl", []);
  // The prompt has no newline and stdin stays open: it can only arrive if the read flushed it.
  let at = await out.waitFor("stdout", "> ");
  child.stdin.write("6*7\n");
  at = await out.waitFor("stdout", "42\n> ", at);
  child.stdin.end();
  const r = await out.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "> 42\n> \n");
});

test("stdout then stderr on one shared fd (2>&1) keep the guest's order", options, async () => {
  const { child, out } = spawnWasi("interleave", ["200"], { shell: (cmd) => `${cmd} 2>&1` });
  child.stdin.end();
  const r = await out.done;
  assert.equal(r.code, 0, r.stdout);
  const expected = Array.from({ length: 200 }, (_, i) => `out ${i}\nerr ${i}\n`).join("");
  assert.equal(r.stdout.replace(/\[writes to fd 1: \d+\]$/, ""), expected);
});

test("prints, then traps: the output before the trap is kept (WASI API and cove run)", options, async () => {
  const { child, out } = spawnWasi("trap", ["unreachable"]);
  child.stdin.end();
  const r = await out.done;
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, "before trap");
  assert.match(r.stderr, /RuntimeError: unreachable/);

  const cli = await runCove(["run", guest("trap"), "oob"]);
  assert.equal(cli.code, 134, cli.stderr);
  assert.equal(cli.stdout, "before trap");
});

test("prints, then exits non-zero: the output arrives, then the status", options, async () => {
  const r = await runCove(["run", guest("exit_code"), "3"]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, "exit 3");
});

test("prints, then sleeps: the output shows before the sleep ends", options, async () => {
  const { child, out } = spawnWasi("print_wait", ["sleep", LONG_WAIT_MS]);
  child.stdin.end();
  await out.waitFor("stdout", "waiting\n");
  // The guest is still asleep: what showed was flushed when it began to sleep, not at exit.
  assert.doesNotMatch(out.seen.stdout, /done/);
  child.kill("SIGKILL");
  const r = await out.done;
  assert.equal(r.stdout, "waiting\n");
});

test("the same guest through cove run: printed before the sleep, seen before it ends", options, async () => {
  const child = spawn(process.execPath, [coveBin, "run", guest("print_wait"), "sleep", LONG_WAIT_MS], { stdio: ["ignore", "pipe", "pipe"] });
  const out = collect(child);
  await out.waitFor("stdout", "waiting\n");
  assert.doesNotMatch(out.seen.stdout, /done/);
  child.kill("SIGKILL");
  await out.done;
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

/** Runs `cove run ARGS` on a pseudo-terminal (util-linux `script`); the collector sees the tty. */
function spawnOnTerminal(args) {
  const command = [process.execPath, coveBin, "run", ...args].map(quote).join(" ");
  // Its own process group, so the test can end `script` and everything on its terminal at once.
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"], detached: true });
  return { child, out: collect(child), kill: () => process.kill(-child.pid, "SIGKILL") };
}

test("a terminal sees each line as it is written, while the guest is still busy", { ...options, skip: !hasScript && "no util-linux script" }, async () => {
  // The guest prints a line, then computes (spins on the clock, which flushes nothing): only
  // line buffering shows the line now.
  const { out, kill } = spawnOnTerminal([guest("print_wait"), "spin", LONG_WAIT_MS]);
  try {
    await out.waitFor("stdout", "waiting\r\n");
    assert.doesNotMatch(out.seen.stdout, /done/);
  } finally {
    kill();
  }
  await out.done;
});

test("a terminal: a guest's output is exactly what it wrote, and isatty holds", { ...options, skip: !hasScript && "no util-linux script" }, async () => {
  const { child, out } = spawnOnTerminal([guest("isatty")]);
  child.stdin.end();
  const r = await out.done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stdin=\w+ stdout=true stderr=true\r\n$/);
});
