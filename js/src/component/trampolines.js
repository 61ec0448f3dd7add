// Generated trampolines (docs/components.md, "Lifting and lowering"): not yet; every call takes
// the table-driven path.
export function trampolinesFor() {
  return null;
}
