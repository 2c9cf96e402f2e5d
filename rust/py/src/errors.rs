//! The one table from core errors to Python exceptions: `Error::Policy` -> `iameval.errors.PolicyError`,
//! `Error::Request` -> `iameval.errors.RequestError`, each carrying every entry as the reference's dicts
//! `{"type", "policy", "pointer", "path", "message"}` (`path` a tuple of keys and indices); a catalog that
//! cannot be loaded (`CatalogError` of the core) -> `iameval.errors.CatalogError`.

use iameval_core::{Error, ErrorEntry, PathSegment};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::convert::Overrides;

static POLICY_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static REQUEST_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// One entry as the reference's dict.
///
/// # Errors
/// Only a Python error while building the dict.
pub fn entry_dict<'py>(py: Python<'py>, entry: &ErrorEntry) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("type", entry.kind.as_str())?;
    dict.set_item("policy", &entry.policy)?;
    dict.set_item("pointer", entry.pointer())?;
    let mut path: Vec<Bound<'py, PyAny>> = Vec::with_capacity(entry.path.len());
    for segment in &entry.path {
        path.push(match segment {
            PathSegment::Key(key) => key.into_pyobject(py)?.into_any(),
            PathSegment::Index(index) => index.into_pyobject(py)?.into_any(),
        });
    }
    dict.set_item("path", PyTuple::new(py, path)?)?;
    dict.set_item("message", &entry.message)?;
    Ok(dict)
}

/// The entries as a list of dicts, with the messages of `overrides` applied (see [`Overrides`]).
///
/// # Errors
/// Only a Python error while building the dicts.
pub fn entry_list<'py>(
    py: Python<'py>,
    entries: &[ErrorEntry],
    overrides: &Overrides,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for entry in entries {
        let replaced;
        let entry = match overrides.get(&entry.policy) {
            Some(message) if entry.kind == iameval_core::ErrorKind::JsonInvalid && entry.path.is_empty() => {
                replaced = ErrorEntry { message: message.clone(), ..entry.clone() };
                &replaced
            }
            _ => entry,
        };
        list.append(entry_dict(py, entry)?)?;
    }
    Ok(list)
}

/// The Python exception for a core error.
pub fn to_py_err(py: Python<'_>, error: &Error, overrides: &Overrides) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let (cell, name) = match error {
            Error::Policy(_) => (&POLICY_ERROR, "PolicyError"),
            Error::Request(_) => (&REQUEST_ERROR, "RequestError"),
        };
        let class = cell.import(py, "iameval.errors", name)?;
        let entries = entry_list(py, error.entries(), overrides)?;
        Ok(PyErr::from_value(class.call1((entries,))?))
    };
    build().unwrap_or_else(|err| err)
}

/// Look the exception classes up now (see `batch::prime_for_fork`).
pub fn prime(py: Python<'_>) {
    let _ = POLICY_ERROR.import(py, "iameval.errors", "PolicyError");
    let _ = REQUEST_ERROR.import(py, "iameval.errors", "RequestError");
}

static CATALOG_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a catalog that cannot be loaded: `iameval.errors.CatalogError(kind, file,
/// pointer, message)`.
pub fn catalog_error(py: Python<'_>, error: &iameval_core::catalog::CatalogError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = CATALOG_ERROR.import(py, "iameval.errors", "CatalogError")?;
        let args = (error.kind.as_str(), &error.file, &error.pointer, &error.message);
        Ok(PyErr::from_value(class.call1(args)?))
    };
    build().unwrap_or_else(|err| err)
}
