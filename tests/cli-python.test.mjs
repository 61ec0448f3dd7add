// CPython as a WASI preview-2 command component (componentize-py, tests/python → build/python/
// python.wasm) run through `cove run`: a script in a --dir host directory reads a file, writes
// new ones, lists its directory and exits with its own status; a --ro-dir keeps its files.
// componentize-py's core modules use extended constant expressions, which V8 compiles from
// Node 21 on: `cove run` runs here under Node 24 (tests/node24), and under Node 20 it must refuse
// the component with V8's reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCove as runCoveWith } from "./cli-helpers.mjs";
import { tempDir } from "./guests/harness.mjs";
import { buildPythonComponent, pythonComponent } from "../scripts/build-python.mjs";
import { ensureNode24 } from "../scripts/toolchain.mjs";

// `npm test` has built it; a run of this file alone builds it when missing.
if (!existsSync(pythonComponent)) buildPythonComponent();
const node24 = ensureNode24();
const runCove = (args) => runCoveWith(args, { node: node24 });

const SCRIPT = `
import hashlib, json, os, sys

work = os.path.dirname(sys.argv[0])
with open(os.path.join(work, "input.txt"), encoding="utf-8") as f:
    lines = f.read().splitlines()
report = {
    "args": sys.argv[1:],
    "lines": len(lines),
    "words": sum(len(line.split()) for line in lines),
    "longest": max(lines, key=len),
    "sha256": hashlib.sha256("\\n".join(lines).encode()).hexdigest(),
}
os.makedirs(os.path.join(work, "out"), exist_ok=True)
with open(os.path.join(work, "out", "report.json"), "w", encoding="utf-8") as f:
    json.dump(report, f, ensure_ascii=False, sort_keys=True)
with open(os.path.join(work, "out", "upper.txt"), "w", encoding="utf-8") as f:
    f.write("\\n".join(line.upper() for line in lines))
print("listing", sorted(os.listdir(work)), sorted(os.listdir(os.path.join(work, "out"))))
print("longest", report["longest"])
if sys.argv[1:2] == ["--fail"]:
    sys.exit(3)
`;

const INPUT = "héllo wörld\nthe second line is the longest one\n日本語 🎉\n";

/** A host directory holding script.py and input.txt. */
function workDir() {
  const tmp = tempDir("cove-python-");
  writeFileSync(join(tmp.dir, "script.py"), SCRIPT);
  writeFileSync(join(tmp.dir, "input.txt"), INPUT);
  return tmp;
}

test("cove run: a Python component runs a script that reads a file and writes new ones in a --dir", async () => {
  const { dir, cleanup } = workDir();
  try {
    const r = await runCove(["run", "--dir", `${dir}::/work`, pythonComponent, "/work/script.py", "héllo", "a=b"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout,
      "listing ['input.txt', 'out', 'script.py'] ['report.json', 'upper.txt']\nlongest the second line is the longest one\n");
    const lines = INPUT.split("\n").slice(0, -1);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")), {
      args: ["héllo", "a=b"], lines: 3, words: 11, longest: "the second line is the longest one",
      sha256: createHash("sha256").update(lines.join("\n")).digest("hex"),
    });
    assert.equal(readFileSync(join(dir, "out", "upper.txt"), "utf8"), lines.map((l) => l.toUpperCase()).join("\n"));
  } finally {
    cleanup();
  }
});

test("cove run: a Python script's sys.exit status and an uncaught exception's traceback reach the shell", async () => {
  const { dir, cleanup } = workDir();
  try {
    const failed = await runCove(["run", "--dir", `${dir}::/work`, pythonComponent, "/work/script.py", "--fail"]);
    // wasi:cli/exit has only ok/err: a p2 guest's non-zero status arrives as 1.
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, /^listing /);

    writeFileSync(join(dir, "raise.py"), "def f():\n    raise ValueError('bad value from the script')\nf()\n");
    const raised = await runCove(["run", "--dir", `${dir}::/work`, pythonComponent, "/work/raise.py"]);
    assert.equal(raised.code, 1, raised.stderr);
    assert.match(raised.stderr, /Traceback \(most recent call last\):[\s\S]*\/work\/raise\.py", line 2, in f[\s\S]*ValueError: bad value from the script\n$/);
  } finally {
    cleanup();
  }
});

test("cove run: a Python script cannot change a --ro-dir; the error is Python's, the files stay", async () => {
  const { dir, cleanup } = workDir();
  try {
    const before = readdirSync(dir).sort();
    const r = await runCove(["run", "--ro-dir", `${dir}::/work`, pythonComponent, "/work/script.py"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /(PermissionError|OSError): \[Errno \d+\] [^\n]*'\/work\/out'/);
    assert.deepEqual(readdirSync(dir).sort(), before);
  } finally {
    cleanup();
  }
});

const v8HasExtendedConst = Number(process.versions.v8.split(".")[0]) * 100 + Number(process.versions.v8.split(".")[1]) >= 1104;

test("cove run under Node 20: the Python component is refused with V8's reason, exit 1, nothing run",
  { skip: v8HasExtendedConst ? `V8 ${process.versions.v8} compiles extended constant expressions` : false }, async () => {
    const { dir, cleanup } = workDir();
    try {
      const r = await runCoveWith(["run", "--dir", `${dir}::/work`, pythonComponent, "/work/script.py"]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^cove: .*python\.wasm: .*i32\.add is not allowed in constant expressions/);
      assert.equal(existsSync(join(dir, "out")), false);
    } finally {
      cleanup();
    }
  });
