//! `seek_append FILE`: exercises file positions on FILE (created or truncated): overwrite after
//! seek, seek relative to the end, sparse writes past the end (zero-filled), append mode ignoring
//! the position, set_len shrinking and growing, and positional fd_pread/fd_pwrite leaving the
//! position alone. Prints "ok <check>" or "FAIL <check>: <details>" per check, then the final
//! contents as "final <hex>". Exits 1 if any check failed.
use guest_util::{hex, raw};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;

struct Checks {
    failed: usize,
}

impl Checks {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, name: &str, actual: T, expected: T) {
        if actual == expected {
            println!("ok {name}");
        } else {
            println!("FAIL {name}: got {actual:?}, expected {expected:?}");
            self.failed += 1;
        }
    }
}

fn contents(path: &str) -> Vec<u8> {
    std::fs::read(path).expect("read back")
}

fn pwrite(file: &File, data: &[u8], offset: u64) -> (i32, usize) {
    let iov = raw::Iovec { buf: data.as_ptr(), len: data.len() };
    let mut n = 0;
    let errno = unsafe { raw::fd_pwrite(file.as_raw_fd() as u32, &iov, 1, offset, &mut n) };
    (errno, n)
}

fn pread(file: &File, len: usize, offset: u64) -> (i32, Vec<u8>) {
    let mut buf = vec![0u8; len];
    let iov = raw::Iovec { buf: buf.as_mut_ptr(), len };
    let mut n = 0;
    let errno = unsafe { raw::fd_pread(file.as_raw_fd() as u32, &iov, 1, offset, &mut n) };
    buf.truncate(n);
    (errno, buf)
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: seek_append FILE");
        std::process::exit(2);
    });
    let mut c = Checks { failed: 0 };
    let mut f = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path).expect("open");

    f.write_all(b"hello world").unwrap();
    f.seek(SeekFrom::Start(6)).unwrap();
    f.write_all(b"WASI!").unwrap();
    c.check("overwrite after seek", contents(&path), b"hello WASI!".to_vec());

    c.check("seek end", f.seek(SeekFrom::End(0)).unwrap(), 11);
    c.check("seek end -5", f.seek(SeekFrom::End(-5)).unwrap(), 6);
    let mut tail = String::new();
    f.read_to_string(&mut tail).unwrap();
    c.check("read after seek end -5", tail.as_str(), "WASI!");
    c.check("seek current after read", f.stream_position().unwrap(), 11);
    c.check("seek before start fails", f.seek(SeekFrom::Current(-100)).is_err(), true);

    f.seek(SeekFrom::Start(16)).unwrap();
    f.write_all(b"!").unwrap();
    c.check("write past end fills zeros", contents(&path), b"hello WASI!\0\0\0\0\0!".to_vec());

    let (errno, n) = pwrite(&f, b"HE", 0);
    c.check("pwrite result", (errno, n), (0, 2));
    c.check("pwrite keeps position", f.stream_position().unwrap(), 17);
    let (errno, bytes) = pread(&f, 5, 6);
    c.check("pread", (errno, bytes), (0, b"WASI!".to_vec()));
    let (errno, bytes) = pread(&f, 10, 100);
    c.check("pread past end reads nothing", (errno, bytes), (0, Vec::new()));
    c.check("pread keeps position", f.stream_position().unwrap(), 17);

    f.set_len(5).unwrap();
    c.check("set_len shrinks", contents(&path), b"HEllo".to_vec());
    f.set_len(8).unwrap();
    c.check("set_len grows with zeros", contents(&path), b"HEllo\0\0\0".to_vec());
    drop(f);

    let mut a = OpenOptions::new().append(true).open(&path).expect("open append");
    a.write_all(b"+A").unwrap();
    let _ = a.seek(SeekFrom::Start(0));
    a.write_all(b"+B").unwrap();
    c.check("append writes at end whatever the position", contents(&path), b"HEllo\0\0\0+A+B".to_vec());
    drop(a);

    println!("final {}", hex(&contents(&path)));
    if c.failed > 0 {
        std::process::exit(1);
    }
}
