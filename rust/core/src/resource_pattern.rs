//! A Resource / NotResource pattern without variables, compiled once (IAM_RULES R4): split into its six
//! ARN fields, each kept as "anything", a literal, a prefix or a general glob. Matching it against a
//! request resource split once ([`crate::Request`] keeps the split) gives exactly the answer of
//! [`crate::pattern::resource_match`], without re-splitting either side per statement.

use crate::pattern::{ARN_FIELDS, split_arn, wildcard_match};

/// One field of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `*`: any value.
    Any,
    /// No wildcard: the value equals it (ASCII case folded where the field ignores case).
    Literal(Box<str>),
    /// `prefix*` (no other wildcard).
    Prefix(Box<str>),
    /// Anything else, matched by the glob.
    Glob(Box<str>),
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

impl Field {
    fn new(text: &str) -> Self {
        if text == "*" {
            return Self::Any;
        }
        if !has_wildcard(text) {
            return Self::Literal(Box::from(text));
        }
        match text.strip_suffix('*') {
            Some(prefix) if !has_wildcard(prefix) => Self::Prefix(Box::from(prefix)),
            _ => Self::Glob(Box::from(text)),
        }
    }

    /// `wildcard_match(field, value, ignore_case)`, with fast paths for literals and prefixes.
    fn matches(&self, value: &str, ignore_case: bool) -> bool {
        match self {
            Self::Any => true,
            Self::Literal(text) if !ignore_case => **text == *value,
            Self::Prefix(prefix) if !ignore_case => value.starts_with(&**prefix),
            Self::Literal(text) if text.is_ascii() && value.is_ascii() => text.eq_ignore_ascii_case(value),
            Self::Prefix(prefix) if prefix.is_ascii() && value.is_ascii() => value
                .as_bytes()
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes())),
            Self::Literal(text) => wildcard_match(text, value, ignore_case),
            Self::Prefix(prefix) => wildcard_match(&format!("{prefix}*"), value, ignore_case),
            Self::Glob(pattern) => wildcard_match(pattern, value, ignore_case),
        }
    }
}

/// A compiled Resource pattern (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourcePattern {
    /// `*` alone: every resource, the request resource `*` included.
    Star,
    /// Six fields; `short_without_star`: the pattern had fewer than six fields and its last does not end
    /// in `*` (a resource-based policy then matches nothing, R4).
    Fields {
        /// The six fields (missing ones are `*`).
        fields: Box<[Field; ARN_FIELDS]>,
        /// Fewer than six fields, the last not ending in `*`.
        short_without_star: bool,
    },
}

impl ResourcePattern {
    /// Compile a pattern written without variables.
    #[must_use]
    pub fn new(pattern: &str) -> Self {
        if pattern == "*" {
            return Self::Star;
        }
        let mut fields: [Field; ARN_FIELDS] = std::array::from_fn(|_| Field::Any);
        let mut given = 0;
        let mut last = "";
        for (slot, text) in fields.iter_mut().zip(pattern.splitn(ARN_FIELDS, ':')) {
            *slot = Field::new(text);
            last = text;
            given += 1;
        }
        Self::Fields {
            fields: Box::new(fields),
            short_without_star: given < ARN_FIELDS && !last.ends_with('*'),
        }
    }

    /// Whether it matches the request resource, given as the text and its six fields (`None` when the
    /// resource is `*` or not an ARN): `resource_match(pattern, resource, resource_based)`.
    #[must_use]
    #[inline]
    pub fn matches(&self, resource_fields: Option<&[&str; ARN_FIELDS]>, resource_based: bool) -> bool {
        match self {
            Self::Star => true,
            Self::Fields { fields, short_without_star } => {
                let Some(values) = resource_fields else {
                    return false;
                };
                if resource_based && *short_without_star {
                    return false;
                }
                let last = ARN_FIELDS - 1;
                fields
                    .iter()
                    .zip(values.iter())
                    .enumerate()
                    .all(|(i, (field, value))| field.matches(value, i != last))
            }
        }
    }
}

/// An `ArnLike` / `ArnEquals` pattern without variables, compiled (R11): six fields, each matched
/// case-sensitively; a pattern with fewer than six fields matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnPattern(Option<Box<[Field; ARN_FIELDS]>>);

impl ArnPattern {
    /// Compile a pattern written without variables.
    #[must_use]
    pub fn new(pattern: &str) -> Self {
        Self(split_arn(pattern).map(|fields| Box::new(fields.map(Field::new))))
    }

    /// `arn_like(pattern, value)` for a value given as its six fields (`None`: it has fewer).
    #[must_use]
    pub fn matches(&self, value_fields: Option<&[&str; ARN_FIELDS]>) -> bool {
        match (&self.0, value_fields) {
            (Some(fields), Some(values)) => {
                fields.iter().zip(values.iter()).all(|(field, value)| field.matches(value, false))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::{arn_like, resource_match};

    #[test]
    fn test_r4_compiled_patterns_agree_with_resource_match() {
        let patterns = [
            "*",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket",
            "arn:AWS:S3:::bucket/KEY",
            "arn:aws:s3:::b*t/k?y",
            "arn:aws:ec2:*:111111111111:instance/*",
            "arn:aws:ec2:us-*:*:*",
            "arn:aws:iam::111111111111",
            "arn:aws:iam::111111111111*",
            "arn:aws:iam::*:role/Ä*",
            "arn:aws:iam::*:role/ä*",
            "arn:*",
            "arn",
            "",
            "arn:aws:s3:::a:b:c*",
        ];
        let resources = [
            "*",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::bucket/KEY",
            "arn:aws:S3:::bucket",
            "arn:aws:s3:::bt/key",
            "arn:aws:ec2:us-east-1:111111111111:instance/i-1",
            "arn:aws:iam::111111111111:role/Ärger",
            "arn:aws:iam::111111111111:role/ärger",
            "arn:aws:s3:::a:b:cd",
            "not-an-arn",
            "arn:aws:iam::111111111111:root",
        ];
        for pattern in patterns {
            let compiled = ResourcePattern::new(pattern);
            for resource in resources {
                let fields = if resource == "*" { None } else { split_arn(resource) };
                assert_eq!(
                    ArnPattern::new(pattern).matches(split_arn(resource).as_ref()),
                    arn_like(pattern, resource),
                    "ArnLike {pattern} vs {resource}"
                );
                for resource_based in [false, true] {
                    assert_eq!(
                        compiled.matches(fields.as_ref(), resource_based),
                        resource_match(pattern, resource, resource_based),
                        "{pattern} vs {resource} ({resource_based})"
                    );
                }
            }
        }
    }
}
