// The expectations of tests/component-guests/cases.mjs checked against jco 1.35's transpiled
// output of the same components: what Cove's tests (tests/component-guests.test.mjs) demand of
// Cove is what jco, whose value conventions Cove follows (docs/design.md), does.
import { test } from "node:test";
import { CASES } from "./component-guests/cases.mjs";
import { nodeJcoLoader } from "./component-guests/jco.mjs";

const load = nodeJcoLoader();
for (const c of CASES) {
  test(`jco 1.35: ${c.name}`, c.jco ? { skip: c.jco } : {}, () => c.run(load));
}
