//! The descriptor table: what each guest fd refers to, its rights and flags.
use crate::errno::{Errno, Result};
use crate::vfs::{Ino, SharedFs};
use std::rc::Rc;

/// WASI `rights` bits (the numbers are the ABI's).
pub struct Rights;
impl Rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every defined bit.
    pub const ALL: u64 = (1 << 30) - 1;

    /// What a regular-file descriptor can hold (as wasmtime's p1 reports).
    pub const FILE: u64 = Self::FD_DATASYNC
        | Self::FD_READ
        | Self::FD_SEEK
        | Self::FD_FDSTAT_SET_FLAGS
        | Self::FD_SYNC
        | Self::FD_TELL
        | Self::FD_WRITE
        | Self::FD_ADVISE
        | Self::FD_ALLOCATE
        | Self::FD_FILESTAT_GET
        | Self::FD_FILESTAT_SET_SIZE
        | Self::FD_FILESTAT_SET_TIMES
        | Self::POLL_FD_READWRITE;

    /// What a directory descriptor can hold.
    pub const DIR: u64 = Self::FD_FDSTAT_SET_FLAGS
        | Self::FD_SYNC
        | Self::FD_DATASYNC
        | Self::PATH_CREATE_DIRECTORY
        | Self::PATH_CREATE_FILE
        | Self::PATH_LINK_SOURCE
        | Self::PATH_LINK_TARGET
        | Self::PATH_OPEN
        | Self::FD_READDIR
        | Self::PATH_READLINK
        | Self::PATH_RENAME_SOURCE
        | Self::PATH_RENAME_TARGET
        | Self::PATH_FILESTAT_GET
        | Self::PATH_FILESTAT_SET_SIZE
        | Self::PATH_FILESTAT_SET_TIMES
        | Self::FD_FILESTAT_GET
        | Self::FD_FILESTAT_SET_TIMES
        | Self::PATH_SYMLINK
        | Self::PATH_REMOVE_DIRECTORY
        | Self::PATH_UNLINK_FILE;

    /// Rights a directory passes to what is opened beneath it.
    pub const DIR_INHERITING: u64 = Self::DIR | Self::FILE;
}

/// WASI `fdflags` bits.
pub struct FdFlags;
impl FdFlags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = (1 << 5) - 1;
}

/// Which standard stream a stdio descriptor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdioKind {
    Stdin,
    Stdout,
    Stderr,
}

/// An open regular file (or other non-directory node) of some filesystem.
#[derive(Clone)]
pub struct FileDesc {
    pub fs: SharedFs,
    /// Distinguishes filesystems in `filestat.dev` (one number per filesystem of the context).
    pub dev: u64,
    pub ino: Ino,
    /// The path the guest used, from its mount (for denial events).
    pub guest_path: Rc<str>,
    /// Current offset for `fd_read`/`fd_write`/`fd_seek`.
    pub pos: u64,
    /// Opened on a read-only mount: every write is refused (rights aside).
    pub readonly: bool,
}

/// An open directory.
#[derive(Clone)]
pub struct DirDesc {
    pub fs: SharedFs,
    pub dev: u64,
    pub ino: Ino,
    /// The guest-visible path of this directory (the preopen name joined with the path that
    /// opened it), for denial events.
    pub guest_path: Rc<str>,
    /// Lies on a read-only mount: nothing beneath it may be created, changed or removed.
    pub readonly: bool,
    /// `Some(guest path)` for a preopen (what `fd_prestat_dir_name` reports).
    pub preopen: Option<Rc<str>>,
    /// The entries `fd_readdir` is walking: taken at cookie 0 and reused while the guest reads
    /// on, so listing a large directory costs one `readdir`, not one per call.
    pub listing: Option<Rc<Listing>>,
}

/// A directory's entries as `fd_readdir` took them, and what that copy holds.
pub struct Listing {
    pub entries: Vec<crate::vfs::DirEntry>,
    pub bytes: u64,
}

impl Listing {
    pub fn new(entries: Vec<crate::vfs::DirEntry>) -> Listing {
        let entry = std::mem::size_of::<crate::vfs::DirEntry>() as u64;
        let bytes = entries.iter().map(|e| entry + e.name.len() as u64).sum();
        Listing { entries, bytes }
    }
}

/// The most bytes of listings kept for descriptors other than the one being read. Each open
/// directory keeps its own copy of its names, so without a bound a guest that lists one large
/// directory through many descriptors multiplies the names it was allowed to store
/// (docs/limits.md); a listing forgotten is read again at its descriptor's next `fd_readdir`.
pub const LISTINGS_KEPT: u64 = 64 << 20;

/// What a descriptor refers to.
#[derive(Clone)]
pub enum Kind {
    Stdio(StdioKind),
    File(FileDesc),
    Dir(DirDesc),
}

/// One open descriptor.
#[derive(Clone)]
pub struct Descriptor {
    pub kind: Kind,
    /// Rights that apply to this descriptor (fd_fdstat_set_rights can only drop them).
    pub base: u64,
    /// Rights that descriptors opened through this one may have.
    pub inheriting: u64,
    /// `fdflags` (append, nonblock, the sync flags) as set by path_open / fd_fdstat_set_flags.
    pub flags: u16,
    /// Rights removed with `fd_fdstat_set_rights`. Like wasmtime, Cove enforces FD_READ and
    /// FD_WRITE from the rights a descriptor was opened with and does not otherwise police the
    /// rights a guest asked for (toolchains ask for too few); a right the guest dropped
    /// explicitly is enforced.
    pub dropped: u64,
    /// Inheriting rights the guest dropped: no descriptor opened through this one gets them
    /// (they are masked out and enforced there, and passed on to its own children).
    pub withheld: u64,
}

impl Descriptor {
    /// `ENOTCAPABLE` when a right in `needed` was dropped with `fd_fdstat_set_rights`.
    pub fn require(&self, needed: u64) -> Result<()> {
        if needed & self.dropped == 0 {
            Ok(())
        } else {
            Err(Errno::NotCapable)
        }
    }

    /// May the descriptor read (FD_READ among its base rights)? `EBADF` otherwise, as wasmtime.
    pub fn require_read(&self) -> Result<()> {
        if self.base & Rights::FD_READ != 0 {
            Ok(())
        } else {
            Err(Errno::Badf)
        }
    }

    /// May the descriptor write (FD_WRITE among its base rights)? `EBADF` otherwise.
    pub fn require_write(&self) -> Result<()> {
        if self.base & Rights::FD_WRITE != 0 {
            Ok(())
        } else {
            Err(Errno::Badf)
        }
    }

    /// The (filesystem, node) of a file or directory descriptor.
    pub fn node(&self) -> Option<(&SharedFs, Ino)> {
        match &self.kind {
            Kind::File(f) => Some((&f.fs, f.ino)),
            Kind::Dir(d) => Some((&d.fs, d.ino)),
            Kind::Stdio(_) => None,
        }
    }
}

/// The guest's descriptor table. Fds are reused lowest-first, like POSIX.
#[derive(Default)]
pub struct FdTable {
    slots: Vec<Option<Descriptor>>,
    open: u64,
    /// No slot below this one is free: `insert` searches from here, so opening the n-th of many
    /// descriptors does not scan the n before it.
    lowest_free: usize,
}

impl FdTable {
    pub fn get(&self, fd: u32) -> Result<&Descriptor> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// Number of open descriptors.
    pub fn open_count(&self) -> u64 {
        self.open
    }

    /// Places `desc` in the lowest free slot and returns its fd (`limit`: most open at once).
    pub fn insert(&mut self, desc: Descriptor, limit: u64) -> Result<u32> {
        if self.open >= limit {
            return Err(Errno::MFile);
        }
        let slot = match self
            .slots
            .iter()
            .skip(self.lowest_free)
            .position(Option::is_none)
        {
            Some(i) => self.lowest_free + i,
            None => {
                if self.slots.len() >= u32::MAX as usize {
                    return Err(Errno::NFile);
                }
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        self.slots[slot] = Some(desc);
        self.lowest_free = slot + 1;
        self.open += 1;
        u32::try_from(slot).map_err(|_| Errno::NFile)
    }

    /// Removes and returns the descriptor `fd`.
    pub fn remove(&mut self, fd: u32) -> Result<Descriptor> {
        let desc = self
            .slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)?;
        self.open -= 1;
        self.lowest_free = self.lowest_free.min(fd as usize);
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(desc)
    }

    /// `fd_renumber`: moves `from` onto `to` (which must be open), closing what `to` held.
    /// Returns the descriptor that was replaced.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<Option<Descriptor>> {
        self.get(from)?;
        self.get(to)?;
        if from == to {
            return Ok(None);
        }
        let moving = self.remove(from)?;
        let slot = self.slots.get_mut(to as usize).ok_or(Errno::Badf)?;
        let replaced = slot.replace(moving);
        Ok(replaced)
    }

    /// Forgets other descriptors' listings once together they hold more than [`LISTINGS_KEPT`]
    /// bytes (`fd` is about to take a new one).
    pub fn bound_listings(&mut self, fd: u32) {
        let mut kept = 0u64;
        for (i, slot) in self.slots.iter_mut().enumerate() {
            let Some(Descriptor {
                kind: Kind::Dir(dir),
                ..
            }) = slot
            else {
                continue;
            };
            let Some(bytes) = dir.listing.as_ref().map(|listing| listing.bytes) else {
                continue;
            };
            if i != fd as usize && kept + bytes <= LISTINGS_KEPT {
                kept += bytes;
            } else {
                dir.listing = None;
            }
        }
    }

    /// Every open (fd, descriptor), lowest fd first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Descriptor)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((u32::try_from(i).ok()?, d.as_ref()?)))
    }
}

/// Borrows a filesystem for one operation (`EBUSY` if it is already borrowed, which only a
/// re-entrant embedder could cause; never a panic).
pub fn borrow_fs(
    fs: &SharedFs,
) -> Result<std::cell::RefMut<'_, dyn crate::vfs::Filesystem + 'static>> {
    fs.try_borrow_mut().map_err(|_| Errno::Busy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stdio(kind: StdioKind) -> Descriptor {
        Descriptor {
            kind: Kind::Stdio(kind),
            base: 0,
            inheriting: 0,
            flags: 0,
            dropped: 0,
            withheld: 0,
        }
    }

    #[test]
    fn listings_of_other_descriptors_are_bounded() {
        let mut t = FdTable::default();
        let listed = |bytes| Descriptor {
            kind: Kind::Dir(DirDesc {
                fs: std::rc::Rc::new(std::cell::RefCell::new(crate::vfs::mem::MemFs::new())),
                dev: 1,
                ino: 0,
                guest_path: "/".into(),
                readonly: false,
                preopen: None,
                listing: Some(Rc::new(Listing {
                    entries: Vec::new(),
                    bytes,
                })),
            }),
            base: 0,
            inheriting: 0,
            flags: 0,
            dropped: 0,
            withheld: 0,
        };
        for _ in 0..4 {
            t.insert(listed(LISTINGS_KEPT / 3), u64::MAX).unwrap();
        }
        t.bound_listings(3);
        let kept: Vec<bool> = t
            .iter()
            .map(|(_, d)| matches!(&d.kind, Kind::Dir(d) if d.listing.is_some()))
            .collect();
        assert_eq!(
            kept,
            [true, true, true, false],
            "three thirds fit; fd 3's is replaced"
        );
        t.bound_listings(0);
        let kept: Vec<bool> = t
            .iter()
            .map(|(_, d)| matches!(&d.kind, Kind::Dir(d) if d.listing.is_some()))
            .collect();
        assert_eq!(kept, [false, true, true, false]);
        assert_eq!(
            Listing::new(vec![crate::vfs::DirEntry {
                name: vec![b'n'; 100],
                ino: 1,
                filetype: crate::vfs::FileType::Directory
            }])
            .bytes,
            std::mem::size_of::<crate::vfs::DirEntry>() as u64 + 100
        );
    }

    #[test]
    fn lowest_free_fd_is_reused_and_the_limit_holds() {
        let mut t = FdTable::default();
        for _ in 0..4 {
            t.insert(stdio(StdioKind::Stdin), 4).unwrap();
        }
        assert_eq!(t.insert(stdio(StdioKind::Stdin), 4), Err(Errno::MFile));
        t.remove(1).unwrap();
        assert_eq!(t.insert(stdio(StdioKind::Stdout), 4), Ok(1));
        assert_eq!(t.remove(9).err(), Some(Errno::Badf));
        assert_eq!(t.open_count(), 4);
    }

    #[test]
    fn renumber_replaces_the_target_and_frees_the_source() {
        let mut t = FdTable::default();
        t.insert(stdio(StdioKind::Stdin), 10).unwrap();
        t.insert(stdio(StdioKind::Stdout), 10).unwrap();
        t.insert(stdio(StdioKind::Stderr), 10).unwrap();
        let replaced = t.renumber(2, 0).unwrap().unwrap();
        assert!(matches!(replaced.kind, Kind::Stdio(StdioKind::Stdin)));
        assert!(matches!(
            t.get(0).unwrap().kind,
            Kind::Stdio(StdioKind::Stderr)
        ));
        assert_eq!(t.get(2).err(), Some(Errno::Badf));
        assert_eq!(t.open_count(), 2);
        assert_eq!(
            t.renumber(0, 2).err(),
            Some(Errno::Badf),
            "target must be open"
        );
        assert_eq!(t.iter().map(|(fd, _)| fd).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn only_dropped_rights_are_enforced_beyond_read_and_write() {
        let mut d = stdio(StdioKind::Stdin);
        d.base = Rights::FD_READ;
        assert_eq!(d.require(Rights::FD_SEEK), Ok(()));
        assert_eq!(d.require_read(), Ok(()));
        assert_eq!(d.require_write(), Err(Errno::Badf));
        d.dropped = Rights::FD_SEEK;
        assert_eq!(
            d.require(Rights::FD_SEEK | Rights::FD_TELL),
            Err(Errno::NotCapable)
        );
    }
}
