// OutputCollector (js/src/output.js), what run() and runInWorker() keep of a guest's output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OutputCollector } from "../js/src/output.js";

test("a collector passes its callback's result on, so a Promise can hold a Worker's output", () => {
  const held = Promise.resolve();
  const seen = [];
  const c = new OutputCollector("stdout", 8, (chunk) => (seen.push(chunk), held));
  assert.equal(c.push(new Uint8Array([1, 2, 3])), held);
  assert.equal(new OutputCollector("stdout", 8).push(new Uint8Array(1)), undefined);
  assert.deepEqual(seen.map((s) => [...s]), [[1, 2, 3]]);
});

test("past its limit a collector throws once, names the stream, and keeps what fitted", () => {
  const c = new OutputCollector("stderr", 4);
  c.push(new Uint8Array([1, 2, 3, 4]));
  assert.throws(() => c.push(new Uint8Array([5])), (e) => e.code === "ERR_COVE_OUTPUT_LIMIT" && /stderr/.test(e.message));
  assert.equal(c.push(new Uint8Array([6])), undefined); // dropped, no second throw
  assert.deepEqual([...c.bytes()], [1, 2, 3, 4]);
});
