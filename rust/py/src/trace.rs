//! The core's [`Trace`] as the shared Python classes of `iameval.reference.trace`.

use iameval_core::trace::{ClauseTrace, LayerTrace, MatchDetail, StatementTrace, Trace};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

static CLASSES: PyOnceLock<[Py<PyAny>; 5]> = PyOnceLock::new();

/// `Trace`, `LayerTrace`, `StatementTrace`, `ClauseTrace`, `MatchDetail` (looked up once).
fn classes(py: Python<'_>) -> PyResult<&[Py<PyAny>; 5]> {
    CLASSES.get_or_try_init(py, || -> PyResult<[Py<PyAny>; 5]> {
        let module = py.import("iameval.reference.trace")?;
        let get = |name: &str| module.getattr(name).map(Bound::unbind);
        Ok([
            get("Trace")?,
            get("LayerTrace")?,
            get("StatementTrace")?,
            get("ClauseTrace")?,
            get("MatchDetail")?,
        ])
    })
}

fn build<'py>(
    class: &Py<PyAny>,
    py: Python<'py>,
    fields: &[(&str, Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(py);
    for (name, value) in fields {
        kwargs.set_item(*name, value)?;
    }
    class.bind(py).call((), Some(&kwargs))
}

fn detail<'py>(py: Python<'py>, detail: &MatchDetail) -> PyResult<Bound<'py, PyAny>> {
    let [.., class] = classes(py)?;
    build(
        class,
        py,
        &[
            ("matched", detail.matched.into_pyobject(py)?.to_owned().into_any()),
            ("pattern", detail.pattern.as_deref().into_pyobject(py)?.into_any()),
        ],
    )
}

fn clause<'py>(py: Python<'py>, clause: &ClauseTrace) -> PyResult<Bound<'py, PyAny>> {
    let [_, _, _, class, _] = classes(py)?;
    let request_values = match &clause.request_values {
        None => py.None().into_bound(py),
        Some(values) => PyTuple::new(py, values)?.into_any(),
    };
    let mut variables = Vec::with_capacity(clause.variables.len());
    for (name, value) in &clause.variables {
        variables.push(PyTuple::new(
            py,
            [name.into_pyobject(py)?.into_any(), value.as_deref().into_pyobject(py)?.into_any()],
        )?);
    }
    build(
        class,
        py,
        &[
            ("operator", clause.operator.as_str().into_pyobject(py)?.into_any()),
            ("key", clause.key.as_str().into_pyobject(py)?.into_any()),
            ("values", PyTuple::new(py, &clause.values)?.into_any()),
            ("request_values", request_values),
            ("variables", PyTuple::new(py, variables)?.into_any()),
            ("result", clause.result.into_pyobject(py)?.to_owned().into_any()),
        ],
    )
}

fn statement<'py>(py: Python<'py>, st: &StatementTrace) -> PyResult<Bound<'py, PyAny>> {
    let [_, _, class, _, _] = classes(py)?;
    let principal = match &st.principal {
        None => py.None().into_bound(py),
        Some(p) => detail(py, p)?,
    };
    let mut conditions = Vec::with_capacity(st.conditions.len());
    for c in &st.conditions {
        conditions.push(clause(py, c)?);
    }
    build(
        class,
        py,
        &[
            ("policy_index", st.policy_index.into_pyobject(py)?.into_any()),
            ("statement_index", st.statement_index.into_pyobject(py)?.into_any()),
            ("sid", st.sid.as_deref().into_pyobject(py)?.into_any()),
            ("effect", st.effect.as_str().into_pyobject(py)?.into_any()),
            ("action", detail(py, &st.action)?),
            ("principal", principal),
            ("resource", detail(py, &st.resource)?),
            ("conditions", PyTuple::new(py, conditions)?.into_any()),
            ("applies", st.applies.into_pyobject(py)?.to_owned().into_any()),
        ],
    )
}

fn layer<'py>(py: Python<'py>, layer: &LayerTrace) -> PyResult<Bound<'py, PyAny>> {
    let [_, class, ..] = classes(py)?;
    let mut statements = Vec::with_capacity(layer.statements.len());
    for st in &layer.statements {
        statements.push(statement(py, st)?);
    }
    build(
        class,
        py,
        &[
            ("policy_type", layer.policy_type.into_pyobject(py)?.into_any()),
            ("level", layer.level.into_pyobject(py)?.into_any()),
            ("applies", layer.applies.into_pyobject(py)?.to_owned().into_any()),
            ("statements", PyTuple::new(py, statements)?.into_any()),
        ],
    )
}

/// The trace as an `iameval.reference.trace.Trace`.
///
/// # Errors
/// Only a Python error while building the objects.
pub fn to_python<'py>(py: Python<'py>, trace: &Trace) -> PyResult<Bound<'py, PyAny>> {
    let [class, ..] = classes(py)?;
    let mut layers = Vec::with_capacity(trace.layers.len());
    for l in &trace.layers {
        layers.push(layer(py, l)?);
    }
    build(class, py, &[("layers", PyTuple::new(py, layers)?.into_any())])
}
