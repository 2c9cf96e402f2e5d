//! JSON values and a strict reader (the grammar section of IAM_RULES; Python `iameval.reference.document`).
//!
//! The reader follows Python's `json.loads` with iameval's strict rules on top: a duplicate key in an object
//! is an error at that key's pointer (`json_duplicate_key`); `NaN`/`Infinity` are not JSON; bytes must be
//! UTF-8 (a leading byte order mark is skipped). Numbers keep their text as Python prints the parsed value:
//! integers exactly (`str(int)`), other numbers like `repr(float)`.
//!
//! Limits (errors of type `json_invalid` at the document root): [`MAX_DEPTH`] levels of nested arrays and
//! objects, [`MAX_DOCUMENT_BYTES`] bytes of text, and integers of at most [`MAX_INT_DIGITS`] digits (Python's
//! own limit for converting digit strings to `int`).

use crate::error::{ErrorEntry, ErrorKind, Path, PathSegment};

/// Deepest nesting of arrays and objects accepted (a policy needs 7).
pub const MAX_DEPTH: usize = 64;
/// Largest JSON text accepted, in UTF-8 bytes.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// Most digits in an integer (Python's default `sys.get_int_max_str_digits()`).
pub const MAX_INT_DIGITS: usize = 4300;

/// The [`Json::Number`] text that stands for a Python value JSON has no counterpart for (a tuple, a set, any
/// object): no grammar rule reads it, so it is the wrong type wherever it stands.
pub const OPAQUE: &str = "<opaque>";
/// The [`Json::Number`] text that stands for a Python `int` with more digits than Python prints.
pub const LARGE_INT: &str = "<large int>";

/// Whether a [`Json::Number`] text is no readable number: not finite (`inf`, `-inf`, `nan`), [`OPAQUE`] or
/// [`LARGE_INT`]. Where a number is read as text (condition values, context values), such a value is refused.
#[must_use]
pub fn is_unreadable_number(text: &str) -> bool {
    matches!(text, "inf" | "-inf" | "nan" | OPAQUE | LARGE_INT)
}

/// Why a JSON value that is no string, readable number or boolean cannot be a condition value (R11).
#[must_use]
pub fn unreadable_condition_value(value: &Json) -> String {
    match value {
        Json::Number(text) if text == "nan" => "condition value `nan` is not a number".to_owned(),
        Json::Number(text) if text == "inf" || text == "-inf" => {
            format!("condition value `{text}` is not a finite number")
        }
        Json::Number(text) if text == LARGE_INT => {
            "condition value is an integer with too many digits".to_owned()
        }
        _ => "condition value must be a string, number or boolean".to_owned(),
    }
}

/// A JSON value. Objects keep their keys in order, each key once (the last value of a repeated key, at the
/// position of its first occurrence, as a Python `dict` built from the pairs).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as the text Python prints for it (`10`, `1.5`, `1e+16`, `inf` for an overflowing float).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` when `self` is an object that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// Whether this is JSON `null`.
    #[must_use]
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// A number from an integer.
    #[must_use]
    pub fn int(value: i64) -> Self {
        Self::Number(value.to_string())
    }

    /// A number from a float, printed like Python's `repr(float)` (`inf`, `-inf`, `nan` for those values).
    #[must_use]
    pub fn float(value: f64) -> Self {
        Self::Number(python_float_repr(value))
    }
}

/// Tags of [`Json::encode`]'s form.
const TAG_NULL: u8 = 0;
const TAG_FALSE: u8 = 1;
const TAG_TRUE: u8 = 2;
const TAG_NUMBER: u8 = 3;
const TAG_STRING: u8 = 4;
const TAG_ARRAY: u8 = 5;
const TAG_OBJECT: u8 = 6;

fn push_len(out: &mut Vec<u8>, mut len: usize) {
    // LEB128: seven bits per byte, the high bit set on every byte but the last
    loop {
        let low = u8::try_from(len & 0x7f).unwrap_or_default();
        len >>= 7;
        if len == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    push_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// A reader of [`Json::encode`]'s form.
struct Decoder<'a> {
    bytes: &'a [u8],
}

impl Decoder<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(first)
    }

    fn len(&mut self) -> Option<usize> {
        let mut len = 0_usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = self.byte()?;
            len |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(len);
            }
        }
        None
    }

    fn text(&mut self) -> Option<String> {
        let len = self.len()?;
        let (text, rest) = self.bytes.split_at_checked(len)?;
        self.bytes = rest;
        std::str::from_utf8(text).ok().map(str::to_owned)
    }

    fn value(&mut self) -> Option<Json> {
        Some(match self.byte()? {
            TAG_NULL => Json::Null,
            TAG_FALSE => Json::Bool(false),
            TAG_TRUE => Json::Bool(true),
            TAG_NUMBER => Json::Number(self.text()?),
            TAG_STRING => Json::String(self.text()?),
            TAG_ARRAY => {
                let count = self.len()?;
                // each item takes at least one byte: a count past the bytes left is no encoding of ours
                let mut items = Vec::with_capacity(count.min(self.bytes.len()));
                for _ in 0..count {
                    items.push(self.value()?);
                }
                Json::Array(items)
            }
            TAG_OBJECT => {
                let count = self.len()?;
                let mut pairs = Vec::with_capacity(count.min(self.bytes.len()));
                for _ in 0..count {
                    let key = self.text()?;
                    pairs.push((key, self.value()?));
                }
                Json::Object(pairs)
            }
            _ => return None,
        })
    }
}

impl Json {
    /// The value in a compact byte form that [`Json::decode`] reads back exactly (every number text, key
    /// order and string kept): about the size of the JSON text, where the tree of a policy document takes
    /// about three times that. Kept by the Python binding for pickling a compiled set.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    /// [`Json::encode`], appended to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Self::Null => out.push(TAG_NULL),
            Self::Bool(false) => out.push(TAG_FALSE),
            Self::Bool(true) => out.push(TAG_TRUE),
            Self::Number(text) => {
                out.push(TAG_NUMBER);
                push_text(out, text);
            }
            Self::String(text) => {
                out.push(TAG_STRING);
                push_text(out, text);
            }
            Self::Array(items) => {
                out.push(TAG_ARRAY);
                push_len(out, items.len());
                for item in items {
                    item.encode_into(out);
                }
            }
            Self::Object(pairs) => {
                out.push(TAG_OBJECT);
                push_len(out, pairs.len());
                for (key, value) in pairs {
                    push_text(out, key);
                    value.encode_into(out);
                }
            }
        }
    }

    /// The value [`Json::encode`] wrote; `None` for bytes it did not write (or with bytes left over).
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let mut decoder = Decoder { bytes };
        let value = decoder.value()?;
        decoder.bytes.is_empty().then_some(value)
    }
}

/// Read JSON text given as bytes: UTF-8 (a leading byte order mark is skipped), then as [`parse_str`].
///
/// # Errors
/// Every problem as [`ErrorEntry`] values: `json_invalid` (nothing is returned) or `json_duplicate_key`
/// (the value is returned with the errors, as Python's `load_document` does).
pub fn parse_bytes(bytes: &[u8]) -> (Option<Json>, Vec<ErrorEntry>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(err) => (
            None,
            vec![ErrorEntry::new(
                ErrorKind::JsonInvalid,
                Vec::new(),
                format!("invalid UTF-8 at byte {}", err.valid_up_to()),
            )],
        ),
    }
}

/// The message for text (not bytes) that starts with U+FEFF.
const BOM_IN_TEXT: &str = "invalid JSON at line 1 column 1: unexpected byte order mark (U+FEFF) in text";

/// Read JSON text strictly: `(value, errors)`; the value is `None` when the text is not JSON.
#[must_use]
pub fn parse_str(text: &str) -> (Option<Json>, Vec<ErrorEntry>) {
    if text.len() > MAX_DOCUMENT_BYTES {
        let message = format!("invalid JSON: document larger than {MAX_DOCUMENT_BYTES} bytes");
        return (None, vec![ErrorEntry::new(ErrorKind::JsonInvalid, Vec::new(), message)]);
    }
    if text.starts_with('\u{feff}') {
        // a byte order mark is skipped in bytes (parse_bytes) but is not JSON inside text
        return (None, vec![ErrorEntry::new(ErrorKind::JsonInvalid, Vec::new(), BOM_IN_TEXT.to_owned())]);
    }
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0, depth: 0 };
    let node = reader.skip_ws_then(|r| r.value()).and_then(|node| {
        reader.skip_ws();
        if reader.pos < reader.bytes.len() { Err(reader.fail("Extra data")) } else { Ok(node) }
    });
    match node {
        Ok(node) => {
            let mut errors = Vec::new();
            let value = finish(node, &mut Vec::new(), &mut errors);
            (Some(value), errors)
        }
        Err(message) => (None, vec![ErrorEntry::new(ErrorKind::JsonInvalid, Vec::new(), message)]),
    }
}

/// A parsed value that still remembers the repeated keys of each object.
enum Node {
    Leaf(Json),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>, Vec<String>),
}

fn finish(node: Node, path: &mut Path, errors: &mut Vec<ErrorEntry>) -> Json {
    match node {
        Node::Leaf(value) => value,
        Node::Array(items) => Json::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(PathSegment::Index(i));
                    let value = finish(item, path, errors);
                    path.pop();
                    value
                })
                .collect(),
        ),
        Node::Object(pairs, duplicates) => {
            for key in duplicates {
                let mut at = path.clone();
                at.push(PathSegment::Key(key.clone()));
                errors.push(ErrorEntry::new(
                    ErrorKind::JsonDuplicateKey,
                    at,
                    format!("duplicate key `{key}`"),
                ));
            }
            Json::Object(
                pairs
                    .into_iter()
                    .map(|(key, item)| {
                        path.push(PathSegment::Key(key.clone()));
                        let value = finish(item, path, errors);
                        path.pop();
                        (key, value)
                    })
                    .collect(),
            )
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, String>;

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn skip_ws_then<T>(&mut self, f: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        self.skip_ws();
        f(self)
    }

    /// A `json.JSONDecodeError`-like message at the current position.
    fn fail(&self, what: &str) -> String {
        self.fail_at(what, self.pos)
    }

    fn fail_at(&self, what: &str, pos: usize) -> String {
        let before = self.text.get(..pos).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        // Python's json message with its first letter lower-cased (the reference does the same)
        let mut chars = what.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or_default();
        format!("invalid JSON at line {line} column {column}: {first}{}", chars.as_str())
    }

    fn value(&mut self) -> Parsed<Node> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Node::Leaf(Json::String(self.string()?))),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, value) in
                    [("null", Json::Null), ("true", Json::Bool(true)), ("false", Json::Bool(false))]
                {
                    if self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
                        self.pos += word.len();
                        return Ok(Node::Leaf(value));
                    }
                }
                for word in ["NaN", "Infinity", "-Infinity"] {
                    if self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
                        return Err(format!("invalid JSON: `{word}` is not a JSON value"));
                    }
                }
                Err(self.fail("Expecting value"))
            }
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Parsed<Node>) -> Parsed<Node> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("invalid JSON: nesting deeper than {MAX_DEPTH} levels"));
        }
        self.depth += 1;
        let node = f(self);
        self.depth -= 1;
        node
    }

    fn array(&mut self) -> Parsed<Node> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::Array(items));
                }
                _ => return Err(self.fail("Expecting ',' delimiter")),
            }
        }
    }

    fn object(&mut self) -> Parsed<Node> {
        self.pos += 1;
        let mut pairs: Vec<(String, Node)> = Vec::new();
        let mut duplicates: Vec<String> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::Object(pairs, duplicates));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("Expecting property name enclosed in double quotes"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.fail("Expecting ':' delimiter"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            if let Some(slot) = pairs.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
                if !duplicates.contains(&key) {
                    duplicates.push(key);
                }
            } else {
                pairs.push((key, value));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::Object(pairs, duplicates));
                }
                _ => return Err(self.fail("Expecting ',' delimiter")),
            }
        }
    }

    fn string(&mut self) -> Parsed<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.fail_at("Unterminated string starting at", start)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek();
                    self.pos += 1;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        None => return Err(self.fail_at("Unterminated string starting at", start)),
                        Some(_) => return Err(self.fail_at("Invalid \\escape", self.pos - 2)),
                    }
                }
                Some(_) => return Err(self.fail("Invalid control character at")),
            }
        }
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let digits =
            self.text.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(value) => {
                self.pos += 4;
                Ok(value)
            }
            None => Err(self.fail_at("Invalid \\uXXXX escape", self.pos - 1)),
        }
    }

    fn unicode_escape(&mut self) -> Parsed<char> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first)
            && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u".as_slice())
        {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                self.pos = save;
                first
            }
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| "invalid JSON: lone surrogate in a string".to_owned())
    }

    fn number(&mut self) -> Parsed<Node> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => {
                if self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(b"Infinity")) {
                    return Err("invalid JSON: `-Infinity` is not a JSON value".to_owned());
                }
                self.pos = start;
                return Err(self.fail("Expecting value"));
            }
        }
        let int_end = self.pos;
        let mut is_float = false;
        if self.peek() == Some(b'.') && self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
            self.digits();
            is_float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.digits();
                is_float = true;
            } else {
                self.pos = save;
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if !is_float {
            let digits = text.trim_start_matches('-');
            if digits.len() > MAX_INT_DIGITS {
                return Err(format!(
                    "invalid JSON: integer with {} digits, more than {MAX_INT_DIGITS}",
                    digits.len()
                ));
            }
            let _ = int_end;
            let value = if digits == "0" { "0".to_owned() } else { text.to_owned() };
            return Ok(Node::Leaf(Json::Number(value)));
        }
        let value: f64 = text.parse().map_err(|_| self.fail_at("Expecting value", start))?;
        Ok(Node::Leaf(Json::Number(python_float_repr(value))))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }
}

/// Python's `repr(float)`: the shortest text that reads back as the same float, in fixed notation for
/// decimal exponents -4..16 and scientific notation (`1e+16`, `1.5e-05`) otherwise.
#[must_use]
pub fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf".to_owned() } else { "-inf".to_owned() };
    }
    let sci = format!("{value:e}");
    let (sign, sci) = sci.strip_prefix('-').map_or(("", sci.as_str()), |rest| ("-", rest));
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let n = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let point = usize::try_from(exponent + 1).unwrap_or(0);
            if n <= exponent + 1 {
                format!("{sign}{digits}{}.0", "0".repeat(point - digits.len()))
            } else {
                let (head, tail) = digits.split_at(point);
                format!("{sign}{head}.{tail}")
            }
        } else {
            let zeros = usize::try_from(-exponent - 1).unwrap_or(0);
            format!("{sign}0.{}{digits}", "0".repeat(zeros))
        }
    } else {
        let (head, tail) = digits.split_at(1.min(digits.len()));
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        let dot = if tail.is_empty() { String::new() } else { format!(".{tail}") };
        format!("{sign}{head}{dot}e{exp_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> String {
        match parse_str(text) {
            (Some(Json::Number(n)), errors) if errors.is_empty() => n,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn test_grammar_numbers_print_as_python() {
        assert_eq!(number("10"), "10");
        assert_eq!(number("-0"), "0");
        assert_eq!(number("-0.0"), "-0.0");
        assert_eq!(number("1.50"), "1.5");
        assert_eq!(number("1e2"), "100.0");
        assert_eq!(number("1e16"), "1e+16");
        assert_eq!(number("1e15"), "1000000000000000.0");
        assert_eq!(number("0.0001"), "0.0001");
        assert_eq!(number("0.00001"), "1e-05");
        assert_eq!(number("1.5e-7"), "1.5e-07");
        assert_eq!(number("123456789012345678901234567890"), "123456789012345678901234567890");
        assert_eq!(number("1e400"), "inf");
        assert_eq!(number("0.1"), "0.1");
    }

    #[test]
    fn test_grammar_duplicate_keys_are_reported_at_their_pointer() {
        let (value, errors) =
            parse_str(r#"{"a": {"x": 1, "x": 2}, "b": 1, "a": {"y": [1, {"z": 1, "z": 2}]}}"#);
        let pointers: Vec<String> = errors.iter().map(ErrorEntry::pointer).collect();
        assert_eq!(pointers, ["/a", "/a/y/1/z"]);
        let value = value.unwrap_or(Json::Null);
        assert!(value.get("a").and_then(|a| a.get("y")).is_some());
        assert!(errors.iter().all(|e| e.kind == ErrorKind::JsonDuplicateKey));
    }

    #[test]
    fn test_grammar_invalid_json_and_limits() {
        for text in
            ["", "{", "[1,]", "{\"a\" 1}", "NaN", "[-Infinity]", "01", "\"\u{1}\"", "\"\\x\"", "[1] x"]
        {
            let (value, errors) = parse_str(text);
            assert!(value.is_none(), "{text:?}");
            assert_eq!(errors.first().map(|e| e.kind), Some(ErrorKind::JsonInvalid), "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_str(&deep).0.is_some());
        let deeper = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse_str(&deeper).0.is_none());
        assert!(parse_bytes(b"\xff").0.is_none());
        assert_eq!(parse_bytes("\u{feff}\"\\ud83d\\ude00\"".as_bytes()).0, Some(Json::String("😀".into())));
        let (_, errors) = parse_str("{\n  \"a\": x}");
        assert_eq!(
            errors.first().map(|e| e.message.as_str()),
            Some("invalid JSON at line 2 column 8: expecting value")
        );
    }

    #[test]
    fn test_encode_decode_round_trips_exactly() {
        let long = "x".repeat(300);
        let texts = [
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}"#,
            r#"[null, true, false, 0, -1.5, 1e+16, "", "\u00e9\ud83d\ude00", {}, [], {"a": {"b": [1, [2, {}]]}}]"#,
            "12345678901234567890123456789",
        ];
        for text in texts {
            let Some(value) = parse_str(text).0 else { unreachable!("{text}") };
            assert_eq!(Json::decode(&value.encode()), Some(value.clone()), "{text}");
        }
        let special = Json::Array(vec![
            Json::Number("nan".into()),
            Json::Number(OPAQUE.into()),
            Json::Number(LARGE_INT.into()),
            Json::String(long.clone()),
            Json::Object(vec![(long, Json::Array((0..200).map(Json::int).collect()))]),
        ]);
        assert_eq!(Json::decode(&special.encode()), Some(special));
    }

    #[test]
    fn test_decode_refuses_what_encode_did_not_write() {
        let value = Json::Array(vec![Json::String("abc".into()), Json::Null]);
        let bytes = value.encode();
        for end in 0..bytes.len() {
            assert_eq!(Json::decode(bytes.get(..end).unwrap_or_default()), None, "{end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Json::decode(&longer), None);
        assert_eq!(Json::decode(&[9]), None);
        assert_eq!(Json::decode(&[TAG_STRING, 2, 0xff, 0xfe]), None); // not UTF-8
        assert_eq!(
            Json::decode(&[TAG_ARRAY, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
            None
        );
    }
}
