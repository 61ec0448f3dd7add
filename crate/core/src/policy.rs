//! The capability policy (DESIGN.md "Policy"): one JSON-serialisable object, validated once.
//!
//! ```json
//! { "mounts": [{ "guest": "/data", "host": "./data", "mode": "ro" }],
//!   "env": { "allow": ["LANG"], "set": { "HOME": "/data" } },
//!   "clock": "real" | "frozen" | { "start": "2000-01-01T00:00:00Z", "rate": 1 },
//!   "random": "crypto" | { "seed": 42 },
//!   "limits": { "openFiles": 1024, "fileBytes": 1073741824, "writtenBytes": 1073741824 },
//!   "log": "denied" | "all" | "none" }
//! ```
//!
//! Every key is optional; [`Policy::default()`] grants nothing beyond the real clock and crypto
//! random. Unknown keys and bad values are errors whose message starts with the
//! key's path and says what was expected, e.g. `policy.limits.openFiles: invalid type: string
//! "x", expected u64` or `policy.clock: expected "real", "frozen" or {start, rate}`.
//!
//! `Policy` implements `serde::Deserialize` by hand (that is how the messages know their path),
//! so any self-describing deserializer works: `serde_json::Value`, and `serde-wasm-bindgen`
//! straight from a JS object in crate/wasm. [`Policy::from_json`] parses text.
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// The whole policy. Field names mirror the JSON keys (camelCase there).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub mounts: Vec<Mount>,
    pub env: EnvPolicy,
    pub clock: ClockPolicy,
    pub random: RandomPolicy,
    pub limits: Limits,
    pub log: LogPolicy,
}

/// A host directory made visible to the guest (the embedder turns it into a preopen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// Where the guest sees it (its preopen name).
    pub guest: String,
    /// The host directory (a host path for Node/CLI; the embedder interprets it).
    pub host: String,
    pub mode: MountMode,
}

/// `"ro"` or `"rw"`; a mount without `mode` is read-only (grant the least by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MountMode {
    #[default]
    ReadOnly,
    ReadWrite,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvPolicy {
    /// Host variables that may pass through to the guest; `"*"` allows them all.
    pub allow: Vec<String>,
    /// Variables set for the guest (they override passed-through ones).
    pub set: BTreeMap<String, String>,
}

/// How the guest's clocks behave.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ClockPolicy {
    /// The host's real clocks.
    #[default]
    Real,
    /// Time does not move (realtime reads the Unix epoch; monotonic reads 0).
    Frozen,
    /// Realtime starts at `start_ns` (None: the host's time at start-up) and advances `rate`
    /// times as fast as the host's monotonic clock (0 freezes it at `start_ns`).
    Virtual { start_ns: Option<u64>, rate: f64 },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RandomPolicy {
    /// The host's cryptographic random source.
    #[default]
    Crypto,
    /// A deterministic generator seeded with this value: identical runs.
    Seeded(u64),
}

/// Resource limits; `u64::MAX` (the default) means unlimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most descriptors open at once.
    pub open_files: u64,
    /// Largest size a file may reach.
    pub file_bytes: u64,
    /// Total bytes the guest may write to files over its life.
    pub written_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { open_files: u64::MAX, file_bytes: u64::MAX, written_bytes: u64::MAX }
    }
}

/// Which events reach the host's event callback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogPolicy {
    /// Only denials (the default: the host learns what the guest was refused).
    #[default]
    Denied,
    /// Denials and every other access.
    All,
    None,
}

impl Policy {
    /// Parses and validates policy JSON text. Errors name the key and what was expected.
    pub fn from_json(text: &str) -> Result<Policy, String> {
        // Through `Value`, so messages are ours alone (no parser positions appended twice).
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("policy: invalid JSON: {e}"))?;
        Policy::from_deserializer(value)
    }

    /// Deserializes and validates a policy from any self-describing deserializer (crate/wasm:
    /// `serde_wasm_bindgen::Deserializer::from(js_value)`), with the error as a plain message
    /// (`policy.clock: expected …`, without a JS `Error: ` prefix).
    pub fn from_deserializer<'de, D: Deserializer<'de>>(d: D) -> Result<Policy, String> {
        Policy::deserialize(d).map_err(|e| bare_message(&e.to_string()).to_string())
    }

    /// May the host variable `name` pass through to the guest?
    pub fn env_allowed(&self, name: &[u8]) -> bool {
        self.env.allow.iter().any(|allowed| allowed == "*" || allowed.as_bytes() == name)
    }

    /// The realtime clock's virtual start in ns since the epoch: `Some(0)` when frozen, the
    /// configured start when virtual, None when real time is used (or a virtual clock starts
    /// from the host's time).
    pub fn clock_start_ns(&self) -> Option<u64> {
        match self.clock {
            ClockPolicy::Real => None,
            ClockPolicy::Frozen => Some(0),
            ClockPolicy::Virtual { start_ns, .. } => start_ns,
        }
    }

    /// How fast guest time runs relative to host time (1 for real, 0 for frozen).
    pub fn clock_rate(&self) -> f64 {
        match self.clock {
            ClockPolicy::Real => 1.0,
            ClockPolicy::Frozen => 0.0,
            ClockPolicy::Virtual { rate, .. } => rate,
        }
    }

    /// The seed for `random_get`, when runs must be reproducible.
    pub fn random_seed(&self) -> Option<u64> {
        match self.random {
            RandomPolicy::Crypto => None,
            RandomPolicy::Seeded(seed) => Some(seed),
        }
    }
}

// ---- Deserialisation -------------------------------------------------------------------------
//
// Each visitor knows the path of the value it reads, so every error it raises starts with that
// path. Errors a deserializer raises itself (serde's "invalid type: X, expected Y") are reworded
// as "path: expected Y (got X)"; errors from nested visitors already start with their full path
// and pass through unchanged.

fn error<E: de::Error>(path: &str, what: impl fmt::Display) -> E {
    E::custom(format_args!("{path}: {what}"))
}

/// Puts `path` in front of a deserializer's error, unless a nested visitor already did.
fn at_path<E: de::Error>(path: &str, e: E) -> E {
    let shown = e.to_string();
    let message = bare_message(&shown);
    if message.starts_with("policy") {
        return E::custom(message);
    }
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some((got, expected)) =
            message.strip_prefix(kind).and_then(|rest| rest.split_once(", expected "))
        {
            return error(path, format_args!("expected {expected} (got {got})"));
        }
    }
    error(path, message)
}

/// An error's message without the `Error: ` that serde-wasm-bindgen's errors (JS `Error`
/// objects) put in front when displayed.
fn bare_message(shown: &str) -> &str {
    let mut message = shown;
    while let Some(rest) = message.strip_prefix("Error: ") {
        message = rest;
    }
    message
}

/// Reads one leaf value at `path`; `null` (and `undefined` from JS) is None: "not given", so
/// `{ clock: opts.clock }` with no `opts.clock` means the default, as JS code expects.
fn leaf<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, path: &str) -> Result<Option<T>, A::Error> {
    map.next_value_seed(Absent(std::marker::PhantomData::<T>)).map_err(|e| at_path(path, e))
}

/// Reads a nested value with `seed`; `null` / `undefined` is None, as for [`leaf`].
fn nested<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(map: &mut A, seed: S) -> Result<Option<S::Value>, A::Error> {
    map.next_value_seed(Absent(seed))
}

/// Stores a value that was given; keeps the default otherwise.
fn set<T>(slot: &mut T, given: Option<T>) {
    if let Some(value) = given {
        *slot = value;
    }
}

/// `seed`'s value, or None for `null` / `undefined`.
struct Absent<S>(S);
impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Absent<S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<S::Value>, D::Error> {
        struct AbsentVisitor<S>(S);
        impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for AbsentVisitor<S> {
            type Value = Option<S::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                self.0.deserialize(d).map(Some)
            }
            // Deserializers without a notion of "option" (serde's value deserializers) hand
            // over the value itself: pass it on to the seed.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                self.0.deserialize(v.into_deserializer()).map(Some)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.0.deserialize(v.into_deserializer()).map(Some)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.0.deserialize(v.into_deserializer()).map(Some)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                self.0.deserialize(v.into_deserializer()).map(Some)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                self.0.deserialize(v.into_deserializer()).map(Some)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                self.0.deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                self.0.deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Some)
            }
        }
        d.deserialize_option(AbsentVisitor(self.0))
    }
}

/// Reads a value that is not the right kind at all (a number for an object…) with `path` named.
fn expect_any<'de, D: Deserializer<'de>, V: Visitor<'de>>(
    d: D,
    path: &str,
    visitor: V,
) -> Result<V::Value, D::Error> {
    d.deserialize_any(visitor).map_err(|e| at_path(path, e))
}

/// Walks an object's keys at `path`, refusing unknown ones; `field` reads each value. (Repeated
/// keys cannot reach here: JSON is parsed into a `Value` first, and JS objects have none.)
fn visit_object<'de, A: MapAccess<'de>>(
    mut map: A,
    path: &str,
    known: &[&'static str],
    mut field: impl FnMut(&'static str, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<String>().map_err(|e| at_path(path, e))? {
        let Some(&known_key) = known.iter().find(|k| **k == key) else {
            let expected = known.join(", ");
            return Err(error(path, format_args!("unknown key {key:?} (expected one of: {expected})")));
        };
        field(known_key, &mut map)?;
    }
    Ok(())
}

/// One of a fixed set of strings at `path`.
fn one_of<E: de::Error, T: Copy>(path: &str, value: &str, choices: &[(&str, T)]) -> Result<T, E> {
    choices.iter().find(|(name, _)| *name == value).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("{n:?}")).collect();
        error(path, format_args!("expected one of {} (got {value:?})", names.join(", ")))
    })
}

/// A `Visitor` for values that are objects at a known path (`visit_object` does the work).
macro_rules! object_visitor {
    ($visitor:ident, $target:ty, $expecting:expr, |$map:ident| $body:block) => {
        struct $visitor;
        impl<'de> Visitor<'de> for $visitor {
            type Value = $target;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{}", $expecting)
            }
            fn visit_map<A: MapAccess<'de>>(self, $map: A) -> Result<$target, A::Error> $body
        }
    };
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
        struct PolicyVisitor;
        impl<'de> Visitor<'de> for PolicyVisitor {
            type Value = Policy;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            /// `null` / `undefined`: the default policy.
            fn visit_unit<E: de::Error>(self) -> Result<Policy, E> {
                Ok(Policy::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Policy, E> {
                Ok(Policy::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Policy, A::Error> {
                let mut policy = Policy::default();
                let keys = ["mounts", "env", "clock", "random", "limits", "log"];
                visit_object(map, "policy", &keys, |key, map| {
                    match key {
                        "mounts" => set(&mut policy.mounts, nested(map, MountsSeed)?),
                        "env" => set(&mut policy.env, nested(map, EnvSeed)?),
                        "clock" => set(&mut policy.clock, nested(map, ClockSeed)?),
                        "random" => set(&mut policy.random, nested(map, RandomSeed)?),
                        "limits" => set(&mut policy.limits, nested(map, LimitsSeed)?),
                        _ => {
                            if let Some(name) = leaf::<_, String>(map, "policy.log")? {
                                let levels =
                                    [("denied", LogPolicy::Denied), ("all", LogPolicy::All), ("none", LogPolicy::None)];
                                policy.log = one_of("policy.log", &name, &levels)?;
                            }
                        }
                    }
                    Ok(())
                })?;
                Ok(policy)
            }
        }
        expect_any(d, "policy", PolicyVisitor)
    }
}

struct MountsSeed;
impl<'de> DeserializeSeed<'de> for MountsSeed {
    type Value = Vec<Mount>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Mount>, D::Error> {
        struct MountsVisitor;
        impl<'de> Visitor<'de> for MountsVisitor {
            type Value = Vec<Mount>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of {guest, host, mode}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Mount>, A::Error> {
                let mut mounts = Vec::new();
                while let Some(mount) = seq.next_element_seed(MountSeed(mounts.len()))? {
                    mounts.push(mount);
                }
                Ok(mounts)
            }
        }
        expect_any(d, "policy.mounts", MountsVisitor)
    }
}

struct MountSeed(usize);
impl<'de> DeserializeSeed<'de> for MountSeed {
    type Value = Mount;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Mount, D::Error> {
        struct MountVisitor(String);
        impl<'de> Visitor<'de> for MountVisitor {
            type Value = Mount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("{guest, host, mode}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Mount, A::Error> {
                let path = self.0;
                let (mut guest, mut host, mut mode) = (None, None, MountMode::default());
                visit_object(map, &path, &["guest", "host", "mode"], |key, map| {
                    let at = format!("{path}.{key}");
                    match key {
                        "guest" => guest = leaf::<_, String>(map, &at)?,
                        "host" => host = leaf::<_, String>(map, &at)?,
                        _ => {
                            if let Some(name) = leaf::<_, String>(map, &at)? {
                                let modes = [("ro", MountMode::ReadOnly), ("rw", MountMode::ReadWrite)];
                                mode = one_of(&at, &name, &modes)?;
                            }
                        }
                    }
                    Ok(())
                })?;
                let guest = guest.ok_or_else(|| error(&path, "missing key \"guest\""))?;
                let host = host.ok_or_else(|| error(&path, "missing key \"host\""))?;
                if guest.is_empty() || guest.contains('\0') {
                    return Err(error(&path, "guest: expected a non-empty path without NUL"));
                }
                Ok(Mount { guest, host, mode })
            }
        }
        let path = format!("policy.mounts[{}]", self.0);
        expect_any(d, &path, MountVisitor(path.clone()))
    }
}

struct EnvSeed;
impl<'de> DeserializeSeed<'de> for EnvSeed {
    type Value = EnvPolicy;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<EnvPolicy, D::Error> {
        object_visitor!(EnvVisitor, EnvPolicy, "{allow, set}", |map| {
            let mut env = EnvPolicy::default();
            visit_object(map, "policy.env", &["allow", "set"], |key, map| {
                if key == "allow" {
                    set(&mut env.allow, leaf(map, "policy.env.allow")?);
                    if let Some(bad) = env.allow.iter().find(|n| !valid_env_name(n)) {
                        return Err(error("policy.env.allow", format_args!("invalid variable name {bad:?}")));
                    }
                } else {
                    set(&mut env.set, leaf(map, "policy.env.set")?);
                    if let Some((bad, _)) = env.set.iter().find(|(n, _)| !valid_env_name(n)) {
                        return Err(error("policy.env.set", format_args!("invalid variable name {bad:?}")));
                    }
                    if let Some((name, _)) = env.set.iter().find(|(_, v)| v.contains('\0')) {
                        return Err(error("policy.env.set", format_args!("value of {name:?} contains NUL")));
                    }
                }
                Ok(())
            })?;
            Ok(env)
        });
        expect_any(d, "policy.env", EnvVisitor)
    }
}

/// A name that can appear left of `=` in the guest's environ: non-empty, no `=`, no NUL.
/// (`"*"` in `allow` means every name.)
fn valid_env_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('=') && !name.contains('\0')
}

struct ClockSeed;
impl<'de> DeserializeSeed<'de> for ClockSeed {
    type Value = ClockPolicy;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ClockPolicy, D::Error> {
        const PATH: &str = "policy.clock";
        const EXPECTED: &str = "\"real\", \"frozen\" or {start, rate}";
        struct ClockVisitor;
        impl<'de> Visitor<'de> for ClockVisitor {
            type Value = ClockPolicy;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ClockPolicy, E> {
                match v {
                    "real" => Ok(ClockPolicy::Real),
                    "frozen" => Ok(ClockPolicy::Frozen),
                    _ => Err(error(PATH, format_args!("expected {EXPECTED} (got {v:?})"))),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ClockPolicy, A::Error> {
                let (mut start_ns, mut rate) = (None, 1.0_f64);
                visit_object(map, PATH, &["start", "rate"], |key, map| {
                    if key == "start" {
                        let Some(text) = leaf::<_, String>(map, "policy.clock.start")? else {
                            return Ok(());
                        };
                        let ns = parse_rfc3339(&text).map_err(|why| {
                            error::<A::Error>(
                                "policy.clock.start",
                                format_args!("expected an RFC 3339 time like \"2000-01-01T00:00:00Z\" ({why}; got {text:?})"),
                            )
                        })?;
                        start_ns = Some(ns);
                    } else {
                        set(&mut rate, leaf(map, "policy.clock.rate")?);
                        if !(rate.is_finite() && rate >= 0.0) {
                            return Err(error("policy.clock.rate", format_args!("expected a finite number >= 0 (got {rate})")));
                        }
                    }
                    Ok(())
                })?;
                Ok(ClockPolicy::Virtual { start_ns, rate })
            }
        }
        expect_any(d, PATH, ClockVisitor)
    }
}

struct RandomSeed;
impl<'de> DeserializeSeed<'de> for RandomSeed {
    type Value = RandomPolicy;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RandomPolicy, D::Error> {
        const PATH: &str = "policy.random";
        const EXPECTED: &str = "\"crypto\" or {seed}";
        struct RandomVisitor;
        impl<'de> Visitor<'de> for RandomVisitor {
            type Value = RandomPolicy;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RandomPolicy, E> {
                match v {
                    "crypto" => Ok(RandomPolicy::Crypto),
                    _ => Err(error(PATH, format_args!("expected {EXPECTED} (got {v:?})"))),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RandomPolicy, A::Error> {
                let mut seed = None;
                visit_object(map, PATH, &["seed"], |_, map| {
                    seed = leaf::<_, u64>(map, "policy.random.seed")?;
                    Ok(())
                })?;
                seed.map(RandomPolicy::Seeded).ok_or_else(|| error(PATH, "missing key \"seed\""))
            }
        }
        expect_any(d, PATH, RandomVisitor)
    }
}

struct LimitsSeed;
impl<'de> DeserializeSeed<'de> for LimitsSeed {
    type Value = Limits;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Limits, D::Error> {
        object_visitor!(
            LimitsVisitor,
            Limits,
            "{openFiles, fileBytes, writtenBytes}",
            |map| {
                let mut limits = Limits::default();
                let keys = ["openFiles", "fileBytes", "writtenBytes"];
                visit_object(map, "policy.limits", &keys, |key, map| {
                    let Some(value) = leaf::<_, u64>(map, &format!("policy.limits.{key}"))? else {
                        return Ok(());
                    };
                    match key {
                        "openFiles" => limits.open_files = value,
                        "fileBytes" => limits.file_bytes = value,
                        _ => limits.written_bytes = value,
                    }
                    Ok(())
                })?;
                Ok(limits)
            }
        );
        expect_any(d, "policy.limits", LimitsVisitor)
    }
}

// ---- RFC 3339 ----------------------------------------------------------------------------------

/// Parses an RFC 3339 date-time (`2000-01-01T00:00:00Z`, `…T12:30:00.5+02:00`; `t`/`z`/space
/// accepted as RFC 3339 allows) into nanoseconds since the Unix epoch. Times before 1970 or
/// beyond u64 nanoseconds (year 2554) are refused; a leap second `:60` counts as the next second.
pub fn parse_rfc3339(text: &str) -> Result<u64, &'static str> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Result<u64, &'static str> {
        let part = b.get(range).ok_or("too short")?;
        if !part.iter().all(u8::is_ascii_digit) {
            return Err("expected digits");
        }
        Ok(part.iter().fold(0, |n, d| n * 10 + (d - b'0') as u64))
    };
    let expect = |at: usize, allowed: &[u8], what: &'static str| -> Result<(), &'static str> {
        match b.get(at) {
            Some(c) if allowed.contains(c) => Ok(()),
            _ => Err(what),
        }
    };
    let year = digits(0..4)?;
    expect(4, b"-", "expected '-' after the year")?;
    let month = digits(5..7)?;
    expect(7, b"-", "expected '-' after the month")?;
    let day = digits(8..10)?;
    expect(10, b"Tt ", "expected 'T' between date and time")?;
    let hour = digits(11..13)?;
    expect(13, b":", "expected ':' after the hour")?;
    let minute = digits(14..16)?;
    expect(16, b":", "expected ':' after the minutes")?;
    let second = digits(17..19)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("no such date");
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err("no such time of day");
    }
    let mut at = 19;
    let mut nanos = 0u64;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + (b[at] - b'0') as u64;
            }
            at += 1;
        }
        if at == start {
            return Err("expected digits after '.'");
        }
        for _ in (at - start)..9 {
            nanos *= 10;
        }
    }
    let offset_seconds: i64 = match b.get(at) {
        Some(b'Z' | b'z') => {
            at += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(at + 1..at + 3)?;
            expect(at + 3, b":", "expected ':' in the UTC offset")?;
            let minutes = digits(at + 4..at + 6)?;
            if hours > 23 || minutes > 59 {
                return Err("no such UTC offset");
            }
            at += 6;
            let magnitude = (hours * 3600 + minutes * 60) as i64;
            if sign == b'+' { magnitude } else { -magnitude }
        }
        _ => return Err("expected 'Z' or a UTC offset like +01:00"),
    };
    if at != b.len() {
        return Err("unexpected text after the time");
    }
    let days = days_from_civil(year as i64, month, day);
    let local = days * 86_400 + (hour * 3600 + minute * 60 + second) as i64;
    let utc = local - offset_seconds;
    let utc = u64::try_from(utc).map_err(|_| "before 1970")?;
    utc.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(nanos))
        .ok_or("too far in the future for u64 nanoseconds")
}

fn is_leap_year(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month as i64 + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        Policy::from_json(json).unwrap_err()
    }

    #[test]
    fn empty_and_null_policies_are_the_default() {
        assert_eq!(Policy::from_json("{}"), Ok(Policy::default()));
        assert_eq!(Policy::from_json("null"), Ok(Policy::default()));
        // null stands for "not given" (JS `undefined` arrives the same way through serde-wasm-bindgen).
        let all_null = r#"{"mounts": null, "env": {"allow": null, "set": null}, "clock": {"start": null, "rate": null},
            "random": null, "limits": {"openFiles": null}, "log": null}"#;
        assert_eq!(Policy::from_json(all_null).unwrap(), Policy {
            clock: ClockPolicy::Virtual { start_ns: None, rate: 1.0 },
            ..Policy::default()
        });
        assert_eq!(Policy::from_json(r#"{"clock": null}"#), Ok(Policy::default()));
        let p = Policy::default();
        assert_eq!((p.clock, p.random, p.log), (ClockPolicy::Real, RandomPolicy::Crypto, LogPolicy::Denied));
        assert_eq!(p.limits.open_files, u64::MAX);
        assert!(!p.env_allowed(b"HOME"));
    }

    #[test]
    fn full_policy_from_design_md() {
        let p = Policy::from_json(
            r#"{
              "mounts": [{ "guest": "/data", "host": "./data", "mode": "ro" },
                         { "guest": "/out", "host": "/tmp/out", "mode": "rw" },
                         { "guest": "/x", "host": "x" }],
              "env": { "allow": ["LANG", "TERM"], "set": { "HOME": "/data" } },
              "clock": { "start": "2000-01-01T00:00:00Z", "rate": 1 },
              "random": { "seed": 42 },
              "limits": { "openFiles": 1024, "fileBytes": 1073741824, "writtenBytes": 5 },
              "log": "all"
            }"#,
        )
        .unwrap();
        assert_eq!(p.mounts.len(), 3);
        assert_eq!(p.mounts[0], Mount { guest: "/data".into(), host: "./data".into(), mode: MountMode::ReadOnly });
        assert_eq!(p.mounts[1].mode, MountMode::ReadWrite);
        assert_eq!(p.mounts[2].mode, MountMode::ReadOnly, "mode defaults to read-only");
        assert!(p.env_allowed(b"LANG") && p.env_allowed(b"TERM") && !p.env_allowed(b"PATH"));
        assert_eq!(p.env.set.get("HOME").map(String::as_str), Some("/data"));
        assert_eq!(p.clock_start_ns(), Some(946_684_800_000_000_000));
        assert_eq!(p.clock_rate(), 1.0);
        assert_eq!(p.random_seed(), Some(42));
        assert_eq!(p.limits, Limits { open_files: 1024, file_bytes: 1 << 30, written_bytes: 5 });
        assert_eq!(p.log, LogPolicy::All);
    }

    #[test]
    fn string_forms() {
        let p = Policy::from_json(r#"{"clock": "frozen", "random": "crypto", "log": "none"}"#).unwrap();
        assert_eq!((p.clock, p.clock_start_ns(), p.clock_rate()), (ClockPolicy::Frozen, Some(0), 0.0));
        assert_eq!((p.random, p.log), (RandomPolicy::Crypto, LogPolicy::None));
        let p = Policy::from_json(r#"{"clock": {"rate": 0}, "env": {"allow": ["*"]}}"#).unwrap();
        assert_eq!(p.clock, ClockPolicy::Virtual { start_ns: None, rate: 0.0 });
        assert!(p.env_allowed(b"ANYTHING"));
    }

    #[test]
    fn errors_name_the_key_and_what_was_expected() {
        assert_eq!(err(r#"{"clock": "sideways"}"#), r#"policy.clock: expected "real", "frozen" or {start, rate} (got "sideways")"#);
        assert_eq!(err(r#"{"clock": 5}"#), r#"policy.clock: expected "real", "frozen" or {start, rate} (got integer `5`)"#);
        assert_eq!(err(r#"{"limits": 5}"#), r#"policy.limits: expected {openFiles, fileBytes, writtenBytes} (got integer `5`)"#);
        assert_eq!(err(r#"{"limits": {"openFiles": "many"}}"#), r#"policy.limits.openFiles: expected u64 (got string "many")"#);
        assert!(err(r#"{"clocks": "real"}"#).starts_with(r#"policy: unknown key "clocks" (expected one of: mounts, env"#));
        assert!(err(r#"{"limits": {"openFiles": -1}}"#).starts_with("policy.limits.openFiles: "));
        assert!(err(r#"{"limits": {"maxFiles": 1}}"#).starts_with(r#"policy.limits: unknown key "maxFiles""#));
        assert_eq!(err(r#"{"log": "loud"}"#), r#"policy.log: expected one of "denied", "all", "none" (got "loud")"#);
        assert_eq!(err(r#"{"mounts": [{"guest": "/a", "host": "a"}, {"guest": "/b", "host": "b", "mode": "rx"}]}"#),
            r#"policy.mounts[1].mode: expected one of "ro", "rw" (got "rx")"#);
        assert_eq!(err(r#"{"mounts": [{"guest": "/a"}]}"#), r#"policy.mounts[0]: missing key "host""#);
        assert_eq!(err(r#"{"mounts": [{"guest": "/a", "host": null}]}"#), r#"policy.mounts[0]: missing key "host""#);
        assert_eq!(err(r#"{"mounts": [null]}"#), r#"policy.mounts[0]: expected {guest, host, mode} (got null)"#);
        assert_eq!(err(r#"{"random": {"seed": null}}"#), r#"policy.random: missing key "seed""#);
        assert!(err(r#"{"mounts": {}}"#).starts_with("policy.mounts: expected an array"));
        assert!(err(r#"{"random": {"seed": "x"}}"#).starts_with("policy.random.seed: "));
        assert!(err(r#"{"random": "pseudo"}"#).starts_with(r#"policy.random: expected "crypto" or {seed}"#));
        assert!(err(r#"{"clock": {"start": "yesterday"}}"#).starts_with("policy.clock.start: expected an RFC 3339 time"));
        assert!(err(r#"{"clock": {"rate": -1}}"#).starts_with("policy.clock.rate: expected a finite number >= 0"));
        assert!(err(r#"{"env": {"allow": ["A=B"]}}"#).starts_with("policy.env.allow: invalid variable name"));
        assert!(err(r#"{"env": {"set": {"A": 1}}}"#).starts_with("policy.env.set: "));
        assert_eq!(err("[1]"), "policy: expected an object (got sequence)");
        assert!(err("{").starts_with("policy: invalid JSON"));
    }

    /// An error that displays like serde-wasm-bindgen's (a JS `Error`): `Error: message`.
    #[derive(Debug)]
    struct JsLikeError(String);
    impl fmt::Display for JsLikeError {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "Error: {}", self.0)
        }
    }
    impl std::error::Error for JsLikeError {}
    impl de::Error for JsLikeError {
        fn custom<T: fmt::Display>(msg: T) -> Self {
            JsLikeError(msg.to_string())
        }
    }

    #[test]
    fn messages_stay_clean_through_js_style_errors() {
        use serde::de::value::MapDeserializer;
        let clock = MapDeserializer::<_, JsLikeError>::new([("clock", 5u64)].into_iter());
        assert_eq!(
            Policy::from_deserializer(clock).unwrap_err(),
            r#"policy.clock: expected "real", "frozen" or {start, rate} (got integer `5`)"#
        );
        let limits = MapDeserializer::<_, JsLikeError>::new([("openFiles", "x")].into_iter());
        let policy = MapDeserializer::<_, JsLikeError>::new(
            [("limits", limits.into_deserializer())].into_iter(),
        );
        assert_eq!(
            Policy::from_deserializer(policy).unwrap_err(),
            r#"policy.limits.openFiles: expected u64 (got string "x")"#
        );
        let unknown = MapDeserializer::<_, JsLikeError>::new([("bogus", 1u64)].into_iter());
        assert!(Policy::from_deserializer(unknown).unwrap_err().starts_with(r#"policy: unknown key "bogus""#));
        let good = MapDeserializer::<_, JsLikeError>::new([("log", "all")].into_iter());
        assert_eq!(Policy::from_deserializer(good).unwrap().log, LogPolicy::All);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.5Z"), Ok(1_500_000_000));
        assert_eq!(parse_rfc3339("1970-01-01t00:00:00.000000001z"), Ok(1));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00.1234567899Z"), Ok(123_456_789), "digits past ns are dropped");
        assert_eq!(parse_rfc3339("2000-01-01T00:00:00Z"), Ok(946_684_800 * 1_000_000_000));
        assert_eq!(parse_rfc3339("2000-01-01T02:00:00+02:00"), parse_rfc3339("2000-01-01T00:00:00Z"));
        assert_eq!(parse_rfc3339("1999-12-31 19:00:00-05:00"), parse_rfc3339("2000-01-01T00:00:00Z"));
        assert_eq!(parse_rfc3339("2024-02-29T12:00:00Z"), Ok(1_709_208_000 * 1_000_000_000));
        assert_eq!(parse_rfc3339("2016-12-31T23:59:60Z"), parse_rfc3339("2017-01-01T00:00:00Z"));
        assert_eq!(parse_rfc3339("2554-07-21T23:34:33Z"), Ok(18_446_744_073 * 1_000_000_000));
        for bad in [
            "", "2000-01-01", "2000-01-01T00:00:00", "2023-02-29T00:00:00Z", "2000-13-01T00:00:00Z",
            "2000-01-00T00:00:00Z", "2000-01-01T24:00:00Z", "2000-01-01T00:60:00Z", "1969-12-31T23:59:59Z",
            "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00+0100", "2000-01-01T00:00:00Zjunk",
            "2600-01-01T00:00:00Z", "20x0-01-01T00:00:00Z", "2000-01-01T00:00:00+24:00",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }
}
