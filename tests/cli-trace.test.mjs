// `cove run --trace`: every WASI call on stderr, checked against golden files in tests/golden.
// Regenerate them after an intended change of the trace format: COVE_UPDATE_GOLDEN=1 node --test tests/cli-trace.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { guest, root, runCove, tempDir } from "./cli-helpers.mjs";

const goldenDir = join(root, "tests", "golden");
const update = process.env.COVE_UPDATE_GOLDEN === "1";

/**
 * What may differ between runs or builds and says nothing about the trace: the temporary
 * directory, where the guests were built, and numbers in hex (guest addresses, which move when
 * a guest is rebuilt, and rights masks).
 */
function normalise(text, dir) {
  return text
    .replaceAll(dir, "$DIR")
    .replaceAll(join(root, "build", "guests") + "/", "")
    // (with the padding that aligns a backtrace's offsets)
    .replace(/( *)0x[0-9a-f]+/g, (_, padding) => `${padding ? " " : ""}0x…`);
}

/** The session a golden file records: the command, its stderr, its exit status. */
function transcript(args, r, dir) {
  const command = args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ");
  return normalise(`$ cove ${command}\n${r.stderr}${r.stderr.endsWith("\n") || r.stderr === "" ? "" : "\n"}exit status: ${r.code}\n`, dir);
}

function fixture(t) {
  const dir = tempDir(t);
  mkdirSync(join(dir, "subdir"));
  writeFileSync(join(dir, "existing.txt"), "original contents\n");
  return dir;
}

/** Each: golden file name, the arguments after `cove` ($DIR: a fixture directory), stdin. */
const cases = [
  ["hello", ["run", "--trace", guest("hello"), "one", "two words"]],
  ["exit-code", ["run", "--trace", guest("exit_code"), "3"]],
  ["no-grant", ["run", "--trace", guest("files"), "ls", "/"]],
  ["ro-cat", ["run", "--trace", "--ro-dir", "$DIR::/data", guest("files"), "cat", "/data/existing.txt"]],
  ["ro-denied", ["run", "--trace", "--ro-dir", "$DIR::/data", guest("files"), "write", "/data/existing.txt", "overwritten"]],
  ["rw-write", ["run", "--trace", "--dir", "$DIR::/data", guest("files"), "write", "/data/subdir/new.txt", "new"]],
  ["env", ["run", "--trace", "--env", "LANG=C", "--env", "TZ=UTC", guest("env_list")]],
  ["clock-random", ["run", "--trace", "--clock", "frozen", "--seed", "1", guest("clock_random")]],
  ["repl-stdin", ["run", "--trace", guest("repl")], "1+2\n"],
  ["trap", ["run", "--trace", guest("trap"), "unreachable"]],
];

for (const [name, template, input = ""] of cases) {
  test(`--trace golden: ${name}`, async (t) => {
    const dir = fixture(t);
    const args = template.map((a) => a.replace("$DIR", dir));
    const r = await runCove(args, { input });
    const got = transcript(args, r, dir);
    const file = join(goldenDir, `trace-${name}.txt`);
    if (update || !existsSync(file)) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, got);
      if (!update) assert.fail(`${basename(file)} did not exist; written now: check it, then commit it`);
      return;
    }
    assert.equal(got, readFileSync(file, "utf8"), `${file} (COVE_UPDATE_GOLDEN=1 regenerates it after an intended change)`);
  });
}

test("--trace writes to stderr only: stdout is the same as without it", async () => {
  const plain = await runCove(["run", guest("hello"), "x"]);
  const traced = await runCove(["run", "--trace", guest("hello"), "x"]);
  assert.equal(traced.stdout, plain.stdout);
  assert.equal(plain.stderr, "");
  assert.match(traced.stderr, /^fd_write\(1, /m);
});

test("without --trace, denials are not reported (the guest's errno is its answer)", async (t) => {
  const dir = fixture(t);
  const r = await runCove(["run", "--ro-dir", `${dir}::/data`, guest("files"), "write", "/data/existing.txt", "x"]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /denied/);
});
