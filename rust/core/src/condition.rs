//! Condition operators (IAM_RULES R8-R12; Python `iameval.reference.conditions`).
//!
//! A Condition block is read into [`Clause`]s, one per (operator, key) pair; the block holds when every
//! clause holds (R8: operators and keys are ANDed; the values of one key are ORed, NORed for negated
//! operators). Each operator family reads its policy values with its own grammar (a value that cannot be
//! read is a policy error, R11): [`number`], [`date`], [`ip`], [`binary`]; strings compare with
//! [`casefold`] for the `IgnoreCase` operators.

pub mod binary;
pub mod casefold;
pub mod constant;
pub mod date;
pub mod exact;
pub mod ip;
pub mod memo;
pub mod number;

use std::net::IpAddr;

use crate::facts::{ContextView, KeyValue, Slot};
use crate::json::Json;
use crate::pattern::{
    ARN_FIELDS, arn_like, arn_like_pieces, glob_pieces, lowercase, split_arn, wildcard_match,
};
use crate::request::Context;
use crate::resource_pattern::ArnPattern;
use crate::variables::{
    Part, Pieces, Template, Var, parse_template, resolve, variable_before_fifth_colon, variables_in,
};
use ip::Network;
use number::Decimal;

/// An operator family (R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// String operators.
    String,
    /// Numeric operators.
    Numeric,
    /// Date operators.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip,
    /// ARN operators.
    Arn,
    /// `Null`.
    Null,
}

/// How a numeric or date operator compares the request value with the policy value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// `ForAllValues:` / `ForAnyValue:` (R12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `ForAllValues:`
    ForAllValues,
    /// `ForAnyValue:`
    ForAnyValue,
}

const BASES: [(&str, Family, bool); 27] = [
    ("StringEquals", Family::String, false),
    ("StringNotEquals", Family::String, true),
    ("StringEqualsIgnoreCase", Family::String, false),
    ("StringNotEqualsIgnoreCase", Family::String, true),
    ("StringLike", Family::String, false),
    ("StringNotLike", Family::String, true),
    ("NumericEquals", Family::Numeric, false),
    ("NumericNotEquals", Family::Numeric, true),
    ("NumericLessThan", Family::Numeric, false),
    ("NumericLessThanEquals", Family::Numeric, false),
    ("NumericGreaterThan", Family::Numeric, false),
    ("NumericGreaterThanEquals", Family::Numeric, false),
    ("DateEquals", Family::Date, false),
    ("DateNotEquals", Family::Date, true),
    ("DateLessThan", Family::Date, false),
    ("DateLessThanEquals", Family::Date, false),
    ("DateGreaterThan", Family::Date, false),
    ("DateGreaterThanEquals", Family::Date, false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::Binary, false),
    ("IpAddress", Family::Ip, false),
    ("NotIpAddress", Family::Ip, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

/// A condition operator: base name, family, and its `IfExists` / `ForAllValues:` / `ForAnyValue:` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The operator as written in the policy.
    pub written: String,
    /// The canonical base name (`StringLike`).
    pub base: &'static str,
    /// Its family.
    pub family: Family,
    /// Whether it is a negated operator (`StringNotEquals`, `NotIpAddress`, ...).
    pub negated: bool,
    /// `...IfExists`.
    pub if_exists: bool,
    /// `ForAllValues:` / `ForAnyValue:`.
    pub qualifier: Option<Qualifier>,
    /// How numbers and dates compare (from the base name).
    comparison: Comparison,
    /// How strings compare (from the base name).
    text: TextMatch,
    /// The hash set of the clause's values, for exact matching with many values ([`exact`]).
    exact: exact::Cache,
}

/// How a String operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextMatch {
    /// `StringEquals` / `StringNotEquals` (and every non-string family).
    Equals,
    /// `...IgnoreCase`: full case folding.
    IgnoreCase,
    /// `StringLike` / `StringNotLike`: the glob.
    Like,
}

fn base_of(name: &str) -> Option<(&'static str, Family, bool)> {
    BASES.iter().copied().find(|(base, _, _)| lowercase(base) == name)
}

/// Read an operator name, case-insensitively; `None` when it is not an operator. `Null` takes neither
/// `IfExists` nor a set qualifier.
#[must_use]
pub fn parse_operator(written: &str) -> Option<Operator> {
    let mut name = lowercase(written);
    let mut qualifier = None;
    if let Some((prefix, rest)) = name.split_once(':') {
        qualifier = Some(match prefix {
            "forallvalues" => Qualifier::ForAllValues,
            "foranyvalue" => Qualifier::ForAnyValue,
            _ => return None,
        });
        name = rest.to_owned();
    }
    let mut if_exists = false;
    let mut base = base_of(&name);
    if base.is_none()
        && let Some(stem) = name.strip_suffix("ifexists")
    {
        base = base_of(stem);
        if_exists = true;
    }
    let (base, family, negated) = base?;
    if family == Family::Null {
        if if_exists {
            return None; // `NullIfExists` is not an operator (R10)
        }
        // R10 Decision: `ForAllValues:Null` / `ForAnyValue:Null` are accepted by AWS and mean plain `Null`
        qualifier = None;
    }
    let text = if base.ends_with("Like") {
        TextMatch::Like
    } else if base.ends_with("IgnoreCase") {
        TextMatch::IgnoreCase
    } else {
        TextMatch::Equals
    };
    Some(Operator {
        written: written.to_owned(),
        base,
        family,
        negated,
        if_exists,
        qualifier,
        comparison: comparison(base),
        text,
        exact: exact::Cache::default(),
    })
}

/// The operator to suggest for a name that [`parse_operator`] refuses, or `None` (grammar errors).
///
/// The spec (`operator_hint` in the reference's `conditions.py` is the other reading; `closest`, the
/// distance and the bound are those of [`crate::hint`]):
///
/// 1. A name with a `:` is split at the first one into a qualifier and the rest; the qualifier's
///    suggestion is `closest(qualifier, [ForAllValues, ForAnyValue])`, and without one there is no hint at
///    all. A name without `:` has no qualifier, and the rest is the whole name.
/// 2. Bases: the 27 base operator names in the order of `BASES` (`StringEquals` ... `Null`); the
///    `IfExists` forms: the 26 bases other than `Null` (`NullIfExists` is not an operator, R10), each
///    followed by `IfExists`, in the same order. When the rest ends with `ifexists`
///    (ASCII-case-insensitively), the stem (the rest without those 8 characters) gets
///    `closest(stem, bases other than Null)` followed by `IfExists`; otherwise the rest gets
///    `closest(rest, bases then the IfExists forms)` (so a misspelled suffix, `StringEqualsIfExist`, is
///    found too). Nothing within its bound: no hint.
/// 3. The hint is written canonically: `Qualifier:` (when there was one), then the base or `IfExists`
///    form. The parser accepts every such hint.
#[must_use]
pub fn operator_hint(written: &str) -> Option<String> {
    const QUALIFIERS: [&str; 2] = ["ForAllValues", "ForAnyValue"];
    const SUFFIX: &str = "IfExists";
    let (qualifier, rest) = match written.split_once(':') {
        Some((prefix, rest)) => (Some(crate::hint::closest(prefix, &QUALIFIERS)?), rest),
        None => (None, written),
    };
    let if_exists_bases: Vec<&str> =
        BASES.iter().filter(|(_, family, _)| *family != Family::Null).map(|(base, _, _)| *base).collect();
    // the suffix is ASCII, so where it matches, `SUFFIX.len()` bytes from the end is a char boundary
    let stem = rest
        .len()
        .checked_sub(SUFFIX.len())
        .and_then(|at| rest.split_at_checked(at))
        .filter(|(_, tail)| tail.eq_ignore_ascii_case(SUFFIX))
        .map(|(stem, _)| stem);
    let operator = match stem {
        Some(stem) => format!("{}{SUFFIX}", crate::hint::closest(stem, &if_exists_bases)?),
        None => {
            let forms: Vec<String> = if_exists_bases.iter().map(|base| format!("{base}{SUFFIX}")).collect();
            let names: Vec<&str> =
                BASES.iter().map(|(base, _, _)| *base).chain(forms.iter().map(String::as_str)).collect();
            crate::hint::closest(rest, &names)?.to_owned()
        }
    };
    Some(match qualifier {
        Some(qualifier) => format!("{qualifier}:{operator}"),
        None => operator,
    })
}

/// One read policy value of a clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// String and ARN values: a template (an empty one for an ARN with a variable before the fifth colon).
    Template(Template),
    /// An ARN value without variables: its template and the compiled pattern.
    Arn(Template, ArnPattern),
    /// A number or a date (epoch seconds), exact.
    Decimal(Decimal),
    /// `Bool` and `Null` values.
    Bool(bool),
    /// `IpAddress` values.
    Network(Network),
    /// `BinaryEquals` values, as written.
    Binary(String),
}

/// The text of a JSON scalar condition value (string, number, boolean); `None` for anything else.
#[must_use]
pub fn scalar_text(value: &Json) -> Option<String> {
    match value {
        Json::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Json::String(text) => Some(text.clone()),
        Json::Number(text) if !crate::json::is_unreadable_number(text) => Some(text.clone()),
        _ => None,
    }
}

/// R11 Bool: `true`/`false`, case-insensitive (per-character lowercasing, as everywhere).
fn read_bool(text: &str) -> Option<bool> {
    if text.is_ascii() {
        return if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        };
    }
    match lowercase(text).as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Read one policy value for `op` (R11); `Err(message)` when it cannot be read.
///
/// # Errors
/// The message of an `invalid_condition_value` error.
pub fn read_policy_value(op: &Operator, raw: &Json, variables: bool) -> Result<Value, String> {
    let text = scalar_text(raw).ok_or_else(|| crate::json::unreadable_condition_value(raw))?;
    let what = match op.family {
        Family::String => return Ok(Value::Template(parse_template(&text, variables))),
        Family::Arn => {
            let template = parse_template(&text, variables);
            if let [Part::Text(plain)] = template.as_slice() {
                let compiled = ArnPattern::new(plain);
                return Ok(Value::Arn(template, compiled));
            }
            let dead = variable_before_fifth_colon(&template);
            return Ok(Value::Template(if dead { Vec::new() } else { template }));
        }
        Family::Binary => return Ok(Value::Binary(text)),
        Family::Numeric => number::read_number(&text).map(Value::Decimal).ok_or("a number"),
        Family::Date => {
            date::read_date(&text).map(Value::Decimal).ok_or("a date (ISO 8601 or epoch seconds)")
        }
        Family::Bool | Family::Null => read_bool(&text).map(Value::Bool).ok_or("`true` or `false`"),
        Family::Ip => ip::read_network(&text).map(Value::Network).ok_or("an IP address or CIDR block"),
    };
    what.map_err(|kind| format!("`{text}` is not {kind} as `{}` needs", op.base))
}

/// One key under one operator: `{"StringLike": {"s3:prefix": ["a/*", "b/*"]}}` gives one clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The operator.
    pub op: Operator,
    /// The key as written in the policy.
    pub key: String,
    /// The key lowercased.
    pub key_lower: String,
    /// The read policy values.
    pub values: Vec<Value>,
    /// The policy values as text (strings as written, numbers as their JSON text), for the trace.
    pub texts: Vec<String>,
    /// The key's slot in the compiled request layout of the policy set that holds the clause
    /// ([`crate::facts`]); [`crate::facts::NO_SLOT`] outside a set.
    pub slot: Slot,
    /// The clause's number in the set's [`memo::ClauseMemo`]; [`memo::NO_MEMO`]: its answers are not
    /// remembered (outside a set, or not worth it).
    pub memo: memo::MemoId,
}

/// A request value read as the operator's type.
enum RequestValue<'a> {
    Text(&'a str),
    /// For the ARN operators: the text and its six fields, split once.
    Arn(&'a str, Option<[&'a str; ARN_FIELDS]>),
    Decimal(Decimal),
    Bool(bool),
    Ip(IpAddr),
}

/// A policy value ready to compare (variables substituted).
enum Resolved<'a> {
    /// A template that is one piece of text (no variable, no escape): no substitution needed.
    Text(&'a str),
    /// A compiled ARN pattern.
    Arn(&'a ArnPattern),
    Pieces(Pieces<'a>),
    Other(&'a Value),
}

fn comparison(base: &str) -> Comparison {
    let base = base.replace("Not", "");
    if base.ends_with("GreaterThanEquals") {
        Comparison::GreaterThanEquals
    } else if base.ends_with("GreaterThan") {
        Comparison::GreaterThan
    } else if base.ends_with("LessThanEquals") {
        Comparison::LessThanEquals
    } else if base.ends_with("LessThan") {
        Comparison::LessThan
    } else {
        Comparison::Equals
    }
}

fn binary_equal(request: &str, policy: &str) -> bool {
    if request == policy {
        return true;
    }
    matches!((binary::read_binary(request), binary::read_binary(policy)), (Some(a), Some(b)) if a == b)
}

fn positive_match(op: &Operator, request: &RequestValue<'_>, policy: &Resolved<'_>) -> bool {
    match (request, policy) {
        (RequestValue::Arn(_, fields), Resolved::Arn(compiled)) => compiled.matches(fields.as_ref()),
        (RequestValue::Arn(text, _), Resolved::Text(pattern)) => arn_like(pattern, text),
        (RequestValue::Arn(text, _), Resolved::Pieces(pieces)) => arn_like_pieces(pieces, text),
        // one piece of text: what the piece functions below do for a single glob piece
        (RequestValue::Text(text), Resolved::Text(pattern)) => match (op.family, op.text) {
            (Family::Arn, _) => arn_like(pattern, text),
            (_, TextMatch::Like) => wildcard_match(pattern, text, false),
            (_, TextMatch::IgnoreCase) => casefold::casefold(pattern) == casefold::casefold(text),
            (_, TextMatch::Equals) => *pattern == *text,
        },
        (RequestValue::Text(text), Resolved::Pieces(pieces)) => match (op.family, op.text) {
            (Family::Arn, _) => arn_like_pieces(pieces, text),
            (_, TextMatch::Like) => glob_pieces(pieces, text, false),
            (_, text_match) => {
                let joined: String = pieces.iter().map(|p| p.text()).collect();
                if text_match == TextMatch::IgnoreCase {
                    casefold::casefold(&joined) == casefold::casefold(text)
                } else {
                    joined == *text
                }
            }
        },
        (RequestValue::Text(text), Resolved::Other(Value::Binary(policy))) => binary_equal(text, policy),
        (RequestValue::Decimal(r), Resolved::Other(Value::Decimal(p))) => match op.comparison {
            Comparison::Equals => r == p,
            Comparison::LessThan => r < p,
            Comparison::LessThanEquals => r <= p,
            Comparison::GreaterThan => r > p,
            Comparison::GreaterThanEquals => r >= p,
        },
        (RequestValue::Bool(r), Resolved::Other(Value::Bool(p))) => r == p,
        (RequestValue::Ip(address), Resolved::Other(Value::Network(network))) => network.contains(*address),
        _ => false,
    }
}

/// `fields`: the value's ARN fields when the caller has them already (the ARN operators).
fn read_request_value<'a>(
    family: Family,
    text: &'a str,
    fields: Option<Option<[&'a str; ARN_FIELDS]>>,
) -> Option<RequestValue<'a>> {
    match family {
        Family::Numeric => number::read_number(text).map(RequestValue::Decimal),
        Family::Date => date::read_date(text).map(RequestValue::Decimal),
        Family::Bool => read_bool(text).map(RequestValue::Bool),
        Family::Ip => ip::read_address(text).map(RequestValue::Ip),
        // R11: a value with fewer than six `:`-separated fields is not an ARN: every Arn operator is false
        Family::Arn => {
            fields.unwrap_or_else(|| split_arn(text)).map(|fields| RequestValue::Arn(text, Some(fields)))
        }
        _ => Some(RequestValue::Text(text)),
    }
}

/// The operator against one request value: any policy value (OR); negated: none of them (NOR, R8). An
/// unreadable request value makes the operator false (R11); an unresolvable variable never matches and
/// makes a negated operator false (R13). One pass over the policy values: a negated operator is false at
/// its first match or unresolvable value, a plain one true at its first match.
fn single_value_holds(
    op: &Operator,
    request: Option<RequestValue<'_>>,
    values: &[Value],
    context: ContextView<'_>,
) -> bool {
    let Some(request) = request else {
        return false;
    };
    for value in values {
        let matched = match value {
            Value::Template(template) => match template.as_slice() {
                [Part::Text(text)] => positive_match(op, &request, &Resolved::Text(text)),
                _ => match resolve(template, context) {
                    Some(pieces) => positive_match(op, &request, &Resolved::Pieces(pieces)),
                    None if op.negated => return false,
                    None => false,
                },
            },
            Value::Arn(_, compiled) => positive_match(op, &request, &Resolved::Arn(compiled)),
            other => positive_match(op, &request, &Resolved::Other(other)),
        };
        if matched {
            return !op.negated;
        }
    }
    op.negated
}

/// The ARN fields of single context values, split once per decision (the ARN operators of several
/// statements often read the same key, `aws:PrincipalArn`): the last key slot split.
#[derive(Debug, Default)]
pub struct ArnCache<'r> {
    last: Option<(Slot, Option<[&'r str; ARN_FIELDS]>)>,
}

impl<'r> ArnCache<'r> {
    /// `split_arn(text)` where `text` is the single value of the key in `slot` for this decision.
    fn fields(&mut self, slot: Slot, text: &'r str) -> Option<[&'r str; ARN_FIELDS]> {
        match self.last {
            Some((cached, fields)) if cached == slot && slot != crate::facts::NO_SLOT => fields,
            _ => {
                let fields = split_arn(text);
                self.last = Some((slot, fields));
                fields
            }
        }
    }
}

impl Clause {
    /// Whether the clause holds for the request context (R8-R12).
    #[must_use]
    pub fn holds(&self, context: &Context) -> bool {
        self.holds_in(ContextView::Map(context), &mut ArnCache::default())
    }

    /// [`Clause::holds`] for a context read through a [`ContextView`]; `arns` keeps the ARN fields of the
    /// decision's context values (one per decision: the slots are those of one set and one request).
    #[must_use]
    pub fn holds_in<'r>(&self, context: ContextView<'r>, arns: &mut ArnCache<'r>) -> bool {
        let op = &self.op;
        let raw = context.get(self.slot, &self.key_lower);
        if op.family == Family::Null {
            // R10: "true" holds when the key is absent, "false" when present; several values are ORed
            return self.values.iter().any(|v| *v == Value::Bool(raw.is_none()));
        }
        let Some(raw) = raw else {
            // R9: missing key; a set operator's own missing-key rule wins over IfExists (R12)
            return match op.qualifier {
                Some(Qualifier::ForAllValues) => true,
                Some(Qualifier::ForAnyValue) => false,
                None => op.if_exists || op.negated,
            };
        };
        let exact = exact::index(self); // many constant values: a hash lookup per request value
        let holds_for = |text: &str| match exact {
            Some(set) => set.holds(op, text),
            None => single_value_holds(op, read_request_value(op.family, text, None), &self.values, context),
        };
        match raw {
            KeyValue::Single(text) => match exact {
                Some(set) => set.holds(op, text),
                None => {
                    let fields = (op.family == Family::Arn).then(|| arns.fields(self.slot, text));
                    let request = read_request_value(op.family, text, fields);
                    single_value_holds(op, request, &self.values, context)
                }
            },
            KeyValue::Multi(items) => {
                let qualifier = op.qualifier.unwrap_or(if op.negated {
                    Qualifier::ForAllValues
                } else {
                    Qualifier::ForAnyValue
                });
                match qualifier {
                    Qualifier::ForAnyValue => items.any(holds_for),
                    Qualifier::ForAllValues => items.all(holds_for),
                }
            }
        }
    }

    /// The policy variables used in the clause's values.
    pub fn variables(&self) -> impl Iterator<Item = &Var> {
        self.values.iter().flat_map(|value| match value {
            Value::Template(template) => variables_in(template),
            _ => variables_in(&[]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_operator_names_are_case_insensitive() {
        let op = parse_operator("forallvalues:stringlikeIFEXISTS");
        assert_eq!(
            op.as_ref().map(|o| (o.base, o.if_exists, o.qualifier)),
            Some(("StringLike", true, Some(Qualifier::ForAllValues)))
        );
        assert!(parse_operator("NullIfExists").is_none());
        assert_eq!(parse_operator("ForAnyValue:Null").map(|o| (o.base, o.qualifier)), Some(("Null", None)));
        assert_eq!(parse_operator("forallvalues:null").map(|o| o.family), Some(Family::Null));
        assert!(parse_operator("ForAllValues:NullIfExists").is_none());
        assert!(parse_operator("Foo:StringLike").is_none());
        assert!(parse_operator("IfExists").is_none());
        assert_eq!(parse_operator("numericnotequals").map(|o| o.negated), Some(true));
    }

    #[test]
    fn test_r11_policy_values_are_read_by_family() {
        let op = parse_operator("NumericLessThan");
        let read = |raw: Json| op.as_ref().map(|op| read_policy_value(op, &raw, true));
        assert!(matches!(read(Json::String("1.5".into())), Some(Ok(Value::Decimal(_)))));
        assert_eq!(
            read(Json::String("x".into())),
            Some(Err("`x` is not a number as `NumericLessThan` needs".to_owned()))
        );
        assert!(matches!(read(Json::Null), Some(Err(_))));
    }
}
