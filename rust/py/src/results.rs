//! The one place where core evaluations become Python `Result` objects (the reference's frozen dataclasses
//! `Result` and `MatchedStatement`, shared by both engines).
//!
//! A set's results share what is immutable. A `Result` is a frozen dataclass whose fields are all values
//! (the decision, the layer's name, tuples of `MatchedStatement`s, of key names and of indexes): two
//! evaluations that give the same fields give equal results, and the set hands out one object for both. A set
//! gives few distinct results (the combinations of its statements that apply), so a call of `evaluate()`
//! mostly finds its result made and kept (a hash lookup instead of an object, a dict and three tuples: issue
//! 12, `evaluate()` on W1 from 27,100 to ~20,400 instructions), and a list of results kept by
//! `evaluate_many` costs a pointer per result. Results with a trace are never shared (the trace is set into
//! the new result's fields). What a set keeps is bounded in count and in the statements and keys listed
//! ([`MAX_RESULTS`]). Below whole results, the `MatchedStatement` of a statement is made once per set
//! and kept (the same statement always reads the same), and so are the strings of missing context keys and
//! of `decided_by`, for results made past the bound.

use std::sync::Mutex;

use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use iameval_core::{Decision, Evaluation, MatchedStatement};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};
use rustc_hash::{FxHashMap, FxHasher};

static RESULT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MATCHED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECISION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECISIONS: PyOnceLock<[Py<PyAny>; 3]> = PyOnceLock::new();
static OBJECT_NEW: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// At most this many objects of each kind kept per set. A statement's key and a missing key's name come
/// from the set's policies, so a set never needs more than its statements and keys; the bound holds
/// whatever a caller does. Past it, objects are made per result as before.
pub const MAX_SHARED: usize = 1 << 16;

/// At most this many whole results kept per set, holding at most [`MAX_KEPT_ITEMS`] matched statements, missing
/// keys and public statements in all (a result may list thousands): past either bound, results are made per
/// call (from the kept `MatchedStatement`s and key names). An item takes about 40 bytes in the key and 8 in
/// the result's tuple; a kept W1 result with its key about 600 bytes: a set keeps at most ~5 MB of results.
pub const MAX_RESULTS: usize = 1 << 12;

/// See [`MAX_RESULTS`].
pub const MAX_KEPT_ITEMS: usize = 1 << 16;

/// A statement of a set: the layer's position in `POLICY_TYPES`, the level (0 for none, else level + 1),
/// the policy's index and the statement's.
type StatementKey = (u8, usize, usize, usize);

/// The policy types a `MatchedStatement` names (`MatchedStatement::policy_type`).
const POLICY_TYPES: [&str; 7] =
    ["identity", "resource", "permission_boundary", "session", "scp", "rcp", "vpc_endpoint"];

/// The Python objects the results of one compiled set share.
#[derive(Default)]
pub struct Shared {
    maps: Mutex<Maps>,
}

#[derive(Default)]
struct Maps {
    matched: FxHashMap<StatementKey, Py<PyAny>>,
    keys: FxHashMap<Box<str>, Py<PyString>>,
    results: HashTable<KeptResult>,
    /// The items the kept results list, in all ([`MAX_KEPT_ITEMS`]).
    kept_items: usize,
}

/// A kept `Result` and the fields of the evaluations it stands for.
struct KeptResult {
    hash: u64,
    decision: Decision,
    decided_by: &'static str,
    matched: Box<[StatementKey]>,
    missing: Box<[Box<str>]>,
    public: Box<[usize]>,
    object: Py<PyAny>,
}

impl KeptResult {
    /// Whether `evaluation` gives this result's fields (its matched statements are the same statements:
    /// a statement's sid and effect are the set's).
    fn stands_for(&self, evaluation: &Evaluation) -> bool {
        self.decision == evaluation.decision
            && self.decided_by == evaluation.decided_by
            && self.matched.len() == evaluation.matched.len()
            && self.matched.iter().zip(&evaluation.matched).all(|(kept, m)| statement_key(m) == Some(*kept))
            && self.missing.len() == evaluation.missing_context_keys.len()
            && self.missing.iter().zip(&evaluation.missing_context_keys).all(|(kept, k)| **kept == **k)
            && *self.public == *evaluation.public_statements
    }
}

/// The key of a matched statement in its set (`None` for a policy type `POLICY_TYPES` does not name, which
/// the core never gives: such a statement's object is made per result).
fn statement_key(m: &MatchedStatement) -> Option<StatementKey> {
    let kind = POLICY_TYPES.iter().position(|t| *t == m.policy_type)?;
    Some((
        u8::try_from(kind).ok()?,
        m.level.map_or(0, |l| l.saturating_add(1)),
        m.policy_index,
        m.statement_index,
    ))
}

/// The hash of an evaluation's result fields, `None` when one of its statements has no key.
fn result_hash(evaluation: &Evaluation) -> Option<u64> {
    let mut hasher = FxHasher::default();
    evaluation.decision.hash(&mut hasher);
    evaluation.decided_by.hash(&mut hasher);
    evaluation.matched.len().hash(&mut hasher);
    for m in &evaluation.matched {
        statement_key(m)?.hash(&mut hasher);
    }
    evaluation.missing_context_keys.hash(&mut hasher);
    evaluation.public_statements.hash(&mut hasher);
    Some(hasher.finish())
}

impl Shared {
    /// The `MatchedStatement` of `m`: the set's kept object, made (and kept, within the bound) when new.
    fn matched<'py>(
        &self,
        py: Python<'py>,
        class: &Bound<'py, PyAny>,
        m: &MatchedStatement,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = statement_key(m);
        if let Some(key) = key
            && let Ok(maps) = self.maps.lock()
            && let Some(kept) = maps.matched.get(&key)
        {
            return Ok(kept.bind(py).clone());
        }
        let made = matched_statement(py, class, m)?;
        if let Some(key) = key
            && let Ok(mut maps) = self.maps.lock()
            && maps.matched.len() < MAX_SHARED
        {
            maps.matched.insert(key, made.clone().unbind());
        }
        Ok(made)
    }

    /// The string of a missing context key: the set's kept `str`, made (and kept, within the bound) when new.
    fn key<'py>(&self, py: Python<'py>, name: &str) -> Bound<'py, PyString> {
        if let Ok(maps) = self.maps.lock()
            && let Some(kept) = maps.keys.get(name)
        {
            return kept.bind(py).clone();
        }
        let made = PyString::new(py, name);
        if let Ok(mut maps) = self.maps.lock()
            && maps.keys.len() < MAX_SHARED
        {
            maps.keys.insert(name.into(), made.clone().unbind());
        }
        made
    }
}

/// An instance of the frozen dataclass `class` with these fields, made without running its `__init__`
/// (which checks nothing: the fields are set as `__init__` would set them, into the instance's `__dict__`).
fn instance<'py>(
    class: &Bound<'py, PyAny>,
    fields: &[(&Bound<'py, PyString>, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyAny>> {
    let py = class.py();
    // `object.__new__(class)`, what `class.__new__` resolves to for these dataclasses, without the lookup
    let new = OBJECT_NEW.get_or_try_init(py, || {
        py.import("builtins")?.getattr("object")?.getattr("__new__").map(Bound::unbind)
    })?;
    let object = new.bind(py).call1((class,))?;
    let dict = object.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
    for (name, value) in fields {
        dict.set_item(*name, value)?;
    }
    Ok(object)
}

/// A new `MatchedStatement` (its strings interned: the policy type and effect are a handful of words).
fn matched_statement<'py>(
    py: Python<'py>,
    class: &Bound<'py, PyAny>,
    m: &MatchedStatement,
) -> PyResult<Bound<'py, PyAny>> {
    instance(
        class,
        &[
            (intern!(py, "policy_type"), PyString::intern(py, m.policy_type).into_any()),
            (intern!(py, "policy_index"), m.policy_index.into_pyobject(py)?.into_any()),
            (intern!(py, "statement_index"), m.statement_index.into_pyobject(py)?.into_any()),
            (intern!(py, "sid"), m.sid.as_deref().into_pyobject(py)?.into_any()),
            (intern!(py, "effect"), PyString::intern(py, m.effect.as_str()).into_any()),
            (intern!(py, "level"), m.level.into_pyobject(py)?.into_any()),
        ],
    )
}

/// The `Decision` enum member of a decision (the three members are looked up once).
pub fn decision_member(py: Python<'_>, decision: Decision) -> PyResult<&Py<PyAny>> {
    let [allow, explicit, implicit] = DECISIONS.get_or_try_init(py, || -> PyResult<[Py<PyAny>; 3]> {
        let class = DECISION.import(py, "iameval.reference.result", "Decision")?;
        Ok([
            class.call1(("Allow",))?.unbind(),
            class.call1(("ExplicitDeny",))?.unbind(),
            class.call1(("ImplicitDeny",))?.unbind(),
        ])
    })?;
    Ok(match decision {
        Decision::Allow => allow,
        Decision::ExplicitDeny => explicit,
        Decision::ImplicitDeny => implicit,
    })
}

/// Look the result classes up now (see `batch::prime_for_fork`).
pub fn prime(py: Python<'_>) {
    let _ = RESULT.import(py, "iameval.reference.result", "Result");
    let _ = MATCHED.import(py, "iameval.reference.result", "MatchedStatement");
    let _ = decision_member(py, Decision::Allow);
}

/// The reference `Result` of an evaluation by a set whose shared objects are `shared`: the set's kept object
/// for these fields, made (and kept, within the bound) when new.
pub fn result<'py>(py: Python<'py>, shared: &Shared, evaluation: &Evaluation) -> PyResult<Bound<'py, PyAny>> {
    let Some(hash) = result_hash(evaluation) else {
        return unshared_result(py, shared, evaluation);
    };
    if let Ok(maps) = shared.maps.lock()
        && let Some(kept) = maps.results.find(hash, |kept| kept.stands_for(evaluation))
    {
        return Ok(kept.object.bind(py).clone());
    }
    let made = unshared_result(py, shared, evaluation)?;
    let items =
        evaluation.matched.len() + evaluation.missing_context_keys.len() + evaluation.public_statements.len();
    let Ok(mut maps) = shared.maps.lock() else { return Ok(made) };
    if maps.results.len() >= MAX_RESULTS || maps.kept_items.saturating_add(items) > MAX_KEPT_ITEMS {
        return Ok(made);
    }
    let matched: Option<Box<[StatementKey]>> = evaluation.matched.iter().map(statement_key).collect();
    if let Some(matched) = matched {
        let kept = KeptResult {
            hash,
            decision: evaluation.decision,
            decided_by: evaluation.decided_by,
            matched,
            missing: evaluation.missing_context_keys.iter().map(|k| k.as_str().into()).collect(),
            public: evaluation.public_statements.as_slice().into(),
            object: made.clone().unbind(),
        };
        maps.results.insert_unique(hash, kept, |kept| kept.hash);
        maps.kept_items += items;
    }
    Ok(made)
}

/// A new reference `Result` of an evaluation, never kept: for a result whose fields the caller sets further
/// (the trace), and for results past the bound.
pub fn unshared_result<'py>(
    py: Python<'py>,
    shared: &Shared,
    evaluation: &Evaluation,
) -> PyResult<Bound<'py, PyAny>> {
    let result_class = RESULT.import(py, "iameval.reference.result", "Result")?;
    let matched_class = MATCHED.import(py, "iameval.reference.result", "MatchedStatement")?;
    let decision = decision_member(py, evaluation.decision)?;
    let mut matched = Vec::with_capacity(evaluation.matched.len());
    for m in &evaluation.matched {
        matched.push(shared.matched(py, matched_class, m)?);
    }
    let mut missing = Vec::with_capacity(evaluation.missing_context_keys.len());
    for name in &evaluation.missing_context_keys {
        missing.push(shared.key(py, name));
    }
    instance(
        result_class,
        &[
            (intern!(py, "decision"), decision.bind(py).clone()),
            (intern!(py, "decided_by"), PyString::intern(py, evaluation.decided_by).into_any()),
            (intern!(py, "matched"), PyTuple::new(py, matched)?.into_any()),
            (intern!(py, "missing_context_keys"), PyTuple::new(py, missing)?.into_any()),
            (intern!(py, "public_statements"), PyTuple::new(py, &evaluation.public_statements)?.into_any()),
        ],
    )
}
