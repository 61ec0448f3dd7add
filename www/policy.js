// The policy editor: a JSON textarea checked as you type. JSON syntax is checked here (with the
// line and column of the mistake); the policy's meaning is checked by the engine itself, which
// validates every policy once at construction (docs/design.md, "Policy") — the playground has no rules of its own.
import { WASI } from "/js/src/browser.js";

/** Line and column of a character offset, both 1-based. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Parse the editor's text: { policy } or { error } with a message that says where. */
export function parsePolicy(text) {
  if (!text.trim()) return { policy: undefined };
  try {
    return { policy: JSON.parse(text) };
  } catch (e) {
    // V8 says "… in JSON at position N (line L column C)"; older engines only give the position.
    const at = /position (\d+)/.exec(e.message);
    const where = at && !/line \d+/.test(e.message) ? (({ line, column }) => ` (line ${line}, column ${column})`)(lineColumn(text, Number(at[1]))) : "";
    return { error: `JSON: ${e.message}${where}` };
  }
}

/**
 * Ask the engine whether it accepts `policy` over the filesystem `fs` (mount hosts name its
 * directories): null, or the engine's message naming the key.
 */
export function engineVerdict(policy, fs) {
  try {
    new WASI({ version: "preview1", args: [], env: {}, policy, fs });
    return null;
  } catch (e) {
    return String(e?.message ?? e);
  }
}

export function formatPolicy(policy) {
  return JSON.stringify(policy, null, 2)
    // keep short objects (mounts, seeds) on one line so the editor stays readable
    .replace(/\{\n\s+([^{}[\]]{1,70}?)\n\s*\}/g, (_, body) => `{ ${body.replace(/,\n\s+/g, ", ")} }`);
}
