// Flow control for the Worker runner's output (docs/browser.md, "Output and backpressure"): the
// Worker counts the bytes it posts, the page counts the bytes it has consumed, and when more than
// a window of output is in flight the guest's next fd_write waits — as a writer to a full pipe
// does — until the page catches up. Without it an endless printer floods the page's message
// queue faster than anything can show it.
//
// Counts are 32-bit and compared modulo 2^32 (`(sent - consumed) | 0`), so they may wrap: only the
// difference matters, and it never exceeds the window plus one chunk.
//
// How the guest waits is the stdin's machinery (blocking.js): "jspi" suspends fd_write until an
// ack message arrives; "sab" sleeps in Atomics.wait on a shared word the page adds to; "none"
// cannot wait, so output flows without a limit there.

import { byteCountOption } from "./errors.js";

/** The default number of output bytes the page may be behind before the guest's writes wait. */
export const DEFAULT_OUTPUT_WINDOW = 1 << 20;
/**
 * What a chunk costs against the window: its bytes, but at least 1 KiB, since each is a message
 * the page must take in. Stderr arrives one message per guest write; without the floor a guest
 * printing short lines to it could have a window's worth of tiny messages queued on the page.
 */
export const costOf = (bytes) => Math.max(bytes, 1024);
const CONSUMED = 0; // Int32 index in the shared ack word

/** A shared word for "sab" acks (the page adds consumed bytes, the Worker waits on it). */
export function createAckChannel() {
  return new SharedArrayBuffer(4);
}

/** startWorker's `outputWindow` option checked: a positive byte count, or Infinity (no limit). */
export function outputWindowOption(value) {
  const window = byteCountOption("options.outputWindow", value, { fallback: DEFAULT_OUTPUT_WINDOW, min: 1, unlimited: true });
  return window === Infinity ? window : Math.min(window, 1 << 30); // counts compare modulo 2^32
}

/** Worker side: counts what was posted, knows what the page consumed, and waits in between. */
export class OutputGate {
  #sent = 0;
  #consumed = 0;
  #waiters = [];

  /** @param {{ window: number, channel?: SharedArrayBuffer, mode: string }} options */
  constructor({ window, channel, mode }) {
    this.window = window;
    // Only a "sab" Worker reads the shared word; a "jspi" one counts ack messages.
    this.shared = channel && mode === "sab" ? new Int32Array(channel) : null;
  }

  sent(bytes) {
    this.#sent = (this.#sent + bytes) | 0;
  }

  /** An ack message ("jspi" mode): the page consumed `bytes` more. */
  consumed(bytes) {
    this.#consumed = (this.#consumed + bytes) | 0;
    if (!this.full) for (const wake of this.#waiters.splice(0)) wake();
  }

  #consumedSoFar() {
    return this.shared ? Atomics.load(this.shared, CONSUMED) : this.#consumed;
  }

  get full() {
    return ((this.#sent - this.#consumedSoFar()) | 0) > this.window;
  }

  /** "jspi": resolves when the page is back within the window. */
  drained() {
    return this.full ? new Promise((resolve) => this.#waiters.push(resolve)) : Promise.resolve();
  }

  /** "sab": sleeps on the shared word until the page is back within the window. */
  waitSync() {
    for (;;) {
      const seen = Atomics.load(this.shared, CONSUMED);
      if (((this.#sent - seen) | 0) <= this.window) return;
      Atomics.wait(this.shared, CONSUMED, seen);
    }
  }
}

/**
 * Makes the guest's fd_write wait while the gate is full: after the write (whose output the
 * engine may have just posted), "jspi" suspends until the page acks, "sab" sleeps. The result of
 * the write is returned unchanged. `wasiImports` is the wasi_snapshot_preview1 import object.
 */
export function gateWrites(wasiImports, gate, mode) {
  const write = wasiImports.fd_write;
  if (typeof write !== "function" || gate.window === Infinity) return;
  if (mode === "jspi") {
    wasiImports.fd_write = new WebAssembly.Suspending((...args) => {
      const result = write(...args);
      return gate.full ? gate.drained().then(() => result) : result;
    });
  } else if (mode === "sab" && gate.shared) {
    wasiImports.fd_write = (...args) => {
      const result = write(...args);
      if (gate.full) gate.waitSync();
      return result;
    };
  }
}

/**
 * Page side: `consumed(bytes)` once a chunk has been handled (its callback returned, or the
 * Promise it returned settled). Acks go as coalesced "ack" messages (what a "jspi" Worker
 * awaits) and, when there is a shared word, into it at once (a "sab" Worker sleeps on it and
 * reads no messages meanwhile). The Worker heeds whichever its mode uses.
 */
export class OutputAcks {
  #pending = 0;
  #timer = null;

  /** @param {{ window: number, channel?: SharedArrayBuffer, post(bytes: number): void }} options */
  constructor({ window, channel, post }) {
    this.shared = channel ? new Int32Array(channel) : null;
    this.post = post;
    // An ack per message would double the traffic; a quarter window keeps the Worker busy.
    this.batch = Number.isFinite(window) ? Math.max(1, Math.floor(window / 4)) : Infinity;
  }

  consumed(bytes) {
    if (this.batch === Infinity) return;
    if (this.shared) {
      Atomics.add(this.shared, CONSUMED, bytes);
      Atomics.notify(this.shared, CONSUMED);
    }
    this.#pending += bytes;
    if (this.#pending >= this.batch) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), 0);
  }

  flush() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending) this.post(this.#pending);
    this.#pending = 0;
  }
}
