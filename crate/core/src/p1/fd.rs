//! fd_*: operations on open descriptors, translated onto the host's file and stream operations
//! (host/file.rs, host/streams.rs). What stays here is p1's: fds, rights, fdflags, the file
//! position, readdir cookies and the structs in guest memory.
use super::descriptors::{FdFlags, FileDesc, Kind, Listing, Rights};
use super::layout;
use super::{Fail, Res};
use crate::errno::{Errno, Result};
use crate::host::fs::{release, Node};
use crate::host::streams::{StdioKind, StreamRead};
use crate::host::{Ctx, Wait};
use crate::memory::{check_range, GuestMemory};
use crate::vfs::{FileType, SetTime};

/// `fd_readdir` hands dirents to the guest in pieces of this size.
const READDIR_PIECE: usize = 64 * 1024;

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
    match &ctx.p1.fds.get(fd)?.kind {
        Kind::File(f) => Ok(f.clone()),
        _ => Err(Errno::Badf),
    }
}

/// Stdio descriptors cannot seek or be read/written at an offset.
fn is_stdio(ctx: &Ctx, fd: u32) -> bool {
    matches!(ctx.p1.fds.get(fd).map(|d| &d.kind), Ok(Kind::Stdio(_)))
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
    ctx.p1.fds.get(fd)?.require(Rights::FD_ADVISE)?;
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
    ctx.p1.fds.get(fd)?.require(Rights::FD_ALLOCATE)?;
    let f = file(ctx, fd)?;
    ctx.p1.fds.get(fd)?.require_write()?;
    Ok(ctx.allocate("fd_allocate", &f.node, offset, len)?)
}

pub(super) fn fd_close(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32) -> Res {
    let desc = ctx.p1.fds.remove(fd)?;
    if let Some(node) = desc.node() {
        release(node);
    }
    Ok(())
}

fn sync(ctx: &mut Ctx, fd: u32, right: u64) -> Res {
    let desc = ctx.p1.fds.get(fd)?;
    desc.require(right)?;
    match desc.node() {
        Some(node) => {
            let node = node.clone();
            Ok(ctx.sync(&node)?)
        }
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
    let desc = ctx.p1.fds.get(fd)?;
    let (base, inheriting, flags) = (desc.base, desc.inheriting, desc.flags);
    let filetype = match &desc.kind {
        Kind::Stdio(kind) => {
            let kind = *kind;
            ctx.stdio_filetype(kind)
        }
        Kind::Dir(_) => FileType::Directory,
        Kind::File(f) => {
            let node = f.node.clone();
            ctx.stat(&node)?.filetype
        }
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
    let desc = ctx.p1.fds.get_mut(fd)?;
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
    let desc = ctx.p1.fds.get_mut(fd)?;
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require(Rights::FD_FILESTAT_GET)?;
    let bytes = match &desc.kind {
        Kind::Stdio(kind) => {
            let kind = *kind;
            let filetype = ctx.stdio_filetype(kind);
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
        Kind::File(FileDesc { node, .. }) | Kind::Dir(super::descriptors::DirDesc { node, .. }) => {
            let node = node.clone();
            layout::encode_filestat(node.dev, &ctx.stat(&node)?)
        }
    };
    Ok(mem.write(buf, &bytes)?)
}

pub(super) fn fd_filestat_set_size(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    size: u64,
) -> Res {
    ctx.p1.fds.get(fd)?.require(Rights::FD_FILESTAT_SET_SIZE)?;
    let f = file(ctx, fd)?;
    ctx.p1.fds.get(fd)?.require_write()?;
    Ok(ctx.set_size("fd_filestat_set_size", &f.node, size)?)
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require(Rights::FD_FILESTAT_SET_TIMES)?;
    let node = desc.node().ok_or(Errno::Badf)?.clone();
    Ok(ctx.set_times("fd_filestat_set_times", &node, atim, mtim)?)
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
    ctx.p1.fds.get(fd)?.require(Rights::FD_SEEK)?;
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
    ctx.p1.fds.get(fd)?.require_read()?;
    let n = ctx.read_at(mem, &f.node, &iovs, offset)?;
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require_write()?;
    let append = desc.flags & FdFlags::APPEND != 0;
    ctx.check_writable("fd_pwrite", &f.node)?;
    let at = if append {
        ctx.stat(&f.node)?.size
    } else {
        offset
    };
    let n = ctx.write_at(mem, "fd_pwrite", &f.node, &iovs, at)?;
    Ok(mem.write_u32(nwritten, n as u32)?)
}

pub(super) fn fd_prestat_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, buf: u32) -> Res {
    let name_len = match &ctx.p1.fds.get(fd)?.kind {
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
    let name = match &ctx.p1.fds.get(fd)?.kind {
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require_read()?;
    let nonblock = desc.flags & FdFlags::NONBLOCK != 0;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) => match ctx.read_stream(mem, &iovs)? {
            StreamRead::Read(n) => Ok(mem.write_u32(nread, n as u32)?),
            StreamRead::WouldBlock if nonblock => Err(Errno::Again.into()),
            StreamRead::WouldBlock => {
                ctx.wait = Some(Wait::Stdin { timeout_ns: None });
                Err(Fail::Blocked)
            }
        },
        Kind::Stdio(_) => Err(Errno::Badf.into()),
        Kind::Dir(_) => Err(Errno::Badf.into()),
        Kind::File(f) => {
            let f = f.clone();
            let n = ctx.read_at(mem, &f.node, &iovs, f.pos)?;
            if let Ok(desc) = ctx.p1.fds.get_mut(fd) {
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require(Rights::FD_READDIR)?;
    let (node, kept) = match &desc.kind {
        Kind::Dir(d) => (d.node.clone(), d.listing.clone()),
        Kind::File(_) => return Err(Errno::NotDir.into()),
        Kind::Stdio(_) => return Err(Errno::Badf.into()),
    };
    let listing = match (kept, cookie) {
        (Some(listing), c) if c != 0 => listing,
        _ => {
            let listing = std::rc::Rc::new(Listing::new(ctx.read_dir(&node)?));
            ctx.p1.fds.keep_listing(fd, listing.clone())?;
            listing
        }
    };
    // The dirents go to the guest in pieces of at most READDIR_PIECE bytes (a listing is as
    // large as the directory, whatever buffer the guest offers), gathered in the context's
    // scratch buffer rather than a fresh allocation per call.
    let len = READDIR_PIECE.min(buf_len as usize);
    let mut scratch = ctx.take_scratch(len)?;
    let result = write_dirents(
        mem,
        &node,
        &listing,
        buf,
        buf_len as usize,
        cookie,
        &mut scratch[..len],
    );
    ctx.return_scratch(scratch);
    Ok(mem.write_u32(bufused, result? as u32)?)
}

/// Writes the dirents from `cookie` on to `buf` (at most `limit` bytes), gathered in `piece`
/// (`READDIR_PIECE.min(limit)` bytes); returns the bytes used.
fn write_dirents(
    mem: &mut impl GuestMemory,
    dir: &Node,
    listing: &Listing,
    buf: u32,
    limit: usize,
    cookie: u64,
    piece: &mut [u8],
) -> Result<usize> {
    let mut used = 0usize;
    // Bytes gathered in `piece`, not yet written.
    let mut held = 0usize;
    let dots: [(&[u8], u64); 2] = [(b".", dir.ino), (b"..", dir.ino)];
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
        if used + held >= limit {
            break;
        }
        let namlen = u32::try_from(name.len()).map_err(|_| Errno::NameTooLong)?;
        let header = layout::encode_dirent(index as u64 + 1, ino, namlen, filetype as u8);
        for part in [&header[..], name] {
            // The last entry may be cut: only what fits in the guest's buffer is kept.
            let room = limit - used - held;
            let part = &part[..part.len().min(room)];
            if held + part.len() > READDIR_PIECE {
                mem.write(buf + used as u32, &piece[..held])?;
                used += held;
                held = 0;
            }
            if part.len() > READDIR_PIECE {
                mem.write(buf + used as u32, part)?;
                used += part.len();
            } else {
                // Fits: held + part <= READDIR_PIECE, and <= limit - used (part was cut to room).
                piece[held..held + part.len()].copy_from_slice(part);
                held += part.len();
            }
        }
    }
    mem.write(buf + used as u32, &piece[..held])?;
    Ok(used + held)
}

pub(super) fn fd_renumber(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32, to: u32) -> Res {
    if let Some(replaced) = ctx.p1.fds.renumber(fd, to)? {
        if let Some(node) = replaced.node() {
            release(node);
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require(if offset == 0 && whence == 1 {
        Rights::FD_TELL
    } else {
        Rights::FD_SEEK
    })?;
    let f = file(ctx, fd)?;
    let base = match whence {
        0 => 0,
        1 => f.pos,
        _ => ctx.stat(&f.node)?.size,
    };
    let pos = i128::from(base) + i128::from(offset);
    let pos = u64::try_from(pos).map_err(|_| Errno::Inval)?;
    if let Kind::File(file) = &mut ctx.p1.fds.get_mut(fd)?.kind {
        file.pos = pos;
    }
    Ok(mem.write_u64(newoffset, pos)?)
}

pub(super) fn fd_tell(ctx: &mut Ctx, mem: &mut impl GuestMemory, fd: u32, offset: u32) -> Res {
    check_range(mem.size(), offset, 8)?;
    if is_stdio(ctx, fd) {
        return Err(Errno::SPipe.into());
    }
    ctx.p1.fds.get(fd)?.require(Rights::FD_TELL)?;
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
    let desc = ctx.p1.fds.get(fd)?;
    desc.require_write()?;
    let append = desc.flags & FdFlags::APPEND != 0;
    match &desc.kind {
        Kind::Stdio(StdioKind::Stdin) | Kind::Dir(_) => Err(Errno::Badf.into()),
        Kind::Stdio(kind) => {
            let out = kind.fd();
            let n = ctx.write_stream(mem, out, &iovs)?;
            Ok(mem.write_u32(nwritten, n as u32)?)
        }
        Kind::File(f) => {
            let f = f.clone();
            ctx.check_writable("fd_write", &f.node)?;
            let at = if append {
                ctx.stat(&f.node)?.size
            } else {
                f.pos
            };
            let n = ctx.write_at(mem, "fd_write", &f.node, &iovs, at)?;
            if let Kind::File(file) = &mut ctx.p1.fds.get_mut(fd)?.kind {
                file.pos = at.saturating_add(n);
            }
            Ok(mem.write_u32(nwritten, n as u32)?)
        }
    }
}
