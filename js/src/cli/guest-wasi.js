// The Cove WASI object a `cove run` guest gets: everything comes from the policy; stdio are the
// process's own fds, read and written synchronously as the guest asks (live, in order).
import { writeSync } from "node:fs";
import { WASI } from "../node.js";

/** @param {{ args: string[], policy: object, trace: boolean }} run */
export function createWasi({ args, policy, trace }) {
  return new WASI({
    version: "preview1",
    args,
    policy,
    stdin: 0,
    stdout: 1,
    stderr: 2,
    returnOnExit: true,
    ...(trace && { trace: writeTraceLine, onEvent: writeDenial }),
  });
}

function writeTraceLine(line) {
  writeSync(2, `${line}\n`);
}

/** A policy denial, as the engine reports it: { op, path, reason }. */
function writeDenial({ op, path, reason }) {
  writeSync(2, `cove: denied ${op} ${JSON.stringify(path)}: ${reason}\n`);
}
