// What run() and runInWorker() collect of a guest's stdout and stderr: at most `maxOutput`
// bytes per stream (64 MiB unless the caller says otherwise). Without a bound, a guest printing
// without end grew the host's memory until V8 refused the final string ("Cannot create a string
// longer than …"), long after the process had suffered; past the bound the guest is stopped with
// ERR_COVE_OUTPUT_LIMIT, which names the stream and the limit.
import { byteCountOption, outputLimit } from "./errors.js";

export const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** `options.maxOutput` checked: a whole number of bytes, the default when not given. */
export function maxOutputOf(value) {
  return byteCountOption("options.maxOutput", value, { fallback: DEFAULT_MAX_OUTPUT });
}

/** The chunks a guest wrote, joined into one array. */
export function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** One stream's chunks, up to `max` bytes in all; `onChunk` also sees each chunk kept. */
export class OutputCollector {
  chunks = [];
  size = 0;
  /** The ERR_COVE_OUTPUT_LIMIT error once the stream passed `max`; later chunks are dropped. */
  error = null;

  constructor(stream, max, onChunk) {
    this.stream = stream;
    this.max = max;
    this.onChunk = onChunk;
  }

  /**
   * Keeps `chunk`, or throws (once) when it would pass the limit, which stops the guest. Returns
   * what `onChunk` returned: a Promise from it holds the Worker's output window (output-flow.js).
   */
  push = (chunk) => {
    if (this.error) return;
    if (this.size + chunk.length > this.max) {
      this.error = outputLimit(this.stream, this.max);
      throw this.error;
    }
    this.size += chunk.length;
    this.chunks.push(chunk);
    return this.onChunk?.(chunk);
  };

  bytes() {
    return concat(this.chunks);
  }
}
