//! Test harness: a fake [`Host`] whose clock only moves when the guest sleeps (no timed
//! assertions), a MemFs preopen, and a small "guest" that lays out arguments in a VecMemory.
#![allow(dead_code)]
use cove_core::errno::Errno;
use cove_core::host::{Clock, Config, Ctx, Host, Preopen, StdinRead};
use cove_core::memory::{GuestMemory, VecMemory};
use cove_core::p1;
use cove_core::p2::{Realloc, Trap};
use cove_core::vfs::mem::MemFs;
use cove_core::vfs::SharedFs;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// What the fake host saw and what it will answer.
#[derive(Default)]
pub struct HostState {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Every write_stdio call in order: (fd, bytes).
    pub writes: Vec<(u32, Vec<u8>)>,
    pub events: Vec<String>,
    /// Answers to read_stdin, in order; when empty: EOF.
    pub stdin: VecDeque<StdinRead>,
    pub stdin_data: VecDeque<Vec<u8>>,
    pub realtime: u64,
    pub monotonic: u64,
    /// When false, block_ns refuses (an async host without Atomics).
    pub cannot_block: bool,
    /// Every block_ns request.
    pub sleeps: Vec<u64>,
    pub random_bytes: u64,
    pub terminal: bool,
    /// When set, output is only counted (in `output_bytes`), not kept: for gigabyte writes.
    pub count_output_only: bool,
    pub output_bytes: u64,
    /// When set, write_stdio fails with this errno (a reader that went away).
    pub fail_writes: Option<Errno>,
}

pub struct FakeHost(pub Rc<RefCell<HostState>>);

impl Host for FakeHost {
    fn write_stdio(&mut self, fd: u32, data: &[u8]) -> Result<(), Errno> {
        let mut s = self.0.borrow_mut();
        if let Some(e) = s.fail_writes {
            return Err(e);
        }
        if s.count_output_only {
            s.output_bytes += data.len() as u64;
            return Ok(());
        }
        s.writes.push((fd, data.to_vec()));
        if fd == 1 {
            s.stdout.extend_from_slice(data);
        } else {
            s.stderr.extend_from_slice(data);
        }
        Ok(())
    }
    fn read_stdin(&mut self, buf: &mut [u8]) -> StdinRead {
        let mut s = self.0.borrow_mut();
        match s.stdin.pop_front() {
            Some(StdinRead::Data(_)) => {
                let data = s.stdin_data.pop_front().unwrap_or_default();
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                StdinRead::Data(n)
            }
            Some(other) => other,
            None => StdinRead::Eof,
        }
    }
    fn now_ns(&mut self, clock: Clock) -> u64 {
        let s = self.0.borrow();
        match clock {
            Clock::Realtime => s.realtime.saturating_add(s.monotonic),
            Clock::Monotonic => s.monotonic,
        }
    }
    fn random_fill(&mut self, buf: &mut [u8]) {
        let mut s = self.0.borrow_mut();
        for b in buf.iter_mut() {
            s.random_bytes += 1;
            *b = (s.random_bytes % 251) as u8 | 1;
        }
    }
    fn block_ns(&mut self, ns: u64) -> bool {
        let mut s = self.0.borrow_mut();
        if s.cannot_block {
            return false;
        }
        s.sleeps.push(ns);
        s.monotonic = s.monotonic.saturating_add(ns);
        true
    }
    fn event(&mut self, json: &str) {
        self.0.borrow_mut().events.push(json.to_string());
    }
    fn is_terminal(&mut self, _fd: u32) -> bool {
        self.0.borrow().terminal
    }
}

/// Where the harness places arguments in guest memory.
pub const SCRATCH: u32 = 0x1000;
pub const MEMORY_SIZE: usize = 1 << 16;

/// A context plus a guest memory and helpers that call p1 the way a guest would.
pub struct Guest {
    pub ctx: Ctx,
    pub mem: VecMemory,
    pub host: Rc<RefCell<HostState>>,
    pub fs: SharedFs,
    next: u32,
}

/// The errno behind a p1 return code (sentinels are not errnos).
pub fn errno(code: u32) -> Result<(), Errno> {
    assert!(code < 77, "not an errno: {code:#x}");
    match code {
        0 => Ok(()),
        n => Err(Errno::from_u16(n as u16).unwrap()),
    }
}

pub fn memfs() -> SharedFs {
    Rc::new(RefCell::new(MemFs::with_clock(Rc::new(|| {
        1_700_000_000_000_000_000
    }))))
}

impl Guest {
    /// A guest with one read-write preopen "/" (fd 3) over a fresh MemFs.
    pub fn new() -> Guest {
        Guest::with(|_| {})
    }

    /// Like `new`, letting the test adjust the config first (the preopen is already in it).
    pub fn with(adjust: impl FnOnce(&mut Config)) -> Guest {
        let fs = memfs();
        let root = fs.borrow().root();
        let mut config = Config {
            args: ["prog"].into_iter().collect(),
            preopens: vec![Preopen {
                guest_path: "/".into(),
                fs: fs.clone(),
                root,
                readonly: false,
            }],
            ..Config::default()
        };
        adjust(&mut config);
        let host = Rc::new(RefCell::new(HostState {
            realtime: 1_000_000_000_000,
            ..HostState::default()
        }));
        let ctx = Ctx::new(config, Box::new(FakeHost(host.clone()))).expect("valid config");
        Guest {
            ctx,
            mem: VecMemory(vec![0; MEMORY_SIZE]),
            host,
            fs,
            next: SCRATCH,
        }
    }

    /// Copies `bytes` into fresh scratch memory and returns (ptr, len).
    pub fn put(&mut self, bytes: &[u8]) -> (u32, u32) {
        let ptr = self.next;
        self.mem.write(ptr, bytes).unwrap();
        self.next = (ptr + bytes.len() as u32 + 7) & !7;
        (ptr, bytes.len() as u32)
    }

    /// Reserves `len` zeroed bytes of scratch memory.
    pub fn alloc(&mut self, len: u32) -> u32 {
        self.put(&vec![0; len as usize]).0
    }

    pub fn u32_at(&mut self, ptr: u32) -> u32 {
        self.mem.read_u32(ptr).unwrap()
    }

    pub fn u64_at(&mut self, ptr: u32) -> u64 {
        self.mem.read_u64(ptr).unwrap()
    }

    pub fn bytes_at(&mut self, ptr: u32, len: u32) -> Vec<u8> {
        self.mem.read_vec(ptr, len).unwrap()
    }

    pub fn open(
        &mut self,
        dir: u32,
        path: &str,
        oflags: u32,
        rights: u64,
        fdflags: u32,
    ) -> Result<u32, Errno> {
        self.open_follow(dir, 0, path, oflags, rights, fdflags)
    }

    pub fn open_follow(
        &mut self,
        dir: u32,
        lookup: u32,
        path: &str,
        oflags: u32,
        rights: u64,
        fdflags: u32,
    ) -> Result<u32, Errno> {
        let (p, l) = self.put(path.as_bytes());
        let out = self.alloc(4);
        errno(p1::path_open(
            &mut self.ctx,
            &mut self.mem,
            dir,
            lookup,
            p,
            l,
            oflags,
            rights,
            rights,
            fdflags,
            out,
        ))?;
        Ok(self.u32_at(out))
    }

    pub fn write(&mut self, fd: u32, data: &[u8]) -> Result<u32, Errno> {
        let (buf, len) = self.put(data);
        let (iov, _) = self.put(&[buf.to_le_bytes(), len.to_le_bytes()].concat());
        let out = self.alloc(4);
        errno(p1::fd_write(&mut self.ctx, &mut self.mem, fd, iov, 1, out))?;
        Ok(self.u32_at(out))
    }

    pub fn pwrite(&mut self, fd: u32, data: &[u8], offset: u64) -> Result<u32, Errno> {
        let (buf, len) = self.put(data);
        let (iov, _) = self.put(&[buf.to_le_bytes(), len.to_le_bytes()].concat());
        let out = self.alloc(4);
        errno(p1::fd_pwrite(
            &mut self.ctx,
            &mut self.mem,
            fd,
            iov,
            1,
            offset,
            out,
        ))?;
        Ok(self.u32_at(out))
    }

    pub fn read(&mut self, fd: u32, max: u32) -> Result<Vec<u8>, Errno> {
        let buf = self.alloc(max);
        let (iov, _) = self.put(&[buf.to_le_bytes(), max.to_le_bytes()].concat());
        let out = self.alloc(4);
        errno(p1::fd_read(&mut self.ctx, &mut self.mem, fd, iov, 1, out))?;
        let n = self.u32_at(out);
        Ok(self.bytes_at(buf, n))
    }

    pub fn seek(&mut self, fd: u32, offset: i64, whence: u32) -> Result<u64, Errno> {
        let out = self.alloc(8);
        errno(p1::fd_seek(
            &mut self.ctx,
            &mut self.mem,
            fd,
            offset,
            whence,
            out,
        ))?;
        Ok(self.u64_at(out))
    }

    pub fn mkdir(&mut self, dir: u32, path: &str) -> Result<(), Errno> {
        let (p, l) = self.put(path.as_bytes());
        errno(p1::path_create_directory(
            &mut self.ctx,
            &mut self.mem,
            dir,
            p,
            l,
        ))
    }

    pub fn symlink(&mut self, target: &str, dir: u32, path: &str) -> Result<(), Errno> {
        let (t, tl) = self.put(target.as_bytes());
        let (p, l) = self.put(path.as_bytes());
        errno(p1::path_symlink(
            &mut self.ctx,
            &mut self.mem,
            t,
            tl,
            dir,
            p,
            l,
        ))
    }

    pub fn unlink(&mut self, dir: u32, path: &str) -> Result<(), Errno> {
        let (p, l) = self.put(path.as_bytes());
        errno(p1::path_unlink_file(
            &mut self.ctx,
            &mut self.mem,
            dir,
            p,
            l,
        ))
    }

    pub fn rmdir(&mut self, dir: u32, path: &str) -> Result<(), Errno> {
        let (p, l) = self.put(path.as_bytes());
        errno(p1::path_remove_directory(
            &mut self.ctx,
            &mut self.mem,
            dir,
            p,
            l,
        ))
    }

    pub fn rename(&mut self, dir: u32, from: &str, to_dir: u32, to: &str) -> Result<(), Errno> {
        let (a, al) = self.put(from.as_bytes());
        let (b, bl) = self.put(to.as_bytes());
        errno(p1::path_rename(
            &mut self.ctx,
            &mut self.mem,
            dir,
            a,
            al,
            to_dir,
            b,
            bl,
        ))
    }

    pub fn link(
        &mut self,
        dir: u32,
        lookup: u32,
        from: &str,
        to_dir: u32,
        to: &str,
    ) -> Result<(), Errno> {
        let (a, al) = self.put(from.as_bytes());
        let (b, bl) = self.put(to.as_bytes());
        errno(p1::path_link(
            &mut self.ctx,
            &mut self.mem,
            dir,
            lookup,
            a,
            al,
            to_dir,
            b,
            bl,
        ))
    }

    /// The 64-byte filestat of `path`.
    pub fn stat(&mut self, dir: u32, lookup: u32, path: &str) -> Result<Vec<u8>, Errno> {
        let (p, l) = self.put(path.as_bytes());
        let buf = self.alloc(64);
        errno(p1::path_filestat_get(
            &mut self.ctx,
            &mut self.mem,
            dir,
            lookup,
            p,
            l,
            buf,
        ))?;
        Ok(self.bytes_at(buf, 64))
    }

    pub fn fdstat(&mut self, fd: u32) -> Result<Vec<u8>, Errno> {
        let buf = self.alloc(24);
        errno(p1::fd_fdstat_get(&mut self.ctx, &mut self.mem, fd, buf))?;
        Ok(self.bytes_at(buf, 24))
    }

    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        errno(p1::fd_close(&mut self.ctx, &mut self.mem, fd))
    }

    /// Writes a whole file through the MemFs directly (test set-up).
    pub fn create_file(&mut self, name: &str, data: &[u8]) {
        let mut fs = self.fs.borrow_mut();
        let root = fs.root();
        let f = fs.create_file(root, name.as_bytes()).unwrap();
        fs.write(f, 0, data).unwrap();
    }

    pub fn events(&self) -> Vec<String> {
        self.host.borrow().events.clone()
    }
}

pub fn u64_le(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

pub const RIGHTS_FD_READ: u64 = 1 << 1;
pub const RIGHTS_FD_SEEK: u64 = 1 << 2;
pub const RIGHTS_FD_TELL: u64 = 1 << 5;
pub const RIGHTS_FD_WRITE: u64 = 1 << 6;
pub const RW: u64 = RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK | RIGHTS_FD_TELL;
pub const O_CREAT: u32 = 1;
pub const O_DIRECTORY: u32 = 2;
pub const O_EXCL: u32 = 4;
pub const O_TRUNC: u32 = 8;
pub const FDFLAGS_APPEND: u32 = 1;
pub const FDFLAGS_NONBLOCK: u32 = 4;
pub const FOLLOW: u32 = 1;

/// A bump allocator over a region of the guest's memory, as a guest's `cabi_realloc`;
/// `answer` overrides what it returns (a hostile or broken guest).
pub struct Bump {
    pub next: u32,
    pub calls: Vec<(u32, u32)>,
    pub answer: Option<u32>,
}

impl Bump {
    pub fn new() -> Bump {
        Bump {
            next: 0x8000,
            calls: Vec::new(),
            answer: None,
        }
    }
}

impl Realloc for Bump {
    fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<u32, Trap> {
        assert_eq!((old_ptr, old_size), (0, 0), "Cove only allocates");
        self.calls.push((align, new_size));
        if let Some(answer) = self.answer {
            return Ok(answer);
        }
        let ptr = (self.next + align - 1) & !(align - 1);
        self.next = ptr + new_size;
        Ok(ptr)
    }
}

/// A p2 trap with `message`, as the dispatch returns it.
pub fn trap(message: &str) -> cove_core::p2::Stop {
    cove_core::p2::Stop::Trap(message.to_string().into())
}

/// An argument: usually a small number (fd, flag, short length), sometimes a pointer into or
/// just past the memory, sometimes anything at all.
pub fn hostile_arg(mem_len: u64) -> impl proptest::strategy::Strategy<Value = u64> {
    proptest::prop_oneof![
        4 => 0u64..10,
        3 => 0u64..mem_len + 64,
        1 => proptest::arbitrary::any::<u64>(),
        1 => proptest::strategy::Just(u32::MAX as u64),
    ]
}

/// A memory of random bytes biased towards small numbers and path characters, so iovecs,
/// lengths and paths are often plausible. Filled from a seed (cheap: proptest's own RNG per
/// byte would dominate the run time).
pub fn hostile_memory() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::strategy::Strategy;
    (64usize..2048, proptest::arbitrary::any::<u64>()).prop_map(|(len, seed)| {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                match x % 7 {
                    0..=2 => (x >> 8) as u8 % 8,
                    3 => b'a',
                    4 => b'.',
                    5 => b'/',
                    _ => (x >> 16) as u8,
                }
            })
            .collect()
    })
}

/// The context the property tests run on: "/" and "/ro" (read-only) over one MemFs holding
/// a directory, a file and a symlink, stdin "input".
pub fn prop_context(trace: bool) -> (Ctx, SharedFs) {
    let fs = memfs();
    let root = {
        let mut f = fs.borrow_mut();
        let root = f.root();
        f.create_dir(root, b"a").unwrap();
        let file = f.create_file(root, b"\x01").unwrap();
        f.write(file, 0, b"content").unwrap();
        f.symlink(root, b"\x02", b"a").unwrap();
        root
    };
    let config = cove_core::host::Config {
        args: ["prog", "ü"].into_iter().collect(),
        env: cove_core::host::StringList::from_pairs([("K", "V")]),
        preopens: vec![
            Preopen {
                guest_path: "/".into(),
                fs: fs.clone(),
                root,
                readonly: false,
            },
            Preopen {
                guest_path: "/ro".into(),
                fs: fs.clone(),
                root,
                readonly: true,
            },
        ],
        stdin: cove_core::host::Stdin::Bytes(b"input".to_vec()),
        trace,
        ..cove_core::host::Config::default()
    };
    let ctx = Ctx::new(config, Box::new(FakeHost(Default::default()))).unwrap();
    (ctx, fs)
}
