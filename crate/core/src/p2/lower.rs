//! Lowering results into guest memory by the canonical ABI: return-pointer checks, allocation
//! through the guest's `cabi_realloc`, lists of bytes and of strings.
use crate::memory::GuestMemory;

/// A canonical-ABI fault: the component instance traps with this message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap(pub &'static str);

/// The guest's `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`, which the embedder
/// calls in the guest instance. Cove only allocates (old_ptr and old_size 0).
pub trait Realloc {
    fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<u32, Trap>;
}

/// `ptr` must be aligned to `align` and `[ptr, ptr + size)` lie in memory.
pub fn check_pointer(mem: &impl GuestMemory, ptr: u32, align: u32, size: u32) -> Result<(), Trap> {
    if !ptr.is_multiple_of(align) {
        return Err(Trap("pointer not aligned"));
    }
    if u64::from(ptr) + u64::from(size) > mem.size() {
        return Err(Trap("pointer out of bounds"));
    }
    Ok(())
}

/// Allocates `size` bytes aligned to `align` in the guest, checking what `cabi_realloc` returns.
pub fn alloc(
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    align: u32,
    size: u32,
) -> Result<u32, Trap> {
    let ptr = realloc.realloc(0, 0, align, size)?;
    // The guest ran: its memory may have grown since the size was last asked.
    mem.refresh_size();
    if !ptr.is_multiple_of(align) {
        return Err(Trap("realloc return: result not aligned"));
    }
    if u64::from(ptr) + u64::from(size) > mem.size() {
        return Err(Trap("realloc return: beyond end of memory"));
    }
    Ok(ptr)
}

/// Writes within range checked beforehand: a fault here is still a trap, not a panic.
pub fn write(mem: &mut impl GuestMemory, ptr: u32, data: &[u8]) -> Result<(), Trap> {
    mem.write(ptr, data)
        .map_err(|_| Trap("pointer out of bounds"))
}

/// A `list<u8>` of `len` bytes that `fill` produces (in pieces of at most 64 KiB, so a large
/// list never needs a large engine buffer); returns (ptr, len).
pub fn byte_list(
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    len: u32,
    mut fill: impl FnMut(&mut [u8]),
) -> Result<(u32, u32), Trap> {
    const PIECE: u32 = 64 * 1024;
    let ptr = alloc(mem, realloc, 1, len)?;
    let mut piece = vec![0u8; len.min(PIECE) as usize];
    let mut done = 0u32;
    while done < len {
        let n = (len - done).min(PIECE) as usize;
        fill(&mut piece[..n]);
        write(mem, ptr + done, &piece[..n])?;
        done += n as u32;
    }
    Ok((ptr, len))
}

/// A `string` (already UTF-8 bytes); returns (ptr, len).
pub fn string(
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    bytes: &[u8],
) -> Result<(u32, u32), Trap> {
    let len = u32::try_from(bytes.len()).map_err(|_| Trap("string too long"))?;
    let ptr = alloc(mem, realloc, 1, len)?;
    write(mem, ptr, bytes)?;
    Ok((ptr, len))
}

/// A list whose elements are `width` strings each (`list<string>`: 1, `list<tuple<string,
/// string>>`: 2), written as (ptr, len) pairs; returns (ptr, count).
pub fn string_tuples<'a>(
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    width: u32,
    items: impl ExactSizeIterator<Item = [&'a [u8]; 2]>,
) -> Result<(u32, u32), Trap> {
    let count = u32::try_from(items.len()).map_err(|_| Trap("list too long"))?;
    let element = 8 * width;
    let size = count.checked_mul(element).ok_or(Trap("list too long"))?;
    let array = alloc(mem, realloc, 4, size)?;
    for (i, item) in items.enumerate() {
        let mut at = array + i as u32 * element;
        for part in &item[..width as usize] {
            let (ptr, len) = string(mem, realloc, part)?;
            write(mem, at, &ptr.to_le_bytes())?;
            write(mem, at + 4, &len.to_le_bytes())?;
            at += 8;
        }
    }
    Ok((array, count))
}

/// Writes a (ptr, len) pair at a return pointer (align 4).
pub fn pair_at(
    mem: &mut impl GuestMemory,
    retptr: u32,
    (ptr, len): (u32, u32),
) -> Result<(), Trap> {
    check_pointer(mem, retptr, 4, 8)?;
    write(mem, retptr, &ptr.to_le_bytes())?;
    write(mem, retptr + 4, &len.to_le_bytes())
}

/// A record being lowered at a return pointer: built in engine memory and written with one
/// copy (each guest write is a crossing into JS). `size` and `align` are the canonical ABI's.
pub struct Record {
    bytes: [u8; 104],
    size: usize,
}

impl Record {
    pub fn new(size: usize) -> Record {
        Record {
            bytes: [0; 104],
            size: size.min(104),
        }
    }
    pub fn u8(&mut self, at: usize, v: u8) -> &mut Record {
        self.put(at, &[v])
    }
    pub fn u32(&mut self, at: usize, v: u32) -> &mut Record {
        self.put(at, &v.to_le_bytes())
    }
    pub fn u64(&mut self, at: usize, v: u64) -> &mut Record {
        self.put(at, &v.to_le_bytes())
    }
    fn put(&mut self, at: usize, data: &[u8]) -> &mut Record {
        if let Some(slot) = self.bytes.get_mut(at..at + data.len()) {
            slot.copy_from_slice(data);
        }
        self
    }
    /// Stores the record at `retptr`, checked for `align` and bounds.
    pub fn store(&self, mem: &mut impl GuestMemory, retptr: u32, align: u32) -> Result<(), Trap> {
        check_pointer(mem, retptr, align, self.size as u32)?;
        write(mem, retptr, &self.bytes[..self.size])
    }
}

/// Reads a `list<u8>` or `string` argument of `len` bytes at `ptr` (the canonical ABI traps
/// when it does not lie in memory).
pub fn read_bytes(mem: &mut impl GuestMemory, ptr: u32, len: u32) -> Result<Vec<u8>, Trap> {
    crate::memory::check_range(mem.size(), ptr, len)
        .map_err(|_| Trap("list pointer/length out of bounds"))?;
    mem.read_vec(ptr, len)
        .map_err(|_| Trap("list pointer/length out of bounds"))
}
