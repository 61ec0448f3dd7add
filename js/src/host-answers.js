// Calls whose whole answer is the host's (docs/engine-abi.md, "Answered by the host"): with the
// host's real clocks and crypto random, clock_time_get and random_get need nothing from the
// engine but the errno logic, so their usual case is answered here in one crossing. Anything
// else — another clock id, a pointer out of range, a large request, memory not yet bound — goes
// through the engine's own implementation (`viaEngine`), which answers it as always. The engine
// says when this applies (`host_answers`): never for frozen or virtual clocks, a seeded random
// or a traced context, whose answers only the engine has.
import { fillFromRandomPool, hostNowNs, RANDOM_POOLED_MAX } from "./engine.js";

const CLOCKS = 1;
const RANDOM = 2;
const TWO_TO_32 = 4294967296;

/** Replaces `imports.clock_time_get` / `random_get` as the engine's `answers` bits allow. */
export function answerInJs(answers, imports, binding) {
  if (answers > (CLOCKS | RANDOM)) return; // an errno: the context is not usable as is
  if (answers & CLOCKS) imports.clock_time_get = clockTimeGet(binding, imports.clock_time_get);
  if (answers & RANDOM) imports.random_get = randomGet(binding, imports.random_get);
}

function clockTimeGet(binding, viaEngine) {
  return (id, precision, out) => {
    out >>>= 0;
    const g = binding.u8;
    if ((id !== 0 && id !== 1) || g.length === 0 || out + 8 > g.length) return viaEngine(id, precision, out);
    // The u64 the engine would write (`f64 as u64` truncates): two exact 32-bit halves.
    const ns = hostNowNs(id);
    const hi = Math.floor(ns / TWO_TO_32);
    const lo = (ns - hi * TWO_TO_32) >>> 0;
    g[out] = lo; g[out + 1] = lo >>> 8; g[out + 2] = lo >>> 16; g[out + 3] = lo >>> 24;
    g[out + 4] = hi; g[out + 5] = hi >>> 8; g[out + 6] = hi >>> 16; g[out + 7] = hi >>> 24;
    return 0;
  };
}

function randomGet(binding, viaEngine) {
  return (buf, len) => {
    buf >>>= 0;
    len >>>= 0;
    const g = binding.u8;
    if (len > RANDOM_POOLED_MAX || g.length === 0 || buf + len > g.length) return viaEngine(buf, len);
    fillFromRandomPool(g, buf, len);
    return 0;
  };
}
