// `cove run`: resolve the policy, load the module, run it on a worker thread, exit with its status.
import { writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { formatTrap } from "./backtrace.js";
import { EXIT_TRAP, ModuleError, PolicyError, UsageError } from "./errors.js";
import { loadModule } from "./module-file.js";
import { addFlags, loadPolicyFile } from "./policy.js";
import { functionImports } from "../wasm-sections.js";

/** @param {import("./args.js").RunOptions} options  @returns {Promise<number>} the exit status */
export async function runCommand(options) {
  const filePolicy = options.policyFile === undefined ? {} : loadPolicyFile(options.policyFile);
  const policy = addFlags(filePolicy, options, process.cwd());
  const { bytes, module } = loadModule(options.file);

  process.on("SIGINT", dieOfSigint);
  const outcome = await new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./guest-worker.js", import.meta.url), {
      // The compiled module is shared with the worker, not copied; the bytes stay here (for a
      // trap's backtrace): the worker gets only the imports they describe, to check them.
      // A component travels as its bytes: the worker compiles it with the component engine.
      workerData: {
        module, component: module ? null : bytes, imports: module ? functionImports(module, bytes) : [],
        args: [options.file, ...options.args], policy, trace: options.trace,
      },
      // The guest writes fds 1 and 2 itself. Left false, Node would pipe the worker's streams
      // into this thread's process.stdout, which makes fd 1 non-blocking for everyone sharing it.
      stdout: true,
      stderr: true,
    });
    // Anything the worker's JS prints with console.* (not the guest's output) still reaches the fds.
    worker.stdout.on("data", (chunk) => writeSync(1, chunk));
    worker.stderr.on("data", (chunk) => writeSync(2, chunk));
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
    case "config":
      // Flags are checked as they are parsed, so what the engine refuses came from the file.
      if (options.policyFile !== undefined) throw new PolicyError(options.policyFile, outcome.message);
      throw new UsageError(outcome.message);
  }
}

/**
 * Ctrl-C. The guest may be blocked in a stdin read on the worker, and process.exit() waits for
 * that read to return; dying of SIGINT does not wait. It is also what shells expect of an
 * interrupted command: they report status 130 (128 + SIGINT) and stop a running script.
 */
function dieOfSigint() {
  process.removeListener("SIGINT", dieOfSigint); // back to the default action: terminate
  process.kill(process.pid, "SIGINT");
}
