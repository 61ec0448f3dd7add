//! `trap unreachable|panic|oob`: writes "before trap" (flushed, no newline) then traps:
//! - unreachable: executes the wasm `unreachable` instruction;
//! - panic: panics with "cove test panic: the guest gave up" (std prints it to stderr, then aborts,
//!   which is an `unreachable` trap in wasm32-wasip1);
//! - oob: loads from an address far past the end of linear memory.
use std::io::Write;

fn main() {
    let kind = std::env::args().nth(1).unwrap_or_else(|| "unreachable".into());
    let mut out = std::io::stdout();
    out.write_all(b"before trap").unwrap();
    out.flush().unwrap();
    match kind.as_str() {
        "unreachable" => core::arch::wasm32::unreachable(),
        "panic" => panic!("cove test panic: the guest gave up"),
        "oob" => {
            // Far past any memory this guest has: the load itself must trap.
            let address = std::hint::black_box(0xFFFF_FF00usize) as *const u64;
            let value = unsafe { std::ptr::read_volatile(address) };
            println!("read {value} from past the end of memory (should have trapped)");
        }
        other => {
            eprintln!("trap: unknown kind {other:?} (unreachable|panic|oob)");
            std::process::exit(2);
        }
    }
}
