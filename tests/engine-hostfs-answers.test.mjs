// What the engine does with a host filesystem's answers it cannot trust: `hostfs_readlink` and
// `hostfs_readdir` return the length they need (crate/wasm/src/hostfs.rs `sized`), and a length
// that is NaN, negative, infinite or past what engine memory can address must become an errno
// for the guest — never a trap, and never a shorter answer taken for the real one (a length
// of 2^32 + 3 read as 3 handed the guest "tar" for the link target "target").
//
// The JS glue always answers with a real length, so this file instantiates its own engine with
// those two imports wrapped (engine.js `engineImports`/`finishEngineLoad`, as browser.js loads it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { WASI } from "../js/src/node.js";
import { engineImports, finishEngineLoad } from "../js/src/engine.js";
import { ERRNO } from "../js/src/wasi-errno.js";

let answer = null; // when set: what the wrapped imports return instead of the real length
const engineModule = new WebAssembly.Module(readFileSync(new URL("../js/engine/cove_wasm_bg.wasm", import.meta.url)));
const imports = engineImports();
for (const name of ["hostfs_readlink", "hostfs_readdir"]) {
  const real = imports.cove_host[name];
  imports.cove_host[name] = (...args) => {
    const need = real(...args);
    return answer === null ? need : answer;
  };
}
finishEngineLoad(new WebAssembly.Instance(engineModule, imports), engineModule);

/** A backend (engine.js describes the interface) with one symlink and one file in its root. */
const backend = {
  root: () => 1,
  lookup: (dir, name) => ({ link: 2, file: 3 })[name] ?? (() => { throw { errno: ERRNO.ENOENT }; })(),
  metadata: (node) => ({ ino: node, filetype: node === 1 ? 3 : node === 2 ? 7 : 4, nlink: 1, size: 0, atim: 0, mtim: 0, ctim: 0 }),
  readlink: () => "target",
  readdir: () => [{ name: "link", ino: 2, filetype: 7 }, { name: "file", ino: 3, filetype: 4 }],
};

function guest() {
  const wasi = new WASI({ version: "preview1", preopens: { "/m": backend } });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  const put = (at, text) => bytes.set(new TextEncoder().encode(text), at);
  const u32 = (at) => new DataView(memory.buffer).getUint32(at, true);
  return {
    readlink() {
      put(0, "link");
      bytes.fill(0xaa, 1024, 2048);
      const errno = wasi.wasiImport.path_readlink(3, 0, 4, 1024, 1024, 16);
      return { errno, text: errno === 0 ? new TextDecoder().decode(bytes.subarray(1024, 1024 + u32(16))) : undefined };
    },
    readdir() {
      const errno = wasi.wasiImport.fd_readdir(3, 1024, 1024, 0n, 16);
      return { errno, used: errno === 0 ? u32(16) : undefined };
    },
    dispose: () => wasi.dispose(),
  };
}

test("honest answers read back as they are", () => {
  const g = guest();
  assert.deepEqual(g.readlink(), { errno: 0, text: "target" });
  assert.equal(g.readdir().errno, 0);
  g.dispose();
});

test("a need the engine cannot take is an errno for the guest, never a short answer or a trap", () => {
  const cases = [
    [NaN, ERRNO.EIO],
    [-0.5, ERRNO.EIO],
    [Infinity, ERRNO.ENOMEM],
    [2 ** 32 + 3, ERRNO.ENOMEM], // read as a 32-bit length, this was 3: "tar", an empty listing
    [2 ** 40, ERRNO.ENOMEM],
    [2 ** 53, ERRNO.ENOMEM],
    [Number.MAX_VALUE, ERRNO.ENOMEM],
  ];
  for (const [need, errno] of cases) {
    const g = guest();
    answer = need;
    try {
      assert.deepEqual(g.readlink(), { errno, text: undefined }, `readlink, need ${need}`);
      assert.deepEqual(g.readdir(), { errno, used: undefined }, `readdir, need ${need}`);
    } finally {
      answer = null;
    }
    // The engine is unharmed: the next honest answer reads back.
    assert.deepEqual(g.readlink(), { errno: 0, text: "target" }, `after need ${need}`);
    g.dispose();
  }
});

test("a listing or link target too long for the engine's first buffer is asked of the backend once", () => {
  const calls = { readdir: 0, readlink: 0 };
  const names = Array.from({ length: 100 }, (_, i) => `entry-${String(i).padStart(3, "0")}`); // ~2 KB listed
  const target = "t/".repeat(300); // 600 bytes
  const counting = {
    ...backend,
    readlink: () => { calls.readlink++; return target; },
    readdir: () => { calls.readdir++; return names.map((name, i) => ({ name, ino: 10 + i, filetype: 4 })); },
  };
  const wasi = new WASI({ version: "preview1", preopens: { "/m": counting } });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  const u32 = (at) => new DataView(memory.buffer).getUint32(at, true);
  const text = (at, len) => new TextDecoder().decode(bytes.subarray(at, at + len));

  assert.equal(wasi.wasiImport.fd_readdir(3, 4096, 8192, 0n, 16), 0);
  assert.equal(calls.readdir, 1);
  const listed = text(4096, u32(16));
  assert.ok(listed.includes("entry-000") && listed.includes("entry-099"), "every entry listed");

  bytes.set(new TextEncoder().encode("link"), 0);
  assert.equal(wasi.wasiImport.path_readlink(3, 0, 4, 1024, 2048, 16), 0);
  assert.equal(calls.readlink, 1);
  assert.equal(text(1024, u32(16)), target);

  // Each new call asks the backend afresh: nothing kept from the last answer is reused.
  assert.equal(wasi.wasiImport.fd_readdir(3, 4096, 8192, 0n, 16), 0);
  assert.equal(wasi.wasiImport.path_readlink(3, 0, 4, 1024, 2048, 16), 0);
  assert.deepEqual(calls, { readdir: 2, readlink: 2 });
  wasi.dispose();
});
