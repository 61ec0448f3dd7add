//! Helpers shared by the guests: the raw WASI calls std does not expose, WASI errno names, and a
//! checksum both the guests and the JS tests compute (FNV-1a, 32-bit).

use std::io;

/// Raw wasi_snapshot_preview1 imports for the checks that need the exact syscall (sizes the host
/// reports, nanosecond clocks, positional I/O), not std's wrapping of it.
pub mod raw {
    #[repr(C)]
    pub struct Iovec {
        pub buf: *const u8,
        pub len: usize,
    }

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn args_sizes_get(count: *mut usize, bytes: *mut usize) -> i32;
        pub fn environ_sizes_get(count: *mut usize, bytes: *mut usize) -> i32;
        pub fn clock_time_get(clock_id: u32, precision: u64, time: *mut u64) -> i32;
        pub fn random_get(buf: *mut u8, len: usize) -> i32;
        pub fn fd_read(fd: u32, iovs: *const Iovec, iovs_len: usize, nread: *mut usize) -> i32;
        pub fn fd_write(fd: u32, iovs: *const Iovec, iovs_len: usize, nwritten: *mut usize) -> i32;
        pub fn fd_pread(fd: u32, iovs: *const Iovec, iovs_len: usize, offset: u64, nread: *mut usize) -> i32;
        pub fn fd_pwrite(fd: u32, iovs: *const Iovec, iovs_len: usize, offset: u64, nwritten: *mut usize) -> i32;
        pub fn path_create_directory(fd: u32, path: *const u8, path_len: usize) -> i32;
        pub fn poll_oneoff(subscriptions: *const u8, events: *mut u8, count: usize, nevents: *mut usize) -> i32;
    }

    pub const CLOCK_REALTIME: u32 = 0;
    pub const CLOCK_MONOTONIC: u32 = 1;
}

const ERRNO_NAMES: [&str; 77] = [
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

/// "E" + the WASI name of an errno number ("EACCES", "ENOTCAPABLE"), or "E?<n>" when unknown.
pub fn errno_name(errno: i32) -> String {
    match usize::try_from(errno).ok().and_then(|i| ERRNO_NAMES.get(i)) {
        Some(name) => format!("E{name}"),
        None => format!("E?{errno}"),
    }
}

/// One line describing an I/O result the way the tests parse it:
/// `ok` or `error errno=<n> <ENAME> kind=<ErrorKind>`.
pub fn describe<T>(result: &io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_string(),
        Err(e) => match e.raw_os_error() {
            Some(n) => format!("error errno={n} {} kind={:?}", errno_name(n), e.kind()),
            None => format!("error kind={:?} ({e})", e.kind()),
        },
    }
}

/// FNV-1a (32-bit), streaming: `let mut h = FNV_START; h = fnv1a(h, bytes);`.
pub const FNV_START: u32 = 0x811c_9dc5;
pub fn fnv1a(mut hash: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        hash ^= b as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
