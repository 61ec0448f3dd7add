// Behaviour of real programs under Cove's `WASI` in Node: arguments and environment (byte-exact
// UTF-8, the policy's allow-list), deterministic clocks and random, exit codes, traps, and every
// kind of stdin / stdout / stderr. The guests are the Rust programs of tests/guests.
import assert from "node:assert/strict";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { WASI, MemFS, run } from "cove";
import { runGuest, describeRun, tempDir, hex, guestModule, guestsDir, testWithKnownGaps } from "./guests/harness.mjs";

/** Tests the engine does not pass yet, by name, with the reason (reported as todo). */
const KNOWN_ENGINE_GAPS = {
};
const test = testWithKnownGaps(KNOWN_ENGINE_GAPS);

/** The lines of the guest's output that start with `prefix`. */
function linesStarting(text, prefix) {
  return text.split("\n").filter((l) => l.startsWith(prefix));
}

test("hello prints its greeting, its arguments and its environment", async () => {
  const r = await runGuest("hello", ["one", "two words"], { env: { LANG: "C" } });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(r.out, "Hello from Cove!\narg 0: hello\narg 1: one\narg 2: two words\nenv LANG=C\n");
  assert.equal(r.err, "");
});

test("non-ASCII arguments and environment arrive byte-exact, with sizes counted in UTF-8 bytes", async () => {
  const args = ["héllo", "日本", "🎉", "mixed ü 🎉 x", ""];
  const env = { GREETING: "héllo 日本 🎉", "ÜMLAUT_NAME": "välue", EMPTY: "" };
  const r = await runGuest("utf8_args_env", args, { env });
  assert.equal(r.exitCode, 0, describeRun(r));

  const argv = ["utf8_args_env", ...args];
  const argBytes = argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
  assert.ok(r.out.includes(`sizes args count=${argv.length} bytes=${argBytes}\n`), r.out);
  const entries = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const envBytes = entries.reduce((n, e) => n + Buffer.byteLength(e) + 1, 0);
  assert.ok(r.out.includes(`sizes env count=${entries.length} bytes=${envBytes}\n`), r.out);

  const argLines = linesStarting(r.out, "arg ");
  assert.deepEqual(argLines.map((l) => l.split(" text=")[0]),
    argv.map((a, i) => `arg ${i} len=${Buffer.byteLength(a)} hex=${hex(Buffer.from(a))}`));
  const envLines = linesStarting(r.out, "env ").map((l) => l.split(" text=")[0]).sort();
  assert.deepEqual(envLines, entries.map((e) => `env len=${Buffer.byteLength(e)} hex=${hex(Buffer.from(e))}`).sort());
});

test("thousands of arguments and a 1 MiB environment value arrive whole", async () => {
  const args = Array.from({ length: 5000 }, (_, i) => `arg-${i}-ü${"🎉".repeat(i % 5)}`);
  const big = "é".repeat(512 * 1024); // 1 MiB of UTF-8
  const r = await runGuest("utf8_args_env", args, { env: { BIG: big } });
  assert.equal(r.exitCode, 0, describeRun(r));
  const argv = ["utf8_args_env", ...args];
  const argBytes = argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
  assert.ok(r.out.startsWith(`sizes args count=${argv.length} bytes=${argBytes}\nsizes env count=1 bytes=${4 + 2 ** 20 + 1}\n`), r.out.slice(0, 200));
  const argLines = linesStarting(r.out, "arg ");
  assert.equal(argLines.length, argv.length);
  assert.equal(argLines[4999 + 1].split(" text=")[1], args[4999]);
  assert.equal(linesStarting(r.out, "env ")[0].split(" text=")[1], `BIG=${big}`);
});

test("without a policy or env option the guest sees no environment at all", async () => {
  process.env.COVE_GUESTS_HOST_SECRET = "must not leak";
  try {
    const r = await runGuest("env_list");
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(r.out, "");
  } finally {
    delete process.env.COVE_GUESTS_HOST_SECRET;
  }
});

test("policy env: allow-listed host variables pass through, `set` adds values, nothing else leaks", async () => {
  process.env.COVE_GUESTS_ALLOWED = "from the host ✓";
  process.env.COVE_GUESTS_SECRET = "must not leak";
  try {
    const policy = { env: { allow: ["COVE_GUESTS_ALLOWED", "COVE_GUESTS_NOT_SET_ON_HOST"], set: { HOME: "/data" } } };
    const r = await runGuest("env_list", [], { policy });
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(r.out, "COVE_GUESTS_ALLOWED=from the host ✓\nHOME=/data\n");

    // "*" passes the whole host environment; `set` overrides what passes through.
    const all = await runGuest("env_list", [], { policy: { env: { allow: ["*"], set: { COVE_GUESTS_ALLOWED: "overridden" } } } });
    const lines = all.out.split("\n");
    assert.ok(lines.includes("COVE_GUESTS_SECRET=must not leak"), all.out);
    assert.ok(lines.includes("COVE_GUESTS_ALLOWED=overridden"), all.out);
    assert.ok(!lines.includes("COVE_GUESTS_ALLOWED=from the host ✓"), all.out);
  } finally {
    delete process.env.COVE_GUESTS_ALLOWED;
    delete process.env.COVE_GUESTS_SECRET;
  }
});

test("frozen clock and seeded random make two runs byte-identical; another seed changes the bytes", async () => {
  const policy = (seed) => ({ clock: "frozen", random: { seed } });
  const first = await runGuest("clock_random", [], { policy: policy(42) });
  const second = await runGuest("clock_random", [], { policy: policy(42) });
  const otherSeed = await runGuest("clock_random", [], { policy: policy(43) });
  for (const r of [first, second, otherSeed]) assert.equal(r.exitCode, 0, describeRun(r));
  assert.match(first.out, /^realtime: \d+\nmonotonic: \d+\nrandom16: [0-9a-f]{32}\nrandom8: [0-9a-f]{16}\n$/);
  assert.deepEqual(second.stdout, first.stdout);

  const randomLines = (r) => linesStarting(r.out, "random");
  assert.notDeepEqual(randomLines(otherSeed), randomLines(first));
  assert.deepEqual(linesStarting(otherSeed.out, "realtime"), linesStarting(first.out, "realtime"));
  // Two draws from one seeded stream are not the same bytes repeated.
  const [r16, r8] = randomLines(first).map((l) => l.split(": ")[1]);
  assert.notEqual(r16.slice(0, 16), r8);
});

test("by default the clocks are real and random is not repeatable", async () => {
  const before = BigInt(Date.now()) * 1_000_000n;
  const a = await runGuest("clock_random");
  const b = await runGuest("clock_random");
  const after = BigInt(Date.now() + 1) * 1_000_000n;
  const realtime = BigInt(a.out.match(/^realtime: (\d+)$/m)[1]);
  // Within a second of the host's wall clock (hosts may derive it from a monotonic origin).
  const second = 1_000_000_000n;
  assert.ok(realtime >= before - second && realtime <= after + second, `realtime ${realtime} outside [${before}, ${after}]`);
  assert.notEqual(a.out.match(/random16: .*/)[0], b.out.match(/random16: .*/)[0]);
});

test("a virtual clock starts where the policy says", async () => {
  const start = Date.parse("2000-01-01T00:00:00Z");
  const r = await runGuest("clock_random", [], { policy: { clock: { start: "2000-01-01T00:00:00Z", rate: 1 } } });
  assert.equal(r.exitCode, 0, describeRun(r));
  const realtime = BigInt(r.out.match(/^realtime: (\d+)$/m)[1]);
  const startNs = BigInt(start) * 1_000_000n;
  // rate 1 advances with real time: bounded by an hour, far from today's date.
  assert.ok(realtime >= startNs && realtime < startNs + 3_600_000_000_000n, `realtime ${realtime}`);
});

test("exit codes come back from start(), and output written just before exit is delivered", async () => {
  for (const code of [0, 1, 3, 42, 125, 255]) {
    const r = await runGuest("exit_code", [String(code)]);
    assert.equal(r.error, undefined, describeRun(r));
    assert.equal(r.exitCode, code);
    assert.equal(r.out, `exit ${code}`);
  }
});

test("run() returns the exit code and the captured output", async () => {
  const module = await guestModule("exit_code");
  const result = await run(module, { args: ["exit_code", "9"] });
  assert.equal(result.exitCode, 9);
  const stdout = typeof result.stdout === "string" ? result.stdout : new TextDecoder().decode(result.stdout);
  assert.equal(stdout, "exit 9");
});

test("a trap surfaces as a WebAssembly.RuntimeError carrying the wasm message, after output is flushed", async () => {
  const cases = [
    { kind: "unreachable", message: /unreachable/ },
    { kind: "oob", message: /out of bounds/ },
    { kind: "panic", message: /unreachable/, stderr: /cove test panic: the guest gave up/ },
  ];
  for (const { kind, message, stderr } of cases) {
    const r = await runGuest("trap", [kind]);
    assert.ok(r.error instanceof WebAssembly.RuntimeError, `${kind}: ${describeRun(r)}`);
    assert.match(r.error.message, message, kind);
    assert.equal(r.out, "before trap", kind);
    if (stderr) assert.match(r.err, stderr, kind);
  }
});

test("run() rejects with the trap's error", async () => {
  const module = await guestModule("trap");
  await assert.rejects(run(module, { args: ["trap", "unreachable"] }), (e) => {
    assert.ok(e instanceof WebAssembly.RuntimeError, String(e));
    assert.match(e.message, /unreachable/);
    return true;
  });
});

const sampleText = "héllo\nworld 🎉\nlast line without newline";

test("stdin from a string reaches the guest byte-exact, EOF included", async () => {
  const r = await runGuest("stdin_echo", [], { stdin: sampleText });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(r.out, sampleText);
  assert.equal(r.err, `stdin_echo: ${Buffer.byteLength(sampleText)} bytes\n`);
});

test("stdin from a Uint8Array passes every byte value through unchanged", async () => {
  const bytes = new Uint8Array(256 * 40).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
  const r = await runGuest("stdin_echo", [], { stdin: bytes });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.deepEqual(r.stdout, bytes);
  assert.equal(r.err, `stdin_echo: ${bytes.length} bytes\n`);
});

test("stdin from a callback is read as the guest asks for it; null is EOF", async () => {
  const chunks = ["first chunk, ", "sécond, ", "third"];
  let calls = 0;
  const r = await runGuest("stdin_echo", [], { stdin: () => (calls < chunks.length ? chunks[calls++] : null) });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(r.out, chunks.join(""));
  assert.equal(calls, chunks.length);
});

test("a stdin callback may return more than the guest asked for: the rest is kept for later reads", async () => {
  const big = randomBytes(1024 * 1024 + 5);
  let served = false;
  const r = await runGuest("stdin_echo", [], { stdin: () => (served ? null : ((served = true), new Uint8Array(big))) });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.ok(Buffer.from(r.stdout).equals(big), "stdout differs from the one big chunk given");
});

test("stdin from a host file descriptor (fs.openSync) is read to its end", async () => {
  const { dir, cleanup } = tempDir();
  const data = randomBytes(3 * 1024 * 1024 + 11);
  const path = join(dir, "stdin.bin");
  writeFileSync(path, data);
  const fd = openSync(path, "r");
  try {
    const r = await runGuest("stdin_echo", [], { stdin: fd });
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(r.stdout.length, data.length);
    assert.ok(Buffer.from(r.stdout).equals(data), "stdout differs from the file given as stdin");
    assert.equal(r.err, `stdin_echo: ${data.length} bytes\n`);
  } finally {
    closeSync(fd);
    cleanup();
  }
});

test("stdout and stderr callbacks receive Uint8Array chunks as the guest writes, before it reads on", async () => {
  // The REPL prompts, reads a line, answers. The stdin callback records what stdout held each
  // time the guest asked for input: a live stream already shows the previous answer and prompt.
  const lines = ["1+2\n", "2*(3+4)\n", "1/0\n", "bad\n", "-(10-3)%4\n", "exit\n"];
  const stdoutSoFar = [];
  const chunks = [];
  const decoder = new TextDecoder();
  const r = await runGuest("repl", [], {
    stdout: (chunk) => chunks.push(chunk),
    stdin: () => {
      stdoutSoFar.push(chunks.map((c) => decoder.decode(c)).join(""));
      return lines.shift() ?? null;
    },
  });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.ok(chunks.every((c) => c instanceof Uint8Array));
  const out = chunks.map((c) => decoder.decode(c)).join("");
  assert.equal(out, "> 3\n> 14\n> > > -3\n> ");
  assert.deepEqual(stdoutSoFar, ["> ", "> 3\n> ", "> 3\n> 14\n> ", "> 3\n> 14\n> > ", "> 3\n> 14\n> > > ", "> 3\n> 14\n> > > -3\n> "]);
  assert.equal(r.err, "error: division by zero\nerror: unexpected 'b' at column 1\n");
});

test("repl exits 0 at end of input", async () => {
  const r = await runGuest("repl", [], { stdin: "6*7" });
  assert.equal(r.exitCode, 0, describeRun(r));
  assert.equal(r.out, "> 42\n> \n");
});

test("sleep really waits (poll_oneoff clock subscription), not returning at once", async () => {
  const started = performance.now();
  const r = await runGuest("sleep", ["120"]);
  const waited = performance.now() - started;
  assert.equal(r.exitCode, 0, describeRun(r));
  const elapsed = Number(r.out.match(/^slept 120 ms, elapsed (\d+) ms$/m)?.[1]);
  // A lower bound only, with slack for timers that wake a little early: a host that does not
  // wait at all reports ~0 ms.
  assert.ok(elapsed >= 100, r.out);
  assert.ok(waited >= 100, `the host returned after ${waited} ms`);
});

test("under a frozen clock a sleep advances guest time by exactly its length, the same every run", async () => {
  const policy = { clock: "frozen" };
  const runs = [await runGuest("sleep", ["250"], { policy }), await runGuest("sleep", ["250"], { policy })];
  for (const r of runs) {
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(r.out, "slept 250 ms, elapsed 250 ms\n");
  }
});

test("WASI objects are independent: two guests with different stdio and env in one process", async () => {
  const [a, b] = await Promise.all([
    runGuest("env_list", [], { env: { WHO: "a" } }),
    runGuest("env_list", [], { env: { WHO: "b" } }),
  ]);
  assert.equal(a.out, "WHO=a\n");
  assert.equal(b.out, "WHO=b\n");
});

test("WASI.start refuses to start twice", async () => {
  const wasi = new WASI({ version: "preview1", args: ["hello"], stdout: () => {} });
  const instance = await WebAssembly.instantiate(await guestModule("hello"), wasi.getImportObject());
  assert.equal(await wasi.start(instance), 0);
  assert.throws(() => wasi.start(instance), /already started/i);
});

test("random_get fills a 1 MiB request in one call (beyond crypto.getRandomValues' 64 KiB)", async () => {
  const r = await runGuest("random_bytes", [String(1024 * 1024)]);
  assert.equal(r.exitCode, 0, describeRun(r));
  // Over 1 MiB of real random data every byte value occurs; zeros or a repeated 64 KiB block would not.
  assert.match(r.out, /^bytes 1048576 distinct 256 fnv1a [0-9a-f]{8}\n$/);
  const again = await runGuest("random_bytes", [String(1024 * 1024)]);
  assert.notEqual(again.out, r.out);
});

test("seeded random repeats exactly for large draws too", async () => {
  const policy = { random: { seed: 7 } };
  const a = await runGuest("random_bytes", ["200000"], { policy });
  const b = await runGuest("random_bytes", ["200000"], { policy });
  assert.equal(a.exitCode, 0, describeRun(a));
  assert.match(a.out, /distinct 256/);
  assert.equal(a.out, b.out);
});

test("run() takes bytes, a MemFS as `fs`, stdin, and returns text and bytes", async () => {
  const bytes = readFileSync(join(guestsDir, "files.wasm"));
  const fs = new MemFS({ "/greeting.txt": "héllo from a MemFS" });
  const result = await run(bytes, { args: ["files", "cat", "/greeting.txt"], fs });
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, "héllo from a MemFS");

  const echoed = await run(await guestModule("stdin_echo"), { args: ["stdin_echo"], stdin: "piped in" });
  assert.equal(echoed.stdout, "piped in");
  assert.equal(echoed.stderr, "stdin_echo: 8 bytes\n");
});

test("stdout and stderr may be host file descriptors", async () => {
  const { dir, cleanup } = tempDir();
  const outPath = join(dir, "out.txt");
  const errPath = join(dir, "err.txt");
  const outFd = openSync(outPath, "w");
  const errFd = openSync(errPath, "w");
  try {
    const r = await runGuest("stdin_echo", [], { stdin: "to a file ✓", stdout: outFd, stderr: errFd });
    assert.equal(r.exitCode, 0, describeRun(r));
  } finally {
    closeSync(outFd);
    closeSync(errFd);
  }
  try {
    assert.equal(readFileSync(outPath, "utf8"), "to a file ✓");
    assert.equal(readFileSync(errPath, "utf8"), `stdin_echo: ${Buffer.byteLength("to a file ✓")} bytes\n`);
  } finally {
    cleanup();
  }
});

test("empty stdin is an immediate EOF", async () => {
  for (const stdin of ["", new Uint8Array(0), () => null]) {
    const r = await runGuest("stdin_echo", [], { stdin });
    assert.equal(r.exitCode, 0, describeRun(r));
    assert.equal(r.out, "");
    assert.equal(r.err, "stdin_echo: 0 bytes\n");
  }
});

test("stdout and stderr callbacks are called in the order the guest wrote", async () => {
  const order = [];
  const decoder = new TextDecoder();
  const r = await runGuest("interleave", ["200"], {
    stdout: (chunk) => order.push(decoder.decode(chunk)),
    stderr: (chunk) => order.push(decoder.decode(chunk)),
  });
  assert.equal(r.exitCode, 0, describeRun(r));
  const expected = Array.from({ length: 200 }, (_, i) => `out ${i}\nerr ${i}\n`).join("");
  assert.equal(order.join(""), expected);
});

test("an exception thrown by a stdio callback propagates out of start()", async () => {
  const sinkFull = await runGuest("hello", [], { stdout: () => { throw new Error("sink full"); } });
  assert.equal(sinkFull.error?.message, "sink full");
  const sourceBroke = await runGuest("stdin_echo", [], { stdin: () => { throw new Error("source broke"); } });
  assert.equal(sourceBroke.error?.message, "source broke");
});

test("a guest can run to completion inside another guest's stdout callback (a pipeline)", async () => {
  // hello | stdin_echo, synchronously: hello's first stdout chunk becomes stdin_echo's whole stdin,
  // and stdin_echo runs while hello is still inside its fd_write.
  const pending = [];
  const piped = [];
  const downstream = new WASI({
    version: "preview1", args: ["stdin_echo"], stdin: () => pending.shift() ?? null, stdout: (c) => piped.push(c), stderr: () => {},
  });
  const downstreamInstance = await WebAssembly.instantiate(await guestModule("stdin_echo"), downstream.getImportObject());
  let firstChunk;
  let downstreamCode;
  const upstream = await runGuest("hello", ["piped"], {
    stdout: (chunk) => {
      if (firstChunk) return;
      firstChunk = chunk;
      pending.push(chunk);
      downstreamCode = downstream.start(downstreamInstance);
    },
  });
  assert.equal(upstream.exitCode, 0, describeRun(upstream));
  assert.equal(downstreamCode, 0);
  assert.ok(firstChunk.length > 0);
  assert.deepEqual(Buffer.concat(piped), Buffer.from(firstChunk));
  // The engine is still sound afterwards.
  const after = await runGuest("hello", ["after"]);
  assert.match(after.out, /arg 1: after/);
});

test("a WASI reactor: initialize() runs _initialize, then its exports work across calls with stdio, env and files", async () => {
  const chunks = [];
  const fs = new MemFS({ "/data/five.txt": "12345" });
  const wasi = new WASI({
    version: "preview1", env: { GREETING: "hi ✓" }, preopens: { "/data": fs.subtree("/data") },
    stdout: (chunk) => chunks.push(chunk),
  });
  const instance = await WebAssembly.instantiate(await guestModule("reactor"), wasi.getImportObject());
  assert.equal(typeof instance.exports._initialize, "function");
  assert.equal(wasi.initialize(instance), undefined);
  const { greet, add, alloc, file_size: fileSize, memory } = instance.exports;
  const text = () => new TextDecoder().decode(Buffer.concat(chunks));
  assert.equal(greet(), 1);
  // No exit flushes a reactor's output: it must arrive by the time the call returns.
  assert.equal(text(), "hello from a reactor, call 1\nGREETING=hi ✓\n");
  assert.equal(greet(), 2);
  assert.equal(add(2, 40), 42);
  assert.equal(text(),
    "hello from a reactor, call 1\nGREETING=hi ✓\nhello from a reactor, call 2\nGREETING=hi ✓\n");

  const sizeOf = (path) => {
    const bytes = new TextEncoder().encode(path);
    const ptr = alloc(bytes.length);
    new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
    return fileSize(ptr, bytes.length);
  };
  assert.equal(sizeOf("/data/five.txt"), 5n);
  fs.writeFile("/data/five.txt", "now longer"); // the host changes the file between calls
  assert.equal(sizeOf("/data/five.txt"), 10n);
  assert.equal(sizeOf("/data/missing.txt"), -44n); // -ENOENT
});

test("start() refuses a reactor and initialize() refuses a command, as node:wasi does", async () => {
  const reactorWasi = new WASI({ version: "preview1" });
  const reactor = await WebAssembly.instantiate(await guestModule("reactor"), reactorWasi.getImportObject());
  assert.throws(() => reactorWasi.start(reactor), { code: "ERR_INVALID_ARG_TYPE", message: /_start/ });
  const commandWasi = new WASI({ version: "preview1" });
  const command = await WebAssembly.instantiate(await guestModule("hello"), commandWasi.getImportObject());
  assert.throws(() => commandWasi.initialize(command), { code: "ERR_INVALID_ARG_TYPE", message: /_start/ });
});

test("poll_oneoff on stdin: data given up front is ready, and EOF counts as readable", async () => {
  const given = await runGuest("poll_stdin", ["10000"], { stdin: "hello" });
  assert.equal(given.out, "read hello\neof\n", describeRun(given));
  const empty = await runGuest("poll_stdin", ["10000"], { stdin: "" });
  assert.equal(empty.out, "eof\n", describeRun(empty));
});

test("poll_oneoff on stdin waits for a callback that has nothing yet, and times out when nothing comes", async () => {
  // An empty Uint8Array from the callback means "nothing yet" (not EOF): poll must ask again.
  let calls = 0;
  const late = await runGuest("poll_stdin", ["10000"], {
    stdin: () => (++calls < 4 ? new Uint8Array(0) : calls === 4 ? "late" : null),
  });
  assert.equal(late.out, "read late\neof\n", describeRun(late));
  assert.ok(calls >= 5, `stdin callback called ${calls} times`);

  const started = performance.now();
  const idle = await runGuest("poll_stdin", ["150"], { stdin: () => new Uint8Array(0) });
  assert.equal(idle.out, "timeout\n", describeRun(idle));
  assert.ok(performance.now() - started >= 120, "poll returned long before its timeout");
});
