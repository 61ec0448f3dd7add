// p1/p2 parity on files (tests/parity.test.mjs has the rest; tests/guests/parity.mjs runs both
// builds of a guest through run()): 100 MiB through a file on a MemFS and in a host directory, a
// read-only mount refusing every change with the same denial events, a file session leaving the
// same tree, and long directory listings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MemFS } from "cove";
import { fnv1a, tempDir } from "./guests/harness.mjs";
import { TARGETS, runTarget, runBoth, assertSameSuccess, describeTargetRun } from "./guests/parity.mjs";

const MiB = 1024 * 1024;

/** bigfile's report, checked: returns its checksum line. */
function checkBigfile(target, r, size) {
  assert.equal(r.exitCode, 0, describeTargetRun(target, r));
  const lines = r.out.split("\n");
  assert.deepEqual(lines.slice(0, 3), [`wrote ${size} bytes`, `size ${size}`, `read ${size} bytes, 0 mismatches`], `${target}: ${r.out}`);
  return lines[3];
}

test("100 MiB written to a file and read back: in a MemFS and in a host directory", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const sums = new Set();
    for (const target of TARGETS) {
      const fs = new MemFS();
      fs.mkdir("/data");
      const inMemory = await runTarget(target, "bigfile", ["100", "/data/big.bin"], { preopens: { "/data": fs.subtree("/data") } });
      const sum = checkBigfile(target, inMemory, 100 * MiB);
      assert.equal(`fnv1a ${fnv1a(fs.readFile("/data/big.bin"))}`, sum, `${target}: the MemFS file holds what the guest wrote`);
      sums.add(sum);
      fs.rm("/data/big.bin");

      const hostDir = join(dir, target);
      mkdirSync(hostDir);
      const onHost = await runTarget(target, "bigfile", ["100", "/data/big.bin"], { preopens: { "/data": hostDir } });
      sums.add(checkBigfile(target, onHost, 100 * MiB));
      assert.equal(statSync(join(hostDir, "big.bin")).size, 100 * MiB, target);
    }
    assert.equal(sums.size, 1, `one content everywhere: ${[...sums]}`);
  } finally {
    cleanup();
  }
});

const WRITE_OPS = ["create", "write", "truncate", "append", "mkdir", "rmdir", "symlink", "hard_link", "unlink", "rename"];
const DENIAL_ERRNOS = ["EACCES", "EPERM", "EROFS", "ENOTCAPABLE"];

test("a read-only mount denies every change on both targets, with the same denial events, and nothing changes", async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "existing.txt"), "original contents\n");
    writeFileSync(join(dir, "victim.txt"), "do not delete\n");
    mkdirSync(join(dir, "subdir"));
    const snapshot = () => readdirSync(dir, { recursive: true }).sort()
      .map((p) => (statSync(join(dir, p)).isDirectory() ? `${p}/` : `${p}: ${readFileSync(join(dir, p), "utf8")}`));
    const before = snapshot();
    const r = await runBoth("ro_write", ["/ro"], () => ({ policy: { mounts: [{ guest: "/ro", host: dir, mode: "ro" }] } }));
    assertSameSuccess(r);
    const results = Object.fromEntries(r.p1.out.trim().split("\n").map((line) => line.split(": ")));
    assert.equal(results.read, "ok", r.p1.out);
    for (const op of WRITE_OPS) {
      assert.ok(DENIAL_ERRNOS.some((name) => results[op]?.includes(` ${name} `)), `${op} should be denied: ${results[op]}`);
    }
    assert.deepEqual(snapshot(), before);

    const denials = (run) => run.events.filter((e) => e.type === "denied").map(({ path, reason }) => ({ path, reason }));
    const targets = ["ro_write_new.txt", "existing.txt", "existing.txt", "existing.txt", "newdir", "subdir", "link", "hardlink.txt", "victim.txt", "existing.txt"];
    assert.deepEqual(denials(r.p1), targets.map((name) => ({ path: `/ro/${name}`, reason: "read-only mount" })));
    assert.deepEqual(denials(r.p2), denials(r.p1), "the p2 component is denied the same changes, in the same order");
    // Each ABI names the call it refused in its own terms.
    const ops = (run) => run.events.filter((e) => e.type === "denied").map((e) => e.op);
    assert.deepEqual(ops(r.p1), ["path_open", "path_open", "path_open", "path_open", "path_create_directory", "path_remove_directory",
      "path_symlink", "path_link", "path_unlink_file", "path_rename"]);
    assert.deepEqual(ops(r.p2), ["open-at", "open-at", "open-at", "open-at", "create-directory-at", "remove-directory-at",
      "symlink-at", "link-at", "unlink-file-at", "rename-at"].map((m) => `descriptor.${m}`));
  } finally {
    cleanup();
  }
});

/** Every directory (`path/`) and file (`path: text`) under `dir` of a MemFS, sorted. */
function memfsTree(fs, dir) {
  return fs.readdir(dir).sort().flatMap((name) => {
    const path = `${dir}/${name}`;
    return fs.stat(path).isDirectory() ? [`${path}/`, ...memfsTree(fs, path)] : [`${path}: ${new TextDecoder().decode(fs.readFile(path))}`];
  });
}

test("a file session on a MemFS: the same output and the same tree afterwards", async () => {
  const steps = [
    ["mkdir", "/w/docs"], ["write", "/w/docs/a.txt", "héllo"], ["append", "/w/docs/a.txt", " wörld"],
    ["cp", "/w/docs/a.txt", "/w/b.txt"], ["mv", "/w/b.txt", "/w/docs/c.txt"], ["cat", "/w/docs/c.txt"],
    ["stat", "/w/docs/c.txt"], ["tree", "/w"], ["rm", "/w/docs/a.txt"], ["ls", "/w/docs"], ["cat", "/w/missing.txt"],
  ];
  const trees = {};
  const outputs = {};
  for (const target of TARGETS) {
    const fs = new MemFS({ "/w/seed.txt": "seed" });
    outputs[target] = [];
    for (const args of steps) {
      const r = await runTarget(target, "files", args, { preopens: { "/w": fs.subtree("/w") } });
      // stat's modification time is the host's clock at the write: the one line that may differ.
      const out = r.out.replace(/^modified: .*\n/m, "");
      outputs[target].push(`${args.join(" ")} -> exit ${r.exitCode}\n${out}${r.err}`);
    }
    trees[target] = memfsTree(fs, "/w");
  }
  assert.deepEqual(outputs.p2, outputs.p1);
  assert.deepEqual(trees.p1, ["/w/docs/", "/w/docs/c.txt: héllo wörld", "/w/seed.txt: seed"]);
  assert.deepEqual(trees.p2, trees.p1);
  assert.match(outputs.p1.at(-1), /exit 1\nfiles: cat \/w\/missing.txt: .*\(os error 44\)\n$/);
});

test("1000 files in one directory are each listed once, on both targets", async () => {
  const r = await runBoth("many_files", ["/many", "1000"], () => {
    const fs = new MemFS();
    fs.mkdir("/many");
    return { preopens: { "/many": fs.subtree("/many") } };
  });
  assertSameSuccess(r);
  assert.equal(r.p1.out, "created 1000\nlisted 1000 entries, 0 missing, 0 duplicates, 0 unexpected\nafter removal: 0 entries\n");
});
