//! Standard streams: stdout buffering and the stdin source.
//!
//! Stdout is buffered as C's stdio buffers it (docs/engine-abi.md, "Stdout buffering"): in blocks of up to 16 KiB when
//! it is not a terminal (a pipe, a file, a callback), by line when it is, so 200,000 small
//! writes cost a dozen host calls while a terminal still shows each line as it is written.
//! What is held goes out before any stderr write or event, before stdin is read or the guest
//! blocks (poll, sleep), at exit ([`Ctx::flush`], which the embedder also calls when a trap or
//! a suspension returns control to it), and when a write would overflow it, so the host sees
//! output in the order the guest produced it. Stderr is never held.
use super::{Ctx, Stdin, StdinRead};
use crate::errno::{Errno, Result};

/// Stdout bytes held back before the host sees them.
pub const STDOUT_BATCH: usize = 16384;

/// The largest write [`Ctx::write_stdio_with`] takes (a stack buffer when it cannot batch).
pub const SMALL_WRITE_MAX: usize = 1024;

/// How stdout reaches the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdoutBuffering {
    /// Not known yet: the first write asks the host whether stdout is a terminal.
    Undecided,
    /// Held until [`STDOUT_BATCH`] bytes or a flush point (not a terminal).
    Block,
    /// As `Block`, and a write that ends a line hands everything up to its last newline over
    /// (a terminal).
    Line,
    /// Every write goes out at once (a reactor: its exports return to the embedder with no
    /// exit to flush at).
    Unbuffered,
}

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
    /// Hands any held stdout to the host. Call it at exit, on trap, and whenever control
    /// returns to the embedder's event loop.
    pub fn flush(&mut self) -> Result<()> {
        if self.stdout_buf.is_empty() {
            return Ok(());
        }
        self.flush_prefix(self.stdout_buf.len())
    }

    /// Flushes on the way to something other than a stdout write (a stdin read, a wait, an
    /// event): that call does not fail for stdout's sake; the guest's next stdout write
    /// reports the error instead, as C's stdio keeps it on the stream.
    pub(crate) fn flush_before_other_work(&mut self) {
        if let Err(e) = self.flush() {
            self.stdout_error = Some(e);
        }
    }

    /// Hands the first `len` held bytes to the host; the rest stay held. The bytes leave the
    /// buffer even when the host fails (as C's stdio drops them), so an error is reported once.
    fn flush_prefix(&mut self, len: usize) -> Result<()> {
        let result = self.host.write_stdio(1, &self.stdout_buf[..len]);
        self.stdout_buf.drain(..len);
        result
    }

    /// From now on, hands stdout to the host on every write (after flushing what is held).
    /// For a reactor, whose exports return to the embedder with no exit to flush at.
    pub fn unbuffer_stdout(&mut self) -> Result<()> {
        self.stdout_buffering = StdoutBuffering::Unbuffered;
        self.flush()
    }

    /// How stdout is buffered, asking the host once whether it is a terminal.
    pub fn stdout_buffering(&mut self) -> StdoutBuffering {
        if self.stdout_buffering == StdoutBuffering::Undecided {
            self.stdout_buffering = if self.host.is_terminal(1) {
                StdoutBuffering::Line
            } else {
                StdoutBuffering::Block
            };
        }
        self.stdout_buffering
    }

    /// On a terminal, hands over the held bytes through the last newline among those held
    /// from `from` on (what one write added).
    fn flush_lines(&mut self, from: usize) -> Result<()> {
        if self.stdout_buffering != StdoutBuffering::Line {
            return Ok(());
        }
        match self.stdout_buf[from..].iter().rposition(|&b| b == b'\n') {
            Some(at) => self.flush_prefix(from + at + 1),
            None => Ok(()),
        }
    }

    /// Writes guest bytes to stdout (buffered) or stderr (flushing stdout first).
    pub(crate) fn write_stdio(&mut self, fd: u32, data: &[u8]) -> Result<()> {
        if fd == 1 {
            if let Some(e) = self.stdout_error.take() {
                return Err(e);
            }
        }
        if fd != 1 || self.stdout_buffering() == StdoutBuffering::Unbuffered {
            self.flush()?;
            return self.host.write_stdio(fd, data);
        }
        if self.stdout_buf.len() + data.len() > STDOUT_BATCH {
            self.flush()?;
        }
        if data.len() >= STDOUT_BATCH {
            self.host.write_stdio(1, data)
        } else {
            let start = self.stdout_buf.len();
            self.stdout_buf.extend_from_slice(data);
            self.flush_lines(start)
        }
    }

    /// Writes `len` bytes (at most [`SMALL_WRITE_MAX`]) that `fill` produces: straight into
    /// the stdout buffer when there is room, else through a stack buffer and `write_stdio`.
    /// Nothing is written when `fill` fails.
    pub(crate) fn write_stdio_with(
        &mut self,
        fd: u32,
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<()>,
    ) -> Result<()> {
        if fd == 1
            && self.stdout_error.is_none()
            && self.stdout_buffering() != StdoutBuffering::Unbuffered
            && self.stdout_buf.len() + len <= STDOUT_BATCH
        {
            let start = self.stdout_buf.len();
            self.stdout_buf.resize(start + len, 0);
            if let Err(e) = fill(&mut self.stdout_buf[start..]) {
                self.stdout_buf.truncate(start);
                return Err(e);
            }
            return self.flush_lines(start);
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
                self.flush_before_other_work();
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
                self.flush_before_other_work();
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
