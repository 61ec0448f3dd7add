// Component workloads (issue 11): Cove's compileComponent/instantiate against jco 1.35's
// transpiled output of the same component (tests/component-guests `values`), in Node, a fresh
// process per sample (bench/component-sample.mjs), runtimes interleaved and rotated per round.
// Called by bench/run.mjs (host "components"); returns the raw samples and renders the section
// of RESULTS.md. Cove joins when "cove" exports instantiate and compileComponent; until then the
// section says it was skipped and jco's numbers stand alone.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "../scripts/lib.mjs";
import { componentGuestPath } from "../scripts/build-component-guests.mjs";
import { transpileWithJco } from "../tests/component-guests/jco.mjs";
import { summarize } from "./report.mjs";

export const COMPONENT_WORKLOADS = [
  { name: "scalar", what: "scalar export call: `echo-u32(0xdeadbeef)`" },
  { name: "host-call", what: "host import call: `tick-many(100)` calls the JS import `tick` 100 times (time per import call)" },
  { name: "string-1k", what: "1 KiB string round trip: `echo-string` of 1,024 UTF-8 bytes" },
  { name: "record", what: "a record: `echo-person` (string, list<string>, option<record>, u8)" },
  { name: "list-1m", what: "1 MiB list<u8> both ways: `echo-list-u8`" },
  { name: "load", what: "load + instantiate from bytes: Cove compileComponent + instantiate; jco transpile + import + core compile + instantiate" },
];

/** Why Cove is not in the run, or null when it is. */
async function coveMissing(coveModule) {
  try {
    const cove = await import(pathToFileURL(coveModule).href);
    if (typeof cove.instantiate !== "function" || typeof cove.compileComponent !== "function") {
      return '"cove" exports no instantiate/compileComponent yet';
    }
    return null;
  } catch (e) {
    return `import("cove") failed: ${e.message.split("\n")[0]}`;
  }
}

function sample(runtime, workload, component, coveModule, timeoutMs) {
  const r = spawnSync(process.execPath, ["--no-warnings", join(root, "bench", "component-sample.mjs"), runtime, workload, component],
    { encoding: "utf8", timeout: timeoutMs, env: { ...process.env, COVE_BENCH_MODULE: coveModule } });
  if (r.error?.code === "ETIMEDOUT" || r.signal === "SIGTERM") return { error: `timed out after ${timeoutMs / 1000} s` };
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    return { error: `no result (status ${r.status}): ${r.stderr.slice(-300)}` };
  }
}

/** Runs `rounds` rounds; returns { runtimes, skipped, cells: { workload: { runtime: { values, unit, failures } } } }. */
export async function runComponentBench({ rounds, coveModule, timeoutMs = 120_000, workloads = COMPONENT_WORKLOADS.map((w) => w.name) }) {
  const component = componentGuestPath("values");
  await transpileWithJco("values");
  const missing = await coveMissing(coveModule);
  const runtimes = missing ? ["jco"] : ["cove", "jco"];
  const cells = {};
  for (let round = 0; round < rounds; round++) {
    process.stdout.write(`components round ${round + 1}/${rounds}:`);
    for (const w of workloads) {
      for (const rt of round % 2 ? [...runtimes].reverse() : runtimes) {
        const cell = ((cells[w] ??= {})[rt] ??= { values: [], unit: "", failures: [] });
        const r = sample(rt, w, component, coveModule, timeoutMs);
        if (r.error || !r.ok) cell.failures.push(r.error?.split("\n")[0] ?? "wrong result");
        else {
          cell.values.push(r.value);
          cell.unit = r.unit;
        }
      }
      process.stdout.write(` ${w}`);
    }
    process.stdout.write("\n");
  }
  return { runtimes, skipped: missing ? `Cove is not in this run: ${missing}.` : null, cells };
}

const num = (v, unit) => (unit === "ms" ? (v >= 100 ? v.toFixed(0) : v.toFixed(1))
  : v >= 100_000 ? `${(v / 1000).toFixed(0)} µs` : v >= 1000 ? `${(v / 1000).toFixed(1)} µs` : `${v.toFixed(0)} ns`);

function cellText(cell) {
  const st = cell && summarize(cell.values);
  const failed = cell?.failures.length ? ` (${cell.failures.length} failed: ${cell.failures[0]})` : "";
  if (!st) return `—${failed}`;
  const unit = cell.unit === "ms" ? " ms" : "";
  return `${num(st.median, cell.unit)}${unit} [${num(st.min, cell.unit)}–${num(st.max, cell.unit)}] n=${st.n}${failed}`;
}

/** The "Components" section of RESULTS.md. */
export function renderComponentResults(result) {
  if (!result) return "";
  const lines = ["## Components: Cove against jco 1.35 (Node)", ""];
  lines.push("Per call (ns or µs per call; load in ms): median [min–max] over fresh processes; ratio = Cove ÷ jco " +
    "(below 1 means Cove is faster). The component is tests/component-guests `values`. How to read it: bench/NOTES.md.", "");
  if (result.skipped) lines.push(`${result.skipped} Only jco's numbers are shown.`, "");
  lines.push("| workload | Cove | jco 1.35 | Cove ÷ jco |", "| --- | --- | --- | --- |");
  for (const w of COMPONENT_WORKLOADS) {
    const cells = result.cells[w.name];
    if (!cells) continue;
    const cove = summarize(cells.cove?.values ?? []);
    const jco = summarize(cells.jco?.values ?? []);
    const ratio = cove && jco ? `${(cove.median / jco.median).toFixed(2)}× (min ${(cove.min / jco.min).toFixed(2)}×)` : "—";
    lines.push(`| ${w.what} | ${cells.cove ? cellText(cells.cove) : "skipped"} | ${cellText(cells.jco)} | ${ratio} |`);
  }
  return `${lines.join("\n")}\n`;
}
