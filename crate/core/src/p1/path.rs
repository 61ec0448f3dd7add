//! (being written)
use super::Res;
use crate::errno::Errno;
use crate::host::Ctx;
use crate::memory::GuestMemory;

pub(super) fn path_create_directory(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _path: u32, _path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_filestat_get(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _flags: u32, _path: u32, _path_len: u32, _buf: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_filestat_set_times(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _flags: u32, _path: u32, _path_len: u32, _atim: u64, _mtim: u64, _fst_flags: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_link(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _old_fd: u32, _old_flags: u32, _old_path: u32, _old_path_len: u32, _new_fd: u32, _new_path: u32, _new_path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_open(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _dirflags: u32, _path: u32, _path_len: u32, _oflags: u32, _fs_rights_base: u64, _fs_rights_inheriting: u64, _fdflags: u32, _opened_fd: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_readlink(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _path: u32, _path_len: u32, _buf: u32, _buf_len: u32, _bufused: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_remove_directory(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _path: u32, _path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_rename(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _old_path: u32, _old_path_len: u32, _new_fd: u32, _new_path: u32, _new_path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_symlink(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _old_path: u32, _old_path_len: u32, _fd: u32, _new_path: u32, _new_path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}

pub(super) fn path_unlink_file(_ctx: &mut Ctx, _mem: &mut impl GuestMemory, _fd: u32, _path: u32, _path_len: u32) -> Res {
    Err(Errno::NoSys.into())
}
