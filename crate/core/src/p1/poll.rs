//! poll_oneoff: clock subscriptions really wait (through `Host::block_ns`, or by returning
//! BLOCKED so an async embedder can await); files are always ready; stdout/stderr are always
//! writable; stdin is ready when it has data or is at EOF (docs/pitfalls.md).
use super::layout::{self, Subscription, SubscriptionKind, EVENT_SIZE, SUBSCRIPTION_SIZE};
use super::{Fail, Res};
use crate::bounded::{self, MAX_SUBSCRIPTIONS};
use crate::errno::{Errno, Result};
use crate::host::ctx::PendingPoll;
use crate::host::fd::{borrow_fs, Kind, StdioKind};
use crate::host::stdio::StdinReadiness;
use crate::host::{Clock, Ctx, Wait};
use crate::memory::{check_range, GuestMemory};

const SUBCLOCKFLAGS_ABSTIME: u16 = 1;

/// While waiting on both stdin and a timeout, stdin is probed this often (host time).
const STDIN_PROBE_NS: u64 = 10_000_000;

/// A clock subscription's deadline on its own clock.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    index: usize,
    clock: Clock,
    at: u64,
}

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
    let retried = ctx.pending_poll.take().filter(|p| p.subscriptions == raw);
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
            let at = if flags & SUBCLOCKFLAGS_ABSTIME != 0 {
                timeout
            } else {
                match retried
                    .as_ref()
                    .and_then(|p| p.deadlines.get(deadlines.len()))
                {
                    Some(&at) => at,
                    None => ctx
                        .clocks
                        .now(clock, ctx.host.as_mut())
                        .saturating_add(timeout),
                }
            };
            deadlines.push(Deadline { index, clock, at });
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
        for (i, d) in deadlines.iter().enumerate() {
            if slept_until == Some(i) || ctx.clocks.now(d.clock, ctx.host.as_mut()) >= d.at {
                ready.push(Ready {
                    userdata: subs[d.index].userdata,
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
        for (i, d) in deadlines.iter().enumerate() {
            let left =
                d.at.saturating_sub(ctx.clocks.now(d.clock, ctx.host.as_mut()));
            if nearest.is_none_or(|(_, best)| left < best) {
                nearest = Some((i, left));
            }
        }
        let remaining = nearest.map(|(_, ns)| ns);
        ctx.flush_before_other_work();
        let slept = match (nearest, waiting_on_stdin) {
            (None, _) => false,
            (Some((i, ns)), false) => {
                slept_until = Some(i);
                ctx.clocks.sleep(ns, ctx.host.as_mut())
            }
            (Some((i, ns)), true) => {
                if ns <= STDIN_PROBE_NS {
                    slept_until = Some(i);
                }
                ctx.clocks.sleep(ns.min(STDIN_PROBE_NS), ctx.host.as_mut())
            }
        };
        if !slept {
            ctx.pending_poll = Some(PendingPoll {
                subscriptions: raw,
                deadlines: deadlines.iter().map(|d| d.at).collect(),
            });
            ctx.wait = Some(match (remaining, waiting_on_stdin) {
                (remaining, true) => Wait::Stdin {
                    timeout_ns: remaining,
                },
                (Some(ns), false) => Wait::Sleep { ns },
                (None, false) => Wait::Stdin { timeout_ns: None },
            });
            return Err(Fail::Blocked);
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
    let desc = ctx.fds.get(fd)?;
    desc.require_read()?;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) => match ctx.stdin_readiness() {
            StdinReadiness::Ready => Ok(Some(ctx.stdin_available())),
            StdinReadiness::NotReady => Ok(None),
            StdinReadiness::Error(e) => Err(e),
        },
        Kind::File(f) => {
            let size = borrow_fs(&f.fs)?.metadata(f.ino)?.size;
            Ok(Some(size.saturating_sub(f.pos)))
        }
        _ => Err(Errno::Badf),
    }
}

fn fd_write_readiness(ctx: &mut Ctx, fd: u32) -> Result<()> {
    let desc = ctx.fds.get(fd)?;
    desc.require_write()?;
    match desc.kind {
        Kind::Stdio(StdioKind::Stdout | StdioKind::Stderr) | Kind::File(_) => Ok(()),
        _ => Err(Errno::Badf),
    }
}
