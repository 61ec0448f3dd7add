// The JS errno table (js/src/wasi-errno.js) against the engine's (crate/core/src/errno.rs), and
// what a MemFS error carries for a user who handles it like a node:fs error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ERRNO, errnoName, errnoOfCode } from "../js/src/wasi-errno.js";
import { MemFS } from "cove";

test("every WASI errno has the engine's number and name", () => {
  const rust = readFileSync(new URL("../crate/core/src/errno.rs", import.meta.url), "utf8");
  const names = [...rust.match(/const NAMES: \[&str; \d+\] = \[([^\]]*)\]/s)[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.equal(names.length, 77);
  names.forEach((name, n) => {
    if (n === 0) return; // SUCCESS
    assert.equal(errnoName(n), `E${name}`, `errno ${n}`);
    assert.equal(ERRNO[`E${name}`], n);
  });
  assert.equal(errnoName(200), "E200");
});

test("Node error codes map to WASI errnos; unknown codes to none", () => {
  assert.equal(errnoOfCode("ENOENT"), 44);
  assert.equal(errnoOfCode("EOPNOTSUPP"), ERRNO.ENOTSUP);
  assert.equal(errnoOfCode("ENOTAREALCODE"), undefined);
  assert.equal(errnoOfCode("constructor"), undefined);
  assert.equal(errnoOfCode(undefined), undefined);
});

test("MemFS errors read like node:fs errors: code, Node's errno, syscall, path", () => {
  const fs = new MemFS({ "/a/file.txt": "x" });
  assert.throws(() => fs.readFile("/missing.txt"), (e) => {
    assert.equal(e.code, "ENOENT");
    assert.equal(e.errno, -2); // node:fs's number for ENOENT
    assert.equal(e.wasiErrno, 44);
    assert.equal(e.path, "/missing.txt");
    assert.match(e.message, /^ENOENT: no such file or directory, \w+ '\/missing.txt'$/);
    return true;
  });
  assert.throws(() => fs.mkdir("/a/file.txt"), (e) => e.code === "EEXIST" && e.errno === -17 && e.wasiErrno === 20);
  assert.throws(() => fs.readdir("/a/file.txt"), (e) => e.code === "ENOTDIR" && e.errno === -20);
});
