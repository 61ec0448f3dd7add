//! Policy limits, sockets, proc_raise/sched_yield, tracing.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::p1;
use cove_core::policy::Policy;

fn limited(json: &str) -> Guest {
    let policy = Policy::from_json(json).unwrap();
    Guest::with(|c| c.policy = policy)
}

#[test]
fn open_files_limit_is_emfile() {
    let mut g = limited(r#"{"limits":{"openFiles":5}}"#);
    let a = g.open(3, "a", O_CREAT, RW, 0).unwrap();
    assert_eq!(g.open(3, "b", O_CREAT, RW, 0), Err(Errno::MFile));
    assert_eq!(g.stat(3, 0, "b"), Err(Errno::NoEnt), "nothing created");
    g.close(a).unwrap();
    assert!(g.open(3, "b", O_CREAT, RW, 0).is_ok());
    assert_eq!(
        g.events(),
        [
            r#"{"type":"denied","op":"path_open","path":"/b","reason":"open files limit (limits.openFiles)"}"#
        ]
    );
}

#[test]
fn file_bytes_limit_is_efbig() {
    let mut g = limited(r#"{"limits":{"fileBytes":10}}"#);
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    assert_eq!(
        g.write(fd, b"0123456789abc"),
        Ok(10),
        "a short write up to the limit"
    );
    assert_eq!(g.write(fd, b"x"), Err(Errno::FBig));
    assert_eq!(
        errno(p1::fd_filestat_set_size(&mut g.ctx, &mut g.mem, fd, 11)),
        Err(Errno::FBig)
    );
    assert_eq!(
        errno(p1::fd_allocate(&mut g.ctx, &mut g.mem, fd, 5, 6)),
        Err(Errno::FBig)
    );
    assert_eq!(g.pwrite(fd, b"y", 10), Err(Errno::FBig));
    let events = g.events();
    assert_eq!(events.len(), 4, "each refusal is reported: {events:?}");
    assert_eq!(
        events[0],
        r#"{"type":"denied","op":"fd_write","path":"/f","reason":"file size limit (limits.fileBytes)"}"#
    );
}

#[test]
fn written_bytes_limit_is_enospc() {
    let mut g = limited(r#"{"limits":{"writtenBytes":8}}"#);
    let fd = g.open(3, "f", O_CREAT, RW, 0).unwrap();
    assert_eq!(g.write(fd, b"12345"), Ok(5));
    assert_eq!(g.write(fd, b"6789"), Ok(3));
    assert_eq!(g.write(fd, b"x"), Err(Errno::NoSpc));
    assert_eq!(
        g.events(),
        [
            r#"{"type":"denied","op":"fd_write","path":"/f","reason":"written bytes limit (limits.writtenBytes)"}"#
        ]
    );
    assert_eq!(g.write(1, b"stdout does not count"), Ok(21));
}

#[test]
fn sockets_are_ebadf_or_enotsock() {
    let mut g = Guest::new();
    assert_eq!(
        errno(p1::sock_shutdown(&mut g.ctx, &mut g.mem, 77, 1)),
        Err(Errno::Badf)
    );
    assert_eq!(
        errno(p1::sock_shutdown(&mut g.ctx, &mut g.mem, 1, 1)),
        Err(Errno::NotSock)
    );
    assert_eq!(
        errno(p1::sock_accept(&mut g.ctx, &mut g.mem, 3, 0, 0)),
        Err(Errno::NotSock)
    );
    assert_eq!(
        errno(p1::sock_recv(&mut g.ctx, &mut g.mem, 0, 0, 0, 0, 0, 0)),
        Err(Errno::NotSock)
    );
    assert_eq!(
        errno(p1::sock_send(&mut g.ctx, &mut g.mem, 99, 0, 0, 0, 0)),
        Err(Errno::Badf)
    );
}

#[test]
fn raise_is_unsupported_and_yield_succeeds() {
    let mut g = Guest::new();
    assert_eq!(
        errno(p1::proc_raise(&mut g.ctx, &mut g.mem, 2)),
        Err(Errno::NotSup)
    );
    assert_eq!(
        errno(p1::proc_raise(&mut g.ctx, &mut g.mem, 99)),
        Err(Errno::Inval)
    );
    assert_eq!(errno(p1::sched_yield(&mut g.ctx, &mut g.mem)), Ok(()));
}

#[test]
fn tracing_emits_one_decoded_line_per_call() {
    let mut g = Guest::with(|c| c.trace = true);
    let _ = g.open(3, "dir/file", O_CREAT | O_TRUNC, RW, 0);
    let _ = g.seek(1, -3, 2);
    p1::proc_exit(&mut g.ctx, &mut g.mem, 1);
    let events = g.events();
    assert_eq!(events.len(), 3);
    assert!(
        events[0].starts_with(r#"{"type":"trace","line":"path_open(3, 0, \"dir/file\", CREAT|TRUNC, 0x66, 0x66, 0, 0x"#),
        "{}",
        events[0]
    );
    assert!(events[0].ends_with(r#") = ENOENT"}"#), "{}", events[0]);
    assert!(
        events[1].contains(r#"fd_seek(1, -3, END, 0x"#) && events[1].ends_with("= ESPIPE\"}"),
        "{}",
        events[1]
    );
    assert_eq!(
        events[2],
        r#"{"type":"trace","line":"proc_exit(1) = EXIT"}"#
    );
    let mut quiet = Guest::new();
    let _ = quiet.open(3, "x", 0, 0, 0);
    assert!(quiet.events().is_empty());
}

#[test]
fn every_function_is_listed() {
    assert_eq!(p1::NAMES.len(), 46);
    assert!(p1::NAMES.contains(&"path_open") && p1::NAMES.contains(&"sock_accept"));
}
