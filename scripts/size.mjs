// What `import "cove"` costs to download, gzip level 9 (issue 13's budget: a p1 page at most
// 64 KB). A page bundles the browser entry: its static import graph, minified by esbuild, plus
// the engine .wasm it fetches; what only a dynamic import() reaches (the component path, OPFS,
// IndexedDB snapshots) is a separate chunk loaded on first use and not counted in the page.
// `node scripts/size.mjs` after `node scripts/build.mjs`; bench/run.mjs prints the same numbers.
import { existsSync, readFileSync } from "node:fs";
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

/** The engine .wasm as built, { raw, gzip }. */
export function engineWasmSize() {
  const wasm = readFileSync(join(root, "js", "engine", "cove_wasm_bg.wasm"));
  return { raw: wasm.length, gzip: gzipped(wasm) };
}

/** What a page running a p1 guest downloads: the browser entry's static bundle + the engine wasm. */
export async function p1PageDownload() {
  const js = (await bundledEntry("browser.js", "browser")).static;
  const wasm = engineWasmSize();
  return { js, wasm, gzip: js.gzip + wasm.gzip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const wasm = engineWasmSize();
  console.log(`engine wasm: ${wasm.raw} raw, ${wasm.gzip} gzip`);
  for (const [entry, platform] of [["node.js", "node"], ["browser.js", "browser"]]) {
    const b = await bundledEntry(entry, platform);
    console.log(`${entry} bundled (esbuild --minify): ${b.static.raw} raw, ${b.static.gzip} gzip; loaded on first use: ${b.lazy.raw} raw, ${b.lazy.gzip} gzip`);
  }
  const page = await p1PageDownload();
  console.log(`p1 page download (browser bundle + engine wasm, gzip): ${page.gzip} bytes (${kib(page.gzip)}; budget 64 KB = 65,536 bytes)`);
  const componentWasm = join(root, "js", "engine", "cove_component_wasm_bg.wasm");
  if (existsSync(componentWasm)) {
    const bytes = readFileSync(componentWasm);
    console.log(`component engine (loaded on first component call): ${bytes.length} raw, ${gzipped(bytes)} gzip`);
  }
}
