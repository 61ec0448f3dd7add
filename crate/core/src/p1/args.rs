//! args_* and environ_*: NUL-terminated byte strings, counted in bytes (UTF-8), never UTF-16.
use super::Res;
use crate::errno::{Errno, Result};
use crate::host::{Ctx, StringList};
use crate::memory::GuestMemory;

/// Writes the pointer array and the packed NUL-terminated strings.
fn put_strings(
    mem: &mut impl GuestMemory,
    strings: &StringList,
    ptrs: u32,
    buf: u32,
) -> Result<()> {
    let packed = strings.packed();
    let packed_len = u32::try_from(packed.len()).map_err(|_| Errno::Fault)?;
    let table_len = u32::try_from(strings.len())
        .ok()
        .and_then(|n| n.checked_mul(4))
        .ok_or(Errno::Fault)?;
    crate::memory::check_range(mem.size(), ptrs, table_len)?;
    crate::memory::check_range(mem.size(), buf, packed_len)?;
    let mut table = Vec::with_capacity(table_len as usize);
    for (offset, _) in strings.iter_with_offsets() {
        // Below packed_len, which fits in memory after buf (checked above).
        let at = buf.checked_add(offset as u32).ok_or(Errno::Fault)?;
        table.extend_from_slice(&at.to_le_bytes());
    }
    mem.write(ptrs, &table)?;
    mem.write(buf, packed)
}

/// Writes the count and total byte size (NULs included).
fn put_sizes(
    mem: &mut impl GuestMemory,
    strings: &StringList,
    count_ptr: u32,
    size_ptr: u32,
) -> Result<()> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size = u32::try_from(strings.packed().len()).map_err(|_| Errno::Overflow)?;
    crate::memory::check_range(mem.size(), count_ptr, 4)?;
    crate::memory::check_range(mem.size(), size_ptr, 4)?;
    mem.write_u32(count_ptr, count)?;
    mem.write_u32(size_ptr, size)
}

pub(super) fn args_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, argv: u32, argv_buf: u32) -> Res {
    Ok(put_strings(mem, &ctx.args, argv, argv_buf)?)
}

pub(super) fn args_sizes_get(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    argc: u32,
    size: u32,
) -> Res {
    Ok(put_sizes(mem, &ctx.args, argc, size)?)
}

pub(super) fn environ_get(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    environ: u32,
    buf: u32,
) -> Res {
    Ok(put_strings(mem, &ctx.env, environ, buf)?)
}

pub(super) fn environ_sizes_get(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    count: u32,
    size: u32,
) -> Res {
    Ok(put_sizes(mem, &ctx.env, count, size)?)
}
