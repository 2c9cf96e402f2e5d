//! `iameval._core.PolicySet` and `validate_policy`: the Rust engine with the reference's Python API.

use std::sync::Arc;

use iameval_core::facts::{ContextView, KeyValue, MultiValues};
use iameval_core::request::{Caller, Context, classify_principal};
use iameval_core::{Error, ErrorEntry, ErrorKind, Evaluation, Json, Kind, PathSegment, Request};
use rustc_hash::FxHashMap;
use std::sync::Mutex;

type CorePolicySet = iameval_core::PolicySet;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::batch::SlotValue;
use crate::convert::{self, Overrides};
use crate::errors::{entry_list, to_py_err};
use crate::results::{Shared, result, unshared_result};

use iameval_core::authorize::POLICY_KEYS;

static REQUEST: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The policies a set was built from, as the core read them, kept for pickling only: [`Json::encode`]'s
/// compact form, LZ4-compressed: a managed policy's tree took ~6.6 KB of the ~27 KB a set of it kept, its
/// encoded form ~2.8 KB of the 14.1 KiB, compressed about half of that (`benches/README.md`); about 5% of
/// the time compiling it takes.
struct Sources([Box<[u8]>; 8]);

impl Sources {
    fn keep(sources: &[Json; 8]) -> Self {
        let mut encoded = Vec::new();
        Self(sources.each_ref().map(|source| {
            if *source == Json::Null {
                return Box::default(); // an absent layer (most sets lack most): no allocation
            }
            encoded.clear();
            source.encode_into(&mut encoded);
            lz4_flex::block::compress_prepend_size(&encoded).into_boxed_slice()
        }))
    }

    /// The kept policies, read back; `None` if one cannot be (never for what [`Sources::keep`] made).
    fn read(&self) -> Option<Vec<Json>> {
        self.0
            .iter()
            .map(|compressed| {
                if compressed.is_empty() {
                    return Some(Json::Null);
                }
                let encoded = lz4_flex::block::decompress_size_prepended(compressed).ok()?;
                Json::decode(&encoded)
            })
            .collect()
    }
}

/// An immutable set of policies, compiled once by the Rust core; thread-safe and picklable.
#[pyclass(frozen, module = "iameval._core")]
pub struct PolicySet {
    pub(crate) inner: iameval_core::PolicySet,
    sources: Arc<Sources>,
    /// The Python objects its results share (`results::Shared`).
    shared: Shared,
    /// An empty context, for the requests `evaluate` reads in place.
    empty: Arc<Context>,
    /// The principals `evaluate` has classified (at most [`MAX_CALLERS`]; emptied when full).
    callers: Mutex<FxHashMap<Box<str>, Arc<Caller>>>,
    /// A request `evaluate` fills in place and keeps for the next call, so that reading one costs no
    /// allocation (`None` while a call uses it: a call that finds none makes its own).
    scratch: Mutex<Option<Box<Request>>>,
}

/// A kept scratch request holds at most this many bytes of text (a larger one is dropped after its call).
const MAX_SCRATCH_BYTES: usize = 1 << 14;

/// At most this many classified principals are kept per set.
const MAX_CALLERS: usize = 1024;

impl PolicySet {
    /// The classification of `principal` (R1, R5), kept for the next request by the same principal; `None`
    /// for no valid principal (the general path reports it).
    fn caller(&self, principal: &str) -> Option<Arc<Caller>> {
        if let Ok(callers) = self.callers.lock()
            && let Some(caller) = callers.get(principal)
        {
            return Some(Arc::clone(caller));
        }
        let caller = Arc::new(classify_principal(principal)?);
        if let Ok(mut callers) = self.callers.lock() {
            if callers.len() >= MAX_CALLERS {
                callers.clear();
            }
            callers.insert(principal.into(), Arc::clone(&caller));
        }
        Some(caller)
    }
}

fn build(py: Python<'_>, sources: [Json; 8], overrides: &Overrides) -> PyResult<PolicySet> {
    let inner = py
        .detach(|| iameval_core::PolicySet::new(sources.each_ref().map(Some)))
        .map_err(|e| to_py_err(py, &e, overrides))?;
    Ok(PolicySet {
        inner,
        sources: Arc::new(Sources::keep(&sources)),
        shared: Shared::default(),
        empty: Arc::clone(EMPTY_CONTEXT.get_or_init(Arc::default)), // one for every set
        callers: Mutex::default(),
        scratch: Mutex::default(),
    })
}

static EMPTY_CONTEXT: std::sync::OnceLock<Arc<Context>> = std::sync::OnceLock::new();

/// Look the request class up now, and the result classes (see `batch::prime_for_fork`).
pub fn prime(py: Python<'_>) {
    let _ = REQUEST.import(py, "iameval.reference.request", "Request");
    crate::results::prime(py);
}

/// `evaluate_many` reads, evaluates and converts this many requests at a time (enough for both cores, and
/// a watched call: at least `batch::WATCHED`).
const EVALUATE_CHUNK: usize = 1 << 14;

/// The text of an optional `str` field: `Some(None)` for absent or `None`, `None` for a non-`str`.
fn field_text<'a>(value: &'a Option<Bound<'_, PyAny>>) -> Option<Option<&'a str>> {
    match value {
        None => Some(None),
        Some(v) if v.is_none() => Some(None),
        Some(v) => v.cast::<PyString>().ok()?.to_str().ok().map(Some),
    }
}

/// A request read as JSON (the general path, which reports every problem), or directly.
enum Prepared {
    Json(Json),
    Read(Box<Request>),
}

/// The six fields of a `Request`, or of a `dict` of them. `None` for anything else and for a `dict` with
/// an unknown field (the general path names it).
fn request_fields<'py>(
    value: &Bound<'py, PyAny>,
    request_class: &Bound<'py, PyAny>,
) -> Option<[Option<Bound<'py, PyAny>>; 6]> {
    let names = convert::request_field_names(value.py());
    let mut fields: [Option<Bound<'py, PyAny>>; 6] = Default::default();
    if value.is_instance(request_class).ok()? {
        for (slot, name) in fields.iter_mut().zip(&names) {
            *slot = Some(value.getattr(name).ok()?);
        }
    } else if let Ok(dict) = value.cast::<PyDict>() {
        let mut found = 0;
        for (slot, name) in fields.iter_mut().zip(&names) {
            *slot = dict.get_item(name).ok()?;
            found += usize::from(slot.is_some());
        }
        if found != dict.len() {
            return None;
        }
    } else {
        return None;
    }
    Some(fields)
}

/// The common case without JSON in between: a `Request` or a `dict` of its fields, with `str` (or `None`)
/// values that are all valid and a plain context (`str` or lists of `str`; keys no statement reads are
/// dropped). `None` for anything else, which the general path reads and reports.
fn fast_request(
    value: &Bound<'_, PyAny>,
    request_class: &Bound<'_, PyAny>,
    set: &CorePolicySet,
) -> Option<Request> {
    let [principal, action, resource, context, principal_account, resource_account] =
        &request_fields(value, request_class)?;
    let context = match context {
        Some(c) if !c.is_none() => crate::batch::plain_context(c, Some(set))?,
        _ => Context::default(),
    };
    Request::from_parts(
        field_text(principal)??,
        field_text(action)??,
        field_text(resource)?,
        field_text(principal_account)?,
        field_text(resource_account)?,
        Arc::new(context),
    )
}

/// `evaluate()` of a request of [`fast_request`]'s form without copying its context: the values the set
/// reads are laid out in its key slots ([`iameval_core::facts`]), borrowed from the Python strings, which
/// the GIL (held throughout) keeps as they are. `None` for anything else, which [`prepare`] reads.
fn evaluate_in_place(
    value: &Bound<'_, PyAny>,
    request_class: &Bound<'_, PyAny>,
    owner: &PolicySet,
) -> Option<Evaluation> {
    let (set, empty) = (&owner.inner, &owner.empty);
    let [principal, action, resource, context, principal_account, resource_account] =
        &request_fields(value, request_class)?;
    let held = match context {
        Some(c) if !c.is_none() => crate::batch::slot_context(c, set)?,
        _ => Vec::new(),
    };
    let caller = owner.caller(field_text(principal)??)?;
    let kept = owner.scratch.lock().ok().and_then(|mut scratch| scratch.take());
    let mut request =
        kept.unwrap_or_else(|| Box::new(Request::for_shared_caller(Arc::clone(&caller), Arc::clone(empty))));
    let filled = request.refill(
        &caller,
        field_text(action)??,
        field_text(resource)?,
        field_text(principal_account)?,
        field_text(resource_account)?,
    );
    let evaluation = filled.and_then(|()| {
        let mut values: Vec<Option<KeyValue<'_>>> = vec![None; set.layout().0.len()];
        for (slot, item) in &held {
            let value = match item {
                SlotValue::Single(text) => KeyValue::Single(text.cast::<PyString>().ok()?.to_str().ok()?),
                SlotValue::Multi(texts) => KeyValue::Multi(MultiValues::Owned(texts)),
            };
            *values.get_mut(*slot)? = Some(value);
        }
        Some(set.evaluate_with(&request, ContextView::Slots { values: &values, map: &request.context }))
    });
    if request.buffer_bytes() <= MAX_SCRATCH_BYTES
        && let Ok(mut scratch) = owner.scratch.lock()
    {
        *scratch = Some(request);
    }
    evaluation
}

fn prepare(py: Python<'_>, request: &Bound<'_, PyAny>, set: &CorePolicySet) -> PyResult<Prepared> {
    let request_class = REQUEST.import(py, "iameval.reference.request", "Request")?;
    if let Some(read) = fast_request(request, request_class, set) {
        return Ok(Prepared::Read(Box::new(read)));
    }
    Ok(Prepared::Json(convert::request(request, request_class)?))
}

fn evaluate_prepared(set: &CorePolicySet, prepared: &Prepared) -> Result<Evaluation, Error> {
    match prepared {
        Prepared::Read(request) => Ok(set.evaluate(request)),
        Prepared::Json(json) => set.evaluate_json(json),
    }
}

#[pymethods]
impl PolicySet {
    #[new]
    #[pyo3(signature = (identity=None, resource=None, permission_boundary=None, session=None, scps=None, rcps=None, vpc_endpoint=None, s3_block_public_access=None))]
    #[expect(clippy::too_many_arguments, reason = "the Python signature")]
    fn new<'py>(
        py: Python<'py>,
        identity: Option<&Bound<'py, PyAny>>,
        resource: Option<&Bound<'py, PyAny>>,
        permission_boundary: Option<&Bound<'py, PyAny>>,
        session: Option<&Bound<'py, PyAny>>,
        scps: Option<&Bound<'py, PyAny>>,
        rcps: Option<&Bound<'py, PyAny>>,
        vpc_endpoint: Option<&Bound<'py, PyAny>>,
        s3_block_public_access: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let mut overrides = Overrides::new();
        let none = py.None().into_bound(py);
        let or_none = |v: Option<&Bound<'py, PyAny>>| v.cloned().unwrap_or_else(|| none.clone());
        let sources = [
            convert::policy_list(&or_none(identity), "identity", &mut overrides),
            convert::single(&or_none(resource), "resource", &mut overrides),
            convert::single(&or_none(permission_boundary), "permission_boundary", &mut overrides),
            convert::single(&or_none(session), "session", &mut overrides),
            convert::levels(&or_none(scps), "scps", &mut overrides),
            convert::levels(&or_none(rcps), "rcps", &mut overrides),
            convert::single(&or_none(vpc_endpoint), "vpc_endpoint", &mut overrides),
            convert::setting(&or_none(s3_block_public_access)),
        ];
        build(py, sources, &overrides)
    }

    /// Build from the `policies` object of a test vector or scenario (missing keys mean none).
    #[classmethod]
    fn from_vector(cls: &Bound<'_, PyType>, policies: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = cls.py();
        let no_overrides = Overrides::new();
        let Ok(mapping) = policies.cast::<PyMapping>() else {
            let error = Error::Policy(vec![ErrorEntry::new(
                ErrorKind::WrongType,
                Vec::new(),
                "`policies` must be an object",
            )]);
            return Err(to_py_err(py, &error, &no_overrides));
        };
        let mut unknown = Vec::new();
        for key in mapping.keys()?.iter() {
            let is_known = key.extract::<&str>().is_ok_and(|k| POLICY_KEYS.contains(&k));
            if !is_known {
                let name = key.str()?.to_string_lossy().into_owned();
                unknown.push(ErrorEntry::new(
                    ErrorKind::UnknownElement,
                    vec![PathSegment::Key(name.clone())],
                    format!("unknown policy type `{name}`"),
                ));
            }
        }
        if !unknown.is_empty() {
            return Err(to_py_err(py, &Error::Policy(unknown), &no_overrides));
        }
        let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            if mapping.contains(key)? { Ok(Some(mapping.get_item(key)?)) } else { Ok(None) }
        };
        Self::new(
            py,
            get("identity")?.as_ref(),
            get("resource")?.as_ref(),
            get("permission_boundary")?.as_ref(),
            get("session")?.as_ref(),
            get("scps")?.as_ref(),
            get("rcps")?.as_ref(),
            get("vpc_endpoint")?.as_ref(),
            get("s3_block_public_access")?.as_ref(),
        )
    }

    /// Decide one request (R1-R22). Raises `RequestError` for a malformed request. With `trace=True` the
    /// result carries the trace: every statement of every layer, evaluated in full. A request with many
    /// context values is evaluated with the GIL released.
    #[pyo3(signature = (request, *, trace=false))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        trace: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        use crate::batch::{LARGE_REQUEST, context_values, json_values};
        if !trace {
            let request_class = REQUEST.import(py, "iameval.reference.request", "Request")?;
            if let Some(evaluation) = evaluate_in_place(request, request_class, self) {
                return result(py, &self.shared, &evaluation);
            }
        }
        let prepared = prepare(py, request, &self.inner)?;
        if trace {
            let read = match prepared {
                Prepared::Read(request) => *request,
                Prepared::Json(json) => {
                    Request::from_json(&json).map_err(|e| to_py_err(py, &e, &Overrides::new()))?
                }
            };
            let inner = &self.inner;
            let (evaluation, trace) = py.detach(|| (inner.evaluate(&read), inner.trace(&read)));
            let out = unshared_result(py, &self.shared, &evaluation)?; // its own: the trace is set into it
            let dict = out.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
            dict.set_item(intern!(py, "trace"), crate::trace::to_python(py, &trace)?)?;
            return Ok(out);
        }
        let size = match &prepared {
            Prepared::Read(request) => context_values(&request.context),
            Prepared::Json(json) => json_values(json),
        };
        let inner = &self.inner;
        let evaluation = if size > LARGE_REQUEST {
            py.detach(|| evaluate_prepared(inner, &prepared)) // many context values: may take a while
        } else {
            evaluate_prepared(inner, &prepared)
        };
        result(py, &self.shared, &evaluation.map_err(|e| to_py_err(py, &e, &Overrides::new()))?)
    }

    /// Evaluate each request; results in the same order. The requests are read with the GIL held, evaluated
    /// with it released on `threads` threads (`None`: every core), then turned into results, a chunk of
    /// [`EVALUATE_CHUNK`] requests at a time: the core's evaluations never outnumber one chunk, so the memory
    /// a call needs beyond its results does not grow with the requests (a request's error is raised when its
    /// chunk is read or evaluated).
    #[pyo3(signature = (requests, *, threads=None))]
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        use crate::batch::detach_watched;
        use iameval_core::batch::{BatchError, Run};
        let threads = crate::batch::thread_arg(py, threads)?;
        let inner = &self.inner;
        let out = PyList::empty(py);
        let mut rows = requests.try_iter()?;
        let mut chunk: Vec<Prepared> = Vec::new();
        loop {
            py.check_signals()?; // a long call stops on Ctrl-C between chunks
            chunk.clear();
            for request in rows.by_ref() {
                chunk.try_reserve(1).map_err(|_| {
                    let bytes = chunk.capacity().saturating_mul(2 * size_of::<Prepared>());
                    pyo3::exceptions::PyMemoryError::new_err(format!(
                        "cannot allocate {bytes} bytes for the requests"
                    ))
                })?;
                chunk.push(prepare(py, &request?, inner)?);
                if chunk.len() == EVALUATE_CHUNK {
                    break;
                }
            }
            if chunk.is_empty() {
                return Ok(out);
            }
            let evaluations = detach_watched(py, chunk.len(), |cancel| {
                iameval_core::batch::map_rows(&chunk, Run { threads, cancel }, |p| {
                    evaluate_prepared(inner, p)
                })
            })?
            .map_err(|e| match e {
                BatchError::OutOfMemory(bytes) => pyo3::exceptions::PyMemoryError::new_err(format!(
                    "cannot allocate {bytes} bytes for the results"
                )),
                other => pyo3::exceptions::PyRuntimeError::new_err(format!("the batch failed: {other:?}")),
            })?;
            for evaluation in evaluations {
                let evaluation = evaluation.map_err(|e| to_py_err(py, &e, &Overrides::new()))?;
                out.append(result(py, &self.shared, &evaluation)?)?;
            }
            if chunk.len() < EVALUATE_CHUNK {
                return Ok(out);
            }
        }
    }

    /// Decisions for columns of requests: row `i` is (principal, `actions[i]`, `resources[i]`, context).
    /// Returns decision codes (0 ImplicitDeny, 1 Allow, 2 ExplicitDeny) as a numpy `uint8` array (a
    /// `bytearray` without numpy), or a list of `Decision` with `as_list=True`. The GIL is released while
    /// deciding, on `threads` threads (`None`: every core).
    #[pyo3(signature = (actions, resources, *, principal=None, principals=None, contexts=None, context_columns=None, principal_accounts=None, resource_accounts=None, threads=None, as_list=false))]
    #[expect(clippy::too_many_arguments, reason = "the Python signature")]
    fn decide_many<'py>(
        &self,
        py: Python<'py>,
        actions: &Bound<'py, PyAny>,
        resources: &Bound<'py, PyAny>,
        principal: Option<&Bound<'py, PyAny>>,
        principals: Option<&Bound<'py, PyAny>>,
        contexts: Option<&Bound<'py, PyAny>>,
        context_columns: Option<&Bound<'py, PyAny>>,
        principal_accounts: Option<&Bound<'py, PyAny>>,
        resource_accounts: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        as_list: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = crate::batch::RowArgs {
            actions,
            resources,
            principal,
            principals,
            contexts,
            context_columns,
            principal_accounts,
            resource_accounts,
        };
        crate::batch::decide_many(self, py, args, threads, as_list)
    }

    fn __repr__(&self) -> String {
        self.inner.summary()
    }

    /// Pickle support: the class and the policies the set was built from.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let sources = slf.get().sources.read().ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("a kept policy could not be read back")
        })?;
        let mut args = Vec::with_capacity(sources.len());
        for source in &sources {
            args.push(convert::to_python(py, source)?);
        }
        Ok((py.get_type::<Self>(), PyTuple::new(py, args)?))
    }
}

/// Every problem in a policy document, as `PolicyError.errors()` entries; `[]` when it is valid.
#[pyfunction]
#[pyo3(signature = (source, *, kind = None), text_signature = "(source, *, kind='identity')")]
pub fn validate_policy<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    kind: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let (name, parsed) = match kind {
        None => ("identity".to_owned(), Some(Kind::Identity)),
        Some(kind) => (
            kind.str()?.to_string_lossy().into_owned(),
            kind.extract::<&str>().ok().and_then(Kind::from_name),
        ),
    };
    let Some(kind) = parsed else {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(PyValueError::new_err(format!(
            "unknown policy kind `{name}`; expected one of {}",
            kinds.join(", ")
        )));
    };
    let mut overrides = Overrides::new();
    let doc = convert::policy(source, "", &mut overrides);
    let entries = py.detach(|| iameval_core::validate_policy(&doc, kind));
    entry_list(py, &entries, &overrides)
}

/// R20c: the indexes of the statements that make a bucket policy public (read as a resource-based policy).
/// Raises `PolicyError` for an invalid policy.
#[pyfunction]
pub fn public_statements<'py>(py: Python<'py>, source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let mut overrides = Overrides::new();
    let doc = convert::policy(source, "resource", &mut overrides);
    let found = py.detach(|| iameval_core::public_statements_of(&doc));
    match found {
        Ok(indexes) => PyTuple::new(py, indexes),
        Err(entries) => Err(to_py_err(py, &Error::Policy(entries), &overrides)),
    }
}

/// R20c: whether a bucket policy is public. Raises `PolicyError` for an invalid policy.
#[pyfunction]
pub fn is_public(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(!public_statements(py, source)?.is_empty())
}
