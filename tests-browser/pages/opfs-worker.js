// Worker for opfs.test.mjs: drives the OPFS backend (js/src/opfs.js) directly, the way the engine
// does through hostfs, and answers with what it saw. Message: { script, dir } → { result | error }.
import { openOPFS } from "/js/src/opfs.js";

const enc = new TextEncoder(), dec = new TextDecoder();

const scripts = {
  /** Build a small tree, including operations whose OPFS side is deferred to reconcile(). */
  async write(dir) {
    const fs = await openOPFS(dir);
    const root = fs.root();
    fs.createDir(root, "d");
    const d = fs.lookup(root, "d");
    const a = fs.createFile(d, "a.txt");
    fs.opened(a, true);
    fs.write(a, 0, enc.encode("hello"));
    fs.write(a, 8, enc.encode("!")); // a hole, zero-filled
    fs.closed(a);
    const b = fs.createFile(root, "b.txt");
    fs.write(b, 0, enc.encode("bbb"));
    fs.rename(root, "b.txt", d, "c.txt");
    const tmp = fs.createFile(root, "tmp");
    fs.unlink(root, "tmp");
    fs.createDir(root, "empty");
    const errors = {};
    for (const [name, f] of Object.entries({
      exists: () => fs.createDir(root, "d"), notEmpty: () => fs.rmdir(root, "d"), missing: () => fs.lookup(root, "nope"),
      symlink: () => fs.symlink(root, "l", "d"), isDir: () => fs.unlink(root, "d"), intoItself: () => fs.rename(root, "d", d, "x"),
    })) {
      try { f(); errors[name] = "no error"; } catch (e) { errors[name] = e.errno; }
    }
    const tmpGone = (() => { try { fs.lookup(root, "tmp"); return false; } catch { return true; } })();
    await fs.close();
    return { errors, tmpGone, tmpIno: tmp };
  },

  /** Reopen and report the tree, sizes and contents; then rename a directory holding open files. */
  async read(dir) {
    const fs = await openOPFS(dir);
    const root = fs.root();
    const tree = [];
    const walk = (node, prefix) => {
      for (const e of fs.readdir(node).sort((x, y) => x.name.localeCompare(y.name))) {
        const m = fs.metadata(e.ino);
        tree.push(`${prefix}${e.name}${m.filetype === 3 ? "/" : ` ${m.size}`}`);
        if (m.filetype === 3) walk(e.ino, `${prefix}${e.name}/`);
      }
    };
    walk(root, "");
    const d = fs.lookup(root, "d");
    const a = fs.lookup(d, "a.txt");
    const buf = new Uint8Array(16);
    const n = fs.read(a, 0, buf);
    const text = dec.decode(buf.subarray(0, n));
    fs.rename(root, "d", root, "renamed");
    fs.setSize(fs.lookup(fs.lookup(root, "renamed"), "c.txt"), 1);
    await fs.close();
    return { tree, text };
  },

  async list(dir) {
    const fs = await openOPFS(dir);
    const out = [];
    const walk = (node, prefix) => {
      for (const e of fs.readdir(node)) {
        out.push(`${prefix}${e.name}`);
        if (e.filetype === 3) walk(e.ino, `${prefix}${e.name}/`);
        else {
          const buf = new Uint8Array(64);
          out.push(`  = ${JSON.stringify(dec.decode(buf.subarray(0, fs.read(e.ino, 0, buf))))}`);
        }
      }
    };
    walk(fs.root(), "");
    await fs.close();
    return out.sort();
  },

  async locked(dir) {
    const first = await openOPFS(dir);
    try {
      await openOPFS(dir);
      return "second open succeeded";
    } catch (e) {
      return e.message;
    } finally {
      await first.close();
    }
  },
};

self.onmessage = async ({ data: { script, dir } }) => {
  try {
    self.postMessage({ result: await scripts[script](dir) });
  } catch (e) {
    self.postMessage({ error: `${e.name}: ${e.message}\n${e.stack}` });
  }
};
