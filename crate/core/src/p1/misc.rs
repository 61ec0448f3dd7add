//! proc_exit, proc_raise, sched_yield, random_get.
use super::{Fail, Res};
use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::{check_range, GuestMemory};

pub(super) fn proc_exit(ctx: &mut Ctx, _mem: &mut impl GuestMemory, rval: u32) -> Res {
    ctx.exit_code = Some(rval);
    let _ = ctx.flush();
    Err(Fail::Exit)
}

/// Signals are not supported (wasmtime answers ENOTSUP too); an invalid signal number is EINVAL.
pub(super) fn proc_raise(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, sig: u32) -> Res {
    if sig > 30 {
        return Err(Errno::Inval.into());
    }
    Err(Errno::NotSup.into())
}

pub(super) fn sched_yield(_ctx: &mut Ctx, _mem: &mut impl GuestMemory) -> Res {
    Ok(())
}

/// Fills in chunks so a huge request never needs a huge host buffer.
pub(super) fn random_get(ctx: &mut Ctx, mem: &mut impl GuestMemory, buf: u32, buf_len: u32) -> Res {
    check_range(mem.size(), buf, buf_len)?;
    const CHUNK: u32 = 65_536;
    // Small requests (the common case: seeds, UUIDs, hash keys) use the stack, not the heap.
    let mut small = [0u8; 256];
    let mut large;
    let chunk: &mut [u8] = if buf_len as usize <= small.len() {
        &mut small
    } else {
        large = crate::bounded::zeroed(buf_len.min(CHUNK) as usize)?;
        &mut large
    };
    let mut done = 0u32;
    while done < buf_len {
        let n = (buf_len - done).min(CHUNK) as usize;
        ctx.fill_random(&mut chunk[..n]);
        mem.write(buf + done, &chunk[..n])?;
        done += n as u32;
    }
    Ok(())
}
