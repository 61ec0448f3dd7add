// Generated trampolines (docs/components.md, "Lifting and lowering"): the engine writes JS source
// per signature (codegen.rs in crate/component); this compiles each once per compiled component
// with `new Function`. Where the page's CSP forbids eval (`new Function` throws an EvalError),
// or `instantiate(…, { tableDriven: true })` asks for it, calls take the table-driven path.
import { trap } from "./trap.js";
import {
  FlatReader, allocate, checkPointer, caseIndex, checkRange, enumIndex, liftChar, liftFlat, liftString, load, lowerChar, lowerFlat, lowerString, store,
  toBigInt, toNumber, view,
} from "./table-driven.js";

/** What generated code calls: the table-driven path's own helpers, so both paths agree. */
const rt = {
  FlatReader, allocate, checkPointer, caseIndex, checkRange, enumIndex, liftChar, liftFlat, liftString, load, lowerChar, lowerFlat, lowerString, store,
  toBigInt, toNumber, trap, view,
};

let evalAllowed;

function canEval() {
  try {
    return new Function("return true")();
  } catch {
    return false;
  }
}

/** The trampoline factory of signature `sig` in direction "lift" or "lower"; null without eval. */
export function trampolinesFor(compiled, sig, direction) {
  if (!(evalAllowed ??= canEval())) return null;
  const key = `${direction}:${sig}`;
  let factory = compiled.trampolines.get(key);
  if (!factory) {
    const source = compiled.plan.trampolines[sig][direction === "lift" ? 0 : 1];
    factory = new Function("rt", source)(rt);
    compiled.trampolines.set(key, factory);
  }
  return factory;
}
