//! Python values to the core's [`Json`] and back, walked directly (no JSON text in between).
//!
//! Policies follow the reference's `load_document`: a policy given as `str` is JSON text, `bytes` (also
//! `bytearray` and `memoryview`) is UTF-8 JSON text (a leading byte order mark is skipped), anything else is
//! the document itself. A document is walked with the reference's limits: nesting deeper than
//! [`json::MAX_DEPTH`] or a string holding a lone surrogate rejects the whole policy (`json_invalid`).
//!
//! A Python value that JSON has no counterpart for (a tuple or bytes inside a document, a set, any object)
//! becomes [`opaque`]: the number [`iameval_core::json::OPAQUE`], which no grammar rule accepts anywhere (exactly like the reference,
//! which rejects such a value with the error it gives for any value of the wrong type).

use std::collections::HashMap;

use iameval_core::json::MAX_DEPTH;
use iameval_core::{Error, ErrorEntry, ErrorKind, Json, PathSegment};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyMemoryView, PyString, PyTuple,
};

/// The stand-in for a Python value JSON cannot hold (see the module documentation).
pub fn opaque() -> Json {
    Json::Number(iameval_core::json::OPAQUE.to_owned())
}

/// Messages that replace the core's message for the `json_invalid` error of a policy, keyed by the policy's
/// location (`identity/0`, `resource`, `""` for a single document). A policy whose text could not be handed
/// to the core (invalid UTF-8, a lone surrogate, nesting too deep) is given as the empty JSON text, which the
/// core rejects with exactly one `json_invalid` error at the root; its message is then replaced.
pub type Overrides = HashMap<String, String>;

const LONE_SURROGATE: &str = "invalid JSON: lone surrogate in a string";

/// The problem of a document that changed while it was converted.
const CHANGED: &str = "invalid JSON: a dict changed size while it was read";

fn too_deep() -> String {
    format!("invalid JSON: nesting deeper than {MAX_DEPTH} levels")
}

/// The text of a Python `str`; `None` when it holds a lone surrogate (it cannot be UTF-8).
fn text_of(s: &Bound<'_, PyString>) -> Option<String> {
    s.to_str().ok().map(str::to_owned)
}

/// A Python `int` (not `bool`) as the reference prints it (`str(value)`); [`iameval_core::json::LARGE_INT`] when even
/// Python cannot (more digits than `sys.get_int_max_str_digits()`).
fn int_text(value: &Bound<'_, PyAny>) -> Json {
    let text = value.str().ok().and_then(|s| text_of(&s));
    Json::Number(text.unwrap_or_else(|| iameval_core::json::LARGE_INT.to_owned()))
}

/// Walks a policy document, remembering the first limit it breaks.
struct DocWalker {
    problem: Option<String>,
}

impl DocWalker {
    fn key(&mut self, key: &Bound<'_, PyAny>) -> String {
        if let Ok(s) = key.cast::<PyString>() {
            if let Some(text) = text_of(s) {
                return text;
            }
            self.problem.get_or_insert_with(|| LONE_SURROGATE.to_owned());
            return String::new();
        }
        // a non-`str` key: the reference reports it where it stands, printed by `str()`
        key.str().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }

    fn value(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Json {
        if self.problem.is_some() {
            return Json::Null;
        }
        if value.is_none() {
            Json::Null
        } else if let Ok(b) = value.cast::<PyBool>() {
            Json::Bool(b.is_true())
        } else if value.is_instance_of::<PyInt>() {
            int_text(value)
        } else if let Ok(f) = value.cast::<PyFloat>() {
            Json::float(f.value())
        } else if let Ok(s) = value.cast::<PyString>() {
            text_of(s).map_or_else(
                || {
                    self.problem.get_or_insert_with(|| LONE_SURROGATE.to_owned());
                    Json::Null
                },
                Json::String,
            )
        } else if let Ok(dict) = value.cast::<PyDict>() {
            if depth >= MAX_DEPTH {
                self.problem.get_or_insert_with(too_deep);
                return Json::Null;
            }
            // a snapshot of the items: converting a value may run Python code (an `int` subclass's
            // `__str__`) that changes the dict, which iterating the dict itself cannot survive
            let Ok(items) = dict.items().iter().map(|item| item.extract()).collect::<PyResult<Vec<(_, _)>>>()
            else {
                self.problem.get_or_insert_with(|| CHANGED.to_owned());
                return Json::Null;
            };
            let mut pairs = Vec::with_capacity(items.len());
            for (k, v) in &items {
                let key = self.key(k);
                let item = self.value(v, depth + 1);
                pairs.push((key, item));
            }
            if dict.len() != items.len() {
                self.problem.get_or_insert_with(|| CHANGED.to_owned());
            }
            Json::Object(pairs)
        } else if let Ok(list) = value.cast::<PyList>() {
            if depth >= MAX_DEPTH {
                self.problem.get_or_insert_with(too_deep);
                return Json::Null;
            }
            let mut items = Vec::with_capacity(list.len());
            for item in list.iter() {
                items.push(self.value(&item, depth + 1));
            }
            Json::Array(items)
        } else {
            opaque()
        }
    }
}

/// The bytes of a `bytes`, `bytearray` or `memoryview`; `None` for anything else.
fn bytes_of(value: &Bound<'_, PyAny>) -> Option<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Some(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Some(b.to_vec());
    }
    if value.is_instance_of::<PyMemoryView>() {
        let py = value.py();
        let bytes = py.import("builtins").and_then(|m| m.getattr("bytes")).and_then(|f| f.call1((value,)));
        return bytes.ok().and_then(|b| b.cast::<PyBytes>().ok().map(|b| b.as_bytes().to_vec()));
    }
    None
}

/// One policy (a dict, JSON text as `str`/`bytes`, or anything else) at `location` of its set.
pub fn policy(value: &Bound<'_, PyAny>, location: &str, overrides: &mut Overrides) -> Json {
    let mut reject = |message: String| {
        overrides.insert(location.to_owned(), message);
        Json::String(String::new())
    };
    if let Some(bytes) = bytes_of(value) {
        return match std::str::from_utf8(&bytes) {
            Ok(text) => Json::String(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()),
            Err(err) => reject(format!("invalid UTF-8 at byte {}", err.valid_up_to())),
        };
    }
    if let Ok(s) = value.cast::<PyString>() {
        return text_of(s).map_or_else(|| reject(LONE_SURROGATE.to_owned()), Json::String);
    }
    let mut walker = DocWalker { problem: None };
    let doc = walker.value(value, 0);
    match walker.problem {
        Some(problem) => reject(problem),
        None => doc,
    }
}

/// A list of policies (`list` or `tuple`); `None` stays null, anything else is opaque (a `wrong_type`).
pub fn policy_list(value: &Bound<'_, PyAny>, location: &str, overrides: &mut Overrides) -> Json {
    if value.is_none() {
        return Json::Null;
    }
    let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = value.cast::<PyList>() {
        list.iter().collect()
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return opaque();
    };
    Json::Array(
        items.iter().enumerate().map(|(i, p)| policy(p, &format!("{location}/{i}"), overrides)).collect(),
    )
}

/// SCP or RCP levels: a list of lists of policies.
pub fn levels(value: &Bound<'_, PyAny>, location: &str, overrides: &mut Overrides) -> Json {
    if value.is_none() {
        return Json::Null;
    }
    let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = value.cast::<PyList>() {
        list.iter().collect()
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return opaque();
    };
    Json::Array(
        items
            .iter()
            .enumerate()
            .map(|(i, level)| policy_list(level, &format!("{location}/{i}"), overrides))
            .collect(),
    )
}

/// A setting given as plain data (`s3_block_public_access`: a `bool` or a `dict` of `bool`s), as JSON; the
/// core checks its shape. Any other value becomes something the core rejects with a `wrong_type`.
pub fn setting(value: &Bound<'_, PyAny>) -> Json {
    let mut walker = DocWalker { problem: None };
    let json = walker.value(value, 0);
    if walker.problem.is_some() { opaque() } else { json }
}

/// A single policy slot (`resource`, `permission_boundary`, `session`): `None` stays null.
pub fn single(value: &Bound<'_, PyAny>, location: &str, overrides: &mut Overrides) -> Json {
    if value.is_none() { Json::Null } else { policy(value, location, overrides) }
}

// -- requests ---------------------------------------------------------------------------------------------

const REQUEST_FIELDS: [&str; 6] =
    ["principal", "action", "resource", "context", "principal_account", "resource_account"];

/// A scalar request value: `str`, `bool`, `int`, `float`; anything else is opaque (which the core rejects).
fn request_scalar(value: &Bound<'_, PyAny>) -> Json {
    if value.is_none() {
        Json::Null
    } else if let Ok(s) = value.cast::<PyString>() {
        Json::String(s.to_string_lossy().into_owned())
    } else if let Ok(b) = value.cast::<PyBool>() {
        Json::Bool(b.is_true())
    } else if value.is_instance_of::<PyInt>() {
        int_text(value)
    } else if let Ok(f) = value.cast::<PyFloat>() {
        Json::float(f.value())
    } else {
        opaque()
    }
}

fn context_value(value: &Bound<'_, PyAny>) -> Json {
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(list) = value.cast::<PyList>() {
        Some(list.iter().collect())
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        Some(tuple.iter().collect())
    } else {
        None
    };
    match items {
        Some(items) => Json::Array(
            items
                .iter()
                .map(|item| {
                    if item.is_none() || item.is_instance_of::<PyList>() || item.is_instance_of::<PyTuple>() {
                        opaque()
                    } else {
                        request_scalar(item)
                    }
                })
                .collect(),
        ),
        None if value.is_none() => opaque(),
        None => request_scalar(value),
    }
}

const LONE_SURROGATE_TEXT: &str = "is not valid text (lone surrogate)";

fn unreadable_entry(path: Vec<PathSegment>, message: String) -> ErrorEntry {
    ErrorEntry::new(ErrorKind::InvalidValue, path, message)
}

/// Whether a `str` is Unicode text (no lone surrogate).
fn is_text(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyString>().is_ok_and(|s| s.to_str().is_ok())
}

/// The problems of a context that stop a request from being read (the reference's `_unreadable_context`):
/// keys that are not strings, text that is not Unicode. Paths start with `context`.
fn unreadable_context(mapping: &Bound<'_, PyMapping>) -> PyResult<Vec<ErrorEntry>> {
    let mut errors = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let shown = match key.cast::<PyString>() {
            Err(_) => {
                let shown = key.repr()?.to_string_lossy().into_owned();
                let type_name = key.get_type().name()?.to_string();
                errors.push(unreadable_entry(
                    vec![PathSegment::Key("context".to_owned()), PathSegment::Key(shown.clone())],
                    format!("context keys must be strings, not {type_name} `{shown}`"),
                ));
                shown
            }
            Ok(text) => match text.to_str() {
                Ok(text) => text.to_owned(),
                Err(_) => {
                    let shown = escaped(text)?;
                    errors.push(unreadable_entry(
                        vec![PathSegment::Key("context".to_owned()), PathSegment::Key(shown.clone())],
                        format!("context key `{shown}` {LONE_SURROGATE_TEXT}"),
                    ));
                    shown
                }
            },
        };
        let path = || vec![PathSegment::Key("context".to_owned()), PathSegment::Key(shown.clone())];
        let message = || format!("context value {LONE_SURROGATE_TEXT}");
        if value.is_instance_of::<PyString>() {
            if !is_text(&value) {
                errors.push(unreadable_entry(path(), message()));
            }
        } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            for (i, item) in value.try_iter()?.enumerate() {
                let item = item?;
                if item.is_instance_of::<PyString>() && !is_text(&item) {
                    let mut at = path();
                    at.push(PathSegment::Index(i));
                    errors.push(unreadable_entry(at, message()));
                }
            }
        }
    }
    Ok(errors)
}

/// The problems that stop a request from being read at all, reported alone (the reference's
/// `_unreadable`): a lone surrogate in a field, a context key or value; a context key that is not a string.
fn unreadable_request(
    value: &Bound<'_, PyAny>,
    request_class: &Bound<'_, PyAny>,
) -> PyResult<Vec<ErrorEntry>> {
    let is_request = value.is_instance(request_class)?;
    let mapping = value.cast::<PyMapping>().ok();
    if !is_request && mapping.is_none() {
        return Ok(Vec::new());
    }
    let mut errors = Vec::new();
    for (name, interned) in REQUEST_FIELDS.iter().zip(request_field_names(value.py())) {
        let field = if is_request {
            Some(value.getattr(interned)?)
        } else if let Some(mapping) = mapping {
            if mapping.contains(interned)? { Some(mapping.get_item(interned)?) } else { None }
        } else {
            None
        };
        let Some(field) = field else { continue };
        if *name == "context" {
            if let Ok(context) = field.cast::<PyMapping>() {
                errors.extend(unreadable_context(context)?);
            }
        } else if field.is_instance_of::<PyString>() && !is_text(&field) {
            errors.push(unreadable_entry(
                vec![PathSegment::Key((*name).to_owned())],
                format!("`{name}` {LONE_SURROGATE_TEXT}"),
            ));
        }
    }
    Ok(errors)
}

/// A request context (a mapping) as JSON; `None` is null, anything else opaque (rejected by the core).
/// `Ok(Err(entries))` for a context that cannot be read at all (keys that are not strings, lone
/// surrogates), with paths that start with `context`.
///
/// # Errors
/// Only a Python error raised while reading the mapping.
pub fn context(value: &Bound<'_, PyAny>) -> PyResult<Result<Json, Vec<ErrorEntry>>> {
    if value.is_none() {
        return Ok(Ok(Json::Null));
    }
    let Ok(mapping) = value.cast::<PyMapping>() else {
        return Ok(Ok(opaque()));
    };
    let unreadable = unreadable_context(mapping)?;
    if !unreadable.is_empty() {
        return Ok(Err(unreadable));
    }
    let mut pairs = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        // a key that is not a (non-empty) string is `invalid_value` in both engines
        let key = key.cast::<PyString>().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        pairs.push((key, context_value(&value)));
    }
    Ok(Ok(Json::Object(pairs)))
}

fn request_field(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Json> {
    if name == "context" {
        // an unreadable context was reported by `unreadable_request` before
        Ok(context(value)?.unwrap_or_else(|_| opaque()))
    } else {
        Ok(request_scalar(value))
    }
}

/// The request fields' names as interned Python strings, in the order of `REQUEST_FIELDS`: principal,
/// action, resource, context, principal_account, resource_account.
pub fn request_field_names(py: Python<'_>) -> [&Bound<'_, PyString>; 6] {
    [
        intern!(py, "principal"),
        intern!(py, "action"),
        intern!(py, "resource"),
        intern!(py, "context"),
        intern!(py, "principal_account"),
        intern!(py, "resource_account"),
    ]
}

/// A request: an instance of `request_class` (the reference `Request` dataclass) or a mapping with its keys.
/// Anything else becomes null, which the core rejects as the reference does ("a request must be ...").
///
/// # Errors
/// A `RequestError` listing the problems that stop the request from being read at all (see
/// `unreadable_request`); a Python error raised while reading the mapping (a broken `__getitem__` or `items`).
pub fn request(value: &Bound<'_, PyAny>, request_class: &Bound<'_, PyAny>) -> PyResult<Json> {
    let unreadable = unreadable_request(value, request_class)?;
    if !unreadable.is_empty() {
        return Err(crate::errors::to_py_err(value.py(), &Error::Request(unreadable), &Overrides::new()));
    }
    if value.is_instance(request_class)? {
        let mut pairs = Vec::with_capacity(REQUEST_FIELDS.len());
        for (name, interned) in REQUEST_FIELDS.iter().zip(request_field_names(value.py())) {
            pairs.push(((*name).to_owned(), request_field(name, &value.getattr(interned)?)?));
        }
        return Ok(Json::Object(pairs));
    }
    let Ok(mapping) = value.cast::<PyMapping>() else {
        return Ok(Json::Null);
    };
    let mut pairs = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let key = match key.cast::<PyString>() {
            Ok(s) => s.to_string_lossy().into_owned(),
            Err(_) => key.str().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        let converted = request_field(&key, &value)?;
        pairs.push((key, converted));
    }
    Ok(Json::Object(pairs))
}

// -- back to Python ----------------------------------------------------------------------------------------

/// A JSON value as plain Python data (numbers as `int` when their text is an integer, else `float`).
///
/// # Errors
/// Only a Python error while building the objects.
pub fn to_python<'py>(py: Python<'py>, value: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(text) => {
            let is_int = !text.is_empty()
                && text.strip_prefix('-').unwrap_or(text).bytes().all(|b| b.is_ascii_digit());
            if !is_int && text.parse::<f64>().is_err() {
                // a number printed by an `int` subclass's own `str()` (an `IntEnum` member): in a policy set
                // that was built, numbers are condition values, read as text, so the text rebuilds the same set
                return Ok(PyString::new(py, text).into_any());
            }
            let builtins = py.import("builtins")?;
            builtins.getattr(if is_int { "int" } else { "float" })?.call1((text.as_str(),))?
        }
        Json::String(text) => PyString::new(py, text).into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Json::Object(pairs) => {
            let dict = PyDict::new(py);
            for (k, v) in pairs {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A `str` as text with each lone surrogate written as an escape (`a\udc80`), for error locations.
///
/// # Errors
/// Only a Python error while encoding.
pub fn escaped(text: &Bound<'_, PyString>) -> PyResult<String> {
    let encoded = text.call_method1(intern!(text.py(), "encode"), ("utf-8", "backslashreplace"))?;
    Ok(String::from_utf8_lossy(encoded.cast::<PyBytes>()?.as_bytes()).into_owned())
}
