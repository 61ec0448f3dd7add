// A guest importing a wasi_snapshot_preview1 function with the wrong signature, or one WASI
// preview 1 does not have, is refused before it runs with a LinkError naming the import and
// the signature p1 defines (issue 10 #9) — by run() here; tests/cli-module.test.mjs for the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "../js/src/node.js";
import { wat } from "./api-helpers.mjs";
import { describeModule, functionImports } from "../js/src/wasm-sections.js";
import { readFileSync } from "node:fs";

const importing = (decl) => wat(`(module ${decl} (memory (export "memory") 1) (func (export "_start")))`);

test("a wrong signature is a LinkError naming the import and what p1 defines", async () => {
  const cases = [
    [`(import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))`,
      "import wasi_snapshot_preview1.fd_write: the module imports it as (i32) -> i32, but WASI preview 1 defines (i32, i32, i32, i32) -> i32"],
    [`(import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i32 i32) (result i32)))`,
      "import wasi_snapshot_preview1.clock_time_get: the module imports it as (i32, i32, i32) -> i32, but WASI preview 1 defines (i32, i64, i32) -> i32"],
    [`(import "wasi_snapshot_preview1" "proc_exit" (func (param i32) (result i32)))`,
      "import wasi_snapshot_preview1.proc_exit: the module imports it as (i32) -> i32, but WASI preview 1 defines (i32) -> nil"],
    [`(import "wasi_snapshot_preview1" "fd_frobnicate" (func))`,
      "import wasi_snapshot_preview1.fd_frobnicate: WASI preview 1 has no function of that name"],
  ];
  for (const [decl, message] of cases) {
    const bytes = importing(decl);
    await assert.rejects(run(bytes), (e) => e instanceof WebAssembly.LinkError && e.message === message, decl);
  }
});

test("right signatures run; a compiled Module is checked by name", async () => {
  const ok = importing(`(import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))`);
  assert.equal((await run(ok)).exitCode, 0);
  assert.equal((await run(new WebAssembly.Module(ok))).exitCode, 0);
  const unknown = new WebAssembly.Module(importing(`(import "wasi_snapshot_preview1" "nope" (func))`));
  await assert.rejects(run(unknown), { name: "LinkError", message: /wasi_snapshot_preview1\.nope: WASI preview 1 has no function/ });
});

test("describeModule reads every import kind, function imports with their types, and exports", () => {
  const bytes = wat(`(module
    (type (func (param i64) (result f64)))
    (import "env" "mem" (memory 1))
    (import "env" "g" (global i32))
    (import "m" "f" (func (type 0)))
    (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
    (func (export "run") (type 0) (f64.const 0)))`);
  const { imports, exports } = describeModule(bytes);
  assert.deepEqual(imports, [
    { module: "env", name: "mem", kind: "memory" },
    { module: "env", name: "g", kind: "global" },
    { module: "m", name: "f", kind: "function", params: [0x7e], results: [0x7c] },
    { module: "wasi_snapshot_preview1", name: "sched_yield", kind: "function", params: [], results: [0x7f] },
  ]);
  assert.deepEqual(exports, [{ name: "run", kind: "function" }]);
  assert.deepEqual(functionImports(new WebAssembly.Module(bytes), bytes).map((i) => i.name), ["f", "sched_yield"]);
});

test("function imports after typed-reference table and global imports keep their types", () => {
  const bytes = readFileSync(new URL("modules/typed-ref-imports.wasm", import.meta.url));
  // Node 20 cannot compile this module, so there is no WebAssembly.Module to fall back on.
  assert.deepEqual(functionImports(undefined, bytes), [
    { module: "env", name: "after", kind: "function", params: [0x7f], results: [0x7f] },
    { module: "wasi_snapshot_preview1", name: "sched_yield", kind: "function", params: [], results: [0x7f] },
  ]);
});
