// compileComponent / instantiate (docs/components.md, "Instantiation"): the API, imports by
// interface and bare name, exports by kebab and lowerCamelCase names, values both ways, and
// canonical-ABI faults trapping with the specification's messages, on both the generated
// trampolines and the table-driven (eval-free) path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { compileComponent, instantiate, validate, ComponentError } from "../js/src/node.js";
import { root } from "./cli-helpers.mjs";

const fixture = (name) => readFileSync(join(root, "tests", "components", name));
const calls = fixture("calls.wasm");

/** Imports for calls.wasm that record what the guest passed. */
function hostImports(log = []) {
  return {
    "ns:pkg/host": {
      double: (x) => { log.push(["double", x]); return x * 2; },
      shout: (s) => { log.push(["shout", s]); return s.toUpperCase() + "!"; },
    },
    "bare-fn": (x) => { log.push(["bare", x]); return x + 1n; },
  };
}

const PATHS = [["generated trampolines", {}], ["table-driven", { tableDriven: true }]];

test("compileComponent returns a reusable compiled component; every instantiate is a fresh instance", async () => {
  const compiled = await compileComponent(calls);
  const a = await instantiate(compiled, hostImports());
  const b = await instantiate(compiled, hostImports());
  assert.equal(a.exports.add(1, 2), 3);
  assert.equal(a.exports.add(3, 4), 7);
  assert.equal(a.exports.callCount(), 2, "the first instance counted its own calls");
  assert.equal(b.exports.callCount(), 0, "the second instance has its own globals and memory");
  const fromBytes = await instantiate(calls, hostImports());
  assert.equal(fromBytes.exports.add(20, 22), 42, "instantiate also takes the bytes");
});

test("exports are reachable by kebab name and lowerCamelCase; instances by full and plain name", async () => {
  const { exports } = await instantiate(calls, hostImports());
  assert.equal(exports["call-count"], exports.callCount);
  assert.equal(typeof exports["shout-via-host"], "function");
  assert.equal(exports["ns:pkg/math"], exports.math);
  assert.equal(exports.math.checkedDiv, exports["ns:pkg/math"]["checked-div"]);
});

for (const [path, options] of PATHS) {
  test(`${path}: values both ways, host imports by interface and bare name`, async () => {
    const log = [];
    const { exports } = await instantiate(calls, hostImports(log), options);
    assert.equal(exports.add(0xffffffff, 2), 1, "u32 wraps as the core i32 add does");
    assert.equal(exports.quadruple(5), 20);
    assert.equal(exports.echo("héllo ☃ 😀"), "héllo ☃ 😀");
    assert.equal(exports.echo(""), "");
    assert.equal(exports.shoutViaHost("hi"), "HI!");
    assert.equal(exports.bareTwice(40n), 42n);
    assert.equal(exports.bareTwice(-1n), 1n);
    assert.deepEqual(log, [["double", 5], ["double", 10], ["shout", "hi"], ["bare", 40n], ["bare", 41n], ["bare", -1n], ["bare", 0n]]);
  });

  test(`${path}: a top-level result is the ok value, or throws an error carrying the err payload`, async () => {
    const { exports } = await instantiate(calls, hostImports(), options);
    assert.equal(exports.math.checkedDiv(10, 3), 3);
    assert.throws(() => exports.math.checkedDiv(1, 0), (e) => e.payload === "division by zero" && /division by zero/.test(e.message));
  });

  test(`${path}: guest faults trap with the canonical ABI's messages`, async () => {
    const { exports } = await instantiate(calls, hostImports(), options);
    const traps = (fn, text) => assert.throws(fn, (e) => e instanceof WebAssembly.RuntimeError && e.message.includes(text), text);
    traps(() => exports.badChar(), "invalid `char` bit pattern");
    traps(() => exports.badString(), "string pointer/length out of bounds of memory");
    traps(() => exports.misaligned(), "unaligned pointer");
    assert.equal(exports.add(1, 1), 2, "the instance still works after a trap");
  });
}

test("a missing import, or one that is not a function, is an error naming it", async () => {
  const compiled = await compileComponent(calls);
  await assert.rejects(instantiate(compiled, { "bare-fn": () => 0n }), /import "ns:pkg\/host" is missing/);
  await assert.rejects(instantiate(compiled, { ...hostImports(), "bare-fn": 42 }), /import "bare-fn" must be a function, got number/);
  await assert.rejects(instantiate(compiled, null), { code: "ERR_INVALID_ARG_TYPE", message: /"imports" argument must be of type object/ });
  // A function left out of an interface fails when called, naming it (jco's partial imports work).
  const { exports } = await instantiate(compiled, { ...hostImports(), "ns:pkg/host": { double: (x) => x } });
  assert.equal(exports.quadruple(3), 3);
  assert.throws(() => exports.shoutViaHost("x"), /import "ns:pkg\/host#shout" was not provided/);
});

test("imports may be keyed without the version or by lowerCamelCase members", async () => {
  const { exports } = await instantiate(calls, {
    "ns:pkg/host": { double: (x) => x * 3, shout: (s) => s },
    bareFn: (x) => x,
  });
  assert.equal(exports.quadruple(1), 9);
  assert.equal(exports.bareTwice(5n), 5n);
});

test("compileComponent rejects invalid bytes with a ComponentError", async () => {
  await assert.rejects(compileComponent(calls.subarray(0, 40)), ComponentError);
});

test("a core function body that does not validate: validate() names the body, instantiate the module", async () => {
  // compileComponent/instantiate leave bodies to WebAssembly.Module (docs/components.md, "Size").
  const bad = fixture("bad-body.wasm");
  await assert.rejects(validate(bad), (e) => {
    assert.ok(e instanceof ComponentError, String(e));
    assert.equal(e.section, "component > core module 0 > code section, function body 0");
    assert.equal(e.offset, 0x2b);
    return true;
  });
  for (const attempt of [() => compileComponent(bad), () => instantiate(bad, {})]) {
    await assert.rejects(attempt(), (e) => {
      assert.ok(e instanceof ComponentError && e instanceof WebAssembly.CompileError, String(e));
      assert.equal(e.section, "component > core module 0");
      assert.equal(e.offset, 0x2b, "V8's offset within the module, made absolute");
      assert.match(e.message, /^invalid component: Compiling function #0 failed: .*\(at byte offset 43, in component > core module 0\)$/);
      return true;
    });
  }
});

test("the generated and table-driven paths give the same results on the same calls", async () => {
  const fast = (await instantiate(calls, hostImports())).exports;
  const table = (await instantiate(calls, hostImports(), { tableDriven: true })).exports;
  for (const s of ["", "a", "日本語", "x".repeat(5000)]) assert.equal(fast.echo(s), table.echo(s));
  for (const [a, b] of [[0, 0], [1, 2], [0x7fffffff, 1], [0xffffffff, 0xffffffff]]) assert.equal(fast.add(a, b), table.add(a, b));
  for (const x of [0n, -1n, 2n ** 63n - 2n]) assert.equal(fast.bareTwice(x), table.bareTwice(x));
});

/** The host resource of resources.wasm, recording what was disposed. */
function counterImports() {
  const disposed = [];
  class Counter {
    constructor(start) { this.value = start; }
    get() { return this.value; }
    [Symbol.dispose]() { disposed.push(this.value); }
  }
  return { disposed, Counter, imports: { "ns:pkg/host-res": { Counter } } };
}

for (const [path, options] of PATHS) {
  test(`${path}: guest resources are objects of a class with methods; dispose runs the destructor`, async () => {
    const { imports } = counterImports();
    const { exports } = await instantiate(fixture("resources.wasm"), imports, options);
    const { Acc } = exports;
    const a = new Acc(5);
    assert.ok(a instanceof Acc);
    assert.equal(a.value(), 5, "a method takes `this` as the borrowed self");
    assert.equal(exports.live(), 1);
    const b = new Acc(9);
    assert.equal(exports.consume(b), 9, "own: the guest took it and dropped it");
    assert.equal(exports.live(), 1, "consume's resource.drop ran the destructor");
    assert.throws(() => exports.consume(b), /already dropped or moved/, "a moved handle cannot be passed again");
    a[Symbol.dispose]();
    assert.equal(exports.live(), 0, "[Symbol.dispose]() ran the destructor");
    a[Symbol.dispose]();
    assert.equal(exports.live(), 0, "a second dispose does nothing");
  });

  test(`${path}: host resources are instances of the imported class, disposed when the guest drops them`, async () => {
    const { imports, disposed, Counter } = counterImports();
    const { exports } = await instantiate(fixture("resources.wasm"), imports, options);
    assert.equal(exports.counterRoundtrip(7), 7, "the guest constructed, read and dropped a Counter");
    assert.deepEqual(disposed, [7]);
    const mine = new Counter(3);
    assert.equal(exports.readCounter(mine), 3, "a borrow of a JS object");
    assert.deepEqual(disposed, [7], "dropping a borrow does not dispose");
    const made = exports.makeCounter(11);
    assert.ok(made instanceof Counter, "an own<counter> result is the JS object the constructor made");
    assert.equal(made.get(), 11);
  });

  test(`${path}: handle faults trap with the spec's messages`, async () => {
    const { imports, Counter } = counterImports();
    const { exports } = await instantiate(fixture("resources.wasm"), imports, options);
    assert.throws(() => exports.dropBogus(), (e) => e instanceof WebAssembly.RuntimeError && /unknown handle index 7/.test(e.message));
    assert.throws(() => exports.keepBorrow(new Counter(1)), (e) => e instanceof WebAssembly.RuntimeError && /borrow handles still remain at the end of the call/.test(e.message));
  });
}

test("where eval is forbidden (a CSP without unsafe-eval), calls take the table-driven path", () => {
  // --disallow-code-generation-from-strings makes `new Function` throw an EvalError, as such a
  // CSP does in browsers.
  const script = `
    import { readFileSync } from "node:fs";
    import { instantiate } from ${JSON.stringify(new URL("../js/src/node.js", import.meta.url).href)};
    const { exports } = await instantiate(readFileSync(${JSON.stringify(join(root, "tests", "components", "calls.wasm"))}), {
      "ns:pkg/host": { double: (x) => 2 * x, shout: (s) => s + "!" },
      "bare-fn": (x) => x,
    });
    console.log(JSON.stringify([exports.add(2, 3), exports.echo("é"), exports.shoutViaHost("a"), exports.quadruple(3)]));
  `;
  const r = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.stderr, "");
  assert.equal(r.stdout.trim(), JSON.stringify([5, "é", "a!", 12]));
});

test("garbage bytes, imports or options are refused naming the argument and what it must be", async () => {
  const compiled = await compileComponent(calls);
  for (const bad of [42, "bytes", null, {}, [1, 2]]) {
    await assert.rejects(compileComponent(bad), { code: "ERR_INVALID_ARG_TYPE", message: /"bytes" argument must be an instance of ArrayBuffer, TypedArray or DataView/ });
    await assert.rejects(instantiate(bad, hostImports()), { code: "ERR_INVALID_ARG_TYPE", message: /"bytes" argument/ });
  }
  for (const bad of [5, "imports", true]) {
    await assert.rejects(instantiate(compiled, bad), { code: "ERR_INVALID_ARG_TYPE", message: /"imports" argument must be of type object/ });
  }
  for (const bad of [null, 5, "x"]) {
    await assert.rejects(instantiate(compiled, hostImports(), bad), { code: "ERR_INVALID_ARG_TYPE", message: /"options" argument must be of type object/ });
  }
  // "false" is truthy: before it was checked, it silently forced the table-driven path.
  for (const bad of ["false", 1, NaN, {}]) {
    await assert.rejects(instantiate(compiled, hostImports(), { tableDriven: bad }), { code: "ERR_INVALID_ARG_TYPE", message: /"options\.tableDriven" property must be of type boolean/ });
  }
  assert.equal((await instantiate(compiled, hostImports(), { tableDriven: false })).exports.quadruple(3), 12);
});
