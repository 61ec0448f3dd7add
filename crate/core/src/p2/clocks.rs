//! wasi:clocks@0.2: monotonic-clock and wall-clock, over the context's clocks (the policy's
//! real, frozen or virtual time, as p1 sees it). The `subscribe-*` functions come with pollables.
use super::lower::{check_pointer, write, Trap};
use crate::host::clock::RESOLUTION_NS;
use crate::host::{Clock, Ctx};
use crate::memory::GuestMemory;

/// monotonic-clock.now: an `instant` (u64 ns), one flat result.
pub fn monotonic_now(ctx: &mut Ctx) -> u64 {
    ctx.now(Clock::Monotonic)
}

/// monotonic-clock.resolution: a `duration` (u64 ns).
pub fn monotonic_resolution(_ctx: &mut Ctx) -> u64 {
    RESOLUTION_NS
}

/// A `datetime { seconds: u64, nanoseconds: u32 }` at `retptr` (size 16, align 8).
fn datetime_at(mem: &mut impl GuestMemory, retptr: u32, ns: u64) -> Result<(), Trap> {
    check_pointer(mem, retptr, 8, 16)?;
    write(mem, retptr, &(ns / 1_000_000_000).to_le_bytes())?;
    write(
        mem,
        retptr + 8,
        &((ns % 1_000_000_000) as u32).to_le_bytes(),
    )
}

/// wall-clock.now: a `datetime` at `retptr`.
pub fn wall_now(ctx: &mut Ctx, mem: &mut impl GuestMemory, retptr: u32) -> Result<(), Trap> {
    let ns = ctx.now(Clock::Realtime);
    datetime_at(mem, retptr, ns)
}

/// wall-clock.resolution: a `datetime` at `retptr`.
pub fn wall_resolution(
    _ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    retptr: u32,
) -> Result<(), Trap> {
    datetime_at(mem, retptr, RESOLUTION_NS)
}
