//! The policy grammar (IAM_RULES "Grammar and validation", R7, R13; Python `iameval.reference.policy`):
//! a document read into typed statements. Every problem is collected with its JSON pointer, and a policy
//! with any problem is rejected whole.

use std::sync::Arc;

use crate::condition::{Clause, operator_hint, parse_operator, read_policy_value, scalar_text};
use crate::error::{ErrorEntry, ErrorKind, Path, PathSegment};
use crate::hint::{closest, with_hint};
use crate::json::{self, Json};
use crate::pattern::lowercase;
use crate::resource_pattern::ResourcePattern;
use crate::variables::{Part, Template, parse_template, variable_before_fifth_colon};

const VERSION_2012: &str = "2012-10-17";
const VERSION_2008: &str = "2008-10-17";
/// At most this many statements in one policy (a limit of ours: AWS's size quotas keep real policies far
/// below it). A longer `Statement` list is rejected whole without reading its statements.
pub const MAX_STATEMENTS: usize = 10_000;
const TOP_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// The policy types of a policy set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An identity-based policy.
    Identity,
    /// A resource-based policy.
    Resource,
    /// A permissions boundary.
    PermissionBoundary,
    /// A session policy.
    Session,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

impl Kind {
    /// Every kind, in the reference's `KINDS` order.
    pub const ALL: [Self; 6] =
        [Self::Identity, Self::Resource, Self::PermissionBoundary, Self::Session, Self::Scp, Self::Rcp];

    /// The kind's name (`identity`, `permission_boundary`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::PermissionBoundary => "permission_boundary",
            Self::Session => "session",
            Self::Scp => "scp",
            Self::Rcp => "rcp",
        }
    }

    /// The kind with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    const fn described(self) -> &'static str {
        match self {
            Self::Identity => "an identity policy",
            Self::PermissionBoundary => "a permissions boundary",
            Self::Session => "a session policy",
            Self::Scp => "an SCP",
            Self::Resource => "a resource-based policy",
            Self::Rcp => "an RCP",
        }
    }
}

/// Statement effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// A Principal or NotPrincipal element (R5): `"*"`, or lists per principal type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalSpec {
    /// `"*"` or an `AWS` list containing `*`.
    pub star: bool,
    /// `AWS` entries.
    pub aws: Vec<String>,
    /// `Service` entries.
    pub service: Vec<String>,
    /// `Federated` entries.
    pub federated: Vec<String>,
    /// `CanonicalUser` entries.
    pub canonical: Vec<String>,
}

/// One Resource/NotResource pattern; `dead`: a variable before the fifth colon (R13), matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceEntry {
    /// The entry as written (for the trace).
    pub text: String,
    /// The pattern, when it has a variable (empty when `compiled` holds it).
    pub template: Template,
    /// Whether it matches nothing.
    pub dead: bool,
    /// The pattern compiled, when it has no variable.
    pub compiled: Option<ResourcePattern>,
    /// Its number among the set's entries with variables, under which a run with a constant context keeps
    /// it substituted and compiled ([`crate::condition::constant`]); [`NO_ENTRY`]: none (no variable, or
    /// outside a set).
    pub number: u32,
}

/// The number of a [`ResourceEntry`] that has none.
pub const NO_ENTRY: u32 = u32::MAX;

/// A statement's lowercased Action (or NotAction) patterns, in one text buffer (a managed policy's
/// statements name ~34 actions: one allocation instead of one per action).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionPatterns {
    text: Box<str>,
    /// The end of each pattern in `text` (each starts where the previous ends).
    ends: Box<[usize]>,
}

impl ActionPatterns {
    /// The patterns, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// The pattern at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&str> {
        let start = match index.checked_sub(1) {
            None => 0,
            Some(previous) => *self.ends.get(previous)?,
        };
        self.text.get(start..*self.ends.get(index)?)
    }

    /// How many patterns.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl<S: AsRef<str>> FromIterator<S> for ActionPatterns {
    fn from_iter<I: IntoIterator<Item = S>>(patterns: I) -> Self {
        let mut text = String::new();
        let mut ends = Vec::new();
        for pattern in patterns {
            text.push_str(pattern.as_ref());
            ends.push(text.len());
        }
        Self { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
    }
}

/// One statement, read and validated (R7).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Index in the policy's Statement list.
    pub index: usize,
    /// `Sid` (shared with the results that name the statement).
    pub sid: Option<Arc<str>>,
    /// `Effect`.
    pub effect: Effect,
    /// Lowercased action patterns (R3).
    pub actions: ActionPatterns,
    /// `NotAction`.
    pub not_action: bool,
    /// `None`: no Resource element (a trust policy).
    pub resources: Option<Vec<ResourceEntry>>,
    /// `NotResource`.
    pub not_resource: bool,
    /// Principal / NotPrincipal.
    pub principal: Option<Box<PrincipalSpec>>,
    /// `NotPrincipal`.
    pub not_principal: bool,
    /// The Condition block.
    pub conditions: Vec<Clause>,
}

/// A policy document of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Its kind.
    pub kind: Kind,
    /// `2012-10-17` or `2008-10-17`.
    pub version: &'static str,
    /// `Id`.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<Statement>,
}

fn push(path: &[PathSegment], segment: impl Into<PathSegment>) -> Path {
    let mut out = path.to_vec();
    out.push(segment.into());
    out
}

struct Reader {
    kind: Kind,
    location: String,
    errors: Vec<ErrorEntry>,
}

impl Reader {
    fn error(&mut self, kind: ErrorKind, path: Path, message: impl Into<String>) {
        self.errors.push(ErrorEntry { kind, policy: self.location.clone(), path, message: message.into() });
    }

    /// An `unknown_element` error for `key`, with a hint from the elements valid there ([`crate::hint`]).
    fn unknown(&mut self, key: &str, path: Path, what: &str, candidates: &[&str]) {
        let message = with_hint(format!("{what} `{key}`"), closest(key, candidates));
        self.error(ErrorKind::UnknownElement, path, message);
    }

    fn string_list(&mut self, value: &Json, path: &[PathSegment], what: &str) -> Option<Vec<String>> {
        let items = match value {
            Json::String(text) => return Some(vec![text.clone()]),
            Json::Array(items) => items,
            _ => {
                self.error(
                    ErrorKind::WrongType,
                    path.to_vec(),
                    format!("{what} must be a string or a list of strings"),
                );
                return None;
            }
        };
        if items.is_empty() {
            self.error(ErrorKind::EmptyList, path.to_vec(), format!("{what} must not be an empty list"));
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item {
                Json::String(text) => out.push(text.clone()),
                _ => {
                    self.error(
                        ErrorKind::WrongType,
                        push(path, i),
                        format!("{what} entries must be strings"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn document(&mut self, doc: &Json) -> Option<Policy> {
        let Json::Object(pairs) = doc else {
            self.error(ErrorKind::WrongType, Vec::new(), "a policy must be a JSON object");
            return None;
        };
        for (key, _) in pairs {
            if !TOP_ELEMENTS.contains(&key.as_str()) {
                self.unknown(key, vec![key.as_str().into()], "unknown element", &TOP_ELEMENTS);
            }
        }
        let version = match doc.get("Version") {
            None => VERSION_2008,
            Some(Json::String(v)) if v == VERSION_2012 => VERSION_2012,
            Some(Json::String(v)) if v == VERSION_2008 => VERSION_2008,
            Some(_) => {
                self.error(
                    ErrorKind::InvalidValue,
                    vec!["Version".into()],
                    format!("version must be `{VERSION_2012}` or `{VERSION_2008}`"),
                );
                VERSION_2008
            }
        };
        let id = match doc.get("Id") {
            None | Some(Json::Null) => None,
            Some(Json::String(id)) => Some(id.clone()),
            Some(_) => {
                self.error(ErrorKind::WrongType, vec!["Id".into()], "`Id` must be a string");
                None
            }
        };
        let Some(raw) = doc.get("Statement") else {
            self.error(ErrorKind::MissingElement, Vec::new(), "a policy needs a `Statement` element");
            return None;
        };
        let mut statements = Vec::new();
        match raw {
            Json::Object(_) => statements.extend(self.statement(raw, vec!["Statement".into()], 0, version)),
            Json::Array(items) if items.len() > MAX_STATEMENTS => {
                let message =
                    format!("a policy may have at most {MAX_STATEMENTS} statements, not {}", items.len());
                self.error(ErrorKind::InvalidValue, vec!["Statement".into()], message);
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    statements.extend(self.statement(item, vec!["Statement".into(), i.into()], i, version));
                }
            }
            _ => self.error(
                ErrorKind::WrongType,
                vec!["Statement".into()],
                "`Statement` must be an object or a list of objects",
            ),
        }
        statements.shrink_to_fit(); // kept for the set's life: no spare room
        Some(Policy { kind: self.kind, version, id, statements })
    }

    fn statement(
        &mut self,
        raw: &Json,
        path: Path,
        index: usize,
        version: &'static str,
    ) -> Option<Statement> {
        let Json::Object(pairs) = raw else {
            self.error(ErrorKind::WrongType, path, "a statement must be a JSON object");
            return None;
        };
        let before = self.errors.len();
        for (key, _) in pairs {
            if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
                self.unknown(key, push(&path, key.as_str()), "unknown element", &STATEMENT_ELEMENTS);
            }
        }
        let sid = match raw.get("Sid") {
            None | Some(Json::Null) => None,
            Some(Json::String(sid)) => Some(Arc::from(sid.as_str())),
            Some(_) => {
                self.error(ErrorKind::WrongType, push(&path, "Sid"), "`Sid` must be a string");
                None
            }
        };
        let effect = match raw.get("Effect") {
            None | Some(Json::Null) => {
                self.error(ErrorKind::MissingElement, path.clone(), "a statement needs an `Effect` element");
                None
            }
            Some(Json::String(e)) if e == "Allow" => Some(Effect::Allow),
            Some(Json::String(e)) if e == "Deny" => Some(Effect::Deny),
            Some(_) => {
                self.error(
                    ErrorKind::InvalidValue,
                    push(&path, "Effect"),
                    "`Effect` must be `Allow` or `Deny`",
                );
                None
            }
        };
        let (actions, not_action) = self.actions(raw, &path);
        let (resources, not_resource) = self.resources(raw, &path, version);
        let (principal, not_principal) = self.principal(raw, &path);
        let conditions = self.conditions(raw.get("Condition"), &push(&path, "Condition"), version);
        if self.errors.len() > before {
            return None;
        }
        Some(Statement {
            index,
            sid,
            effect: effect?,
            actions,
            not_action,
            resources,
            not_resource,
            principal: principal.map(Box::new), // most statements have none: 8 bytes, not 104
            not_principal,
            conditions,
        })
    }

    fn actions(&mut self, raw: &Json, path: &[PathSegment]) -> (ActionPatterns, bool) {
        let (has_action, has_not) = (raw.get("Action").is_some(), raw.get("NotAction").is_some());
        if has_action && has_not {
            self.error(
                ErrorKind::ConflictingElements,
                path.to_vec(),
                "a statement cannot have both `Action` and `NotAction`",
            );
            return (ActionPatterns::default(), false);
        }
        let (name, value) = match (raw.get("Action"), raw.get("NotAction")) {
            (Some(value), _) => ("Action", value),
            (None, Some(value)) => ("NotAction", value),
            (None, None) => {
                self.error(
                    ErrorKind::MissingElement,
                    path.to_vec(),
                    "a statement needs `Action` or `NotAction`",
                );
                return (ActionPatterns::default(), false);
            }
        };
        let at = push(path, name);
        let Some(values) = self.string_list(value, &at, &format!("`{name}`")) else {
            return (ActionPatterns::default(), false);
        };
        for (i, action) in values.iter().enumerate() {
            let valid = action == "*"
                || action
                    .split_once(':')
                    .is_some_and(|(service, rest)| !service.is_empty() && !rest.is_empty());
            if !valid {
                let where_ = if matches!(value, Json::String(_)) { at.clone() } else { push(&at, i) };
                self.error(
                    ErrorKind::InvalidValue,
                    where_,
                    format!("action `{action}` must be `*` or `service:action`"),
                );
            }
        }
        (values.iter().map(|a| lowercase(a)).collect(), has_not)
    }

    fn resources(
        &mut self,
        raw: &Json,
        path: &[PathSegment],
        version: &str,
    ) -> (Option<Vec<ResourceEntry>>, bool) {
        let (has_res, has_not) = (raw.get("Resource").is_some(), raw.get("NotResource").is_some());
        if has_res && has_not {
            self.error(
                ErrorKind::ConflictingElements,
                path.to_vec(),
                "a statement cannot have both `Resource` and `NotResource`",
            );
            return (None, false);
        }
        let (name, value) = match (raw.get("Resource"), raw.get("NotResource")) {
            (Some(value), _) => ("Resource", value),
            (None, Some(value)) => ("NotResource", value),
            (None, None) => {
                if self.kind != Kind::Resource {
                    self.error(
                        ErrorKind::MissingElement,
                        path.to_vec(),
                        "a statement needs `Resource` or `NotResource`",
                    );
                }
                return (None, false);
            }
        };
        let at = push(path, name);
        let Some(values) = self.string_list(value, &at, &format!("`{name}`")) else {
            return (None, false);
        };
        let mut entries = Vec::new();
        for (i, text) in values.iter().enumerate() {
            if text.is_empty() {
                let where_ = if matches!(value, Json::String(_)) { at.clone() } else { push(&at, i) };
                self.error(ErrorKind::InvalidValue, where_, format!("`{name}` entries must not be empty"));
                continue;
            }
            let mut template = parse_template(text, version == VERSION_2012);
            let dead = variable_before_fifth_colon(&template);
            let compiled = match template.as_slice() {
                [Part::Text(text)] => Some(ResourcePattern::new(text)),
                _ => None,
            };
            if compiled.is_some() {
                template = Template::new(); // a pattern without variables is read through `compiled` only
            }
            entries.push(ResourceEntry { text: text.clone(), template, dead, compiled, number: NO_ENTRY });
        }
        entries.shrink_to_fit();
        (Some(entries), has_not)
    }

    fn principal(&mut self, raw: &Json, path: &[PathSegment]) -> (Option<PrincipalSpec>, bool) {
        let (has_p, has_not) = (raw.get("Principal").is_some(), raw.get("NotPrincipal").is_some());
        let (name, value) = match (raw.get("Principal"), raw.get("NotPrincipal")) {
            (Some(value), _) => ("Principal", value),
            (None, Some(value)) => ("NotPrincipal", value),
            (None, None) => {
                if self.kind == Kind::Resource {
                    self.error(
                        ErrorKind::MissingElement,
                        path.to_vec(),
                        "a resource-based statement needs `Principal` or `NotPrincipal`",
                    );
                }
                return (None, false);
            }
        };
        let at = push(path, name);
        if !matches!(self.kind, Kind::Resource | Kind::Rcp) {
            self.error(
                ErrorKind::ElementNotAllowed,
                at,
                format!(
                    "`{name}` is only allowed in resource-based policies, not in {}",
                    self.kind.described()
                ),
            );
            return (None, false);
        }
        if has_p && has_not {
            self.error(
                ErrorKind::ConflictingElements,
                path.to_vec(),
                "a statement cannot have both `Principal` and `NotPrincipal`",
            );
            return (None, false);
        }
        if value.as_str() == Some("*") {
            return (Some(PrincipalSpec { star: true, ..PrincipalSpec::default() }), has_not);
        }
        let Json::Object(pairs) = value else {
            self.error(
                ErrorKind::WrongType,
                at,
                format!("`{name}` must be `*` or an object such as {{\"AWS\": ...}}"),
            );
            return (None, false);
        };
        if pairs.is_empty() {
            self.error(ErrorKind::InvalidValue, at, format!("`{name}` must name at least one principal"));
            return (None, false);
        }
        let mut spec = PrincipalSpec::default();
        for (key, entry) in pairs {
            let where_ = push(&at, key.as_str());
            if !PRINCIPAL_TYPES.contains(&key.as_str()) {
                self.unknown(key, where_, "unknown principal type", &PRINCIPAL_TYPES);
                continue;
            }
            if let Some(names) = self.string_list(entry, &where_, &format!("`{key}` principals")) {
                match key.as_str() {
                    "AWS" => spec.aws = names,
                    "Service" => spec.service = names,
                    "Federated" => spec.federated = names,
                    _ => spec.canonical = names,
                }
            }
        }
        spec.star = spec.aws.iter().any(|a| a == "*");
        (Some(spec), has_not)
    }

    fn conditions(&mut self, raw: Option<&Json>, path: &[PathSegment], version: &str) -> Vec<Clause> {
        let pairs = match raw {
            None | Some(Json::Null) => return Vec::new(),
            Some(Json::Object(pairs)) => pairs,
            Some(_) => {
                self.error(ErrorKind::WrongType, path.to_vec(), "`Condition` must be an object");
                return Vec::new();
            }
        };
        let mut clauses = Vec::new();
        for (op_name, block) in pairs {
            let op_path = push(path, op_name.as_str());
            let Some(op) = parse_operator(op_name) else {
                let message = format!("unknown condition operator `{op_name}`");
                self.error(
                    ErrorKind::UnknownOperator,
                    op_path,
                    with_hint(message, operator_hint(op_name).as_deref()),
                );
                continue;
            };
            let Json::Object(keys) = block else {
                self.error(
                    ErrorKind::WrongType,
                    op_path,
                    format!("the `{op_name}` block must be an object of condition keys"),
                );
                continue;
            };
            for (key, raw_values) in keys {
                let key_path = push(&op_path, key.as_str());
                if key.is_empty() {
                    self.error(ErrorKind::InvalidValue, key_path, "condition key names must not be empty");
                    continue;
                }
                let (items, listed) = match raw_values {
                    Json::Array(items) => (items.as_slice(), true),
                    other => (std::slice::from_ref(other), false),
                };
                let mut values = Vec::new();
                let mut texts = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match read_policy_value(&op, item, version == VERSION_2012) {
                        Ok(value) => {
                            values.push(value);
                            texts.push(scalar_text(item).unwrap_or_default());
                        }
                        Err(problem) => {
                            let where_ = if listed { push(&key_path, i) } else { key_path.clone() };
                            self.error(ErrorKind::InvalidConditionValue, where_, problem);
                        }
                    }
                }
                let key_lower = lowercase(key);
                values.shrink_to_fit();
                texts.shrink_to_fit();
                clauses.push(Clause {
                    op: op.clone(),
                    key: key.clone(),
                    key_lower,
                    values,
                    texts,
                    slot: crate::facts::NO_SLOT,
                    memo: crate::condition::memo::NO_MEMO,
                });
            }
        }
        clauses.shrink_to_fit();
        clauses
    }
}

/// Read a policy given as a JSON value; a [`Json::String`] is JSON text, read strictly first (as the
/// reference reads a `str` policy). Returns the policy, or every problem (located at `location`).
///
/// # Errors
/// Every problem found, each with `policy` set to `location`.
pub fn read_policy(source: &Json, kind: Kind, location: &str) -> Result<Policy, Vec<ErrorEntry>> {
    let parsed;
    let (doc, mut errors) = match source {
        Json::String(text) => {
            let (value, errors) = json::parse_str(text);
            parsed = value;
            (parsed.as_ref(), errors)
        }
        other => (Some(other), Vec::new()),
    };
    for error in &mut errors {
        error.policy = location.to_owned();
    }
    let Some(doc) = doc else {
        return Err(errors);
    };
    let mut reader = Reader { kind, location: location.to_owned(), errors: Vec::new() };
    let policy = reader.document(doc);
    errors.extend(reader.errors);
    match policy {
        Some(policy) if errors.is_empty() => Ok(policy),
        _ => Err(errors),
    }
}

/// Every problem in a policy document (`[]` when it is valid), as the reference `validate_policy`.
#[must_use]
pub fn validate_policy(source: &Json, kind: Kind) -> Vec<ErrorEntry> {
    read_policy(source, kind, "").err().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, kind: Kind) -> Vec<(String, &'static str)> {
        validate_policy(&Json::String(text.to_owned()), kind)
            .into_iter()
            .map(|e| (e.pointer(), e.kind.as_str()))
            .collect()
    }

    #[test]
    fn test_grammar_errors_are_all_collected_with_pointers() {
        let found = errors(
            r#"{"Version": "2012-10-18", "X": 1, "Statement": [{"Effect": "Permit", "Action": [],
                "Resource": ["", 3], "Principal": "*", "Condition": {"StringLikeX": {}, "NumericEquals": {"k": ["a", 1]}}}]}"#,
            Kind::Identity,
        );
        assert_eq!(
            found,
            [
                ("/X".to_owned(), "unknown_element"),
                ("/Version".to_owned(), "invalid_value"),
                ("/Statement/0/Effect".to_owned(), "invalid_value"),
                ("/Statement/0/Action".to_owned(), "empty_list"),
                ("/Statement/0/Resource/1".to_owned(), "wrong_type"),
                ("/Statement/0/Principal".to_owned(), "element_not_allowed"),
                ("/Statement/0/Condition/StringLikeX".to_owned(), "unknown_operator"),
                ("/Statement/0/Condition/NumericEquals/k/0".to_owned(), "invalid_condition_value"),
            ]
        );
    }

    fn messages(text: &str, kind: Kind) -> Vec<(String, String)> {
        validate_policy(&Json::String(text.to_owned()), kind)
            .into_iter()
            .map(|e| (e.pointer(), e.message))
            .collect()
    }

    fn condition_messages(operators: &[&str]) -> Vec<String> {
        let block: Vec<String> = operators.iter().map(|op| format!("\"{op}\": {{\"k\": \"v\"}}")).collect();
        let text = format!(
            r#"{{"Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {{{}}}}}}}"#,
            block.join(", ")
        );
        messages(&text, Kind::Identity).into_iter().map(|(_, message)| message).collect()
    }

    #[test]
    fn test_grammar_did_you_mean_element() {
        let found = messages(
            r#"{"version": "2012-10-17", "Statment": [{"Efect": "Allow", "Action": "*", "Resource": "*",
                "Resources": "*", "Id": "x", "Conditions": {}}]}"#,
            Kind::Identity,
        );
        let expected = [
            ("/version", "unknown element `version` (did you mean `Version`?)"),
            ("/Statment", "unknown element `Statment` (did you mean `Statement`?)"),
            ("", "a policy needs a `Statement` element"),
        ];
        assert_eq!(found, expected.map(|(p, m)| (p.to_owned(), m.to_owned())));
        let found = messages(
            r#"{"Statement": [{"Efect": "Allow", "Action": "*", "Resource": "*", "Resources": "*", "Id": "x",
                "Conditions": {}, "effect": "Allow"}]}"#,
            Kind::Identity,
        );
        let expected = [
            ("/Statement/0/Efect", "unknown element `Efect` (did you mean `Effect`?)"),
            ("/Statement/0/Resources", "unknown element `Resources` (did you mean `Resource`?)"),
            ("/Statement/0/Id", "unknown element `Id` (did you mean `Sid`?)"),
            ("/Statement/0/Conditions", "unknown element `Conditions` (did you mean `Condition`?)"),
            ("/Statement/0/effect", "unknown element `effect` (did you mean `Effect`?)"),
            ("/Statement/0", "a statement needs an `Effect` element"),
        ];
        assert_eq!(found, expected.map(|(p, m)| (p.to_owned(), m.to_owned())));
        let found = messages(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"Aws": "*", "Services": "s",
                "federated": "f", "Canonical": "c", "Group": "g"}}}"#,
            Kind::Resource,
        );
        let expected = [
            ("/Statement/Principal/Aws", "unknown principal type `Aws` (did you mean `AWS`?)"),
            ("/Statement/Principal/Services", "unknown principal type `Services` (did you mean `Service`?)"),
            (
                "/Statement/Principal/federated",
                "unknown principal type `federated` (did you mean `Federated`?)",
            ),
            (
                "/Statement/Principal/Canonical",
                "unknown principal type `Canonical` (did you mean `CanonicalUser`?)",
            ),
            ("/Statement/Principal/Group", "unknown principal type `Group`"),
        ];
        assert_eq!(found, expected.map(|(p, m)| (p.to_owned(), m.to_owned())));
    }

    #[test]
    fn test_grammar_did_you_mean_operator() {
        let found = condition_messages(&[
            "StringEqualz",
            "IpAddres",
            "stringequal",
            "NumericLessThanEqual",
            "StringEqualzIfExists",
            "ArnLikIfExists",
            "StringEqualsIfExist",
            "ArnLikeifexist",
            "Nul",
            "bool2",
        ]);
        assert_eq!(
            found,
            [
                "unknown condition operator `StringEqualz` (did you mean `StringEquals`?)",
                "unknown condition operator `IpAddres` (did you mean `IpAddress`?)",
                "unknown condition operator `stringequal` (did you mean `StringEquals`?)",
                "unknown condition operator `NumericLessThanEqual` (did you mean `NumericLessThanEquals`?)",
                "unknown condition operator `StringEqualzIfExists` (did you mean `StringEqualsIfExists`?)",
                "unknown condition operator `ArnLikIfExists` (did you mean `ArnLikeIfExists`?)",
                "unknown condition operator `StringEqualsIfExist` (did you mean `StringEqualsIfExists`?)",
                "unknown condition operator `ArnLikeifexist` (did you mean `ArnLikeIfExists`?)",
                "unknown condition operator `Nul` (did you mean `Null`?)",
                "unknown condition operator `bool2` (did you mean `Bool`?)",
            ]
        );
    }

    #[test]
    fn test_grammar_did_you_mean_qualifier() {
        let found = condition_messages(&[
            "ForAllValue:StringEquals",
            "ForAnyValues:StringLikeIfExists",
            "forallvalues:StringLik",
            "ForAnyValue:StringEqualz",
            "ForAllValue:Nul",
            "ForAnyValue:NullIfExists",
            "Condition:StringEquals",
        ]);
        assert_eq!(
            found,
            [
                "unknown condition operator `ForAllValue:StringEquals` (did you mean `ForAllValues:StringEquals`?)",
                "unknown condition operator `ForAnyValues:StringLikeIfExists` (did you mean \
                 `ForAnyValue:StringLikeIfExists`?)",
                "unknown condition operator `forallvalues:StringLik` (did you mean `ForAllValues:StringLike`?)",
                "unknown condition operator `ForAnyValue:StringEqualz` (did you mean `ForAnyValue:StringEquals`?)",
                "unknown condition operator `ForAllValue:Nul` (did you mean `ForAllValues:Null`?)",
                "unknown condition operator `ForAnyValue:NullIfExists`",
                "unknown condition operator `Condition:StringEquals`",
            ]
        );
    }

    #[test]
    fn test_grammar_did_you_mean_no_hint_when_far() {
        let found = condition_messages(&[
            "NullIfExists",
            "nullifexists",
            "xyz",
            "",
            "IfExists",
            "ArnXyzIfExists",
            "ForEveryValue:StringEquals",
        ]);
        assert_eq!(
            found,
            [
                "unknown condition operator `NullIfExists`",
                "unknown condition operator `nullifexists`",
                "unknown condition operator `xyz`",
                "unknown condition operator ``",
                "unknown condition operator `IfExists`",
                "unknown condition operator `ArnXyzIfExists`",
                "unknown condition operator `ForEveryValue:StringEquals`",
            ]
        );
        let long = "S".repeat(100_000);
        let text =
            format!(r#"{{"Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "{long}": 1}}}}"#);
        assert_eq!(
            messages(&text, Kind::Identity),
            [(format!("/Statement/{long}"), format!("unknown element `{long}`"))]
        );
        let found = messages(r#"{"Statement": [], "Foo": 1, "Versionz12": 2}"#, Kind::Identity);
        assert_eq!(
            found,
            [
                ("/Foo".to_owned(), "unknown element `Foo`".to_owned()),
                ("/Versionz12".to_owned(), "unknown element `Versionz12`".to_owned())
            ]
        );
    }

    #[test]
    fn test_r7_valid_statement_reads() {
        let found = errors(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "NotAction": "s3:*"}}"#,
            Kind::Resource,
        );
        assert!(found.is_empty(), "{found:?}");
        let found = errors(
            r#"{"Statement": {"Effect": "Allow", "Action": "s3", "Resource": "*", "Sid": 1}}"#,
            Kind::Scp,
        );
        assert_eq!(
            found,
            [("/Statement/Sid".to_owned(), "wrong_type"), ("/Statement/Action".to_owned(), "invalid_value")]
        );
    }

    #[test]
    fn test_r3_action_patterns_keep_every_pattern_in_order() {
        let written = ["s3:getobject", "", "ec2:describe*", "*", "é:ü"];
        let patterns: ActionPatterns = written.iter().collect();
        assert_eq!(patterns.len(), written.len());
        assert!(!patterns.is_empty());
        assert_eq!(patterns.iter().collect::<Vec<_>>(), written);
        for (i, pattern) in written.iter().enumerate() {
            assert_eq!(patterns.get(i), Some(*pattern));
        }
        assert_eq!(patterns.get(written.len()), None);
        let none = ActionPatterns::default();
        assert!(none.is_empty() && none.iter().next().is_none() && none.get(0).is_none());
    }
}
