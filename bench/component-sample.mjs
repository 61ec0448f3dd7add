// One component benchmark sample in a fresh Node process:
//   node bench/component-sample.mjs <cove|jco> <workload> <values.wasm>
// Prints one JSON line: { value, unit, ok } or { error }. Call workloads: ns per call, timed over
// ~300 ms after a warm-up, on the `values` test component (tests/component-guests), `ok` being
// whether the last result was the expected value. `load`: ms for Cove's compileComponent +
// instantiate against jco's transpile + import of the generated JS + core compile + instantiate,
// each from the component's bytes, after importing the runtime (Cove) or the jco library.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { valuesImports, mixedText, patternBytes } from "../tests/component-guests/cases.mjs";
import { expectEqual } from "../tests/component-guests/expect.mjs";
import { nodeJcoLoader } from "../tests/component-guests/jco.mjs";
import { jcoImports } from "../tests/component-guests/jco-load.mjs";

const [runtime, workload, componentPath] = process.argv.slice(2);
// bench/run.mjs points "cove" at its snapshot of js/ (COVE_BENCH_MODULE); run by hand, the package.
const coveModule = () => import(process.env.COVE_BENCH_MODULE ? pathToFileURL(process.env.COVE_BENCH_MODULE).href : "cove");

const TEXT_1K = "x".repeat(1000) + mixedText(12); // 1,024 bytes of UTF-8
const PERSON = { fullName: "Ada Lovelace", ageYears: 36, nickNames: ["Ada", "Enchantress of Number"], home: { x: 51, y: 0 } };
const MIB = patternBytes(1 << 20);

/** [export to call once, expected result, calls of the host made by one call]. */
const CALLS = {
  "scalar": (e) => [() => e.roundtrip.echoU32(0xdeadbeef), 0xdeadbeef],
  "host-call": (e) => [() => e.tickMany(100), undefined, 100],
  "string-1k": (e) => [() => e.roundtrip.echoString(TEXT_1K), TEXT_1K],
  "record": (e) => [() => e.roundtrip.echoPerson(PERSON), PERSON],
  "list-1m": (e) => [() => e.roundtrip.echoListU8(MIB), MIB],
};

function timePerCall(call, perCall = 1) {
  const started = performance.now();
  while (performance.now() - started < 100) call(); // warm-up: let both JITs settle
  let calls = 0;
  const t0 = performance.now();
  let t;
  do {
    call();
    calls++;
    t = performance.now();
  } while (t - t0 < 300);
  return ((t - t0) * 1e6) / (calls * perCall);
}

async function loadTime() {
  const bytes = readFileSync(componentPath);
  if (runtime === "cove") {
    const cove = await coveModule();
    const t0 = performance.now();
    const { exports } = await cove.instantiate(await cove.compileComponent(bytes), valuesImports().imports);
    const ms = performance.now() - t0;
    return { ms, exports };
  }
  const { transpile } = await import("@bytecodealliance/jco");
  const dir = mkdtempSync(join(tmpdir(), "cove-bench-jco-"));
  try {
    const t0 = performance.now();
    const { files } = await transpile(bytes, { name: "values", instantiation: { tag: "async" }, noTypescript: true });
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
    }
    const { instantiate } = await import(pathToFileURL(join(dir, "values.js")).href);
    const exports = await instantiate((path) => WebAssembly.compile(files[path]), jcoImports(valuesImports().imports));
    return { ms: performance.now() - t0, exports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let result;
try {
  if (workload === "load") {
    const { ms, exports } = await loadTime();
    result = { value: ms, unit: "ms", ok: exports.roundtrip.echoU8(7) === 7 };
  } else {
    let exports;
    if (runtime === "cove") {
      const cove = await coveModule();
      exports = (await cove.instantiate(await cove.compileComponent(readFileSync(componentPath)), valuesImports().imports)).exports;
    } else {
      exports = await nodeJcoLoader()("values", valuesImports().imports);
    }
    const [call, expected, perCall = 1] = CALLS[workload](exports);
    const value = timePerCall(call, perCall);
    let ok = true;
    try { expectEqual(call(), expected); } catch { ok = false; }
    result = { value, unit: "ns/call", ok };
  }
} catch (e) {
  result = { error: String(e?.stack ?? e) };
}
process.stdout.write(JSON.stringify(result) + "\n");
