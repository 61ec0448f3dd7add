// One benchmark sample in a fresh Node process:
//   node bench/node-sample.mjs <runtime> <workload> <guest.wasm> [hostDir]
// Prints one JSON line on stdout: { importMs, runMs, cpuMs, exitCode, stderr } or { error, stderr }.
// cpuMs is the process's CPU time (user + system, all threads) over the same region: steadier
// than wall time when other work shares the machine. runMs (the headline) is
// measured around the adapter's run(): constructing the WASI object and its filesystem,
// instantiating the already-compiled guest, and _start. Compiling the guest is done before it and
// is identical for every runtime; importing the runtime is reported apart as importMs.
import { readFileSync } from "node:fs";
import { runtime, stderrText } from "./runtimes.mjs";
import { workload, guestArgs, guestEnv } from "./workloads.mjs";

const [runtimeId, workloadName, guestPath, hostDir] = process.argv.slice(2);
const rt = runtime(runtimeId);
const work = workload(workloadName);

const importStart = performance.now();
// bench/run.mjs points "cove" at its snapshot of js/ (COVE_BENCH_MODULE); run by hand, the package.
const importModule = (name) => import(name === "cove" && process.env.COVE_BENCH_MODULE ? process.env.COVE_BENCH_MODULE : name);
const lib = await rt.load(importModule, "node");
const importMs = performance.now() - importStart;

const module = await WebAssembly.compile(readFileSync(guestPath));
const job = {
  module, args: guestArgs(work.name), env: guestEnv(work.name), needsFs: work.needsFs,
  hostDir: work.needsFs ? hostDir : undefined, stderr: [],
};

let result;
const cpuStart = process.cpuUsage();
const runStart = performance.now();
try {
  const exitCode = await rt.run(lib, job);
  const runMs = performance.now() - runStart;
  const cpu = process.cpuUsage(cpuStart);
  result = { importMs, runMs, cpuMs: (cpu.user + cpu.system) / 1000, exitCode };
} catch (e) {
  result = { error: String(e?.stack ?? e) };
}
// node:wasi writes the guest's stderr to this process's own stderr (stderr: null).
result.stderr = rt.id === "node-wasi" ? null : stderrText(job.stderr);
process.stdout.write(JSON.stringify(result) + "\n");
