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
