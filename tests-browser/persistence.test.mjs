// Files that outlive the page: the OPFS backend (a Worker's sync access handles) and MemFS
// snapshots in IndexedDB. Each test writes, reloads the page (same browser context, so the same
// origin storage), and reads the files back.
import assert from "node:assert/strict";

async function filesInWorker(page, opfsDir, ...args) {
  return page.evaluate(async ({ opfsDir, args }) => {
    const { runInWorker } = await window.cove;
    const { guest } = await window.helpers;
    return runInWorker(await guest("files"), { args: ["files", ...args], opfs: { "/persist": opfsDir } });
  }, { opfsDir, args });
}

let shared;
/** One page (one origin storage) for the suite: each test uses its own OPFS directory / IDB name. */
function suitePage(ctx) {
  shared ??= ctx.page("/tests-browser/pages/index.html");
  return shared;
}

async function reload(page) {
  await page.reload();
  await page.evaluate(async () => { await window.cove; });
}

export default function ({ test }) {
  test("OPFS: files a guest writes survive a reload, with directories and renames", async (ctx) => {
    const page = await suitePage(ctx);
    const dir = "cove-test-opfs";
    const steps = [
      ["mkdir", "/persist/notes/old"],
      ["write", "/persist/notes/a.txt", "first file"],
      ["write", "/persist/notes/old/b.txt", "to be moved"],
      ["mv", "/persist/notes/old", "/persist/notes/new"],
      ["append", "/persist/notes/a.txt", ", appended"],
      ["write", "/persist/gone.txt", "x"],
      ["rm", "/persist/gone.txt"],
    ];
    for (const step of steps) {
      const r = await filesInWorker(page, dir, ...step);
      assert.equal(r.exitCode, 0, `files ${step.join(" ")}: ${r.stderr}`);
    }
    await reload(page);
    const tree = await filesInWorker(page, dir, "tree", "/persist");
    assert.equal(tree.exitCode, 0, tree.stderr);
    const cat = await filesInWorker(page, dir, "cat", "/persist/notes/a.txt");
    assert.equal(cat.stdout, "first file, appended");
    const moved = await filesInWorker(page, dir, "cat", "/persist/notes/new/b.txt");
    assert.equal(moved.stdout, "to be moved");
    // The page sees the same files in OPFS itself: they are real OPFS entries, not a copy.
    const listing = await page.evaluate(async (dir) => {
      const list = async (handle, prefix = "") => {
        const out = [];
        for await (const [name, h] of handle.entries()) {
          out.push(`${prefix}${name}${h.kind === "directory" ? "/" : ""}`);
          if (h.kind === "directory") out.push(...await list(h, `${prefix}${name}/`));
        }
        return out.sort();
      };
      const root = await navigator.storage.getDirectory();
      const d = await root.getDirectoryHandle(dir);
      const file = await (await (await d.getDirectoryHandle("notes")).getFileHandle("a.txt")).getFile();
      return { entries: await list(d), text: await file.text() };
    }, dir);
    assert.deepEqual(listing.entries, ["notes/", "notes/a.txt", "notes/new/", "notes/new/b.txt"]);
    assert.equal(listing.text, "first file, appended");
    // A guest stopped while it holds the mount (every file locked) does not keep it locked.
    const stopped = await page.evaluate(async (dir) => {
      const { startWorker } = await window.cove;
      const { guest, recorder } = await window.helpers;
      const rec = recorder();
      const job = startWorker(await guest("repl"), { args: ["repl"], opfs: { "/persist": dir }, stdout: rec.stdout });
      await rec.waitFor("stdout", "> ");
      job.terminate();
      return (await job.exited).terminated;
    }, dir);
    assert.equal(stopped, true);
    const again = await filesInWorker(page, dir, "cat", "/persist/notes/a.txt");
    assert.equal(again.stdout, "first file, appended", again.stderr);
  });

  test("OPFS: positions, sparse writes, append, truncation — on a new file and on a stored one", async (ctx) => {
    const page = await suitePage(ctx);
    const run = () => page.evaluate(async () => {
      const { runInWorker } = await window.cove;
      const { guest } = await window.helpers;
      return runInWorker(await guest("seek_append"), { args: ["seek_append", "/persist/pos.bin"], opfs: { "/persist": "cove-test-seek" } });
    });
    const fresh = await run(); // a file created in this run: bytes held in memory until close
    await reload(page);
    const stored = await run(); // the file exists in OPFS: every operation on its access handle
    for (const r of [fresh, stored]) {
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /FAIL/);
      assert.match(r.stdout, /^ok /m);
    }
    assert.equal(stored.stdout, fresh.stdout);
  });

  test("IndexedDB: saveMemFS / loadMemFS across a reload (files, directories, symlinks)", async (ctx) => {
    const page = await suitePage(ctx);
    const saved = await page.evaluate(async () => {
      const { MemFS, run, saveMemFS } = await window.cove;
      const { guest } = await window.helpers;
      const fs = new MemFS({ "/docs/readme.txt": "hello idb", "/bin.dat": new Uint8Array([0, 255, 7]) });
      fs.mkdir("/empty");
      fs.symlink("docs/readme.txt", "/link");
      const r = await run(await guest("files"), { args: ["files", "write", "/docs/by-guest.txt", "guest wrote this"], fs });
      await saveMemFS(fs, "cove-test");
      return r.exitCode;
    });
    assert.equal(saved, 0);
    await reload(page);
    const r = await page.evaluate(async () => {
      const { loadMemFS, listMemFS, run } = await window.cove;
      const { guest } = await window.helpers;
      const fs = await loadMemFS("cove-test");
      const missing = await loadMemFS("never-saved");
      const cat = await run(await guest("files"), { args: ["files", "cat", "/link"], fs });
      return {
        names: await listMemFS(), missing, root: fs.readdir("/").sort(), link: fs.readlink("/link"), cat: cat.stdout,
        byGuest: fs.readFile("/docs/by-guest.txt", "utf8"), bin: [...fs.readFile("/bin.dat")], empty: fs.readdir("/empty"),
      };
    });
    assert.ok(r.names.includes("cove-test"));
    assert.equal(r.missing, null);
    assert.deepEqual(r.root, ["bin.dat", "docs", "empty", "link"]);
    assert.equal(r.link, "docs/readme.txt");
    assert.equal(r.cat, "hello idb");
    assert.equal(r.byGuest, "guest wrote this");
    assert.deepEqual(r.bin, [0, 255, 7]);
    assert.deepEqual(r.empty, []);
  });
}
