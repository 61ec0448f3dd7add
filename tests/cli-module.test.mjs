// Modules that cannot run: each exits 1 with one message naming the file and what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { guest, runCove, tempDir, writeWat } from "./cli-helpers.mjs";

/** Runs `cove run FILE` and checks the whole of stderr is the one expected line. */
async function assertModuleError(file, expected) {
  const r = await runCove(["run", file]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, "");
  if (expected instanceof RegExp) assert.match(r.stderr, expected);
  else assert.equal(r.stderr, `cove: ${file}: ${expected}\n`);
}

test("a missing file", async (t) => {
  await assertModuleError(join(tempDir(t), "nope.wasm"), "no such file");
});

test("a directory", async (t) => {
  const dir = join(tempDir(t), "dir.wasm");
  mkdirSync(dir);
  await assertModuleError(dir, "is a directory, not a file");
});

test("an empty file", async (t) => {
  const file = join(tempDir(t), "empty.wasm");
  writeFileSync(file, "");
  await assertModuleError(file, "empty file (expected a WebAssembly module)");
});

test("a text file", async (t) => {
  const file = join(tempDir(t), "text.wasm");
  writeFileSync(file, "#!/bin/sh\necho hi\n");
  await assertModuleError(file, "not a WebAssembly module (it does not start with the bytes \\0asm)");
});

test("a file cut inside the header", async (t) => {
  const file = join(tempDir(t), "short.wasm");
  writeFileSync(file, Buffer.from([0x00, 0x61, 0x73]));
  await assertModuleError(file, "truncated: 3 bytes, shorter than the 8-byte WebAssembly header");
});

test("a real guest cut in half: the section, the offset, and the size", async (t) => {
  const bytes = readFileSync(guest("hello"));
  const file = join(tempDir(t), "half.wasm");
  const size = Math.floor(bytes.length / 2);
  writeFileSync(file, bytes.subarray(0, size));
  const r = await runCove(["run", file]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const m = new RegExp(`^cove: ${escape(file)}: invalid WebAssembly: (.+) at byte offset (\\d+) \\(the file is ${size} bytes: truncated\\?\\)\\n$`).exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.match(m[1], /section/);
  assert.ok(Number(m[2]) <= size, `offset ${m[2]} is within the ${size} bytes`);
});

test("invalid code: the validator's reason and offset", async (t) => {
  // A function whose body leaves an i32 where nothing is expected: header + sections by hand.
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b, // code: i32.const 1; end
  ]);
  const file = join(tempDir(t), "invalid.wasm");
  writeFileSync(file, bytes);
  await assertModuleError(file, /^cove: .*invalid\.wasm: invalid WebAssembly: Compiling function #0 failed: .* at byte offset \d+\n$/);
});

test("a component that is not a command is refused with a clear reason", async (t) => {
  const file = join(tempDir(t), "component.wasm");
  writeFileSync(file, Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]));
  await assertModuleError(file, "the component does not export wasi:cli/run@0.2.x#run, so it is not a command (a wasm32-wasip2 program is one)");
});

test("an invalid component is refused with the validator's reason", async (t) => {
  const file = join(tempDir(t), "component.wasm");
  writeFileSync(file, Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x05]));
  await assertModuleError(file, /^cove: .*component\.wasm: invalid component: .* \(at byte offset \d+, in .*\)\n$/);
});

test("a module without _start", async (t) => {
  const file = writeWat(tempDir(t), "lib.wasm", `(module (memory (export "memory") 1) (func (export "f")))`);
  await assertModuleError(file, "exports no _start function (cove run needs a WASI command module)");
});

test("a module without memory", async (t) => {
  const file = writeWat(tempDir(t), "nomem.wasm", `(module (func (export "_start")))`);
  await assertModuleError(file, "exports no memory (a WASI module must export \"memory\")");
});

test("a module importing what cove does not provide", async (t) => {
  const file = writeWat(tempDir(t), "imports.wasm", `(module
    (import "env" "host_magic" (func))
    (import "wasi_snapshot_preview1" "no_such_call" (func))
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1) (func (export "_start")))`);
  await assertModuleError(file, "imports what cove does not provide: env.host_magic, wasi_snapshot_preview1.no_such_call");
});

test("a module importing a WASI function with the wrong signature", async (t) => {
  const file = writeWat(tempDir(t), "badsig.wasm", `(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
    (memory (export "memory") 1) (func (export "_start")))`);
  await assertModuleError(file, "import wasi_snapshot_preview1.fd_write: the module imports it as (i32) -> i32, " +
    "but WASI preview 1 defines (i32, i32, i32, i32) -> i32");
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("a file without read permission", { skip: process.getuid?.() === 0 && "root reads any file" }, async (t) => {
  const file = join(tempDir(t), "locked.wasm");
  writeFileSync(file, readFileSync(guest("hello")));
  chmodSync(file, 0o000);
  await assertModuleError(file, "permission denied");
});
