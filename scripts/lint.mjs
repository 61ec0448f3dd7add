// The lint stage of `npm test`: `cargo fmt --check` over the workspace, `cargo clippy -D warnings`
// for every workspace crate (crate/wasm and crate/component-wasm for their wasm32 target, as they
// are built), and the TypeScript check of usage files against the published declarations
// (tests/types.test.mjs). Each check runs even when an earlier one failed; exits non-zero when any
// failed, naming them.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root, step } from "./lib.mjs";
import { ensureRustComponents, ensureRustTargets } from "./toolchain.mjs";

const WASM_CRATES = ["cove-wasm", "cove-component-wasm"];
const checks = [
  { name: "cargo fmt --check", cmd: "cargo", args: ["fmt", "--all", "--check"] },
  { name: "cargo clippy (native crates)", cmd: "cargo",
    args: ["clippy", "--workspace", ...WASM_CRATES.flatMap((c) => ["--exclude", c]), "--all-targets", "--release", "--", "-D", "warnings"] },
  { name: "cargo clippy (wasm32 crates)", cmd: "cargo",
    args: ["clippy", ...WASM_CRATES.flatMap((c) => ["-p", c]), "--target", "wasm32-unknown-unknown", "--release", "--", "-D", "warnings"] },
  { name: "tsc: usage files against the declarations", cmd: process.execPath,
    args: ["--test", "--test-reporter=spec", join(root, "tests", "types.test.mjs")] },
];

ensureRustComponents();
ensureRustTargets();
const failed = [];
for (const check of checks) {
  step(check.name);
  const r = spawnSync(check.cmd, check.args, { stdio: "inherit", cwd: root });
  if (r.status !== 0) failed.push(check.name);
}
if (failed.length) {
  console.error(`lint: failed: ${failed.join("; ")}`);
  process.exit(1);
}
console.log("lint: all passed");
