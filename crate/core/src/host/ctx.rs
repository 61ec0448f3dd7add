//! [`Ctx`]: one guest's whole host-side state.
use super::clock::Clocks;
use super::error::{Error, Limit};
use super::fs::{borrow_fs, Node};
use super::random::Random;
use super::stdio::{StdinState, StdoutBuffering};
use super::{Config, Host, StringList};
use crate::errno::Errno;
use crate::json::quote;
use crate::policy::{ClockPolicy, LogPolicy, Policy, RandomPolicy};
use crate::vfs::{FileType, Filesystem, SharedFs};

/// What a call that returned `BLOCKED` was waiting for, so an async embedder knows what to
/// await before calling again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Time to pass: `ns` nanoseconds of host time.
    Sleep { ns: u64 },
    /// Stdin to have data or reach EOF, or `timeout_ns` of host time to pass (None: no limit).
    Stdin { timeout_ns: Option<u64> },
}

/// One guest's host-side state: descriptors, stdio, clocks, random, limits, counters.
pub struct Ctx {
    pub(crate) host: Box<dyn Host>,
    /// argv, as args_get lays it out.
    pub(crate) args: StringList,
    /// `NAME=value` strings, as environ_get lays them out.
    pub(crate) env: StringList,
    /// The preopened directories in order, with the name the guest knows each by.
    pub(crate) preopens: Vec<(std::rc::Rc<str>, Node)>,
    /// What only p1 keeps per guest: its descriptor table (rights, positions, listings) and a
    /// blocked poll's deadlines. Defined by p1; the host model never looks inside.
    pub(crate) p1: crate::p1::State,
    /// p2's handle table (descriptors, streams, pollables…), likewise p2's own.
    #[cfg(feature = "p2")]
    pub(crate) p2: crate::p2::State,
    pub(crate) stdin: StdinState,
    pub(crate) stdout_buf: Vec<u8>,
    pub(crate) clocks: Clocks,
    pub(crate) random: Random,
    /// wasi:random/insecure-seed's answer, once drawn.
    pub(crate) insecure_seed: Option<(u64, u64)>,
    pub(crate) policy: Policy,
    pub(crate) trace: bool,
    /// Block, line or no buffering (see host/stdio.rs).
    pub(crate) stdout_buffering: StdoutBuffering,
    /// A failed flush that no stdout write has reported yet (`flush_before_other_work`).
    pub(crate) stdout_error: Option<Errno>,
    /// Where file data passes between the guest and a filesystem (`take_scratch`).
    scratch: Vec<u8>,
    /// Bytes written to files so far (limits.written_bytes).
    pub(crate) written_bytes: u64,
    pub(crate) exit_code: Option<u32>,
    pub(crate) wait: Option<Wait>,
}

impl Ctx {
    /// Builds a context: fds 0–2 are stdio, preopens follow from fd 3 in order. Fails (with a
    /// message naming the problem) for a bad policy, a preopen whose root is not a directory,
    /// or an argument / variable that a C string cannot carry.
    pub fn new(config: Config, mut host: Box<dyn Host>) -> Result<Ctx, String> {
        if !config.args.is_well_formed() {
            return Err("an argument contains a NUL byte (a C string cannot carry one)".into());
        }
        let env = build_env(&config)?;

        let mut preopens = Vec::with_capacity(config.preopens.len());
        let mut filesystems: Vec<crate::vfs::SharedFs> = Vec::new();
        for preopen in config.preopens {
            let dev = match filesystems
                .iter()
                .position(|fs| std::rc::Rc::ptr_eq(fs, &preopen.fs))
            {
                Some(i) => i as u64 + 1,
                None => {
                    filesystems.push(preopen.fs.clone());
                    filesystems.len() as u64
                }
            };
            let is_dir = preopen
                .fs
                .try_borrow_mut()
                .map_err(|_| "preopen filesystem is busy".to_string())?
                .metadata(preopen.root)
                .map(|m| m.filetype == FileType::Directory)
                .map_err(|e| format!("preopen {}: {}", preopen.guest_path, e))?;
            let _ = preopen
                .fs
                .try_borrow_mut()
                .map(|mut fs| fs.opened(preopen.root, false));
            if !is_dir {
                return Err(format!("preopen {}: not a directory", preopen.guest_path));
            }
            let name: std::rc::Rc<str> = preopen.guest_path.as_str().into();
            let node = Node {
                fs: preopen.fs,
                dev,
                ino: preopen.root,
                guest_path: name.clone(),
                readonly: preopen.readonly,
            };
            preopens.push((name, node));
        }
        let p1 = crate::p1::State::new(&preopens)?;

        let clocks = Clocks::new(config.policy.clock, host.as_mut());
        Ok(Ctx {
            host,
            args: config.args,
            env,
            preopens,
            p1,
            #[cfg(feature = "p2")]
            p2: crate::p2::State::default(),
            stdin: StdinState::new(config.stdin),
            stdout_buf: Vec::with_capacity(super::stdio::STDOUT_BATCH),
            clocks,
            random: Random::new(config.policy.random),
            insecure_seed: None,
            trace: config.trace,
            stdout_buffering: StdoutBuffering::Undecided,
            stdout_error: None,
            scratch: Vec::new(),
            policy: config.policy,
            written_bytes: 0,
            exit_code: None,
            wait: None,
        })
    }

    /// The code passed to `proc_exit`, once a p1 call has returned `EXIT`.
    pub fn exit_code(&self) -> Option<u32> {
        self.exit_code
    }

    /// What the last call that returned `BLOCKED` waits for.
    pub fn wait(&self) -> Option<Wait> {
        self.wait
    }

    /// The embedder cannot wait (no JSPI, no Atomics): a p2 call that would block gives the
    /// fallback answer of docs/engine-abi.md ("Preview 2") instead of `Blocked`.
    #[cfg(feature = "p2")]
    pub fn p2_cannot_wait(&mut self) {
        self.p2.cannot_wait = true;
    }

    /// Whether trace events are on (p1 formats a line per call only then).
    pub fn tracing(&self) -> bool {
        self.trace
    }

    /// Whether `clock_time_get`'s answer is the host's own clock reading, with nothing for the
    /// engine to add (no frozen or virtual time, no trace line): the embedder may then answer
    /// it without crossing into the engine (docs/engine-abi.md, "Answered by the host").
    pub fn host_answers_clocks(&self) -> bool {
        self.policy.clock == ClockPolicy::Real && !self.trace
    }

    /// Likewise for `random_get`: crypto random (not a seeded generator), no trace line.
    pub fn host_answers_random(&self) -> bool {
        self.policy.random == RandomPolicy::Crypto && !self.trace
    }

    /// The preopened directories in order, each with the name the guest knows it by (p1 makes
    /// them fds 3, 4, …; p2's `wasi:filesystem/preopens` lists them).
    pub fn preopens(&self) -> &[(std::rc::Rc<str>, Node)] {
        &self.preopens
    }

    /// The policy this context enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Reports a denial to the host (when the policy's log level asks for it).
    pub(crate) fn denied(&mut self, op: &str, path: &str, reason: &str) {
        if self.policy.log == LogPolicy::None {
            return;
        }
        let json = format!(
            "{{\"type\":\"denied\",\"op\":{},\"path\":{},\"reason\":{}}}",
            quote(op),
            quote(path),
            quote(reason)
        );
        self.event(&json);
    }

    /// A refusal because the policy's `limit` was reached: reported as a denial, and the errno
    /// the guest gets.
    pub(crate) fn over_limit(&mut self, op: &str, path: &str, limit: Limit) -> Error {
        let reason = match limit {
            Limit::OpenFiles => "open files limit (limits.openFiles)",
            Limit::FileBytes => "file size limit (limits.fileBytes)",
            Limit::WrittenBytes => "written bytes limit (limits.writtenBytes)",
            Limit::Memory => "memory limit (limits.memory)",
        };
        self.denied(op, path, reason);
        Error::Limit(limit)
    }

    /// Makes a change a guest asked for to `fs`, held to the guest's `limits.memory` for that
    /// change only, so a MemFS shared by guests with different policies, or written by the host,
    /// is held to each one's limit on its own changes (docs/limits.md). When a filesystem that
    /// enforces the limit refuses with EDQUOT, and `report`, that is a denial of `op` on `path()`;
    /// an EDQUOT a host backend passes on (a real disk quota) stays the host's own errno.
    pub(crate) fn change_fs<T>(
        &mut self,
        fs: &SharedFs,
        op: &str,
        report: bool,
        path: impl FnOnce() -> String,
        change: impl FnOnce(&mut dyn Filesystem) -> crate::errno::Result<T>,
    ) -> super::error::Result<T> {
        let (result, enforced) = {
            let mut fs = borrow_fs(fs)?;
            let enforced = fs.set_memory_limit(self.policy.limits.memory);
            let result = change(&mut *fs);
            fs.set_memory_limit(u64::MAX);
            (result, enforced)
        };
        match result {
            Err(Errno::Dquot) if enforced && report => {
                Err(self.over_limit(op, &path(), Limit::Memory))
            }
            other => Ok(other?),
        }
    }

    /// Emits a trace event carrying `line`.
    pub(crate) fn trace_line(&mut self, line: &str) {
        let json = format!("{{\"type\":\"trace\",\"line\":{}}}", quote(line));
        self.event(&json);
    }

    /// Hands one JSON event to the host after any held stdout, so a host that prints events
    /// where stdout goes (`cove run --trace 2>&1`) keeps them in the guest's order.
    pub(crate) fn event(&mut self, json: &str) {
        self.flush_before_other_work();
        self.host.event(json);
    }
}

impl Drop for Ctx {
    /// Closes every descriptor, so shared filesystems can free nodes this guest held open.
    /// (A preopen is held once, by its p1 descriptor, which releases it when closed.)
    fn drop(&mut self) {
        self.p1.fds.close_all();
        #[cfg(feature = "p2")]
        self.p2.close_all();
    }
}

impl Ctx {
    /// A buffer of at least `len` bytes for file data on its way between the guest and a
    /// filesystem, reused from call to call: allocating and zeroing a fresh 64 KiB on every
    /// read and write of a large file was a measurable part of copying it. Give it back with
    /// `return_scratch`.
    /// `ENOMEM` when the buffer cannot grow to `len` (callers bound `len` by `IO_CHUNK`).
    pub(crate) fn take_scratch(&mut self, len: usize) -> Result<Vec<u8>, Errno> {
        let mut scratch = std::mem::take(&mut self.scratch);
        if let Err(e) = crate::bounded::grow_zeroed(&mut scratch, len) {
            self.scratch = scratch;
            return Err(e);
        }
        Ok(scratch)
    }

    pub(crate) fn return_scratch(&mut self, scratch: Vec<u8>) {
        self.scratch = scratch;
    }
}

/// The guest's environment: explicit variables, then allowed host variables, then the policy's
/// `set` (a later definition of a name replaces an earlier one, keeping its position).
///
/// Not inlined, and neither is the other loop over every argument and variable (strings.rs
/// `nul_offsets`): a loop makes its function hot, and V8 then recompiles that whole function
/// with its optimising tier. Had this loop been inlined into `Ctx::new`, the recompile of that
/// large function would take 13–20 ms, during which Node's event loop waited (measured:
/// `setImmediate` after a `new WASI` with 1,000 variables ran 20 ms late).
#[inline(never)]
fn build_env(config: &Config) -> Result<StringList, String> {
    for list in [&config.env, &config.host_env] {
        if !list.is_well_formed() || list.len() % 2 != 0 {
            return Err("an environment variable's name or value contains a NUL byte (a C string cannot carry one)".into());
        }
    }
    let host = pairs(&config.host_env).filter(|(name, _)| config.policy.env_allowed(name));
    let set = config
        .policy
        .env
        .set
        .iter()
        .map(|(name, value)| (name.as_bytes(), value.as_bytes()));
    let most = config.env.len() / 2 + config.host_env.len() / 2 + config.policy.env.set.len();
    let mut index = EnvIndex::new(most);
    // The lists are well-formed (no NUL inside a string); the policy's strings are checked here.
    if let Some((name, _)) = config
        .policy
        .env
        .set
        .iter()
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
    {
        return Err(unpassable_variable(name.as_bytes()));
    }
    for (name, value) in pairs(&config.env).chain(host).chain(set) {
        if name.is_empty() || name.contains(&b'=') {
            return Err(unpassable_variable(name));
        }
        index.define(name, value);
    }
    Ok(index.pack())
}

/// Variables by name: where each name is in `vars`, by hash (open addressing). 1,000 variables
/// cost a tree of names some 10,000 comparisons, the largest part of `new WASI` with a big
/// environment. `define` is out of line so that `build_env`, whose loop calls it, stays small
/// for V8 to recompile when it gets hot.
struct EnvIndex<'a> {
    vars: Vec<(&'a [u8], &'a [u8])>,
    slots: Vec<u32>,
    bits: u32,
}

impl<'a> EnvIndex<'a> {
    fn new(most: usize) -> EnvIndex<'a> {
        let slot_count = (most * 2).next_power_of_two().max(8);
        EnvIndex {
            vars: Vec::with_capacity(most),
            slots: vec![u32::MAX; slot_count],
            bits: slot_count.trailing_zeros(),
        }
    }

    /// The variables as `NAME=value` strings.
    #[inline(never)]
    fn pack(self) -> StringList {
        let mut packed = Vec::with_capacity(
            self.vars
                .iter()
                .map(|(name, value)| name.len() + value.len() + 2)
                .sum(),
        );
        let mut nuls = Vec::with_capacity(self.vars.len());
        for (name, value) in &self.vars {
            packed.extend_from_slice(name);
            packed.push(b'=');
            packed.extend_from_slice(value);
            nuls.push(packed.len());
            packed.push(0);
        }
        StringList::from_parts(packed, nuls)
    }

    /// Adds a variable, or gives an existing one its new value (keeping its position).
    #[inline(never)]
    fn define(&mut self, name: &'a [u8], value: &'a [u8]) {
        let mask = self.slots.len() - 1;
        // The product's high bits depend on every byte of the name; its low bits only on the
        // low bytes (names like BENCH_1…BENCH_999 then all collided).
        let mut slot = (name_hash(name) >> (64 - self.bits)) as usize;
        loop {
            match self.slots[slot] {
                u32::MAX => {
                    self.slots[slot] = self.vars.len() as u32;
                    self.vars.push((name, value));
                    return;
                }
                i if self.vars[i as usize].0 == name => {
                    self.vars[i as usize].1 = value;
                    return;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

/// The error for a variable a C string cannot carry. Out of line: the formatting machinery
/// would otherwise be part of `build_env`, which V8 may recompile (see above).
#[inline(never)]
#[cold]
fn unpassable_variable(name: &[u8]) -> String {
    format!(
        "environment variable {} cannot be passed (empty name, '=' in the name or a NUL byte)",
        quote(&String::from_utf8_lossy(name))
    )
}

/// A list of name, value, name, value… as pairs.
fn pairs(list: &StringList) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut strings = list.iter();
    std::iter::from_fn(move || Some((strings.next()?, strings.next()?)))
}

/// Multiplicative hashing, eight bytes per step (a byte at a time kept `build_env` busy long
/// enough for V8 to recompile it, see above): use the high bits.
fn name_hash(name: &[u8]) -> u64 {
    let mut hash = name.len() as u64;
    for chunk in name.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash =
            (hash.rotate_left(29) ^ u64::from_le_bytes(word)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::name_hash;

    #[test]
    fn similar_variable_names_spread_over_the_slots() {
        // Names that differ only in their last bytes, as build_env indexes them (high bits).
        let bits = 11;
        let mut used = std::collections::BTreeSet::new();
        for i in 0..1000 {
            used.insert(name_hash(format!("BENCH_{i}").as_bytes()) >> (64 - bits));
        }
        assert!(
            used.len() > 700,
            "1,000 names landed in only {} of 2,048 slots",
            used.len()
        );
    }
}
