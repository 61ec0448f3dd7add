// Runs a tests/guests program as built for either target through `run()`, the one call a user
// makes for both: "p1" is the wasm32-wasip1 module (build/guests), "p2" the wasm32-wasip2
// command component of the same source (build/guests-p2). Shared by tests/parity*.test.mjs and
// tests/jspi.test.mjs.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "cove";
import { concat, ensureGuestsBuilt, guestsDir, guestsP2Dir } from "./harness.mjs";

export const TARGETS = ["p1", "p2"];
const dirs = { p1: guestsDir, p2: guestsP2Dir };

const bytesCache = new Map();
/** The bytes of guest `name` built for `target` ("p1" | "p2"), read once per test process. */
export function guestBytes(target, name) {
  ensureGuestsBuilt();
  const path = join(dirs[target], `${name}.wasm`);
  if (!bytesCache.has(path)) {
    if (!existsSync(path)) throw new Error(`guest ${name} (${target}) not built: ${path} is missing`);
    bytesCache.set(path, readFile(path));
  }
  return bytesCache.get(path);
}

const decoder = new TextDecoder();

/**
 * `run()` of guest `name` built for `target`, argv [name, ...args], with `options`. Output is
 * taken from onStdout/onStderr, so what a guest printed before a trap is kept. Returns
 * { exitCode, error (what run() rejected with), stdout, stderr (bytes), out, err, events }.
 */
export async function runTarget(target, name, args = [], options = {}) {
  const stdoutChunks = [];
  const stderrChunks = [];
  const events = [];
  let exitCode;
  let error;
  try {
    ({ exitCode } = await run(await guestBytes(target, name), {
      args: [name, ...args],
      onEvent: (event) => events.push(event),
      ...options,
      onStdout: (chunk) => { stdoutChunks.push(chunk); },
      onStderr: (chunk) => { stderrChunks.push(chunk); },
    }));
  } catch (e) {
    error = e;
  }
  const stdout = concat(stdoutChunks);
  const stderr = concat(stderrChunks);
  // Decoded when asked: 100 MiB of binary stdout need not become a string.
  return { exitCode, error, stdout, stderr, events, get out() { return decoder.decode(stdout); }, get err() { return decoder.decode(stderr); } };
}

/** How a run ended, for a failed assertion's message. */
export function describeTargetRun(target, r) {
  return `${target}: exit ${r.exitCode}, error ${r.error?.stack ?? "none"}, stderr: ${r.err.slice(0, 2000)}`;
}

/** Runs `name` on both targets with the options `optionsFor(target)` makes; returns { p1, p2 }. */
export async function runBoth(name, args, optionsFor = () => ({})) {
  const results = {};
  for (const target of TARGETS) results[target] = await runTarget(target, name, args, optionsFor(target));
  return results;
}

/** Asserts exit 0 on both targets and the same stdout and stderr bytes. */
export function assertSameSuccess({ p1, p2 }) {
  for (const [target, r] of Object.entries({ p1, p2 })) assert.equal(r.exitCode, 0, describeTargetRun(target, r));
  assert.equal(p2.out, p1.out, "stdout differs between the p1 module and the p2 component");
  assert.equal(p2.err, p1.err, "stderr differs between the p1 module and the p2 component");
}
