// The benchmark workloads: what the guest (bench/guest) is asked to do, and what each needs from
// the runtime. Shared by the Node sample runner and the Chromium worker, so both hosts pass the
// guest identical arguments and environment.

export const WORKLOADS = [
  { name: "startup", needsFs: false, what: "instantiate + `_start` of a trivial run" },
  { name: "write100k", needsFs: false, what: "100,000 separate 32-byte `fd_write`s to stdout (a sink)" },
  { name: "bulkfile", needsFs: true, what: "64 MiB written in 64 KiB chunks, read back, deleted" },
  { name: "smallfiles", needsFs: true, what: "2,000 files: create, readdir, stat, read, delete" },
  { name: "stat100k", needsFs: true, what: "100,000 `path_filestat_get` on one path" },
  { name: "clockrandom", needsFs: false, what: "100,000 × (`clock_time_get` + 16-byte `random_get`)" },
  { name: "argsenv", needsFs: false, what: "1,000 args and 1,000 env vars read and summed" },
];

export function workload(name) {
  const w = WORKLOADS.find((w) => w.name === name);
  if (!w) throw new Error(`unknown workload ${name}; known: ${WORKLOADS.map((w) => w.name).join(", ")}`);
  return w;
}

const MANY = 1000;

/** The guest's argv: program name, workload, and for `argsenv` 1,000 more. */
export function guestArgs(name) {
  const args = ["cove-bench", name];
  if (name === "argsenv") for (let i = 0; i < MANY; i++) args.push(`arg-${i}-${"a".repeat(i % 13)}`);
  return args;
}

/** The guest's environment: empty but for `argsenv`, which gets 1,000 variables. */
export function guestEnv(name) {
  const env = {};
  if (name === "argsenv") for (let i = 0; i < MANY; i++) env[`BENCH_${i}`] = `value-${i}-${"e".repeat(i % 17)}`;
  return env;
}

/** The guest mounts its writable directory here (bench/guest/src/main.rs: DATA). */
export const GUEST_DIR = "/data";

/** The one line every workload ends with on stderr; all runtimes must print the same one. */
export function checksumLine(stderrText) {
  return stderrText.split("\n").find((l) => l.startsWith("checksum ")) ?? null;
}
