//! `memory_hog sparse FILE N` | `memory_hog names N LEN`: the attacks of issue 10 item 5 on a
//! host's memory, with raw WASI calls. `sparse` creates FILE and writes one byte at the end of
//! each of N 1 MiB chunks (fd_pwrite; a MemFS holds the whole chunk). `names` creates N
//! directories with LEN-byte names in the first preopen (fd 3; path_create_directory). Each
//! prints `<attack>: K done` and, when a call fails, `then errno=<n> <ENAME>`; exit 0 either way,
//! 2 for bad usage.
use guest_util::{errno_name, raw};
use std::fs::OpenOptions;
use std::os::fd::AsRawFd;

const CHUNK: u64 = 1 << 20;

fn report(attack: &str, done: u64, errno: i32) {
    if errno == 0 {
        println!("{attack}: {done} done");
    } else {
        println!("{attack}: {done} done, then errno={errno} {}", errno_name(errno));
    }
}

fn sparse(path: &str, n: u64) {
    let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(path)
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
    let fd = file.as_raw_fd() as u32;
    let byte = [b'x'];
    let iov = raw::Iovec { buf: byte.as_ptr(), len: 1 };
    for k in 0..n {
        let mut written = 0;
        let errno = unsafe { raw::fd_pwrite(fd, &iov, 1, (k + 1) * CHUNK - 1, &mut written) };
        if errno != 0 {
            return report("sparse", k, errno);
        }
    }
    report("sparse", n, 0);
}

fn names(n: u64, len: usize) {
    let mut name = vec![b'n'; len.max(8)];
    for k in 0..n {
        // The names share all but their last 8 bytes: the slowest case for a sorted directory.
        let at = name.len() - 8;
        name[at..].copy_from_slice(format!("{k:08}").as_bytes());
        let errno = unsafe { raw::path_create_directory(3, name.as_ptr(), name.len()) };
        if errno != 0 {
            return report("names", k, errno);
        }
    }
    report("names", n, 0);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok());
    match (args.first().map(String::as_str), number(2), number(1)) {
        (Some("sparse"), Some(n), _) => sparse(&args[1], n),
        (Some("names"), Some(len), Some(n)) => names(n, len as usize),
        _ => {
            eprintln!("usage: memory_hog sparse FILE N | memory_hog names N LEN");
            std::process::exit(2);
        }
    }
}
