//! Filesystems behind one trait, and sandboxed path resolution over them.
//!
//! A [`Filesystem`] knows nothing of paths: it offers one-name operations on directory nodes
//! (`lookup`, `create_file`, `unlink`…) and data operations on file nodes. Path resolution
//! (`path.rs`) walks names one at a time, follows symlinks itself and clamps `..` at the mount
//! root, so no backend — not even one over real host directories — can be led outside a mount.
//!
//! Backends: [`mem::MemFs`] (the default, in the core) and host backends implemented in JS
//! (Node directories, OPFS), reached through crate/wasm with numbers and byte strings only.
//! [`tools`] has node:fs-style path helpers (`write_file`, `mkdir -p`, `rm -r`, `subtree`…) for
//! the host side, over any backend.
use crate::errno::Result;

pub mod file_data;
pub mod mem;
pub mod path;
#[cfg(test)]
mod props;
pub mod tools;

/// A node's identity within one filesystem (MemFS: slot index plus a generation in the high 32
/// bits, so a stale `Ino` never names a slot's next tenant; host backends: an id in JS's table).
pub type Ino = u64;

/// WASI `filetype` values (the numbers are the ABI's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FileType {
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

/// What `stat` reports. Times are nanoseconds since the Unix epoch (u64: exact, see docs/pitfalls.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub ino: u64,
    pub filetype: FileType,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: Vec<u8>,
    pub ino: Ino,
    pub filetype: FileType,
}

/// A timestamp change requested by `*_filestat_set_times`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetTime {
    Keep,
    Now,
    At(u64),
}

/// One filesystem. Names passed in are single path components: never empty, never `.` or `..`,
/// never containing `/` or NUL (path.rs guarantees it). No operation follows symlinks.
pub trait Filesystem {
    fn root(&self) -> Ino;
    fn metadata(&mut self, node: Ino) -> Result<Metadata>;
    /// The entry `name` in directory `dir` (ENOENT if absent, ENOTDIR if `dir` is not a directory).
    fn lookup(&mut self, dir: Ino, name: &[u8]) -> Result<Ino>;
    /// `lookup` plus the entry's type, which path resolution needs at every step (to follow
    /// symlinks and refuse `file/..`). Backends that learn the type while looking up (MemFS, an
    /// `lstat` on the host) should override this to save a `metadata` round trip.
    fn lookup_entry(&mut self, dir: Ino, name: &[u8]) -> Result<(Ino, FileType)> {
        let node = self.lookup(dir, name)?;
        Ok((node, self.metadata(node)?.filetype))
    }
    fn readlink(&mut self, node: Ino) -> Result<Vec<u8>>;
    /// Entries of `dir` without `.` and `..`, in a stable order (cookies index into it).
    fn readdir(&mut self, dir: Ino) -> Result<Vec<DirEntry>>;
    /// A new empty regular file (EEXIST when `name` exists).
    fn create_file(&mut self, dir: Ino, name: &[u8]) -> Result<Ino>;
    fn create_dir(&mut self, dir: Ino, name: &[u8]) -> Result<()>;
    fn symlink(&mut self, dir: Ino, name: &[u8], target: &[u8]) -> Result<()>;
    /// A hard link to `node` (not a directory) named `name` in `dir`.
    fn link(&mut self, node: Ino, dir: Ino, name: &[u8]) -> Result<()>;
    /// Remove a non-directory entry (EISDIR/EPERM for directories).
    fn unlink(&mut self, dir: Ino, name: &[u8]) -> Result<()>;
    /// Remove an empty directory (ENOTEMPTY otherwise, ENOTDIR for non-directories).
    fn rmdir(&mut self, dir: Ino, name: &[u8]) -> Result<()>;
    /// POSIX rename: replaces an existing target of a compatible type.
    fn rename(&mut self, from_dir: Ino, from: &[u8], to_dir: Ino, to: &[u8]) -> Result<()>;
    fn read(&mut self, file: Ino, offset: u64, buf: &mut [u8]) -> Result<usize>;
    fn write(&mut self, file: Ino, offset: u64, data: &[u8]) -> Result<usize>;
    fn set_size(&mut self, file: Ino, size: u64) -> Result<()>;
    fn set_times(&mut self, node: Ino, atim: SetTime, mtim: SetTime, now: u64) -> Result<()>;
    /// Called when a descriptor on `node` opens / closes, so host backends can hold real handles.
    /// Every descriptor must call both: MemFS keeps an unlinked node alive (readable, writable)
    /// until its last descriptor closes, and frees it then.
    fn opened(&mut self, _node: Ino, _writable: bool) -> Result<()> {
        Ok(())
    }
    fn closed(&mut self, _node: Ino) {}
    /// Flush file data to stable storage (host backends).
    fn sync(&mut self, _node: Ino) -> Result<()> {
        Ok(())
    }
    /// The most memory the filesystem may hold after a change, until set again: beyond it a
    /// change is `EDQUOT`. Returns whether the filesystem enforces it (MemFS); host backends keep
    /// their data elsewhere, ignore it and return false. The core sets it for the span of one
    /// change a guest makes (`Ctx::change_fs`).
    fn set_memory_limit(&mut self, _bytes: u64) -> bool {
        false
    }
}

/// A filesystem shared by descriptors, contexts and the JS `MemFS` object that created it.
pub type SharedFs = std::rc::Rc<std::cell::RefCell<dyn Filesystem>>;
