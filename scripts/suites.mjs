// Test suites that live outside the repository, next to it under ../shared by default. Each is
// found through an environment variable; a stage whose suite is missing fails with one line
// naming the path it looked at and the variable, not an ENOENT stack.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { root } from "./lib.mjs";

const SUITES = {
  "wasi-testsuite": {
    variable: "COVE_WASI_TESTSUITE",
    fallback: join(root, "..", "shared", "wasi-testsuite"),
    holds: "wasi-testsuite (its p1/ and p2/ directories)",
  },
  "component-model-tests": {
    variable: "COVE_COMPONENT_TESTS",
    fallback: join(root, "..", "shared", "component-model-tests"),
    holds: "the component-model reference tests",
  },
};

/** The directory of suite `name` (a key of SUITES), plus `sub` inside it; not checked. */
export function suitePath(name, sub = "") {
  const suite = SUITES[name];
  return resolve(process.env[suite.variable] || suite.fallback, sub);
}

/** The message for a missing suite: what was looked for, where, and the variable to set. */
export function missingSuiteMessage(name, sub = "") {
  const suite = SUITES[name];
  return `${name}: ${suitePath(name, sub)} does not exist; set ${suite.variable} to the directory that holds ${suite.holds} (default ../shared/${name} next to the repository)`;
}

/** suitePath, or — when it does not exist — the one-line message on stderr and exit status 1. */
export function requireSuite(name, sub = "") {
  const path = suitePath(name, sub);
  if (!existsSync(path)) {
    console.error(missingSuiteMessage(name, sub));
    process.exit(1);
  }
  return path;
}
