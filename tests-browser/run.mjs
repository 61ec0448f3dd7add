// `node tests-browser/run.mjs [--browser=firefox] [filter]`: every browser suite in one Chromium
// (or, with --browser=firefox, the suites that list "firefox" in their `browsers` export, in one
// Firefox ESR), against our own static servers, ending with "N passed, N failed" (exit 1 on any
// failure).
//
// A suite is tests-browser/*.test.mjs exporting `default async function (t)`; `t.test(name, fn)`
// registers a case, `fn(ctx)` gets { browser, browserName, url, isolatedUrl, suiteUrl,
// page(path, {isolated}) }. A case that resolves to `{ skipped: "reason" }` is counted as skipped.
// `export const browsers = ["chromium", "firefox"]` opts a suite into Firefox (default: Chromium).
// `url` serves the repository; `isolatedUrl` serves it with COOP/COEP (crossOriginIsolated, so
// SharedArrayBuffer exists); `suiteUrl` serves the wasi-testsuite's p1/ ($COVE_WASI_TESTSUITE, scripts/suites.mjs) with CORS,
// `p2SuiteUrl` its p2/ (the same tests as components).
// The playground's tests-browser/playground*.mjs are separate scripts: each runs as a child
// process, and its own "N passed, N failed" line (or, lacking one, its exit status) is counted.
import { readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spawn } from "node:child_process";
import { serveStatic, launchChromium, launchFirefox } from "./harness.mjs";
import { root } from "../scripts/lib.mjs";
import { requireSuite, suitePath } from "../scripts/suites.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const browserName = process.argv.find((a) => a.startsWith("--browser="))?.slice("--browser=".length) ?? "chromium";
const filter = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "";
const CASE_TIMEOUT_MS = 60_000;

/** The suite's p1 directory: $COVE_WASI_TESTSUITE/p1, by default ../shared/wasi-testsuite/p1. */
export const suiteDir = suitePath("wasi-testsuite", "p1");
export const p2SuiteDir = suitePath("wasi-testsuite", "p2");
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runSuites(ctx) {
  let passed = 0, failed = 0, skipped = 0;
  const files = readdirSync(here).filter((f) => f.endsWith(".test.mjs") && !f.startsWith("playground")).sort();
  for (const file of files) {
    const cases = [];
    const mod = await import(pathToFileURL(join(here, file)).href);
    if (!(mod.browsers ?? ["chromium"]).includes(browserName)) continue;
    // A case may ask for a longer timeout: test(name, fn, { timeoutMs }).
    await mod.default({ test: (name, fn, { timeoutMs = CASE_TIMEOUT_MS } = {}) => cases.push({ name, fn, timeoutMs }) });
    for (const { name, fn, timeoutMs } of cases) {
      const full = `${file.replace(/\.test\.mjs$/, "")} › ${name}`;
      if (filter && !full.includes(filter)) continue;
      const started = Date.now();
      try {
        const note = await withTimeout(fn(ctx), timeoutMs, full);
        if (typeof note?.skipped === "string") {
          skipped++;
          console.log(`  skip ${full} — ${note.skipped}`);
          continue;
        }
        passed++;
        console.log(`  ok   ${full} (${Date.now() - started} ms)${typeof note === "string" ? ` — ${note}` : ""}`);
      } catch (e) {
        failed++;
        console.log(`  FAIL ${full}\n       ${String(e?.stack ?? e).split("\n").join("\n       ")}`);
      }
    }
  }
  return { passed, failed, skipped };
}

/** A playground script in its own process; its "N passed, N failed" line is its score. */
function runScript(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("close", (code) => {
      // Its whole output only when something failed; otherwise its summary line.
      if (code !== 0) process.stdout.write(out);
      const m = [...out.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
      const counts = m ? { passed: +m[1], failed: +m[2] } : { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      console.log(`  ${code === 0 ? "ok  " : "FAIL"} ${file}: ${m ? m[0] : `exit ${code}`}`);
      resolve(counts);
    });
  });
}

async function main() {
  requireSuite("wasi-testsuite", "p1");
  requireSuite("wasi-testsuite", "p2");
  const cors = { "access-control-allow-origin": "*", "cross-origin-resource-policy": "cross-origin" };
  const [plain, isolated, suite, p2Suite] = await Promise.all([
    serveStatic(),
    serveStatic({ headers: ISOLATION }),
    serveStatic({ dir: suiteDir, headers: cors }),
    serveStatic({ dir: p2SuiteDir, headers: cors }),
  ]);
  const browser = await (browserName === "firefox" ? launchFirefox() : launchChromium());
  const ctx = {
    browser, browserName, url: plain.url, isolatedUrl: isolated.url, suiteUrl: suite.url, p2SuiteUrl: p2Suite.url,
    /** A fresh page (own context: separate storage unless `context` is given) showing `path`. */
    async page(path, { isolated: iso = false, context } = {}) {
      const c = context ?? await browser.newContext();
      const page = await c.newPage();
      page.on("pageerror", (e) => console.log(`       [page error] ${e.message}`));
      await page.goto(`${iso ? isolated.url : plain.url}${path}`);
      return page;
    },
  };
  // The playground scripts run alongside (own process, own browser): both sides mostly wait on
  // Chromium, so overlapping them roughly halves the wall time on two cores.
  const scripts = browserName !== "chromium" ? []
    : readdirSync(here).filter((f) => /^playground.*\.mjs$/.test(f) && (!filter || f.includes(filter))).sort();
  const scriptRuns = (async () => {
    const counts = [];
    for (const file of scripts) counts.push(await runScript(file));
    return counts;
  })();
  let totals = { passed: 0, failed: 0, skipped: 0 };
  try {
    totals = await runSuites(ctx);
  } finally {
    await browser.close();
    await Promise.all([plain.close(), isolated.close(), suite.close(), p2Suite.close()]);
  }
  for (const r of await scriptRuns) {
    totals.passed += r.passed;
    totals.failed += r.failed;
  }
  const skippedNote = totals.skipped ? `, ${totals.skipped} skipped` : "";
  console.log(`${browserName}: ${totals.passed} passed, ${totals.failed} failed${skippedNote}`);
  process.exit(totals.failed ? 1 : 0);
}

if (existsSync(join(root, "js", "engine", "cove_wasm_bg.wasm")) || process.env.COVE_BROWSER_FORCE) {
  main().catch((e) => { console.error(e); process.exit(1); });
} else {
  console.error("tests-browser: js/engine/cove_wasm_bg.wasm is missing; run `node scripts/build.mjs` first");
  process.exit(1);
}
