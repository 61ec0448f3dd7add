//! `print_wait sleep|spin MS`: prints "waiting" on stdout, then either sleeps MS ms
//! (std::thread::sleep, a poll_oneoff clock subscription) or busy-waits MS ms reading the
//! monotonic clock (clock_time_get, which never flushes anything), then prints "done".
//! Tests use it to see when a host shows buffered stdout: before a sleep, and on a terminal
//! at the end of each line.
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let how = args.next().unwrap_or_default();
    let ms: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    println!("waiting");
    let wait = Duration::from_millis(ms);
    match how.as_str() {
        "sleep" => std::thread::sleep(wait),
        "spin" => {
            let start = Instant::now();
            while start.elapsed() < wait {
                std::hint::spin_loop();
            }
        }
        _ => {
            eprintln!("usage: print_wait sleep|spin MS");
            std::process::exit(2);
        }
    }
    println!("done");
}
