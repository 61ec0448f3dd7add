// Runs the component-model reference tests (the upstream suite's .wast files, converted to JSON
// command lists plus .wasm files; see docs/components.md) through Cove's public component API
// and checks them against passing.txt, the ratchet of commands known to pass.
//
//   node tests/component-model/run.mjs [--update] [--verbose]
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
import { validate, ComponentError } from "../../js/src/node.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const suite = requireSuite("component-model-tests");
const ratchetPath = join(here, "passing.txt");
const update = process.argv.includes("--update");
const verbose = process.argv.includes("--verbose");
// async/ needs component-model async (streams, futures, tasks): a later stage.
const SKIPPED_DIRECTORIES = new Set(["async"]);
// The tally jco 1.35 reaches on the same commands, printed for comparison.
const JCO_PASSING = 947;


/** Runs one command; returns null when it passes, else the reason it does not. */
async function runCommand(command, wasmPath) {
  const type = command.type;
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
  // module_instance, assert_return, assert_trap, assert_uninstantiable, action.
  return { notRun: "instantiate() is not implemented yet" };
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
if (update) {
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
