// Types for "cove": what its Node and browser entries both export (WASI, MemFS, run…).
// package.json points each export condition at its own declarations, which add what only that
// host has: node.d.ts (NodeDirectory) and browser.d.ts (Workers, IndexedDB, OPFS).

/** The capability policy (docs/design.md "Policy"); every key optional, unknown keys are errors. */
export interface Policy {
  /** Host directories (Node) — or, in a browser with `fs`, directories of that MemFS — to mount. */
  mounts?: { guest: string; host: string; mode?: "ro" | "rw" }[];
  /** Host variables allowed through (Node: from process.env), and variables set outright. */
  env?: { allow?: string[]; set?: Record<string, string> };
  clock?: "real" | "frozen" | { start?: string; rate?: number };
  random?: "crypto" | { seed: number };
  /**
   * Whole numbers of bytes or descriptors (NaN and Infinity are errors). `openFiles` defaults
   * to 65,536; `fileBytes` and `writtenBytes` are unlimited unless set; `memory`, the most an
   * in-memory filesystem may hold after a change the guest makes (data as allocated, so sparse
   * writes count whole 1 MiB chunks; names; nodes), defaults to 1 GiB. Past a limit the guest
   * gets an errno (EMFILE, EFBIG, ENOSPC, EDQUOT) and the host a `denied` event.
   */
  limits?: { openFiles?: number; fileBytes?: number; writtenBytes?: number; memory?: number };
  /** Which events reach `onEvent`: denials (default), all, or none. */
  log?: "denied" | "all" | "none";
}

/** A structured event: a policy denial (`type: "denied"`), as JSON-decoded from the engine. */
export interface CoveEvent {
  type: "denied" | string;
  op?: string;
  path?: string;
  reason?: string;
  [key: string]: unknown;
}

/** Chunks of stdin: bytes or text, `null` at end of input; an empty chunk means "nothing yet". */
export type StdinCallback = (max: number) => Uint8Array | string | null;
/** A pull-based stdin source (e.g. the browser's StdinPipe). */
export interface StdinReader {
  read(max: number): Uint8Array | null | symbol;
  readable?(): Promise<void>;
}
export type Stdin = number | string | Uint8Array | StdinCallback | StdinReader;
/**
 * A stdin written while the guest runs (browser, and Node 24+): pass it as `stdin` (WASI, run)
 * with blocking "jspi", and the guest waits for each write; `end()` is its EOF.
 */
export class StdinPipe implements StdinReader {
  write(data: string | Uint8Array): void;
  end(): void;
  readonly ended: boolean;
  read(max: number): Uint8Array | null | symbol;
  readable(): Promise<void>;
}
/** A host fd (Node) or a callback called with each chunk as the guest writes it. */
export type Output = number | ((chunk: Uint8Array) => void);

/**
 * A host filesystem backend (one-name operations; the engine resolves paths itself). Node's
 * NodeDirectory and the browser's OPFS mount implement it; see js/src/engine.js for the contract.
 */
export interface FilesystemBackend {
  root(): number;
  lookup(dir: number, name: string): number;
  [operation: string]: unknown;
}

export type Preopen = string | MemFS | FilesystemBackend;

export interface WASIOptions {
  /** Required, as in node:wasi. Only "preview1" is supported. */
  version: "preview1";
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Guest path -> host directory (Node), MemFS (or `fs.subtree(dir)`), or a backend. */
  preopens?: Record<string, Preopen>;
  /** Default true: `start()` returns the exit code; false exits the process (Node). */
  returnOnExit?: boolean;
  /** Node default: fd 0. */
  stdin?: Stdin;
  /** Node default: fd 1. */
  stdout?: Output;
  /** Node default: fd 2. */
  stderr?: Output;
  /** Mounted as the guest's "/" unless `preopens` has "/". */
  fs?: MemFS;
  policy?: Policy;
  onEvent?: (event: CoveEvent) => void;
  /** Log every WASI call: true writes lines to stderr, a function receives them. */
  trace?: boolean | ((line: string) => void);
  /**
   * How the guest waits for stdin and sleeps. "jspi" (Chromium 137+, Node 24+) suspends the guest
   * while the event loop runs; with it (or "auto" where JSPI exists) `start()` returns a Promise.
   * Node default (omitted): waits synchronously.
   */
  blocking?: "auto" | "jspi" | "sab" | "none";
}

/** A drop-in for node:wasi's WASI class, running in Cove's sandboxed engine. */
export class WASI {
  constructor(options: WASIOptions);
  readonly wasiImport: Record<string, (...args: any[]) => number>;
  getImportObject(): { wasi_snapshot_preview1: Record<string, (...args: any[]) => number> };
  /** Runs `_start`; returns the exit code (0 when `_start` returns). Rethrows traps. */
  start(instance: WebAssembly.Instance): number;
  /** Calls `_initialize` (if exported) of a reactor. */
  initialize(instance: WebAssembly.Instance): void;
  /** Frees the engine context now rather than at garbage collection. */
  dispose(): void;
}

export interface Stats {
  type: "file" | "directory" | "symlink" | "unknown";
  size: number;
  nlink: number;
  ino: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  readonly atime: Date;
  readonly mtime: Date;
  readonly ctime: Date;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** An in-memory filesystem with node:fs-like synchronous methods. Errors carry node:fs codes. */
export class MemFS {
  constructor(files?: Record<string, string | Uint8Array>);
  /** Creates parent directories as needed. */
  writeFile(path: string, data: string | Uint8Array): void;
  readFile(path: string): Uint8Array;
  readFile(path: string, encoding: "utf8" | "utf-8" | { encoding: "utf8" | "utf-8" }): string;
  mkdir(path: string, options?: { recursive?: boolean }): void;
  readdir(path: string): string[];
  stat(path: string): Stats;
  lstat(path: string): Stats;
  exists(path: string): boolean;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  rename(from: string, to: string): void;
  /** A view of directory `dir` as its own root (same files). */
  subtree(dir: string): MemFS;
  /** Every path below `dir`, depth first. */
  walk(dir?: string): Generator<{ path: string; stats: Stats }>;
}

export interface RunOptions extends Omit<WASIOptions, "version" | "stdout" | "stderr"> {
  /** Called with each chunk as it is written (output is also collected). */
  onStdout?: (chunk: Uint8Array) => void;
  onStderr?: (chunk: Uint8Array) => void;
  /**
   * The most bytes collected from each of stdout and stderr (default 64 MiB). A guest that writes
   * more is stopped and `run` rejects with a RangeError whose `code` is "ERR_COVE_OUTPUT_LIMIT".
   */
  maxOutput?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  stderrBytes: Uint8Array;
}

/**
 * Compile, instantiate and start a WASI command in one call: a preview-1 module (`_start`) or a
 * preview-2 command component (`wasi:cli/run`), told apart by the binary's preamble.
 */
export function run(wasm: BufferSource | WebAssembly.Module | URL | string, options?: RunOptions): Promise<RunResult>;

// ---- components (docs/components.md; the component engine loads on the first call) ----------

/** Bytes that are not a valid component: what was expected, where (byte offset, nested section). */
export class ComponentError extends WebAssembly.CompileError {
  readonly name: "ComponentError";
  /** Byte offset from the start of the binary. */
  readonly offset: number;
  /** Where the offset lies, outermost first: "component > core module 0 > code section". */
  readonly section: string;
}

/** Resolves when `bytes` is a valid component; rejects with a ComponentError saying why not. */
export function validate(bytes: BufferSource): Promise<void>;

/** A parsed, validated and planned component (`compileComponent`); instantiate it many times. */
export interface CompiledComponent {}

/** Parses, validates and plans a component once, like `WebAssembly.compile` for modules. */
export function compileComponent(bytes: BufferSource): Promise<CompiledComponent>;

export interface InstantiateOptions {
  /** Lift and lower through the table-driven path (no `new Function`), as CSP without eval forces. */
  tableDriven?: boolean;
  /**
   * The WASI context serving every `wasi:*@0.2.x` import `imports` leaves out (docs/preview2.md):
   * the options `run()` takes (the defaults when omitted), or a `WASI` object. With blocking
   * "jspi" the component's exports return Promises.
   */
  wasi?: Omit<WASIOptions, "version"> | WASI;
}

/**
 * A fresh instance (own memories, tables, handle tables) of a component. `imports` is keyed by
 * interface name (`{ 'ns:pkg/iface': { fn } }`) or bare name; values follow docs/design.md's table.
 * WASI 0.2 interfaces not given there are Cove's (`options.wasi`); one given there is the embedder's, whole.
 * Exports: functions by kebab name and lowerCamelCase, instances by full and plain name.
 */
export function instantiate(
  component: BufferSource | CompiledComponent,
  imports?: Record<string, unknown>,
  options?: InstantiateOptions,
): Promise<{ exports: Record<string, any> }>;
