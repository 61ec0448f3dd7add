// The runtimes under test, each as an adapter with one shape so the harness treats them alike:
//   load(importModule, host) → library   (untimed: importing the package, opening sinks)
//   run(library, job)        → exit code   (timed: construct WASI + fs, instantiate, start)
// `job` = { module, args, env, needsFs, hostDir, stderr } where hostDir is a fresh empty host
// directory (Node) or undefined, and `stderr` an array the adapter appends the guest's stderr
// to (as Uint8Array chunks or strings), also when the run throws. `importModule(name)` resolves a package name for the host (Node: bare specifiers;
// Chromium: URLs), so this file is shared by bench/node-sample.mjs and bench/browser/worker.mjs.
//
// Fairness rules every adapter follows:
// - stdout goes to a sink that drops the bytes: a no-op callback where the runtime takes one
//   (Cove on MemFS, browser_wasi_shim, wasm-util); node:wasi accepts only fds, so it writes to
//   /dev/null, and so does its like-for-like peer, Cove on host directories (fd stdio).
// - stderr is collected in memory (node:wasi: the sample process's own stderr) for the checksum.
// - for workloads that need files, the guest's directory is mounted at /data: an in-memory
//   filesystem built inside the timed region, or a fresh empty host directory made before it;
//   other workloads get no preopen at all.
import { GUEST_DIR } from "./workloads.mjs";

const envPairs = (env) => Object.entries(env).map(([k, v]) => `${k}=${v}`);

const nodeWasi = {
  id: "node-wasi",
  label: "node:wasi",
  hosts: { node: "host dir" },
  async load(importModule) {
    const [{ WASI }, fs] = await Promise.all([importModule("node:wasi"), importModule("node:fs")]);
    return { WASI, devNull: fs.openSync("/dev/null", "w") };
  },
  async run({ WASI, devNull }, { module, args, env, needsFs, hostDir }) {
    const wasi = new WASI({
      version: "preview1", args, env, returnOnExit: true, stdout: devNull, stderr: 2,
      preopens: needsFs ? { [GUEST_DIR]: hostDir } : {},
    });
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    return wasi.start(instance);
  },
};

/** `blocking` is passed through to Cove (undefined = its default: JSPI where the host has it). */
function coveAdapter(id, label, hosts, useHostDir, blocking) {
  return {
    id, label, hosts, cove: true,
    async load(importModule) {
      const cove = await importModule("cove");
      if (!useHostDir) return cove;
      const fs = await importModule("node:fs");
      return { ...cove, devNull: fs.openSync("/dev/null", "w") };
    },
    async run({ WASI, MemFS, devNull }, { module, args, env, needsFs, hostDir, stderr }) {
      const wasi = new WASI({
        version: "preview1", args, env, returnOnExit: true,
        stdout: useHostDir ? devNull : () => {},
        stderr: (chunk) => stderr.push(chunk.slice()),
        preopens: needsFs ? { [GUEST_DIR]: useHostDir ? hostDir : new MemFS() } : {},
        ...(blocking ? { blocking } : {}),
      });
      const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
      return wasi.start(instance); // with JSPI (Chromium), a promise of the exit code
    },
  };
}

const browserWasiShim = {
  id: "shim",
  label: "browser_wasi_shim",
  hosts: { node: "memory", browser: "memory" },
  async load(importModule) {
    return importModule("@bjorn3/browser_wasi_shim");
  },
  async run({ WASI, File, OpenFile, ConsoleStdout, PreopenDirectory }, { module, args, env, needsFs, stderr }) {
    const fds = [
      new OpenFile(new File([])),
      new ConsoleStdout(() => {}),
      new ConsoleStdout((chunk) => stderr.push(chunk)),
    ];
    if (needsFs) fds.push(new PreopenDirectory(GUEST_DIR, new Map()));
    // debug: false, or the shim logs every path operation to the console (its default is on).
    const wasi = new WASI(args, envPairs(env), fds, { debug: false });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    return wasi.start(instance);
  },
};

// wasm-util reaches files only through a Node-style `fs` object: node:fs in Node; in the browser
// it would need a third-party in-memory fs (memfs), which we do not add, so it runs there
// without a filesystem.
const wasmUtil = {
  id: "wasm-util",
  label: "@tybys/wasm-util",
  hosts: { node: "host dir", browser: "none" },
  async load(importModule, host) {
    const lib = await importModule("@tybys/wasm-util");
    return { WASI: lib.WASI, fs: host === "node" ? await importModule("node:fs") : undefined };
  },
  async run({ WASI, fs }, { module, args, env, needsFs, hostDir, stderr }) {
    const wasi = new WASI({
      version: "preview1", args, env, returnOnExit: true, fs,
      preopens: needsFs ? { [GUEST_DIR]: hostDir } : {},
      print: () => {},
      printErr: (line) => stderr.push(line + "\n"),
    });
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    return wasi.start(instance);
  },
};

export const RUNTIMES = [
  coveAdapter("cove-memfs", "Cove (MemFS)", { node: "memory", browser: "memory" }, false),
  coveAdapter("cove-dir", "Cove (host dir)", { node: "host dir" }, true),
  // The same without JSPI, to show what the suspendable stack costs per syscall in Chromium.
  coveAdapter("cove-memfs-sync", "Cove (MemFS, blocking: none)", { browser: "memory" }, false, "none"),
  nodeWasi,
  browserWasiShim,
  wasmUtil,
];

/** The guest's stderr as text, from the chunks and lines an adapter collected. */
export function stderrText(chunks) {
  const decoder = new TextDecoder();
  return chunks.map((c) => (typeof c === "string" ? c : decoder.decode(c, { stream: true }))).join("") + decoder.decode();
}

export function runtime(id) {
  const r = RUNTIMES.find((r) => r.id === id);
  if (!r) throw new Error(`unknown runtime ${id}; known: ${RUNTIMES.map((r) => r.id).join(", ")}`);
  return r;
}

/** Whether `rt` can run `work` in `host` ("node" | "browser"): filesystem workloads need one. */
export function supports(rt, host, work) {
  const fs = rt.hosts[host];
  return fs !== undefined && (!work.needsFs || fs !== "none");
}
