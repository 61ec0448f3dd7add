// Installs what the build needs on a fresh machine, skipping whatever is already there:
// Rust wasm targets, the pinned wasm-bindgen CLI, and the npm dev dependencies.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { root, sh, capture, step } from "./lib.mjs";

export const WASM_BINDGEN_VERSION = "0.2.130";
const TARGETS = ["wasm32-unknown-unknown", "wasm32-wasip1"];

export function ensureRustTargets() {
  const installed = capture("rustup", ["target", "list", "--installed"]) ?? "";
  const missing = TARGETS.filter((t) => !installed.split("\n").includes(t));
  if (missing.length) {
    step(`rustup target add ${missing.join(" ")}`);
    sh("rustup", ["target", "add", ...missing]);
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

export function ensureNpmDeps() {
  const lock = join(root, "package-lock.json");
  const marker = join(root, "node_modules", ".package-lock.json");
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  step("npm install");
  sh("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund"]);
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
