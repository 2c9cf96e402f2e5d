//! iameval-core: the pure-Rust core of iameval, a local AWS IAM policy evaluation engine.
//!
//! This crate knows nothing of Python (the binding lives in `rust/py`, crate `iameval-py`), so
//! `cargo test -p iameval-core` runs without an interpreter. Rule ids (R3, R4, R11, ...) refer to the
//! project's statement of AWS's evaluation logic, `IAM_RULES.md`.
//!
//! - [`pattern`]: IAM wildcard (`*`, `?`) matching for actions (R3), resources (R4) and `ArnLike` (R11).
#![forbid(unsafe_code)]

pub mod pattern;

pub use pattern::{ARN_FIELDS, arn_like, lowercase, resource_match, split_arn, wildcard_match};

/// Version of this crate (the Python package `iameval` carries the same version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
