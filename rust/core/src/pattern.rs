//! IAM wildcard and ARN matching (IAM_RULES R3, R4, R11 ArnLike).
//!
//! The glob language has two wildcards: `*` matches any run of characters (also the empty run) and `?`
//! matches exactly one character (one Unicode scalar value, as Python counts `str` characters). Nothing else
//! is special and there is no escape character: policy variables such as `${*}` are resolved before a
//! pattern reaches this module.
//!
//! The semantics are those of the pure-Python reference, `iameval.reference.pattern` (`glob_match`,
//! `resource_match`, `arn_like`, `split_arn`), for plain-string patterns; `tests/test_core_pattern.py`
//! checks the two against each other and against a regular-expression translation.
//!
//! # Complexity
//!
//! [`wildcard_match`] splits the pattern on `*` and places each segment at its leftmost possible position
//! (which is optimal for globs), never backtracking over an earlier segment and never recursing. Segments
//! without `?` are found with the standard library's linear-time substring search, so such patterns match
//! in `O(len(pattern) + len(value))` whatever their number of `*`; a segment containing `?` is tried at each
//! position, `O(len(value) * len(segment))` at worst. With `ignore_case`, ASCII text up to 1 KiB is compared
//! folding case on the fly (no allocation; segments are then tried at each position); longer or non-ASCII
//! text is lowercased first.
//!
//! # Case
//!
//! With `ignore_case`, both sides are lowercased **character by character** before matching: ASCII letters
//! exactly as Python's `str.lower()` does, every other character with [`char::to_lowercase`] (the full
//! Unicode lowercase mapping, so `İ` (U+0130) becomes the two characters `i` + U+0307, and a `?` in the
//! pattern then matches only one of them). Unlike `str.lower()` on a whole string, no context-sensitive rule
//! is applied: a capital sigma always becomes `σ`, never the final form `ς`. Action names (R3) and the
//! partition, service, region and account fields of ARNs (R4) are ASCII in practice, where all of this
//! coincides with Python.

use std::borrow::Cow;
use std::cell::RefCell;

/// An ARN has six `:`-separated fields: `arn:partition:service:region:account:resource` (R4).
pub const ARN_FIELDS: usize = 6;

/// Index of the resource field, the last of the [`ARN_FIELDS`].
const RESOURCE_FIELD: usize = ARN_FIELDS - 1;

/// Return whether `value` matches the IAM glob `pattern` as a whole (R3, R4, R11 StringLike).
///
/// `*` matches any run of characters (also the empty run), `?` exactly one character. With `ignore_case`
/// both sides are lowercased character by character first (see the module documentation).
///
/// ```
/// use iameval_core::wildcard_match;
/// assert!(wildcard_match("s3:Get*", "s3:GetObject", false));
/// assert!(wildcard_match("s3:get*", "S3:GetObject", true));
/// assert!(!wildcard_match("s3:Get?", "s3:GetObject", false));
/// ```
#[must_use]
pub fn wildcard_match(pattern: &str, value: &str, ignore_case: bool) -> bool {
    if !ignore_case {
        glob(pattern, value, false)
    } else if pattern.is_ascii() && value.is_ascii() && value.len() <= SHORT_VALUE {
        // Common case (actions, ARN fields): fold ASCII letters while comparing, no allocation.
        glob(pattern, value, true)
    } else {
        glob(&fold_case(pattern), &fold_case(value), false)
    }
}

/// Longest ASCII value matched case-insensitively without lowercasing it first: the folding comparison
/// cannot use the linear substring search, so it is kept for values where that does not matter.
const SHORT_VALUE: usize = 1024;

/// Lowercase `text` character by character: the case rule of [`wildcard_match`] with `ignore_case`.
///
/// Equal to Python's `"".join(c.lower() for c in text)` (same Unicode version assumed). `*` and `?` are
/// left as they are, and no other character lowercases to either of them.
#[must_use]
pub fn lowercase(text: &str) -> String {
    let mut out = String::new();
    lowercase_into(text, &mut out);
    out
}

/// [`lowercase`] into a reused buffer (its old contents replaced; no allocation once it has grown).
pub fn lowercase_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text); // the same answer, byte by byte (no per-char iterator)
        out.make_ascii_lowercase();
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// Split an ARN into its six fields; the last (resource) field keeps any further `:`.
///
/// Returns `None` when the text has fewer than six fields. Like the reference `split_arn`, the first field
/// is not required to be `arn` (a pattern's first field is matched against it like any other field).
///
/// ```
/// use iameval_core::split_arn;
/// assert_eq!(
///     split_arn("arn:aws:s3:::bucket/a:b"),
///     Some(["arn", "aws", "s3", "", "", "bucket/a:b"]),
/// );
/// assert_eq!(split_arn("arn:aws:s3"), None);
/// ```
#[must_use]
pub fn split_arn(arn: &str) -> Option<[&str; ARN_FIELDS]> {
    let (a, rest) = split_once_byte(arn, b':')?;
    let (b, rest) = split_once_byte(rest, b':')?;
    let (c, rest) = split_once_byte(rest, b':')?;
    let (d, rest) = split_once_byte(rest, b':')?;
    let (e, rest) = split_once_byte(rest, b':')?;
    Some([a, b, c, d, e, rest])
}

/// Return whether a `Resource` pattern matches the request resource (R4).
///
/// - the pattern `*` alone matches everything, the request resource `*` included;
/// - a request resource of `*` (an action without resource-level permissions) is matched by `*` only;
/// - otherwise both are split into six fields: partition, service, region and account are matched field by
///   field, case-insensitively, with wildcards that never cross a `:`; the resource field is matched as a
///   whole (`*` may span `/` and `:`), case-sensitively; a resource with fewer than six fields matches
///   nothing;
/// - a pattern with fewer than six fields is padded with `*` fields when its last field ends in `*`; without
///   that trailing `*` it is padded the same way in identity, boundary, session, SCP and RCP policies, and
///   matches nothing in a resource-based policy (`resource_based == true`): Decision of R4.
///
/// ```
/// use iameval_core::resource_match;
/// assert!(resource_match("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", false));
/// assert!(resource_match("ARN:AWS:S3:::bucket", "arn:aws:s3:::bucket", false));
/// assert!(!resource_match("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false));
/// assert!(resource_match("arn:aws:s3*", "arn:aws:s3:::bucket", true));
/// assert!(!resource_match("arn:aws:s3", "arn:aws:s3:::bucket", true));
/// ```
#[must_use]
pub fn resource_match(pattern: &str, resource: &str, resource_based: bool) -> bool {
    if pattern == "*" {
        return true;
    }
    if resource == "*" {
        return false;
    }
    resource_match_fields(pattern, split_arn(resource).as_ref(), resource_based)
}

/// [`resource_match`] against a resource split into its six fields already (`None`: the resource is `*` or
/// not an ARN, which only the pattern `*` matches): what a decision uses, the resource being split once.
#[must_use]
pub fn resource_match_fields(
    pattern: &str,
    resource_fields: Option<&[&str; ARN_FIELDS]>,
    resource_based: bool,
) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(resource_fields) = resource_fields else {
        return false;
    };
    // `pattern.splitn(ARN_FIELDS, ':')` with a byte search (a char searcher costs more per field)
    let mut pattern_fields = ["*"; ARN_FIELDS];
    let mut given = 0;
    let mut last = "";
    let mut rest = Some(pattern);
    for slot in &mut pattern_fields {
        let Some(text) = rest else { break };
        let (field, next) = match split_once_byte(text, b':') {
            Some((field, next)) if given + 1 < ARN_FIELDS => (field, Some(next)),
            _ => (text, None),
        };
        *slot = field;
        last = field;
        given += 1;
        rest = next;
    }
    if given < ARN_FIELDS && resource_based && !last.ends_with('*') {
        return false;
    }
    pattern_fields
        .iter()
        .zip(resource_fields.iter())
        .enumerate()
        .all(|(index, (p, r))| wildcard_match(p, r, index != RESOURCE_FIELD))
}

/// `ArnLike` / `ArnEquals` (R11): six fields, each matched separately and case-sensitively with `*`/`?`.
///
/// A wildcard never crosses a field (the sixth field, which keeps any further `:`, is matched as a whole).
/// A value or pattern that does not have six fields does not match.
///
/// ```
/// use iameval_core::arn_like;
/// assert!(arn_like("arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/admin"));
/// assert!(!arn_like("arn:aws:*", "arn:aws:iam::123456789012:role/admin"));
/// assert!(!arn_like("arn:aws:iam::*:role/*", "arn:aws:IAM::123456789012:role/admin"));
/// ```
#[must_use]
pub fn arn_like(pattern: &str, value: &str) -> bool {
    let (Some(pattern_fields), Some(value_fields)) = (split_arn(pattern), split_arn(value)) else {
        return false;
    };
    pattern_fields.iter().zip(value_fields.iter()).all(|(p, v)| wildcard_match(p, v, false))
}

/// One part of a pattern made of pieces (a policy value after variable substitution, R13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Pattern text: `*` and `?` are wildcards.
    Glob(&'a str),
    /// Text matched character for character (a substituted variable, `${*}`, `${?}`, `${$}`).
    Literal(&'a str),
}

impl<'a> Piece<'a> {
    /// The text of the piece.
    #[must_use]
    pub const fn text(self) -> &'a str {
        match self {
            Self::Glob(text) | Self::Literal(text) => text,
        }
    }

    const fn with_text(self, text: &'a str) -> Self {
        match self {
            Self::Glob(_) => Self::Glob(text),
            Self::Literal(_) => Self::Literal(text),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Star,
    One,
    Char(char),
}

/// [`wildcard_match`] for a pattern made of pieces: `*`/`?` are wildcards only in [`Piece::Glob`] pieces
/// (the reference `glob_match` with `Literal` parts). With `ignore_case` both sides are lowercased per
/// character ([`lowercase`]).
#[must_use]
pub fn glob_pieces(pieces: &[Piece<'_>], value: &str, ignore_case: bool) -> bool {
    if let [Piece::Glob(pattern)] = pieces {
        return wildcard_match(pattern, value, ignore_case);
    }
    if let Some(result) = with_joined(pieces, |joined| wildcard_match(joined, value, ignore_case)) {
        return result;
    }
    let mut tokens: Vec<Token> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => {
                if ignore_case {
                    tokens.extend(text.chars().flat_map(char::to_lowercase).map(Token::Char));
                } else {
                    tokens.extend(text.chars().map(Token::Char));
                }
            }
            Piece::Glob(text) => {
                for ch in text.chars() {
                    match ch {
                        '*' => {
                            if tokens.last() != Some(&Token::Star) {
                                tokens.push(Token::Star);
                            }
                        }
                        '?' => tokens.push(Token::One),
                        _ if ignore_case => tokens.extend(ch.to_lowercase().map(Token::Char)),
                        _ => tokens.push(Token::Char(ch)),
                    }
                }
            }
        }
    }
    let value: Vec<char> =
        if ignore_case { lowercase(value).chars().collect() } else { value.chars().collect() };
    match_tokens(&tokens, &value)
}

/// Whether the pieces mean the same as one glob of their texts: no [`Piece::Literal`] holds a `*` or `?` (a
/// literal character is matched as itself either way, and a `:` in a literal splits ARN fields either way).
/// Not so for `${*}` and friends, or a substituted value with a wildcard character.
pub(crate) fn joins_plainly(pieces: &[Piece<'_>]) -> bool {
    pieces.iter().all(|piece| match piece {
        Piece::Literal(text) => !text.bytes().any(|b| b == b'*' || b == b'?'),
        Piece::Glob(_) => true,
    })
}

thread_local! {
    /// A per-thread buffer for [`with_joined`]: substituted patterns are matched without allocating.
    static JOINED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// `f` applied to the pieces joined into one glob when [`joins_plainly`]; `None` otherwise.
fn with_joined<R>(pieces: &[Piece<'_>], f: impl FnOnce(&str) -> R) -> Option<R> {
    if !joins_plainly(pieces) {
        return None;
    }
    let join = |buffer: &mut String| pieces.iter().for_each(|piece| buffer.push_str(piece.text()));
    let mut f = Some(f);
    let reused = JOINED.try_with(|cell| {
        let mut buffer = cell.try_borrow_mut().ok()?;
        buffer.clear();
        join(&mut buffer);
        f.take().map(|f| f(&buffer))
    });
    match (reused, f) {
        (Ok(Some(result)), _) => Some(result),
        (_, Some(f)) => {
            let mut buffer = String::new();
            join(&mut buffer);
            Some(f(&buffer))
        }
        (_, None) => None,
    }
}

/// Two-pointer glob match with a single backtrack point (the reference `_match_tokens`).
fn match_tokens(tokens: &[Token], value: &[char]) -> bool {
    let (mut t, mut v) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while v < value.len() {
        match (tokens.get(t), value.get(v)) {
            (Some(Token::Star), _) => {
                star = Some((t + 1, v));
                t += 1;
                continue;
            }
            (Some(Token::One), _) => {
                t += 1;
                v += 1;
                continue;
            }
            (Some(Token::Char(c)), Some(found)) if c == found => {
                t += 1;
                v += 1;
                continue;
            }
            _ => {}
        }
        match star.as_mut() {
            Some((star_t, star_v)) => {
                *star_v += 1;
                v = *star_v;
                t = *star_t;
            }
            None => return false,
        }
    }
    while tokens.get(t) == Some(&Token::Star) {
        t += 1;
    }
    t == tokens.len()
}

/// Split pieces on `:` into at most six fields (a `:` inside a literal counts too); the last field keeps
/// further `:` characters (the reference `_split_pattern`).
fn split_pieces<'a>(pieces: &[Piece<'a>]) -> Vec<Vec<Piece<'a>>> {
    let mut fields: Vec<Vec<Piece<'a>>> = vec![Vec::new()];
    for &piece in pieces {
        let text = piece.text();
        if fields.len() >= ARN_FIELDS {
            if !text.is_empty()
                && let Some(last) = fields.last_mut()
            {
                last.push(piece);
            }
            continue;
        }
        let mut offset = 0;
        for (i, part) in text.split(':').enumerate() {
            if i > 0 {
                if fields.len() < ARN_FIELDS {
                    fields.push(Vec::new());
                } else {
                    let rest = text.get(offset - 1..).unwrap_or_default();
                    if let Some(last) = fields.last_mut() {
                        last.push(piece.with_text(rest));
                    }
                    break;
                }
            }
            if !part.is_empty()
                && let Some(last) = fields.last_mut()
            {
                last.push(piece.with_text(part));
            }
            offset += part.len() + 1;
        }
    }
    fields
}

fn ends_with_star(field: &[Piece<'_>]) -> bool {
    match field.iter().rev().find(|piece| !piece.text().is_empty()) {
        Some(Piece::Glob(text)) => text.ends_with('*'),
        _ => false,
    }
}

/// [`resource_match`] for a pattern made of pieces (the reference `resource_match` with `Literal` parts).
#[must_use]
pub fn resource_match_pieces(pieces: &[Piece<'_>], resource: &str, resource_based: bool) -> bool {
    let fields = if resource == "*" { None } else { split_arn(resource) };
    resource_match_pieces_fields(pieces, resource, fields.as_ref(), resource_based)
}

/// [`resource_match_pieces`] with the resource's fields split already (`None` for `*` or a non-ARN, as
/// [`resource_match_fields`] takes them).
#[must_use]
pub fn resource_match_pieces_fields(
    pieces: &[Piece<'_>],
    resource: &str,
    fields: Option<&[&str; ARN_FIELDS]>,
    resource_based: bool,
) -> bool {
    if let [Piece::Glob(pattern)] = pieces {
        return resource_match_fields(pattern, fields, resource_based);
    }
    // ("*" alone from several pieces is handled below, as the reference does)
    let joined = with_joined(pieces, |joined| {
        (joined != "*").then(|| resource_match_fields(joined, fields, resource_based))
    });
    if let Some(Some(result)) = joined {
        return result;
    }
    let all_plain = pieces.iter().all(|p| matches!(p, Piece::Literal(_)) || !p.text().contains('*'));
    if all_plain && pieces.iter().map(|p| p.text()).collect::<String>() == "*" {
        // "${*}" alone is a literal star: it names the resource "*" and nothing else
        return resource == "*";
    }
    let Some(resource_fields) = fields else {
        return false; // `*` or not an ARN
    };
    let mut fields = split_pieces(pieces);
    if fields.len() < ARN_FIELDS {
        if resource_based && !fields.last().is_some_and(|last| ends_with_star(last)) {
            return false;
        }
        fields.resize(ARN_FIELDS, vec![Piece::Glob("*")]);
    }
    fields
        .iter()
        .zip(resource_fields.iter())
        .enumerate()
        .all(|(index, (p, r))| glob_pieces(p, r, index != RESOURCE_FIELD))
}

/// [`arn_like`] for a pattern made of pieces (the reference `arn_like` with `Literal` parts).
#[must_use]
pub fn arn_like_pieces(pieces: &[Piece<'_>], value: &str) -> bool {
    if let [Piece::Glob(pattern)] = pieces {
        return arn_like(pattern, value);
    }
    if let Some(result) = with_joined(pieces, |joined| arn_like(joined, value)) {
        return result;
    }
    let Some(value_fields) = split_arn(value) else {
        return false;
    };
    let fields = split_pieces(pieces);
    fields.len() == ARN_FIELDS
        && fields.iter().zip(value_fields.iter()).all(|(p, v)| glob_pieces(p, v, false))
}

/// Glob match of `value` against `pattern`; `fold_ascii` compares ASCII letters case-insensitively.
///
/// The pattern is split on `*` into segments (runs without `*`, possibly empty). The first segment must
/// match at the start of the value, the last one at its end, and every segment in between is matched at
/// its leftmost occurrence after the previous one: a segment always covers a fixed number of characters, so
/// the leftmost occurrence is also the one that ends first, which leaves the most room for what follows.
/// A segment without `?` is found with `str::find` (linear-time substring search) unless `fold_ascii`; one
/// with `?` (or any segment with `fold_ascii`) is tried at each character position.
fn glob(pattern: &str, value: &str, fold_ascii: bool) -> bool {
    let Some((first, rest)) = split_once_byte(pattern, b'*') else {
        return match_at(pattern, value, 0, fold_ascii) == Some(value.len());
    };
    let Some(after_first) = match_at(first, value, 0, fold_ascii) else {
        return false;
    };
    let (middle, last) = rsplit_once_byte(rest, b'*').unwrap_or(("", rest));
    // The last segment is anchored at the end: it covers the value's last characters, one per character.
    let last_start = if last.bytes().any(|b| b == b'?') {
        match last.chars().count().checked_sub(1) {
            None => value.len(),
            Some(back) => match value.char_indices().nth_back(back) {
                Some((index, _)) => index,
                None => return false,
            },
        }
    } else {
        match value.len().checked_sub(last.len()) {
            Some(index) => index,
            None => return false,
        }
    };
    if last_start < after_first || match_at(last, value, last_start, fold_ascii) != Some(value.len()) {
        return false;
    }
    // Middle segments, leftmost first, inside the room left between the first and the last segment.
    let Some(room) = value.get(..last_start) else {
        return false;
    };
    let mut position = after_first;
    for segment in middle.split('*').filter(|segment| !segment.is_empty()) {
        match find_segment(segment, room, position, fold_ascii) {
            Some(end) => position = end,
            None => return false,
        }
    }
    true
}

/// `text.split_once(byte)` for an ASCII byte (a plain loop: faster than the general searcher on the short
/// texts of policies).
#[inline]
pub(crate) fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let i = text.bytes().position(|b| b == byte)?;
    Some((text.get(..i)?, text.get(i + 1..)?))
}

/// `text.rsplit_once(byte)` for an ASCII byte.
#[inline]
fn rsplit_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let i = text.bytes().rposition(|b| b == byte)?;
    Some((text.get(..i)?, text.get(i + 1..)?))
}

/// Match a `*`-free segment at byte `start` of `value` (a character boundary); return where it ends.
///
/// `?` consumes one character; any other character must be equal (up to ASCII case with `fold_ascii`).
/// `*` and `?` never occur inside a multi-byte UTF-8 sequence, so the segment is read byte by byte: a
/// literal character matches when all its bytes do, and the position is then still on a character
/// boundary, where `?` consumes a whole character.
fn match_at(segment: &str, value: &str, start: usize, fold_ascii: bool) -> Option<usize> {
    let value = value.as_bytes();
    let mut position = start;
    for &expected in segment.as_bytes() {
        let &found = value.get(position)?;
        if expected == b'?' {
            position += utf8_width(found);
        } else if expected == found || (fold_ascii && expected.eq_ignore_ascii_case(&found)) {
            position += 1;
        } else {
            return None;
        }
    }
    Some(position)
}

/// Length in bytes of the UTF-8 sequence that starts with `lead`.
#[inline]
const fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// End of the leftmost occurrence of a `*`-free `segment` in `value` at or after byte `from`.
fn find_segment(segment: &str, value: &str, from: usize, fold_ascii: bool) -> Option<usize> {
    let haystack = value.get(from..)?;
    if !fold_ascii && !segment.contains('?') {
        return find_bytes(haystack.as_bytes(), segment.as_bytes())
            .map(|offset| from + offset + segment.len());
    }
    haystack.char_indices().find_map(|(offset, _)| match_at(segment, value, from + offset, fold_ascii))
}

/// Byte offset of the leftmost occurrence of `needle` in `haystack` (`Some(0)` for an empty needle).
///
/// A plain scan for the needle's first byte, then a comparison: on the short texts of policies and requests
/// (actions, ARNs, context values) it is several times cheaper than `str::find`, which sets up a two-way
/// searcher on every call. A match of whole UTF-8 texts starts and ends on character boundaries.
#[must_use]
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last_start = haystack.len().checked_sub(needle.len())?;
    let mut start = 0;
    while start <= last_start {
        let offset = haystack.get(start..=last_start)?.iter().position(|&b| b == first)?;
        let at = start + offset;
        if haystack.get(at + 1..at + needle.len()) == Some(rest) {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// Lowercase for [`wildcard_match`] (per character, see [`lowercase`]); borrow when nothing changes.
fn fold_case(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        Cow::Owned(lowercase(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r4_pattern_fields_split_as_splitn() {
        // the byte split of resource_match_fields against `splitn(6, ':')`, the form it replaced
        let patterns = [
            "",
            "arn",
            "arn:aws",
            "arn:aws:s3",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::a:b:c",
            "*:*:*:*:*:*:*",
            ":::::",
            "arn:aws:s3:::",
            "arn:*:s3:*:*:*",
            "arn:aws:iam::1:role/a*",
            "arn:aws:s3:::b",
            "arn:aws:s3*",
        ];
        let resources =
            ["arn:aws:s3:::b", "arn:aws:s3:::b/k", "arn:aws:s3:::a:b:c", "arn:aws:iam::1:role/ab", "::::::"];
        for pattern in patterns {
            let mut old = ["*"; ARN_FIELDS];
            let mut given = 0;
            for (slot, field) in old.iter_mut().zip(pattern.splitn(ARN_FIELDS, ':')) {
                *slot = field;
                given += 1;
            }
            let last = pattern.splitn(ARN_FIELDS, ':').last().unwrap_or_default();
            for resource in resources {
                let Some(fields) = split_arn(resource) else { unreachable!() };
                for resource_based in [false, true] {
                    let expected = pattern == "*"
                        || (!(given < ARN_FIELDS && resource_based && !last.ends_with('*'))
                            && old
                                .iter()
                                .zip(fields.iter())
                                .enumerate()
                                .all(|(i, (p, r))| wildcard_match(p, r, i != RESOURCE_FIELD)));
                    let found = resource_match_fields(pattern, Some(&fields), resource_based);
                    assert_eq!(found, expected, "{pattern} {resource} {resource_based}");
                    assert_eq!(resource_match(pattern, resource, resource_based), expected);
                }
            }
        }
    }

    #[test]
    fn test_find_bytes_equals_str_find() {
        let texts = ["", "a", "ab", "aab", "abab", "ba", "xaby", "aaa", ":describe", "ec2:describeimages"];
        for haystack in texts {
            for needle in texts {
                assert_eq!(
                    find_bytes(haystack.as_bytes(), needle.as_bytes()),
                    haystack.find(needle),
                    "{haystack} {needle}"
                );
            }
        }
        assert_eq!(find_bytes("éa:b".as_bytes(), ":b".as_bytes()), Some(3));
    }

    /// Obviously-correct exponential matcher over chars, for exhaustive comparison on short inputs.
    fn naive(pattern: &[char], value: &[char]) -> bool {
        match pattern.split_first() {
            None => value.is_empty(),
            Some(('*', rest)) => {
                (0..=value.len()).any(|i| value.get(i..).is_some_and(|tail| naive(rest, tail)))
            }
            Some(('?', rest)) => value.split_first().is_some_and(|(_, tail)| naive(rest, tail)),
            Some((c, rest)) => value.split_first().is_some_and(|(v, tail)| v == c && naive(rest, tail)),
        }
    }

    fn all_strings(alphabet: &[char], max_len: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..max_len {
            layer = layer.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            out.extend(layer.iter().cloned());
        }
        out
    }

    #[test]
    fn r3_wildcard_agrees_with_naive_matcher_exhaustively() {
        let patterns = all_strings(&['a', 'é', '*', '?'], 5);
        let values = all_strings(&['a', 'é', '😀'], 5);
        for pattern in &patterns {
            let pattern_chars: Vec<char> = pattern.chars().collect();
            for value in &values {
                let value_chars: Vec<char> = value.chars().collect();
                assert_eq!(
                    wildcard_match(pattern, value, false),
                    naive(&pattern_chars, &value_chars),
                    "pattern {pattern:?} value {value:?}"
                );
            }
        }
    }

    #[test]
    fn r3_wildcard_ignore_case_agrees_with_naive_matcher_on_lowercased_text() {
        // ASCII only (folded while comparing), then with a non-ASCII letter (lowercased first).
        for (pattern_alphabet, value_alphabet) in [
            (['a', 'B', '*', '?', ':'], ['A', 'b', 'a', ':']),
            (['a', 'A', 'İ', '*', '?'], ['a', 'A', 'İ', 'i']),
        ] {
            check_ignore_case_exhaustively(&pattern_alphabet, &value_alphabet);
        }
    }

    fn check_ignore_case_exhaustively(pattern_alphabet: &[char], value_alphabet: &[char]) {
        let patterns = all_strings(pattern_alphabet, 4);
        let values = all_strings(value_alphabet, 4);
        for pattern in &patterns {
            let pattern_chars: Vec<char> = lowercase(pattern).chars().collect();
            for value in &values {
                let value_chars: Vec<char> = lowercase(value).chars().collect();
                assert_eq!(
                    wildcard_match(pattern, value, true),
                    naive(&pattern_chars, &value_chars),
                    "pattern {pattern:?} value {value:?}"
                );
            }
        }
    }

    #[test]
    fn r3_star_matches_any_run_including_empty() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("*", "s3:GetObject", false));
        assert!(wildcard_match("s3:*", "s3:", false));
        assert!(wildcard_match("s3:*Object", "s3:GetObject", false));
        assert!(wildcard_match("**a**", "a", false));
        assert!(!wildcard_match("s3:*Object", "s3:GetObjects", false));
        assert!(!wildcard_match("", "a", false));
        assert!(wildcard_match("", "", false));
    }

    #[test]
    fn r3_question_mark_matches_exactly_one_unicode_character() {
        assert!(wildcard_match("?", "a", false));
        assert!(wildcard_match("?", "é", false));
        assert!(wildcard_match("?", "€", false));
        assert!(wildcard_match("?", "😀", false));
        assert!(wildcard_match("a?b", "a😀b", false));
        assert!(!wildcard_match("?", "", false));
        assert!(!wildcard_match("?", "ab", false));
        assert!(!wildcard_match("??", "😀", false));
        assert!(wildcard_match("*?", "😀", false));
        assert!(wildcard_match("*😀?", "x😀😀😀", false));
    }

    #[test]
    fn r3_action_is_case_insensitive() {
        assert!(wildcard_match("s3:Get*", "s3:getobject", true));
        assert!(wildcard_match("S3:GETOBJECT", "s3:GetObject", true));
        assert!(wildcard_match("iam:?etUser", "IAM:GETUSER", true));
        assert!(!wildcard_match("s3:Get*", "s3:getobject", false));
    }

    #[test]
    fn r3_ignore_case_lowercases_each_character() {
        assert!(wildcard_match("ÉTÉ", "été", true));
        assert!(wildcard_match("σ", "Σ", true));
        // No final-sigma context: both sides lowercase capital sigma to σ.
        assert!(!wildcard_match("ΑΣ", "ας", false));
        assert!(wildcard_match("ΑΣ", "ΑΣ", true));
        assert!(!wildcard_match("ΑΣ", "ας", true));
        // U+0130 lowercases to "i" + U+0307: two characters on both sides.
        assert!(wildcard_match("İ", "İ", true));
        assert!(wildcard_match("i\u{307}", "İ", true));
        assert!(wildcard_match("??", "İ", true));
        assert!(!wildcard_match("?", "İ", true));
        assert!(wildcard_match("?", "İ", false));
        // Kelvin sign lowercases to ASCII k.
        assert!(wildcard_match("k", "\u{212A}", true));
        assert_eq!(lowercase("AbÇ\u{212A}*?"), "abçk*?");
    }

    #[test]
    fn r3_many_stars_on_a_long_value_are_fast() {
        let long = "a".repeat(64 * 1024);
        let stars = "*".repeat(100);
        assert!(wildcard_match(&stars, &long, false));
        assert!(!wildcard_match(&format!("{stars}b"), &long, false));
        let alternating = "*a".repeat(100) + "*b";
        assert!(!wildcard_match(&alternating, &long, true));
        let run = format!("*{}b", "a".repeat(100));
        assert!(!wildcard_match(&run, &long, false));
    }

    #[test]
    fn r3_ignore_case_same_answer_on_short_and_long_ascii_values() {
        let patterns = ["*AB*", "*a?B*", "a*", "*b", "*?*?*", "A*b*A*", "*ab?ab*"];
        for length in [SHORT_VALUE - 2, SHORT_VALUE + 2] {
            for tail in ["", "Ab", "aB", "bA", "ABAB"] {
                let value = format!("{}{tail}", "a".repeat(length));
                for pattern in patterns {
                    let expected = glob(&lowercase(pattern), &lowercase(&value), false);
                    assert_eq!(wildcard_match(pattern, &value, true), expected, "{pattern} {length} {tail}");
                }
            }
        }
    }

    #[test]
    fn r4_split_arn_keeps_colons_in_resource() {
        assert_eq!(split_arn("a:b:c:d:e:f:g"), Some(["a", "b", "c", "d", "e", "f:g"]));
        assert_eq!(split_arn(":::::"), Some(["", "", "", "", "", ""]));
        assert_eq!(split_arn("::::"), None);
        assert_eq!(split_arn(""), None);
    }

    #[test]
    fn r4_star_alone_matches_everything() {
        assert!(resource_match("*", "*", false));
        assert!(resource_match("*", "arn:aws:s3:::b", true));
        assert!(resource_match("*", "not an arn", false));
    }

    #[test]
    fn r4_request_resource_star_only_matched_by_star() {
        assert!(!resource_match("**", "*", false));
        assert!(!resource_match("arn:*", "*", false));
        assert!(!resource_match("?", "*", false));
    }

    #[test]
    fn r4_wildcards_do_not_cross_fields_before_resource() {
        assert!(!resource_match("arn:aws:s3*:::b", "arn:aws:s3:x::b", false));
        assert!(resource_match("arn:*:s3:::b", "arn:aws:s3:::b", false));
        assert!(!resource_match("arn:*:::b", "arn:aws:s3:::b", false));
        assert!(resource_match(
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1:123:instance/i-1",
            false
        ));
        assert!(!resource_match("arn:aws:ec2:?:*:*", "arn:aws:ec2:us-east-1:123:instance/i-1", false));
    }

    #[test]
    fn r4_resource_field_spans_slash_and_colon() {
        assert!(resource_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z", false));
        assert!(resource_match(
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:r:1:log-group:g:log-stream:s",
            false
        ));
        assert!(resource_match("arn:aws:s3:::b?c", "arn:aws:s3:::b:c", false));
    }

    #[test]
    fn r4_case_insensitive_fields_and_case_sensitive_resource() {
        assert!(resource_match("ARN:AWS:S3:::b", "arn:aws:s3:::b", false));
        assert!(resource_match("arn:aws:iam::*:ROLE/x", "arn:aws:iam::1:ROLE/x", false));
        assert!(!resource_match("arn:aws:iam::*:ROLE/x", "arn:aws:iam::1:role/x", false));
    }

    #[test]
    fn r4_short_pattern_padding() {
        let resource = "arn:aws:s3:::bucket/key";
        // Trailing `*`: padded everywhere.
        assert!(resource_match("arn:aws:s3*", resource, false));
        assert!(resource_match("arn:aws:s3*", resource, true));
        assert!(resource_match("arn:*", resource, true));
        assert!(!resource_match("arn:aws:ec2*", resource, true));
        // No trailing `*`: padded in identity-side policies, nothing in resource-based ones.
        assert!(resource_match("arn:aws:s3", resource, false));
        assert!(!resource_match("arn:aws:s3", resource, true));
        assert!(!resource_match("arn:aws:", resource, true));
        assert!(!resource_match("arn:aws:", resource, false));
        assert!(!resource_match("", resource, false));
        // A one-field pattern ending in `*` is padded too, unlike `*` alone it does not match `*`.
        assert!(resource_match("a*", resource, true));
        assert!(resource_match("**", resource, true));
    }

    #[test]
    fn r4_resource_with_fewer_than_six_fields_matches_nothing() {
        assert!(!resource_match("arn:*", "arn:aws:s3", false));
        assert!(resource_match("arn:aws:s3*", "arn:aws:s3:::", false));
        assert!(!resource_match("a*", "not-an-arn", false));
    }

    #[test]
    fn r11_arn_like_matches_each_field_case_sensitively() {
        let role = "arn:aws:iam::123456789012:role/admin";
        assert!(arn_like("arn:aws:iam::123456789012:role/admin", role));
        assert!(arn_like("arn:aws:iam::*:role/*", role));
        assert!(arn_like("arn:*:*:*:*:*", role));
        assert!(arn_like("arn:aws:iam::????????????:role/?dmin", role));
        assert!(!arn_like("arn:AWS:iam::*:role/*", role));
        assert!(!arn_like("arn:aws:iam::*:Role/*", role));
    }

    #[test]
    fn r11_arn_like_wildcard_never_crosses_a_field() {
        let role = "arn:aws:iam::123456789012:role/admin";
        assert!(!arn_like("arn:aws:*:role/admin", role));
        assert!(!arn_like("arn:*", role));
        assert!(!arn_like("*", role));
        assert!(!arn_like("arn:aws:iam:*:role/admin:x", role));
        // The sixth field keeps its colons and is matched as a whole.
        assert!(arn_like("arn:aws:logs:r:1:log-group:*", "arn:aws:logs:r:1:log-group:g:log-stream:s"));
    }

    #[test]
    fn r11_arn_like_needs_six_fields_on_both_sides() {
        assert!(!arn_like("arn:aws:s3:::*", "arn:aws:s3"));
        assert!(!arn_like("arn:aws:s3", "arn:aws:s3"));
        assert!(arn_like(":::::", ":::::"));
        assert!(!arn_like("", ""));
    }

    #[test]
    fn r13_literal_pieces_are_not_wildcards() {
        assert!(glob_pieces(&[Piece::Glob("a/"), Piece::Literal("*")], "a/*", false));
        assert!(!glob_pieces(&[Piece::Glob("a/"), Piece::Literal("*")], "a/b", false));
        assert!(glob_pieces(&[Piece::Glob("a/"), Piece::Literal("x"), Piece::Glob("*")], "a/xyz", false));
        assert!(glob_pieces(&[Piece::Literal("AB"), Piece::Glob("?")], "abc", true));
        assert!(resource_match_pieces(&[Piece::Literal("*")], "*", false));
        assert!(!resource_match_pieces(&[Piece::Literal("*")], "arn:aws:s3:::b", false));
        let pieces = [Piece::Glob("arn:aws:s3:::b/"), Piece::Literal("a:b"), Piece::Glob("/*")];
        assert!(resource_match_pieces(&pieces, "arn:aws:s3:::b/a:b/c", true));
        let pieces = [Piece::Glob("arn:aws:iam::1:role/"), Piece::Literal("x")];
        assert!(arn_like_pieces(&pieces, "arn:aws:iam::1:role/x"));
        assert!(!arn_like_pieces(&[], "arn:aws:iam::1:role/x"));
    }
}
