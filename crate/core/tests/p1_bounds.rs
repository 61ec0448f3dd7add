//! Every size a guest controls is bounded before the engine allocates (crate::bounded): huge
//! counts and lengths from a guest with a 4 GiB memory are an errno or a short transfer, never
//! a panic ("capacity overflow") and never a copy of gigabytes.
mod common;
use common::*;
use cove_core::bounded::{IO_CHUNK, MAX_IOVECS, MAX_PATH, MAX_SUBSCRIPTIONS};
use cove_core::errno::Errno;
use cove_core::memory::{GuestMemory, SparseMemory};
use cove_core::p1;

const GIB: u64 = 1 << 30;

/// A 4 GiB guest memory (all of wasm32's address space) whose first MiB is real.
fn huge() -> SparseMemory {
    SparseMemory::new(4 * GIB, 1 << 20)
}

/// The most the engine may copy from or to the guest in one piece.
const LARGEST_COPY: usize = 4 << 20;

#[test]
fn fd_write_with_a_gigabyte_iovec_array_is_a_short_write() {
    let mut g = Guest::new();
    let mut mem = huge();
    // 2^28 iovecs (a 2 GiB array) at 0x1000; the first says "5 bytes at 0x100".
    mem.write(0x100, b"hello").unwrap();
    mem.write_u32(0x1000, 0x100).unwrap();
    mem.write_u32(0x1004, 5).unwrap();
    let nwritten = 0x800;
    for fd in [1, 2] {
        assert_eq!(
            errno(p1::fd_write(
                &mut g.ctx,
                &mut mem,
                fd,
                0x1000,
                1 << 28,
                nwritten
            )),
            Ok(())
        );
        assert_eq!(mem.read_u32(nwritten), Ok(5));
    }
    g.ctx.flush().unwrap();
    assert_eq!(g.host.borrow().stdout, b"hello");
    assert_eq!(g.host.borrow().stderr, b"hello");
    assert!(
        mem.largest_copy <= LARGEST_COPY,
        "copied {} bytes at once",
        mem.largest_copy
    );
}

#[test]
fn iovec_arrays_past_the_memory_or_the_address_space_are_efault() {
    let mut g = Guest::new();
    let mut mem = huge();
    // 2^29 iovecs = exactly 4 GiB: from 8 on, the array runs past the end.
    assert_eq!(
        errno(p1::fd_write(&mut g.ctx, &mut mem, 1, 8, 1 << 29, 0x800)),
        Err(Errno::Fault)
    );
    // iovs_len * 8 overflows a u32.
    assert_eq!(
        errno(p1::fd_write(&mut g.ctx, &mut mem, 1, 0, u32::MAX, 0x800)),
        Err(Errno::Fault)
    );
    assert_eq!(
        errno(p1::fd_read(&mut g.ctx, &mut mem, 0, 0, u32::MAX, 0x800)),
        Err(Errno::Fault)
    );
}

#[test]
fn only_the_first_iov_max_iovecs_are_used() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    let mut mem = huge();
    // 1,025 iovecs of one byte each, all pointing at "x".
    mem.write(0x100, b"x").unwrap();
    for i in 0..=MAX_IOVECS {
        mem.write_u32(0x1000 + 8 * i, 0x100).unwrap();
        mem.write_u32(0x1004 + 8 * i, 1).unwrap();
    }
    assert_eq!(
        errno(p1::fd_write(
            &mut g.ctx,
            &mut mem,
            fd,
            0x1000,
            MAX_IOVECS + 1,
            0x800
        )),
        Ok(())
    );
    assert_eq!(
        mem.read_u32(0x800),
        Ok(MAX_IOVECS),
        "a short write, as writev beyond IOV_MAX"
    );
    assert_eq!(
        errno(p1::fd_pread(
            &mut g.ctx,
            &mut mem,
            fd,
            0x1000,
            1 << 28,
            0,
            0x800
        )),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(MAX_IOVECS));
    assert_eq!(
        errno(p1::fd_pwrite(
            &mut g.ctx,
            &mut mem,
            fd,
            0x1000,
            1 << 28,
            0,
            0x800
        )),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(MAX_IOVECS));
}

#[test]
fn huge_iovec_lengths_stream_through_a_bounded_buffer() {
    let mut g = Guest::new();
    let mut mem = huge();
    // One 3 GiB iovec to stdout: the bytes are zeros, copied a chunk at a time.
    mem.write_u32(0x1000, 0x10_0000).unwrap();
    mem.write_u32(0x1004, 3 << 30).unwrap();
    g.host.borrow_mut().count_output_only = true;
    assert_eq!(
        errno(p1::fd_write(&mut g.ctx, &mut mem, 2, 0x1000, 1, 0x800)),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(3 << 30));
    assert_eq!(g.host.borrow().output_bytes, 3 * GIB);
    assert!(
        mem.largest_copy <= IO_CHUNK,
        "copied {} bytes at once",
        mem.largest_copy
    );
    // The same iovec read from stdin (closed: EOF) and from a file.
    assert_eq!(
        errno(p1::fd_read(&mut g.ctx, &mut mem, 0, 0x1000, 1, 0x800)),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(0));
    g.create_file("f", b"data");
    let fd = g.open(3, "f", 0, RW, 0).unwrap();
    assert_eq!(
        errno(p1::fd_read(&mut g.ctx, &mut mem, fd, 0x1000, 1, 0x800)),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(4));
    assert!(mem.largest_copy <= IO_CHUNK);
}

#[test]
fn poll_oneoff_with_millions_of_subscriptions_is_enomem() {
    let mut g = Guest::new();
    let mut mem = huge();
    // 40 M subscriptions (1.9 GiB) from 0, events after them: the attack of issue 10.
    let n = 40_000_000u32;
    let events = n * 48;
    assert_eq!(
        errno(p1::poll_oneoff(&mut g.ctx, &mut mem, 0, events, n, 0x800)),
        Err(Errno::NoMem)
    );
    assert_eq!(
        errno(p1::poll_oneoff(
            &mut g.ctx,
            &mut mem,
            0,
            3 << 30,
            MAX_SUBSCRIPTIONS + 1,
            0x800
        )),
        Err(Errno::NoMem)
    );
    // Past the end of memory it is EFAULT, as before; overflowing the address space too.
    assert_eq!(
        errno(p1::poll_oneoff(
            &mut g.ctx,
            &mut mem,
            0,
            u32::MAX - 10,
            1,
            0x800
        )),
        Err(Errno::Fault)
    );
    assert_eq!(
        errno(p1::poll_oneoff(
            &mut g.ctx,
            &mut mem,
            0,
            0,
            u32::MAX / 40,
            0x800
        )),
        Err(Errno::Fault)
    );
    assert!(mem.largest_copy <= LARGEST_COPY);
}

#[test]
fn poll_oneoff_takes_the_largest_allowed_count() {
    let mut g = Guest::new();
    let mut mem = huge();
    // All-zero subscriptions are relative realtime clocks with timeout 0: all ready at once.
    let subs = 0x10_0000; // past the backed MiB: reads as zeros
    let events = subs + MAX_SUBSCRIPTIONS * 48;
    assert_eq!(
        errno(p1::poll_oneoff(
            &mut g.ctx,
            &mut mem,
            subs,
            events,
            MAX_SUBSCRIPTIONS,
            0x800
        )),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(MAX_SUBSCRIPTIONS));
}

#[test]
fn paths_longer_than_max_path_are_enametoolong() {
    let mut g = Guest::new();
    let mut mem = huge();
    for len in [MAX_PATH + 1, 3 << 30, u32::MAX - 0x2000] {
        assert_eq!(
            errno(p1::path_open(
                &mut g.ctx, &mut mem, 3, 0, 0x1000, len, 1, RW, 0, 0, 0x800
            )),
            Err(Errno::NameTooLong)
        );
        assert_eq!(
            errno(p1::path_create_directory(
                &mut g.ctx, &mut mem, 3, 0x1000, len
            )),
            Err(Errno::NameTooLong)
        );
        assert_eq!(
            errno(p1::path_symlink(
                &mut g.ctx, &mut mem, 0x1000, len, 3, 0x100, 1
            )),
            Err(Errno::NameTooLong)
        );
        assert_eq!(
            errno(p1::path_rename(
                &mut g.ctx, &mut mem, 3, 0x100, 1, 3, 0x1000, len
            )),
            Err(Errno::NameTooLong)
        );
    }
    assert!(mem.largest_copy <= LARGEST_COPY);
    // A path of exactly MAX_PATH bytes is read and resolved ("a/a/…/a": ENOENT).
    let mut g = Guest::new();
    let mut mem = huge();
    mem.write(
        0x1000,
        &b"a/".repeat(MAX_PATH as usize / 2)[..MAX_PATH as usize - 1],
    )
    .unwrap();
    assert_eq!(
        errno(p1::path_open(
            &mut g.ctx,
            &mut mem,
            3,
            0,
            0x1000,
            MAX_PATH - 1,
            0,
            RW,
            0,
            0,
            0x800
        )),
        Err(Errno::NoEnt)
    );
}

#[test]
fn readdir_and_readlink_into_gigabyte_buffers() {
    let mut g = Guest::new();
    g.create_file("a", b"");
    g.symlink("a", 3, "l").unwrap();
    let mut mem = huge();
    assert_eq!(
        errno(p1::fd_readdir(
            &mut g.ctx,
            &mut mem,
            3,
            0x1000,
            3 << 30,
            0,
            0x800
        )),
        Ok(())
    );
    // ".", "..", "a", "l": four 24-byte headers and 1 + 2 + 1 + 1 name bytes.
    assert_eq!(mem.read_u32(0x800), Ok(4 * 24 + 5));
    mem.write(0x100, b"l").unwrap();
    assert_eq!(
        errno(p1::path_readlink(
            &mut g.ctx,
            &mut mem,
            3,
            0x100,
            1,
            0x1000,
            3 << 30,
            0x800
        )),
        Ok(())
    );
    assert_eq!(mem.read_u32(0x800), Ok(1));
}

#[test]
fn readdir_cuts_the_last_entry_at_any_buffer_size() {
    let mut g = Guest::new();
    for name in ["alpha", "beta", "gamma"] {
        g.create_file(name, b"");
    }
    let whole = {
        let buf = g.alloc(4096);
        let used = g.alloc(4);
        let mut mem = g.mem.clone();
        assert_eq!(
            errno(p1::fd_readdir(&mut g.ctx, &mut mem, 3, buf, 4096, 0, used)),
            Ok(())
        );
        let n = mem.read_u32(used).unwrap();
        mem.read_vec(buf, n).unwrap()
    };
    for len in 0..whole.len() as u32 + 3 {
        let buf = g.alloc(len.max(1));
        let used = g.alloc(4);
        assert_eq!(
            errno(p1::fd_readdir(&mut g.ctx, &mut g.mem, 3, buf, len, 0, used)),
            Ok(())
        );
        let n = g.u32_at(used);
        assert_eq!(n, len.min(whole.len() as u32));
        assert_eq!(g.bytes_at(buf, n), whole[..n as usize]);
    }
}

#[test]
fn random_get_of_a_huge_buffer_is_filled_in_chunks() {
    let mut g = Guest::new();
    let mut mem = huge();
    assert_eq!(
        errno(p1::random_get(&mut g.ctx, &mut mem, 0x1000, 64 << 20)),
        Ok(())
    );
    assert!(mem.largest_copy <= 65_536);
    assert_ne!(mem.read_u32(0x1000), Ok(0));
    assert_eq!(
        errno(p1::random_get(&mut g.ctx, &mut mem, 0x1000, u32::MAX)),
        Err(Errno::Fault)
    );
}
