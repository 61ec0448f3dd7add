// Bundle sizes: what `import "cove"` (and each peer) loads in Node and in the browser, raw and
// gzip. The module graph comes from esbuild's metafile (static and dynamic imports, resolved with
// the host's package conditions); assets fetched with `new URL("…", import.meta.url)` (the
// engine's .wasm, worker scripts) are added by scanning the loaded files. Each file is gzipped on
// its own at level 9, as a static server would send it.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { root } from "../scripts/lib.mjs";

const ASSET_URL = /new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g;

async function moduleGraph(entry, platform) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, write: false, metafile: true, format: "esm", platform,
    conditions: platform === "browser" ? ["browser"] : ["node"], logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs).map((p) => resolve(root, p));
}

async function loadedFiles(entry, platform) {
  const files = new Set();
  const queue = [entry];
  while (queue.length) {
    const next = queue.pop();
    for (const file of next.endsWith(".js") || next.endsWith(".mjs") ? await moduleGraph(next, platform) : [next]) {
      if (files.has(file)) continue;
      files.add(file);
      if (!/\.m?js$/.test(file)) continue;
      for (const [, url] of readFileSync(file, "utf8").matchAll(ASSET_URL)) {
        const asset = resolve(dirname(file), url);
        if (existsSync(asset) && !files.has(asset)) queue.push(asset);
      }
    }
  }
  return [...files].filter((f) => existsSync(f) && statSync(f).isFile());
}

function measure(files) {
  let raw = 0, gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip, files: files.map((f) => relative(root, f)) };
}

const nm = (p) => join(root, "node_modules", p);

/** Rows of { name, host, entry, raw, gzip, files } or { name, host, note } when not measurable. */
export async function bundleSizes() {
  const targets = [
    { name: "Cove", host: "Node", entry: join(root, "js/src/node.js"), platform: "node" },
    { name: "Cove", host: "browser", entry: join(root, "js/src/browser.js"), platform: "browser" },
    { name: "node:wasi", host: "Node", note: "built into Node (0 bytes to download)" },
    { name: "browser_wasi_shim", host: "Node + browser", entry: nm("@bjorn3/browser_wasi_shim/dist/index.js"), platform: "neutral" },
    { name: "@tybys/wasm-util", host: "Node", entry: nm("@tybys/wasm-util/lib/mjs/index.mjs"), platform: "node" },
    { name: "@tybys/wasm-util", host: "browser", entry: nm("@tybys/wasm-util/dist/wasm-util.esm-bundler.js"), platform: "browser" },
  ];
  const rows = [];
  for (const t of targets) {
    if (t.note) { rows.push(t); continue; }
    if (!existsSync(t.entry)) { rows.push({ ...t, note: `${relative(root, t.entry)} does not exist yet` }); continue; }
    try {
      rows.push({ ...t, ...measure(await loadedFiles(t.entry, t.platform)) });
    } catch (e) {
      rows.push({ ...t, note: `could not resolve its imports: ${e.message.split("\n")[0]}` });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bundleSizes()) console.log(r.name, r.host, r.raw ?? "", r.gzip ?? "", r.note ?? "", r.files?.join(" ") ?? "");
}
