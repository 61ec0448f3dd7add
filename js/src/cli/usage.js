// The help texts. `cove --help` and usage errors print these; keep them in step with args.js.

export const mainUsage = `Usage: cove <command> [options]

Run WebAssembly programs built for WASI in a sandbox: the guest sees no host files,
environment variables or real clock unless you grant them.

Commands:
  run [options] <file.wasm> [args...]   run a WASI command: a preview-1 module or a preview-2
                                        component (wasm32-wasip2)
  types <file.wasm>                     print the TypeScript declarations of a component's
                                        imports and exports
  help [command]                        show help for a command

Options:
  -h, --help       show this help
  -V, --version    show the version

Run 'cove help run' for the options of 'run'.`;

export const runUsage = `Usage: cove run [options] <file.wasm> [args...]

Runs the module's _start, or the component's wasi:cli/run, with args (argv[0] is <file.wasm>
as given). Options come before the file; everything after it goes to the guest. '--' ends the
options.

Options:
  --dir HOST[::GUEST]      let the guest read and write host directory HOST, seen as GUEST
                           (GUEST defaults to HOST)
  --ro-dir HOST[::GUEST]   same, read-only: writes, creates, renames and deletes are refused
  --env NAME=VALUE         set an environment variable in the guest
  --env NAME               pass NAME through from this shell's environment
  --policy FILE            a policy JSON file (mounts, env, clock, random, limits, log);
                           the flags above add to it; relative mount paths are relative to FILE
  --clock frozen|real      frozen: the guest's clocks stand still, for reproducible runs;
                           real: the host's clocks (default)
  --seed N                 make random_get deterministic, seeded with integer N
  --trace                  print every WASI call, its decoded arguments and its result to stderr,
                           and every access the policy denied
  -h, --help               show this help

Exit status: the guest's exit code; 134 when the guest traps (the message and wasm backtrace
go to stderr); 130 on Ctrl-C (cove ends by SIGINT); 2 for bad usage or an invalid policy; 1 when
the module cannot be read, compiled or instantiated; 70 for an internal error in cove.

Example:
  cove run --dir ./data::/data --env LANG=C app.wasm /data/input.txt`;

export const typesUsage = `Usage: cove types <file.wasm>

Prints TypeScript declarations of the component's imports (interface Imports, what
instantiate() takes) and exports (interface Exports), in the JS values Cove uses.

Exit status: 0; 1 when the file cannot be read or is not a valid component (the error names
the byte offset and section); 2 for bad usage.`;
