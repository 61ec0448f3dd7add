//! Fuzzes the whole p1 dispatch: random sequences of calls, with arbitrary arguments, against
//! guest memories of every size up to wasm32's 4 GiB whose first bytes are random too. Each
//! call must return an errno or a sentinel (no panic), and must not make the engine hold more
//! than `CALL_ALLOCATION_BOUND` bytes beyond what it held before (crate/core/src/bounded.rs).
//!
//! `cargo test` runs a short version (CI); `npm run fuzz` runs `long_run` for
//! COVE_FUZZ_SECONDS (default 600) and prints how many cases and calls ran.
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use cove_core::errno::Errno;
use cove_core::host::{Clock, Config, Ctx, Host, Preopen, Stdin, StdinRead};
use cove_core::memory::{GuestMemory, SparseMemory};
use cove_core::p1;
use cove_core::policy::Policy;
use cove_core::vfs::mem::MemFs;
use cove_core::vfs::SharedFs;
use cove_fuzz::CountingAlloc;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The most one p1 call may allocate and keep live at once (a 65,536-subscription poll is the
/// largest: ~11 MiB; file data is capped by the policy below).
const CALL_ALLOCATION_BOUND: usize = 24 << 20;

/// A host that answers at once: output is counted, stdin has a little data then EOF, sleeping
/// just moves its clock.
struct FuzzHost {
    now: u64,
    stdin: Vec<u8>,
    output: usize,
}

impl Host for FuzzHost {
    fn write_stdio(&mut self, _fd: u32, data: &[u8]) -> Result<(), Errno> {
        self.output += data.len();
        Ok(())
    }
    fn read_stdin(&mut self, buf: &mut [u8]) -> StdinRead {
        if self.stdin.is_empty() {
            return StdinRead::Eof;
        }
        let n = buf.len().min(self.stdin.len());
        buf[..n].copy_from_slice(&self.stdin[..n]);
        self.stdin.drain(..n);
        StdinRead::Data(n)
    }
    fn now_ns(&mut self, _clock: Clock) -> u64 {
        self.now += 1;
        self.now
    }
    fn random_fill(&mut self, buf: &mut [u8]) {
        buf.fill(0x5a);
    }
    fn block_ns(&mut self, ns: u64) -> bool {
        self.now = self.now.saturating_add(ns);
        true
    }
    fn event(&mut self, _json: &str) {}
}

#[derive(Clone, Debug)]
struct Case {
    /// Guest memory size.
    size: u64,
    /// Bytes laid over the template at the start of memory.
    bytes: Vec<u8>,
    at: u32,
    trace: bool,
    host_stdin: bool,
    calls: Vec<(usize, Vec<u64>)>,
}

/// The start of every guest memory: names, an iovec array and a subscription the random bytes
/// then partly overwrite, so calls reach past the argument checks.
fn template() -> Vec<u8> {
    let mut t = vec![0u8; 4096];
    let mut put = |at: usize, b: &[u8]| t[at..at + b.len()].copy_from_slice(b);
    put(0x100, b"file.txt");
    put(0x140, b"dir/sub");
    put(0x180, b"../outside");
    put(0x1c0, b"link");
    // Iovecs at 0x200: (0x300, 16), (0x400, 4096 - 0x400), (0, 1 << 31).
    for (i, (p, l)) in [(0x300u32, 16u32), (0x400, 3072), (0, 1 << 31)]
        .iter()
        .enumerate()
    {
        put(0x200 + 8 * i, &p.to_le_bytes());
        put(0x204 + 8 * i, &l.to_le_bytes());
    }
    put(0x300, b"hello, fuzzed fs");
    // A subscription at 0x800: fd_read of stdin (tag 1, fd 0).
    put(0x808, &[1]);
    t
}

fn arg() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0u64..16,                                  // fds, flags, small lengths
        4 => prop::sample::select(vec![0x100u64, 0x140, 0x180, 0x1c0, 0x200, 0x300, 0x800, 0xf00]),
        2 => 0u64..4096,                                // pointers into the template
        1 => (1u64 << 31) - 64..(1u64 << 31) + 64,      // around 2 GiB
        1 => (1u64 << 32) - 4096..1u64 << 32,           // the top of the address space
        3 => prop::sample::select(vec![1u64 << 16, (1 << 16) + 1, 1 << 20, 40_000_000, 1 << 28, 1 << 29]),
        1 => any::<u64>(),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let size = prop::sample::select(vec![4096u64, 1 << 16, 1 << 20, (1 << 31) + 4096, 1 << 32]);
    let call = (0..p1::NAMES.len(), prop::collection::vec(arg(), 9));
    (
        size,
        prop::collection::vec(any::<u8>(), 0..256),
        0u32..3840,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(call, 1..24),
    )
        .prop_map(|(size, bytes, at, trace, host_stdin, calls)| Case {
            size,
            bytes,
            at,
            trace,
            host_stdin,
            calls,
        })
}

fn context(case: &Case) -> Ctx {
    let fs: SharedFs = Rc::new(RefCell::new(MemFs::with_clock(Rc::new(|| 1))));
    let root = fs.borrow().root();
    {
        let mut f = fs.borrow_mut();
        let file = f.create_file(root, b"file.txt").unwrap();
        f.write(file, 0, b"some data").unwrap();
        f.create_dir(root, b"dir").unwrap();
        f.symlink(root, b"link", b"file.txt").unwrap();
    }
    let policy = Policy::from_json(
        r#"{"limits":{"fileBytes":1048576,"writtenBytes":4194304,"openFiles":64}}"#,
    )
    .unwrap();
    let config = Config {
        args: ["fuzz", "arg"].into_iter().collect(),
        preopens: vec![
            Preopen {
                guest_path: "/".into(),
                fs: fs.clone(),
                root,
                readonly: false,
            },
            Preopen {
                guest_path: "/ro".into(),
                fs,
                root,
                readonly: true,
            },
        ],
        stdin: if case.host_stdin {
            Stdin::Host
        } else {
            Stdin::Bytes(b"line\n".to_vec())
        },
        policy,
        trace: case.trace,
        ..Config::default()
    };
    let host = FuzzHost {
        now: 0,
        stdin: b"from the host\n".to_vec(),
        output: 0,
    };
    Ctx::new(config, Box::new(host)).expect("valid config")
}

/// Runs one case; Err describes the first broken property.
fn run_case(case: &Case, calls: &Cell<u64>) -> Result<(), TestCaseError> {
    let mut ctx = context(case);
    let mut mem = SparseMemory::new(case.size, 4096);
    let mut start = template();
    let at = case.at as usize;
    let n = case.bytes.len().min(start.len() - at);
    start[at..at + n].copy_from_slice(&case.bytes[..n]);
    mem.write(0, &start[..(case.size as usize).min(4096)])
        .unwrap();
    for (index, args) in &case.calls {
        let before = cove_fuzz::live();
        cove_fuzz::reset_peak();
        let code = p1::call_by_index(&mut ctx, &mut mem, *index, args).expect("index in range");
        let grew = cove_fuzz::peak().saturating_sub(before);
        calls.set(calls.get() + 1);
        let name = p1::NAMES[*index];
        prop_assert!(
            code < 77 || code == p1::EXIT || code == p1::BLOCKED,
            "{name}{args:?} returned {code:#x}"
        );
        prop_assert!(
            grew <= CALL_ALLOCATION_BOUND,
            "{name}{args:?} allocated {grew} bytes"
        );
        if code == p1::EXIT {
            break;
        }
    }
    let _ = ctx.flush();
    Ok(())
}

/// Runs cases until `budget` is spent (or `max_cases`); returns (cases, calls).
fn fuzz(budget: Duration, max_cases: u64) -> (u64, u64) {
    let started = Instant::now();
    let (mut cases, calls) = (0u64, Cell::new(0u64));
    while started.elapsed() < budget && cases < max_cases {
        // A runner runs its `cases` once; each batch gets a fresh one (and a fresh seed).
        let mut runner = TestRunner::new(RunnerConfig {
            cases: 64,
            failure_persistence: None,
            ..RunnerConfig::default()
        });
        let result = runner.run(&case(), |case| run_case(&case, &calls));
        if let Err(e) = result {
            panic!("after {cases} cases: {e}");
        }
        cases += 64;
    }
    (cases, calls.get())
}

#[test]
fn p1_dispatch_short() {
    let (cases, calls) = fuzz(Duration::from_secs(20), 2048);
    eprintln!("p1 fuzz: {cases} cases, {calls} calls");
}

#[test]
#[ignore = "long: npm run fuzz"]
fn p1_dispatch_long() {
    let seconds = std::env::var("COVE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let (cases, calls) = fuzz(Duration::from_secs(seconds), u64::MAX);
    println!("p1 fuzz: {cases} cases, {calls} calls in {seconds} s");
}
