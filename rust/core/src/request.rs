//! The request (IAM_RULES R1, R2; Python `iameval.reference.request`): principal, action, resource,
//! accounts and context, read from a JSON object and classified.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use std::sync::Arc;

use crate::error::{Error, ErrorEntry, ErrorKind, PathSegment};
use crate::json::Json;
use crate::pattern::{lowercase, lowercase_into, split_arn};

/// A context value: single-valued, or multivalued (an empty list is a present key with no values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A string.
    Single(String),
    /// A list of strings.
    Multi(Vec<String>),
}

/// The request context: lowercased key name (R2) to value.
pub type Context = HashMap<String, ContextValue, FxBuildHasher>;

/// What kind of principal a request's caller is (R1, R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// An IAM user.
    User,
    /// A session of this role whose session ARN is named nowhere.
    Role,
    /// An assumed-role session.
    Session,
    /// A federated-user session.
    Federated,
    /// The account root user.
    Root,
    /// A service principal (`events.amazonaws.com`).
    Service,
    /// An anonymous caller (`*` or `anonymous`).
    Anonymous,
    /// An S3 canonical user id.
    Canonical,
    /// Any other ARN.
    Other,
}

/// The principal of a request, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The principal as given.
    pub arn: String,
    /// Its kind.
    pub kind: CallerKind,
    /// Its account, when it has one.
    pub account: Option<String>,
    /// The ARN's partition.
    pub partition: Option<String>,
    /// Role name (role and session).
    pub role_name: Option<String>,
    /// Role path (role only).
    pub role_path: Option<String>,
}

impl Caller {
    /// An IAM identity of an account: identity policies, boundaries and SCPs can apply to it.
    #[must_use]
    pub const fn is_iam(&self) -> bool {
        matches!(
            self.kind,
            CallerKind::User
                | CallerKind::Role
                | CallerKind::Session
                | CallerKind::Federated
                | CallerKind::Root
                | CallerKind::Other
        )
    }
}

pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Read the principal string of a request; `None` when it is not a principal.
#[must_use]
pub fn classify_principal(principal: &str) -> Option<Caller> {
    let caller = |kind, account: Option<&str>, partition: Option<&str>| Caller {
        arn: principal.to_owned(),
        kind,
        account: account.map(str::to_owned),
        partition: partition.map(str::to_owned),
        role_name: None,
        role_path: None,
    };
    if principal == "*" || principal == "anonymous" {
        return Some(caller(CallerKind::Anonymous, None, None));
    }
    let Some([prefix, partition, service, _region, account, resource]) = split_arn(principal) else {
        if principal.len() == 64 && principal.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(caller(CallerKind::Canonical, None, None));
        }
        if principal.contains('.') && !principal.contains([':', '/', ' ']) {
            return Some(caller(CallerKind::Service, None, None));
        }
        return None;
    };
    if prefix != "arn" || partition.is_empty() || !is_account_id(account) {
        return None;
    }
    let base = |kind| caller(kind, Some(account), Some(partition));
    if service == "iam" {
        if resource == "root" {
            return Some(base(CallerKind::Root));
        }
        if resource.starts_with("user/") {
            return Some(base(CallerKind::User));
        }
        if let Some(rest) = resource.strip_prefix("role")
            && rest.starts_with('/')
        {
            let (path, name) = rest.rsplit_once('/').unwrap_or(("", rest));
            if name.is_empty() {
                return None;
            }
            return Some(Caller {
                role_name: Some(name.to_owned()),
                role_path: Some(format!("{path}/")),
                ..base(CallerKind::Role)
            });
        }
    }
    if service == "sts" {
        if resource.starts_with("assumed-role/") {
            let pieces: Vec<&str> = resource.split('/').collect();
            return match pieces.as_slice() {
                [_, role, session] if !role.is_empty() && !session.is_empty() => {
                    Some(Caller { role_name: Some((*role).to_owned()), ..base(CallerKind::Session) })
                }
                _ => None,
            };
        }
        if resource.starts_with("federated-user/") {
            return Some(base(CallerKind::Federated));
        }
    }
    Some(base(CallerKind::Other))
}

/// A request checked and normalized for evaluation (R1 account defaults applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The caller, classified (shared: the requests of one principal can share one classification).
    pub caller: Arc<Caller>,
    /// The action, lowercased.
    pub action: String,
    /// The lowercased service prefix of the action.
    pub service: String,
    /// The resource (`*` when absent).
    pub resource: String,
    /// The principal's account (given, or from the principal ARN).
    pub principal_account: Option<String>,
    /// The resource's account (given, from the resource ARN, or the principal's).
    pub resource_account: Option<String>,
    /// The context, keys lowercased (shared: a batch gives many requests the same context).
    pub context: Arc<Context>,
    /// Byte offsets of the five `:` that split `resource` into its ARN fields (`None` for `*`).
    colons: Option<[usize; 5]>,
}

/// The offsets of the first five `:` of `text`.
fn colons_of(text: &str) -> Option<[usize; 5]> {
    let mut found = [0_usize; 5];
    let mut filled = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            *found.get_mut(filled)? = i;
            filled += 1;
            if filled == found.len() {
                return Some(found);
            }
        }
    }
    None
}

const FIELDS: [&str; 6] =
    ["principal", "action", "resource", "context", "principal_account", "resource_account"];

fn scalar(value: &Json) -> Option<String> {
    match value {
        Json::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Json::String(text) => Some(text.clone()),
        Json::Number(text) if !crate::json::is_unreadable_number(text) => Some(text.clone()),
        _ => None,
    }
}

fn key_path(keys: &[&str]) -> Vec<PathSegment> {
    keys.iter().map(|k| PathSegment::Key((*k).to_owned())).collect()
}

fn read_context(raw: Option<&Json>, errors: &mut Vec<ErrorEntry>) -> Context {
    let mut out = Context::default();
    let pairs = match raw {
        None | Some(Json::Null) => return out,
        Some(Json::Object(pairs)) => pairs,
        Some(_) => {
            errors.push(ErrorEntry::new(
                ErrorKind::WrongType,
                key_path(&["context"]),
                "`context` must be an object",
            ));
            return out;
        }
    };
    for (key, value) in pairs {
        let path = key_path(&["context", key]);
        if key.is_empty() {
            errors.push(ErrorEntry::new(
                ErrorKind::InvalidValue,
                path,
                "context keys must be non-empty strings",
            ));
            continue;
        }
        let converted = if let Json::Array(items) = value {
            let mut texts = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match scalar(item) {
                    Some(text) => texts.push(text),
                    None => {
                        let mut at = path.clone();
                        at.push(PathSegment::Index(i));
                        errors.push(ErrorEntry::new(
                            ErrorKind::WrongType,
                            at,
                            "context values must be strings",
                        ));
                    }
                }
            }
            ContextValue::Multi(texts)
        } else if let Some(text) = scalar(value) {
            ContextValue::Single(text)
        } else {
            errors.push(ErrorEntry::new(
                ErrorKind::WrongType,
                path,
                "context values must be strings or lists of strings",
            ));
            continue;
        };
        let low = lowercase(key);
        if out.contains_key(&low) {
            errors.push(ErrorEntry::new(
                ErrorKind::JsonDuplicateKey,
                path,
                format!("context key `{key}` is given twice"),
            ));
        }
        out.insert(low, converted);
    }
    out
}

/// Read a request context given as a JSON object (R2), as [`Request::from_json`] reads its `context`.
///
/// # Errors
/// Every problem, with paths that start with `context`.
pub fn read_context_json(raw: &Json) -> Result<Context, Vec<ErrorEntry>> {
    let mut errors = Vec::new();
    let context = read_context(Some(raw), &mut errors);
    if errors.is_empty() { Ok(context) } else { Err(errors) }
}

/// Read a request's principal (R1).
///
/// # Errors
/// The message of an `invalid_value` error when it is not a principal ARN or service name.
pub fn read_principal(principal: &str) -> Result<Caller, String> {
    classify_principal(principal)
        .ok_or_else(|| format!("`{principal}` is not a principal ARN or service name"))
}

/// The service part of an action (`s3` of `s3:GetObject`), as written.
fn action_service(action: &str) -> Result<&str, String> {
    let colon = action.bytes().position(|b| b == b':');
    match colon.and_then(|i| Some((action.get(..i)?, action.get(i + 1..)?))) {
        Some((service, name)) if !service.is_empty() && !name.is_empty() => Ok(service),
        _ => Err(format!("action `{action}` must be `service:Action`")),
    }
}

/// The account field of a resource ARN (`None` for `*` and for an empty field).
fn resource_account_field(resource: &str) -> Result<Option<&str>, String> {
    resource_account_with(resource, colons_of(resource))
}

/// [`resource_account_field`] with the colons already found.
fn resource_account_with(resource: &str, colons: Option<[usize; 5]>) -> Result<Option<&str>, String> {
    if resource == "*" {
        return Ok(None);
    }
    let fields = colons.and_then(|[a, _, _, d, e]| Some((resource.get(..a)?, resource.get(d + 1..e)?)));
    match fields {
        Some(("arn", account)) => Ok(Some(account).filter(|a| !a.is_empty())),
        _ => Err(format!("resource `{resource}` must be an ARN or `*`")),
    }
}

/// An action checked and lowercased once (R3), for [`Request::set_prepared_action`]: a grid sets each of its
/// actions for every principal.
#[derive(Debug, Clone)]
pub struct PreparedAction {
    action: String,
    service: String,
}

impl PreparedAction {
    /// Check and lowercase `action` as [`Request::set_action`] does.
    ///
    /// # Errors
    /// The message of an `invalid_value` error, as [`Request::set_action`] gives.
    pub fn new(action: &str) -> Result<Self, String> {
        let service = action_service(action)?;
        Ok(Self { action: lowercase(action), service: lowercase(service) })
    }
}

/// A resource checked once (an ARN or `*`, R4) with what a request derives from it: where its first five
/// colons are, and its account from the ARN (R1), for [`Request::set_prepared_resource`].
#[derive(Debug, Clone, Copy)]
pub struct PreparedResource<'a> {
    text: &'a str,
    /// `None` for `*`.
    colons: Option<[usize; 5]>,
    account: Option<&'a str>,
}

impl<'a> PreparedResource<'a> {
    /// Check `resource`.
    ///
    /// # Errors
    /// The message of an `invalid_value` error, as [`Request::set_resource`] gives.
    pub fn new(resource: &'a str) -> Result<Self, String> {
        let colons = colons_of(resource);
        let account = resource_account_with(resource, colons)?;
        Ok(Self { text: resource, colons: if resource == "*" { None } else { colons }, account })
    }
}

impl Request {
    /// Check a request given as a JSON object with the keys of a vector's `request` and apply R1's account
    /// defaults (the reference `read_request`).
    ///
    /// # Errors
    /// [`Error::Request`] listing every problem.
    pub fn from_json(data: &Json) -> Result<Self, Error> {
        let Json::Object(pairs) = data else {
            return Err(Error::Request(vec![ErrorEntry::new(
                ErrorKind::WrongType,
                Vec::new(),
                "a request must be a `Request` or a dict",
            )]));
        };
        let mut errors = Vec::new();
        for (key, _) in pairs {
            if !FIELDS.contains(&key.as_str()) {
                errors.push(ErrorEntry::new(
                    ErrorKind::UnknownElement,
                    key_path(&[key]),
                    format!("unknown request field `{key}`"),
                ));
            }
        }
        let mut text = |name: &str, required: bool| -> Option<String> {
            match data.get(name) {
                None | Some(Json::Null) => {
                    if required {
                        errors.push(ErrorEntry::new(
                            ErrorKind::MissingElement,
                            Vec::new(),
                            format!("a request needs `{name}`"),
                        ));
                    }
                    None
                }
                Some(Json::String(value)) if !value.is_empty() => Some(value.clone()),
                Some(_) => {
                    errors.push(ErrorEntry::new(
                        ErrorKind::WrongType,
                        key_path(&[name]),
                        format!("`{name}` must be a non-empty string"),
                    ));
                    None
                }
            }
        };
        let principal = text("principal", true);
        let action = text("action", true);
        let resource = text("resource", false).unwrap_or_else(|| "*".to_owned());
        let principal_account = text("principal_account", false);
        let resource_account = text("resource_account", false);
        let context = Arc::new(read_context(data.get("context"), &mut errors));

        let mut caller = None;
        if let Some(principal) = &principal {
            match read_principal(principal) {
                Ok(found) => caller = Some(found),
                Err(message) => {
                    errors.push(ErrorEntry::new(ErrorKind::InvalidValue, key_path(&["principal"]), message))
                }
            }
        }
        let mut service = String::new();
        if let Some(action) = &action {
            match action_service(action) {
                Ok(svc) => service = lowercase(svc),
                Err(message) => {
                    errors.push(ErrorEntry::new(ErrorKind::InvalidValue, key_path(&["action"]), message))
                }
            }
        }
        let mut resource_field_account = None;
        match resource_account_field(&resource) {
            Ok(account) => resource_field_account = account.map(str::to_owned),
            Err(message) => {
                errors.push(ErrorEntry::new(ErrorKind::InvalidValue, key_path(&["resource"]), message))
            }
        }
        let (Some(caller), Some(action), true) = (caller, action, errors.is_empty()) else {
            return Err(Error::Request(errors));
        };
        let principal_account = principal_account.or_else(|| caller.account.clone());
        let caller = Arc::new(caller);
        let resource_account =
            resource_account.or(resource_field_account).or_else(|| principal_account.clone());
        Ok(Self {
            caller,
            action: lowercase(&action),
            service,
            colons: if resource == "*" { None } else { colons_of(&resource) },
            resource,
            principal_account,
            resource_account,
            context,
        })
    }

    /// The request [`Request::from_json`] reads from these fields when they are all valid (non-empty
    /// strings, a principal, `service:Action`, an ARN or `*`); `None` otherwise, and then `from_json` gives
    /// the errors. For bindings that read their inputs without building JSON.
    #[must_use]
    pub fn from_parts(
        principal: &str,
        action: &str,
        resource: Option<&str>,
        principal_account: Option<&str>,
        resource_account: Option<&str>,
        context: Arc<Context>,
    ) -> Option<Self> {
        if principal.is_empty() {
            return None;
        }
        let caller = Arc::new(classify_principal(principal)?);
        Self::from_caller_parts(caller, action, resource, principal_account, resource_account, context)
    }

    /// [`Request::from_parts`] for a principal already classified (by [`classify_principal`], which
    /// `caller` must come from): a binding that sees the same principal again need not classify it again.
    #[must_use]
    pub fn from_caller_parts(
        caller: Arc<Caller>,
        action: &str,
        resource: Option<&str>,
        principal_account: Option<&str>,
        resource_account: Option<&str>,
        context: Arc<Context>,
    ) -> Option<Self> {
        let mut request = Self::for_shared_caller(Arc::clone(&caller), context);
        request.refill(&caller, action, resource, principal_account, resource_account)?;
        Some(request)
    }

    /// [`Request::from_caller_parts`] into this request, its buffers reused (no allocation once they have
    /// grown: a caller that evaluates one request at a time keeps one); its context is kept. `None` where
    /// `from_caller_parts` gives `None`, the request then left valid but half set.
    pub fn refill(
        &mut self,
        caller: &Arc<Caller>,
        action: &str,
        resource: Option<&str>,
        principal_account: Option<&str>,
        resource_account: Option<&str>,
    ) -> Option<()> {
        let non_empty = |text: Option<&str>| text.is_none_or(|t| !t.is_empty());
        if action.is_empty()
            || !non_empty(resource)
            || !non_empty(principal_account)
            || !non_empty(resource_account)
        {
            return None;
        }
        if !Arc::ptr_eq(&self.caller, caller) {
            self.caller = Arc::clone(caller);
        }
        self.set_action(action).ok()?;
        self.set_principal_account(principal_account); // (before the resource: its account defaults to this)
        self.set_resource(resource.unwrap_or("*")).ok()?;
        if let Some(account) = resource_account {
            self.set_resource_account(account);
        }
        Some(())
    }

    /// The bytes this request's text buffers hold (what keeping it costs; see [`Request::refill`]).
    #[must_use]
    pub fn buffer_bytes(&self) -> usize {
        let optional = |text: &Option<String>| text.as_ref().map_or(0, String::capacity);
        self.action.capacity()
            + self.service.capacity()
            + self.resource.capacity()
            + optional(&self.principal_account)
            + optional(&self.resource_account)
    }

    /// A request by `caller` with an empty context, for [`Request::set_action`] and
    /// [`Request::set_resource`] to fill row by row (batch evaluation reuses one request per thread, so
    /// that a row costs no allocation once the buffers have grown).
    #[must_use]
    pub fn for_caller(caller: Caller, context: Arc<Context>) -> Self {
        Self::for_shared_caller(Arc::new(caller), context)
    }

    /// [`Request::for_caller`] with a caller classified once for many requests.
    #[must_use]
    pub fn for_shared_caller(caller: Arc<Caller>, context: Arc<Context>) -> Self {
        let principal_account = caller.account.clone();
        Self {
            caller,
            action: String::new(),
            service: String::new(),
            resource: "*".to_owned(),
            resource_account: principal_account.clone(),
            principal_account,
            context,
            colons: None,
        }
    }

    /// Set the action (checked and lowercased as [`Request::from_json`] does).
    ///
    /// # Errors
    /// The message of an `invalid_value` error; the request is left unchanged.
    pub fn set_action(&mut self, action: &str) -> Result<(), String> {
        let service = action_service(action)?;
        lowercase_into(action, &mut self.action);
        lowercase_into(service, &mut self.service);
        Ok(())
    }

    /// Set the action to one checked and lowercased before ([`Request::set_action`]'s outcome).
    pub fn set_prepared_action(&mut self, action: &PreparedAction) {
        self.action.clear();
        self.action.push_str(&action.action);
        self.service.clear();
        self.service.push_str(&action.service);
    }

    /// Set the principal's account (R1): `account`, or the caller's own when `None`. Call it before
    /// [`Request::set_resource`], whose default resource account is the principal's.
    pub fn set_principal_account(&mut self, account: Option<&str>) {
        match (account.or(self.caller.account.as_deref()), &mut self.principal_account) {
            (Some(account), Some(slot)) => {
                slot.clear();
                slot.push_str(account);
            }
            (Some(account), slot) => *slot = Some(account.to_owned()),
            (None, slot) => *slot = None,
        }
    }

    /// Set the resource's account to `account`, replacing the default [`Request::set_resource`] gave it
    /// (R1: an explicit `resource_account` wins over the ARN's account field).
    pub fn set_resource_account(&mut self, account: &str) {
        match &mut self.resource_account {
            Some(slot) => {
                slot.clear();
                slot.push_str(account);
            }
            slot => *slot = Some(account.to_owned()),
        }
    }

    /// Set the resource and, from it, the resource account (R1 defaults: the ARN's account field, else the
    /// principal's account), as [`Request::from_json`] does without a `resource_account`.
    ///
    /// # Errors
    /// The message of an `invalid_value` error; the request is left unchanged.
    pub fn set_resource(&mut self, resource: &str) -> Result<(), String> {
        self.set_prepared_resource(&PreparedResource::new(resource)?);
        Ok(())
    }

    /// [`Request::set_resource`] with a resource checked and scanned once for many requests (a grid's).
    pub fn set_prepared_resource(&mut self, resource: &PreparedResource<'_>) {
        let account = resource.account.or(self.principal_account.as_deref());
        match (account, &mut self.resource_account) {
            (Some(account), Some(slot)) => {
                slot.clear();
                slot.push_str(account);
            }
            (Some(account), slot) => *slot = Some(account.to_owned()),
            (None, slot) => *slot = None,
        }
        self.resource.clear();
        self.resource.push_str(resource.text);
        self.colons = resource.colons;
    }

    /// The resource's six ARN fields (`None` for `*`).
    #[must_use]
    pub fn resource_fields(&self) -> Option<[&str; 6]> {
        let [a, b, c, d, e] = self.colons?;
        let r = self.resource.as_str();
        Some([
            r.get(..a)?,
            r.get(a + 1..b)?,
            r.get(b + 1..c)?,
            r.get(c + 1..d)?,
            r.get(d + 1..e)?,
            r.get(e + 1..)?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r1_classify_principals() {
        let kind = |p: &str| classify_principal(p).map(|c| c.kind);
        assert_eq!(kind("arn:aws:iam::111111111111:user/alice"), Some(CallerKind::User));
        assert_eq!(kind("arn:aws:iam::111111111111:root"), Some(CallerKind::Root));
        assert_eq!(kind("arn:aws:sts::111111111111:assumed-role/app/s1"), Some(CallerKind::Session));
        assert_eq!(kind("arn:aws:sts::111111111111:assumed-role/app"), None);
        assert_eq!(kind("events.amazonaws.com"), Some(CallerKind::Service));
        assert_eq!(kind("anonymous"), Some(CallerKind::Anonymous));
        assert_eq!(kind("arn:aws:iam::1111:user/alice"), None);
        assert_eq!(kind("arn:aws:iam::111111111111:role/"), None);
        let role = classify_principal("arn:aws:iam::111111111111:role/team/app");
        assert_eq!(role.and_then(|c| c.role_path), Some("/team/".to_owned()));
    }

    #[test]
    fn test_r2_context_keys_fold_case_and_values() {
        let (json, _) = crate::json::parse_str(
            r#"{"principal": "arn:aws:iam::111111111111:user/a", "action": "S3:Get",
                "resource": "arn:aws:s3:::b", "context": {"AWS:Tag": ["a", 1, true], "n": 1.5}}"#,
        );
        let request = json.map(|j| Request::from_json(&j));
        let Some(Ok(request)) = request else {
            unreachable!("{request:?}");
        };
        assert_eq!(request.action, "s3:get");
        assert_eq!(request.resource_account.as_deref(), Some("111111111111"));
        assert_eq!(
            request.context.get("aws:tag"),
            Some(&ContextValue::Multi(vec!["a".into(), "1".into(), "true".into()]))
        );
        assert_eq!(request.context.get("n"), Some(&ContextValue::Single("1.5".into())));
    }
}
