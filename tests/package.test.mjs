// The package as users get it from `npm i cove`: `npm pack` (whose prepack builds the engine,
// which is not committed), installed offline into a fresh app, then used three ways: imported in
// Node, run with `npx cove run`, and bundled for the browser with esbuild.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { root } from "../scripts/lib.mjs";
import { ensureGuestsBuilt, guestsDir } from "./guests/harness.mjs";

ensureGuestsBuilt(); // when this file runs on its own

// npm as the user runs it, not as `npm test` configured it for this repository.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
const npm = (args, cwd) => execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("npm pack ships the engine; the tarball installs into a fresh app and runs in Node, with npx, and in a browser bundle", { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "cove-package-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  // js/engine is built, not committed: packing must build it (on a clean clone, from nothing).
  const pack = spawnSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, env, encoding: "utf8" });
  assert.equal(pack.status, 0, pack.stderr);
  assert.match(pack.stderr, /> cove@[^ ]+ prepack\n> node scripts\/build\.mjs engine/, "npm pack runs the engine build first");
  const [packed] = JSON.parse(pack.stdout);
  const files = packed.files.map((f) => f.path);
  for (const needed of ["js/engine/cove_wasm_bg.wasm", "js/engine/cove_wasm_p2_bg.wasm", "js/engine/cove_wasm.js", "js/engine/cove_component_wasm_bg.wasm", "js/engine/cove_component_validator_wasm_bg.wasm", "js/src/node.js", "js/src/browser.js", "js/bin/cove.js", "js/src/node.d.ts", "js/src/browser.d.ts"]) {
    assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
  }
  assert.deepEqual(files.filter((f) => /^(crate|tests|bench|www|scripts)\//.test(f)), [], "only the package's own files");

  const app = join(dir, "app");
  execFileSync("mkdir", [app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  // Offline: cove has no runtime dependencies, so nothing has to come from the registry.
  npm(["install", "--offline", "--no-audit", "--no-fund", join(dir, packed.filename)], app);
  copyFileSync(join(guestsDir, "hello.wasm"), join(app, "hello.wasm"));

  writeFileSync(join(app, "main.mjs"), `
    import { readFileSync } from "node:fs";
    import { run } from "cove";
    const { exitCode, stdout } = await run(readFileSync("hello.wasm"), { args: ["hello", "from-node"] });
    console.log(JSON.stringify({ exitCode, stdout }));
  `);
  const fromNode = JSON.parse(execFileSync(process.execPath, ["main.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(fromNode, { exitCode: 0, stdout: "Hello from Cove!\narg 0: hello\narg 1: from-node\n" });

  const fromNpx = execFileSync("npx", ["--offline", "--no", "cove", "run", "hello.wasm", "from-npx"], { cwd: app, env, encoding: "utf8" });
  assert.equal(fromNpx, "Hello from Cove!\narg 0: hello.wasm\narg 1: from-npx\n");

  writeFileSync(join(app, "web.mjs"), `
    import { run, startWorker, MemFS } from "cove";
    export const ready = [run, startWorker, new MemFS()];
  `);
  const { metafile, outputFiles } = await build({
    entryPoints: [join(app, "web.mjs")], absWorkingDir: app, bundle: true, write: false, metafile: true,
    platform: "browser", format: "esm", logLevel: "silent",
  });
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.includes("node_modules/cove/js/src/browser.js"), `the browser entry: ${inputs.join(", ")}`);
  assert.deepEqual(inputs.filter((f) => /^node:|\/(node|nodefs)\.js$/.test(f)), [], "nothing of Node's in the bundle");
  const [output] = Object.values(metafile.outputs);
  assert.deepEqual(output.imports.filter((i) => i.external), [], "no imports left for the page to resolve");
  assert.doesNotMatch(outputFiles[0].text, /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']node:/, "no Node built-in imported");
});
