// The OPFS backend (js/src/opfs.js) driven directly in a Worker, as the engine drives it through
// hostfs: the synchronous operations, the errnos it reports, and the tree it leaves in OPFS once
// closed — checked from a fresh Worker after a page reload.
import assert from "node:assert/strict";

async function inWorker(page, script, dir) {
  const r = await page.evaluate(({ script, dir }) => new Promise((resolve) => {
    const w = new Worker("/tests-browser/pages/opfs-worker.js", { type: "module" });
    w.onmessage = ({ data }) => { w.terminate(); resolve(data); };
    w.onerror = (e) => { w.terminate(); resolve({ error: e.message }); };
    w.postMessage({ script, dir });
  }), { script, dir });
  if (r.error) throw new Error(r.error);
  return r.result;
}

export default function ({ test }) {
  test("OPFS backend: operations, errnos, and the tree OPFS holds after close and reload", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    const dir = "cove-test-backend";
    try {
      const written = await inWorker(page, "write", dir);
      assert.deepEqual(written.errors, { exists: 20, notEmpty: 55, missing: 44, symlink: 58, isDir: 31, intoItself: 28 });
      assert.ok(written.tmpGone);
      await page.reload();
      const read = await inWorker(page, "read", dir);
      assert.deepEqual(read.tree, ["d/", "d/a.txt 9", "d/c.txt 3", "empty/"]);
      assert.equal(read.text, "hello\0\0\0!");
      await page.reload();
      const listed = await inWorker(page, "list", dir);
      assert.deepEqual(listed, ["  = \"b\"", "  = \"hello\\u0000\\u0000\\u0000!\"", "empty", "renamed", "renamed/a.txt", "renamed/c.txt"]);
      const locked = await inWorker(page, "locked", dir);
      assert.match(locked, /mounted in another Worker or tab/);
    } finally {
      await page.context().close();
    }
  });
}
