//! The host model: the embedder's environment ([`Host`]), the start-up [`Config`], the
//! per-guest context [`Ctx`], and the version-neutral operations every ABI translates onto
//! (docs/design.md, "Components and WASI preview 2"): filesystem operations on paths with
//! resolution, read-only checks, limits and denial events (`fs`), file data (`file`), the
//! standard streams (`streams`, buffered in `stdio`), pollables (`poll`), a handle table
//! (`table`), clocks and random. They fail with [`error::Error`], which each ABI maps to its
//! own codes. Nothing here knows an ABI's structs or numbering: guest memory is reached as
//! plain ranges (`memory::Segments`).
use crate::errno::Errno;
use crate::policy::Policy;
use crate::vfs::{Ino, SharedFs};

pub mod clock;
pub mod error;
pub mod file;
pub mod fs;
pub mod poll;
pub mod random;
pub mod stdio;
pub mod streams;
pub mod strings;
pub mod table;

pub(crate) mod ctx;
pub use ctx::{Ctx, Wait};
pub use strings::StringList;

/// Which host clock to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// Wall-clock time, nanoseconds since the Unix epoch.
    Realtime,
    /// A monotonic clock, nanoseconds since an arbitrary fixed point.
    Monotonic,
}

/// The outcome of one [`Host::read_stdin`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinRead {
    /// `n > 0` bytes were written to the start of the buffer.
    Data(usize),
    /// End of input.
    Eof,
    /// No data now and the host cannot wait synchronously (the p1 call returns `BLOCKED`).
    WouldBlock,
    Error(Errno),
}

/// The embedder's environment. crate/wasm implements it with numeric JS imports; native tests
/// implement it with a fake. Every method is called synchronously from inside a guest call.
pub trait Host {
    /// Deliver stdout (`fd` 1) or stderr (`fd` 2) bytes. Stdout arrives batched (see [`Ctx::flush`]).
    fn write_stdio(&mut self, fd: u32, data: &[u8]) -> Result<(), Errno>;
    /// Read host stdin (only used with [`Stdin::Host`]).
    fn read_stdin(&mut self, buf: &mut [u8]) -> StdinRead;
    /// Real host time in nanoseconds (the policy may freeze or shift it on top).
    fn now_ns(&mut self, clock: Clock) -> u64;
    /// Fill `buf` with cryptographically secure random bytes (any length; split as needed).
    fn random_fill(&mut self, buf: &mut [u8]);
    /// Sleep up to `ns` nanoseconds. `false` means the host cannot block synchronously here
    /// (the p1 call then returns `BLOCKED` so an async caller can await and retry).
    fn block_ns(&mut self, ns: u64) -> bool;
    /// A structured event: one JSON object (`{"type":"denied",…}` or `{"type":"trace",…}`).
    fn event(&mut self, json: &str);
    /// Is stdio `fd` (0–2) a terminal? Reported as a character device, so `isatty` is true.
    fn is_terminal(&mut self, _fd: u32) -> bool {
        false
    }
}

/// Where the guest's stdin comes from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Stdin {
    /// Fixed bytes given at start-up (a string or Uint8Array in the JS API); EOF after them.
    Bytes(Vec<u8>),
    /// Read through [`Host::read_stdin`].
    Host,
    /// Immediately at EOF.
    #[default]
    Closed,
}

/// One preopened directory: `fs`'s node `root` appears to the guest as `guest_path`.
#[derive(Clone)]
pub struct Preopen {
    /// The name the guest sees from `fd_prestat_dir_name`, e.g. `/data` or `.`.
    pub guest_path: String,
    pub fs: SharedFs,
    /// The directory node of `fs` that is the mount's root.
    pub root: Ino,
    /// Writes, creation, truncation, renames, links and deletions under it are denied.
    pub readonly: bool,
}

/// Everything a guest context is built from. Build it with struct-update syntax over
/// `Config::default()`; [`Ctx::new`] checks it.
#[derive(Clone, Default)]
pub struct Config {
    /// argv, argv[0] included; bytes are passed through as given (UTF-8 from JS).
    pub args: StringList,
    /// Variables granted explicitly (node:wasi's `env` option), always passed to the guest:
    /// name, value, name, value…
    pub env: StringList,
    /// The host's own environment, laid out like `env`: only names in `policy.env.allow`
    /// reach the guest.
    pub host_env: StringList,
    /// Preopens in order; they become fds 3, 4, …
    pub preopens: Vec<Preopen>,
    pub stdin: Stdin,
    /// Clocks, random, limits, denial log, env allow-list/set. (Mounts are turned into
    /// `preopens` by the embedder.)
    pub policy: Policy,
    /// Emit one `{"type":"trace"}` event per p1 call.
    pub trace: bool,
}
