//! Byte layouts of the p1 structs in guest memory (wasm32, little-endian), read and written
//! through [`GuestMemory`] so every access is bounds-checked.
use crate::bounded::{self, MAX_IOVECS};
use crate::errno::{Errno, Result};
use crate::memory::{check_range, GuestMemory};
use crate::vfs::Metadata;

pub const IOVEC_SIZE: u32 = 8;
pub const FDSTAT_SIZE: u32 = 24;
pub const FILESTAT_SIZE: u32 = 64;
pub const PRESTAT_SIZE: u32 = 8;
pub const DIRENT_HEADER_SIZE: u32 = 24;
pub const SUBSCRIPTION_SIZE: u32 = 48;
pub const EVENT_SIZE: u32 = 32;

/// The `(buf, buf_len)` pairs of an iovec / ciovec array, each checked to lie in memory.
/// Up to 8 are kept inline: `fd_write` of a line to stdout allocates nothing.
pub enum Iovecs {
    Inline([(u32, u32); 8], usize),
    Heap(Vec<(u32, u32)>),
}

impl std::ops::Deref for Iovecs {
    type Target = [(u32, u32)];
    fn deref(&self) -> &[(u32, u32)] {
        match self {
            Iovecs::Inline(items, n) => &items[..*n],
            Iovecs::Heap(items) => items,
        }
    }
}

/// Decodes an iovec array. The whole array must lie in memory (EFAULT), but only its first
/// [`MAX_IOVECS`] entries are used: a longer one makes a short transfer, never a huge copy.
pub fn read_iovecs(mem: &mut impl GuestMemory, iovs: u32, iovs_len: u32) -> Result<Iovecs> {
    let bytes_len = iovs_len.checked_mul(IOVEC_SIZE).ok_or(Errno::Fault)?;
    let size = mem.size();
    check_range(size, iovs, bytes_len)?;
    let iovs_len = iovs_len.min(MAX_IOVECS);
    let bytes_len = iovs_len * IOVEC_SIZE;
    let decode = |chunk: &[u8]| -> Result<(u32, u32)> {
        let buf = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let len = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        check_range(size, buf, len)?;
        Ok((buf, len))
    };
    if iovs_len <= 8 {
        let mut raw = [0u8; 8 * IOVEC_SIZE as usize];
        let raw = &mut raw[..bytes_len as usize];
        mem.read(iovs, raw)?;
        let mut items = [(0u32, 0u32); 8];
        for (slot, chunk) in items.iter_mut().zip(raw.chunks_exact(IOVEC_SIZE as usize)) {
            *slot = decode(chunk)?;
        }
        return Ok(Iovecs::Inline(items, iovs_len as usize));
    }
    let raw = mem.read_vec(iovs, bytes_len)?;
    let mut items = bounded::with_capacity(iovs_len as usize)?;
    for chunk in raw.chunks_exact(IOVEC_SIZE as usize) {
        items.push(decode(chunk)?);
    }
    Ok(Iovecs::Heap(items))
}

pub fn encode_fdstat(
    filetype: u8,
    flags: u16,
    base: u64,
    inheriting: u64,
) -> [u8; FDSTAT_SIZE as usize] {
    let mut b = [0u8; FDSTAT_SIZE as usize];
    b[0] = filetype;
    b[2..4].copy_from_slice(&flags.to_le_bytes());
    b[8..16].copy_from_slice(&base.to_le_bytes());
    b[16..24].copy_from_slice(&inheriting.to_le_bytes());
    b
}

/// `filestat`: dev, ino, filetype, nlink, size, then atim/mtim/ctim at offsets 40/48/56.
pub fn encode_filestat(dev: u64, m: &Metadata) -> [u8; FILESTAT_SIZE as usize] {
    let mut b = [0u8; FILESTAT_SIZE as usize];
    b[0..8].copy_from_slice(&dev.to_le_bytes());
    b[8..16].copy_from_slice(&m.ino.to_le_bytes());
    b[16] = m.filetype as u8;
    b[24..32].copy_from_slice(&m.nlink.to_le_bytes());
    b[32..40].copy_from_slice(&m.size.to_le_bytes());
    b[40..48].copy_from_slice(&m.atim.to_le_bytes());
    b[48..56].copy_from_slice(&m.mtim.to_le_bytes());
    b[56..64].copy_from_slice(&m.ctim.to_le_bytes());
    b
}

/// A `dirent` header: d_next (the cookie after this entry), d_ino, d_namlen, d_type.
pub fn encode_dirent(
    next: u64,
    ino: u64,
    namlen: u32,
    filetype: u8,
) -> [u8; DIRENT_HEADER_SIZE as usize] {
    let mut b = [0u8; DIRENT_HEADER_SIZE as usize];
    b[0..8].copy_from_slice(&next.to_le_bytes());
    b[8..16].copy_from_slice(&ino.to_le_bytes());
    b[16..20].copy_from_slice(&namlen.to_le_bytes());
    b[20] = filetype;
    b
}

/// A decoded `subscription`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub userdata: u64,
    pub kind: SubscriptionKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionKind {
    Clock {
        id: u32,
        timeout: u64,
        precision: u64,
        flags: u16,
    },
    FdRead {
        fd: u32,
    },
    FdWrite {
        fd: u32,
    },
    /// An unknown tag: reported back as an EINVAL event.
    Unknown {
        tag: u8,
    },
}

pub const EVENTTYPE_CLOCK: u8 = 0;
pub const EVENTTYPE_FD_READ: u8 = 1;
pub const EVENTTYPE_FD_WRITE: u8 = 2;

pub fn decode_subscription(b: &[u8]) -> Subscription {
    let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap_or([0; 4]));
    let userdata = u64_at(0);
    let tag = b[8];
    let kind = match tag {
        EVENTTYPE_CLOCK => SubscriptionKind::Clock {
            id: u32_at(16),
            timeout: u64_at(24),
            precision: u64_at(32),
            flags: u16::from_le_bytes([b[40], b[41]]),
        },
        EVENTTYPE_FD_READ => SubscriptionKind::FdRead { fd: u32_at(16) },
        EVENTTYPE_FD_WRITE => SubscriptionKind::FdWrite { fd: u32_at(16) },
        tag => SubscriptionKind::Unknown { tag },
    };
    Subscription { userdata, kind }
}

/// An `event`: userdata, error, type, and for fd events nbytes + flags (1 = hangup).
pub fn encode_event(
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
) -> [u8; EVENT_SIZE as usize] {
    let mut b = [0u8; EVENT_SIZE as usize];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8..10].copy_from_slice(&(error as u16).to_le_bytes());
    b[10] = kind;
    b[16..24].copy_from_slice(&nbytes.to_le_bytes());
    b[24..26].copy_from_slice(&flags.to_le_bytes());
    b
}
