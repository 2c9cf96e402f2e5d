//! S3 Block Public Access (IAM_RULES R20c; Python `iameval.reference.public_access`): which statements make
//! a bucket policy public, and the `PublicAccessBlockConfiguration` setting of a policy set.
//!
//! A bucket policy is public unless each of its Allow statements is restricted: it names fixed principals, or
//! one of its conditions pins a fixed value of a key from AWS's list, or its actions include none of the "bad
//! actions". "Public" is the fail-closed side: where a pattern is too complex to decide exactly (a NotAction
//! list), the statement counts as public.

use crate::condition::{Clause, Family, Qualifier, Value};
use crate::error::{ErrorEntry, ErrorKind, PathSegment};
use crate::json::Json;
use crate::pattern::wildcard_match;
use crate::policy::{Effect, Kind, Policy, Statement, read_policy};
use crate::variables::Part;

/// The four fields of S3's `PublicAccessBlockConfiguration`, in the API's order.
pub const BLOCK_PUBLIC_ACCESS_FIELDS: [&str; 4] =
    ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

/// Bad-action families given by their literal prefix (`s3:Get*` ...), lowercased.
const BAD_PREFIXES: [&str; 4] = ["s3:get", "s3:list", "s3:delete", "s3:put"];
/// Bad actions named exactly, lowercased.
const BAD_ACTIONS: [&str; 2] = ["s3:abortmultipartupload", "s3:restoreobject"];

/// Condition keys (lowercased) whose fixed value makes a statement non-public.
const PINNING_KEYS: [&str; 7] = [
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/// The effective S3 Block Public Access settings of a policy set (`None` given: all off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlockPublicAccess {
    /// `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`, `RestrictPublicBuckets` (kept for the
    /// record; only `RestrictPublicBuckets` changes an evaluation).
    pub fields: [bool; 4],
    /// Whether a setting was given at all.
    pub given: bool,
    /// Whether it was given as one boolean (the effective `RestrictPublicBuckets`).
    pub as_bool: bool,
}

impl BlockPublicAccess {
    /// Whether `RestrictPublicBuckets` is on.
    #[must_use]
    pub const fn restrict_public_buckets(&self) -> bool {
        self.fields[3]
    }

    /// Read the setting: `None`/`null` (not set), a boolean (`RestrictPublicBuckets`), or an object with any
    /// of the four fields, each a boolean (a missing field is false).
    ///
    /// # Errors
    /// Entries located at policy `s3_block_public_access`.
    pub fn read(value: Option<&Json>) -> Result<Self, Vec<ErrorEntry>> {
        let location = "s3_block_public_access";
        let entry = |kind, path: Vec<PathSegment>, message: String| ErrorEntry {
            kind,
            policy: location.to_owned(),
            path,
            message,
        };
        match value {
            None | Some(Json::Null) => Ok(Self::default()),
            Some(Json::Bool(on)) => {
                Ok(Self { fields: [false, false, false, *on], given: true, as_bool: true })
            }
            Some(Json::Object(pairs)) => {
                let mut fields = [false; 4];
                let mut errors = Vec::new();
                for (key, value) in pairs {
                    let Some(slot) = BLOCK_PUBLIC_ACCESS_FIELDS.iter().position(|f| f == key) else {
                        errors.push(entry(
                            ErrorKind::UnknownElement,
                            vec![PathSegment::Key(key.clone())],
                            format!("unknown field `{key}`"),
                        ));
                        continue;
                    };
                    match (value, fields.get_mut(slot)) {
                        (Json::Bool(on), Some(field)) => *field = *on,
                        _ => errors.push(entry(
                            ErrorKind::WrongType,
                            vec![PathSegment::Key(key.clone())],
                            format!("`{key}` must be a boolean"),
                        )),
                    }
                }
                if errors.is_empty() { Ok(Self { fields, given: true, as_bool: false }) } else { Err(errors) }
            }
            Some(_) => Err(vec![entry(
                ErrorKind::WrongType,
                Vec::new(),
                "`s3_block_public_access` must be a boolean or a PublicAccessBlockConfiguration object"
                    .to_owned(),
            )]),
        }
    }

    /// The setting as given, as JSON (`null`, a boolean, or the four-field object).
    #[must_use]
    pub fn to_json(&self) -> Json {
        if !self.given {
            return Json::Null;
        }
        if self.as_bool {
            return Json::Bool(self.restrict_public_buckets());
        }
        Json::Object(
            BLOCK_PUBLIC_ACCESS_FIELDS
                .iter()
                .zip(self.fields)
                .map(|(name, on)| ((*name).to_owned(), Json::Bool(on)))
                .collect(),
        )
    }
}

/// Whether some string starting with `prefix` matches the glob `pattern` (both lowercased).
fn glob_meets_prefix(pattern: &str, prefix: &str) -> bool {
    let mut wanted = prefix.chars();
    for p in pattern.chars() {
        match (p, wanted.next()) {
            ('*', _) | (_, None) => return true,
            ('?', Some(_)) => {}
            (p, Some(c)) if p == c => {}
            _ => return false,
        }
    }
    wanted.next().is_none()
}

/// Whether the NotAction pattern `pattern` excludes every action starting with `prefix`.
fn covers_prefix(pattern: &str, prefix: &str) -> bool {
    let stem = pattern.trim_end_matches('*');
    if stem.len() == pattern.len() || stem.contains('*') || stem.chars().count() > prefix.chars().count() {
        return false;
    }
    stem.chars().zip(prefix.chars()).all(|(p, c)| p == '?' || p == c)
}

/// R20c: whether the statement's actions include a bad action.
fn has_bad_action(statement: &Statement) -> bool {
    let patterns = &statement.actions;
    if statement.not_action {
        let all_excluded = BAD_PREFIXES.iter().all(|q| patterns.iter().any(|p| covers_prefix(p, q)))
            && BAD_ACTIONS.iter().all(|a| patterns.iter().any(|p| wildcard_match(p, a, false)));
        return !all_excluded;
    }
    patterns.iter().any(|p| {
        BAD_PREFIXES.iter().any(|q| glob_meets_prefix(p, q))
            || BAD_ACTIONS.iter().any(|a| wildcard_match(p, a, false))
    })
}

/// R20c: whether the statement names only fixed principals (no wildcard anywhere; not NotPrincipal).
fn fixed_principals(statement: &Statement) -> bool {
    let Some(spec) = &statement.principal else { return false };
    if statement.not_principal || spec.star {
        return false;
    }
    let entries = spec.aws.iter().chain(&spec.service).chain(&spec.federated).chain(&spec.canonical);
    entries.into_iter().all(|entry| !entry.contains('*'))
}

/// A condition value with no wildcard and no policy variable; for `aws:userid`, `X:*` with a fixed X counts
/// as fixed too (AWS: "outside the pattern AROLEID:*").
fn fixed_value(template: &[Part], userid: bool) -> bool {
    let [Part::Text(text)] = template else {
        return false; // a variable or `${*}`-style part (or an ARN with a variable before the fifth colon)
    };
    let plain = |t: &str| !t.contains(['*', '?']) && !t.contains("${");
    if plain(text) {
        return true;
    }
    userid && text.strip_suffix(":*").is_some_and(|id| !id.is_empty() && plain(id))
}

/// R20c: whether the clause pins a fixed value of one of AWS's keys, or limits `aws:SourceIp` to networks of
/// at least /8 (IPv4) or /32 (IPv6) — Decision: AWS documents no threshold; broader ranges count as public.
fn pins(clause: &Clause) -> bool {
    let op = &clause.op;
    if op.negated || op.if_exists || op.qualifier == Some(Qualifier::ForAllValues) {
        return false;
    }
    let key = clause.key_lower.as_str();
    if key == "aws:sourceip" {
        return op.family == Family::Ip
            && !clause.values.is_empty()
            && clause.values.iter().all(|v| matches!(v, Value::Network(n) if n.prefix_at_least(8, 32)));
    }
    if !PINNING_KEYS.contains(&key) || !matches!(op.family, Family::String | Family::Arn) {
        return false;
    }
    let userid = key == "aws:userid";
    !clause.values.is_empty()
        && clause.values.iter().all(|v| match v {
            Value::Template(template) | Value::Arn(template, _) => fixed_value(template, userid),
            _ => false,
        })
}

/// R20c: whether this statement makes its bucket policy public.
#[must_use]
pub fn makes_public(statement: &Statement) -> bool {
    statement.effect == Effect::Allow
        && has_bad_action(statement)
        && !fixed_principals(statement)
        && !statement.conditions.iter().any(pins)
}

/// R20c: the indexes (in the policy's Statement list) of the statements that make the policy public.
#[must_use]
pub fn public_statements(policy: &Policy) -> Vec<usize> {
    policy.statements.iter().filter(|s| makes_public(s)).map(|s| s.index).collect()
}

/// Read `source` as a bucket policy (resource-based) and list the statements that make it public.
///
/// # Errors
/// The policy's problems, located at policy `resource`.
pub fn public_statements_of(source: &Json) -> Result<Vec<usize>, Vec<ErrorEntry>> {
    read_policy(source, Kind::Resource, Kind::Resource.as_str()).map(|policy| public_statements(&policy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_str;

    fn public(statement: &str) -> Option<bool> {
        let doc = format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#);
        let json = parse_str(&doc).0?;
        public_statements_of(&json).ok().map(|list| !list.is_empty())
    }

    const S: &str = r#""Effect": "Allow", "Resource": "arn:aws:s3:::b/*""#;

    #[test]
    fn test_r20c_wildcard_principal_with_bad_action_is_public() {
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:GetObject"}}"#)), Some(true));
        assert_eq!(public(&format!(r#"{{{S}, "Principal": {{"AWS": "*"}}, "Action": "s3:*"}}"#)), Some(true));
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:Get?bject"}}"#)), Some(true));
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "*"}}"#)), Some(true));
        let cross = r#"{"AWS": "arn:aws:iam::*:root"}"#;
        assert_eq!(
            public(&format!(r#"{{{S}, "Principal": {cross}, "Action": "s3:GetObject"}}"#)),
            Some(true)
        );
    }

    #[test]
    fn test_r20c_restricted_statements_are_not_public() {
        let fixed = r#"{"AWS": "arn:aws:iam::111122223333:root"}"#;
        assert_eq!(public(&format!(r#"{{{S}, "Principal": {fixed}, "Action": "s3:*"}}"#)), Some(false));
        assert_eq!(
            public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:CreateBucket"}}"#)),
            Some(false)
        );
        let deny = r#""Effect": "Deny", "Resource": "*", "Principal": "*", "Action": "s3:*""#;
        assert_eq!(public(&format!("{{{deny}}}")), Some(false));
        let pinned = r#""Condition": {"StringEquals": {"AWS:SourceAccount": "111122223333"}}"#;
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:*", {pinned}}}"#)), Some(false));
        let userid = r#""Condition": {"StringLike": {"aws:userid": "AROAEXAMPLE:*"}}"#;
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:*", {userid}}}"#)), Some(false));
        let ip = r#""Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}"#;
        assert_eq!(public(&format!(r#"{{{S}, "Principal": "*", "Action": "s3:*", {ip}}}"#)), Some(false));
    }

    #[test]
    fn test_r20c_conditions_that_do_not_pin() {
        for condition in [
            r#"{"StringLike": {"aws:SourceAccount": "1111*"}}"#,
            r#"{"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}"#,
            r#"{"StringNotEquals": {"aws:SourceAccount": "111122223333"}}"#,
            r#"{"ForAllValues:StringEquals": {"aws:SourceAccount": "111122223333"}}"#,
            r#"{"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}"#,
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/7"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/31"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            r#"{"StringLike": {"aws:userid": "AROA*:*"}}"#,
        ] {
            let statement =
                format!(r#"{{{S}, "Principal": "*", "Action": "s3:GetObject", "Condition": {condition}}}"#);
            assert_eq!(public(&statement), Some(true), "{condition}");
        }
    }

    #[test]
    fn test_r20c_not_action_and_not_principal() {
        let not_action = |list: &str| format!(r#"{{{S}, "Principal": "*", "NotAction": {list}}}"#);
        assert_eq!(public(&not_action(r#""s3:*""#)), Some(false));
        assert_eq!(public(&not_action(r#""iam:*""#)), Some(true));
        assert_eq!(public(&not_action(r#"["s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*"]"#)), Some(true));
        let all = r#"["s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:AbortMultipartUpload", "s3:RestoreObject"]"#;
        assert_eq!(public(&not_action(all)), Some(false));
        let fixed = r#"{"AWS": "arn:aws:iam::111122223333:root"}"#;
        assert_eq!(public(&format!(r#"{{{S}, "NotPrincipal": {fixed}, "Action": "s3:*"}}"#)), Some(true));
    }

    #[test]
    fn test_r20c_setting_forms() {
        assert_eq!(BlockPublicAccess::read(None).map(|b| b.restrict_public_buckets()), Ok(false));
        assert_eq!(
            BlockPublicAccess::read(Some(&Json::Bool(true))).map(|b| b.restrict_public_buckets()),
            Ok(true)
        );
        let object = parse_str(r#"{"RestrictPublicBuckets": true, "BlockPublicAcls": false}"#).0;
        let read = object.as_ref().map(|o| BlockPublicAccess::read(Some(o)).map(|b| b.fields));
        assert_eq!(read, Some(Ok([false, false, false, true])));
        let bad = parse_str(r#"{"Restrict": true, "BlockPublicAcls": 1}"#).0;
        let errors = bad.as_ref().map(|o| BlockPublicAccess::read(Some(o)).err().map(|e| e.len()));
        assert_eq!(errors, Some(Some(2)));
        assert!(BlockPublicAccess::read(Some(&Json::String("yes".into()))).is_err());
    }
}
