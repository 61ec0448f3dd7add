//! The WASI preview 2 exports (docs/engine-abi.md, "Preview 2"), generated from cove-core's p2
//! table (`cove_core::p2_functions!`): for each function, `p2:<interface>#<name>(ctx, flat
//! params…)` returning its flat result, if any. A call that traps, exits or must wait tells JS
//! through `p2_signal` and returns 0, which JS ignores.
use cove_core::p2::{Realloc, Stop, Trap};
use wasm_bindgen::prelude::*;

use crate::contexts::{slot_of, try_with_ctx, DISPOSED};

#[link(wasm_import_module = "cove_host")]
extern "C" {
    /// kind 1 trap ((a, b) = UTF-8 message (ptr, len) in engine memory), 2 exit (a = code),
    /// 3 blocked (await what the host imports asked for, then call again).
    fn p2_signal(ctx: u32, kind: u32, a: u32, b: u32);
    /// The guest's `cabi_realloc`: ≥ 0 the pointer, < 0 it threw (JS keeps the exception).
    fn guest_realloc(ctx: u32, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> f64;
}

const SIGNAL_TRAP: u32 = 1;
const SIGNAL_EXIT: u32 = 2;
const SIGNAL_BLOCKED: u32 = 3;

/// The guest's `cabi_realloc`, through JS.
pub struct JsRealloc {
    slot: u32,
}

impl Realloc for JsRealloc {
    fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<u32, Trap> {
        let ptr = unsafe { guest_realloc(self.slot, old_ptr, old_size, align, new_size) };
        if ptr < 0.0 || ptr.is_nan() {
            // JS rethrows the guest's own exception after the call.
            return Err(Trap("cabi_realloc threw"));
        }
        if ptr > f64::from(u32::MAX) {
            return Err(Trap("realloc return: beyond end of memory"));
        }
        Ok(ptr as u32)
    }
}

fn trap_signal(slot: u32, message: &str) {
    unsafe {
        p2_signal(
            slot,
            SIGNAL_TRAP,
            message.as_ptr() as u32,
            message.len() as u32,
        )
    }
}

/// Runs one p2 call on context `id`: tells JS of a stop and returns the flat result (0 then).
pub fn call<T: Default>(
    id: u32,
    f: impl FnOnce(
        &mut cove_core::host::Ctx,
        &mut crate::guest::JsGuestMemory,
        &mut JsRealloc,
    ) -> Result<T, Stop>,
) -> T {
    let slot = slot_of(id);
    let result = try_with_ctx(id, |ctx| {
        f(
            ctx,
            &mut crate::guest::JsGuestMemory::new(slot),
            &mut JsRealloc { slot },
        )
    });
    match result {
        Ok(Ok(value)) => value,
        Ok(Err(stop)) => {
            match stop {
                Stop::Trap(message) => trap_signal(slot, &message),
                Stop::Exit(code) => unsafe { p2_signal(slot, SIGNAL_EXIT, code, 0) },
                Stop::Blocked => unsafe { p2_signal(slot, SIGNAL_BLOCKED, 0, 0) },
            }
            T::default()
        }
        Err(DISPOSED) => {
            trap_signal(
                slot,
                "cove: this WASI instance was disposed; its guest cannot call it any more",
            );
            T::default()
        }
        Err(_) => {
            trap_signal(
                slot,
                "cove: a p2 call re-entered its own context (from cabi_realloc?)",
            );
            T::default()
        }
    }
}

/// One export per table entry, named `p2:<interface>#<name>`.
macro_rules! p2_exports {
    ($(
        $(#[$doc:meta])*
        $iface:literal $wit:literal
        fn $name:ident($($arg:ident: $ty:ty => $kind:ident),*) $(-> $ret:ty)? = $imp:path;
    )*) => {
        pub mod p2_exports {
            $(
                // Such names are fine in wasm but not in a native linker's version script.
                #[cfg_attr(target_arch = "wasm32", export_name = concat!("p2:", $iface, "#", $wit))]
                #[cfg_attr(not(target_arch = "wasm32"), no_mangle)]
                pub extern "C" fn $name(ctx: u32, $($arg: $ty),*) -> cove_core::p2_result!($($ret)?) {
                    #[allow(clippy::unit_arg)]
                    super::call(ctx, |c, mem, realloc| cove_core::p2::$name(c, mem, realloc, $($arg),*))
                }
            )*
        }
    };
}

cove_core::p2_functions!(p2_exports);

/// The embedder cannot wait for this context (no JSPI, no Atomics): p2 calls that would block
/// give the fallback answer instead of signalling `blocked` (docs/engine-abi.md, "Preview 2").
#[no_mangle]
pub extern "C" fn p2_cannot_wait(ctx: u32) {
    let _ = try_with_ctx(ctx, |c| c.p2_cannot_wait());
}

/// Checks a component's lowered import `name` from `module` (e.g. `wasi:io/streams@0.2.6`)
/// against the p2 table: `params`/`results` are value types by their binary encoding, or
/// undefined to check the name only. Returns the error message naming the import, or undefined.
#[wasm_bindgen]
pub fn p2_check_import(
    module: &str,
    name: &str,
    params: Option<Vec<u8>>,
    results: Option<Vec<u8>>,
) -> Option<String> {
    cove_core::p2::signature::check_import(module, name, params.as_deref(), results.as_deref())
        .err()
}
