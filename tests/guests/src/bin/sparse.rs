//! `sparse PATH OFFSET`: writes "cove" at byte OFFSET of PATH (created/truncated) with fd_pwrite,
//! so the file is mostly a hole, then checks it: prints `size N` and `read <4 bytes at OFFSET>`
//! and `zero-before ok` when the byte before OFFSET reads as 0. On a failed call prints
//! `<call>: errno=<n> <ENAME>` and exits 1. Offsets past 4 GiB check 64-bit offsets end to end.
use guest_util::{errno_name, raw};
use std::fs::OpenOptions;
use std::os::fd::AsRawFd;

fn fail(call: &str, errno: i32) -> ! {
    println!("{call}: errno={errno} {}", errno_name(errno));
    std::process::exit(1);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(offset)) = (args.next(), args.next().and_then(|o| o.parse::<u64>().ok())) else {
        eprintln!("usage: sparse PATH OFFSET");
        std::process::exit(2);
    };
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path)
        .unwrap_or_else(|e| fail("open", e.raw_os_error().unwrap_or(-1)));
    let fd = file.as_raw_fd() as u32;

    let data = *b"cove";
    let iov = raw::Iovec { buf: data.as_ptr(), len: data.len() };
    let mut n = 0;
    let errno = unsafe { raw::fd_pwrite(fd, &iov, 1, offset, &mut n) };
    if errno != 0 {
        fail("pwrite", errno);
    }
    let size = file.metadata().unwrap_or_else(|e| fail("stat", e.raw_os_error().unwrap_or(-1))).len();
    println!("size {size}");

    let mut back = [0u8; 5];
    let iov = raw::Iovec { buf: back.as_mut_ptr(), len: back.len() };
    let errno = unsafe { raw::fd_pread(fd, &iov, 1, offset.saturating_sub(1), &mut n) };
    if errno != 0 {
        fail("pread", errno);
    }
    let (before, rest) = if offset == 0 { (0, &back[..n]) } else { (back[0], &back[1..n]) };
    println!("read {}", String::from_utf8_lossy(rest));
    if before == 0 {
        println!("zero-before ok");
    }
}
