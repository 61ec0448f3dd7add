// The component API in a real page (docs/components.md): the validator engine is fetched on the
// first validate() call, not by `import "cove"`, and validate() answers as in Node.
import assert from "node:assert/strict";

export default function ({ test }) {
  test("validate: the engine loads on first use; valid resolves, invalid rejects with a ComponentError", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    const r = await page.evaluate(async () => {
      const cove = await window.cove;
      const fetched = (name) => performance.getEntriesByType("resource").some((e) => e.name.includes(name));
      const fetchedEngine = () => fetched("cove_component_validator_wasm");
      const before = fetchedEngine() || fetched("cove_component_wasm");
      const bytes = async (name) => new Uint8Array(await (await fetch(`/tests/components/${name}`)).arrayBuffer());
      await cove.validate(await bytes("nested.wasm"));
      const after = fetchedEngine();
      const instantiateEngine = fetched("cove_component_wasm");
      let error;
      try {
        await cove.validate(await bytes("bad-body.wasm"));
      } catch (e) {
        error = { isComponentError: e instanceof cove.ComponentError, isCompileError: e instanceof WebAssembly.CompileError,
          name: e.name, message: e.message, offset: e.offset, section: e.section };
      }
      return { before, after, instantiateEngine, error };
    });
    assert.equal(r.before, false, "import \"cove\" must not fetch a component engine");
    assert.equal(r.after, true, "the first validate() fetches the validator engine");
    assert.equal(r.instantiateEngine, false, "validate() does not fetch the instantiation engine");
    assert.ok(r.error, "bad-body.wasm must be rejected");
    assert.ok(r.error.isComponentError && r.error.isCompileError, JSON.stringify(r.error));
    assert.equal(r.error.name, "ComponentError");
    assert.match(r.error.message, /type mismatch: expected i32, found i64/);
    assert.equal(r.error.offset, 0x2b);
    assert.equal(r.error.section, "component > core module 0 > code section, function body 0");
  });
}
