//! path_*: operations on paths relative to a directory descriptor. Every path is resolved by
//! `vfs::path::resolve`, one component at a time, so nothing leaves the descriptor's tree;
//! every change beneath a read-only mount is refused with EPERM (wasmtime's answer for a
//! read-only preopen) and reported as a denial event.
use super::layout;
use super::Res;
use crate::bounded::check_path_len;
use crate::errno::{Errno, Result};
use crate::host::ctx::Limit;
use crate::host::fd::{borrow_fs, Descriptor, DirDesc, FdFlags, FileDesc, Kind, Rights};
use crate::host::{Clock, Ctx};
use crate::memory::{check_range, GuestMemory};
use crate::policy::LogPolicy;
use crate::vfs::path::{check_path_bytes, resolve, Resolved};
use crate::vfs::{FileType, SharedFs};
use std::rc::Rc;

const LOOKUP_SYMLINK_FOLLOW: u32 = 1;
const OFLAGS_CREAT: u32 = 1 << 0;
const OFLAGS_DIRECTORY: u32 = 1 << 1;
const OFLAGS_EXCL: u32 = 1 << 2;
const OFLAGS_TRUNC: u32 = 1 << 3;

/// The directory a path is relative to, plus the path itself.
struct At {
    dir: DirDesc,
    path: Vec<u8>,
}

impl At {
    /// The guest-visible path, for events.
    fn guest_path(&self) -> String {
        join(&self.dir.guest_path, &String::from_utf8_lossy(&self.path))
    }
}

/// `base/rel` as the guest would write it.
fn join(base: &str, rel: &str) -> String {
    if base.is_empty() || base == "." {
        rel.to_string()
    } else if base.ends_with('/') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
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
    let desc = ctx.fds.get(fd)?;
    let dir = match &desc.kind {
        Kind::Dir(d) => d.clone(),
        Kind::File(_) => return Err(Errno::NotDir),
        Kind::Stdio(_) => return Err(Errno::Badf),
    };
    desc.require(right)?;
    check_path_len(path_len)?;
    let path = mem.read_vec(path, path_len)?;
    Ok(At { dir, path })
}

/// Resolves `at` (reporting escapes as denials, and every access when the log asks for it).
fn lookup(ctx: &mut Ctx, op: &str, at: &At, follow: bool) -> Result<Resolved> {
    let result = resolve(&mut *borrow_fs(&at.dir.fs)?, at.dir.ino, &at.path, follow);
    match &result {
        Err(Errno::NotCapable) => ctx.denied(op, &at.guest_path(), "outside the mount"),
        Ok(_) if ctx.policy.log == LogPolicy::All => {
            let json = format!(
                "{{\"type\":\"access\",\"op\":{},\"path\":{}}}",
                crate::json::quote(op),
                crate::json::quote(&at.guest_path())
            );
            ctx.event(&json);
        }
        _ => {}
    }
    result
}

/// EPERM plus a denial event when `at` lies on a read-only mount.
fn check_mutable(ctx: &mut Ctx, op: &str, at: &At) -> Result<()> {
    if at.dir.readonly {
        ctx.denied(op, &at.guest_path(), "read-only mount");
        return Err(Errno::Perm);
    }
    Ok(())
}

/// The final component's name, or `on_none` for paths like `.` that name no entry.
fn entry_name(r: &Resolved, on_none: Errno) -> Result<&[u8]> {
    r.name.as_deref().ok_or(on_none)
}

/// The name of a new non-directory entry (link or symlink): the path must not exist (EEXIST),
/// must not end in '/' (ENOENT: only directories may), and must name an entry.
fn new_file_entry(r: &Resolved) -> Result<&[u8]> {
    if r.node.is_some() {
        return Err(Errno::Exist);
    }
    if r.trailing_slash {
        return Err(Errno::NoEnt);
    }
    entry_name(r, Errno::Exist)
}

fn same_fs(a: &SharedFs, b: &SharedFs) -> bool {
    Rc::ptr_eq(a, b)
}

pub(super) fn path_create_directory(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let at = at(ctx, mem, fd, Rights::PATH_CREATE_DIRECTORY, path, path_len)?;
    let r = lookup(ctx, "path_create_directory", &at, false)?;
    if r.node.is_some() {
        return Err(Errno::Exist.into());
    }
    let name = entry_name(&r, Errno::Exist)?;
    check_mutable(ctx, "path_create_directory", &at)?;
    Ok(ctx.change_fs(
        &at.dir.fs,
        "path_create_directory",
        true,
        || at.guest_path(),
        |fs| fs.create_dir(r.parent, name),
    )?)
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
    let r = lookup(
        ctx,
        "path_filestat_get",
        &at,
        flags & LOOKUP_SYMLINK_FOLLOW != 0,
    )?;
    let node = r.node.ok_or(Errno::NoEnt)?;
    let meta = borrow_fs(&at.dir.fs)?.metadata(node)?;
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
    let r = lookup(
        ctx,
        "path_filestat_set_times",
        &at,
        flags & LOOKUP_SYMLINK_FOLLOW != 0,
    )?;
    let node = r.node.ok_or(Errno::NoEnt)?;
    check_mutable(ctx, "path_filestat_set_times", &at)?;
    let now = ctx.clocks.now(Clock::Realtime, ctx.host.as_mut());
    let result = borrow_fs(&at.dir.fs)?.set_times(node, atim, mtim, now);
    Ok(result?)
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
    let src = lookup(
        ctx,
        "path_link",
        &old,
        old_flags & LOOKUP_SYMLINK_FOLLOW != 0,
    )?;
    let node = src.node.ok_or(Errno::NoEnt)?;
    if borrow_fs(&old.dir.fs)?.metadata(node)?.filetype == FileType::Directory {
        return Err(Errno::Perm.into());
    }
    let dst = lookup(ctx, "path_link", &new, false)?;
    let name = new_file_entry(&dst)?;
    if !same_fs(&old.dir.fs, &new.dir.fs) {
        return Err(Errno::XDev.into());
    }
    check_mutable(ctx, "path_link", &new)?;
    Ok(ctx.change_fs(
        &new.dir.fs,
        "path_link",
        true,
        || new.guest_path(),
        |fs| fs.link(node, dst.parent, name),
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
    let parent_desc = ctx.fds.get(fd)?.clone();
    if ctx.fds.open_count() >= ctx.policy.limits.open_files {
        return Err(ctx
            .over_limit("path_open", &at.guest_path(), Limit::OpenFiles)
            .into());
    }
    let follow = dirflags & LOOKUP_SYMLINK_FOLLOW != 0;
    let r = lookup(ctx, "path_open", &at, follow)?;
    let wants_write = fs_rights_base & Rights::FD_WRITE != 0;
    let truncate = oflags & OFLAGS_TRUNC != 0;

    let (ino, created) = match r.node {
        Some(_) if oflags & OFLAGS_CREAT != 0 && oflags & OFLAGS_EXCL != 0 => {
            return Err(Errno::Exist.into())
        }
        Some(ino) => (ino, false),
        None if oflags & OFLAGS_CREAT == 0 => return Err(Errno::NoEnt.into()),
        None => {
            parent_desc.require(Rights::PATH_CREATE_FILE)?;
            if r.trailing_slash || oflags & OFLAGS_DIRECTORY != 0 {
                return Err(Errno::IsDir.into());
            }
            let name = entry_name(&r, Errno::Exist)?;
            check_mutable(ctx, "path_open", &at)?;
            let ino = ctx.change_fs(
                &at.dir.fs,
                "path_open",
                true,
                || at.guest_path(),
                |fs| fs.create_file(r.parent, name),
            )?;
            (ino, true)
        }
    };
    let filetype = borrow_fs(&at.dir.fs)?.metadata(ino)?.filetype;
    let guest_path = at.guest_path();
    let desc = match filetype {
        FileType::SymbolicLink => return Err(Errno::Loop.into()),
        FileType::Directory => {
            if wants_write || truncate || oflags & OFLAGS_CREAT != 0 {
                return Err(Errno::IsDir.into());
            }
            Descriptor {
                kind: Kind::Dir(DirDesc {
                    fs: at.dir.fs.clone(),
                    dev: at.dir.dev,
                    ino,
                    guest_path: guest_path.into(),
                    readonly: at.dir.readonly,
                    preopen: None,
                    listing: None,
                }),
                base: fs_rights_base & Rights::DIR & !parent_desc.withheld,
                inheriting: fs_rights_inheriting & Rights::DIR_INHERITING & !parent_desc.withheld,
                flags: fdflags as u16,
                dropped: parent_desc.withheld,
                withheld: parent_desc.withheld,
            }
        }
        _ if oflags & OFLAGS_DIRECTORY != 0 => return Err(Errno::NotDir.into()),
        _ => {
            if (wants_write || truncate) && !created {
                check_mutable(ctx, "path_open", &at)?;
            }
            if truncate {
                parent_desc.require(Rights::PATH_FILESTAT_SET_SIZE)?;
                borrow_fs(&at.dir.fs)?.set_size(ino, 0)?;
            }
            Descriptor {
                kind: Kind::File(FileDesc {
                    fs: at.dir.fs.clone(),
                    dev: at.dir.dev,
                    ino,
                    guest_path: guest_path.into(),
                    pos: 0,
                    readonly: at.dir.readonly,
                }),
                base: fs_rights_base & Rights::FILE & !parent_desc.withheld,
                inheriting: fs_rights_inheriting & Rights::FILE & !parent_desc.withheld,
                flags: fdflags as u16,
                dropped: parent_desc.withheld,
                withheld: parent_desc.withheld,
            }
        }
    };
    let writable = desc.base & Rights::FD_WRITE != 0;
    borrow_fs(&at.dir.fs)?.opened(ino, writable)?;
    let new_fd = match ctx.fds.insert(desc, ctx.policy.limits.open_files) {
        Ok(new_fd) => new_fd,
        Err(e) => {
            borrow_fs(&at.dir.fs)?.closed(ino);
            return Err(e.into());
        }
    };
    if let Err(e) = mem.write_u32(opened_fd, new_fd) {
        if let Ok(desc) = ctx.fds.remove(new_fd) {
            if let Some((fs, ino)) = desc.node() {
                if let Ok(mut fs) = borrow_fs(fs) {
                    fs.closed(ino);
                }
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
    let r = lookup(ctx, "path_readlink", &at, false)?;
    let node = r.node.ok_or(Errno::NoEnt)?;
    let mut fs = borrow_fs(&at.dir.fs)?;
    if fs.metadata(node)?.filetype != FileType::SymbolicLink {
        return Err(Errno::Inval.into());
    }
    let mut target = fs.readlink(node)?;
    drop(fs);
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
    let r = lookup(ctx, "path_remove_directory", &at, false)?;
    let node = r.node.ok_or(Errno::NoEnt)?;
    let name = entry_name(&r, Errno::Inval)?;
    if borrow_fs(&at.dir.fs)?.metadata(node)?.filetype != FileType::Directory {
        return Err(Errno::NotDir.into());
    }
    check_mutable(ctx, "path_remove_directory", &at)?;
    let result = borrow_fs(&at.dir.fs)?.rmdir(r.parent, name);
    Ok(result?)
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
    let src = lookup(ctx, "path_rename", &old, false)?;
    let src_node = src.node.ok_or(Errno::NoEnt)?;
    let src_name = entry_name(&src, Errno::Busy)?.to_vec();
    let dst = lookup(ctx, "path_rename", &new, false)?;
    let dst_name = entry_name(&dst, Errno::Busy)?;
    if !same_fs(&old.dir.fs, &new.dir.fs) {
        return Err(Errno::XDev.into());
    }
    let src_is_dir = borrow_fs(&old.dir.fs)?.metadata(src_node)?.filetype == FileType::Directory;
    if dst.trailing_slash && !src_is_dir {
        return Err(Errno::NotDir.into());
    }
    check_mutable(ctx, "path_rename", &old)?;
    check_mutable(ctx, "path_rename", &new)?;
    let rename = |fs: &mut dyn crate::vfs::Filesystem| {
        fs.rename(src.parent, &src_name, dst.parent, dst_name)
    };
    Ok(ctx.change_fs(
        &old.dir.fs,
        "path_rename",
        true,
        || new.guest_path(),
        rename,
    )?)
}

/// Creates a symlink; an absolute target could never be followed inside the sandbox, so it is
/// refused up front (ENOTCAPABLE).
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
    check_path_bytes(&target)?;
    if target[0] == b'/' {
        ctx.denied(
            "path_symlink",
            &String::from_utf8_lossy(&target),
            "absolute symlink target",
        );
        return Err(Errno::NotCapable.into());
    }
    let r = lookup(ctx, "path_symlink", &at, false)?;
    let name = new_file_entry(&r)?;
    check_mutable(ctx, "path_symlink", &at)?;
    Ok(ctx.change_fs(
        &at.dir.fs,
        "path_symlink",
        true,
        || at.guest_path(),
        |fs| fs.symlink(r.parent, name, &target),
    )?)
}

pub(super) fn path_unlink_file(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Res {
    let at = at(ctx, mem, fd, Rights::PATH_UNLINK_FILE, path, path_len)?;
    let r = lookup(ctx, "path_unlink_file", &at, false)?;
    let node = r.node.ok_or(Errno::NoEnt)?;
    let name = entry_name(&r, Errno::IsDir)?;
    if borrow_fs(&at.dir.fs)?.metadata(node)?.filetype == FileType::Directory {
        return Err(Errno::IsDir.into());
    }
    check_mutable(ctx, "path_unlink_file", &at)?;
    let result = borrow_fs(&at.dir.fs)?.unlink(r.parent, name);
    Ok(result?)
}
