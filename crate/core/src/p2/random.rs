//! wasi:random@0.2: random, insecure and insecure-seed, all from the context's random source (the
//! policy's crypto random or seeded generator, as p1's `random_get`), so a seeded policy makes a
//! p2 guest's runs repeat exactly as a p1 guest's do.
use super::lower::{byte_list, check_pointer, pair_at, Realloc, Record, Trap};
use super::Call;
use crate::host::Ctx;
use crate::memory::GuestMemory;

/// random.get-random-bytes(len) -> list<u8>, at `retptr`. A length past what guest memory could
/// hold traps when the allocation fails the canonical ABI's bounds check.
pub fn get_random_bytes(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let len = u32::try_from(len).map_err(|_| Trap("list too long"))?;
    let list = byte_list(mem, realloc, len, |piece| ctx.fill_random(piece))?;
    Ok(pair_at(mem, retptr, list)?)
}

/// random.get-random-u64.
pub fn get_random_u64(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u64> {
    let mut bytes = [0u8; 8];
    ctx.fill_random(&mut bytes);
    Ok(u64::from_le_bytes(bytes))
}

/// insecure.get-insecure-random-bytes: the same source as `get-random-bytes`.
pub fn get_insecure_random_bytes(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    len: u64,
    retptr: u32,
) -> Call<()> {
    get_random_bytes(ctx, mem, realloc, len, retptr)
}

/// insecure.get-insecure-random-u64.
pub fn get_insecure_random_u64(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
) -> Call<u64> {
    get_random_u64(ctx, mem, realloc)
}

/// insecure-seed.insecure-seed -> tuple<u64, u64> at `retptr` (size 16, align 8): drawn once per
/// context and the same on every call, as the interface intends.
pub fn insecure_seed(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    let (a, b) = ctx.insecure_seed();
    let mut out = Record::new(16);
    out.u64(0, a).u64(8, b);
    Ok(out.store(mem, retptr, 8)?)
}
