// Turning the Arguments and Environment fields into argv and env, the way a shell would.

/**
 * Split a command line into words: whitespace separates, '…' keeps everything literally, "…"
 * keeps spaces and honours \" and \\, a backslash outside quotes escapes the next character.
 * Throws on an unterminated quote so the user sees why nothing ran.
 */
export function splitArgs(line) {
  const words = [];
  let word = null; // null: between words; a string: inside one (possibly empty, e.g. "")
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = findClosing(line, i, c);
      if (end < 0) throw new Error(`unterminated ${c === "'" ? "single" : "double"} quote in arguments`);
      const inner = line.slice(i + 1, end);
      word = (word ?? "") + (c === '"' ? inner.replace(/\\(["\\$`])/g, "$1") : inner);
      i = end;
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function findClosing(line, start, quote) {
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === "\\") i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}

/** Quote words back into a line that splitArgs reads the same. */
export function joinArgs(words) {
  return words.map((w) => (w === "" ? "''" : /[\s'"\\]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(" ");
}

/** "NAME=value" lines (blank lines and # comments skipped) into an object. */
export function parseEnv(text) {
  const env = {};
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`environment line ${n + 1}: expected NAME=value, got ${JSON.stringify(line)}`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}
