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
#[cfg(feature = "p2")]
mod p2;

pub use config::context_new;
pub use memfs::MemFs;

thread_local! {
    /// The message of an engine panic, kept for JS to tell an engine bug from a guest trap.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps a panic's message for `take_panic`: js/src/wasi.js puts it in the Error it throws, so
/// nothing is written to the console here (console_error_panic_hook cost ~1 KB of the download).
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
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

/// The p1 exports, generated from cove-core's p1 table (`cove_core::p1_functions!`): for each
/// function, `p1_<name>(ctx, params…) -> u32` (an errno, or the `EXIT` / `BLOCKED` sentinels of
/// docs/engine-abi.md). Parameter types are the wasm ABI's: i32 as u32, i64 as u64 (the guest's
/// BigInts pass through unchanged). The table's trace kinds and implementation paths are the
/// core's business and ignored here.
macro_rules! p1_exports {
    ($(
        $(#[$doc:meta])*
        fn $name:ident($($arg:ident: $ty:ty => $kind:ident),*) = $imp:path;
    )*) => {
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

cove_core::p1_functions!(p1_exports);

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
