// Builds the two component engines from crate/component-wasm (docs/components.md, "Size"), the
// artifacts that js/src/component/ loads on first use:
//   js/engine/cove_component_wasm*            feature "instantiate": compile (compileComponent,
//                                             instantiate); no function-body validator
//   js/engine/cove_component_validator_wasm*  feature "validate": validate with the full validator,
//                                             typescriptDeclarations (`cove types`)
// Called by scripts/build.mjs.
import { join } from "node:path";
import { root, sh, stale, step, wasmOptInPlace } from "./lib.mjs";

const engineOut = join(root, "js", "engine");
const componentEngines = [
  { feature: "instantiate", name: "cove_component_wasm" },
  { feature: "validate", name: "cove_component_validator_wasm" },
];
const componentEngineWasm = (name) => join(engineOut, `${name}_bg.wasm`);

export function buildComponentEngine({ wasmBindgen }) {
  const inputs = [join(root, "crate", "component"), join(root, "crate", "component-wasm"), join(root, "Cargo.toml"),
    join(root, "scripts", "build-component.mjs"), join(root, "scripts", "lib.mjs")];
  for (const { feature, name } of componentEngines) {
    const wasm = componentEngineWasm(name);
    if (!stale(wasm, inputs)) continue;
    // Cargo.toml's "component" profile: opt-level "z" (docs/components.md has the numbers). Each
    // feature set is cached apart in target/, so building one does not make the other rebuild.
    step(`component engine ${name}: cargo build (wasm32-unknown-unknown, profile component, feature ${feature})`);
    sh("cargo", ["build", "--profile", "component", "-p", "cove-component-wasm", "--target", "wasm32-unknown-unknown",
      "--no-default-features", "--features", feature]);
    step(`component engine ${name}: wasm-bindgen --target web`);
    sh(wasmBindgen, ["--target", "web", "--no-typescript", "--out-dir", engineOut, "--out-name", name,
      join(root, "target", "wasm32-unknown-unknown", "component", "cove_component_wasm.wasm")]);
    step(`component engine ${name}: wasm-opt -Oz`);
    // Size over speed throughout: these are mostly wasmparser, run once per component compiled.
    // No --converge: on this 1 MB input it costs minutes for under 1 %.
    wasmOptInPlace(wasm);
  }
}
