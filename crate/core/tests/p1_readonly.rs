//! Read-only mounts: every operation that could create, truncate, write, rename, link or
//! delete is refused with EPERM (wasmtime's answer) and reported as a denial event;
//! reading still works.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::host::Preopen;
use cove_core::p1;
use cove_core::policy::Policy;

/// fd 3: "/" read-write; fd 4: "/data" read-only (a sub-tree of the same MemFs).
fn guest(log: &str) -> Guest {
    let policy = Policy::from_json(&format!(r#"{{"log":"{log}"}}"#)).unwrap();
    Guest::with(|c| {
        c.policy = policy;
        let fs = c.preopens[0].fs.clone();
        let data = {
            let mut fs = fs.borrow_mut();
            let root = fs.root();
            fs.create_dir(root, b"data").unwrap();
            let data = fs.lookup(root, b"data").unwrap();
            let f = fs.create_file(data, b"x").unwrap();
            fs.write(f, 0, b"readable").unwrap();
            fs.create_dir(data, b"sub").unwrap();
            data
        };
        c.preopens.push(Preopen {
            guest_path: "/data".into(),
            fs,
            root: data,
            readonly: true,
        });
    })
}

#[test]
fn reads_work() {
    let mut g = guest("denied");
    let fd = g.open(4, "x", 0, RIGHTS_FD_READ, 0).unwrap();
    assert_eq!(g.read(fd, 100).unwrap(), b"readable");
    assert!(g.stat(4, 0, "sub").is_ok());
    assert!(g.events().is_empty());
}

#[test]
fn every_mutation_is_denied_and_reported() {
    let mut g = guest("denied");
    let denied: Vec<(&str, Result<(), Errno>)> = vec![
        ("path_open", g.open(4, "new", O_CREAT, RW, 0).map(drop)),
        (
            "path_open",
            g.open(4, "x", O_TRUNC, RIGHTS_FD_READ, 0).map(drop),
        ),
        ("path_open", g.open(4, "x", 0, RIGHTS_FD_WRITE, 0).map(drop)),
        ("path_create_directory", g.mkdir(4, "d")),
        ("path_unlink_file", g.unlink(4, "x")),
        ("path_remove_directory", g.rmdir(4, "sub")),
        ("path_rename", g.rename(4, "x", 4, "y")),
        ("path_rename", g.rename(4, "x", 3, "moved")),
        (
            "path_rename",
            g.rename(3, "data/../", 4, "z").or(Err(Errno::Perm)),
        ),
        ("path_link", g.link(4, 0, "x", 4, "hard")),
        ("path_symlink", g.symlink("x", 4, "soft")),
    ];
    for (op, result) in &denied {
        assert_eq!(*result, Err(Errno::Perm), "{op}");
    }
    let (p, l) = g.put(b"x");
    assert_eq!(
        errno(p1::path_filestat_set_times(
            &mut g.ctx,
            &mut g.mem,
            4,
            0,
            p,
            l,
            0,
            0,
            2 | 8
        )),
        Err(Errno::Perm)
    );
    let ro = g.open(4, "x", 0, RIGHTS_FD_READ, 0).unwrap();
    assert_eq!(
        errno(p1::fd_filestat_set_times(
            &mut g.ctx, &mut g.mem, ro, 0, 0, 2
        )),
        Err(Errno::Perm)
    );
    assert_eq!(
        g.write(ro, b"no"),
        Err(Errno::Badf),
        "opened without write access"
    );
    // The mount is untouched.
    let fd = g.open(4, "x", 0, RIGHTS_FD_READ, 0).unwrap();
    assert_eq!(g.read(fd, 100).unwrap(), b"readable");
    assert_eq!(g.stat(4, 0, "new"), Err(Errno::NoEnt));
    let events = g.events();
    assert!(events.len() >= 11);
    assert_eq!(
        events[0],
        r#"{"type":"denied","op":"path_open","path":"/data/new","reason":"read-only mount"}"#
    );
    assert!(events.contains(&r#"{"type":"denied","op":"path_create_directory","path":"/data/d","reason":"read-only mount"}"#.to_string()));
}

#[test]
fn a_directory_opened_inside_a_read_only_mount_stays_read_only() {
    let mut g = guest("denied");
    let sub = g.open(4, "sub", O_DIRECTORY, 0, 0).unwrap();
    assert_eq!(g.open(sub, "f", O_CREAT, RW, 0), Err(Errno::Perm));
    assert!(g.events()[0].contains(r#""path":"/data/sub/f""#));
    // The writable mount next to it is unaffected.
    assert!(g.open(3, "ok", O_CREAT, RW, 0).is_ok());
}

#[test]
fn log_none_silences_events_and_all_reports_accesses() {
    let mut quiet = guest("none");
    assert_eq!(quiet.mkdir(4, "d"), Err(Errno::Perm));
    assert!(quiet.events().is_empty());
    let mut loud = guest("all");
    loud.stat(4, 0, "x").unwrap();
    assert_eq!(
        loud.events(),
        [r#"{"type":"access","op":"path_filestat_get","path":"/data/x"}"#]
    );
}
