// Guests under Cove in a child Node process using the process's own stdio, as a program that
// swaps node:wasi for Cove would: default stdin/stdout/stderr are fds 0/1/2 (pipes here), and
// returnOnExit: false ends the process with the guest's exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";
import { ensureGuestsBuilt, guestsDir } from "./guests/harness.mjs";

ensureGuestsBuilt(); // when this file runs on its own

/** Runs guest `name` in a child process through `new WASI({...options})` with default stdio. */
function runInChild(name, args, { options = {}, stdin = Buffer.alloc(0), slowReader = false } = {}) {
  const script = `
    import { readFileSync } from "node:fs";
    import { WASI } from "cove";
    const [path, options, ...args] = process.argv.slice(1);
    const wasi = new WASI({ version: "preview1", args: [path, ...args], ...JSON.parse(options) });
    const { instance } = await WebAssembly.instantiate(readFileSync(path), wasi.getImportObject());
    const code = wasi.start(instance);
    process.stderr.write("[start returned " + code + "]");
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, join(guestsDir, `${name}.wasm`), JSON.stringify(options), ...args],
    { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const out = [];
  const err = [];
  child.stdout.on("data", (chunk) => {
    out.push(chunk);
    if (slowReader) {
      // Let the pipe fill up so the guest's writes meet a full (non-blocking) pipe.
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    }
  });
  child.stderr.on("data", (chunk) => err.push(chunk));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
}

test("default stdio: 4 MiB through the process's stdin and stdout pipes, to a slow reader, arrives whole", async () => {
  const data = randomBytes(4 * 1024 * 1024);
  const r = await runInChild("stdin_echo", [], { options: { returnOnExit: true }, stdin: data, slowReader: true });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.length, data.length, r.stderr);
  assert.ok(r.stdout.equals(data), "stdout differs from stdin");
  assert.match(r.stderr, new RegExp(`stdin_echo: ${data.length} bytes\\n\\[start returned 0\\]$`));
});

test("returnOnExit: false ends the process with the guest's exit code, after its output", async () => {
  const r = await runInChild("exit_code", ["7"], { options: { returnOnExit: false } });
  assert.equal(r.status, 7, r.stderr);
  assert.equal(r.stdout.toString(), "exit 7");
  assert.doesNotMatch(r.stderr, /start returned/);
});

test("a trap in a process using default stdio: the guest's stderr arrives and the error propagates", async () => {
  const r = await runInChild("trap", ["panic"], { options: { returnOnExit: true } });
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout.toString(), "before trap");
  assert.match(r.stderr, /cove test panic: the guest gave up/);
  assert.match(r.stderr, /RuntimeError: unreachable/);
});
