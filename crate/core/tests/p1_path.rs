//! path_*: open flags, symlinks, trailing slashes, links, renames, removal, sandboxing.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::p1;

#[test]
fn open_flags_creat_excl_trunc_directory() {
    let mut g = Guest::new();
    assert_eq!(g.open(3, "f", 0, RW, 0), Err(Errno::NoEnt));
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    g.write(fd, b"content").unwrap();
    assert_eq!(g.open(3, "f", O_CREAT | O_EXCL, RW, 0), Err(Errno::Exist));
    assert_eq!(g.open(3, "f", O_DIRECTORY, 0, 0), Err(Errno::NotDir));
    let again = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    assert_eq!(
        g.read(again, 100).unwrap(),
        b"content",
        "CREAT without EXCL opens the existing file"
    );
    let t = g.open(3, "f", O_TRUNC, RW, 0).unwrap();
    assert_eq!(g.read(t, 100).unwrap(), b"");
    assert_eq!(g.open(3, "new/", O_CREAT, RW, 0), Err(Errno::IsDir));
    assert_eq!(
        g.open(3, "f", 1 << 4, RW, 0),
        Err(Errno::Inval),
        "unknown oflags"
    );
    assert_eq!(
        g.open(3, "f", 0, RW, 1 << 5),
        Err(Errno::Inval),
        "unknown fdflags"
    );
    assert_eq!(
        g.open(fd, "x", O_CREAT, 0, 0),
        Err(Errno::NotDir),
        "base fd is a file"
    );
    assert_eq!(
        g.open(1, "x", O_CREAT, 0, 0),
        Err(Errno::Badf),
        "base fd is stdio"
    );
    assert_eq!(g.open(99, "x", O_CREAT, 0, 0), Err(Errno::Badf));
}

#[test]
fn fdflags_from_open_are_reported() {
    let mut g = Guest::new();
    let fd = g
        .open(3, "f", O_CREAT, RW, FDFLAGS_APPEND | (1 << 4))
        .unwrap();
    let st = g.fdstat(fd).unwrap();
    assert_eq!(
        (st[0], u16::from_le_bytes([st[2], st[3]])),
        (4, 1 | (1 << 4)),
        "APPEND|SYNC kept"
    );
    let d = g.open(3, ".", 0, 0, FDFLAGS_NONBLOCK).unwrap();
    assert_eq!(g.fdstat(d).unwrap()[0], 3);
}

#[test]
fn symlinks_follow_only_when_asked_and_loops_are_eloop() {
    let mut g = Guest::new();
    g.mkdir(3, "dir").unwrap();
    g.create_file("file", b"x");
    g.symlink("dir", 3, "to_dir").unwrap();
    g.symlink("file", 3, "to_file").unwrap();
    g.symlink("missing", 3, "dangling").unwrap();
    g.symlink("loop", 3, "loop").unwrap();
    assert_eq!(
        g.open(3, "to_dir", O_DIRECTORY, 0, 0),
        Err(Errno::Loop),
        "final symlink not followed"
    );
    assert_eq!(g.open(3, "to_file", 0, 0, 0), Err(Errno::Loop));
    assert!(g
        .open_follow(3, FOLLOW, "to_dir", O_DIRECTORY, 0, 0)
        .is_ok());
    assert_eq!(
        g.open_follow(3, FOLLOW, "to_file", O_DIRECTORY, 0, 0),
        Err(Errno::NotDir)
    );
    assert_eq!(g.open(3, "dangling", 0, 0, 0), Err(Errno::Loop));
    assert_eq!(g.open_follow(3, FOLLOW, "loop", 0, 0, 0), Err(Errno::Loop));
    assert!(
        g.open(3, "to_dir/", 0, 0, 0).is_ok(),
        "a trailing slash follows"
    );
    assert_eq!(g.stat(3, 0, "to_file").unwrap()[16], 7);
    assert_eq!(g.stat(3, FOLLOW, "to_file").unwrap()[16], 4);
    assert_eq!(g.stat(3, FOLLOW, "dangling"), Err(Errno::NoEnt));
    // readlink copies at most buf_len bytes and reports what it used.
    let (p, l) = g.put(b"to_file");
    let buf = g.alloc(8);
    let used = g.alloc(4);
    errno(p1::path_readlink(
        &mut g.ctx, &mut g.mem, 3, p, l, buf, 2, used,
    ))
    .unwrap();
    assert_eq!((g.u32_at(used), g.bytes_at(buf, 3)), (2, b"fi\0".to_vec()));
    let (p, l) = g.put(b"file");
    assert_eq!(
        errno(p1::path_readlink(
            &mut g.ctx, &mut g.mem, 3, p, l, buf, 8, used
        )),
        Err(Errno::Inval)
    );
}

#[test]
fn paths_never_leave_the_directory() {
    let mut g = Guest::new();
    g.mkdir(3, "a").unwrap();
    let a = g.open(3, "a", O_DIRECTORY, 0, 0).unwrap();
    assert_eq!(g.open(3, "/etc/passwd", 0, 0, 0), Err(Errno::NotCapable));
    assert_eq!(g.open(3, "..", O_DIRECTORY, 0, 0), Err(Errno::NotCapable));
    assert_eq!(
        g.open(a, "../a", O_DIRECTORY, 0, 0),
        Err(Errno::NotCapable),
        "a descriptor is its own sandbox"
    );
    g.symlink("../../x", a, "up").unwrap();
    assert_eq!(
        g.open_follow(a, FOLLOW, "up", 0, 0, 0),
        Err(Errno::NotCapable)
    );
    assert_eq!(g.symlink("/abs", 3, "abs"), Err(Errno::NotCapable));
    assert!(g.open(3, "a/./../a/.", O_DIRECTORY, 0, 0).is_ok());
    assert_eq!(g.open(3, "", 0, 0, 0), Err(Errno::NoEnt));
    assert_eq!(g.open(3, "a\0", 0, 0, 0), Err(Errno::Inval));
    let (p, _) = g.put(&[0xff, 0xfe]);
    let out = g.alloc(4);
    assert_eq!(
        errno(p1::path_open(
            &mut g.ctx, &mut g.mem, 3, 0, p, 2, 0, 0, 0, 0, out
        )),
        Err(Errno::Ilseq)
    );
    assert_eq!(
        errno(p1::path_open(
            &mut g.ctx, &mut g.mem, 3, 0, 0xfff0, 0x100, 0, 0, 0, 0, out
        )),
        Err(Errno::Fault)
    );
    assert!(
        g.events().iter().any(|e| e.contains("outside the mount")),
        "escapes are reported"
    );
}

#[test]
fn trailing_slash_rules() {
    let mut g = Guest::new();
    g.create_file("file", b"");
    g.mkdir(3, "dir").unwrap();
    assert_eq!(g.open(3, "file/", 0, 0, 0), Err(Errno::NotDir));
    assert!(g.open(3, "dir///", 0, 0, 0).is_ok());
    assert_eq!(g.unlink(3, "file/"), Err(Errno::NotDir));
    assert_eq!(g.unlink(3, "dir"), Err(Errno::IsDir));
    assert_eq!(g.unlink(3, "dir/"), Err(Errno::IsDir));
    assert_eq!(g.rmdir(3, "file"), Err(Errno::NotDir));
    assert_eq!(g.rmdir(3, "file/"), Err(Errno::NotDir));
    assert_eq!(g.symlink("x", 3, "new/"), Err(Errno::NoEnt));
    assert_eq!(g.symlink("x", 3, "dir/"), Err(Errno::Exist));
    assert_eq!(g.symlink("x", 3, "file"), Err(Errno::Exist));
    assert_eq!(g.link(3, 0, "file", 3, "l/"), Err(Errno::NoEnt));
    g.rename(3, "dir/", 3, "moved/").unwrap();
    assert_eq!(g.rename(3, "file", 3, "other/"), Err(Errno::NotDir));
    g.rmdir(3, "moved/").unwrap();
    assert_eq!(g.rmdir(3, "."), Err(Errno::Inval));
}

#[test]
fn hard_links_share_the_node() {
    let mut g = Guest::new();
    let fd = g.open(3, "file", O_CREAT, RW, 0).unwrap();
    g.write(fd, b"shared").unwrap();
    g.mkdir(3, "sub").unwrap();
    g.link(3, 0, "file", 3, "sub/link").unwrap();
    let st = g.stat(3, 0, "sub/link").unwrap();
    assert_eq!(st, g.stat(3, 0, "file").unwrap());
    assert_eq!(u64_le(&st, 24), 2, "nlink");
    assert_eq!(g.link(3, 0, "file", 3, "file"), Err(Errno::Exist));
    assert_eq!(g.link(3, 0, "file", 3, "sub"), Err(Errno::Exist));
    assert_eq!(g.link(3, 0, "sub", 3, "dirlink"), Err(Errno::Perm));
    assert_eq!(g.link(3, 0, "nothing", 3, "x"), Err(Errno::NoEnt));
    g.symlink("missing", 3, "dangling").unwrap();
    g.link(3, 0, "dangling", 3, "link_to_symlink").unwrap();
    assert_eq!(g.link(3, FOLLOW, "dangling", 3, "y"), Err(Errno::NoEnt));
    g.unlink(3, "file").unwrap();
    let l = g.open(3, "sub/link", 0, RW, 0).unwrap();
    assert_eq!(g.read(l, 10).unwrap(), b"shared");
}

#[test]
fn rename_replaces_compatible_targets() {
    let mut g = Guest::new();
    g.create_file("a", b"A");
    g.create_file("b", b"B");
    g.rename(3, "a", 3, "b").unwrap();
    assert_eq!(g.open(3, "a", 0, 0, 0), Err(Errno::NoEnt));
    let b = g.open(3, "b", 0, RW, 0).unwrap();
    assert_eq!(g.read(b, 10).unwrap(), b"A");
    g.mkdir(3, "d").unwrap();
    assert_eq!(g.rename(3, "b", 3, "d"), Err(Errno::IsDir));
    assert_eq!(g.rename(3, "d", 3, "b"), Err(Errno::NotDir));
    g.mkdir(3, "e").unwrap();
    g.create_file("x", b"");
    g.rename(3, "x", 3, "e/x").unwrap();
    assert_eq!(g.rename(3, "d", 3, "e"), Err(Errno::NotEmpty));
    assert_eq!(g.rename(3, "e", 3, "e/inside"), Err(Errno::Inval));
    assert_eq!(g.rename(3, "missing", 3, "z"), Err(Errno::NoEnt));
    assert_eq!(g.rename(3, ".", 3, "z"), Err(Errno::Busy));
    g.unlink(3, "e/x").unwrap();
    g.rename(3, "d", 3, "e").unwrap();
    assert_eq!(g.rmdir(3, "d"), Err(Errno::NoEnt));
}

#[test]
fn create_and_remove_directories() {
    let mut g = Guest::new();
    g.mkdir(3, "d").unwrap();
    assert_eq!(g.mkdir(3, "d"), Err(Errno::Exist));
    assert_eq!(g.mkdir(3, "."), Err(Errno::Exist));
    g.mkdir(3, "d/e/").unwrap();
    assert_eq!(g.mkdir(3, "x/y"), Err(Errno::NoEnt));
    assert_eq!(g.rmdir(3, "d"), Err(Errno::NotEmpty));
    g.rmdir(3, "d/e").unwrap();
    g.rmdir(3, "d").unwrap();
    assert_eq!(g.stat(3, 0, "d"), Err(Errno::NoEnt));
}

#[test]
fn an_open_file_outlives_its_unlink() {
    let mut g = Guest::new();
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    g.unlink(3, "f").unwrap();
    g.write(fd, b"still here").unwrap();
    g.seek(fd, 0, 0).unwrap();
    assert_eq!(g.read(fd, 100).unwrap(), b"still here");
    g.close(fd).unwrap();
}

/// Paths up to 128 bytes are read onto the stack, longer ones onto the heap: both read whole.
#[test]
fn paths_on_either_side_of_the_inline_length_read_whole() {
    let mut g = Guest::new();
    for len in [1usize, 127, 128, 129, 255] {
        let name = "n".repeat(len);
        let fd = g.open(3, &name, O_CREAT, RW, 0).unwrap();
        g.write(fd, &vec![b'x'; len]).unwrap();
        let st = g.stat(3, 0, &name).unwrap();
        assert_eq!(
            u64_le(&st, 32),
            len as u64,
            "size of the file named by {len} bytes"
        );
    }
    // A directory path longer than the inline buffer, each name shorter.
    let dirs = ["d".repeat(100), "e".repeat(100)];
    g.mkdir(3, &dirs[0]).unwrap();
    g.mkdir(3, &format!("{}/{}", dirs[0], dirs[1])).unwrap();
    let deep = format!("{}/{}/f", dirs[0], dirs[1]);
    let fd = g.open(3, &deep, O_CREAT, RW, 0).unwrap();
    g.write(fd, b"abc").unwrap();
    assert_eq!(u64_le(&g.stat(3, 0, &deep).unwrap(), 32), 3);
    assert_eq!(g.stat(3, 0, &format!("{deep}x")), Err(Errno::NoEnt));
}
