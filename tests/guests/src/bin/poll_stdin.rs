//! `poll_stdin TIMEOUT_MS`: an event loop over stdin with an idle timeout, as interactive programs
//! write it. Each round polls (poll_oneoff) for stdin readable or TIMEOUT_MS passing, then:
//!   stdin readable → reads up to 64 bytes: prints `read <text>`, or `eof` and stops at EOF;
//!   timeout → prints `timeout` and stops.
//! At most 100 rounds. A poll that fails prints `poll: errno=<n> <ENAME>` and exits 1.
use guest_util::{errno_name, raw};

const SUBSCRIPTION_SIZE: usize = 48;
const EVENT_SIZE: usize = 32;
const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const STDIN_USERDATA: u64 = 1;
const TIMEOUT_USERDATA: u64 = 2;

/// The two subscriptions in the wasi_snapshot_preview1 layout: fd_read on stdin, and a relative
/// monotonic clock timeout.
fn subscriptions(timeout_ns: u64) -> [u8; 2 * SUBSCRIPTION_SIZE] {
    let mut subs = [0u8; 2 * SUBSCRIPTION_SIZE];
    let (stdin, clock) = subs.split_at_mut(SUBSCRIPTION_SIZE);
    stdin[0..8].copy_from_slice(&STDIN_USERDATA.to_le_bytes());
    stdin[8] = EVENTTYPE_FD_READ;
    stdin[16..20].copy_from_slice(&0u32.to_le_bytes()); // fd 0
    clock[0..8].copy_from_slice(&TIMEOUT_USERDATA.to_le_bytes());
    clock[8] = EVENTTYPE_CLOCK;
    clock[16..20].copy_from_slice(&raw::CLOCK_MONOTONIC.to_le_bytes());
    clock[24..32].copy_from_slice(&timeout_ns.to_le_bytes());
    clock[32..40].copy_from_slice(&1_000u64.to_le_bytes()); // precision
    // flags (offset 40) = 0: the timeout is relative
    subs
}

fn main() {
    let timeout_ms: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let subs = subscriptions(timeout_ms * 1_000_000);
    for _ in 0..100 {
        let mut events = [0u8; 2 * EVENT_SIZE];
        let mut count = 0usize;
        let errno = unsafe { raw::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), 2, &mut count) };
        if errno != 0 {
            println!("poll: errno={errno} {}", errno_name(errno));
            std::process::exit(1);
        }
        let userdata = |i: usize| u64::from_le_bytes(events[i * EVENT_SIZE..i * EVENT_SIZE + 8].try_into().unwrap());
        let stdin_ready = (0..count).any(|i| userdata(i) == STDIN_USERDATA);
        if !stdin_ready {
            println!("timeout");
            return;
        }
        // fd_read directly: std's Stdin would buffer input that the next poll cannot see.
        let mut buf = [0u8; 64];
        let iov = raw::Iovec { buf: buf.as_mut_ptr(), len: buf.len() };
        let mut n = 0usize;
        match unsafe { raw::fd_read(0, &iov, 1, &mut n) } {
            0 if n == 0 => {
                println!("eof");
                return;
            }
            0 => println!("read {}", String::from_utf8_lossy(&buf[..n])),
            errno => {
                println!("read: errno={errno} {}", errno_name(errno));
                std::process::exit(1);
            }
        }
    }
}
