//! The guest's clocks: the host's real time, or a frozen / virtual time from the policy.
//! Every value is u64 nanoseconds (exact; see docs/pitfalls.md "Timestamps").
//!
//! A frozen clock reads the Unix epoch (realtime) and 0 (monotonic) and moves only by the time
//! the guest sleeps, without really waiting: runs are reproducible, yet a guest that sleeps
//! until a deadline still gets there. A virtual clock starts at the policy's instant and
//! runs `rate` times as fast as the host's monotonic clock; its sleeps really wait (scaled).
use super::{Clock, Host};
use crate::policy::ClockPolicy;

/// Resolution reported by `clock_res_get` (host clocks are microsecond-grained or coarser in
/// browsers; virtual clocks step in nanoseconds but we report one value for simplicity).
pub const RESOLUTION_NS: u64 = 1_000;

/// The state behind `clock_time_get` and timed waits.
#[derive(Clone, Debug)]
pub struct Clocks {
    mode: ClockPolicy,
    /// Guest realtime at start-up for frozen and virtual clocks.
    start_ns: u64,
    /// Host monotonic time at start-up (virtual clocks count from here).
    host_mono_start: u64,
    /// Time slept so far by a frozen clock: frozen time advances only through guest sleeps, so a
    /// guest that waits for time to pass still terminates, deterministically.
    frozen_slept: u64,
}

impl Clocks {
    pub fn new(mode: ClockPolicy, host: &mut dyn Host) -> Clocks {
        let (start_ns, host_mono_start) = match mode {
            ClockPolicy::Real | ClockPolicy::Frozen => (0, 0),
            ClockPolicy::Virtual { start_ns, .. } => (
                start_ns.unwrap_or_else(|| host.now_ns(Clock::Realtime)),
                host.now_ns(Clock::Monotonic),
            ),
        };
        Clocks {
            mode,
            start_ns,
            host_mono_start,
            frozen_slept: 0,
        }
    }

    /// The guest-visible time of `clock`.
    pub fn now(&self, clock: Clock, host: &mut dyn Host) -> u64 {
        match self.mode {
            ClockPolicy::Real => host.now_ns(clock),
            ClockPolicy::Frozen => match clock {
                Clock::Realtime => self.start_ns.saturating_add(self.frozen_slept),
                Clock::Monotonic => self.frozen_slept,
            },
            ClockPolicy::Virtual { rate, .. } => {
                let elapsed = host
                    .now_ns(Clock::Monotonic)
                    .saturating_sub(self.host_mono_start);
                let scaled = scale(elapsed, rate);
                match clock {
                    Clock::Realtime => self.start_ns.saturating_add(scaled),
                    Clock::Monotonic => scaled,
                }
            }
        }
    }

    /// Sleeps `guest_ns` of guest time. `false`: the host cannot block synchronously (nothing
    /// changed; the caller reports BLOCKED).
    pub fn sleep(&mut self, guest_ns: u64, host: &mut dyn Host) -> bool {
        match self.mode {
            ClockPolicy::Real => guest_ns == 0 || host.block_ns(guest_ns),
            ClockPolicy::Frozen => {
                self.frozen_slept = self.frozen_slept.saturating_add(guest_ns);
                true
            }
            ClockPolicy::Virtual { rate, .. } => {
                if rate <= 0.0 || guest_ns == 0 {
                    return true;
                }
                host.block_ns(scale(guest_ns, 1.0 / rate))
            }
        }
    }
}

/// `ns * rate`, saturating, never NaN.
fn scale(ns: u64, rate: f64) -> u64 {
    let v = ns as f64 * rate;
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= u64::MAX as f64 {
        u64::MAX
    } else {
        v as u64
    }
}

impl super::Ctx {
    /// The guest's time on `clock` in ns: the host's, as the policy freezes or shifts it.
    #[inline]
    pub fn now(&mut self, clock: Clock) -> u64 {
        self.clocks.now(clock, self.host.as_mut())
    }
}
