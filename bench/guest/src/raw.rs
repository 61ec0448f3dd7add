//! Direct `wasi_snapshot_preview1` imports for the hot loops: one call here is one syscall, with
//! no buffering or path bookkeeping in the guest's libc between the loop and the runtime.

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    #[link_name = "fd_write"]
    fn wasi_fd_write(fd: u32, iovs: *const Ciovec, iovs_len: u32, nwritten: *mut u32) -> u16;
    #[link_name = "path_filestat_get"]
    fn wasi_path_filestat_get(fd: u32, flags: u32, path: *const u8, path_len: u32, out: *mut Filestat) -> u16;
    #[link_name = "clock_time_get"]
    fn wasi_clock_time_get(id: u32, precision: u64, out: *mut u64) -> u16;
    #[link_name = "random_get"]
    fn wasi_random_get(buf: *mut u8, len: u32) -> u16;
    #[link_name = "fd_prestat_get"]
    fn wasi_fd_prestat_get(fd: u32, out: *mut Prestat) -> u16;
    #[link_name = "fd_prestat_dir_name"]
    fn wasi_fd_prestat_dir_name(fd: u32, path: *mut u8, path_len: u32) -> u16;
}

pub const CLOCK_MONOTONIC: u32 = 1;
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;
const ERRNO_BADF: u16 = 8;

#[repr(C)]
struct Ciovec {
    buf: *const u8,
    len: u32,
}

#[repr(C)]
#[derive(Default)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

#[repr(C)]
#[derive(Default)]
struct Prestat {
    tag: u8,
    name_len: u32,
}

fn check(errno: u16) -> Result<(), u16> {
    if errno == 0 { Ok(()) } else { Err(errno) }
}

/// One `fd_write` with one iovec; returns what the runtime says it wrote.
pub fn write(fd: u32, data: &[u8]) -> Result<u32, u16> {
    let iov = Ciovec { buf: data.as_ptr(), len: data.len() as u32 };
    let mut written = 0u32;
    check(unsafe { wasi_fd_write(fd, &iov, 1, &mut written) })?;
    Ok(written)
}

pub fn path_filestat_get(dirfd: u32, path: &[u8]) -> Result<Filestat, u16> {
    let mut st = Filestat::default();
    check(unsafe { wasi_path_filestat_get(dirfd, LOOKUP_SYMLINK_FOLLOW, path.as_ptr(), path.len() as u32, &mut st) })?;
    Ok(st)
}

pub fn clock_time_get(id: u32, precision: u64) -> Result<u64, u16> {
    let mut t = 0u64;
    check(unsafe { wasi_clock_time_get(id, precision, &mut t) })?;
    Ok(t)
}

pub fn random_get(buf: &mut [u8]) -> Result<(), u16> {
    check(unsafe { wasi_random_get(buf.as_mut_ptr(), buf.len() as u32) })
}

/// The fd of the preopened directory named `name` (runtimes number preopens from 3).
pub fn preopen_fd(name: &str) -> Option<u32> {
    for fd in 3..64 {
        let mut p = Prestat::default();
        match unsafe { wasi_fd_prestat_get(fd, &mut p) } {
            0 => {}
            ERRNO_BADF => return None,
            _ => continue,
        }
        let mut buf = vec![0u8; p.name_len as usize];
        if unsafe { wasi_fd_prestat_dir_name(fd, buf.as_mut_ptr(), p.name_len) } == 0
            && buf.strip_suffix(b"\0").unwrap_or(&buf) == name.as_bytes()
        {
            return Some(fd);
        }
    }
    None
}
