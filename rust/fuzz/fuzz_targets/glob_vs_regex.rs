//! `wildcard_match` against a `regex` translation of the same glob, and `arn_like` / `resource_match` /
//! `split_arn` for panics.
//!
//! Translation: every character is a literal (`regex::escape`) except `*` -> `(?s:.*)` and `?` -> `(?s:.)`
//! (one Unicode scalar value), anchored with `\A...\z`. With `ignore_case`, both sides are first lowered
//! with `iameval_core::lowercase` (the per-character lowering the core documents) and the regex is
//! case-sensitive.
#![no_main]

use iameval_core::{arn_like, lowercase, resource_match, split_arn, wildcard_match};
use libfuzzer_sys::fuzz_target;
use regex::RegexBuilder;

fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2 + 4);
    out.push_str(r"\A");
    let mut buf = [0u8; 4];
    for c in pattern.chars() {
        match c {
            '*' => out.push_str("(?s:.*)"),
            '?' => out.push_str("(?s:.)"),
            _ => out.push_str(&regex::escape(c.encode_utf8(&mut buf))),
        }
    }
    out.push_str(r"\z");
    out
}

fuzz_target!(|input: (String, String, bool)| {
    let (pattern, value, ignore_case) = input;

    let got = wildcard_match(&pattern, &value, ignore_case);
    let (p, v) =
        if ignore_case { (lowercase(&pattern), lowercase(&value)) } else { (pattern.clone(), value.clone()) };
    // A huge glob can exceed the regex size limit: then there is no oracle for this input.
    if let Ok(re) = RegexBuilder::new(&translate(&p)).size_limit(1 << 28).dfa_size_limit(1 << 28).build() {
        let want = re.is_match(&v);
        assert_eq!(
            got, want,
            "wildcard_match({pattern:?}, {value:?}, {ignore_case}) = {got}, regex says {want}"
        );
    }

    // No-panic checks on the ARN matchers (both argument orders: values are often ARNs, patterns too).
    let _ = arn_like(&pattern, &value);
    let _ = arn_like(&value, &pattern);
    let _ = resource_match(&pattern, &value, ignore_case);
    let _ = resource_match(&value, &pattern, !ignore_case);
    let _ = split_arn(&pattern);
});
