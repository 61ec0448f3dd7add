//! Sockets: Cove grants none, so every call on a valid descriptor is ENOTSOCK (EBADF for a bad
//! one), as in wasmtime.
use super::Res;
use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::GuestMemory;

fn not_a_socket(ctx: &Ctx, fd: u32) -> Res {
    ctx.p1.fds.get(fd)?;
    Err(Errno::NotSock.into())
}

pub(super) fn sock_accept(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    _flags: u32,
    _result_fd: u32,
) -> Res {
    not_a_socket(ctx, fd)
}

pub(super) fn sock_recv(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    _ri_data: u32,
    _ri_data_len: u32,
    _ri_flags: u32,
    _ro_datalen: u32,
    _ro_flags: u32,
) -> Res {
    not_a_socket(ctx, fd)
}

pub(super) fn sock_send(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    fd: u32,
    _si_data: u32,
    _si_data_len: u32,
    _si_flags: u32,
    _so_datalen: u32,
) -> Res {
    not_a_socket(ctx, fd)
}

pub(super) fn sock_shutdown(ctx: &mut Ctx, _mem: &mut impl GuestMemory, fd: u32, _how: u32) -> Res {
    not_a_socket(ctx, fd)
}
