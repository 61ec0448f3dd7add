//! The `--trace` line for one p1 call, e.g. `path_open(3, 0, "dir/file", CREAT|TRUNC, …) = ENOENT`.
//! All formatting of traced calls lives here.
use super::{Fail, Res};
use crate::host::Ctx;
use crate::json::quote;
use crate::memory::GuestMemory;
use std::fmt::Write;

/// How a traced argument is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A descriptor number.
    Fd,
    /// A guest pointer (hex).
    Ptr,
    /// A plain number.
    Num,
    /// Pointer to a path; the next argument (`PathLen`) is its length. Shown as a quoted string.
    PathPtr,
    PathLen,
    /// Signed offset (`filedelta`).
    Delta,
    Clock,
    Whence,
    Advice,
    Rights,
    FdFlags,
    OFlags,
    LookupFlags,
    FstFlags,
}

/// Longest path shown in full.
const MAX_SHOWN_PATH: u32 = 256;

/// Emits the trace event for a finished call.
pub(crate) fn emit(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    name: &str,
    args: &[(Arg, u64)],
    result: Res,
) {
    let line = format_call(mem, name, args, result);
    ctx.trace_line(&line);
}

/// The trace line for a call.
pub(crate) fn format_call(
    mem: &mut impl GuestMemory,
    name: &str,
    args: &[(Arg, u64)],
    result: Res,
) -> String {
    let mut line = String::with_capacity(64);
    line.push_str(name);
    line.push('(');
    let mut first = true;
    let mut i = 0;
    while i < args.len() {
        let (kind, value) = args[i];
        i += 1;
        if !first {
            line.push_str(", ");
        }
        first = false;
        if kind == Arg::PathPtr {
            let len = match args.get(i) {
                Some((Arg::PathLen, len)) => {
                    i += 1;
                    *len
                }
                _ => 0,
            };
            push_path(&mut line, mem, value as u32, len);
        } else {
            push_value(&mut line, kind, value);
        }
    }
    line.push_str(") = ");
    match result {
        Ok(()) => line.push('0'),
        Err(Fail::Errno(e)) => {
            let _ = write!(line, "{e}");
        }
        Err(Fail::Exit) => line.push_str("EXIT"),
        Err(Fail::Blocked) => line.push_str("BLOCKED"),
    }
    line
}

pub(crate) fn push_path(line: &mut String, mem: &mut impl GuestMemory, ptr: u32, len: u64) {
    let shown = len.min(MAX_SHOWN_PATH as u64) as u32;
    match mem.read_vec(ptr, shown) {
        Ok(bytes) => {
            line.push_str(&quote(&String::from_utf8_lossy(&bytes)));
            if (shown as u64) < len {
                line.push('…');
            }
        }
        Err(_) => {
            let _ = write!(line, "<bad path 0x{ptr:x}+{len}>");
        }
    }
}

fn push_value(line: &mut String, kind: Arg, value: u64) {
    match kind {
        Arg::Fd | Arg::Num | Arg::PathLen => {
            let _ = write!(line, "{value}");
        }
        Arg::Ptr | Arg::PathPtr | Arg::Rights => {
            let _ = write!(line, "0x{value:x}");
        }
        Arg::Delta => {
            let _ = write!(line, "{}", value as i64);
        }
        Arg::Clock => push_enum(
            line,
            value,
            &[
                "REALTIME",
                "MONOTONIC",
                "PROCESS_CPUTIME_ID",
                "THREAD_CPUTIME_ID",
            ],
        ),
        Arg::Whence => push_enum(line, value, &["SET", "CUR", "END"]),
        Arg::Advice => push_enum(
            line,
            value,
            &[
                "NORMAL",
                "SEQUENTIAL",
                "RANDOM",
                "WILLNEED",
                "DONTNEED",
                "NOREUSE",
            ],
        ),
        Arg::FdFlags => push_flags(
            line,
            value,
            &["APPEND", "DSYNC", "NONBLOCK", "RSYNC", "SYNC"],
        ),
        Arg::OFlags => push_flags(line, value, &["CREAT", "DIRECTORY", "EXCL", "TRUNC"]),
        Arg::LookupFlags => push_flags(line, value, &["SYMLINK_FOLLOW"]),
        Arg::FstFlags => push_flags(line, value, &["ATIM", "ATIM_NOW", "MTIM", "MTIM_NOW"]),
    }
}

pub(crate) fn push_enum(line: &mut String, value: u64, names: &[&str]) {
    match usize::try_from(value).ok().and_then(|i| names.get(i)) {
        Some(name) => line.push_str(name),
        None => {
            let _ = write!(line, "{value}");
        }
    }
}

/// `A|B`, unknown bits as a trailing hex number, `0` for none.
pub(crate) fn push_flags(line: &mut String, value: u64, names: &[&str]) {
    if value == 0 {
        line.push('0');
        return;
    }
    let mut rest = value;
    let mut first = true;
    for (bit, name) in names.iter().enumerate() {
        if value & (1 << bit) != 0 {
            if !first {
                line.push('|');
            }
            line.push_str(name);
            first = false;
            rest &= !(1 << bit);
        }
    }
    if rest != 0 {
        if !first {
            line.push('|');
        }
        let _ = write!(line, "0x{rest:x}");
    }
}
