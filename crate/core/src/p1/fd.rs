//! (being written)
use super::Res;
use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::GuestMemory;

pub(super) fn fd_advise(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _offset: u64, _len: u64, _advice: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_allocate(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _offset: u64, _len: u64) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_close(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_datasync(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_fdstat_get(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _stat: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_fdstat_set_flags(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _flags: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_fdstat_set_rights(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _fs_rights_base: u64, _fs_rights_inheriting: u64) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_filestat_get(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _buf: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_filestat_set_size(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _size: u64) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_filestat_set_times(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _atim: u64, _mtim: u64, _fst_flags: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_pread(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _iovs: u32, _iovs_len: u32, _offset: u64, _nread: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_prestat_get(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _buf: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_prestat_dir_name(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _path: u32, _path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_pwrite(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _iovs: u32, _iovs_len: u32, _offset: u64, _nwritten: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_read(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _iovs: u32, _iovs_len: u32, _nread: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_readdir(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _buf: u32, _buf_len: u32, _cookie: u64, _bufused: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_renumber(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _to: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_seek(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _offset: i64, _whence: u32, _newoffset: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_sync(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_tell(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _offset: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn fd_write(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _iovs: u32, _iovs_len: u32, _nwritten: u32) -> Res {
    Err(Errno::NoSys.into())
}
