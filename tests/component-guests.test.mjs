// Cove's component runtime against the cases of tests/component-guests/cases.mjs: every
// component-model type in both directions, resources, string encodings, names — the values of
// docs/design.md ("JS values for components"). The same cases pass under jco 1.35
// (tests/component-guests-jco.test.mjs), so they pin down jco's conventions, not Cove's.
import { test } from "node:test";
import { readFileSync } from "node:fs";
import * as cove from "cove";
import { CASES, valuesImports } from "./component-guests/cases.mjs";
import { expectEqual } from "./component-guests/expect.mjs";
import { componentGuestPath } from "../scripts/build-component-guests.mjs";

const compiled = new Map();
async function load(name, imports) {
  if (!compiled.has(name)) compiled.set(name, cove.compileComponent(readFileSync(componentGuestPath(name))));
  return (await cove.instantiate(await compiled.get(name), imports)).exports;
}

for (const c of CASES) {
  test(`Cove: ${c.name}`, () => c.run(load));
}

test("Cove: instantiate takes the component's bytes as well as a compiled component", async () => {
  const bytes = readFileSync(componentGuestPath("values"));
  const { exports } = await cove.instantiate(bytes, valuesImports().imports);
  expectEqual(exports.roundtrip.echoS64(-5n), -5n, "echoS64(-5n)");
  expectEqual(exports.greet("bytes"), "hello, bytes!", "greet('bytes')");
});

for (const [path, options] of [["generated trampolines", {}], ["table-driven", { tableDriven: true }]]) {
  test(`Cove (${path}): strings of every size in a row keep their own bytes (one reused encode buffer)`, async () => {
    const { exports } = await cove.instantiate(await cove.compileComponent(readFileSync(componentGuestPath("values"))),
      valuesImports().imports, options);
    // Growing the buffer, past its limit (encoded apart), then short ones after long ones: each
    // result must be exactly its own string, not a tail of the previous one (echo-string goes
    // through the host import too, so strings are lowered twice per call).
    // 1.2 M UTF-16 units (2.8 MB of UTF-8): over the 65,536 kept in the buffer, and the guest's
    // memory grows while it is copied in and out (the trampolines must take the new buffer).
    const long = "é😀x".repeat(300_000);
    for (const s of ["abc", "x".repeat(5000), "ü".repeat(2000), long, "", "z", "日本語".repeat(700), "q"]) {
      expectEqual(exports.roundtrip.echoString(s), s, `echoString of ${s.length} units`);
    }
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    expectEqual(exports.roundtrip.echoString("a\ud800b"), "a\ufffdb", "echoString with a lone surrogate");
  });
}

test("Cove: wrong JS values fail with the same TypeError on both paths (records, lists, options, enums)", async () => {
  const bytes = readFileSync(componentGuestPath("values"));
  const ok = { fullName: "A", ageYears: 1, nickNames: [], home: undefined };
  const wrong = [
    ["echoPerson", null, /expected an object for a record, got null/],
    ["echoPerson", { ...ok, nickNames: 5 }, /expected an array for a list, got number/],
    ["echoPerson", { ...ok, nickNames: ["a", 7] }, /expected a string, got number/],
    ["echoPerson", { ...ok, home: 3 }, /expected an object for a record, got number/],
    ["echoPerson", { ...ok, ageYears: "old" }, /expected a number for u8, got string/],
    ["echoColor", "purple", /expected one of 'red', 'dark-green', 'blue', got "purple"/],
    ["echoShape", { tag: "triangle" }, /expected \{ tag, val \} with tag one of 'circle', 'rectangle', 'empty', got "triangle"/],
  ];
  for (const options of [{}, { tableDriven: true }]) {
    const { exports } = await cove.instantiate(await cove.compileComponent(bytes), valuesImports().imports, options);
    for (const [fn, value, message] of wrong) {
      let error;
      try { exports.roundtrip[fn](value); } catch (e) { error = e; }
      if (!(error instanceof TypeError) || !message.test(error.message)) {
        throw new Error(`${fn}(${JSON.stringify(value)}) with ${JSON.stringify(options)}: expected TypeError ${message}, got ${error}`);
      }
    }
    // The instance is still usable after each refused call.
    expectEqual(exports.roundtrip.echoColor("blue"), "blue", "echoColor after refusals");
  }
});
