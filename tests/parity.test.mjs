// p1/p2 parity: every Rust guest of tests/guests is built twice from the same source, as a
// wasm32-wasip1 module (build/guests) and as a wasm32-wasip2 command component
// (build/guests-p2), and each case here runs both through the same `run()` call with the same
// options, then checks the behaviour on each and that the two agree: a user never has to care
// which ABI a guest was built for. The one documented difference: `wasi:cli/exit` has only
// ok/err, so a p2 guest's non-zero exit code arrives as 1. Files: tests/parity-fs.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hex } from "./guests/harness.mjs";
import { TARGETS, runTarget, runBoth, assertSameSuccess, describeTargetRun } from "./guests/parity.mjs";

const MiB = 1024 * 1024;

test("arguments arrive byte-exact: non-ASCII, empty, '=' and spaces inside, sizes in UTF-8 bytes", async () => {
  const args = ["héllo", "", "a=b=c", "日本 🎉", " lead and trail ", "tab\there"];
  const r = await runBoth("utf8_args_env", args);
  assertSameSuccess(r);
  const argv = ["utf8_args_env", ...args];
  const sizes = `sizes args count=${argv.length} bytes=${argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0)}\n`;
  assert.ok(r.p1.out.startsWith(sizes), r.p1.out);
  const argLines = r.p1.out.split("\n").filter((l) => l.startsWith("arg "));
  assert.deepEqual(argLines, argv.map((a, i) => `arg ${i} len=${Buffer.byteLength(a)} hex=${hex(Buffer.from(a))} text=${a}`));
});

test("the environment arrives byte-exact: '=' in values, empty values, non-ASCII names and values", async () => {
  const env = { EQUALS: "a=b=c", EMPTY: "", "ÜMLAUT": "välue 日本 🎉", PATHLIKE: "/x:/y", SPACES: "  two  " };
  const r = await runBoth("env_list", [], () => ({ env }));
  assertSameSuccess(r);
  const expected = Object.entries(env).map(([k, v]) => `${k}=${v}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.equal(r.p1.out, expected.map((e) => `${e}\n`).join(""));
  const sized = await runBoth("utf8_args_env", [], () => ({ env }));
  assertSameSuccess(sized);
  const bytes = expected.reduce((n, e) => n + Buffer.byteLength(e) + 1, 0);
  assert.ok(sized.p1.out.includes(`sizes env count=${expected.length} bytes=${bytes}\n`), sized.p1.out);
});

test("100 MiB through stdin and stdout arrive byte-exact", async () => {
  // A position pattern with every byte value, so a dropped, repeated or reordered chunk shows.
  const input = new Uint8Array(100 * MiB);
  const words = new Uint32Array(input.buffer);
  for (let i = 0; i < words.length; i++) words[i] = Math.imul(i, 2654435761);
  for (const target of TARGETS) {
    const r = await runTarget(target, "stdin_echo", [], { stdin: input, maxOutput: 101 * MiB });
    assert.equal(r.exitCode, 0, describeTargetRun(target, r));
    assert.equal(r.stdout.length, input.length, target);
    assert.ok(Buffer.from(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length).equals(input), `${target}: stdout differs from stdin`);
    assert.equal(r.err, `stdin_echo: ${input.length} bytes\n`, target);
  }
});

test("frozen clock and seeded random: identical runs, and the same bytes on both targets", async () => {
  const policy = { clock: "frozen", random: { seed: 42 } };
  const first = await runBoth("clock_random", [], () => ({ policy }));
  const second = await runBoth("clock_random", [], () => ({ policy }));
  assertSameSuccess(first);
  assert.match(first.p1.out, /^realtime: \d+\nmonotonic: \d+\nrandom16: [0-9a-f]{32}\nrandom8: [0-9a-f]{16}\n$/);
  assert.equal(second.p1.out, first.p1.out);
  assert.equal(second.p2.out, first.p2.out);
  const big = await runBoth("random_bytes", ["1048576"], () => ({ policy: { random: { seed: 7 } } }));
  assertSameSuccess(big);
  assert.match(big.p1.out, /^bytes 1048576 distinct 256 fnv1a [0-9a-f]{8}\n$/);
});

test("exit codes: 0 on both; a non-zero code is kept by p1 and arrives as 1 from p2 (wasi:cli/exit is ok/err)", async () => {
  for (const [code, p2Code] of [[0, 0], [7, 1], [255, 1]]) {
    const r = await runBoth("exit_code", [String(code)]);
    assert.equal(r.p1.exitCode, code, describeTargetRun("p1", r.p1));
    assert.equal(r.p2.exitCode, p2Code, describeTargetRun("p2", r.p2));
    for (const target of TARGETS) assert.equal(r[target].out, `exit ${code}`, `${target}: output before exit is kept`);
  }
});

test("traps: run() rejects with a RuntimeError naming the trap, and the output before it is kept", async () => {
  const cases = [
    { kind: "unreachable", message: /unreachable/ },
    { kind: "oob", message: /out of bounds/ },
    { kind: "panic", message: /unreachable/, stderr: /cove test panic: the guest gave up/ },
  ];
  for (const { kind, message, stderr } of cases) {
    for (const target of TARGETS) {
      const r = await runTarget(target, "trap", [kind]);
      assert.ok(r.error instanceof WebAssembly.RuntimeError, `${kind}: ${describeTargetRun(target, r)}`);
      assert.match(r.error.message, message, `${target} ${kind}`);
      assert.equal(r.out, "before trap", `${target} ${kind}`);
      if (stderr) assert.match(r.err, stderr, `${target} ${kind}`);
    }
  }
});

test("stdin read to EOF by a REPL gives the same conversation on both targets", async () => {
  const r = await runBoth("repl", [], () => ({ stdin: "1+2\n(4-1)*-3\n7/0\n2*21\n" }));
  assertSameSuccess(r);
  assert.equal(r.p1.out, "> 3\n> -9\n> > 42\n> \n");
  assert.match(r.p1.err, /^error: /);
});
