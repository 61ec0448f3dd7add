//! What a host operation can fail with, in the host model's own terms. Each ABI maps it to its
//! own codes with one exhaustive match (p1: an errno, p1/errors.rs; p2: each interface's
//! `error-code`), so a new kind of failure cannot slip through an adapter unmapped.
use crate::errno::Errno;

/// The policy limits a call can run into (docs/limits.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    OpenFiles,
    FileBytes,
    WrittenBytes,
    Memory,
}

/// Why a host operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// A change beneath a read-only mount (reported as a denial).
    ReadOnly,
    /// A path or symlink target that would lead outside its mount (reported as a denial).
    OutsideMount,
    /// A policy limit was reached (reported as a denial).
    Limit(Limit),
    /// The handle the guest used does not permit this (p1: a right it dropped).
    NotPermitted,
    /// What a filesystem, a bounds check or path resolution answered, as a POSIX errno.
    Errno(Errno),
}

impl From<Errno> for Error {
    #[inline]
    fn from(e: Errno) -> Error {
        Error::Errno(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
