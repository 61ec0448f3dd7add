// Canonical-ABI faults (docs/components.md, "Traps"): a WebAssembly.RuntimeError carrying the
// specification's message, as a trap inside the guest would be.

export function trap(message) {
  throw new WebAssembly.RuntimeError(message);
}
