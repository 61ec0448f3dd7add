//! The flat core signature of each p2 function, from the table in p2/table.rs, and the check of
//! a lowered import against it: a component whose core module imports
//! `[method]output-stream.write` as `(i32) -> i32`, say, is refused before it runs, naming the
//! import. Any 0.2.x version of an interface is accepted (their functions did not change shape).
pub use crate::p1::signature::ValType;

/// A flat parameter or result type of the canonical ABI, as the Rust type the table uses.
pub trait Flat: Sized {
    const TYPE: ValType;
    /// The value as the dispatch's uniform result (for `call_by_index`).
    fn to_u64(self) -> u64;
    /// The value as a trace line shows it (`None`: no flat result).
    fn shown(self) -> Option<u64> {
        Some(self.to_u64())
    }
}

impl Flat for u32 {
    const TYPE: ValType = ValType::I32;
    fn to_u64(self) -> u64 {
        self.into()
    }
}

impl Flat for u64 {
    const TYPE: ValType = ValType::I64;
    fn to_u64(self) -> u64 {
        self
    }
}

/// A function with no flat result (never asked for its `TYPE`: the table omits it).
impl Flat for () {
    const TYPE: ValType = ValType::I32;
    fn to_u64(self) -> u64 {
        0
    }
    fn shown(self) -> Option<u64> {
        None
    }
}

/// Splits `wasi:io/streams@0.2.6` into the interface and its version (`None` without one).
fn split_version(module: &str) -> (&str, Option<&str>) {
    match module.split_once('@') {
        Some((interface, version)) => (interface, Some(version)),
        None => (module, None),
    }
}

/// Whether `version` is one this host implements: 0.2.0 through any 0.2.x.
fn supported_version(version: &str) -> bool {
    let mut parts = version.split('.');
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    parts.next() == Some("0")
        && parts.next() == Some("2")
        && numeric(parts.next())
        && parts.next().is_none()
}

/// The index in the table of `name` from interface `module` (versioned or not), or why none.
pub fn lookup(module: &str, name: &str) -> Result<usize, String> {
    let (interface, version) = split_version(module);
    if let Some(version) = version {
        if !supported_version(version) {
            return Err(format!(
                "import {module}#{name}: Cove implements WASI 0.2.0 through 0.2.x, not {version}"
            ));
        }
    }
    super::NAMES
        .iter()
        .position(|&(i, n)| i == interface && n == name)
        .ok_or_else(|| {
            format!("import {module}#{name}: WASI preview 2 has no function of that name")
        })
}

/// Checks a core import `name` from `module` whose type is `(params) -> (results)` (value types
/// by their binary encoding; `None` checks the name only). The error names the import and what
/// the canonical ABI gives the function.
pub fn check_import(
    module: &str,
    name: &str,
    params: Option<&[u8]>,
    results: Option<&[u8]>,
) -> Result<(), String> {
    let index = lookup(module, name)?;
    let (want_params, want_results) = super::SIGNATURES[index];
    let matches = |got: Option<&[u8]>, want: &[ValType]| {
        got.is_none_or(|got| {
            got.len() == want.len() && got.iter().zip(want).all(|(g, w)| *g == *w as u8)
        })
    };
    if matches(params, want_params) && matches(results, want_results) {
        return Ok(());
    }
    let codes = |types: &[ValType]| types.iter().map(|t| *t as u8).collect::<Vec<_>>();
    Err(format!(
        "import {module}#{name}: the module imports it as {}, but WASI preview 2 lowers it to {}",
        crate::p1::signature::describe(params.unwrap_or(&[]), results.unwrap_or(&[])),
        crate::p1::signature::describe(&codes(want_params), &codes(want_results)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    const I32: u8 = 0x7f;
    const I64: u8 = 0x7e;

    #[test]
    fn every_version_of_0_2_is_accepted_and_no_other() {
        let name = "[method]output-stream.blocking-write-and-flush";
        for module in [
            "wasi:io/streams",
            "wasi:io/streams@0.2.0",
            "wasi:io/streams@0.2.6",
            "wasi:io/streams@0.2.13",
        ] {
            assert_eq!(
                check_import(module, name, Some(&[I32; 4]), Some(&[])),
                Ok(()),
                "{module}"
            );
        }
        for version in ["0.3.0", "0.2", "0.2.x", "0.2.0-rc-2023-11-10", "1.2.0"] {
            let err =
                check_import(&format!("wasi:io/streams@{version}"), name, None, None).unwrap_err();
            assert!(err.contains("not "), "{err}");
        }
    }

    #[test]
    fn wrong_signatures_name_the_import_and_the_lowered_type() {
        assert_eq!(
            check_import(
                "wasi:cli/stdout@0.2.6",
                "get-stdout",
                Some(&[I32]),
                Some(&[I32])
            )
            .unwrap_err(),
            "import wasi:cli/stdout@0.2.6#get-stdout: the module imports it as (i32) -> i32, \
             but WASI preview 2 lowers it to () -> i32"
        );
        assert_eq!(
            check_import(
                "wasi:random/random@0.2.0",
                "get-random-bytes",
                Some(&[I64, I32]),
                Some(&[])
            ),
            Ok(())
        );
        assert_eq!(
            check_import(
                "wasi:clocks/monotonic-clock@0.2.0",
                "now",
                Some(&[]),
                Some(&[I64])
            ),
            Ok(())
        );
        assert!(check_import(
            "wasi:io/streams@0.2.0",
            "[method]output-stream.writ",
            None,
            None
        )
        .unwrap_err()
        .ends_with("WASI preview 2 has no function of that name"));
    }
}
