// lowerString sizes the realloc for a UTF-8 string with utf8Length, then encodes straight into
// guest memory (js/src/component/table-driven.js): the length must be exactly what the encoder
// writes, or the guest gets a cut-off string or trailing garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { utf8Length } from "../js/src/component/table-driven.js";

const encoder = new TextEncoder();

test("utf8Length matches TextEncoder on every width and on lone surrogates", () => {
  const cases = ["", "a", "\x7f", "\x80", "é", "\u07ff", "\u0800", "€", "\uffff", "😀", "\u{10ffff}",
    "\ud800", "\udc00", "a\ud800b", "\ud800\ud800\udc00", "x\udbff", "\udc00\ud800", "\udbff\udfff"];
  for (const s of cases) assert.equal(utf8Length(s), encoder.encode(s).length, JSON.stringify(s));
});

test("utf8Length matches TextEncoder on mixed strings of code units", () => {
  const units = [0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xd83d, 0xde00, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffd];
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let k = 0; k < 5000; k++) {
    let s = "";
    for (let n = next() % 12; n > 0; n--) s += String.fromCharCode(units[next() % units.length]);
    assert.equal(utf8Length(s), encoder.encode(s).length, JSON.stringify(s));
  }
});
