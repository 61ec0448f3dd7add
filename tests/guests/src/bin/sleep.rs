//! `sleep MS`: sleeps with std::thread::sleep (a poll_oneoff clock subscription) and prints
//! "slept MS ms, elapsed E ms" measured on the monotonic clock.
use std::time::{Duration, Instant};

fn main() {
    let ms: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(ms));
    let elapsed = start.elapsed().as_millis();
    println!("slept {ms} ms, elapsed {elapsed} ms");
}
