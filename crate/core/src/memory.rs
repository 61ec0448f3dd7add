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
    /// Read `len` bytes into a fresh vector (len is checked against the memory size first, so a
    /// hostile length cannot make the host allocate gigabytes).
    fn read_vec(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>> {
        check_range(self.size(), ptr, len)?;
        let mut v = vec![0u8; len as usize];
        self.read(ptr, &mut v)?;
        Ok(v)
    }
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
        self.0.get_mut(start..end).ok_or(Errno::Fault)?.copy_from_slice(data);
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
}
