// `run(wasm, options)`: compile, instantiate and start a guest in one call, capturing its output.
import { WASI } from "./wasi.js";
import { OutputCollector, maxOutputOf } from "./output.js";
import { loadGuest, startGuest } from "./guest-module.js";

const decoder = new TextDecoder();

/**
 * Runs a WASI command: a preview-1 module (`_start`) or a preview-2 command component
 * (`wasi:cli/run`), told apart by the binary's preamble. `fs` (a MemFS), when given, is the guest's `/` unless `preopens` or the
 * policy's mounts say otherwise (nothing is mounted by default);
 * stdout and stderr are collected (and also passed to `onStdout`/`onStderr` as they arrive), up
 * to `maxOutput` bytes each (output.js): past that the guest is stopped and the promise rejects
 * with ERR_COVE_OUTPUT_LIMIT.
 * @returns {Promise<{ exitCode: number, stdout: string, stderr: string }>}
 */
export async function run(wasm, options = {}) {
  const { args = ["main.wasm"], env = {}, fs, stdin = "", onStdout, onStderr, maxOutput, ...rest } = options;
  const max = maxOutputOf(maxOutput);
  const guest = await loadGuest(wasm, "run");
  const out = new OutputCollector("stdout", max, onStdout), err = new OutputCollector("stderr", max, onStderr);
  const wasi = new WASI({ version: "preview1", args, env, fs, stdin, returnOnExit: true, ...rest, stdout: out.push, stderr: err.push });
  try {
    const exitCode = await startGuest(guest, wasi);
    const stdoutBytes = out.bytes(), stderrBytes = err.bytes();
    return { exitCode, stdout: decoder.decode(stdoutBytes), stderr: decoder.decode(stderrBytes), stdoutBytes, stderrBytes };
  } finally {
    wasi.dispose();
  }
}
