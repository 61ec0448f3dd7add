//! Building a context from the JS-side configuration. Numbers cross as numbers; arguments and
//! variables as byte arrays of NUL-terminated strings, the layout the guest reads them in
//! (host/strings.rs); the preopens and the policy as JSON text, read with cove-core's small JSON
//! reader, and only when there are any: a context with neither never runs (so never compiles)
//! the readers, which were 20 of the 44 KB V8 compiled on the first `new WASI`. The policy is a
//! separate argument: its reader words errors with the offending key's path, e.g.
//! `policy.limits.openFiles: expected u64 (got string "x")`.
use wasm_bindgen::prelude::*;

use cove_core::host::{Config, Ctx, Preopen, Stdin, StringList};
use cove_core::json::Value;
use cove_core::policy::Policy;
use cove_core::vfs::SharedFs;

use crate::contexts;
use crate::host::JsHost;
use crate::hostfs::HostFs;
use crate::memfs;

#[derive(Default)]
struct JsPreopen {
    /// The name the guest sees.
    guest: String,
    /// A `MemFs` id and the directory inside it that becomes the mount's root…
    memfs: Option<u32>,
    path: String,
    /// …or a host backend id (js/src/engine.js `hostBackends`).
    hostfs: Option<u32>,
    readonly: bool,
}

/// The config is written by js/src/wasi.js, not by users, so a bad one is a bug in Cove: the
/// messages only need to say which key was wrong.
fn bad(key: &str) -> String {
    format!("config: bad value for {key}")
}

// The readers take the parsed value by value, so strings move into the config uncopied.
fn entries(key: &str, value: Value) -> Result<Vec<(String, Value)>, String> {
    match value {
        Value::Object(entries) => Ok(entries),
        _ => Err(bad(key)),
    }
}

fn items(key: &str, value: Value) -> Result<Vec<Value>, String> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(bad(key)),
    }
}

fn string(key: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(bad(key)),
    }
}

fn flag(key: &str, value: Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(b),
        _ => Err(bad(key)),
    }
}

fn id(key: &str, value: Value) -> Result<Option<u32>, String> {
    match value {
        Value::Null => Ok(None),
        _ => value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| bad(key)),
    }
}

fn read_preopens(text: &str) -> Result<Vec<JsPreopen>, String> {
    let value = Value::parse(text).map_err(|e| format!("config: preopens: {e}"))?;
    let mut preopens = Vec::new();
    for preopen in items("preopens", value)? {
        preopens.push(read_preopen(preopen)?);
    }
    Ok(preopens)
}

fn read_preopen(value: Value) -> Result<JsPreopen, String> {
    let mut preopen = JsPreopen::default();
    let mut named = false;
    for (key, value) in entries("preopens", value)? {
        let key = key.as_str();
        match key {
            "guest" => (preopen.guest, named) = (string(key, value)?, true),
            "memfs" => preopen.memfs = id(key, value)?,
            "path" => preopen.path = string(key, value)?,
            "hostfs" => preopen.hostfs = id(key, value)?,
            "readonly" => preopen.readonly = flag(key, value)?,
            _ => return Err(format!("config: unknown key preopens.{key}")),
        }
    }
    if !named {
        return Err("config: a preopen without guest".into());
    }
    Ok(preopen)
}

fn preopen(p: JsPreopen) -> Result<Preopen, String> {
    let (fs, root): (SharedFs, _) = match (p.memfs, p.hostfs) {
        (Some(id), None) => {
            let fs = memfs::shared(id)
                .ok_or_else(|| format!("preopen {}: the MemFS was freed", p.guest))?;
            let root = memfs::resolve_dir(&fs, &p.path)
                .map_err(|e| format!("preopen {}: {}: {}", p.guest, p.path, e))?;
            (fs, root)
        }
        (None, Some(id)) => {
            let fs: SharedFs = std::rc::Rc::new(std::cell::RefCell::new(HostFs::new(id)));
            let root = fs.borrow().root();
            (fs, root)
        }
        _ => {
            return Err(format!(
                "preopen {}: needs exactly one of memfs or hostfs",
                p.guest
            ))
        }
    };
    Ok(Preopen {
        guest_path: p.guest,
        fs,
        root,
        readonly: p.readonly,
    })
}

/// The preopens' JSON as mounts. Kept out of `context_new` (and out of wasm-opt's inlining, see
/// scripts/build.mjs) so a context without preopens compiles none of it.
#[inline(never)]
fn read_mounts(preopens: &[u8]) -> Result<Vec<Preopen>, JsError> {
    let text =
        core::str::from_utf8(preopens).map_err(|_| JsError::new("config: preopens: not UTF-8"))?;
    let mut mounts = Vec::new();
    for p in read_preopens(text).map_err(|e| JsError::new(&e))? {
        mounts.push(preopen(p).map_err(|e| JsError::new(&e))?);
    }
    Ok(mounts)
}

/// Flags of [`context_new`].
const STDIN_FROM_HOST: u32 = 1;
const TRACE: u32 = 2;

/// Creates a guest context and returns its id.
///
/// - `preopens`: a JSON array of `{ guest, memfs, path, readonly }` / `{ guest, hostfs, readonly }`
///   as UTF-8 bytes, or empty for none.
/// - `args` (`argc` strings), `env` and `host_env` (`envc` / `host_envc` strings: name, value,
///   name, value…), each string followed by a NUL. A string with a NUL of its own upsets the
///   count, and is refused.
/// - `flags`: `STDIN_FROM_HOST` (stdin is read through the host's `in_read`; otherwise the
///   `stdin` bytes, or nothing), `TRACE` (one trace event per call).
/// - `policy`: the user's policy as JSON, or empty for the default.
/// - `stdin`: the guest's whole stdin when it is given up front (a string or bytes in the JS API).
///
/// Byte arrays rather than `&str`: wasm-bindgen copies a byte array in one call, but encodes a
/// string character by character (~3 ms for 1,000 args and env vars).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn context_new(
    preopens: &[u8],
    args: Vec<u8>,
    argc: u32,
    env: Vec<u8>,
    envc: u32,
    host_env: Vec<u8>,
    host_envc: u32,
    flags: u32,
    policy: &str,
    stdin: Option<Vec<u8>>,
) -> Result<u32, JsError> {
    let _entered = crate::enter();
    let policy = if policy.is_empty() {
        Policy::default()
    } else {
        parse_policy(policy)?
    };
    let mounts = if preopens.is_empty() {
        Vec::new()
    } else {
        read_mounts(preopens)?
    };
    let stdin = match stdin {
        Some(bytes) => Stdin::Bytes(bytes),
        None if flags & STDIN_FROM_HOST != 0 => Stdin::Host,
        None => Stdin::Closed,
    };
    let config = Config {
        args: StringList::from_packed(args, argc as usize),
        env: StringList::from_packed(env, envc as usize),
        host_env: StringList::from_packed(host_env, host_envc as usize),
        preopens: mounts,
        stdin,
        policy,
        trace: flags & TRACE != 0,
    };
    let id = contexts::reserve().ok_or_else(|| {
        JsError::new("too many WASI contexts alive at once (dispose() the ones you are done with)")
    })?;
    match Ctx::new(
        config,
        Box::new(JsHost {
            ctx: contexts::slot_of(id),
        }),
    ) {
        Ok(ctx) => {
            contexts::install(id, ctx);
            Ok(id)
        }
        Err(message) => {
            contexts::remove(id);
            Err(JsError::new(&message))
        }
    }
}

#[inline(never)] // see read_mounts
fn parse_policy(policy: &str) -> Result<Policy, JsError> {
    Policy::from_json(policy).map_err(|e| JsError::new(&e))
}

/// Validates a policy without building anything (so JS can refuse it before mounting host
/// directories it names).
#[wasm_bindgen]
pub fn policy_check(policy: &str) -> Result<(), JsError> {
    parse_policy(policy).map(|_| ())
}
