// The behaviour of Cove's component runtime, pinned down by real components
// (build/components/*.wasm, built from this folder). One list of cases, run by:
//   tests/component-guests.test.mjs      Cove's instantiate, Node
//   tests/component-guests-jco.test.mjs  jco 1.35's transpiled output of the same components, so
//                                        every expectation is checked independently of Cove
//   tests-browser/component-guests.test.mjs  Cove in Chromium and Firefox, page and Worker
// Values follow docs/design.md ("JS values for components"), which follows jco.
//
// A case is { name, component, run(load), jco? }. `load(component, imports)` resolves to the
// instance's exports. `jco: "reason"` marks a case jco cannot check (the reason is printed).
// Imports are written as Cove takes them: interfaces keyed 'ns:pkg/iface', bare functions by
// name (jco wants `{ name: { default: fn } }` for those; its runner adapts, see jcoImports).
import { expectEqual, expectThrows, expectThrowsPayload } from "./expect.mjs";

export const COMPONENTS = ["values", "strings-utf16", "strings-latin1-utf16"];

const U64_MAX = 2n ** 64n - 1n;
const S64_MIN = -(2n ** 63n);
const S64_MAX = 2n ** 63n - 1n;
const F32_MAX = 3.4028234663852886e38;

/** `n` bytes of a pattern that shifts every 256 bytes, so a misplaced block shows. */
export function patternBytes(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + (i >>> 8)) & 0xff;
  return bytes;
}

/** Text of `n` UTF-16 code units mixing 1-, 2-, 3- and 4-byte UTF-8 sequences. */
export function mixedText(n) {
  const piece = "aé☃😀 Zß€𝄞\n";
  return piece.repeat(Math.ceil(n / piece.length)).slice(0, n).replace(/[\ud800-\udbff]$/, "x");
}

const allFlags = (set) => Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`b${i}`, set.includes(i)]));
const perms = (read, write, execAll) => ({ read, write, execAll });

/** A list<node> reaching every case of `node` and three levels of nesting; `flags` as given. */
const deepNodes = (flags) => [
  { tag: "leaf", val: S64_MIN },
  { tag: "pair", val: ["name", [{ tag: "circle", val: 1 }, { tag: "empty" }]] },
  { tag: "pair", val: [undefined, []] },
  { tag: "nested", val: { tag: "ok", val: { tag: "rectangle", val: { x: -1, y: -2 } } } },
  { tag: "nested", val: { tag: "ok", val: undefined } },
  { tag: "nested", val: { tag: "err", val: ["red", "blue", "dark-green"] } },
  { tag: "flagged", val: flags },
];

// [roundtrip function (lowerCamelCase), arguments, expected result]. The guest returns its
// argument, so the expected result is also what the JS import receives in relay mode.
const ECHOES = [
  ["echoBool", [true], true],
  ["echoBool", [false], false],
  ["echoU8", [0], 0],
  ["echoU8", [255], 255],
  ["echoS8", [-128], -128],
  ["echoS8", [127], 127],
  ["echoU16", [65535], 65535],
  ["echoS16", [-32768], -32768],
  ["echoS16", [32767], 32767],
  ["echoU32", [0], 0],
  ["echoU32", [4294967295], 4294967295],
  ["echoS32", [-2147483648], -2147483648],
  ["echoS32", [2147483647], 2147483647],
  ["echoU64", [0n], 0n],
  ["echoU64", [U64_MAX], U64_MAX],
  ["echoU64", [2n ** 53n + 1n], 2n ** 53n + 1n],
  ["echoS64", [S64_MIN], S64_MIN],
  ["echoS64", [S64_MAX], S64_MAX],
  ["echoS64", [-1n], -1n],
  ["echoF32", [1.5], 1.5],
  ["echoF32", [0.1], Math.fround(0.1)],
  ["echoF32", [NaN], NaN],
  ["echoF32", [-0], -0],
  ["echoF32", [-Infinity], -Infinity],
  ["echoF32", [F32_MAX], F32_MAX],
  ["echoF64", [0.1], 0.1],
  ["echoF64", [-0], -0],
  ["echoF64", [NaN], NaN],
  ["echoF64", [Infinity], Infinity],
  ["echoF64", [Number.MIN_VALUE], Number.MIN_VALUE],
  ["echoF64", [Number.MAX_VALUE], Number.MAX_VALUE],
  ["echoChar", ["a"], "a"],
  ["echoChar", ["\0"], "\0"],
  ["echoChar", ["é"], "é"],
  ["echoChar", ["☃"], "☃"],
  ["echoChar", ["😀"], "😀"],
  ["echoChar", ["\u{10FFFF}"], "\u{10FFFF}"],
  ["echoString", [""], ""],
  ["echoString", ["héllo, wörld ☃ 😀 𝄞"], "héllo, wörld ☃ 😀 𝄞"],
  ["echoString", ["a\0b"], "a\0b"],
  ["echoString", [mixedText(1024)], mixedText(1024)],
  ["echoString", [mixedText(1 << 20)], mixedText(1 << 20)],
  // A lone surrogate cannot be UTF-8: it is lowered as U+FFFD, as TextEncoder does.
  ["echoString", ["a\ud800b"], "a\ufffdb"],

  ["echoListU8", [[]], new Uint8Array()],
  ["echoListU8", [[0, 1, 255]], Uint8Array.of(0, 1, 255)],
  ["echoListU8", [Uint8Array.of(7, 8, 9)], Uint8Array.of(7, 8, 9)],
  ["echoListS8", [[-128, 0, 127]], Int8Array.of(-128, 0, 127)],
  ["echoListU16", [[0, 65535]], Uint16Array.of(0, 65535)],
  ["echoListS16", [Int16Array.of(-32768, 32767)], Int16Array.of(-32768, 32767)],
  ["echoListU32", [[0, 4294967295]], Uint32Array.of(0, 4294967295)],
  ["echoListS32", [[-2147483648, 2147483647]], Int32Array.of(-2147483648, 2147483647)],
  ["echoListU64", [[0n, U64_MAX]], BigUint64Array.of(0n, U64_MAX)],
  ["echoListS64", [BigInt64Array.of(S64_MIN, S64_MAX)], BigInt64Array.of(S64_MIN, S64_MAX)],
  ["echoListF32", [[1.5, NaN, -0, Infinity]], Float32Array.of(1.5, NaN, -0, Infinity)],
  ["echoListF64", [Float64Array.of(0.1, NaN, -0)], Float64Array.of(0.1, NaN, -0)],
  ["echoListBool", [[true, false, true]], [true, false, true]],
  ["echoListChar", [["a", "😀", "é"]], ["a", "😀", "é"]],
  ["echoListString", [["", "a", "😀"]], ["", "a", "😀"]],
  ["echoListPoint", [[{ x: 1, y: -1 }, { x: 2147483647, y: -2147483648 }]], [{ x: 1, y: -1 }, { x: 2147483647, y: -2147483648 }]],
  ["echoListTuple", [[[1, "a"], [255, "😀"]]], [[1, "a"], [255, "😀"]]],
  ["echoListOption", [[1, undefined, 0, null]], [1, undefined, 0, undefined]],
  ["echoListList", [[[1], [], [2, 3]]], [Uint16Array.of(1), new Uint16Array(), Uint16Array.of(2, 3)]],

  ["echoPoint", [{ x: -5, y: 7 }], { x: -5, y: 7 }],
  ["echoPerson", [{ fullName: "Ada Lovelace", ageYears: 36, nickNames: ["Ada", "Enchantress"], home: { x: 1, y: 2 } }],
    { fullName: "Ada Lovelace", ageYears: 36, nickNames: ["Ada", "Enchantress"], home: { x: 1, y: 2 } }],
  ["echoPerson", [{ fullName: "", ageYears: 0, nickNames: [], home: undefined }],
    { fullName: "", ageYears: 0, nickNames: [], home: undefined }],
  ["echoWide", [{ a: 255, b: -128, c: 65535, d: -32768, e: 4294967295, f: -2147483648, g: U64_MAX, h: S64_MIN,
    i: 0.5, j: -0, k: "😀", l: true, m: "wide", n: [1, 2], o: 42, p: { write: true } }],
  { a: 255, b: -128, c: 65535, d: -32768, e: 4294967295, f: -2147483648, g: U64_MAX, h: S64_MIN,
    i: 0.5, j: -0, k: "😀", l: true, m: "wide", n: Uint8Array.of(1, 2), o: 42, p: perms(false, true, false) }],
  ["echoTuple", [[255, -1n, "t", 0.1]], [255, -1n, "t", Math.fround(0.1)]],
  ["echoShape", [{ tag: "circle", val: 2.5 }], { tag: "circle", val: 2.5 }],
  ["echoShape", [{ tag: "rectangle", val: { x: 3, y: 4 } }], { tag: "rectangle", val: { x: 3, y: 4 } }],
  ["echoShape", [{ tag: "empty" }], { tag: "empty" }],
  ["echoColor", ["red"], "red"],
  ["echoColor", ["dark-green"], "dark-green"],
  ["echoColor", ["blue"], "blue"],
  ["echoPerms", [{}], perms(false, false, false)],
  ["echoPerms", [{ read: true, execAll: true }], perms(true, false, true)],
  ["echoMany", [{ b0: true, b31: true }], allFlags([0, 31])],
  ["echoMany", [allFlags(Array.from({ length: 32 }, (_, i) => i))], allFlags(Array.from({ length: 32 }, (_, i) => i))],
  ["echoOptionU32", [undefined], undefined],
  ["echoOptionU32", [null], undefined],
  ["echoOptionU32", [0], 0],
  ["echoOptionU32", [4294967295], 4294967295],
  ["echoOptionString", [undefined], undefined],
  ["echoOptionString", [""], ""],
  ["echoOptionString", ["some"], "some"],
  // Nested options: the outer one is { tag, val }, the inner one a value or undefined.
  ["echoOptionOption", [{ tag: "none" }], { tag: "none" }],
  ["echoOptionOption", [{ tag: "some", val: undefined }], { tag: "some", val: undefined }],
  ["echoOptionOption", [{ tag: "some", val: 3 }], { tag: "some", val: 3 }],
  ["echoResults", [[{ tag: "ok", val: 1 }, { tag: "err" }, { tag: "ok" }, { tag: "ok", val: { x: 1, y: 2 } }]],
    [{ tag: "ok", val: 1 }, { tag: "err", val: undefined }, { tag: "ok", val: undefined }, { tag: "ok", val: { x: 1, y: 2 } }]],
  ["echoResults", [[{ tag: "err", val: "no" }, { tag: "ok" }, { tag: "err", val: "blue" }, { tag: "err" }]],
    [{ tag: "err", val: "no" }, { tag: "ok", val: undefined }, { tag: "err", val: "blue" }, { tag: "err", val: undefined }]],
  ["echoNodes", [deepNodes({ b5: true, b30: true })], deepNodes(allFlags([5, 30]))],
  // 14 parameters, 19 flat values: more than 16, so they are passed through memory.
  ["echoArgs", [255, -32768, 4294967295, S64_MIN, 0.5, -0, "😀", "text", true, { x: 1, y: 2 }, [9, 8], U64_MAX, "blue", { read: true }],
    [255, -32768, 4294967295, S64_MIN, 0.5, -0, "😀", "text", true, { x: 1, y: 2 }, Uint8Array.of(9, 8), U64_MAX, "blue", perms(true, false, false)]],
];

/**
 * The imports the `values` component needs. Its `roundtrip` functions return what they receive
 * and record it in `received` (as [function, arguments]); `log` lines and `tick` calls are counted.
 */
export function valuesImports(Counter = HostCounter) {
  const received = [];
  const logged = [];
  let ticks = 0;
  const roundtrip = new Proxy({}, {
    get(_, name) {
      if (typeof name !== "string") return undefined;
      if (name === "fallible" || name === "fallibleUnit") {
        // An imported function's own result: return the ok value, throw the err one as `payload`.
        return (x) => {
          received.push([name, [x]]);
          if (x.tag === "err") throw Object.assign(new Error(`host ${name} failed`), { payload: x.val });
          return x.val;
        };
      }
      if (name === "echoArgs") return (...args) => (received.push([name, args]), args);
      return (x) => (received.push([name, [x]]), x);
    },
    has: (_, name) => typeof name === "string" && name.startsWith("echo") || name === "fallible" || name === "fallibleUnit",
  });
  return {
    received, logged, ticks: () => ticks,
    imports: {
      "test:values/roundtrip": roundtrip,
      "test:values/host-resources": { Counter },
      "test:values/types": {},
      log: (message) => { logged.push(message); },
      tick: () => { ticks++; },
    },
  };
}

/** The host resource `counter`, as a JS class (a test that watches drops adds [Symbol.dispose]). */
export class HostCounter {
  constructor(start) {
    this.value = start;
  }
  get() {
    return this.value;
  }
  bump(by) {
    this.value += by;
  }
}

const roundtripOf = (exports) => exports["test:values/roundtrip"];
const describeArgs = (args) => args.map((a) => (typeof a === "string" && a.length > 40 ? `<${a.length} chars>`
  : typeof a === "bigint" ? `${a}n` : ArrayBuffer.isView(a) ? `${a.constructor.name}(${a.length})`
    : Object.is(a, -0) ? "-0" : JSON.stringify(a, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(a))).join(", ");

// One `values` instance per loader for the echo cases (they keep no state but the relay flag,
// which each case sets): instantiating jco's output takes ~300 ms.
const shared = new WeakMap();
function sharedValues(load) {
  if (!shared.has(load)) {
    const host = valuesImports();
    shared.set(load, load("values", host.imports).then((exports) => ({ host, exports })));
  }
  return shared.get(load);
}

function echoCases() {
  const cases = [];
  for (const relay of [false, true]) {
    const byFunction = new Map();
    for (const entry of ECHOES) {
      if (!byFunction.has(entry[0])) byFunction.set(entry[0], []);
      byFunction.get(entry[0]).push(entry);
    }
    for (const [fn, entries] of byFunction) {
      cases.push({
        name: `${relay ? "JS → guest → JS import → guest → JS" : "JS → guest → JS"}: ${fn}`,
        component: "values",
        async run(load) {
          const { host, exports } = await sharedValues(load);
          exports.setRelay(relay);
          for (const [, args, expected] of entries) {
            const what = `${fn}(${describeArgs(args)})`;
            host.received.length = 0;
            expectEqual(roundtripOf(exports)[fn](...args), expected, what);
            if (relay) {
              expectEqual(host.received.length, 1, `${what}: calls of the JS import`);
              expectEqual(host.received[0][1], fn === "echoArgs" ? expected : [expected], `${what}: what the JS import received`);
            } else {
              expectEqual(host.received.length, 0, `${what}: calls of the JS import`);
            }
          }
        },
      });
    }
    cases.push({
      name: `${relay ? "JS → guest → JS import → guest → JS" : "JS → guest → JS"}: a function's own result: ok returns, err throws with payload`,
      component: "values",
      async run(load) {
        const { host, exports } = await sharedValues(load);
        exports.setRelay(relay);
        host.received.length = 0;
        const rt = roundtripOf(exports);
        expectEqual(rt.fallible({ tag: "ok", val: "fine" }), "fine", "fallible(ok)");
        await expectThrowsPayload(() => rt.fallible({ tag: "err", val: { code: 404, message: "not found" } }),
          { code: 404, message: "not found" }, "fallible(err)");
        expectEqual(rt.fallibleUnit({ tag: "ok" }), undefined, "fallibleUnit(ok)");
        await expectThrowsPayload(() => rt.fallibleUnit({ tag: "err", val: "bad" }), "bad", "fallibleUnit(err)");
        if (relay) {
          expectEqual(host.received.map(([name, [x]]) => [name, x]), [
            ["fallible", { tag: "ok", val: "fine" }], ["fallible", { tag: "err", val: { code: 404, message: "not found" } }],
            ["fallibleUnit", { tag: "ok", val: undefined }], ["fallibleUnit", { tag: "err", val: "bad" }],
          ], "what the JS imports received");
        }
      },
    });
    cases.push({
      name: `${relay ? "JS → guest → JS import → guest → JS" : "JS → guest → JS"}: a 64 MiB list<u8>`,
      component: "values",
      async run(load) {
        const host = valuesImports();
        const exports = await load("values", host.imports);
        exports.setRelay(relay);
        const big = patternBytes(64 << 20);
        const back = roundtripOf(exports).echoListU8(big);
        expectEqual(back, big, "echoListU8(64 MiB)");
        if (relay) expectEqual(host.received[0][1][0], big, "what the JS import received");
      },
    });
  }
  return cases;
}

const otherCases = [
  {
    name: "every instantiation is a fresh instance: own memory, globals and handle tables",
    component: "values",
    async run(load) {
      const first = valuesImports();
      const second = valuesImports();
      const a = await load("values", first.imports);
      const b = await load("values", second.imports);
      a.setRelay(true);
      expectEqual(roundtripOf(a).echoU8(1), 1, "first instance: echoU8(1)");
      expectEqual(roundtripOf(b).echoU8(2), 2, "second instance: echoU8(2)");
      expectEqual(first.received.length, 1, "first instance's imports called (relay on)");
      expectEqual(second.received.length, 0, "second instance's imports called (relay off there)");
      const acc = new a.resources.Accumulator(1n);
      expectEqual(a.resources.liveAccumulators(), 1, "first instance: live accumulators");
      expectEqual(b.resources.liveAccumulators(), 0, "second instance: live accumulators");
      await expectThrows(() => b.resources.peek(acc), "second instance borrowing the first one's accumulator");
      acc[Symbol.dispose]();
      expectEqual(a.resources.liveAccumulators(), 0, "first instance: live accumulators after dispose");
    },
  },
  {
    name: "exports by lowerCamelCase and kebab name; an exported interface by 'ns:pkg/iface' and its plain name",
    component: "values",
    jco: "jco names exports in lowerCamelCase only",
    async run(load) {
      const host = valuesImports();
      const exports = await load("values", host.imports);
      expectEqual(exports.roundtrip, exports["test:values/roundtrip"], "exports.roundtrip");
      expectEqual(exports.resources, exports["test:values/resources"], "exports.resources");
      expectEqual(exports["set-relay"], exports.setRelay, "exports['set-relay']");
      expectEqual(exports["tick-many"], exports.tickMany, "exports['tick-many']");
      expectEqual(exports.roundtrip["echo-u8"](200), 200, "roundtrip['echo-u8'](200)");
      expectEqual(exports.roundtrip["echo-list-u64"]([1n]), BigUint64Array.of(1n), "roundtrip['echo-list-u64']([1n])");
      expectEqual(exports.resources["live-accumulators"](), 0, "resources['live-accumulators']()");
    },
  },
  {
    name: "exports: an interface by 'ns:pkg/iface' and plain name; bare functions",
    component: "values",
    async run(load) {
      const host = valuesImports();
      const exports = await load("values", host.imports);
      for (const key of ["roundtrip", "test:values/roundtrip", "resources", "test:values/resources"]) {
        if (typeof exports[key] !== "object" || exports[key] === null) throw new Error(`exports[${JSON.stringify(key)}] is not an object`);
      }
      for (const key of ["setRelay", "greet", "tickMany"]) {
        if (typeof exports[key] !== "function") throw new Error(`exports.${key} is not a function`);
      }
    },
  },
  {
    name: "bare function import and export: greet calls the imported log",
    component: "values",
    async run(load) {
      const host = valuesImports();
      const exports = await load("values", host.imports);
      expectEqual(exports.greet("Cove ☃"), "hello, Cove ☃!", "greet('Cove ☃')");
      expectEqual(host.logged, ["hello, Cove ☃!"], "log lines");
      exports.tickMany(1000);
      expectEqual(host.ticks(), 1000, "tick calls after tickMany(1000)");
    },
  },
  {
    name: "imports keyed by kebab name are accepted as well",
    component: "values",
    jco: "jco looks imports up by lowerCamelCase only",
    async run(load) {
      const host = valuesImports();
      const received = [];
      const imports = { ...host.imports, "test:values/roundtrip": { "echo-u8": (x) => (received.push(x), x + 1) } };
      const exports = await load("values", imports);
      exports.setRelay(true);
      expectEqual(exports.roundtrip.echoU8(41), 42, "echoU8(41) through an import named echo-u8");
      expectEqual(received, [41], "what echo-u8 received");
    },
  },
  {
    name: "guest resource: constructor, methods, static method, borrow and own parameters, [Symbol.dispose] runs the destructor",
    component: "values",
    async run(load) {
      const host = valuesImports();
      const { resources } = await load("values", host.imports);
      const { Accumulator } = resources;
      expectEqual(typeof Accumulator, "function", "typeof resources.Accumulator");
      const a = new Accumulator(5n);
      expectEqual(a instanceof Accumulator, true, "new Accumulator(5n) instanceof Accumulator");
      a.add(3n);
      expectEqual(a.total(), 8n, "a.total() after add(3n)");
      a.add(-(2n ** 63n));
      a.add(2n ** 63n - 1n);
      expectEqual(a.total(), 7n, "a.total() after adding s64 extremes");
      expectEqual(resources.liveAccumulators(), 1, "live accumulators after one constructor");
      const b = new Accumulator(10n);
      const merged = Accumulator.merge(a, b);
      expectEqual(merged instanceof Accumulator, true, "Accumulator.merge(a, b) instanceof Accumulator");
      expectEqual(merged.total(), 17n, "merged.total()");
      expectEqual(resources.peek(b), 10n, "peek(b) (borrow)");
      expectEqual(b.total(), 10n, "b.total() after lending it");
      expectEqual(resources.liveAccumulators(), 3, "live accumulators");
      merged[Symbol.dispose]();
      expectEqual(resources.liveAccumulators(), 2, "live accumulators after merged[Symbol.dispose]()");
      expectEqual(resources.consume(b), 10n, "consume(b) (own: the guest drops it)");
      expectEqual(resources.liveAccumulators(), 1, "live accumulators after consume(b)");
      await expectThrows(() => b.total(), "b.total() after b was moved into the guest");
      a[Symbol.dispose]();
      expectEqual(resources.liveAccumulators(), 0, "live accumulators after a[Symbol.dispose]()");
    },
  },
  {
    name: "host resource: a JS class the guest constructs, borrows, owns and drops ([Symbol.dispose] called)",
    component: "values",
    async run(load) {
      class Counter extends HostCounter {}
      const disposed = [];
      Counter.prototype[Symbol.dispose] = function () { disposed.push(this.value); };
      const host = valuesImports(Counter);
      const { resources } = await load("values", host.imports);
      const mine = new Counter(10);
      expectEqual(resources.bumpCounter(mine, 3), 13, "bumpCounter(counter(10), 3) (borrow)");
      expectEqual(mine.value, 13, "the JS object after the guest bumped it");
      expectEqual(disposed, [], "nothing disposed after a borrow");
      const made = resources.makeCounter(4);
      expectEqual(made instanceof Counter, true, "makeCounter(4) returns an instance of the imported class");
      expectEqual(made.get(), 4, "makeCounter(4).get()");
      expectEqual(resources.takeCounter(new Counter(42)), 42, "takeCounter(counter(42)) (own)");
      expectEqual(disposed, [42], "counters disposed after the guest dropped the one it owned");
    },
  },
  {
    name: "utf16 strings: echo, relay through a JS import, length in code units, a greeting stored as UTF-16",
    component: "strings-utf16",
    async run(load) {
      const seen = [];
      const exports = await load("strings-utf16", { "host-echo": (s) => (seen.push(s), `${s}!`) });
      for (const s of ["", "abc", "héllo", "h😀", "☃".repeat(1000), mixedText(70_000)]) {
        expectEqual(exports.echo(s), s, `echo(${describeArgs([s])})`);
        expectEqual(exports.units(s), s.length, `units(${describeArgs([s])})`);
        expectEqual(exports.relay(s), `${s}!`, `relay(${describeArgs([s])})`);
        expectEqual(seen.pop(), s, `what host-echo received for ${describeArgs([s])}`);
      }
      expectEqual(exports.greeting(), "héllo, wörld ☃ 😀", "greeting()");
    },
  },
  {
    name: "latin1+utf16 strings: Latin-1 when every char fits, else UTF-16 with the length's bit 31 set",
    component: "strings-latin1-utf16",
    jco: "jco 1.35 cannot transpile latin1+utf16 (js-component-bindgen panics: only UTF8 and UTF16 are implemented)",
    async run(load) {
      const seen = [];
      const exports = await load("strings-latin1-utf16", { "host-echo": (s) => (seen.push(s), `${s}☃`) });
      const UTF16 = 2 ** 31;
      for (const [s, units] of [["", 0], ["abc", 3], ["héllo ÿ", 7], ["h😀", UTF16 + 3], ["snow ☃", UTF16 + 6]]) {
        expectEqual(exports.echo(s), s, `echo(${describeArgs([s])})`);
        expectEqual(exports.units(s), units, `units(${describeArgs([s])})`);
        expectEqual(exports.relay(s), `${s}☃`, `relay(${describeArgs([s])})`);
        expectEqual(seen.pop(), s, `what host-echo received for ${describeArgs([s])}`);
      }
      expectEqual(exports.greetingLatin1(), "héllo, wörld ×", "greetingLatin1()");
      expectEqual(exports.greetingUtf16(), "snow ☃ 😀", "greetingUtf16()");
    },
  },
];

/** Every case, in a stable order. */
export const CASES = [...echoCases(), ...otherCases];
