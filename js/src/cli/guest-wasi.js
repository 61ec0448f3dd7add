// Builds the WASI object the guest runs against, from the run's resolved settings.
// STAND-IN: until js/src/node.js (Cove's WASI) lands, node:wasi is used so the CLI can be built
// and tested; it ignores the policy (no read-only mounts, clocks, seeds, tracing).
import { existsSync } from "node:fs";
import { writeSync } from "node:fs";

const coveEntry = new URL("../node.js", import.meta.url);

/**
 * @param {{ args: string[], env: Record<string,string>, policy: object, trace: boolean }} run
 */
export async function createWasi({ args, env, policy, trace }) {
  const { mounts = [], ...rest } = policy;
  if (existsSync(coveEntry)) {
    const { WASI } = await import(coveEntry);
    return new WASI({
      version: "preview1",
      args,
      env,
      policy: { ...rest, mounts },
      stdin: 0,
      stdout: 1,
      stderr: 2,
      returnOnExit: true,
      ...(trace && { trace: writeTraceLine, onEvent: writeDenial }),
    });
  }
  const { WASI } = await import("node:wasi");
  return new WASI({
    version: "preview1",
    args,
    env,
    preopens: Object.fromEntries(mounts.map((m) => [m.guest, m.host])),
    returnOnExit: true,
  });
}

function writeTraceLine(line) {
  writeSync(2, `${line}\n`);
}

/** A policy denial, as the engine reports it: { op, path, reason }. */
function writeDenial({ op, path, reason }) {
  writeSync(2, `cove: denied ${op} ${JSON.stringify(path)}: ${reason}\n`);
}
