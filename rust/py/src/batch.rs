//! The batch API: `PolicySet.decide_many` and `iameval._core.evaluate_grid` (decision codes for columns of
//! requests), read with the GIL held, decided without it on a thread pool, returned as a numpy `uint8`
//! array (a `bytearray` without numpy) or a list of `Decision` members.

use std::collections::HashMap;
use std::sync::Arc;

use iameval_core::batch::{self, CallerRows, ContextRows, GridRow, RowError, TextColumn};
use iameval_core::request::{Caller, Context, read_context_json, read_principal};
use iameval_core::{Error, ErrorEntry, ErrorKind, PathSegment};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyList, PyMapping};

use crate::columns::{self, Column, Held};
use crate::convert::{self, Overrides};
use crate::errors::to_py_err;
use crate::policy_set::PolicySet;

static DECISION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A `RequestError` with one entry at `/<argument>[/<row>]`.
pub fn request_error(
    py: Python<'_>,
    argument: &str,
    row: Option<usize>,
    kind: ErrorKind,
    message: String,
) -> PyErr {
    let mut path = vec![PathSegment::Key(argument.to_owned())];
    path.extend(row.map(PathSegment::Index));
    let message = match row {
        Some(row) => format!("`{argument}[{row}]` {message}"),
        None => format!("`{argument}` {message}"),
    };
    to_py_err(py, &Error::Request(vec![ErrorEntry::new(kind, path, message)]), &Overrides::new())
}

fn row_error(py: Python<'_>, error: &RowError) -> PyErr {
    request_error(py, error.column.as_str(), Some(error.row), ErrorKind::InvalidValue, error.message.clone())
}

fn length_error(py: Python<'_>, argument: &str, found: usize, expected: usize) -> PyErr {
    request_error(
        py,
        argument,
        None,
        ErrorKind::InvalidValue,
        format!("has {found} rows where `actions` has {expected}"),
    )
}

/// Hold a column's Python values (type errors raise; a null Arrow row is a `RequestError`).
fn hold<'py>(py: Python<'py>, value: &Bound<'py, PyAny>, argument: &str) -> PyResult<Held<'py>> {
    columns::hold(value, argument)?
        .map_err(|(row, message)| request_error(py, argument, Some(row), ErrorKind::WrongType, message))
}

fn column<'a>(py: Python<'_>, held: &'a Held<'_>, argument: &str) -> PyResult<Column<'a>> {
    held.column()
        .map_err(|(row, message)| request_error(py, argument, Some(row), ErrorKind::WrongType, message))
}

/// Every row's text as owned strings (for the small columns of a grid).
fn texts(py: Python<'_>, held: &Held<'_>, argument: &str) -> PyResult<Vec<String>> {
    let col = column(py, held, argument)?;
    let mut scratch = String::new();
    let mut out = Vec::with_capacity(col.len());
    for row in 0..col.len() {
        let text = col
            .text(row, &mut scratch)
            .map_err(|message| request_error(py, argument, Some(row), ErrorKind::WrongType, message))?;
        out.push(text.to_owned());
    }
    Ok(out)
}

/// Read one context (a mapping or `None`) as the core reads a request's; errors point at `/<argument>[/row]/key`.
fn read_context(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    argument: &str,
    row: Option<usize>,
) -> PyResult<Arc<Context>> {
    let json = convert::context(value)?;
    read_context_json(&json).map(Arc::new).map_err(|entries| {
        let entries = entries
            .into_iter()
            .map(|mut entry| {
                let mut path = vec![PathSegment::Key(argument.to_owned())];
                path.extend(row.map(PathSegment::Index));
                path.extend(entry.path.into_iter().skip(1)); // drop the leading `context`
                entry.path = path;
                entry
            })
            .collect();
        to_py_err(py, &Error::Request(entries), &Overrides::new())
    })
}

/// The contexts argument: `None` (empty), one mapping for every row, or one mapping (or `None`) per row.
pub enum Contexts {
    /// Every row.
    One(Arc<Context>),
    /// One per row.
    PerRow(Vec<Arc<Context>>),
}

fn read_contexts(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    rows: usize,
    argument: &str,
) -> PyResult<Contexts> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Contexts::One(Arc::new(Context::default())));
    };
    if value.cast::<PyMapping>().is_ok() {
        return Ok(Contexts::One(read_context(py, value, argument, None)?));
    }
    let items: Vec<Bound<'_, PyAny>> = match value.try_iter() {
        Ok(iter) => iter.collect::<PyResult<_>>()?,
        Err(_) => {
            return Err(PyTypeError::new_err(format!(
                "`{argument}` must be None, a mapping or a sequence of mappings"
            )));
        }
    };
    if items.len() != rows {
        return Err(length_error(py, argument, items.len(), rows));
    }
    let empty = Arc::new(Context::default());
    let mut seen: HashMap<usize, Arc<Context>> = HashMap::new();
    let mut out = Vec::with_capacity(rows);
    for (row, item) in items.iter().enumerate() {
        if item.is_none() {
            out.push(Arc::clone(&empty));
            continue;
        }
        let key = item.as_ptr() as usize; // the same dict object repeated is read once
        let context = match seen.get(&key) {
            Some(found) => Arc::clone(found),
            None => {
                let read = read_context(py, item, argument, Some(row))?;
                seen.insert(key, Arc::clone(&read));
                read
            }
        };
        out.push(context);
    }
    Ok(Contexts::PerRow(out))
}

impl Contexts {
    fn rows(&self) -> ContextRows<'_> {
        match self {
            Self::One(one) => ContextRows::One(one),
            Self::PerRow(all) => ContextRows::PerRow(all),
        }
    }

    fn get(&self, row: usize) -> Arc<Context> {
        match self {
            Self::One(one) => Arc::clone(one),
            Self::PerRow(all) => all.get(row).map_or_else(|| Arc::new(Context::default()), Arc::clone),
        }
    }
}

fn caller(py: Python<'_>, text: &str, argument: &str, row: Option<usize>) -> PyResult<Caller> {
    read_principal(text).map_err(|message| {
        // the core's message already names the value
        let mut path = vec![PathSegment::Key(argument.to_owned())];
        path.extend(row.map(PathSegment::Index));
        to_py_err(
            py,
            &Error::Request(vec![ErrorEntry::new(ErrorKind::InvalidValue, path, message)]),
            &Overrides::new(),
        )
    })
}

/// The output: a numpy `uint8` array of `shape` (a `bytearray` without numpy), or a list of `Decision`s.
fn output<'py>(py: Python<'py>, codes: &[u8], shape: &[usize], as_list: bool) -> PyResult<Bound<'py, PyAny>> {
    if as_list {
        let decision = DECISION.import(py, "iameval.reference.result", "Decision")?;
        let members = [
            decision.call1(("ImplicitDeny",))?,
            decision.call1(("Allow",))?,
            decision.call1(("ExplicitDeny",))?,
        ];
        let list = PyList::empty(py);
        for &code in codes {
            let member = members.get(usize::from(code)).unwrap_or(&members[0]);
            list.append(member)?;
        }
        return Ok(list.into_any());
    }
    let bytes = PyByteArray::new(py, codes);
    match py.import("numpy") {
        Ok(numpy) => {
            let array = numpy.call_method1("frombuffer", (bytes, "uint8"))?;
            if shape.len() > 1 { array.call_method1("reshape", (shape.to_vec(),)) } else { Ok(array) }
        }
        Err(_) => Ok(bytes.into_any()),
    }
}

/// `PolicySet.decide_many` (see there).
#[expect(clippy::too_many_arguments, reason = "the Python signature")]
pub fn decide_many<'py>(
    set: &PolicySet,
    py: Python<'py>,
    actions: &Bound<'py, PyAny>,
    resources: &Bound<'py, PyAny>,
    principal: Option<&Bound<'py, PyAny>>,
    principals: Option<&Bound<'py, PyAny>>,
    contexts: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
    as_list: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let principal = principal.filter(|p| !p.is_none());
    let principals = principals.filter(|p| !p.is_none());
    if principal.is_some() == principals.is_some() {
        return Err(PyTypeError::new_err("give exactly one of `principal` and `principals`"));
    }
    let held_actions = hold(py, actions, "actions")?;
    let held_resources = hold(py, resources, "resources")?;
    let rows = held_actions.len();
    if held_resources.len() != rows {
        return Err(length_error(py, "resources", held_resources.len(), rows));
    }
    let action_col = column(py, &held_actions, "actions")?;
    let resource_col = column(py, &held_resources, "resources")?;
    let (callers, caller_rows): (Vec<Caller>, Vec<u32>) = match (principal, principals) {
        (Some(one), _) => {
            let text =
                one.cast::<pyo3::types::PyString>().ok().and_then(|s| s.to_str().ok().map(str::to_owned));
            let Some(text) = text else {
                return Err(request_error(
                    py,
                    "principal",
                    None,
                    ErrorKind::WrongType,
                    "must be a string".to_owned(),
                ));
            };
            (vec![caller(py, &text, "principal", None)?], Vec::new())
        }
        (None, Some(column_value)) => {
            let held = hold(py, column_value, "principals")?;
            if held.len() != rows {
                return Err(length_error(py, "principals", held.len(), rows));
            }
            let col = column(py, &held, "principals")?;
            let mut index: HashMap<String, u32> = HashMap::new();
            let mut callers = Vec::new();
            let mut per_row = Vec::with_capacity(rows);
            let mut scratch = String::new();
            for row in 0..rows {
                let text = col
                    .text(row, &mut scratch)
                    .map_err(|m| request_error(py, "principals", Some(row), ErrorKind::WrongType, m))?;
                let position = match index.get(text) {
                    Some(&i) => i,
                    None => {
                        callers.push(caller(py, text, "principals", Some(row))?);
                        let i = u32::try_from(callers.len() - 1).unwrap_or(u32::MAX);
                        index.insert(text.to_owned(), i);
                        i
                    }
                };
                per_row.push(position);
            }
            (callers, per_row)
        }
        (None, None) => (Vec::new(), Vec::new()),
    };
    let contexts = read_contexts(py, contexts, rows, "contexts")?;
    let caller_arg = match callers.as_slice() {
        [one] if caller_rows.is_empty() => CallerRows::One(one),
        all => CallerRows::PerRow { callers: all, rows: &caller_rows },
    };
    let inner = &set.inner;
    let codes = py
        .detach(|| inner.decide_batch(caller_arg, &action_col, &resource_col, contexts.rows(), threads))
        .map_err(|e| row_error(py, &e))?;
    output(py, &codes, &[codes.len()], as_list)
}

/// Decisions for every (principal, action, resource) of a grid: principal `i` (with `policy_sets[i]` and its
/// context) × `actions` × `resources`. A numpy `uint8` array of shape (P, A, R), a flat `bytearray` in that
/// order without numpy, or a flat list of `Decision` with `as_list=True`.
#[pyfunction]
#[pyo3(signature = (policy_sets, principals, actions, resources, *, contexts=None, threads=None, as_list=false))]
#[expect(clippy::too_many_arguments, reason = "the Python signature")]
pub fn evaluate_grid<'py>(
    py: Python<'py>,
    policy_sets: &Bound<'py, PyAny>,
    principals: &Bound<'py, PyAny>,
    actions: &Bound<'py, PyAny>,
    resources: &Bound<'py, PyAny>,
    contexts: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
    as_list: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let sets: Vec<Bound<'py, PyAny>> = policy_sets.try_iter()?.collect::<PyResult<_>>()?;
    let principal_texts = texts(py, &hold(py, principals, "principals")?, "principals")?;
    if principal_texts.len() != sets.len() {
        return Err(request_error(
            py,
            "principals",
            None,
            ErrorKind::InvalidValue,
            format!("has {} rows where `policy_sets` has {}", principal_texts.len(), sets.len()),
        ));
    }
    let action_texts = texts(py, &hold(py, actions, "actions")?, "actions")?;
    let resource_texts = texts(py, &hold(py, resources, "resources")?, "resources")?;
    let contexts = read_contexts(py, contexts, sets.len(), "contexts")?;
    let mut rows = Vec::with_capacity(sets.len());
    for (i, (set, text)) in sets.iter().zip(&principal_texts).enumerate() {
        let Ok(set) = set.cast::<PolicySet>() else {
            return Err(PyTypeError::new_err(format!("`policy_sets[{i}]` is not an iameval.PolicySet")));
        };
        rows.push(GridRow {
            policy_set: set.get().inner.clone(),
            caller: caller(py, text, "principals", Some(i))?,
            context: contexts.get(i),
        });
    }
    let action_refs: Vec<&str> = action_texts.iter().map(String::as_str).collect();
    let resource_refs: Vec<&str> = resource_texts.iter().map(String::as_str).collect();
    let codes = py
        .detach(|| batch::decide_grid(&rows, &action_refs, &resource_refs, threads))
        .map_err(|e| row_error(py, &e))?;
    output(py, &codes, &[rows.len(), action_refs.len(), resource_refs.len()], as_list)
}
