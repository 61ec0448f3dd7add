//! The one table of wasi_snapshot_preview1: every function, its parameters (name, Rust type of
//! the wasm value, how a trace shows it) and the implementation in p1/. Everything per-function
//! is generated from it (docs/engine-abi.md): the core's dispatch, `NAMES`, `SIGNATURES` (the
//! import check, also what js/src/wasi-imports.js asks through crate/wasm), and crate/wasm's
//! `p1_<name>` exports.

/// Calls the macro `$m` with the p1 table: one
/// `fn name(arg: type => TraceKind, …) = implementation;` per function, in the ABI's order.
/// The implementation paths are relative to cove-core's `p1` module; other crates ignore them.
#[macro_export]
macro_rules! p1_functions {
    ($m:ident) => {
        $m! {
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
    };
}
