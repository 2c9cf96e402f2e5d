//! Exact-match operators with many policy values, by hash lookup (R11 `StringEquals`, `StringNotEquals`,
//! `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`).
//!
//! A clause compares each request value with every policy value: (policy values) × (request values)
//! comparisons, which a `ForAnyValue:StringEquals` of 10,000 values against a key of 100,000 values makes a
//! billion. When every policy value of such a clause is constant (no policy variable) and there are more
//! than [`MIN_VALUES`], the values are put in a hash set (case-folded for the `IgnoreCase` operators) once,
//! the first time the clause is evaluated, and each request value is looked up instead: the same answers
//! (a request value matches when it equals one of the values; negated operators: none), linear time.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use super::casefold::casefold;
use super::{Clause, Family, Operator, TextMatch, Value};
use crate::variables::Part;

/// Clauses with more policy values than this use a hash set; fewer are compared one by one.
pub const MIN_VALUES: usize = 8;

/// The policy values of a clause, as a set of texts (case-folded for `IgnoreCase`).
#[derive(Debug, Clone)]
pub struct ExactSet {
    texts: FxHashSet<String>,
    ignore_case: bool,
}

impl ExactSet {
    /// The set of a clause's values, when the clause qualifies (see the module documentation).
    fn build(op: &Operator, values: &[Value]) -> Option<Self> {
        let ignore_case = match (op.family, op.text) {
            (Family::String, TextMatch::Equals) => false,
            (Family::String, TextMatch::IgnoreCase) => true,
            _ => return None,
        };
        if values.len() <= MIN_VALUES {
            return None;
        }
        let mut texts = FxHashSet::default();
        texts.reserve(values.len());
        for value in values {
            let Value::Template(parts) = value else {
                return None;
            };
            let mut text = String::new();
            for part in parts {
                match part {
                    Part::Text(piece) | Part::Literal(piece) => text.push_str(piece),
                    Part::Var(_) => return None, // substituted per request: compared one by one
                }
            }
            texts.insert(if ignore_case { casefold(&text) } else { text });
        }
        Some(Self { texts, ignore_case })
    }

    /// Whether the operator holds for one request value: it equals a policy value (negated: none).
    #[must_use]
    pub fn holds(&self, op: &Operator, request: &str) -> bool {
        let found = if self.ignore_case {
            self.texts.contains(casefold(request).as_str())
        } else {
            self.texts.contains(request)
        };
        found != op.negated
    }
}

/// The lazily built set of an operator's clause. Equal whatever it holds (it is a cache), cloned empty (a
/// clause's operator is cloned from the operator of its block, before any value is read).
#[derive(Debug, Default)]
pub struct Cache(OnceLock<Option<ExactSet>>);

impl Clone for Cache {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for Cache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Cache {}

/// The hash set of `clause`, when it has one (built on first use; never blocks: a thread that finds it
/// being built by another builds its own, so a `fork()` meanwhile cannot leave it locked).
pub fn index(clause: &Clause) -> Option<&ExactSet> {
    let cache = &clause.op.exact.0;
    if let Some(found) = cache.get() {
        return found.as_ref();
    }
    let built = ExactSet::build(&clause.op, &clause.values);
    let _ = cache.set(built); // another thread may have set it first: the same set
    cache.get().and_then(Option::as_ref)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::{parse_operator, read_policy_value};
    use crate::json::Json;
    use crate::request::{Context, ContextValue};

    fn clause(op: &str, values: &[String]) -> Clause {
        let Some(op) = parse_operator(op) else { unreachable!() };
        let values_text = values;
        let values = values
            .iter()
            .filter_map(|v| read_policy_value(&op, &Json::String(v.clone()), true).ok())
            .collect();
        let texts = values_text.to_vec();
        Clause {
            op,
            key: "k".to_owned(),
            key_lower: "k".to_owned(),
            values,
            texts,
            slot: crate::facts::NO_SLOT,
            memo: crate::condition::memo::NO_MEMO,
        }
    }

    #[test]
    fn test_r11_exact_set_answers_as_one_by_one() {
        let values: Vec<String> = (0..50).map(|i| format!("Value-{i}")).collect();
        let few: Vec<String> = values.iter().take(3).cloned().collect();
        let requests = ["Value-7", "value-7", "VALUE-49", "Value-50", "", "Value-0"];
        for op in [
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringNotEqualsIgnoreCase",
        ] {
            let many = clause(op, &values);
            assert!(index(&many).is_some(), "{op}");
            assert!(index(&clause(op, &few)).is_none());
            // the same values compared one by one: a variable in one value (resolving to one of the
            // values) disables the set
            let mut with_var = values.clone();
            with_var.push("${aws:username}".to_owned());
            let slow = clause(op, &with_var);
            assert!(index(&slow).is_none());
            for request in requests {
                let mut context = Context::default();
                context.insert("aws:username".to_owned(), ContextValue::Single("Value-3".to_owned()));
                context.insert("k".to_owned(), ContextValue::Single(request.to_owned()));
                assert_eq!(many.holds(&context), slow.holds(&context), "{op} {request}");
                context.insert(
                    "k".to_owned(),
                    ContextValue::Multi(vec![request.to_owned(), "Value-1".to_owned()]),
                );
                assert_eq!(many.holds(&context), slow.holds(&context), "{op} [{request}]");
            }
        }
        assert!(index(&clause("StringLike", &values)).is_none());
        assert!(index(&clause("NumericEquals", &vec!["1".to_owned(); 20])).is_none());
    }
}
