//! path_*: operations on paths relative to a directory descriptor, translated onto the host's
//! version-neutral operations (host/fs.rs: resolution, read-only mounts, limits, denials). What
//! stays here is p1's: fds, rights, flags, and the guest memory the paths and results are in.
use super::descriptors::{Descriptor, DirDesc, FdFlags, FileDesc, Kind, Rights};
use super::layout;
use super::Res;
use crate::bounded::check_path_len;
use crate::errno::{Errno, Result};
use crate::host::fs::{hold, release, Node, OpenOptions, Opened};
use crate::host::Ctx;
use crate::memory::{check_range, GuestMemory};

const LOOKUP_SYMLINK_FOLLOW: u32 = 1;
const OFLAGS_CREAT: u32 = 1 << 0;
const OFLAGS_DIRECTORY: u32 = 1 << 1;
const OFLAGS_EXCL: u32 = 1 << 2;
const OFLAGS_TRUNC: u32 = 1 << 3;

/// The directory a path is relative to, plus the path itself.
struct At {
    dir: Node,
    path: GuestPath,
}

/// Paths up to this many bytes are read onto the stack (nearly all are: a stat or an open names
/// a few dozen bytes); longer ones into a vector.
const INLINE_PATH: usize = 128;

/// A path read from the guest. A heap copy per call (allocated, zero-filled, freed) was a
/// tenth of the engine's time in 100,000 MemFS stats (bench/NOTES.md, item 24).
enum GuestPath {
    Inline([u8; INLINE_PATH], usize),
    Heap(Vec<u8>),
}

impl GuestPath {
    fn read(mem: &mut impl GuestMemory, ptr: u32, len: u32) -> Result<GuestPath> {
        if len as usize <= INLINE_PATH {
            let mut bytes = [0u8; INLINE_PATH];
            mem.read(ptr, &mut bytes[..len as usize])?;
            Ok(GuestPath::Inline(bytes, len as usize))
        } else {
            Ok(GuestPath::Heap(mem.read_vec(ptr, len)?))
        }
    }
}

impl std::ops::Deref for GuestPath {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            GuestPath::Inline(bytes, len) => &bytes[..*len],
            GuestPath::Heap(bytes) => bytes,
        }
    }
}

/// Reads the guest path and finds the directory `fd` it is relative to (ENOTDIR when `fd` is
/// a file, EBADF when it is stdio or closed; ENOTCAPABLE when `right` was dropped).
fn at(
    ctx: &Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    right: u64,
    path: u32,
    path_len: u32,
) -> Result<At> {
    let desc = ctx.p1.fds.get(fd)?;
    let dir = match &desc.kind {
        Kind::Dir(d) => d.node.clone(),
        Kind::File(_) => return Err(Errno::NotDir),
        Kind::Stdio(_) => return Err(Errno::Badf),
    };
    desc.require(right)?;
    check_path_len(path_len)?;
    let path = GuestPath::read(mem, path, path_len)?;
    Ok(At { dir, path })
}

pub(super) fn path_create_directory(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let at = at(ctx, mem, fd, Rights::PATH_CREATE_DIRECTORY, path, path_len)?;
    Ok(ctx.create_dir_at("path_create_directory", &at.dir, &at.path)?)
}

pub(super) fn path_filestat_get(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Res {
    check_range(mem.size(), buf, layout::FILESTAT_SIZE)?;
    let at = at(ctx, mem, fd, Rights::PATH_FILESTAT_GET, path, path_len)?;
    let meta = ctx.stat_at(
        "path_filestat_get",
        &at.dir,
        &at.path,
        flags & LOOKUP_SYMLINK_FOLLOW != 0,
    )?;
    Ok(mem.write(buf, &layout::encode_filestat(at.dir.dev, &meta))?)
}

pub(super) fn path_filestat_set_times(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Res {
    let (atim, mtim) = super::fd::set_times_of(atim, mtim, fst_flags)?;
    let at = at(
        ctx,
        mem,
        fd,
        Rights::PATH_FILESTAT_SET_TIMES,
        path,
        path_len,
    )?;
    let follow = flags & LOOKUP_SYMLINK_FOLLOW != 0;
    Ok(ctx.set_times_at(
        "path_filestat_set_times",
        &at.dir,
        &at.path,
        follow,
        atim,
        mtim,
    )?)
}

/// A hard link `new_path` to what `old_path` names (never a directory: EPERM).
pub(super) fn path_link(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Res {
    let old = at(
        ctx,
        mem,
        old_fd,
        Rights::PATH_LINK_SOURCE,
        old_path,
        old_path_len,
    )?;
    let new = at(
        ctx,
        mem,
        new_fd,
        Rights::PATH_LINK_TARGET,
        new_path,
        new_path_len,
    )?;
    let follow = old_flags & LOOKUP_SYMLINK_FOLLOW != 0;
    Ok(ctx.link_at(
        "path_link",
        &old.dir,
        &old.path,
        follow,
        &new.dir,
        &new.path,
    )?)
}

pub(super) fn path_open(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    fs_rights_base: u64,
    fs_rights_inheriting: u64,
    fdflags: u32,
    opened_fd: u32,
) -> Res {
    if oflags & !0xf != 0 || fdflags & !(FdFlags::ALL as u32) != 0 {
        return Err(Errno::Inval.into());
    }
    check_range(mem.size(), opened_fd, 4)?;
    let at = at(ctx, mem, fd, Rights::PATH_OPEN, path, path_len)?;
    let parent = ctx.p1.fds.get(fd)?;
    let withheld = parent.withheld;
    let how = OpenOptions {
        follow: dirflags & LOOKUP_SYMLINK_FOLLOW != 0,
        create: oflags & OFLAGS_CREAT != 0,
        exclusive: oflags & OFLAGS_EXCL != 0,
        directory: oflags & OFLAGS_DIRECTORY != 0,
        truncate: oflags & OFLAGS_TRUNC != 0,
        write: fs_rights_base & Rights::FD_WRITE != 0,
        may_create: parent.require(Rights::PATH_CREATE_FILE).is_ok(),
        may_truncate: parent.require(Rights::PATH_FILESTAT_SET_SIZE).is_ok(),
    };
    let open_now = ctx.p1.fds.open_count();
    let (node, is_dir) = match ctx.open_at("path_open", &at.dir, &at.path, how, open_now)? {
        Opened::Dir(node) => (node, true),
        Opened::File(node) => (node, false),
    };
    let (kind, rights, inheriting) = if is_dir {
        (
            Kind::Dir(DirDesc {
                node: node.clone(),
                preopen: None,
                listing: None,
            }),
            Rights::DIR,
            Rights::DIR_INHERITING,
        )
    } else {
        (
            Kind::File(FileDesc {
                node: node.clone(),
                pos: 0,
            }),
            Rights::FILE,
            Rights::FILE,
        )
    };
    let desc = Descriptor {
        kind,
        base: fs_rights_base & rights & !withheld,
        inheriting: fs_rights_inheriting & inheriting & !withheld,
        flags: fdflags as u16,
        dropped: withheld,
        withheld,
    };
    hold(&node, desc.base & Rights::FD_WRITE != 0)?;
    let new_fd = match ctx.p1.fds.insert(desc, ctx.policy.limits.open_files) {
        Ok(new_fd) => new_fd,
        Err(e) => {
            release(&node);
            return Err(e.into());
        }
    };
    if let Err(e) = mem.write_u32(opened_fd, new_fd) {
        if let Ok(desc) = ctx.p1.fds.remove(new_fd) {
            if let Some(node) = desc.node() {
                release(node);
            }
        }
        return Err(e.into());
    }
    Ok(())
}

/// Copies the link's target, cut to `buf_len` bytes (as wasmtime), and reports the length used.
pub(super) fn path_readlink(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Res {
    check_range(mem.size(), buf, buf_len)?;
    check_range(mem.size(), bufused, 4)?;
    let at = at(ctx, mem, fd, Rights::PATH_READLINK, path, path_len)?;
    let mut target = ctx.readlink_at("path_readlink", &at.dir, &at.path)?;
    target.truncate(buf_len as usize);
    mem.write(buf, &target)?;
    Ok(mem.write_u32(bufused, target.len() as u32)?)
}

pub(super) fn path_remove_directory(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let at = at(ctx, mem, fd, Rights::PATH_REMOVE_DIRECTORY, path, path_len)?;
    Ok(ctx.remove_dir_at("path_remove_directory", &at.dir, &at.path)?)
}

pub(super) fn path_rename(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Res {
    let old = at(
        ctx,
        mem,
        fd,
        Rights::PATH_RENAME_SOURCE,
        old_path,
        old_path_len,
    )?;
    let new = at(
        ctx,
        mem,
        new_fd,
        Rights::PATH_RENAME_TARGET,
        new_path,
        new_path_len,
    )?;
    Ok(ctx.rename_at("path_rename", &old.dir, &old.path, &new.dir, &new.path)?)
}

/// Creates a symlink (an absolute target is refused: ENOTCAPABLE).
pub(super) fn path_symlink(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Res {
    check_path_len(old_path_len)?;
    let target = mem.read_vec(old_path, old_path_len)?;
    let at = at(ctx, mem, fd, Rights::PATH_SYMLINK, new_path, new_path_len)?;
    Ok(ctx.symlink_at("path_symlink", &target, &at.dir, &at.path)?)
}

pub(super) fn path_unlink_file(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let at = at(ctx, mem, fd, Rights::PATH_UNLINK_FILE, path, path_len)?;
    Ok(ctx.unlink_file_at("path_unlink_file", &at.dir, &at.path)?)
}
