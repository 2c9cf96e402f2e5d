//! `did you mean` hints for misspelled element names and condition operators (grammar errors).
//!
//! The spec, which the reference (`iameval.reference.hints`) implements independently (keep the two in step):
//!
//! - `distance(a, b)`: the Levenshtein distance (insert, delete or substitute one character, a Unicode code
//!   point, each costing 1) between `a` and `b`, both ASCII-lower-cased first (`A`-`Z` to `a`-`z`, every
//!   other character kept). So `effect` is at distance 0 from `Effect`: element names are case-sensitive,
//!   and a wrong-case name is an error whose hint is the right case.
//! - `bound(c) = max(1, len(c) / 3)` (integer division), `len` in characters.
//! - `closest(name, candidates)`: among the candidates `c` with `distance(name, c) <= bound(c)`, the one with
//!   the smallest distance, the first in list order on a tie; none when no candidate is within its bound.
//!   A candidate whose length differs from the name's by more than its bound is skipped without computing
//!   the distance (the distance is at least the length difference, so this changes no answer: it keeps a
//!   long name cheap).
//! - The message gets `` (did you mean `HINT`?)`` appended when there is a hint; otherwise it is unchanged.
//!
//! Candidates for an element name are the elements valid where it stands, in this order: policy level
//! `Version, Id, Statement`; statement level `Sid, Effect, Principal, NotPrincipal, Action, NotAction,
//! Resource, NotResource, Condition`; keys of a Principal / NotPrincipal object `AWS, Service, Federated,
//! CanonicalUser`. Operator names: [`crate::condition::operator_hint`]. Hints are only computed for an error.

/// The Levenshtein distance between `a` and `b`, ASCII-case-insensitively (the module's spec).
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

/// `distance(name, candidate)` when it is within the candidate's bound (the module's spec), else `None`;
/// `name_length` is `name`'s length in characters (counted once by callers that try many candidates). A
/// candidate whose length differs by more than its bound is rejected without computing the distance.
#[must_use]
pub fn bounded_distance(name: &str, name_length: usize, candidate: &str) -> Option<usize> {
    let candidate_length = candidate.chars().count();
    let bound = (candidate_length / 3).max(1);
    if name_length.abs_diff(candidate_length) > bound {
        return None;
    }
    let d = distance(name, candidate);
    (d <= bound).then_some(d)
}

/// The candidate to suggest for `name` (the module's spec), or `None`.
#[must_use]
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let length = name.chars().count();
    let mut best: Option<(&'a str, usize)> = None;
    for &candidate in candidates {
        if let Some(d) = bounded_distance(name, length, candidate)
            && best.is_none_or(|(_, best_distance)| d < best_distance)
        {
            best = Some((candidate, d));
        }
    }
    best.map(|(candidate, _)| candidate)
}

/// `message`, with `` (did you mean `hint`?)`` when there is a hint.
#[must_use]
pub fn with_hint(message: String, hint: Option<&str>) -> String {
    match hint {
        Some(hint) => format!("{message} (did you mean `{hint}`?)"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_grammar_hint_distance_is_levenshtein_ascii_case_insensitive() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("stringequals", "StringEquals"), 0);
        assert_eq!(distance("", "Bool"), 4);
        assert_eq!(distance("Ä", "ä"), 1); // only ASCII letters are folded
        assert_eq!(distance("é", "e"), 1); // one code point, one substitution
    }

    #[test]
    fn test_grammar_hint_closest_bound_and_ties() {
        let elements = ["Sid", "Effect", "Resource", "NotResource"];
        assert_eq!(closest("Efect", &elements), Some("Effect"));
        assert_eq!(closest("effect", &elements), Some("Effect"));
        assert_eq!(closest("Id", &elements), Some("Sid")); // bound max(1, 3 / 3) = 1
        assert_eq!(closest("Foo", &elements), None);
        assert_eq!(closest("Resources", &elements), Some("Resource"));
        assert_eq!(closest(&"x".repeat(100_000), &elements), None);
        // a tie goes to the first candidate in list order
        assert_eq!(closest("ab", &["aa", "bb"]), Some("aa")); // bound 1, distance 1 each
        assert_eq!(closest("abc", &["abd", "abe"]), Some("abd"));
        // each candidate has its own bound: the nearest within its bound wins
        assert_eq!(closest("Boo", &["Bo", "Boolean"]), Some("Bo"));
        assert_eq!(closest("Boolea", &["Bo", "Boolean"]), Some("Boolean"));
    }

    #[test]
    fn test_grammar_hint_message() {
        assert_eq!(
            with_hint("unknown element `Efect`".to_owned(), Some("Effect")),
            "unknown element `Efect` (did you mean `Effect`?)"
        );
        assert_eq!(with_hint("unknown element `Foo`".to_owned(), None), "unknown element `Foo`");
    }
}
