// Turns the collected samples into bench/RESULTS.md: medians, spreads, ratios to Cove, checksum
// agreement, the gaps against the targets in issue 6, and bundle sizes.
import { WORKLOADS } from "./workloads.mjs";
import { RUNTIMES } from "./runtimes.mjs";

export function summarize(values) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, median, min: s[0], max: s[s.length - 1] };
}

const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ratio = (r) => (r === null ? "—" : `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`);

/** The Cove configuration a peer is compared with: the one with the same kind of filesystem. */
function coveFor(rt, hostName) {
  return rt.hosts[hostName] === "host dir" ? "cove-dir" : "cove-memfs";
}

function cellText(cell, metric) {
  if (!cell) return "n/a";
  const st = summarize(cell[metric]);
  const notes = [];
  if (cell.timeouts) notes.push(`${cell.timeouts} timed out${st ? "" : ` (> ${ms(cell.timeoutMs)} ms)`}`);
  if (cell.failures.length) notes.push(`${cell.failures.length} failed`);
  if (!st) return notes.join(", ") || "—";
  const spread = st.n > 1 ? ` [${ms(st.min)}–${ms(st.max)}]` : "";
  return `${ms(st.median)}${spread} n=${st.n}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

/** peer median ÷ Cove median; a timed-out peer gives a lower bound. */
function ratioOf(host, work, peerId, coveId, metric = "runMs") {
  const peer = host.cells[work]?.[peerId];
  const cove = summarize(host.cells[work]?.[coveId]?.[metric] ?? []);
  if (!peer || !cove) return { text: "—", value: null };
  const st = summarize(peer[metric]);
  if (!st && peer.timeouts) return { text: `> ${ratio(peer.timeoutMs / cove.median)}`, value: peer.timeoutMs / cove.median };
  if (!st) return { text: "—", value: null };
  const value = st.median / cove.median;
  // Minimums are steadier than medians on a loaded machine (docs/boundary.md): show both.
  const ofMinimums = st.n > 1 && cove.n > 1 ? ` (min ${ratio(st.min / cove.min)})` : "";
  return { text: ratio(value) + ofMinimums, value };
}

function timingTable(host, metric) {
  const rts = host.runtimes;
  const lines = [
    `| workload | ${rts.map((r) => `${r.label}${r.hosts[host.name] ? ` (${r.hosts[host.name]})` : ""}`).join(" | ")} |`,
    `|---|${rts.map(() => "---:").join("|")}|`,
  ];
  for (const w of WORKLOADS) {
    if (!host.cells[w.name]) continue;
    lines.push(`| ${w.name} | ${rts.map((r) => cellText(host.cells[w.name][r.id], metric)).join(" | ")} |`);
  }
  return lines.join("\n");
}

function ratioTable(host, metric = "runMs") {
  const peers = host.runtimes.filter((r) => !r.cove);
  const coves = host.runtimes.filter((r) => r.cove).map((r) => r.id);
  if (!coves.length) return "_Cove did not run in this host, so there are no ratios._";
  const headers = peers.map((p) => `${p.label} ÷ ${coves.includes(coveFor(p, host.name)) ? RUNTIMES.find((r) => r.id === coveFor(p, host.name)).label : "Cove"}`);
  const dirVsMem = coves.includes("cove-dir") && coves.includes("cove-memfs");
  const lines = [
    `| workload | ${headers.join(" | ")}${dirVsMem ? " | Cove (host dir) ÷ Cove (MemFS) |" : " |"}`,
    `|---|${peers.map(() => "---:").join("|")}${dirVsMem ? "|---:|" : "|"}`,
  ];
  for (const w of WORKLOADS) {
    if (!host.cells[w.name]) continue;
    const cols = peers.map((p) => ratioOf(host, w.name, p.id, coveFor(p, host.name), metric).text);
    if (dirVsMem) cols.push(ratioOf(host, w.name, "cove-dir", "cove-memfs", metric).text);
    lines.push(`| ${w.name} | ${cols.join(" | ")} |`);
  }
  return lines.join("\n");
}

/**
 * Issue 6's bar: Cove no slower than browser_wasi_shim (but for startup), within 1.5× node:wasi.
 * `metric` is "runMs" (wall) or "cpuMs" (Node only).
 */
export function gaps(host, metric = "runMs") {
  const found = [];
  const what = metric === "cpuMs" ? "CPU time" : "time";
  for (const w of WORKLOADS) {
    if (!host.cells[w.name]) continue;
    for (const coveId of ["cove-memfs", "cove-dir"]) {
      if (!host.cells[w.name][coveId]) continue;
      const label = RUNTIMES.find((r) => r.id === coveId).label;
      const shim = ratioOf(host, w.name, "shim", coveId, metric).value;
      if (coveId === "cove-memfs" && shim !== null && shim < 1 && w.name !== "startup") {
        found.push(`${w.name}: ${label} takes ${ratio(1 / shim)} the ${what} of browser_wasi_shim`);
      }
      const nodeWasi = ratioOf(host, w.name, "node-wasi", coveId, metric).value;
      if (nodeWasi !== null && 1 / nodeWasi > 1.5) {
        found.push(`${w.name}: ${label} takes ${ratio(1 / nodeWasi)} the ${what} of node:wasi`);
      }
    }
  }
  return found;
}

function checksumSection(checks) {
  const lines = ["| workload | checksum line (stderr) | runtimes that printed it |", "|---|---|---|"];
  for (const [work, byLine] of Object.entries(checks)) {
    for (const [line, who] of Object.entries(byLine)) lines.push(`| ${work} | \`${line}\` | ${[...who].sort().join(", ")} |`);
  }
  return lines.join("\n");
}

function sizesTable(rows) {
  const lines = ["| package | host | raw | gzip | files |", "|---|---|---:|---:|---|"];
  for (const r of rows) {
    if (r.note) lines.push(`| ${r.name} | ${r.host} | — | — | ${r.note} |`);
    else lines.push(`| ${r.name} | ${r.host} | ${kb(r.raw)} | ${kb(r.gzip)} | ${r.name === "Cove" ? r.files.join(", ") : `${r.files.length} files`} |`);
  }
  return lines.join("\n");
}

export function renderResults({ date, command, machine, hosts, checks, mismatches, sizes, page, skipped, settings }) {
  const out = [];
  out.push("# Cove benchmark results", "");
  out.push("Written by `bench/run.mjs`; rerun it rather than editing this file. What the numbers mean and the", "profiling notes on the gaps are in [NOTES.md](NOTES.md).", "");
  out.push(`- Date: ${date}`, `- Command: \`${command}\``, `- Machine: ${machine}`);
  out.push(`- Samples: ${settings}`);
  out.push("- Headline: milliseconds inside the process/Worker around constructing the WASI object (and its", "  in-memory filesystem), instantiating the already-compiled guest and `_start`. The whole-process", "  column spans process spawn to exit (Node) or `new Worker` to its result (Chromium).");
  out.push("- stdout is a sink in every runtime: a no-op callback (Cove on MemFS, browser_wasi_shim, wasm-util); node:wasi", "  only accepts fds, so it and Cove (host dir) write to /dev/null. Each guest write is still one `fd_write` call into the runtime.");
  out.push("- Cells: median [min–max] n=samples, in ms. Ratios: peer median ÷ Cove median, so > 1 means Cove is faster", "  (in brackets: ratio of the minimums, steadier on a loaded machine); host-directory peers are compared", "  with Cove (host dir), in-memory ones with Cove (MemFS).");
  out.push("");
  for (const s of skipped) out.push(`> ${s}`, "");
  if (mismatches.length) {
    out.push("## Checksum MISMATCHES", "", ...mismatches.map((m) => `- ${m}`), "");
  }
  for (const host of hosts) {
    out.push(`## ${host.title}: in-process time (headline)`, "", timingTable(host, "runMs"), "");
    out.push(`### ${host.title}: ratio of each peer to Cove (in-process)`, "", ratioTable(host), "");
    if (host.name === "node") {
      out.push(`### ${host.title}: in-process CPU time`, "", "User + system CPU time of the sample process over the same region (all threads; node:wasi and", "Cove's host-directory backend do their file I/O synchronously on the main thread). Steadier than", "wall time when other work shares the machine.", "", timingTable(host, "cpuMs"), "");
      out.push(`### ${host.title}: ratio of each peer to Cove (in-process CPU time)`, "", ratioTable(host, "cpuMs"), "");
    }
    out.push(`### ${host.title}: whole-process time`, "", timingTable(host, "wholeMs"), "");
    out.push(`### ${host.title}: importing the runtime`, "", timingTable(host, "importMs"), "");
    for (const f of host.failures.slice(0, 10)) out.push(`- failure: ${f}`);
    if (host.failures.length) out.push("");
  }
  out.push("## Gaps against the targets (Cove ≤ browser_wasi_shim except startup; Cove ≤ 1.5× node:wasi)", "");
  out.push("Medians. In Node by CPU time (steadier under load) and by wall time; in Chromium by wall time.", "");
  for (const [title, list] of [
    ...hosts.filter((h) => h.name === "node").map((h) => [`${h.title}, CPU time`, gaps(h, "cpuMs")]),
    ...hosts.map((h) => [`${h.title}, wall time`, gaps(h, "runMs")]),
  ]) {
    out.push(`${title}:`, "", ...(list.length ? list.map((g) => `- ${g}`) : ["- none"]), "");
  }
  out.push("## Checksums", "", "Every runtime must print the same line for each workload.", "", checksumSection(checks), "");
  out.push("## Bundle sizes", "", "What `import` loads: the module graph plus assets fetched via `new URL(…, import.meta.url)`; gzip per file at level 9.", "", sizesTable(sizes), "");
  if (page) {
    out.push(`What a page running a p1 guest downloads (scripts/size.mjs: the browser entry's static imports bundled with esbuild --minify, each chunk gzip -9, plus the engine wasm gzip): **${page.gzip.toLocaleString("en-US")} bytes** = ${page.js.gzip.toLocaleString("en-US")} of JS + ${page.wasm.gzip.toLocaleString("en-US")} of wasm (issue 13's budget: 64 KB).`, "");
  }
  return out.join("\n");
}
