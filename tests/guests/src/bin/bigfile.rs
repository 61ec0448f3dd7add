//! `bigfile [MIB] [PATH]`: writes MIB MiB (default 100) of a position-dependent pattern to PATH
//! (default "bigfile.bin") in odd-sized chunks, checks the file's size, reads it back with a
//! differently sized buffer verifying every byte, and prints:
//!   wrote N bytes
//!   size N
//!   read N bytes, M mismatches
//!   fnv1a XXXXXXXX
//! (FNV-1a of the whole file, so the host can check what it stored.) Exits 1 on any mismatch.
use guest_util::{fnv1a, FNV_START};
use std::fs::File;
use std::io::{Read, Write};

const WRITE_CHUNK: usize = 1_048_573; // odd sizes so chunks never line up with pages or buffers
const READ_CHUNK: usize = 65_543;

/// The byte at `offset`: changes with every byte of the offset, so a chunk written to the wrong
/// place, dropped or repeated shows up as a mismatch.
fn pattern(offset: u64) -> u8 {
    (offset ^ (offset >> 8) ^ (offset >> 16) ^ (offset >> 24) ^ (offset >> 32)) as u8
}

fn fail(what: &str, e: std::io::Error) -> ! {
    eprintln!("bigfile: {what}: {e}");
    std::process::exit(1);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: u64 = args.next().map(|a| a.parse().expect("MIB must be a number")).unwrap_or(100);
    let path = args.next().unwrap_or_else(|| "bigfile.bin".into());
    let total = mib * 1024 * 1024;

    let mut file = File::create(&path).unwrap_or_else(|e| fail(&format!("create {path}"), e));
    let mut chunk = vec![0u8; WRITE_CHUNK];
    let mut written = 0u64;
    let mut hash = FNV_START;
    while written < total {
        let n = (total - written).min(WRITE_CHUNK as u64) as usize;
        for (i, b) in chunk[..n].iter_mut().enumerate() {
            *b = pattern(written + i as u64);
        }
        hash = fnv1a(hash, &chunk[..n]);
        file.write_all(&chunk[..n]).unwrap_or_else(|e| fail("write", e));
        written += n as u64;
    }
    file.flush().unwrap_or_else(|e| fail("flush", e));
    drop(file);
    println!("wrote {written} bytes");

    let size = std::fs::metadata(&path).unwrap_or_else(|e| fail("stat", e)).len();
    println!("size {size}");

    let mut file = File::open(&path).unwrap_or_else(|e| fail(&format!("open {path}"), e));
    let mut buf = vec![0u8; READ_CHUNK];
    let (mut read, mut mismatches) = (0u64, 0u64);
    let mut read_hash = FNV_START;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => fail("read", e),
        };
        for (i, &b) in buf[..n].iter().enumerate() {
            if b != pattern(read + i as u64) {
                mismatches += 1;
            }
        }
        read_hash = fnv1a(read_hash, &buf[..n]);
        read += n as u64;
    }
    println!("read {read} bytes, {mismatches} mismatches");
    println!("fnv1a {read_hash:08x}");
    if read != total || size != total || mismatches != 0 || read_hash != hash {
        eprintln!("bigfile: FAILED: wrote {written}, size {size}, read {read}, {mismatches} mismatches");
        std::process::exit(1);
    }
}
