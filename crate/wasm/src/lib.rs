//! cove-wasm: the thin wasm-bindgen layer over cove-core (see docs/engine-abi.md).
//!
//! - `p1_<name>(ctx, …)`: one raw export per wasi_snapshot_preview1 function, numbers only, so
//!   JS forwarders pass the guest's arguments straight through (no wasm-bindgen glue on the
//!   hot path).
//! - `context_new(config, stdin)` / `context_drop(ctx)`, `flush(ctx)`, `exit_code(ctx)`.
//! - `MemFs`: the in-memory filesystem as a JS class with node:fs-like path methods.
//! - Host services (guest memory, stdio, clocks, random, sleeping, events, host filesystems)
//!   are raw imports from the wasm module `cove_host`, which js/src/engine.js provides.
use wasm_bindgen::prelude::*;

mod config;
mod contexts;
mod guest;
mod host;
mod hostfs;
mod memfs;

pub use config::context_new;
pub use memfs::MemFs;

thread_local! {
    /// The message of an engine panic, kept for JS to tell an engine bug from a guest trap.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
        console_error_panic_hook::hook(info);
    }));
}

thread_local! {
    /// Engine calls in progress (nested when a host callback re-enters the engine).
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts an engine call in progress for as long as it lives. A trap or a JS exception that
/// unwinds through the engine skips its `Drop`, so the count stays raised: that is how JS
/// tells a failed (poisoned) engine from a guest's own trap (`engine_depth`).
pub struct Entered(());

/// Marks an engine call as in progress until the returned guard drops.
pub fn enter() -> Entered {
    DEPTH.with(|d| d.set(d.get() + 1));
    Entered(())
}

impl Drop for Entered {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
    }
}

/// Engine calls in progress. JS compares it before and after a guest runs: higher after an
/// exception means the exception left the engine mid-call, and the engine must be replaced.
#[no_mangle]
pub extern "C" fn engine_depth() -> u32 {
    DEPTH.with(|d| d.get())
}

/// Test hook: fails the engine on purpose, as a bug would (a panic inside an engine call).
/// tests/engine-failure.test.mjs uses it to show that the next context gets a fresh engine.
#[no_mangle]
pub extern "C" fn test_panic_in_engine() {
    let _entered = enter();
    panic!("test_panic_in_engine: the engine was failed on purpose");
}

/// The message of the engine panic that trapped the last call, if one did (then forgotten).
#[wasm_bindgen]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// The p1 exports: for each function, `p1_<name>(ctx, params…) -> u32` (an errno, or the
/// `EXIT` / `BLOCKED` sentinels of docs/engine-abi.md). Parameter types are the wasm ABI's:
/// i32 as u32, i64 as u64 (the guest's BigInts pass through unchanged).
macro_rules! p1_exports {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        pub mod p1_exports {
            use super::contexts::{slot_of, with_ctx};
            use super::guest::JsGuestMemory;
            $(
                #[export_name = concat!("p1_", stringify!($name))]
                pub extern "C" fn $name(ctx: u32, $($arg: $ty),*) -> u32 {
                    with_ctx(ctx, |c| cove_core::p1::$name(c, &mut JsGuestMemory::new(slot_of(ctx)), $($arg),*))
                }
            )*
        }
    };
}

p1_exports! {
    args_get(argv: u32, argv_buf: u32);
    args_sizes_get(argc: u32, argv_buf_size: u32);
    environ_get(environ: u32, environ_buf: u32);
    environ_sizes_get(count: u32, buf_size: u32);
    clock_res_get(id: u32, out: u32);
    clock_time_get(id: u32, precision: u64, out: u32);
    fd_advise(fd: u32, offset: u64, len: u64, advice: u32);
    fd_allocate(fd: u32, offset: u64, len: u64);
    fd_close(fd: u32);
    fd_datasync(fd: u32);
    fd_fdstat_get(fd: u32, out: u32);
    fd_fdstat_set_flags(fd: u32, flags: u32);
    fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64);
    fd_filestat_get(fd: u32, out: u32);
    fd_filestat_set_size(fd: u32, size: u64);
    fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst_flags: u32);
    fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32);
    fd_prestat_get(fd: u32, out: u32);
    fd_prestat_dir_name(fd: u32, path: u32, path_len: u32);
    fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32);
    fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32);
    fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32);
    fd_renumber(fd: u32, to: u32);
    fd_seek(fd: u32, offset: i64, whence: u32, newoffset: u32);
    fd_sync(fd: u32);
    fd_tell(fd: u32, out: u32);
    fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32);
    path_create_directory(fd: u32, path: u32, path_len: u32);
    path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, out: u32);
    path_filestat_set_times(fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32);
    path_link(old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32);
    path_open(fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, rights_base: u64, rights_inheriting: u64, fdflags: u32, opened_fd: u32);
    path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32);
    path_remove_directory(fd: u32, path: u32, path_len: u32);
    path_rename(fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32);
    path_symlink(old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32);
    path_unlink_file(fd: u32, path: u32, path_len: u32);
    poll_oneoff(subscriptions: u32, events: u32, nsubscriptions: u32, nevents: u32);
    proc_exit(code: u32);
    proc_raise(signal: u32);
    sched_yield();
    random_get(buf: u32, buf_len: u32);
    sock_accept(fd: u32, flags: u32, fd_out: u32);
    sock_recv(fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32);
    sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32);
    sock_shutdown(fd: u32, how: u32);
}

/// Hands batched stdout to the host (JS calls it at exit, on a trap, and before yielding).
#[no_mangle]
pub extern "C" fn flush(ctx: u32) -> u32 {
    contexts::with_ctx(ctx, |c| match c.flush() {
        Ok(()) => 0,
        Err(e) => e as u32,
    })
}

/// Stdout reaches the host on every write from now on (`Ctx::unbuffer_stdout`).
#[no_mangle]
pub extern "C" fn unbuffer_stdout(ctx: u32) -> u32 {
    contexts::with_ctx(ctx, |c| match c.unbuffer_stdout() {
        Ok(()) => 0,
        Err(e) => e as u32,
    })
}

/// Which calls JS may answer by itself (docs/engine-abi.md, "Answered by the host"):
/// 1 = clock_time_get (the host's real clocks), 2 = random_get (crypto random).
#[no_mangle]
pub extern "C" fn host_answers(ctx: u32) -> u32 {
    contexts::with_ctx(ctx, |c| {
        u32::from(c.host_answers_clocks()) | u32::from(c.host_answers_random()) << 1
    })
}

/// The code the guest passed to `proc_exit` (valid after a call returned `EXIT`).
#[no_mangle]
pub extern "C" fn exit_code(ctx: u32) -> u32 {
    contexts::with_ctx(ctx, |c| c.exit_code().unwrap_or(0))
}

/// Frees a context (its descriptors close; shared filesystems live on while referenced). A
/// stale id (already freed) frees nothing.
#[no_mangle]
pub extern "C" fn context_drop(ctx: u32) {
    // Dropping a context closes its descriptors, which calls into JS: a trap there must leave
    // the engine marked as in a call, like any other entry (`engine_depth`).
    let _entered = enter();
    contexts::remove(ctx);
}

/// Checks a guest's import of `name` from wasi_snapshot_preview1 against the p1 table
/// (cove-core p1/signature.rs): `params`/`results` are value types by their binary encoding,
/// or undefined to check the name only. Returns the error message, or undefined when it fits.
#[wasm_bindgen]
pub fn check_wasi_import(
    name: &str,
    params: Option<Vec<u8>>,
    results: Option<Vec<u8>>,
) -> Option<String> {
    cove_core::p1::signature::check_import(name, params.as_deref(), results.as_deref()).err()
}
