//! Clocks (real / frozen / virtual) and random (crypto via the host / seeded).
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::p1;
use cove_core::policy::Policy;

fn now(g: &mut Guest, id: u32) -> Result<u64, Errno> {
    let out = g.alloc(8);
    errno(p1::clock_time_get(&mut g.ctx, &mut g.mem, id, 0, out))?;
    Ok(g.u64_at(out))
}

fn random(g: &mut Guest, len: u32) -> Vec<u8> {
    let buf = g.alloc(len);
    errno(p1::random_get(&mut g.ctx, &mut g.mem, buf, len)).unwrap();
    g.bytes_at(buf, len)
}

#[test]
fn real_clocks_come_from_the_host() {
    let mut g = Guest::new();
    g.host.borrow_mut().monotonic = 5;
    assert_eq!(now(&mut g, 1), Ok(5));
    assert_eq!(now(&mut g, 0), Ok(1_000_000_000_005));
}

#[test]
fn clock_ids_are_validated() {
    let mut g = Guest::new();
    assert_eq!(
        now(&mut g, 2),
        Err(Errno::Badf),
        "CPU-time clocks: EBADF as wasmtime"
    );
    assert_eq!(now(&mut g, 3), Err(Errno::Badf));
    assert_eq!(now(&mut g, 4), Err(Errno::Inval));
    let out = g.alloc(8);
    errno(p1::clock_res_get(&mut g.ctx, &mut g.mem, 1, out)).unwrap();
    assert!(g.u64_at(out) > 0);
    assert_eq!(
        errno(p1::clock_res_get(&mut g.ctx, &mut g.mem, 9, out)),
        Err(Errno::Inval)
    );
    assert_eq!(
        errno(p1::clock_time_get(&mut g.ctx, &mut g.mem, 0, 0, u32::MAX)),
        Err(Errno::Fault)
    );
}

#[test]
fn frozen_clock_moves_only_when_the_guest_sleeps() {
    let mut g = Guest::with(|c| c.policy = Policy::from_json(r#"{"clock":"frozen"}"#).unwrap());
    g.host.borrow_mut().monotonic = 123_456;
    assert_eq!(now(&mut g, 0), Ok(0));
    assert_eq!(now(&mut g, 1), Ok(0));
    // A 1 s relative sleep through poll_oneoff returns at once and advances frozen time.
    let sub = g.put(&clock_subscription(7, 1, 1_000_000_000, 0)).0;
    let (events, n) = (g.alloc(32), g.alloc(4));
    errno(p1::poll_oneoff(&mut g.ctx, &mut g.mem, sub, events, 1, n)).unwrap();
    assert!(g.host.borrow().sleeps.is_empty(), "no real waiting");
    assert_eq!(now(&mut g, 1), Ok(1_000_000_000));
    assert_eq!(now(&mut g, 0), Ok(1_000_000_000));
}

#[test]
fn virtual_clock_starts_where_the_policy_says_and_runs_at_its_rate() {
    let policy =
        Policy::from_json(r#"{"clock":{"start":"2000-01-01T00:00:00Z","rate":2}}"#).unwrap();
    let mut g = Guest::with(|c| c.policy = policy);
    assert_eq!(now(&mut g, 0), Ok(946_684_800_000_000_000));
    g.host.borrow_mut().monotonic += 10;
    assert_eq!(now(&mut g, 0), Ok(946_684_800_000_000_020));
    assert_eq!(now(&mut g, 1), Ok(20));
}

#[test]
fn seeded_random_is_reproducible_and_never_asks_the_host() {
    let policy = || Policy::from_json(r#"{"random":{"seed":42}}"#).unwrap();
    let mut a = Guest::with(|c| c.policy = policy());
    let mut b = Guest::with(|c| c.policy = policy());
    let (ra, rb) = (random(&mut a, 1000), random(&mut b, 1000));
    assert_eq!(ra, rb);
    assert!(ra.iter().any(|&x| x != 0));
    assert_ne!(random(&mut a, 32), ra[..32], "the stream moves on");
    assert_eq!(a.host.borrow().random_bytes, 0);
    let mut c = Guest::with(|c| c.policy = Policy::from_json(r#"{"random":{"seed":43}}"#).unwrap());
    assert_ne!(random(&mut c, 1000), ra);
}

#[test]
fn crypto_random_comes_from_the_host_in_any_size() {
    let mut g = Guest::new();
    let r = random(&mut g, 40_000);
    assert!(r.iter().all(|&x| x != 0));
    assert_eq!(g.host.borrow().random_bytes, 40_000);
    assert_eq!(errno(p1::random_get(&mut g.ctx, &mut g.mem, 0, 0)), Ok(()));
    assert_eq!(
        errno(p1::random_get(
            &mut g.ctx,
            &mut g.mem,
            10,
            MEMORY_SIZE as u32
        )),
        Err(Errno::Fault)
    );
}

/// A clock subscription: userdata, clock id, timeout, flags.
pub fn clock_subscription(userdata: u64, id: u32, timeout: u64, flags: u16) -> Vec<u8> {
    let mut s = vec![0u8; 48];
    s[0..8].copy_from_slice(&userdata.to_le_bytes());
    s[8] = 0;
    s[16..20].copy_from_slice(&id.to_le_bytes());
    s[24..32].copy_from_slice(&timeout.to_le_bytes());
    s[40..42].copy_from_slice(&flags.to_le_bytes());
    s
}
