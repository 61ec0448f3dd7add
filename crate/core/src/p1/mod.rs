//! wasi_snapshot_preview1: a thin translation onto the host model, one file per family.
