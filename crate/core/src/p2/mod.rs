//! WASI preview 2, one file per WIT package (docs/design.md, "Components and WASI preview 2"),
//! each a thin translation onto the host model, as p1 is. Functions take the canonical ABI's flat
//! parameters; a result that does not fit one flat value is written at a return pointer, and
//! lists and strings are placed in guest memory through the guest's `cabi_realloc`
//! ([`Realloc`]). Canonical-ABI faults (a return pointer or an allocation out of range or
//! misaligned) are traps ([`Trap`]), never error codes. Not yet wired to the engine's exports.
//!
//! So far: wasi:clocks (clocks.rs), wasi:random (random.rs), wasi:cli/environment (cli.rs).
pub mod cli;
pub mod clocks;
pub mod lower;
pub mod random;

pub use lower::{Realloc, Trap};
