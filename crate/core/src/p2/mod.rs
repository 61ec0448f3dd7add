//! WASI preview 2, one file per WIT package (docs/design.md, "Components and WASI preview 2"),
//! each a thin translation onto the host model, as p1 is. Every function is declared once, in
//! table.rs, from which the dispatch below and crate/wasm's `p2:<interface>#<name>` exports are
//! generated (docs/engine-abi.md, "Preview 2").
//!
//! Functions take the canonical ABI's flat parameters; a result that does not fit one flat value
//! is written at a return pointer, and lists and strings are placed in guest memory through the
//! guest's `cabi_realloc` ([`Realloc`]). Resources cross as indexes into the context's handle
//! table (handles.rs). A call that must trap, exit or wait returns [`Stop`]; the embedder tells
//! JS and ignores the flat result. Canonical-ABI faults (a return pointer or an allocation out
//! of range or misaligned, an unknown handle, a bad discriminant) are traps, never error codes.
// The parameter lists are the canonical ABI's.
#![allow(clippy::too_many_arguments)]

use std::borrow::Cow;

use crate::host::Ctx;
use crate::memory::GuestMemory;

pub mod cli;
pub mod clocks;
mod errors;
pub mod filesystem;
pub mod handles;
pub mod lower;
mod network;
pub mod poll;
pub mod random;
pub mod signature;
pub mod streams;
mod table;
pub mod trace;

pub use handles::State;
pub use lower::{Realloc, Trap};

/// Why a p2 call did not return normally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The component instance traps with this message.
    Trap(Cow<'static, str>),
    /// `wasi:cli/exit`: the guest exits with this code (also kept in [`Ctx::exit_code`]).
    Exit(u32),
    /// The call must wait for something only asynchronous JS can await. Nothing observable
    /// happened: the embedder awaits what the host imports asked for and calls again.
    Blocked,
}

impl From<Trap> for Stop {
    #[inline]
    fn from(t: Trap) -> Stop {
        Stop::Trap(Cow::Borrowed(t.0))
    }
}

/// What every p2 implementation returns.
pub type Call<T> = Result<T, Stop>;

/// A trap with a message built at run time.
#[cold]
pub(crate) fn trap(message: String) -> Stop {
    Stop::Trap(Cow::Owned(message))
}

/// Declares the public p2 functions: each runs its implementation and traces the call when the
/// context asks for it. `=> Kind` says how the trace shows an argument (see [`trace::Arg`]).
macro_rules! p2_dispatch {
    ($(
        $(#[$doc:meta])*
        $iface:literal $wit:literal
        fn $name:ident($($arg:ident: $ty:ty => $kind:ident),*) $(-> $ret:ty)? = $imp:path;
    )*) => {
        $(
            $(#[$doc])*
            pub fn $name(
                ctx: &mut Ctx,
                mem: &mut impl GuestMemory,
                realloc: &mut impl Realloc,
                $($arg: $ty),*
            ) -> Call<$crate::p2_result!($($ret)?)> {
                let result = $imp(ctx, mem, realloc, $($arg),*);
                if result != Err(Stop::Blocked) {
                    ctx.wait = None;
                    if ctx.tracing() {
                        let shown = trace::Result::of(&result);
                        trace::emit(ctx, mem, $wit, &[$((trace::Arg::$kind, $arg as u64)),*], shown);
                    }
                }
                result
            }
        )*

        /// Every p2 function as (interface without version, name as the component imports it),
        /// in table order.
        pub const NAMES: &[(&str, &str)] = &[$(($iface, $wit)),*];

        /// Every p2 function's flat core signature, in table order: what
        /// [`signature::check_import`] holds a lowered import to.
        pub const SIGNATURES: &[(&[signature::ValType], &[signature::ValType])] = &[$((
            &[$(<$ty as signature::Flat>::TYPE),*],
            &[$(<$ret as signature::Flat>::TYPE)?],
        )),*];

        /// Calls p2 function number `index` (in [`NAMES`] order) with `args`, each cut to its
        /// parameter's type as a wasm call would (missing ones are 0); `None` for no such
        /// function, else whether it returned, trapped, exited or blocked. For property tests
        /// and fuzzing the whole dispatch.
        pub fn call_by_index(
            ctx: &mut Ctx,
            mem: &mut impl GuestMemory,
            realloc: &mut impl Realloc,
            index: usize,
            args: &[u64],
        ) -> Option<Call<u64>> {
            let mut i = 0usize;
            let mut _next = || {
                i += 1;
                args.get(i - 1).copied().unwrap_or(0)
            };
            let mut n = 0usize;
            $(
                if index == n {
                    #[allow(clippy::unit_arg, clippy::let_unit_value)]
                    return Some($name(ctx, mem, realloc, $({ let _ = stringify!($arg); _next() as $ty }),*)
                        .map(|_r| signature::Flat::to_u64(_r)));
                }
                n += 1;
            )*
            let _ = n;
            None
        }
    };
}

/// The Rust type of a p2 function's flat result: the one given, or `()` for none.
#[macro_export]
#[doc(hidden)]
macro_rules! p2_result {
    () => {
        ()
    };
    ($ret:ty) => {
        $ret
    };
}

crate::p2_functions!(p2_dispatch);
