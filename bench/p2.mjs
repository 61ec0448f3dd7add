// The preview-2 bench (issue 12): bench/guest's workloads built for wasm32-wasip2 from the same
// source (build/bench/p2/cove-bench.wasm, a command component), run by Cove (MemFS and a host
// directory) and by jco 1.35's transpiled output on @bytecodealliance/preview2-shim (host
// directory; transpiled here, at bench time), beside Cove's own preview-1 runs of the p1 guest,
// in Node, a fresh process per sample, runtimes interleaved and rotated per round. Called by
// bench/run.mjs (host "p2"); returns the samples and renders the section of RESULTS.md.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { root, step } from "../scripts/lib.mjs";
import { buildGuests } from "../scripts/build.mjs";
import { WORKLOADS, checksumLine } from "./workloads.mjs";
import { summarize } from "./report.mjs";

const p2Dir = join(root, "build", "bench", "p2");
const p2Guest = join(p2Dir, "cove-bench.wasm");
const jcoDir = join(root, "build", "bench", "jco-p2");

export const P2_RUNTIMES = [
  { id: "cove-p2-memfs", label: "Cove p2 (MemFS)", p2: true },
  { id: "cove-p2-dir", label: "Cove p2 (host dir)", p2: true },
  { id: "jco", label: "jco 1.35 + preview2-shim (host dir)", p2: true },
  { id: "cove-memfs", label: "Cove p1 (MemFS)" },
  { id: "cove-dir", label: "Cove p1 (host dir)" },
];

/** The ratios the targets are stated in: [numerator, denominator, what it answers]. */
const PAIRS = [
  ["cove-p2-dir", "jco", "Cove p2 (host dir) ÷ jco + preview2-shim (host dir): target ≤ 1 (startup excepted)"],
  ["cove-p2-memfs", "jco", "Cove p2 (MemFS) ÷ jco + preview2-shim (host dir)"],
  ["cove-p2-memfs", "cove-memfs", "Cove p2 ÷ Cove p1, both MemFS: target ≤ 1.5"],
  ["cove-p2-dir", "cove-dir", "Cove p2 ÷ Cove p1, both host dir: target ≤ 1.5"],
];

/** Builds the p2 guest and transpiles it with jco (build/bench/jco-p2). */
async function prepare() {
  buildGuests(join(root, "bench", "guest"), p2Dir, "wasm32-wasip2");
  step("bench p2: jco transpile (--instantiation async)");
  const { transpile } = await import("@bytecodealliance/jco");
  const { files } = await transpile(readFileSync(p2Guest), { name: "cove-bench", instantiation: { tag: "async" }, noTypescript: true });
  rmSync(jcoDir, { recursive: true, force: true });
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(jcoDir, file)), { recursive: true });
    writeFileSync(join(jcoDir, file), bytes);
  }
  writeFileSync(join(jcoDir, "core-modules.txt"), Object.keys(files).filter((f) => f.endsWith(".wasm")).join("\n"));
}

/** The last lines of a guest's stderr on one line (a panic message and its location). */
const oneLine = (text) => text.trim().split("\n").slice(-3).join(" / ").slice(-300);

function sample(rt, work, { p1Guest, coveModule, timeoutMs }) {
  const hostDir = work.needsFs ? mkdtempSync(join(tmpdir(), "cove-bench-p2-")) : "";
  const devNull = openSync("/dev/null", "w");
  try {
    const script = rt.p2 ? "p2-sample.mjs" : "node-sample.mjs";
    const guest = rt.id === "jco" ? jcoDir : rt.p2 ? p2Guest : p1Guest;
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--no-warnings", join(root, "bench", script), rt.id, work.name, guest, hostDir], {
      encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, COVE_BENCH_MODULE: coveModule },
      // p2-sample.mjs: the guest's stdout to /dev/null, the result on fd 3.
      stdio: rt.p2 ? ["ignore", devNull, "pipe", "pipe"] : ["ignore", "pipe", "pipe"],
    });
    const wholeMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.error?.code === "ETIMEDOUT" || r.signal === "SIGTERM") return { timedOut: true };
    const out = rt.p2 ? r.output[3] : r.stdout;
    let parsed;
    try { parsed = JSON.parse(out.trim().split("\n").pop()); } catch { return { error: `no result (status ${r.status}): ${r.stderr.slice(-500)}` }; }
    const stderr = parsed.stderr ?? r.stderr;
    if (parsed.error) return { error: `${parsed.error.split("\n")[0]}; guest stderr: ${oneLine(stderr)}` };
    return { ...parsed, stderr, wholeMs };
  } finally {
    closeSync(devNull);
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  }
}

/** Runs `rounds` rounds; returns { cells: { workload: { runtime: { runMs, cpuMs, failures, checksums } } } }. */
export async function runP2Bench({ rounds, p1Guest, coveModule, timeoutMs = 40_000, workloads = WORKLOADS }) {
  await prepare();
  const cells = {};
  for (let round = 0; round < rounds; round++) {
    process.stdout.write(`p2 round ${round + 1}/${rounds}:`);
    for (const w of workloads) {
      for (const rt of P2_RUNTIMES.map((_, i) => P2_RUNTIMES[(i + round) % P2_RUNTIMES.length])) {
        const cell = ((cells[w.name] ??= {})[rt.id] ??= { runMs: [], cpuMs: [], failures: [], timeouts: 0, checksums: [] });
        if (cell.failures.length || cell.timeouts) continue; // a runtime that failed a workload once is not retried
        const r = sample(rt, w, { p1Guest, coveModule, timeoutMs });
        if (r.timedOut) { cell.timeouts++; continue; }
        const line = r.error ? null : checksumLine(r.stderr ?? "");
        if (r.error || r.exitCode !== 0 || !line) {
          cell.failures.push(r.error ?? `exit code ${r.exitCode}, stderr: ${oneLine(r.stderr ?? "")}`);
          continue;
        }
        cell.runMs.push(r.runMs);
        cell.cpuMs.push(r.cpuMs);
        if (!cell.checksums.includes(line)) cell.checksums.push(line);
      }
      process.stdout.write(` ${w.name}`);
    }
    process.stdout.write("\n");
  }
  return { cells, rounds, timeoutMs };
}

const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const times = (r) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;

function cellText(cell, metric, timeoutMs) {
  if (!cell) return "n/a";
  const st = summarize(cell[metric]);
  if (!st) return cell.timeouts ? `timed out (> ${timeoutMs / 1000} s)` : cell.failures.length ? "failed¹" : "—";
  return `${ms(st.median)} [${ms(st.min)}–${ms(st.max)}] n=${st.n}`;
}

function ratioText(cells, work, a, b, metric) {
  const x = summarize(cells[work]?.[a]?.[metric] ?? []);
  const y = summarize(cells[work]?.[b]?.[metric] ?? []);
  if (!x || !y) return "—";
  return `${times(x.median / y.median)} (min ${times(x.min / y.min)})`;
}

/** The RESULTS.md section for a runP2Bench result (with the machine load it was measured at). */
export function renderP2Results(p2, load) {
  if (!p2) return "";
  const { cells } = p2;
  const works = WORKLOADS.filter((w) => cells[w.name]);
  const lines = [
    "", "## Preview 2: Cove against jco + preview2-shim, and against Cove p1 (Node)", "",
    "bench/guest built for `wasm32-wasip2` (a command component; the hot loops' raw preview-1 calls go through the",
    "`wasi_snapshot_preview1` adapter that `wasm-component-ld` embeds, std's through wasi-libc's p2 calls), run by Cove and",
    "by jco 1.35 (`transpile`, done at bench time) on @bytecodealliance/preview2-shim 0.26; Cove p1 runs the p1 guest in the",
    "same rounds. A fresh process per sample; stdout is /dev/null for jco and both host-directory runs, a no-op callback on",
    "MemFS. In-process time spans making the WASI context (and MemFS), instantiating (core modules compiled before) and",
    `\`wasi:cli/run\` (\`_start\` for p1). ${p2.rounds} rounds. ${load}`, "",
  ];
  for (const [metric, title] of [["cpuMs", "CPU time (user + system, all threads), ms: the figure to compare on a shared machine"], ["runMs", "wall time, ms"]]) {
    lines.push(`### ${title}`, "", `| workload | ${P2_RUNTIMES.map((r) => r.label).join(" | ")} |`, `|---|${P2_RUNTIMES.map(() => "---:").join("|")}|`);
    for (const w of works) lines.push(`| ${w.name} | ${P2_RUNTIMES.map((r) => cellText(cells[w.name][r.id], metric, p2.timeoutMs)).join(" | ")} |`);
    lines.push("");
    lines.push(`Ratios of medians (of minimums in brackets), ${metric === "cpuMs" ? "CPU" : "wall"} time; below 1 means the first is faster:`, "");
    lines.push(`| workload | ${PAIRS.map(([, , what]) => what).join(" | ")} |`, `|---|${PAIRS.map(() => "---:").join("|")}|`);
    for (const w of works) lines.push(`| ${w.name} | ${PAIRS.map(([a, b]) => ratioText(cells, w.name, a, b, metric)).join(" | ")} |`);
    lines.push("");
  }
  const failures = works.flatMap((w) => P2_RUNTIMES.flatMap((r) => (cells[w.name][r.id]?.failures ?? []).slice(0, 1).map((f) => `${r.label} ${w.name}: ${f.split("\n")[0].slice(0, 300)}`)));
  if (failures.length) lines.push("¹ Failures (first of each):", "", ...failures.map((f) => `- ${f}`), "");
  const disagreements = works.filter((w) => new Set(Object.values(cells[w.name]).flatMap((c) => c.checksums)).size > 1);
  lines.push(disagreements.length ? `Checksums DISAGREE on: ${disagreements.map((w) => w.name).join(", ")}.` : "Every runtime that finished a workload printed the same checksum.", "");
  return lines.join("\n");
}

const P2_HEADING = "\n## Preview 2:";

/** `markdown` (RESULTS.md) with its preview-2 section replaced by `section`, or `section` appended. */
export function withP2Section(markdown, section) {
  const start = markdown.indexOf(P2_HEADING);
  if (start < 0) return markdown.trimEnd() + "\n" + section;
  const next = markdown.indexOf("\n## ", start + P2_HEADING.length);
  return markdown.slice(0, start).trimEnd() + "\n" + section + (next < 0 ? "" : markdown.slice(next));
}
