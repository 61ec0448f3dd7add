//! Building a context from the JS-side configuration, checked once with serde. Both cross as
//! JSON text (smaller than serde-wasm-bindgen's object walking, and the policy is JSON by
//! design). The policy is a separate argument: its own deserializer words errors with the
//! offending key's path, e.g. `policy.limits.openFiles: expected u64 (got string "x")`.
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use cove_core::host::{Config, Ctx, Preopen, Stdin};
use cove_core::policy::Policy;
use cove_core::vfs::SharedFs;

use crate::contexts;
use crate::host::JsHost;
use crate::hostfs::HostFs;
use crate::memfs;

/// What js/src/wasi.js passes to [`context_new`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsConfig {
    #[serde(default)]
    args: Vec<String>,
    /// `[name, value]` pairs granted explicitly.
    #[serde(default)]
    env: Vec<(String, String)>,
    /// The host's environment, filtered by `policy.env.allow`.
    #[serde(default)]
    host_env: Vec<(String, String)>,
    #[serde(default)]
    preopens: Vec<JsPreopen>,
    /// Whether stdin is read through the host (`in_read`); otherwise the bytes passed beside the
    /// config, or nothing.
    #[serde(default)]
    stdin_from_host: bool,
    #[serde(default)]
    trace: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JsPreopen {
    /// The name the guest sees.
    guest: String,
    /// A `MemFs` id and the directory inside it that becomes the mount's root…
    memfs: Option<u32>,
    #[serde(default)]
    path: String,
    /// …or a host backend id (js/src/engine.js `hostBackends`).
    hostfs: Option<u32>,
    #[serde(default)]
    readonly: bool,
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

fn bytes_pairs(pairs: Vec<(String, String)>) -> Vec<(Vec<u8>, Vec<u8>)> {
    pairs.into_iter().map(|(k, v)| (k.into_bytes(), v.into_bytes())).collect()
}

/// Creates a guest context and returns its id. `stdin` holds the guest's whole stdin when it
/// is given up front (a string or bytes in the JS API).
#[wasm_bindgen]
pub fn context_new(config: &str, policy: &str, stdin: Option<Vec<u8>>) -> Result<u32, JsError> {
    let policy = parse_policy(policy)?;
    let js: JsConfig = serde_json::from_str(config).map_err(|e| JsError::new(&format!("config: {e}")))?;
    let preopens = js.preopens.into_iter().map(preopen).collect::<Result<Vec<_>, _>>().map_err(|e| JsError::new(&e))?;
    let stdin = match (stdin, js.stdin_from_host) {
        (Some(bytes), _) => Stdin::Bytes(bytes),
        (None, true) => Stdin::Host,
        (None, false) => Stdin::Closed,
    };
    let config = Config {
        args: js.args.into_iter().map(String::into_bytes).collect(),
        env: bytes_pairs(js.env),
        host_env: bytes_pairs(js.host_env),
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
