// What `import "cove"` loads, in bytes raw and gzipped (level 9): the engine wasm and the static
// JS import graph of the node and browser entries (issue 3's size budget); then the component
// path, loaded on first use only (docs/components.md). `node scripts/size.mjs` after
// `node scripts/build.mjs`. JS is counted file by file, as served (not bundled).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "./lib.mjs";
import { importGraph } from "./import-graph.mjs";

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const wasm = readFileSync(join(root, "js", "engine", "cove_wasm_bg.wasm"));
console.log(`engine wasm: ${wasm.length} raw, ${gzipped(wasm)} gzip`);
for (const [entry, platform] of [["node.js", "node"], ["browser.js", "browser"]]) {
  const graph = await importGraph(`js/src/${entry}`, platform);
  const files = graph.static.map((f) => readFileSync(join(root, f)));
  const raw = files.reduce((n, f) => n + f.length, 0);
  const gz = files.reduce((n, f) => n + gzipped(f), 0);
  console.log(`${entry} JS graph: ${files.length} files, ${raw} raw, ${gz} gzip; with the wasm ${gzipped(wasm) + gz} gzip`);
  if (platform === "browser") {
    const lazy = graph.all.filter((f) => !graph.static.includes(f)).map((f) => readFileSync(join(root, f)));
    const componentWasm = join(root, "js", "engine", "cove_component_wasm_bg.wasm");
    if (existsSync(componentWasm)) lazy.push(readFileSync(componentWasm));
    const lazyGz = lazy.reduce((n, f) => n + gzipped(f), 0);
    console.log(`component path (loaded on first use): ${lazy.length} files, ${lazy.reduce((n, f) => n + f.length, 0)} raw, ${lazyGz} gzip`);
  }
}
