// What `import "cove"` costs to download, gzip level 9 (issue 13's budget: a p1 page at most
// 64 KB). A page bundles the browser entry: its static import graph, minified by esbuild, plus
// the engine .wasm it fetches; what only a dynamic import() reaches (the component path, OPFS,
// IndexedDB snapshots) is a separate chunk loaded on first use and not counted in the page.
// The component path (issue 11's budget: 256 KB) is what the first compileComponent/instantiate
// adds to such a page: the chunks its lazy import reaches plus the instantiation engine's .wasm;
// also given unbundled (the package's files served as they are, each gzipped) and for validate(),
// which loads the other component engine (docs/components.md, "Size").
// `node scripts/size.mjs` after `node scripts/build.mjs`; bench/run.mjs prints the same numbers.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { root } from "./lib.mjs";
import { importGraph } from "./import-graph.mjs";

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * The entry `js/src/<entry>` bundled and minified with code splitting: the chunks its import
 * statements reach (loaded with the page) and the rest (dynamic imports), each as
 * { raw, gzip } summed over its chunks; `lazyFrom(source)`: what the first dynamic import of
 * `source` (a path from the repository root) downloads beyond the page's chunks.
 */
export async function bundledEntry(entry, platform) {
  const outdir = join(root, "build", "size");
  const { outputFiles, metafile } = await build({
    entryPoints: [join(root, "js", "src", entry)], bundle: true, minify: true, splitting: true, write: false,
    metafile: true, format: "esm", platform, outdir, external: ["node:*"], logLevel: "silent",
  });
  const chunks = new Map(outputFiles.map((f) => [f.path.slice(root.length + 1), f.contents]));
  const reached = (source) => {
    const paths = new Set(Object.entries(metafile.outputs).filter(([, o]) => o.entryPoint === source).map(([path]) => path));
    for (const path of paths) {
      for (const imp of metafile.outputs[path].imports) if (imp.kind === "import-statement" && !imp.external) paths.add(imp.path);
    }
    return paths;
  };
  const statics = reached(`js/src/${entry}`);
  const sum = (paths) => paths.reduce((s, p) => ({ raw: s.raw + chunks.get(p).length, gzip: s.gzip + gzipped(chunks.get(p)) }), { raw: 0, gzip: 0 });
  return {
    static: sum([...statics]),
    lazy: sum([...chunks.keys()].filter((p) => !statics.has(p))),
    lazyFrom: (source) => sum([...reached(source)].filter((p) => !statics.has(p))),
  };
}

/** A component engine .wasm as built (scripts/build-component.mjs), { raw, gzip }. */
function componentEngineSize(name) {
  const wasm = readFileSync(join(root, "js", "engine", `${name}_bg.wasm`));
  return { raw: wasm.length, gzip: gzipped(wasm) };
}

/** The files `source` imports (itself included) that the browser entry does not, each gzipped alone. */
async function unbundledFiles(source) {
  const page = new Set((await importGraph("js/src/browser.js", "browser")).static);
  const files = (await importGraph(source, "browser")).static.filter((f) => !page.has(f));
  return files.reduce((s, f) => { const bytes = readFileSync(join(root, f)); return { raw: s.raw + bytes.length, gzip: s.gzip + gzipped(bytes) }; }, { raw: 0, gzip: 0 });
}

/**
 * What a page adds on its first component call, gzip: `instantiate` (compileComponent and
 * instantiate: js/src/component/api.js and the instantiation engine) and `validate`
 * (validator-api.js and the validator engine), each { js, wasm, gzip } bundled as the p1 page is,
 * and { js, gzip } unbundled.
 */
export async function componentPathDownload() {
  const { lazyFrom } = await bundledEntry("browser.js", "browser");
  const paths = {};
  for (const [path, api, engine] of [["instantiate", "api.js", "cove_component_wasm"], ["validate", "validator-api.js", "cove_component_validator_wasm"]]) {
    const source = `js/src/component/${api}`;
    const wasm = componentEngineSize(engine);
    const js = lazyFrom(source);
    const loose = await unbundledFiles(source);
    paths[path] = { js, wasm, gzip: js.gzip + wasm.gzip, unbundled: { js: loose, gzip: loose.gzip + wasm.gzip } };
  }
  return paths;
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
  const { instantiate } = await componentPathDownload();
  const { lazyFrom } = await bundledEntry("browser.js", "browser");
  // The engine switch's own lazy chunks (docs/engine-abi.md "Two engines").
  const switchJs = ["js/src/memfs-move.js", "js/src/fetch-wasm.js"].map(lazyFrom).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }));
  const fullWasm = engineWasmSize("cove_wasm_p2_bg.wasm");
  const extra = instantiate.gzip + switchJs.gzip + fullWasm.gzip;
  return { componentPath: instantiate, switchJs, fullWasm, extra, gzip: p1.gzip + extra };
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
  if (existsSync(join(root, "js", "engine", "cove_component_wasm_bg.wasm"))) {
    const { instantiate, validate } = await componentPathDownload();
    const show = (what, p) => console.log(`${what} (gzip): ${p.gzip} bytes (${kib(p.gzip)}) = ${p.js.gzip} of JS (bundled, minified) + ${p.wasm.gzip} of wasm (${p.wasm.raw} raw); unbundled: ${p.unbundled.gzip} bytes (${kib(p.unbundled.gzip)}, JS ${p.unbundled.js.gzip})`);
    show("component path, compileComponent + instantiate; budget 256 KB = 262,144 bytes", instantiate);
    show("validate() path", validate);
  }
  const p2 = await p2PageDownload();
  console.log(`full engine wasm (p1 + p2, loaded when a component first needs WASI): ${p2.fullWasm.raw} raw, ${p2.fullWasm.gzip} gzip`);
  console.log(`p2 page download (p1 page + component path ${p2.componentPath.gzip} + engine switch JS ${p2.switchJs.gzip} + full engine ${p2.fullWasm.gzip}, gzip): ${p2.gzip} bytes (${kib(p2.gzip)}; ${p2.extra} on top of the p1 page)`);
}
