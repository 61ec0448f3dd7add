//! Building a context from the JS-side configuration. Both it and the policy cross as JSON
//! text (smaller than walking JS objects, and the policy is JSON by design), read with cove-core's
//! small JSON reader. Arguments and variables do not go through JSON: each list crosses as one
//! byte array of NUL-terminated strings, the layout the guest reads them in (host/strings.rs),
//! and the config says how many strings each holds. The policy is a separate argument: its reader words errors with the
//! offending key's path, e.g. `policy.limits.openFiles: expected u64 (got string "x")`.
use wasm_bindgen::prelude::*;

use cove_core::host::{Config, Ctx, Preopen, Stdin, StringList};
use cove_core::json::Value;
use cove_core::policy::Policy;
use cove_core::vfs::SharedFs;

use crate::contexts;
use crate::host::JsHost;
use crate::hostfs::HostFs;
use crate::memfs;

/// What js/src/wasi.js passes to [`context_new`]; every key is optional.
#[derive(Default)]
struct JsConfig {
    /// How many strings the `args`, `env` and `host_env` byte arrays of [`context_new`] hold.
    argc: usize,
    envc: usize,
    host_envc: usize,
    preopens: Vec<JsPreopen>,
    /// Whether stdin is read through the host (`in_read`); otherwise the bytes passed beside the
    /// config, or nothing.
    stdin_from_host: bool,
    trace: bool,
}

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
        _ => value.as_u64().and_then(|n| u32::try_from(n).ok()).map(Some).ok_or_else(|| bad(key)),
    }
}

fn count(key: &str, value: Value) -> Result<usize, String> {
    value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| bad(key))
}

fn read_config(text: &str) -> Result<JsConfig, String> {
    let value = Value::parse(text).map_err(|e| format!("config: {e}"))?;
    let mut config = JsConfig::default();
    for (key, value) in entries("config", value)? {
        let key = key.as_str();
        match key {
            "argc" => config.argc = count(key, value)?,
            "envc" => config.envc = count(key, value)?,
            "hostEnvc" => config.host_envc = count(key, value)?,
            "preopens" => {
                for preopen in items(key, value)? {
                    config.preopens.push(read_preopen(preopen)?);
                }
            }
            "stdinFromHost" => config.stdin_from_host = flag(key, value)?,
            "trace" => config.trace = flag(key, value)?,
            _ => return Err(format!("config: unknown key {key}")),
        }
    }
    Ok(config)
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
            let fs = memfs::shared(id).ok_or_else(|| format!("preopen {}: the MemFS was freed", p.guest))?;
            let root = memfs::resolve_dir(&fs, &p.path).map_err(|e| format!("preopen {}: {}: {}", p.guest, p.path, e))?;
            (fs, root)
        }
        (None, Some(id)) => {
            let fs: SharedFs = std::rc::Rc::new(std::cell::RefCell::new(HostFs::new(id)));
            let root = fs.borrow().root();
            (fs, root)
        }
        _ => return Err(format!("preopen {}: needs exactly one of memfs or hostfs", p.guest)),
    };
    Ok(Preopen { guest_path: p.guest, fs, root, readonly: p.readonly })
}

/// Creates a guest context and returns its id. `args` holds the arguments, `env` the explicit
/// variables and `host_env` the host's (name, value, name, value…), each string followed by a
/// NUL. `stdin` holds the guest's whole stdin when it is given up front (a string or bytes in
/// the JS API).
///
/// The config arrives as UTF-8 bytes rather than a `&str`: wasm-bindgen copies a byte array in
/// one call, but encodes a string character by character (~3 ms for 1,000 args and env vars).
#[wasm_bindgen]
pub fn context_new(
    config: &[u8],
    args: Vec<u8>,
    env: Vec<u8>,
    host_env: Vec<u8>,
    policy: &str,
    stdin: Option<Vec<u8>>,
) -> Result<u32, JsError> {
    let config = core::str::from_utf8(config).map_err(|_| JsError::new("config: not UTF-8"))?;
    let policy = parse_policy(policy)?;
    let js = read_config(config).map_err(|e| JsError::new(&e))?;
    let mut preopens = Vec::with_capacity(js.preopens.len());
    for p in js.preopens {
        preopens.push(preopen(p).map_err(|e| JsError::new(&e))?);
    }
    let stdin = match (stdin, js.stdin_from_host) {
        (Some(bytes), _) => Stdin::Bytes(bytes),
        (None, true) => Stdin::Host,
        (None, false) => Stdin::Closed,
    };
    let config = Config {
        args: StringList::from_packed(args, js.argc),
        env: StringList::from_packed(env, js.envc),
        host_env: StringList::from_packed(host_env, js.host_envc),
        preopens,
        stdin,
        policy,
        trace: js.trace,
    };
    let id = contexts::reserve();
    match Ctx::new(config, Box::new(JsHost { ctx: id })) {
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

fn parse_policy(policy: &str) -> Result<Policy, JsError> {
    Policy::from_json(policy).map_err(|e| JsError::new(&e))
}

/// Validates a policy without building anything (so JS can refuse it before mounting host
/// directories it names).
#[wasm_bindgen]
pub fn policy_check(policy: &str) -> Result<(), JsError> {
    parse_policy(policy).map(|_| ())
}
