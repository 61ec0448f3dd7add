//! wasi_snapshot_preview1: a thin translation onto the host model, one file per family.
//!
//! Every function has the WASI name and the exact p1 parameters after `(ctx, mem)` (i32 → u32,
//! i64 → u64, `filedelta` → i64) and returns a `u32`: the errno (0 = success), or one of the
//! sentinels [`EXIT`] and [`BLOCKED`]. The functions are declared once, in table.rs, from which
//! crate/wasm generates its exports too.
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
pub mod descriptors;
mod errors;
mod fd;
pub mod layout;
mod misc;
mod path;
mod poll;
pub mod signature;
mod sock;
mod table;
pub mod trace;

pub use descriptors::State;

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

crate::p1_functions!(wasi_functions);
