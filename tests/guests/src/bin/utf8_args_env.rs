//! `utf8_args_env [args...]`: shows exactly which bytes arrived. Prints the sizes the host
//! reports (args_sizes_get / environ_sizes_get: count and total bytes including each NUL), then
//! each argument and each NAME=VALUE environment entry with its byte length and hex bytes:
//!   sizes args count=3 bytes=24
//!   sizes env count=1 bytes=12
//!   arg 1 len=6 hex=68c3a96c6c6f text=héllo
//!   env len=11 hex=... text=NAME=VALUE
use guest_util::{hex, raw};

fn sizes(get: unsafe extern "C" fn(*mut usize, *mut usize) -> i32) -> (usize, usize) {
    let (mut count, mut bytes) = (0usize, 0usize);
    let errno = unsafe { get(&mut count, &mut bytes) };
    assert_eq!(errno, 0, "sizes_get failed with errno {errno}");
    (count, bytes)
}

fn main() {
    let (argc, arg_bytes) = sizes(raw::args_sizes_get);
    let (envc, env_bytes) = sizes(raw::environ_sizes_get);
    println!("sizes args count={argc} bytes={arg_bytes}");
    println!("sizes env count={envc} bytes={env_bytes}");
    for (i, arg) in std::env::args_os().enumerate() {
        // as_encoded_bytes: WASI's OsStr is the raw bytes (std::os::wasi is wasm32-wasip1 only).
        let b = arg.as_encoded_bytes();
        println!("arg {i} len={} hex={} text={}", b.len(), hex(b), arg.to_string_lossy());
    }
    for (name, value) in std::env::vars_os() {
        let mut entry = name.as_encoded_bytes().to_vec();
        entry.push(b'=');
        entry.extend_from_slice(value.as_encoded_bytes());
        println!("env len={} hex={} text={}", entry.len(), hex(&entry), String::from_utf8_lossy(&entry));
    }
}
