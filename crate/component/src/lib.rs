//! Cove's component-model engine (docs/components.md): parsing and validating components with
//! `wasmparser`. Pure safe Rust with native tests; crate/component-wasm is its thin wasm-bindgen
//! layer, built to a second artifact that JavaScript loads only on first use, so what a
//! preview-1 module loads does not grow.
#![forbid(unsafe_code)]

pub mod abi;
mod codegen;
mod error;
mod features;
mod json;
mod names;
mod plan;
pub mod types;
mod typescript;
mod validate;

pub use error::ComponentError;
pub use features::engine_features;
pub use plan::{compile, Compiled};
pub use typescript::typescript_declarations;
pub use validate::{validate, Validated};
