//! `ro_write DIR`: tries every kind of change inside DIR and prints one line per attempt,
//! `<op>: ok` or `<op>: error errno=<n> <ENAME> kind=<ErrorKind>`, so a test can check that a
//! read-only mount refuses each one. Expects DIR to hold files `existing.txt` and `victim.txt`
//! and an empty directory `subdir/`. First reads `existing.txt` (`read: ok`, then its text on a
//! `content:` line) to show reading still works. Exits 0 whatever the results.
use guest_util::describe;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};

/// symlink(2) from wasi-libc (linked in by std): std's own wrapper is still unstable on WASI.
fn symlink(target: &str, link: &str) -> std::io::Result<()> {
    extern "C" {
        fn symlink(target: *const std::ffi::c_char, link: *const std::ffi::c_char) -> std::ffi::c_int;
    }
    let target = std::ffi::CString::new(target).expect("no NUL in target");
    let link = std::ffi::CString::new(link).expect("no NUL in link");
    match unsafe { symlink(target.as_ptr(), link.as_ptr()) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: ro_write DIR");
        std::process::exit(2);
    });
    let existing = format!("{dir}/existing.txt");
    let fresh = format!("{dir}/ro_write_new.txt");

    let mut content = String::new();
    let read = fs::File::open(&existing).and_then(|mut f| f.read_to_string(&mut content));
    println!("read: {}", describe(&read));
    println!("content: {}", content.trim_end());

    // Ordered so that on a writable directory every attempt succeeds (the rename comes last).
    let attempts: Vec<(&str, std::io::Result<()>)> = vec![
        ("create", OpenOptions::new().write(true).create_new(true).open(&fresh).map(drop)),
        ("write", OpenOptions::new().write(true).open(&existing).and_then(|mut f| f.write_all(b"overwritten"))),
        ("truncate", OpenOptions::new().write(true).truncate(true).open(&existing).map(drop)),
        ("append", OpenOptions::new().append(true).open(&existing).and_then(|mut f| f.write_all(b"appended"))),
        ("mkdir", fs::create_dir(format!("{dir}/newdir"))),
        ("rmdir", fs::remove_dir(format!("{dir}/subdir"))),
        ("symlink", symlink("existing.txt", &format!("{dir}/link"))),
        ("hard_link", fs::hard_link(&existing, format!("{dir}/hardlink.txt"))),
        ("unlink", fs::remove_file(format!("{dir}/victim.txt"))),
        ("rename", fs::rename(&existing, format!("{dir}/renamed.txt"))),
    ];
    for (op, result) in &attempts {
        println!("{op}: {}", describe(result));
    }
}
