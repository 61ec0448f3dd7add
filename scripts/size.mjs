// What `import "cove"` costs to download, gzip level 9 (issue 13's budget: a p1 page at most
// 64 KB). A page bundles the browser entry: its static import graph, minified by esbuild, plus
// the engine .wasm it fetches; what only a dynamic import() reaches (the component path, OPFS,
// IndexedDB snapshots) is a separate chunk loaded on first use and not counted in the page.
// `node scripts/size.mjs` after `node scripts/build.mjs`; bench/run.mjs prints the same numbers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { root } from "./lib.mjs";

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * The entry `js/src/<entry>` bundled and minified with code splitting: the chunks its import
 * statements reach (loaded with the page) and the rest (dynamic imports), each as
 * { raw, gzip } summed over its chunks.
 */
export async function bundledEntry(entry, platform) {
  const outdir = join(root, "build", "size");
  const { outputFiles, metafile } = await build({
    entryPoints: [join(root, "js", "src", entry)], bundle: true, minify: true, splitting: true, write: false,
    metafile: true, format: "esm", platform, outdir, external: ["node:*"], logLevel: "silent",
  });
  const chunks = new Map(outputFiles.map((f) => [f.path.slice(root.length + 1), f.contents]));
  const main = `js/src/${entry}`;
  const statics = new Set(Object.entries(metafile.outputs).filter(([, o]) => o.entryPoint === main).map(([path]) => path));
  for (const path of statics) {
    for (const imp of metafile.outputs[path].imports) if (imp.kind === "import-statement" && !imp.external) statics.add(imp.path);
  }
  const sum = (paths) => paths.reduce((s, p) => ({ raw: s.raw + chunks.get(p).length, gzip: s.gzip + gzipped(chunks.get(p)) }), { raw: 0, gzip: 0 });
  return { static: sum([...statics]), lazy: sum([...chunks.keys()].filter((p) => !statics.has(p))) };
}

/** A built js/engine/ .wasm, { raw, gzip }: by default the p1 engine a p1 page loads. */
export function engineWasmSize(file = "cove_wasm_bg.wasm") {
  const wasm = readFileSync(join(root, "js", "engine", file));
  return { raw: wasm.length, gzip: gzipped(wasm) };
}

/** What a page running a p1 guest downloads: the browser entry's static bundle + the engine wasm. */
export async function p1PageDownload() {
  const js = (await bundledEntry("browser.js", "browser")).static;
  const wasm = engineWasmSize();
  return { js, wasm, gzip: js.gzip + wasm.gzip };
}

/**
 * What a page running a preview-2 component downloads: the p1 page, then on the first component
 * the lazily loaded JS, the component engine and the full engine (p1 + p2) that replaces the p1
 * engine (docs/engine-abi.md "Two engines"). `extra` is what comes on top of the p1 page.
 */
export async function p2PageDownload() {
  const p1 = await p1PageDownload();
  const lazyJs = (await bundledEntry("browser.js", "browser")).lazy;
  const componentWasm = engineWasmSize("cove_component_wasm_bg.wasm");
  const fullWasm = engineWasmSize("cove_wasm_p2_bg.wasm");
  const extra = lazyJs.gzip + componentWasm.gzip + fullWasm.gzip;
  return { lazyJs, componentWasm, fullWasm, extra, gzip: p1.gzip + extra };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const wasm = engineWasmSize();
  console.log(`p1 engine wasm: ${wasm.raw} raw, ${wasm.gzip} gzip`);
  for (const [entry, platform] of [["node.js", "node"], ["browser.js", "browser"]]) {
    const b = await bundledEntry(entry, platform);
    console.log(`${entry} bundled (esbuild --minify): ${b.static.raw} raw, ${b.static.gzip} gzip; loaded on first use: ${b.lazy.raw} raw, ${b.lazy.gzip} gzip`);
  }
  const page = await p1PageDownload();
  console.log(`p1 page download (browser bundle + engine wasm, gzip): ${page.gzip} bytes (${kib(page.gzip)}; budget 64 KB = 65,536 bytes)`);
  const p2 = await p2PageDownload();
  console.log(`full engine wasm (p1 + p2, loaded when a component first needs WASI): ${p2.fullWasm.raw} raw, ${p2.fullWasm.gzip} gzip`);
  console.log(`component engine (loaded on first component call): ${p2.componentWasm.raw} raw, ${p2.componentWasm.gzip} gzip`);
  console.log(`p2 page download (p1 page + lazy JS ${p2.lazyJs.gzip} + component engine ${p2.componentWasm.gzip} + full engine ${p2.fullWasm.gzip}, gzip): ${p2.gzip} bytes (${kib(p2.gzip)}; ${p2.extra} on top of the p1 page)`);
}
