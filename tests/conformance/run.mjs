// Runs the WASI conformance suite (../shared/wasi-testsuite, see its README) against Cove, each
// test on a fresh copy of its root directory, in parallel, with a timeout per test: the preview-1
// modules (p1/), or with --preview=2 the same Rust tests as wasm32-wasip2 components (p2/).
//
//   node tests/conformance/run.mjs --backend=memfs|nodefs|cli [--preview=1|2] [--jobs=N] [--timeout=MS] [filter…]
//
// memfs:  the test's root is loaded into a MemFS, preopened as the guest's "/".
// nodefs: the root is copied to a temporary host directory, preopened as "/".
// cli:    `node js/bin/cove.js run --dir COPY::/ test.wasm args…` as a subprocess.
// Prints each failure (expected vs got) and `conformance (<backend>): N passed, N failed`;
// exits non-zero on any failure, except with --preview=2 where tests/conformance/p2-passing.txt
// (the ratchet) lists the tests that must pass: a failure outside it is printed, not fatal.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireSuite, suitePath } from "../../scripts/suites.mjs";
import { RATCHET, requiredP2 } from "./ratchet.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const options = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith("--")).map((a) => {
  const [k, v = "true"] = a.slice(2).split("=");
  return [k, v];
}));
const preview = isMainThread ? options.preview ?? "1" : workerData.preview;
// $COVE_WASI_TESTSUITE, by default ../shared/wasi-testsuite (scripts/suites.mjs).
const suiteDir = isMainThread ? requireSuite("wasi-testsuite", `p${preview}`) : suitePath("wasi-testsuite", `p${preview}`);

const cli = join(root, "js", "bin", "cove.js");

/** Every test: its .wasm, spec (README defaults filled in) and the root directory to copy. */
function discover() {
  const tests = [];
  for (const lang of readdirSync(suiteDir).sort()) {
    const dir = join(suiteDir, lang);
    if (!lstatSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith(".wasm")) continue;
      const name = file.slice(0, -5);
      const specPath = join(dir, `${name}.json`);
      const spec = existsSync(specPath) ? JSON.parse(readFileSync(specPath, "utf8")) : {};
      tests.push({
        id: `${lang}/${name}`,
        wasm: join(dir, file),
        args: spec.args ?? [],
        env: spec.env ?? {},
        root: spec.root ? join(dir, spec.root) : null,
        exitCode: spec.exit_code ?? 0,
        stdout: spec.stdout || null,
        stderr: spec.stderr || null,
      });
    }
  }
  return tests;
}

/** A writable copy of a test's root, without `*.cleanup` leftovers. */
function copyRoot(src) {
  const dst = mkdtempSync(join(tmpdir(), "cove-conformance-"));
  if (!src) return dst;
  cpSync(src, dst, { recursive: true, verbatimSymlinks: true, filter: (p) => !p.endsWith(".cleanup") });
  const makeWritable = (p) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    chmodSync(p, st.mode | 0o200);
    if (st.isDirectory()) for (const e of readdirSync(p)) makeWritable(join(p, e));
  };
  makeWritable(dst);
  return dst;
}

// ---- one test, inside a worker (memfs / nodefs) ---------------------------------------------

/** Loads a host directory tree into `fs` under `at`. */
function loadInto(fs, hostDir, at) {
  for (const name of readdirSync(hostDir)) {
    if (name.endsWith(".cleanup")) continue;
    const host = join(hostDir, name);
    const guest = `${at}/${name}`;
    const st = lstatSync(host);
    if (st.isSymbolicLink()) fs.symlink(readlinkSync(host), guest);
    else if (st.isDirectory()) {
      fs.mkdir(guest, { recursive: true });
      loadInto(fs, host, guest);
    } else fs.writeFile(guest, readFileSync(host));
  }
}

async function runInWorker({ test, backend }) {
  const { WASI, MemFS } = await import(join(root, "js", "src", "node.js"));
  const { loadGuest, startGuest } = await import(join(root, "js", "src", "guest-module.js"));
  const out = [], err = [];
  let preopens = {};
  let copy = null;
  if (test.root) {
    if (backend === "memfs") {
      const fs = new MemFS();
      loadInto(fs, test.root, "");
      preopens = { "/": fs };
    } else {
      copy = copyRoot(test.root);
      preopens = { "/": copy };
    }
  }
  try {
    // A module's _start or a component's wasi:cli/run, as run() starts them; loaded first, as
    // run() does, so a component's WASI context is made in the full engine (docs/engine-abi.md).
    const guest = await loadGuest(readFileSync(test.wasm), "conformance");
    const wasi = new WASI({
      version: "preview1",
      args: [basename(test.wasm), ...test.args],
      env: test.env,
      preopens,
      stdin: "",
      stdout: (c) => out.push(Buffer.from(c)),
      stderr: (c) => err.push(Buffer.from(c)),
    });
    let exitCode, trap = null;
    try {
      exitCode = await startGuest(guest, wasi);
    } catch (e) {
      trap = `${e?.name}: ${e?.message}`;
    }
    return { exitCode, trap, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  runInWorker(workerData).then(
    (result) => parentPort.postMessage(result),
    (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }),
  );
}

// ---- the driver ------------------------------------------------------------------------------

function viaWorker(test, backend, timeoutMs) {
  return new Promise((resolve) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { test, backend, preview }, stdout: true, stderr: true });
    const log = [];
    worker.stdout.on("data", (d) => log.push(d));
    worker.stderr.on("data", (d) => log.push(d));
    const timer = setTimeout(() => {
      worker.terminate();
      resolve({ error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    worker.once("message", (result) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(result);
    });
    worker.once("error", (e) => {
      clearTimeout(timer);
      resolve({ error: String(e?.stack ?? e) + Buffer.concat(log).toString() });
    });
  });
}

function viaCli(test, timeoutMs) {
  return new Promise((resolve) => {
    const copy = test.root ? copyRoot(test.root) : null;
    const args = [cli, "run"];
    if (copy) args.push("--dir", `${copy}::/`);
    for (const [k, v] of Object.entries(test.env)) args.push("--env", `${k}=${v}`);
    args.push(test.wasm, ...test.args);
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out = [], err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (copy) rmSync(copy, { recursive: true, force: true });
      const stdout = Buffer.concat(out).toString(), stderr = Buffer.concat(err).toString();
      if (signal) resolve({ error: `killed by ${signal} (timeout ${timeoutMs} ms)`, stdout, stderr });
      else resolve({ exitCode: code, trap: null, stdout, stderr });
    });
  });
}

/** Differences between what the spec expects and what happened ([] = pass). */
function judge(test, r) {
  if (r.error) return [`harness error: ${r.error}`];
  const problems = [];
  if (r.trap) problems.push(`trapped: ${r.trap}`);
  else if (r.exitCode !== test.exitCode) problems.push(`exit code: expected ${test.exitCode}, got ${r.exitCode}`);
  if (test.stdout !== null && r.stdout !== test.stdout) problems.push(`stdout: expected ${JSON.stringify(test.stdout)}, got ${JSON.stringify(r.stdout)}`);
  if (test.stderr !== null && r.stderr !== test.stderr) problems.push(`stderr: expected ${JSON.stringify(test.stderr)}, got ${JSON.stringify(r.stderr)}`);
  if (problems.length && r.stderr && test.stderr === null) problems.push(`guest stderr: ${r.stderr.trim().slice(0, 2000)}`);
  return problems;
}

async function main() {
  const opts = options;
  if (!["1", "2"].includes(preview)) {
    console.error(`unknown --preview=${preview} (1 or 2)`);
    process.exit(2);
  }
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const backend = opts.backend ?? "memfs";
  if (!["memfs", "nodefs", "cli"].includes(backend)) {
    console.error(`unknown --backend=${backend} (memfs, nodefs or cli)`);
    process.exit(2);
  }
  if (backend === "cli" && !existsSync(cli)) {
    console.log(`conformance (cli): skipped, ${cli} does not exist yet`);
    return;
  }
  const jobs = Number(opts.jobs ?? Math.max(2, availableParallelism()));
  const timeoutMs = Number(opts.timeout ?? 20000);
  const tests = discover().filter((t) => !filters.length || filters.some((f) => t.id.includes(f)));

  let next = 0, passed = 0;
  const failures = [];
  const worker = async () => {
    while (next < tests.length) {
      const test = tests[next++];
      const result = backend === "cli" ? await viaCli(test, timeoutMs) : await viaWorker(test, backend, timeoutMs);
      const problems = judge(test, result);
      if (problems.length) {
        failures.push(test.id);
        console.log(`FAIL ${test.id}\n  ${problems.join("\n  ")}`);
      } else passed++;
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  console.log(`conformance (${preview === "2" ? "p2, " : ""}${backend}): ${passed} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
  if (preview === "2" && !filters.length) process.exitCode = ratchet(tests, failures) ? 0 : 1;
}

/** p2: every test the ratchet lists must pass; says which failures are known and which newly pass. */
function ratchet(tests, failures) {
  const required = requiredP2();
  const regressed = failures.filter((id) => required.has(id));
  const known = failures.filter((id) => !required.has(id));
  const newlyPassing = tests.map((t) => t.id).filter((id) => !required.has(id) && !failures.includes(id));
  if (known.length) console.log(`known failures (not in ${RATCHET}): ${known.join(", ")}`);
  if (newlyPassing.length) console.log(`passing but not yet in the ratchet (add them): ${newlyPassing.join(", ")}`);
  if (regressed.length) console.log(`REGRESSED (listed in the ratchet): ${regressed.join(", ")}`);
  return regressed.length === 0;
}

if (isMainThread) await main();
