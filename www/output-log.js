// A run's whole output (stdout and stderr as they interleaved) for "download full output", kept
// bounded: the first `headBytes` and the last `tailBytes`; what falls between is counted and
// replaced by one line in the download. An endless printer thus costs at most head + tail bytes.

export const HEAD_BYTES = 1 << 20;  // 1 MiB: how the program started
export const TAIL_BYTES = 7 << 20;  // 7 MiB: what it printed last

export class OutputLog {
  constructor({ headBytes = HEAD_BYTES, tailBytes = TAIL_BYTES } = {}) {
    this.headBytes = headBytes;
    this.tailBytes = tailBytes;
    this.reset();
  }

  reset() {
    this.head = [];
    this.headSize = 0;
    this.tail = [];    // chunks, oldest first; the first may be a suffix of what was written
    this.tailSize = 0;
    this.total = 0;    // every byte ever appended since reset
  }

  /** Bytes held in memory right now (never more than headBytes + tailBytes). */
  get retained() {
    return this.headSize + this.tailSize;
  }

  /** Bytes written but no longer held (the middle of a long run). */
  get omitted() {
    return this.total - this.retained;
  }

  append(bytes) {
    this.total += bytes.length;
    let rest = bytes;
    if (this.headSize < this.headBytes) {
      const take = rest.subarray(0, this.headBytes - this.headSize);
      this.head.push(take.slice());
      this.headSize += take.length;
      rest = rest.subarray(take.length);
    }
    if (!rest.length) return;
    if (rest.length >= this.tailBytes) {
      this.tail = [rest.slice(rest.length - this.tailBytes)];
      this.tailSize = this.tailBytes;
      return;
    }
    this.tail.push(rest.slice());
    this.tailSize += rest.length;
    while (this.tailSize > this.tailBytes) {
      const over = this.tailSize - this.tailBytes;
      const first = this.tail[0];
      if (first.length <= over) {
        this.tail.shift();
        this.tailSize -= first.length;
      } else {
        this.tail[0] = first.slice(over);
        this.tailSize -= over;
      }
    }
  }

  /** The download: head, a line saying how much was left out (if anything), tail. */
  parts() {
    const gap = this.omitted ? [`\n[… ${this.omitted} bytes of output omitted: the playground keeps the first ${this.headBytes} and the last ${this.tailBytes} bytes …]\n`] : [];
    return [...this.head, ...gap, ...this.tail];
  }
}
