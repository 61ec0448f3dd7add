//! wasi:cli@0.2: environment (the same arguments and variables a p1 guest gets from `args_get`
//! / `environ_get`, the policy's allow-list and `set` applied once, in ctx.rs), exit, the
//! standard streams and the terminal interfaces.
use super::handles::{InputStream, OutputStream, Resource};
use super::lower::{check_pointer, pair_at, string_tuples, Realloc, Record};
use super::{trap, Call, Stop};
use crate::host::streams::StdioKind;
use crate::host::Ctx;
use crate::memory::GuestMemory;

/// environment.get-environment -> list<tuple<string, string>>, at `retptr`.
pub fn get_environment(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    // Each variable is `NAME=value`; names never hold '=' (ctx.rs refuses them).
    let vars = ctx.env.iter().map(|var| {
        let eq = var.iter().position(|&b| b == b'=').unwrap_or(var.len());
        [&var[..eq], var.get(eq + 1..).unwrap_or(&[])]
    });
    let vars: Vec<[&[u8]; 2]> = vars.collect();
    let list = string_tuples(mem, realloc, 2, vars.into_iter())?;
    Ok(pair_at(mem, retptr, list)?)
}

/// environment.get-arguments -> list<string>, at `retptr`.
pub fn get_arguments(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let args: Vec<[&[u8]; 2]> = ctx.args.iter().map(|arg| [arg, &[][..]]).collect();
    let list = string_tuples(mem, realloc, 1, args.into_iter())?;
    Ok(pair_at(mem, retptr, list)?)
}

/// environment.initial-cwd -> option<string>, at `retptr`: none (a guest's paths are relative
/// to its preopens; Cove gives it no working directory).
pub fn initial_cwd(
    _ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    Ok(Record::new(12).store(mem, retptr, 4)?)
}

/// The guest exits with `code`: kept for the embedder ([`Ctx::exit_code`]), as `proc_exit` does.
fn exit_with(ctx: &mut Ctx, code: u32) -> Call<()> {
    ctx.exit_code = Some(code);
    Err(Stop::Exit(code))
}

/// exit.exit(status: result): 0 for `ok`, 1 for `err`.
pub fn exit(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    status: u32,
) -> Call<()> {
    match status {
        0 | 1 => exit_with(ctx, status),
        _ => Err(trap(format!(
            "invalid variant discriminant for `result`: {status}"
        ))),
    }
}

/// exit.exit-with-code(status-code: u8): the canonical ABI keeps the low 8 bits.
pub fn exit_with_code(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    status_code: u32,
) -> Call<()> {
    exit_with(ctx, status_code & 0xff)
}

/// stdin.get-stdin -> own<input-stream>.
pub fn get_stdin(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u32> {
    ctx.p2.push(Resource::Input(InputStream::Stdin))
}

/// stdout.get-stdout -> own<output-stream>: writes go through the same buffering as p1's.
pub fn get_stdout(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u32> {
    ctx.p2
        .push(Resource::Output(OutputStream::Stdio(StdioKind::Stdout)))
}

/// stderr.get-stderr -> own<output-stream>.
pub fn get_stderr(
    ctx: &mut Ctx,
    _mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
) -> Call<u32> {
    ctx.p2
        .push(Resource::Output(OutputStream::Stdio(StdioKind::Stderr)))
}

/// option<own<terminal-…>> at `retptr` (size 8, align 4): some when the host says the stream
/// is a terminal (as p1's `isatty` sees it).
fn terminal(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    retptr: u32,
    kind: StdioKind,
    resource: fn() -> Resource,
) -> Call<()> {
    check_pointer(mem, retptr, 4, 8)?;
    let mut out = Record::new(8);
    if ctx.stdio_is_terminal(kind) {
        let handle = ctx.p2.push(resource())?;
        out.u8(0, 1).u32(4, handle);
    }
    Ok(out.store(mem, retptr, 4)?)
}

/// terminal-stdin.get-terminal-stdin -> option<own<terminal-input>>.
pub fn get_terminal_stdin(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    terminal(ctx, mem, retptr, StdioKind::Stdin, || {
        Resource::TerminalInput
    })
}

/// terminal-stdout.get-terminal-stdout -> option<own<terminal-output>>.
pub fn get_terminal_stdout(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    terminal(ctx, mem, retptr, StdioKind::Stdout, || {
        Resource::TerminalOutput
    })
}

/// terminal-stderr.get-terminal-stderr -> option<own<terminal-output>>.
pub fn get_terminal_stderr(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    _realloc: &mut impl Realloc,
    retptr: u32,
) -> Call<()> {
    terminal(ctx, mem, retptr, StdioKind::Stderr, || {
        Resource::TerminalOutput
    })
}
