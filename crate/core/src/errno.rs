//! WASI preview-1 errno values. Every host failure maps to exactly one of these.

/// A WASI `errno`. `Errno::Success` is never used as an error value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Errno {
    Success = 0, TooBig = 1, Acces = 2, AddrInUse = 3, AddrNotAvail = 4, AfNoSupport = 5,
    Again = 6, Already = 7, Badf = 8, BadMsg = 9, Busy = 10, Canceled = 11, Child = 12,
    ConnAborted = 13, ConnRefused = 14, ConnReset = 15, DeadLk = 16, DestAddrReq = 17, Dom = 18,
    Dquot = 19, Exist = 20, Fault = 21, FBig = 22, HostUnreach = 23, Idrm = 24, Ilseq = 25,
    InProgress = 26, Intr = 27, Inval = 28, Io = 29, IsConn = 30, IsDir = 31, Loop = 32,
    MFile = 33, MLink = 34, MsgSize = 35, Multihop = 36, NameTooLong = 37, NetDown = 38,
    NetReset = 39, NetUnreach = 40, NFile = 41, NoBufS = 42, NoDev = 43, NoEnt = 44, NoExec = 45,
    NoLck = 46, NoLink = 47, NoMem = 48, NoMsg = 49, NoProtoOpt = 50, NoSpc = 51, NoSys = 52,
    NotConn = 53, NotDir = 54, NotEmpty = 55, NotRecoverable = 56, NotSock = 57, NotSup = 58,
    NoTty = 59, NxIo = 60, Overflow = 61, OwnerDead = 62, Perm = 63, Pipe = 64, Proto = 65,
    ProtoNoSupport = 66, ProtoType = 67, Range = 68, RoFs = 69, SPipe = 70, Srch = 71,
    Stale = 72, TimedOut = 73, TxtBsy = 74, XDev = 75, NotCapable = 76,
}

const NAMES: [&str; 77] = [
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
    "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
    "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
    "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
    "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS",
    "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
    "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE",
    "RANGE", "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
];

impl Errno {
    /// The errno's WASI name without the `E` prefix, e.g. `"NOENT"`; used by traces and errors.
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    /// Every errno, in numeric order.
    pub fn from_u16(n: u16) -> Option<Errno> {
        if (n as usize) < NAMES.len() {
            Some(ALL[n as usize])
        } else {
            None
        }
    }
}

use Errno::*;
const ALL: [Errno; 77] = [
    Success, TooBig, Acces, AddrInUse, AddrNotAvail, AfNoSupport, Again, Already, Badf, BadMsg,
    Busy, Canceled, Child, ConnAborted, ConnRefused, ConnReset, DeadLk, DestAddrReq, Dom, Dquot,
    Exist, Fault, FBig, HostUnreach, Idrm, Ilseq, InProgress, Intr, Inval, Io, IsConn, IsDir, Loop,
    MFile, MLink, MsgSize, Multihop, NameTooLong, NetDown, NetReset, NetUnreach, NFile, NoBufS,
    NoDev, NoEnt, NoExec, NoLck, NoLink, NoMem, NoMsg, NoProtoOpt, NoSpc, NoSys, NotConn, NotDir,
    NotEmpty, NotRecoverable, NotSock, NotSup, NoTty, NxIo, Overflow, OwnerDead, Perm, Pipe, Proto,
    ProtoNoSupport, ProtoType, Range, RoFs, SPipe, Srch, Stale, TimedOut, TxtBsy, XDev, NotCapable,
];

impl core::fmt::Display for Errno {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "E{}", self.name())
    }
}

pub type Result<T> = core::result::Result<T, Errno>;

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn numbering_round_trips() {
        for n in 0..77u16 {
            assert_eq!(Errno::from_u16(n).unwrap() as u16, n);
        }
        assert_eq!(Errno::from_u16(77), None);
        assert_eq!(Errno::NotCapable.name(), "NOTCAPABLE");
        assert_eq!(Errno::TooBig.to_string(), "E2BIG");
    }
}
