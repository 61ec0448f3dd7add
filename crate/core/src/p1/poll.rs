//! poll_oneoff, onto the host's pollables and waiting (host/poll.rs): clock subscriptions really wait (through `Host::block_ns`, or by returning
//! BLOCKED so an async embedder can await); files are always ready; stdout/stderr are always
//! writable; stdin is ready when it has data or is at EOF (docs/pitfalls.md).
use super::descriptors::{Kind, PendingPoll};
use super::layout::{self, Subscription, SubscriptionKind, EVENT_SIZE, SUBSCRIPTION_SIZE};
use super::{Fail, Res};
use crate::bounded::{self, MAX_SUBSCRIPTIONS};
use crate::errno::{Errno, Result};
use crate::host::poll::{Deadline, Paused};
use crate::host::streams::StdioKind;
use crate::host::Ctx;
use crate::memory::{check_range, GuestMemory};

const SUBCLOCKFLAGS_ABSTIME: u16 = 1;

/// One event to report.
struct Ready {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
}

pub(super) fn poll_oneoff(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    subscriptions: u32,
    events: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Res {
    if nsubscriptions == 0 {
        return Err(Errno::Inval.into());
    }
    let in_len = nsubscriptions
        .checked_mul(SUBSCRIPTION_SIZE)
        .ok_or(Errno::Fault)?;
    let out_len = nsubscriptions.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?;
    check_range(mem.size(), subscriptions, in_len)?;
    check_range(mem.size(), events, out_len)?;
    check_range(mem.size(), nevents, 4)?;
    // Everything below is sized by the subscription count (crate::bounded).
    if nsubscriptions > MAX_SUBSCRIPTIONS {
        return Err(Errno::NoMem.into());
    }
    let count = nsubscriptions as usize;
    let raw = mem.read_vec(subscriptions, in_len)?;
    let mut subs: Vec<Subscription> = bounded::with_capacity(count)?;
    subs.extend(
        raw.chunks_exact(SUBSCRIPTION_SIZE as usize)
            .map(layout::decode_subscription),
    );
    if subs
        .iter()
        .any(|s| matches!(s.kind, SubscriptionKind::Unknown { .. }))
    {
        return Err(Errno::Inval.into());
    }

    // A retry of a call that returned BLOCKED keeps the deadlines it computed then.
    let retried = ctx
        .p1
        .pending_poll
        .take()
        .filter(|p| p.subscriptions == raw);
    // Each subscription adds at most one deadline and one event, so neither vector grows.
    let mut deadlines = bounded::with_capacity(count)?;
    let mut ready = bounded::with_capacity(count)?;
    for (index, sub) in subs.iter().enumerate() {
        if let SubscriptionKind::Clock {
            id, timeout, flags, ..
        } = sub.kind
        {
            let clock = match super::clock::clock_of(id) {
                Ok(clock) => clock,
                Err(e) => {
                    ready.push(Ready {
                        userdata: sub.userdata,
                        error: e,
                        kind: layout::EVENTTYPE_CLOCK,
                        nbytes: 0,
                    });
                    continue;
                }
            };
            let deadline = match retried
                .as_ref()
                .and_then(|p| p.deadlines.get(deadlines.len()))
            {
                Some(&at) if flags & SUBCLOCKFLAGS_ABSTIME == 0 => Deadline { clock, at },
                _ => ctx.deadline(clock, timeout, flags & SUBCLOCKFLAGS_ABSTIME != 0),
            };
            deadlines.push((index, deadline));
        }
    }

    let mut waiting_on_stdin = false;
    // The deadline the last full sleep was for: it counts as reached even if the clock did not
    // move (a virtual clock at rate 0, a host that wakes early), so the loop always ends.
    let mut slept_until: Option<usize> = None;
    loop {
        for sub in &subs {
            match sub.kind {
                SubscriptionKind::FdRead { fd } => match fd_read_readiness(ctx, fd) {
                    Ok(Some(nbytes)) => ready.push(Ready {
                        userdata: sub.userdata,
                        error: Errno::Success,
                        kind: layout::EVENTTYPE_FD_READ,
                        nbytes,
                    }),
                    Ok(None) => waiting_on_stdin = true,
                    Err(e) => ready.push(Ready {
                        userdata: sub.userdata,
                        error: e,
                        kind: layout::EVENTTYPE_FD_READ,
                        nbytes: 0,
                    }),
                },
                SubscriptionKind::FdWrite { fd } => {
                    let error = fd_write_readiness(ctx, fd).err().unwrap_or(Errno::Success);
                    ready.push(Ready {
                        userdata: sub.userdata,
                        error,
                        kind: layout::EVENTTYPE_FD_WRITE,
                        nbytes: 0,
                    });
                }
                _ => {}
            }
        }
        for (i, (index, d)) in deadlines.iter().enumerate() {
            if slept_until == Some(i) || ctx.time_left(d) == 0 {
                ready.push(Ready {
                    userdata: subs[*index].userdata,
                    error: Errno::Success,
                    kind: layout::EVENTTYPE_CLOCK,
                    nbytes: 0,
                });
            }
        }
        if !ready.is_empty() {
            break;
        }
        // Nothing is ready: wait for the nearest deadline (or for stdin).
        let mut nearest: Option<(usize, u64)> = None;
        for (i, (_, d)) in deadlines.iter().enumerate() {
            let left = ctx.time_left(d);
            if nearest.is_none_or(|(_, best)| left < best) {
                nearest = Some((i, left));
            }
        }
        match ctx.pause(nearest.map(|(_, ns)| ns), waiting_on_stdin) {
            Paused::Slept { whole } => {
                if whole {
                    slept_until = nearest.map(|(i, _)| i);
                }
            }
            Paused::Blocked => {
                ctx.p1.pending_poll = Some(PendingPoll {
                    subscriptions: raw,
                    deadlines: deadlines.iter().map(|(_, d)| d.at).collect(),
                });
                return Err(Fail::Blocked);
            }
        }
        waiting_on_stdin = false;
    }

    let mut out = bounded::with_capacity(ready.len() * EVENT_SIZE as usize)?;
    for r in &ready {
        out.extend_from_slice(&layout::encode_event(
            r.userdata, r.error, r.kind, r.nbytes, 0,
        ));
    }
    mem.write(events, &out)?;
    Ok(mem.write_u32(nevents, ready.len() as u32)?)
}

/// `Some(bytes available)` when a read would not wait, `None` when it would.
fn fd_read_readiness(ctx: &mut Ctx, fd: u32) -> Result<Option<u64>> {
    let desc = ctx.p1.fds.get(fd)?;
    desc.require_read()?;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) => Ok(ctx.stdin_readable()?),
        Kind::File(f) => {
            let (node, pos) = (f.node.clone(), f.pos);
            Ok(Some(ctx.stat(&node)?.size.saturating_sub(pos)))
        }
        _ => Err(Errno::Badf),
    }
}

fn fd_write_readiness(ctx: &mut Ctx, fd: u32) -> Result<()> {
    let desc = ctx.p1.fds.get(fd)?;
    desc.require_write()?;
    match desc.kind {
        Kind::Stdio(StdioKind::Stdout | StdioKind::Stderr) | Kind::File(_) => Ok(()),
        _ => Err(Errno::Badf),
    }
}
