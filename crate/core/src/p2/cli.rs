//! wasi:cli@0.2 environment: the same arguments and variables a p1 guest gets from `args_get` /
//! `environ_get` (the policy's allow-list and `set` applied once, in ctx.rs).
use super::lower::{check_pointer, pair_at, string_tuples, write, Realloc, Trap};
use crate::host::Ctx;
use crate::memory::GuestMemory;

/// environment.get-environment -> list<tuple<string, string>>, at `retptr`.
pub fn get_environment(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
) -> Result<(), Trap> {
    check_pointer(mem, retptr, 4, 8)?;
    // Each variable is `NAME=value`; names never hold '=' (ctx.rs refuses them).
    let vars = ctx.env.iter().map(|var| {
        let eq = var.iter().position(|&b| b == b'=').unwrap_or(var.len());
        [&var[..eq], var.get(eq + 1..).unwrap_or(&[])]
    });
    let vars: Vec<[&[u8]; 2]> = vars.collect();
    let list = string_tuples(mem, realloc, 2, vars.into_iter())?;
    pair_at(mem, retptr, list)
}

/// environment.get-arguments -> list<string>, at `retptr`.
pub fn get_arguments(
    ctx: &mut Ctx,
    mem: &mut impl GuestMemory,
    realloc: &mut impl Realloc,
    retptr: u32,
) -> Result<(), Trap> {
    check_pointer(mem, retptr, 4, 8)?;
    let args: Vec<[&[u8]; 2]> = ctx.args.iter().map(|arg| [arg, &[][..]]).collect();
    let list = string_tuples(mem, realloc, 1, args.into_iter())?;
    pair_at(mem, retptr, list)
}

/// environment.initial-cwd -> option<string>, at `retptr`: none (a guest's paths are relative
/// to its preopens; Cove gives it no working directory).
pub fn initial_cwd(_ctx: &mut Ctx, mem: &mut impl GuestMemory, retptr: u32) -> Result<(), Trap> {
    check_pointer(mem, retptr, 4, 12)?;
    write(mem, retptr, &[0])
}
