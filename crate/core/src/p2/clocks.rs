//! wasi:clocks@0.2: monotonic-clock and wall-clock, over the context's clocks (the policy's
//! real, frozen or virtual time, as p1 sees it). `subscribe-*` make deadline pollables.
use super::handles::{Pollable, Resource};
use super::lower::{Realloc, Record};
use super::Call;
use crate::host::clock::RESOLUTION_NS;
use crate::host::{Clock, Ctx};
use crate::memory::GuestMemory;

/// monotonic-clock.now: an `instant` (u64 ns), one flat result.
pub fn monotonic_now(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u64> {
    Ok(ctx.now(Clock::Monotonic))
}

/// monotonic-clock.resolution: a `duration` (u64 ns).
pub fn monotonic_resolution(
    _ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u64> {
    Ok(RESOLUTION_NS)
}

/// monotonic-clock.subscribe-instant(when) -> own<pollable>: ready once the clock reaches `when`.
pub fn subscribe_instant(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    when: u64,
) -> Call<u32> {
    let deadline = ctx.deadline(Clock::Monotonic, when, true);
    ctx.p2
        .push(Resource::Pollable(Pollable::Deadline(deadline)))
}

/// monotonic-clock.subscribe-duration(when) -> own<pollable>: ready `when` ns from now.
pub fn subscribe_duration(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    when: u64,
) -> Call<u32> {
    let deadline = ctx.deadline(Clock::Monotonic, when, false);
    ctx.p2
        .push(Resource::Pollable(Pollable::Deadline(deadline)))
}

/// A `datetime { seconds: u64, nanoseconds: u32 }` at `retptr` (size 16, align 8).
fn datetime_at(mem: &mut impl GuestMemory, retptr: u32, ns: u64) -> Call<()> {
    let mut out = Record::new(16);
    out.u64(0, ns / 1_000_000_000)
        .u32(8, (ns % 1_000_000_000) as u32);
    Ok(out.store(mem, retptr, 8)?)
}

/// wall-clock.now: a `datetime` at `retptr`.
pub fn wall_now(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    let ns = ctx.now(Clock::Realtime);
    datetime_at(mem, retptr, ns)
}

/// wall-clock.resolution: a `datetime` at `retptr`.
pub fn wall_resolution(
    _ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    datetime_at(mem, retptr, RESOLUTION_NS)
}
