//! iameval-core: the pure-Rust core of iameval, a local AWS IAM policy evaluation engine.
//!
//! This crate knows nothing of Python (the binding lives in `rust/py`, crate `iameval-py`), so
//! `cargo test -p iameval-core` runs without an interpreter. Rule ids (R3, R4, R11, ...) refer to the
//! project's statement of AWS's evaluation logic, `IAM_RULES.md`. The modules mirror the pure-Python
//! reference evaluator `iameval.reference`, which is the oracle for every decision:
//!
//! - [`json`]: JSON values and a strict reader (duplicate keys, limits);
//! - [`error`]: located errors with JSON pointers;
//! - [`pattern`]: IAM wildcard (`*`, `?`) matching for actions (R3), resources (R4) and `ArnLike` (R11);
//! - [`variables`]: policy variables (R13);
//! - [`condition`]: condition operators (R8-R12);
//! - [`policy`]: the policy grammar;
//! - [`hint`]: `did you mean` hints in grammar errors;
//! - [`request`]: the request (R1, R2);
//! - [`resource_pattern`]: Resource patterns compiled into ARN fields (R4);
//! - [`principal`]: Principal / NotPrincipal (R5, R6);
//! - [`public_access`]: S3 Block Public Access and public bucket policies (R20c);
//! - [`rcp_services`]: the services RCPs apply to (R16);
//! - [`action_index`]: statements indexed by action (R3);
//! - [`facts`]: a request prepared once per decision;
//! - [`evaluate`]: one statement against one request (R7);
//! - [`authorize`]: the policy set and the decision (R14-R21);
//! - [`result`]: the answer (R22);
//! - [`trace`]: every statement evaluated in full, on request;
//! - [`batch`]: many decisions on a thread pool;
//! - [`catalog`]: AWS's service reference (actions, resource types, condition keys), loaded once.
#![forbid(unsafe_code)]

pub mod action_index;
pub mod authorize;
pub mod batch;
pub mod catalog;
pub mod condition;
pub mod error;
pub mod evaluate;
pub mod facts;
pub mod hint;
pub mod json;
pub mod pattern;
pub mod policy;
pub mod principal;
pub mod public_access;
pub mod rcp_services;
pub mod request;
pub mod resource_pattern;
pub mod result;
pub mod trace;
pub mod variables;

pub use authorize::PolicySet;
pub use error::{Error, ErrorEntry, ErrorKind, PathSegment, json_pointer};
pub use json::Json;
pub use pattern::{
    ARN_FIELDS, arn_like, lowercase, lowercase_into, resource_match, split_arn, wildcard_match,
};
pub use policy::{Kind, Policy, validate_policy};
pub use public_access::{BlockPublicAccess, public_statements_of};
pub use rcp_services::RCP_SERVICES;
pub use request::Request;
pub use result::{Decision, Evaluation, MatchedStatement};

/// Version of this crate (the Python package `iameval` carries the same version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
