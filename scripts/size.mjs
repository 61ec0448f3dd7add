// What `import "cove"` loads, in bytes raw and gzipped (level 9): the engine wasm and the static
// JS import graph of the node and browser entries (issue 3's size budget). `node scripts/size.mjs`
// after `node scripts/build.mjs`. JS is counted file by file, as served (not bundled).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { root } from "./lib.mjs";

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const wasm = readFileSync(join(root, "js", "engine", "cove_wasm_bg.wasm"));
console.log(`engine wasm: ${wasm.length} raw, ${gzipped(wasm)} gzip`);
for (const [entry, platform] of [["node.js", "node"], ["browser.js", "browser"]]) {
  const { metafile } = await build({
    entryPoints: [join(root, "js", "src", entry)], bundle: true, write: false, metafile: true,
    platform, format: "esm", external: ["node:*"], logLevel: "silent",
  });
  const files = Object.keys(metafile.inputs).map((f) => readFileSync(join(root, f)));
  const raw = files.reduce((n, f) => n + f.length, 0);
  const gz = files.reduce((n, f) => n + gzipped(f), 0);
  console.log(`${entry} JS graph: ${files.length} files, ${raw} raw, ${gz} gzip; with the wasm ${gzipped(wasm) + gz} gzip`);
}
