//! The capability policy (DESIGN.md "Policy"): one JSON-serialisable object, validated once.
