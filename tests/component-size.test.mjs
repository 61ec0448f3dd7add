// Issue 11's budget (docs/components.md, "Size"): what a page downloads for its first
// compileComponent/instantiate, as scripts/size.mjs measures it, stays under 256 KB gzip, and
// each component API loads only its own engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { componentPathDownload } from "../scripts/size.mjs";
import { importGraph } from "../scripts/import-graph.mjs";

const BUDGET = 256 * 1024;

test("the component path (compileComponent + instantiate) is under 256 KB gzip, bundled or not", async () => {
  const { instantiate } = await componentPathDownload();
  assert.ok(instantiate.wasm.gzip > 100_000 && instantiate.js.gzip > 1_000, `measured something: ${JSON.stringify(instantiate)}`);
  assert.ok(instantiate.gzip < BUDGET, `bundled: ${instantiate.gzip} bytes`);
  assert.ok(instantiate.unbundled.gzip < BUDGET, `unbundled: ${instantiate.unbundled.gzip} bytes`);
});

test("compileComponent's code does not reach the validator engine, nor validate's the instantiation engine", async () => {
  const instantiating = (await importGraph("js/src/component/api.js", "browser")).static;
  assert.ok(instantiating.includes("js/engine/cove_component_wasm.js"), instantiating.join(", "));
  assert.ok(!instantiating.some((f) => f.includes("cove_component_validator_wasm")), instantiating.join(", "));
  const validating = (await importGraph("js/src/component/validator-api.js", "browser")).static;
  assert.ok(validating.includes("js/engine/cove_component_validator_wasm.js"), validating.join(", "));
  assert.ok(!validating.some((f) => f.includes("cove_component_wasm.js") || f.endsWith("instantiate.js")), validating.join(", "));
});
