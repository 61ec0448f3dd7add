//! p1's descriptors: what each guest fd refers to (a host [`Node`] or a standard stream) with
//! what only p1 has: rights, fdflags, the file position and `fd_readdir`'s listing.
use crate::errno::{Errno, Result};
use crate::host::fs::{release, Node};
use crate::host::streams::StdioKind;
use crate::host::table::Table;
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

/// An open regular file (or other non-directory node).
#[derive(Clone)]
pub struct FileDesc {
    pub node: Node,
    /// Current offset for `fd_read`/`fd_write`/`fd_seek`.
    pub pos: u64,
}

/// An open directory.
#[derive(Clone)]
pub struct DirDesc {
    pub node: Node,
    /// `Some(guest path)` for a preopen (what `fd_prestat_dir_name` reports).
    pub preopen: Option<Rc<str>>,
    /// The entries `fd_readdir` is walking: taken at cookie 0 and reused while the guest reads
    /// on, so listing a large directory costs one `readdir`, not one per call. Set only through
    /// [`Descriptors::keep_listing`], which accounts for it.
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

    /// The host node of a file or directory descriptor.
    pub fn node(&self) -> Option<&Node> {
        match &self.kind {
            Kind::File(f) => Some(&f.node),
            Kind::Dir(d) => Some(&d.node),
            Kind::Stdio(_) => None,
        }
    }

    /// The bytes of the listing this descriptor keeps.
    fn listed(&self) -> u64 {
        match &self.kind {
            Kind::Dir(DirDesc {
                listing: Some(listing),
                ..
            }) => listing.bytes,
            _ => 0,
        }
    }
}

/// The guest's descriptor table (fds reused lowest-first, like POSIX), with the bytes its
/// directories' listings hold kept as a running total, so bounding them costs nothing until
/// they near [`LISTINGS_KEPT`].
#[derive(Default)]
pub struct Descriptors {
    table: Table<Descriptor>,
    listed: u64,
}

impl Descriptors {
    #[inline]
    pub fn get(&self, fd: u32) -> Result<&Descriptor> {
        self.table.get(fd)
    }

    /// A descriptor to change (its listing only through [`Descriptors::keep_listing`]).
    #[inline]
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Descriptor> {
        self.table.get_mut(fd)
    }

    pub fn open_count(&self) -> u64 {
        self.table.open_count()
    }

    /// Places `desc` in the lowest free fd (`limit`: most open at once).
    pub fn insert(&mut self, desc: Descriptor, limit: u64) -> Result<u32> {
        let bytes = desc.listed();
        let fd = self.table.insert(desc, limit)?;
        self.listed += bytes;
        Ok(fd)
    }

    /// Removes and returns the descriptor `fd`.
    pub fn remove(&mut self, fd: u32) -> Result<Descriptor> {
        let desc = self.table.remove(fd)?;
        self.listed -= desc.listed();
        Ok(desc)
    }

    /// `fd_renumber`: moves `from` onto `to` (which must be open), returning what `to` held.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<Option<Descriptor>> {
        let replaced = self.table.renumber(from, to)?;
        self.listed -= replaced.as_ref().map_or(0, Descriptor::listed);
        Ok(replaced)
    }

    /// Every open (fd, descriptor), lowest fd first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Descriptor)> {
        self.table.iter()
    }

    /// The bytes all kept listings hold.
    pub fn listed_bytes(&self) -> u64 {
        self.listed
    }

    /// Gives directory `fd` the listing `listing`. Other descriptors' listings are forgotten,
    /// lowest fd last kept, once together they would hold more than [`LISTINGS_KEPT`] bytes.
    pub fn keep_listing(&mut self, fd: u32, listing: Rc<Listing>) -> Result<()> {
        let Kind::Dir(dir) = &mut self.table.get_mut(fd)?.kind else {
            return Err(Errno::NotDir);
        };
        let old = dir.listing.take().map_or(0, |l| l.bytes);
        let bytes = listing.bytes;
        dir.listing = Some(listing);
        self.listed -= old;
        if self.listed > LISTINGS_KEPT {
            // Rare: only then are the others walked, keeping the lowest fds' listings that fit.
            let mut kept = 0u64;
            for (i, desc) in self.table.iter_mut() {
                let Kind::Dir(dir) = &mut desc.kind else {
                    continue;
                };
                let Some(other) = dir.listing.as_ref().map(|l| l.bytes) else {
                    continue;
                };
                if i == fd {
                    continue;
                }
                if kept + other <= LISTINGS_KEPT {
                    kept += other;
                } else {
                    dir.listing = None;
                }
            }
            self.listed = kept;
        }
        self.listed += bytes;
        Ok(())
    }

    /// Closes every descriptor (a context ends), releasing the nodes they held.
    pub fn close_all(&mut self) {
        let open: Vec<u32> = self.iter().map(|(fd, _)| fd).collect();
        for fd in open {
            if let Ok(desc) = self.remove(fd) {
                if let Some(node) = desc.node() {
                    release(node);
                }
            }
        }
    }
}

/// p1's per-context state: the descriptor table and a `poll_oneoff` that returned BLOCKED.
#[derive(Default)]
pub struct State {
    pub fds: Descriptors,
    pub pending_poll: Option<PendingPoll>,
}

/// A deadline computed by a `poll_oneoff` that returned BLOCKED, kept so the retry of the same
/// call (same subscription bytes) waits for the original deadline rather than a fresh one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingPoll {
    pub subscriptions: Vec<u8>,
    /// Absolute guest-monotonic deadline of each relative clock subscription, in order.
    pub deadlines: Vec<u64>,
}

impl State {
    /// fds 0–2 are stdio, the preopens (guest name, directory) follow from fd 3 in order.
    pub fn new(preopens: &[(Rc<str>, Node)]) -> std::result::Result<State, String> {
        let mut fds = Descriptors::default();
        let stdio = [
            (
                StdioKind::Stdin,
                Rights::FD_READ | Rights::POLL_FD_READWRITE,
            ),
            (
                StdioKind::Stdout,
                Rights::FD_WRITE | Rights::POLL_FD_READWRITE,
            ),
            (
                StdioKind::Stderr,
                Rights::FD_WRITE | Rights::POLL_FD_READWRITE,
            ),
        ];
        for (kind, rights) in stdio {
            let desc = Descriptor {
                kind: Kind::Stdio(kind),
                base: rights,
                inheriting: 0,
                flags: 0,
                dropped: 0,
                withheld: 0,
            };
            fds.insert(desc, u64::MAX).map_err(|e| e.to_string())?;
        }
        for (name, node) in preopens {
            let desc = Descriptor {
                kind: Kind::Dir(DirDesc {
                    node: node.clone(),
                    preopen: Some(name.clone()),
                    listing: None,
                }),
                base: Rights::DIR,
                inheriting: Rights::DIR_INHERITING,
                flags: 0,
                dropped: 0,
                withheld: 0,
            };
            fds.insert(desc, u64::MAX).map_err(|e| e.to_string())?;
        }
        Ok(State {
            fds,
            pending_poll: None,
        })
    }
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

    fn dir() -> Descriptor {
        let fs: crate::vfs::SharedFs =
            Rc::new(std::cell::RefCell::new(crate::vfs::mem::MemFs::new()));
        let node = Node {
            fs,
            dev: 1,
            ino: 0,
            guest_path: "/".into(),
            readonly: false,
        };
        Descriptor {
            kind: Kind::Dir(DirDesc {
                node,
                preopen: None,
                listing: None,
            }),
            base: 0,
            inheriting: 0,
            flags: 0,
            dropped: 0,
            withheld: 0,
        }
    }

    fn listing(bytes: u64) -> Rc<Listing> {
        Rc::new(Listing {
            entries: Vec::new(),
            bytes,
        })
    }

    fn kept(t: &Descriptors) -> Vec<bool> {
        t.iter()
            .map(|(_, d)| matches!(&d.kind, Kind::Dir(d) if d.listing.is_some()))
            .collect()
    }

    /// The running total, recomputed the slow way.
    fn walked(t: &Descriptors) -> u64 {
        t.iter().map(|(_, d)| d.listed()).sum()
    }

    #[test]
    fn listings_of_other_descriptors_are_bounded() {
        let mut t = Descriptors::default();
        for _ in 0..5 {
            t.insert(dir(), u64::MAX).unwrap();
        }
        for fd in 0..4 {
            t.keep_listing(fd, listing(LISTINGS_KEPT / 3)).unwrap();
        }
        assert_eq!(
            kept(&t),
            [true, true, true, true, false],
            "three thirds besides the one read fit"
        );
        t.keep_listing(4, listing(LISTINGS_KEPT / 3)).unwrap();
        assert_eq!(
            kept(&t),
            [true, true, true, false, true],
            "the lowest fds' listings that fit are kept"
        );
        t.keep_listing(0, listing(LISTINGS_KEPT / 3)).unwrap();
        assert_eq!(
            kept(&t),
            [true, true, true, false, true],
            "re-reading fd 0 replaces its own listing"
        );
        t.keep_listing(3, listing(LISTINGS_KEPT / 3)).unwrap();
        assert_eq!(kept(&t), [true, true, true, true, false]);
        assert_eq!(t.listed_bytes(), walked(&t));
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
    fn the_listing_total_follows_closes_renumbers_and_rereads() {
        // A hostile guest re-reads at cookie 0 over and over, closes and renumbers listed
        // directories: the running total stays what the table holds, never drifts (an
        // underflow would panic, a leak would forget listings early).
        let mut t = Descriptors::default();
        for _ in 0..5 {
            t.insert(dir(), u64::MAX).unwrap();
        }
        for round in 0..50u64 {
            t.keep_listing((round % 5) as u32, listing(LISTINGS_KEPT / 4 + round))
                .unwrap();
            assert_eq!(t.listed_bytes(), walked(&t));
            assert!(t.listed_bytes() <= LISTINGS_KEPT + LISTINGS_KEPT / 4 + round);
        }
        t.renumber(1, 2).unwrap();
        assert_eq!(t.listed_bytes(), walked(&t));
        let closed = t.remove(3).unwrap();
        assert_eq!(t.listed_bytes(), walked(&t));
        t.insert(closed, u64::MAX).unwrap();
        assert_eq!(
            t.listed_bytes(),
            walked(&t),
            "a descriptor inserted with a listing counts"
        );
        t.close_all();
        assert_eq!(t.listed_bytes(), 0);
        assert_eq!(t.keep_listing(0, listing(1)), Err(Errno::Badf));
        t.insert(stdio(StdioKind::Stdin), u64::MAX).unwrap();
        assert_eq!(t.keep_listing(0, listing(1)), Err(Errno::NotDir));
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
