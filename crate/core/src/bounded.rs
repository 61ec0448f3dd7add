//! Sizes a guest controls, bounded before the engine allocates anything for them.
//!
//! Every count and length a p1 call takes comes from a hostile guest, and the engine is one
//! wasm32 instance whose memory every guest in the realm shares: a call that allocated what a
//! guest asked for (a 4 GiB iovec array, 40 M poll subscriptions) would panic on "capacity
//! overflow" or abort on out-of-memory, and take every other guest down with it. So each size
//! is capped here (docs/engine-abi.md, "Allocation"), and what is allocated is allocated
//! fallibly: a failure is the call's `ENOMEM`, never a panic.
//!
//! With these caps one p1 call allocates at most a few MiB whatever its arguments; the fuzz
//! target (crate/fuzz) checks that bound with a counting allocator.
use crate::errno::{Errno, Result};

/// Iovecs used from one `fd_read`/`fd_write`/`fd_pread`/`fd_pwrite` array: Linux's `IOV_MAX`.
/// A longer array is a short transfer over its first `MAX_IOVECS` entries (wasmtime transfers
/// only the first non-empty one), so no guest can make the engine copy a huge array.
pub const MAX_IOVECS: u32 = 1024;

/// Subscriptions one `poll_oneoff` takes (`ENOMEM` beyond: what a host that cannot allocate
/// the events answers). 3 MiB of subscriptions, far more than a p1 guest has descriptors.
pub const MAX_SUBSCRIPTIONS: u32 = 1 << 16;

/// Bytes of one path or symlink target (`ENAMETOOLONG` beyond). Linux refuses 4 KiB; MemFS
/// paths may be longer, but never so long that reading one costs the engine real memory.
pub const MAX_PATH: u32 = 1 << 16;

/// File or stdio data copied through the engine at once: bulk I/O streams through a buffer of
/// this size instead of allocating what an iovec length asks for.
pub const IO_CHUNK: usize = 1 << 20;

/// A zeroed buffer of `len` bytes, or `ENOMEM` when it cannot be had.
pub fn zeroed(len: usize) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| Errno::NoMem)?;
    v.resize(len, 0);
    Ok(v)
}

/// An empty vector with room for `n` items, or `ENOMEM`.
pub fn with_capacity<T>(n: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| Errno::NoMem)?;
    Ok(v)
}

/// Grows `v` (zero-filled) to at least `len` bytes, or `ENOMEM`.
pub fn grow_zeroed(v: &mut Vec<u8>, len: usize) -> Result<()> {
    if v.len() < len {
        v.try_reserve_exact(len - v.len())
            .map_err(|_| Errno::NoMem)?;
        v.resize(len, 0);
    }
    Ok(())
}

/// `ENAMETOOLONG` for a path or symlink target longer than [`MAX_PATH`].
pub fn check_path_len(len: u32) -> Result<()> {
    if len > MAX_PATH {
        Err(Errno::NameTooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_enomem_not_a_panic() {
        assert_eq!(zeroed(usize::MAX).unwrap_err(), Errno::NoMem);
        assert_eq!(
            with_capacity::<u64>(usize::MAX / 2).unwrap_err(),
            Errno::NoMem
        );
        let mut v = vec![1u8];
        assert_eq!(grow_zeroed(&mut v, usize::MAX), Err(Errno::NoMem));
        assert_eq!(v, [1], "a failed growth leaves the buffer as it was");
        grow_zeroed(&mut v, 3).unwrap();
        assert_eq!(v, [1, 0, 0]);
        assert_eq!(zeroed(4).unwrap(), [0; 4]);
    }

    #[test]
    fn path_length_cap() {
        assert_eq!(check_path_len(MAX_PATH), Ok(()));
        assert_eq!(check_path_len(MAX_PATH + 1), Err(Errno::NameTooLong));
        assert_eq!(check_path_len(u32::MAX), Err(Errno::NameTooLong));
    }
}
