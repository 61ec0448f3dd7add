//! wasi:filesystem@0.2 types and preopens, onto the host model's filesystem operations
//! (host/fs.rs, host/file.rs): the same path resolution, read-only mounts, limits and denial
//! events as p1. What is p2's own: descriptors as handles with their descriptor-flags
//! (wasmtime's rules: a write needs `write`, a change beneath a directory `mutate-directory`),
//! and the canonical ABI's layouts of the results.
use super::errors::ErrorCode;
use super::handles::{Descriptor, DirEntries, InputStream, OutputStream, Resource};
use super::lower::{alloc, check_pointer, write, Realloc, Record, Trap};
use super::{trap, Call};
use crate::bounded::{IO_CHUNK, MAX_PATH};
use crate::host::fs::{hold, Node, OpenOptions, Opened};
use crate::host::Ctx;
use crate::memory::{check_range, GuestMemory, VecMemory};
use crate::vfs::{FileType, Metadata, SetTime};

type Fs<T> = Result<T, ErrorCode>;

/// descriptor-flags.
pub const READ: u32 = 1;
pub const WRITE: u32 = 2;
pub const MUTATE_DIRECTORY: u32 = 32;
/// Every descriptor-flag (the sync flags are accepted and mean nothing more here).
const ALL_FLAGS: u32 = 63;
/// path-flags.
const SYMLINK_FOLLOW: u32 = 1;
/// open-flags.
const CREATE: u32 = 1;
const DIRECTORY: u32 = 2;
const EXCLUSIVE: u32 = 4;
const TRUNCATE: u32 = 8;

/// `descriptor-type` of a file type.
fn descriptor_type(t: FileType) -> u8 {
    match t {
        FileType::Unknown => 0,
        FileType::BlockDevice => 1,
        FileType::CharacterDevice => 2,
        FileType::Directory => 3,
        FileType::SymbolicLink => 5,
        FileType::RegularFile => 6,
        FileType::SocketDgram | FileType::SocketStream => 7,
    }
}

// ---- results, by layout ----

/// A `result<T, error-code>` of `size` bytes aligned to `align`, at `retptr`: the payload (T,
/// or the code) lies at `align`, and `ok` lays T out.
fn store_result<T>(
    mem: &mut impl GuestMemory,
    retptr: u32,
    (size, align): (usize, u32),
    r: Fs<T>,
    ok: impl FnOnce(&mut Record, T),
) -> Call<()> {
    let mut out = Record::new(size);
    match r {
        Ok(v) => ok(&mut out, v),
        Err(code) => {
            out.u8(0, 1).u8(align as usize, code as u8);
        }
    }
    Ok(out.store(mem, retptr, align)?)
}

/// `result<_, error-code>` (size 2, align 1).
fn store_unit(mem: &mut impl GuestMemory, retptr: u32, r: Fs<()>) -> Call<()> {
    store_result(mem, retptr, (2, 1), r, |_, ()| {})
}

/// `result<E, error-code>` with E a one-byte enum or flags (size 2, align 1).
fn store_byte(mem: &mut impl GuestMemory, retptr: u32, r: Fs<u8>) -> Call<()> {
    store_result(mem, retptr, (2, 1), r, |out, v| {
        out.u8(1, v);
    })
}

/// `result<own<…>, error-code>` (size 8, align 4).
fn store_handle(mem: &mut impl GuestMemory, retptr: u32, r: Fs<u32>) -> Call<()> {
    store_result(mem, retptr, (8, 4), r, |out, h| {
        out.u32(4, h);
    })
}

/// `result<u64, error-code>` (size 16, align 8).
fn store_u64(mem: &mut impl GuestMemory, retptr: u32, r: Fs<u64>) -> Call<()> {
    store_result(mem, retptr, (16, 8), r, |out, v| {
        out.u64(8, v);
    })
}

/// `result<descriptor-stat, error-code>` (size 104, align 8).
fn store_stat(mem: &mut impl GuestMemory, retptr: u32, r: Fs<Metadata>) -> Call<()> {
    store_result(mem, retptr, (104, 8), r, |out, m| {
        out.u8(8, descriptor_type(m.filetype))
            .u64(16, m.nlink)
            .u64(24, m.size);
        for (at, ns) in [(32, m.atim), (56, m.mtim), (80, m.ctim)] {
            out.u8(at, 1)
                .u64(at + 8, ns / 1_000_000_000)
                .u32(at + 16, (ns % 1_000_000_000) as u32);
        }
    })
}

/// `result<metadata-hash-value, error-code>` (size 24, align 8).
fn store_hash(mem: &mut impl GuestMemory, retptr: u32, r: Fs<(u64, u64)>) -> Call<()> {
    store_result(mem, retptr, (24, 8), r, |out, (lower, upper)| {
        out.u64(8, lower).u64(16, upper);
    })
}

// ---- arguments ----

/// A `string` argument naming a path: a trap when it does not lie in memory or is not UTF-8
/// (the canonical ABI's lifting), `name-too-long` past the host's bound.
fn path_arg(mem: &mut impl GuestMemory, ptr: u32, len: u32) -> Call<Fs<Vec<u8>>> {
    check_range(mem.size(), ptr, len).map_err(|_| Trap("string pointer/length out of bounds"))?;
    if len > MAX_PATH {
        return Ok(Err(ErrorCode::NameTooLong));
    }
    let bytes = mem
        .read_vec(ptr, len)
        .map_err(|_| Trap("string pointer/length out of bounds"))?;
    if std::str::from_utf8(&bytes).is_err() {
        return Err(Trap("string is not valid UTF-8").into());
    }
    Ok(Ok(bytes))
}

/// The directory descriptor `handle` (a trap when there is none; `not-directory` for a file).
fn dir_of(ctx: &mut Ctx, handle: u32) -> Call<Fs<(Node, u32)>> {
    let d = ctx.p2.descriptor(handle)?;
    if !d.dir {
        return Ok(Err(ErrorCode::NotDirectory));
    }
    Ok(Ok((d.node.clone(), d.flags)))
}

/// The directory `handle`, for a change beneath it: `not-permitted` without `mutate-directory`.
/// A read-only mount is left to the host model, which refuses with a denial event.
fn mutable_dir_of(ctx: &mut Ctx, handle: u32) -> Call<Fs<Node>> {
    Ok(dir_of(ctx, handle)?.and_then(|(node, flags)| {
        if flags & MUTATE_DIRECTORY == 0 && !node.readonly {
            Err(ErrorCode::NotPermitted)
        } else {
            Ok(node)
        }
    }))
}

/// The regular-file descriptor `handle` with flags `need` (`bad-descriptor` otherwise).
fn file_of(ctx: &mut Ctx, handle: u32, need: u32) -> Call<Fs<Node>> {
    let d = ctx.p2.descriptor(handle)?;
    if d.dir || d.flags & need != need {
        return Ok(Err(ErrorCode::BadDescriptor));
    }
    Ok(Ok(d.node.clone()))
}

/// A `new-timestamp` (discriminant, seconds, nanoseconds) as the host's [`SetTime`].
fn new_timestamp(disc: u32, seconds: u64, nanos: u32) -> Call<Fs<SetTime>> {
    Ok(match disc {
        0 => Ok(SetTime::Keep),
        1 => Ok(SetTime::Now),
        2 if nanos >= 1_000_000_000 => Err(ErrorCode::Invalid),
        2 => seconds
            .checked_mul(1_000_000_000)
            .and_then(|ns| ns.checked_add(u64::from(nanos)))
            .map(SetTime::At)
            .ok_or(ErrorCode::Overflow),
        _ => {
            return Err(trap(format!(
                "invalid variant discriminant for `new-timestamp`: {disc}"
            )))
        }
    })
}

/// `?` for the inner `Fs` of a `Call<Fs<T>>`: on an error code, store it and return.
macro_rules! fs_try {
    ($e:expr, $store:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => return $store(Err(code)),
        }
    };
}

// ---- descriptor methods ----

/// `[method]descriptor.read-via-stream(offset)` -> result<own<input-stream>, error-code>.
pub fn read_via_stream(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    offset: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let node = fs_try!(file_of(ctx, this, READ)?, |r| store_handle(mem, retptr, r));
    fs_try!(hold(&node, false).map_err(ErrorCode::from), |r| {
        store_handle(mem, retptr, r)
    });
    let handle = ctx.p2.push(Resource::Input(InputStream::File {
        node,
        position: offset,
    }))?;
    store_handle(mem, retptr, Ok(handle))
}

/// A stream writing the file `this` (at `offset`, or at its end when `append`).
fn output_stream(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    this: u32,
    offset: u64,
    append: bool,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let node = fs_try!(file_of(ctx, this, WRITE)?, |r| store_handle(mem, retptr, r));
    fs_try!(
        hold(&node, true).map_err(ErrorCode::from),
        |r| store_handle(mem, retptr, r)
    );
    let stream = OutputStream::File {
        node,
        position: offset,
        append,
    };
    let handle = ctx.p2.push(Resource::Output(stream))?;
    store_handle(mem, retptr, Ok(handle))
}

/// `[method]descriptor.write-via-stream(offset)` -> result<own<output-stream>, error-code>.
pub fn write_via_stream(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    offset: u64,
    retptr: u32,
) -> Call<()> {
    output_stream(ctx, mem, this, offset, false, retptr)
}

/// `[method]descriptor.append-via-stream` -> result<own<output-stream>, error-code>.
pub fn append_via_stream(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    output_stream(ctx, mem, this, 0, true, retptr)
}

/// `[method]descriptor.advise(offset, length, advice)`: advice is only a hint.
pub fn advise(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    _offset: u64,
    _length: u64,
    advice: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    if advice > 5 {
        return Err(trap(format!(
            "invalid enum discriminant for `advice`: {advice}"
        )));
    }
    let r = file_of(ctx, this, 0)?.map(drop);
    store_unit(mem, retptr, r)
}

/// `[method]descriptor.sync-data` and `sync`.
pub fn sync(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let node = ctx.p2.descriptor(this)?.node.clone();
    store_unit(mem, retptr, ctx.sync(&node).map_err(ErrorCode::from))
}

/// `[method]descriptor.get-flags` -> result<descriptor-flags, error-code>.
pub fn get_flags(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let flags = ctx.p2.descriptor(this)?.flags;
    store_byte(mem, retptr, Ok(flags as u8))
}

/// `[method]descriptor.get-type` -> result<descriptor-type, error-code>.
pub fn get_type(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let node = ctx.p2.descriptor(this)?.node.clone();
    let r = ctx
        .stat(&node)
        .map(|m| descriptor_type(m.filetype))
        .map_err(ErrorCode::from);
    store_byte(mem, retptr, r)
}

/// `[method]descriptor.set-size(size)`: the file-size limit and read-only mounts apply.
pub fn set_size(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    size: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let node = fs_try!(file_of(ctx, this, WRITE)?, |r| store_unit(mem, retptr, r));
    store_unit(
        mem,
        retptr,
        ctx.set_size("descriptor.set-size", &node, size)
            .map_err(ErrorCode::from),
    )
}

/// `[method]descriptor.set-times(atim, mtim)`, each a `new-timestamp` (3 flat values).
pub fn set_times(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    a_disc: u32,
    a_s: u64,
    a_ns: u32,
    m_disc: u32,
    m_s: u64,
    m_ns: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let node = ctx.p2.descriptor(this)?.node.clone();
    let atim = fs_try!(new_timestamp(a_disc, a_s, a_ns)?, |r| store_unit(
        mem, retptr, r
    ));
    let mtim = fs_try!(new_timestamp(m_disc, m_s, m_ns)?, |r| store_unit(
        mem, retptr, r
    ));
    store_unit(
        mem,
        retptr,
        ctx.set_times("descriptor.set-times", &node, atim, mtim)
            .map_err(ErrorCode::from),
    )
}

/// `[method]descriptor.read(length, offset)` -> result<tuple<list<u8>, bool>, error-code> (size
/// 16, align 4): at most 1 MiB per call; the bool is true at the end of the file.
pub fn read(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    length: u64,
    offset: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 16)?;
    let store_err = |mem: &mut _, code: ErrorCode| {
        store_result(mem, retptr, (16, 4), Err::<(), _>(code), |_, ()| {})
    };
    let node = match file_of(ctx, this, READ)? {
        Ok(node) => node,
        Err(code) => return store_err(mem, code),
    };
    let max = length.min(IO_CHUNK as u64) as usize;
    let mut buf = match crate::bounded::zeroed(max) {
        Ok(buf) => VecMemory(buf),
        Err(e) => return store_err(mem, ErrorCode::from(crate::host::error::Error::from(e))),
    };
    let n = if max == 0 {
        0
    } else {
        match ctx.read_at(&mut buf, &node, &[(0, max as u32)], offset) {
            Ok(n) => n as u32,
            Err(e) => return store_err(mem, e.into()),
        }
    };
    let ptr = alloc(mem, realloc, 1, n)?;
    write(mem, ptr, &buf.0[..n as usize])?;
    let mut out = Record::new(16);
    out.u32(4, ptr).u32(8, n).u8(12, u8::from(n == 0));
    Ok(out.store(mem, retptr, 4)?)
}

/// `[method]descriptor.write(buffer, offset)` -> result<filesize, error-code>: the bytes written
/// (short when a limit is reached part-way).
pub fn write_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    ptr: u32,
    len: u32,
    offset: u64,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 16)?;
    check_range(mem.size(), ptr, len).map_err(|_| Trap("list pointer/length out of bounds"))?;
    let node = fs_try!(file_of(ctx, this, WRITE)?, |r| store_u64(mem, retptr, r));
    let r = ctx.write_at(mem, "descriptor.write", &node, &[(ptr, len)], offset);
    store_u64(mem, retptr, r.map_err(ErrorCode::from))
}

/// `[method]descriptor.read-directory` -> result<own<directory-entry-stream>, error-code>: the
/// listing as it is now.
pub fn read_directory(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let (node, _) = fs_try!(dir_of(ctx, this)?, |r| store_handle(mem, retptr, r));
    let entries = fs_try!(ctx.read_dir(&node).map_err(ErrorCode::from), |r| {
        store_handle(mem, retptr, r)
    });
    let handle = ctx
        .p2
        .push(Resource::DirEntries(DirEntries { entries, next: 0 }))?;
    store_handle(mem, retptr, Ok(handle))
}

/// `[method]descriptor.stat` -> result<descriptor-stat, error-code>.
pub fn stat(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 104)?;
    let node = ctx.p2.descriptor(this)?.node.clone();
    store_stat(mem, retptr, ctx.stat(&node).map_err(ErrorCode::from))
}

/// `[method]descriptor.stat-at(path-flags, path)`.
pub fn stat_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    path_flags: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 104)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = fs_try!(path_arg(mem, ptr, len)?, |r| store_stat(mem, retptr, r));
    let (dir, _) = fs_try!(dir_of(ctx, this)?, |r| store_stat(mem, retptr, r));
    let follow = path_flags & SYMLINK_FOLLOW != 0;
    let r = ctx.stat_at("descriptor.stat-at", &dir, &path, follow);
    store_stat(mem, retptr, r.map_err(ErrorCode::from))
}

/// `[method]descriptor.set-times-at(path-flags, path, atim, mtim)`.
pub fn set_times_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    path_flags: u32,
    ptr: u32,
    len: u32,
    a_disc: u32,
    a_s: u64,
    a_ns: u32,
    m_disc: u32,
    m_s: u64,
    m_ns: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = fs_try!(path_arg(mem, ptr, len)?, |r| store_unit(mem, retptr, r));
    let atim = fs_try!(new_timestamp(a_disc, a_s, a_ns)?, |r| store_unit(
        mem, retptr, r
    ));
    let mtim = fs_try!(new_timestamp(m_disc, m_s, m_ns)?, |r| store_unit(
        mem, retptr, r
    ));
    let dir = fs_try!(mutable_dir_of(ctx, this)?, |r| store_unit(mem, retptr, r));
    let follow = path_flags & SYMLINK_FOLLOW != 0;
    let r = ctx.set_times_at("descriptor.set-times-at", &dir, &path, follow, atim, mtim);
    store_unit(mem, retptr, r.map_err(ErrorCode::from))
}

/// (old directory, old path, new directory, new path).
type TwoPaths = (Node, Vec<u8>, Node, Vec<u8>);

/// The arguments of a method on two paths (link-at, rename-at), lifted in order with the
/// return pointer checked first: (old directory, old path, new directory, new path). The new
/// directory must permit changes; the old one too when `old_changes` (a rename).
fn two_paths(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    this: u32,
    (old_ptr, old_len): (u32, u32),
    new_dir: u32,
    (new_ptr, new_len): (u32, u32),
    old_changes: bool,
) -> Call<Fs<TwoPaths>> {
    ctx.p2.descriptor(this)?;
    let old_path = path_arg(mem, old_ptr, old_len)?;
    ctx.p2.descriptor(new_dir)?;
    let new_path = path_arg(mem, new_ptr, new_len)?;
    let old = if old_changes {
        mutable_dir_of(ctx, this)?
    } else {
        dir_of(ctx, this)?.map(|(node, _)| node)
    };
    let new = mutable_dir_of(ctx, new_dir)?;
    Ok(match (old_path, new_path, old, new) {
        (Ok(old_path), Ok(new_path), Ok(old), Ok(new)) => Ok((old, old_path, new, new_path)),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => Err(e),
    })
}

/// `[method]descriptor.link-at(old-path-flags, old-path, new-descriptor, new-path)`.
pub fn link_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    old_flags: u32,
    old_ptr: u32,
    old_len: u32,
    new_dir: u32,
    new_ptr: u32,
    new_len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let at = two_paths(
        ctx,
        mem,
        this,
        (old_ptr, old_len),
        new_dir,
        (new_ptr, new_len),
        false,
    )?;
    let (old, old_path, new, new_path) = fs_try!(at, |r| store_unit(mem, retptr, r));
    let follow = old_flags & SYMLINK_FOLLOW != 0;
    let r = ctx.link_at(
        "descriptor.link-at",
        &old,
        &old_path,
        follow,
        &new,
        &new_path,
    );
    store_unit(mem, retptr, r.map_err(ErrorCode::from))
}

/// `[method]descriptor.open-at(path-flags, path, open-flags, descriptor-flags)` ->
/// result<own<descriptor>, error-code>.
pub fn open_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    path_flags: u32,
    ptr: u32,
    len: u32,
    open_flags: u32,
    flags: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = fs_try!(path_arg(mem, ptr, len)?, |r| store_handle(mem, retptr, r));
    let (dir, dir_flags) = fs_try!(dir_of(ctx, this)?, |r| store_handle(mem, retptr, r));
    let flags = flags & ALL_FLAGS;
    let changes = open_flags & (CREATE | TRUNCATE) != 0 || flags & WRITE != 0;
    // wasmtime: creating, truncating or writing needs mutate-directory on the directory
    // (a read-only mount is left to the host model, which reports the denial).
    if changes && dir_flags & MUTATE_DIRECTORY == 0 && !dir.readonly {
        return store_handle(mem, retptr, Err(ErrorCode::NotPermitted));
    }
    let how = OpenOptions {
        follow: path_flags & SYMLINK_FOLLOW != 0,
        create: open_flags & CREATE != 0,
        exclusive: open_flags & EXCLUSIVE != 0,
        directory: open_flags & DIRECTORY != 0,
        truncate: open_flags & TRUNCATE != 0,
        write: flags & WRITE != 0,
        may_create: true,
        may_truncate: true,
    };
    let open_now = ctx.p2.descriptors();
    let opened = ctx.open_at("descriptor.open-at", &dir, &path, how, open_now);
    let (node, is_dir) = match fs_try!(opened.map_err(ErrorCode::from), |r| store_handle(
        mem, retptr, r
    )) {
        Opened::Dir(node) => (node, true),
        Opened::File(node) => (node, false),
    };
    // A directory keeps mutate-directory only when its parent had it.
    let flags = if is_dir {
        flags & (READ | (dir_flags & MUTATE_DIRECTORY))
    } else {
        flags & !MUTATE_DIRECTORY
    };
    fs_try!(
        hold(&node, flags & WRITE != 0).map_err(ErrorCode::from),
        |r| store_handle(mem, retptr, r)
    );
    let handle = ctx.p2.push(Resource::Descriptor(Descriptor {
        node,
        dir: is_dir,
        flags,
    }))?;
    store_handle(mem, retptr, Ok(handle))
}

/// `[method]descriptor.readlink-at(path)` -> result<string, error-code> (size 12, align 4).
pub fn readlink_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 12)?;
    let store_err = |mem: &mut _, code: ErrorCode| {
        store_result(mem, retptr, (12, 4), Err::<(), _>(code), |_, ()| {})
    };
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = match path_arg(mem, ptr, len)? {
        Ok(path) => path,
        Err(code) => return store_err(mem, code),
    };
    let (dir, _) = match dir_of(ctx, this)? {
        Ok(dir) => dir,
        Err(code) => return store_err(mem, code),
    };
    let target = match ctx.readlink_at("descriptor.readlink-at", &dir, &path) {
        Ok(target) => target,
        Err(e) => return store_err(mem, e.into()),
    };
    // A target that is not UTF-8 cannot be a `string`.
    if std::str::from_utf8(&target).is_err() {
        return store_err(mem, ErrorCode::IllegalByteSequence);
    }
    let (sptr, slen) = super::lower::string(mem, realloc, &target)?;
    let mut out = Record::new(12);
    out.u32(4, sptr).u32(8, slen);
    Ok(out.store(mem, retptr, 4)?)
}

/// A change at one path beneath the directory `this`: `op` runs on (ctx, dir, path).
fn change_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    this: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
    op: impl FnOnce(&mut Ctx, &Node, &[u8]) -> crate::host::error::Result<()>,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = fs_try!(path_arg(mem, ptr, len)?, |r| store_unit(mem, retptr, r));
    let dir = fs_try!(mutable_dir_of(ctx, this)?, |r| store_unit(mem, retptr, r));
    let r = op(ctx, &dir, &path);
    store_unit(mem, retptr, r.map_err(ErrorCode::from))
}

/// The methods that change one path beneath a directory: `create-directory-at(path)`,
/// `remove-directory-at(path)`, `unlink-file-at(path)`, each onto its host operation.
macro_rules! path_changes {
    ($($name:ident => $host:ident($op:literal);)*) => {
        $(
            pub fn $name(
                ctx: &mut Ctx,
                mem: &mut impl GuestMemory,
                _realloc: &mut impl Realloc,
                this: u32,
                ptr: u32,
                len: u32,
                retptr: u32,
            ) -> Call<()> {
                change_at(ctx, mem, this, ptr, len, retptr, |ctx, dir, path| ctx.$host($op, dir, path))
            }
        )*
    };
}

path_changes! {
    create_directory_at => create_dir_at("descriptor.create-directory-at");
    remove_directory_at => remove_dir_at("descriptor.remove-directory-at");
    unlink_file_at => unlink_file_at("descriptor.unlink-file-at");
}

/// `[method]descriptor.symlink-at(old-path, new-path)`: `old-path` is the link's target.
pub fn symlink_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    old_ptr: u32,
    old_len: u32,
    new_ptr: u32,
    new_len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let target = fs_try!(path_arg(mem, old_ptr, old_len)?, |r| store_unit(
        mem, retptr, r
    ));
    change_at(
        ctx,
        mem,
        this,
        new_ptr,
        new_len,
        retptr,
        |ctx, dir, path| ctx.symlink_at("descriptor.symlink-at", &target, dir, path),
    )
}

/// `[method]descriptor.rename-at(old-path, new-descriptor, new-path)`.
pub fn rename_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    old_ptr: u32,
    old_len: u32,
    new_dir: u32,
    new_ptr: u32,
    new_len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let at = two_paths(
        ctx,
        mem,
        this,
        (old_ptr, old_len),
        new_dir,
        (new_ptr, new_len),
        true,
    )?;
    let (old, old_path, new, new_path) = fs_try!(at, |r| store_unit(mem, retptr, r));
    let r = ctx.rename_at("descriptor.rename-at", &old, &old_path, &new, &new_path);
    store_unit(mem, retptr, r.map_err(ErrorCode::from))
}

/// `[method]descriptor.is-same-object(other)` -> bool: the same node of the same filesystem.
pub fn is_same_object(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    other: u32,
) -> Call<u32> {
    let a = ctx.p2.descriptor(this)?.node.clone();
    let b = &ctx.p2.descriptor(other)?.node;
    Ok(u32::from(
        std::rc::Rc::ptr_eq(&a.fs, &b.fs) && a.ino == b.ino,
    ))
}

/// The metadata hash of node `ino` on device `dev`: the same for the same file, whatever path
/// or descriptor reached it (splitmix64, so numbers near each other do not hash near).
fn hash(dev: u64, ino: u64) -> (u64, u64) {
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let lower = mix(ino.wrapping_add(0x9e37_79b9_7f4a_7c15));
    (lower, mix(lower ^ dev))
}

/// `[method]descriptor.metadata-hash` -> result<metadata-hash-value, error-code>.
pub fn metadata_hash(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 24)?;
    let node = ctx.p2.descriptor(this)?.node.clone();
    let r = ctx
        .stat(&node)
        .map(|m| hash(node.dev, m.ino))
        .map_err(ErrorCode::from);
    store_hash(mem, retptr, r)
}

/// `[method]descriptor.metadata-hash-at(path-flags, path)`.
pub fn metadata_hash_at(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    this: u32,
    path_flags: u32,
    ptr: u32,
    len: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 8, 24)?;
    // Lifted in order: the handle before the strings.
    ctx.p2.descriptor(this)?;
    let path = fs_try!(path_arg(mem, ptr, len)?, |r| store_hash(mem, retptr, r));
    let (dir, _) = fs_try!(dir_of(ctx, this)?, |r| store_hash(mem, retptr, r));
    let follow = path_flags & SYMLINK_FOLLOW != 0;
    let r = ctx.stat_at("descriptor.metadata-hash-at", &dir, &path, follow);
    store_hash(
        mem,
        retptr,
        r.map(|m| hash(dir.dev, m.ino)).map_err(ErrorCode::from),
    )
}

/// `[method]directory-entry-stream.read-directory-entry` ->
/// result<option<directory-entry>, error-code> (size 20, align 4).
pub fn read_directory_entry(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    this: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 20)?;
    let listing = ctx.p2.dir_entries(this)?;
    let mut out = Record::new(20);
    if let Some(entry) = listing.entries.get(listing.next) {
        let (kind, name) = (descriptor_type(entry.filetype), entry.name.clone());
        listing.next += 1;
        let (ptr, len) = super::lower::string(mem, realloc, &name)?;
        out.u8(4, 1).u8(8, kind).u32(12, ptr).u32(16, len);
    }
    Ok(out.store(mem, retptr, 4)?)
}

/// `filesystem-error-code(err: borrow<error>)` -> option<error-code> (size 2): the code behind a
/// stream error that came from a file.
pub fn filesystem_error_code(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    err: u32,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 1, 2)?;
    let code = ErrorCode::from(*ctx.p2.error(err)?);
    let mut out = Record::new(2);
    out.u8(0, 1).u8(1, code as u8);
    Ok(out.store(mem, retptr, 1)?)
}

// ---- preopens ----

/// `get-directories` -> list<tuple<own<descriptor>, string>> (elements of 12 bytes, align 4):
/// a fresh descriptor for each preopen, in order. A read-only mount's has no
/// `mutate-directory`.
pub fn get_directories(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let preopens: Vec<(std::rc::Rc<str>, Node)> = ctx.preopens().to_vec();
    let count = preopens.len() as u32;
    let array = alloc(mem, realloc, 4, count * 12)?;
    for (i, (name, node)) in preopens.into_iter().enumerate() {
        let flags = if node.readonly {
            READ
        } else {
            READ | MUTATE_DIRECTORY
        };
        if hold(&node, false).is_err() {
            return Err(trap(format!("preopen {name}: its filesystem is busy")));
        }
        let handle = ctx.p2.push(Resource::Descriptor(Descriptor {
            node,
            dir: true,
            flags,
        }))?;
        let (sptr, slen) = super::lower::string(mem, realloc, name.as_bytes())?;
        let mut element = Record::new(12);
        element.u32(0, handle).u32(4, sptr).u32(8, slen);
        element.store(mem, array + i as u32 * 12, 4)?;
    }
    Ok(super::lower::pair_at(mem, retptr, (array, count))?)
}
