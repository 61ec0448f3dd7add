//! Filesystem operations on paths relative to a directory handle, for every ABI: `open_at`,
//! `stat_at`, `rename_at`… Each resolves its path with `vfs::path::resolve`, one component at a
//! time, so nothing leaves the directory's tree (an escape is a denial); refuses every change
//! beneath a read-only mount with [`Error::ReadOnly`] and a denial event; holds changes to the
//! policy's limits. `op` is the name the ABI gives the call (p1 `path_open`), used in events.
use super::error::{Error, Limit, Result};
use super::{Clock, Ctx};
use crate::errno::Errno;
use crate::policy::LogPolicy;
use crate::vfs::path::{check_path_bytes, resolve, Resolved};
use crate::vfs::{DirEntry, FileType, Filesystem, Ino, Metadata, SetTime, SharedFs};
use std::rc::Rc;

/// An open file or directory of some filesystem: what a descriptor of any ABI holds.
#[derive(Clone)]
pub struct Node {
    pub fs: SharedFs,
    /// Distinguishes filesystems in `stat`'s device number (one per filesystem of the context).
    pub dev: u64,
    pub ino: Ino,
    /// The path the guest used, from its mount (for denial events).
    pub guest_path: Rc<str>,
    /// Lies on a read-only mount: it and (for a directory) everything beneath it is unchangeable.
    pub readonly: bool,
}

impl Node {
    /// The guest-visible path of `rel` beneath this directory, for events.
    pub fn path_of(&self, rel: &[u8]) -> String {
        join(&self.guest_path, &String::from_utf8_lossy(rel))
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

/// How `open_at` opens.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenOptions {
    /// Follow a symlink in the last component.
    pub follow: bool,
    pub create: bool,
    /// With `create`: fail when the entry exists.
    pub exclusive: bool,
    /// The entry must be a directory.
    pub directory: bool,
    pub truncate: bool,
    /// The opener wants to write (a read-only mount refuses an existing file then).
    pub write: bool,
    /// The handle permits creating a file / truncating one (else [`Error::NotPermitted`] at the
    /// point the operation would need it).
    pub may_create: bool,
    pub may_truncate: bool,
}

/// What `open_at` opened. The node is not yet held: the caller hands it to [`hold`] once it
/// knows whether the new handle writes, and to [`release`] when that handle closes.
pub enum Opened {
    Dir(Node),
    File(Node),
}

/// Borrows a filesystem for one operation (`EBUSY` if it is already borrowed, which only a
/// re-entrant embedder could cause; never a panic).
#[inline]
pub fn borrow_fs(
    fs: &SharedFs,
) -> crate::errno::Result<std::cell::RefMut<'_, dyn Filesystem + 'static>> {
    fs.try_borrow_mut().map_err(|_| Errno::Busy)
}

/// Tells the filesystem a handle on `node` opened (host backends hold a real handle; MemFS
/// keeps an unlinked node alive while held).
pub fn hold(node: &Node, writable: bool) -> Result<()> {
    Ok(borrow_fs(&node.fs)?.opened(node.ino, writable)?)
}

/// Tells the filesystem a handle on `node` closed (a busy filesystem is skipped: closing never fails).
pub fn release(node: &Node) {
    if let Ok(mut fs) = borrow_fs(&node.fs) {
        fs.closed(node.ino);
    }
}

/// The final component's name, or `on_none` for paths like `.` that name no entry.
fn entry_name(r: &Resolved, on_none: Errno) -> Result<&[u8]> {
    Ok(r.name.as_deref().ok_or(on_none)?)
}

/// The name of a new non-directory entry (link or symlink): the path must not exist (EEXIST),
/// must not end in '/' (ENOENT: only directories may), and must name an entry.
fn new_file_entry(r: &Resolved) -> Result<&[u8]> {
    if r.node.is_some() {
        return Err(Errno::Exist.into());
    }
    if r.trailing_slash {
        return Err(Errno::NoEnt.into());
    }
    entry_name(r, Errno::Exist)
}

impl Ctx {
    /// Resolves `path` beneath `dir` (reporting escapes as denials, and every access when the
    /// log asks for it).
    fn lookup(&mut self, op: &str, dir: &Node, path: &[u8], follow: bool) -> Result<Resolved> {
        let result = resolve(&mut *borrow_fs(&dir.fs)?, dir.ino, path, follow);
        match result {
            Err(Errno::NotCapable) => {
                self.denied(op, &dir.path_of(path), "outside the mount");
                Err(Error::OutsideMount)
            }
            Ok(_) if self.policy.log == LogPolicy::All => {
                let json = format!(
                    "{{\"type\":\"access\",\"op\":{},\"path\":{}}}",
                    crate::json::quote(op),
                    crate::json::quote(&dir.path_of(path))
                );
                self.event(&json);
                Ok(result?)
            }
            _ => Ok(result?),
        }
    }

    /// [`Error::ReadOnly`] plus a denial event when `dir` lies on a read-only mount.
    fn check_mutable(&mut self, op: &str, dir: &Node, path: &[u8]) -> Result<()> {
        if dir.readonly {
            self.denied(op, &dir.path_of(path), "read-only mount");
            return Err(Error::ReadOnly);
        }
        Ok(())
    }

    /// Makes a change beneath `dir` under the memory limit, a refusal being a denial of `op`
    /// on `path` (`Ctx::change_fs`).
    fn change_at<T>(
        &mut self,
        op: &str,
        dir: &Node,
        path: &[u8],
        change: impl FnOnce(&mut dyn Filesystem) -> crate::errno::Result<T>,
    ) -> Result<T> {
        self.change_fs(&dir.fs, op, true, || dir.path_of(path), change)
    }

    pub fn create_dir_at(&mut self, op: &str, dir: &Node, path: &[u8]) -> Result<()> {
        let r = self.lookup(op, dir, path, false)?;
        if r.node.is_some() {
            return Err(Errno::Exist.into());
        }
        let name = entry_name(&r, Errno::Exist)?;
        self.check_mutable(op, dir, path)?;
        self.change_at(op, dir, path, |fs| fs.create_dir(r.parent, name))
    }

    pub fn stat_at(&mut self, op: &str, dir: &Node, path: &[u8], follow: bool) -> Result<Metadata> {
        let r = self.lookup(op, dir, path, follow)?;
        let node = r.node.ok_or(Errno::NoEnt)?;
        Ok(borrow_fs(&dir.fs)?.metadata(node)?)
    }

    pub fn set_times_at(
        &mut self,
        op: &str,
        dir: &Node,
        path: &[u8],
        follow: bool,
        atim: SetTime,
        mtim: SetTime,
    ) -> Result<()> {
        let r = self.lookup(op, dir, path, follow)?;
        let node = r.node.ok_or(Errno::NoEnt)?;
        self.check_mutable(op, dir, path)?;
        let now = self.now(Clock::Realtime);
        let result = borrow_fs(&dir.fs)?.set_times(node, atim, mtim, now);
        Ok(result?)
    }

    /// A hard link `new_path` to what `old_path` names (never a directory: EPERM).
    pub fn link_at(
        &mut self,
        op: &str,
        old: &Node,
        old_path: &[u8],
        follow: bool,
        new: &Node,
        new_path: &[u8],
    ) -> Result<()> {
        let src = self.lookup(op, old, old_path, follow)?;
        let node = src.node.ok_or(Errno::NoEnt)?;
        if borrow_fs(&old.fs)?.metadata(node)?.filetype == FileType::Directory {
            return Err(Errno::Perm.into());
        }
        let dst = self.lookup(op, new, new_path, false)?;
        let name = new_file_entry(&dst)?;
        if !Rc::ptr_eq(&old.fs, &new.fs) {
            return Err(Errno::XDev.into());
        }
        self.check_mutable(op, new, new_path)?;
        self.change_at(op, new, new_path, |fs| fs.link(node, dst.parent, name))
    }

    /// Opens (and maybe creates or truncates) what `path` names. `open_now`: handles the guest
    /// holds, checked against `limits.openFiles` before anything else.
    pub fn open_at(
        &mut self,
        op: &str,
        dir: &Node,
        path: &[u8],
        how: OpenOptions,
        open_now: u64,
    ) -> Result<Opened> {
        if open_now >= self.policy.limits.open_files {
            return Err(self.over_limit(op, &dir.path_of(path), Limit::OpenFiles));
        }
        let r = self.lookup(op, dir, path, how.follow)?;
        let (ino, created) = match r.node {
            Some(_) if how.create && how.exclusive => return Err(Errno::Exist.into()),
            Some(ino) => (ino, false),
            None if !how.create => return Err(Errno::NoEnt.into()),
            None => {
                if !how.may_create {
                    return Err(Error::NotPermitted);
                }
                if r.trailing_slash || how.directory {
                    return Err(Errno::IsDir.into());
                }
                let name = entry_name(&r, Errno::Exist)?;
                self.check_mutable(op, dir, path)?;
                let ino = self.change_at(op, dir, path, |fs| fs.create_file(r.parent, name))?;
                (ino, true)
            }
        };
        let filetype = borrow_fs(&dir.fs)?.metadata(ino)?.filetype;
        let node = |guest_path: String| Node {
            fs: dir.fs.clone(),
            dev: dir.dev,
            ino,
            guest_path: guest_path.into(),
            readonly: dir.readonly,
        };
        match filetype {
            FileType::SymbolicLink => Err(Errno::Loop.into()),
            FileType::Directory => {
                if how.write || how.truncate || how.create {
                    return Err(Errno::IsDir.into());
                }
                Ok(Opened::Dir(node(dir.path_of(path))))
            }
            _ if how.directory => Err(Errno::NotDir.into()),
            _ => {
                if (how.write || how.truncate) && !created {
                    self.check_mutable(op, dir, path)?;
                }
                if how.truncate {
                    if !how.may_truncate {
                        return Err(Error::NotPermitted);
                    }
                    // A file this call created is empty: truncating it only cost a host
                    // directory three system calls per created file (reopen, check, ftruncate).
                    if !created {
                        borrow_fs(&dir.fs)?.set_size(ino, 0)?;
                    }
                }
                Ok(Opened::File(node(dir.path_of(path))))
            }
        }
    }

    /// The target of the symlink `path` names (EINVAL for anything else).
    pub fn readlink_at(&mut self, op: &str, dir: &Node, path: &[u8]) -> Result<Vec<u8>> {
        let r = self.lookup(op, dir, path, false)?;
        let node = r.node.ok_or(Errno::NoEnt)?;
        let mut fs = borrow_fs(&dir.fs)?;
        if fs.metadata(node)?.filetype != FileType::SymbolicLink {
            return Err(Errno::Inval.into());
        }
        Ok(fs.readlink(node)?)
    }

    pub fn remove_dir_at(&mut self, op: &str, dir: &Node, path: &[u8]) -> Result<()> {
        let r = self.lookup(op, dir, path, false)?;
        let node = r.node.ok_or(Errno::NoEnt)?;
        let name = entry_name(&r, Errno::Inval)?;
        if borrow_fs(&dir.fs)?.metadata(node)?.filetype != FileType::Directory {
            return Err(Errno::NotDir.into());
        }
        self.check_mutable(op, dir, path)?;
        let result = borrow_fs(&dir.fs)?.rmdir(r.parent, name);
        Ok(result?)
    }

    pub fn rename_at(
        &mut self,
        op: &str,
        old: &Node,
        old_path: &[u8],
        new: &Node,
        new_path: &[u8],
    ) -> Result<()> {
        let src = self.lookup(op, old, old_path, false)?;
        let src_node = src.node.ok_or(Errno::NoEnt)?;
        let src_name = entry_name(&src, Errno::Busy)?.to_vec();
        let dst = self.lookup(op, new, new_path, false)?;
        let dst_name = entry_name(&dst, Errno::Busy)?;
        if !Rc::ptr_eq(&old.fs, &new.fs) {
            return Err(Errno::XDev.into());
        }
        let src_is_dir = borrow_fs(&old.fs)?.metadata(src_node)?.filetype == FileType::Directory;
        if dst.trailing_slash && !src_is_dir {
            return Err(Errno::NotDir.into());
        }
        self.check_mutable(op, old, old_path)?;
        self.check_mutable(op, new, new_path)?;
        let rename =
            |fs: &mut dyn Filesystem| fs.rename(src.parent, &src_name, dst.parent, dst_name);
        self.change_at(op, new, new_path, rename)
    }

    /// Creates a symlink; an absolute target could never be followed inside the sandbox, so it
    /// is refused up front ([`Error::OutsideMount`]).
    pub fn symlink_at(&mut self, op: &str, target: &[u8], dir: &Node, path: &[u8]) -> Result<()> {
        check_path_bytes(target)?;
        if target[0] == b'/' {
            self.denied(
                op,
                &String::from_utf8_lossy(target),
                "absolute symlink target",
            );
            return Err(Error::OutsideMount);
        }
        let r = self.lookup(op, dir, path, false)?;
        let name = new_file_entry(&r)?;
        self.check_mutable(op, dir, path)?;
        self.change_at(op, dir, path, |fs| fs.symlink(r.parent, name, target))
    }

    pub fn unlink_file_at(&mut self, op: &str, dir: &Node, path: &[u8]) -> Result<()> {
        let r = self.lookup(op, dir, path, false)?;
        let node = r.node.ok_or(Errno::NoEnt)?;
        let name = entry_name(&r, Errno::IsDir)?;
        if borrow_fs(&dir.fs)?.metadata(node)?.filetype == FileType::Directory {
            return Err(Errno::IsDir.into());
        }
        self.check_mutable(op, dir, path)?;
        let result = borrow_fs(&dir.fs)?.unlink(r.parent, name);
        Ok(result?)
    }

    /// The entries of directory `dir` (no `.` and `..`), in the filesystem's stable order.
    pub fn read_dir(&mut self, dir: &Node) -> Result<Vec<DirEntry>> {
        Ok(borrow_fs(&dir.fs)?.readdir(dir.ino)?)
    }

    /// `stat` of an open node.
    #[inline]
    pub fn stat(&mut self, node: &Node) -> Result<Metadata> {
        Ok(borrow_fs(&node.fs)?.metadata(node.ino)?)
    }

    /// Sets an open node's times (refused on a read-only mount).
    pub fn set_times(&mut self, op: &str, node: &Node, atim: SetTime, mtim: SetTime) -> Result<()> {
        if node.readonly {
            self.denied(op, &node.guest_path, "read-only mount");
            return Err(Error::ReadOnly);
        }
        let now = self.now(Clock::Realtime);
        let result = borrow_fs(&node.fs)?.set_times(node.ino, atim, mtim, now);
        Ok(result?)
    }

    /// Flushes an open node to stable storage (host backends).
    pub fn sync(&mut self, node: &Node) -> Result<()> {
        Ok(borrow_fs(&node.fs)?.sync(node.ino)?)
    }
}
