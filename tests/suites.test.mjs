// Suites outside the repository (scripts/suites.mjs): a stage whose suite is missing fails with
// one line naming the path it looked at and the variable to set, not an ENOENT stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../scripts/lib.mjs";

/** Runs `script` with `env` added; { status, stdout, stderr }. */
function run(script, args, env) {
  const r = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const missing = mkdtempSync(join(tmpdir(), "cove-suites-"));
rmSync(missing, { recursive: true });

for (const [script, args, variable, looked] of [
  ["tests/conformance/run.mjs", ["--backend=memfs"], "COVE_WASI_TESTSUITE", join(missing, "p1")],
  ["tests-browser/run.mjs", [], "COVE_WASI_TESTSUITE", join(missing, "p1")],
  ["tests/component-model/run.mjs", [], "COVE_COMPONENT_TESTS", missing],
]) {
  test(`${script} with ${variable} at a missing directory: one line naming it and the variable`, () => {
    const r = run(script, args, { [variable]: missing });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].includes(`${looked} does not exist`), lines[0]);
    assert.ok(lines[0].includes(`set ${variable} to`), lines[0]);
    assert.doesNotMatch(r.stderr, /ENOENT|\n\s+at /);
  });
}
