// Runs the component-model reference tests (the upstream suite's .wast files, converted to JSON
// command lists plus .wasm files; see docs/components.md) through Cove's public component API
// and checks them against passing.txt, the ratchet of commands known to pass.
//
//   node tests/component-model/run.mjs [--update] [--verbose] [--table-driven]
//
// Instantiation commands run under `instantiate` with the generated trampolines, or with
// --table-driven on the eval-free path; both must pass the same passing.txt.
//
// The suite's location: $COVE_COMPONENT_TESTS, by default ../shared/component-model-tests next
// to the repository. Every directory but async/ runs. Prints per-directory counts, each failure
// with its reason, and the commands that now pass but passing.txt does not list yet. Exits
// non-zero when a command listed in passing.txt no longer passes. --update rewrites passing.txt
// to the commands passing now.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireSuite } from "../../scripts/suites.mjs";
import { validate, compileComponent, instantiate, ComponentError } from "../../js/src/node.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const suite = requireSuite("component-model-tests");
const ratchetPath = join(here, "passing.txt");
const update = process.argv.includes("--update");
const verbose = process.argv.includes("--verbose");
// async/ needs component-model async (streams, futures, tasks): a later stage.
const SKIPPED_DIRECTORIES = new Set(["async"]);
// The tally jco 1.35 reaches on the same commands, printed for comparison.
const JCO_PASSING = 947;

// wast semantics (the suite's README): `module` instantiates and becomes the current instance;
// `module_definition` compiles a named (or anonymous) definition; `module_instance` instantiates
// one under a name (and makes it current); actions run on the named or current instance.
const state = { current: null, definitions: new Map(), instances: new Map(), lastDefinition: null };
const tableDriven = process.argv.includes("--table-driven");

/** Runs one command; returns null when it passes, else the reason it does not. */
async function runCommand(command, wasmPath) {
  const type = command.type;
  if (type === "module" && command.module_type === "binary") {
    const bytes = readFileSync(wasmPath);
    let compiled;
    try {
      compiled = await compileComponent(bytes);
    } catch (e) {
      state.current = null;
      return { reason: `rejected: ${e.message}` };
    }
    try {
      state.current = (await instantiate(compiled, {}, { tableDriven })).exports;
      if (command.name) state.instances.set(command.name, state.current);
    } catch (e) {
      state.current = null;
      return { reason: `instantiate threw ${e?.name}: ${e?.message}` };
    }
    return null;
  }
  if (type === "module_definition" && command.module_type === "binary") {
    try {
      const compiled = await compileComponent(readFileSync(wasmPath));
      state.lastDefinition = compiled;
      if (command.name) state.definitions.set(command.name, compiled);
    } catch (e) {
      return { reason: `rejected: ${e.message}` };
    }
    return null;
  }
  if (type === "module_instance") {
    const compiled = command.module ? state.definitions.get(command.module) : state.lastDefinition;
    if (!compiled) return { reason: `no module definition ${command.module ?? "(anonymous)"}` };
    try {
      state.current = (await instantiate(compiled, {}, { tableDriven })).exports;
      if (command.instance) state.instances.set(command.instance, state.current);
    } catch (e) {
      state.current = null;
      return { reason: `instantiate threw ${e?.name}: ${e?.message}` };
    }
    return null;
  }
  if (type === "assert_uninstantiable") {
    try {
      await instantiate(readFileSync(wasmPath), {}, { tableDriven });
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError && e.message.includes(expectedText(command.text))) return null;
      return { reason: `threw ${e?.name}: ${e?.message}; expected a trap "${command.text}"` };
    }
    return { reason: `instantiated; expected a trap "${command.text}"` };
  }
  if (type === "assert_return" || type === "assert_trap" || type === "action") {
    const action = command.action;
    const target = action.module ? state.instances.get(action.module) : state.current;
    if (!target) return { reason: "no instance to invoke" };
    const fn = target[action.field];
    if (typeof fn !== "function") return { reason: `the instance exports no function "${action.field}"` };
    let got;
    try {
      got = fn(...action.args.map(jsArgument));
    } catch (e) {
      if (type === "assert_trap") {
        if (e instanceof WebAssembly.RuntimeError && e.message.includes(expectedText(command.text))) return null;
        return { reason: `threw ${e?.name}: ${e?.message}; expected a trap "${command.text}"` };
      }
      return { reason: `threw ${e?.name}: ${e?.message}` };
    }
    if (type === "assert_trap") return { reason: `returned ${show(got)}; expected a trap "${command.text}"` };
    if (type === "assert_return") {
      const expected = command.expected.length === 0 ? undefined : jsExpected(command.expected[0]);
      if (!sameValue(got, expected)) return { reason: `returned ${show(got)}, expected ${show(expected)}` };
    }
    return null;
  }
  if (type === "module" || type === "module_definition" || type === "assert_invalid" || type === "assert_malformed") {
    if (command.module_type !== "binary") return { notRun: "text-format modules need a .wat parser, which Cove does not ship" };
    const bytes = readFileSync(wasmPath);
    let error = null;
    try {
      await validate(bytes);
    } catch (e) {
      if (!(e instanceof ComponentError)) return { reason: `validate threw ${e?.name ?? typeof e} instead of a ComponentError: ${e?.message ?? e}` };
      error = e;
    }
    const shouldFail = type === "assert_invalid" || type === "assert_malformed";
    if (shouldFail && !error) return { reason: `accepted; expected it rejected with "${command.text}"` };
    if (!shouldFail && error) return { reason: `rejected: ${error.message}` };
    return null;
  }
  return { notRun: `command ${type} is not supported` };
}

/** wasmtime prefixes trap messages with "wasm trap: "; the trap's own text is what counts. */
function expectedText(text) {
  return text.replace(/^wasm trap: /, "");
}

/** A JSON-encoded argument as the JS value docs/design.md's table gives it. */
function jsArgument(a) {
  switch (a.type) {
    case "bool": return a.value;
    case "u8": case "s8": case "u16": case "s16": case "u32": case "s32": return Number(a.value);
    case "u64": case "s64": return BigInt(a.value);
    // Floats are given as their bit patterns (wast's nan:canonical etc. are not used here).
    case "f32": return new Float32Array(new Uint32Array([Number(a.value)]).buffer)[0];
    case "f64": return new Float64Array(new BigUint64Array([BigInt(a.value)]).buffer)[0];
    case "char": case "string": case "enum": return a.value;
    case "list": case "tuple": return a.value.map(jsArgument);
    case "record": return Object.fromEntries(a.value.map(([k, v]) => [camel(k), jsArgument(v)]));
    case "variant": return a.value.payload === undefined || a.value.payload === null ? { tag: a.value.case } : { tag: a.value.case, val: jsArgument(a.value.payload) };
    case "option": return a.value === null ? undefined : jsArgument(a.value);
    case "result": {
      const [tag, val] = "Ok" in a.value ? ["ok", a.value.Ok] : ["err", a.value.Err];
      return val === null || val === undefined ? { tag } : { tag, val: jsArgument(val) };
    }
    case "flags": return Object.fromEntries(a.value.map((f) => [camel(f), true]));
    default: throw new Error(`argument type ${a.type} unknown to the runner`);
  }
}

function jsExpected(e) {
  switch (e.type) {
    case "u64": case "s64": return BigInt(e.value);
    default: return jsArgument(e);
  }
}

function camel(kebab) {
  return kebab.split("-").map((w, i) => (i ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join("");
}

function sameValue(a, b) {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    if (ArrayBuffer.isView(a)) a = [...a];
    if (ArrayBuffer.isView(b)) b = [...b];
    const ka = Object.keys(a).filter((k) => a[k] !== false);
    const kb = Object.keys(b).filter((k) => b[k] !== false);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x === undefined ? "undefined" : x)) ?? "undefined";
}

const ratchet = new Set(existsSync(ratchetPath)
  ? readFileSync(ratchetPath, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
  : []);
const passingNow = [];
const regressions = [];
const totals = { passed: 0, all: 0 };

for (const dir of readdirSync(suite, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  if (SKIPPED_DIRECTORIES.has(dir)) continue;
  const counts = { passed: 0, failed: 0, notRun: new Map() };
  for (const file of readdirSync(join(suite, dir)).filter((f) => f.endsWith(".json")).sort()) {
    const { commands } = JSON.parse(readFileSync(join(suite, dir, file), "utf8"));
    const wasmDir = join(suite, dir, basename(file, ".json"));
    for (const command of commands) {
      const id = `${dir}/${basename(file, ".json")}.wast:${command.line} ${command.type}`;
      const outcome = await runCommand(command, command.filename ? join(wasmDir, command.filename) : null);
      if (!outcome) {
        counts.passed++;
        passingNow.push(id);
        continue;
      }
      if (ratchet.has(id)) regressions.push(`${id}: ${outcome.reason ?? outcome.notRun}`);
      if (outcome.notRun) {
        counts.notRun.set(outcome.notRun, (counts.notRun.get(outcome.notRun) ?? 0) + 1);
        if (verbose) console.log(`  not run ${id}: ${outcome.notRun}`);
      } else {
        counts.failed++;
        console.log(`  FAIL ${id}: ${outcome.reason}`);
      }
    }
  }
  const notRun = [...counts.notRun.values()].reduce((a, b) => a + b, 0);
  const all = counts.passed + counts.failed + notRun;
  totals.passed += counts.passed;
  totals.all += all;
  console.log(`${dir}: ${counts.passed}/${all} pass, ${counts.failed} fail, ${notRun} not run`);
  for (const [reason, n] of counts.notRun) console.log(`  ${n} not run: ${reason}`);
}

console.log(`total: ${totals.passed}/${totals.all} commands pass (jco 1.35: ${JCO_PASSING}); suite ${suite}`);
const fresh = passingNow.filter((id) => !ratchet.has(id));
if (update && tableDriven) {
  console.log("--update writes passing.txt from the default path only");
} else if (update) {
  writeFileSync(ratchetPath, "# Component-model reference-test commands known to pass (tests/component-model/run.mjs --update).\n" +
    passingNow.join("\n") + "\n");
  console.log(`${ratchetPath}: ${passingNow.length} commands`);
} else if (fresh.length) {
  console.log(`${fresh.length} commands pass that passing.txt does not list yet (run with --update to add them):`);
  for (const id of fresh) console.log(`  ${id}`);
}
if (regressions.length && !update) {
  console.log(`${regressions.length} commands listed in passing.txt no longer pass:`);
  for (const r of regressions) console.log(`  REGRESSION ${r}`);
  process.exit(1);
}
