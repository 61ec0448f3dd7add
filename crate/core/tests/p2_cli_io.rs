//! wasi:cli (exit, stdio, terminals) and wasi:io (streams, error, poll) over guest memory, through
//! the p2 dispatch as the engine's exports call it: p1's stdout buffering and stdin, handles as
//! indexes with their types and parent/child rules, waits as `Blocked` or real sleeps.
mod common;
use common::*;
use cove_core::host::{Stdin, StdinRead};
use cove_core::p2::{self, Stop};

/// Writes `data` with blocking-write-and-flush; returns the 12-byte `result<_, stream-error>`.
fn write_flush(g: &mut Guest, stream: u32, data: &[u8]) -> Result<Vec<u8>, Stop> {
    let (ptr, len) = g.put(data);
    let ret = g.alloc(12);
    p2::output_stream_blocking_write_and_flush(
        &mut g.ctx,
        &mut g.mem,
        &mut Bump::new(),
        stream,
        ptr,
        len,
        ret,
    )?;
    Ok(g.bytes_at(ret, 12))
}

const OK: [u8; 12] = [0; 12];

#[test]
fn hello_world_reaches_stdout_through_p1s_buffering() {
    let mut g = Guest::new();
    let out = p2::stdout_get_stdout(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    let err = p2::stderr_get_stderr(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    assert_ne!(out, 0, "index 0 is never handed out");
    assert_ne!(out, err);
    assert_eq!(write_flush(&mut g, out, b"hello ").unwrap(), OK);
    assert_eq!(write_flush(&mut g, out, b"world\n").unwrap(), OK);
    assert!(
        g.host.borrow().stdout.is_empty(),
        "held, as p1 holds stdout"
    );
    assert_eq!(write_flush(&mut g, err, b"oops\n").unwrap(), OK);
    assert_eq!(
        g.host.borrow().stdout,
        b"hello world\n",
        "stdout goes out before stderr"
    );
    assert_eq!(g.host.borrow().stderr, b"oops\n");

    let ret = g.alloc(16);
    p2::output_stream_check_write(&mut g.ctx, &mut g.mem, &mut Bump::new(), out, ret).unwrap();
    assert_eq!((g.bytes_at(ret, 1)[0], g.u64_at(ret + 8)), (0, 1 << 20));
    let (ptr, len) = g.put(b"!");
    let ret = g.alloc(12);
    p2::output_stream_write(&mut g.ctx, &mut g.mem, &mut Bump::new(), out, ptr, len, ret).unwrap();
    p2::output_stream_blocking_flush(&mut g.ctx, &mut g.mem, &mut Bump::new(), out, ret).unwrap();
    assert_eq!(g.bytes_at(ret, 12), OK);
    p2::output_stream_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), out).unwrap();
    g.ctx.flush().unwrap();
    assert_eq!(g.host.borrow().stdout, b"hello world\n!");
}

#[test]
fn a_failed_stdout_write_is_last_operation_failed_with_an_error_resource() {
    let mut g = Guest::new();
    g.host.borrow_mut().fail_writes = Some(cove_core::errno::Errno::Pipe);
    let err = p2::stderr_get_stderr(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    let r = write_flush(&mut g, err, b"x").unwrap();
    assert_eq!((r[0], r[4]), (1, 0), "err(last-operation-failed(..))");
    let error = u32::from_le_bytes(r[8..12].try_into().unwrap());
    let ret = g.alloc(8);
    let mut bump = Bump::new();
    p2::error_to_debug_string(&mut g.ctx, &mut g.mem, &mut bump, error, ret).unwrap();
    let (ptr, len) = (g.u32_at(ret), g.u32_at(ret + 4));
    let text = String::from_utf8(g.bytes_at(ptr, len)).unwrap();
    assert!(text.to_lowercase().contains("pipe"), "{text}");
    p2::error_drop(&mut g.ctx, &mut g.mem, &mut bump, error).unwrap();
}

#[test]
fn bad_handles_lengths_and_discriminants_trap() {
    let mut g = Guest::new();
    let out = p2::stdout_get_stdout(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    assert_eq!(
        write_flush(&mut g, 0, b"x").unwrap_err(),
        trap("unknown handle index 0")
    );
    assert_eq!(
        write_flush(&mut g, 77, b"x").unwrap_err(),
        trap("unknown handle index 77")
    );
    let input = p2::stdin_get_stdin(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    assert_eq!(
        write_flush(&mut g, input, b"x").unwrap_err(),
        trap(&format!("unknown handle index {input}")),
        "an input stream is not an output stream"
    );
    assert_eq!(
        p2::input_stream_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), out),
        Err(trap(&format!("unknown handle index {out}")))
    );
    let big = vec![b'a'; 4097];
    assert_eq!(
        write_flush(&mut g, out, &big).unwrap_err(),
        trap("output-stream.blocking-write-and-flush: 4097 bytes is more than 4096")
    );
    let ret = g.alloc(12);
    assert_eq!(
        p2::output_stream_write(
            &mut g.ctx,
            &mut g.mem,
            &mut Bump::new(),
            out,
            0xffff_fff0,
            0x100,
            ret
        ),
        Err(trap("list pointer/length out of bounds"))
    );
    assert_eq!(
        p2::output_stream_write(&mut g.ctx, &mut g.mem, &mut Bump::new(), out, 0, 1, ret + 1),
        Err(trap("pointer not aligned"))
    );
    assert_eq!(
        p2::exit_exit(&mut g.ctx, &mut g.mem, &mut Bump::new(), 2),
        Err(trap("invalid variant discriminant for `result`: 2"))
    );
    assert!(g.host.borrow().stdout.is_empty(), "nothing was written");
}

#[test]
fn exit_records_the_code() {
    let mut g = Guest::new();
    assert_eq!(
        p2::exit_exit(&mut g.ctx, &mut g.mem, &mut Bump::new(), 1),
        Err(Stop::Exit(1))
    );
    assert_eq!(g.ctx.exit_code(), Some(1));
    let mut g = Guest::new();
    assert_eq!(
        p2::exit_exit_with_code(&mut g.ctx, &mut g.mem, &mut Bump::new(), 0x1_2a),
        Err(Stop::Exit(42))
    );
    assert_eq!(g.ctx.exit_code(), Some(42));
}

#[test]
fn terminals_exist_only_when_the_host_says_so() {
    let mut g = Guest::new();
    let ret = g.alloc(8);
    p2::terminal_stdout_get(&mut g.ctx, &mut g.mem, &mut Bump::new(), ret).unwrap();
    assert_eq!(g.bytes_at(ret, 1), [0], "none");
    g.host.borrow_mut().terminal = true;
    let mut g2 = Guest::new();
    g2.host.borrow_mut().terminal = true;
    p2::terminal_stdin_get(&mut g2.ctx, &mut g2.mem, &mut Bump::new(), ret).unwrap();
    assert_eq!(g2.bytes_at(ret, 1), [1], "some");
    let handle = g2.u32_at(ret + 4);
    assert_eq!(
        p2::terminal_output_drop(&mut g2.ctx, &mut g2.mem, &mut Bump::new(), handle),
        Err(trap(&format!("unknown handle index {handle}")))
    );
    p2::terminal_input_drop(&mut g2.ctx, &mut g2.mem, &mut Bump::new(), handle).unwrap();
}

/// Reads with (blocking-)read: the list's bytes, or the stream-error discriminant.
fn read(g: &mut Guest, stream: u32, len: u64, blocking: bool) -> Result<Result<Vec<u8>, u8>, Stop> {
    let ret = g.alloc(12);
    let mut bump = Bump::new();
    if blocking {
        p2::input_stream_blocking_read(&mut g.ctx, &mut g.mem, &mut bump, stream, len, ret)?;
    } else {
        p2::input_stream_read(&mut g.ctx, &mut g.mem, &mut bump, stream, len, ret)?;
    }
    let r = g.bytes_at(ret, 12);
    if r[0] == 1 {
        return Ok(Err(r[4]));
    }
    let (ptr, n) = (g.u32_at(ret + 4), g.u32_at(ret + 8));
    Ok(Ok(g.bytes_at(ptr, n)))
}

#[test]
fn stdin_reads_wait_or_block_and_end_closed() {
    let mut g = Guest::with(|c| c.stdin = Stdin::Bytes(b"abc".to_vec()));
    let input = p2::stdin_get_stdin(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    assert_eq!(read(&mut g, input, 2, false).unwrap(), Ok(b"ab".to_vec()));
    assert_eq!(read(&mut g, input, 10, true).unwrap(), Ok(b"c".to_vec()));
    assert_eq!(read(&mut g, input, 10, true).unwrap(), Err(1), "closed");

    let mut g = Guest::with(|c| c.stdin = Stdin::Host);
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    let input = p2::stdin_get_stdin(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    let out = p2::stdout_get_stdout(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    write_flush(&mut g, out, b"prompt> ").unwrap();
    let mut bump = Bump::new();
    let ret = g.alloc(12);
    assert_eq!(
        p2::input_stream_blocking_read(&mut g.ctx, &mut g.mem, &mut bump, input, 10, ret),
        Err(Stop::Blocked)
    );
    assert!(bump.calls.is_empty(), "blocked before any realloc");
    assert_eq!(
        g.host.borrow().stdout,
        b"prompt> ",
        "held stdout goes out before a stdin read"
    );
    assert!(matches!(
        g.ctx.wait(),
        Some(cove_core::host::Wait::Stdin { .. })
    ));
    {
        let mut h = g.host.borrow_mut();
        h.stdin.push_back(StdinRead::Data(2));
        h.stdin_data.push_back(b"hi".to_vec());
    }
    assert_eq!(
        read(&mut g, input, 10, true).unwrap(),
        Ok(b"hi".to_vec()),
        "called again, it reads"
    );
    assert_eq!(g.ctx.wait(), None);

    // An embedder that cannot wait gets zero bytes instead.
    g.host.borrow_mut().stdin.push_back(StdinRead::WouldBlock);
    g.ctx.p2_cannot_wait();
    assert_eq!(read(&mut g, input, 10, true).unwrap(), Ok(vec![]));
}

#[test]
fn pollables_are_children_of_their_stream_and_deadlines_really_wait() {
    let mut g = Guest::new();
    let out = p2::stdout_get_stdout(&mut g.ctx, &mut g.mem, &mut Bump::new()).unwrap();
    let ready = p2::output_stream_subscribe(&mut g.ctx, &mut g.mem, &mut Bump::new(), out).unwrap();
    assert_eq!(
        p2::output_stream_drop(&mut g.ctx, &mut g.mem, &mut Bump::new(), out),
        Err(trap(&format!(
            "resource {out} has 1 children that must be dropped first"
        )))
    );
    assert_eq!(
        p2::pollable_ready(&mut g.ctx, &mut g.mem, &mut Bump::new(), ready),
        Ok(1)
    );

    let later =
        p2::monotonic_clock_subscribe_duration(&mut g.ctx, &mut g.mem, &mut Bump::new(), 5_000)
            .unwrap();
    assert_eq!(
        p2::pollable_ready(&mut g.ctx, &mut g.mem, &mut Bump::new(), later),
        Ok(0)
    );
    let (list, _) = g.put(&[later.to_le_bytes(), ready.to_le_bytes()].concat());
    let ret = g.alloc(8);
    let mut bump = Bump::new();
    p2::poll_poll(&mut g.ctx, &mut g.mem, &mut bump, list, 2, ret).unwrap();
    let first = g.u32_at(ret);
    assert_eq!(
        (g.u32_at(ret + 4), g.u32_at(first)),
        (1, 1),
        "only the stream is ready"
    );
    p2::pollable_block(&mut g.ctx, &mut g.mem, &mut bump, later).unwrap();
    assert_eq!(
        g.host.borrow().sleeps,
        [5_000],
        "block slept until the deadline"
    );
    assert_eq!(
        p2::pollable_ready(&mut g.ctx, &mut g.mem, &mut bump, later),
        Ok(1)
    );

    p2::pollable_drop(&mut g.ctx, &mut g.mem, &mut bump, ready).unwrap();
    p2::output_stream_drop(&mut g.ctx, &mut g.mem, &mut bump, out).unwrap();
    assert_eq!(
        p2::poll_poll(&mut g.ctx, &mut g.mem, &mut bump, list, 0, ret),
        Err(trap("poll: the list of pollables is empty"))
    );
    assert_eq!(
        p2::poll_poll(&mut g.ctx, &mut g.mem, &mut bump, list, 2, ret),
        Err(trap(&format!("unknown handle index {ready}")))
    );
}

#[test]
fn a_wait_the_host_cannot_do_is_blocked_with_nothing_lowered() {
    let mut g = Guest::new();
    g.host.borrow_mut().cannot_block = true;
    let later =
        p2::monotonic_clock_subscribe_duration(&mut g.ctx, &mut g.mem, &mut Bump::new(), 1_000)
            .unwrap();
    let (list, _) = g.put(&later.to_le_bytes());
    let ret = g.alloc(8);
    let mut bump = Bump::new();
    assert_eq!(
        p2::poll_poll(&mut g.ctx, &mut g.mem, &mut bump, list, 1, ret),
        Err(Stop::Blocked)
    );
    assert!(bump.calls.is_empty());
    assert_eq!(
        g.ctx.wait(),
        Some(cove_core::host::Wait::Sleep { ns: 1_000 })
    );
    g.host.borrow_mut().monotonic += 1_000;
    p2::poll_poll(&mut g.ctx, &mut g.mem, &mut bump, list, 1, ret).unwrap();
    assert_eq!(g.u32_at(ret + 4), 1, "ready once the time passed");

    let again =
        p2::monotonic_clock_subscribe_duration(&mut g.ctx, &mut g.mem, &mut Bump::new(), 1_000)
            .unwrap();
    g.ctx.p2_cannot_wait();
    p2::pollable_block(&mut g.ctx, &mut g.mem, &mut bump, again).unwrap();
    assert_eq!(g.ctx.wait(), None, "the fallback returns at once");
}
