// The p2 conformance ratchet: tests/conformance/p2-passing.txt lists (one id a line, `#` comments)
// the wasi-testsuite p2 tests that must pass in every mode, while not all 46 do.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const RATCHET = join(dirname(fileURLToPath(import.meta.url)), "p2-passing.txt");

/** The ids the ratchet requires to pass. */
export function requiredP2() {
  return new Set(readFileSync(RATCHET, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
}
