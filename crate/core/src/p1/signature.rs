//! The wasm signature of each p1 function, from the table in p1/table.rs, and the check of a
//! guest's import against it. A guest that imports `fd_write` as `(i32) -> i32`, say, would
//! otherwise be linked to a JS forwarder that accepts anything and fail inside the call; the
//! embedders (run(), the CLI, the Worker runner) refuse it before it runs, naming the import.

/// A wasm value type, by its binary encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ValType {
    I32 = 0x7f,
    I64 = 0x7e,
}

/// The wasm type a p1 parameter of this Rust type has in the guest's import.
pub trait WasmParam {
    const TYPE: ValType;
}

impl WasmParam for u32 {
    const TYPE: ValType = ValType::I32;
}

impl WasmParam for u64 {
    const TYPE: ValType = ValType::I64;
}

impl WasmParam for i64 {
    const TYPE: ValType = ValType::I64;
}

/// The import module every p1 function lives in.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// `(params, results)` of p1 function `name`, or `None` when p1 has no such function. Every
/// function returns an errno (i32) except `proc_exit`, which does not return.
pub fn signature(name: &str) -> Option<(&'static [ValType], &'static [ValType])> {
    let (_, params) = super::SIGNATURES.iter().find(|(n, _)| *n == name)?;
    let results: &[ValType] = if name == "proc_exit" {
        &[]
    } else {
        &[ValType::I32]
    };
    Some((params, results))
}

/// Checks an import of `name` from [`MODULE`] whose type is `(params) -> (results)` (value
/// types by their binary encoding). `None` for `params`/`results` checks the name only (an
/// embedder that cannot see the types). The error names the import and what p1 defines.
pub fn check_import(
    name: &str,
    params: Option<&[u8]>,
    results: Option<&[u8]>,
) -> Result<(), String> {
    let Some((want_params, want_results)) = signature(name) else {
        return Err(format!(
            "import {MODULE}.{name}: WASI preview 1 has no function of that name"
        ));
    };
    let matches = |got: Option<&[u8]>, want: &[ValType]| {
        got.is_none_or(|got| {
            got.len() == want.len() && got.iter().zip(want).all(|(g, w)| *g == *w as u8)
        })
    };
    if matches(params, want_params) && matches(results, want_results) {
        return Ok(());
    }
    Err(format!(
        "import {MODULE}.{name}: the module imports it as {}, but WASI preview 1 defines {}",
        describe(params.unwrap_or(&[]), results.unwrap_or(&[])),
        describe(
            &want_params.iter().map(|t| *t as u8).collect::<Vec<_>>(),
            &want_results.iter().map(|t| *t as u8).collect::<Vec<_>>()
        ),
    ))
}

/// `(i32, i64) -> i32`, `(i32) -> nil`, as in the wasm text format.
pub(crate) fn describe(params: &[u8], results: &[u8]) -> String {
    let list = |types: &[u8]| {
        types
            .iter()
            .map(|t| type_name(*t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let results = match results.len() {
        0 => "nil".to_string(),
        1 => list(results),
        _ => format!("({})", list(results)),
    };
    format!("({}) -> {}", list(params), results)
}

fn type_name(code: u8) -> String {
    match code {
        0x7f => "i32".into(),
        0x7e => "i64".into(),
        0x7d => "f32".into(),
        0x7c => "f64".into(),
        0x7b => "v128".into(),
        0x70 => "funcref".into(),
        0x6f => "externref".into(),
        other => format!("type 0x{other:02x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const I32: u8 = 0x7f;
    const I64: u8 = 0x7e;

    #[test]
    fn the_table_covers_all_46_functions() {
        assert_eq!(super::super::SIGNATURES.len(), 46);
        assert_eq!(
            signature("fd_write"),
            Some((&[ValType::I32; 4][..], &[ValType::I32][..]))
        );
        let (params, _) = signature("fd_seek").unwrap();
        assert_eq!(
            params,
            [ValType::I32, ValType::I64, ValType::I32, ValType::I32]
        );
        assert_eq!(signature("proc_exit"), Some((&[ValType::I32][..], &[][..])));
        assert_eq!(
            signature("sched_yield"),
            Some((&[][..], &[ValType::I32][..]))
        );
    }

    #[test]
    fn right_signatures_pass() {
        assert_eq!(
            check_import("fd_write", Some(&[I32; 4]), Some(&[I32])),
            Ok(())
        );
        assert_eq!(
            check_import("clock_time_get", Some(&[I32, I64, I32]), Some(&[I32])),
            Ok(())
        );
        assert_eq!(check_import("proc_exit", Some(&[I32]), Some(&[])), Ok(()));
        assert_eq!(check_import("fd_write", None, None), Ok(()), "name only");
    }

    #[test]
    fn wrong_signatures_name_the_import_and_what_p1_defines() {
        assert_eq!(
            check_import("fd_write", Some(&[I32]), Some(&[I32])),
            Err(
                "import wasi_snapshot_preview1.fd_write: the module imports it as (i32) -> i32, \
                 but WASI preview 1 defines (i32, i32, i32, i32) -> i32"
                    .into()
            )
        );
        assert_eq!(
            check_import("clock_time_get", Some(&[I32, I32, I32]), Some(&[I32])).unwrap_err(),
            "import wasi_snapshot_preview1.clock_time_get: the module imports it as (i32, i32, i32) -> i32, \
             but WASI preview 1 defines (i32, i64, i32) -> i32"
        );
        assert!(check_import("proc_exit", Some(&[I32]), Some(&[I32]))
            .unwrap_err()
            .ends_with("defines (i32) -> nil"));
        assert!(
            check_import("random_get", Some(&[0x7c, 0x70]), Some(&[I64, I64]))
                .unwrap_err()
                .contains("(f64, funcref) -> (i64, i64)")
        );
        assert_eq!(
            check_import("fd_writ", Some(&[I32; 4]), Some(&[I32])).unwrap_err(),
            "import wasi_snapshot_preview1.fd_writ: WASI preview 1 has no function of that name"
        );
    }
}
