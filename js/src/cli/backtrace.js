// Turns a trap (a WebAssembly.RuntimeError, or a RangeError for stack exhaustion) into the
// message and wasm backtrace the CLI prints, with names from the module's name section.
import { demangle } from "./demangle.js";
import { binaryKind, describeFunctions } from "../wasm-sections.js";

/** How many frames V8 records; deep recursion gets cut here (and says so). */
export const BACKTRACE_LIMIT = 100;

// "    at NAME (wasm://wasm/HASH:wasm-function[INDEX]:0xOFFSET)" or without "NAME (" … ")".
const WASM_FRAME = /^\s*at (?:(.*) \()?wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]:0x([0-9a-f]+)\)?\s*$/;

/** True when `error` is the guest trapping rather than the host failing. */
export function isTrap(error) {
  if (error instanceof WebAssembly.RuntimeError) return true;
  // Stack exhaustion in wasm surfaces as a RangeError whose top frame is wasm.
  if (!(error instanceof RangeError)) return false;
  const firstFrame = String(error.stack ?? "").split("\n").find((line) => /^\s*at /.test(line));
  return firstFrame !== undefined && WASM_FRAME.test(firstFrame);
}

/** Parses the wasm frames out of a V8 stack string, innermost first. */
export function wasmFrames(stack) {
  const frames = [];
  for (const line of String(stack).split("\n")) {
    const m = WASM_FRAME.exec(line);
    if (m) frames.push({ v8Name: m[1], index: Number(m[2]), offset: parseInt(m[3], 16) });
  }
  return frames;
}

/**
 * @param {string} file   the module as named on the command line
 * @param {Uint8Array} bytes  its bytes (for names and function ranges)
 * @param {{message: string, stack: string}} trap
 * @returns {string} the text for stderr, ending in a newline
 */
export function formatTrap(file, bytes, trap) {
  // A component's frames are in its core modules (names by V8; no engine frames to tell apart).
  const component = binaryKind(bytes) === "component";
  const { names, importedFunctions, bodies } = component ? { names: new Map() } : describeFunctions(bytes);
  const inGuest = ({ index, offset }) => {
    if (component) return true;
    const body = bodies[index - importedFunctions];
    return body !== undefined && offset >= body[0] && offset < body[1];
  };
  const frames = wasmFrames(trap.stack);
  const lines = [`cove: ${file}: wasm trap: ${trap.message}`, "wasm backtrace:"];
  const width = Math.max(0, ...frames.map((f) => f.offset.toString(16).length)) + 2;
  frames.forEach((frame, i) => {
    const where = `0x${frame.offset.toString(16)}`.padStart(width);
    const symbol = names.get(frame.index) ?? frame.v8Name;
    const name = symbol === undefined ? `<wasm function ${frame.index}>` : demangle(symbol);
    // A frame outside the guest's code is the engine's own wasm (a host call that failed).
    const label = inGuest(frame) ? name : `<cove engine: wasm function ${frame.index}>`;
    lines.push(`${String(i).padStart(4)}: ${where} - ${label}`);
  });
  if (frames.length === 0) lines.push("    (no wasm frames recorded)");
  const recorded = String(trap.stack).split("\n").filter((line) => /^\s*at /.test(line)).length;
  if (recorded >= BACKTRACE_LIMIT) lines.push(`    … cut at ${BACKTRACE_LIMIT} frames`);
  return lines.join("\n") + "\n";
}
