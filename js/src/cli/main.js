// The `cove` command: dispatch, and the one place errors become messages and exit statuses.
import { readFileSync, writeSync } from "node:fs";
import { parseCommandLine } from "./args.js";
import { runCommand } from "./run.js";
import { typesCommand } from "./types.js";
import { mainUsage, runUsage, typesUsage } from "./usage.js";

const packageJson = new URL("../../../package.json", import.meta.url);

/** Runs the command line `argv` (without "node cove.js") and exits the process. */
export async function main(argv) {
  let status;
  try {
    status = await execute(parseCommandLine(argv));
  } catch (error) {
    status = reportError(error);
  }
  process.exit(status);
}

async function execute(command) {
  switch (command.command) {
    case "help":
      writeSync(1, `${usageOf(command.topic)}\n`);
      return 0;
    case "version":
      writeSync(1, `cove ${JSON.parse(readFileSync(packageJson, "utf8")).version}\n`);
      return 0;
    case "run":
      return runCommand(command);
    case "types":
      return typesCommand(command);
  }
}

function reportError(error) {
  if (error.exitCode === undefined) {
    // Not one of ours: a bug in cove, not in the guest or the command line.
    writeSync(2, `cove: internal error: ${error.stack ?? error}\n`);
    return 70;
  }
  writeSync(2, `cove: ${error.message}\n`);
  if (error.usageOf) writeSync(2, `\n${usageOf(error.usageOf)}\n`);
  return error.exitCode;
}

function usageOf(command) {
  return { run: runUsage, types: typesUsage }[command] ?? mainUsage;
}
