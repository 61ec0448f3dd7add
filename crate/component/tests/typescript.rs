//! typescript_declarations(): the JS shape of a component's imports and exports, per the value
//! table of docs/components.md.
use cove_component::typescript_declarations;

/// tests/components/types.wat: every kind of value type, an interface export and a resource.
const TYPES: &[u8] = include_bytes!("../../../tests/components/types.wasm");
const NESTED: &[u8] = include_bytes!("../../../tests/components/nested.wasm");

#[test]
fn declares_imports_by_their_names_and_exports_in_lower_camel_case() {
    let ts = typescript_declarations(NESTED).unwrap();
    assert!(
        ts.contains("export interface Imports {\n  'host-log'(msg: string): void;\n}"),
        "{ts}"
    );
    assert!(
        ts.contains("export interface Exports {\n  add(a: number, b: number): number;\n}"),
        "{ts}"
    );
}

#[test]
fn declares_every_value_type_as_the_value_table_says() {
    let ts = typescript_declarations(TYPES).unwrap();
    for expected in [
        "scalars(a: boolean, b: number, c: bigint, d: string, e: number): bigint;",
        "bytes(x: Uint8Array): Float64Array;",
        "strings(x: Array<string>): [string, number];",
        "movePoint(p: { x: number; yCoord: number }): { x: number; yCoord: number };",
        "paint(s: { tag: 'circle', val: number } | { tag: 'none' }): 'red' | 'light-green';",
        "setPerms(p: { read?: boolean; writeAll?: boolean }): void;",
        "maybe(x: number | undefined, y: { tag: 'some', val: string } | { tag: 'none' } | undefined): void;",
        "fallible(): string;",
        "tagged(): { tag: 'ok', val: number } | { tag: 'err' } | undefined;",
        "'ns:pkg/store': {",
        "store: Exports['ns:pkg/store'];",
        "export declare class Blob {",
        "constructor(init: Uint8Array);",
        "size(): bigint;",
        "static merge(a: Blob, b: Blob): Blob;",
        "[Symbol.dispose](): void;",
    ] {
        assert!(ts.contains(expected), "missing `{expected}` in:\n{ts}");
    }
}

#[test]
fn reports_an_invalid_component_instead_of_declarations() {
    let e = typescript_declarations(b"\0asm\x0d\x00\x01").unwrap_err();
    assert!(e.message.contains("unexpected end-of-file"), "{e}");
}
