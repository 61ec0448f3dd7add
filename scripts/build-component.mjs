// Builds the component engine (crate/component-wasm → js/engine/cove_component_wasm_bg.wasm and
// its glue), the second engine artifact that js/src/component/ loads on first use of validate /
// compileComponent / instantiate (docs/components.md). Called by scripts/build.mjs.
import { join } from "node:path";
import { root, sh, stale, step, wasmOptInPlace } from "./lib.mjs";

const engineOut = join(root, "js", "engine");
export const componentEngineWasm = join(engineOut, "cove_component_wasm_bg.wasm");

export function buildComponentEngine({ wasmBindgen }) {
  const inputs = [join(root, "crate", "component"), join(root, "crate", "component-wasm"), join(root, "Cargo.toml"),
    join(root, "scripts", "build-component.mjs"), join(root, "scripts", "lib.mjs")];
  if (!stale(componentEngineWasm, inputs)) return;
  // Cargo.toml's "component" profile: opt-level "z" (246 KB gzip after wasm-opt, against 266 KB
  // at the workspace's "s"; docs/components.md).
  step("component engine: cargo build (wasm32-unknown-unknown, profile component)");
  sh("cargo", ["build", "--profile", "component", "-p", "cove-component-wasm", "--target", "wasm32-unknown-unknown"]);
  step("component engine: wasm-bindgen --target web");
  sh(wasmBindgen, ["--target", "web", "--no-typescript", "--out-dir", engineOut,
    join(root, "target", "wasm32-unknown-unknown", "component", "cove_component_wasm.wasm")]);
  step("component engine: wasm-opt -Oz");
  // Size over speed throughout: this artifact is mostly wasmparser's validator, run once per
  // component compiled. No --converge: on this 1 MB input it costs minutes for under 1 %.
  wasmOptInPlace(componentEngineWasm);
}
