//! Columns of text for the batch API, read with the GIL held into something the core reads without it:
//! a Python sequence of `str` (borrowed UTF-8, no copy), a numpy array of dtype `U` (its UCS-4 buffer,
//! copied) or `O` (through `tolist()`), a pyarrow string / large_string array or chunked array (offsets and
//! data buffers, copied).

use iameval_core::batch::TextColumn;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};

/// A bad row found while reading a column: (row, message).
pub type BadRow = (usize, String);

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

fn bytes_of(buffer: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if buffer.is_none() {
        return Ok(Vec::new());
    }
    let bytes = buffer.call_method0("to_pybytes")?;
    Ok(bytes.cast::<PyBytes>()?.as_bytes().to_vec())
}

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
        return Ok(Err((row, "is null, not a string".to_owned())));
    }
    let len: usize = array.len()?;
    let offset: usize = array.getattr("offset")?.extract()?;
    let buffers = array.call_method0("buffers")?;
    let offsets_raw = bytes_of(&buffers.get_item(1)?)?;
    let data = bytes_of(&buffers.get_item(2)?)?;
    let size = if wide { 8 } else { 4 };
    let mut offsets = Vec::with_capacity(len + 1);
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
    if let Ok(list) = value.cast::<PyList>() {
        return Ok(Ok(Held::Items(list.iter().collect())));
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return Ok(Ok(Held::Items(tuple.iter().collect())));
    }
    let module = module_of(value);
    if module.starts_with("pyarrow") {
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
            let contiguous = value.py().import("numpy")?.call_method1("ascontiguousarray", (value,))?;
            let flat = contiguous.call_method1("view", ("<u4",))?;
            let units = PyBuffer::<u32>::get(&flat)?.to_vec(value.py())?;
            return Ok(Ok(Held::Ucs4 { units, width: itemsize / 4 }));
        }
        let items = value.call_method0("tolist")?;
        return Ok(Ok(Held::Items(items.try_iter()?.collect::<PyResult<_>>()?)));
    }
    let items: Vec<Bound<'py, PyAny>> = match value.try_iter() {
        Ok(iter) => iter.collect::<PyResult<_>>()?,
        Err(_) => return Err(PyTypeError::new_err(format!("`{what}` must be a sequence of strings"))),
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
    /// The first row that is not a `str` (or holds a lone surrogate).
    pub fn column(&self) -> Result<Column<'_>, BadRow> {
        match self {
            Self::Items(items) => {
                let mut strs = Vec::with_capacity(items.len());
                for (row, item) in items.iter().enumerate() {
                    let Ok(text) = item.cast::<PyString>() else {
                        let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
                        return Err((row, format!("must be a string, not {type_name}")));
                    };
                    let text =
                        text.to_str().map_err(|_| (row, "is not valid text (lone surrogate)".to_owned()))?;
                    strs.push(text);
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
        }
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
                    scratch.push(char::from_u32(unit).ok_or_else(|| "is not valid text".to_owned())?);
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
