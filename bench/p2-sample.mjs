// One sample of the preview-2 bench (bench/p2.mjs) in a fresh Node process:
//   node bench/p2-sample.mjs <runtime> <workload> <component.wasm | jco dir> [hostDir]
// Writes one JSON line to fd 3: { importMs, runMs, cpuMs, exitCode, stderr } or { error, stderr }.
// fd 1 is /dev/null (jco's preview2-shim writes the guest's stdout to the process's own stdout,
// so every runtime here gets the same sink); jco's guest stderr is the process's stderr.
// As in bench/node-sample.mjs, compiling is done before the timed region (Cove: compileComponent,
// which compiles the core modules; jco: its core modules) and runMs spans making the WASI context
// and its filesystem, instantiating and running wasi:cli/run.
import { openSync, readFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { guestArgs, guestEnv, workload, GUEST_DIR } from "./workloads.mjs";

const [runtimeId, workloadName, guestArg, hostDir] = process.argv.slice(2);
const guestPath = resolve(guestArg);
const work = workload(workloadName);
const args = guestArgs(work.name);
const env = guestEnv(work.name);
const stderrChunks = [];

/** `wasi:cli/environment` → preview2-shim's `cli.environment`. */
function shimImports(shim) {
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  return new Proxy({}, {
    get(_, name) {
      const m = /^wasi:([a-z]+)\/([a-z-]+)/.exec(String(name));
      return m ? shim[m[1]]?.[camel(m[2])] : undefined;
    },
  });
}

const ADAPTERS = {
  // jco 1.35 transpile output (--instantiation async) + @bytecodealliance/preview2-shim (Node: host
  // directories through node:fs, I/O on its worker thread).
  jco: {
    async load() {
      const shim = await import("@bytecodealliance/preview2-shim");
      const { instantiate } = await import(pathToFileURL(join(guestPath, "cove-bench.js")).href);
      const cores = new Map();
      for (const file of readFileSync(join(guestPath, "core-modules.txt"), "utf8").split("\n").filter(Boolean)) {
        cores.set(file, await WebAssembly.compile(readFileSync(join(guestPath, file))));
      }
      return { shim, instantiate, cores };
    },
    async run({ shim, instantiate, cores }) {
      shim.cli._setArgs(args);
      shim.cli._setEnv(env);
      shim.filesystem._setPreopens(work.needsFs ? { [GUEST_DIR]: hostDir } : {});
      const instance = await instantiate((file) => cores.get(file), shimImports(shim));
      instance.run.run(); // an err result throws
      return 0;
    },
  },
  "cove-p2-memfs": coveAdapter(false),
  "cove-p2-dir": coveAdapter(true),
};

/** Cove running the component on a MemFS (stdout a no-op callback) or a host directory (stdout /dev/null). */
function coveAdapter(useHostDir) {
  return {
    async load() {
      // bench/run.mjs's snapshot of js/src (node.js); its component runner: compileComponent once
      // (untimed), then per run what run() does for a component: a WASI context, instantiate,
      // wasi:cli/run.
      const entry = process.env.COVE_BENCH_MODULE ?? join(import.meta.dirname, "..", "js", "src", "node.js");
      const cove = await import(entry);
      const { componentApi } = await import(join(entry, "..", "component", "lazy.js"));
      const api = await componentApi();
      return { ...cove, runCommand: api.runCommand, compiled: api.compileComponent(readFileSync(guestPath)), devNull: openSync("/dev/null", "w") };
    },
    async run({ WASI, MemFS, runCommand, compiled, devNull }) {
      const wasi = new WASI({
        version: "preview1", args, env, returnOnExit: true,
        stdout: useHostDir ? devNull : () => {},
        stderr: (chunk) => stderrChunks.push(chunk.slice()),
        preopens: work.needsFs ? { [GUEST_DIR]: useHostDir ? hostDir : new MemFS() } : {},
      });
      return runCommand(compiled, wasi);
    },
  };
}

const adapter = ADAPTERS[runtimeId];
if (!adapter) throw new Error(`unknown p2 runtime ${runtimeId}; known: ${Object.keys(ADAPTERS).join(", ")}`);
let result;
try {
  const importStart = performance.now();
  const lib = await adapter.load();
  const importMs = performance.now() - importStart;
  const cpuStart = process.cpuUsage();
  const runStart = performance.now();
  const exitCode = await adapter.run(lib);
  const runMs = performance.now() - runStart;
  const cpu = process.cpuUsage(cpuStart);
  result = { importMs, runMs, cpuMs: (cpu.user + cpu.system) / 1000, exitCode };
} catch (e) {
  result = { error: String(e?.stack ?? e) };
}
// jco's guest stderr went to this process's stderr (the runner reads it there).
result.stderr = runtimeId === "jco" ? null : new TextDecoder().decode(Buffer.concat(stderrChunks));
writeSync(3, JSON.stringify(result) + "\n");
