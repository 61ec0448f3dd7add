// One benchmark sample in a fresh Node process:
//   node bench/node-sample.mjs <runtime> <workload> <guest.wasm> [hostDir]
// Prints one JSON line on stdout: { importMs, runMs, exitCode, stderr }. runMs (the headline) is
// measured around the adapter's run(): constructing the WASI object and its filesystem,
// instantiating the already-compiled guest, and _start. Compiling the guest is done before it and
// is identical for every runtime; importing the runtime is reported apart as importMs.
import { readFileSync } from "node:fs";
import { runtime } from "./runtimes.mjs";
import { workload, guestArgs, guestEnv } from "./workloads.mjs";

const [runtimeId, workloadName, guestPath, hostDir] = process.argv.slice(2);
const rt = runtime(runtimeId);
const work = workload(workloadName);

const importStart = performance.now();
const lib = await rt.load((name) => import(name), "node");
const importMs = performance.now() - importStart;

const module = await WebAssembly.compile(readFileSync(guestPath));
const job = { module, args: guestArgs(work.name), env: guestEnv(work.name), hostDir: work.needsFs ? hostDir : undefined };

const runStart = performance.now();
const { exitCode, stderr } = await rt.run(lib, job);
const runMs = performance.now() - runStart;

process.stdout.write(JSON.stringify({ importMs, runMs, exitCode, stderr }) + "\n");
