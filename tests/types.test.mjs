// The published declarations, checked with the TypeScript compiler as users' code sees them:
// each export condition gets its own (package.json `exports`), so a Node program cannot import
// names only the browser build has. Usage files and tsconfigs are in tests/types/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** `tsc --noEmit -p tests/types/tsconfig.NAME.json`: { status, output }. */
function typeCheck(name) {
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(root, "tests", "types", `tsconfig.${name}.json`)], { cwd: root, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test("a Node program using the node:wasi drop-in and NodeDirectory type-checks (node condition)", { timeout: 120_000 }, () => {
  const r = typeCheck("node");
  assert.equal(r.status, 0, r.output);
});

test("a browser program using Workers, IndexedDB and OPFS type-checks (browser condition)", { timeout: 120_000 }, () => {
  const r = typeCheck("browser");
  assert.equal(r.status, 0, r.output);
});

test("a Node program importing startWorker or openOPFS does not type-check", { timeout: 120_000 }, () => {
  const r = typeCheck("node-browser-only");
  assert.notEqual(r.status, 0);
  assert.match(r.output, /has no exported member 'startWorker'/);
  assert.match(r.output, /has no exported member 'openOPFS'/);
  // Only those: the rest of the file is fine.
  assert.equal(r.output.match(/error TS/g).length, 2, r.output);
});
