// An app importing "cove" bundles with esbuild for the browser platform (so nothing in the
// browser entry's graph needs a Node built-in) and runs in Chromium, on the main thread and in
// the Worker runner. Also reports what `import "cove"` loads in a browser: the unbundled ES
// module graph plus the engine's .wasm, raw and gzip.
//
// Layout a bundling app needs (esbuild does not rewrite `new URL(…, import.meta.url)`):
//   dist/js/<app>.js        the app bundle
//   dist/js/worker.js       js/src/worker.js bundled as its own entry (the Worker runner's script)
//   dist/engine/cove_wasm_bg.wasm   copied from js/engine/
import assert from "node:assert/strict";
import { mkdirSync, rmSync, symlinkSync, copyFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "../scripts/lib.mjs";

const work = join(root, "build", "bundle-test");
const dist = join(work, "dist");

async function bundle() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "src"), { recursive: true });
  mkdirSync(join(work, "node_modules"), { recursive: true });
  mkdirSync(join(dist, "engine"), { recursive: true });
  symlinkSync(root, join(work, "node_modules", "cove"), "dir"); // as if installed from npm
  copyFileSync(join(root, "tests-browser", "bundle-app", "main.js"), join(work, "src", "main.js"));
  copyFileSync(join(root, "tests-browser", "bundle-app", "index.html"), join(dist, "index.html"));
  copyFileSync(join(root, "js", "engine", "cove_wasm_bg.wasm"), join(dist, "engine", "cove_wasm_bg.wasm"));
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: work,
    entryPoints: { main: "src/main.js", worker: join(root, "js", "src", "worker.js") },
    bundle: true, format: "esm", platform: "browser", target: "chrome120", minify: true,
    outdir: join(dist, "js"), metafile: true, logLevel: "silent",
  });
  return result.metafile;
}

/** Bytes of the unbundled module graph `import "cove"` pulls in, plus the wasm: [raw, gzip]. */
async function loadedByImport() {
  const esbuild = await import("esbuild");
  const { metafile } = await esbuild.build({
    entryPoints: [join(root, "js", "src", "browser.js")], bundle: true, write: false, format: "esm",
    platform: "browser", metafile: true, logLevel: "silent", outdir: join(work, "graph"),
  });
  const builtins = Object.entries(metafile.inputs).flatMap(([f, i]) => i.imports.filter((x) => x.path.startsWith("node:")).map((x) => `${f} → ${x.path}`));
  assert.deepEqual(builtins, [], "no Node built-in anywhere in the browser entry's import graph");
  const files = Object.keys(metafile.inputs).map((f) => join(root, f));
  files.push(join(root, "js", "engine", "cove_wasm_bg.wasm"));
  let raw = 0, gz = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { modules: files.length - 1, raw, gz, wasm: statSync(files.at(-1)).size };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

export default function ({ test }) {
  test("an app importing \"cove\" bundles with esbuild (platform browser) and runs", async (ctx) => {
    const metafile = await bundle();
    const inputs = Object.keys(metafile.inputs);
    assert.ok(inputs.some((f) => f.endsWith("js/src/browser.js")), `"cove" resolved through the browser condition: ${inputs.join(", ")}`);
    assert.ok(!inputs.some((f) => f.endsWith("js/src/node.js")), "the Node entry stays out of a browser bundle");
    const page = await ctx.page("/build/bundle-test/dist/index.html");
    try {
      // The bundle's top-level await (the engine) may finish after the load event.
      await page.waitForFunction(() => window.result !== undefined);
      const r = await page.evaluate(() => window.result);
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.here.exitCode, 0, r.here.stderr);
      assert.equal(r.here.stdout, "hello from a bundle");
      assert.equal(r.inWorker.exitCode, 0, r.inWorker.stderr);
      assert.equal(r.inWorker.stdout, "greeting.txt\n");
      assert.equal(await page.textContent("body"), "hello from a bundle");
    } finally {
      await page.context().close();
    }
    const app = metafile.outputs[Object.keys(metafile.outputs).find((f) => f.endsWith("main.js"))].bytes;
    const size = await loadedByImport();
    return `import "cove" loads ${size.modules} modules + wasm: ${kb(size.raw)} raw, ${kb(size.gz)} gzip (wasm ${kb(size.wasm)}); minified app bundle ${kb(app)}`;
  });
}
