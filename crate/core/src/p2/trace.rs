//! The `--trace` line for one p2 call, e.g.
//! `[method]descriptor.open-at(3, SYMLINK_FOLLOW, "a.txt", CREATE, READ|WRITE) -> error(access)`.
//! All formatting of traced p2 calls lives here.
use super::{Call, Stop};
use crate::host::Ctx;
use crate::json::quote;
use crate::memory::GuestMemory;
use std::fmt::Write;

/// How a traced argument is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A resource handle.
    Handle,
    /// A plain number.
    Num,
    /// Pointer to a string; the next argument (`Len`) is its length. Shown quoted.
    Str,
    /// Pointer to a `list<u8>`; the next argument (`Len`) is its length. Shown as its length.
    Bytes,
    Len,
    /// The return pointer: where the result lies (see `Shown`), not shown as an argument.
    Ret,
}

/// What a traced call returned, as the line shows it.
pub enum Result {
    /// The flat result (or none), and what the call stored at its return pointer, decoded.
    Returned(Option<u64>),
    Stopped(String),
}

impl Result {
    pub fn of<T: super::signature::Flat + Copy>(result: &Call<T>) -> Result {
        match result {
            Ok(v) => Result::Returned(v.shown()),
            Err(Stop::Trap(message)) => Result::Stopped(format!("trap: {message}")),
            Err(Stop::Exit(code)) => Result::Stopped(format!("exit({code})")),
            Err(Stop::Blocked) => Result::Stopped("blocked".into()),
        }
    }
}

/// Longest string shown in full.
const MAX_SHOWN: u32 = 256;

/// Emits the trace event for a finished call.
pub(crate) fn emit(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    name: &str,
    args: &[(Arg, u64)],
    result: Result,
) {
    let line = format_call(mem, name, args, result);
    ctx.trace_line(&line);
}

/// The trace line for a call.
pub(crate) fn format_call(
    mem: &mut impl GuestMemory,
    name: &str,
    args: &[(Arg, u64)],
    result: Result,
) -> String {
    let mut line = String::with_capacity(64);
    line.push_str(name);
    line.push('(');
    let mut first = true;
    let mut i = 0;
    while i < args.len() {
        let (kind, value) = args[i];
        i += 1;
        if kind == Arg::Ret {
            continue;
        }
        if !first {
            line.push_str(", ");
        }
        first = false;
        match kind {
            Arg::Str | Arg::Bytes => {
                let len = match args.get(i) {
                    Some((Arg::Len, len)) => {
                        i += 1;
                        *len
                    }
                    _ => 0,
                };
                if kind == Arg::Str {
                    push_string(&mut line, mem, value as u32, len);
                } else {
                    let _ = write!(line, "<{len} bytes>");
                }
            }
            _ => {
                let _ = write!(line, "{value}");
            }
        }
    }
    line.push(')');
    match result {
        Result::Returned(None) => {}
        Result::Returned(Some(v)) => {
            let _ = write!(line, " -> {v}");
        }
        Result::Stopped(what) => {
            let _ = write!(line, " -> {what}");
        }
    }
    line
}

fn push_string(line: &mut String, mem: &mut impl GuestMemory, ptr: u32, len: u64) {
    let shown = len.min(MAX_SHOWN as u64) as u32;
    match mem.read_vec(ptr, shown) {
        Ok(bytes) => {
            line.push_str(&quote(&String::from_utf8_lossy(&bytes)));
            if (shown as u64) < len {
                line.push('…');
            }
        }
        Err(_) => {
            let _ = write!(line, "<bad string 0x{ptr:x}+{len}>");
        }
    }
}
