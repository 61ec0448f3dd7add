// Errors thrown for API misuse, shaped like Node's own (same classes, `code`s and messages), so
// code written against node:wasi that inspects them keeps working with Cove.

function describe(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === "function") return ` Received function ${value.name}`;
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? ` Received an instance of ${name}` : ` Received ${String(value)}`;
  }
  let shown = typeof value === "string" ? `'${value.length > 25 ? value.slice(0, 25) + "..." : value}'` : String(value);
  if (typeof value === "bigint") shown += "n";
  return ` Received type ${typeof value} (${shown})`;
}

function withCode(error, code) {
  Object.defineProperty(error, "code", { value: code, enumerable: false, writable: true, configurable: true });
  return error;
}

/** `kind` is "argument" or "property", as in Node's messages. */
export function invalidArgType(name, expected, value, kind = name.includes(".") ? "property" : "argument") {
  return withCode(new TypeError(`The "${name}" ${kind} must be ${expected}.${describe(value)}`), "ERR_INVALID_ARG_TYPE");
}

export function invalidArgValue(name, reason, value) {
  const shown = typeof value === "string" ? `'${value}'` : String(value);
  return withCode(new TypeError(`The ${name.includes(".") ? "property" : "argument"} '${name}' ${reason}. Received ${shown}`), "ERR_INVALID_ARG_VALUE");
}

export function outOfRange(name, range, value) {
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${value}`), "ERR_OUT_OF_RANGE");
}

export function alreadyStarted() {
  return withCode(new Error("WASI instance has already started"), "ERR_WASI_ALREADY_STARTED");
}

export function notStarted() {
  return withCode(new Error("wasi.start() has not been called"), "ERR_WASI_NOT_STARTED");
}

export function invalidMemory(name) {
  return withCode(new TypeError(`"${name}" property must be a WebAssembly.Memory object`), "ERR_INVALID_ARG_TYPE");
}

/** A guest wrote more to a collected stream than `options.maxOutput` allows (output.js). */
export function outputLimit(stream, max) {
  const message = `run: the guest wrote more than options.maxOutput (${max} bytes) to ${stream}; ` +
    "raise maxOutput, or use a WASI with a stdout callback to stream it";
  return withCode(new RangeError(message), "ERR_COVE_OUTPUT_LIMIT");
}

/** A policy or configuration the engine refused; the message names the offending key. */
export function invalidConfig(message) {
  return withCode(new TypeError(message), "ERR_COVE_INVALID_CONFIG");
}

export function validateObject(value, name) {
  if (value === null || typeof value !== "object") throw invalidArgType(name, "of type object", value);
}

/**
 * A byte-count option (`maxOutput`, `outputWindow`): `fallback` when not given, else a whole
 * number of bytes >= `min`, or Infinity (no limit) where `unlimited`. Anything else is refused
 * naming the option and what it must be: a non-number with ERR_INVALID_ARG_TYPE, a number
 * (NaN, a fraction, too small, Infinity where not allowed) with ERR_OUT_OF_RANGE.
 */
export function byteCountOption(name, value, { fallback, min = 0, unlimited = false }) {
  if (value === undefined) return fallback;
  if (unlimited && value === Infinity) return value;
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isSafeInteger(value) || value < min) {
    throw outOfRange(name, `a whole number of bytes >= ${min}${unlimited ? " or Infinity" : ""} (default ${fallback})`, value);
  }
  return value;
}

/** An optional boolean option: `fallback` when not given; anything but true or false is refused. */
export function booleanOption(name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw invalidArgType(name, "of type boolean", value);
  return value;
}

/** A host file descriptor, validated as Node validates stdio fds. */
export function validateFd(value, name) {
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < 0 || value > 2147483647) throw outOfRange(name, ">= 0 && <= 2147483647", value);
}
