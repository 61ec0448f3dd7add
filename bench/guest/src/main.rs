//! Benchmark guest. `cove-bench <workload>`; every workload ends by printing one checksum line on
//! stderr (stdout is a sink in the harness), so the harness can check that all runtimes agree.
//!
//! Hot loops call the `wasi_snapshot_preview1` imports directly (see `raw`), so each iteration is
//! exactly one syscall and the guest's own work stays negligible; the set-up around them uses std.

mod raw;

use std::fs;
use std::io::{Read, Write};

/// Where the harness mounts the writable test directory (a MemFS or a fresh host directory).
const DATA: &str = "/data";

fn main() {
    let workload = std::env::args().nth(1).unwrap_or_default();
    let checksum = match workload.as_str() {
        "startup" => "startup ok".to_string(),
        "write100k" => write100k(),
        "bulkfile" => bulkfile(),
        "smallfiles" => smallfiles(),
        "stat100k" => stat100k(),
        "clockrandom" => clockrandom(),
        "argsenv" => argsenv(),
        other => {
            eprintln!("unknown workload {other:?}");
            std::process::exit(2);
        }
    };
    eprintln!("checksum {workload} {checksum}");
}

/// FNV-1a, 64-bit: small and order-sensitive, enough to tell runtimes' results apart.
struct Fnv(u64);
impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, data: &[u8]) {
        for &b in data {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
}

/// 100,000 separate 32-byte `fd_write`s to stdout, each a full line (so line-buffering shims do
/// no quadratic work). The checksum covers the bytes and what the runtime reported as written.
fn write100k() -> String {
    const N: u32 = 100_000;
    let mut line = *b"line 0000000 of 100000 to sink.\n";
    let mut hash = Fnv::new();
    let mut reported: u64 = 0;
    for i in 0..N {
        let mut v = i;
        for pos in (5..12).rev() {
            line[pos] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        hash.bytes(&line);
        reported += raw::write(1, &line).expect("fd_write to stdout") as u64;
    }
    format!("bytes={reported} fnv={:016x}", hash.0)
}

/// 64 MiB written in 64 KiB chunks, then read back in 64 KiB chunks.
fn bulkfile() -> String {
    const CHUNK: usize = 64 * 1024;
    const CHUNKS: usize = 1024;
    let path = format!("{DATA}/bulk.bin");
    let mut chunk = vec![0u8; CHUNK];
    {
        let mut f = fs::File::create(&path).expect("create bulk.bin");
        for c in 0..CHUNKS {
            fill_pattern(&mut chunk, c as u64);
            f.write_all(&chunk).expect("write chunk");
        }
    }
    let mut f = fs::File::open(&path).expect("open bulk.bin");
    let (mut total, mut sum) = (0u64, 0u64);
    loop {
        let n = f.read(&mut chunk).expect("read chunk");
        if n == 0 {
            break;
        }
        total += n as u64;
        sum = word_sum(sum, &chunk[..n]);
    }
    drop(f);
    fs::remove_file(&path).expect("remove bulk.bin");
    format!("bytes={total} sum={sum:016x}")
}

/// Cheap deterministic content: every 8-byte word encodes (chunk, word index).
fn fill_pattern(chunk: &mut [u8], c: u64) {
    for (i, w) in chunk.chunks_exact_mut(8).enumerate() {
        w.copy_from_slice(&((c << 32) ^ (i as u64).wrapping_mul(0x9e37_79b9)).to_le_bytes());
    }
}

/// Position-weighted word sum: fast (so the guest's own work stays small) yet sensitive to order.
fn word_sum(mut acc: u64, bytes: &[u8]) -> u64 {
    for w in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..w.len()].copy_from_slice(w);
        acc = (acc.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    acc
}

/// 2,000 small files: create, list, stat, read, delete.
fn smallfiles() -> String {
    const N: usize = 2_000;
    let dir = format!("{DATA}/small");
    fs::create_dir(&dir).expect("mkdir small");
    for i in 0..N {
        let body = format!("file {i:04}: {}\n", "x".repeat(i % 97));
        fs::write(format!("{dir}/f{i:04}.txt"), body).expect("write small file");
    }
    let mut hash = Fnv::new();
    // Listing order differs between filesystems: hash the sorted names.
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("readdir")
        .map(|e| e.expect("dirent").file_name().into_string().expect("utf-8 name"))
        .collect();
    names.sort();
    for name in &names {
        hash.bytes(name.as_bytes());
    }
    let mut stat_bytes = 0u64;
    for name in &names {
        stat_bytes += fs::metadata(format!("{dir}/{name}")).expect("stat").len();
    }
    for name in &names {
        hash.bytes(&fs::read(format!("{dir}/{name}")).expect("read small file"));
    }
    for name in &names {
        fs::remove_file(format!("{dir}/{name}")).expect("unlink");
    }
    fs::remove_dir(&dir).expect("rmdir small");
    format!("files={} bytes={stat_bytes} fnv={:016x}", names.len(), hash.0)
}

/// 100,000 `path_filestat_get` on one path, relative to the preopened directory.
fn stat100k() -> String {
    const N: u32 = 100_000;
    fs::write(format!("{DATA}/target.txt"), vec![b'z'; 1234]).expect("write stat target");
    let dirfd = raw::preopen_fd(DATA).expect("preopen /data");
    let mut size_sum = 0u64;
    for _ in 0..N {
        let st = raw::path_filestat_get(dirfd, b"target.txt").expect("path_filestat_get");
        size_sum += st.size;
    }
    format!("stats={N} size_sum={size_sum}")
}

/// 100,000 × (monotonic `clock_time_get` + 16-byte `random_get`). Values differ per run, so the
/// checksum records only what must hold: the clock never went backwards and random bytes arrived.
fn clockrandom() -> String {
    const N: u32 = 100_000;
    let mut last = 0u64;
    let (mut backwards, mut zero_draws) = (0u32, 0u32);
    for _ in 0..N {
        let t = raw::clock_time_get(raw::CLOCK_MONOTONIC, 1).expect("clock_time_get");
        if t < last {
            backwards += 1;
        }
        last = t;
        let mut buf = [0u8; 16];
        raw::random_get(&mut buf).expect("random_get");
        if buf == [0; 16] {
            zero_draws += 1;
        }
    }
    format!("calls={N} backwards={backwards} all_zero_draws={zero_draws}")
}

/// Reads every argument and environment variable (the harness passes 1,000 of each) and sums them.
fn argsenv() -> String {
    let mut hash = Fnv::new();
    let (mut args, mut arg_bytes) = (0u64, 0u64);
    for a in std::env::args() {
        args += 1;
        arg_bytes += a.len() as u64;
        hash.bytes(a.as_bytes());
    }
    let mut vars: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k.starts_with("BENCH_")).collect();
    vars.sort();
    let mut env_bytes = 0u64;
    for (k, v) in &vars {
        env_bytes += (k.len() + v.len()) as u64;
        hash.bytes(k.as_bytes());
        hash.bytes(v.as_bytes());
    }
    hash.u64(args);
    format!("args={args} arg_bytes={arg_bytes} vars={} env_bytes={env_bytes} fnv={:016x}", vars.len(), hash.0)
}
