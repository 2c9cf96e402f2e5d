//! Policy variables (IAM_RULES R13; Python `iameval.reference.variables`).
//!
//! `${name}` is replaced by the request's value of the context key `name` (case-insensitive) only in
//! policies with `"Version": "2012-10-17"`, and only in Resource/NotResource and in the values of String and
//! ARN condition operators. `${*}`, `${?}` and `${$}` are the literal characters. `${name, 'default'}` uses
//! the default when the key is missing (or multivalued). An unresolvable value never matches.

use smallvec::SmallVec;

use crate::facts::{ContextView, KeyValue, NO_SLOT, Slot};
use crate::pattern::{Piece, lowercase};

const ASCII_SPACE: &[char] = &[' ', '\t', '\n', '\r', '\u{c}', '\u{b}'];

/// A policy variable `${name}` or `${name, 'default'}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// The name as written.
    pub name: String,
    /// The lowercased name (the context key).
    pub key: String,
    /// The default value, if any.
    pub default: Option<String>,
    /// The key's slot in the compiled request layout of the policy set that holds the variable
    /// ([`crate::facts`]); [`NO_SLOT`] outside a set.
    pub slot: Slot,
}

/// One part of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Pattern text (`*` and `?` are wildcards for the operators that have them).
    Text(String),
    /// Text matched character for character (`${*}`, `${?}`, `${$}`).
    Literal(String),
    /// A variable.
    Var(Var),
}

/// A policy value split into parts.
pub type Template = Vec<Part>;

fn strip_ascii(text: &str) -> &str {
    text.trim_matches(ASCII_SPACE)
}

/// Read `${...}`'s inside text as `name` or `name, 'default'` (the reference `_NAME_DEFAULT`).
fn name_default(inner: &str) -> Option<(String, Option<String>)> {
    let (left, default) = match inner.split_once(',') {
        None => (inner, None),
        Some((left, right)) => {
            let quoted = right.trim_start_matches(ASCII_SPACE);
            let body = quoted.strip_prefix('\'')?.strip_suffix('\'')?;
            if body.contains('\'') {
                return None;
            }
            (left, Some(body.to_owned()))
        }
    };
    if left.is_empty() || left.contains('\'') {
        return None;
    }
    let name = strip_ascii(left);
    if name.is_empty() {
        return None;
    }
    Some((name.to_owned(), default))
}

/// Split `text` into parts; with `substitute == false` (2008 grammar) it is one text part.
#[must_use]
pub fn parse_template(text: &str, substitute: bool) -> Template {
    if !substitute || !text.contains("${") {
        return vec![Part::Text(text.to_owned())];
    }
    let mut parts = Vec::new();
    let mut pos = 0;
    while let Some(offset) = text.get(pos..).and_then(|rest| rest.find("${")) {
        let start = pos + offset;
        let Some(close) = text.get(start + 2..).and_then(|rest| rest.find('}')) else {
            break;
        };
        let end = start + 2 + close + 1;
        if start > pos {
            parts.push(Part::Text(text.get(pos..start).unwrap_or_default().to_owned()));
        }
        let whole = text.get(start..end).unwrap_or_default();
        let inner = strip_ascii(text.get(start + 2..end - 1).unwrap_or_default());
        parts.push(match inner {
            "*" | "?" | "$" => Part::Literal(inner.to_owned()),
            _ => match name_default(inner) {
                Some((name, default)) => {
                    Part::Var(Var { key: lowercase(&name), name, default, slot: NO_SLOT })
                }
                None => Part::Text(whole.to_owned()),
            },
        });
        pos = end;
    }
    if pos < text.len() {
        parts.push(Part::Text(text.get(pos..).unwrap_or_default().to_owned()));
    }
    parts
}

/// The variables of a template, in order.
pub fn variables_in(template: &[Part]) -> impl Iterator<Item = &Var> {
    template.iter().filter_map(|part| match part {
        Part::Var(var) => Some(var),
        _ => None,
    })
}

/// The pieces of a resolved template: on the stack for the usual handful, on the heap beyond.
pub type Pieces<'a> = SmallVec<[Piece<'a>; 8]>;

/// Substitute every variable from `context`; `None` when one cannot be resolved (R13).
#[must_use]
pub fn resolve<'a>(template: &'a [Part], context: ContextView<'a>) -> Option<Pieces<'a>> {
    template
        .iter()
        .map(|part| match part {
            Part::Text(text) => Some(Piece::Glob(text)),
            Part::Literal(text) => Some(Piece::Literal(text)),
            Part::Var(var) => match context.get(var.slot, &var.key) {
                Some(KeyValue::Single(value)) => Some(Piece::Literal(value)),
                _ => var.default.as_deref().map(Piece::Literal),
            },
        })
        .collect()
}

/// R13: variables are substituted only after the fifth colon of an ARN; earlier, the entry matches nothing.
#[must_use]
pub fn variable_before_fifth_colon(template: &[Part]) -> bool {
    let mut colons = 0;
    for part in template {
        match part {
            Part::Var(_) | Part::Literal(_) => {
                if colons < 5 {
                    return true;
                }
            }
            Part::Text(text) => {
                colons += text.matches(':').count();
                if colons >= 5 {
                    return false;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, default: Option<&str>) -> Part {
        Part::Var(Var {
            name: name.into(),
            key: lowercase(name),
            default: default.map(Into::into),
            slot: NO_SLOT,
        })
    }

    #[test]
    fn test_r13_parse_template_variables_defaults_and_escapes() {
        assert_eq!(parse_template("a${aws:username}b", false), vec![Part::Text("a${aws:username}b".into())]);
        assert_eq!(
            parse_template("a/${ aws:UserName }/${*}${x, 'd'}${}${a'b}", true),
            vec![
                Part::Text("a/".into()),
                var("aws:UserName", None),
                Part::Text("/".into()),
                Part::Literal("*".into()),
                var("x", Some("d")),
                Part::Text("${}".into()),
                Part::Text("${a'b}".into()),
            ]
        );
        assert_eq!(parse_template("${a${b}c", true), vec![var("a${b", None), Part::Text("c".into())]);
        assert_eq!(
            parse_template("${x ,  'a b'}${ , 'x'}", true),
            vec![var("x", Some("a b")), Part::Text("${ , 'x'}".into())]
        );
        assert_eq!(parse_template("x${y", true), vec![Part::Text("x${y".into())]);
    }

    #[test]
    fn test_r13_variable_before_fifth_colon() {
        assert!(variable_before_fifth_colon(&parse_template("arn:aws:s3:${r}:1:x", true)));
        assert!(!variable_before_fifth_colon(&parse_template("arn:aws:s3:::${r}", true)));
        assert!(!variable_before_fifth_colon(&parse_template("arn:aws:s3:::x", true)));
    }
}
