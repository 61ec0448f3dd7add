//! Property tests: the guest is hostile. Every p1 function, fed arbitrary pointers, lengths,
//! flags and fds over a small random memory, in random sequences on one context, returns a
//! valid errno (or its documented sentinel) and never panics; and no sequence of path
//! operations reaches outside the mount.
mod common;
use common::*;
use cove_core::host::{Ctx, Preopen};
use cove_core::memory::{GuestMemory, VecMemory};
use cove_core::p1;
use proptest::prelude::*;

/// Calls p1 function number `which` with arguments taken from `a`.
fn call(ctx: &mut Ctx, m: &mut VecMemory, which: usize, a: &[u64; 9]) -> u32 {
    let w = |i: usize| a[i] as u32;
    match which {
        0 => p1::args_get(ctx, m, w(0), w(1)),
        1 => p1::args_sizes_get(ctx, m, w(0), w(1)),
        2 => p1::environ_get(ctx, m, w(0), w(1)),
        3 => p1::environ_sizes_get(ctx, m, w(0), w(1)),
        4 => p1::clock_res_get(ctx, m, w(0), w(1)),
        5 => p1::clock_time_get(ctx, m, w(0), a[1], w(2)),
        6 => p1::fd_advise(ctx, m, w(0), a[1], a[2], w(3)),
        7 => p1::fd_allocate(ctx, m, w(0), a[1] % (1 << 20), a[2] % (1 << 20)),
        8 => p1::fd_close(ctx, m, w(0)),
        9 => p1::fd_datasync(ctx, m, w(0)),
        10 => p1::fd_fdstat_get(ctx, m, w(0), w(1)),
        11 => p1::fd_fdstat_set_flags(ctx, m, w(0), w(1)),
        12 => p1::fd_fdstat_set_rights(ctx, m, w(0), a[1], a[2]),
        13 => p1::fd_filestat_get(ctx, m, w(0), w(1)),
        14 => p1::fd_filestat_set_size(ctx, m, w(0), a[1] % (1 << 20)),
        15 => p1::fd_filestat_set_times(ctx, m, w(0), a[1], a[2], w(3)),
        16 => p1::fd_pread(ctx, m, w(0), w(1), w(2), a[3], w(4)),
        17 => p1::fd_prestat_get(ctx, m, w(0), w(1)),
        18 => p1::fd_prestat_dir_name(ctx, m, w(0), w(1), w(2)),
        19 => p1::fd_pwrite(ctx, m, w(0), w(1), w(2), a[3] % (1 << 20), w(4)),
        20 => p1::fd_read(ctx, m, w(0), w(1), w(2), w(3)),
        21 => p1::fd_readdir(ctx, m, w(0), w(1), w(2), a[3], w(4)),
        22 => p1::fd_renumber(ctx, m, w(0), w(1)),
        23 => p1::fd_seek(ctx, m, w(0), a[1] as i64, w(2), w(3)),
        24 => p1::fd_sync(ctx, m, w(0)),
        25 => p1::fd_tell(ctx, m, w(0), w(1)),
        26 => p1::fd_write(ctx, m, w(0), w(1), w(2), w(3)),
        27 => p1::path_create_directory(ctx, m, w(0), w(1), w(2)),
        28 => p1::path_filestat_get(ctx, m, w(0), w(1), w(2), w(3), w(4)),
        29 => p1::path_filestat_set_times(ctx, m, w(0), w(1), w(2), w(3), a[4], a[5], w(6)),
        30 => p1::path_link(ctx, m, w(0), w(1), w(2), w(3), w(4), w(5), w(6)),
        31 => p1::path_open(ctx, m, w(0), w(1), w(2), w(3), w(4), a[5], a[6], w(7), w(8)),
        32 => p1::path_readlink(ctx, m, w(0), w(1), w(2), w(3), w(4), w(5)),
        33 => p1::path_remove_directory(ctx, m, w(0), w(1), w(2)),
        34 => p1::path_rename(ctx, m, w(0), w(1), w(2), w(3), w(4), w(5)),
        35 => p1::path_symlink(ctx, m, w(0), w(1), w(2), w(3), w(4)),
        36 => p1::path_unlink_file(ctx, m, w(0), w(1), w(2)),
        37 => p1::poll_oneoff(ctx, m, w(0), w(1), w(2) % 8, w(3)),
        38 => p1::proc_exit(ctx, m, w(0)),
        39 => p1::proc_raise(ctx, m, w(0)),
        40 => p1::sched_yield(ctx, m),
        41 => p1::random_get(ctx, m, w(0), w(1)),
        42 => p1::sock_accept(ctx, m, w(0), w(1), w(2)),
        43 => p1::sock_recv(ctx, m, w(0), w(1), w(2), w(3), w(4), w(5)),
        44 => p1::sock_send(ctx, m, w(0), w(1), w(2), w(3), w(4)),
        _ => p1::sock_shutdown(ctx, m, w(0), w(1)),
    }
}

const FUNCTIONS: usize = 46;
const PROC_EXIT: usize = 38;

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_call_returns_an_errno_and_never_panics(
        (bytes, calls) in hostile_memory().prop_flat_map(|bytes| {
            let len = bytes.len() as u64;
            (Just(bytes), proptest::collection::vec((0..FUNCTIONS, proptest::array::uniform9(hostile_arg(len))), 1..24))
        }),
        trace in any::<bool>(),
    ) {
        let (mut ctx, _fs) = prop_context(trace);
        let mut mem = VecMemory(bytes);
        let size = mem.size();
        for (which, args) in &calls {
            let code = call(&mut ctx, &mut mem, *which, args);
            prop_assert_eq!(mem.size(), size);
            match code {
                0..=76 => {}
                p1::EXIT => prop_assert_eq!(*which, PROC_EXIT),
                p1::BLOCKED => prop_assert!(matches!(*which, 20 | 37), "BLOCKED from {}", p1::NAMES[*which]),
                other => prop_assert!(false, "{} returned {:#x}", p1::NAMES[*which], other),
            }
        }
        let _ = ctx.flush();
    }
}

/// One component of a generated path.
fn component() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "..", ".", "a", "b", "box", "secret", "l", "m", "", "/",
    ])
}

fn path() -> impl Strategy<Value = String> {
    proptest::collection::vec(component(), 1..6).prop_map(|parts| parts.join("/"))
}

#[derive(Clone, Debug)]
enum Op {
    Open(String, u32, u32),
    Mkdir(String),
    Symlink(String, String),
    Rename(String, String),
    Link(String, String),
    Unlink(String),
    Rmdir(String),
    Write(String),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (path(), 0u32..2, 0u32..16).prop_map(|(p, l, o)| Op::Open(p, l, o)),
        path().prop_map(Op::Mkdir),
        (path(), path()).prop_map(|(t, p)| Op::Symlink(t, p)),
        (path(), path()).prop_map(|(a, b)| Op::Rename(a, b)),
        (path(), path()).prop_map(|(a, b)| Op::Link(a, b)),
        path().prop_map(Op::Unlink),
        path().prop_map(Op::Rmdir),
        path().prop_map(Op::Write),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The mount is "/box" of a filesystem that also holds "/secret": whatever the guest does
    /// with `..`, absolute paths and symlinks, "/secret" is never read, changed or replaced,
    /// and nothing appears beside "box".
    #[test]
    fn path_operations_never_leave_the_mount(ops in proptest::collection::vec(op(), 1..40)) {
        let fs = memfs();
        let (boxed, secret) = {
            let mut f = fs.borrow_mut();
            let root = f.root();
            f.create_dir(root, b"box").unwrap();
            let secret = f.create_file(root, b"secret").unwrap();
            f.write(secret, 0, b"top secret").unwrap();
            (f.lookup(root, b"box").unwrap(), secret)
        };
        let mut g = Guest::with(|c| c.preopens = vec![Preopen { guest_path: "/box".into(), fs: fs.clone(), root: boxed, readonly: false }]);
        for op in ops {
            let _ = match op {
                Op::Open(p, lookup, oflags) => g.open_follow(3, lookup, &p, oflags, RW, 0).map(|fd| {
                    let _ = g.write(fd, b"x");
                    let _ = g.read(fd, 64).map(|data| assert_ne!(data, b"top secret"));
                }),
                Op::Mkdir(p) => g.mkdir(3, &p),
                Op::Symlink(t, p) => g.symlink(&t, 3, &p),
                Op::Rename(a, b) => g.rename(3, &a, 3, &b),
                Op::Link(a, b) => g.link(3, 1, &a, 3, &b),
                Op::Unlink(p) => g.unlink(3, &p),
                Op::Rmdir(p) => g.rmdir(3, &p),
                Op::Write(p) => g.open_follow(3, 1, &p, 1, RW, 0).and_then(|fd| g.write(fd, b"overwrite").map(drop)),
            };
        }
        let mut f = fs.borrow_mut();
        let root = f.root();
        prop_assert_eq!(f.lookup(root, b"secret"), Ok(secret));
        let mut buf = [0u8; 32];
        let n = f.read(secret, 0, &mut buf).unwrap();
        prop_assert_eq!(&buf[..n], b"top secret");
        prop_assert_eq!(f.metadata(secret).unwrap().nlink, 1, "no hard link to it from inside");
        let names: Vec<Vec<u8>> = f.readdir(root).unwrap().into_iter().map(|e| e.name).collect();
        prop_assert_eq!(names, vec![b"box".to_vec(), b"secret".to_vec()]);
    }
}
