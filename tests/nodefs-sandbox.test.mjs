// Host directories hold as capabilities (README.md, "Sandbox"): a guest, alone or raced by a host
// process, never reads, writes, lists or creates anything outside its mount. The attacks run as
// the `path_ops` guest (raw WASI calls, one operation per stdin line) on a mount `top/mount`
// beside a directory `top/outside` of canaries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync,
  symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDirectory, MAX_CACHED_DIRS } from "../js/src/nodefs.js";
import { WASI } from "cove";
import { runGuest, describeRun, guestModule } from "./guests/harness.mjs";

const hasProc = existsSync("/proc/self/fd");
/** This process's descriptors on anything under `dir` (others come and go with the test runner). */
function openFdsUnder(dir) {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}
const OUTSIDE = "OUTSIDE-CANARY";

/** top/outside (canaries, named like what the guest uses) and an empty top/mount. */
function layout(t) {
  const top = mkdtempSync(join(tmpdir(), "cove-sandbox-"));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  const outside = join(top, "outside");
  const mount = join(top, "mount");
  mkdirSync(outside);
  mkdirSync(mount);
  // Canaries are 1,000 bytes or more: a guest `stat` showing such a size saw one.
  for (const name of ["secret.txt", "a", "b", "c", "f", "canary-only-outside.txt"]) {
    writeFileSync(join(outside, name), `${OUTSIDE} ${name} ${".".repeat(1000)}\n`);
  }
  mkdirSync(join(outside, "sub"));
  writeFileSync(join(outside, "sub", "secret.txt"), `${OUTSIDE} sub ${".".repeat(1000)}\n`);
  return { top, outside, mount, canaries: snapshot(outside) };
}

/** Every entry under `dir` with its content (files) or target (symlinks) and mtime. */
function snapshot(dir) {
  const out = {};
  for (const name of readdirSync(dir, { recursive: true }).sort()) {
    const path = join(dir, name);
    const st = lstatSync(path, { bigint: true });
    out[name] = { mtime: st.mtimeNs, size: st.size, content: st.isFile() ? readFileSync(path, "utf8") : st.isDirectory() ? "dir" : "other" };
  }
  return out;
}

function assertOutsideUntouched(env, out, context) {
  assert.deepEqual(snapshot(env.outside), env.canaries, `${context}: the outside directory changed`);
  assert.ok(!out.includes(OUTSIDE), `${context}: the guest read a file outside the mount:\n${out}`);
  assert.ok(!out.includes("canary-only-outside"), `${context}: the guest listed the outside directory:\n${out}`);
  assert.ok(![...out.matchAll(/type=4 size=(\d+)/g)].some((m) => Number(m[1]) >= 1000), `${context}: the guest saw a canary's size:\n${out}`);
}

/** Runs path_ops on `lines`; `between(i)` runs on the host before line i is handed over. */
async function runOps(mount, lines, { backend, between } = {}) {
  let i = 0;
  const stdin = () => {
    if (i >= lines.length) return null;
    between?.(i);
    return `${lines[i++]}\n`;
  };
  const target = backend ?? mount;
  const r = await runGuest("path_ops", [], { preopens: { "/data": target }, stdin });
  assert.equal(r.exitCode, 0, describeRun(r));
  return r.out;
}

/** The result line of each operation, keyed by the operation. */
function results(out) {
  return out.trim().split("\n").map((l) => l.slice(l.indexOf(": ") + 2));
}

const staleDirectoryAttack = [
  "mkdir d",
  "open d",
  "rmdir d",
  "symlink ../outside d",
  "read 4:secret.txt",
  "stat 4:secret.txt",
  "create 4:created.txt",
  "write 4:a",
  "mkdir 4:newdir",
  "read d/secret.txt",
];

for (const [mode, fdPaths] of [["descriptors", true], ["checked paths (no /proc)", false]]) {
  test(`a directory removed and replaced by a symlink out of the mount leads nowhere (${mode})`, async (t) => {
    const env = layout(t);
    const backend = new NodeDirectory(env.mount, { fdPaths });
    const out = await runOps(env.mount, staleDirectoryAttack, { backend });
    const r = results(out);
    assert.deepEqual(r.slice(0, 4), ["ok", "ok fd=4", "ok", "ok"], out);
    // As on wasmtime: the removed directory has no entries and takes none.
    for (const line of r.slice(4, 9)) assert.equal(line, "errno=44 ENOENT", out);
    // Through the symlink by name, the engine refuses to leave the mount.
    assert.match(r[9], /^errno=/, out);
    assertOutsideUntouched(env, out, "stale directory");
    assert.deepEqual(readdirSync(env.mount), ["d"]);
  });
}

test("a host process swapping a directory for a symlink never makes the guest read outside", { skip: !hasProc }, async (t) => {
  const env = layout(t);
  mkdirSync(join(env.mount, "flip"));
  writeFileSync(join(env.mount, "flip", "secret.txt"), "inside\n");
  symlinkSync(env.outside, join(env.mount, "link"));
  // Each rename is atomic: `flip` is the directory or the symlink, alternately, as fast as the
  // flipper can; it stops by itself after 20 s should the test die before killing it.
  const flipper = spawn(process.execPath, ["-e", `
    const { renameSync } = require("node:fs");
    const [m] = process.argv.slice(1);
    const end = Date.now() + 20000;
    process.stdout.write("ready\\n");
    try {
      while (Date.now() < end) {
        renameSync(m + "/flip", m + "/flip.away");
        renameSync(m + "/link", m + "/flip");
        renameSync(m + "/flip", m + "/link");
        renameSync(m + "/flip.away", m + "/flip");
      }
    } catch {
      // the test removed the directory: done
    }`, env.mount], { stdio: ["ignore", "pipe", "inherit"] });
  // "close": exited, and its stdout pipe closed (the descriptor count of a later test is exact).
  const exited = new Promise((resolve) => flipper.on("close", resolve));
  try {
    await new Promise((resolve) => flipper.stdout.once("data", resolve));
    await raceFlipper(env);
  } finally {
    // Stopped before the directories are removed (the test's after hook).
    flipper.kill();
    await exited;
  }
});

async function raceFlipper(env) {
  // Rounds of 2,000 opens until the race has been seen from both sides often (the inside file
  // read, and the name found to be a symlink or missing), at most 20 rounds.
  const tally = { inside: 0, refused: 0, rounds: 0 };
  while (tally.rounds < 20 && (tally.inside < 1000 || tally.refused < 1000)) {
    const out = await runOps(env.mount, ["repeat 2000 read flip/secret.txt"]);
    assertOutsideUntouched(env, out, `round ${tally.rounds}`);
    for (const [, outcome, n] of out.matchAll(/(ok "inside\\n"|errno=\d+ E[A-Z]+)=(\d+)/g)) {
      if (outcome.startsWith("ok")) tally.inside += Number(n);
      else tally.refused += Number(n);
    }
    tally.rounds++;
  }
  assert.ok(tally.inside > 0 && tally.refused > 0, `the flipper never raced the guest: ${JSON.stringify(tally)}`);
}

/** A small seeded generator (mulberry32): the same seed gives the same steps. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `steps` random operations: guest-side mkdir/rmdir/unlink/rename/symlink/open/close/read/write/
 * create/list/stat on a few names two levels deep, relative to the preopen or to directories the
 * guest holds open (descriptors 4-6 mostly), and host-side changes between them (directories
 * swapped for symlinks to the outside and back, renames, removals). Returns the guest's lines
 * and the host's change before each step (chosen when it runs: the tree is only known then).
 */
function plan(seed, steps, env) {
  const rnd = random(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const dirs = ["a", "b", "c"];
  const files = ["secret.txt", "f"];
  const dir = () => (rnd() < 0.7 ? pick(dirs) : `${pick(dirs)}/${pick(dirs)}`);
  const file = () => (rnd() < 0.6 ? pick(files) : `${dir()}/${pick(files)}`);
  const any = () => (rnd() < 0.5 ? dir() : file());
  const base = () => (rnd() < 0.6 ? `${pick([4, 4, 5, 6])}:` : "");
  const targets = ["../outside", "../../outside", "../outside/secret.txt", env.outside, "a", "..", "."];
  const guest = [
    () => `open ${base()}${dir()}`,
    () => `open ${dir()}`,
    () => `close ${pick([4, 5, 6, 7])}`,
    () => `read ${base()}${file()}`,
    () => `read ${base()}${file()}`,
    () => `write ${base()}${file()}`,
    () => `create ${base()}${file()}`,
    () => `stat ${base()}${any()}`,
    () => `list ${base()}${rnd() < 0.4 ? "." : dir()}`,
    () => `mkdir ${base()}${dir()}`,
    () => `rmdir ${base()}${dir()}`,
    () => `unlink ${base()}${file()}`,
    () => `rename ${base()}${any()} ${base()}${any()}`,
    () => `symlink ${pick(targets)} ${base()}${any()}`,
  ];
  // The host's own changes never pass through a symlink (they would change the outside itself).
  const hostPath = (p) => {
    const parent = p.includes("/") ? join(env.mount, p.split("/")[0]) : env.mount;
    return lstatSync(parent, { throwIfNoEntry: false })?.isDirectory() ? join(env.mount, p) : null;
  };
  const changes = [
    (victim) => swap(victim, pick([env.outside, join(env.outside, "sub"), "../outside", "../../outside"])),
    (victim) => swap(victim, pick([env.outside, join(env.outside, "sub"), "../outside", "../../outside"])),
    (victim) => renameSync(victim, join(env.mount, pick(dirs))),
    (victim) => { mkdirSync(victim); writeFileSync(join(victim, "secret.txt"), "inside\n"); },
    (victim) => rmSync(victim, { recursive: true }),
  ];
  const lines = [];
  const host = new Map();
  for (let i = 0; i < steps; i++) {
    lines.push(pick(guest)());
    if (rnd() < 0.4) {
      const change = pick(changes);
      const victim = dir();
      host.set(i, () => {
        const path = hostPath(victim);
        if (path !== null) change(path);
      });
    }
  }
  return { lines, host };
}

/** Moves `path` aside (to `path.swapped`) and puts a symlink to `target` at its name, or back. */
function swap(path, target) {
  const aside = `${path}.swapped`;
  if (lstatSync(aside, { throwIfNoEntry: false })) {
    rmSync(path, { force: true });
    renameSync(aside, path);
  } else {
    renameSync(path, aside);
    symlinkSync(target, path);
  }
}

const propertySeeds = process.env.COVE_SANDBOX_SEED ? [Number(process.env.COVE_SANDBOX_SEED)] : [1, 2, 3, 4, 5, 6, 7, 8];

for (const [mode, fdPaths] of [["descriptors", true], ["checked paths (no /proc)", false]]) {
  test(`random guest operations raced by host renames and symlink swaps stay inside the mount (${mode})`, async (t) => {
    for (const seed of propertySeeds) {
      const env = layout(t);
      for (const name of ["a", "b"]) {
        mkdirSync(join(env.mount, name));
        writeFileSync(join(env.mount, name, "secret.txt"), "inside\n");
      }
      writeFileSync(join(env.mount, "f"), "inside\n");
      const { lines, host } = plan(seed, 400, env);
      const backend = new NodeDirectory(env.mount, { fdPaths });
      const out = await runOps(env.mount, lines, {
        backend,
        between: (i) => {
          try {
            host.get(i)?.();
          } catch {
            // the host's change did not apply (name missing, not empty…): the race goes on
          }
        },
      });
      assertOutsideUntouched(env, out, `seed ${seed} (COVE_SANDBOX_SEED=${seed} reruns it)`);
      assert.equal(results(out).length, lines.length, `seed ${seed}: every operation reported`);
    }
  });
}

test("host descriptors stay bounded while the guest walks many directories, and none is left after", { skip: !hasProc }, async (t) => {
  const env = layout(t);
  const dirs = MAX_CACHED_DIRS + 100;
  const lines = [];
  for (let i = 0; i < dirs; i++) lines.push(`mkdir d${i}`, `create d${i}/f`);
  for (let i = 0; i < dirs; i++) lines.push(`read d${i}/f`, `stat d${i}/f`);
  // The guest holds 50 directories open at once, then closes them.
  for (let i = 0; i < 50; i++) lines.push(`open d${i}`);
  for (let i = 0; i < 50; i++) lines.push(`read ${4 + i}:f`);
  for (let i = 0; i < 50; i++) lines.push(`close ${4 + i}`);
  for (let i = 0; i < dirs; i++) lines.push(`list d${i}`);

  for (const asObject of [false, true]) {
    const mount = mkdtempSync(join(env.top, "mount-"));
    const target = asObject ? new NodeDirectory(mount) : mount;
    const openFds = () => openFdsUnder(env.top);
    const before = openFds();
    let most = before;
    let i = 0;
    const out = [];
    const wasi = new WASI({
      version: "preview1", args: ["path_ops"], preopens: { "/data": target },
      stdin: () => {
        if (i % 8 === 0) most = Math.max(most, openFds());
        return i < lines.length ? `${lines[i++]}\n` : null;
      },
      stdout: (chunk) => out.push(Buffer.from(chunk)),
    });
    const instance = await WebAssembly.instantiate(await guestModule("path_ops"), wasi.getImportObject());
    assert.equal(wasi.start(instance), 0);
    const r = results(Buffer.concat(out).toString());
    assert.equal(r.length, lines.length);
    assert.ok(r.every((l) => l.startsWith("ok")), r.find((l) => !l.startsWith("ok")));
    assert.equal(r.filter((l) => l === 'ok "created by guest"').length, dirs + 50);
    // The cache, the preopen, the 50 held directories and a file: never one per directory seen.
    assert.ok(most - before <= MAX_CACHED_DIRS + 50 + 4, `descriptors grew by ${most - before} for ${dirs} directories`);
    // Finished: only what the guest's descriptors hold (the preopen) stays until dispose.
    assert.equal(openFds(), before + 1, "cached descriptors left open after the guest finished");
    wasi.dispose();
    assert.equal(openFds(), before, "host descriptors left open after dispose()");
  }
});

test("a directory is reopened only if it is still the one the lookup saw; one the guest holds follows itself", { skip: !hasProc }, (t) => {
  const env = layout(t);
  for (const name of ["d", "held"]) {
    mkdirSync(join(env.mount, name));
    writeFileSync(join(env.mount, name, "secret.txt"), "inside\n");
  }
  const fs = new NodeDirectory(env.mount);
  fs.opened(fs.root(), false);
  t.after(() => fs.closed(fs.root()));
  const [d] = fs.lookupEntry(fs.root(), "d");
  const [held] = fs.lookupEntry(fs.root(), "held");
  fs.opened(held, false);
  const [file] = fs.lookupEntry(held, "secret.txt");

  // Another host process moves both away and puts symlinks out of the mount at their names.
  for (const name of ["d", "held"]) {
    renameSync(join(env.mount, name), join(env.mount, `${name}.moved`));
    symlinkSync(env.outside, join(env.mount, name));
  }
  // `d` was only looked up: reaching into it now finds the symlink and refuses.
  assert.throws(() => fs.lookupEntry(d, "secret.txt"), (e) => e.errno === 44);
  assert.throws(() => fs.createFile(d, "new.txt"), (e) => e.errno === 44);
  // `held` is open in the guest: its descriptor is the directory itself, wherever it went.
  assert.deepEqual(fs.lookupEntry(held, "secret.txt"), [file, 4]);
  const buf = new Uint8Array(64);
  assert.equal(new TextDecoder().decode(buf.subarray(0, fs.read(file, 0, buf))), "inside\n");
  fs.closed(held);
  assert.deepEqual(readdirSync(env.outside).sort(), Object.keys(env.canaries).filter((n) => !n.includes("/")).sort());
});
