//! wasi:io@0.2 poll: pollables onto the host's deadlines, stdin readiness and its one way to
//! wait (host/poll.rs `pause`): a real sleep through the host, `Stop::Blocked` for an embedder
//! that awaits and calls again, or, for one that cannot wait at all, the fallback answer of
//! docs/engine-abi.md ("Preview 2"): the pollables it would have waited for count as ready.
use super::handles::Pollable;
use super::lower::{alloc, check_pointer, pair_at, read_bytes, write, Realloc, Trap};
use super::{trap, Call, Stop};
use crate::host::poll::Paused;
use crate::host::Ctx;
use crate::memory::GuestMemory;

/// Whether `p` is ready now; `stdin` is set when it waits on stdin.
fn is_ready(ctx: &mut Ctx, p: &Pollable, stdin: &mut bool) -> bool {
    match p {
        Pollable::Ready => true,
        Pollable::Deadline(d) => ctx.time_left(d) == 0,
        // An error reading stdin is ready too: the read reports it.
        Pollable::Stdin => match ctx.stdin_readable() {
            Ok(Some(_)) | Err(_) => true,
            Ok(None) => {
                *stdin = true;
                false
            }
        },
    }
}

/// Waits until at least one of `pollables` is ready and returns the indexes of those that are.
fn wait_any(ctx: &mut Ctx, pollables: &[Pollable]) -> Call<Vec<u32>> {
    // The deadline the last full sleep was for: it counts as reached even if the clock did not
    // move (a virtual clock at rate 0, a host that wakes early), so the loop always ends.
    let mut slept_until: Option<usize> = None;
    loop {
        let mut stdin = false;
        let mut ready = Vec::new();
        for (i, p) in pollables.iter().enumerate() {
            if slept_until == Some(i) || is_ready(ctx, p, &mut stdin) {
                ready.push(i as u32);
            }
        }
        if !ready.is_empty() {
            return Ok(ready);
        }
        let mut nearest: Option<(usize, u64)> = None;
        for (i, p) in pollables.iter().enumerate() {
            if let Pollable::Deadline(d) = p {
                let left = ctx.time_left(d);
                if nearest.is_none_or(|(_, best)| left < best) {
                    nearest = Some((i, left));
                }
            }
        }
        match ctx.pause(nearest.map(|(_, ns)| ns), stdin) {
            Paused::Slept { whole } => {
                if whole {
                    slept_until = nearest.map(|(i, _)| i);
                }
            }
            Paused::Blocked if !ctx.p2.cannot_wait => return Err(Stop::Blocked),
            Paused::Blocked => {
                // The fallback: what it would have waited for is reported ready (a spurious
                // wake-up, which every poll loop tolerates; a stdin read then gets 0 bytes).
                let waited = pollables.iter().enumerate().filter(|(i, p)| {
                    matches!(p, Pollable::Stdin) || nearest.is_some_and(|(n, _)| n == *i)
                });
                return Ok(waited.map(|(i, _)| i as u32).collect());
            }
        }
    }
}

/// `[method]pollable.ready` -> bool.
pub fn ready(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
) -> Call<u32> {
    let p = *ctx.p2.pollable(this)?;
    let mut stdin = false;
    Ok(u32::from(is_ready(ctx, &p, &mut stdin)))
}

/// `[method]pollable.block`: returns once ready.
pub fn block(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
) -> Call<()> {
    let p = *ctx.p2.pollable(this)?;
    wait_any(ctx, &[p]).map(drop)
}

/// The most pollables one `poll` takes: the host's handle limit (no more can exist).
const MAX_POLL: u32 = super::handles::MAX_HANDLES as u32;

/// `poll(in: list<borrow<pollable>>) -> list<u32>` at `retptr`: the indexes of the ready ones.
pub fn poll(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    if !ptr.is_multiple_of(4) {
        return Err(Trap("list pointer not aligned").into());
    }
    if len == 0 {
        return Err(Trap("poll: the list of pollables is empty").into());
    }
    let bytes = len
        .checked_mul(4)
        .ok_or(Trap("list pointer/length out of bounds"))?;
    if len > MAX_POLL {
        return Err(trap(format!(
            "poll: {len} pollables is more than can exist ({MAX_POLL})"
        )));
    }
    let raw = read_bytes(mem, ptr, bytes)?;
    let mut pollables = Vec::with_capacity(len as usize);
    for handle in raw.chunks_exact(4) {
        let handle = u32::from_le_bytes([handle[0], handle[1], handle[2], handle[3]]);
        pollables.push(*ctx.p2.pollable(handle)?);
    }
    let ready = wait_any(ctx, &pollables)?;
    let out = alloc(mem, realloc, 4, ready.len() as u32 * 4)?;
    let bytes: Vec<u8> = ready.iter().flat_map(|i| i.to_le_bytes()).collect();
    write(mem, out, &bytes)?;
    Ok(pair_at(mem, retptr, (out, ready.len() as u32))?)
}
