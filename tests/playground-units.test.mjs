// The playground's pure pieces (www/) under Node: reading a module's header and imports, and the
// bounded log behind "download full output". The page's behaviour is tested in Chromium by
// tests-browser/playground.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { binaryKind, inspectModule, assessModule } from "../www/module-info.js";
import { OutputLog } from "../www/output-log.js";
import { command, wat } from "./api-helpers.mjs";
import { root } from "../scripts/lib.mjs";

test("binaryKind tells modules, components and other files apart from their first 8 bytes", () => {
  assert.equal(binaryKind(command("")), "module");
  assert.equal(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])), "component");
  assert.equal(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), "unknown");
  assert.equal(binaryKind(new TextEncoder().encode("#!/bin/sh\n")), "not-wasm");
  assert.equal(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d])), "not-wasm", "too short for a version");
});

test("inspectModule lists imports and exports; assessModule names what WASI does not define", () => {
  const bytes = wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "micropython_wasm" "js_call" (func (param i32)))
    (import "env" "table" (table 1 funcref))
    (memory (export "memory") 1)
    (func (export "_start")))`);
  const info = inspectModule(bytes);
  assert.deepEqual(info.imports.map((i) => `${i.module}.${i.name}:${i.kind}`).sort(),
    ["env.table:table", "micropython_wasm.js_call:function", "wasi_snapshot_preview1.fd_write:function"]);
  assert.deepEqual(info.exports.map((e) => e.name).sort(), ["_start", "memory"]);
  const verdict = assessModule("mp.wasm", info);
  assert.equal(verdict.runnable, false, "a table cannot be made up");
  assert.match(verdict.summary, /imports env\.table \(table\) from its host/);

  const stubbable = assessModule("mp.wasm", inspectModule(wat(`(module
    (import "micropython_wasm" "js_call" (func (param i32)))
    (memory (export "memory") 1)
    (func (export "_start")))`)));
  assert.equal(stubbable.runnable, true);
  assert.equal(stubbable.stubbable, true);
  assert.match(stubbable.summary, /1 function WASI does not define: micropython_wasm\.js_call/);
});

test("assessModule: a component, a library without _start, a plain WASI program", () => {
  const component = assessModule("c.wasm", inspectModule(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])));
  assert.equal(component.runnable, true);
  assert.match(component.summary, /WebAssembly component \(WASI 0\.2\): runs as a command through wasi:cli\/run/);
  const lib = assessModule("lib.wasm", inspectModule(wat(`(module (memory (export "memory") 1) (func (export "add")))`)));
  assert.equal(lib.runnable, false);
  assert.match(lib.summary, /exports no _start/);
  const hello = join(root, "build", "guests", "hello.wasm");
  if (existsSync(hello)) {
    const v = assessModule("hello.wasm", inspectModule(readFileSync(hello)));
    assert.equal(v.runnable, true);
    assert.match(v.summary, /a WASI preview-1 program \(\d+ WASI preview-1 imports\)/);
  }
});

test("inspectModule follows table and global imports of typed-reference types (0x63/0x64)", () => {
  // tests/modules/typed-ref-imports.wat: (ref null $ft) tables, a (ref extern) table, a
  // (ref null $ft) global, then function imports that are read only if those were skipped right.
  const info = inspectModule(readFileSync(join(root, "tests", "modules", "typed-ref-imports.wasm")));
  assert.equal(info.error, undefined);
  assert.deepEqual(info.imports.map((i) => `${i.module}.${i.name}:${i.kind}`), [
    "env.funcs:table", "env.typed:table", "env.externs:table", "env.global:global",
    "env.after:function", "wasi_snapshot_preview1.sched_yield:function",
  ]);
  assert.deepEqual(info.exports.map((e) => `${e.name}:${e.kind}`), ["memory:memory", "_start:function"]);
  assert.match(assessModule("typed.wasm", info).summary, /imports env\.funcs \(table\), env\.typed \(table\), env\.externs \(table\), env\.global \(global\)/);
});

test("inspectModule stops cleanly at a truncated section", () => {
  const bytes = command("");
  const info = inspectModule(bytes.subarray(0, 20));
  assert.match(info.error, /past the end|unexpected end/);
});

test("OutputLog keeps the first and last bytes, counts what it left out, and stays bounded", () => {
  const log = new OutputLog({ headBytes: 8, tailBytes: 10 });
  const enc = new TextEncoder();
  for (let i = 0; i < 100; i++) log.append(enc.encode(`${i % 10}`.repeat(3)));
  assert.equal(log.total, 300);
  assert.equal(log.retained, 18);
  assert.equal(log.omitted, 282);
  const text = log.parts().map((p) => (typeof p === "string" ? p : new TextDecoder().decode(p))).join("");
  assert.ok(text.startsWith("00011122"), text);
  assert.ok(text.endsWith("7888999"), text);
  assert.match(text, /\[… 282 bytes of output omitted/);
  // one chunk bigger than the tail
  log.reset();
  log.append(enc.encode("abcdefgh" + "x".repeat(50) + "0123456789"));
  assert.equal(log.retained, 18);
  assert.equal(new TextDecoder().decode(log.tail[0]), "0123456789");
  // nothing left out: no gap line
  log.reset();
  log.append(enc.encode("short"));
  assert.deepEqual(log.parts().length, 1);
});
