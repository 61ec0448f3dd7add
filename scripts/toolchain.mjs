// Installs what the build needs on a fresh machine, skipping whatever is already there:
// Rust wasm targets, the pinned wasm-bindgen CLI, and the npm dev dependencies; for the
// JSPI test stage only, Node 24 (tests/node24); for the Python component, componentize-py (pip).
import { existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root, sh, capture, step } from "./lib.mjs";

export const WASM_BINDGEN_VERSION = "0.2.130";
// wasm32-wasip2: the test guests are built as preview-2 components too (tests/parity.test.mjs).
const TARGETS = ["wasm32-unknown-unknown", "wasm32-wasip1", "wasm32-wasip2"];

export function ensureRustTargets() {
  const installed = capture("rustup", ["target", "list", "--installed"]) ?? "";
  const missing = TARGETS.filter((t) => !installed.split("\n").includes(t));
  if (missing.length) {
    step(`rustup target add ${missing.join(" ")}`);
    sh("rustup", ["target", "add", ...missing]);
  }
}

/** rustfmt and clippy, for the lint stage (scripts/lint.mjs). */
export function ensureRustComponents(components = ["rustfmt", "clippy"]) {
  const installed = capture("rustup", ["component", "list", "--installed"]) ?? "";
  const missing = components.filter((c) => !installed.split("\n").some((line) => line.startsWith(`${c}-`)));
  if (missing.length) {
    step(`rustup component add ${missing.join(" ")}`);
    sh("rustup", ["component", "add", ...missing]);
  }
}

export function wasmBindgenPath() {
  const cargoBin = join(process.env.CARGO_HOME ?? join(process.env.HOME ?? "/root", ".cargo"), "bin", "wasm-bindgen");
  for (const cmd of ["wasm-bindgen", cargoBin]) {
    const v = capture(cmd, ["--version"]);
    if (v && v.includes(WASM_BINDGEN_VERSION)) return cmd;
  }
  return null;
}

export function ensureWasmBindgen() {
  let path = wasmBindgenPath();
  if (!path) {
    step(`cargo install wasm-bindgen-cli --version ${WASM_BINDGEN_VERSION} (a few minutes, once)`);
    sh("cargo", ["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION]);
    path = wasmBindgenPath();
    if (!path) throw new Error("wasm-bindgen-cli was installed but `wasm-bindgen --version` does not report " + WASM_BINDGEN_VERSION);
  }
  return path;
}

/** `npm ci` in `dir` (a folder with package.json) unless its node_modules matches its lock file. */
export function ensureNpmDeps(dir = root) {
  const lock = join(dir, "package-lock.json");
  const marker = join(dir, "node_modules", ".package-lock.json");
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  const where = dir === root ? "" : ` (${relative(root, dir)})`;
  step(`npm install${where}`);
  sh("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund"], { cwd: dir });
}

// Node 24 lives in a folder of its own, not in the root devDependencies: npm puts the root's
// node_modules/.bin first on PATH, so a root `node` package would make `npm test` run every suite
// under Node 24 and leave Node 20, the oldest Node we support, untested.
const node24Dir = join(root, "tests", "node24");

/** The path of Node 24 (installed into tests/node24 when missing), for the JSPI stage. */
export function ensureNode24() {
  ensureNpmDeps(node24Dir);
  const node = join(node24Dir, "node_modules", ".bin", "node");
  // The `node` package fetches the binary in an install script; check it really arrived.
  const version = capture(node, ["--version"])?.trim();
  if (!version?.startsWith("v24.")) {
    throw new Error(`${node} should be Node 24 but reports ${version ?? "nothing (not installed: did npm skip the node package's install script?)"}`);
  }
  return node;
}

export const COMPONENTIZE_PY_VERSION = "0.25.1";
// Run through the Python that has the package, so no PATH entry for pip's scripts is needed.
const componentizePy = {
  cmd: "python3",
  args: ["-c", "import sys, componentize_py; sys.argv[0] = 'componentize-py'; sys.exit(componentize_py.script())"],
};

/** componentize-py (tests/python → build/python, scripts/build-python.mjs); pip-installed when missing. */
export function ensureComponentizePy() {
  const installed = () => capture("python3", ["-c", "import importlib.metadata as m; print(m.version('componentize-py'))"])?.trim();
  if (installed() !== COMPONENTIZE_PY_VERSION) {
    step(`pip install componentize-py==${COMPONENTIZE_PY_VERSION}`);
    sh("python3", ["-m", "pip", "install", "--quiet", `componentize-py==${COMPONENTIZE_PY_VERSION}`]);
    if (installed() !== COMPONENTIZE_PY_VERSION) throw new Error(`pip installed componentize-py, but python3 reports version ${installed() ?? "none"}`);
  }
  return componentizePy;
}

export function ensureToolchain() {
  ensureNpmDeps();
  ensureRustTargets();
  return { wasmBindgen: ensureWasmBindgen() };
}

/** Debian's Chromium for the browser tests; installed with apt-get when missing. */
export function ensureChromium() {
  const path = "/usr/bin/chromium";
  if (existsSync(path)) return path;
  step("apt-get install chromium chromium-driver (browser tests)");
  sh("apt-get", ["update"]);
  sh("apt-get", ["install", "-y", "chromium", "chromium-driver"]);
  return path;
}

/** Debian's Firefox ESR for the Firefox browser stage; installed with apt-get when missing. */
export function ensureFirefox() {
  const path = "/usr/bin/firefox-esr";
  if (existsSync(path)) return path;
  step("apt-get install firefox-esr (browser tests)");
  sh("apt-get", ["update"]);
  sh("apt-get", ["install", "-y", "firefox-esr"]);
  return path;
}
