// The Node host-directory backend (js/src/nodefs.js) called directly, for what guests cannot
// set up deterministically: another host process changing the tree between two backend calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDirectory } from "../js/src/nodefs.js";

test("a symlink swapped in after the lookup is never followed when the file is opened and read", (t) => {
  const top = mkdtempSync(join(tmpdir(), "cove-nodefs-"));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  writeFileSync(join(top, "secret"), "outside the mount");
  const mount = mkdtempSync(join(top, "mount-"));
  writeFileSync(join(mount, "f"), "inside");
  const fs = new NodeDirectory(mount);
  const [node, filetype] = fs.lookupEntry(fs.root(), "f");
  assert.equal(filetype, 4);

  // Another host process replaces the file with a symlink leading out of the mount.
  unlinkSync(join(mount, "f"));
  symlinkSync(join(top, "secret"), join(mount, "f"));

  fs.opened(node, false);
  const buf = new Uint8Array(64);
  assert.throws(() => fs.read(node, 0, buf), (e) => e.errno === 32);
  assert.deepEqual(buf, new Uint8Array(64));
  fs.closed(node);
});

test("metadata right after a lookup reports the file as it is after later writes, not the lookup's view", (t) => {
  const mount = mkdtempSync(join(tmpdir(), "cove-nodefs-"));
  t.after(() => rmSync(mount, { recursive: true, force: true }));
  writeFileSync(join(mount, "f"), "abc");
  const fs = new NodeDirectory(mount);
  const [node] = fs.lookupEntry(fs.root(), "f");
  fs.write(node, 3, new TextEncoder().encode("defg"));
  assert.equal(Number(fs.metadata(node).size), 7);
  const [again] = fs.lookupEntry(fs.root(), "f");
  assert.equal(again, node);
  assert.equal(Number(fs.metadata(node).size), 7);
});

test("a created file that is never opened does not keep a host descriptor past the next operation", { skip: !existsSync("/proc/self/fd") }, (t) => {
  const mount = mkdtempSync(join(tmpdir(), "cove-nodefs-"));
  t.after(() => rmSync(mount, { recursive: true, force: true }));
  const fs = new NodeDirectory(mount);
  const openFds = () => readdirSync("/proc/self/fd").length;
  const start = openFds();
  fs.opened(fs.root(), false); // as a preopen does: the root directory's descriptor is held
  const before = openFds();
  assert.equal(before, start + 1);
  const node = fs.createFile(fs.root(), "new");
  assert.equal(Number(fs.metadata(node).size), 0);
  assert.throws(() => fs.lookupEntry(fs.root(), "missing"), (e) => e.errno === 44);
  assert.equal(openFds(), before);
  // And one that is opened keeps exactly one until it is closed.
  const other = fs.createFile(fs.root(), "other");
  fs.opened(other, true);
  assert.equal(fs.write(other, 0, new TextEncoder().encode("hi")), 2);
  fs.lookupEntry(fs.root(), "new");
  assert.equal(openFds(), before + 1);
  fs.closed(other);
  assert.equal(openFds(), before);
  // The last descriptor on the backend closed: it holds nothing any more.
  fs.closed(fs.root());
  assert.equal(openFds(), start);
});

test("directories moved by the host into each other's place are refused, not walked around in a loop", { skip: !existsSync("/proc/self/fd") }, (t) => {
  const top = mkdtempSync(join(tmpdir(), "cove-nodefs-"));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  mkdirSync(join(top, "a", "b"), { recursive: true });
  const fs = new NodeDirectory(top);
  fs.opened(fs.root(), false);
  t.after(() => fs.closed(fs.root()));
  const [a] = fs.lookupEntry(fs.root(), "a");
  const [b] = fs.lookupEntry(a, "b");
  assert.throws(() => fs.lookupEntry(b, "x"), (e) => e.errno === 44); // b's descriptor is cached
  // Another process turns a/b into b/a; the engine then finds a inside b.
  renameSync(join(top, "a", "b"), join(top, "b"));
  renameSync(join(top, "a"), join(top, "b", "a"));
  assert.equal(fs.lookupEntry(b, "a")[0], a);
  fs.release(); // neither descriptor is cached now: a was last seen in b, b in a
  assert.throws(() => fs.lookupEntry(a, "x"), (e) => e.errno === 44);
});

test("NodeDirectory refuses options that are not booleans, naming the option", () => {
  const dir = mkdtempSync(join(tmpdir(), "cove-nodedir-options-"));
  try {
    for (const value of ["false", "yes", 0, 1, NaN, {}, [], null]) {
      for (const option of ["fdPaths", "readonly"]) {
        assert.throws(() => new NodeDirectory(dir, { [option]: value }), {
          code: "ERR_INVALID_ARG_TYPE",
          message: new RegExp(`^The "options\\.${option}" property must be of type boolean\\.`),
        }, `${option}: ${String(value)}`);
      }
    }
    for (const options of ["fdPaths", 1, null]) {
      assert.throws(() => new NodeDirectory(dir, options), { code: "ERR_INVALID_ARG_TYPE", message: /"options" argument must be of type object/ });
    }
    // Given as booleans or not at all, they are taken.
    new NodeDirectory(dir, { fdPaths: false, readonly: true });
    new NodeDirectory(dir);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a lookup's lstat is never a later call's fd_filestat_get (the host may change the file between calls)", async (t) => {
  const { WASI } = await import("cove");
  const mount = mkdtempSync(join(tmpdir(), "cove-nodefs-"));
  t.after(() => rmSync(mount, { recursive: true, force: true }));
  writeFileSync(join(mount, "f"), "abc");
  const wasi = new WASI({ version: "preview1", preopens: { "/m": mount } });
  t.after(() => wasi.dispose());
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  bytes.set(new TextEncoder().encode("f"), 0);
  const w = wasi.wasiImport;
  const O_CREAT = 1, O_EXCL = 4;
  assert.equal(w.path_open(3, 0, 0, 1, 0, 0xffffn, 0xffffn, 0, 16), 0);
  const fd = view.getUint32(16, true);
  // This call's last backend operation is the lookup of "f" (EEXIST ends it).
  assert.equal(w.path_open(3, 0, 0, 1, O_CREAT | O_EXCL, 0xffffn, 0xffffn, 0, 20), 20 /* EEXIST */);
  writeFileSync(join(mount, "f"), "abcdefgh"); // another host process, between two guest calls
  assert.equal(w.fd_filestat_get(fd, 64), 0);
  assert.equal(view.getBigUint64(64 + 32, true), 8n, "the size as it is now");
});
