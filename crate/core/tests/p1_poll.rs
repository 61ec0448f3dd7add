//! poll_oneoff: clocks really wait (the fake host records the sleep), ready fds return at
//! once, stdin at EOF is readable, and a host that cannot block gets BLOCKED + a retry.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::host::{Stdin, StdinRead, Wait};
use cove_core::p1;

fn clock(userdata: u64, id: u32, timeout: u64, abstime: bool) -> Vec<u8> {
    let mut s = vec![0u8; 48];
    s[0..8].copy_from_slice(&userdata.to_le_bytes());
    s[16..20].copy_from_slice(&id.to_le_bytes());
    s[24..32].copy_from_slice(&timeout.to_le_bytes());
    s[40] = abstime as u8;
    s
}

fn fd_sub(userdata: u64, tag: u8, fd: u32) -> Vec<u8> {
    let mut s = vec![0u8; 48];
    s[0..8].copy_from_slice(&userdata.to_le_bytes());
    s[8] = tag;
    s[16..20].copy_from_slice(&fd.to_le_bytes());
    s
}

/// Runs poll_oneoff; returns the code and the events as (userdata, error, type, nbytes).
fn poll(g: &mut Guest, subs: &[Vec<u8>]) -> (u32, Vec<(u64, u16, u8, u64)>) {
    let (input, _) = g.put(&subs.concat());
    let events = g.alloc(32 * subs.len() as u32);
    let n = g.alloc(4);
    let code = p1::poll_oneoff(&mut g.ctx, &mut g.mem, input, events, subs.len() as u32, n);
    let mut out = Vec::new();
    if code == 0 {
        for i in 0..g.u32_at(n) {
            let e = g.bytes_at(events + i * 32, 32);
            out.push((
                u64_le(&e, 0),
                u16::from_le_bytes([e[8], e[9]]),
                e[10],
                u64_le(&e, 16),
            ));
        }
    }
    (code, out)
}

#[test]
fn a_relative_clock_sleeps_for_its_timeout() {
    let mut g = Guest::new();
    let (code, events) = poll(&mut g, &[clock(9, 1, 5_000_000, false)]);
    assert_eq!((code, events), (0, vec![(9, 0, 0, 0)]));
    assert_eq!(g.host.borrow().sleeps, [5_000_000]);
}

#[test]
fn an_absolute_clock_in_the_past_fires_at_once() {
    let mut g = Guest::new();
    g.host.borrow_mut().monotonic = 1_000;
    let (_, events) = poll(&mut g, &[clock(1, 1, 500, true)]);
    assert_eq!(events, [(1, 0, 0, 0)]);
    assert!(g.host.borrow().sleeps.is_empty());
    let (_, events) = poll(&mut g, &[clock(2, 1, 4_000, true)]);
    assert_eq!(events, [(2, 0, 0, 0)]);
    assert_eq!(g.host.borrow().sleeps, [3_000]);
}

#[test]
fn the_nearest_of_several_clocks_wins() {
    let mut g = Guest::new();
    let (_, events) = poll(
        &mut g,
        &[
            clock(1, 1, 300, false),
            clock(2, 1, 100, false),
            clock(3, 0, 200, false),
        ],
    );
    assert_eq!(events, [(2, 0, 0, 0)]);
    assert_eq!(g.host.borrow().sleeps, [100]);
}

#[test]
fn ready_fds_return_without_waiting() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    g.write(fd, b"12345").unwrap();
    g.seek(fd, 1, 0).unwrap();
    let (_, events) = poll(
        &mut g,
        &[
            fd_sub(1, 2, 1),
            fd_sub(2, 2, 2),
            fd_sub(3, 1, fd),
            clock(4, 1, 1_000_000_000, false),
        ],
    );
    assert_eq!(events, [(1, 0, 2, 0), (2, 0, 2, 0), (3, 0, 1, 4)]);
    assert!(g.host.borrow().sleeps.is_empty());
}

#[test]
fn stdin_at_eof_or_with_data_is_readable() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Bytes(b"abc".to_vec()));
    let (_, events) = poll(&mut g, &[clock(1, 1, 200_000_000, false), fd_sub(2, 1, 0)]);
    assert_eq!(events, [(2, 0, 1, 3)]);
    let mut closed = Guest::new();
    let (_, events) = poll(
        &mut closed,
        &[clock(1, 1, 200_000_000, false), fd_sub(2, 1, 0)],
    );
    assert_eq!(events, [(2, 0, 1, 0)]);
}

#[test]
fn bad_fds_are_reported_per_event() {
    let mut g = Guest::new();
    let (code, events) = poll(
        &mut g,
        &[fd_sub(1, 1, 77), fd_sub(2, 2, 0), fd_sub(3, 1, 3)],
    );
    assert_eq!(code, 0);
    assert_eq!(
        events,
        [
            (1, Errno::Badf as u16, 1, 0),
            (2, Errno::Badf as u16, 2, 0),
            (3, Errno::Badf as u16, 1, 0)
        ]
    );
}

#[test]
fn invalid_polls_are_errors() {
    let mut g = Guest::new();
    let (code, _) = poll(&mut g, &[]);
    assert_eq!(errno(code), Err(Errno::Inval));
    let (code, _) = poll(&mut g, &[fd_sub(1, 9, 0)]);
    assert_eq!(errno(code), Err(Errno::Inval), "unknown event type");
    let (code, events) = poll(&mut g, &[clock(1, 7, 0, false)]);
    assert_eq!((code, events), (0, vec![(1, Errno::Inval as u16, 0, 0)]));
    assert_eq!(
        errno(p1::poll_oneoff(&mut g.ctx, &mut g.mem, 0, 0, u32::MAX, 0)),
        Err(Errno::Fault)
    );
}

#[test]
fn a_host_that_cannot_block_gets_blocked_then_the_retry_keeps_the_deadline() {
    let mut g = Guest::new();
    g.host.borrow_mut().cannot_block = true;
    let subs = [clock(5, 1, 1_000, false)];
    let (input, _) = g.put(&subs.concat());
    let (events, n) = (g.alloc(32), g.alloc(4));
    assert_eq!(
        p1::poll_oneoff(&mut g.ctx, &mut g.mem, input, events, 1, n),
        p1::BLOCKED
    );
    assert_eq!(g.ctx.wait(), Some(Wait::Sleep { ns: 1_000 }));
    assert_eq!(g.u32_at(n), 0, "no side effects");
    // The embedder awaits 1 µs of host time and calls again with the same arguments.
    g.host.borrow_mut().monotonic += 1_000;
    assert_eq!(
        p1::poll_oneoff(&mut g.ctx, &mut g.mem, input, events, 1, n),
        0
    );
    assert_eq!((g.u32_at(n), g.u64_at(events)), (1, 5));
}

#[test]
fn stdin_that_would_block_waits_up_to_the_timeout() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    for _ in 0..100 {
        g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    }
    let (_, events) = poll(&mut g, &[clock(1, 1, 25_000_000, false), fd_sub(2, 1, 0)]);
    assert_eq!(events, [(1, 0, 0, 0)], "timed out");
    assert_eq!(
        g.host.borrow().sleeps.iter().sum::<u64>(),
        25_000_000,
        "probed stdin while waiting"
    );
    // Data arriving during the wait is reported, and read afterwards.
    g.host.borrow_mut().stdin.clear();
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    g.host.borrow_mut().stdin.push_back(StdinRead::Data(0));
    g.host.borrow_mut().stdin_data.push_back(b"x".to_vec());
    let (_, events) = poll(&mut g, &[clock(1, 1, 25_000_000, false), fd_sub(2, 1, 0)]);
    assert_eq!(events, [(2, 0, 1, 1)]);
    assert_eq!(g.read(0, 10).unwrap(), b"x");
}

#[test]
fn an_async_host_waiting_on_stdin_gets_blocked() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    g.host.borrow_mut().cannot_block = true;
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    let (code, _) = poll(&mut g, &[fd_sub(2, 1, 0), clock(1, 1, 50, false)]);
    assert_eq!(code, p1::BLOCKED);
    assert_eq!(
        g.ctx.wait(),
        Some(Wait::Stdin {
            timeout_ns: Some(50)
        })
    );
}
