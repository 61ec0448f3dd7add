// clock_time_get and random_get with the host's real clocks and crypto random are answered in JS
// in one crossing (js/src/host-answers.js); everything else goes through the engine. These tests
// hold the two paths to the same answers: a traced context always takes the engine's path, so
// it is the reference for errnos, and the policy's frozen, virtual and seeded modes stay exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { WASI } from "cove";

const EBADF = 8, EFAULT = 21, EINVAL = 28;
const PAGE = 65536;

/** A WASI object bound to a fresh one-page memory, as a reactor would be; its imports and bytes. */
function bound(options = {}) {
  const wasi = new WASI({ version: "preview1", returnOnExit: true, ...options });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  return { calls: wasi.wasiImport, bytes: () => new Uint8Array(memory.buffer), view: () => new DataView(memory.buffer), memory, wasi };
}

const hostNow = (clock) => BigInt(Math.trunc(clock === 0 ? (performance.timeOrigin + performance.now()) * 1e6 : performance.now() * 1e6));

for (const [label, options] of [["answered in JS", {}], ["through the engine (traced)", { trace: () => {} }]]) {
  test(`real clocks, ${label}: each reading lies between host readings taken before and after it`, () => {
    const g = bound(options);
    for (const clock of [0, 1]) {
      for (const at of [8, 13, PAGE - 8]) { // aligned, unaligned, the last 8 bytes of memory
        const before = hostNow(clock);
        assert.equal(g.calls.clock_time_get(clock, 1n, at), 0);
        const after = hostNow(clock);
        const value = g.view().getBigUint64(at, true);
        assert.ok(before <= value && value <= after, `clock ${clock} at ${at}: ${before} <= ${value} <= ${after}`);
      }
    }
  });

  test(`random_get, ${label}: fills exactly the bytes asked for`, () => {
    const g = bound(options);
    for (const [at, len] of [[100, 16], [1001, 3], [2000, 256], [4000, 1000], [PAGE - 5, 5]]) {
      g.bytes().fill(0xee, at - 1, Math.min(PAGE, at + len + 1));
      assert.equal(g.calls.random_get(at, len), 0);
      const bytes = g.bytes();
      assert.equal(bytes[at - 1], 0xee, "the byte before is untouched");
      if (at + len < PAGE) assert.equal(bytes[at + len], 0xee, "the byte after is untouched");
      if (len >= 16) assert.ok(bytes.subarray(at, at + len).some((b) => b !== 0xee), "random bytes arrived");
    }
  });
}

test("clock_time_get: other clock ids and bad pointers get the engine's errno, memory untouched", () => {
  const fast = bound();
  const engine = bound({ trace: () => {} });
  for (const [id, at, expected] of [[2, 8, EBADF], [3, 8, EBADF], [4, 8, EINVAL], [-1, 8, EINVAL], [0, PAGE - 7, EFAULT], [1, PAGE, EFAULT], [0, -1, EFAULT], [1, -8, EFAULT]]) {
    for (const g of [fast, engine]) {
      const before = g.bytes().slice();
      assert.equal(g.calls.clock_time_get(id, 1n, at), expected, `id ${id} at ${at}`);
      assert.deepEqual(g.bytes(), before);
    }
  }
});

test("random_get: bad ranges get EFAULT from both paths; zero bytes is fine anywhere in range", () => {
  for (const g of [bound(), bound({ trace: () => {} })]) {
    assert.equal(g.calls.random_get(PAGE - 4, 5), EFAULT);
    assert.equal(g.calls.random_get(-1, 1), EFAULT);
    assert.equal(g.calls.random_get(0, -1), EFAULT);
    assert.equal(g.calls.random_get(PAGE, 0), 0);
  }
});

test("a grown memory is written where the guest asks, past the old end", () => {
  const g = bound();
  g.memory.grow(1);
  assert.equal(g.calls.clock_time_get(1, 1n, PAGE + 8), 0);
  assert.ok(g.view().getBigUint64(PAGE + 8, true) > 0n);
  assert.equal(g.calls.random_get(2 * PAGE - 16, 16), 0);
});

test("policy clocks stay the engine's: frozen reads exactly 0 and the epoch; a virtual clock starts where it says", () => {
  const frozen = bound({ policy: { clock: "frozen" } });
  for (const clock of [0, 1]) {
    frozen.view().setBigUint64(8, 0xffffn, true);
    assert.equal(frozen.calls.clock_time_get(clock, 1n, 8), 0);
    assert.equal(frozen.view().getBigUint64(8, true), 0n);
  }
  const start = Date.parse("2000-01-01T00:00:00Z");
  const virtual = bound({ policy: { clock: { start: "2000-01-01T00:00:00Z", rate: 0 } } });
  assert.equal(virtual.calls.clock_time_get(0, 1n, 8), 0);
  assert.equal(virtual.view().getBigUint64(8, true), BigInt(start) * 1_000_000n, "rate 0: exactly the start");
});

test("a seeded random stays the engine's: two contexts with one seed draw the same bytes", () => {
  const draws = [1, 2].map(() => {
    const g = bound({ policy: { random: { seed: 42 } } });
    assert.equal(g.calls.random_get(64, 32), 0);
    return g.bytes().slice(64, 96);
  });
  assert.deepEqual(draws[0], draws[1]);
  assert.ok(draws[0].some((b) => b !== 0));
});
