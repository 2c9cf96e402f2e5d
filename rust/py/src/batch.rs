//! The batch API: `PolicySet.decide_many` and `iameval._core.evaluate_grid` (decision codes for columns of
//! requests), read with the GIL held, decided without it on a thread pool, returned as a numpy `uint8`
//! array (a `bytearray` without numpy) or a list of `Decision` members.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rustc_hash::FxBuildHasher;

use iameval_core::batch::{
    self, AccountRows, BatchError, CallerRows, Cell, ContextColumn, ContextRows, GridRow, KeyColumn,
    RowError, Rows, Run, TextColumn,
};
use iameval_core::facts::{MultiValues, PackedValues};
use iameval_core::request::{Caller, Context, ContextValue, read_context_json, read_principal};
use iameval_core::{Decision, Error, ErrorEntry, ErrorKind, PathSegment};
use pyo3::exceptions::{PyMemoryError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyCFunction, PyDict, PyInt, PyList, PyMapping, PyString, PyTuple};

use crate::columns::{self, BadRow, Column, Held, LONE_SURROGATE, try_vec};
use crate::convert::{self, Overrides};
use crate::errors::to_py_err;
use crate::policy_set::PolicySet;
use crate::results::decision_member;

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

/// The Python exception for a batch that gave no answer (`Cancelled` only happens after a signal handler
/// raised, whose exception is raised instead).
fn batch_error(py: Python<'_>, error: &BatchError) -> PyErr {
    match error {
        BatchError::Row(row) => row_error(py, row),
        BatchError::TooLarge(dims) => {
            let shown: Vec<String> = dims.iter().map(usize::to_string).collect();
            PyValueError::new_err(format!(
                "an output of {} cells is too large (at most {} bytes can be allocated)",
                shown.join(" x "),
                isize::MAX
            ))
        }
        BatchError::OutOfMemory(bytes) => {
            PyMemoryError::new_err(format!("cannot allocate {bytes} bytes for the decisions"))
        }
        BatchError::Cancelled => PyRuntimeError::new_err("the batch was cancelled"),
    }
}

/// `evaluate()` of a request with more context values than this runs with the GIL released.
pub const LARGE_REQUEST: usize = 1024;

/// The number of values in a context.
pub fn context_values(context: &Context) -> usize {
    context.values().map(|v| if let ContextValue::Multi(items) = v { items.len() } else { 1 }).sum()
}

/// The number of scalars in a JSON value.
pub fn json_values(value: &iameval_core::Json) -> usize {
    use iameval_core::Json;
    match value {
        Json::Array(items) => items.iter().map(json_values).sum(),
        Json::Object(pairs) => pairs.iter().map(|(_, v)| json_values(v)).sum(),
        _ => 1,
    }
}

/// Calls with at least this many rows (or cells) check for signals (Ctrl-C) while they run.
pub const WATCHED: usize = 1 << 13;

/// How often a watched call checks for signals.
const WATCH_EVERY: Duration = Duration::from_millis(50);

/// Run `work` with the GIL released. A call of at least [`WATCHED`] rows runs on a helper thread while this
/// one re-attaches every [`WATCH_EVERY`] to run Python's signal handlers: when one raises (`KeyboardInterrupt`
/// for Ctrl-C), the work is cancelled through its flag and that exception is returned once it stopped.
///
/// # Errors
/// The exception a signal handler raised.
pub fn detach_watched<T: Send>(
    py: Python<'_>,
    size: usize,
    work: impl FnOnce(Option<&AtomicBool>) -> T + Send,
) -> PyResult<T> {
    if size < WATCHED {
        return Ok(py.detach(|| work(None)));
    }
    let cancel = AtomicBool::new(false);
    let slot = Mutex::new(Some(work));
    let take = || slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    let (outcome, raised) = py.detach(|| {
        std::thread::scope(|scope| {
            let (done, finished) = mpsc::channel::<()>();
            let spawned =
                std::thread::Builder::new().name("iameval-call".to_owned()).spawn_scoped(scope, || {
                    let out = take().map(|work| work(Some(&cancel)));
                    drop(done);
                    out
                });
            let Ok(handle) = spawned else {
                return (take().map(|work| work(None)), None); // no thread to spare: run unwatched
            };
            let mut raised: Option<PyErr> = None;
            while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(WATCH_EVERY) {
                if raised.is_none()
                    && let Err(error) = Python::attach(|py| py.check_signals())
                {
                    raised = Some(error);
                    cancel.store(true, Ordering::Relaxed);
                }
            }
            match handle.join() {
                Ok(out) => (out, raised),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    });
    if let Some(error) = raised {
        return Err(error);
    }
    outcome.ok_or_else(|| PyRuntimeError::new_err("the batch did not run"))
}

fn row_error(py: Python<'_>, error: &RowError) -> PyErr {
    match &error.key {
        Some(key) => key_error(py, key, Some(error.row), ErrorKind::InvalidValue, &error.message),
        None => request_error(
            py,
            error.column.as_str(),
            Some(error.row),
            ErrorKind::InvalidValue,
            error.message.clone(),
        ),
    }
}

/// A `RequestError` about the context column `key`: pointer `/context_columns/<key>[/<row>]`.
fn key_error(py: Python<'_>, key: &str, row: Option<usize>, kind: ErrorKind, message: &str) -> PyErr {
    let mut path = vec![PathSegment::Key("context_columns".to_owned()), PathSegment::Key(key.to_owned())];
    path.extend(row.map(PathSegment::Index));
    let message = match row {
        Some(row) => format!("`context_columns[{key:?}][{row}]` {message}"),
        None => format!("`context_columns[{key:?}]` {message}"),
    };
    to_py_err(py, &Error::Request(vec![ErrorEntry::new(kind, path, message)]), &Overrides::new())
}

/// One row of a context column given as a Python sequence: absent, a borrowed text, or the `n`th
/// multivalued cell of the column.
#[derive(Debug, Clone, Copy)]
enum CellRef<'a> {
    Absent,
    Text(&'a str),
    Multi(usize),
}

/// A context column given as a Python sequence, read: per row a [`CellRef`]; the values of its multivalued
/// cells copied one after another into `text` (one buffer per column: no allocation per value, no map),
/// and per multivalued cell where its values start in `text` and the range of their ends in `ends`.
#[derive(Default)]
struct SequenceCells<'a> {
    cells: Vec<CellRef<'a>>,
    texts: Texts,
    multi: Vec<(usize, usize, usize)>,
}

impl SequenceCells<'_> {
    fn clear(&mut self) {
        self.cells.clear();
        self.texts.text.clear();
        self.texts.ends.clear();
        self.multi.clear();
    }
}

/// The texts of a column's multivalued cells, one after another, and where each ends.
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

/// A context column read from Python: a sequence (`str`, a list of `str`, or `None` per row) or a numpy /
/// Arrow string column.
enum ReadColumn<'a> {
    Cells(SequenceCells<'a>),
    Text(Column<'a>),
}

/// A read column as the core reads it: the multivalued cells of a sequence laid out as [`PackedValues`]
/// over the column's buffer (which [`ReadColumn`] owns, so they are made once the column is read).
enum KeyValues<'a> {
    Cells { cells: &'a [CellRef<'a>], packed: Vec<PackedValues<'a>> },
    Text(&'a Column<'a>),
}

impl<'a> KeyValues<'a> {
    fn of(read: &'a ReadColumn<'a>) -> Self {
        match read {
            ReadColumn::Text(column) => Self::Text(column),
            ReadColumn::Cells(cells) => Self::Cells {
                cells: &cells.cells,
                packed: cells
                    .multi
                    .iter()
                    .map(|&(start, first, last)| PackedValues {
                        text: &cells.texts.text,
                        start,
                        ends: cells.texts.ends.get(first..last).unwrap_or_default(),
                    })
                    .collect(),
            },
        }
    }
}

impl ContextColumn for KeyValues<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Cells { cells, .. } => cells.len(),
            Self::Text(column) => column.len(),
        }
    }

    fn cell<'a>(&'a self, row: usize, scratch: &'a mut String) -> Result<Cell<'a>, String> {
        match self {
            Self::Cells { cells, packed } => match cells.get(row) {
                Some(CellRef::Text(text)) => Ok(Cell::Text(text)),
                Some(CellRef::Absent) => Ok(Cell::Absent),
                Some(&CellRef::Multi(n)) => packed
                    .get(n)
                    .map(|values| Cell::Multi(MultiValues::Packed(values)))
                    .ok_or_else(|| format!("row {row} is out of range")),
                None => Err(format!("row {row} is out of range")),
            },
            Self::Text(column) => column.text(row, scratch).map(Cell::Text),
        }
    }
}

/// Why a cell cannot be read: a malformed value (error type, message), or no memory for its texts.
enum CellError {
    Bad(ErrorKind, &'static str),
    OutOfMemory,
}

/// Read one cell of a context column given as a Python sequence, `None`, a `str`, or a list or tuple of
/// `str`, and append it to `cells` (a multivalued cell's texts copied into its buffer).
#[inline(always)] // on the GIL-held path of every context cell: a call per cell cost ~5% of it
fn read_cell<'a>(item: &'a Bound<'_, PyAny>, cells: &mut SequenceCells<'a>) -> Result<(), CellError> {
    const WRONG: CellError =
        CellError::Bad(ErrorKind::WrongType, "must be a string, a list of strings or None");
    let cell = if item.is_none() {
        CellRef::Absent
    } else if let Ok(text) = item.cast::<PyString>() {
        CellRef::Text(columns::str_text(text).map_err(|(kind, m)| CellError::Bad(kind, m))?)
    } else {
        let texts = &mut cells.texts;
        let (start, first) = (texts.text.len(), texts.ends.len());
        let mut add = |element: Bound<'_, PyAny>| -> Result<(), CellError> {
            let text = element.cast::<PyString>().map_err(|_| WRONG)?;
            let text = columns::str_text(text).map_err(|(kind, message)| CellError::Bad(kind, message))?;
            let grown = texts.text.try_reserve(text.len()).and_then(|()| texts.ends.try_reserve(1));
            grown.map_err(|_| CellError::OutOfMemory)?;
            texts.text.push_str(text);
            texts.ends.push(texts.text.len());
            Ok(())
        };
        if let Ok(list) = item.cast::<PyList>() {
            for element in list.iter() {
                add(element)?;
            }
        } else if let Ok(tuple) = item.cast::<PyTuple>() {
            for element in tuple.iter() {
                add(element)?;
            }
        } else {
            return Err(WRONG);
        }
        cells.multi.push((start, first, cells.texts.ends.len()));
        CellRef::Multi(cells.multi.len() - 1)
    };
    cells.cells.push(cell);
    Ok(())
}

/// The error of a cell of `context_columns[key]` that cannot be read.
fn cell_error(py: Python<'_>, key: &str, row: usize, error: CellError) -> PyErr {
    match error {
        CellError::Bad(kind, message) => key_error(py, key, Some(row), kind, message),
        CellError::OutOfMemory => PyMemoryError::new_err("cannot allocate room for the context values"),
    }
}

/// A Python `str` key as text, or its escaped form (`a\\udc80`) and `false` when it holds a lone surrogate.
fn key_text(key: &Bound<'_, PyString>) -> PyResult<(String, bool)> {
    if let Ok(text) = key.to_str() {
        return Ok((text.to_owned(), true));
    }
    Ok((convert::escaped(key)?, false))
}

/// Hold the `context_columns` mapping: (key as given, key lowercased, its values).
fn hold_key_columns<'py>(
    py: Python<'py>,
    value: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<(String, String, Held<'py>)>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    let Ok(mapping) = value.cast::<PyMapping>() else {
        return Err(PyTypeError::new_err("`context_columns` must be a mapping of context keys to columns"));
    };
    let mut out: Vec<(String, String, Held<'py>)> = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, column): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
        let Ok(key) = key.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "`context_columns` keys must be strings, not {}",
                key.repr()?.to_string_lossy()
            )));
        };
        let (key, valid) = key_text(key)?;
        if !valid {
            let message = format!("key {LONE_SURROGATE}");
            return Err(key_error(py, &key, None, ErrorKind::InvalidValue, &message));
        }
        if key.is_empty() {
            return Err(key_error(
                py,
                &key,
                None,
                ErrorKind::InvalidValue,
                "context keys must be non-empty strings",
            ));
        }
        let lowered = iameval_core::lowercase(&key);
        if out.iter().any(|(_, other, _)| *other == lowered) {
            return Err(key_error(py, &key, None, ErrorKind::JsonDuplicateKey, "is given twice"));
        }
        let held = columns::hold(&column, "context_columns")?
            .map_err(|bad| key_error(py, &key, Some(bad.row), bad.kind, &bad.message))?;
        out.push((key, lowered, held));
    }
    Ok(out)
}

/// Read the held columns (borrowing their strings; the values of multivalued cells are copied into one
/// buffer per column).
fn key_values<'a>(py: Python<'_>, held: &'a [(String, String, Held<'_>)]) -> PyResult<Vec<ReadColumn<'a>>> {
    let mut out = Vec::with_capacity(held.len());
    for (key, _, column) in held {
        let Held::Items(items) = column else {
            out.push(ReadColumn::Text(
                column
                    .column("context_columns")?
                    .map_err(|bad| key_error(py, key, Some(bad.row), bad.kind, &bad.message))?,
            ));
            continue;
        };
        let mut cells =
            SequenceCells { cells: try_vec(items.len(), "context_columns")?, ..SequenceCells::default() };
        for (row, item) in items.iter().enumerate() {
            read_cell(item, &mut cells).map_err(|e| cell_error(py, key, row, e))?;
        }
        out.push(ReadColumn::Cells(cells));
    }
    Ok(out)
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

fn bad_row(py: Python<'_>, argument: &str, bad: BadRow) -> PyErr {
    request_error(py, argument, Some(bad.row), bad.kind, bad.message)
}

/// Hold a column's Python values (type errors raise; a null Arrow row is a `RequestError`).
fn hold<'py>(py: Python<'py>, value: &Bound<'py, PyAny>, argument: &str) -> PyResult<Held<'py>> {
    columns::hold(value, argument)?.map_err(|bad| bad_row(py, argument, bad))
}

fn column<'a>(py: Python<'_>, held: &'a Held<'_>, argument: &str) -> PyResult<Column<'a>> {
    held.column(argument)?.map_err(|bad| bad_row(py, argument, bad))
}

/// Every row's text as owned strings (for the small columns of a grid).
fn texts(py: Python<'_>, held: &Held<'_>, argument: &str) -> PyResult<Vec<String>> {
    let col = column(py, held, argument)?;
    let mut scratch = String::new();
    let mut out = Vec::with_capacity(col.len());
    for row in 0..col.len() {
        let text = col
            .text(row, &mut scratch)
            .map_err(|message| request_error(py, argument, Some(row), ErrorKind::InvalidValue, message))?;
        out.push(text.to_owned());
    }
    Ok(out)
}

/// Contexts with at most this many keys may drop the keys no statement reads (see `plain_context`).
const MAX_SKIPPING_KEYS: usize = 32;

/// A context value of the plain form, checked and not yet copied.
enum Plain<'a, 'py> {
    Single(&'a str),
    Multi(&'a Bound<'py, PyList>),
}

/// A key of a context as [`walk_plain`] gives it: the slot of a key the set reads, or any key lowercased.
#[derive(Clone, Copy)]
enum Key<'k> {
    /// A key some statement of the set reads, by its slot (the key is the set's `slot_keys[slot]`).
    Read(iameval_core::facts::Slot),
    /// Lowercased: a key no statement reads, or any key when no set was given.
    Lowered(&'k str),
}

/// Walk a context of the plain form, a `dict` whose keys are non-empty `str` and whose values are `str` or
/// lists of `str`, calling `visit(key, item, value)` for every key (a malformed value is found whether or not
/// a statement reads its key). `None` for anything else, or when `visit` gives `None`: the general path reads
/// (and reports) it exactly as `Request` does.
///
/// With `set` (at most [`MAX_SKIPPING_KEYS`] keys), the keys it reads come as their slots, found by their
/// spelling when the policies spell them so (no lowercasing: most requests do), else lowercased; and a key
/// given twice in two cases also gives `None`, however `visit` treats it. Without, every key comes lowercased.
fn walk_plain<'py>(
    dict: &Bound<'py, PyDict>,
    set: Option<&iameval_core::PolicySet>,
    mut visit: impl FnMut(Key<'_>, &Bound<'py, PyAny>, Plain<'_, 'py>) -> Option<()>,
) -> Option<()> {
    // the keys met: a read key's slot (tagged) or another key's hash; a collision only sends the context
    // to the general path
    let mut seen = [0_u64; MAX_SKIPPING_KEYS];
    let mut n_seen = 0;
    let mut lowered = String::new();
    for (key, item) in dict.iter() {
        let key = key.cast::<PyString>().ok()?.to_str().ok()?;
        if key.is_empty() {
            return None;
        }
        let value = if let Ok(text) = item.cast::<PyString>() {
            Plain::Single(text.to_str().ok()?)
        } else if let Ok(list) = item.cast::<PyList>() {
            for element in list.iter() {
                element.cast::<PyString>().ok()?.to_str().ok()?;
            }
            Plain::Multi(list)
        } else {
            return None;
        };
        let Some(set) = set else {
            iameval_core::lowercase_into(key, &mut lowered);
            visit(Key::Lowered(&lowered), &item, value)?;
            continue;
        };
        let found = match set.slot_of_spelling(key) {
            Some(slot) => Key::Read(slot),
            None => {
                iameval_core::lowercase_into(key, &mut lowered);
                set.layout().1.get(lowered.as_str()).map_or(Key::Lowered(&lowered), |&slot| Key::Read(slot))
            }
        };
        let mark = match found {
            Key::Read(slot) => u64::from(slot) | (1 << 63),
            Key::Lowered(lowered) => FxBuildHasher.hash_one(lowered),
        };
        if seen.get(..n_seen).is_some_and(|s| s.contains(&mark)) {
            return None;
        }
        *seen.get_mut(n_seen)? = mark; // (at most MAX_SKIPPING_KEYS keys: the callers check)
        n_seen += 1;
        visit(found, &item, value)?;
    }
    Some(())
}

/// The texts of a list of `str` (checked by [`walk_plain`]), copied.
fn list_texts(list: &Bound<'_, PyList>) -> Option<Vec<String>> {
    let mut texts = Vec::with_capacity(list.len());
    for element in list.iter() {
        texts.push(element.cast::<PyString>().ok()?.to_str().ok()?.to_owned());
    }
    Some(texts)
}

/// The common case read directly: a context of the plain form ([`walk_plain`]); with `keep` (and at most
/// [`MAX_SKIPPING_KEYS`] keys), the keys no statement of that set reads are dropped. `None` for anything
/// else, which the general path reads (and reports) exactly as `Request` does.
pub fn plain_context(value: &Bound<'_, PyAny>, keep: Option<&iameval_core::PolicySet>) -> Option<Context> {
    let dict = value.cast::<PyDict>().ok()?;
    let keep = keep.filter(|_| dict.len() <= MAX_SKIPPING_KEYS);
    let mut out = Context::default();
    out.reserve(dict.len());
    let slot_keys = keep.map_or(&[][..], |set| set.layout().0);
    walk_plain(dict, keep, |key, _, value| {
        let lowered = match key {
            Key::Read(slot) => slot_keys.get(usize::try_from(slot).ok()?)?,
            Key::Lowered(_) if keep.is_some() => return Some(()), // no statement reads it: no answer changes
            Key::Lowered(lowered) => lowered,
        };
        let converted = match value {
            Plain::Single(text) => ContextValue::Single(text.to_owned()),
            Plain::Multi(list) => ContextValue::Multi(list_texts(list)?),
        };
        // a key given twice: the general path reports it
        out.insert(lowered.to_owned(), converted).is_none().then_some(())
    })?;
    Some(out)
}

/// A value of a context laid out by [`slot_context`]: a `str` (held, its text borrowed later) or a
/// multivalued key's texts.
pub enum SlotValue<'py> {
    Single(Bound<'py, PyAny>),
    Multi(Vec<String>),
}

/// The values of a context of the plain form ([`walk_plain`]) that `set` reads, each with its key's slot
/// in the set's compiled request layout; single values held, not copied. `None` for anything
/// `plain_context` would not read, for more than [`MAX_SKIPPING_KEYS`] keys and for lists of more than
/// `LARGE_REQUEST` values in all: the general path reads those.
pub fn slot_context<'py>(
    value: &Bound<'py, PyAny>,
    set: &iameval_core::PolicySet,
) -> Option<Vec<(usize, SlotValue<'py>)>> {
    let dict = value.cast::<PyDict>().ok()?;
    if dict.len() > MAX_SKIPPING_KEYS {
        return None;
    }
    let mut listed = 0_usize;
    let mut out = Vec::with_capacity(dict.len());
    walk_plain(dict, Some(set), |key, item, value| {
        if let Plain::Multi(list) = &value {
            listed = listed.saturating_add(list.len());
            if listed > LARGE_REQUEST {
                return None;
            }
        }
        // keys no statement reads cannot change the answer
        if let Key::Read(slot) = key {
            let value = match value {
                Plain::Single(_) => SlotValue::Single(item.clone()),
                Plain::Multi(list) => SlotValue::Multi(list_texts(list)?),
            };
            out.push((usize::try_from(slot).ok()?, value));
        }
        Some(())
    })?;
    Some(out)
}

/// Read one context (a mapping or `None`) as the core reads a request's; errors point at `/<argument>[/row]/key`.
fn read_context(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    argument: &str,
    row: Option<usize>,
    keep: Option<&iameval_core::PolicySet>,
) -> PyResult<Arc<Context>> {
    if let Some(context) = plain_context(value, keep) {
        return Ok(Arc::new(context));
    }
    let json = convert::context(value)?;
    json.and_then(|json| read_context_json(&json)).map(Arc::new).map_err(|entries| {
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

/// Per-row context dicts held for the compiled request layout (issue 12): the values of the keys `set`
/// reads, each with its key's slot, row by row (not copied into a context map per row).
struct DictContexts<'py> {
    /// (slot, value) of the keys the set reads, every row's one after another.
    entries: Vec<(u32, Bound<'py, PyAny>)>,
    /// Per row, its range in `entries` (a dict object given again shares its first row's).
    ranges: Vec<(u32, u32)>,
    /// The slots some row gives a value, in slot order.
    slots: Vec<u32>,
}

/// `contexts` given as a list or tuple of `rows` dicts (or `None`) of the plain form ([`walk_plain`], at
/// most [`MAX_SKIPPING_KEYS`] keys each) held as [`DictContexts`]; `None` for anything else, which
/// [`read_contexts`] reads and reports.
fn hold_dict_contexts<'py>(
    value: Option<&Bound<'py, PyAny>>,
    rows: usize,
    set: &iameval_core::PolicySet,
) -> PyResult<Option<DictContexts<'py>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    let items = match (value.cast::<PyList>(), value.cast::<PyTuple>()) {
        (Ok(list), _) if list.len() == rows => list.iter(),
        (_, Ok(tuple)) if tuple.len() == rows => tuple.to_list().iter(),
        _ => return Ok(None),
    };
    let mut held =
        DictContexts { entries: Vec::new(), ranges: try_vec(rows, "contexts")?, slots: Vec::new() };
    let mut present = vec![false; set.layout().0.len()];
    let mut seen: HashMap<usize, (u32, u32)> = HashMap::new();
    for item in items {
        if item.is_none() {
            held.ranges.push((0, 0));
            continue;
        }
        let at = item.as_ptr() as usize;
        if let Some(&range) = seen.get(&at) {
            held.ranges.push(range); // the same dict object again
            continue;
        }
        let Ok(dict) = item.cast::<PyDict>() else { return Ok(None) };
        if dict.len() > MAX_SKIPPING_KEYS {
            return Ok(None);
        }
        let start = held.entries.len();
        let mut room = true;
        let walked = walk_plain(dict, Some(set), |key, value, _| {
            // keys no statement reads cannot change the answer
            if let Key::Read(slot) = key {
                if held.entries.try_reserve(1).is_err() {
                    room = false;
                    return None;
                }
                *present.get_mut(usize::try_from(slot).ok()?)? = true;
                held.entries.push((slot, value.clone()));
            }
            Some(())
        });
        if !room {
            return Err(PyMemoryError::new_err("cannot allocate room for the context values"));
        }
        let (Some(()), Ok(start), Ok(end)) =
            (walked, u32::try_from(start), u32::try_from(held.entries.len()))
        else {
            return Ok(None);
        };
        seen.insert(at, (start, end));
        held.ranges.push((start, end));
    }
    held.slots = (0..present.len())
        .filter(|&slot| present.get(slot).copied().unwrap_or(false))
        .filter_map(|slot| u32::try_from(slot).ok())
        .collect();
    Ok(Some(held))
}

impl DictContexts<'_> {
    /// The held values as one column per slot in `slots` (with the slot's key), as `context_columns` are
    /// read.
    fn columns<'s>(
        &'s self,
        py: Python<'_>,
        slot_keys: &'s [String],
    ) -> PyResult<Vec<(&'s str, ReadColumn<'s>)>> {
        let mut out = Vec::with_capacity(self.slots.len());
        for &slot in &self.slots {
            let key = slot_keys.get(usize::try_from(slot).unwrap_or(usize::MAX)).map_or("", String::as_str);
            let mut cells =
                SequenceCells { cells: try_vec(self.ranges.len(), "contexts")?, ..SequenceCells::default() };
            for (row, &(start, end)) in self.ranges.iter().enumerate() {
                let given = usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .and_then(|(start, end)| self.entries.get(start..end))
                    .and_then(|entries| entries.iter().find(|(s, _)| *s == slot));
                match given {
                    Some((_, value)) => {
                        read_cell(value, &mut cells).map_err(|e| cell_error(py, key, row, e))?
                    }
                    None => cells.cells.push(CellRef::Absent),
                }
            }
            out.push((key, ReadColumn::Cells(cells)));
        }
        Ok(out)
    }
}

/// `keep`: the policy set whose unread context keys may be dropped (see `uses_context_key`).
fn read_contexts(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    rows: usize,
    argument: &str,
    keep: Option<&iameval_core::PolicySet>,
) -> PyResult<Contexts> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Contexts::One(Arc::new(Context::default())));
    };
    if value.cast::<PyMapping>().is_ok() {
        return Ok(Contexts::One(read_context(py, value, argument, None, keep)?));
    }
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "`{argument}` must be None, a mapping or a sequence of mappings, not a string"
        )));
    }
    let items: Vec<Bound<'_, PyAny>> = match value.try_iter() {
        Ok(iter) => columns::collect_items(iter, argument)?,
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
                let read = read_context(py, item, argument, Some(row), keep)?;
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

/// The `threads` argument: `None` (every core) or a number of threads from 1 to
/// [`batch::max_threads`]. Also makes sure the worker pools are fork-safe (see [`fork_hooks`]).
///
/// # Errors
/// `ValueError` for an integer out of range (however large), `TypeError` for a non-integer.
pub fn thread_arg(py: Python<'_>, threads: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    fork_hooks(py)?;
    let Some(value) = threads.filter(|t| !t.is_none()) else {
        return Ok(None);
    };
    if !value.is_instance_of::<PyInt>() {
        let type_name = value.get_type().name()?.to_string();
        return Err(PyTypeError::new_err(format!("`threads` must be None or an integer, not {type_name}")));
    }
    let bound = batch::max_threads();
    match value.extract::<u64>().ok().and_then(|n| usize::try_from(n).ok()) {
        Some(n) if (1..=bound).contains(&n) => Ok(Some(n)),
        _ => Err(PyValueError::new_err(format!(
            "`threads` must be None or an integer from 1 to {bound} ({} per core), not {}",
            batch::THREADS_PER_CORE,
            value.repr()?.to_string_lossy()
        ))),
    }
}

static FORK_HOOKS: PyOnceLock<()> = PyOnceLock::new();

/// Register the worker pools' fork hooks with `os.register_at_fork` (once): no `os.fork()` happens while
/// another thread holds the pool registry's lock, and the child forgets its parent's pools.
pub fn fork_hooks(py: Python<'_>) -> PyResult<()> {
    FORK_HOOKS.get_or_try_init(py, || -> PyResult<()> {
        let hook = |f: fn()| {
            PyCFunction::new_closure(py, None, None, move |_args, _kwargs| -> PyResult<()> {
                f();
                Ok(())
            })
        };
        let kwargs = PyDict::new(py);
        let before = PyCFunction::new_closure(py, None, None, |args, _kwargs| -> PyResult<()> {
            prime_for_fork(args.py());
            batch::before_fork();
            Ok(())
        })?;
        kwargs.set_item("before", before)?;
        kwargs.set_item("after_in_parent", hook(batch::after_fork_in_parent)?)?;
        kwargs.set_item("after_in_child", hook(batch::after_fork_in_child)?)?;
        py.import("os")?.call_method("register_at_fork", (), Some(&kwargs))?;
        Ok(())
    })?;
    Ok(())
}

/// Before `os.fork()`: finish every lazy lookup that the batch and evaluate paths make (numpy, the
/// `Decision` members, the result and error classes). A lookup that another thread is in the middle of when
/// the process is copied would stay "in progress" in the child for good, and its first call would wait on
/// it forever; run here, in the forking thread, the lookup waits for the other thread to finish instead.
fn prime_for_fork(py: Python<'_>) {
    let _ = numpy_frombuffer(py);
    crate::policy_set::prime(py);
    crate::errors::prime(py);
}

/// The output: a numpy `uint8` array of `shape` (a `bytearray` without numpy), or a list of `Decision`s.
fn output<'py>(py: Python<'py>, codes: &[u8], shape: &[usize], as_list: bool) -> PyResult<Bound<'py, PyAny>> {
    if as_list {
        // indexed by code (batch::decision_code)
        let members = [
            decision_member(py, Decision::ImplicitDeny)?,
            decision_member(py, Decision::Allow)?,
            decision_member(py, Decision::ExplicitDeny)?,
        ];
        let list = PyList::empty(py);
        for (i, &code) in codes.iter().enumerate() {
            if i % WATCHED == 0 {
                py.check_signals()?;
            }
            let member = members.get(usize::from(code)).unwrap_or(&members[0]);
            list.append(member)?;
        }
        return Ok(list.into_any());
    }
    let bytes = PyByteArray::new_with(py, codes.len(), |buffer| {
        buffer.copy_from_slice(codes);
        Ok(())
    })?;
    match numpy_frombuffer(py) {
        Some(frombuffer) => {
            let array = frombuffer.bind(py).call1((bytes, "uint8"))?;
            if shape.len() > 1 { array.call_method1("reshape", (shape.to_vec(),)) } else { Ok(array) }
        }
        None => Ok(bytes.into_any()),
    }
}

static NUMPY_FROMBUFFER: PyOnceLock<Option<Py<PyAny>>> = PyOnceLock::new();

/// `numpy.frombuffer`, looked up once (`None` without numpy). Not importing on every call matters beyond
/// speed: an import takes the module's import lock, and a `fork()` while another thread holds it leaves the
/// child's first batch call waiting for good (tests/test_robustness.py).
fn numpy_frombuffer(py: Python<'_>) -> Option<&Py<PyAny>> {
    NUMPY_FROMBUFFER
        .get_or_init(py, || py.import("numpy").and_then(|m| m.getattr("frombuffer")).map(Bound::unbind).ok())
        .as_ref()
}

/// An accounts argument (`principal_accounts`, `resource_accounts`) as given.
enum HeldAccounts<'py> {
    /// `None`: every account defaults from the ARNs (R1).
    Default,
    /// One account for every row.
    One(String),
    /// A column of `str` or `None`.
    Column(Held<'py>),
}

const ACCOUNT_CELL: &str = "must be a non-empty string or None";

/// Hold an accounts argument: `None`, one `str`, or a column.
fn hold_accounts<'py>(
    py: Python<'py>,
    value: Option<&Bound<'py, PyAny>>,
    argument: &str,
) -> PyResult<HeldAccounts<'py>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(HeldAccounts::Default);
    };
    if let Ok(text) = value.cast::<PyString>() {
        let text = columns::str_text(text)
            .map_err(|(kind, m)| request_error(py, argument, None, kind, m.to_owned()))?;
        if text.is_empty() {
            return Err(request_error(py, argument, None, ErrorKind::InvalidValue, ACCOUNT_CELL.to_owned()));
        }
        return Ok(HeldAccounts::One(text.to_owned()));
    }
    Ok(HeldAccounts::Column(hold(py, value, argument)?))
}

/// Read an accounts column: per row an account, or `None` for the default.
fn account_values<'a>(py: Python<'_>, held: &'a Held<'_>, argument: &str) -> PyResult<ReadColumn<'a>> {
    let Held::Items(items) = held else {
        return Ok(ReadColumn::Text(column(py, held, argument)?));
    };
    let mut texts = try_vec(items.len(), argument)?;
    for (row, item) in items.iter().enumerate() {
        if item.is_none() {
            texts.push(CellRef::Absent);
            continue;
        }
        let Ok(text) = item.cast::<PyString>() else {
            let type_name = item.get_type().name()?.to_string();
            let message = format!("must be a string or None, not {type_name}");
            return Err(request_error(py, argument, Some(row), ErrorKind::WrongType, message));
        };
        let text = columns::str_text(text)
            .map_err(|(kind, m)| request_error(py, argument, Some(row), kind, m.to_owned()))?;
        if text.is_empty() {
            return Err(request_error(
                py,
                argument,
                Some(row),
                ErrorKind::InvalidValue,
                ACCOUNT_CELL.to_owned(),
            ));
        }
        texts.push(CellRef::Text(text));
    }
    Ok(ReadColumn::Cells(SequenceCells { cells: texts, ..SequenceCells::default() }))
}

/// An accounts argument of a grid as one account (or `None`) per item of a dimension of `n` items
/// (`dimension`: `principals` or `resources`); `None` when not given.
fn grid_accounts(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    argument: &str,
    dimension: &str,
    n: usize,
) -> PyResult<Option<Vec<Option<String>>>> {
    match hold_accounts(py, value, argument)? {
        HeldAccounts::Default => Ok(None),
        HeldAccounts::One(account) => Ok(Some(vec![Some(account); n])),
        HeldAccounts::Column(held) => {
            if held.len() != n {
                let message = format!("has {} rows where `{dimension}` has {n}", held.len());
                return Err(request_error(py, argument, None, ErrorKind::InvalidValue, message));
            }
            let read = account_values(py, &held, argument)?;
            let values = KeyValues::of(&read);
            let mut scratch = String::new();
            let mut out = try_vec(n, argument)?;
            for row in 0..n {
                let cell = values
                    .cell(row, &mut scratch)
                    .map_err(|m| request_error(py, argument, Some(row), ErrorKind::InvalidValue, m))?;
                out.push(match cell {
                    Cell::Text("") => {
                        let message = ACCOUNT_CELL.to_owned();
                        return Err(request_error(py, argument, Some(row), ErrorKind::InvalidValue, message));
                    }
                    Cell::Text(text) => Some(text.to_owned()),
                    Cell::Absent | Cell::Multi(_) => None,
                });
            }
            Ok(Some(out))
        }
    }
}

/// The row arguments of `PolicySet.decide_many`.
#[derive(Clone, Copy)]
pub struct RowArgs<'a, 'py> {
    pub actions: &'a Bound<'py, PyAny>,
    pub resources: &'a Bound<'py, PyAny>,
    pub principal: Option<&'a Bound<'py, PyAny>>,
    pub principals: Option<&'a Bound<'py, PyAny>>,
    pub contexts: Option<&'a Bound<'py, PyAny>>,
    pub context_columns: Option<&'a Bound<'py, PyAny>>,
    pub principal_accounts: Option<&'a Bound<'py, PyAny>>,
    pub resource_accounts: Option<&'a Bound<'py, PyAny>>,
}

/// `PolicySet.decide_many` (see there): a call of many rows is read and decided segment by segment
/// ([`crate::segments`]), any other at once.
pub fn decide_many<'py>(
    set: &PolicySet,
    py: Python<'py>,
    args: RowArgs<'_, 'py>,
    threads: Option<&Bound<'py, PyAny>>,
    as_list: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let threads = thread_arg(py, threads)?;
    let codes = match crate::segments::decide(set, py, args, batch::thread_count(threads))? {
        Some(codes) => codes,
        // not segmented, or a segment failed: the whole call again, which reports the error a call at once
        // reports
        None => decide_codes(set, py, args, threads, None)?,
    };
    output(py, &codes, &[codes.len()], as_list)
}

/// The decision codes of a `decide_many` call, its rows read at once (with the GIL held), then decided on
/// `threads` threads (`None`: every core) with the GIL released. With `cancel`, the flag of the call this
/// is a part of (which watches for signals); without, a long call watches for them itself.
pub fn decide_codes<'py>(
    set: &PolicySet,
    py: Python<'py>,
    args: RowArgs<'_, 'py>,
    threads: Option<usize>,
    cancel: Option<&AtomicBool>,
) -> PyResult<Vec<u8>> {
    let RowArgs {
        actions,
        resources,
        principal,
        principals,
        contexts,
        context_columns,
        principal_accounts,
        resource_accounts,
    } = args;
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
            let Ok(text) = one.cast::<PyString>() else {
                let message = "must be a string".to_owned();
                return Err(request_error(py, "principal", None, ErrorKind::WrongType, message));
            };
            let text = columns::str_text(text)
                .map_err(|(kind, m)| request_error(py, "principal", None, kind, m.to_owned()))?;
            (vec![caller(py, text, "principal", None)?], Vec::new())
        }
        (None, Some(column_value)) => {
            let held = hold(py, column_value, "principals")?;
            if held.len() != rows {
                return Err(length_error(py, "principals", held.len(), rows));
            }
            let col = column(py, &held, "principals")?;
            let mut index: HashMap<String, u32> = HashMap::new();
            let mut callers = Vec::new();
            let mut per_row = try_vec(rows, "principals")?;
            let mut scratch = String::new();
            for row in 0..rows {
                let text = col
                    .text(row, &mut scratch)
                    .map_err(|m| request_error(py, "principals", Some(row), ErrorKind::InvalidValue, m))?;
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
    // per-row dicts of the plain form are read as context columns (no context map per row), unless
    // `context_columns` are given too
    let dicts = match context_columns.filter(|c| !c.is_none()) {
        None => hold_dict_contexts(contexts, rows, &set.inner)?,
        Some(_) => None,
    };
    let contexts = match dicts {
        Some(_) => Contexts::One(Arc::new(Context::default())),
        None => read_contexts(py, contexts, rows, "contexts", Some(&set.inner))?,
    };
    let held_columns = hold_key_columns(py, context_columns)?;
    if let Some((key, _, held)) = held_columns.iter().find(|(_, _, held)| held.len() != rows) {
        let message = format!("has {} rows where `actions` has {rows}", held.len());
        return Err(key_error(py, key, None, ErrorKind::InvalidValue, &message));
    }
    // keys no statement reads cannot change a decision: their columns are not read (after the checks above)
    let (used, unused): (Vec<_>, Vec<_>) =
        held_columns.into_iter().partition(|(_, lowered, _)| set.inner.uses_context_key(lowered));
    for (key, _, held) in &unused {
        // still checked: a malformed value is an error wherever it is
        if let Held::Items(items) = held {
            let mut scratch = SequenceCells::default();
            for (row, item) in items.iter().enumerate() {
                read_cell(item, &mut scratch).map_err(|e| cell_error(py, key, row, e))?;
                scratch.clear(); // checked, not kept
            }
        }
    }
    let read: Vec<(&str, ReadColumn<'_>)> = match &dicts {
        Some(dicts) => dicts.columns(py, set.inner.layout().0)?,
        None => used.iter().map(|(_, lowered, _)| lowered.as_str()).zip(key_values(py, &used)?).collect(),
    };
    let values: Vec<KeyValues<'_>> = read.iter().map(|(_, read)| KeyValues::of(read)).collect();
    let key_columns: Vec<KeyColumn<'_>> =
        read.iter().zip(&values).map(|((key, _), column)| KeyColumn { key, column }).collect();
    let held_principal_accounts = hold_accounts(py, principal_accounts, "principal_accounts")?;
    let held_resource_accounts = hold_accounts(py, resource_accounts, "resource_accounts")?;
    let mut account_columns = Vec::with_capacity(2);
    for (held, argument) in
        [(&held_principal_accounts, "principal_accounts"), (&held_resource_accounts, "resource_accounts")]
    {
        if let HeldAccounts::Column(held) = held {
            if held.len() != rows {
                return Err(length_error(py, argument, held.len(), rows));
            }
            account_columns.push(Some(account_values(py, held, argument)?));
        } else {
            account_columns.push(None);
        }
    }
    let account_columns: Vec<Option<KeyValues<'_>>> =
        account_columns.iter().map(|read| read.as_ref().map(KeyValues::of)).collect();
    fn account_rows<'a>(held: &'a HeldAccounts<'_>, values: Option<&'a KeyValues<'a>>) -> AccountRows<'a> {
        match (held, values) {
            (HeldAccounts::One(account), _) => AccountRows::One(account),
            (HeldAccounts::Column(_), Some(values)) => AccountRows::PerRow(values),
            _ => AccountRows::Default,
        }
    }
    let caller_arg = match callers.as_slice() {
        [one] if caller_rows.is_empty() => CallerRows::One(one),
        all => CallerRows::PerRow { callers: all, rows: &caller_rows },
    };
    let input = Rows {
        callers: caller_arg,
        actions: &action_col,
        resources: &resource_col,
        contexts: contexts.rows(),
        columns: &key_columns,
        principal_accounts: account_rows(
            &held_principal_accounts,
            account_columns.first().and_then(Option::as_ref),
        ),
        resource_accounts: account_rows(
            &held_resource_accounts,
            account_columns.get(1).and_then(Option::as_ref),
        ),
    };
    let inner = &set.inner;
    let decided = match cancel {
        Some(cancel) => py.detach(|| inner.decide_batch(&input, Run { threads, cancel: Some(cancel) })),
        None => detach_watched(py, rows, |cancel| inner.decide_batch(&input, Run { threads, cancel }))?,
    };
    decided.map_err(|e| batch_error(py, &e))
}

/// Decisions for every (principal, action, resource) of a grid: principal `i` (with `policy_sets[i]`, its
/// context and account) × `actions` × `resources` (each with its account). A numpy `uint8` array of shape
/// (P, A, R), a flat `bytearray` in that order without numpy, or a flat list of `Decision` with
/// `as_list=True`.
#[pyfunction]
#[pyo3(signature = (policy_sets, principals, actions, resources, *, contexts=None, principal_accounts=None, resource_accounts=None, threads=None, as_list=false))]
#[expect(clippy::too_many_arguments, reason = "the Python signature")]
pub fn evaluate_grid<'py>(
    py: Python<'py>,
    policy_sets: &Bound<'py, PyAny>,
    principals: &Bound<'py, PyAny>,
    actions: &Bound<'py, PyAny>,
    resources: &Bound<'py, PyAny>,
    contexts: Option<&Bound<'py, PyAny>>,
    principal_accounts: Option<&Bound<'py, PyAny>>,
    resource_accounts: Option<&Bound<'py, PyAny>>,
    threads: Option<&Bound<'py, PyAny>>,
    as_list: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let threads = thread_arg(py, threads)?;
    let sets: Vec<Bound<'py, PyAny>> = columns::collect_items(policy_sets.try_iter()?, "policy_sets")?;
    let (held_principals, held_actions, held_resources) = (
        hold(py, principals, "principals")?,
        hold(py, actions, "actions")?,
        hold(py, resources, "resources")?,
    );
    // the output's size first: nothing is read or built for a grid that cannot be allocated
    batch::output_len(&[held_principals.len(), held_actions.len(), held_resources.len()])
        .map_err(|e| batch_error(py, &e))?;
    let principal_texts = texts(py, &held_principals, "principals")?;
    if principal_texts.len() != sets.len() {
        return Err(request_error(
            py,
            "principals",
            None,
            ErrorKind::InvalidValue,
            format!("has {} rows where `policy_sets` has {}", principal_texts.len(), sets.len()),
        ));
    }
    let action_texts = texts(py, &held_actions, "actions")?;
    let resource_texts = texts(py, &held_resources, "resources")?;
    let contexts = read_contexts(py, contexts, sets.len(), "contexts", None)?;
    let p_accounts = grid_accounts(py, principal_accounts, "principal_accounts", "principals", sets.len())?;
    let r_accounts =
        grid_accounts(py, resource_accounts, "resource_accounts", "resources", resource_texts.len())?;
    let mut rows = Vec::with_capacity(sets.len());
    for (i, (set, text)) in sets.iter().zip(&principal_texts).enumerate() {
        let Ok(set) = set.cast::<PolicySet>() else {
            return Err(PyTypeError::new_err(format!("`policy_sets[{i}]` is not an iameval.PolicySet")));
        };
        rows.push(GridRow {
            policy_set: set.get().inner.clone(),
            caller: caller(py, text, "principals", Some(i))?,
            account: p_accounts.as_ref().and_then(|all| all.get(i).cloned().flatten()),
            context: contexts.get(i),
        });
    }
    let action_refs: Vec<&str> = action_texts.iter().map(String::as_str).collect();
    let resource_refs: Vec<&str> = resource_texts.iter().map(String::as_str).collect();
    let account_refs: Option<Vec<Option<&str>>> =
        r_accounts.as_ref().map(|all| all.iter().map(Option::as_deref).collect());
    let cells = rows.len().saturating_mul(action_refs.len()).saturating_mul(resource_refs.len());
    let codes = detach_watched(py, cells, |cancel| {
        batch::decide_grid(
            &rows,
            &action_refs,
            &resource_refs,
            account_refs.as_deref(),
            Run { threads, cancel },
        )
    })?
    .map_err(|e| batch_error(py, &e))?;
    output(py, &codes, &[rows.len(), action_refs.len(), resource_refs.len()], as_list)
}
