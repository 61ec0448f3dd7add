// `npm run bench` (= node scripts/build.mjs && node bench/run.mjs): builds the benchmark guest,
// runs every workload under Cove and its peers in Node (a fresh process per sample) and in
// Chromium (a fresh Worker per sample), runtimes interleaved, checks that all runtimes print the
// same checksums, then the component workloads against jco (bench/components.mjs, "host"
// components), the same workloads built for wasm32-wasip2 against jco + preview2-shim and Cove p1
// (bench/p2.mjs, "host" p2), and writes bench/RESULTS.md.
//
//   node bench/run.mjs [--quick] [--rounds=N] [--hosts=node,browser,components,p2] [--runtimes=a,b]
//                      [--workloads=a,b] [--out=FILE] [--rerender]
// --quick: two rounds, short time limits: a smoke check in about a minute. Never used by `npm test`.
// Raw samples are kept in build/bench/last-run.json; --rerender rewrites the report from them.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem, release, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { root, step } from "../scripts/lib.mjs";
import { buildGuests } from "../scripts/build.mjs";
import { WORKLOADS, checksumLine } from "./workloads.mjs";
import { RUNTIMES, supports } from "./runtimes.mjs";
import { renderResults } from "./report.mjs";
import { bundleSizes } from "./sizes.mjs";
import { runComponentBench, renderComponentResults } from "./components.mjs";
import { runP2Bench, renderP2Results, withP2Section } from "./p2.mjs";
import { p1PageDownload } from "../scripts/size.mjs";

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const list = (name) => option(name)?.split(",").filter(Boolean);

const quick = flag("quick");
const settings = {
  // 11 rounds: with 7, medians of 100 ms workloads moved by ±20 % between runs on 2 cores.
  rounds: Number(option("rounds") ?? (quick ? 2 : 11)),
  // A sample longer than this is stopped and reported as a lower bound.
  timeoutMs: quick ? 3_000 : 40_000,
  // Once a runtime has spent this long on a workload, later rounds skip it (at least one sample).
  cellBudgetMs: quick ? 1_500 : 40_000,
};
const hostsWanted = list("hosts") ?? ["node", "browser", "components", "p2"];
// Component samples are per-call timings over ~0.3 s (load: one per process): fewer rounds do.
const componentRounds = Math.min(settings.rounds, 5);
const runtimesWanted = list("runtimes");
const workloads = WORKLOADS.filter((w) => !list("workloads") || list("workloads").includes(w.name));
const outPath = option("out") ?? join(root, "bench", "RESULTS.md");

const guestOut = join(root, "build", "bench");
const guestPath = join(guestOut, "cove-bench.wasm");

function buildGuest() {
  buildGuests(join(root, "bench", "guest"), guestOut);
}

// Cove is benchmarked from a copy of js/src + js/engine taken when the run starts: others
// rebuild the engine while working, and a sample must neither read a half-written .wasm nor mix
// engine versions within one run. Node samples and the Chromium worker import this copy.
const coveSnapshot = join(guestOut, "cove");

function snapshotCove() {
  rmSync(coveSnapshot, { recursive: true, force: true });
  for (const dir of ["src", "engine"]) cpSync(join(root, "js", dir), join(coveSnapshot, "js", dir), { recursive: true });
}

// wasm-util's prebuilt browser file (dist/wasm-util.esm.js) was built with its debug switch baked
// on: every syscall calls console.debug (write100k: 39 s in Chromium). Browser users get it through
// a bundler from dist/wasm-util.esm-bundler.js, so we do what their bundler does.
async function bundleWasmUtilForBrowser() {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [join(root, "node_modules", "@tybys", "wasm-util", "dist", "wasm-util.esm-bundler.js")],
    outfile: join(guestOut, "wasm-util.browser.mjs"), bundle: true, format: "esm", platform: "browser",
    define: { "process.env.NODE_ENV": '"production"' }, logLevel: "warning",
  });
}

/** Cove joins the run once `import("cove")` works; until then the report says why it is absent. */
async function coveAvailable() {
  try {
    snapshotCove();
    const cove = await import(join(coveSnapshot, "js", "src", "node.js"));
    for (const name of ["WASI", "MemFS"]) if (typeof cove[name] !== "function") return `"cove" exports no ${name} yet`;
    return null;
  } catch (e) {
    return `import("cove") failed: ${e.message.split("\n")[0]}`;
  }
}

/** Rotate the runtime order each round so no runtime always runs first or after the same one. */
const rotated = (items, by) => items.map((_, i) => items[(i + by) % items.length]);

function newCell() {
  return { runMs: [], cpuMs: [], wholeMs: [], importMs: [], failures: [], timeouts: 0, spentMs: 0, timeoutMs: settings.timeoutMs };
}

/** Runs all rounds for one host. `sample(rt, work)` returns { runMs, importMs, wholeMs, exitCode, stderr } or { error, timedOut }. */
async function runHost(host, runtimes, sample, checks) {
  for (const w of workloads) host.cells[w.name] = {};
  for (let round = 0; round < settings.rounds; round++) {
    process.stdout.write(`${host.title} round ${round + 1}/${settings.rounds}:`);
    for (const w of workloads) {
      for (const rt of rotated(runtimes, round)) {
        if (!supports(rt, host.name, w)) continue;
        const cell = (host.cells[w.name][rt.id] ??= newCell());
        if (cell.spentMs > settings.cellBudgetMs || (cell.timeouts && !cell.runMs.length)) continue;
        const r = await sample(rt, w);
        cell.spentMs += r.timedOut ? settings.timeoutMs : r.wholeMs ?? 0;
        if (r.timedOut) { cell.timeouts++; continue; }
        const line = r.error ? null : checksumLine(r.stderr ?? "");
        if (r.error || r.exitCode !== 0 || !line) {
          const why = r.error ?? `exit code ${r.exitCode}, stderr: ${(r.stderr ?? "").slice(0, 300)}`;
          cell.failures.push(why);
          host.failures.push(`${rt.label} ${w.name}: ${why.split("\n")[0]}`);
          continue;
        }
        cell.runMs.push(r.runMs);
        if (r.cpuMs !== undefined) cell.cpuMs.push(r.cpuMs);
        cell.wholeMs.push(r.wholeMs);
        cell.importMs.push(r.importMs);
        ((checks[w.name] ??= {})[line] ??= new Set()).add(`${rt.label} (${host.name})`);
      }
      process.stdout.write(` ${w.name}`);
    }
    process.stdout.write("\n");
  }
}

function nodeSample(rt, w) {
  const hostDir = w.needsFs ? mkdtempSync(join(tmpdir(), "cove-bench-")) : "";
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--no-warnings", join(root, "bench", "node-sample.mjs"), rt.id, w.name, guestPath, hostDir],
      { encoding: "utf8", timeout: settings.timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, COVE_BENCH_MODULE: join(coveSnapshot, "js", "src", "node.js") } });
    const wholeMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.error?.code === "ETIMEDOUT" || r.signal === "SIGTERM") return { timedOut: true };
    const json = r.stdout.trim().split("\n").pop();
    let parsed;
    try { parsed = JSON.parse(json); } catch { return { error: `no result (status ${r.status}): ${r.stderr.slice(-500)}`, wholeMs }; }
    // node:wasi writes the guest's stderr to the sample process's own stderr.
    const stderr = parsed.stderr ?? r.stderr;
    if (parsed.error) return { error: `${parsed.error.split("\n")[0]}; guest stderr: ${stderr.slice(-300)}`, wholeMs };
    return { ...parsed, stderr, wholeMs };
  } finally {
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  }
}

async function runNode(runtimes, checks) {
  const host = { name: "node", title: `Node ${process.version}`, runtimes, cells: {}, failures: [] };
  await runHost(host, runtimes, async (rt, w) => nodeSample(rt, w), checks);
  return host;
}

async function runBrowser(runtimes, checks) {
  const { serveStatic, launchChromium } = await import("../tests-browser/harness.mjs");
  const server = await serveStatic();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/browser/index.html`);
    await page.waitForFunction(() => window.benchPageReady === true);
    const host = { name: "browser", title: `Chromium ${browser.version()}`, runtimes, cells: {}, failures: [] };
    const guestUrl = `/${relative(root, guestPath)}`;
    await runHost(host, runtimes, async (rt, w) => {
      const r = await page.evaluate((spec) => window.runSample(spec), { runtime: rt.id, workload: w.name, guestUrl, timeoutMs: settings.timeoutMs });
      return r.error && !r.timedOut ? { error: `${r.error.split("\n")[0]}; guest stderr: ${(r.stderr ?? "").slice(-300)}` } : r;
    }, checks);
    return host;
  } finally {
    await browser.close();
    await server.close();
  }
}

const loadAtStart = loadavg()[0];

function machine() {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? "unknown CPU"} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Linux ${release()}; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end ` +
    "(other work on the machine inflates medians; compare ratios, and prefer the minimums when the load is high)";
}

function checkAgreement(checks) {
  const mismatches = [];
  for (const [work, byLine] of Object.entries(checks)) {
    const lines = Object.keys(byLine);
    if (lines.length > 1) mismatches.push(`${work}: ${lines.map((l) => `\`${l}\` from ${[...byLine[l]].join(", ")}`).join("; ")}`);
  }
  return mismatches;
}

const lastRunPath = join(guestOut, "last-run.json");

/** Samples and context, without the adapters' functions, so a report can be re-rendered. */
function saveRun(run) {
  const plain = {
    ...run,
    hosts: run.hosts.map((h) => ({ ...h, runtimes: h.runtimes.map((r) => r.id) })),
    checks: Object.fromEntries(Object.entries(run.checks).map(([w, byLine]) =>
      [w, Object.fromEntries(Object.entries(byLine).map(([l, who]) => [l, [...who]]))])),
  };
  writeFileSync(lastRunPath, JSON.stringify(plain));
}

function loadRun() {
  const plain = JSON.parse(readFileSync(lastRunPath, "utf8"));
  return {
    ...plain,
    hosts: plain.hosts.map((h) => ({ ...h, runtimes: h.runtimes.map((id) => RUNTIMES.find((r) => r.id === id)) })),
    checks: Object.fromEntries(Object.entries(plain.checks).map(([w, byLine]) =>
      [w, Object.fromEntries(Object.entries(byLine).map(([l, who]) => [l, new Set(who)]))])),
  };
}

async function main() {
  if (flag("rerender")) {
    const last = loadRun();
    writeFileSync(outPath, renderResults(last) + renderComponentResults(last.components) + renderP2Results(last.p2, last.machine));
    step(`bench: re-rendered ${relative(root, outPath)} from ${relative(root, lastRunPath)}`);
    return;
  }
  step("bench: guest (bench/guest → build/bench/cove-bench.wasm)");
  buildGuest();
  const skipped = [];
  const coveMissing = await coveAvailable();
  if (hostsWanted.join() === "p2") {
    // Only the preview-2 section: RESULTS.md keeps the rest of the last full run.
    if (coveMissing) throw new Error(`bench p2: Cove cannot run: ${coveMissing}`);
    step(`bench: preview 2, Cove against jco + preview2-shim and Cove p1 (${settings.rounds} rounds, a fresh process per sample)`);
    const p2 = await runP2Bench({ rounds: settings.rounds, p1Guest: guestPath, coveModule: join(coveSnapshot, "js", "src", "node.js"),
      timeoutMs: settings.timeoutMs, workloads });
    writeFileSync(outPath, withP2Section(readFileSync(outPath, "utf8"), renderP2Results(p2, machine())));
    step(`bench: wrote the preview-2 section of ${relative(root, outPath)}`);
    return;
  }
  if (coveMissing) skipped.push(`Cove is not in this run: ${coveMissing}.`);
  const chosen = RUNTIMES.filter((r) => (!runtimesWanted || runtimesWanted.includes(r.id)) && !(r.cove && coveMissing));
  const checks = {};
  const hosts = [];
  if (hostsWanted.includes("node")) {
    step(`bench: Node (${settings.rounds} rounds, a fresh process per sample)`);
    hosts.push(await runNode(chosen.filter((r) => r.hosts.node), checks));
  }
  if (hostsWanted.includes("browser")) {
    await bundleWasmUtilForBrowser();
    step(`bench: Chromium (${settings.rounds} rounds, a fresh Worker per sample)`);
    hosts.push(await runBrowser(chosen.filter((r) => r.hosts.browser), checks));
  }
  let components = null;
  if (hostsWanted.includes("components")) {
    step(`bench: components, Cove against jco 1.35 (${componentRounds} rounds, a fresh process per sample)`);
    components = await runComponentBench({ rounds: componentRounds, coveModule: join(coveSnapshot, "js", "src", "node.js") });
    if (components.skipped) console.log(components.skipped);
  }
  let p2 = null;
  if (hostsWanted.includes("p2") && !coveMissing) {
    step(`bench: preview 2, Cove against jco + preview2-shim and Cove p1 (${settings.rounds} rounds, a fresh process per sample)`);
    p2 = await runP2Bench({ rounds: settings.rounds, p1Guest: guestPath, coveModule: join(coveSnapshot, "js", "src", "node.js"),
      timeoutMs: settings.timeoutMs, workloads });
  }
  step("bench: bundle sizes");
  const sizes = await bundleSizes();
  const page = await p1PageDownload();
  const mismatches = checkAgreement(checks);
  const command = `npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`;
  const settingsText = `${settings.rounds} rounds; runtimes interleaved, order rotated each round; a sample over ` +
    `${settings.timeoutMs / 1000} s is stopped (shown as a lower bound); a runtime that has spent ` +
    `${settings.cellBudgetMs / 1000} s on a workload gets no more samples of it.`;
  const run = { date: new Date().toISOString(), command, machine: machine(), hosts, checks, mismatches, sizes, page, skipped, settings: settingsText, components, p2 };
  saveRun(run);
  writeFileSync(outPath, renderResults(run) + renderComponentResults(components) + renderP2Results(p2, run.machine));
  step(`bench: wrote ${relative(root, outPath)}`);
  if (mismatches.length) {
    console.error(`checksum mismatches:\n${mismatches.join("\n")}`);
    process.exit(1);
  }
}

await main();
