// The files an entry loads: `static` is what its import statements reach (what `import "cove"`
// fetches before any call), `all` adds what dynamic import() reaches (the lazily loaded component
// path, docs/components.md). Paths are relative to the repository root.
import { join } from "node:path";
import { build } from "esbuild";
import { root } from "./lib.mjs";

export async function importGraph(entry, platform) {
  const { metafile } = await build({
    entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true,
    platform, format: "esm", external: ["node:*"], logLevel: "silent",
  });
  const all = Object.keys(metafile.inputs);
  const statics = new Set([entry]);
  for (let grew = true; grew;) {
    grew = false;
    for (const file of [...statics]) {
      for (const imp of metafile.inputs[file]?.imports ?? []) {
        if (imp.kind === "import-statement" && !imp.external && !statics.has(imp.path)) {
          statics.add(imp.path);
          grew = true;
        }
      }
    }
  }
  return { static: [...statics], all };
}
