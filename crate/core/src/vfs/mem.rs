//! MemFS: the in-memory filesystem, Cove's default backend.
//!
//! An inode table: slots are reused once a node has no links and no open descriptors, and every
//! [`Ino`] carries its slot's generation in the high 32 bits, so a stale `Ino` (a JS `subtree`
//! handle to a directory since removed) finds `ENOENT`, never the slot's next tenant.
//!
//! Directories are `BTreeMap`s, so `readdir` order is stable and cookies stay valid across
//! calls. File data lives in 64 KiB chunks ([`FileData`]): growing a file never copies it, holes
//! cost nothing, and an allocation failure is `ENOSPC`, not an abort.
//!
//! Timestamps are u64 ns from the filesystem clock ([`MemFs::set_clock`]; 0 until one is set),
//! updated as POSIX says: create sets all three; write/truncate set mtim+ctim; adding or removing
//! an entry sets the directory's mtim+ctim; link/unlink/rename set the node's ctim.
//!
//! Descriptors must call [`Filesystem::opened`] / [`Filesystem::closed`]: an unlinked node stays
//! readable and writable until its last descriptor closes.
//!
//! Memory: the filesystem counts what it holds ([`MemFs::memory_used`]): file data as allocated
//! (whole chunks, so sparse writes count), symlink targets, [`NODE_COST`] per node and
//! [`ENTRY_COST`] plus the name per directory entry. A change that would take the count past
//! the limit in force ([`Filesystem::set_memory_limit`], set for the span of a guest's call) is
//! refused with `EDQUOT` before it allocates anything (docs/limits.md).
use std::collections::BTreeMap;
use std::rc::Rc;

use super::file_data::FileData;
use super::{DirEntry, FileType, Filesystem, Ino, Metadata, SetTime};
use crate::errno::{Errno, Result};

/// The largest file MemFS will hold (1 TiB): writes or truncations beyond it are `EFBIG`.
/// (The engine's own memory runs out far sooner; that is `ENOSPC`.)
pub const MAX_FILE_SIZE: u64 = 1 << 40;

/// The longest name a directory entry may have, in bytes (Linux's NAME_MAX; wasmtime on a Linux
/// host answers ENAMETOOLONG past it too). Directories are sorted maps, so each lookup compares
/// names: with 60 kB names sharing a prefix, 4,000 mkdirs took 100 s in the engine (its memcmp
/// is a byte loop), quadratic in practice; at 255 bytes a comparison stays cheap.
pub const NAME_MAX: usize = 255;

/// What a node costs beyond its data: its slot, its fields, a share of the table's spare room.
pub const NODE_COST: u64 = 128;
/// What a directory entry costs beyond its name's bytes: the map's key, value and tree nodes.
pub const ENTRY_COST: u64 = 64;

/// Nanoseconds since the Unix epoch.
pub type Clock = Rc<dyn Fn() -> u64>;

pub struct MemFs {
    slots: Vec<Slot>,
    /// Indices of empty slots, reused before the table grows.
    free: Vec<u32>,
    root: Ino,
    clock: Clock,
    /// Bytes held, as the module header counts them.
    used: u64,
    /// The most `used` may grow to now (u64::MAX outside a guest's call).
    limit: u64,
}

struct Slot {
    generation: u32,
    node: Option<Node>,
}

struct Node {
    kind: Kind,
    /// Directory entries naming this node (for a directory: its entry in the parent, its own `.`,
    /// and each subdirectory's `..`, as POSIX counts).
    nlink: u64,
    /// Open descriptors on this node.
    open: u32,
    atim: u64,
    mtim: u64,
    ctim: u64,
}

enum Kind {
    File(FileData),
    Dir {
        entries: BTreeMap<Vec<u8>, Ino>,
        parent: Ino,
    },
    Symlink(Vec<u8>),
}

impl Kind {
    fn filetype(&self) -> FileType {
        match self {
            Kind::File(_) => FileType::RegularFile,
            Kind::Dir { .. } => FileType::Directory,
            Kind::Symlink(_) => FileType::SymbolicLink,
        }
    }
}

/// ENAMETOOLONG for a name no entry may have.
fn check_name(name: &[u8]) -> Result<()> {
    if name.len() > NAME_MAX {
        return Err(Errno::NameTooLong);
    }
    Ok(())
}

/// What the entry `name` costs in its directory.
fn entry_cost(name: &[u8]) -> u64 {
    ENTRY_COST + name.len() as u64
}

fn ino_of(index: u32, generation: u32) -> Ino {
    (generation as u64) << 32 | index as u64
}

impl Default for MemFs {
    fn default() -> Self {
        Self::new()
    }
}

impl MemFs {
    /// An empty filesystem (just the root directory) whose clock reads 0.
    pub fn new() -> MemFs {
        MemFs::with_clock(Rc::new(|| 0))
    }

    pub fn with_clock(clock: Clock) -> MemFs {
        let mut fs = MemFs {
            slots: Vec::new(),
            free: Vec::new(),
            root: 0,
            clock,
            used: NODE_COST,
            limit: u64::MAX,
        };
        let root = fs.alloc(Kind::Dir {
            entries: BTreeMap::new(),
            parent: 0,
        });
        fs.root = root;
        if let Kind::Dir { parent, .. } = &mut fs.node_mut(root).expect("just allocated").kind {
            *parent = root;
        }
        // The root has no entry in a parent: its links are its own `.` and `..`.
        fs.node_mut(root).expect("just allocated").nlink = 2;
        fs
    }

    /// Replaces the clock used for timestamps from now on (crate/wasm gives it JS's `Date`).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Number of live nodes (files, directories, symlinks, including the root). For tests and
    /// for the host to report memory use.
    pub fn node_count(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Bytes held: data as allocated, names, symlink targets and nodes (see the module header).
    pub fn memory_used(&self) -> u64 {
        self.used
    }

    fn now(&self) -> u64 {
        (self.clock)()
    }

    /// Refuses (EDQUOT) a change that would add `bytes` past the limit; counts them otherwise.
    fn charge(&mut self, bytes: u64) -> Result<()> {
        let after = self
            .used
            .checked_add(bytes)
            .filter(|&after| after <= self.limit)
            .ok_or(Errno::Dquot)?;
        self.used = after;
        Ok(())
    }

    fn refund(&mut self, bytes: u64) {
        self.used = self.used.saturating_sub(bytes);
    }

    fn alloc(&mut self, kind: Kind) -> Ino {
        let now = self.now();
        let nlink = if matches!(kind, Kind::Dir { .. }) {
            2
        } else {
            1
        };
        let node = Node {
            kind,
            nlink,
            open: 0,
            atim: now,
            mtim: now,
            ctim: now,
        };
        match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.node = Some(node);
                ino_of(index, slot.generation)
            }
            None => {
                let index = u32::try_from(self.slots.len()).expect("fewer than 2^32 nodes");
                self.slots.push(Slot {
                    generation: 0,
                    node: Some(node),
                });
                ino_of(index, 0)
            }
        }
    }

    /// Frees `ino`'s slot when nothing refers to it any more.
    fn release_if_unreferenced(&mut self, ino: Ino) {
        let Ok(node) = self.node(ino) else { return };
        if node.nlink == 0 && node.open == 0 {
            let held = NODE_COST
                + match &node.kind {
                    Kind::File(data) => data.held(),
                    Kind::Symlink(target) => target.len() as u64,
                    Kind::Dir { .. } => 0,
                };
            self.refund(held);
            let index = ino as u32;
            let slot = &mut self.slots[index as usize];
            slot.node = None;
            slot.generation = slot.generation.wrapping_add(1);
            self.free.push(index);
        }
    }

    fn node(&self, ino: Ino) -> Result<&Node> {
        let slot = self.slots.get(ino as u32 as usize).ok_or(Errno::NoEnt)?;
        if slot.generation != (ino >> 32) as u32 {
            return Err(Errno::NoEnt);
        }
        slot.node.as_ref().ok_or(Errno::NoEnt)
    }

    fn node_mut(&mut self, ino: Ino) -> Result<&mut Node> {
        let slot = self
            .slots
            .get_mut(ino as u32 as usize)
            .ok_or(Errno::NoEnt)?;
        if slot.generation != (ino >> 32) as u32 {
            return Err(Errno::NoEnt);
        }
        slot.node.as_mut().ok_or(Errno::NoEnt)
    }

    fn entries(&self, dir: Ino) -> Result<&BTreeMap<Vec<u8>, Ino>> {
        match &self.node(dir)?.kind {
            Kind::Dir { entries, .. } => Ok(entries),
            _ => Err(Errno::NotDir),
        }
    }

    fn entries_mut(&mut self, dir: Ino) -> Result<&mut BTreeMap<Vec<u8>, Ino>> {
        match &mut self.node_mut(dir)?.kind {
            Kind::Dir { entries, .. } => Ok(entries),
            _ => Err(Errno::NotDir),
        }
    }

    /// A directory that can take a new entry: it exists, is a directory, and was not removed.
    fn check_live_dir(&self, dir: Ino) -> Result<()> {
        self.entries(dir)?;
        if self.node(dir)?.nlink == 0 {
            return Err(Errno::NoEnt);
        }
        Ok(())
    }

    fn file_data_mut(&mut self, file: Ino) -> Result<&mut FileData> {
        match &mut self.node_mut(file)?.kind {
            Kind::File(data) => Ok(data),
            Kind::Dir { .. } => Err(Errno::IsDir),
            Kind::Symlink(_) => Err(Errno::Inval),
        }
    }

    /// Marks `dir`'s contents as changed.
    fn touch_dir(&mut self, dir: Ino, now: u64) {
        if let Ok(node) = self.node_mut(dir) {
            node.mtim = now;
            node.ctim = now;
        }
    }

    fn adjust_nlink(&mut self, ino: Ino, by: i64) {
        if let Ok(node) = self.node_mut(ino) {
            node.nlink = node.nlink.saturating_add_signed(by);
        }
    }

    /// Adds the entry `name -> node` to a live directory, refusing an existing name.
    fn add_entry(&mut self, dir: Ino, name: &[u8], kind: Kind) -> Result<Ino> {
        check_name(name)?;
        self.check_live_dir(dir)?;
        if self.entries(dir)?.contains_key(name) {
            return Err(Errno::Exist);
        }
        let target = if let Kind::Symlink(target) = &kind {
            target.len() as u64
        } else {
            0
        };
        self.charge(NODE_COST + entry_cost(name) + target)?;
        let is_dir = matches!(kind, Kind::Dir { .. });
        let node = self.alloc(kind);
        self.entries_mut(dir)?.insert(name.to_vec(), node);
        if is_dir {
            self.adjust_nlink(dir, 1);
        }
        let now = self.now();
        self.touch_dir(dir, now);
        Ok(node)
    }

    /// Drops one link to `node`, which was just removed from the directory `dir`.
    fn drop_link(&mut self, dir: Ino, node: Ino, now: u64) {
        let is_dir = matches!(self.node(node).map(|n| &n.kind), Ok(Kind::Dir { .. }));
        if is_dir {
            // Its entry in `dir`, its own `.`; and `dir` loses the child's `..`.
            if let Ok(n) = self.node_mut(node) {
                n.nlink = 0;
            }
            self.adjust_nlink(dir, -1);
        } else {
            self.adjust_nlink(node, -1);
        }
        if let Ok(n) = self.node_mut(node) {
            n.ctim = now;
        }
        self.release_if_unreferenced(node);
    }

    /// True when `dir` is `ancestor` or lies below it.
    fn is_within(&self, mut dir: Ino, ancestor: Ino) -> bool {
        loop {
            if dir == ancestor {
                return true;
            }
            match self.node(dir).map(|n| &n.kind) {
                Ok(Kind::Dir { parent, .. }) if *parent != dir => dir = *parent,
                _ => return false,
            }
        }
    }
}

impl Filesystem for MemFs {
    fn root(&self) -> Ino {
        self.root
    }

    fn metadata(&mut self, ino: Ino) -> Result<Metadata> {
        let node = self.node(ino)?;
        let size = match &node.kind {
            Kind::File(data) => data.len(),
            Kind::Dir { .. } => 0,
            Kind::Symlink(target) => target.len() as u64,
        };
        Ok(Metadata {
            ino,
            filetype: node.kind.filetype(),
            nlink: node.nlink,
            size,
            atim: node.atim,
            mtim: node.mtim,
            ctim: node.ctim,
        })
    }

    fn lookup(&mut self, dir: Ino, name: &[u8]) -> Result<Ino> {
        let entries = self.entries(dir)?;
        check_name(name)?;
        entries.get(name).copied().ok_or(Errno::NoEnt)
    }

    fn lookup_entry(&mut self, dir: Ino, name: &[u8]) -> Result<(Ino, FileType)> {
        let node = self.lookup(dir, name)?;
        Ok((node, self.node(node)?.kind.filetype()))
    }

    fn readlink(&mut self, ino: Ino) -> Result<Vec<u8>> {
        match &self.node(ino)?.kind {
            Kind::Symlink(target) => Ok(target.clone()),
            _ => Err(Errno::Inval),
        }
    }

    fn readdir(&mut self, dir: Ino) -> Result<Vec<DirEntry>> {
        let entries = self.entries(dir)?;
        let mut out = Vec::with_capacity(entries.len());
        for (name, &ino) in entries {
            let filetype = self.node(ino)?.kind.filetype();
            out.push(DirEntry {
                name: name.clone(),
                ino,
                filetype,
            });
        }
        Ok(out)
    }

    fn create_file(&mut self, dir: Ino, name: &[u8]) -> Result<Ino> {
        self.add_entry(dir, name, Kind::File(FileData::default()))
    }

    fn create_dir(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        self.add_entry(
            dir,
            name,
            Kind::Dir {
                entries: BTreeMap::new(),
                parent: dir,
            },
        )
        .map(drop)
    }

    fn symlink(&mut self, dir: Ino, name: &[u8], target: &[u8]) -> Result<()> {
        self.add_entry(dir, name, Kind::Symlink(target.to_vec()))
            .map(drop)
    }

    fn link(&mut self, node: Ino, dir: Ino, name: &[u8]) -> Result<()> {
        let target = self.node(node)?;
        if matches!(target.kind, Kind::Dir { .. }) {
            return Err(Errno::Perm);
        }
        if target.nlink == 0 {
            return Err(Errno::NoEnt);
        }
        self.check_live_dir(dir)?;
        check_name(name)?;
        if self.entries(dir)?.contains_key(name) {
            return Err(Errno::Exist);
        }
        self.charge(entry_cost(name))?;
        self.entries_mut(dir)?.insert(name.to_vec(), node);
        let now = self.now();
        let target = self.node_mut(node)?;
        target.nlink += 1;
        target.ctim = now;
        self.touch_dir(dir, now);
        Ok(())
    }

    fn unlink(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        let node = self.lookup(dir, name)?;
        if matches!(self.node(node)?.kind, Kind::Dir { .. }) {
            return Err(Errno::IsDir);
        }
        self.entries_mut(dir)?.remove(name);
        self.refund(entry_cost(name));
        let now = self.now();
        self.touch_dir(dir, now);
        self.drop_link(dir, node, now);
        Ok(())
    }

    fn rmdir(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        let node = self.lookup(dir, name)?;
        if !self.entries(node)?.is_empty() {
            return Err(Errno::NotEmpty);
        }
        self.entries_mut(dir)?.remove(name);
        self.refund(entry_cost(name));
        let now = self.now();
        self.touch_dir(dir, now);
        self.drop_link(dir, node, now);
        Ok(())
    }

    fn rename(&mut self, from_dir: Ino, from: &[u8], to_dir: Ino, to: &[u8]) -> Result<()> {
        let node = self.lookup(from_dir, from)?;
        self.check_live_dir(to_dir)?;
        check_name(to)?;
        let replaced = self.entries(to_dir)?.get(to).copied();
        if replaced == Some(node) {
            // Two names for one node (or the same name twice): POSIX says do nothing.
            return Ok(());
        }
        let moving_dir = matches!(self.node(node)?.kind, Kind::Dir { .. });
        if moving_dir && self.is_within(to_dir, node) {
            return Err(Errno::Inval);
        }
        if let Some(old) = replaced {
            match (moving_dir, &self.node(old)?.kind) {
                (true, Kind::Dir { entries, .. }) if !entries.is_empty() => {
                    return Err(Errno::NotEmpty)
                }
                (true, Kind::Dir { .. }) => {}
                (true, _) => return Err(Errno::NotDir),
                (false, Kind::Dir { .. }) => return Err(Errno::IsDir),
                (false, _) => {}
            }
        }
        if replaced.is_none() {
            // The new name replaces the old one; only a longer name costs more.
            self.charge((to.len() as u64).saturating_sub(from.len() as u64))?;
        }
        let now = self.now();
        if let Some(old) = replaced {
            self.entries_mut(to_dir)?.remove(to);
            self.drop_link(to_dir, old, now);
        }
        self.entries_mut(from_dir)?.remove(from);
        self.entries_mut(to_dir)?.insert(to.to_vec(), node);
        if replaced.is_some() {
            self.refund(entry_cost(from));
        } else {
            self.refund((from.len() as u64).saturating_sub(to.len() as u64));
        }
        if moving_dir && from_dir != to_dir {
            self.adjust_nlink(from_dir, -1);
            self.adjust_nlink(to_dir, 1);
            if let Kind::Dir { parent, .. } = &mut self.node_mut(node)?.kind {
                *parent = to_dir;
            }
        }
        self.node_mut(node)?.ctim = now;
        self.touch_dir(from_dir, now);
        self.touch_dir(to_dir, now);
        Ok(())
    }

    fn read(&mut self, file: Ino, offset: u64, buf: &mut [u8]) -> Result<usize> {
        Ok(self.file_data_mut(file)?.read(offset, buf))
    }

    fn write(&mut self, file: Ino, offset: u64, bytes: &[u8]) -> Result<usize> {
        let data = self.file_data_mut(file)?;
        if bytes.is_empty() {
            return Ok(0);
        }
        let end = offset.checked_add(bytes.len() as u64).ok_or(Errno::FBig)?;
        if end > MAX_FILE_SIZE {
            return Err(Errno::FBig);
        }
        let cost = data.write_cost(offset, bytes.len() as u64);
        self.charge(cost)?;
        let data = self.file_data_mut(file)?;
        let before = data.held();
        let written = data.write(offset, bytes);
        let grown = data.held() - before;
        // What was charged and what was allocated agree unless the allocation failed part-way.
        self.refund(cost - grown.min(cost));
        written?;
        let now = self.now();
        let node = self.node_mut(file)?;
        node.mtim = now;
        node.ctim = now;
        Ok(bytes.len())
    }

    fn set_size(&mut self, file: Ino, size: u64) -> Result<()> {
        let data = self.file_data_mut(file)?;
        if size > MAX_FILE_SIZE {
            return Err(Errno::FBig);
        }
        // Growing allocates nothing (the new bytes are a hole); shrinking frees chunks.
        let before = data.held();
        data.set_len(size);
        let freed = before - data.held();
        self.refund(freed);
        let now = self.now();
        let node = self.node_mut(file)?;
        node.mtim = now;
        node.ctim = now;
        Ok(())
    }

    fn set_times(&mut self, ino: Ino, atim: SetTime, mtim: SetTime, now: u64) -> Result<()> {
        let node = self.node_mut(ino)?;
        let pick = |set: SetTime, old: u64| match set {
            SetTime::Keep => old,
            SetTime::Now => now,
            SetTime::At(t) => t,
        };
        node.atim = pick(atim, node.atim);
        node.mtim = pick(mtim, node.mtim);
        if (atim, mtim) != (SetTime::Keep, SetTime::Keep) {
            node.ctim = now;
        }
        Ok(())
    }

    fn opened(&mut self, ino: Ino, _writable: bool) -> Result<()> {
        let node = self.node_mut(ino)?;
        node.open = node.open.checked_add(1).ok_or(Errno::NFile)?;
        Ok(())
    }

    fn closed(&mut self, ino: Ino) {
        if let Ok(node) = self.node_mut(ino) {
            node.open = node.open.saturating_sub(1);
            self.release_if_unreferenced(ino);
        }
    }

    fn set_memory_limit(&mut self, bytes: u64) -> bool {
        self.limit = bytes;
        true
    }
}

#[cfg(test)]
impl MemFs {
    /// Panics unless the table is consistent: entries point at live nodes, link counts match the
    /// entries (and subdirectories) naming each node, parent pointers match, free slots are empty.
    pub(crate) fn assert_consistent(&self) {
        use std::collections::HashMap;
        let mut names_of: HashMap<Ino, u64> = HashMap::new();
        let mut subdirs_of: HashMap<Ino, u64> = HashMap::new();
        for (index, slot) in self.slots.iter().enumerate() {
            let Some(node) = &slot.node else {
                assert!(
                    self.free.contains(&(index as u32)),
                    "empty slot {index} not on the free list"
                );
                continue;
            };
            let ino = ino_of(index as u32, slot.generation);
            if let Kind::Dir { entries, parent } = &node.kind {
                if node.nlink > 0 && ino != self.root {
                    assert!(
                        self.entries(*parent).unwrap().values().any(|&e| e == ino),
                        "parent link"
                    );
                }
                for &child in entries.values() {
                    let child_node = self.node(child).expect("entry points at a live node");
                    *names_of.entry(child).or_default() += 1;
                    if let Kind::Dir {
                        parent: child_parent,
                        ..
                    } = child_node.kind
                    {
                        assert_eq!(child_parent, ino, "child's parent pointer");
                        *subdirs_of.entry(ino).or_default() += 1;
                    }
                }
            }
        }
        for (index, slot) in self.slots.iter().enumerate() {
            let Some(node) = &slot.node else { continue };
            let ino = ino_of(index as u32, slot.generation);
            let names = names_of.get(&ino).copied().unwrap_or(0);
            match &node.kind {
                Kind::Dir { .. } if node.nlink == 0 => {
                    assert_eq!(names, 0);
                    assert!(node.open > 0, "removed directory kept only while open");
                }
                Kind::Dir { .. } => {
                    assert_eq!(
                        names,
                        if ino == self.root { 0 } else { 1 },
                        "a directory has one name"
                    );
                    let subdirs = subdirs_of.get(&ino).copied().unwrap_or(0);
                    assert_eq!(
                        node.nlink,
                        2 + subdirs,
                        "dir nlink = entry or root's `..`, `.`, subdirs"
                    );
                }
                _ => {
                    assert_eq!(node.nlink, names, "file nlink = names");
                    assert!(
                        node.nlink > 0 || node.open > 0,
                        "unreferenced node not freed"
                    );
                }
            }
        }
        let recount: u64 = self
            .slots
            .iter()
            .filter_map(|slot| slot.node.as_ref())
            .map(|node| {
                NODE_COST
                    + match &node.kind {
                        Kind::File(data) => data.held(),
                        Kind::Symlink(target) => target.len() as u64,
                        Kind::Dir { entries, .. } => {
                            entries.keys().map(|name| entry_cost(name)).sum()
                        }
                    }
            })
            .sum();
        assert_eq!(
            self.used, recount,
            "memory_used counts every node, entry and chunk"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A filesystem with a clock the test advances by hand.
    fn fs_with_clock() -> (MemFs, Rc<Cell<u64>>) {
        let time = Rc::new(Cell::new(1_000));
        let clock = time.clone();
        (MemFs::with_clock(Rc::new(move || clock.get())), time)
    }

    fn file(fs: &mut MemFs, dir: Ino, name: &[u8], data: &[u8]) -> Ino {
        let f = fs.create_file(dir, name).unwrap();
        fs.write(f, 0, data).unwrap();
        f
    }

    fn dir(fs: &mut MemFs, parent: Ino, name: &[u8]) -> Ino {
        fs.create_dir(parent, name).unwrap();
        fs.lookup(parent, name).unwrap()
    }

    fn contents(fs: &mut MemFs, f: Ino) -> Vec<u8> {
        let mut buf = vec![0; fs.metadata(f).unwrap().size as usize];
        let n = fs.read(f, 0, &mut buf).unwrap();
        buf.truncate(n);
        buf
    }

    fn nlink(fs: &mut MemFs, node: Ino) -> u64 {
        fs.metadata(node).unwrap().nlink
    }

    #[test]
    fn create_rules_and_link_counts() {
        let mut fs = MemFs::new();
        let root = fs.root();
        assert_eq!(nlink(&mut fs, root), 2);
        let d = dir(&mut fs, root, b"d");
        assert_eq!((nlink(&mut fs, root), nlink(&mut fs, d)), (3, 2));
        let f = file(&mut fs, d, b"f", b"x");
        assert_eq!(nlink(&mut fs, f), 1);
        assert_eq!(fs.create_file(d, b"f"), Err(Errno::Exist));
        assert_eq!(fs.create_dir(d, b"f"), Err(Errno::Exist));
        assert_eq!(fs.symlink(d, b"f", b"t"), Err(Errno::Exist));
        assert_eq!(fs.create_file(f, b"x"), Err(Errno::NotDir));
        assert_eq!(fs.lookup(f, b"x"), Err(Errno::NotDir));
        assert_eq!(fs.lookup(d, b"missing"), Err(Errno::NoEnt));
        assert_eq!(fs.readdir(f), Err(Errno::NotDir));
        assert_eq!(fs.lookup_entry(d, b"f"), Ok((f, FileType::RegularFile)));
        assert_eq!(fs.metadata(root).unwrap().ino, root);
    }

    #[test]
    fn readdir_is_sorted_and_typed() {
        let mut fs = MemFs::new();
        let root = fs.root();
        file(&mut fs, root, b"b", b"");
        dir(&mut fs, root, b"a");
        fs.symlink(root, b"c", b"b").unwrap();
        let listing: Vec<_> = fs
            .readdir(root)
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.filetype))
            .collect();
        assert_eq!(
            listing,
            [
                (b"a".to_vec(), FileType::Directory),
                (b"b".to_vec(), FileType::RegularFile),
                (b"c".to_vec(), FileType::SymbolicLink),
            ]
        );
        let link = fs.lookup(root, b"c").unwrap();
        assert_eq!(
            fs.metadata(link).unwrap().size,
            1,
            "symlink size = target length"
        );
    }

    #[test]
    fn hard_links() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let d = dir(&mut fs, root, b"d");
        let f = file(&mut fs, root, b"f", b"data");
        fs.link(f, d, b"g").unwrap();
        assert_eq!(fs.lookup(d, b"g"), Ok(f));
        assert_eq!(nlink(&mut fs, f), 2);
        assert_eq!(fs.link(f, d, b"g"), Err(Errno::Exist));
        assert_eq!(
            fs.link(d, root, b"d2"),
            Err(Errno::Perm),
            "no hard links to directories"
        );
        assert_eq!(fs.link(f, f, b"x"), Err(Errno::NotDir));
        fs.unlink(root, b"f").unwrap();
        assert_eq!(nlink(&mut fs, f), 1);
        assert_eq!(
            contents(&mut fs, f),
            b"data",
            "the other name keeps the data"
        );
        fs.unlink(d, b"g").unwrap();
        assert_eq!(
            fs.metadata(f),
            Err(Errno::NoEnt),
            "last link gone, nothing open: freed"
        );
    }

    #[test]
    fn unlink_rules() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let d = dir(&mut fs, root, b"d");
        file(&mut fs, root, b"f", b"");
        fs.symlink(root, b"l", b"d").unwrap();
        assert_eq!(fs.unlink(root, b"d"), Err(Errno::IsDir));
        assert_eq!(fs.unlink(root, b"missing"), Err(Errno::NoEnt));
        let f = fs.lookup(root, b"f").unwrap();
        assert_eq!(fs.unlink(f, b"x"), Err(Errno::NotDir));
        fs.unlink(root, b"l").unwrap();
        assert_eq!(
            fs.lookup(root, b"d"),
            Ok(d),
            "unlinking a symlink leaves its target"
        );
        fs.unlink(root, b"f").unwrap();
        assert_eq!(fs.lookup(root, b"f"), Err(Errno::NoEnt));
    }

    #[test]
    fn rmdir_rules() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let d = dir(&mut fs, root, b"d");
        dir(&mut fs, d, b"sub");
        file(&mut fs, root, b"f", b"");
        assert_eq!(fs.rmdir(root, b"d"), Err(Errno::NotEmpty));
        assert_eq!(fs.rmdir(root, b"f"), Err(Errno::NotDir));
        assert_eq!(fs.rmdir(root, b"missing"), Err(Errno::NoEnt));
        assert_eq!(nlink(&mut fs, root), 3);
        assert_eq!(nlink(&mut fs, d), 3);
        fs.rmdir(d, b"sub").unwrap();
        assert_eq!(nlink(&mut fs, d), 2);
        fs.rmdir(root, b"d").unwrap();
        assert_eq!(nlink(&mut fs, root), 2);
        assert_eq!(fs.metadata(d), Err(Errno::NoEnt));
    }

    #[test]
    fn removed_but_open_directory_takes_no_new_entries() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let d = dir(&mut fs, root, b"d");
        fs.opened(d, false).unwrap();
        fs.rmdir(root, b"d").unwrap();
        assert_eq!(fs.metadata(d).unwrap().nlink, 0);
        assert_eq!(fs.readdir(d), Ok(vec![]));
        assert_eq!(fs.create_file(d, b"x"), Err(Errno::NoEnt));
        assert_eq!(fs.create_dir(d, b"x"), Err(Errno::NoEnt));
        let f = file(&mut fs, root, b"f", b"");
        assert_eq!(fs.link(f, d, b"x"), Err(Errno::NoEnt));
        assert_eq!(fs.rename(root, b"f", d, b"x"), Err(Errno::NoEnt));
        fs.closed(d);
        assert_eq!(fs.metadata(d), Err(Errno::NoEnt));
    }

    #[test]
    fn rename_file_over_file_replaces_it() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let a = file(&mut fs, root, b"a", b"new");
        let b = file(&mut fs, root, b"b", b"old");
        fs.rename(root, b"a", root, b"b").unwrap();
        assert_eq!(fs.lookup(root, b"b"), Ok(a));
        assert_eq!(fs.lookup(root, b"a"), Err(Errno::NoEnt));
        assert_eq!(fs.metadata(b), Err(Errno::NoEnt), "replaced file freed");
        assert_eq!(contents(&mut fs, a), b"new");
        assert_eq!(fs.rename(root, b"a", root, b"c"), Err(Errno::NoEnt));
    }

    #[test]
    fn rename_type_conflicts() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let d = dir(&mut fs, root, b"d");
        dir(&mut fs, root, b"empty");
        let full = dir(&mut fs, root, b"full");
        file(&mut fs, full, b"x", b"");
        file(&mut fs, root, b"f", b"");
        fs.symlink(root, b"l", b"d").unwrap();
        assert_eq!(fs.rename(root, b"f", root, b"d"), Err(Errno::IsDir));
        assert_eq!(
            fs.rename(root, b"l", root, b"d"),
            Err(Errno::IsDir),
            "a symlink is not a directory"
        );
        assert_eq!(fs.rename(root, b"d", root, b"f"), Err(Errno::NotDir));
        assert_eq!(fs.rename(root, b"d", root, b"l"), Err(Errno::NotDir));
        assert_eq!(fs.rename(root, b"d", root, b"full"), Err(Errno::NotEmpty));
        assert_eq!(
            fs.rename(root, b"f", full, b"x/y"),
            Ok(()),
            "names are opaque to the backend"
        );
        fs.rename(full, b"x/y", root, b"f").unwrap();
        // Nothing changed by the refused renames.
        assert_eq!(fs.lookup(root, b"d"), Ok(d));
        assert_eq!(fs.readdir(full).unwrap().len(), 1);
        // Directory over an empty directory.
        let empty = fs.lookup(root, b"empty").unwrap();
        assert_eq!(nlink(&mut fs, root), 5);
        fs.rename(root, b"d", root, b"empty").unwrap();
        assert_eq!(fs.lookup(root, b"empty"), Ok(d));
        assert_eq!(fs.metadata(empty), Err(Errno::NoEnt));
        assert_eq!(nlink(&mut fs, root), 4);
        // A symlink over a file.
        fs.rename(root, b"l", root, b"f").unwrap();
        let moved = fs.lookup(root, b"f").unwrap();
        assert_eq!(fs.readlink(moved), Ok(b"d".to_vec()));
    }

    #[test]
    fn rename_directory_into_its_own_subtree_is_einval() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let a = dir(&mut fs, root, b"a");
        let b = dir(&mut fs, a, b"b");
        let c = dir(&mut fs, b, b"c");
        assert_eq!(fs.rename(root, b"a", a, b"x"), Err(Errno::Inval));
        assert_eq!(fs.rename(root, b"a", c, b"x"), Err(Errno::Inval));
        assert_eq!(fs.rename(a, b"b", c, b"x"), Err(Errno::Inval));
        // Moving up is fine, and updates the parent chain used by the check.
        fs.rename(b, b"c", root, b"c").unwrap();
        assert_eq!((nlink(&mut fs, b), nlink(&mut fs, root)), (2, 4));
        fs.rename(root, b"a", c, b"a").unwrap();
        assert_eq!(
            fs.rename(root, b"c", b, b"c"),
            Err(Errno::Inval),
            "b is now below c"
        );
        assert_eq!(fs.lookup(c, b"a"), Ok(a));
        assert_eq!((nlink(&mut fs, root), nlink(&mut fs, c)), (3, 3));
    }

    #[test]
    fn rename_onto_itself_does_nothing() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let f = file(&mut fs, root, b"f", b"x");
        fs.link(f, root, b"g").unwrap();
        fs.rename(root, b"f", root, b"g").unwrap();
        assert_eq!(
            (fs.lookup(root, b"f"), fs.lookup(root, b"g")),
            (Ok(f), Ok(f)),
            "POSIX: both names stay"
        );
        fs.rename(root, b"f", root, b"f").unwrap();
        let d = dir(&mut fs, root, b"d");
        fs.rename(root, b"d", root, b"d").unwrap();
        assert_eq!(fs.lookup(root, b"d"), Ok(d));
        assert_eq!(nlink(&mut fs, f), 2);
    }

    #[test]
    fn unlinked_open_file_lives_until_closed_then_slot_is_reused() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let f = file(&mut fs, root, b"f", b"abc");
        fs.opened(f, true).unwrap();
        fs.unlink(root, b"f").unwrap();
        assert_eq!(fs.write(f, 3, b"d"), Ok(1));
        assert_eq!(contents(&mut fs, f), b"abcd");
        assert_eq!(nlink(&mut fs, f), 0);
        assert_eq!(fs.link(f, root, b"again"), Err(Errno::NoEnt));
        fs.closed(f);
        assert_eq!(fs.metadata(f), Err(Errno::NoEnt));
        let g = file(&mut fs, root, b"g", b"");
        assert_eq!(g as u32, f as u32, "slot reused");
        assert_ne!(g, f, "with a new generation, so the stale Ino stays dead");
        assert_eq!(fs.read(f, 0, &mut [0; 4]), Err(Errno::NoEnt));
        assert_eq!(fs.write(f, 0, b"x"), Err(Errno::NoEnt));
        fs.closed(f); // a stray close of a dead node is harmless
        assert_eq!(fs.metadata(g).unwrap().size, 0);
    }

    #[test]
    fn bogus_inos_are_enoent() {
        let mut fs = MemFs::new();
        for ino in [u64::MAX, 1 << 32, 77, u32::MAX as u64] {
            assert_eq!(fs.metadata(ino), Err(Errno::NoEnt));
            assert_eq!(fs.lookup(ino, b"x"), Err(Errno::NoEnt));
            assert_eq!(
                fs.set_times(ino, SetTime::Now, SetTime::Now, 0),
                Err(Errno::NoEnt)
            );
        }
    }

    #[test]
    fn read_write_truncate() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let f = file(&mut fs, root, b"f", b"hello");
        assert_eq!(fs.write(f, 8, b"!"), Ok(1));
        assert_eq!(
            contents(&mut fs, f),
            b"hello\0\0\0!",
            "a gap reads as zeros"
        );
        let mut buf = [0u8; 4];
        assert_eq!(fs.read(f, 7, &mut buf), Ok(2));
        assert_eq!(&buf[..2], b"\0!");
        assert_eq!(fs.read(f, 9, &mut buf), Ok(0));
        assert_eq!(fs.read(f, u64::MAX, &mut buf), Ok(0));
        assert_eq!(fs.write(f, 0, b""), Ok(0));
        fs.set_size(f, 2).unwrap();
        assert_eq!(contents(&mut fs, f), b"he");
        fs.set_size(f, 4).unwrap();
        assert_eq!(contents(&mut fs, f), b"he\0\0");
        assert_eq!(fs.write(f, MAX_FILE_SIZE, b"x"), Err(Errno::FBig));
        assert_eq!(fs.write(f, u64::MAX, b"x"), Err(Errno::FBig));
        assert_eq!(fs.set_size(f, MAX_FILE_SIZE + 1), Err(Errno::FBig));
        assert_eq!(
            fs.metadata(f).unwrap().size,
            4,
            "refused operations change nothing"
        );
        let d = dir(&mut fs, root, b"d");
        assert_eq!(fs.read(d, 0, &mut buf), Err(Errno::IsDir));
        assert_eq!(fs.write(d, 0, b"x"), Err(Errno::IsDir));
        assert_eq!(fs.set_size(d, 0), Err(Errno::IsDir));
        fs.symlink(root, b"l", b"f").unwrap();
        let l = fs.lookup(root, b"l").unwrap();
        assert_eq!(fs.write(l, 0, b"x"), Err(Errno::Inval));
        assert_eq!(fs.readlink(f), Err(Errno::Inval));
    }

    #[test]
    fn memory_limit_refuses_changes_past_it_and_frees_give_room_back() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let empty = fs.memory_used();
        fs.set_memory_limit(empty + 3 * (1 << 20));
        let f = fs.create_file(root, b"f").unwrap();
        // One byte at the end of a chunk holds the whole chunk: two fit, the third does not.
        assert_eq!(fs.write(f, (1 << 20) - 1, b"x"), Ok(1));
        assert_eq!(fs.write(f, (2 << 20) - 1, b"x"), Ok(1));
        let used = fs.memory_used();
        assert_eq!(fs.write(f, (3 << 20) - 1, b"x"), Err(Errno::Dquot));
        assert_eq!(
            (fs.memory_used(), fs.metadata(f).unwrap().size),
            (used, 2 << 20),
            "nothing changed"
        );
        // Names count: with the room left for a name of 200 bytes (and nodes), 201 is refused.
        fs.set_memory_limit(fs.memory_used() + NODE_COST + ENTRY_COST + 200);
        let long = vec![b'n'; 201];
        assert_eq!(fs.create_dir(root, &long), Err(Errno::Dquot));
        assert_eq!(fs.create_file(root, &long), Err(Errno::Dquot));
        assert_eq!(
            fs.symlink(root, b"l", &long[..200]),
            Err(Errno::Dquot),
            "its target counts too"
        );
        fs.set_memory_limit(fs.memory_used() + ENTRY_COST + 200);
        assert_eq!(fs.link(f, root, &long), Err(Errno::Dquot));
        fs.set_memory_limit(fs.memory_used() + 199);
        assert_eq!(
            fs.rename(root, b"f", root, &long),
            Err(Errno::Dquot),
            "a name 200 bytes longer"
        );
        assert_eq!(fs.rename(root, b"f", root, &long[..200]), Ok(()));
        fs.rename(root, &long[..200], root, b"f").unwrap();
        assert_eq!(fs.readdir(root).unwrap().len(), 1);
        fs.set_memory_limit(empty + 3 * (1 << 20));
        // Shrinking and removing give the room back.
        fs.set_size(f, 1).unwrap();
        assert_eq!(fs.write(f, (3 << 20) - 1, b"x"), Ok(1));
        fs.unlink(root, b"f").unwrap();
        assert_eq!(fs.memory_used(), empty);
        fs.set_memory_limit(u64::MAX);
        fs.create_dir(root, &long).unwrap();
        fs.assert_consistent();
    }

    #[test]
    fn names_longer_than_name_max_are_enametoolong() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let (longest, too_long) = (vec![b'a'; NAME_MAX], vec![b'b'; NAME_MAX + 1]);
        fs.create_dir(root, &longest).unwrap();
        let f = fs.create_file(root, b"f").unwrap();
        assert_eq!(fs.create_dir(root, &too_long), Err(Errno::NameTooLong));
        assert_eq!(fs.create_file(root, &too_long), Err(Errno::NameTooLong));
        assert_eq!(fs.symlink(root, &too_long, b"f"), Err(Errno::NameTooLong));
        assert_eq!(fs.link(f, root, &too_long), Err(Errno::NameTooLong));
        assert_eq!(
            fs.rename(root, b"f", root, &too_long),
            Err(Errno::NameTooLong)
        );
        assert_eq!(fs.lookup(root, &too_long), Err(Errno::NameTooLong));
        assert_eq!(
            fs.lookup(f, &too_long),
            Err(Errno::NotDir),
            "not a directory comes first"
        );
        assert_eq!(fs.readdir(root).unwrap().len(), 2);
    }

    #[test]
    fn appending_many_small_writes_is_linear() {
        // 1 MiB in 16-byte writes: with a copy per write this would move ~32 GiB.
        let mut fs = MemFs::new();
        let root = fs.root();
        let f = fs.create_file(root, b"f").unwrap();
        for i in 0..65_536u64 {
            fs.write(f, i * 16, &[i as u8; 16]).unwrap();
        }
        assert_eq!(fs.metadata(f).unwrap().size, 1 << 20);
        let mut buf = [0u8; 16];
        fs.read(f, 16 * 300, &mut buf).unwrap();
        assert_eq!(buf, [300u64 as u8; 16]);
    }

    #[test]
    fn timestamps_follow_the_clock() {
        let (mut fs, time) = fs_with_clock();
        let root = fs.root();
        time.set(10);
        let f = fs.create_file(root, b"f").unwrap();
        let m = fs.metadata(f).unwrap();
        assert_eq!((m.atim, m.mtim, m.ctim), (10, 10, 10));
        assert_eq!(fs.metadata(root).unwrap().mtim, 10, "directory changed");
        time.set(20);
        fs.write(f, 0, b"x").unwrap();
        let m = fs.metadata(f).unwrap();
        assert_eq!((m.atim, m.mtim, m.ctim), (10, 20, 20));
        time.set(30);
        fs.set_size(f, 0).unwrap();
        assert_eq!(fs.metadata(f).unwrap().mtim, 30);
        time.set(40);
        fs.read(f, 0, &mut [0; 1]).unwrap();
        assert_eq!(
            fs.metadata(f).unwrap().atim,
            10,
            "reads do not touch atime (noatime)"
        );
        fs.rename(root, b"f", root, b"g").unwrap();
        let m = fs.metadata(f).unwrap();
        assert_eq!((m.mtim, m.ctim), (30, 40), "rename changes ctime only");
        assert_eq!(fs.metadata(root).unwrap().mtim, 40);
        time.set(50);
        fs.link(f, root, b"h").unwrap();
        assert_eq!(fs.metadata(f).unwrap().ctim, 50);
        time.set(55);
        fs.unlink(root, b"h").unwrap();
        assert_eq!(fs.metadata(f).unwrap().ctim, 55);
        let mut other = MemFs::new();
        let o = other.create_file(other.root(), b"x").unwrap();
        assert_eq!(other.metadata(o).unwrap().mtim, 0, "default clock reads 0");
        other.set_clock(Rc::new(|| 7));
        other.write(o, 0, b"x").unwrap();
        assert_eq!(other.metadata(o).unwrap().mtim, 7);
    }

    #[test]
    fn set_times_keep_now_at() {
        let mut fs = MemFs::new();
        let root = fs.root();
        let f = fs.create_file(root, b"f").unwrap();
        let exact = 1_700_000_000_123_456_789; // not representable as an f64: must survive exactly
        fs.set_times(f, SetTime::At(exact), SetTime::Keep, 99)
            .unwrap();
        let m = fs.metadata(f).unwrap();
        assert_eq!((m.atim, m.mtim, m.ctim), (exact, 0, 99));
        fs.set_times(f, SetTime::Keep, SetTime::Now, 100).unwrap();
        let m = fs.metadata(f).unwrap();
        assert_eq!((m.atim, m.mtim, m.ctim), (exact, 100, 100));
        fs.set_times(f, SetTime::Keep, SetTime::Keep, 200).unwrap();
        assert_eq!(
            fs.metadata(f).unwrap().ctim,
            100,
            "no change, no ctime update"
        );
        let d = dir(&mut fs, root, b"d");
        fs.set_times(d, SetTime::Now, SetTime::At(5), 300).unwrap();
        let m = fs.metadata(d).unwrap();
        assert_eq!((m.atim, m.mtim), (300, 5));
    }
}
