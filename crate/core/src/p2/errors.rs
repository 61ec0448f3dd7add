//! wasi:filesystem's `error-code` for each host error: one exhaustive match (no wildcard), so a
//! new kind of host failure, or a new errno, cannot reach a p2 guest unmapped. The errno cases
//! follow wasmtime's mapping of host errnos (crates/wasi filesystem.rs); the policy's refusals
//! are the codes the wasi_snapshot_preview1 adapter turns back into p1's errnos, so a p1 and a
//! p2 guest see the same denial.
use crate::errno::Errno;
use crate::host::error::{Error, Limit};

/// `error-code`, by its discriminant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ErrorCode {
    Access,
    WouldBlock,
    Already,
    BadDescriptor,
    Busy,
    Deadlock,
    Quota,
    Exist,
    FileTooLarge,
    IllegalByteSequence,
    InProgress,
    Interrupted,
    Invalid,
    Io,
    IsDirectory,
    Loop,
    TooManyLinks,
    MessageSize,
    NameTooLong,
    NoDevice,
    NoEntry,
    NoLock,
    InsufficientMemory,
    InsufficientSpace,
    NotDirectory,
    NotEmpty,
    NotRecoverable,
    Unsupported,
    NoTty,
    NoSuchDevice,
    Overflow,
    NotPermitted,
    Pipe,
    ReadOnly,
    InvalidSeek,
    TextFileBusy,
    CrossDevice,
}

/// The names as WIT spells them, by discriminant (for traces).
pub const NAMES: [&str; 37] = [
    "access",
    "would-block",
    "already",
    "bad-descriptor",
    "busy",
    "deadlock",
    "quota",
    "exist",
    "file-too-large",
    "illegal-byte-sequence",
    "in-progress",
    "interrupted",
    "invalid",
    "io",
    "is-directory",
    "loop",
    "too-many-links",
    "message-size",
    "name-too-long",
    "no-device",
    "no-entry",
    "no-lock",
    "insufficient-memory",
    "insufficient-space",
    "not-directory",
    "not-empty",
    "not-recoverable",
    "unsupported",
    "no-tty",
    "no-such-device",
    "overflow",
    "not-permitted",
    "pipe",
    "read-only",
    "invalid-seek",
    "text-file-busy",
    "cross-device",
];

impl From<Error> for ErrorCode {
    // Out of line, as p1's: only failures reach it.
    #[inline(never)]
    fn from(e: Error) -> ErrorCode {
        match e {
            // wasmtime's answer for a change under a read-only preopen, and p1's EPERM.
            Error::ReadOnly => ErrorCode::NotPermitted,
            Error::OutsideMount => ErrorCode::NotPermitted,
            Error::NotPermitted => ErrorCode::NotPermitted,
            // p2 has no "too many open files"; running out of a resource is the nearest.
            Error::Limit(Limit::OpenFiles) => ErrorCode::InsufficientMemory,
            Error::Limit(Limit::FileBytes) => ErrorCode::FileTooLarge,
            Error::Limit(Limit::WrittenBytes) => ErrorCode::InsufficientSpace,
            Error::Limit(Limit::Memory) => ErrorCode::Quota,
            Error::Errno(e) => from_errno(e),
        }
    }
}

fn from_errno(e: Errno) -> ErrorCode {
    use ErrorCode as C;
    match e {
        Errno::Acces => C::Access,
        Errno::Again => C::WouldBlock,
        Errno::Already => C::Already,
        Errno::Badf => C::BadDescriptor,
        Errno::Busy => C::Busy,
        Errno::DeadLk => C::Deadlock,
        Errno::Dquot => C::Quota,
        Errno::Exist => C::Exist,
        Errno::FBig => C::FileTooLarge,
        Errno::Ilseq => C::IllegalByteSequence,
        Errno::InProgress => C::InProgress,
        Errno::Intr => C::Interrupted,
        Errno::Inval | Errno::Dom | Errno::Range => C::Invalid,
        Errno::IsDir => C::IsDirectory,
        Errno::Loop => C::Loop,
        Errno::MLink => C::TooManyLinks,
        Errno::MsgSize | Errno::TooBig => C::MessageSize,
        Errno::NameTooLong => C::NameTooLong,
        Errno::NoDev => C::NoDevice,
        Errno::NoEnt => C::NoEntry,
        Errno::NoLck => C::NoLock,
        Errno::NoMem | Errno::NoBufS | Errno::MFile | Errno::NFile => C::InsufficientMemory,
        Errno::NoSpc => C::InsufficientSpace,
        Errno::NotDir => C::NotDirectory,
        Errno::NotEmpty => C::NotEmpty,
        Errno::NotRecoverable | Errno::OwnerDead => C::NotRecoverable,
        Errno::NotSup | Errno::NoSys | Errno::AfNoSupport | Errno::ProtoNoSupport => C::Unsupported,
        Errno::NoTty => C::NoTty,
        Errno::NxIo => C::NoSuchDevice,
        Errno::Overflow => C::Overflow,
        Errno::Perm | Errno::NotCapable => C::NotPermitted,
        Errno::Pipe => C::Pipe,
        Errno::RoFs => C::ReadOnly,
        Errno::SPipe => C::InvalidSeek,
        Errno::TxtBsy => C::TextFileBusy,
        Errno::XDev => C::CrossDevice,
        Errno::Success
        | Errno::AddrInUse
        | Errno::AddrNotAvail
        | Errno::BadMsg
        | Errno::Canceled
        | Errno::Child
        | Errno::ConnAborted
        | Errno::ConnRefused
        | Errno::ConnReset
        | Errno::DestAddrReq
        | Errno::Fault
        | Errno::HostUnreach
        | Errno::Idrm
        | Errno::Io
        | Errno::IsConn
        | Errno::Multihop
        | Errno::NetDown
        | Errno::NetReset
        | Errno::NetUnreach
        | Errno::NoExec
        | Errno::NoLink
        | Errno::NoMsg
        | Errno::NoProtoOpt
        | Errno::NotConn
        | Errno::NotSock
        | Errno::Proto
        | Errno::ProtoType
        | Errno::Srch
        | Errno::Stale
        | Errno::TimedOut => C::Io,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refusals_agree_with_p1() {
        // What the wasi_snapshot_preview1 adapter maps each code back to is p1's errno.
        assert_eq!(ErrorCode::from(Error::ReadOnly), ErrorCode::NotPermitted);
        assert_eq!(Errno::from(Error::ReadOnly), Errno::Perm);
        assert_eq!(
            ErrorCode::from(Error::Limit(Limit::FileBytes)),
            ErrorCode::FileTooLarge
        );
        assert_eq!(Errno::from(Error::Limit(Limit::FileBytes)), Errno::FBig);
        assert_eq!(
            ErrorCode::from(Error::Limit(Limit::WrittenBytes)),
            ErrorCode::InsufficientSpace
        );
        assert_eq!(Errno::from(Error::Limit(Limit::WrittenBytes)), Errno::NoSpc);
        assert_eq!(
            ErrorCode::from(Error::Limit(Limit::Memory)),
            ErrorCode::Quota
        );
        assert_eq!(Errno::from(Error::Limit(Limit::Memory)), Errno::Dquot);
        assert_eq!(NAMES[ErrorCode::CrossDevice as usize], "cross-device");
        assert_eq!(NAMES[ErrorCode::NotPermitted as usize], "not-permitted");
    }
}
