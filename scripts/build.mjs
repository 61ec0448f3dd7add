// Builds whatever is missing or stale: the engine (crate/wasm → js/engine/) and the Rust guests
// used by tests and the playground (tests/guests → build/guests/ and, as preview-2 components,
// build/guests-p2/), and the Python component (tests/python → build/python/). `node scripts/build.mjs`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, sh, stale, step, wasmOptInPlace } from "./lib.mjs";
import { ensureToolchain } from "./toolchain.mjs";
import { buildComponentEngine } from "./build-component.mjs";
import { buildPythonComponent } from "./build-python.mjs";

const engineOut = join(root, "js", "engine");
const engineWasm = join(engineOut, "cove_wasm_bg.wasm");
const fullEngineWasm = join(engineOut, "cove_wasm_p2_bg.wasm");
const guestsOut = join(root, "build", "guests");
const guestsP2Out = join(root, "build", "guests-p2");

/**
 * The engine, twice (docs/engine-abi.md "Two engines"): the preview-1 engine a p1 page loads
 * (js/engine/cove_wasm_bg.wasm, crate/wasm without its `p2` feature) and the full engine, p1 +
 * the WASI 0.2 host, loaded when a component first needs it (js/engine/cove_wasm_p2_bg.wasm).
 * The p2 host adds raw exports and one #[wasm_bindgen] function, so both can share one
 * wasm-bindgen glue: the full engine's (checked here).
 */
export function buildEngine({ wasmBindgen }) {
  // crate/component* and crate/fuzz are not part of this artifact: editing them must not rebuild it.
  const inputs = [join(root, "crate", "core"), join(root, "crate", "wasm"), join(root, "Cargo.toml"), join(root, "scripts", "build.mjs"),
    join(root, "scripts", "lib.mjs")];
  if (!stale(engineWasm, inputs) && !stale(fullEngineWasm, inputs)) return;
  const fullOut = join(root, "build", "engine-p2");
  buildEngineVariant(wasmBindgen, "full engine (p1 + p2)", [], fullOut);
  buildEngineVariant(wasmBindgen, "p1 engine", ["--no-default-features"], engineOut);
  // The full engine's glue is the p1 engine's plus wrappers of its p2-only #[wasm_bindgen]
  // functions (p2_check_import), which JS calls only once the full engine is current: it is the
  // one shipped, and apart from those wrappers (and doc comments) the two must be the same.
  const glueOf = (dir) => readFileSync(join(dir, "cove_wasm.js"), "utf8");
  const exported = (glue) => new Set([...glue.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]));
  const p1Glue = glueOf(engineOut), fullGlue = glueOf(fullOut);
  const p1Exports = exported(p1Glue);
  let fullWithoutP2 = fullGlue;
  for (const name of exported(fullGlue)) {
    if (!p1Exports.has(name)) fullWithoutP2 = fullWithoutP2.replace(new RegExp(`^export function ${name}\\([^]*?\\n}\\n`, "m"), "");
  }
  const withoutDocs = (glue) => glue.replace(/\/\*\*[^]*?\*\/\n\s*/g, "");
  if (withoutDocs(fullWithoutP2) !== withoutDocs(p1Glue)) {
    throw new Error(`${join(fullOut, "cove_wasm.js")} differs from ${join(engineOut, "cove_wasm.js")} beyond the p2-only functions: the two engines must share one wasm-bindgen glue`);
  }
  writeFileSync(join(engineOut, "cove_wasm.js"), fullGlue);
  renameSync(join(fullOut, "cove_wasm_bg.wasm"), fullEngineWasm);
}

function buildEngineVariant(wasmBindgen, what, cargoFlags, outDir) {
  step(`${what}: cargo build (wasm32-unknown-unknown, release)`);
  sh("cargo", ["build", "--release", "-p", "cove-wasm", "--target", "wasm32-unknown-unknown", ...cargoFlags]);
  step(`${what}: wasm-bindgen --target web`);
  sh(wasmBindgen, ["--target", "web", "--no-typescript", "--out-dir", outDir,
    join(root, "target", "wasm32-unknown-unknown", "release", "cove_wasm.wasm")]);
  exposeGlueInternals(join(outDir, "cove_wasm.js"));
  step(`${what}: wasm-opt -Oz`);
  // --converge repeats -Oz while it still shrinks the module.
  // --no-inline: a function called once is inlined whatever its size. A loop over every argument
  // and variable then made all of context_new hot: V8 recompiled that 11 KB function with its
  // optimising tier for 13-34 ms, during which Node's event loop stalled (a guest's async
  // instantiate after `new WASI` with 1,000 variables). Those loops stay in small functions of
  // their own (crate/core host/ctx.rs build_env), and so does reading the preopens and the
  // policy, which a context without them then never compiles (V8 compiles a whole function on
  // its first call). Passes run in the order given, so these come before -Oz.
  const keepOutOfLine = ["*build_env*", "*EnvIndex*", "*nul_offsets*", "*read_mounts*", "*parse_policy*"].map((name) => `--no-inline=${name}`);
  wasmOptInPlace(join(outDir, "cove_wasm_bg.wasm"), [...keepOutOfLine, "--converge"]);
}

// The engine imports its host functions from the wasm module "cove_host" (docs/engine-abi.md);
// the glue must let js/src/engine.js add them to the import object it builds.
function exposeGlueInternals(gluePath) {
  let glue = readFileSync(gluePath, "utf8");
  for (const name of ["__wbg_get_imports", "__wbg_finalize_init"]) {
    if (!new RegExp(`function ${name}\\(`).test(glue)) {
      throw new Error(`${gluePath}: expected wasm-bindgen glue to define ${name}; was wasm-bindgen upgraded?`);
    }
  }
  // wasm-bindgen turns the raw `cove_host` imports into `import * as importN from "cove_host"`, a
  // bare specifier nothing can resolve; engine.js supplies that module object instead.
  glue = glue.replace(/^import \* as (\w+) from "cove_host";?\n/gm, "").replace(/^\s*"cove_host": \w+,\n/gm, "");
  if (/from "cove_host"/.test(glue)) throw new Error(`${gluePath}: could not remove the cove_host import`);
  if (!glue.includes("export { __wbg_get_imports")) {
    glue += "\nexport { __wbg_get_imports, __wbg_finalize_init };\n";
  }
  writeFileSync(gluePath, glue);
}

/**
 * Build a Cargo workspace of guests for `target` and copy the .wasm files to `outDir`:
 * wasm32-wasip1 modules (every member), or wasm32-wasip2 command components of the same
 * sources (`--bins`: a reactor is a preview-1 idea).
 */
export function buildGuests(workspace, outDir, target = "wasm32-wasip1") {
  if (!existsSync(join(workspace, "Cargo.toml"))) return;
  step(`guests: ${workspace.slice(root.length + 1)} (${target}, release)`);
  const only = target === "wasm32-wasip2" ? ["--bins"] : [];
  sh("cargo", ["build", "--release", "--target", target, ...only], { cwd: workspace });
  mkdirSync(outDir, { recursive: true });
  const release = join(workspace, "target", target, "release");
  for (const f of readdirSync(release)) {
    if (f.endsWith(".wasm")) copyFileSync(join(release, f), join(outDir, f));
  }
}

/** What the npm package ships but does not commit: both engines in js/engine/. */
export function buildEngines(tools) {
  buildEngine(tools);
  buildComponentEngine(tools);
}

export function buildAll() {
  const tools = ensureToolchain();
  buildEngines(tools);
  buildGuests(join(root, "tests", "guests"), guestsOut);
  buildGuests(join(root, "tests", "guests"), guestsP2Out, "wasm32-wasip2");
  // The p2 wiring tests' command component (tests/preview2.test.mjs).
  buildGuests(join(root, "tests", "wasip2-command"), join(root, "build", "wasip2"), "wasm32-wasip2");
  // Test components (tests/component-guests → build/components/); a child process because jco's
  // wasm-tools API is async.
  sh(process.execPath, [join(root, "scripts", "build-component-guests.mjs")]);
  buildPythonComponent();
}

// `node scripts/build.mjs engine` builds only what the npm package ships (npm's prepack).
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (process.argv[2] === "engine") buildEngines(ensureToolchain());
    else buildAll();
  } catch (e) {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  }
}
