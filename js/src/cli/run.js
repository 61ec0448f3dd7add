// `cove run`: resolve the policy, load the module, run it on a worker thread, exit with its status.
import { writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { formatTrap } from "./backtrace.js";
import { EXIT_INTERRUPTED, EXIT_TRAP, ModuleError } from "./errors.js";
import { loadModule } from "./module-file.js";
import { loadPolicyFile, mergeFlags } from "./policy.js";

/** @param {import("./args.js").RunOptions} options  @returns {Promise<number>} the exit status */
export async function runCommand(options) {
  const filePolicy = options.policyFile === undefined ? {} : loadPolicyFile(options.policyFile);
  const { policy, env } = mergeFlags(filePolicy, options, process.env, process.cwd());
  const { bytes, module } = loadModule(options.file);

  // Ctrl-C: the guest may be blocked reading stdin on the worker; this thread is idle and can exit.
  process.on("SIGINT", () => process.exit(EXIT_INTERRUPTED));
  const outcome = await new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./guest-worker.js", import.meta.url), {
      workerData: { module, args: [options.file, ...options.args], env, policy, trace: options.trace },
    });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the guest's worker stopped unexpectedly (${code})`)));
  });
  switch (outcome.kind) {
    case "exit":
      return outcome.code;
    case "trap":
      writeSync(2, formatTrap(options.file, bytes, outcome));
      return EXIT_TRAP;
    case "error":
      throw new ModuleError(options.file, outcome.message);
  }
}
