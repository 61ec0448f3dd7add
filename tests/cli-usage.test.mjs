// `cove` command-line parsing: help, version, and every kind of bad usage (exit 2, a one-line
// reason, then the usage).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MAIN_USAGE_LINE, RUN_USAGE_LINE, guest, root, runCove } from "./cli-helpers.mjs";

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

test("--version and -V print the package.json version", async () => {
  for (const flag of ["--version", "-V"]) {
    const r = await runCove([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `cove ${version}\n`);
    assert.equal(r.stderr, "");
  }
});

test("--help, -h and help print the main usage on stdout", async () => {
  for (const args of [["--help"], ["-h"], ["help"]]) {
    const r = await runCove(args);
    assert.equal(r.code, 0, args.join(" "));
    assert.ok(r.stdout.startsWith(MAIN_USAGE_LINE), r.stdout);
    assert.match(r.stdout, /run \[options\] <file\.wasm> \[args\.\.\.\]/);
    assert.equal(r.stderr, "");
  }
});

test("help run, run --help and run -h print every run option", async () => {
  for (const args of [["help", "run"], ["run", "--help"], ["run", "-h"], ["run", "--trace", "--help"]]) {
    const r = await runCove(args);
    assert.equal(r.code, 0, args.join(" "));
    assert.ok(r.stdout.startsWith(RUN_USAGE_LINE), r.stdout);
    for (const option of ["--dir HOST[::GUEST]", "--ro-dir HOST[::GUEST]", "--env NAME=VALUE", "--env NAME",
      "--policy FILE", "--clock frozen|real", "--seed N", "--trace"]) {
      assert.ok(r.stdout.includes(option), `${args.join(" ")}: ${option}`);
    }
  }
});

test("a --help after the module is the guest's argument, not cove's", async () => {
  const r = await runCove(["run", guest("hello"), "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /arg 1: --help/);
});

/** Each: the arguments, the reason line cove must print, and which usage follows. */
const badUsage = [
  [[], "cove: missing command", MAIN_USAGE_LINE],
  [["frobnicate"], "cove: unknown command 'frobnicate'", MAIN_USAGE_LINE],
  [["app.wasm"], "cove: unknown command 'app.wasm' (did you mean 'cove run app.wasm'?)", MAIN_USAGE_LINE],
  [["--frob"], "cove: unknown option --frob", MAIN_USAGE_LINE],
  [["help", "frob"], "cove: unknown command 'frob'", MAIN_USAGE_LINE],
  [["run"], "cove: missing the module to run (<file.wasm>)", RUN_USAGE_LINE],
  [["run", "--trace"], "cove: missing the module to run (<file.wasm>)", RUN_USAGE_LINE],
  [["run", "--"], "cove: missing the module to run (<file.wasm>)", RUN_USAGE_LINE],
  [["run", "--frob", "x.wasm"], "cove: unknown option --frob", RUN_USAGE_LINE],
  [["run", "--trace=yes", "x.wasm"], "cove: --trace takes no value", RUN_USAGE_LINE],
  [["run", "--dir"], "cove: --dir needs a value", RUN_USAGE_LINE],
  [["run", "--env"], "cove: --env needs a value", RUN_USAGE_LINE],
  [["run", "--dir", "::/data", "x.wasm"], "cove: --dir ::/data: the host directory is empty", RUN_USAGE_LINE],
  [["run", "--ro-dir", ".::", "x.wasm"], "cove: --ro-dir .::: the guest path after '::' is empty", RUN_USAGE_LINE],
  [["run", "--dir", "/definitely/not/here", "x.wasm"], "cove: --dir /definitely/not/here: no such directory", RUN_USAGE_LINE],
  [["run", "--ro-dir", "package.json::/p", "x.wasm"], "cove: --ro-dir package.json::/p: not a directory", RUN_USAGE_LINE],
  [["run", "--env", "=x", "x.wasm"], "cove: --env =x: expected NAME or NAME=VALUE", RUN_USAGE_LINE],
  [["run", "--clock", "slow", "x.wasm"], "cove: --clock must be frozen or real, got 'slow'", RUN_USAGE_LINE],
  [["run", "--seed", "-1", "x.wasm"], "cove: --seed must be an integer from 0 to 9007199254740991, got '-1'", RUN_USAGE_LINE],
  [["run", "--seed=1.5", "x.wasm"], "cove: --seed must be an integer from 0 to 9007199254740991, got '1.5'", RUN_USAGE_LINE],
  [["run", "--seed", "9007199254740992", "x.wasm"], "cove: --seed must be an integer from 0 to 9007199254740991, got '9007199254740992'", RUN_USAGE_LINE],
  [["run", "--policy", "a.json", "--policy", "b.json", "x.wasm"], "cove: --policy given twice", RUN_USAGE_LINE],
];

for (const [args, reason, usage] of badUsage) {
  test(`bad usage: cove ${args.join(" ")}`, async () => {
    const r = await runCove(args);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    const [first, blank, usageLine] = r.stderr.split("\n");
    assert.equal(first, reason);
    assert.equal(blank, "");
    assert.equal(usageLine, usage);
  });
}

test("'--' ends the options: a module named like an option runs", async (t) => {
  const r = await runCove(["run", "--", guest("hello"), "--dir", "x"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /arg 1: --dir\narg 2: x\n/);
});

test("--opt=value works like --opt value", async () => {
  const r = await runCove(["run", "--env=A=1", "--env", "B=2", guest("env_list")]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "A=1\nB=2\n");
});
