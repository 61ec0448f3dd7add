//! `reactor.wasm`: a WASI reactor, the shape of a library compiled to WASI. The host calls
//! `wasi.initialize(instance)` (which runs `_initialize`), then calls these exports as often as it
//! likes; state lives in the instance between calls.
//! - `greet()`: prints "hello from a reactor, call N" to stdout (N counts calls) and the value of
//!   the environment variable GREETING (or "unset") on the next line; returns N.
//! - `add(a, b)`: returns a + b (wrapping).
//! - `file_size(ptr, len)`: the size of the file whose path is the UTF-8 string at ptr..ptr+len
//!   (e.g. "/data/x.txt" through a preopen), or -errno on failure.
//! - `alloc(len)`: a buffer of `len` bytes in guest memory for the host to write a path into.
use std::sync::atomic::{AtomicU32, Ordering};

static CALLS: AtomicU32 = AtomicU32::new(0);

#[no_mangle]
pub extern "C" fn greet() -> u32 {
    let n = CALLS.fetch_add(1, Ordering::Relaxed) + 1;
    println!("hello from a reactor, call {n}");
    println!("GREETING={}", std::env::var("GREETING").unwrap_or_else(|_| "unset".into()));
    n
}

#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

#[no_mangle]
pub extern "C" fn file_size(ptr: *const u8, len: usize) -> i64 {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let Ok(path) = std::str::from_utf8(bytes) else { return -25 }; // EILSEQ
    match std::fs::metadata(path) {
        Ok(meta) => meta.len() as i64,
        Err(e) => -(e.raw_os_error().unwrap_or(29) as i64), // EIO when there is no errno
    }
}
