//! Sandboxed path resolution: walks one component at a time and never leaves a mount.
