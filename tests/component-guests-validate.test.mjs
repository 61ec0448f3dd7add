// validate() and compileComponent() over mutations of the real test components
// (tests/component-guests): truncated, bit-flipped and spliced bytes. Each mutant is either
// accepted or rejected with a ComponentError that says where (a byte offset within the input);
// never another exception, a crash of an engine or a hang (the test's timeout). The two run
// on different engines (docs/components.md, "Size"): compileComponent's leaves function bodies
// to WebAssembly.Module, whose CompileError must come out as a ComponentError too.
// Deterministic: a fixed seed per component.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { validate, compileComponent, ComponentError } from "cove";
import { COMPONENTS } from "./component-guests/cases.mjs";
import { componentGuestPath } from "../scripts/build-component-guests.mjs";

const MUTANTS_PER_KIND = 60;

/** xorshift32: the same mutants on every run. */
function random(seed) {
  let x = seed || 1;
  return (n) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function* mutants(bytes, other, rand) {
  for (let i = 0; i < MUTANTS_PER_KIND; i++) {
    // Truncated: anywhere, with a bias to the first kilobyte, where the section headers are.
    const cut = i % 2 ? rand(bytes.length) : rand(Math.min(bytes.length, 1024));
    yield [`truncated to ${cut} bytes`, bytes.subarray(0, cut)];
  }
  for (let i = 0; i < MUTANTS_PER_KIND; i++) {
    const m = bytes.slice();
    const flips = [];
    for (let k = 1 + rand(4); k > 0; k--) {
      const bit = rand(m.length * 8);
      m[bit >> 3] ^= 1 << (bit & 7);
      flips.push(bit);
    }
    yield [`bits ${flips.join(", ")} flipped`, m];
  }
  for (let i = 0; i < MUTANTS_PER_KIND; i++) {
    // Spliced: a run of bytes from another component (or this one) put in place of a run here.
    const from = rand(other.length), len = 1 + rand(Math.min(256, other.length - from));
    const at = rand(bytes.length), drop = rand(len * 2);
    const m = new Uint8Array([...bytes.subarray(0, at), ...other.subarray(from, from + len), ...bytes.subarray(at + drop)]);
    yield [`${len} bytes of another component at ${at} in place of ${drop}`, m];
  }
}

for (const [api, check] of [["validate", validate], ["compileComponent", compileComponent]]) {
  for (const [index, name] of COMPONENTS.entries()) {
    test(`${api}: ${3 * MUTANTS_PER_KIND} mutants of ${name}.wasm are accepted or rejected with a ComponentError`, { timeout: 120_000 }, async () => {
      const bytes = new Uint8Array(readFileSync(componentGuestPath(name)));
      const other = new Uint8Array(readFileSync(componentGuestPath(COMPONENTS[(index + 1) % COMPONENTS.length])));
      await check(bytes);
      let rejected = 0;
      for (const [what, m] of mutants(bytes, other, random(0x9e3779b9 + index))) {
        try {
          await check(m);
        } catch (e) {
          rejected++;
          assert.ok(e instanceof ComponentError, `${name}, ${what}: expected a ComponentError, got ${e?.stack ?? e}`);
          assert.match(e.message, /^invalid component: /, `${name}, ${what}`);
          assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= m.length, `${name}, ${what}: offset ${e.offset} outside 0..${m.length}`);
        }
      }
      assert.ok(rejected >= MUTANTS_PER_KIND, `${name}: only ${rejected} mutants rejected; are the mutations reaching the bytes?`);
      // The engine is still sound afterwards.
      await check(bytes);
    });
  }
}
