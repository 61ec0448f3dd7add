//! MemFS: the in-memory filesystem.
