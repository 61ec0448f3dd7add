//! fd_*: positions, append, pread/pwrite, rights, fdstat/filestat layouts, readdir cookies,
//! renumber, closing preopens, prestat.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::p1;

#[test]
fn write_seek_read_tell() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    assert_eq!(g.write(fd, b"hello world"), Ok(11));
    assert_eq!(g.seek(fd, -5, 1), Ok(6));
    assert_eq!(g.read(fd, 100).unwrap(), b"world");
    assert_eq!(g.seek(fd, 0, 2), Ok(11));
    assert_eq!(g.seek(fd, -12, 1), Err(Errno::Inval), "before byte 0");
    assert_eq!(g.seek(fd, 0, 3), Err(Errno::Inval), "bad whence");
    assert_eq!(g.seek(fd, 100, 0), Ok(100), "past the end is fine");
    let out = g.alloc(8);
    errno(p1::fd_tell(&mut g.ctx, &mut g.mem, fd, out)).unwrap();
    assert_eq!(g.u64_at(out), 100);
    assert_eq!(g.read(fd, 10).unwrap(), b"", "EOF");
}

#[test]
fn append_writes_at_the_end_and_pwrite_follows_it() {
    let mut g = Guest::new();
    g.create_file("log", b"abc");
    let fd = g.open(3, "log", 0, RW, FDFLAGS_APPEND).unwrap();
    g.seek(fd, 0, 0).unwrap();
    g.write(fd, b"de").unwrap();
    assert_eq!(
        g.seek(fd, 0, 1),
        Ok(5),
        "position follows the appended data"
    );
    g.pwrite(fd, b"Z", 0).unwrap();
    assert_eq!(g.seek(fd, 0, 1), Ok(5), "pwrite leaves the position alone");
    let all = g.open(3, "log", 0, RW, 0).unwrap();
    assert_eq!(
        g.read(all, 100).unwrap(),
        b"abcdeZ",
        "APPEND pwrite lands at the end (Linux, wasmtime)"
    );
    errno(p1::fd_fdstat_set_flags(&mut g.ctx, &mut g.mem, fd, 0)).unwrap();
    g.pwrite(fd, b"Y", 0).unwrap();
    g.seek(all, 0, 0).unwrap();
    assert_eq!(g.read(all, 100).unwrap(), b"YbcdeZ");
    assert_eq!(
        errno(p1::fd_fdstat_set_flags(&mut g.ctx, &mut g.mem, fd, 1 << 5)),
        Err(Errno::Inval)
    );
}

#[test]
fn pread_does_not_move_the_position_and_scatters_over_iovecs() {
    let mut g = Guest::new();
    g.create_file("f", b"0123456789");
    let fd = g.open(3, "f", 0, RW, 0).unwrap();
    let (a, b) = (g.alloc(3), g.alloc(4));
    let (iovs, _) = g.put(
        &[
            a.to_le_bytes(),
            3u32.to_le_bytes(),
            b.to_le_bytes(),
            4u32.to_le_bytes(),
        ]
        .concat(),
    );
    let n = g.alloc(4);
    errno(p1::fd_pread(&mut g.ctx, &mut g.mem, fd, iovs, 2, 2, n)).unwrap();
    assert_eq!(g.u32_at(n), 7);
    assert_eq!(g.bytes_at(a, 3), b"234");
    assert_eq!(g.bytes_at(b, 4), b"5678");
    assert_eq!(g.seek(fd, 0, 1), Ok(0));
    assert_eq!(
        errno(p1::fd_pread(&mut g.ctx, &mut g.mem, 1, iovs, 2, 0, n)),
        Err(Errno::SPipe)
    );
}

#[test]
fn reads_and_writes_need_the_rights_the_file_was_opened_with() {
    let mut g = Guest::new();
    g.create_file("f", b"data");
    let ro = g.open(3, "f", 0, RIGHTS_FD_READ, 0).unwrap();
    assert_eq!(g.write(ro, b"x"), Err(Errno::Badf));
    let wo = g.open(3, "f", 0, RIGHTS_FD_WRITE, 0).unwrap();
    assert_eq!(g.read(wo, 4), Err(Errno::Badf));
    assert_eq!(g.write(wo, b"D"), Ok(1));
    assert_eq!(g.read(ro, 4).unwrap(), b"Data");
}

#[test]
fn rights_can_only_be_dropped() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    let stat = g.fdstat(fd).unwrap();
    assert_eq!(u64_le(&stat, 8), RW);
    errno(p1::fd_fdstat_set_rights(
        &mut g.ctx,
        &mut g.mem,
        fd,
        RIGHTS_FD_SEEK | RIGHTS_FD_TELL,
        0,
    ))
    .unwrap();
    assert_eq!(
        u64_le(&g.fdstat(fd).unwrap(), 8),
        RIGHTS_FD_SEEK | RIGHTS_FD_TELL
    );
    assert_eq!(g.read(fd, 1), Err(Errno::Badf));
    assert_eq!(g.write(fd, b"x"), Err(Errno::Badf));
    assert_eq!(
        errno(p1::fd_fdstat_set_rights(&mut g.ctx, &mut g.mem, fd, RW, 0)),
        Err(Errno::NotCapable)
    );
    // A dropped right other than read/write is enforced too.
    errno(p1::fd_fdstat_set_rights(
        &mut g.ctx,
        &mut g.mem,
        fd,
        RIGHTS_FD_TELL,
        0,
    ))
    .unwrap();
    assert_eq!(g.seek(fd, 1, 0), Err(Errno::NotCapable));
    assert_eq!(g.seek(fd, 0, 1), Ok(0), "tell only needs FD_TELL");
}

#[test]
fn directories_refuse_file_operations() {
    let mut g = Guest::new();
    assert_eq!(g.read(3, 10), Err(Errno::Badf));
    assert_eq!(g.write(3, b"x"), Err(Errno::Badf));
    assert_eq!(g.seek(3, 0, 0), Err(Errno::Badf));
    assert_eq!(
        errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, 3, 0, 1)),
        Err(Errno::Badf)
    );
    assert_eq!(
        errno(p1::fd_filestat_set_size(&mut g.ctx, &mut g.mem, 3, 0)),
        Err(Errno::Badf)
    );
    let d = g.open(3, ".", O_DIRECTORY, RIGHTS_FD_SEEK, 0).unwrap();
    assert_eq!(
        u64_le(&g.fdstat(d).unwrap(), 8) & RIGHTS_FD_SEEK,
        0,
        "a directory has no seek right"
    );
    assert_eq!(
        g.open(3, ".", O_DIRECTORY, RW, 0),
        Err(Errno::IsDir),
        "directories open read-only"
    );
}

#[test]
fn filestat_layout_puts_times_at_40_48_56() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    g.write(fd, b"12345").unwrap();
    errno(p1::fd_filestat_set_times(
        &mut g.ctx,
        &mut g.mem,
        fd,
        111,
        222,
        1 | 4,
    ))
    .unwrap();
    let buf = g.alloc(64);
    errno(p1::fd_filestat_get(&mut g.ctx, &mut g.mem, fd, buf)).unwrap();
    let st = g.bytes_at(buf, 64);
    assert_eq!(u64_le(&st, 0), 1, "dev of the first filesystem");
    assert_ne!(u64_le(&st, 8), 0, "ino");
    assert_eq!(st[16], 4, "regular file");
    assert_eq!(u64_le(&st, 24), 1, "nlink");
    assert_eq!(u64_le(&st, 32), 5, "size");
    assert_eq!(u64_le(&st, 40), 111, "atim");
    assert_eq!(u64_le(&st, 48), 222, "mtim");
    assert_eq!(g.stat(3, 0, "f").unwrap(), st, "path_filestat_get agrees");
}

#[test]
fn set_times_validates_fstflags_and_uses_the_guest_clock_for_now() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    for bad in [1 | 2, 4 | 8, 16] {
        assert_eq!(
            errno(p1::fd_filestat_set_times(
                &mut g.ctx, &mut g.mem, fd, 1, 2, bad
            )),
            Err(Errno::Inval)
        );
    }
    let mtim_before = u64_le(&g.stat(3, 0, "f").unwrap(), 48);
    errno(p1::fd_filestat_set_times(
        &mut g.ctx, &mut g.mem, fd, 0, 0, 2,
    ))
    .unwrap();
    let st = g.stat(3, 0, "f").unwrap();
    assert_eq!(
        u64_le(&st, 40),
        1_000_000_000_000,
        "ATIM_NOW reads the guest's realtime clock"
    );
    assert_eq!(u64_le(&st, 48), mtim_before, "mtim kept");
    // "now - 100 ns" survives exactly (u64 nanoseconds end to end).
    let (p, l) = g.put(b"f");
    errno(p1::path_filestat_set_times(
        &mut g.ctx,
        &mut g.mem,
        3,
        0,
        p,
        l,
        0,
        mtim_before - 100,
        4,
    ))
    .unwrap();
    assert_eq!(u64_le(&g.stat(3, 0, "f").unwrap(), 48), mtim_before - 100);
}

#[test]
fn allocate_and_set_size_grow_and_shrink() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, fd, 0, 100)).unwrap();
    errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, fd, 10, 10)).unwrap();
    assert_eq!(u64_le(&g.stat(3, 0, "f").unwrap(), 32), 100);
    errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, fd, 90, 20)).unwrap();
    assert_eq!(u64_le(&g.stat(3, 0, "f").unwrap(), 32), 110);
    errno(p1::fd_filestat_set_size(&mut g.ctx, &mut g.mem, fd, 3)).unwrap();
    assert_eq!(u64_le(&g.stat(3, 0, "f").unwrap(), 32), 3);
    assert_eq!(
        errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, fd, u64::MAX, 2)),
        Err(Errno::FBig)
    );
    assert_eq!(
        errno(p1::fd_advise(&mut g.ctx, &mut g.mem, fd, 0, 10, 0)),
        Ok(())
    );
    assert_eq!(
        errno(p1::fd_advise(&mut g.ctx, &mut g.mem, fd, 0, 10, 6)),
        Err(Errno::Inval)
    );
    assert_eq!(errno(p1::fd_datasync(&mut g.ctx, &mut g.mem, fd)), Ok(()));
    assert_eq!(errno(p1::fd_sync(&mut g.ctx, &mut g.mem, fd)), Ok(()));
}

/// Parses a readdir buffer into (d_next, d_ino, d_type, name); a cut entry ends the list.
fn dirents(buf: &[u8]) -> Vec<(u64, u64, u8, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 24 <= buf.len() {
        let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
        if at + 24 + namlen > buf.len() {
            break;
        }
        let name = String::from_utf8(buf[at + 24..at + 24 + namlen].to_vec()).unwrap();
        out.push((u64_le(buf, at), u64_le(buf, at + 8), buf[at + 20], name));
        at += 24 + namlen;
    }
    out
}

fn readdir(g: &mut Guest, fd: u32, len: u32, cookie: u64) -> (Vec<u8>, u32) {
    let buf = g.alloc(len);
    let used = g.alloc(4);
    errno(p1::fd_readdir(
        &mut g.ctx, &mut g.mem, fd, buf, len, cookie, used,
    ))
    .unwrap();
    let n = g.u32_at(used);
    (g.bytes_at(buf, n), n)
}

#[test]
fn readdir_lists_dots_then_entries_with_stable_cookies() {
    let mut g = Guest::new();
    g.mkdir(3, "d").unwrap();
    let d = g.open(3, "d", O_DIRECTORY, 0, 0).unwrap();
    let dir_ino = u64_le(&g.stat(3, 0, "d").unwrap(), 8);
    let (buf, _) = readdir(&mut g, d, 256, 0);
    let names: Vec<_> = dirents(&buf).into_iter().map(|e| (e.0, e.2, e.3)).collect();
    assert_eq!(names, [(1, 3, ".".to_string()), (2, 3, "..".to_string())]);
    assert_eq!(dirents(&buf)[0].1, dir_ino);
    for name in ["b", "a", "c"] {
        let fd = g.open(d, name, O_CREAT, 0, 0).unwrap();
        g.close(fd).unwrap();
    }
    let (buf, used) = readdir(&mut g, d, 1024, 0);
    let all = dirents(&buf);
    assert_eq!(all.len(), 5);
    assert!(used < 1024, "the whole directory fits");
    let a_ino = u64_le(&g.stat(d, 0, "a").unwrap(), 8);
    let a = all.iter().find(|e| e.3 == "a").unwrap();
    assert_eq!((a.1, a.2), (a_ino, 4));
    // Resuming from any entry's d_next yields exactly the rest.
    for (i, entry) in all.iter().enumerate() {
        let (rest, _) = readdir(&mut g, d, 1024, entry.0);
        assert_eq!(dirents(&rest), all[i + 1..].to_vec());
    }
    // A small buffer is filled completely; the cut entry is re-read from its cookie.
    let (buf, used) = readdir(&mut g, d, 30, 0);
    assert_eq!(used, 30);
    assert_eq!(dirents(&buf).len(), 1);
    assert_eq!(
        errno(p1::fd_readdir(&mut g.ctx, &mut g.mem, 0, 0, 0, 0, 0)),
        Err(Errno::Badf)
    );
}

#[test]
fn readdir_reread_after_its_listing_was_dropped_lists_what_the_fd_now_is() {
    // A guest reads part of one directory's listing, then renumbers another directory onto that
    // fd (dropping the listing) and resumes at a cookie: it gets the new directory's entries
    // from that cookie, read afresh, never the old listing or a stale total.
    let mut g = Guest::new();
    for (dir, names) in [("one", ["a", "b"]), ("two", ["x", "y"])] {
        g.mkdir(3, dir).unwrap();
        for name in names {
            g.mkdir(3, &format!("{dir}/{name}")).unwrap();
        }
    }
    let one = g.open(3, "one", O_DIRECTORY, 0, 0).unwrap();
    let two = g.open(3, "two", O_DIRECTORY, 0, 0).unwrap();
    let (buf, _) = readdir(&mut g, one, 1024, 0);
    let names: Vec<_> = dirents(&buf).into_iter().map(|e| e.3).collect();
    assert_eq!(names.len(), 4);
    errno(p1::fd_renumber(&mut g.ctx, &mut g.mem, two, one)).unwrap();
    let (buf, _) = readdir(&mut g, one, 1024, 2);
    let mut names: Vec<_> = dirents(&buf).into_iter().map(|e| e.3).collect();
    names.sort();
    assert_eq!(names, ["x", "y"]);
    // Re-reading at cookie 0 over and over keeps one listing, and every read is complete.
    for _ in 0..20 {
        let (buf, _) = readdir(&mut g, one, 256, 0);
        assert_eq!(dirents(&buf).len(), 4);
    }
    g.close(one).unwrap();
    assert_eq!(
        errno(p1::fd_readdir(&mut g.ctx, &mut g.mem, one, 0, 0, 0, 0)),
        Err(Errno::Badf)
    );
}

#[test]
fn renumber_moves_and_closes() {
    let mut g = Guest::new();
    let a = g.open(3, "a", O_CREAT, RW, FDFLAGS_APPEND).unwrap();
    let b = g.open(3, "b", O_CREAT, RIGHTS_FD_READ, 0).unwrap();
    let stat_a = g.fdstat(a).unwrap();
    errno(p1::fd_renumber(&mut g.ctx, &mut g.mem, a, b)).unwrap();
    assert_eq!(g.fdstat(b).unwrap(), stat_a);
    assert_eq!(g.close(a), Err(Errno::Badf));
    assert_eq!(
        errno(p1::fd_renumber(&mut g.ctx, &mut g.mem, b, a)),
        Err(Errno::Badf),
        "target must be open"
    );
    assert_eq!(errno(p1::fd_renumber(&mut g.ctx, &mut g.mem, b, b)), Ok(()));
    // Renumbering stdout away and back.
    errno(p1::fd_renumber(&mut g.ctx, &mut g.mem, 1, b)).unwrap();
    assert_eq!(g.fdstat(1), Err(Errno::Badf));
    assert_eq!(g.write(b, b"to stdout"), Ok(9));
    g.ctx.flush().unwrap();
    assert_eq!(g.host.borrow().stdout, b"to stdout");
}

#[test]
fn preopens_report_their_names_and_can_be_closed() {
    let mut g = Guest::new();
    let buf = g.alloc(8);
    errno(p1::fd_prestat_get(&mut g.ctx, &mut g.mem, 3, buf)).unwrap();
    assert_eq!((g.bytes_at(buf, 1)[0], g.u32_at(buf + 4)), (0, 1));
    let name = g.alloc(4);
    assert_eq!(
        errno(p1::fd_prestat_dir_name(&mut g.ctx, &mut g.mem, 3, name, 0)),
        Err(Errno::NameTooLong)
    );
    errno(p1::fd_prestat_dir_name(&mut g.ctx, &mut g.mem, 3, name, 4)).unwrap();
    assert_eq!(g.bytes_at(name, 2), b"/\0", "exactly the name, no NUL");
    assert_eq!(
        errno(p1::fd_prestat_get(&mut g.ctx, &mut g.mem, 4, buf)),
        Err(Errno::Badf)
    );
    assert_eq!(
        errno(p1::fd_prestat_get(&mut g.ctx, &mut g.mem, 1, buf)),
        Err(Errno::Badf)
    );
    let sub = g.open(3, ".", O_DIRECTORY, 0, 0).unwrap();
    assert_eq!(
        errno(p1::fd_prestat_get(&mut g.ctx, &mut g.mem, sub, buf)),
        Err(Errno::Badf),
        "not a preopen"
    );
    g.close(3).unwrap();
    assert_eq!(g.fdstat(3), Err(Errno::Badf));
    assert_eq!(
        g.fdstat(sub).map(|s| s[0]),
        Ok(3),
        "other descriptors live on"
    );
    let again = g.open(sub, "x", O_CREAT, 0, 0).unwrap();
    assert_eq!(again, 3, "lowest free fd is reused");
}

#[test]
fn stdio_fdstat_and_filestat() {
    let mut g = Guest::new();
    let st = g.fdstat(1).unwrap();
    assert_eq!(st[0], 0, "unknown filetype when not a terminal");
    assert_eq!(u64_le(&st, 8), RIGHTS_FD_WRITE | (1 << 27));
    g.host.borrow_mut().terminal = true;
    assert_eq!(g.fdstat(0).unwrap()[0], 2, "character device on a terminal");
    let buf = g.alloc(64);
    errno(p1::fd_filestat_get(&mut g.ctx, &mut g.mem, 2, buf)).unwrap();
    assert_eq!(g.bytes_at(buf, 17)[16], 2);
    assert_eq!(g.seek(1, 0, 1), Err(Errno::SPipe));
    assert_eq!(g.write(0, b"x"), Err(Errno::Badf));
    assert_eq!(g.read(1, 1), Err(Errno::Badf));
}

#[test]
fn large_writes_and_reads_stream_through_in_chunks() {
    let mut g = Guest::new();
    g.mem.0.resize(6 << 20, 0);
    let fd = g.open(3, "big", O_CREAT, RW, 0).unwrap();
    let data: Vec<u8> = (0..(3 << 20) + 17).map(|i| (i % 253) as u8).collect();
    g.mem.0[1 << 20..(1 << 20) + data.len()].copy_from_slice(&data);
    let (iov, _) = g.put(
        &[
            (1u32 << 20).to_le_bytes(),
            (data.len() as u32).to_le_bytes(),
        ]
        .concat(),
    );
    let n = g.alloc(4);
    errno(p1::fd_write(&mut g.ctx, &mut g.mem, fd, iov, 1, n)).unwrap();
    assert_eq!(g.u32_at(n) as usize, data.len());
    g.mem.0[1 << 20..(1 << 20) + data.len()].fill(0);
    g.seek(fd, 0, 0).unwrap();
    errno(p1::fd_read(&mut g.ctx, &mut g.mem, fd, iov, 1, n)).unwrap();
    assert_eq!(g.u32_at(n) as usize, data.len());
    assert!(g.mem.0[1 << 20..(1 << 20) + data.len()] == data[..]);
}

#[test]
fn dropping_a_context_releases_what_its_descriptors_held() {
    use cove_core::host::{Config, Ctx, Preopen};
    use cove_core::vfs::mem::MemFs;
    use cove_core::vfs::Filesystem;
    use std::cell::RefCell;
    use std::rc::Rc;
    let memfs = Rc::new(RefCell::new(MemFs::new()));
    let root = memfs.borrow().root();
    let shared: cove_core::vfs::SharedFs = memfs.clone();
    let config = Config {
        preopens: vec![Preopen {
            guest_path: "/".into(),
            fs: shared,
            root,
            readonly: false,
        }],
        ..Config::default()
    };
    let mut ctx = Ctx::new(config, Box::new(FakeHost(Default::default()))).unwrap();
    let mut mem = cove_core::memory::VecMemory(vec![0; 256]);
    mem.0[..4].copy_from_slice(b"file");
    errno(p1::path_open(
        &mut ctx, &mut mem, 3, 0, 0, 4, O_CREAT, RW, 0, 0, 100,
    ))
    .unwrap();
    errno(p1::path_unlink_file(&mut ctx, &mut mem, 3, 0, 4)).unwrap();
    assert_eq!(
        memfs.borrow().node_count(),
        2,
        "the unlinked file lives while open"
    );
    drop(ctx);
    assert_eq!(
        memfs.borrow().node_count(),
        1,
        "freed once the context is gone"
    );
}

#[test]
fn inheriting_rights_dropped_on_a_directory_are_withheld_from_what_opens_beneath_it() {
    let mut g = Guest::new();
    g.create_file("f", b"data");
    g.mkdir(3, "d").unwrap();
    let all = u64::MAX;
    let stat = g.fdstat(3).unwrap();
    let (base, inheriting) = (u64_le(&stat, 8), u64_le(&stat, 16));
    errno(p1::fd_fdstat_set_rights(
        &mut g.ctx,
        &mut g.mem,
        3,
        base,
        inheriting & !RIGHTS_FD_WRITE,
    ))
    .unwrap();
    let fd = g.open(3, "f", 0, all, 0).unwrap();
    assert_eq!(u64_le(&g.fdstat(fd).unwrap(), 8) & RIGHTS_FD_WRITE, 0);
    assert_eq!(g.write(fd, b"x"), Err(Errno::Badf));
    assert_eq!(g.read(fd, 4).unwrap(), b"data");
    // Through a subdirectory too, however it asks.
    let sub = g
        .open(3, "d", O_DIRECTORY, all & !RIGHTS_FD_WRITE, 0)
        .unwrap();
    let inner = g.open(sub, "g", O_CREAT, all, 0).unwrap();
    assert_eq!(g.write(inner, b"x"), Err(Errno::Badf));
    assert_eq!(
        errno(p1::fd_fdstat_set_rights(
            &mut g.ctx,
            &mut g.mem,
            inner,
            RIGHTS_FD_WRITE,
            0
        )),
        Err(Errno::NotCapable)
    );
}

/// A directory listing is kept per descriptor between `fd_readdir` calls, but only up to a
/// bound across descriptors (docs/limits.md): a guest reading one large directory through many
/// descriptors has the listings of some of them dropped while they are part-read. Continuing
/// from a cookie after that must still list every entry exactly once, in order, as it would
/// have without the drop (the directory did not change).
#[test]
fn readdir_continues_from_its_cookie_after_the_listing_was_dropped() {
    let mut g = Guest::new();
    g.mkdir(3, "d").unwrap();
    // ~1.2 MB of listing per descriptor, so 64 descriptors hold more than the 64 MiB kept.
    let names: Vec<String> = (0..4000)
        .map(|i| format!("{i:05}{}", "n".repeat(250)))
        .collect();
    {
        let mut fs = g.fs.borrow_mut();
        let root = fs.root();
        let d = fs.lookup(root, b"d").unwrap();
        for name in &names {
            fs.create_file(d, name.as_bytes()).unwrap();
        }
    }
    let mut expected = vec![".".to_string(), "..".to_string()];
    expected.extend(names.iter().cloned()); // created in sorted order
    let (buf, len, used) = (0x8000u32, 0x4000u32, 0xF000u32);
    // One call from `cookie`: the complete entries (a cut last one is left for the next call)
    // and whether the listing ended within this buffer.
    let read = |g: &mut Guest, fd: u32, cookie: u64| {
        errno(p1::fd_readdir(
            &mut g.ctx, &mut g.mem, fd, buf, len, cookie, used,
        ))
        .unwrap();
        let n = g.u32_at(used);
        (dirents(&g.bytes_at(buf, n)), n < len)
    };
    let fds: Vec<u32> = (0..64)
        .map(|_| g.open(3, "d", O_DIRECTORY, 0, 0).unwrap())
        .collect();
    // Every descriptor reads its first buffer, so each holds a listing part-read...
    let mut listed: Vec<Vec<(u64, String)>> = Vec::new();
    for &fd in &fds {
        let (entries, ended) = read(&mut g, fd, 0);
        assert!(!ended && !entries.is_empty());
        listed.push(entries.into_iter().map(|e| (e.0, e.3)).collect());
    }
    // ...then each continues from its last cookie to the end.
    for (fd, seen) in fds.iter().zip(&mut listed) {
        loop {
            let cookie = seen.last().unwrap().0;
            let (entries, ended) = read(&mut g, *fd, cookie);
            seen.extend(entries.into_iter().map(|e| (e.0, e.3)));
            if ended {
                break;
            }
        }
    }
    for (fd, seen) in fds.iter().zip(&listed) {
        let cookies: Vec<u64> = seen.iter().map(|e| e.0).collect();
        assert_eq!(
            cookies,
            (1..=expected.len() as u64).collect::<Vec<_>>(),
            "fd {fd}: cookies count up by one"
        );
        assert!(
            seen.iter().map(|e| &e.1).eq(expected.iter()),
            "fd {fd}: every entry once, in order"
        );
    }
}
