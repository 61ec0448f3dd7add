//! Stdout batching and ordering, stdin sources, BLOCKED on stdin an async host must await.
mod common;
use common::*;
use cove_core::errno::Errno;
use cove_core::host::stdio::{StdoutBuffering, STDOUT_BATCH};
use cove_core::host::{Stdin, StdinRead, Wait};
use cove_core::p1;

#[test]
fn stdout_is_batched_and_flushed_before_stderr() {
    let mut g = Guest::new();
    g.write(1, b"one ").unwrap();
    g.write(1, b"two\n").unwrap();
    assert!(
        g.host.borrow().writes.is_empty(),
        "small stdout writes wait in the batch"
    );
    g.write(2, b"err").unwrap();
    g.write(1, b"three").unwrap();
    g.ctx.flush().unwrap();
    let writes = g.host.borrow().writes.clone();
    assert_eq!(
        writes,
        [
            (1, b"one two\n".to_vec()),
            (2, b"err".to_vec()),
            (1, b"three".to_vec())
        ]
    );
}

#[test]
fn unbuffered_stdout_flushes_what_is_held_then_passes_every_write_through() {
    let mut g = Guest::new();
    g.write(1, b"held ").unwrap();
    g.ctx.unbuffer_stdout().unwrap();
    assert_eq!(g.host.borrow().writes, [(1, b"held ".to_vec())]);
    g.write(1, b"a").unwrap();
    g.write(1, b"b").unwrap();
    let writes = g.host.borrow().writes.clone();
    assert_eq!(
        writes,
        [
            (1, b"held ".to_vec()),
            (1, b"a".to_vec()),
            (1, b"b".to_vec())
        ]
    );
}

#[test]
fn stdout_that_is_not_a_terminal_holds_whole_lines_until_a_flush_point() {
    let mut g = Guest::new();
    for i in 0..100 {
        g.write(1, format!("line {i}\n").as_bytes()).unwrap();
    }
    assert!(
        g.host.borrow().writes.is_empty(),
        "a pipe or file gets blocks, not lines"
    );
    g.ctx.flush().unwrap();
    assert_eq!(g.host.borrow().writes.len(), 1);
}

#[test]
fn a_terminal_sees_each_line_as_it_is_written_and_partial_lines_wait() {
    let mut g = Guest::new();
    g.host.borrow_mut().terminal = true;
    g.write(1, b"no newline yet").unwrap();
    assert!(g.host.borrow().writes.is_empty(), "a partial line waits");
    g.write(1, b", now\nand a rest").unwrap();
    assert_eq!(
        g.host.borrow().writes,
        [(1, b"no newline yet, now\n".to_vec())]
    );
    // Several lines in one write go out together, up to the last newline.
    g.write(1, b" then\ntwo\nthree").unwrap();
    g.write(2, b"err\n").unwrap();
    let writes = g.host.borrow().writes.clone();
    assert_eq!(
        writes,
        [
            (1, b"no newline yet, now\n".to_vec()),
            (1, b"and a rest then\ntwo\n".to_vec()),
            (1, b"three".to_vec()),
            (2, b"err\n".to_vec())
        ],
        "stderr flushes the partial line first"
    );
}

#[test]
fn a_terminal_asked_once_at_the_first_write() {
    let mut g = Guest::new();
    g.write(1, b"a\n").unwrap();
    // The answer is kept: a host that changes its mind later does not switch modes midway.
    g.host.borrow_mut().terminal = true;
    g.write(1, b"b\n").unwrap();
    assert!(g.host.borrow().writes.is_empty());
    assert_eq!(g.ctx.stdout_buffering(), StdoutBuffering::Block);
}

#[test]
fn events_see_held_stdout_go_out_first() {
    let mut g = Guest::with(|c| c.trace = true);
    g.write(1, b"before the event").unwrap();
    // The trace event of that very write flushed it: a host printing trace lines to the same
    // stream keeps the order.
    assert_eq!(g.host.borrow().writes, [(1, b"before the event".to_vec())]);
    assert_eq!(g.host.borrow().events.len(), 1);
}

#[test]
fn a_failing_flush_reports_its_error_once_and_drops_the_bytes() {
    let mut g = Guest::new();
    g.write(1, b"lost").unwrap();
    g.host.borrow_mut().fail_writes = Some(Errno::Pipe);
    assert_eq!(g.ctx.flush(), Err(Errno::Pipe));
    g.host.borrow_mut().fail_writes = None;
    assert_eq!(g.ctx.flush(), Ok(()), "nothing left to deliver");
    assert!(g.host.borrow().stdout.is_empty());
}

#[test]
fn a_flush_failing_before_a_read_fails_the_next_stdout_write_not_the_read() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    g.host.borrow_mut().stdin.push_back(StdinRead::Data(0));
    g.host.borrow_mut().stdin_data.push_back(b"typed".to_vec());
    g.write(1, b"prompt> ").unwrap();
    g.host.borrow_mut().fail_writes = Some(Errno::Pipe);
    assert_eq!(
        g.read(0, 100).unwrap(),
        b"typed",
        "stdin works whatever stdout does"
    );
    g.host.borrow_mut().fail_writes = None;
    assert_eq!(
        g.write(1, b"more"),
        Err(Errno::Pipe),
        "the held error, once"
    );
    assert_eq!(g.write(1, b"more"), Ok(4));
}

#[test]
fn a_full_batch_goes_out_and_large_writes_pass_straight_through() {
    let mut g = Guest::new();
    g.write(1, &vec![b'a'; STDOUT_BATCH - 100]).unwrap();
    g.write(1, &[b'b'; 200]).unwrap();
    assert_eq!(
        g.host.borrow().writes.len(),
        1,
        "the small write overflows the batch, which goes out first"
    );
    g.write(1, &vec![b'c'; STDOUT_BATCH + 1]).unwrap();
    let writes = g.host.borrow().writes.clone();
    assert_eq!(writes.len(), 3);
    assert_eq!(writes[1].1, vec![b'b'; 200]);
    assert_eq!(writes[2].1, vec![b'c'; STDOUT_BATCH + 1]);
}

#[test]
fn a_small_write_that_faults_midway_leaves_nothing_in_the_batch() {
    let mut g = Guest::new();
    g.write(1, b"kept ").unwrap();
    // Two iovecs: the first is fine, the second points past the end of memory.
    let (data, len) = g.put(b"lost");
    let bad = u32::MAX - 2;
    let (iovs, _) = g.put(&[data, len, bad, 4].map(u32::to_le_bytes).concat());
    let nwritten = g.alloc(4);
    assert_eq!(
        errno(p1::fd_write(&mut g.ctx, &mut g.mem, 1, iovs, 2, nwritten)),
        Err(Errno::Fault)
    );
    g.ctx.flush().unwrap();
    assert_eq!(g.host.borrow().stdout, b"kept ");
}

#[test]
fn exit_flushes_and_reports_the_code() {
    let mut g = Guest::new();
    g.write(1, b"last line without newline").unwrap();
    assert_eq!(p1::proc_exit(&mut g.ctx, &mut g.mem, 3), p1::EXIT);
    assert_eq!(g.ctx.exit_code(), Some(3));
    assert_eq!(g.host.borrow().stdout, b"last line without newline");
}

#[test]
fn stdin_from_bytes_then_eof() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Bytes(b"hello".to_vec()));
    assert_eq!(g.read(0, 3).unwrap(), b"hel");
    assert_eq!(g.read(0, 10).unwrap(), b"lo");
    assert_eq!(g.read(0, 10).unwrap(), b"");
    let mut closed = Guest::new();
    assert_eq!(closed.read(0, 10).unwrap(), b"", "closed stdin is at EOF");
}

#[test]
fn stdin_from_the_host_flushes_stdout_first() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    g.host.borrow_mut().stdin.push_back(StdinRead::Data(0));
    g.host.borrow_mut().stdin_data.push_back(b"typed".to_vec());
    g.write(1, b"prompt> ").unwrap();
    assert_eq!(g.read(0, 100).unwrap(), b"typed");
    assert_eq!(g.host.borrow().stdout, b"prompt> ");
    g.host
        .borrow_mut()
        .stdin
        .push_back(StdinRead::Error(Errno::Io));
    assert_eq!(g.read(0, 100), Err(Errno::Io));
    assert_eq!(g.read(0, 100).unwrap(), b"", "then EOF");
}

#[test]
fn stdin_that_would_block_returns_blocked_without_side_effects() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    let buf = g.alloc(16);
    let (iov, _) = g.put(&[buf.to_le_bytes(), 16u32.to_le_bytes()].concat());
    let nread = g.alloc(4);
    g.mem.write_u32(nread, 0xdead).unwrap();
    assert_eq!(
        p1::fd_read(&mut g.ctx, &mut g.mem, 0, iov, 1, nread),
        p1::BLOCKED
    );
    assert_eq!(g.ctx.wait(), Some(Wait::Stdin { timeout_ns: None }));
    assert_eq!(g.u32_at(nread), 0xdead, "nothing written");
    // The embedder awaited input; the same call now succeeds.
    g.host.borrow_mut().stdin.push_back(StdinRead::Data(0));
    g.host.borrow_mut().stdin_data.push_back(b"later".to_vec());
    assert_eq!(p1::fd_read(&mut g.ctx, &mut g.mem, 0, iov, 1, nread), 0);
    let n = g.u32_at(nread);
    assert_eq!(g.bytes_at(buf, n), b"later");
    assert_eq!(g.ctx.wait(), None);
}

#[test]
fn nonblocking_stdin_says_eagain() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    errno(p1::fd_fdstat_set_flags(
        &mut g.ctx,
        &mut g.mem,
        0,
        FDFLAGS_NONBLOCK,
    ))
    .unwrap();
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    assert_eq!(g.read(0, 10), Err(Errno::Again));
}

use cove_core::memory::GuestMemory;
