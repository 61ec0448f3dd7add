//! The error a user sees for bytes that are not a valid component: what was expected, the byte
//! offset, and where in the (possibly nested) binary it was found.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentError {
    /// wasmparser's description of what was wrong or expected, e.g. "unexpected end-of-file".
    pub message: String,
    /// Byte offset from the start of the whole binary.
    pub offset: usize,
    /// Where the offset lies, outermost first: "component > core module 0 > code section".
    pub section: String,
}

impl fmt::Display for ComponentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at byte offset {}, in {})",
            self.message, self.offset, self.section
        )
    }
}

impl std::error::Error for ComponentError {}
