//! fd_*: operations on open descriptors.
use super::layout;
use super::{Fail, Res};
use crate::bounded;
use crate::errno::{Errno, Result};
use crate::host::ctx::Limit;
use crate::host::fd::{borrow_fs, FdFlags, FileDesc, Kind, Listing, Rights, StdioKind};
use crate::host::stdio::StdinOutcome;
use crate::host::{Clock, Ctx, Wait};
use crate::memory::{check_range, GuestMemory};
use crate::vfs::{FileType, SetTime};

use crate::bounded::IO_CHUNK;

/// `fd_readdir` hands dirents to the guest in pieces of this size.
const READDIR_PIECE: usize = 64 * 1024;

/// Stdio writes up to this size are gathered on the stack.
const SMALL_WRITE: usize = crate::host::stdio::SMALL_WRITE_MAX;

pub(crate) const FSTFLAGS_ATIM: u32 = 1 << 0;
pub(crate) const FSTFLAGS_ATIM_NOW: u32 = 1 << 1;
pub(crate) const FSTFLAGS_MTIM: u32 = 1 << 2;
pub(crate) const FSTFLAGS_MTIM_NOW: u32 = 1 << 3;

/// Decodes `fst_flags` (EINVAL for unknown bits or both a time and NOW for the same field).
pub(crate) fn set_times_of(atim: u64, mtim: u64, fst_flags: u32) -> Result<(SetTime, SetTime)> {
    if fst_flags & !0xf != 0 {
        return Err(Errno::Inval);
    }
    let pick = |value: u64, at: u32, now: u32| match (fst_flags & at != 0, fst_flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(SetTime::At(value)),
        (false, true) => Ok(SetTime::Now),
        (false, false) => Ok(SetTime::Keep),
    };
    Ok((
        pick(atim, FSTFLAGS_ATIM, FSTFLAGS_ATIM_NOW)?,
        pick(mtim, FSTFLAGS_MTIM, FSTFLAGS_MTIM_NOW)?,
    ))
}

/// The open file behind `fd` (EBADF for directories and stdio, as wasmtime).
fn file(ctx: &Ctx, fd: u32) -> Result<FileDesc> {
    match &ctx.fds.get(fd)?.kind {
        Kind::File(f) => Ok(f.clone()),
        _ => Err(Errno::Badf),
    }
}

/// Stdio descriptors cannot seek or be read/written at an offset.
fn is_stdio(ctx: &Ctx, fd: u32) -> bool {
    matches!(ctx.fds.get(fd).map(|d| &d.kind), Ok(Kind::Stdio(_)))
}

/// Refuses a change to a file on a read-only mount (EPERM, as wasmtime's read-only
/// preopens) and reports the denial.
fn check_writable_mount(ctx: &mut Ctx, op: &str, f: &FileDesc) -> Result<()> {
    if f.readonly {
        ctx.denied(op, &f.guest_path, "read-only mount");
        return Err(Errno::Perm);
    }
    Ok(())
}

/// Reads file data at `offset` into the iovecs; returns the bytes read (stops at EOF).
fn read_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    f: &FileDesc,
    iovs: &[(u32, u32)],
    offset: u64,
) -> Result<u64> {
    let total = layout::iovecs_total(iovs);
    let len = total.min(IO_CHUNK as u64) as usize;
    let mut scratch = ctx.take_scratch(len)?;
    let result = read_into(mem, f, iovs, offset, &mut scratch[..len]);
    ctx.return_scratch(scratch);
    result
}

fn read_into(
    mem: &mut impl GuestMemory,
    f: &FileDesc,
    iovs: &[(u32, u32)],
    mut offset: u64,
    chunk: &mut [u8],
) -> Result<u64> {
    let mut done = 0u64;
    for &(ptr, len) in iovs {
        let mut at = 0u32;
        while at < len {
            // The count returned to the guest is a u32: stop short of overflowing it.
            let want = ((len - at) as usize)
                .min(chunk.len())
                .min((u32::MAX as u64 - done) as usize);
            if want == 0 {
                return Ok(done);
            }
            let n = borrow_fs(&f.fs)?
                .read(f.ino, offset, &mut chunk[..want])?
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

/// Writes the iovecs' bytes at `offset`, within the policy's limits; returns the bytes written.
fn write_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    op: &str,
    f: &FileDesc,
    iovs: &[(u32, u32)],
    offset: u64,
) -> Result<u64> {
    // The count returned to the guest is a u32.
    let mut total = layout::iovecs_total(iovs).min(u32::MAX as u64);
    if total == 0 {
        return Ok(0);
    }
    let limits = ctx.policy.limits;
    if offset >= limits.file_bytes {
        return Err(ctx.over_limit(op, &f.guest_path, Limit::FileBytes));
    }
    total = total.min(limits.file_bytes - offset);
    let budget = limits.written_bytes.saturating_sub(ctx.written_bytes);
    if budget == 0 {
        return Err(ctx.over_limit(op, &f.guest_path, Limit::WrittenBytes));
    }
    total = total.min(budget);
    let len = total.min(IO_CHUNK as u64) as usize;
    let mut scratch = ctx.take_scratch(len)?;
    let result = write_from(ctx, mem, op, f, iovs, offset, total, &mut scratch[..len]);
    ctx.return_scratch(scratch);
    result
}

#[allow(clippy::too_many_arguments)]
fn write_from(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    op: &str,
    f: &FileDesc,
    iovs: &[(u32, u32)],
    offset: u64,
    total: u64,
    chunk: &mut [u8],
) -> Result<u64> {
    let mut done = 0u64;
    'outer: for &(ptr, len) in iovs {
        let mut at = 0u32;
        while at < len && done < total {
            let want = ((len - at) as u64)
                .min(chunk.len() as u64)
                .min(total - done) as usize;
            mem.read(ptr + at, &mut chunk[..want])?;
            let pos = offset.checked_add(done).ok_or(Errno::FBig)?;
            // Only a refusal of the first chunk is the call's error (and a denial); later ones
            // end a short write.
            let data = &chunk[..want];
            let written = ctx.change_fs(
                &f.fs,
                op,
                done == 0,
                || f.guest_path.to_string(),
                |fs| fs.write(f.ino, pos, data),
            );
            let n = match written {
                Ok(n) => n.min(want),
                Err(e) if done == 0 => return Err(e),
                Err(_) => break 'outer,
            };
            at += n as u32;
            done += n as u64;
            ctx.written_bytes = ctx.written_bytes.saturating_add(n as u64);
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

pub(super) fn fd_advise(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> Res {
    if advice > 5 {
        return Err(Errno::Inval.into());
    }
    ctx.fds.get(fd)?.require(Rights::FD_ADVISE)?;
    file(ctx, fd)?;
    offset.checked_add(len).ok_or(Errno::Inval)?;
    Ok(())
}

/// Extends the file to `offset + len` when shorter (the data reads as zeros).
pub(super) fn fd_allocate(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    offset: u64,
    len: u64,
) -> Res {
    let desc = ctx.fds.get(fd)?;
    desc.require(Rights::FD_ALLOCATE)?;
    let f = file(ctx, fd)?;
    ctx.fds.get(fd)?.require_write()?;
    check_writable_mount(ctx, "fd_allocate", &f)?;
    let end = offset.checked_add(len).ok_or(Errno::FBig)?;
    if end > ctx.policy.limits.file_bytes {
        return Err(ctx
            .over_limit("fd_allocate", &f.guest_path, Limit::FileBytes)
            .into());
    }
    let mut fs = borrow_fs(&f.fs)?;
    if fs.metadata(f.ino)?.size < end {
        fs.set_size(f.ino, end)?;
    }
    Ok(())
}

pub(super) fn fd_close(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32) -> Res {
    let desc = ctx.fds.remove(fd)?;
    if let Some((fs, ino)) = desc.node() {
        if let Ok(mut fs) = borrow_fs(fs) {
            fs.closed(ino);
        }
    }
    Ok(())
}

fn sync(ctx: &mut Ctx, fd: u32, right: u64) -> Res {
    let desc = ctx.fds.get(fd)?;
    desc.require(right)?;
    match desc.node() {
        Some((fs, ino)) => Ok(borrow_fs(fs)?.sync(ino)?),
        None => Err(Errno::Inval.into()),
    }
}

pub(super) fn fd_datasync(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32) -> Res {
    sync(ctx, fd, Rights::FD_DATASYNC)
}

pub(super) fn fd_sync(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32) -> Res {
    sync(ctx, fd, Rights::FD_SYNC)
}

pub(super) fn fd_fdstat_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, stat: u32) -> Res {
    let desc = ctx.fds.get(fd)?;
    let (base, inheriting, flags) = (desc.base, desc.inheriting, desc.flags);
    let filetype = match &desc.kind {
        Kind::Stdio(kind) => stdio_filetype(ctx, *kind),
        Kind::Dir(_) => FileType::Directory,
        Kind::File(f) => borrow_fs(&f.fs)?.metadata(f.ino)?.filetype,
    };
    Ok(mem.write(
        stat,
        &layout::encode_fdstat(filetype as u8, flags, base, inheriting),
    )?)
}

/// Sets APPEND and NONBLOCK (the sync flags are accepted and remembered; data is always
/// written through at once).
pub(super) fn fd_fdstat_set_flags(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    flags: u32,
) -> Res {
    let flags = u16::try_from(flags)
        .ok()
        .filter(|f| f & !FdFlags::ALL == 0)
        .ok_or(Errno::Inval)?;
    let desc = ctx.fds.get_mut(fd)?;
    desc.require(Rights::FD_FDSTAT_SET_FLAGS)?;
    desc.flags = flags;
    Ok(())
}

pub(super) fn fd_fdstat_set_rights(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> Res {
    let desc = ctx.fds.get_mut(fd)?;
    if base & !desc.base != 0 || inheriting & !desc.inheriting != 0 {
        return Err(Errno::NotCapable.into());
    }
    desc.dropped |= desc.base & !base;
    desc.withheld |= desc.inheriting & !inheriting;
    desc.base = base;
    desc.inheriting = inheriting;
    Ok(())
}

pub(super) fn fd_filestat_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, buf: u32) -> Res {
    let desc = ctx.fds.get(fd)?;
    desc.require(Rights::FD_FILESTAT_GET)?;
    let bytes = match &desc.kind {
        Kind::Stdio(kind) => {
            let filetype = stdio_filetype(ctx, *kind);
            let m = crate::vfs::Metadata {
                ino: 0,
                filetype,
                nlink: 0,
                size: 0,
                atim: 0,
                mtim: 0,
                ctim: 0,
            };
            layout::encode_filestat(0, &m)
        }
        Kind::File(f) => layout::encode_filestat(f.dev, &borrow_fs(&f.fs)?.metadata(f.ino)?),
        Kind::Dir(d) => layout::encode_filestat(d.dev, &borrow_fs(&d.fs)?.metadata(d.ino)?),
    };
    Ok(mem.write(buf, &bytes)?)
}

/// A standard stream is a character device when the host says it is a terminal (so the
/// guest's `isatty` agrees), otherwise of unknown type (a pipe or file on the host).
fn stdio_filetype(ctx: &mut Ctx, kind: StdioKind) -> FileType {
    let fd = match kind {
        StdioKind::Stdin => 0,
        StdioKind::Stdout => 1,
        StdioKind::Stderr => 2,
    };
    if ctx.host.is_terminal(fd) {
        FileType::CharacterDevice
    } else {
        FileType::Unknown
    }
}

pub(super) fn fd_filestat_set_size(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    size: u64,
) -> Res {
    let desc = ctx.fds.get(fd)?;
    desc.require(Rights::FD_FILESTAT_SET_SIZE)?;
    let f = file(ctx, fd)?;
    ctx.fds.get(fd)?.require_write()?;
    check_writable_mount(ctx, "fd_filestat_set_size", &f)?;
    if size > ctx.policy.limits.file_bytes {
        return Err(ctx
            .over_limit("fd_filestat_set_size", &f.guest_path, Limit::FileBytes)
            .into());
    }
    let result = borrow_fs(&f.fs)?.set_size(f.ino, size);
    Ok(result?)
}

pub(super) fn fd_filestat_set_times(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Res {
    let (atim, mtim) = set_times_of(atim, mtim, fst_flags)?;
    let desc = ctx.fds.get(fd)?;
    desc.require(Rights::FD_FILESTAT_SET_TIMES)?;
    let (fs, ino, readonly, path) = match &desc.kind {
        Kind::File(f) => (f.fs.clone(), f.ino, f.readonly, f.guest_path.clone()),
        Kind::Dir(d) => (d.fs.clone(), d.ino, d.readonly, d.guest_path.clone()),
        Kind::Stdio(_) => return Err(Errno::Badf.into()),
    };
    if readonly {
        ctx.denied("fd_filestat_set_times", &path, "read-only mount");
        return Err(Errno::Perm.into());
    }
    let now = ctx.clocks.now(Clock::Realtime, ctx.host.as_mut());
    let result = borrow_fs(&fs)?.set_times(ino, atim, mtim, now);
    Ok(result?)
}

/// The checks fd_pread and fd_pwrite share, in the order the errnos are owed: the iovec array
/// and the result pointer are in memory, the descriptor is not stdio (ESPIPE), may seek, and
/// is a file. Returns the decoded iovecs and the file.
fn positioned_io(
    ctx: &Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    result_ptr: u32,
) -> Result<(layout::Iovecs, FileDesc)> {
    let iovs = layout::read_iovecs(mem, iovs, iovs_len)?;
    check_range(mem.size(), result_ptr, 4)?;
    if is_stdio(ctx, fd) {
        return Err(Errno::SPipe);
    }
    ctx.fds.get(fd)?.require(Rights::FD_SEEK)?;
    Ok((iovs, file(ctx, fd)?))
}

pub(super) fn fd_pread(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> Res {
    let (iovs, f) = positioned_io(ctx, mem, fd, iovs, iovs_len, nread)?;
    ctx.fds.get(fd)?.require_read()?;
    let n = read_at(ctx, mem, &f, &iovs, offset)?;
    Ok(mem.write_u32(nread, n as u32)?)
}

/// Writes at `offset` without moving the file position; on an APPEND descriptor the data
/// goes to the end of the file (Linux semantics, as wasmtime).
pub(super) fn fd_pwrite(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> Res {
    let (iovs, f) = positioned_io(ctx, mem, fd, iovs, iovs_len, nwritten)?;
    let desc = ctx.fds.get(fd)?;
    desc.require_write()?;
    let append = desc.flags & FdFlags::APPEND != 0;
    check_writable_mount(ctx, "fd_pwrite", &f)?;
    let at = if append {
        borrow_fs(&f.fs)?.metadata(f.ino)?.size
    } else {
        offset
    };
    let n = write_at(ctx, mem, "fd_pwrite", &f, &iovs, at)?;
    Ok(mem.write_u32(nwritten, n as u32)?)
}

pub(super) fn fd_prestat_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, buf: u32) -> Res {
    let name_len = match &ctx.fds.get(fd)?.kind {
        Kind::Dir(d) => match &d.preopen {
            Some(name) => u32::try_from(name.len()).map_err(|_| Errno::NameTooLong)?,
            None => return Err(Errno::Badf.into()),
        },
        _ => return Err(Errno::Badf.into()),
    };
    let mut bytes = [0u8; layout::PRESTAT_SIZE as usize];
    bytes[4..8].copy_from_slice(&name_len.to_le_bytes());
    Ok(mem.write(buf, &bytes)?)
}

pub(super) fn fd_prestat_dir_name(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let name = match &ctx.fds.get(fd)?.kind {
        Kind::Dir(d) => d.preopen.clone().ok_or(Errno::Badf)?,
        _ => return Err(Errno::Badf.into()),
    };
    if name.len() > path_len as usize {
        return Err(Errno::NameTooLong.into());
    }
    Ok(mem.write(path, name.as_bytes())?)
}

pub(super) fn fd_read(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> Res {
    let iovs = layout::read_iovecs(mem, iovs, iovs_len)?;
    check_range(mem.size(), nread, 4)?;
    let desc = ctx.fds.get(fd)?;
    desc.require_read()?;
    let nonblock = desc.flags & FdFlags::NONBLOCK != 0;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) => {
            let total = layout::iovecs_total(&iovs).min(IO_CHUNK as u64) as usize;
            let mut buf = ctx.take_scratch(total)?;
            let outcome = ctx.read_stdin(&mut buf[..total]);
            let result = match outcome {
                Ok(StdinOutcome::Read(n)) => layout::scatter(mem, &iovs, &buf[..n])
                    .and_then(|()| mem.write_u32(nread, n as u32))
                    .map_err(Fail::from),
                Ok(StdinOutcome::WouldBlock) if nonblock => Err(Errno::Again.into()),
                Ok(StdinOutcome::WouldBlock) => {
                    ctx.wait = Some(Wait::Stdin { timeout_ns: None });
                    Err(Fail::Blocked)
                }
                Err(e) => Err(e.into()),
            };
            ctx.return_scratch(buf);
            result
        }
        Kind::Stdio(_) => Err(Errno::Badf.into()),
        Kind::Dir(_) => Err(Errno::Badf.into()),
        Kind::File(f) => {
            let f = f.clone();
            let n = read_at(ctx, mem, &f, &iovs, f.pos)?;
            if let Ok(desc) = ctx.fds.get_mut(fd) {
                if let Kind::File(file) = &mut desc.kind {
                    file.pos = f.pos.saturating_add(n);
                }
            }
            Ok(mem.write_u32(nread, n as u32)?)
        }
    }
}

/// Lists `.`, `..` and the directory's entries from `cookie` (an index into that list, so
/// cookies stay valid across calls), filling the buffer exactly (the last entry may be cut).
pub(super) fn fd_readdir(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Res {
    check_range(mem.size(), buf, buf_len)?;
    check_range(mem.size(), bufused, 4)?;
    let desc = ctx.fds.get(fd)?;
    desc.require(Rights::FD_READDIR)?;
    let d = match &desc.kind {
        Kind::Dir(d) => d.clone(),
        Kind::File(_) => return Err(Errno::NotDir.into()),
        Kind::Stdio(_) => return Err(Errno::Badf.into()),
    };
    let listing = match (&d.listing, cookie) {
        (Some(listing), c) if c != 0 => listing.clone(),
        _ => {
            let listing = std::rc::Rc::new(Listing::new(borrow_fs(&d.fs)?.readdir(d.ino)?));
            ctx.fds.bound_listings(fd);
            if let Kind::Dir(dir) = &mut ctx.fds.get_mut(fd)?.kind {
                dir.listing = Some(listing.clone());
            }
            listing
        }
    };
    // The dirents go to the guest in pieces of at most READDIR_PIECE bytes: a listing is
    // as large as the directory, whatever buffer the guest offers.
    let limit = buf_len as usize;
    let mut piece: Vec<u8> = bounded::with_capacity(READDIR_PIECE.min(limit))?;
    let mut used = 0usize;
    let dots: [(&[u8], u64); 2] = [(b".", d.ino), (b"..", d.ino)];
    let listed = dots
        .iter()
        .map(|(name, ino)| (*name, *ino, FileType::Directory))
        .chain(
            listing
                .entries
                .iter()
                .map(|e| (e.name.as_slice(), e.ino, e.filetype)),
        );
    for (index, (name, ino, filetype)) in listed
        .enumerate()
        .skip(usize::try_from(cookie).unwrap_or(usize::MAX))
    {
        if used + piece.len() >= limit {
            break;
        }
        let namlen = u32::try_from(name.len()).map_err(|_| Errno::NameTooLong)?;
        let header = layout::encode_dirent(index as u64 + 1, ino, namlen, filetype as u8);
        for part in [&header[..], name] {
            // The last entry may be cut: only what fits in the guest's buffer is kept.
            let room = limit - used - piece.len();
            let part = &part[..part.len().min(room)];
            if piece.len() + part.len() > READDIR_PIECE {
                mem.write(buf + used as u32, &piece)?;
                used += piece.len();
                piece.clear();
            }
            if part.len() > READDIR_PIECE {
                mem.write(buf + used as u32, part)?;
                used += part.len();
            } else {
                piece.extend_from_slice(part);
            }
        }
    }
    mem.write(buf + used as u32, &piece)?;
    used += piece.len();
    Ok(mem.write_u32(bufused, used as u32)?)
}

pub(super) fn fd_renumber(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32, to: u32) -> Res {
    if let Some(replaced) = ctx.fds.renumber(fd, to)? {
        if let Some((fs, ino)) = replaced.node() {
            if let Ok(mut fs) = borrow_fs(fs) {
                fs.closed(ino);
            }
        }
    }
    Ok(())
}

pub(super) fn fd_seek(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    offset: i64,
    whence: u32,
    newoffset: u32,
) -> Res {
    if whence > 2 {
        return Err(Errno::Inval.into());
    }
    check_range(mem.size(), newoffset, 8)?;
    if is_stdio(ctx, fd) {
        return Err(Errno::SPipe.into());
    }
    let desc = ctx.fds.get(fd)?;
    desc.require(if offset == 0 && whence == 1 {
        Rights::FD_TELL
    } else {
        Rights::FD_SEEK
    })?;
    let f = file(ctx, fd)?;
    let base = match whence {
        0 => 0,
        1 => f.pos,
        _ => borrow_fs(&f.fs)?.metadata(f.ino)?.size,
    };
    let pos = i128::from(base) + i128::from(offset);
    let pos = u64::try_from(pos).map_err(|_| Errno::Inval)?;
    if let Kind::File(file) = &mut ctx.fds.get_mut(fd)?.kind {
        file.pos = pos;
    }
    Ok(mem.write_u64(newoffset, pos)?)
}

pub(super) fn fd_tell(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, offset: u32) -> Res {
    check_range(mem.size(), offset, 8)?;
    if is_stdio(ctx, fd) {
        return Err(Errno::SPipe.into());
    }
    ctx.fds.get(fd)?.require(Rights::FD_TELL)?;
    let f = file(ctx, fd)?;
    Ok(mem.write_u64(offset, f.pos)?)
}

pub(super) fn fd_write(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> Res {
    let iovs = layout::read_iovecs(mem, iovs, iovs_len)?;
    check_range(mem.size(), nwritten, 4)?;
    let desc = ctx.fds.get(fd)?;
    desc.require_write()?;
    let append = desc.flags & FdFlags::APPEND != 0;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) | Kind::Dir(_) => Err(Errno::Badf.into()),
        Kind::Stdio(kind) => {
            let n = if *kind == StdioKind::Stdout { 1 } else { 2 };
            let total = layout::iovecs_total(&iovs);
            if total <= SMALL_WRITE as u64 {
                // Typical console output: gathered straight into the stdout batch when it is
                // batched, else on the stack; either way no allocation.
                let gather = |buf: &mut [u8]| -> Result<()> {
                    let mut at = 0usize;
                    for &(ptr, len) in iovs.iter() {
                        mem.read(ptr, &mut buf[at..at + len as usize])?;
                        at += len as usize;
                    }
                    Ok(())
                };
                ctx.write_stdio_with(n, total as usize, gather)?;
                return Ok(mem.write_u32(nwritten, total as u32)?);
            }
            let mut written = 0u64;
            for &(ptr, len) in iovs.iter() {
                let mut at = 0u32;
                while at < len && written < u32::MAX as u64 {
                    let want = (len - at)
                        .min(IO_CHUNK as u32)
                        .min((u32::MAX as u64 - written) as u32);
                    let data = mem.read_vec(ptr + at, want)?;
                    ctx.write_stdio(n, &data)?;
                    at += want;
                    written += want as u64;
                }
            }
            Ok(mem.write_u32(nwritten, written as u32)?)
        }
        Kind::File(f) => {
            let f = f.clone();
            check_writable_mount(ctx, "fd_write", &f)?;
            let at = if append {
                borrow_fs(&f.fs)?.metadata(f.ino)?.size
            } else {
                f.pos
            };
            let n = write_at(ctx, mem, "fd_write", &f, &iovs, at)?;
            if let Kind::File(file) = &mut ctx.fds.get_mut(fd)?.kind {
                file.pos = at.saturating_add(n);
            }
            Ok(mem.write_u32(nwritten, n as u32)?)
        }
    }
}
