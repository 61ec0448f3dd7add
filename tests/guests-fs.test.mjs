// Filesystem behaviour of real programs under Cove's `WASI` in Node, on a MemFS and on host
// directories: 100 MiB written and read back, memory.grow around I/O, read-only mounts refusing
// every change (and reporting it), large directories, file positions, and the `files` tool.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { MemFS } from "cove";
import { runGuest, describeRun, tempDir, fnv1a, hex, testWithKnownGaps } from "./guests/harness.mjs";

/** Tests the engine does not pass yet, by name, with the reason (reported as todo). */
const KNOWN_ENGINE_GAPS = {
  "host files whose names are not UTF-8 are listed and can be removed":
    "WASI preview-1 paths are UTF-8 strings: the core refuses other bytes with EILSEQ (as wasmtime does), and js/src/nodefs.js decodes host names as UTF-8, so such an entry is left out of listings and its directory cannot be removed",
};
const test = testWithKnownGaps(KNOWN_ENGINE_GAPS);

const MiB = 1024 * 1024;

/** Checks bigfile's report and returns the checksum it printed. */
function checkBigfileReport(r, bytes) {
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.match(r.out, new RegExp(`^wrote ${bytes} bytes\nsize ${bytes}\nread ${bytes} bytes, 0 mismatches\nfnv1a [0-9a-f]{8}\n$`));
  return r.out.match(/fnv1a ([0-9a-f]{8})/)[1];
}

test("100 MiB written in chunks to a MemFS reads back intact, in the guest and from JS", async () => {
  const fs = new MemFS();
  fs.mkdir("/data");
  const r = await runGuest("bigfile", ["100", "/data/big.bin"], { preopens: { "/data": fs.subtree("/data") } });
  const checksum = checkBigfileReport(r, 100 * MiB);
  const stored = fs.readFile("/data/big.bin");
  assert.equal(stored.length, 100 * MiB);
  assert.equal(fnv1a(stored), checksum);
});

test("100 MiB written to a host directory lands in the host file", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runGuest("bigfile", ["100", "/data/big.bin"], { preopens: { "/data": dir } });
    const checksum = checkBigfileReport(r, 100 * MiB);
    assert.equal(statSync(join(dir, "big.bin")).size, 100 * MiB);
    assert.equal(fnv1a(readFileSync(join(dir, "big.bin"))), checksum);
  } finally {
    cleanup();
  }
});

test("memory.grow before every read and write loses no data (file to file)", async () => {
  const input = randomBytes(3 * MiB + 12345);
  const fs = new MemFS({ "/io/in.bin": input });
  const r = await runGuest("grow_io", ["/io/in.bin", "/io/out.bin"], { preopens: { "/io": fs.subtree("/io") } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.ok(r.out.includes(`read ${input.length} bytes`), r.out);
  assert.ok(r.out.includes(`wrote ${input.length} bytes`), r.out);
  const [, before, after] = r.out.match(/memory pages (\d+) -> (\d+)/).map(Number);
  assert.ok(after > before + 2 * 48, `memory grew only from ${before} to ${after} pages`);
  assert.equal(r.out.match(/fnv1a (\w+)/)[1], fnv1a(input));
  assert.ok(Buffer.from(fs.readFile("/io/out.bin")).equals(input), "out.bin differs from in.bin");
});

test("memory.grow before every read and write loses no data (stdin to stdout)", async () => {
  const input = randomBytes(2 * MiB + 7);
  const r = await runGuest("grow_io", ["-", "-"], { stdin: input });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.ok(Buffer.from(r.stdout).equals(input), "stdout differs from stdin");
  assert.match(r.err, new RegExp(`read ${input.length} bytes`));
});

/** A host directory laid out as ro_write expects; returns a snapshot function of its contents. */
function roFixture(dir) {
  writeFileSync(join(dir, "existing.txt"), "original contents\n");
  writeFileSync(join(dir, "victim.txt"), "do not delete\n");
  mkdirSync(join(dir, "subdir"));
  return () => readdirSync(dir, { recursive: true }).sort().map((p) => {
    const full = join(dir, p);
    return statSync(full).isDirectory() ? `${p}/` : `${p}: ${readFileSync(full, "utf8")}`;
  });
}

const WRITE_OPS = ["create", "write", "truncate", "append", "mkdir", "rmdir", "symlink", "hard_link", "unlink", "rename"];
const DENIAL_ERRNOS = ["EACCES", "EPERM", "EROFS", "ENOTCAPABLE"];

/** ro_write's report as { op: "ok" | "ENAME" }. */
function parseRoWrite(out) {
  const results = {};
  for (const line of out.trim().split("\n")) {
    const [op, rest] = line.split(": ");
    results[op] = rest === "ok" ? "ok" : rest.match(/ (E[A-Z0-9?]+) /)?.[1] ?? rest;
  }
  return results;
}

test("ro_write succeeds at every change on a read-write mount (so its attempts are real)", async () => {
  const { dir, cleanup } = tempDir();
  try {
    roFixture(dir);
    const r = await runGuest("ro_write", ["/rw"], { policy: { mounts: [{ guest: "/rw", host: dir, mode: "rw" }] } });
    assert.equal(r.exitCode, 0, describeRun(r));
    const results = parseRoWrite(r.out);
    for (const op of ["read", ...WRITE_OPS]) assert.equal(results[op], "ok", `${op}: ${r.out}`);
    assert.ok(readdirSync(dir).includes("renamed.txt"));
  } finally {
    cleanup();
  }
});

test("a read-only mount refuses every change with an errno, reports each as a denial event, and the host files stay untouched", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const snapshot = roFixture(dir);
    const before = snapshot();
    const r = await runGuest("ro_write", ["/ro"], { policy: { mounts: [{ guest: "/ro", host: dir, mode: "ro" }] } });
    assert.equal(r.exitCode, 0, describeRun(r));
    const results = parseRoWrite(r.out);
    assert.equal(results.read, "ok", r.out);
    assert.ok(r.out.includes("content: original contents\n"), r.out);
    for (const op of WRITE_OPS) assert.ok(DENIAL_ERRNOS.includes(results[op]), `${op} should be denied: ${results[op]}`);
    assert.deepEqual(snapshot(), before);

    // One denial per refused attempt, naming the WASI call and the path as the guest wrote it.
    const denials = r.events.filter((e) => e.type === "denied");
    for (const e of denials) {
      for (const key of ["op", "path", "reason"]) assert.equal(typeof e[key], "string", `${key} of ${JSON.stringify(e)}`);
      assert.match(e.op, /^(path|fd)_[a-z_]+$/, JSON.stringify(e));
    }
    const targets = ["ro_write_new.txt", "existing.txt", "existing.txt", "existing.txt", "newdir", "subdir", "link", "hardlink.txt", "victim.txt", "existing.txt"];
    assert.deepEqual(denials.map((e) => e.path), targets.map((name) => `/ro/${name}`), JSON.stringify(denials));
  } finally {
    cleanup();
  }
});

test("1000 files in one directory are all listed exactly once (readdir cookies), on a MemFS and a host directory", async () => {
  const fs = new MemFS();
  fs.mkdir("/many");
  const { dir, cleanup } = tempDir();
  try {
    for (const preopens of [{ "/many": fs.subtree("/many") }, { "/many": dir }]) {
      const r = await runGuest("many_files", ["/many", "1000"], { preopens });
      assert.equal(r.exitCode, 0, describeRun(r));
      assert.equal(r.out, "created 1000\nlisted 1000 entries, 0 missing, 0 duplicates, 0 unexpected\nafter removal: 0 entries\n");
    }
  } finally {
    cleanup();
  }
});

test("seek, append mode, sparse writes, set_len and positional I/O", async () => {
  const fs = new MemFS();
  fs.mkdir("/f");
  const r = await runGuest("seek_append", ["/f/data.bin"], { preopens: { "/f": fs.subtree("/f") } });
  assert.equal(r.exitCode, 0, describeRun(r) + r.out);
  assert.doesNotMatch(r.out, /FAIL/);
  const finalHex = r.out.match(/^final ([0-9a-f]*)$/m)[1];
  assert.equal(finalHex, hex(Buffer.from("HEllo\0\0\0+A+B")));
  assert.equal(hex(fs.readFile("/f/data.bin")), finalHex);
});

test("files: write, cat, cp, ls, tree, stat, mv, rm over a MemFS that JS reads and writes too", async () => {
  const fs = new MemFS({ "/app/readme.txt": "from JS ✓\n", "/app/docs/guide.md": "# Guide\n" });
  const files = (...args) => runGuest("files", args, { preopens: { "/app": fs.subtree("/app") } });

  let r = await files("cat", "/app/readme.txt");
  assert.equal(r.out, "from JS ✓\n");

  r = await files("write", "/app/notes.txt", "written by the guest");
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(fs.readFile("/app/notes.txt", "utf8"), "written by the guest");

  r = await files("append", "/app/notes.txt", " + more");
  assert.equal(fs.readFile("/app/notes.txt", "utf8"), "written by the guest + more");

  r = await files("cp", "/app/notes.txt", "/app/docs/copy.txt");
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(fs.readFile("/app/docs/copy.txt", "utf8"), "written by the guest + more");

  r = await files("mkdir", "/app/a/b");
  assert.ok(fs.stat("/app/a/b").isDirectory());

  fs.symlink("readme.txt", "/app/link");
  r = await files("ls", "/app");
  assert.equal(r.out, "a/\ndocs/\nlink -> readme.txt\nnotes.txt\nreadme.txt\n");

  r = await files("tree", "/app");
  assert.equal(r.out, [
    "/app", "├── a/", "│   └── b/", "├── docs/", "│   ├── copy.txt", "│   └── guide.md",
    "├── link -> readme.txt", "├── notes.txt", "└── readme.txt", "3 directories, 5 files", "",
  ].join("\n"));

  r = await files("stat", "/app/notes.txt");
  assert.match(r.out, /^path: \/app\/notes\.txt\ntype: file\nsize: 27\nmodified: \d+\.\d{9}\n$/);
  r = await files("stat", "/app/link");
  assert.match(r.out, /type: symlink\n[^]*target: readme\.txt\n/);

  r = await files("mv", "/app/notes.txt", "/app/a/notes.txt");
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(fs.exists("/app/notes.txt"), false);
  assert.equal(fs.readFile("/app/a/notes.txt", "utf8"), "written by the guest + more");

  r = await files("rm", "/app/a");
  assert.equal(r.exitCode, 1);
  assert.match(r.err, /^files: rm \/app\/a: Directory not empty \(os error 55\)\n$/);
  r = await files("rm", "-r", "/app/a");
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(fs.exists("/app/a"), false);
});

test("files reports OS errors with the path and exits 1", async () => {
  const fs = new MemFS({ "/app/file.txt": "x" });
  fs.symlink("loop", "/app/loop");
  fs.symlink("pong", "/app/ping");
  fs.symlink("ping", "/app/pong");
  fs.symlink("nowhere", "/app/dangling");
  const files = (...args) => runGuest("files", args, { preopens: { "/app": fs.subtree("/app") } });
  const cases = [
    [["cat", "/app/loop"], /^files: cat \/app\/loop: Symbolic link loop \(os error 32\)\n$/],
    [["cat", "/app/ping"], /^files: cat \/app\/ping: Symbolic link loop \(os error 32\)\n$/],
    [["cat", "/app/dangling"], /^files: cat \/app\/dangling: No such file or directory \(os error 44\)\n$/],
    [["cat", "/app/missing.txt"], /^files: cat \/app\/missing\.txt: No such file or directory \(os error 44\)\n$/],
    [["ls", "/app/file.txt"], /^files: ls \/app\/file\.txt: Not a directory \(os error 54\)\n$/],
    // wasmtime: a directory fd has no read right (EBADF); EISDIR says the same.
    [["cat", "/app"], /^files: cat \/app: (Bad file descriptor \(os error 8\)|Is a directory \(os error 31\))\n$/],
    [["write", "/elsewhere/x.txt", "y"], /^files: write \/elsewhere\/x\.txt: .*\(os error \d+\)\n$/],
  ];
  for (const [args, message] of cases) {
    const r = await files(...args);
    assert.equal(r.exitCode, 1, `${args.join(" ")}: ${describeRun(r)}`);
    assert.match(r.err, message, args.join(" "));
  }
});

test("symlinks and `..` never lead out of a host preopen", async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, "data"));
    mkdirSync(join(dir, "outside"));
    writeFileSync(join(dir, "outside", "secret.txt"), "host secret");
    symlinkSync("../outside", join(dir, "data", "escape"));
    symlinkSync("../outside/secret.txt", join(dir, "data", "secret-link"));
    symlinkSync(join(dir, "outside"), join(dir, "data", "absolute"));
    const files = (...args) => runGuest("files", args, { preopens: { "/data": join(dir, "data") } });
    const attempts = [
      ["cat", "/data/escape/secret.txt"], ["cat", "/data/secret-link"], ["cat", "/data/absolute/secret.txt"],
      ["cat", "/data/../outside/secret.txt"], ["ls", "/data/escape"], ["ls", "/data/.."],
      ["write", "/data/escape/planted.txt", "x"], ["write", "/data/absolute/planted.txt", "x"],
      ["cp", "/data/secret-link", "/data/copy.txt"],
    ];
    for (const args of attempts) {
      const r = await files(...args);
      const attempt = args.join(" ");
      assert.equal(r.exitCode, 1, `${attempt} should fail: ${describeRun(r)} stdout: ${r.out}`);
      assert.doesNotMatch(r.out, /host secret|secret\.txt/, attempt);
      // Refused as a capability violation (ENOTCAPABLE, EPERM or EACCES), not merely "not found".
      assert.match(r.err, /\(os error (76|63|2)\)\n$/, attempt);
      assert.ok(r.events.some((e) => e.type === "denied" && e.path.startsWith("/data/")), `${attempt}: no denial event`);
    }
    assert.deepEqual(readdirSync(join(dir, "outside")), ["secret.txt"]);
    assert.equal(existsSync(join(dir, "data", "copy.txt")) ? readFileSync(join(dir, "data", "copy.txt"), "utf8") : "", "");
  } finally {
    cleanup();
  }
});

test("limits.fileBytes stops a file growing past it with EFBIG", async () => {
  const fs = new MemFS();
  fs.mkdir("/data");
  const r = await runGuest("bigfile", ["2", "/data/big.bin"], {
    preopens: { "/data": fs.subtree("/data") }, policy: { limits: { fileBytes: MiB } },
  });
  assert.equal(r.exitCode, 1, describeRun(r));
  assert.match(r.err, /^bigfile: write: .*\(os error 22\)\n$/);
  assert.ok(fs.stat("/data/big.bin").size <= MiB, `file grew to ${fs.stat("/data/big.bin").size} bytes`);
});

test("limits.writtenBytes caps the bytes a guest writes to files, with ENOSPC", async () => {
  const fs = new MemFS();
  fs.mkdir("/data");
  const r = await runGuest("bigfile", ["3", "/data/big.bin"], {
    preopens: { "/data": fs.subtree("/data") }, policy: { limits: { writtenBytes: 2 * MiB } },
  });
  assert.equal(r.exitCode, 1, describeRun(r));
  assert.match(r.err, /^bigfile: write: .*\(os error 51\)\n$/);
  assert.ok(fs.stat("/data/big.bin").size <= 2 * MiB);
});

test("limits.openFiles refuses further opens with EMFILE, and no limit allows many", async () => {
  const fs = new MemFS();
  fs.mkdir("/h");
  const preopens = { "/h": fs.subtree("/h") };
  const limited = await runGuest("hold_open", ["/h", "100"], { preopens, policy: { limits: { openFiles: 16 } } });
  assert.equal(limited.exitCode, 1, describeRun(limited));
  const opened = Number(limited.out.match(/^opened (\d+)$/m)[1]);
  // stdio and the preopen count against the limit too; the guest gets the rest.
  assert.ok(opened > 0 && opened < 16, limited.out);
  assert.match(limited.out, /^failed errno=33 EMFILE/m);

  const unlimited = await runGuest("hold_open", ["/h", "500"], { preopens });
  assert.equal(unlimited.exitCode, 0, describeRun(unlimited));
  assert.equal(unlimited.out, "opened 500\n");
});

test("host callbacks that grow guest memory in the middle of fd_read / fd_write lose no data", async () => {
  // The stdin and stdout callbacks run inside the guest's syscalls; growing the guest's memory
  // there detaches every view of it the engine took before the callback.
  const input = randomBytes(512 * 1024 + 3);
  let memory;
  let offset = 0;
  let grows = 0;
  const stdoutChunks = [];
  const grow = () => {
    memory.grow(1);
    grows++;
  };
  const r = await runGuest("grow_io", ["-", "-"], {
    stdin: (max) => {
      grow();
      const chunk = input.subarray(offset, offset + Math.min(max, 10_000));
      offset += chunk.length;
      return chunk.length ? new Uint8Array(chunk) : null;
    },
    stdout: (chunk) => {
      grow();
      stdoutChunks.push(chunk);
    },
  }, { instantiated: (instance) => (memory = instance.exports.memory) });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.ok(grows > 50, `only ${grows} grows`);
  assert.ok(Buffer.concat(stdoutChunks).equals(input), "stdout differs from stdin");
});

test("a MemFS given as `fs` is the guest's root", async () => {
  const fs = new MemFS({ "/etc/motd": "welcome\n", "/home/user/notes.txt": "n" });
  const r = await runGuest("files", ["tree", "/"], { fs });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(r.out, ["/", "├── etc/", "│   └── motd", "└── home/", "    └── user/", "        └── notes.txt", "3 directories, 2 files", ""].join("\n"));
  const relative = await runGuest("files", ["cat", "etc/motd"], { fs });
  assert.equal(relative.out, "welcome\n", describeRun(relative));
});

test("non-ASCII file names round-trip between JS and the guest", async () => {
  const names = ["日本語.txt", "émoji-🎉.md", "Ünïcödé dir"];
  const fs = new MemFS({ [`/u/${names[0]}`]: "from JS" });
  const files = (...args) => runGuest("files", args, { preopens: { "/u": fs.subtree("/u") } });
  let r = await files("write", `/u/${names[1]}`, "from the guest");
  assert.equal(r.exitCode, 0, describeRun(r));
  r = await files("mkdir", `/u/${names[2]}`);
  assert.equal(r.exitCode, 0, describeRun(r));
  r = await files("ls", "/u");
  assert.equal(r.out, [names[0], names[1], `${names[2]}/`].sort().join("\n") + "\n");
  assert.deepEqual(fs.readdir("/u").sort(), [...names].sort());
  assert.equal(fs.readFile(`/u/${names[1]}`, "utf8"), "from the guest");
  r = await files("cat", `/u/${names[0]}`);
  assert.equal(r.out, "from JS");
});

test("non-ASCII and long file names round-trip through a host directory", async () => {
  // Names up to 64 bytes of ASCII are decoded byte by byte on their way to the backend; the
  // others by TextDecoder: both must name the same file the host sees.
  const names = ["plain.txt", "日本語.txt", "a".repeat(64), "b".repeat(65), `${"é".repeat(40)}.md`];
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, names[1]), "from the host");
    const files = (...args) => runGuest("files", args, { preopens: { "/h": dir } });
    for (const name of names.slice(2).concat(names[0])) {
      const r = await files("write", `/h/${name}`, `guest wrote ${name.length}`);
      assert.equal(r.exitCode, 0, describeRun(r));
      assert.equal(readFileSync(join(dir, name), "utf8"), `guest wrote ${name.length}`);
    }
    const r = await files("ls", "/h");
    assert.equal(r.out, [...names].sort().join("\n") + "\n");
    assert.equal((await files("cat", `/h/${names[1]}`)).out, "from the host");
  } finally {
    cleanup();
  }
});

test("renaming over an existing file replaces it (the save-by-rename pattern editors use)", async () => {
  const fs = new MemFS({ "/w/doc.txt": "old version", "/w/.doc.txt.tmp": "new version" });
  const r = await runGuest("files", ["mv", "/w/.doc.txt.tmp", "/w/doc.txt"], { preopens: { "/w": fs.subtree("/w") } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.deepEqual(fs.readdir("/w"), ["doc.txt"]);
  assert.equal(fs.readFile("/w/doc.txt", "utf8"), "new version");
});

/** The nanosecond modification time `files stat` printed, as a BigInt. */
function statMtimeNs(out) {
  const [, secs, nanos] = out.match(/^modified: (\d+)\.(\d{9})$/m);
  return BigInt(secs) * 1_000_000_000n + BigInt(nanos);
}

test("file timestamps reach the guest to the nanosecond (MemFS)", async () => {
  const fs = new MemFS({ "/t/file.txt": "x" });
  const r = await runGuest("files", ["stat", "/t/file.txt"], { preopens: { "/t": fs.subtree("/t") } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(statMtimeNs(r.out), fs.stat("/t/file.txt").mtimeNs);
});

test("file timestamps reach the guest to the nanosecond (host directory)", async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, "file.txt"), "x");
    // A time a JS number cannot hold exactly in nanoseconds.
    utimesSync(join(dir, "file.txt"), 1_700_000_000.123456, 1_700_000_000.123456);
    const r = await runGuest("files", ["stat", "/h/file.txt"], { preopens: { "/h": dir } });
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(statMtimeNs(r.out), statSync(join(dir, "file.txt"), { bigint: true }).mtimeNs);
  } finally {
    cleanup();
  }
});

test("a directory tree 40 levels deep is created, listed and removed", async () => {
  const fs = new MemFS();
  fs.mkdir("/deep");
  const files = (...args) => runGuest("files", args, { preopens: { "/deep": fs.subtree("/deep") } });
  const path = "/deep/" + Array.from({ length: 40 }, (_, i) => `level${i}`).join("/");
  let r = await files("mkdir", path);
  assert.equal(r.exitCode, 0, describeRun(r));
  r = await files("write", `${path}/leaf.txt`, "bottom");
  assert.equal(fs.readFile(`${path}/leaf.txt`, "utf8"), "bottom");
  r = await files("tree", "/deep");
  assert.match(r.out, /40 directories, 1 files\n$/);
  r = await files("rm", "-r", "/deep/level0");
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.deepEqual(fs.readdir("/deep"), []);
});

test("policy log: \"none\" still refuses but reports nothing; \"all\" also reports every access", async () => {
  const { dir, cleanup } = tempDir();
  try {
    const snapshot = roFixture(dir);
    const before = snapshot();
    const mounts = [{ guest: "/ro", host: dir, mode: "ro" }];
    const quiet = await runGuest("ro_write", ["/ro"], { policy: { mounts, log: "none" } });
    assert.equal(quiet.exitCode, 0, describeRun(quiet));
    const results = parseRoWrite(quiet.out);
    for (const op of WRITE_OPS) assert.ok(DENIAL_ERRNOS.includes(results[op]), `${op}: ${results[op]}`);
    assert.deepEqual(quiet.events, []);

    const loud = await runGuest("ro_write", ["/ro"], { policy: { mounts, log: "all" } });
    assert.equal(loud.exitCode, 0, describeRun(loud));
    assert.ok(loud.events.some((e) => e.type === "access" && e.path === "/ro/existing.txt"), JSON.stringify(loud.events));
    assert.equal(loud.events.filter((e) => e.type === "denied").length, WRITE_OPS.length);
    assert.deepEqual(snapshot(), before);
  } finally {
    cleanup();
  }
});

test("a refusal because of a limit is reported as a denial event too", async () => {
  const fs = new MemFS();
  fs.mkdir("/h");
  const preopens = { "/h": fs.subtree("/h") };
  const files = await runGuest("hold_open", ["/h", "100"], { preopens, policy: { limits: { openFiles: 16 } } });
  assert.equal(files.exitCode, 1, describeRun(files));
  assert.ok(files.events.some((e) => e.type === "denied"), `openFiles: no denial event (${JSON.stringify(files.events)})`);
  const size = await runGuest("bigfile", ["2", "/h/big.bin"], { preopens, policy: { limits: { fileBytes: MiB } } });
  assert.equal(size.exitCode, 1, describeRun(size));
  assert.ok(size.events.some((e) => e.type === "denied" && e.path === "/h/big.bin"), `fileBytes: no denial event (${JSON.stringify(size.events)})`);
  const written = await runGuest("bigfile", ["2", "/h/big2.bin"], { preopens, policy: { limits: { writtenBytes: MiB } } });
  assert.equal(written.exitCode, 1, describeRun(written));
  assert.ok(written.events.some((e) => e.type === "denied" && e.path === "/h/big2.bin"), `writtenBytes: no denial event (${JSON.stringify(written.events)})`);
});

test("64-bit file offsets: a sparse write 5 GiB into a host file and into MemFS (which stores only what was written)", async () => {
  const offset = 5 * 2 ** 30 + 3; // past 4 GiB: no 32-bit or float-rounded offset survives this
  const { dir, cleanup } = tempDir();
  try {
    const host = await runGuest("sparse", ["/h/sparse.bin", String(offset)], { preopens: { "/h": dir } });
    assert.equal(host.exitCode, 0, describeRun(host) + host.out);
    assert.equal(host.out, `size ${offset + 4}\nread cove\nzero-before ok\n`);
    assert.equal(statSync(join(dir, "sparse.bin")).size, offset + 4);
  } finally {
    cleanup();
  }
  // The engine is wasm32, but MemFS keeps files in chunks allocated as they are written: the
  // hole costs nothing, and the same guest sees the same file.
  const fs = new MemFS();
  fs.mkdir("/m");
  const mem = await runGuest("sparse", ["/m/sparse.bin", String(offset)], { preopens: { "/m": fs.subtree("/m") } });
  assert.equal(mem.exitCode, 0, describeRun(mem) + mem.out);
  assert.equal(mem.out, `size ${offset + 4}\nread cove\nzero-before ok\n`);
  assert.equal(fs.stat("/m/sparse.bin").size, offset + 4);
  // Reading the whole of it into JS cannot work on a 32-bit engine: an error, not a crash.
  assert.throws(() => fs.readFile("/m/sparse.bin"), { code: "ENOMEM" });
  const after = await runGuest("sparse", ["/m/small.bin", "100"], { preopens: { "/m": fs.subtree("/m") } });
  assert.equal(after.out, "size 104\nread cove\nzero-before ok\n", describeRun(after));
});

test("host files whose names are not UTF-8 are listed and can be removed", async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, "sub"));
    // "café.txt" in Latin-1: legal on Linux, not UTF-8.
    writeFileSync(Buffer.concat([Buffer.from(join(dir, "sub", "caf")), Buffer.from([0xe9]), Buffer.from(".txt")]), "latin-1 name");
    writeFileSync(join(dir, "sub", "plain.txt"), "plain");
    const files = (...args) => runGuest("files", args, { preopens: { "/h": dir } });
    const listing = await files("ls", "/h/sub");
    assert.equal(listing.out, "caf\uFFFD.txt\nplain.txt\n", describeRun(listing)); // the guest prints names lossily
    const removal = await files("rm", "-r", "/h/sub");
    assert.equal(removal.exitCode, 0, describeRun(removal));
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    cleanup();
  }
});
