// The engine's WASI preview 2 exports (docs/engine-abi.md, "Preview 2"), driven by hand the way
// the component runtime's forwarders drive them: one `p2:<interface>#<name>` export per table
// entry, handles as numbers, results lowered into the bound guest memory, stops signalled
// through `p2_signal` during the call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { WASI } from "../js/src/node.js";
import { currentEngine, glue, loadFullEngine } from "../js/src/engine.js";
import { command, instantiate } from "./api-helpers.mjs";

await loadFullEngine(); // the p2 exports are the full engine's (docs/engine-abi.md "Two engines")

/** A context bound to a guest memory, with its JS half ready for p2 signals. */
async function p2Context(options = {}) {
  const out = [];
  const wasi = new WASI({ version: "preview1", stdout: (c) => out.push(c), ...options });
  const instance = await instantiate(command(""), wasi);
  const engine = currentEngine();
  const binding = engine.contexts.find((b) => b?.ctx !== undefined);
  // What the component runtime does before each call: point the slot at the lowering's memory.
  binding.memory = instance.exports.memory;
  binding.guestBytes();
  const signals = [];
  binding.p2Signal = (kind, a, b) => signals.push([kind, a, b]);
  const memory = new Uint8Array(instance.exports.memory.buffer);
  let next = 0x4000;
  binding.guestRealloc = (oldPtr, oldSize, align, size) => {
    next = Math.ceil(next / align) * align;
    const ptr = next;
    next += size;
    return ptr;
  };
  const call = (name, ...args) => engine.E[`p2:${name}`](binding.ctx, ...args);
  return { wasi, engine, binding, memory, out, signals, call };
}

test("every p2 export is there, and a hello world reaches stdout through p1's buffering", async () => {
  const { engine, memory, out, signals, call, binding } = await p2Context();
  const names = Object.keys(engine.E).filter((n) => n.startsWith("p2:"));
  assert.ok(names.includes("p2:wasi:io/streams#[method]output-stream.blocking-write-and-flush"));
  assert.ok(names.includes("p2:wasi:io/streams#[resource-drop]output-stream"));
  assert.ok(names.length >= 40, `${names.length} exports`);

  const stdout = call("wasi:cli/stdout#get-stdout");
  assert.ok(stdout > 0);
  memory.set(new TextEncoder().encode("hello, p2\n"), 0x100);
  call("wasi:io/streams#[method]output-stream.blocking-write-and-flush", stdout, 0x100, 10, 0x200);
  assert.deepEqual([...memory.subarray(0x200, 0x201)], [0], "ok");
  assert.deepEqual(signals, []);
  engine.E.flush(binding.ctx);
  assert.equal(Buffer.concat(out).toString(), "hello, p2\n");

  call("wasi:io/streams#[method]output-stream.blocking-write-and-flush", 9999, 0x100, 10, 0x200);
  assert.equal(signals.length, 1);
  const [kind, ptr, len] = signals[0];
  assert.equal(kind, 1, "trap");
  assert.equal(new TextDecoder().decode(engine.bytes().subarray(ptr, ptr + len)), "unknown handle index 9999");

  call("wasi:cli/exit#exit", 1);
  assert.deepEqual(signals[1], [2, 1, 0], "exit with code 1");
});

test("lists in results are allocated through guest_realloc", async () => {
  const { memory, call, signals } = await p2Context({ env: { A: "1" }, policy: { random: { seed: 3 } } });
  call("wasi:random/random#get-random-bytes", 16n, 0x300);
  const view = new DataView(memory.buffer);
  const [ptr, len] = [view.getUint32(0x300, true), view.getUint32(0x304, true)];
  assert.equal(len, 16);
  assert.ok(ptr >= 0x4000, "in the block guest_realloc handed out");
  assert.deepEqual(signals, []);
});

test("p2_check_import names the import and the lowered signature", () => {
  assert.equal(glue.p2_check_import("wasi:cli/stdout@0.2.6", "get-stdout", new Uint8Array([]), new Uint8Array([0x7f])), undefined);
  assert.equal(
    glue.p2_check_import("wasi:cli/stdout@0.2.6", "get-stdout", new Uint8Array([0x7f]), new Uint8Array([0x7f])),
    "import wasi:cli/stdout@0.2.6#get-stdout: the module imports it as (i32) -> i32, but WASI preview 2 lowers it to () -> i32",
  );
  assert.match(glue.p2_check_import("wasi:io/streams@0.3.0", "[method]output-stream.write"), /not 0\.3\.0/);
});
