// Builds the test components of tests/component-guests into build/components/<name>.wasm
// (docs/components.md, "Own test components"), when missing or stale:
// - Rust crates (wit-bindgen, custom WIT worlds): cargo build for wasm32-unknown-unknown, then
//   `wasm-tools component new` — no WASI imports, so a component needs only what its world names;
// - .wat components (the string encodings wit-bindgen's Rust output cannot use): `wasm-tools parse`.
// wasm-tools is jco's build of it (npm devDependency @bytecodealliance/jco), so nothing beyond
// rustup's target and the npm dependencies is installed. Called by scripts/build.mjs.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, sh, stale, step } from "./lib.mjs";

const sources = join(root, "tests", "component-guests");
export const componentsOut = join(root, "build", "components");
const RUST_COMPONENTS = ["values"];

export async function buildComponentGuests() {
  if (!existsSync(sources)) return;
  const scripts = [join(root, "scripts", "build-component-guests.mjs")];
  const rustInputs = [join(sources, "wit"), join(sources, "Cargo.toml"), join(sources, "Cargo.lock"), ...scripts,
    ...RUST_COMPONENTS.map((c) => join(sources, c))];
  const wats = readdirSync(join(sources, "wat")).filter((f) => f.endsWith(".wat"));
  const rustStale = RUST_COMPONENTS.some((c) => stale(join(componentsOut, `${c}.wasm`), rustInputs));
  const watStale = wats.filter((f) => stale(join(componentsOut, f.replace(/\.wat$/, ".wasm")), [join(sources, "wat", f), ...scripts]));
  if (!rustStale && !watStale.length) return;
  const wasmTools = await import("@bytecodealliance/jco");
  mkdirSync(componentsOut, { recursive: true });
  if (rustStale) {
    step("component guests: cargo build (wasm32-unknown-unknown, release) + component new");
    sh("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown"], { cwd: sources });
    for (const c of RUST_COMPONENTS) {
      const core = readFileSync(join(sources, "target", "wasm32-unknown-unknown", "release", `${c}.wasm`));
      writeFileSync(join(componentsOut, `${c}.wasm`), await wasmTools.componentNew(core));
    }
  }
  for (const f of watStale) {
    step(`component guests: wasm-tools parse ${f}`);
    const text = readFileSync(join(sources, "wat", f), "utf8");
    writeFileSync(join(componentsOut, f.replace(/\.wat$/, ".wasm")), await wasmTools.parse(text));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildComponentGuests().catch((e) => {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  });
}

/** build/components/<name>.wasm, building the test components first when any is missing. */
export function componentGuestPath(name) {
  const path = join(componentsOut, `${name}.wasm`);
  if (!existsSync(path)) sh(process.execPath, [join(root, "scripts", "build-component-guests.mjs")]);
  return path;
}
