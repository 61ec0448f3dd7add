// The policy the guest runs under: the --policy file (checked here, so an error can name the
// file and the key), with the command-line flags added to it (DESIGN.md, "Policy").
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PolicyError, UsageError } from "./errors.js";

const MOUNT_MODES = ["ro", "rw"];
const CLOCK_NAMES = ["real", "frozen"];
const LOG_LEVELS = ["denied", "all", "none"];
const LIMIT_KEYS = ["openFiles", "fileBytes", "writtenBytes"];

/**
 * Reads and checks a policy file. Mount host paths are made absolute relative to the file's
 * directory, so a policy file travels with the directories it names.
 */
export function loadPolicyFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyError(file, e.code === "ENOENT" ? "no such file" : `cannot read: ${e.message}`);
  }
  let policy;
  try {
    policy = JSON.parse(text);
  } catch (e) {
    throw new PolicyError(file, `invalid JSON: ${e.message}`);
  }
  const problem = checkPolicy(policy);
  if (problem) throw new PolicyError(file, problem);
  const base = dirname(resolve(file));
  for (const [i, mount] of (policy.mounts ?? []).entries()) {
    mount.host = resolve(base, mount.host);
    const missing = directoryProblem(mount.host);
    if (missing) throw new PolicyError(file, `mounts[${i}].host: ${mount.host}: ${missing}`);
  }
  return policy;
}

/** Returns a message naming the first bad key, or null when `policy` has the shape of DESIGN.md. */
export function checkPolicy(policy) {
  if (!isPlainObject(policy)) return "the policy must be a JSON object";
  for (const [key, value] of Object.entries(policy)) {
    const check = TOP_LEVEL[key];
    if (!check) return `unknown key "${key}" (expected one of ${Object.keys(TOP_LEVEL).join(", ")})`;
    const problem = check(value);
    if (problem) return `${key}${problem}`;
  }
  return null;
}

const TOP_LEVEL = {
  mounts(value) {
    if (!Array.isArray(value)) return ": expected an array of {guest, host, mode}";
    for (const [i, mount] of value.entries()) {
      const problem = checkObject(mount, {
        guest: (v) => (typeof v === "string" && v !== "" ? null : "expected a non-empty string"),
        host: (v) => (typeof v === "string" && v !== "" ? null : "expected a non-empty string"),
        mode: (v) => oneOf(v, MOUNT_MODES),
      }, ["guest", "host"]);
      if (problem) return `[${i}]${problem}`;
    }
    return null;
  },
  env(value) {
    return checkObject(value, {
      allow: (v) => (Array.isArray(v) && v.every((n) => typeof n === "string")
        ? null : "expected an array of variable names"),
      set: (v) => (isPlainObject(v) && Object.values(v).every((s) => typeof s === "string")
        ? null : "expected an object of NAME: \"value\" strings"),
    });
  },
  clock(value) {
    if (typeof value === "string") {
      const problem = oneOf(value, CLOCK_NAMES);
      return problem && `: ${problem}`;
    }
    return checkObject(value, {
      start: (v) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? null : "expected a date like \"2000-01-01T00:00:00Z\""),
      rate: (v) => (typeof v === "number" && v >= 0 && Number.isFinite(v) ? null : "expected a number >= 0"),
    });
  },
  random(value) {
    if (typeof value === "string") return value === "crypto" ? null : `: expected "crypto" or {"seed": N}, got "${value}"`;
    return checkObject(value, { seed: (v) => (Number.isSafeInteger(v) && v >= 0 ? null : "expected an integer >= 0") }, ["seed"]);
  },
  limits(value) {
    return checkObject(value, Object.fromEntries(LIMIT_KEYS.map((k) => [k, (v) =>
      (Number.isSafeInteger(v) && v >= 0 ? null : "expected an integer >= 0")])));
  },
  log(value) {
    const problem = oneOf(value, LOG_LEVELS);
    return problem && `: ${problem}`;
  },
};

/** Checks an object's keys against `fields` (name -> check returning a problem or null). */
function checkObject(value, fields, required = []) {
  if (!isPlainObject(value)) return `: expected an object with keys ${Object.keys(fields).join(", ")}`;
  for (const [key, v] of Object.entries(value)) {
    if (!fields[key]) return `.${key}: unknown key (expected one of ${Object.keys(fields).join(", ")})`;
    const problem = fields[key](v);
    if (problem) return `.${key}: ${problem}`;
  }
  for (const key of required) if (!(key in value)) return `.${key}: missing`;
  return null;
}

function oneOf(value, allowed) {
  return allowed.includes(value) ? null : `expected ${allowed.map((a) => `"${a}"`).join(" or ")}, got ${JSON.stringify(value)}`;
}

function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function directoryProblem(path) {
  try {
    return statSync(path).isDirectory() ? null : "not a directory";
  } catch (e) {
    return e.code === "ENOENT" ? "no such directory" : e.message;
  }
}

/**
 * Adds the run flags to the file's policy (flags win for single values) and resolves the
 * environment the guest sees: names in env.allow ("*": all) copied from `hostEnv`, then env.set.
 * @returns {{ policy: object, env: Record<string, string> }}
 */
export function mergeFlags(filePolicy, options, hostEnv, cwd) {
  const policy = structuredClone(filePolicy ?? {});
  for (const dir of options.dirs) {
    const host = resolve(cwd, dir.host);
    const missing = directoryProblem(host);
    if (missing) throw new UsageError(`${dir.flag}: ${missing}`);
    (policy.mounts ??= []).push({ guest: dir.guest, host, mode: dir.mode });
  }
  const envPolicy = (policy.env ??= {});
  for (const { name, value } of options.env) {
    if (value === undefined) (envPolicy.allow ??= []).push(name);
    else (envPolicy.set ??= {})[name] = value;
  }
  if (options.clock !== undefined) policy.clock = options.clock;
  if (options.seed !== undefined) policy.random = { seed: options.seed };

  const env = {};
  const allow = envPolicy.allow ?? [];
  for (const [name, value] of Object.entries(hostEnv)) {
    if (allow.includes("*") || allow.includes(name)) env[name] = value;
  }
  Object.assign(env, envPolicy.set ?? {});
  return { policy, env };
}
