//! cove-core: the host model and WASI preview-1 ABI of Cove, in safe Rust.
//!
//! Layering (see docs/design.md): `p1` translates wasi_snapshot_preview1 calls, and `p2` (begun)
//! WASI preview-2 calls, onto the version-neutral host model (`host`: filesystem operations,
//! files, streams, pollables, a handle table; `vfs`: filesystems and sandboxed path resolution),
//! asking `policy` before every access. Guest memory is reached only through [`memory::GuestMemory`],
//! whose every access is bounds-checked.
#![forbid(unsafe_code)]

pub mod bounded;
pub mod errno;
pub mod host;
pub mod json;
pub mod memory;
pub mod p1;
#[cfg(feature = "p2")]
pub mod p2;
pub mod policy;
pub mod vfs;
