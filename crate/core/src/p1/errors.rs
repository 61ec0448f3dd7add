//! The errno p1 returns for each host error: one exhaustive match, so a new kind of host
//! failure cannot reach a p1 guest unmapped.
use crate::errno::Errno;
use crate::host::error::{Error, Limit};

impl From<Error> for Errno {
    // Out of line: only failures reach it, and a copy of the match at each of p1's `?`s cost
    // the engine kilobytes.
    #[inline(never)]
    fn from(e: Error) -> Errno {
        match e {
            // wasmtime's answer for a change on a read-only preopen.
            Error::ReadOnly => Errno::Perm,
            Error::OutsideMount => Errno::NotCapable,
            Error::NotPermitted => Errno::NotCapable,
            Error::Limit(Limit::OpenFiles) => Errno::MFile,
            Error::Limit(Limit::FileBytes) => Errno::FBig,
            Error::Limit(Limit::WrittenBytes) => Errno::NoSpc,
            Error::Limit(Limit::Memory) => Errno::Dquot,
            Error::Errno(e) => e,
        }
    }
}

impl From<Error> for super::Fail {
    #[inline]
    fn from(e: Error) -> super::Fail {
        super::Fail::Errno(e.into())
    }
}
