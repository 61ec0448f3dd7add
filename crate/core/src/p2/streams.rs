//! wasi:io@0.2 streams and error: input streams over stdin and files, output streams over
//! stdout/stderr and files, all onto the host model (host/streams.rs, host/file.rs), so the
//! buffering, limits, read-only checks and denials are p1's.
//!
//! Stdout keeps the engine's buffering (docs/engine-abi.md, "Stdout buffering"): `flush` and
//! `blocking-flush` do not force held bytes out; they go out before any read, wait, event,
//! exit or trap, as for a p1 guest, so 100,000 `println!`s cost a dozen host writes.
use super::handles::{InputStream, OutputStream, Pollable, Resource};
use super::lower::{alloc, check_pointer, write, Realloc, Record, Trap};
use super::{trap, Call, Stop};
use crate::bounded::IO_CHUNK;
use crate::host::error::Error;
use crate::host::stdio::StdinOutcome;
use crate::host::{Ctx, Wait};
use crate::memory::{GuestMemory, Segments, VecMemory};

/// What `check-write` permits: writes complete at once, a chunk at a time.
pub const WRITE_PERMIT: u64 = IO_CHUNK as u64;

/// The most `blocking-write-and-flush` and `blocking-write-zeroes-and-flush` take (the WIT's
/// 4096, which wasmtime enforces with a trap).
pub const BLOCKING_WRITE_MAX: u64 = 4096;

/// A `stream-error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamError {
    /// `last-operation-failed(error)`: the host failure becomes a `wasi:io/error` handle.
    Failed(Error),
    Closed,
}

impl From<Error> for StreamError {
    fn from(e: Error) -> StreamError {
        StreamError::Failed(e)
    }
}

impl From<crate::errno::Errno> for StreamError {
    fn from(e: crate::errno::Errno) -> StreamError {
        StreamError::Failed(e.into())
    }
}

/// Writes a `result<T, stream-error>` at `retptr`: `payload_at` is where T or the error lies
/// (4 for results of align 4, 8 for `u64`), `ok` fills T.
fn store_result(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    retptr: u32,
    payload_at: usize,
    result: Result<impl FnOnce(&mut Record), StreamError>,
) -> Call<()> {
    let (size, align) = if payload_at == 8 { (16, 8) } else { (12, 4) };
    let mut out = Record::new(size);
    match result {
        Ok(fill) => fill(&mut out),
        Err(e) => {
            out.u8(0, 1);
            match e {
                StreamError::Failed(error) => {
                    let handle = ctx.p2.push(Resource::Error(error))?;
                    out.u8(payload_at, 0).u32(payload_at + 4, handle);
                }
                StreamError::Closed => {
                    out.u8(payload_at, 1);
                }
            }
        }
    }
    Ok(out.store(mem, retptr, align)?)
}

/// `result<_, stream-error>` at `retptr`.
fn store_unit(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    retptr: u32,
    r: Result<(), StreamError>,
) -> Call<()> {
    store_result(ctx, mem, retptr, 4, r.map(|()| |_: &mut Record| {}))
}

/// `result<u64, stream-error>` at `retptr`.
fn store_u64(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    retptr: u32,
    r: Result<u64, StreamError>,
) -> Call<()> {
    store_result(
        ctx,
        mem,
        retptr,
        8,
        r.map(|n| {
            move |out: &mut Record| {
                out.u64(8, n);
            }
        }),
    )
}

// ---- output streams ----

/// Writes all of `segments` (in `mem`) to the output stream `handle`.
fn write_all(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    handle: u32,
    segments: &Segments,
) -> Call<Result<(), StreamError>> {
    let total: u64 = crate::memory::segments_len(segments);
    match ctx.p2.output(handle)? {
        OutputStream::Stdio(kind) => {
            let fd = kind.fd();
            Ok(ctx
                .write_stream(mem, fd, segments)
                .map(drop)
                .map_err(StreamError::from))
        }
        OutputStream::File {
            node,
            position,
            append,
        } => {
            let (node, start, append) = (node.clone(), *position, *append);
            let mut at = if append {
                match ctx.stat(&node) {
                    Ok(m) => m.size,
                    Err(e) => return Ok(Err(e.into())),
                }
            } else {
                start
            };
            let mut done = 0u64;
            // A file write can be short (a limit reached part-way): the rest is tried again,
            // and that refusal is the stream's error.
            while done < total {
                let rest = rest_of(segments, done);
                match ctx.write_at(mem, "output-stream.write", &node, &rest, at) {
                    Ok(0) => return Ok(Err(crate::errno::Errno::NoSpc.into())),
                    Ok(n) => {
                        done += n;
                        at = at.saturating_add(n);
                        if let OutputStream::File { position, .. } = ctx.p2.output(handle)? {
                            *position = at;
                        }
                    }
                    Err(e) => return Ok(Err(e.into())),
                }
            }
            Ok(Ok(()))
        }
    }
}

/// `segments` without their first `skip` bytes.
fn rest_of(segments: &Segments, mut skip: u64) -> Vec<(u32, u32)> {
    let mut rest = Vec::with_capacity(segments.len());
    for &(ptr, len) in segments {
        if skip >= len as u64 {
            skip -= len as u64;
            continue;
        }
        rest.push((ptr + skip as u32, len - skip as u32));
        skip = 0;
    }
    rest
}

/// A guest `list<u8>` argument as one segment, checked to lie in memory.
fn list_segment(mem: &impl GuestMemory, ptr: u32, len: u32) -> Call<[(u32, u32); 1]> {
    crate::memory::check_range(mem.size(), ptr, len)
        .map_err(|_| Trap("list pointer/length out of bounds"))?;
    Ok([(ptr, len)])
}

/// `[method]output-stream.check-write` -> result<u64, stream-error>.
pub fn check_write(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    ctx.p2.output(this)?;
    store_u64(ctx, mem, retptr, Ok(WRITE_PERMIT))
}

/// `[method]output-stream.write(contents)`: traps past what `check-write` permits.
pub fn write_list(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    ctx.p2.output(this)?;
    if u64::from(len) > WRITE_PERMIT {
        return Err(trap(format!(
            "output-stream.write: {len} bytes is more than check-write permitted ({WRITE_PERMIT})"
        )));
    }
    let segments = list_segment(mem, ptr, len)?;
    let r = write_all(ctx, mem, this, &segments)?;
    store_unit(ctx, mem, retptr, r)
}

/// `[method]output-stream.blocking-write-and-flush(contents)`: at most 4096 bytes.
pub fn blocking_write_and_flush(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    ctx.p2.output(this)?;
    if u64::from(len) > BLOCKING_WRITE_MAX {
        return Err(trap(format!(
            "output-stream.blocking-write-and-flush: {len} bytes is more than {BLOCKING_WRITE_MAX}"
        )));
    }
    let segments = list_segment(mem, ptr, len)?;
    let r = write_all(ctx, mem, this, &segments)?;
    store_unit(ctx, mem, retptr, r)
}

/// `[method]output-stream.flush` and `blocking-flush`: writes are complete when they return
/// (held stdout follows the engine's buffering rules, see the module comment).
pub fn flush(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    ctx.p2.output(this)?;
    store_unit(ctx, mem, retptr, Ok(()))
}

/// Writes `len` zero bytes, a chunk at a time.
fn write_zeroes_inner(ctx: &mut Ctx, this: u32, len: u64) -> Call<Result<(), StreamError>> {
    let mut left = len;
    let mut zeroes = VecMemory(Vec::new());
    while left > 0 {
        let n = left.min(IO_CHUNK as u64) as u32;
        if zeroes.0.len() < n as usize
            && crate::bounded::grow_zeroed(&mut zeroes.0, n as usize).is_err()
        {
            return Ok(Err(crate::errno::Errno::NoMem.into()));
        }
        if let Err(e) = write_all(ctx, &mut zeroes, this, &[(0, n)])? {
            return Ok(Err(e));
        }
        left -= u64::from(n);
    }
    Ok(Ok(()))
}

/// `[method]output-stream.write-zeroes(len)`: traps past what `check-write` permits.
pub fn write_zeroes(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    ctx.p2.output(this)?;
    if len > WRITE_PERMIT {
        return Err(trap(format!("output-stream.write-zeroes: {len} bytes is more than check-write permitted ({WRITE_PERMIT})")));
    }
    let r = write_zeroes_inner(ctx, this, len)?;
    store_unit(ctx, mem, retptr, r)
}

/// `[method]output-stream.blocking-write-zeroes-and-flush(len)`: at most 4096.
pub fn blocking_write_zeroes_and_flush(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    ctx.p2.output(this)?;
    if len > BLOCKING_WRITE_MAX {
        return Err(trap(format!("output-stream.blocking-write-zeroes-and-flush: {len} bytes is more than {BLOCKING_WRITE_MAX}")));
    }
    let r = write_zeroes_inner(ctx, this, len)?;
    store_unit(ctx, mem, retptr, r)
}

/// `[method]output-stream.subscribe` -> own<pollable>: always ready (writes never wait).
pub fn output_subscribe(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
) -> Call<u32> {
    ctx.p2.output(this)?;
    ctx.p2.push_child(Resource::Pollable(Pollable::Ready), this)
}

/// `[resource-drop]output-stream`.
pub fn drop_output(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    handle: u32,
) -> Call<()> {
    let r = ctx
        .p2
        .delete(handle, |r| matches!(r, Resource::Output(_)))?;
    super::handles::release(r);
    Ok(())
}

// ---- input streams ----

/// What a read of an input stream got.
enum Got {
    Data(Vec<u8>),
    /// Nothing now; a blocking read waits (or signals `Blocked`).
    WouldBlock,
}

/// Reads at most `max` bytes (at most `IO_CHUNK`) from input stream `handle` into the engine.
fn read_some(ctx: &mut Ctx, handle: u32, max: u64) -> Call<Result<Got, StreamError>> {
    let max = max.min(IO_CHUNK as u64) as usize;
    match ctx.p2.input(handle)? {
        InputStream::Closed => Ok(Err(StreamError::Closed)),
        InputStream::Stdin => {
            let mut buf = match crate::bounded::zeroed(max) {
                Ok(buf) => buf,
                Err(e) => return Ok(Err(e.into())),
            };
            if max == 0 {
                return Ok(Ok(Got::Data(buf)));
            }
            Ok(match ctx.read_stdin(&mut buf) {
                Ok(StdinOutcome::Read(0)) => Err(StreamError::Closed),
                Ok(StdinOutcome::Read(n)) => {
                    buf.truncate(n);
                    Ok(Got::Data(buf))
                }
                Ok(StdinOutcome::WouldBlock) => Ok(Got::WouldBlock),
                Err(e) => Err(e.into()),
            })
        }
        InputStream::File { node, position } => {
            let (node, at) = (node.clone(), *position);
            let mut buf = VecMemory(match crate::bounded::zeroed(max) {
                Ok(buf) => buf,
                Err(e) => return Ok(Err(e.into())),
            });
            if max == 0 {
                return Ok(Ok(Got::Data(buf.0)));
            }
            let n = match ctx.read_at(&mut buf, &node, &[(0, max as u32)], at) {
                Ok(n) => n,
                Err(e) => return Ok(Err(e.into())),
            };
            let stream = ctx.p2.input(handle)?;
            if n == 0 {
                *stream = InputStream::Closed;
                crate::host::fs::release(&node);
                return Ok(Err(StreamError::Closed));
            }
            if let InputStream::File { position, .. } = stream {
                *position = at.saturating_add(n);
            }
            buf.0.truncate(n as usize);
            Ok(Ok(Got::Data(buf.0)))
        }
    }
}

/// Reads, waiting for stdin when `blocking` (the engine signals `Blocked` when the embedder
/// must await it, or gives the non-blocking answer when it cannot wait at all).
fn read_waiting(
    ctx: &mut Ctx,
    handle: u32,
    max: u64,
    blocking: bool,
) -> Call<Result<Vec<u8>, StreamError>> {
    match read_some(ctx, handle, max)? {
        Ok(Got::Data(data)) => Ok(Ok(data)),
        Ok(Got::WouldBlock) if blocking && !ctx.p2.cannot_wait => {
            ctx.wait = Some(Wait::Stdin { timeout_ns: None });
            Err(Stop::Blocked)
        }
        Ok(Got::WouldBlock) => Ok(Ok(Vec::new())),
        Err(e) => Ok(Err(e)),
    }
}

/// `result<list<u8>, stream-error>` at `retptr`, the list allocated through `realloc`.
fn store_list(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
    r: Result<Vec<u8>, StreamError>,
) -> Call<()> {
    match r {
        Ok(data) => {
            let ptr = alloc(mem, realloc, 1, data.len() as u32)?;
            write(mem, ptr, &data)?;
            let mut out = Record::new(12);
            out.u32(4, ptr).u32(8, data.len() as u32);
            Ok(out.store(mem, retptr, 4)?)
        }
        Err(e) => store_result(ctx, mem, retptr, 4, Err::<fn(&mut Record), _>(e)),
    }
}

/// `[method]input-stream.read(len)` -> result<list<u8>, stream-error>: what is there now.
pub fn read(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    let r = read_waiting(ctx, this, len, false)?;
    store_list(ctx, mem, realloc, retptr, r)
}

/// `[method]input-stream.blocking-read(len)`: waits for at least one byte or the end.
pub fn blocking_read(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    let r = read_waiting(ctx, this, len, true)?;
    store_list(ctx, mem, realloc, retptr, r)
}

/// `[method]input-stream.skip(len)` -> result<u64, stream-error>.
pub fn skip(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    let r = read_waiting(ctx, this, len, false)?.map(|d| d.len() as u64);
    store_u64(ctx, mem, retptr, r)
}

/// `[method]input-stream.blocking-skip(len)`.
pub fn blocking_skip(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    let r = read_waiting(ctx, this, len, true)?.map(|d| d.len() as u64);
    store_u64(ctx, mem, retptr, r)
}

/// Moves up to `len` bytes from `src` to `this` (what a read got, written in full).
fn splice_inner(
    ctx: &mut Ctx,
    this: u32,
    src: u32,
    len: u64,
    blocking: bool,
) -> Call<Result<u64, StreamError>> {
    ctx.p2.output(this)?;
    let data = match read_waiting(ctx, src, len.min(WRITE_PERMIT), blocking)? {
        Ok(data) => data,
        Err(e) => return Ok(Err(e)),
    };
    let n = data.len() as u32;
    let mut engine = VecMemory(data);
    Ok(write_all(ctx, &mut engine, this, &[(0, n)])?.map(|()| u64::from(n)))
}

/// `[method]output-stream.splice(src, len)` -> result<u64, stream-error>.
pub fn splice(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    src: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    let r = splice_inner(ctx, this, src, len, false)?;
    store_u64(ctx, mem, retptr, r)
}

/// `[method]output-stream.blocking-splice(src, len)`.
pub fn blocking_splice(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    src: u32,
    len: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    let r = splice_inner(ctx, this, src, len, true)?;
    store_u64(ctx, mem, retptr, r)
}

/// `[method]input-stream.subscribe` -> own<pollable>: stdin is ready when it has data or
/// ended; files always are.
pub fn input_subscribe(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
) -> Call<u32> {
    let pollable = match ctx.p2.input(this)? {
        InputStream::Stdin => Pollable::Stdin,
        _ => Pollable::Ready,
    };
    ctx.p2.push_child(Resource::Pollable(pollable), this)
}

/// `[resource-drop]input-stream`.
pub fn drop_input(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    handle: u32,
) -> Call<()> {
    let r = ctx.p2.delete(handle, |r| matches!(r, Resource::Input(_)))?;
    super::handles::release(r);
    Ok(())
}

// ---- wasi:io/error ----

/// `[method]error.to-debug-string` -> string, at `retptr`: the failure in words.
pub fn to_debug_string(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let text = describe(*ctx.p2.error(this)?);
    let list = super::lower::string(mem, realloc, text.as_bytes())?;
    Ok(super::lower::pair_at(mem, retptr, list)?)
}

/// A host failure in words, for `to-debug-string`.
fn describe(e: Error) -> String {
    match e {
        Error::Errno(errno) => format!("{errno}"),
        other => format!("{:?}", crate::errno::Errno::from(other)),
    }
}

/// `[resource-drop]error`.
pub fn drop_error(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    handle: u32,
) -> Call<()> {
    ctx.p2.delete(handle, |r| matches!(r, Resource::Error(_)))?;
    Ok(())
}
