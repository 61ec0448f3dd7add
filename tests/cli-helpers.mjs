// Shared by tests/cli*.test.mjs: run the `cove` command as a subprocess, find the test guests,
// and build tiny hand-written modules from WebAssembly text (binaryen) in a temporary directory.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const coveBin = join(root, "js", "bin", "cove.js");

/** build/guests/NAME.wasm, built by scripts/build.mjs from tests/guests. */
export function guest(name) {
  return join(root, "build", "guests", `${name}.wasm`);
}

// A test that fails while its guest still runs (a spinning one, say) must not leave it behind.
const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `node js/bin/cove.js ...args` with piped stdio (`node`: another Node binary). */
export function spawnCove(args, { env = process.env, cwd = root, node = process.execPath } = {}) {
  const child = spawn(node, [coveBin, ...args], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
  running.add(child);
  child.on("exit", () => running.delete(child));
  return child;
}

/**
 * Runs cove to completion. `input` (string) is written to stdin, then stdin is closed.
 * @returns {Promise<{ code: number|null, signal: string|null, stdout: string, stderr: string }>}
 */
export function runCove(args, { input = "", ...options } = {}) {
  const child = spawnCove(args, options);
  const out = collect(child);
  child.stdin.on("error", () => {}); // the guest may exit without reading all of its input
  child.stdin.end(input);
  return out.done;
}

/** Accumulates a child's output; `waitFor(stream, text)` resolves once `text` has appeared. */
export function collect(child) {
  const seen = { stdout: "", stderr: "" };
  const waiters = [];
  const check = () => {
    for (const w of [...waiters]) {
      const at = seen[w.stream].indexOf(w.text, w.from);
      if (at >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(at + w.text.length);
      }
    }
  };
  for (const stream of ["stdout", "stderr"]) {
    child[stream].setEncoding("utf8");
    child[stream].on("data", (chunk) => {
      seen[stream] += chunk;
      check();
    });
  }
  const done = new Promise((resolve) => {
    child.on("close", (code, signal) => {
      for (const w of waiters) w.reject(new Error(`cove exited before ${w.stream} showed ${JSON.stringify(w.text)}; ${w.stream} was ${JSON.stringify(seen[w.stream])}, stderr ${JSON.stringify(seen.stderr)}`));
      resolve({ code, signal, ...seen });
    });
  });
  return {
    seen,
    done,
    /** Resolves with the end position of the first `text` at or after `from` in `stream`. */
    waitFor(stream, text, from = 0) {
      return new Promise((resolve, reject) => {
        waiters.push({ stream, text, from, resolve, reject });
        check();
      });
    },
  };
}

/** A fresh temporary directory, removed by the returned cleanup function's caller. */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), "cove-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Compiles WebAssembly text to a .wasm file in `dir`; `names` keeps a name section. */
export function writeWat(dir, fileName, wat, { names = true } = {}) {
  const module = binaryen.parseText(wat);
  binaryen.setDebugInfo(names);
  try {
    const path = join(dir, fileName);
    writeFileSync(path, module.emitBinary());
    return path;
  } finally {
    binaryen.setDebugInfo(false);
    module.dispose();
  }
}

/** The usage's first line, which follows every bad-usage message. */
export const RUN_USAGE_LINE = "Usage: cove run [options] <file.wasm> [args...]";
export const MAIN_USAGE_LINE = "Usage: cove <command> [options]";
