// `run(wasm, options)`: compile, instantiate and start a guest in one call, capturing its output.
import { WASI } from "./wasi.js";
import { OutputCollector, maxOutputOf } from "./output.js";

const decoder = new TextDecoder();

async function compile(wasm) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm instanceof URL || typeof wasm === "string") {
    const url = wasm instanceof URL ? wasm : new URL(wasm, globalThis.location?.href);
    if (url.protocol === "file:") {
      // A computed specifier: browser bundlers leave it alone (this branch only runs in Node).
      const nodeFs = "node:fs/promises";
      const { readFile } = await import(nodeFs);
      return WebAssembly.compile(await readFile(url));
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`run: fetching ${url} failed: ${response.status} ${response.statusText}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return WebAssembly.compile(wasm);
  throw new TypeError("run: expected the module as bytes, a WebAssembly.Module or a URL");
}

/**
 * Runs a WASI command. `fs` (a MemFS), when given, is the guest's `/` unless `preopens` or the
 * policy's mounts say otherwise (nothing is mounted by default);
 * stdout and stderr are collected (and also passed to `onStdout`/`onStderr` as they arrive), up
 * to `maxOutput` bytes each (output.js): past that the guest is stopped and the promise rejects
 * with ERR_COVE_OUTPUT_LIMIT.
 * @returns {Promise<{ exitCode: number, stdout: string, stderr: string }>}
 */
export async function run(wasm, options = {}) {
  const { args = ["main.wasm"], env = {}, fs, stdin = "", onStdout, onStderr, maxOutput, ...rest } = options;
  const max = maxOutputOf(maxOutput);
  const module = await compile(wasm);
  const out = new OutputCollector("stdout", max, onStdout), err = new OutputCollector("stderr", max, onStderr);
  const wasi = new WASI({ version: "preview1", args, env, fs, stdin, returnOnExit: true, ...rest, stdout: out.push, stderr: err.push });
  try {
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    const exitCode = await wasi.start(instance);
    const stdoutBytes = out.bytes(), stderrBytes = err.bytes();
    return { exitCode, stdout: decoder.decode(stdoutBytes), stderr: decoder.decode(stderrBytes), stdoutBytes, stderrBytes };
  } finally {
    wasi.dispose();
  }
}
