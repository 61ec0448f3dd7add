// The public JS API: node:wasi drop-in behaviour (options, methods, misuse errors, compared with
// node:wasi itself), stdio forms, MemFS, run(), policy validation, denial events, traps.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { WASI as NodeWASI } from "node:wasi";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI, MemFS, run } from "../js/src/node.js";
import { command, writes, instantiate, wat } from "./api-helpers.mjs";

process.removeAllListeners("warning"); // node:wasi's ExperimentalWarning

/** The error `f` throws, or fails. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected an exception");
}

/** Asserts Cove and node:wasi throw the same class, code and message for the same misuse. */
function sameError(misuse) {
  const ours = thrown(() => misuse(WASI));
  const theirs = thrown(() => misuse(NodeWASI));
  assert.equal(ours.constructor, theirs.constructor, `class for ${misuse}`);
  assert.equal(ours.code, theirs.code, `code for ${misuse}`);
  assert.equal(ours.message, theirs.message, `message for ${misuse}`);
}

const memory = () => new WebAssembly.Memory({ initial: 1 });
const EXIT_3 = command("(call $proc_exit (i32.const 3))");
const hello = writes(1, "hello\n");
const HELLO = command(hello.body, { data: hello.data });

describe("node:wasi drop-in", () => {
  test("constructor option errors match node:wasi", () => {
    sameError((W) => new W());
    sameError((W) => new W(null));
    sameError((W) => new W("preview1"));
    sameError((W) => new W({ version: 1 }));
    sameError((W) => new W({ version: "preview9" }));
    sameError((W) => new W({ version: "preview1", args: "x" }));
    sameError((W) => new W({ version: "preview1", env: "x" }));
    sameError((W) => new W({ version: "preview1", preopens: 3 }));
    sameError((W) => new W({ version: "preview1", returnOnExit: 1 }));
    sameError((W) => new W({ version: "preview1", stdin: -1 }));
    sameError((W) => new W({ version: "preview1", stdout: 1.5 }));
    sameError((W) => new W({ version: "preview1", stderr: 2 ** 31 }));
  });

  test("start/initialize misuse errors match node:wasi", () => {
    const M = memory;
    sameError((W) => new W({ version: "preview1" }).start(1));
    sameError((W) => new W({ version: "preview1" }).start({}));
    sameError((W) => new W({ version: "preview1" }).start({ exports: {} }));
    sameError((W) => new W({ version: "preview1" }).start({ exports: { _start() {}, memory: {} } }));
    sameError((W) => new W({ version: "preview1" }).start({ exports: { memory: M() } }));
    sameError((W) => new W({ version: "preview1" }).start({ exports: { _start: 1, memory: M() } }));
    sameError((W) => new W({ version: "preview1" }).start({ exports: { _start() {}, _initialize() {}, memory: M() } }));
    sameError((W) => new W({ version: "preview1" }).initialize({ exports: { _start() {}, memory: M() } }));
    sameError((W) => new W({ version: "preview1" }).initialize({ exports: { _initialize: 1, memory: M() } }));
    sameError((W) => {
      const w = new W({ version: "preview1" });
      w.start({ exports: { _start() {}, memory: M() } });
      w.start({ exports: { _start() {}, memory: M() } });
    });
    sameError((W) => {
      const w = new W({ version: "preview1" });
      w.initialize({ exports: { memory: M() } });
      w.initialize({ exports: { memory: M() } });
    });
    // As in node:wasi, a failed start still counts as started.
    sameError((W) => {
      const w = new W({ version: "preview1" });
      try { w.start(1); } catch { /* expected */ }
      w.start({ exports: { _start() {}, memory: M() } });
    });
  });

  test("wasiImport offers the same functions as node:wasi, and getImportObject wraps it", () => {
    const ours = new WASI({ version: "preview1" });
    const theirs = new NodeWASI({ version: "preview1" });
    assert.deepEqual(Object.keys(ours.wasiImport).sort(), Object.keys(theirs.wasiImport).sort());
    assert.deepEqual(ours.getImportObject(), { wasi_snapshot_preview1: ours.wasiImport });
  });

  test("start returns the proc_exit code, and 0 when _start returns", async () => {
    const w1 = new WASI({ version: "preview1", stdout: () => {} });
    assert.equal(w1.start(await instantiate(EXIT_3, w1)), 3);
    const w2 = new WASI({ version: "preview1", stdout: () => {} });
    assert.equal(w2.start(await instantiate(HELLO, w2)), 0);
  });

  test("initialize runs _initialize once and leaves the reactor callable", async () => {
    const reactor = wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (global $ready (mut i32) (i32.const 0))
      (data (i32.const 8) "\\10\\00\\00\\00\\02\\00\\00\\00ok")
      (func (export "_initialize") (global.set $ready (i32.const 1)))
      (func (export "say") (result i32)
        (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 4)))
        (global.get $ready)))`);
    const chunks = [];
    const w = new WASI({ version: "preview1", stdout: (c) => chunks.push(Buffer.from(c)) });
    const instance = await instantiate(reactor, w);
    assert.equal(w.initialize(instance), undefined);
    assert.equal(instance.exports.say(), 1);
    w.dispose();
    assert.equal(Buffer.concat(chunks).toString(), "ok");
  });

  test("stdout and stderr fds are written like node:wasi's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cove-api-"));
    try {
      const out = openSync(join(dir, "out"), "w");
      const err = openSync(join(dir, "err"), "w");
      const both = [writes(1, "to stdout"), writes(2, "to stderr")];
      const guest = command(`${both[0].body} (drop (call $fd_write (i32.const 2) (i32.const 40) (i32.const 1) (i32.const 36)))`,
        { data: `${both[0].data} (data (i32.const 40) "\\30\\00\\00\\00\\09\\00\\00\\00") (data (i32.const 48) "to stderr")` });
      const w = new WASI({ version: "preview1", stdout: out, stderr: err });
      assert.equal(w.start(await instantiate(guest, w)), 0);
      closeSync(out);
      closeSync(err);
      assert.equal(readFileSync(join(dir, "out"), "utf8"), "to stdout");
      assert.equal(readFileSync(join(dir, "err"), "utf8"), "to stderr");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a trap is rethrown as the wasm RuntimeError after earlier output is delivered", async () => {
    const guest = command(`${hello.body} (unreachable)`, { data: hello.data });
    const chunks = [];
    const w = new WASI({ version: "preview1", stdout: (c) => chunks.push(Buffer.from(c)) });
    const instance = await instantiate(guest, w);
    const e = thrown(() => w.start(instance));
    assert.ok(e instanceof WebAssembly.RuntimeError);
    assert.match(e.message, /unreachable/);
    assert.equal(Buffer.concat(chunks).toString(), "hello\n");
  });

  test("an exception in a stdout callback reaches the caller of start", async () => {
    const w = new WASI({ version: "preview1", stdout: () => { throw new Error("sink full"); } });
    const instance = await instantiate(HELLO, w);
    assert.throws(() => w.start(instance), /sink full/);
  });
});

/** A guest that copies stdin to stdout (64-byte reads; buffer at 64, iovec at 0). */
const CAT = command(`
  (block $done (loop $more
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 64))
    (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (br_if $done (i32.eqz (i32.load (i32.const 8))))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (br $more)))`);

describe("stdio forms", () => {
  const cat = async (stdin) => (await run(CAT, { stdin })).stdout;

  test("stdin as a string, bytes, or a chunk callback (null = EOF)", async () => {
    assert.equal(await cat("héllo wörld"), "héllo wörld");
    assert.equal(await cat(new TextEncoder().encode("bytes in")), "bytes in");
    const chunks = ["one ", "two ", "x".repeat(200)];
    assert.equal(await cat(() => (chunks.length ? new TextEncoder().encode(chunks.shift()) : null)), "one two " + "x".repeat(200));
  });

  test("stdin as a host fd", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cove-api-"));
    try {
      writeFileSync(join(dir, "in"), "from a file\n");
      const fd = openSync(join(dir, "in"), "r");
      assert.equal(await cat(fd), "from a file\n");
      closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("stdout callback sees every byte in order", async () => {
    const seen = [];
    const { stdout } = await run(CAT, { stdin: "a".repeat(10000), onStdout: (c) => seen.push(Buffer.from(c)) });
    assert.equal(stdout, "a".repeat(10000));
    assert.equal(Buffer.concat(seen).toString(), stdout);
  });

  test("bad stdio values are refused with a TypeError naming the option", () => {
    assert.throws(() => new WASI({ version: "preview1", stdin: {} }), { code: "ERR_INVALID_ARG_TYPE", message: /options\.stdin/ });
    assert.throws(() => new WASI({ version: "preview1", stdout: "x" }), { code: "ERR_INVALID_ARG_TYPE", message: /options\.stdout/ });
  });
});

describe("MemFS", () => {
  test("initial files, readFile as bytes or text, parents created", () => {
    const fs = new MemFS({ "/app/main.py": "print(1)", "/app/data.bin": new Uint8Array([1, 2, 3]) });
    assert.equal(fs.readFile("/app/main.py", "utf8"), "print(1)");
    assert.deepEqual(fs.readFile("/app/data.bin"), new Uint8Array([1, 2, 3]));
    assert.deepEqual(fs.readdir("/"), ["app"]);
    assert.deepEqual(fs.readdir("/app"), ["data.bin", "main.py"]);
  });

  test("mkdir, stat, symlink, readlink, rename, rm", () => {
    const fs = new MemFS();
    fs.mkdir("/a/b/c", { recursive: true });
    assert.ok(fs.stat("/a/b/c").isDirectory());
    fs.writeFile("/a/in.txt", "text");
    fs.symlink("in.txt", "/a/link");
    assert.equal(fs.readlink("/a/link"), "in.txt");
    assert.ok(fs.lstat("/a/link").isSymbolicLink());
    assert.ok(fs.stat("/a/link").isFile());
    assert.equal(fs.stat("/a/link").size, 4);
    assert.equal(fs.readFile("/a/link", "utf8"), "text");
    fs.rename("/a/in.txt", "/a/out.txt");
    assert.equal(fs.exists("/a/in.txt"), false);
    assert.equal(fs.readFile("/a/out.txt", "utf8"), "text");
    assert.throws(() => fs.rm("/a"), { code: "EISDIR" });
    fs.rm("/a", { recursive: true });
    assert.deepEqual(fs.readdir("/"), []);
    fs.rm("/missing", { force: true });
  });

  test("errors look like node:fs errors", () => {
    const fs = new MemFS({ "/f": "x" });
    assert.throws(() => fs.readFile("/nope"), { code: "ENOENT", syscall: "open", path: "/nope", message: "ENOENT: no such file or directory, open '/nope'" });
    assert.throws(() => fs.mkdir("/f"), { code: "EEXIST" });
    assert.throws(() => fs.readdir("/f"), { code: "ENOTDIR" });
    assert.throws(() => fs.readFile("/"), { code: "EISDIR" });
  });

  test("a guest sees and changes the MemFS it was given", async () => {
    const fs = new MemFS({ "/in.txt": "from the host" });
    // Opens "out.txt" (creat|trunc) in preopen fd 3 and writes "written" to it.
    const guest = command(`
      (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 7) (i32.const 9)
             (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200))
        (then (call $proc_exit (i32.const 1))))
      (drop (call $fd_write (i32.load (i32.const 200)) (i32.const 8) (i32.const 1) (i32.const 4)))`,
    { data: `(data (i32.const 8) "\\10\\00\\00\\00\\07\\00\\00\\00written") (data (i32.const 100) "out.txt")` });
    const { exitCode } = await run(guest, { fs });
    assert.equal(exitCode, 0);
    assert.equal(fs.readFile("/out.txt", "utf8"), "written");
  });

  test("subtree(): a preopen of part of a MemFS cannot reach the rest", async () => {
    const fs = new MemFS({ "/app/x": "inside", "/secret": "outside" });
    const app = fs.subtree("/app");
    assert.deepEqual(app.readdir("/"), ["x"]);
    assert.throws(() => app.readFile("/../secret"), { code: "ENOENT" }, "`..` stays inside the view");
    // path_open("../secret") from the preopen: ENOTCAPABLE (76), reported as the exit code.
    const guest = command(`
      (call $proc_exit (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 9) (i32.const 0)
        (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200)))`,
    { data: `(data (i32.const 100) "../secret")` });
    const { exitCode } = await run(guest, { preopens: { "/app": app } });
    assert.equal(exitCode, 76);
  });

  test("large files survive the engine's memory growing underneath (views re-validated)", async () => {
    const big = new Uint8Array(24 << 20);
    for (let i = 0; i < big.length; i += 4093) big[i] = i & 255;
    const fs = new MemFS({ "/big": big });
    assert.deepEqual(fs.readFile("/big"), big);
    // A guest that reads the whole file through stdin-sized chunks sees the same bytes: cat it.
    const { stdoutBytes } = await run(CAT, { stdin: fs.readFile("/big").subarray(0, 1 << 20) });
    assert.deepEqual(stdoutBytes, big.subarray(0, 1 << 20));
  });

  test("writeFile refuses what is not a string or bytes", () => {
    assert.throws(() => new MemFS().writeFile("/x", 42), TypeError);
  });
});

describe("run()", () => {
  test("returns exit code, stdout and stderr; accepts bytes or a Module", async () => {
    const r = await run(HELLO);
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, "hello\n");
    assert.equal(r.stderr, "");
    const r2 = await run(new WebAssembly.Module(EXIT_3));
    assert.equal(r2.exitCode, 3);
  });

  test("env reaches the guest (environ_sizes_get counts UTF-8 bytes)", async () => {
    // exit code = environ buffer size
    const guest = command(`(drop (call $environ_sizes_get (i32.const 0) (i32.const 4))) (call $proc_exit (i32.load (i32.const 4)))`);
    const { exitCode } = await run(guest, { env: { A: "é" } });
    assert.equal(exitCode, "A=é\0".length + 1); // é is two bytes
  });

  test("arguments and variables that a C string cannot carry are refused before the guest runs", () => {
    const refused = (options, message) =>
      assert.throws(() => new WASI({ version: "preview1", ...options }), { name: "TypeError", message });
    refused({ args: ["prog", "a\0b"] }, /argument contains a NUL byte/);
    refused({ env: { A: "x\0y" } }, /NUL byte/);
    refused({ env: { "A\0B": "1" } }, /NUL byte/);
    refused({ env: { "A=B": "1" } }, /"A=B"/);
    refused({ env: { "": "1" } }, /environment variable ""/);
    // Every other string goes through, empty ones included.
    assert.ok(new WASI({ version: "preview1", args: ["", "x", ""], env: { A: "" } }));
  });
});

describe("policy", () => {
  test("invalid policies are refused with the key named", () => {
    assert.throws(() => new WASI({ version: "preview1", policy: { nope: 1 } }), { name: "TypeError", message: /policy/ });
    assert.throws(() => new WASI({ version: "preview1", policy: { limits: { openFiles: "x" } } }), { message: /policy\.limits\.openFiles/ });
    assert.throws(() => new WASI({ version: "preview1", policy: { clock: "sometimes" } }), { message: /policy\.clock/ });
    assert.throws(() => new WASI({ version: "preview1", policy: 5 }), { code: "ERR_INVALID_ARG_TYPE" });
  });

  test("a read-only mount refuses creation, reports a denial event, and leaves the host untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cove-api-"));
    try {
      writeFileSync(join(dir, "keep.txt"), "original");
      const events = [];
      // path_open(fd 3, "new.txt", creat) -> exit with the errno
      const guest = command(`
        (call $proc_exit (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 7) (i32.const 1)
          (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200)))`,
      { data: `(data (i32.const 100) "new.txt")` });
      const { exitCode } = await run(guest, {
        policy: { mounts: [{ guest: "/data", host: dir, mode: "ro" }] },
        onEvent: (e) => events.push(e),
      });
      assert.ok([2, 63, 69, 76].includes(exitCode), `a denial errno, got ${exitCode}`);
      assert.equal(existsSync(join(dir, "new.txt")), false);
      assert.equal(readFileSync(join(dir, "keep.txt"), "utf8"), "original");
      assert.ok(events.some((e) => e.type === "denied" && /new\.txt/.test(e.path)), JSON.stringify(events));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("trace: a callback receives one line per call", async () => {
    const lines = [];
    await run(HELLO, { trace: (line) => lines.push(line) });
    assert.ok(lines.some((l) => l.includes("fd_write")), lines.join("\n"));
  });
});

describe("host directories (Node)", () => {
  // path_open(fd 3, path at 100 (len from the caller), rights all) -> exit with the errno
  const openAt = (path, oflags = 0) => command(`
    (call $proc_exit (call $path_open (i32.const 3) (i32.const 1) (i32.const 100) (i32.const ${Buffer.byteLength(path)})
      (i32.const ${oflags}) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200)))`,
  { data: `(data (i32.const 100) "${path}")` });

  test("a host symlink leading outside the preopen is not followed out", async () => {
    const outside = mkdtempSync(join(tmpdir(), "cove-outside-"));
    const dir = mkdtempSync(join(tmpdir(), "cove-api-"));
    try {
      writeFileSync(join(outside, "secret"), "host secret");
      const { symlinkSync } = await import("node:fs");
      symlinkSync(outside, join(dir, "escape"));
      symlinkSync(join(outside, "secret"), join(dir, "abs"));
      writeFileSync(join(dir, "inside"), "fine");
      assert.equal((await run(openAt("inside"), { preopens: { "/": dir } })).exitCode, 0);
      assert.equal((await run(openAt("escape/secret"), { preopens: { "/": dir } })).exitCode, 76, "ENOTCAPABLE");
      assert.equal((await run(openAt("abs"), { preopens: { "/": dir } })).exitCode, 76, "ENOTCAPABLE");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("nanosecond times a guest sets read back exactly, though Node rounds them on the host", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cove-api-"));
    try {
      writeFileSync(join(dir, "f"), "x");
      const mtim = 1_700_000_000_123_456_789n;
      // path_filestat_set_times(fd 3, follow, "f", atim = mtim = 1.7e18+123456789 ns, ATIM|MTIM),
      // then path_filestat_get into 300; exit 0 when the mtim read back (offset 48) is exact.
      const guest = wat(`(module
        (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $set (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_filestat_get" (func $get (param i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "f")
        (func (export "_start")
          (if (call $set (i32.const 3) (i32.const 1) (i32.const 100) (i32.const 1) (i64.const ${mtim}) (i64.const ${mtim}) (i32.const 5))
            (then (call $exit (i32.const 2))))
          (if (call $get (i32.const 3) (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 300))
            (then (call $exit (i32.const 3))))
          (call $exit (i64.ne (i64.load (i32.const 348)) (i64.const ${mtim})))))`);
      assert.equal((await run(guest, { preopens: { "/": dir } })).exitCode, 0);
      const { statSync } = await import("node:fs");
      const hostNs = statSync(join(dir, "f"), { bigint: true }).mtimeNs;
      assert.ok(hostNs / 1000n === mtim / 1000n, `host mtime ${hostNs} within the microsecond`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a missing host directory is refused at construction", () => {
    assert.throws(() => new WASI({ version: "preview1", preopens: { "/x": "/definitely/not/here" } }), { code: "ENOENT" });
  });
});

describe("hostile pointers", () => {
  test("addresses past 2 GiB and past the memory's end are EFAULT, never wrapped", async () => {
    // fd_write(1, iovec at 8 -> { buf, 4 }, nwritten at 4) for each buf; exit with the errnos packed.
    const probe = (buf) => command(`
      (i32.store (i32.const 8) (i32.const ${buf}))
      (i32.store (i32.const 12) (i32.const 4))
      (call $proc_exit (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 4)))`);
    for (const buf of [0x80000000, 0xfffffffe, 65536 - 2, -4]) {
      const out = [];
      const { exitCode } = await run(probe(buf), { onStdout: (c) => out.push(c) });
      assert.equal(exitCode, 21, `EFAULT for buffer ${buf}`);
      assert.equal(out.length, 0);
    }
    // nwritten pointer out of range: EFAULT too, and nothing written to memory's end.
    const guest = command(`
      (i32.store (i32.const 8) (i32.const 100))
      (i32.store (i32.const 12) (i32.const 0))
      (call $proc_exit (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const -4)))`);
    assert.equal((await run(guest)).exitCode, 21);
  });
});

test("startWorker refuses a stubImports that is not a boolean, naming the option", async () => {
  const { startWorker } = await import("../js/src/worker-client.js");
  const wasm = new Uint8Array(8); // refused before the module is looked at
  for (const stubImports of ["true", "false", 1, 0, NaN, {}, [], null]) {
    assert.throws(() => startWorker(wasm, { stubImports }), {
      code: "ERR_INVALID_ARG_TYPE",
      message: /^The "options\.stubImports" property must be of type boolean\./,
    }, String(stubImports));
  }
});
