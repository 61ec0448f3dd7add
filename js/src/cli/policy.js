// The policy the guest runs under: the --policy file with the command-line flags added to it
// (docs/design.md, "Policy"). Keys and values are checked by the engine, in one place for every host
// (WASI constructor, ERR_COVE_INVALID_CONFIG, messages naming the key); here the file is read,
// its relative mount paths are anchored, and every host directory is checked to exist, so those
// mistakes are reported against the file or the flag that made them.
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PolicyError, UsageError } from "./errors.js";

/**
 * Reads a policy file. Mount host paths are made absolute relative to the file's directory,
 * so a policy file travels with the directories it names.
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
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new PolicyError(file, "the policy must be a JSON object");
  }
  const base = dirname(resolve(file));
  if (Array.isArray(policy.mounts)) {
    for (const [i, mount] of policy.mounts.entries()) {
      if (typeof mount?.host !== "string" || mount.host === "") continue; // the engine names this mistake
      mount.host = resolve(base, mount.host);
      const missing = directoryProblem(mount.host);
      if (missing) throw new PolicyError(file, `policy.mounts[${i}].host: ${mount.host}: ${missing}`);
    }
  }
  return policy;
}

/**
 * Adds the run flags to the file's policy: --dir/--ro-dir append mounts (after the file's, so
 * preopen numbering follows the order given), --env NAME adds to env.allow (the engine copies
 * allowed host variables), --env NAME=VALUE to env.set; --clock and --seed replace.
 */
export function addFlags(filePolicy, options, cwd) {
  const policy = structuredClone(filePolicy ?? {});
  for (const dir of options.dirs) {
    const host = resolve(cwd, dir.host);
    const missing = directoryProblem(host);
    if (missing) throw new UsageError(`${dir.flag}: ${missing}`);
    policy.mounts = [...(Array.isArray(policy.mounts) ? policy.mounts : []), { guest: dir.guest, host, mode: dir.mode }];
  }
  if (options.env.length) {
    const env = { ...policy.env };
    for (const { name, value } of options.env) {
      if (value === undefined) env.allow = [...(env.allow ?? []), name];
      else env.set = { ...env.set, [name]: value };
    }
    policy.env = env;
  }
  if (options.clock !== undefined) policy.clock = options.clock;
  if (options.seed !== undefined) policy.random = { seed: options.seed };
  return policy;
}

function directoryProblem(path) {
  try {
    return statSync(path).isDirectory() ? null : "not a directory";
  } catch (e) {
    return e.code === "ENOENT" ? "no such directory" : e.message;
  }
}
