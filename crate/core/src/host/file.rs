//! Data operations on an open file, for every ABI: `read_at` / `write_at` between guest memory
//! and a filesystem (through the context's reused scratch buffer, in chunks of at most
//! `IO_CHUNK`), with the policy's file-size and written-bytes limits; size changes with the
//! file-size limit. Read-only mounts refuse every change with a denial.
use super::error::{Error, Limit, Result};
use super::fs::{borrow_fs, Node};
use super::Ctx;
use crate::bounded::IO_CHUNK;
use crate::errno::Errno;
use crate::memory::{segments_len, GuestMemory, Segments};

impl Ctx {
    /// [`Error::ReadOnly`] and a denial when `file` lies on a read-only mount.
    pub fn check_writable(&mut self, op: &str, file: &Node) -> Result<()> {
        if file.readonly {
            self.denied(op, &file.guest_path, "read-only mount");
            return Err(Error::ReadOnly);
        }
        Ok(())
    }

    /// Reads file data at `offset` into `segments`; returns the bytes read (short at EOF; at
    /// most `u32::MAX`, what p1 can report).
    #[inline]
    pub fn read_at(
        &mut self,
        mem: &mut impl GuestMemory,
        file: &Node,
        segments: &Segments,
        offset: u64,
    ) -> Result<u64> {
        let len = segments_len(segments).min(IO_CHUNK as u64) as usize;
        let mut scratch = self.take_scratch(len)?;
        let result = read_into(mem, file, segments, offset, &mut scratch[..len]);
        self.return_scratch(scratch);
        Ok(result?)
    }

    /// Writes the bytes of `segments` at `offset`, within the policy's limits; returns the
    /// bytes written (at most `u32::MAX`). A refusal of the first chunk is the error (and a
    /// denial); a later one ends a short write.
    #[inline]
    pub fn write_at(
        &mut self,
        mem: &mut impl GuestMemory,
        op: &str,
        file: &Node,
        segments: &Segments,
        offset: u64,
    ) -> Result<u64> {
        let mut total = segments_len(segments).min(u32::MAX as u64);
        if total == 0 {
            return Ok(0);
        }
        let limits = self.policy.limits;
        if offset >= limits.file_bytes {
            return Err(self.over_limit(op, &file.guest_path, Limit::FileBytes));
        }
        total = total.min(limits.file_bytes - offset);
        let budget = limits.written_bytes.saturating_sub(self.written_bytes);
        if budget == 0 {
            return Err(self.over_limit(op, &file.guest_path, Limit::WrittenBytes));
        }
        total = total.min(budget);
        let len = total.min(IO_CHUNK as u64) as usize;
        let mut scratch = self.take_scratch(len)?;
        let result = self.write_from(mem, op, file, segments, offset, total, &mut scratch[..len]);
        self.return_scratch(scratch);
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn write_from(
        &mut self,
        mem: &mut impl GuestMemory,
        op: &str,
        file: &Node,
        segments: &Segments,
        offset: u64,
        total: u64,
        chunk: &mut [u8],
    ) -> Result<u64> {
        let mut done = 0u64;
        'outer: for &(ptr, len) in segments {
            let mut at = 0u32;
            while at < len && done < total {
                let want = ((len - at) as u64)
                    .min(chunk.len() as u64)
                    .min(total - done) as usize;
                mem.read(ptr + at, &mut chunk[..want])?;
                let pos = offset.checked_add(done).ok_or(Errno::FBig)?;
                let data = &chunk[..want];
                let written = self.change_fs(
                    &file.fs,
                    op,
                    done == 0,
                    || file.guest_path.to_string(),
                    |fs| fs.write(file.ino, pos, data),
                );
                let n = match written {
                    Ok(n) => n.min(want),
                    Err(e) if done == 0 => return Err(e),
                    Err(_) => break 'outer,
                };
                at += n as u32;
                done += n as u64;
                self.written_bytes = self.written_bytes.saturating_add(n as u64);
                if n < want {
                    break 'outer;
                }
            }
            if done >= total {
                break;
            }
        }
        Ok(done)
    }

    /// A file may not grow past `limits.fileBytes` (a denial).
    fn check_file_bytes(&mut self, op: &str, file: &Node, size: u64) -> Result<()> {
        if size > self.policy.limits.file_bytes {
            return Err(self.over_limit(op, &file.guest_path, Limit::FileBytes));
        }
        Ok(())
    }

    /// Sets the file's size (refused on a read-only mount, and beyond `limits.fileBytes`).
    pub fn set_size(&mut self, op: &str, file: &Node, size: u64) -> Result<()> {
        self.check_writable(op, file)?;
        self.check_file_bytes(op, file, size)?;
        let result = borrow_fs(&file.fs)?.set_size(file.ino, size);
        Ok(result?)
    }

    /// Extends the file to `offset + len` when shorter (the new bytes read as zeros).
    pub fn allocate(&mut self, op: &str, file: &Node, offset: u64, len: u64) -> Result<()> {
        self.check_writable(op, file)?;
        let end = offset.checked_add(len).ok_or(Errno::FBig)?;
        self.check_file_bytes(op, file, end)?;
        let mut fs = borrow_fs(&file.fs)?;
        if fs.metadata(file.ino)?.size < end {
            fs.set_size(file.ino, end)?;
        }
        Ok(())
    }
}

fn read_into(
    mem: &mut impl GuestMemory,
    file: &Node,
    segments: &Segments,
    mut offset: u64,
    chunk: &mut [u8],
) -> crate::errno::Result<u64> {
    let mut done = 0u64;
    for &(ptr, len) in segments {
        let mut at = 0u32;
        while at < len {
            // The count returned to the guest is a u32: stop short of overflowing it.
            let want = ((len - at) as usize)
                .min(chunk.len())
                .min((u32::MAX as u64 - done) as usize);
            if want == 0 {
                return Ok(done);
            }
            let n = borrow_fs(&file.fs)?
                .read(file.ino, offset, &mut chunk[..want])?
                .min(want);
            mem.write(ptr + at, &chunk[..n])?;
            at += n as u32;
            done += n as u64;
            offset = offset.checked_add(n as u64).ok_or(Errno::Overflow)?;
            if n < want {
                return Ok(done);
            }
        }
    }
    Ok(done)
}
