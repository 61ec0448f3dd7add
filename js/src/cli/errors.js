// The CLI's failures, each carrying the exit status the command contract promises (docs/design.md,
// "CLI"), so every code path reports the same way: main.js prints the message and exits.

export const EXIT_USAGE = 2;
export const EXIT_MODULE = 1;
export const EXIT_TRAP = 134;

/** Bad command line: one-line reason, then the usage of `command` ("main" or "run"). */
export class UsageError extends Error {
  constructor(message, command = "run") {
    super(message);
    this.exitCode = EXIT_USAGE;
    this.usageOf = command;
  }
}

/** A policy file that is unreadable, not JSON, or has a bad key: names the file and the key. */
export class PolicyError extends Error {
  constructor(file, message) {
    super(`${file}: ${message}`);
    this.exitCode = EXIT_USAGE;
  }
}

/** The module is missing, unreadable, not wasm, truncated, invalid, or cannot be instantiated. */
export class ModuleError extends Error {
  constructor(file, message) {
    super(`${file}: ${message}`);
    this.exitCode = EXIT_MODULE;
  }
}
