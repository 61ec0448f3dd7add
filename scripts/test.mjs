// `npm test`: builds whatever is missing, then runs every suite — Rust, Node, conformance (three
// ways), CLI, browser — and ends with one summary line. Exits non-zero when any stage fails.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { root, step } from "./lib.mjs";
import { buildAll } from "./build.mjs";

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => join(dir, f));
}

const node = process.execPath;
const stages = [
  { name: "rust (cargo test)", cmd: "cargo", args: ["test", "-p", "cove-core", "--release"] },
  { name: "node (tests/)", cmd: node, args: ["--test", "--test-reporter=spec", ...testFiles(join(root, "tests"))], when: testFiles(join(root, "tests")).length },
  { name: "conformance: Node, MemFS", cmd: node, args: ["tests/conformance/run.mjs", "--backend=memfs"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  { name: "conformance: Node, host directories", cmd: node, args: ["tests/conformance/run.mjs", "--backend=nodefs"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  { name: "conformance: CLI", cmd: node, args: ["tests/conformance/run.mjs", "--backend=cli"], when: existsSync(join(root, "tests/conformance/run.mjs")) },
  { name: "browser (Chromium)", cmd: node, args: ["tests-browser/run.mjs"], when: existsSync(join(root, "tests-browser/run.mjs")) },
];

const only = process.argv.slice(2);
try {
  buildAll();
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
  const r = spawnSync(s.cmd, s.args, { stdio: "inherit", cwd: root });
  if (r.status === 0) passed++;
  else failed.push(s.name);
}
if (failed.length) console.log(`failed stages: ${failed.join("; ")}`);
console.log(`stages: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
