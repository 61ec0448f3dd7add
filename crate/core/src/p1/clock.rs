//! clock_res_get, clock_time_get. CPU-time clocks are EBADF, as in wasmtime; other ids EINVAL.
use super::Res;
use crate::errno::{Errno, Result};
use crate::host::clock::RESOLUTION_NS;
use crate::host::{Clock, Ctx};
use crate::memory::GuestMemory;

pub(crate) const CLOCKID_REALTIME: u32 = 0;
pub(crate) const CLOCKID_MONOTONIC: u32 = 1;

/// The host clock a guest clock id names.
pub(crate) fn clock_of(id: u32) -> Result<Clock> {
    match id {
        CLOCKID_REALTIME => Ok(Clock::Realtime),
        CLOCKID_MONOTONIC => Ok(Clock::Monotonic),
        2 | 3 => Err(Errno::Badf),
        _ => Err(Errno::Inval),
    }
}

pub(super) fn clock_res_get(
    _ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    id: u32,
    resolution: u32,
) -> Res {
    clock_of(id)?;
    Ok(mem.write_u64(resolution, RESOLUTION_NS)?)
}

pub(super) fn clock_time_get(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    id: u32,
    _precision: u64,
    time: u32,
) -> Res {
    let clock = clock_of(id)?;
    crate::memory::check_range(mem.size(), time, 8)?;
    let now = ctx.now(clock);
    Ok(mem.write_u64(time, now)?)
}
