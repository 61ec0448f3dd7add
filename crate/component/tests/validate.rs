//! validate(): valid components pass; malformed and invalid ones give an error naming what was
//! expected, the byte offset and the (nested) section, never a panic.
use cove_component::validate;
use proptest::prelude::*;

/// tests/components/nested.wat: imports, a nested core module and component, a lifted export.
const NESTED: &[u8] = include_bytes!("../../../tests/components/nested.wasm");
/// tests/components/bad-body.wat: a core function whose body returns i64 for an i32 result.
const BAD_BODY: &[u8] = include_bytes!("../../../tests/components/bad-body.wasm");
const EMPTY_COMPONENT: &[u8] = b"\0asm\x0d\x00\x01\x00";

#[test]
fn accepts_valid_components() {
    assert!(validate(EMPTY_COMPONENT).is_ok());
    let summary = validate(NESTED).expect("nested.wasm is valid");
    assert_eq!(
        summary.core_modules, 2,
        "$m and the inner component's $empty"
    );
    assert_eq!(summary.nested_components, 1);
}

#[test]
fn rejects_a_core_module_as_a_component() {
    let e = validate(b"\0asm\x01\x00\x00\x00").unwrap_err();
    assert!(
        e.message
            .contains("expected a component, found a core module"),
        "{e}"
    );
    assert_eq!(e.offset, 4);
}

#[test]
fn names_the_offset_of_a_truncated_preamble() {
    let e = validate(&EMPTY_COMPONENT[..6]).unwrap_err();
    assert!(e.message.contains("unexpected end-of-file"), "{e}");
    assert_eq!(e.section, "component > preamble");
}

#[test]
fn rejects_bad_magic() {
    let e = validate(b"\0wsm\x0d\x00\x01\x00").unwrap_err();
    assert!(e.message.contains("magic"), "{e}");
    assert_eq!(e.offset, 0);
}

#[test]
fn names_the_nested_section_of_an_invalid_function_body() {
    let e = validate(BAD_BODY).unwrap_err();
    assert!(
        e.message.contains("type mismatch: expected i32, found i64"),
        "{e}"
    );
    assert_eq!(
        e.section,
        "component > core module 0 > code section, function body 0"
    );
    assert_eq!(
        e.offset, 0x2b,
        "the i64.const instruction, as wasm-tools reports it"
    );
}

/// Where each section of the outermost component ends: a component cut there is a valid, smaller
/// component; cut anywhere else it must be refused.
fn top_level_section_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut depth = 0;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.unwrap();
        match &payload {
            wasmparser::Payload::ModuleSection {
                unchecked_range, ..
            }
            | wasmparser::Payload::ComponentSection {
                unchecked_range, ..
            } => {
                if depth == 0 {
                    ends.push(unchecked_range.end as usize);
                }
                depth += 1;
            }
            wasmparser::Payload::End(_) => depth -= 1,
            wasmparser::Payload::Version { range, .. } if depth == 0 => {
                ends.push(range.end as usize)
            }
            other => {
                if let (0, Some((_, range))) = (depth, other.as_section()) {
                    ends.push(range.end as usize);
                }
            }
        }
    }
    ends
}

#[test]
fn every_truncation_of_a_valid_component_is_an_error_within_its_bytes() {
    let boundaries = top_level_section_ends(NESTED);
    assert!(boundaries.len() > 5, "{boundaries:?}");
    for len in 0..NESTED.len() {
        match validate(&NESTED[..len]) {
            Ok(_) => assert!(
                boundaries.contains(&len),
                "cut to {len} bytes (not a section end) validated"
            ),
            Err(e) => {
                assert!(
                    !boundaries.contains(&len),
                    "cut at section end {len} refused: {e}"
                );
                assert!(
                    e.offset <= len,
                    "cut to {len}: offset {} lies past the end ({e})",
                    e.offset
                );
                assert!(
                    !e.message.is_empty() && e.section.starts_with("component"),
                    "cut to {len}: {e}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Corrupting bytes of a valid component never panics or hangs; an error stays within the
    /// binary. (Some corruptions are still valid components, e.g. inside a name.)
    #[test]
    fn corrupted_components_never_panic(flips in prop::collection::vec((0..NESTED.len(), any::<u8>()), 1..6)) {
        let mut bytes = NESTED.to_vec();
        for (at, value) in flips {
            bytes[at] = value;
        }
        if let Err(e) = validate(&bytes) {
            prop_assert!(e.offset <= bytes.len(), "{}", e);
        }
    }

    /// Bytes spliced in or removed anywhere: the same.
    #[test]
    fn spliced_components_never_panic(at in 0..NESTED.len(), remove in 0..8usize, insert in prop::collection::vec(any::<u8>(), 0..8)) {
        let mut bytes = NESTED.to_vec();
        let end = (at + remove).min(bytes.len());
        bytes.splice(at..end, insert);
        if let Err(e) = validate(&bytes) {
            prop_assert!(e.offset <= bytes.len(), "{}", e);
        }
    }
}
