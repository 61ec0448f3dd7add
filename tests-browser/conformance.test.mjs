// The 72 tests of ../shared/wasi-testsuite inside Chromium and Firefox: each in its own Worker
// (runInWorker) with the test's root directory loaded into a fresh MemFS preopened as "/", three
// at a time; in Chromium also its 46 p2 components the same way (the tests
// tests/conformance/p2-passing.txt lists must pass). Prints each failure and
// "conformance (<browser>): N passed, N failed".
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { suiteDir, p2SuiteDir } from "./run.mjs";
import { requiredP2 } from "../tests/conformance/ratchet.mjs";

const CONCURRENCY = 3; // Workers mostly wait on fetches and compiles: a third lane helps even on two cores

/** Everything a page needs to run one test: URLs relative to the suite server, the spec, the tree. */
function manifest(suiteDir) {
  const tests = [];
  for (const lang of readdirSync(suiteDir).sort()) {
    const dir = join(suiteDir, lang);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".wasm")).sort()) {
      const name = file.slice(0, -5);
      const specPath = join(dir, `${name}.json`);
      const spec = existsSync(specPath) ? JSON.parse(readFileSync(specPath, "utf8")) : {};
      const tree = spec.root ? walk(join(dir, spec.root)) : [];
      tests.push({ id: `${lang}/${name}`, wasm: `/${lang}/${file}`, spec, root: spec.root ? `/${lang}/${spec.root}` : null, tree });
    }
  }
  return tests;
}

/** [{ path: "/a/b", dir: bool }] under `base`, skipping *.cleanup leftovers (README). */
function walk(base, dir = base, out = []) {
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".cleanup")) continue;
    const full = join(dir, name);
    const isDir = statSync(full).isDirectory();
    out.push({ path: `/${relative(base, full)}`, dir: isDir });
    if (isDir) walk(base, full, out);
  }
  return out;
}

/** Runs in the page: every test in a Worker, returning [{ id, ok, why }]. */
async function runAll({ tests, suiteUrl, concurrency }) {
  const { MemFS, runInWorker } = await window.cove;
  const fetchBytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const results = [];
  let next = 0;
  async function one(t) {
    const fs = t.root ? new MemFS() : undefined; // no root: no preopens at all
    for (const e of t.tree) {
      if (e.dir) fs.mkdir(e.path, { recursive: true });
      else fs.writeFile(e.path, await fetchBytes(`${suiteUrl}${t.root}${e.path}`));
    }
    const spec = t.spec;
    const wasm = `${suiteUrl}${t.wasm}`;
    const r = await runInWorker(wasm, { args: [t.wasm.split("/").pop(), ...(spec.args ?? [])], env: spec.env ?? {}, fs });
    const why = [];
    if (r.exitCode !== (spec.exit_code ?? 0)) why.push(`exit ${r.exitCode}, expected ${spec.exit_code ?? 0}`);
    if (spec.stdout && r.stdout !== spec.stdout) why.push(`stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(spec.stdout)}`);
    if (spec.stderr && r.stderr !== spec.stderr) why.push(`stderr ${JSON.stringify(r.stderr)}, expected ${JSON.stringify(spec.stderr)}`);
    if (why.length && r.stderr) why.push(`stderr was: ${r.stderr.slice(0, 400)}`);
    return why.join("; ");
  }
  async function lane() {
    while (next < tests.length) {
      const t = tests[next++];
      try {
        const why = await one(t);
        results.push({ id: t.id, ok: !why, why });
      } catch (e) {
        results.push({ id: t.id, ok: false, why: `threw ${e?.name}: ${e?.message}` });
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

export const browsers = ["chromium", "firefox"];

/** Runs a suite's tests in the page; `required(id)` says whether a failure fails the case. */
async function runSuite({ page, suiteDir, suiteUrl, label, required }) {
  const tests = manifest(suiteDir);
  const p = await page("/tests-browser/pages/index.html");
  const results = await p.evaluate(runAll, { tests, suiteUrl, concurrency: CONCURRENCY });
  await p.context().close();
  const failed = results.filter((r) => !r.ok).sort((a, b) => a.id.localeCompare(b.id));
  for (const f of failed) console.log(`       conformance FAIL ${f.id}${required(f.id) ? "" : " (known)"}: ${f.why}`);
  const line = `conformance (${label}): ${results.length - failed.length} passed, ${failed.length} failed`;
  console.log(`       ${line}`);
  if (results.length !== tests.length) throw new Error(`ran ${results.length} of ${tests.length} tests`);
  if (failed.some((f) => required(f.id))) throw new Error(line);
  return line;
}

export default function ({ test }) {
  test("wasi-testsuite p1 in Workers, MemFS root", ({ page, suiteUrl, browserName }) =>
    runSuite({ page, suiteDir, suiteUrl, label: browserName, required: () => true }));
  test("wasi-testsuite p2 (components) in Workers, MemFS root", ({ page, p2SuiteUrl, browserName }) => {
    if (browserName !== "chromium") return { skipped: "p2 conformance runs in Chromium" };
    const required = requiredP2();
    return runSuite({ page, suiteDir: p2SuiteDir, suiteUrl: p2SuiteUrl, label: `p2, ${browserName}`, required: (id) => required.has(id) });
  }, { timeoutMs: 180_000 }); // 46 components, each compiled in its own Worker: ~30 s quiet, over 60 s on a loaded CI machine
}
