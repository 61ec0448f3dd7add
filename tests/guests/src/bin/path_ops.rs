//! `path_ops`: runs filesystem operations read from stdin, one per line, through raw WASI calls
//! (no libc path handling in between), and prints one result line per operation:
//! `<op>: ok[ detail]` or `<op>: errno=<n> <ENAME>`. Each line is processed before the next is
//! read, so a host that feeds stdin one line at a time can change the tree between operations.
//!
//! A path is `[FD:]REL`: REL relative to descriptor FD (default 3, the first preopen); `.` is the
//! descriptor itself. Operations:
//! `mkdir P`, `rmdir P`, `unlink P`, `symlink TARGET P`, `rename P Q`, `stat P` (type and size),
//! `open P` (`ok fd=N`, kept open), `close N`, `read P` (`ok "CONTENT"`), `write P` (truncates,
//! writes "written by guest"), `create P` (exclusive; writes "created by guest"),
//! `list P` (`ok NAME,NAME,…` sorted, without . and ..), and `repeat N read P`, which reads N
//! times and prints each distinct outcome with its count: `ok "CONTENT"=K errno=44 ENOENT=J`.
//! Lookups follow symlinks (the engine keeps them inside the mount).
use guest_util::errno_name;
use std::collections::BTreeMap;
use std::io::BufRead;

mod wasi {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn path_open(fd: u32, dirflags: u32, path: *const u8, path_len: usize, oflags: u32, rights_base: u64,
            rights_inheriting: u64, fdflags: u32, opened: *mut u32) -> i32;
        pub fn fd_close(fd: u32) -> i32;
        pub fn fd_read(fd: u32, iovs: *const guest_util::raw::Iovec, iovs_len: usize, nread: *mut usize) -> i32;
        pub fn fd_write(fd: u32, iovs: *const guest_util::raw::Iovec, iovs_len: usize, nwritten: *mut usize) -> i32;
        pub fn fd_readdir(fd: u32, buf: *mut u8, buf_len: usize, cookie: u64, used: *mut usize) -> i32;
        pub fn path_create_directory(fd: u32, path: *const u8, path_len: usize) -> i32;
        pub fn path_remove_directory(fd: u32, path: *const u8, path_len: usize) -> i32;
        pub fn path_unlink_file(fd: u32, path: *const u8, path_len: usize) -> i32;
        pub fn path_symlink(target: *const u8, target_len: usize, fd: u32, path: *const u8, path_len: usize) -> i32;
        pub fn path_rename(fd: u32, old: *const u8, old_len: usize, new_fd: u32, new: *const u8, new_len: usize) -> i32;
        pub fn path_filestat_get(fd: u32, flags: u32, path: *const u8, path_len: usize, out: *mut u8) -> i32;
    }
}

const FOLLOW: u32 = 1;
const O_CREAT: u32 = 1;
const O_DIRECTORY: u32 = 2;
const O_EXCL: u32 = 4;
const O_TRUNC: u32 = 8;
const ALL_RIGHTS: u64 = (1 << 29) - 1;
/// Everything but FD_WRITE: what opening a directory or reading a file asks for.
const READ_RIGHTS: u64 = ALL_RIGHTS & !(1 << 6);

type Res<T> = Result<T, i32>;

fn check(errno: i32) -> Res<()> {
    if errno == 0 { Ok(()) } else { Err(errno) }
}

/// `[FD:]REL` -> (FD, REL).
fn split(path: &str) -> (u32, &str) {
    match path.split_once(':') {
        Some((fd, rel)) if fd.parse::<u32>().is_ok() => (fd.parse().unwrap(), rel),
        _ => (3, path),
    }
}

fn open(path: &str, oflags: u32) -> Res<u32> {
    let (fd, rel) = split(path);
    let rights = if oflags & (O_CREAT | O_TRUNC) != 0 { ALL_RIGHTS } else { READ_RIGHTS };
    let mut opened = 0u32;
    check(unsafe { wasi::path_open(fd, FOLLOW, rel.as_ptr(), rel.len(), oflags, rights, ALL_RIGHTS, 0, &mut opened) })?;
    Ok(opened)
}

fn read_all(fd: u32) -> Res<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let iov = guest_util::raw::Iovec { buf: buf.as_mut_ptr(), len: buf.len() };
        let mut n = 0;
        check(unsafe { wasi::fd_read(fd, &iov, 1, &mut n) })?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&buf[..n]);
    }
}

fn write_all(fd: u32, data: &[u8]) -> Res<()> {
    let iov = guest_util::raw::Iovec { buf: data.as_ptr(), len: data.len() };
    let mut n = 0;
    check(unsafe { wasi::fd_write(fd, &iov, 1, &mut n) })
}

/// Runs `f` on a descriptor opened for `path`, closing it afterwards whatever `f` returned.
fn with_open<T>(path: &str, oflags: u32, f: impl FnOnce(u32) -> Res<T>) -> Res<T> {
    let fd = open(path, oflags)?;
    let result = f(fd);
    unsafe { wasi::fd_close(fd) };
    result
}

fn quoted(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

fn list(fd: u32) -> Res<String> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut used = 0;
    check(unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), 0, &mut used) })?;
    let mut names = Vec::new();
    let mut at = 0;
    while at + 24 <= used {
        let len = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
        let end = (at + 24 + len).min(used);
        let name = String::from_utf8_lossy(&buf[at + 24..end]).into_owned();
        if name != "." && name != ".." {
            names.push(name);
        }
        at += 24 + len;
    }
    names.sort();
    Ok(names.join(","))
}

fn path_call(path: &str, f: unsafe extern "C" fn(u32, *const u8, usize) -> i32) -> Res<String> {
    let (fd, rel) = split(path);
    check(unsafe { f(fd, rel.as_ptr(), rel.len()) }).map(|_| String::new())
}

fn run(words: &[&str]) -> Res<String> {
    match words {
        ["mkdir", p] => path_call(p, wasi::path_create_directory),
        ["rmdir", p] => path_call(p, wasi::path_remove_directory),
        ["unlink", p] => path_call(p, wasi::path_unlink_file),
        ["symlink", target, p] => {
            let (fd, rel) = split(p);
            check(unsafe { wasi::path_symlink(target.as_ptr(), target.len(), fd, rel.as_ptr(), rel.len()) })
                .map(|_| String::new())
        }
        ["rename", p, q] => {
            let ((pfd, prel), (qfd, qrel)) = (split(p), split(q));
            check(unsafe { wasi::path_rename(pfd, prel.as_ptr(), prel.len(), qfd, qrel.as_ptr(), qrel.len()) })
                .map(|_| String::new())
        }
        ["stat", p] => {
            let (fd, rel) = split(p);
            let mut st = [0u8; 64];
            check(unsafe { wasi::path_filestat_get(fd, FOLLOW, rel.as_ptr(), rel.len(), st.as_mut_ptr()) })?;
            let size = u64::from_le_bytes(st[32..40].try_into().unwrap());
            Ok(format!("type={} size={size}", st[16]))
        }
        ["open", p] => open(p, 0).map(|fd| format!("fd={fd}")),
        ["close", n] => check(unsafe { wasi::fd_close(n.parse().unwrap_or(u32::MAX)) }).map(|_| String::new()),
        ["read", p] => with_open(p, 0, read_all).map(|b| quoted(&b)),
        ["write", p] => with_open(p, O_TRUNC, |fd| write_all(fd, b"written by guest")).map(|_| String::new()),
        ["create", p] => with_open(p, O_CREAT | O_EXCL, |fd| write_all(fd, b"created by guest")).map(|_| String::new()),
        ["list", p] => with_open(p, O_DIRECTORY, list),
        ["repeat", n, "read", p] => {
            let mut tally: BTreeMap<String, u32> = BTreeMap::new();
            for _ in 0..n.parse::<u32>().unwrap_or(0) {
                let outcome = match with_open(p, 0, read_all) {
                    Ok(bytes) => format!("ok {}", quoted(&bytes)),
                    Err(e) => format!("errno={e} {}", errno_name(e)),
                };
                *tally.entry(outcome).or_default() += 1;
            }
            Ok(tally.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "))
        }
        _ => Err(-1),
    }
}

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin is UTF-8 text");
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        match run(&words) {
            Ok(detail) if detail.is_empty() => println!("{line}: ok"),
            Ok(detail) => println!("{line}: ok {detail}"),
            Err(-1) => {
                eprintln!("path_ops: bad operation: {line}");
                std::process::exit(2);
            }
            Err(e) => println!("{line}: errno={e} {}", errno_name(e)),
        }
    }
}
