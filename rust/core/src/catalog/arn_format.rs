//! ARN formats of resource types compiled into matchers (`Catalog::match_resource`).
//!
//! An ARN format such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}` is split into the six ARN fields
//! (`arn:partition:service:region:account:resource`, the first five separated by the first five `:`; the
//! resource field keeps any further `:`). Each field becomes an IAM glob ([`crate::wildcard_match`]): a
//! `${...}` placeholder becomes `?*` (one or more characters, any of them, `/` and `:` included), a `*` in
//! the format stays `*` (zero or more: some formats use it for "any id"), every other character is literal
//! and matched case-sensitively.
//!
//! An ARN is of a resource type when every field matches. Since placeholders may span `/` and `:`, a bucket
//! format `${BucketName}` also matches `bucket/key`; so [`crate::catalog::Catalog::match_resource`] keeps only
//! the matches with the most literal characters in their resource field (the most specific formats): an
//! object ARN is an `object`, not a `bucket`; `table/t/index/i` is a DynamoDB `index`, not a `table`;
//! `function:f:1` is both Lambda `function alias` and `function version` (the formats cannot tell them apart)
//! but not `function`.

use crate::pattern::wildcard_match;

/// The six `:`-separated fields of an ARN (the resource field keeps further `:`), or `None`.
#[must_use]
pub fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    let mut parts = arn.splitn(6, ':');
    let fields = [parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?];
    Some(fields)
}

/// One compiled ARN format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnFormat {
    /// The format as the catalog states it.
    pub text: Box<str>,
    /// One glob per ARN field.
    globs: [Box<str>; 6],
    /// Literal characters of the resource field (the specificity of the format).
    literal_len: usize,
}

impl ArnFormat {
    /// Compile a format; `None` when it does not have the six fields of an ARN starting with `arn`.
    #[must_use]
    pub fn compile(text: &str) -> Option<Self> {
        let fields = arn_fields(text)?;
        if fields[0] != "arn" {
            return None;
        }
        let mut literal_len = 0;
        let globs = fields.map(|field| {
            let (glob, literals) = to_glob(field);
            literal_len = literals; // the last field (resource) is compiled last
            glob.into_boxed_str()
        });
        Some(Self { text: text.into(), globs, literal_len })
    }

    /// The literal service field, or `None` when it has a placeholder or a wildcard.
    #[must_use]
    pub fn service(&self) -> Option<&str> {
        let [_, _, service, _, _, _] = &self.globs;
        (!service.contains(['*', '?'])).then_some(&**service)
    }

    /// Literal characters in the resource field: among several matching formats the highest wins.
    #[must_use]
    pub const fn specificity(&self) -> usize {
        self.literal_len
    }

    /// Whether the fields of an ARN match this format.
    #[must_use]
    pub fn matches(&self, fields: &[&str; 6]) -> bool {
        self.globs.iter().zip(fields).all(|(glob, field)| wildcard_match(glob, field, false))
    }
}

/// A field of a format as a glob, and how many literal characters it has.
fn to_glob(field: &str) -> (String, usize) {
    let mut glob = String::with_capacity(field.len());
    let mut literals = 0;
    let mut rest = field;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            glob.push_str("?*");
            rest = after.get(end + 1..).unwrap_or("");
            continue;
        }
        if c == '*' {
            glob.push('*');
        } else {
            glob.push(c);
            literals += 1;
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    (glob, literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> ArnFormat {
        ArnFormat::compile(text).unwrap_or_else(|| ArnFormat {
            text: "".into(),
            globs: Default::default(),
            literal_len: 0,
        })
    }

    fn is(format: &ArnFormat, arn: &str) -> bool {
        arn_fields(arn).is_some_and(|fields| format.matches(&fields))
    }

    #[test]
    fn test_catalog_arn_format_compile() {
        assert!(ArnFormat::compile("arn:aws:s3").is_none());
        assert!(ArnFormat::compile("urn:${Partition}:s3:::${BucketName}").is_none());
        let object = fmt("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert_eq!(object.service(), Some("s3"));
        assert_eq!(object.specificity(), 1);
        assert_eq!(fmt("arn:${Partition}:${Service}:::x").service(), None);
        assert_eq!(fmt("arn:${Partition}:dms:${Region}:${Account}:cert:*").specificity(), 5);
    }

    #[test]
    fn test_catalog_arn_format_placeholders_need_one_character() {
        let bucket = fmt("arn:${Partition}:s3:::${BucketName}");
        assert!(is(&bucket, "arn:aws:s3:::b"));
        assert!(!is(&bucket, "arn:aws:s3:::"));
        assert!(!is(&bucket, "arn::s3:::b"));
        assert!(!is(&bucket, "arn:aws:s3:us-east-1::b")); // an empty field must be empty
        let object = fmt("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert!(is(&object, "arn:aws:s3:::b/k/with:colon"));
        assert!(!is(&object, "arn:aws:s3:::b/"));
        assert!(!is(&object, "arn:aws:s3:::b"));
        assert!(is(&bucket, "arn:aws:s3:::b/k")); // the specificity rule decides between the two
    }

    #[test]
    fn test_catalog_arn_format_literals_are_case_sensitive_and_star_is_any() {
        let role = fmt("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
        assert!(is(&role, "arn:aws:iam::123456789012:role/service-role/my-role"));
        assert!(!is(&role, "arn:aws:iam::123456789012:Role/x"));
        assert!(!is(&role, "arn:aws:iam::123456789012:user/x"));
        let cert = fmt("arn:${Partition}:dms:${Region}:${Account}:cert:*");
        assert!(is(&cert, "arn:aws:dms:us-east-1:123456789012:cert:ABC"));
        assert!(is(&cert, "arn:aws:dms:us-east-1:123456789012:cert:"));
    }
}
