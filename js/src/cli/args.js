// Parses the command line into a plain description of what to do; knows nothing about files,
// policies or the engine. Errors are UsageErrors naming the offending argument.
import { UsageError } from "./errors.js";

/** Options of `cove run` that take a value (as `--opt value` or `--opt=value`). */
const VALUE_OPTIONS = new Set(["--dir", "--ro-dir", "--env", "--policy", "--clock", "--seed"]);
const CLOCKS = ["frozen", "real"];

/**
 * @param {string[]} argv  the arguments after `cove`
 * @returns {{command: "help", topic?: string} | {command: "version"} | {command: "run", ...RunOptions}
 *   | {command: "types", file: string}}
 */
export function parseCommandLine(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command", "main");
  if (first === "-h" || first === "--help") return { command: "help" };
  if (first === "-V" || first === "--version") return { command: "version" };
  if (first === "help") {
    if (rest.length > 1) throw new UsageError(`help takes one command name, got: ${rest.join(" ")}`, "main");
    if (rest.length === 1 && rest[0] !== "run" && rest[0] !== "types") throw new UsageError(`unknown command '${rest[0]}'`, "main");
    return { command: "help", topic: rest[0] };
  }
  if (first === "run") return parseRun(rest);
  if (first === "types") return parseTypes(rest);
  if (first.startsWith("-")) throw new UsageError(`unknown option ${first}`, "main");
  const hint = first.endsWith(".wasm") ? ` (did you mean 'cove run ${first}'?)` : "";
  throw new UsageError(`unknown command '${first}'${hint}`, "main");
}

/** `cove types <file.wasm>`: one component file, no options. */
function parseTypes(argv) {
  if (argv.some((a) => a === "-h" || a === "--help")) return { command: "help", topic: "types" };
  const option = argv.find((a) => a.startsWith("-") && a !== "-");
  if (option) throw new UsageError(`unknown option ${option}`, "types");
  if (argv.length !== 1) throw new UsageError(argv.length ? `types takes one file, got: ${argv.join(" ")}` : "missing the component (<file.wasm>)", "types");
  return { command: "types", file: argv[0] };
}

/**
 * @typedef {{ host: string, guest: string, mode: "rw" | "ro", flag: string }} DirFlag
 * @typedef {{ name: string, value?: string }} EnvFlag
 * @typedef {{ help?: boolean, dirs: DirFlag[], env: EnvFlag[], policyFile?: string,
 *             clock?: "frozen" | "real", seed?: number, trace: boolean,
 *             file: string, args: string[] }} RunOptions
 */
function parseRun(argv) {
  const options = { command: "run", dirs: [], env: [], trace: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    if (arg === "-h" || arg === "--help") return { command: "help", topic: "run" };
    if (arg === "--trace") {
      options.trace = true;
      continue;
    }
    // Both "--dir X" and "--dir=X".
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === "--trace") throw new UsageError("--trace takes no value");
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
    let value;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`${name} needs a value`);
    applyValueOption(options, name, value);
  }
  if (i >= argv.length) throw new UsageError("missing the module to run (<file.wasm>)");
  options.file = argv[i];
  options.args = argv.slice(i + 1);
  return options;
}

function applyValueOption(options, name, value) {
  switch (name) {
    case "--dir":
    case "--ro-dir":
      options.dirs.push(parseDir(name, value));
      break;
    case "--env":
      options.env.push(parseEnv(value));
      break;
    case "--policy":
      if (options.policyFile !== undefined) throw new UsageError("--policy given twice");
      if (value === "") throw new UsageError("--policy needs a file name");
      options.policyFile = value;
      break;
    case "--clock":
      if (!CLOCKS.includes(value)) throw new UsageError(`--clock must be frozen or real, got '${value}'`);
      options.clock = value;
      break;
    case "--seed":
      options.seed = parseSeed(value);
      break;
  }
}

function parseDir(flag, value) {
  const sep = value.indexOf("::");
  const host = sep < 0 ? value : value.slice(0, sep);
  const guest = sep < 0 ? value : value.slice(sep + 2);
  if (host === "") throw new UsageError(`${flag} ${value}: the host directory is empty`);
  if (guest === "") throw new UsageError(`${flag} ${value}: the guest path after '::' is empty`);
  return { host, guest, mode: flag === "--ro-dir" ? "ro" : "rw", flag: `${flag} ${value}` };
}

function parseEnv(value) {
  const eq = value.indexOf("=");
  const name = eq < 0 ? value : value.slice(0, eq);
  // POSIX leaves names free except '=' and NUL; an empty name could never be looked up.
  if (name === "" || name.includes("\0")) throw new UsageError(`--env ${value}: expected NAME or NAME=VALUE`);
  if (eq < 0) return { name };
  const v = value.slice(eq + 1);
  if (v.includes("\0")) throw new UsageError(`--env ${name}: the value contains a NUL byte`);
  return { name, value: v };
}

function parseSeed(value) {
  // JSON numbers (the policy's seed) are exact only up to 2^53 - 1.
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--seed must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got '${value}'`);
  }
  return Number(value);
}
