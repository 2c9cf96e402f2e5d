//! Large `decide_many` calls read and decided segment by segment (issue 12).
//!
//! Reading Python columns needs the GIL, so a call that reads every row before deciding any does its
//! reading on one core however many threads decide: about a fifth of a W1 call, which capped two threads
//! at about 1.6 times one. Here each of `threads` workers takes the next segment of [`SEGMENT`] rows,
//! reads it with the GIL held, and decides it with the GIL released, while another worker reads the next
//! one: reading and deciding overlap. On one thread too, a segment's read values are still in the
//! processor's caches when its rows are decided (a W2 call at once reads 100,000 rows × 28 context keys,
//! some 45 MB of cells, before deciding the first row).
//!
//! Only calls whose row arguments are all lists or tuples are segmented (a segment is a slice of each),
//! with at least [`SEGMENTED`] rows. The outcome never differs from a call read at once: when a segment
//! fails (a malformed row), the whole call is made again at once, which reports the error that call
//! reports (the same row, the same argument order).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::batch::{RowArgs, WATCHED, decide_codes, detach_watched};
use crate::policy_set::PolicySet;

/// Rows per segment (fewer than [`WATCHED`]: a segment's call is not watched itself, the call is).
pub const SEGMENT: usize = 6_144;

/// Calls of at least this many rows are segmented.
pub const SEGMENTED: usize = 4 * SEGMENT;

/// A row argument: given whole to every segment, or sliced (a list or tuple of one value per row).
enum Arg {
    Whole(Option<Py<PyAny>>),
    Rows(Py<PyAny>),
    /// `context_columns`: a dict of columns, each sliced.
    Columns(Vec<(Py<PyAny>, Py<PyAny>)>),
}

/// The length of a list or tuple.
fn rows_of(value: &Bound<'_, PyAny>) -> Option<usize> {
    if let Ok(list) = value.cast::<PyList>() {
        return Some(list.len());
    }
    value.cast::<PyTuple>().ok().map(|tuple| tuple.len())
}

/// `value` as a row argument of `rows` rows: `None` when it is neither one value for every row (`None`, a
/// `str` or a `dict` where `whole` allows it) nor a list or tuple of `rows` values.
fn arg(value: Option<&Bound<'_, PyAny>>, rows: usize, whole: fn(&Bound<'_, PyAny>) -> bool) -> Option<Arg> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Some(Arg::Whole(None)) };
    if whole(value) {
        return Some(Arg::Whole(Some(value.clone().unbind())));
    }
    (rows_of(value)? == rows).then(|| Arg::Rows(value.clone().unbind()))
}

fn never(_: &Bound<'_, PyAny>) -> bool {
    false
}

fn is_str(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyString>()
}

fn is_dict(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyDict>()
}

/// `context_columns` as a row argument: a dict of lists or tuples of `rows` values.
fn columns_arg(value: Option<&Bound<'_, PyAny>>, rows: usize) -> Option<Arg> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Some(Arg::Whole(None)) };
    let dict = value.cast::<PyDict>().ok()?;
    let mut out = Vec::with_capacity(dict.len());
    for (key, column) in dict.iter() {
        if rows_of(&column)? != rows {
            return None;
        }
        out.push((key.unbind(), column.unbind()));
    }
    Some(Arg::Columns(out))
}

impl Arg {
    /// The argument for rows `start..end`.
    fn segment<'py>(&self, py: Python<'py>, start: usize, end: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        let slice = |value: &Py<PyAny>| -> Bound<'py, PyAny> {
            let value = value.bind(py);
            match (value.cast::<PyList>(), value.cast::<PyTuple>()) {
                (Ok(list), _) => list.get_slice(start, end).into_any(),
                (_, Ok(tuple)) => tuple.get_slice(start, end).into_any(),
                _ => value.clone(), // not made by `arg`
            }
        };
        Ok(match self {
            Self::Whole(value) => value.as_ref().map(|v| v.bind(py).clone()),
            Self::Rows(value) => Some(slice(value)),
            Self::Columns(columns) => {
                let dict = PyDict::new(py);
                for (key, column) in columns {
                    dict.set_item(key.bind(py), slice(column))?;
                }
                Some(dict.into_any())
            }
        })
    }
}

/// The row arguments of a segmented call.
struct Args {
    actions: Arg,
    resources: Arg,
    principal: Arg,
    principals: Arg,
    contexts: Arg,
    context_columns: Arg,
    principal_accounts: Arg,
    resource_accounts: Arg,
}

impl Args {
    /// `args` when the call can be segmented (see the module), with its number of rows.
    fn of(args: RowArgs<'_, '_>) -> Option<(Self, usize)> {
        let rows = rows_of(args.actions)?;
        let out = Self {
            actions: arg(Some(args.actions), rows, never)?,
            resources: arg(Some(args.resources), rows, never)?,
            principal: arg(args.principal, rows, |_| true)?,
            principals: arg(args.principals, rows, never)?,
            contexts: arg(args.contexts, rows, is_dict)?,
            context_columns: columns_arg(args.context_columns, rows)?,
            principal_accounts: arg(args.principal_accounts, rows, is_str)?,
            resource_accounts: arg(args.resource_accounts, rows, is_str)?,
        };
        Some((out, rows))
    }

    /// The decision codes of rows `start..end`, read and decided on this thread (stopped by `cancel`).
    fn decide(
        &self,
        set: &PolicySet,
        py: Python<'_>,
        (start, end): (usize, usize),
        cancel: Option<&AtomicBool>,
    ) -> PyResult<Vec<u8>> {
        let part = |arg: &Arg| arg.segment(py, start, end);
        let (Some(actions), Some(resources)) = (part(&self.actions)?, part(&self.resources)?) else {
            return Ok(Vec::new()); // not made by `of`
        };
        let (principal, principals) = (part(&self.principal)?, part(&self.principals)?);
        let (contexts, context_columns) = (part(&self.contexts)?, part(&self.context_columns)?);
        let (principal_accounts, resource_accounts) =
            (part(&self.principal_accounts)?, part(&self.resource_accounts)?);
        let args = RowArgs {
            actions: &actions,
            resources: &resources,
            principal: principal.as_ref(),
            principals: principals.as_ref(),
            contexts: contexts.as_ref(),
            context_columns: context_columns.as_ref(),
            principal_accounts: principal_accounts.as_ref(),
            resource_accounts: resource_accounts.as_ref(),
        };
        decide_codes(set, py, args, Some(1), cancel)
    }
}

/// The decision codes of a `decide_many` call on `threads` threads, read and decided segment by segment;
/// `None` when the call is not segmented (see the module) or a segment failed: the caller then makes it at
/// once.
///
/// # Errors
/// The exception a signal handler raised (`KeyboardInterrupt`), once the workers stopped.
pub fn decide(
    set: &PolicySet,
    py: Python<'_>,
    args: RowArgs<'_, '_>,
    threads: usize,
) -> PyResult<Option<Vec<u8>>> {
    if rows_of(args.actions).is_none_or(|rows| rows < SEGMENTED) {
        return Ok(None); // checked first: a small call pays nothing more
    }
    let Some((args, rows)) = Args::of(args) else { return Ok(None) };
    let segments = rows.div_ceil(SEGMENT);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let done: Mutex<Vec<(usize, Vec<u8>)>> = Mutex::new(Vec::with_capacity(segments));
    detach_watched(py, WATCHED, |cancel| {
        let stop = || failed.load(Ordering::Relaxed) || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let work = || {
            while !stop() {
                let segment = next.fetch_add(1, Ordering::Relaxed);
                if segment >= segments {
                    break;
                }
                let (start, end) = (segment * SEGMENT, ((segment + 1) * SEGMENT).min(rows));
                match Python::attach(|py| args.decide(set, py, (start, end), cancel)) {
                    Ok(codes) if codes.len() == end - start => {
                        done.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((segment, codes));
                    }
                    _ => failed.store(true, Ordering::Relaxed),
                }
            }
        };
        std::thread::scope(|scope| {
            for _ in 0..threads {
                // a thread that cannot be made leaves its segments to the others (or to the call at once)
                let _ =
                    std::thread::Builder::new().name("iameval-segment".to_owned()).spawn_scoped(scope, work);
            }
        });
    })?;
    let mut done = done.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if failed.load(Ordering::Relaxed) || done.len() != segments {
        return Ok(None);
    }
    done.sort_unstable_by_key(|(segment, _)| *segment);
    let mut codes = crate::columns::try_vec(rows, "actions")?;
    for (_, part) in done {
        codes.extend_from_slice(&part);
    }
    Ok(Some(codes))
}
