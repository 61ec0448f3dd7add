//! The `--trace` line for one p2 call, e.g.
//! `[method]descriptor.open-at(3, SYMLINK_FOLLOW, "a.txt", CREATE, READ|WRITE) -> error(access)`.
//! All formatting of traced p2 calls lives here.
use super::{Call, Stop};
use crate::host::Ctx;
use crate::memory::GuestMemory;
use crate::p1::trace::{push_enum, push_flags, push_path as push_string};
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
    /// A return pointer whose result the line does not show (a datetime, a seed…).
    Ret,
    /// Return pointers, by the result's layout: the line decodes what the call stored there.
    /// `result<_, error-code>`, `result<byte, error-code>` (an enum or flags),
    /// `result<own<…>, error-code>`, `result<u64, error-code>`, `result<descriptor-stat, …>`,
    /// `result<metadata-hash-value, …>`, `result<tuple<list<u8>, bool>, …>`,
    /// `result<string, …>`, `result<option<directory-entry>, …>`, `option<error-code>`.
    FsUnit,
    FsByte,
    FsHandle,
    FsU64,
    FsStat,
    FsHash,
    FsRead,
    FsString,
    FsEntry,
    FsCode,
    /// `result<_, stream-error>`, `result<u64, stream-error>`, `result<list<u8>, stream-error>`.
    StreamUnit,
    StreamU64,
    StreamList,
    /// A `list<…>` (ptr, len) pair: shown as its length.
    List,
    /// A `new-timestamp` discriminant (its seconds and nanoseconds follow as `Num`s).
    Timestamp,
    PathFlags,
    OpenFlags,
    DescriptorFlags,
    Advice,
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
    let mut ret = None;
    let mut i = 0;
    while i < args.len() {
        let (kind, value) = args[i];
        i += 1;
        if is_return(kind) {
            ret = Some((kind, value as u32));
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
            _ => push_value(&mut line, kind, value),
        }
    }
    line.push(')');
    match result {
        Result::Returned(None) => {
            if let Some((kind, at)) = ret {
                push_result(&mut line, mem, kind, at);
            }
        }
        Result::Returned(Some(v)) => {
            let _ = write!(line, " -> {v}");
        }
        Result::Stopped(what) => {
            let _ = write!(line, " -> {what}");
        }
    }
    line
}

fn is_return(kind: Arg) -> bool {
    !matches!(
        kind,
        Arg::Handle
            | Arg::Num
            | Arg::Str
            | Arg::Bytes
            | Arg::Len
            | Arg::Timestamp
            | Arg::PathFlags
            | Arg::OpenFlags
            | Arg::DescriptorFlags
            | Arg::Advice
    )
}

fn push_value(line: &mut String, kind: Arg, value: u64) {
    match kind {
        Arg::PathFlags => push_flags(line, value, &["symlink-follow"]),
        Arg::OpenFlags => push_flags(
            line,
            value,
            &["create", "directory", "exclusive", "truncate"],
        ),
        Arg::DescriptorFlags => push_flags(
            line,
            value,
            &[
                "read",
                "write",
                "file-integrity-sync",
                "data-integrity-sync",
                "requested-write-sync",
                "mutate-directory",
            ],
        ),
        Arg::Advice => push_enum(
            line,
            value,
            &[
                "normal",
                "sequential",
                "random",
                "will-need",
                "dont-need",
                "no-reuse",
            ],
        ),
        Arg::Timestamp => push_enum(line, value, &["no-change", "now", "timestamp"]),
        _ => {
            let _ = write!(line, "{value}");
        }
    }
}

/// Reads what the call stored at its return pointer (as bytes; `None` when it cannot).
fn stored(mem: &mut impl GuestMemory, at: u32, len: u32) -> Option<Vec<u8>> {
    mem.read_vec(at, len).ok()
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).map_or(0, |s| {
        let mut w = [0u8; 8];
        w.copy_from_slice(s);
        u64::from_le_bytes(w)
    })
}

fn code(b: &[u8], at: usize) -> String {
    let c = b.get(at).copied().unwrap_or(u8::MAX) as usize;
    format!(
        "error({})",
        super::errors::NAMES.get(c).copied().unwrap_or("?")
    )
}

/// ` -> ok(…)` / ` -> error(code)` for the result of layout `kind` at `at`.
fn push_result(line: &mut String, mem: &mut impl GuestMemory, kind: Arg, at: u32) {
    let size = match kind {
        Arg::FsUnit | Arg::FsByte | Arg::FsCode => 2,
        Arg::FsHandle | Arg::List => 8,
        Arg::FsString | Arg::StreamUnit | Arg::StreamList => 12,
        Arg::FsU64 | Arg::FsRead | Arg::StreamU64 => 16,
        Arg::FsEntry => 20,
        Arg::FsHash => 24,
        Arg::FsStat => 104,
        _ => return,
    };
    let Some(b) = stored(mem, at, size) else {
        return;
    };
    let failed = b[0] != 0 && !matches!(kind, Arg::List | Arg::FsCode);
    let shown = if failed {
        match kind {
            Arg::FsUnit | Arg::FsByte => code(&b, 1),
            Arg::FsHandle | Arg::FsRead | Arg::FsString | Arg::FsEntry => code(&b, 4),
            Arg::FsU64 | Arg::FsStat | Arg::FsHash => code(&b, 8),
            Arg::StreamUnit | Arg::StreamList => stream_error(&b, 4),
            _ => stream_error(&b, 8),
        }
    } else {
        match kind {
            Arg::FsUnit | Arg::StreamUnit | Arg::FsHash => "ok".to_string(),
            Arg::FsByte => format!("ok({})", b[1]),
            Arg::FsCode if b[0] == 0 => "none".to_string(),
            Arg::FsCode => format!("some({})", code(&b, 1)),
            Arg::FsHandle => format!("ok({})", u32_at(&b, 4)),
            Arg::FsU64 | Arg::StreamU64 => format!("ok({})", u64_at(&b, 8)),
            Arg::FsStat => format!("ok(type {}, size {})", b[8], u64_at(&b, 24)),
            Arg::FsRead => format!("ok(<{} bytes>, {})", u32_at(&b, 8), b[12] != 0),
            Arg::StreamList => format!("ok(<{} bytes>)", u32_at(&b, 8)),
            Arg::FsEntry if b[4] == 0 => "ok(none)".to_string(),
            Arg::FsString | Arg::FsEntry => {
                let at = if kind == Arg::FsString { 4 } else { 12 };
                let mut s = String::from("ok(");
                push_string(&mut s, mem, u32_at(&b, at), u32_at(&b, at + 4).into());
                s + ")"
            }
            _ => format!("<{} items>", u32_at(&b, 4)),
        }
    };
    let _ = write!(line, " -> {shown}");
}

fn stream_error(b: &[u8], at: usize) -> String {
    match b.get(at) {
        Some(0) => format!("error(last-operation-failed({}))", u32_at(b, at + 4)),
        _ => "error(closed)".to_string(),
    }
}
