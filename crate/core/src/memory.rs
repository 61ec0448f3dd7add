//! Bounds-checked access to a guest's linear memory.
//!
//! The engine never holds a pointer into guest memory: it copies in and out through this trait,
//! and every out-of-range access is `Err(Errno::Fault)`, never a panic. Implementations: a
//! `Vec<u8>` (native tests) and, in crate/wasm, numeric-only imports that JS serves from cached
//! views of the guest's `memory`.
use crate::errno::{Errno, Result};

pub trait GuestMemory {
    /// Current size in bytes.
    fn size(&self) -> u64;
    /// Copy `buf.len()` bytes at `ptr` into `buf`.
    fn read(&mut self, ptr: u32, buf: &mut [u8]) -> Result<()>;
    /// Copy `data` to `ptr`.
    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<()>;
    /// The guest ran during this call (a p2 `cabi_realloc`) and may have grown its memory: an
    /// implementation that remembers `size()` asks again.
    fn refresh_size(&mut self) {}

    fn read_u8(&mut self, ptr: u32) -> Result<u8> {
        let mut b = [0u8; 1];
        self.read(ptr, &mut b)?;
        Ok(b[0])
    }
    fn read_u16(&mut self, ptr: u32) -> Result<u16> {
        let mut b = [0u8; 2];
        self.read(ptr, &mut b)?;
        Ok(u16::from_le_bytes(b))
    }
    fn read_u32(&mut self, ptr: u32) -> Result<u32> {
        let mut b = [0u8; 4];
        self.read(ptr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn read_u64(&mut self, ptr: u32) -> Result<u64> {
        let mut b = [0u8; 8];
        self.read(ptr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn write_u8(&mut self, ptr: u32, v: u8) -> Result<()> {
        self.write(ptr, &[v])
    }
    fn write_u16(&mut self, ptr: u32, v: u16) -> Result<()> {
        self.write(ptr, &v.to_le_bytes())
    }
    fn write_u32(&mut self, ptr: u32, v: u32) -> Result<()> {
        self.write(ptr, &v.to_le_bytes())
    }
    fn write_u64(&mut self, ptr: u32, v: u64) -> Result<()> {
        self.write(ptr, &v.to_le_bytes())
    }
    /// Read `len` bytes into a fresh vector. `len` is checked against the memory size first,
    /// and the allocation is fallible (`ENOMEM`); callers bound `len` (crate::bounded) so a
    /// hostile length cannot make the engine allocate gigabytes.
    fn read_vec(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>> {
        check_range(self.size(), ptr, len)?;
        let mut v = crate::bounded::zeroed(len as usize)?;
        self.read(ptr, &mut v)?;
        Ok(v)
    }
}

/// Guest memory ranges `(ptr, len)` that one transfer reads or fills in order, each already
/// checked to lie in memory: p1's iovecs, a p2 `list<u8>` as one range.
pub type Segments = [(u32, u32)];

/// The bytes `segments` span together (each lies in memory, so this fits a u64).
#[inline]
pub fn segments_len(segments: &Segments) -> u64 {
    segments.iter().map(|&(_, len)| len as u64).sum()
}

/// Scatters `data` over `segments` (in order, until it runs out).
pub fn scatter(mem: &mut impl GuestMemory, segments: &Segments, data: &[u8]) -> Result<()> {
    let mut rest = data;
    for &(ptr, len) in segments {
        if rest.is_empty() {
            break;
        }
        let n = rest.len().min(len as usize);
        mem.write(ptr, &rest[..n])?;
        rest = &rest[n..];
    }
    Ok(())
}

/// `Ok` when `[ptr, ptr+len)` lies inside a memory of `size` bytes.
pub fn check_range(size: u64, ptr: u32, len: u32) -> Result<()> {
    if ptr as u64 + len as u64 <= size {
        Ok(())
    } else {
        Err(Errno::Fault)
    }
}

/// A guest memory backed by a vector: used by native tests and property tests.
#[derive(Clone, Debug, Default)]
pub struct VecMemory(pub Vec<u8>);

impl GuestMemory for VecMemory {
    fn size(&self) -> u64 {
        self.0.len() as u64
    }
    fn read(&mut self, ptr: u32, buf: &mut [u8]) -> Result<()> {
        let start = ptr as usize;
        let end = start.checked_add(buf.len()).ok_or(Errno::Fault)?;
        buf.copy_from_slice(self.0.get(start..end).ok_or(Errno::Fault)?);
        Ok(())
    }
    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<()> {
        let start = ptr as usize;
        let end = start.checked_add(data.len()).ok_or(Errno::Fault)?;
        self.0
            .get_mut(start..end)
            .ok_or(Errno::Fault)?
            .copy_from_slice(data);
        Ok(())
    }
}

/// A guest memory of any size up to 4 GiB that keeps only its first `backed` bytes: reads
/// elsewhere see zeros and writes there are dropped. It lets tests and the fuzz target hand
/// the engine the huge memories a hostile guest can have, and records the largest single copy
/// the engine asked for (a copy of guest bytes is an allocation of that size somewhere).
#[derive(Clone, Debug)]
pub struct SparseMemory {
    size: u64,
    backed: Vec<u8>,
    /// The longest `read` or `write` so far, in bytes.
    pub largest_copy: usize,
}

impl SparseMemory {
    pub fn new(size: u64, backed: usize) -> SparseMemory {
        let backed = (backed as u64).min(size) as usize;
        SparseMemory {
            size,
            backed: vec![0; backed],
            largest_copy: 0,
        }
    }

    fn check(&mut self, ptr: u32, len: usize) -> Result<std::ops::Range<u64>> {
        self.largest_copy = self.largest_copy.max(len);
        let end = ptr as u64 + len as u64;
        if end > self.size {
            return Err(Errno::Fault);
        }
        Ok(ptr as u64..end)
    }
}

impl GuestMemory for SparseMemory {
    fn size(&self) -> u64 {
        self.size
    }
    fn read(&mut self, ptr: u32, buf: &mut [u8]) -> Result<()> {
        let range = self.check(ptr, buf.len())?;
        let kept = range.start.min(self.backed.len() as u64) as usize
            ..range.end.min(self.backed.len() as u64) as usize;
        let (stored, zeros) = buf.split_at_mut(kept.len());
        stored.copy_from_slice(&self.backed[kept]);
        zeros.fill(0);
        Ok(())
    }
    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<()> {
        let range = self.check(ptr, data.len())?;
        let kept = range.start.min(self.backed.len() as u64) as usize
            ..range.end.min(self.backed.len() as u64) as usize;
        let n = kept.len();
        self.backed[kept].copy_from_slice(&data[..n]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn out_of_range_is_fault_not_panic() {
        let mut m = VecMemory(vec![0; 16]);
        assert_eq!(m.read_u32(13), Err(Errno::Fault));
        assert_eq!(m.write_u64(u32::MAX, 1), Err(Errno::Fault));
        assert_eq!(m.read_vec(8, u32::MAX).unwrap_err(), Errno::Fault);
        m.write_u32(12, 0xdead_beef).unwrap();
        assert_eq!(m.read_u32(12), Ok(0xdead_beef));
    }

    #[test]
    fn sparse_memory_keeps_its_backed_prefix() {
        let mut m = SparseMemory::new(1 << 32, 16);
        m.write(12, &[1, 2, 3, 4, 5, 6]).unwrap();
        let mut b = [9u8; 8];
        m.read(10, &mut b).unwrap();
        assert_eq!(
            b,
            [0, 0, 1, 2, 3, 4, 0, 0],
            "bytes past the backed prefix read as zeros"
        );
        assert_eq!(m.read_u32(u32::MAX - 3), Ok(0));
        assert_eq!(m.read_u32(u32::MAX - 2), Err(Errno::Fault));
        assert_eq!(m.largest_copy, 8);
    }
}
