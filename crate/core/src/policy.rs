//! The capability policy (docs/design.md "Policy"): one JSON-serialisable object, validated once.
//!
//! ```json
//! { "mounts": [{ "guest": "/data", "host": "./data", "mode": "ro" }],
//!   "env": { "allow": ["LANG"], "set": { "HOME": "/data" } },
//!   "clock": "real" | "frozen" | { "start": "2000-01-01T00:00:00Z", "rate": 1 },
//!   "random": "crypto" | { "seed": 42 },
//!   "limits": { "openFiles": 1024, "fileBytes": 1073741824, "writtenBytes": 1073741824,
//!               "memory": 1073741824 },
//!   "log": "denied" | "all" | "none" }
//! ```
//!
//! Every key is optional; [`Policy::default()`] grants nothing beyond the real clock and crypto
//! random. Unknown keys and bad values are errors whose message starts with the
//! key's path and says what was expected, e.g. `policy.limits.openFiles: expected u64 (got
//! string "x")` or `policy.clock: expected "real", "frozen" or {start, rate} (got "slow")`.
//!
//! [`Policy::from_json`] parses the text with the small reader in json.rs (crate/wasm gets the
//! policy from JS as `JSON.stringify` text).
use crate::json::{quote, Value};

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
    /// Variables set for the guest (they override passed-through ones), sorted by name, each
    /// name once. (A Vec, not a BTreeMap: the engine's wasm would carry a second BTreeMap
    /// instantiation, ~5 KB, for a handful of variables.)
    pub set: Vec<(String, String)>,
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

/// Resource limits; `u64::MAX` means unlimited, the default for the byte counts of files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most descriptors open at once.
    pub open_files: u64,
    /// Largest size a file may reach.
    pub file_bytes: u64,
    /// Total bytes the guest may write to files over its life.
    pub written_bytes: u64,
    /// Most memory an in-memory filesystem may hold after a change the guest makes (data as
    /// allocated, names, nodes: docs/limits.md); beyond it a change is EDQUOT.
    pub memory: u64,
}

/// `limits.openFiles` when the policy does not set it: each descriptor costs the engine memory
/// (a few hundred bytes and the path it was opened by), so without a bound a guest opening one
/// file in a loop could exhaust the engine every guest shares (docs/limits.md).
pub const DEFAULT_OPEN_FILES: u64 = 65_536;

/// `limits.memory` when the policy does not set it: 1 GiB, a quarter of what the engine's
/// 32-bit memory can ever hold, so one guest cannot exhaust the engine that every guest in the
/// process shares (docs/limits.md).
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            open_files: DEFAULT_OPEN_FILES,
            file_bytes: u64::MAX,
            written_bytes: u64::MAX,
            memory: DEFAULT_MEMORY_LIMIT,
        }
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
        let value = Value::parse(text).map_err(|e| format!("policy: invalid JSON: {e}"))?;
        read_policy(&value)
    }

    /// May the host variable `name` pass through to the guest?
    pub fn env_allowed(&self, name: &[u8]) -> bool {
        self.env
            .allow
            .iter()
            .any(|allowed| allowed == "*" || allowed.as_bytes() == name)
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

// ---- Reading the JSON ---------------------------------------------------------------------------
//
// Each reader knows the path of the value it reads, so every error starts with that path and
// says what was expected and what was given: "path: expected X (got Y)". (The wording is the
// one the serde-based reader used, which tests and users already match on.)

/// `path: what`.
fn error(path: &str, what: &str) -> String {
    format!("{path}: {what}")
}

/// `path: expected <expected> (got <what value is>)`.
fn mismatch(path: &str, expected: &str, value: &Value) -> String {
    format!("{path}: expected {expected} (got {})", value.describe())
}

/// `value` as an object's sorted entries, or None for `null` ("not given": `{ clock:
/// opts.clock }` with no `opts.clock` means the default, as JS code expects).
fn object<'v>(
    path: &str,
    expected: &str,
    value: &'v Value,
) -> Result<Option<&'v [(String, Value)]>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Object(entries) => Ok(Some(entries)),
        other => Err(mismatch(path, expected, other)),
    }
}

/// Walks an object's keys at `path`, refusing unknown ones; `field` reads each value.
fn visit_object<'v>(
    entries: &'v [(String, Value)],
    path: &str,
    known: &[&'static str],
    mut field: impl FnMut(&'static str, &'v Value) -> Result<(), String>,
) -> Result<(), String> {
    for (key, value) in entries {
        let Some(&known_key) = known.iter().find(|k| **k == key) else {
            let expected = known.join(", ");
            return Err(error(
                path,
                &format!("unknown key {} (expected one of: {expected})", quote(key)),
            ));
        };
        field(known_key, value)?;
    }
    Ok(())
}

/// A string leaf; None for `null`.
fn string(path: &str, value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(mismatch(path, "a string", other)),
    }
}

/// A u64 leaf; None for `null`.
fn unsigned(path: &str, value: &Value) -> Result<Option<u64>, String> {
    match value {
        Value::Null => Ok(None),
        other => other
            .as_u64()
            .map(Some)
            .ok_or_else(|| mismatch(path, "u64", other)),
    }
}

/// One of a fixed set of strings at `path`; None for `null`.
fn one_of<T: Copy>(path: &str, value: &Value, choices: &[(&str, T)]) -> Result<Option<T>, String> {
    let Some(name) = string(path, value)? else {
        return Ok(None);
    };
    match choices.iter().find(|(choice, _)| *choice == name) {
        Some((_, v)) => Ok(Some(*v)),
        None => {
            let names: Vec<String> = choices.iter().map(|(n, _)| quote(n)).collect();
            Err(error(
                path,
                &format!(
                    "expected one of {} (got {})",
                    names.join(", "),
                    quote(&name)
                ),
            ))
        }
    }
}

/// Stores a value that was given; keeps the default otherwise.
fn set<T>(slot: &mut T, given: Option<T>) {
    if let Some(value) = given {
        *slot = value;
    }
}

fn read_policy(value: &Value) -> Result<Policy, String> {
    let mut policy = Policy::default();
    let Some(entries) = object("policy", "an object", value)? else {
        return Ok(policy);
    };
    let keys = ["mounts", "env", "clock", "random", "limits", "log"];
    visit_object(entries, "policy", &keys, |key, value| {
        match key {
            "mounts" => set(&mut policy.mounts, read_mounts(value)?),
            "env" => set(&mut policy.env, read_env(value)?),
            "clock" => set(&mut policy.clock, read_clock(value)?),
            "random" => set(&mut policy.random, read_random(value)?),
            "limits" => set(&mut policy.limits, read_limits(value)?),
            _ => {
                let levels = [
                    ("denied", LogPolicy::Denied),
                    ("all", LogPolicy::All),
                    ("none", LogPolicy::None),
                ];
                set(&mut policy.log, one_of("policy.log", value, &levels)?);
            }
        }
        Ok(())
    })?;
    Ok(policy)
}

fn read_mounts(value: &Value) -> Result<Option<Vec<Mount>>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Array(items) => {
            // Loops rather than `collect::<Result<…>>()`: each of those costs the engine 1–2 KB.
            let mut mounts = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                mounts.push(read_mount(i, item)?);
            }
            Ok(Some(mounts))
        }
        other => Err(mismatch(
            "policy.mounts",
            "an array of {guest, host, mode}",
            other,
        )),
    }
}

fn read_mount(index: usize, value: &Value) -> Result<Mount, String> {
    let path = format!("policy.mounts[{index}]");
    let Value::Object(entries) = value else {
        return Err(mismatch(&path, "{guest, host, mode}", value));
    };
    let (mut guest, mut host, mut mode) = (None, None, MountMode::default());
    visit_object(entries, &path, &["guest", "host", "mode"], |key, value| {
        let at = format!("{path}.{key}");
        match key {
            "guest" => guest = string(&at, value)?,
            "host" => host = string(&at, value)?,
            _ => set(
                &mut mode,
                one_of(
                    &at,
                    value,
                    &[("ro", MountMode::ReadOnly), ("rw", MountMode::ReadWrite)],
                )?,
            ),
        }
        Ok(())
    })?;
    let guest = guest.ok_or_else(|| error(&path, "missing key \"guest\""))?;
    let host = host.ok_or_else(|| error(&path, "missing key \"host\""))?;
    if guest.is_empty() || guest.contains('\0') {
        return Err(error(&path, "guest: expected a non-empty path without NUL"));
    }
    // An empty host path would mean the host's working directory: never grant that by accident.
    if host.is_empty() {
        return Err(error(
            &format!("{path}.host"),
            "empty (expected a directory path; \".\" for the working directory)",
        ));
    }
    Ok(Mount { guest, host, mode })
}

fn read_env(value: &Value) -> Result<Option<EnvPolicy>, String> {
    let Some(entries) = object("policy.env", "{allow, set}", value)? else {
        return Ok(None);
    };
    let mut env = EnvPolicy::default();
    visit_object(entries, "policy.env", &["allow", "set"], |key, value| {
        if key == "allow" {
            const PATH: &str = "policy.env.allow";
            match value {
                Value::Null => {}
                Value::Array(names) => {
                    env.allow.clear();
                    for name in names {
                        env.allow.push(
                            string(PATH, name)?.ok_or_else(|| mismatch(PATH, "a string", name))?,
                        );
                    }
                }
                other => return Err(mismatch(PATH, "a sequence", other)),
            }
            if let Some(bad) = env.allow.iter().find(|n| !valid_env_name(n)) {
                return Err(error(
                    PATH,
                    &format!("invalid variable name {}", quote(bad)),
                ));
            }
        } else {
            const PATH: &str = "policy.env.set";
            match value {
                Value::Null => {}
                Value::Object(vars) => {
                    env.set.clear();
                    for (name, v) in vars {
                        // The JSON object's entries are already sorted and unique.
                        env.set.push((
                            name.clone(),
                            string(PATH, v)?.ok_or_else(|| mismatch(PATH, "a string", v))?,
                        ));
                    }
                }
                other => return Err(mismatch(PATH, "a map", other)),
            }
            if let Some((bad, _)) = env.set.iter().find(|(n, _)| !valid_env_name(n)) {
                return Err(error(
                    PATH,
                    &format!("invalid variable name {}", quote(bad)),
                ));
            }
            if let Some((name, _)) = env.set.iter().find(|(_, v)| v.contains('\0')) {
                return Err(error(
                    PATH,
                    &format!("value of {} contains NUL", quote(name)),
                ));
            }
        }
        Ok(())
    })?;
    Ok(Some(env))
}

/// A name that can appear left of `=` in the guest's environ: non-empty, no `=`, no NUL.
/// (`"*"` in `allow` means every name.)
fn valid_env_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('=') && !name.contains('\0')
}

fn read_clock(value: &Value) -> Result<Option<ClockPolicy>, String> {
    const PATH: &str = "policy.clock";
    const EXPECTED: &str = "\"real\", \"frozen\" or {start, rate}";
    let entries = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s == "real" => return Ok(Some(ClockPolicy::Real)),
        Value::String(s) if s == "frozen" => return Ok(Some(ClockPolicy::Frozen)),
        Value::String(s) => {
            return Err(error(
                PATH,
                &format!("expected {EXPECTED} (got {})", quote(s)),
            ))
        }
        Value::Object(entries) => entries,
        other => return Err(mismatch(PATH, EXPECTED, other)),
    };
    let (mut start_ns, mut rate) = (None, 1.0_f64);
    visit_object(entries, PATH, &["start", "rate"], |key, value| {
        if key == "start" {
            let Some(text) = string("policy.clock.start", value)? else {
                return Ok(());
            };
            let ns = parse_rfc3339(&text).map_err(|why| {
                let expected = "expected an RFC 3339 time like \"2000-01-01T00:00:00Z\"";
                error(
                    "policy.clock.start",
                    &format!("{expected} ({why}; got {})", quote(&text)),
                )
            })?;
            start_ns = Some(ns);
        } else if let Value::Number(text) = value {
            rate = value.as_f64().unwrap_or(f64::NAN);
            if !(rate.is_finite() && rate >= 0.0) {
                // The number as written: formatting an f64 would cost the engine 17 KB.
                return Err(error(
                    "policy.clock.rate",
                    &format!("expected a finite number >= 0 (got {text})"),
                ));
            }
        } else if *value != Value::Null {
            return Err(mismatch("policy.clock.rate", "f64", value));
        }
        Ok(())
    })?;
    Ok(Some(ClockPolicy::Virtual { start_ns, rate }))
}

fn read_random(value: &Value) -> Result<Option<RandomPolicy>, String> {
    const PATH: &str = "policy.random";
    const EXPECTED: &str = "\"crypto\" or {seed}";
    let entries = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s == "crypto" => return Ok(Some(RandomPolicy::Crypto)),
        Value::String(s) => {
            return Err(error(
                PATH,
                &format!("expected {EXPECTED} (got {})", quote(s)),
            ))
        }
        Value::Object(entries) => entries,
        other => return Err(mismatch(PATH, EXPECTED, other)),
    };
    let mut seed = None;
    visit_object(entries, PATH, &["seed"], |_, value| {
        seed = unsigned("policy.random.seed", value)?;
        Ok(())
    })?;
    seed.map(|s| Some(RandomPolicy::Seeded(s)))
        .ok_or_else(|| error(PATH, "missing key \"seed\""))
}

fn read_limits(value: &Value) -> Result<Option<Limits>, String> {
    let expected = "{openFiles, fileBytes, writtenBytes, memory}";
    let Some(entries) = object("policy.limits", expected, value)? else {
        return Ok(None);
    };
    let mut limits = Limits::default();
    let keys = ["openFiles", "fileBytes", "writtenBytes", "memory"];
    visit_object(entries, "policy.limits", &keys, |key, value| {
        let Some(value) = unsigned(&format!("policy.limits.{key}"), value)? else {
            return Ok(());
        };
        match key {
            "openFiles" => limits.open_files = value,
            "fileBytes" => limits.file_bytes = value,
            "writtenBytes" => limits.written_bytes = value,
            _ => limits.memory = value,
        }
        Ok(())
    })?;
    Ok(Some(limits))
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
            if sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
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
        assert_eq!(
            Policy::from_json(all_null).unwrap(),
            Policy {
                clock: ClockPolicy::Virtual {
                    start_ns: None,
                    rate: 1.0
                },
                ..Policy::default()
            }
        );
        assert_eq!(
            Policy::from_json(r#"{"clock": null}"#),
            Ok(Policy::default())
        );
        let p = Policy::default();
        assert_eq!(
            (p.clock, p.random, p.log),
            (ClockPolicy::Real, RandomPolicy::Crypto, LogPolicy::Denied)
        );
        assert_eq!(
            (p.limits.open_files, p.limits.memory),
            (DEFAULT_OPEN_FILES, DEFAULT_MEMORY_LIMIT)
        );
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
        assert_eq!(
            p.mounts[0],
            Mount {
                guest: "/data".into(),
                host: "./data".into(),
                mode: MountMode::ReadOnly
            }
        );
        assert_eq!(p.mounts[1].mode, MountMode::ReadWrite);
        assert_eq!(
            p.mounts[2].mode,
            MountMode::ReadOnly,
            "mode defaults to read-only"
        );
        assert!(p.env_allowed(b"LANG") && p.env_allowed(b"TERM") && !p.env_allowed(b"PATH"));
        assert_eq!(p.env.set, [("HOME".to_string(), "/data".to_string())]);
        assert_eq!(p.clock_start_ns(), Some(946_684_800_000_000_000));
        assert_eq!(p.clock_rate(), 1.0);
        assert_eq!(p.random_seed(), Some(42));
        assert_eq!(
            p.limits,
            Limits {
                open_files: 1024,
                file_bytes: 1 << 30,
                written_bytes: 5,
                memory: DEFAULT_MEMORY_LIMIT
            }
        );
        let memory_only = Policy::from_json(r#"{"limits": {"memory": 4096}}"#).unwrap();
        assert_eq!(
            memory_only.limits,
            Limits {
                memory: 4096,
                ..Limits::default()
            }
        );
        assert_eq!(p.log, LogPolicy::All);
    }

    #[test]
    fn string_forms() {
        let p =
            Policy::from_json(r#"{"clock": "frozen", "random": "crypto", "log": "none"}"#).unwrap();
        assert_eq!(
            (p.clock, p.clock_start_ns(), p.clock_rate()),
            (ClockPolicy::Frozen, Some(0), 0.0)
        );
        assert_eq!((p.random, p.log), (RandomPolicy::Crypto, LogPolicy::None));
        let p = Policy::from_json(r#"{"clock": {"rate": 0}, "env": {"allow": ["*"]}}"#).unwrap();
        assert_eq!(
            p.clock,
            ClockPolicy::Virtual {
                start_ns: None,
                rate: 0.0
            }
        );
        assert!(p.env_allowed(b"ANYTHING"));
    }

    #[test]
    fn errors_name_the_key_and_what_was_expected() {
        assert_eq!(
            err(r#"{"clock": "sideways"}"#),
            r#"policy.clock: expected "real", "frozen" or {start, rate} (got "sideways")"#
        );
        assert_eq!(
            err(r#"{"clock": 5}"#),
            r#"policy.clock: expected "real", "frozen" or {start, rate} (got integer `5`)"#
        );
        assert_eq!(
            err(r#"{"limits": 5}"#),
            r#"policy.limits: expected {openFiles, fileBytes, writtenBytes, memory} (got integer `5`)"#
        );
        assert!(
            err(r#"{"limits": {"memory": 1.5}}"#).starts_with("policy.limits.memory: expected u64")
        );
        assert!(err(r#"{"limits": {"fileBytes": 1e999}}"#)
            .starts_with("policy.limits.fileBytes: expected u64"));
        assert_eq!(
            err(r#"{"mounts": [{"guest": "/a", "host": ""}]}"#),
            r#"policy.mounts[0].host: empty (expected a directory path; "." for the working directory)"#
        );
        assert_eq!(
            err(r#"{"limits": {"openFiles": "many"}}"#),
            r#"policy.limits.openFiles: expected u64 (got string "many")"#
        );
        assert!(err(r#"{"clocks": "real"}"#)
            .starts_with(r#"policy: unknown key "clocks" (expected one of: mounts, env"#));
        assert!(err(r#"{"limits": {"openFiles": -1}}"#).starts_with("policy.limits.openFiles: "));
        assert!(err(r#"{"limits": {"maxFiles": 1}}"#)
            .starts_with(r#"policy.limits: unknown key "maxFiles""#));
        assert_eq!(
            err(r#"{"log": "loud"}"#),
            r#"policy.log: expected one of "denied", "all", "none" (got "loud")"#
        );
        assert_eq!(
            err(
                r#"{"mounts": [{"guest": "/a", "host": "a"}, {"guest": "/b", "host": "b", "mode": "rx"}]}"#
            ),
            r#"policy.mounts[1].mode: expected one of "ro", "rw" (got "rx")"#
        );
        assert_eq!(
            err(r#"{"mounts": [{"guest": "/a"}]}"#),
            r#"policy.mounts[0]: missing key "host""#
        );
        assert_eq!(
            err(r#"{"mounts": [{"guest": "/a", "host": null}]}"#),
            r#"policy.mounts[0]: missing key "host""#
        );
        assert_eq!(
            err(r#"{"mounts": [null]}"#),
            r#"policy.mounts[0]: expected {guest, host, mode} (got null)"#
        );
        assert_eq!(
            err(r#"{"random": {"seed": null}}"#),
            r#"policy.random: missing key "seed""#
        );
        assert!(err(r#"{"mounts": {}}"#).starts_with("policy.mounts: expected an array"));
        assert!(err(r#"{"random": {"seed": "x"}}"#).starts_with("policy.random.seed: "));
        assert!(err(r#"{"random": "pseudo"}"#)
            .starts_with(r#"policy.random: expected "crypto" or {seed}"#));
        assert!(err(r#"{"clock": {"start": "yesterday"}}"#)
            .starts_with("policy.clock.start: expected an RFC 3339 time"));
        assert!(err(r#"{"clock": {"rate": -1}}"#)
            .starts_with("policy.clock.rate: expected a finite number >= 0"));
        assert!(err(r#"{"env": {"allow": ["A=B"]}}"#)
            .starts_with("policy.env.allow: invalid variable name"));
        assert!(err(r#"{"env": {"set": {"A": 1}}}"#).starts_with("policy.env.set: "));
        assert_eq!(err("[1]"), "policy: expected an object (got sequence)");
        assert!(err("{").starts_with("policy: invalid JSON"));
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.5Z"), Ok(1_500_000_000));
        assert_eq!(parse_rfc3339("1970-01-01t00:00:00.000000001z"), Ok(1));
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00.1234567899Z"),
            Ok(123_456_789),
            "digits past ns are dropped"
        );
        assert_eq!(
            parse_rfc3339("2000-01-01T00:00:00Z"),
            Ok(946_684_800 * 1_000_000_000)
        );
        assert_eq!(
            parse_rfc3339("2000-01-01T02:00:00+02:00"),
            parse_rfc3339("2000-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("1999-12-31 19:00:00-05:00"),
            parse_rfc3339("2000-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T12:00:00Z"),
            Ok(1_709_208_000 * 1_000_000_000)
        );
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            parse_rfc3339("2017-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2554-07-21T23:34:33Z"),
            Ok(18_446_744_073 * 1_000_000_000)
        );
        for bad in [
            "",
            "2000-01-01",
            "2000-01-01T00:00:00",
            "2023-02-29T00:00:00Z",
            "2000-13-01T00:00:00Z",
            "2000-01-00T00:00:00Z",
            "2000-01-01T24:00:00Z",
            "2000-01-01T00:60:00Z",
            "1969-12-31T23:59:59Z",
            "2000-01-01T00:00:00.Z",
            "2000-01-01T00:00:00+0100",
            "2000-01-01T00:00:00Zjunk",
            "2600-01-01T00:00:00Z",
            "20x0-01-01T00:00:00Z",
            "2000-01-01T00:00:00+24:00",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }
}
