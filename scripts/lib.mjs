// Shared helpers for the build, test and start scripts. Node built-ins only: these run before
// `npm install` has happened on a fresh clone.
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Run a command inheriting stdio; throw with the command line when it fails. */
export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
  return r;
}

/** Run a command and return its stdout, or null when it cannot run. */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: root, ...opts });
  return r.status === 0 ? r.stdout : null;
}

/** Newest modification time under `path` (files only), skipping build output folders. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === "target" || name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/**
 * Runs binaryen's wasm-opt (npm `binaryen`) on `wasm` in place: -Oz, without the producers and
 * target-features sections (metadata no runtime reads), with the wasm features every engine we
 * support has. `passes` come first, as given (wasm-opt runs passes in order).
 */
export function wasmOptInPlace(wasm, passes = []) {
  const wasmOpt = join(root, "node_modules", "binaryen", "bin", "wasm-opt");
  sh(process.execPath, [wasmOpt, ...passes, "-Oz", "--strip-producers", "--strip-target-features", "--enable-bulk-memory",
    "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int", "--enable-multivalue",
    "--enable-reference-types", wasm, "-o", wasm]);
}

/** True when `output` is missing or older than any of `inputs`. */
export function stale(output, inputs) {
  if (!existsSync(output)) return true;
  const out = statSync(output).mtimeMs;
  return inputs.some((p) => newestMtime(p) > out);
}

/**
 * Whether to print ANSI colour to `stream`: NO_COLOR (any non-empty value) turns it off,
 * FORCE_COLOR on (off when "0" or "false"); otherwise only a terminal gets it.
 * (https://no-color.org, and Node's own FORCE_COLOR convention.)
 */
export function useColor(stream = process.stdout, env = process.env) {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

export function step(message) {
  console.log(useColor() ? `\x1b[1m== ${message}\x1b[0m` : `== ${message}`);
}
