//! A [`Filesystem`] whose nodes live in JavaScript: Node directories (js/src/nodefs.js), OPFS.
//!
//! The trait's one-name operations cross as numbers and byte strings in engine memory; path
//! resolution, symlink following and permission checks stay in the core, so a host backend is
//! only ever asked about a single name inside a directory the core already resolved.
//!
//! Conventions of the `hostfs_*` imports (wasm import module `cove_host`):
//! - `fs` is the backend's id in JS's table, `node` a node id (the host's inode number for Node
//!   directories), both as f64 so 64-bit inode numbers below 2^53 cross without BigInt.
//! - Calls that produce a number return it as f64; a negative result is `-errno`.
//! - Calls that produce nothing return a u32 errno (0 = success).
//! - `hostfs_metadata` fills [`META_LEN`] bytes at `out`: ino, nlink, size, atim, mtim, ctim as
//!   little-endian u64, then the filetype byte. Its `just_answered` is 1 when the node is what
//!   the last lookup or file creation of this same engine call returned, with no engine call in
//!   between: the backend may then answer from what that operation saw (one lstat for a stat),
//!   and never otherwise (the host may have changed the file since).
//! - `hostfs_readdir` and `hostfs_readlink` fill `buf` (capacity `cap`) and return the length
//!   they need; when that exceeds `cap`, the engine retries with a larger buffer. A listing is a
//!   sequence of entries `[u32 name_len][name][u8 filetype][u64 node]`.
use cove_core::bounded;
use cove_core::errno::{Errno, Result};
use cove_core::vfs::{DirEntry, FileType, Filesystem, Ino, Metadata, SetTime};

pub const META_LEN: usize = 49;

#[link(wasm_import_module = "cove_host")]
extern "C" {
    fn hostfs_root(fs: u32) -> f64;
    fn hostfs_metadata(fs: u32, node: f64, out: *mut u8, just_answered: u32) -> u32;
    /// Also stores the entry's filetype byte at `filetype`.
    fn hostfs_lookup(fs: u32, dir: f64, name: *const u8, name_len: usize, filetype: *mut u8)
        -> f64;
    fn hostfs_readlink(fs: u32, node: f64, buf: *mut u8, cap: usize) -> f64;
    fn hostfs_readdir(fs: u32, dir: f64, buf: *mut u8, cap: usize) -> f64;
    fn hostfs_create_file(fs: u32, dir: f64, name: *const u8, name_len: usize) -> f64;
    fn hostfs_create_dir(fs: u32, dir: f64, name: *const u8, name_len: usize) -> u32;
    fn hostfs_symlink(
        fs: u32,
        dir: f64,
        name: *const u8,
        name_len: usize,
        target: *const u8,
        target_len: usize,
    ) -> u32;
    fn hostfs_link(fs: u32, node: f64, dir: f64, name: *const u8, name_len: usize) -> u32;
    fn hostfs_unlink(fs: u32, dir: f64, name: *const u8, name_len: usize) -> u32;
    fn hostfs_rmdir(fs: u32, dir: f64, name: *const u8, name_len: usize) -> u32;
    fn hostfs_rename(
        fs: u32,
        from_dir: f64,
        from: *const u8,
        from_len: usize,
        to_dir: f64,
        to: *const u8,
        to_len: usize,
    ) -> u32;
    fn hostfs_read(fs: u32, file: f64, offset: f64, buf: *mut u8, len: usize) -> f64;
    fn hostfs_write(fs: u32, file: f64, offset: f64, data: *const u8, len: usize) -> f64;
    fn hostfs_set_size(fs: u32, file: f64, size: f64) -> u32;
    /// `times` points at: u32 atim kind, u32 mtim kind (0 keep, 1 now, 2 at), u64 atim, u64 mtim, u64 now.
    fn hostfs_set_times(fs: u32, node: f64, times: *const u8) -> u32;
    fn hostfs_opened(fs: u32, node: f64, writable: u32) -> u32;
    fn hostfs_closed(fs: u32, node: f64);
    fn hostfs_sync(fs: u32, node: f64) -> u32;
}

/// Largest offset or size that crosses as an f64 without loss.
const MAX_EXACT: u64 = 1 << 53;

pub struct HostFs {
    id: u32,
    /// The node the last lookup or file creation answered, and the engine call it was in
    /// (`crate::call_number`): `metadata` of that node in that call may reuse what it saw.
    answered: Option<(u64, Ino)>,
}

impl HostFs {
    pub fn new(id: u32) -> HostFs {
        HostFs { id, answered: None }
    }

    fn answer(&mut self, node: Ino) -> Ino {
        self.answered = Some((crate::call_number(), node));
        node
    }

    /// Whether `node` is what the last lookup or creation of this very engine call answered.
    fn just_answered(&self, node: Ino) -> bool {
        self.answered == Some((crate::call_number(), node))
    }
}

fn errno_of(code: u32) -> Errno {
    Errno::from_u16(code as u16)
        .filter(|e| *e != Errno::Success)
        .unwrap_or(Errno::Io)
}

fn errno(code: u32) -> Result<()> {
    if code == 0 {
        Ok(())
    } else {
        Err(errno_of(code))
    }
}

/// A number result: negative values are `-errno`.
fn number(v: f64) -> Result<u64> {
    if v >= 0.0 {
        Ok(v as u64)
    } else {
        Err(errno_of((-v) as u32))
    }
}

fn node_arg(node: Ino) -> Result<f64> {
    if node < MAX_EXACT {
        Ok(node as f64)
    } else {
        Err(Errno::Overflow)
    }
}

fn filetype(b: u8) -> FileType {
    match b {
        1 => FileType::BlockDevice,
        2 => FileType::CharacterDevice,
        3 => FileType::Directory,
        4 => FileType::RegularFile,
        5 => FileType::SocketDgram,
        6 => FileType::SocketStream,
        7 => FileType::SymbolicLink,
        _ => FileType::Unknown,
    }
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn set_time_parts(t: SetTime) -> (u32, u64) {
    match t {
        SetTime::Keep => (0, 0),
        SetTime::Now => (1, 0),
        SetTime::At(ns) => (2, ns),
    }
}

impl HostFs {
    /// Calls `fill(buf, cap)` until the buffer was large enough for the answer.
    fn sized(&self, mut fill: impl FnMut(*mut u8, usize) -> f64) -> Result<Vec<u8>> {
        // The size comes from the host (a listing, a link target): allocated fallibly, so a huge
        // one is this call's ENOMEM rather than an engine abort.
        let mut buf = bounded::zeroed(256)?;
        loop {
            // A length past what this engine can address is refused, not cut to its low bits
            // (2^32 + 3 taken as 3 handed the guest the first 3 bytes of a link target).
            let need = usize::try_from(number(fill(buf.as_mut_ptr(), buf.len()))?)
                .map_err(|_| Errno::NoMem)?;
            if need <= buf.len() {
                buf.truncate(need);
                return Ok(buf);
            }
            drop(std::mem::take(&mut buf)); // freed before the larger one is taken
            buf = bounded::zeroed(need)?;
        }
    }
}

impl Filesystem for HostFs {
    fn root(&self) -> Ino {
        unsafe { hostfs_root(self.id) as Ino }
    }

    fn metadata(&mut self, node: Ino) -> Result<Metadata> {
        let mut out = [0u8; META_LEN];
        let fresh = u32::from(self.just_answered(node));
        errno(unsafe { hostfs_metadata(self.id, node_arg(node)?, out.as_mut_ptr(), fresh) })?;
        Ok(Metadata {
            ino: u64_at(&out, 0),
            nlink: u64_at(&out, 8),
            size: u64_at(&out, 16),
            atim: u64_at(&out, 24),
            mtim: u64_at(&out, 32),
            ctim: u64_at(&out, 40),
            filetype: filetype(out[48]),
        })
    }

    fn lookup(&mut self, dir: Ino, name: &[u8]) -> Result<Ino> {
        self.lookup_entry(dir, name).map(|(node, _)| node)
    }

    fn lookup_entry(&mut self, dir: Ino, name: &[u8]) -> Result<(Ino, FileType)> {
        let mut ft = 0u8;
        let node = number(unsafe {
            hostfs_lookup(self.id, node_arg(dir)?, name.as_ptr(), name.len(), &mut ft)
        })?;
        Ok((self.answer(node), filetype(ft)))
    }

    fn readlink(&mut self, node: Ino) -> Result<Vec<u8>> {
        let (id, node) = (self.id, node_arg(node)?);
        self.sized(|buf, cap| unsafe { hostfs_readlink(id, node, buf, cap) })
    }

    fn readdir(&mut self, dir: Ino) -> Result<Vec<DirEntry>> {
        let (id, dir) = (self.id, node_arg(dir)?);
        let raw = self.sized(|buf, cap| unsafe { hostfs_readdir(id, dir, buf, cap) })?;
        let mut entries = Vec::new();
        let mut at = 0;
        while at + 4 <= raw.len() {
            let len = u32::from_le_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]) as usize;
            let name_end = at + 4 + len;
            if name_end + 9 > raw.len() {
                return Err(Errno::Io);
            }
            entries.push(DirEntry {
                name: raw[at + 4..name_end].to_vec(),
                filetype: filetype(raw[name_end]),
                ino: u64_at(&raw, name_end + 1),
            });
            at = name_end + 9;
        }
        Ok(entries)
    }

    fn create_file(&mut self, dir: Ino, name: &[u8]) -> Result<Ino> {
        let node = number(unsafe {
            hostfs_create_file(self.id, node_arg(dir)?, name.as_ptr(), name.len())
        })?;
        Ok(self.answer(node))
    }

    fn create_dir(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        errno(unsafe { hostfs_create_dir(self.id, node_arg(dir)?, name.as_ptr(), name.len()) })
    }

    fn symlink(&mut self, dir: Ino, name: &[u8], target: &[u8]) -> Result<()> {
        errno(unsafe {
            hostfs_symlink(
                self.id,
                node_arg(dir)?,
                name.as_ptr(),
                name.len(),
                target.as_ptr(),
                target.len(),
            )
        })
    }

    fn link(&mut self, node: Ino, dir: Ino, name: &[u8]) -> Result<()> {
        errno(unsafe {
            hostfs_link(
                self.id,
                node_arg(node)?,
                node_arg(dir)?,
                name.as_ptr(),
                name.len(),
            )
        })
    }

    fn unlink(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        errno(unsafe { hostfs_unlink(self.id, node_arg(dir)?, name.as_ptr(), name.len()) })
    }

    fn rmdir(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        errno(unsafe { hostfs_rmdir(self.id, node_arg(dir)?, name.as_ptr(), name.len()) })
    }

    fn rename(&mut self, from_dir: Ino, from: &[u8], to_dir: Ino, to: &[u8]) -> Result<()> {
        errno(unsafe {
            hostfs_rename(
                self.id,
                node_arg(from_dir)?,
                from.as_ptr(),
                from.len(),
                node_arg(to_dir)?,
                to.as_ptr(),
                to.len(),
            )
        })
    }

    fn read(&mut self, file: Ino, offset: u64, buf: &mut [u8]) -> Result<usize> {
        if offset >= MAX_EXACT {
            return Ok(0);
        }
        number(unsafe {
            hostfs_read(
                self.id,
                node_arg(file)?,
                offset as f64,
                buf.as_mut_ptr(),
                buf.len(),
            )
        })
        .map(|n| n as usize)
    }

    fn write(&mut self, file: Ino, offset: u64, data: &[u8]) -> Result<usize> {
        if offset.saturating_add(data.len() as u64) >= MAX_EXACT {
            return Err(Errno::FBig);
        }
        number(unsafe {
            hostfs_write(
                self.id,
                node_arg(file)?,
                offset as f64,
                data.as_ptr(),
                data.len(),
            )
        })
        .map(|n| n as usize)
    }

    fn set_size(&mut self, file: Ino, size: u64) -> Result<()> {
        if size >= MAX_EXACT {
            return Err(Errno::FBig);
        }
        errno(unsafe { hostfs_set_size(self.id, node_arg(file)?, size as f64) })
    }

    fn set_times(&mut self, node: Ino, atim: SetTime, mtim: SetTime, now: u64) -> Result<()> {
        let (akind, a) = set_time_parts(atim);
        let (mkind, m) = set_time_parts(mtim);
        let mut times = [0u8; 32];
        times[0..4].copy_from_slice(&akind.to_le_bytes());
        times[4..8].copy_from_slice(&mkind.to_le_bytes());
        times[8..16].copy_from_slice(&a.to_le_bytes());
        times[16..24].copy_from_slice(&m.to_le_bytes());
        times[24..32].copy_from_slice(&now.to_le_bytes());
        errno(unsafe { hostfs_set_times(self.id, node_arg(node)?, times.as_ptr()) })
    }

    fn opened(&mut self, node: Ino, writable: bool) -> Result<()> {
        errno(unsafe { hostfs_opened(self.id, node_arg(node)?, writable as u32) })
    }

    fn closed(&mut self, node: Ino) {
        if let Ok(n) = node_arg(node) {
            unsafe { hostfs_closed(self.id, n) }
        }
    }

    fn sync(&mut self, node: Ino) -> Result<()> {
        errno(unsafe { hostfs_sync(self.id, node_arg(node)?) })
    }
}
