//! iameval-py: the PyO3 binding of `iameval-core`, importable as `iameval._core`.
//!
//! Only conversions live here; all logic is in the core. The core's functions cannot panic (the workspace
//! lints deny panicking shortcuts there), and PyO3 turns any panic that would still happen into a Python
//! `PanicException` instead of unwinding across the FFI boundary.
//!
//! - Matchers: arguments are extracted as `&str`, borrowed from the Python strings (no copy). A `str` with a
//!   lone surrogate cannot be encoded as UTF-8 and raises `UnicodeEncodeError`; a non-`str` raises
//!   `TypeError`. Long inputs are matched with the GIL released.
//! - [`PolicySet`]: Python values are walked straight into the core's `Json` ([`convert`]), compiled once
//!   into an immutable, thread-safe handle; results are the reference's `Result` dataclasses; core errors
//!   become `PolicyError` / `RequestError` in one place ([`errors`]).

mod batch;
mod catalog;
mod columns;
mod convert;
mod errors;
mod policy_set;
mod results;
mod segments;
mod trace;

use pyo3::prelude::*;

// The extension allocates with the system allocator (glibc's malloc). mimalloc was faster for the batch path
// but is not fork-safe: a fork while another thread held one of its locks (a worker thread exiting, say) left
// the child's first batch call hanging for good (issue 8, tests/test_robustness.py); glibc's malloc takes
// its locks around fork().

/// Inputs at least this long (pattern plus value, in bytes) are matched with the GIL released: below it,
/// releasing and re-acquiring the GIL costs more than the match.
const DETACH_THRESHOLD: usize = 16 * 1024;

/// Run `f` with the GIL released when the input is long, attached otherwise.
fn run<T: Send>(py: Python<'_>, input_len: usize, f: impl FnOnce() -> T + Send) -> T {
    if input_len >= DETACH_THRESHOLD { py.detach(f) } else { f() }
}

/// IAM policy evaluation implemented in Rust (iameval-core).
#[pymodule]
mod _core {
    use pyo3::prelude::*;

    use super::run;

    #[pymodule_export]
    use crate::policy_set::PolicySet;

    #[pymodule_export]
    use crate::policy_set::validate_policy;

    #[pymodule_export]
    use crate::batch::evaluate_grid;

    #[pymodule_export]
    use crate::catalog::Catalog;

    #[pymodule_export]
    use crate::policy_set::{is_public, public_statements};

    /// `RCP_SERVICES`: the core's R16 table, as a `frozenset` of service prefixes.
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let services = pyo3::types::PyFrozenSet::new(m.py(), iameval_core::RCP_SERVICES)?;
        m.add("RCP_SERVICES", services)
    }

    #[pymodule_export]
    #[expect(non_upper_case_globals, reason = "Python's `__version__` dunder")]
    const __version__: &str = iameval_core::VERSION;

    /// Return whether `value` matches the IAM glob `pattern` as a whole (R3, R4, R11 StringLike).
    #[pyfunction]
    #[pyo3(signature = (pattern, value, ignore_case = false))]
    fn wildcard_match(py: Python<'_>, pattern: &str, value: &str, ignore_case: bool) -> bool {
        run(py, pattern.len() + value.len(), || iameval_core::wildcard_match(pattern, value, ignore_case))
    }

    /// Return whether a Resource pattern matches the request resource (R4).
    #[pyfunction]
    #[pyo3(signature = (pattern, resource, resource_based = false))]
    fn resource_match(py: Python<'_>, pattern: &str, resource: &str, resource_based: bool) -> bool {
        run(py, pattern.len() + resource.len(), || {
            iameval_core::resource_match(pattern, resource, resource_based)
        })
    }

    /// ArnLike / ArnEquals (R11): six fields, each matched separately and case-sensitively.
    #[pyfunction]
    fn arn_like(py: Python<'_>, pattern: &str, value: &str) -> bool {
        run(py, pattern.len() + value.len(), || iameval_core::arn_like(pattern, value))
    }
}
