// Runs the Rust guests of tests/guests (built into build/guests/<name>.wasm) under Cove's `WASI`
// and hands back what they printed as bytes and text. Shared by tests/guests*.test.mjs.
import { test } from "node:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "cove";
import { root, stale } from "../../scripts/lib.mjs";
import { buildGuests } from "../../scripts/build.mjs";
import { concat } from "../../js/src/output.js";

const workspace = join(root, "tests", "guests");
export const guestsDir = join(root, "build", "guests");
/** The same guests built for wasm32-wasip2: preview-2 command components (scripts/build.mjs). */
export const guestsP2Dir = join(root, "build", "guests-p2");

let built = false;
/** Builds the guests (both targets) when a test file runs on its own (`npm test` has built them already). */
export function ensureGuestsBuilt() {
  if (built) return;
  built = true;
  const sources = ["src", "reactor", "Cargo.toml"].map((p) => join(workspace, p));
  if (stale(join(guestsDir, "hello.wasm"), sources)) buildGuests(workspace, guestsDir);
  if (stale(join(guestsP2Dir, "hello.wasm"), sources)) buildGuests(workspace, guestsP2Dir, "wasm32-wasip2");
}

const modules = new Map();
/** The compiled guest `name`, compiled once per test process. */
export function guestModule(name) {
  ensureGuestsBuilt();
  if (!modules.has(name)) {
    const path = join(guestsDir, `${name}.wasm`);
    if (!existsSync(path)) throw new Error(`guest ${name} not built: ${path} is missing`);
    modules.set(name, readFile(path).then((bytes) => WebAssembly.compile(bytes)));
  }
  return modules.get(name);
}

const decoder = new TextDecoder();

export { concat };

/**
 * Runs guest `name` with argv [name, ...args] and any further `WASI` options (env, stdin,
 * preopens, fs, policy, onEvent...). stdout and stderr are captured through callbacks unless the
 * options give their own. Returns { exitCode, error (what start() threw, if anything),
 * stdout, stderr (bytes), out, err (their text), events (what onEvent received) }.
 * `hooks.instantiated(instance)` is called before the guest starts.
 */
export async function runGuest(name, args = [], options = {}, hooks = {}) {
  const stdoutChunks = [];
  const stderrChunks = [];
  const events = [];
  const wasi = new WASI({
    version: "preview1",
    args: [name, ...args],
    returnOnExit: true,
    stdout: (chunk) => stdoutChunks.push(chunk),
    stderr: (chunk) => stderrChunks.push(chunk),
    onEvent: (event) => events.push(event),
    ...options,
  });
  const instance = await WebAssembly.instantiate(await guestModule(name), wasi.getImportObject());
  hooks.instantiated?.(instance);
  let exitCode;
  let error;
  try {
    exitCode = await wasi.start(instance);
  } catch (e) {
    error = e;
  }
  const stdout = concat(stdoutChunks);
  const stderr = concat(stderrChunks);
  return { exitCode, error, stdout, stderr, out: decoder.decode(stdout), err: decoder.decode(stderr), events, stdoutChunks };
}

/** How a run ended, with the guest's stderr: the message for a failed assertion. */
export function describeRun(result) {
  return `exit ${result.exitCode}, error ${result.error?.stack ?? "none"}, stderr: ${result.err}`;
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix = "cove-guests-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** FNV-1a 32-bit, as the guests print it (8 hex digits). */
export function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export const hex = (bytes) => Buffer.from(bytes).toString("hex");

/**
 * `test`, except that tests named in `knownGaps` (name → reason) run as `todo`: they still run
 * and report, but an engine gap listed there does not fail `npm test`. Keep the list short and
 * each reason precise; remove entries as the engine closes them.
 */
export function testWithKnownGaps(knownGaps) {
  return (name, fn) => test(name, knownGaps[name] ? { todo: knownGaps[name] } : {}, fn);
}
