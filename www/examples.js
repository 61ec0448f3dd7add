// Bundled examples: the project's own test guests (tests/guests, built into build/guests/ by
// `npm start`), each with the arguments and starter files that show it off.

/** A policy where the whole playground filesystem is the guest's "/" (host paths name VFS paths). */
export const DEFAULT_POLICY = {
  mounts: [{ guest: "/", host: "/", mode: "rw" }],
  log: "denied",
};

/** Policies one click away in the editor; the first is the default. */
export const POLICY_PRESETS = [
  { name: "Read-write /", policy: DEFAULT_POLICY },
  { name: "Read-only /", policy: { mounts: [{ guest: "/", host: "/", mode: "ro" }], log: "denied" } },
  {
    name: "Only /data, read-only",
    policy: { mounts: [{ guest: "/data", host: "/data", mode: "ro" }], log: "denied" },
  },
  {
    name: "Deterministic",
    policy: {
      mounts: [{ guest: "/", host: "/", mode: "rw" }],
      clock: "frozen", random: { seed: 42 }, log: "denied",
    },
  },
  {
    name: "Env allow-list",
    policy: {
      mounts: [{ guest: "/", host: "/", mode: "rw" }],
      env: { allow: ["LANG"], set: { HOME: "/" } }, log: "denied",
    },
  },
  {
    name: "Small limits",
    policy: {
      mounts: [{ guest: "/", host: "/", mode: "rw" }],
      limits: { openFiles: 16, fileBytes: 4096, writtenBytes: 65536 }, log: "denied",
    },
  },
  {
    name: "Log every access",
    policy: { mounts: [{ guest: "/", host: "/", mode: "rw" }], log: "all" },
  },
  { name: "Nothing granted", policy: { mounts: [], log: "denied" } },
];

export const STARTER_FILES = {
  "/README.txt": "Welcome to the Cove playground.\n\nThis folder is a virtual filesystem (MemFS) that lives in your browser tab.\nGuests see it as / when the policy mounts it. Try the `files` example.\n",
  "/data/notes.txt": "Things to try:\n- files tree /\n- files cat /data/notes.txt\n- files write /data/new.txt hello\n- switch the policy to read-only and write again\n",
  "/data/numbers.csv": "n,square\n1,1\n2,4\n3,9\n",
};

export const EXAMPLES = [
  {
    id: "hello",
    title: "hello",
    blurb: "prints a greeting and its arguments",
    url: "/build/guests/hello.wasm",
    args: "",
    hint: "Try: one \"two words\" — and add NAME=value lines below.",
  },
  {
    id: "repl",
    title: "repl",
    blurb: "reads lines from stdin: try 1+2, then 6*7",
    url: "/build/guests/repl.wasm",
    args: "",
    hint: "No arguments needed: type into the terminal once it runs.",
  },
  {
    id: "files",
    title: "files",
    blurb: "ls, cat, write, tree, rm on the virtual filesystem",
    url: "/build/guests/files.wasm",
    args: "tree /",
    hint: "Try: ls /data · cat /data/notes.txt · write /data/new.txt hello · rm -r /data",
  },
  {
    id: "sleep",
    title: "sleep",
    blurb: "sleeps (poll_oneoff) while the page stays live",
    url: "/build/guests/sleep.wasm",
    args: "1500",
    hint: "Milliseconds to sleep. The guest blocks in its Worker; the page does not.",
  },
  {
    id: "clock_random",
    title: "clock & random",
    blurb: "prints the clocks and random bytes",
    url: "/build/guests/clock_random.wasm",
    args: "",
    hint: "Run it twice, then choose the Deterministic policy preset and run it twice again.",
  },
];
