// Engine pointers past 2 GiB (issue 10 #3): the engine's memory can grow past 2 GiB (a guest
// can push it there), and its imports then receive pointers whose i32 is negative. Every
// `cove_host` handler must read them as u32. Here the engine's memory is grown to just over
// 2 GiB (untouched pages cost no RAM) and each handler is called with such pointers, as the
// engine would. Own file: the growth stays with this test process.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../js/src/node.js";
import { currentEngine, registerBackend, unregisterBackend } from "../js/src/engine.js";

const engine = currentEngine();
const memory = engine.E.memory;
const HIGH = 2 ** 31 + 4096; // an address past 2 GiB
const PAGE = 65536;
const WANTED = HIGH + 4 * PAGE;
if (memory.buffer.byteLength < WANTED) memory.grow(Math.ceil((WANTED - memory.buffer.byteLength) / PAGE));
const signed = (n) => n | 0; // what a wasm i32 argument looks like in JS
const host = engine.imports;
const bytes = () => engine.bytes();

test("stdout, stdin and event handlers take pointers past 2 GiB", () => {
  assert.ok(signed(HIGH) < 0, "the pointer is negative as an i32");
  const seen = {};
  const slot = 1000; // a slot no context uses in this process
  engine.contexts[slot] = {
    writeOut: (fd, data) => { seen.out = [fd, Buffer.from(data).toString()]; return 0; },
    readIn: (eptr, max) => { seen.in = [eptr, max]; return 0; },
    event: (json) => { seen.event = json; },
  };
  try {
    bytes().set(Buffer.from("out bytes"), HIGH);
    assert.equal(host.out_write(slot, 1, signed(HIGH), 9), 0);
    assert.deepEqual(seen.out, [1, "out bytes"]);
    host.in_read(slot, signed(HIGH), signed(2 ** 31 + 5));
    assert.deepEqual(seen.in, [HIGH, 2 ** 31 + 5]);
    bytes().set(Buffer.from('{"type":"x"}'), HIGH);
    host.event(slot, signed(HIGH), 12);
    assert.equal(seen.event, '{"type":"x"}');
  } finally {
    engine.contexts[slot] = undefined;
  }
});

test("random_fill fills past 2 GiB, from the pool and in chunks", () => {
  for (const len of [16, 256, 100_000]) {
    bytes().fill(0, HIGH, HIGH + len);
    bytes().fill(0, bytes().length - len); // where a negative index would have landed
    host.random_fill(signed(HIGH), len);
    const filled = bytes().subarray(HIGH, HIGH + len);
    assert.ok(filled.some((b) => b !== 0), `${len} random bytes at ${HIGH}`);
    assert.ok(bytes().subarray(bytes().length - len).every((b) => b === 0), "nothing written from the end");
  }
});

test("hostfs handlers take names, buffers and results past 2 GiB", () => {
  const calls = [];
  const id = registerBackend({
    root: () => 1,
    lookup: () => 2,
    lookupEntry: (dir, name) => { calls.push(["lookup", name]); return [2, 4]; },
    metadata: () => ({ ino: 7, filetype: 4, nlink: 1, size: 3, atim: 0, mtim: 0, ctim: 0 }),
    readlink: () => "target",
    readdir: () => [{ name: "e", ino: 9, filetype: 4 }],
    read: (node, offset, buf) => { buf.set([1, 2, 3]); return 3; },
    write: (node, offset, data) => { calls.push(["write", Buffer.from(data).toString()]); return data.length; },
    createDir: (dir, name) => calls.push(["mkdir", name]),
    setTimes: (node, a, m, atim) => calls.push(["times", a, m, atim]),
  });
  try {
    const e = bytes();
    const view = new DataView(e.buffer);
    e.set(Buffer.from("name"), HIGH);
    assert.equal(host.hostfs_lookup(id, 1, signed(HIGH), 4, signed(HIGH + 8)), 2);
    assert.equal(e[HIGH + 8], 4, "filetype stored past 2 GiB");
    assert.equal(host.hostfs_create_dir(id, 1, signed(HIGH), 4), 0);
    assert.equal(host.hostfs_metadata(id, 2, signed(HIGH + 16)), 0);
    assert.equal(view.getBigUint64(HIGH + 16, true), 7n);
    assert.equal(host.hostfs_readlink(id, 2, signed(HIGH + 100), 64), 6);
    assert.equal(Buffer.from(e.subarray(HIGH + 100, HIGH + 106)).toString(), "target");
    assert.equal(host.hostfs_readdir(id, 1, signed(HIGH + 200), 64), 14);
    assert.equal(host.hostfs_read(id, 2, 0, signed(HIGH + 300), 3), 3);
    assert.deepEqual([...e.subarray(HIGH + 300, HIGH + 303)], [1, 2, 3]);
    e.set(Buffer.from("data"), HIGH + 400);
    assert.equal(host.hostfs_write(id, 2, 0, signed(HIGH + 400), 4), 4);
    view.setUint32(HIGH + 500, 2, true);
    view.setUint32(HIGH + 504, 0, true);
    view.setBigUint64(HIGH + 508, 42n, true);
    assert.equal(host.hostfs_set_times(id, 2, signed(HIGH + 500)), 0);
    assert.deepEqual(calls, [["lookup", "name"], ["mkdir", "name"], ["write", "data"], ["times", 2, 0, 42n]]);
  } finally {
    unregisterBackend(id);
  }
});
