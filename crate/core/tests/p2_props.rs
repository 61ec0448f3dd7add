//! Property tests: the guest is hostile. Every p2 function, fed arbitrary pointers, lengths,
//! handles, flags and discriminants over a small random memory (with a realloc that sometimes
//! answers nonsense), in random sequences on one context, returns, traps, or exits (only
//! `exit`) and never panics; and no sequence of p2 path operations reaches outside the mount.
mod common;
use common::*;
use cove_core::host::Preopen;
use cove_core::memory::{GuestMemory, VecMemory};
use cove_core::p2::{self, Realloc, Stop, Trap};
use proptest::prelude::*;

/// A guest realloc: a bump allocator in the upper half of memory, or a fixed (maybe absurd)
/// answer.
struct Hostile {
    next: u32,
    answer: Option<u32>,
}

impl Realloc for Hostile {
    fn realloc(&mut self, _: u32, _: u32, align: u32, size: u32) -> Result<u32, Trap> {
        if let Some(a) = self.answer {
            return Ok(a);
        }
        let ptr = self.next.checked_add(align - 1).ok_or(Trap("full"))? & !(align - 1);
        self.next = ptr.saturating_add(size);
        Ok(ptr)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_call_returns_or_traps_and_never_panics(
        (bytes, calls) in hostile_memory().prop_flat_map(|bytes| {
            let len = bytes.len() as u64;
            (Just(bytes), proptest::collection::vec(
                (0..p2::NAMES.len(), proptest::collection::vec(hostile_arg(len), 12), prop::option::weighted(0.1, any::<u32>())),
                1..32))
        }),
        trace in any::<bool>(),
    ) {
        let (mut ctx, _fs) = prop_context(trace);
        // Handles 1.. exist: the preopens' descriptors, stdio streams, a pollable.
        let mut mem = VecMemory(bytes);
        let size = mem.size();
        let mut bump = Hostile { next: size as u32 / 2, answer: None };
        let _ = p2::preopens_get_directories(&mut ctx, &mut mem, &mut bump, 0);
        let _ = p2::stdout_get_stdout(&mut ctx, &mut mem, &mut bump);
        let _ = p2::stdin_get_stdin(&mut ctx, &mut mem, &mut bump);
        for (which, args, answer) in &calls {
            let mut realloc = Hostile { next: size as u32 / 2, answer: *answer };
            let r = p2::call_by_index(&mut ctx, &mut mem, &mut realloc, *which, args).unwrap();
            prop_assert_eq!(mem.size(), size);
            let (interface, name) = p2::NAMES[*which];
            match r {
                Ok(_) | Err(Stop::Trap(_)) => {}
                Err(Stop::Exit(_)) => prop_assert_eq!(interface, "wasi:cli/exit"),
                Err(Stop::Blocked) => prop_assert!(false, "{}#{} blocked on a host that can wait", interface, name),
            }
        }
        let _ = ctx.flush();
    }
}

fn component() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["..", ".", "a", "b", "box", "secret", "l", "", "/"])
}

fn path() -> impl Strategy<Value = String> {
    proptest::collection::vec(component(), 1..6).prop_map(|parts| parts.join("/"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The mount is "/box" of a filesystem that also holds "/secret": whatever the p2 guest does
    /// with `..`, absolute paths and symlinks, "/secret" is never read, changed or replaced,
    /// and nothing appears beside "box".
    #[test]
    fn p2_path_operations_never_leave_the_mount(ops in proptest::collection::vec((0u32..6, path(), path(), 0u32..16), 1..40)) {
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
        let mut bump = Bump::new();
        let ret = g.alloc(8);
        p2::preopens_get_directories(&mut g.ctx, &mut g.mem, &mut bump, ret).unwrap();
        let list = g.u32_at(ret);
        let dir = g.u32_at(list);
        for (kind, a, b, flags) in ops {
            let (pa, la) = g.put(a.as_bytes());
            let (pb, lb) = g.put(b.as_bytes());
            let out = g.alloc(16);
            let mut bump = Bump::new();
            let (m, c) = (&mut g.mem, &mut g.ctx);
            let r = match kind {
                0 => p2::descriptor_open_at(c, m, &mut bump, dir, flags & 1, pa, la, flags, 3 | 32, out).map(|_| {
                    if m.0[out as usize] == 0 {
                        let file = u32::from_le_bytes(m.0[out as usize + 4..out as usize + 8].try_into().unwrap());
                        let (p, l) = (0x100, 9);
                        let _ = p2::descriptor_write(c, m, &mut bump, file, p, l, 0, out);
                        let _ = p2::descriptor_read(c, m, &mut bump, file, 64, 0, out);
                        let (rp, rl) = (u32::from_le_bytes(m.0[out as usize + 4..out as usize + 8].try_into().unwrap()), u32::from_le_bytes(m.0[out as usize + 8..out as usize + 12].try_into().unwrap()));
                        if m.0[out as usize] == 0 && (rl as usize) < m.0.len() && (rp as usize) < m.0.len() {
                            assert_ne!(m.0.get(rp as usize..(rp + rl) as usize), Some(&b"top secret"[..]));
                        }
                    }
                }),
                1 => p2::descriptor_create_directory_at(c, m, &mut bump, dir, pa, la, out),
                2 => p2::descriptor_symlink_at(c, m, &mut bump, dir, pa, la, pb, lb, out),
                3 => p2::descriptor_rename_at(c, m, &mut bump, dir, pa, la, dir, pb, lb, out),
                4 => p2::descriptor_link_at(c, m, &mut bump, dir, 1, pa, la, dir, pb, lb, out),
                _ => p2::descriptor_unlink_file_at(c, m, &mut bump, dir, pa, la, out),
            };
            prop_assert!(r.is_ok(), "{:?}", r);
        }
        let mut f = fs.borrow_mut();
        let root = f.root();
        prop_assert_eq!(f.lookup(root, b"secret"), Ok(secret));
        let mut buf = [0u8; 32];
        let n = f.read(secret, 0, &mut buf).unwrap();
        prop_assert_eq!(&buf[..n], b"top secret");
        prop_assert_eq!(f.metadata(secret).unwrap().nlink, 1);
        let names: Vec<Vec<u8>> = f.readdir(root).unwrap().into_iter().map(|e| e.name).collect();
        prop_assert_eq!(names, vec![b"box".to_vec(), b"secret".to_vec()]);
    }
}
