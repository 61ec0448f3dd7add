// `npm test`: builds whatever is missing, then runs every suite — Rust, lint, Node, conformance
// (three ways), CLI, component-model reference tests, browser — and ends with one summary line. Exits
// non-zero when any stage fails.
// `node scripts/test.mjs WORD...` runs only the stages whose names contain one of the words.
//
// The Node stages run under the Node that runs this script (`npm test`: the machine's `node`,
// Node 20 here, the oldest we support). One stage runs under Node 24 (tests/node24, installed on
// first use) for what only it has: JSPI, tests/jspi.test.mjs, whose cases Node 20 skips.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { root, step, capture } from "./lib.mjs";
import { buildAll } from "./build.mjs";
import { ensureNode24 } from "./toolchain.mjs";

// The lint stage runs these (scripts/lint.mjs), so the node stage does not run them again.
const LINT_TESTS = new Set(["types.test.mjs"]);

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".test.mjs") && !f.split("/").includes("node_modules") && !LINT_TESTS.has(f))
    .sort()
    .map((f) => join(dir, f));
}

// A stage runs `cmd`, or — `node` — the Node its function returns (resolved only when the stage
// runs: ensureNode24 installs Node 24 on first use).
const thisNode = () => process.execPath;
const stages = [
  { name: "rust (cargo test)", cmd: "cargo", args: ["test", "-p", "cove-core", "-p", "cove-component", "-p", "cove-fuzz", "--profile", "rust-tests"] },
  { name: "lint (rustfmt, clippy, tsc)", node: thisNode, args: ["scripts/lint.mjs"] },
  { name: "node (tests/)", node: thisNode, args: ["--test", "--test-reporter=spec", ...testFiles(join(root, "tests"))], when: testFiles(join(root, "tests")).length },
  { name: "node 24 (JSPI)", node: ensureNode24, args: ["--test", "--test-reporter=spec", "tests/jspi.test.mjs"],
    env: { COVE_REQUIRE_JSPI: "1" }, when: existsSync(join(root, "tests/jspi.test.mjs")) },
  { name: "component model: reference tests", node: thisNode, args: ["tests/component-model/run.mjs"], when: existsSync(join(root, "tests/component-model/run.mjs")) },
  { name: "component model: reference tests, table-driven", node: thisNode, args: ["tests/component-model/run.mjs", "--table-driven"], when: existsSync(join(root, "tests/component-model/run.mjs")) },
  { name: "conformance: Node, MemFS", node: thisNode, args: ["tests/conformance/run.mjs", "--backend=memfs"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  { name: "conformance: Node, host directories", node: thisNode, args: ["tests/conformance/run.mjs", "--backend=nodefs"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  { name: "conformance: CLI", node: thisNode, args: ["tests/conformance/run.mjs", "--backend=cli"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  // The same Rust tests as wasm32-wasip2 components (tests/conformance/p2-passing.txt: the ratchet).
  ...["memfs", "nodefs", "cli"].map((backend, i) => ({
    name: `conformance p2: ${["Node, MemFS", "Node, host directories", "CLI"][i]}`, node: thisNode,
    args: ["tests/conformance/run.mjs", `--backend=${backend}`, "--preview=2"], when: existsSync(join(root, "tests/conformance/run.mjs")),
  })),
  { name: "browser (Chromium)", node: thisNode, args: ["tests-browser/run.mjs"], when: existsSync(join(root, "tests-browser/run.mjs")) },
  // The suites that opt into Firefox (p1 conformance, component guests): Debian's Firefox ESR.
  { name: "browser (Firefox)", node: thisNode, args: ["tests-browser/run.mjs", "--browser=firefox"], when: existsSync(join(root, "tests-browser/run.mjs")) },
];

// Each stage's wall time is printed, so a run that nears CI's 15-minute budget shows where it went.
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(0)} s`;
const started = performance.now();
const only = process.argv.slice(2);
try {
  buildAll();
  console.log(`(build: ${seconds(started)})`);
} catch (e) {
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}

let passed = 0;
const failed = [];
for (const s of stages) {
  if (only.length && !only.some((o) => s.name.includes(o))) continue;
  if ("when" in s && !s.when) {
    console.log(`-- skipping ${s.name}: not present`);
    continue;
  }
  step(s.name);
  let cmd = s.cmd;
  if (s.node) {
    try {
      cmd = s.node();
    } catch (e) {
      console.error(`${s.name}: ${e.message}`);
      failed.push(s.name);
      continue;
    }
    console.log(`(Node ${capture(cmd, ["--version"])?.trim()}: ${cmd})`);
  }
  const stageStarted = performance.now();
  const r = spawnSync(cmd, s.args, { stdio: "inherit", cwd: root, env: { ...process.env, ...s.env } });
  console.log(`(${s.name}: ${seconds(stageStarted)})`);
  if (r.status === 0) passed++;
  else failed.push(s.name);
}
if (failed.length) console.log(`failed stages: ${failed.join("; ")}`);
console.log(`stages: ${passed} passed, ${failed.length} failed (${seconds(started)} in all)`);
process.exit(failed.length ? 1 : 0);
