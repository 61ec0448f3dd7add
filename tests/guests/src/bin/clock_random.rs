//! `clock_random`: prints the realtime and monotonic clocks in nanoseconds and two draws of
//! random bytes (16 and 8), hex. Under a frozen clock and seeded random every run is identical.
use guest_util::{hex, raw};

fn clock(id: u32) -> u64 {
    let mut t = 0u64;
    let errno = unsafe { raw::clock_time_get(id, 1, &mut t) };
    assert_eq!(errno, 0, "clock_time_get({id}) failed with errno {errno}");
    t
}

fn random(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    let errno = unsafe { raw::random_get(buf.as_mut_ptr(), len) };
    assert_eq!(errno, 0, "random_get failed with errno {errno}");
    buf
}

fn main() {
    println!("realtime: {}", clock(raw::CLOCK_REALTIME));
    println!("monotonic: {}", clock(raw::CLOCK_MONOTONIC));
    println!("random16: {}", hex(&random(16)));
    println!("random8: {}", hex(&random(8)));
}
