//! wasi_snapshot_preview1: a thin translation onto the host model, one file per family.
//!
//! Every function has the WASI name and the exact p1 parameters after `(ctx, mem)` (i32 → u32,
//! i64 → u64, `filedelta` → i64) and returns a `u32`: the errno (0 = success), or one of the
//! sentinels [`EXIT`] and [`BLOCKED`]. crate/wasm generates its exports from the table below.
//!
//! Every pointer, length, flag and fd comes from a hostile guest: bad values are an errno, never
//! a panic. Results are written to guest memory only after the operation succeeded.
// The parameter lists are the WASI ABI's.
#![allow(clippy::too_many_arguments)]

use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::GuestMemory;

mod args;
mod clock;
mod fd;
pub mod layout;
mod misc;
mod path;
mod poll;
pub mod signature;
mod sock;
pub mod trace;

/// Returned by `proc_exit`: the guest asked to exit with [`Ctx::exit_code`]. The embedder
/// flushes ([`Ctx::flush`]) and unwinds the guest (node:wasi throws its exit signal).
pub const EXIT: u32 = 0x1_0000;

/// Returned when the call must wait for something only asynchronous JS can await (stdin data
/// with an async source, a sleep where the host cannot block). Nothing observable happened:
/// the embedder awaits what [`Ctx::wait`] names and calls the same function again with the
/// same arguments.
pub const BLOCKED: u32 = 0x1_0001;

/// Why a call did not succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    Errno(Errno),
    Exit,
    Blocked,
}

impl From<Errno> for Fail {
    fn from(e: Errno) -> Fail {
        Fail::Errno(e)
    }
}

pub(crate) type Res = Result<(), Fail>;

/// The code a p1 call returns for `result`.
fn finish(ctx: &mut Ctx, result: Res) -> u32 {
    match result {
        Ok(()) => {
            ctx.wait = None;
            0
        }
        Err(Fail::Errno(e)) => {
            ctx.wait = None;
            e as u32
        }
        Err(Fail::Exit) => EXIT,
        Err(Fail::Blocked) => BLOCKED,
    }
}

/// Declares the public p1 functions: each runs its implementation, traces the call when the
/// context asks for it, and turns the result into the returned code. `=> Kind` says how
/// the trace shows an argument (see [`trace::Arg`]).
macro_rules! wasi_functions {
    ($(
        $(#[$doc:meta])*
        fn $name:ident($($arg:ident: $ty:ty => $kind:ident),*) = $imp:path;
    )*) => {
        $(
            $(#[$doc])*
            pub fn $name(ctx: &mut Ctx, mem: &mut impl GuestMemory, $($arg: $ty),*) -> u32 {
                let result = $imp(ctx, mem, $($arg),*);
                if ctx.tracing() && result != Err(Fail::Blocked) {
                    trace::emit(ctx, mem, stringify!($name), &[$((trace::Arg::$kind, $arg as u64)),*], result);
                }
                finish(ctx, result)
            }
        )*

        /// Every p1 function name, in the order declared (for embedders generating imports).
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Calls p1 function number `index` (in [`NAMES`] order) with `args`, each cut to its
        /// parameter's type as a wasm call would (missing ones are 0); `None` for no such
        /// function. For fuzzing the whole dispatch (crate/fuzz).
        pub fn call_by_index(ctx: &mut Ctx, mem: &mut impl GuestMemory, index: usize, args: &[u64]) -> Option<u32> {
            let mut i = 0usize;
            let mut _next = || {
                i += 1;
                args.get(i - 1).copied().unwrap_or(0)
            };
            let mut n = 0usize;
            $(
                if index == n {
                    return Some($name(ctx, mem, $({ let _ = stringify!($arg); _next() as $ty }),*));
                }
                n += 1;
            )*
            let _ = n;
            None
        }

        /// Every p1 function with its parameters' wasm types, in the order declared: what
        /// [`signature::check_import`] holds a guest's imports to.
        pub const SIGNATURES: &[(&str, &[signature::ValType])] =
            &[$((stringify!($name), &[$(<$ty as signature::WasmParam>::TYPE),*])),*];
    };
}

wasi_functions! {
    /// Writes argv pointers to `argv` and the NUL-terminated strings to `argv_buf`.
    fn args_get(argv: u32 => Ptr, argv_buf: u32 => Ptr) = args::args_get;
    /// Writes argc and the total byte size of the argument strings (UTF-8, NULs included).
    fn args_sizes_get(argc: u32 => Ptr, argv_buf_size: u32 => Ptr) = args::args_sizes_get;
    fn environ_get(environ: u32 => Ptr, environ_buf: u32 => Ptr) = args::environ_get;
    fn environ_sizes_get(environc: u32 => Ptr, environ_buf_size: u32 => Ptr) = args::environ_sizes_get;

    fn clock_res_get(id: u32 => Clock, resolution: u32 => Ptr) = clock::clock_res_get;
    fn clock_time_get(id: u32 => Clock, precision: u64 => Num, time: u32 => Ptr) = clock::clock_time_get;

    fn fd_advise(fd: u32 => Fd, offset: u64 => Num, len: u64 => Num, advice: u32 => Advice) = fd::fd_advise;
    fn fd_allocate(fd: u32 => Fd, offset: u64 => Num, len: u64 => Num) = fd::fd_allocate;
    fn fd_close(fd: u32 => Fd) = fd::fd_close;
    fn fd_datasync(fd: u32 => Fd) = fd::fd_datasync;
    fn fd_fdstat_get(fd: u32 => Fd, stat: u32 => Ptr) = fd::fd_fdstat_get;
    fn fd_fdstat_set_flags(fd: u32 => Fd, flags: u32 => FdFlags) = fd::fd_fdstat_set_flags;
    /// Drops rights; asking for rights the descriptor does not hold is ENOTCAPABLE.
    fn fd_fdstat_set_rights(fd: u32 => Fd, fs_rights_base: u64 => Rights, fs_rights_inheriting: u64 => Rights) = fd::fd_fdstat_set_rights;
    fn fd_filestat_get(fd: u32 => Fd, buf: u32 => Ptr) = fd::fd_filestat_get;
    fn fd_filestat_set_size(fd: u32 => Fd, size: u64 => Num) = fd::fd_filestat_set_size;
    fn fd_filestat_set_times(fd: u32 => Fd, atim: u64 => Num, mtim: u64 => Num, fst_flags: u32 => FstFlags) = fd::fd_filestat_set_times;
    fn fd_pread(fd: u32 => Fd, iovs: u32 => Ptr, iovs_len: u32 => Num, offset: u64 => Num, nread: u32 => Ptr) = fd::fd_pread;
    fn fd_prestat_get(fd: u32 => Fd, buf: u32 => Ptr) = fd::fd_prestat_get;
    fn fd_prestat_dir_name(fd: u32 => Fd, path: u32 => Ptr, path_len: u32 => Num) = fd::fd_prestat_dir_name;
    fn fd_pwrite(fd: u32 => Fd, iovs: u32 => Ptr, iovs_len: u32 => Num, offset: u64 => Num, nwritten: u32 => Ptr) = fd::fd_pwrite;
    fn fd_read(fd: u32 => Fd, iovs: u32 => Ptr, iovs_len: u32 => Num, nread: u32 => Ptr) = fd::fd_read;
    fn fd_readdir(fd: u32 => Fd, buf: u32 => Ptr, buf_len: u32 => Num, cookie: u64 => Num, bufused: u32 => Ptr) = fd::fd_readdir;
    fn fd_renumber(fd: u32 => Fd, to: u32 => Fd) = fd::fd_renumber;
    fn fd_seek(fd: u32 => Fd, offset: i64 => Delta, whence: u32 => Whence, newoffset: u32 => Ptr) = fd::fd_seek;
    fn fd_sync(fd: u32 => Fd) = fd::fd_sync;
    fn fd_tell(fd: u32 => Fd, offset: u32 => Ptr) = fd::fd_tell;
    fn fd_write(fd: u32 => Fd, iovs: u32 => Ptr, iovs_len: u32 => Num, nwritten: u32 => Ptr) = fd::fd_write;

    fn path_create_directory(fd: u32 => Fd, path: u32 => PathPtr, path_len: u32 => PathLen) = path::path_create_directory;
    fn path_filestat_get(fd: u32 => Fd, flags: u32 => LookupFlags, path: u32 => PathPtr, path_len: u32 => PathLen, buf: u32 => Ptr) = path::path_filestat_get;
    fn path_filestat_set_times(fd: u32 => Fd, flags: u32 => LookupFlags, path: u32 => PathPtr, path_len: u32 => PathLen, atim: u64 => Num, mtim: u64 => Num, fst_flags: u32 => FstFlags) = path::path_filestat_set_times;
    fn path_link(old_fd: u32 => Fd, old_flags: u32 => LookupFlags, old_path: u32 => PathPtr, old_path_len: u32 => PathLen, new_fd: u32 => Fd, new_path: u32 => PathPtr, new_path_len: u32 => PathLen) = path::path_link;
    fn path_open(fd: u32 => Fd, dirflags: u32 => LookupFlags, path: u32 => PathPtr, path_len: u32 => PathLen, oflags: u32 => OFlags, fs_rights_base: u64 => Rights, fs_rights_inheriting: u64 => Rights, fdflags: u32 => FdFlags, opened_fd: u32 => Ptr) = path::path_open;
    fn path_readlink(fd: u32 => Fd, path: u32 => PathPtr, path_len: u32 => PathLen, buf: u32 => Ptr, buf_len: u32 => Num, bufused: u32 => Ptr) = path::path_readlink;
    fn path_remove_directory(fd: u32 => Fd, path: u32 => PathPtr, path_len: u32 => PathLen) = path::path_remove_directory;
    fn path_rename(fd: u32 => Fd, old_path: u32 => PathPtr, old_path_len: u32 => PathLen, new_fd: u32 => Fd, new_path: u32 => PathPtr, new_path_len: u32 => PathLen) = path::path_rename;
    fn path_symlink(old_path: u32 => PathPtr, old_path_len: u32 => PathLen, fd: u32 => Fd, new_path: u32 => PathPtr, new_path_len: u32 => PathLen) = path::path_symlink;
    fn path_unlink_file(fd: u32 => Fd, path: u32 => PathPtr, path_len: u32 => PathLen) = path::path_unlink_file;

    /// Waits for the first of the subscribed events (clock timeouts really wait).
    fn poll_oneoff(subscriptions: u32 => Ptr, events: u32 => Ptr, nsubscriptions: u32 => Num, nevents: u32 => Ptr) = poll::poll_oneoff;
    /// Records the exit code and returns [`EXIT`].
    fn proc_exit(rval: u32 => Num) = misc::proc_exit;
    fn proc_raise(sig: u32 => Num) = misc::proc_raise;
    fn sched_yield() = misc::sched_yield;
    fn random_get(buf: u32 => Ptr, buf_len: u32 => Num) = misc::random_get;

    fn sock_accept(fd: u32 => Fd, flags: u32 => FdFlags, result_fd: u32 => Ptr) = sock::sock_accept;
    fn sock_recv(fd: u32 => Fd, ri_data: u32 => Ptr, ri_data_len: u32 => Num, ri_flags: u32 => Num, ro_datalen: u32 => Ptr, ro_flags: u32 => Ptr) = sock::sock_recv;
    fn sock_send(fd: u32 => Fd, si_data: u32 => Ptr, si_data_len: u32 => Num, si_flags: u32 => Num, so_datalen: u32 => Ptr) = sock::sock_send;
    fn sock_shutdown(fd: u32 => Fd, how: u32 => Num) = sock::sock_shutdown;
}
