// What the guest may touch under `cove run`: read-only mounts refuse every change and leave the
// host untouched, policies from --policy merge with the flags, clocks and random are settable,
// and policy files with mistakes are refused naming the file and the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { guest, runCove, tempDir } from "./cli-helpers.mjs";

/** Every path under `dir` with its type, size, mode, mtime and contents: equal means untouched. */
function snapshot(dir) {
  const entries = {};
  for (const name of readdirSync(dir, { recursive: true }).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    entries[relative(dir, path)] = {
      dir: st.isDirectory(), size: st.size, mode: st.mode, mtimeNs: statSync(path, { bigint: true }).mtimeNs,
      data: st.isFile() ? readFileSync(path, "utf8") : null,
    };
  }
  return entries;
}

function roFixture(t) {
  const dir = tempDir(t);
  mkdirSync(join(dir, "subdir"));
  writeFileSync(join(dir, "existing.txt"), "original contents\n");
  return dir;
}

test("--ro-dir refuses every kind of change, reading still works, the host is untouched", async (t) => {
  const dir = roFixture(t);
  const before = snapshot(dir);
  const r = await runCove(["run", "--ro-dir", `${dir}::/ro`, guest("ro_write"), "/ro"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.ok(lines.includes("read: ok") && lines.includes("content: original contents"), r.stdout);
  const attempts = lines.filter((l) => !l.startsWith("read:") && !l.startsWith("content:"));
  assert.ok(attempts.length >= 8, r.stdout);
  for (const line of attempts) assert.match(line, /^\w+: error errno=\d+ E[A-Z]+/, line);
  assert.deepEqual(snapshot(dir), before);
});

test("--ro-dir: an overwrite fails in the guest, the file keeps its bytes, --trace shows the denial", async (t) => {
  const dir = roFixture(t);
  const before = snapshot(dir);
  const r = await runCove(["run", "--trace", "--ro-dir", `${dir}::/ro`, guest("files"), "write", "/ro/existing.txt", "overwritten"]);
  assert.equal(r.code, 1);
  // (The guest's own error message is there too, cut up by the trace lines of its writes.)
  assert.match(r.stderr, /^cove: denied path_open "\/ro\/existing\.txt": .+$/m);
  assert.deepEqual(snapshot(dir), before);
});

test("--dir and --ro-dir side by side: copy from the read-only one into the writable one", async (t) => {
  const src = roFixture(t);
  const out = tempDir(t);
  const before = snapshot(src);
  const cp = await runCove(["run", "--ro-dir", `${src}::/in`, "--dir", `${out}::/out`, guest("files"), "cp", "/in/existing.txt", "/out/copy.txt"]);
  assert.equal(cp.code, 0, cp.stderr);
  assert.equal(readFileSync(join(out, "copy.txt"), "utf8"), "original contents\n");
  const back = await runCove(["run", "--ro-dir", `${src}::/in`, "--dir", `${out}::/out`, guest("files"), "cp", "/out/copy.txt", "/in/new.txt"]);
  assert.equal(back.code, 1);
  assert.deepEqual(snapshot(src), before);
});

test("--clock frozen stops the clocks; --seed makes random repeatable", async () => {
  const frozen = await runCove(["run", "--clock", "frozen", "--seed", "7", guest("clock_random")]);
  assert.equal(frozen.code, 0, frozen.stderr);
  assert.match(frozen.stdout, /^realtime: 0\nmonotonic: 0\n/);
  const again = await runCove(["run", "--clock=frozen", "--seed=7", guest("clock_random")]);
  assert.equal(again.stdout, frozen.stdout);
  const otherSeed = await runCove(["run", "--clock", "frozen", "--seed", "8", guest("clock_random")]);
  assert.notEqual(otherSeed.stdout, frozen.stdout);
});

test("by default the clock is real and random is not repeatable", async () => {
  const a = await runCove(["run", guest("clock_random")]);
  const b = await runCove(["run", "--clock", "real", guest("clock_random")]);
  const realtime = BigInt(/^realtime: (\d+)$/m.exec(a.stdout)[1]);
  assert.ok(realtime > BigInt(Date.parse("2024-01-01")) * 1_000_000n, a.stdout);
  assert.notEqual(/^random16: (.*)$/m.exec(a.stdout)[1], /^random16: (.*)$/m.exec(b.stdout)[1]);
});

// ---- --policy -------------------------------------------------------------------------------

test("--policy: mounts relative to the file, env, clock and random from the file", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "conf", "data"), { recursive: true });
  writeFileSync(join(dir, "conf", "data", "f.txt"), "from the policy's mount\n");
  writeFileSync(join(dir, "conf", "policy.json"), JSON.stringify({
    mounts: [{ guest: "/data", host: "./data", mode: "ro" }],
    env: { allow: ["COVE_FROM_HOST"], set: { MODE: "policy" } },
    clock: "frozen",
    random: { seed: 7 },
  }));
  const env = { ...process.env, COVE_FROM_HOST: "yes", COVE_NOT_ALLOWED: "no" };
  const policy = join(dir, "conf", "policy.json");
  const cat = await runCove(["run", "--policy", policy, guest("files"), "cat", "/data/f.txt"], { cwd: dir, env });
  assert.equal(cat.code, 0, cat.stderr);
  assert.equal(cat.stdout, "from the policy's mount\n");
  const envList = await runCove(["run", "--policy", policy, guest("env_list")], { env });
  assert.equal(envList.stdout, "COVE_FROM_HOST=yes\nMODE=policy\n");
  const clocks = await runCove(["run", "--policy", policy, guest("clock_random")]);
  const flags = await runCove(["run", "--clock", "frozen", "--seed", "7", guest("clock_random")]);
  assert.equal(clocks.stdout, flags.stdout);
  const write = await runCove(["run", "--policy", policy, guest("files"), "write", "/data/f.txt", "x"]);
  assert.equal(write.code, 1, "the policy's mount is read-only");
});

test("--policy: flags add to the file (mounts, env) and replace its clock and seed", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "a"));
  mkdirSync(join(dir, "b"));
  writeFileSync(join(dir, "a", "f.txt"), "A\n");
  writeFileSync(join(dir, "b", "f.txt"), "B\n");
  const policy = join(dir, "policy.json");
  writeFileSync(policy, JSON.stringify({
    mounts: [{ guest: "/a", host: "a", mode: "ro" }],
    env: { allow: ["COVE_ONE"], set: { MODE: "policy", KEEP: "kept" } },
    clock: "real",
    random: { seed: 1 },
  }));
  const env = { ...process.env, COVE_ONE: "1", COVE_TWO: "2" };
  const both = await runCove(["run", "--policy", policy, "--dir", `${dir}/b::/b`, guest("files"), "cat", "/a/f.txt"], { env });
  assert.equal(both.stdout, "A\n", both.stderr);
  const b = await runCove(["run", "--policy", policy, "--dir", `${dir}/b::/b`, guest("files"), "write", "/b/g.txt", "new"]);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(readFileSync(join(dir, "b", "g.txt"), "utf8"), "new");
  const envList = await runCove(["run", "--policy", policy, "--env", "COVE_TWO", "--env", "MODE=flag", guest("env_list")], { env });
  assert.equal(envList.stdout, "COVE_ONE=1\nCOVE_TWO=2\nKEEP=kept\nMODE=flag\n");
  const clocks = await runCove(["run", "--policy", policy, "--clock", "frozen", "--seed", "2", guest("clock_random")]);
  const flags = await runCove(["run", "--clock", "frozen", "--seed", "2", guest("clock_random")]);
  assert.equal(clocks.stdout, flags.stdout);
});

/** Each: the file's text, and the message after "cove: FILE: ". */
const badPolicies = [
  ['{"clock": "real",}', /^invalid JSON: /],
  ["[1, 2]", /^the policy must be a JSON object$/],
  ['{"clok": "real"}', /^policy: unknown key "clok"/],
  ['{"clock": "slow"}', /^policy\.clock: /],
  ['{"random": {"seed": -1}}', /^policy\.random\.seed: /],
  ['{"limits": {"openFiles": "many"}}', /^policy\.limits\.openFiles: /],
  ['{"mounts": [{"guest": "/d", "host": ".", "mode": "rx"}]}', /^policy\.mounts\[0\]\.mode: .*"rx"/],
  ['{"mounts": [{"guest": "/d", "host": "./missing"}]}', /^policy\.mounts\[0\]\.host: .*missing: no such directory$/],
  ['{"env": {"allow": "HOME"}}', /^policy\.env\.allow: /],
];

for (const [text, message] of badPolicies) {
  test(`--policy with a mistake: ${text}`, async (t) => {
    const file = join(tempDir(t), "bad.json");
    writeFileSync(file, text);
    const r = await runCove(["run", "--policy", file, guest("hello")]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    const prefix = `cove: ${file}: `;
    assert.ok(r.stderr.startsWith(prefix) && r.stderr.endsWith("\n") && r.stderr.split("\n").length === 2, r.stderr);
    assert.match(r.stderr.slice(prefix.length, -1), message);
  });
}

test("--policy naming a missing file", async (t) => {
  const file = join(tempDir(t), "nope.json");
  const r = await runCove(["run", "--policy", file, guest("hello")]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `cove: ${file}: no such file\n`);
});

test("a symlink inside a --dir that points outside it does not lead out", async (t) => {
  const outside = tempDir(t);
  writeFileSync(join(outside, "secret.txt"), "host secret\n");
  const dir = tempDir(t);
  symlinkSync(outside, join(dir, "escape"));
  symlinkSync(join(outside, "secret.txt"), join(dir, "secret-link"));
  for (const path of ["/data/escape/secret.txt", "/data/secret-link"]) {
    const r = await runCove(["run", "--dir", `${dir}::/data`, guest("files"), "cat", path]);
    assert.equal(r.code, 1, `${path}: ${r.stdout}`);
    assert.equal(r.stdout, "");
  }
  const write = await runCove(["run", "--dir", `${dir}::/data`, guest("files"), "write", "/data/escape/new.txt", "x"]);
  assert.equal(write.code, 1);
  assert.deepEqual(readdirSync(outside), ["secret.txt"]);
});
