// The component API in a real page (docs/components.md): the validator engine is fetched on the
// first validate() call, the instantiation engine on the first compileComponent(), neither by
// `import "cove"`, and both answer as in Node (in Firefox too: its CompileError words the offset
// of a bad function body its own way).
import assert from "node:assert/strict";

export const browsers = ["chromium", "firefox"];

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

  test("compileComponent: loads only the instantiation engine; a bad function body names its module", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    const r = await page.evaluate(async () => {
      const cove = await window.cove;
      const fetched = (name) => performance.getEntriesByType("resource").some((e) => e.name.includes(name));
      const bytes = async (name) => new Uint8Array(await (await fetch(`/tests/components/${name}`)).arrayBuffer());
      const { exports } = await cove.instantiate(await bytes("calls.wasm"), {
        "ns:pkg/host": { double: (x) => x * 2, shout: (s) => s }, "bare-fn": (x) => x,
      });
      const sum = exports.add(2, 3);
      let error;
      try {
        await cove.compileComponent(await bytes("bad-body.wasm"));
      } catch (e) {
        error = { isComponentError: e instanceof cove.ComponentError, message: e.message, offset: e.offset, section: e.section };
      }
      return { sum, instantiateEngine: fetched("cove_component_wasm"), validatorEngine: fetched("cove_component_validator_wasm"), error };
    });
    assert.equal(r.sum, 5);
    assert.equal(r.instantiateEngine, true, "compileComponent fetches the instantiation engine");
    assert.equal(r.validatorEngine, false, "and not the validator engine");
    assert.ok(r.error?.isComponentError, JSON.stringify(r.error));
    assert.equal(r.error.section, "component > core module 0");
    assert.equal(r.error.offset, 0x2b, `the engine's offset within the module, made absolute: ${r.error.message}`);
  });

  test("a p1 page never fetches the full engine; the first component does, and sees the page's MemFS", async (ctx) => {
    const page = await ctx.page("/tests-browser/pages/index.html");
    const r = await page.evaluate(async () => {
      const cove = await window.cove;
      const fetchedFull = () => performance.getEntriesByType("resource").some((e) => e.name.includes("cove_wasm_p2"));
      const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
      const fs = new cove.MemFS({ "/in.txt": "from the page" });
      const p1 = await cove.run(await bytes("/build/guests/hello.wasm"), { blocking: "none" });
      await cove.validate(await bytes("/tests/components/nested.wasm"));
      const afterP1 = fetchedFull();
      const command = await bytes("/build/wasip2/wasip2-command.wasm");
      const read = await cove.run(command, { args: ["cmd", "read", "/in.txt"], fs });
      const wrote = await cove.run(command, { args: ["cmd", "write", "/out.txt", "from the component"], fs });
      const p1Again = await cove.run(await bytes("/build/guests/hello.wasm"), { blocking: "none" });
      return { p1: p1.exitCode, afterP1, afterComponent: fetchedFull(), read: read.stdout, wrote: wrote.exitCode,
        seen: fs.readFile("/out.txt", "utf8"), p1Again: [p1Again.exitCode, p1Again.stdout === p1.stdout] };
    });
    assert.equal(r.p1, 0);
    assert.equal(r.afterP1, false, "a p1 guest and validate() must not fetch cove_wasm_p2_bg.wasm");
    assert.equal(r.afterComponent, true, "a command component loads the full engine");
    assert.equal(r.read, "from the page", "the MemFS made before the switch is the component's /");
    assert.equal(r.wrote, 0);
    assert.equal(r.seen, "from the component", "the component's write shows in the page's MemFS");
    assert.deepEqual(r.p1Again, [0, true], "p1 guests still run after the switch");
  });
}
