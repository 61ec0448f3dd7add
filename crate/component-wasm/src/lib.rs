//! wasm-bindgen layer over cove-component (docs/components.md). Only conversions live here;
//! js/src/component/ turns a `Failure` into a `ComponentError`.
//!
//! Built twice (scripts/build-component.mjs), as two artifacts loaded on first use: feature
//! `instantiate` (`compile`, what `compileComponent`/`instantiate` load) and feature `validate`
//! (`validate` with the full validator, and `typescriptDeclarations`). Apart, the first leaves
//! out wasmparser's function-body validator and the TypeScript printer (docs/components.md,
//! "Size").
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// Why bytes are not a valid component (cove_component::ComponentError, field for field).
#[wasm_bindgen(getter_with_clone)]
pub struct Failure {
    pub message: String,
    pub offset: usize,
    pub section: String,
}

impl From<cove_component::ComponentError> for Failure {
    fn from(e: cove_component::ComponentError) -> Self {
        Failure {
            message: e.message,
            offset: e.offset,
            section: e.section,
        }
    }
}

#[cfg(feature = "validate")]
/// `None` for a valid component, else where and why it is not one.
#[wasm_bindgen]
pub fn validate(bytes: &[u8]) -> Option<Failure> {
    cove_component::validate(bytes).err().map(Failure::from)
}

#[cfg(feature = "validate")]
/// TypeScript declarations of the component's imports and exports; throws a `Failure`.
#[wasm_bindgen(js_name = typescriptDeclarations)]
pub fn typescript_declarations(bytes: &[u8]) -> Result<String, Failure> {
    cove_component::typescript_declarations(bytes).map_err(Failure::from)
}

#[cfg(feature = "instantiate")]
/// The instantiation plan of a valid component, as JSON (docs/components.md); throws a `Failure`.
#[wasm_bindgen]
pub fn compile(bytes: &[u8]) -> Result<String, Failure> {
    cove_component::compile(bytes)
        .map(|c| c.plan)
        .map_err(Failure::from)
}
