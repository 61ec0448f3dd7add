//! `random_bytes N`: draws N bytes with a single random_get call (hosts must split requests
//! larger than crypto.getRandomValues' 65,536-byte limit) and prints
//! "bytes N distinct D fnv1a XXXXXXXX": D is how many of the 256 byte values occur.
use guest_util::{fnv1a, raw, FNV_START};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1 << 20);
    let mut buf = vec![0u8; n];
    let errno = unsafe { raw::random_get(buf.as_mut_ptr(), n) };
    if errno != 0 {
        eprintln!("random_get failed: {}", guest_util::errno_name(errno));
        std::process::exit(1);
    }
    let mut seen = [false; 256];
    for &b in &buf {
        seen[b as usize] = true;
    }
    let distinct = seen.iter().filter(|&&s| s).count();
    println!("bytes {n} distinct {distinct} fnv1a {:08x}", fnv1a(FNV_START, &buf));
}
