//! Standard streams: stdout batching and the stdin source.
//!
//! Stdout is collected in a 16 KiB buffer and handed to the host in batches (one host call per
//! batch instead of per `fd_write`; see BOUNDARY.md. 4 KiB batches cost 100,000 small writes
//! 800 host calls, each handing the embedder a fresh copy). It is flushed before any stderr write,
//! before stdin is read or the guest blocks, at exit ([`Ctx::flush`]), and when a write would
//! overflow it, so the host sees output in the order the guest produced it.
use super::{Ctx, Stdin, StdinRead};
use crate::errno::{Errno, Result};

/// Stdout bytes held back before the host sees them.
pub const STDOUT_BATCH: usize = 16384;

/// The largest write [`Ctx::write_stdio_with`] takes (a stack buffer when it cannot batch).
pub const SMALL_WRITE_MAX: usize = 1024;

/// Where stdin bytes come from, plus what has been read ahead (poll_oneoff probes the host
/// by reading; the bytes wait here for the next fd_read).
#[derive(Debug, Default)]
pub struct StdinState {
    source: StdinSourceState,
    /// Bytes read from the host but not yet given to the guest.
    ahead: Vec<u8>,
    /// The host reported end of input.
    eof: bool,
}

#[derive(Debug, Default)]
enum StdinSourceState {
    Bytes {
        data: Vec<u8>,
        pos: usize,
    },
    Host,
    #[default]
    Closed,
}

/// Whether stdin can be read without waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinReadiness {
    /// Data or EOF is available: a read returns at once.
    Ready,
    /// Nothing yet.
    NotReady,
    Error(Errno),
}

impl StdinState {
    pub fn new(stdin: Stdin) -> StdinState {
        let source = match stdin {
            Stdin::Bytes(data) => StdinSourceState::Bytes { data, pos: 0 },
            Stdin::Host => StdinSourceState::Host,
            Stdin::Closed => StdinSourceState::Closed,
        };
        StdinState {
            source,
            ahead: Vec::new(),
            eof: false,
        }
    }
}

/// Outcome of a stdin read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinOutcome {
    /// `n` bytes copied (0 = EOF).
    Read(usize),
    /// Nothing available and the host cannot wait synchronously.
    WouldBlock,
}

impl Ctx {
    /// Hands any batched stdout to the host. Call it at exit, on trap, and whenever control
    /// returns to the embedder's event loop.
    pub fn flush(&mut self) -> Result<()> {
        if self.stdout_buf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.stdout_buf);
        let result = self.host.write_stdio(1, &data);
        self.stdout_buf = data;
        self.stdout_buf.clear();
        result
    }

    /// From now on, hands stdout to the host on every write (after flushing what is held).
    /// For a host fd (a terminal or a pipe shows output as the guest makes it) and for a
    /// reactor, whose exports return to the embedder with no exit to flush at.
    pub fn unbuffer_stdout(&mut self) -> Result<()> {
        self.stdout_unbuffered = true;
        self.flush()
    }

    /// Writes guest bytes to stdout (batched) or stderr (flushing stdout first).
    pub(crate) fn write_stdio(&mut self, fd: u32, data: &[u8]) -> Result<()> {
        if fd != 1 || self.stdout_unbuffered {
            self.flush()?;
            return self.host.write_stdio(fd, data);
        }
        if self.stdout_buf.len() + data.len() > STDOUT_BATCH {
            self.flush()?;
        }
        if data.len() >= STDOUT_BATCH {
            self.host.write_stdio(1, data)
        } else {
            self.stdout_buf.extend_from_slice(data);
            Ok(())
        }
    }

    /// Writes `len` bytes (at most [`SMALL_WRITE_MAX`]) that `fill` produces: straight into
    /// the stdout batch when there is room, else through a stack buffer and `write_stdio`.
    /// Nothing is written when `fill` fails.
    pub(crate) fn write_stdio_with(
        &mut self,
        fd: u32,
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<()>,
    ) -> Result<()> {
        if fd == 1 && !self.stdout_unbuffered && self.stdout_buf.len() + len <= STDOUT_BATCH {
            let start = self.stdout_buf.len();
            self.stdout_buf.resize(start + len, 0);
            let filled = fill(&mut self.stdout_buf[start..]);
            if filled.is_err() {
                self.stdout_buf.truncate(start);
            }
            return filled;
        }
        let mut buf = [0u8; SMALL_WRITE_MAX];
        let buf = buf.get_mut(..len).ok_or(Errno::Inval)?;
        fill(buf)?;
        self.write_stdio(fd, buf)
    }

    /// Reads stdin into `buf` without waiting beyond what the host itself does.
    pub(crate) fn read_stdin(&mut self, buf: &mut [u8]) -> Result<StdinOutcome> {
        if buf.is_empty() {
            return Ok(StdinOutcome::Read(0));
        }
        if !self.stdin.ahead.is_empty() {
            let n = buf.len().min(self.stdin.ahead.len());
            buf[..n].copy_from_slice(&self.stdin.ahead[..n]);
            self.stdin.ahead.drain(..n);
            return Ok(StdinOutcome::Read(n));
        }
        match &mut self.stdin.source {
            StdinSourceState::Closed => Ok(StdinOutcome::Read(0)),
            StdinSourceState::Bytes { data, pos } => {
                let rest = data.get(*pos..).unwrap_or(&[]);
                let n = buf.len().min(rest.len());
                buf[..n].copy_from_slice(&rest[..n]);
                *pos += n;
                Ok(StdinOutcome::Read(n))
            }
            StdinSourceState::Host => {
                if self.stdin.eof {
                    return Ok(StdinOutcome::Read(0));
                }
                self.flush()?;
                match self.host.read_stdin(buf) {
                    StdinRead::Data(n) => Ok(StdinOutcome::Read(n.min(buf.len()))),
                    StdinRead::Eof => {
                        self.stdin.eof = true;
                        Ok(StdinOutcome::Read(0))
                    }
                    StdinRead::WouldBlock => Ok(StdinOutcome::WouldBlock),
                    StdinRead::Error(e) => Err(e),
                }
            }
        }
    }

    /// Whether a stdin read would return at once (data or EOF). Probing a host stdin reads
    /// ahead into a buffer that the next `fd_read` drains first.
    pub(crate) fn stdin_readiness(&mut self) -> StdinReadiness {
        if !self.stdin.ahead.is_empty() || self.stdin.eof {
            return StdinReadiness::Ready;
        }
        match self.stdin.source {
            StdinSourceState::Closed | StdinSourceState::Bytes { .. } => StdinReadiness::Ready,
            StdinSourceState::Host => {
                // Output errors surface on the next stdout write; readiness is about input.
                let _ = self.flush();
                let mut chunk = vec![0u8; 4096];
                match self.host.read_stdin(&mut chunk) {
                    StdinRead::Data(n) => {
                        chunk.truncate(n.min(4096));
                        self.stdin.ahead = chunk;
                        StdinReadiness::Ready
                    }
                    StdinRead::Eof => {
                        self.stdin.eof = true;
                        StdinReadiness::Ready
                    }
                    StdinRead::WouldBlock => StdinReadiness::NotReady,
                    StdinRead::Error(e) => StdinReadiness::Error(e),
                }
            }
        }
    }

    /// Bytes stdin could deliver at once, when known (for poll's `nbytes`).
    pub(crate) fn stdin_available(&self) -> u64 {
        match &self.stdin.source {
            StdinSourceState::Bytes { data, pos } => {
                (data.len().saturating_sub(*pos) + self.stdin.ahead.len()) as u64
            }
            _ => self.stdin.ahead.len() as u64,
        }
    }
}
