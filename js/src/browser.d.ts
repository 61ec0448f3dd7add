// Types for "cove" under the "browser" export condition (js/src/browser.js): the common API
// of index.d.ts plus Workers, IndexedDB snapshots and OPFS, which Node does not have.
import type { CoveEvent, FilesystemBackend, MemFS, Policy, RunOptions, RunResult } from "./index.js";

export * from "./index.js";

/** How a guest waits for stdin and sleeps (js/src/blocking.js). */
export type BlockingMode = "jspi" | "sab" | "none";

export interface WorkerRunOptions {
  args?: string[];
  env?: Record<string, string>;
  /** A MemFS is copied into the Worker and, when the guest exits, updated with what it wrote. */
  fs?: MemFS | Record<string, string | Uint8Array>;
  /** Given up front, then EOF. Omit it (or `{ open: true, data? }`) to feed it with writeStdin/endStdin. */
  stdin?: string | Uint8Array | { open: true; data?: string | Uint8Array };
  /**
   * Each chunk as the guest writes it. Return a Promise to hold the chunk as unconsumed until it
   * settles: once more than `outputWindow` bytes are unconsumed, the guest's writes wait.
   */
  stdout?: (chunk: Uint8Array) => void | PromiseLike<unknown>;
  stderr?: (chunk: Uint8Array) => void | PromiseLike<unknown>;
  /** Output bytes the page may be behind before the guest's writes wait ("jspi"/"sab"); default 1 MiB; Infinity: no limit. */
  outputWindow?: number;
  onEvent?: (event: CoveEvent) => void;
  policy?: Policy;
  /** "auto" (default): JSPI, else SharedArrayBuffer + Atomics (crossOriginIsolated pages), else "none". */
  blocking?: "auto" | BlockingMode;
  /** OPFS directories mounted in the Worker: { "/guest/path": "opfs-directory-name" }. */
  opfs?: Record<string, string>;
  /** The Worker script (bundled apps: their bundle of js/src/worker.js). */
  workerURL?: string | URL;
}

export interface WorkerJob {
  /** { exitCode } at exit; { exitCode: null, terminated: true } after terminate(); rejects on a trap. */
  exited: Promise<{ exitCode: number | null; terminated?: boolean }>;
  /** The blocking mode the Worker runs with (null if the guest never started). */
  blocking: Promise<BlockingMode | null>;
  writeStdin(data: string | Uint8Array): void;
  endStdin(): void;
  terminate(): void;
}

/** Start a guest in a dedicated Worker: output streams back, stdin comes from the page. */
export function startWorker(wasm: BufferSource | WebAssembly.Module | URL | string, options?: WorkerRunOptions): WorkerJob;
/** Run a guest to completion in a Worker (stdin defaults to empty); `run(wasm, { worker: true })` is the same. */
export function runInWorker(wasm: BufferSource | WebAssembly.Module | URL | string, options?: WorkerRunOptions & { onStdout?: (chunk: Uint8Array) => void; onStderr?: (chunk: Uint8Array) => void; maxOutput?: number }): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;

/** Save all of `fs` to IndexedDB under `name`, replacing an earlier save. */
export function saveMemFS(fs: MemFS, name: string): Promise<void>;
/** The MemFS saved under `name` (restored into `into` when given), or null when none was. */
export function loadMemFS(name: string, into?: MemFS): Promise<MemFS | null>;
export function deleteMemFS(name: string): Promise<void>;
export function listMemFS(): Promise<string[]>;

/**
 * Workers only: an OPFS directory (created when missing; "" = the origin's OPFS root) as a preopen
 * backend. File data goes through sync access handles; directory changes reach OPFS by `flush()`
 * / `close()` at the latest. No symlinks or hard links (ENOTSUP). `close()` releases the files' locks.
 */
export function openOPFS(name?: string): Promise<FilesystemBackend & { flush(): Promise<void>; close(): Promise<void> }>;
/** As in Node; `worker: true` runs the guest in a Worker (runInWorker), keeping the page live. */
export interface BrowserRunOptions extends RunOptions {
  worker?: boolean;
}

/** Compile, instantiate and start a WASI command in one call (blocking "auto": JSPI where it exists). */
export function run(wasm: BufferSource | WebAssembly.Module | URL | string, options?: BrowserRunOptions): Promise<RunResult>;

/** The mode "auto" resolves to in this realm. */
export function detectBlocking(requested?: "auto" | BlockingMode): BlockingMode;
