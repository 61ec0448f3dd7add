// Builds tests/python/app.py into build/python/python.wasm, a WASI preview-2 command component
// that runs a Python script (`python.wasm SCRIPT [ARGS...]`), with componentize-py (PyPI; installed
// by toolchain.mjs when missing). Rebuilt only when tests/python changes: the build takes ~20 s
// of CPU and the component is ~19 MB (CPython and the standard-library modules app.py imports).
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { root, sh, stale, step } from "./lib.mjs";
import { ensureComponentizePy } from "./toolchain.mjs";

const sources = join(root, "tests", "python");
export const pythonComponent = join(root, "build", "python", "python.wasm");

export function buildPythonComponent() {
  if (!stale(pythonComponent, [sources, join(root, "scripts", "build-python.mjs")])) return;
  const componentizePy = ensureComponentizePy();
  step("python: componentize-py tests/python/app.py (a wasi:cli/run component, ~20 s)");
  // Built from a copy: componentize-py's own interpreter writes __pycache__ beside the app.
  const work = join(root, "build", "python", "src");
  rmSync(work, { recursive: true, force: true });
  cpSync(sources, work, { recursive: true });
  sh(componentizePy.cmd, [...componentizePy.args, "-d", "wit", "-w", "cove:python/command", "componentize", "app", "-o", pythonComponent], { cwd: work });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    buildPythonComponent();
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
