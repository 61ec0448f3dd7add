//! cove-wasm: the thin wasm-bindgen layer over cove-core (see docs/engine-abi.md).
