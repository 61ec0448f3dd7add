//! `grow_io IN OUT` ("-" = stdin / stdout): copies IN to OUT while growing linear memory around
//! every I/O call. Each fd_read targets pages that memory.grow created just before the call, with
//! the data scattered over two iovecs; memory grows again before each fd_write, whose iovecs
//! gather several of those regions. A host that caches a view of guest memory from before a grow
//! reads zeros, throws, or loses data here. Prints (stderr when OUT is stdout, else stdout):
//!   read N bytes in C calls
//!   wrote N bytes
//!   memory pages A -> B
//!   fnv1a XXXXXXXX
use guest_util::{fnv1a, raw, FNV_START};
use std::arch::wasm32::{memory_grow, memory_size};
use std::os::fd::AsRawFd;

const PAGE: usize = 65_536;
/// Within each fresh 2-page region: a small first iovec, then one that crosses the page boundary.
const FIRST_IOV: (usize, usize) = (0, 1_000);
const SECOND_IOV: (usize, usize) = (PAGE - 4_000, 60_000);

/// A stretch of guest memory holding data that was read.
#[derive(Clone, Copy)]
struct Segment {
    ptr: *const u8,
    len: usize,
}

fn fail(what: &str) -> ! {
    eprintln!("grow_io: {what}");
    std::process::exit(1);
}

/// New pages at the end of memory, never used by the allocator; returns their start.
fn grow(pages: usize) -> *mut u8 {
    let old = memory_grow(0, pages);
    if old == usize::MAX {
        fail("memory.grow failed");
    }
    (old * PAGE) as *mut u8
}

fn read_all(fd: u32) -> (Vec<Segment>, usize) {
    let mut segments = Vec::new();
    let mut calls = 0;
    loop {
        let region = grow(2);
        let iovs = [FIRST_IOV, SECOND_IOV].map(|(offset, len)| raw::Iovec { buf: region.wrapping_add(offset), len });
        let mut n = 0usize;
        let errno = unsafe { raw::fd_read(fd, iovs.as_ptr(), iovs.len(), &mut n) };
        calls += 1;
        if errno != 0 {
            fail(&format!("fd_read failed: {}", guest_util::errno_name(errno)));
        }
        if n == 0 {
            return (segments, calls);
        }
        let first = n.min(FIRST_IOV.1);
        segments.push(Segment { ptr: iovs[0].buf, len: first });
        if n > first {
            segments.push(Segment { ptr: iovs[1].buf, len: n - first });
        }
    }
}

/// Writes every segment, up to four per fd_write, growing memory before each call.
fn write_all(fd: u32, mut segments: &[Segment]) -> usize {
    let mut written_total = 0;
    let mut pending: Vec<Segment> = Vec::new();
    while !segments.is_empty() || !pending.is_empty() {
        while pending.len() < 4 && !segments.is_empty() {
            pending.push(segments[0]);
            segments = &segments[1..];
        }
        grow(1);
        let iovs: Vec<raw::Iovec> = pending.iter().map(|s| raw::Iovec { buf: s.ptr, len: s.len }).collect();
        let mut n = 0usize;
        let errno = unsafe { raw::fd_write(fd, iovs.as_ptr(), iovs.len(), &mut n) };
        if errno != 0 {
            fail(&format!("fd_write failed: {}", guest_util::errno_name(errno)));
        }
        if n == 0 {
            fail("fd_write wrote nothing");
        }
        written_total += n;
        // Drop what was written; keep the rest (possibly a partly written segment).
        while n > 0 {
            let first = &mut pending[0];
            let step = n.min(first.len);
            first.ptr = first.ptr.wrapping_add(step);
            first.len -= step;
            n -= step;
            if first.len == 0 {
                pending.remove(0);
            }
        }
    }
    written_total
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else { fail("usage: grow_io IN OUT  (\"-\" = stdin/stdout)") };
    let in_file = (input != "-").then(|| std::fs::File::open(input).unwrap_or_else(|e| fail(&format!("open {input}: {e}"))));
    let out_file = (output != "-").then(|| std::fs::File::create(output).unwrap_or_else(|e| fail(&format!("create {output}: {e}"))));
    let in_fd = in_file.as_ref().map_or(0, |f| f.as_raw_fd() as u32);
    let out_fd = out_file.as_ref().map_or(1, |f| f.as_raw_fd() as u32);

    let pages_before = memory_size(0);
    let (segments, calls) = read_all(in_fd);
    let read: usize = segments.iter().map(|s| s.len).sum();
    let hash = segments.iter().fold(FNV_START, |h, s| fnv1a(h, unsafe { std::slice::from_raw_parts(s.ptr, s.len) }));
    let written = write_all(out_fd, &segments);
    let pages_after = memory_size(0);

    let report = format!(
        "read {read} bytes in {calls} calls\nwrote {written} bytes\nmemory pages {pages_before} -> {pages_after}\nfnv1a {hash:08x}\n"
    );
    if out_file.is_some() {
        print!("{report}");
    } else {
        eprint!("{report}");
    }
    if written != read {
        fail("wrote a different number of bytes than were read");
    }
}
