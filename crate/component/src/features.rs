//! The WebAssembly features a component may use. Core modules: what V8 in Node 20 (our oldest
//! supported engine) compiles; a module using anything else (multiple memories, GC types) would
//! only fail later, at WebAssembly.compile, with a less precise message. One exception, extended
//! constant expressions (`i32.add` of an imported base in global and data-segment initializers):
//! wasm-component-ld's dynamic linking emits them, so every componentize-py (CPython) component
//! has them; V8 compiles them from 11.4 on (Node 21+, Chromium 114+), and Node 20 refuses such a
//! core module at WebAssembly.compile, naming the opcode. Component level: the
//! component model with the extensions its reference tests treat as part of it (async, maps,
//! fixed-length lists, `implements`, threading builtins), so that `validate` answers "is this a
//! component?" as the specification does; what Cove cannot run yet is refused at instantiation.

use wasmparser::WasmFeatures;

pub fn engine_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::SIMD
        | WasmFeatures::THREADS
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::FLOATS
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::COMPONENT_MODEL
        | WasmFeatures::CM_ASYNC
        | WasmFeatures::CM_MORE_ASYNC_BUILTINS
        | WasmFeatures::CM_ASYNC_STACKFUL
        | WasmFeatures::CM_THREADING
        | WasmFeatures::CM_ERROR_CONTEXT
        | WasmFeatures::CM_FIXED_LENGTH_LISTS
        | WasmFeatures::CM_MAP
        | WasmFeatures::CM_IMPLEMENTS
}
