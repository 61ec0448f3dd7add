// The CLI's pure parts, without spawning: argument parsing, Rust demangling, and the name and
// code sections read for backtraces (never throwing on malformed input).
import { test } from "node:test";
import assert from "node:assert/strict";
import binaryen from "binaryen";
import { parseCommandLine } from "../js/src/cli/args.js";
import { demangle } from "../js/src/cli/demangle.js";
import { describeFunctions } from "../js/src/wasm-sections.js";
import { formatTrap, wasmFrames } from "../js/src/cli/backtrace.js";

test("parseCommandLine: options, repeated flags, values with '=' and '::', guest args untouched", () => {
  const parsed = parseCommandLine(["run", "--dir", "a::/x", "--ro-dir=b", "--env", "K=v=w", "--env", "PASS",
    "--clock", "frozen", "--seed", "42", "--trace", "--policy", "p.json", "app.wasm", "--dir", "y", "--"]);
  assert.deepEqual(parsed, {
    command: "run",
    dirs: [
      { host: "a", guest: "/x", mode: "rw", flag: "--dir a::/x" },
      { host: "b", guest: "b", mode: "ro", flag: "--ro-dir b" },
    ],
    env: [{ name: "K", value: "v=w" }, { name: "PASS" }],
    clock: "frozen",
    seed: 42,
    trace: true,
    policyFile: "p.json",
    file: "app.wasm",
    args: ["--dir", "y", "--"],
  });
});

test("parseCommandLine: '-' alone is a file name, not an option", () => {
  assert.equal(parseCommandLine(["run", "-"]).file, "-");
});

test("demangle: legacy Rust symbols", () => {
  assert.equal(demangle("_ZN4trap4main17h9763edf940321855E"), "trap::main");
  assert.equal(demangle("_ZN69_$LT$core..alloc..layout..LayoutError$u20$as$u20$core..fmt..Debug$GT$3fmt17h1234567890abcdefE"),
    "<core::alloc::layout::LayoutError as core::fmt::Debug>::fmt");
});

test("demangle: v0 Rust symbols (nested paths, closures, generics, trait impls, back-references)", () => {
  assert.equal(demangle("_RNvNtNtNtNtCset5xJoy1xWQ_3std3sys3pal4wasi7helpers14abort_internal"), "std::sys::pal::wasi::helpers::abort_internal");
  assert.equal(demangle("_RNCNvNtCset5xJoy1xWQ_3std9panicking13panic_handler0B5_"), "std::panicking::panic_handler::{closure#0}");
  assert.equal(demangle("_RINvNtNtCset5xJoy1xWQ_3std3sys9backtrace26___rust_end_short_backtraceNCNvNtB6_9panicking13panic_handler0zEB6_"),
    "std::sys::backtrace::__rust_end_short_backtrace::<std::panicking::panic_handler::{closure#0}, !>");
  assert.equal(demangle("_RNvXs5_NtCsd4VYFwevHkG_4core3fmtNtB5_9ArgumentsNtB5_7Display3fmt"), "<core::fmt::Arguments as core::fmt::Display>::fmt");
  assert.equal(demangle("_RINvCs1_4demo3sumRShEB2_"), "demo::sum::<&[u8]>");
});

test("demangle: anything else comes back unchanged, never throws", () => {
  for (const name of ["_start", "__main_void", "", "_R", "_RNv", "_ZN4tra", "_RBzzzz_", "_RIC3fooKmffffffffffffffffffff", "$$$"]) {
    assert.equal(typeof demangle(name), "string");
  }
  assert.equal(demangle("_start"), "_start");
  assert.equal(demangle("_ZN4tra"), "_ZN4tra");
});

function moduleBytes(wat, names = true) {
  const m = binaryen.parseText(wat);
  binaryen.setDebugInfo(names);
  try {
    return m.emitBinary();
  } finally {
    binaryen.setDebugInfo(false);
    m.dispose();
  }
}

test("describeFunctions: imported function count, names by index, body ranges", () => {
  const bytes = moduleBytes(`(module (import "env" "f" (func $imported)) (import "env" "m" (memory 1))
    (func $a (call $imported)) (func $b (call $a)))`);
  const { names, importedFunctions, bodies } = describeFunctions(bytes);
  assert.equal(importedFunctions, 1);
  assert.deepEqual([...names], [[0, "imported"], [1, "a"], [2, "b"]]);
  assert.equal(bodies.length, 2);
  for (const [start, end] of bodies) assert.ok(start > 8 && end > start && end <= bytes.length);
});

test("describeFunctions: every truncation and corruption of a module is survived", () => {
  const bytes = moduleBytes(`(module (func $a (nop)) (func $b (call $a)) (export "b" (func $b)))`);
  for (let n = 0; n <= bytes.length; n++) describeFunctions(bytes.subarray(0, n));
  for (let i = 8; i < bytes.length; i++) {
    for (const v of [0x00, 0x7f, 0x80, 0xff]) {
      const bad = Uint8Array.from(bytes);
      bad[i] = v;
      const { names, bodies } = describeFunctions(bad);
      assert.ok(names instanceof Map && Array.isArray(bodies));
    }
  }
});

test("formatTrap: frames outside the guest's code are labelled as the engine's", () => {
  const bytes = moduleBytes(`(module (func $only (unreachable)))`);
  const [[start]] = describeFunctions(bytes).bodies;
  const stack = [
    "RuntimeError: unreachable",
    `    at wasm://wasm/abcd:wasm-function[0]:0x${(start + 100000).toString(16)}`,
    `    at only (wasm://wasm/1234:wasm-function[0]:0x${(start + 1).toString(16)})`,
    "    at file:///x.js:1:1",
  ].join("\n");
  assert.equal(wasmFrames(stack).length, 2);
  const text = formatTrap("g.wasm", bytes, { message: "unreachable", stack });
  assert.match(text, /^cove: g\.wasm: wasm trap: unreachable\nwasm backtrace:\n +0: +0x[0-9a-f]+ - <cove engine: wasm function 0>\n +1: +0x[0-9a-f]+ - only\n$/);
});
