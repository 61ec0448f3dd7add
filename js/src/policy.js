// The policy's JSON text, made once per WASI: the engine validates exactly this text, and the
// mounts and environment are read back from it, never from the caller's object again (a getter,
// an inherited `mounts` or a `toJSON` could otherwise show the engine one policy and the mounting
// code another). JSON has no NaN or Infinity: `JSON.stringify` writes them as null, which the
// engine reads as "not given", so a limit of NaN would silently mean "unlimited". They are
// refused here, naming the key.
import { invalidConfig } from "./errors.js";

/**
 * `policy` as JSON text, or throws ERR_COVE_INVALID_CONFIG naming the key of a non-finite
 * number, or saying why the value is not JSON.
 */
export function policyText(policy) {
  const paths = new WeakMap(); // each object or array met -> its key path, for messages
  let text;
  try {
    text = JSON.stringify(policy, function (key, value) {
      const parent = paths.get(this);
      const path = parent === undefined ? "policy" : Array.isArray(this) ? `${parent}[${key}]` : `${parent}.${key}`;
      if (typeof value === "number" && !Number.isFinite(value)) {
        throw invalidConfig(`${path}: expected a finite number (got ${value})`);
      }
      if (value !== null && typeof value === "object") paths.set(value, path);
      return value;
    });
  } catch (e) {
    if (e?.code === "ERR_COVE_INVALID_CONFIG") throw e;
    throw invalidConfig(`policy: not JSON-serialisable (${e.message})`);
  }
  if (text === undefined) throw invalidConfig("policy: not JSON-serialisable (it serialises to nothing)");
  return text;
}
