//! Pollables, for every ABI: a deadline on a guest clock, stdin readable; and the one way a
//! guest waits for the nearest of them (a real sleep through the host, or `BLOCKED` with a
//! [`Wait`] for an async embedder). Which subscriptions exist and how results are reported is
//! the ABI's (p1/poll.rs).
use super::error::Result;
use super::stdio::StdinReadiness;
use super::{Clock, Ctx, Wait};

/// While waiting on both stdin and a timeout, stdin is probed this often (host time).
const STDIN_PROBE_NS: u64 = 10_000_000;

/// A point in time on one of the guest's clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub clock: Clock,
    pub at: u64,
}

/// What [`Ctx::pause`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paused {
    /// Slept; `whole`: for the whole time asked (the deadline counts as reached even if the
    /// clock did not move: a virtual clock at rate 0, a host that wakes early).
    Slept { whole: bool },
    /// Could not wait here: [`Ctx::wait`] says for what; the call returns `BLOCKED`.
    Blocked,
}

impl Ctx {
    /// The deadline `timeout` ns from now on `clock` (or at `timeout` when `absolute`).
    pub fn deadline(&mut self, clock: Clock, timeout: u64, absolute: bool) -> Deadline {
        let at = if absolute {
            timeout
        } else {
            self.now(clock).saturating_add(timeout)
        };
        Deadline { clock, at }
    }

    /// Nanoseconds until `deadline` (0 once reached).
    pub fn time_left(&mut self, deadline: &Deadline) -> u64 {
        deadline.at.saturating_sub(self.now(deadline.clock))
    }

    /// `Some(bytes available)` when a stdin read would not wait, `None` when it would.
    pub fn stdin_readable(&mut self) -> Result<Option<u64>> {
        match self.stdin_readiness() {
            StdinReadiness::Ready => Ok(Some(self.stdin_available())),
            StdinReadiness::NotReady => Ok(None),
            StdinReadiness::Error(e) => Err(e.into()),
        }
    }

    /// Nothing is ready: waits `nearest` ns (the nearest deadline), probing stdin every
    /// `STDIN_PROBE_NS` when `stdin` is awaited too. Held stdout goes out first.
    pub fn pause(&mut self, nearest: Option<u64>, stdin: bool) -> Paused {
        self.flush_before_other_work();
        let (slept, whole) = match (nearest, stdin) {
            (None, _) => (false, false),
            (Some(ns), false) => (self.clocks.sleep(ns, self.host.as_mut()), true),
            (Some(ns), true) => (
                self.clocks
                    .sleep(ns.min(STDIN_PROBE_NS), self.host.as_mut()),
                ns <= STDIN_PROBE_NS,
            ),
        };
        if slept {
            return Paused::Slept { whole };
        }
        self.wait = Some(match (nearest, stdin) {
            (remaining, true) => Wait::Stdin {
                timeout_ns: remaining,
            },
            (Some(ns), false) => Wait::Sleep { ns },
            (None, false) => Wait::Stdin { timeout_ns: None },
        });
        Paused::Blocked
    }
}
