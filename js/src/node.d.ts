// Types for "cove" under the "node" export condition (js/src/node.js): the common API of
// index.d.ts plus what only Node has.
import type { FilesystemBackend } from "./index.js";

export * from "./index.js";

/** Node only: a host directory as a filesystem backend (what string preopens use). */
export class NodeDirectory implements FilesystemBackend {
  constructor(path: string, options?: { readonly?: boolean });
  root(): number;
  lookup(dir: number, name: string): number;
  [operation: string]: any;
}
