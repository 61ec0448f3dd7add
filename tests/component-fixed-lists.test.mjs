// Fixed-length lists (`list<T, n>`, docs/components.md "Lifting and lowering") through
// instantiate, on the generated trampolines and the table-driven path: in JS an Array of n,
// in the canonical ABI n elements in place (flat when they fit, else through memory).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { instantiate } from "../js/src/node.js";
import { root } from "./cli-helpers.mjs";

const bytes = readFileSync(join(root, "tests", "components", "fixed-lists.wasm"));
const PATHS = [["generated trampolines", {}], ["table-driven", { tableDriven: true }]];

for (const [path, options] of PATHS) {
  const start = async (log = []) => (await instantiate(bytes, {
    pairs: (p) => { log.push(p); return [p[0][0] + 1, p[1][1] + 1]; },
  }, options)).exports;

  test(`${path}: fixed-length lists as flat parameters, results through memory and spilled parameters`, async () => {
    const e = await start();
    assert.equal(e.sum3([1, 2, 3]), 6);
    assert.equal(e.sum3(Uint32Array.of(0xffffffff, 1, 0)), 0, "a typed array of the right length; u32 wraps in the core add");
    assert.deepEqual(e.reverse3([1, 2, 300]), [44, 2, 1], "u8 lowered from its low byte, lifted back as an Array");
    assert.equal(e.firstAndLast(Array.from({ length: 20 }, (_, i) => i + 1)), 20_001, "twenty u16s through memory");
    assert.deepEqual(e.swap(["a", "日本"]), ["日本", "a"], "strings inside: pointers in place");
  });

  test(`${path}: a host import takes and returns fixed-length lists`, async () => {
    const log = [];
    const e = await start(log);
    assert.deepEqual(e.viaHost(), [2, 101]);
    assert.deepEqual(log, [[[1, -1], [200, 100]]], "tuple<u8, s8> elements lifted from the guest's flat values");
  });

  test(`${path}: the wrong length or a non-array is a TypeError; a misaligned result traps`, async () => {
    const e = await start();
    assert.throws(() => e.sum3([1, 2]), { name: "TypeError", message: "expected 3 elements for a fixed-length list, got 2" });
    assert.throws(() => e.sum3([1, 2, 3, 4]), { name: "TypeError", message: "expected 3 elements for a fixed-length list, got 4" });
    assert.throws(() => e.firstAndLast("x".repeat(20)), { name: "TypeError", message: "expected an array for a fixed-length list, got string" });
    assert.throws(() => e.misaligned(), (err) => err instanceof WebAssembly.RuntimeError && err.message === "unaligned pointer");
    const bad = await instantiate(bytes, { pairs: () => [1] }, options);
    assert.throws(() => bad.exports.viaHost(), { name: "TypeError", message: "expected 2 elements for a fixed-length list, got 1" });
  });
}
