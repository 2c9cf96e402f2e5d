//! Columns of text for the batch API, read with the GIL held into something the core reads without it:
//! a Python sequence of `str` (borrowed UTF-8, no copy), a numpy array of dtype `U` (its UCS-4 buffer,
//! copied) or `O` (through `tolist()`), a pyarrow string / large_string array or chunked array (offsets and
//! data buffers, copied).

use iameval_core::ErrorKind;
use iameval_core::batch::TextColumn;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyMemoryError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyList, PyString, PyTuple};

/// A bad row found while reading a column: which row, the error type, why.
#[derive(Debug)]
pub struct BadRow {
    /// The row.
    pub row: usize,
    /// `wrong_type` (not a string, null) or `invalid_value` (a lone surrogate).
    pub kind: ErrorKind,
    /// Why.
    pub message: String,
}

impl BadRow {
    fn wrong_type(row: usize, message: String) -> Self {
        Self { row, kind: ErrorKind::WrongType, message }
    }
}

/// The message for a text that is not Unicode.
pub const LONE_SURROGATE: &str = "is not valid text (lone surrogate)";

/// The text of a Python `str`, or why it has none (a lone surrogate: `invalid_value`).
pub fn str_text<'a>(text: &'a Bound<'_, PyString>) -> Result<&'a str, (ErrorKind, &'static str)> {
    text.to_str().map_err(|_| (ErrorKind::InvalidValue, LONE_SURROGATE))
}

/// An empty vector with room for `len` items, or `MemoryError` naming the size and `what` it was for.
///
/// # Errors
/// `MemoryError` when the allocation fails.
pub fn try_vec<T>(len: usize, what: &str) -> PyResult<Vec<T>> {
    let mut out = Vec::new();
    try_grow(&mut out, len, what)?;
    Ok(out)
}

/// Room for `more` items in `out`, or `MemoryError` naming the size (for `out`'s items and `more`) and
/// `what` it was for.
fn try_grow<T>(out: &mut Vec<T>, more: usize, what: &str) -> PyResult<()> {
    let rows = out.len().saturating_add(more);
    let failed = || {
        PyMemoryError::new_err(format!(
            "cannot allocate {} bytes for `{what}` ({rows} rows)",
            rows.saturating_mul(size_of::<T>())
        ))
    };
    out.try_reserve_exact(more).map_err(|_| failed())?;
    // a large buffer must leave room for the small allocations that follow (which cannot fail gracefully)
    if more.saturating_mul(size_of::<T>()) >= iameval_core::batch::HEADROOM / 16
        && !iameval_core::batch::has_headroom()
    {
        return Err(failed());
    }
    Ok(())
}

/// The items of an iterator, kept alive (allocated fallibly: a long iterator raises `MemoryError` naming
/// `what`, never aborts).
///
/// # Errors
/// `MemoryError`; the iterator's own exception.
pub fn collect_items<'py>(iter: Bound<'py, PyIterator>, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut items: Vec<Bound<'py, PyAny>> = Vec::new();
    for item in iter {
        if items.len() == items.capacity() {
            let more = items.len().max(64); // doubling, as a push would
            try_grow(&mut items, more, what)?;
        }
        items.push(item?);
    }
    Ok(items)
}

/// The items of a list or tuple, kept alive (allocated fallibly).
fn items_of<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if let Ok(list) = value.cast::<PyList>() {
        let mut items = try_vec(list.len(), what)?;
        items.extend(list.iter());
        return Ok(Some(items));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        let mut items = try_vec(tuple.len(), what)?;
        items.extend(tuple.iter());
        return Ok(Some(items));
    }
    Ok(None)
}

/// The Python objects of a column, kept alive while their text is borrowed.
pub enum Held<'py> {
    /// The items of a sequence (each should be a `str`).
    Items(Vec<Bound<'py, PyAny>>),
    /// A numpy `U` array: UCS-4 code units, `width` per row.
    Ucs4 { units: Vec<u32>, width: usize },
    /// Arrow string arrays: per chunk, offsets (already shifted by the array offset) and data.
    Arrow(Vec<ArrowChunk>),
}

/// One Arrow string array.
pub struct ArrowChunk {
    offsets: Vec<i64>,
    data: Vec<u8>,
}

/// A column ready for the core.
pub enum Column<'a> {
    /// Borrowed UTF-8 of Python strings.
    Strs(Vec<&'a str>),
    /// UCS-4 code units, `width` per row (trailing NULs are padding).
    Ucs4 { units: &'a [u32], width: usize },
    /// Arrow chunks; `starts[i]` is the first row of chunk `i`.
    Arrow { chunks: &'a [ArrowChunk], starts: Vec<usize> },
}

fn module_of(value: &Bound<'_, PyAny>) -> String {
    value.get_type().getattr("__module__").and_then(|m| m.extract::<String>()).unwrap_or_default()
}

fn bytes_of(buffer: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if buffer.is_none() {
        return Ok(Vec::new());
    }
    let bytes = buffer.call_method0("to_pybytes")?;
    let bytes = bytes.cast::<PyBytes>()?.as_bytes();
    let mut out = try_vec(bytes.len(), what)?;
    out.extend_from_slice(bytes);
    Ok(out)
}

/// The qualified name of a value's type (`pyarrow.lib.Table`).
fn type_name(value: &Bound<'_, PyAny>) -> String {
    let kind = value.get_type();
    let name = kind.qualname().map(|n| n.to_string()).unwrap_or_default();
    match module_of(value).as_str() {
        "" | "builtins" => name,
        module => format!("{module}.{name}"),
    }
}

/// What a column may be, for `TypeError` messages.
const COLUMN_TYPES: &str = "a sequence of str (list, tuple, ...), a one-dimensional numpy array of dtype U or object, \
                            or a pyarrow string / large_string Array or ChunkedArray";

fn arrow_chunk(
    array: &Bound<'_, PyAny>,
    what: &str,
    first_row: usize,
) -> PyResult<Result<ArrowChunk, BadRow>> {
    let type_name = array.getattr("type")?.str()?.to_string_lossy().into_owned();
    let wide = match type_name.as_str() {
        "string" | "utf8" => false,
        "large_string" | "large_utf8" => true,
        other => {
            return Err(PyTypeError::new_err(format!(
                "`{what}`: an Arrow array of type {other}, not strings"
            )));
        }
    };
    let null_count: usize = array.getattr("null_count")?.extract()?;
    if null_count > 0 {
        let nulls = array.call_method0("is_null")?.call_method0("to_pylist")?;
        let first_null = nulls.try_iter()?.position(|v| v.is_ok_and(|v| v.is_truthy().unwrap_or(false)));
        let row = first_row + first_null.unwrap_or(0);
        return Ok(Err(BadRow::wrong_type(row, "is null, not a string".to_owned())));
    }
    let len: usize = array.len()?;
    let offset: usize = array.getattr("offset")?.extract()?;
    let buffers = array.call_method0("buffers")?;
    let offsets_raw = bytes_of(&buffers.get_item(1)?, what)?;
    let data = bytes_of(&buffers.get_item(2)?, what)?;
    let size = if wide { 8 } else { 4 };
    let mut offsets = try_vec(len.saturating_add(1), what)?;
    for i in offset..=offset + len {
        let bytes = offsets_raw.get(i * size..(i + 1) * size).unwrap_or_default();
        let value = if wide {
            <[u8; 8]>::try_from(bytes).map(i64::from_le_bytes).unwrap_or(-1)
        } else {
            <[u8; 4]>::try_from(bytes).map(|b| i64::from(i32::from_le_bytes(b))).unwrap_or(-1)
        };
        offsets.push(value);
    }
    Ok(Ok(ArrowChunk { offsets, data }))
}

/// Hold the values of a column given as `value` (the argument `what`).
///
/// # Errors
/// `TypeError` when `value` is not a column (a `str`, a mapping, an Arrow array of another type, ...);
/// `Ok(Err(row))` for a null in an Arrow array.
pub fn hold<'py>(value: &Bound<'py, PyAny>, what: &str) -> PyResult<Result<Held<'py>, BadRow>> {
    if value.is_instance_of::<PyString>() || value.is_none() {
        return Err(PyTypeError::new_err(format!(
            "`{what}` must be a sequence of strings, not a single value"
        )));
    }
    if let Some(items) = items_of(value, what)? {
        return Ok(Ok(Held::Items(items)));
    }
    let module = module_of(value);
    if module.starts_with("pyarrow") {
        // only arrays and chunked arrays are columns (not a Table, RecordBatch, Scalar, ...)
        let pyarrow = value.py().import("pyarrow")?;
        let is_column = value.is_instance(&pyarrow.getattr("Array")?)?
            || value.is_instance(&pyarrow.getattr("ChunkedArray")?)?;
        if !is_column {
            return Err(PyTypeError::new_err(format!(
                "`{what}` must be {COLUMN_TYPES}, not {}",
                type_name(value)
            )));
        }
        let chunks: Vec<Bound<'py, PyAny>> = if value.hasattr("chunks")? {
            value.getattr("chunks")?.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![value.clone()]
        };
        let mut out = Vec::with_capacity(chunks.len());
        let mut first_row = 0;
        for chunk in &chunks {
            match arrow_chunk(chunk, what, first_row)? {
                Ok(read) => {
                    first_row += read.offsets.len().saturating_sub(1);
                    out.push(read);
                }
                Err(bad) => return Ok(Err(bad)),
            }
        }
        return Ok(Ok(Held::Arrow(out)));
    }
    if module == "numpy" && value.hasattr("dtype")? {
        let dtype = value.getattr("dtype")?;
        let kind: String = dtype.getattr("kind")?.extract()?;
        let ndim: usize = value.getattr("ndim")?.extract()?;
        if ndim != 1 {
            return Err(PyTypeError::new_err(format!("`{what}` must be a one-dimensional array")));
        }
        if kind == "U" {
            let itemsize: usize = dtype.getattr("itemsize")?.extract()?;
            // little-endian code units whatever the array's byte order (`>U` arrays are converted)
            let little = dtype.call_method1("newbyteorder", ("<",))?;
            let numpy = value.py().import("numpy")?;
            let contiguous = numpy.call_method1("ascontiguousarray", (value, little))?;
            let flat = contiguous.call_method1("view", ("<u4",))?;
            let buffer = PyBuffer::<u32>::get(&flat)?;
            let mut units = try_vec(buffer.item_count(), what)?;
            units.resize(buffer.item_count(), 0);
            buffer.copy_to_slice(value.py(), &mut units)?;
            return Ok(Ok(Held::Ucs4 { units, width: itemsize / 4 }));
        }
        if kind != "O" {
            return Err(PyTypeError::new_err(format!(
                "`{what}` must be {COLUMN_TYPES}, not a numpy array of dtype {}",
                dtype.str()?.to_string_lossy()
            )));
        }
        let items = value.call_method0("tolist")?;
        if let Some(items) = items_of(&items, what)? {
            return Ok(Ok(Held::Items(items)));
        }
    }
    let items: Vec<Bound<'py, PyAny>> = match value.try_iter() {
        Ok(iter) => collect_items(iter, what)?,
        Err(_) => {
            return Err(PyTypeError::new_err(format!(
                "`{what}` must be {COLUMN_TYPES}, not {}",
                type_name(value)
            )));
        }
    };
    Ok(Ok(Held::Items(items)))
}

impl Held<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Self::Items(items) => items.len(),
            Self::Ucs4 { units, width } => units.len().checked_div(*width).unwrap_or(0),
            Self::Arrow(chunks) => chunks.iter().map(|c| c.offsets.len().saturating_sub(1)).sum(),
        }
    }

    /// The column as the core reads it.
    ///
    /// # Errors
    /// `MemoryError`; `Ok(Err(_))`: the first row that is not a `str` (or holds a lone surrogate).
    pub fn column(&self, what: &str) -> PyResult<Result<Column<'_>, BadRow>> {
        Ok(match self {
            Self::Items(items) => {
                let mut strs = try_vec(items.len(), what)?;
                for (row, item) in items.iter().enumerate() {
                    let Ok(text) = item.cast::<PyString>() else {
                        let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
                        return Ok(Err(BadRow::wrong_type(
                            row,
                            format!("must be a string, not {type_name}"),
                        )));
                    };
                    match str_text(text) {
                        Ok(text) => strs.push(text),
                        Err((kind, message)) => {
                            return Ok(Err(BadRow { row, kind, message: message.to_owned() }));
                        }
                    }
                }
                Ok(Column::Strs(strs))
            }
            Self::Ucs4 { units, width } => Ok(Column::Ucs4 { units, width: *width }),
            Self::Arrow(chunks) => {
                let mut starts = Vec::with_capacity(chunks.len());
                let mut first = 0;
                for chunk in chunks {
                    starts.push(first);
                    first += chunk.offsets.len().saturating_sub(1);
                }
                Ok(Column::Arrow { chunks, starts })
            }
        })
    }
}

impl TextColumn for Column<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Strs(strs) => strs.len(),
            Self::Ucs4 { units, width } => units.len().checked_div(*width).unwrap_or(0),
            Self::Arrow { chunks, .. } => chunks.iter().map(|c| c.offsets.len().saturating_sub(1)).sum(),
        }
    }

    fn text<'a>(&'a self, row: usize, scratch: &'a mut String) -> Result<&'a str, String> {
        let missing = || format!("row {row} is out of range");
        match self {
            Self::Strs(strs) => strs.get(row).copied().ok_or_else(missing),
            Self::Ucs4 { units, width } => {
                let units = units.get(row * width..(row + 1) * width).ok_or_else(missing)?;
                scratch.clear();
                let end = units.iter().rposition(|&u| u != 0).map_or(0, |i| i + 1);
                for &unit in units.get(..end).unwrap_or_default() {
                    scratch.push(char::from_u32(unit).ok_or_else(|| {
                        if (0xD800..0xE000).contains(&unit) { LONE_SURROGATE } else { "is not valid text" }
                            .to_owned()
                    })?);
                }
                Ok(scratch)
            }
            Self::Arrow { chunks, starts } => {
                let index =
                    starts.partition_point(|&start| start <= row).checked_sub(1).ok_or_else(missing)?;
                let (chunk, start) = chunks.get(index).zip(starts.get(index)).ok_or_else(missing)?;
                let local = row - start;
                let (from, to) =
                    chunk.offsets.get(local).zip(chunk.offsets.get(local + 1)).ok_or_else(missing)?;
                let range = usize::try_from(*from).ok().zip(usize::try_from(*to).ok()).ok_or_else(missing)?;
                let bytes = chunk.data.get(range.0..range.1).ok_or_else(|| "is not valid text".to_owned())?;
                std::str::from_utf8(bytes).map_err(|_| "is not valid UTF-8".to_owned())
            }
        }
    }
}
