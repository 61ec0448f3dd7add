//! The standard streams as guest-memory transfers, for every ABI: a write of guest segments to
//! stdout or stderr (small ones gathered without allocating, large ones streamed through in
//! `IO_CHUNK` pieces) and a read of stdin into guest segments. Buffering and the stdin source
//! are host/stdio.rs.
use super::error::Result;
use super::stdio::{StdinOutcome, SMALL_WRITE_MAX};
use super::Ctx;
use crate::bounded::IO_CHUNK;
use crate::memory::{scatter, segments_len, GuestMemory, Segments};
use crate::vfs::FileType;

/// Which standard stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdioKind {
    Stdin,
    Stdout,
    Stderr,
}

impl StdioKind {
    /// The stream's POSIX fd number (what [`super::Host`] calls it).
    pub fn fd(self) -> u32 {
        match self {
            StdioKind::Stdin => 0,
            StdioKind::Stdout => 1,
            StdioKind::Stderr => 2,
        }
    }
}

/// What a stdin read got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamRead {
    /// `n` bytes (0: end of input).
    Read(u64),
    /// Nothing yet, and the host cannot wait here.
    WouldBlock,
}

impl Ctx {
    /// Writes the bytes of `segments` to stdout (`out` = 1) or stderr (2); returns the count
    /// (at most `u32::MAX`).
    #[inline]
    pub fn write_stream(
        &mut self,
        mem: &mut impl GuestMemory,
        out: u32,
        segments: &Segments,
    ) -> Result<u64> {
        let total = segments_len(segments);
        if total <= SMALL_WRITE_MAX as u64 {
            // Typical console output: gathered straight into the stdout batch when it is
            // batched, else on the stack; either way no allocation.
            let gather = |buf: &mut [u8]| -> crate::errno::Result<()> {
                let mut at = 0usize;
                for &(ptr, len) in segments {
                    mem.read(ptr, &mut buf[at..at + len as usize])?;
                    at += len as usize;
                }
                Ok(())
            };
            self.write_stdio_with(out, total as usize, gather)?;
            return Ok(total);
        }
        let mut written = 0u64;
        for &(ptr, len) in segments {
            let mut at = 0u32;
            while at < len && written < u32::MAX as u64 {
                let want = (len - at)
                    .min(IO_CHUNK as u32)
                    .min((u32::MAX as u64 - written) as u32);
                let data = mem.read_vec(ptr + at, want)?;
                self.write_stdio(out, &data)?;
                at += want;
                written += want as u64;
            }
        }
        Ok(written)
    }

    /// Reads stdin into `segments` without waiting beyond what the host itself does.
    pub fn read_stream(
        &mut self,
        mem: &mut impl GuestMemory,
        segments: &Segments,
    ) -> Result<StreamRead> {
        let total = segments_len(segments).min(IO_CHUNK as u64) as usize;
        let mut buf = self.take_scratch(total)?;
        let result = match self.read_stdin(&mut buf[..total]) {
            Ok(StdinOutcome::Read(n)) => {
                scatter(mem, segments, &buf[..n]).map(|()| StreamRead::Read(n as u64))
            }
            Ok(StdinOutcome::WouldBlock) => Ok(StreamRead::WouldBlock),
            Err(e) => Err(e),
        };
        self.return_scratch(buf);
        Ok(result?)
    }

    /// A standard stream is a character device when the host says it is a terminal (so the
    /// guest's `isatty` agrees), otherwise of unknown type (a pipe or file on the host).
    pub fn stdio_filetype(&mut self, kind: StdioKind) -> FileType {
        if self.stdio_is_terminal(kind) {
            FileType::CharacterDevice
        } else {
            FileType::Unknown
        }
    }

    /// Whether the standard stream `kind` is a terminal on the host.
    pub fn stdio_is_terminal(&mut self, kind: StdioKind) -> bool {
        self.host.is_terminal(kind.fd())
    }
}
