//! wasi:filesystem (types, preopens) over guest memory: the host model's paths, read-only mounts,
//! limits and denial events, as a p1 guest gets them, through p2 descriptors.
mod common;
use common::*;
use cove_core::host::Preopen;
use cove_core::p1;
use cove_core::p2::{self, Stop};
use cove_core::policy::Policy;

const READ: u32 = 1;
const WRITE: u32 = 2;
const MUTATE: u32 = 32;
const CREATE: u32 = 1;
const DIRECTORY: u32 = 2;

/// error-code discriminants used here.
const EXIST: u8 = 7;
const FILE_TOO_LARGE: u8 = 8;
const NO_ENTRY: u8 = 20;
const NOT_DIRECTORY: u8 = 24;
const NOT_PERMITTED: u8 = 31;
const BAD_DESCRIPTOR: u8 = 3;

/// Preopen 0: "/" read-write; preopen 1: "/data" read-only (a sub-tree with a file "x").
fn guest(policy: &str) -> Guest {
    let policy = Policy::from_json(policy).unwrap();
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

/// The preopens' descriptors and names.
fn preopens(g: &mut Guest) -> Vec<(u32, String)> {
    let ret = g.alloc(8);
    p2::preopens_get_directories(&mut g.ctx, &mut g.mem, &mut Bump::new(), ret).unwrap();
    let (list, count) = (g.u32_at(ret), g.u32_at(ret + 4));
    (0..count)
        .map(|i| {
            let at = list + i * 12;
            let (ptr, len) = (g.u32_at(at + 4), g.u32_at(at + 8));
            (
                g.u32_at(at),
                String::from_utf8(g.bytes_at(ptr, len)).unwrap(),
            )
        })
        .collect()
}

/// open-at: the new descriptor or the error code.
fn open(g: &mut Guest, dir: u32, path: &str, open_flags: u32, flags: u32) -> Result<u32, u8> {
    let (ptr, len) = g.put(path.as_bytes());
    let ret = g.alloc(8);
    p2::descriptor_open_at(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        dir,
        1,
        ptr,
        len,
        open_flags,
        flags,
        ret,
    )
    .unwrap();
    let r = g.bytes_at(ret, 8);
    if r[0] == 0 {
        Ok(g.u32_at(ret + 4))
    } else {
        Err(r[4])
    }
}

/// descriptor.write: bytes written or the error code.
fn write(g: &mut Guest, file: u32, data: &[u8], offset: u64) -> Result<u64, u8> {
    let (ptr, len) = g.put(data);
    let ret = g.alloc(16);
    p2::descriptor_write(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        file,
        ptr,
        len,
        offset,
        ret,
    )
    .unwrap();
    let r = g.bytes_at(ret, 16);
    if r[0] == 0 {
        Ok(g.u64_at(ret + 8))
    } else {
        Err(r[8])
    }
}

/// descriptor.read: (bytes, eof) or the error code.
fn read(g: &mut Guest, file: u32, len: u64, offset: u64) -> Result<(Vec<u8>, bool), u8> {
    let ret = g.alloc(16);
    p2::descriptor_read(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        file,
        len,
        offset,
        ret,
    )
    .unwrap();
    let r = g.bytes_at(ret, 16);
    if r[0] == 1 {
        return Err(r[4]);
    }
    let (ptr, n) = (g.u32_at(ret + 4), g.u32_at(ret + 8));
    Ok((g.bytes_at(ptr, n), r[12] == 1))
}

/// A path operation with `result<_, error-code>`.
fn unit(r: Result<(), Stop>, g: &mut Guest, ret: u32) -> Result<(), u8> {
    r.unwrap();
    let b = g.bytes_at(ret, 2);
    if b[0] == 0 {
        Ok(())
    } else {
        Err(b[1])
    }
}

fn mkdir(g: &mut Guest, dir: u32, path: &str) -> Result<(), u8> {
    let (ptr, len) = g.put(path.as_bytes());
    let ret = g.alloc(2);
    let r = p2::descriptor_create_directory_at(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        dir,
        ptr,
        len,
        ret,
    );
    unit(r, g, ret)
}

#[test]
fn preopens_files_and_streams_round_trip() {
    let mut g = guest("{}");
    let dirs = preopens(&mut g);
    assert_eq!(
        dirs.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
        ["/", "/data"]
    );
    let root = dirs[0].0;
    let file = open(&mut g, root, "f.txt", CREATE, READ | WRITE).unwrap();
    assert_eq!(write(&mut g, file, b"hello world", 0), Ok(11));
    assert_eq!(read(&mut g, file, 5, 6), Ok((b"world".to_vec(), false)));
    assert_eq!(read(&mut g, file, 5, 11), Ok((vec![], true)));

    // write-via-stream + read-via-stream see the same file.
    let ret = g.alloc(8);
    p2::descriptor_append_via_stream(&mut g.ctx, &mut g.mem, &mut Bump::new(), file, ret).unwrap();
    let out = g.u32_at(ret + 4);
    let (ptr, len) = g.put(b"!");
    let r12 = g.alloc(12);
    p2::output_stream_write(&mut g.ctx, &mut g.mem, &mut Bump::new(), out, ptr, len, r12).unwrap();
    assert_eq!(g.bytes_at(r12, 1), [0]);
    p2::descriptor_read_via_stream(&mut g.ctx, &mut g.mem, &mut Bump::new(), file, 6, ret).unwrap();
    let input = g.u32_at(ret + 4);
    p2::input_stream_blocking_read(&mut g.ctx, &mut g.mem, &mut Bump::new(), input, 100, r12)
        .unwrap();
    let (p, n) = (g.u32_at(r12 + 4), g.u32_at(r12 + 8));
    assert_eq!(g.bytes_at(p, n), b"world!");
    p2::input_stream_blocking_read(&mut g.ctx, &mut g.mem, &mut Bump::new(), input, 100, r12)
        .unwrap();
    assert_eq!(g.bytes_at(r12, 5), [1, 0, 0, 0, 1], "closed at the end");

    // The descriptor may go before its streams (wasmtime: they are not its children).
    p2::descriptor_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), file).unwrap();
    p2::input_stream_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), input).unwrap();
    p2::output_stream_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), out).unwrap();

    // stat-at sees the size; read-directory lists the entry.
    let (ptr, len) = g.put(b"f.txt");
    let st = g.alloc(104);
    p2::descriptor_stat_at(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        root,
        0,
        ptr,
        len,
        st,
    )
    .unwrap();
    assert_eq!(
        (
            g.bytes_at(st, 1)[0],
            g.bytes_at(st + 8, 1)[0],
            g.u64_at(st + 24)
        ),
        (0, 6, 12)
    );
    p2::descriptor_read_directory(&mut g.ctx, &mut g.mem, &mut Bump::new(), root, ret).unwrap();
    let listing = g.u32_at(ret + 4);
    let mut names = Vec::new();
    loop {
        let e = g.alloc(20);
        p2::directory_entry_stream_read_directory_entry(
            &mut g.ctx,
            &mut g.mem,
            &mut Bump::new(),
            listing,
            e,
        )
        .unwrap();
        if g.bytes_at(e + 4, 1) == [0] {
            break;
        }
        let (p, n) = (g.u32_at(e + 12), g.u32_at(e + 16));
        names.push(String::from_utf8(g.bytes_at(p, n)).unwrap());
    }
    names.sort();
    assert_eq!(names, ["data", "f.txt"]);
}

#[test]
fn errors_are_error_codes_and_descriptor_flags_hold() {
    let mut g = guest("{}");
    let root = preopens(&mut g)[0].0;
    assert_eq!(open(&mut g, root, "missing", 0, READ), Err(NO_ENTRY));
    let file = open(&mut g, root, "f", CREATE, READ).unwrap();
    assert_eq!(
        open(&mut g, root, "f", CREATE | 4, READ),
        Err(EXIST),
        "exclusive"
    );
    assert_eq!(open(&mut g, file, "x", 0, READ), Err(NOT_DIRECTORY));
    assert_eq!(
        write(&mut g, file, b"x", 0),
        Err(BAD_DESCRIPTOR),
        "opened without write"
    );
    assert_eq!(mkdir(&mut g, root, "sub"), Ok(()));
    let sub = open(&mut g, root, "sub", DIRECTORY, READ).unwrap();
    assert_eq!(
        mkdir(&mut g, sub, "inner"),
        Err(NOT_PERMITTED),
        "no mutate-directory"
    );
    let sub_rw = open(&mut g, root, "sub", DIRECTORY, READ | MUTATE).unwrap();
    assert_eq!(mkdir(&mut g, sub_rw, "inner"), Ok(()));
    let ret = g.alloc(2);
    p2::descriptor_get_flags(&mut g.ctx, &mut g.mem, &mut Bump::new(), sub_rw, ret).unwrap();
    assert_eq!(g.bytes_at(ret, 2), [0, (READ | MUTATE) as u8]);
    // A path that is not UTF-8 cannot be lifted as a string.
    let (ptr, len) = g.put(&[0xff, 0xfe]);
    let r8 = g.alloc(8);
    assert_eq!(
        p2::descriptor_open_at(
            &mut g.ctx,
            &mut g.mem,
            &mut Bump::new(),
            root,
            0,
            ptr,
            len,
            0,
            READ,
            r8
        ),
        Err(trap("string is not valid UTF-8"))
    );
    assert_eq!(
        p2::descriptor_open_at(
            &mut g.ctx,
            &mut g.mem,
            &mut Bump::new(),
            999,
            0,
            ptr,
            len,
            0,
            READ,
            r8
        ),
        Err(trap("unknown handle index 999"))
    );
}

#[test]
fn read_only_mounts_and_escapes_are_denied_as_p1_denies_them() {
    let mut g = guest(r#"{"log":"denied"}"#);
    let dirs = preopens(&mut g);
    let (root, data) = (dirs[0].0, dirs[1].0);
    let ret = g.alloc(2);
    p2::descriptor_get_flags(&mut g.ctx, &mut g.mem, &mut Bump::new(), data, ret).unwrap();
    assert_eq!(
        g.bytes_at(ret, 2),
        [0, READ as u8],
        "a read-only mount's preopen cannot mutate"
    );
    assert_eq!(
        open(&mut g, data, "new", CREATE, READ | WRITE),
        Err(NOT_PERMITTED)
    );
    assert_eq!(open(&mut g, data, "x", 0, READ | WRITE), Err(NOT_PERMITTED));
    assert_eq!(mkdir(&mut g, data, "d"), Err(NOT_PERMITTED));
    assert_eq!(
        open(&mut g, root, "../../etc/passwd", 0, READ),
        Err(NOT_PERMITTED)
    );
    let reading = open(&mut g, data, "x", 0, READ).unwrap();
    assert_eq!(
        read(&mut g, reading, 100, 0),
        Ok((b"readable".to_vec(), false))
    );
    let p2_events: Vec<String> = g
        .events()
        .iter()
        .map(|e| {
            e.replace("descriptor.open-at", "OP")
                .replace("descriptor.create-directory-at", "OP")
        })
        .collect();
    assert_eq!(p2_events.len(), 4, "{p2_events:?}");

    // A p1 guest with the same policy gets the same denials (the op named by its ABI).
    let mut p = guest(r#"{"log":"denied"}"#);
    assert_eq!(
        p.open(4, "new", O_CREAT, RW, 0),
        Err(cove_core::errno::Errno::Perm)
    );
    assert_eq!(
        p.open(4, "x", 0, RIGHTS_FD_WRITE, 0),
        Err(cove_core::errno::Errno::Perm)
    );
    assert_eq!(p.mkdir(4, "d"), Err(cove_core::errno::Errno::Perm));
    assert_eq!(
        p.open(3, "../../etc/passwd", 0, RIGHTS_FD_READ, 0),
        Err(cove_core::errno::Errno::NotCapable)
    );
    let p1_events: Vec<String> = p
        .events()
        .iter()
        .map(|e| {
            e.replace("path_open", "OP")
                .replace("path_create_directory", "OP")
        })
        .collect();
    assert_eq!(p2_events, p1_events);
}

#[test]
fn limits_are_p1s() {
    let mut g = guest(r#"{"limits":{"fileBytes":4}}"#);
    let root = preopens(&mut g)[0].0;
    let file = open(&mut g, root, "f", CREATE, READ | WRITE).unwrap();
    assert_eq!(
        write(&mut g, file, b"abcdef", 0),
        Ok(4),
        "short at the limit"
    );
    assert_eq!(write(&mut g, file, b"x", 4), Err(FILE_TOO_LARGE));
    let mut p = guest(r#"{"limits":{"fileBytes":4}}"#);
    let fd = p.open(3, "f", O_CREAT, RW, 0).unwrap();
    assert_eq!(p.write(fd, b"abcdef"), Ok(4));
    assert_eq!(p.pwrite(fd, b"x", 4), Err(cove_core::errno::Errno::FBig));

    let mut g = guest(r#"{"limits":{"openFiles":4}}"#);
    let root = preopens(&mut g)[0].0;
    let _ = open(&mut g, root, "a", CREATE, READ).unwrap();
    let _ = open(&mut g, root, "b", CREATE, READ).unwrap();
    assert_eq!(
        open(&mut g, root, "c", CREATE, READ),
        Err(22),
        "insufficient-memory: 2 preopens + 2 files"
    );
    let _ = p1::NAMES;
}

#[test]
fn traces_decode_arguments_and_results() {
    let mut g = Guest::with(|c| c.trace = true);
    let root = preopens(&mut g)[0].0;
    let _ = open(&mut g, root, "a.txt", CREATE, READ | WRITE);
    let _ = open(&mut g, root, "missing", 0, READ);
    let lines: Vec<String> = g
        .events()
        .into_iter()
        .filter(|e| e.contains("\"trace\""))
        .collect();
    assert!(
        lines[0].contains(r#"get-directories() -> <1 items>"#),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!(
            r#"[method]descriptor.open-at({root}, symlink-follow, \"a.txt\", create, read|write) -> ok({})"#,
            root + 1
        )),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with(r#"\"missing\", 0, read) -> error(no-entry)"}"#),
        "{}",
        lines[2]
    );
    let (ptr, len) = g.put(b"x");
    let ret = g.alloc(16);
    let _ = p2::descriptor_write(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        999,
        ptr,
        len,
        0,
        ret,
    );
    let last = g.events().pop().unwrap();
    assert!(
        last.contains(
            "[method]descriptor.write(999, <1 bytes>, 0) -> trap: unknown handle index 999"
        ),
        "{last}"
    );
}
