//! Located errors: every problem in a policy document or a request, with its JSON pointer (RFC 6901).
//!
//! Mirrors `iameval.errors`: an entry has a stable type id ([`ErrorKind`]), the policy's location in its
//! policy set (`identity/0`, `resource`, `scps/1/0`, `""` for a single document or a request), a path of
//! keys and indices, and a one-line lowercase message with user input in backticks.

use std::fmt;

/// The stable type id of a problem (`ErrorEntry.type` in Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not JSON (or not UTF-8, or too large or too deeply nested).
    JsonInvalid,
    /// An object has the same key twice.
    JsonDuplicateKey,
    /// A value has the wrong JSON type.
    WrongType,
    /// A required element is absent.
    MissingElement,
    /// An element that the grammar does not know.
    UnknownElement,
    /// Two elements that exclude each other.
    ConflictingElements,
    /// A value of the right type that is not allowed.
    InvalidValue,
    /// A condition operator that does not exist.
    UnknownOperator,
    /// A condition value that the operator cannot read.
    InvalidConditionValue,
    /// An element not allowed in this kind of policy.
    ElementNotAllowed,
    /// A list that must not be empty.
    EmptyList,
}

impl ErrorKind {
    /// The type id as Python reports it (`json_invalid`, `wrong_type`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::JsonInvalid => "json_invalid",
            Self::JsonDuplicateKey => "json_duplicate_key",
            Self::WrongType => "wrong_type",
            Self::MissingElement => "missing_element",
            Self::UnknownElement => "unknown_element",
            Self::ConflictingElements => "conflicting_elements",
            Self::InvalidValue => "invalid_value",
            Self::UnknownOperator => "unknown_operator",
            Self::InvalidConditionValue => "invalid_condition_value",
            Self::ElementNotAllowed => "element_not_allowed",
            Self::EmptyList => "empty_list",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a path inside a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        Self::Key(key.to_owned())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        Self::Index(index)
    }
}

/// A path inside a document, root first.
pub type Path = Vec<PathSegment>;

/// Format a path as an RFC 6901 JSON pointer (`~` and `/` escaped), as `iameval.errors.json_pointer`.
#[must_use]
pub fn json_pointer(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            PathSegment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            PathSegment::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// One located problem, as listed by `PolicyError.errors()` / `RequestError.errors()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The stable type id.
    pub kind: ErrorKind,
    /// Where the policy sits in its policy set (`identity/0`, `resource`, `scps/1/0`); `""` otherwise.
    pub policy: String,
    /// The location inside the document.
    pub path: Path,
    /// One line, lowercase, no final period, user input in backticks.
    pub message: String,
}

impl ErrorEntry {
    /// A new entry without a policy location.
    #[must_use]
    pub fn new(kind: ErrorKind, path: Path, message: impl Into<String>) -> Self {
        Self { kind, policy: String::new(), path, message: message.into() }
    }

    /// The RFC 6901 pointer of [`Self::path`].
    #[must_use]
    pub fn pointer(&self) -> String {
        json_pointer(&self.path)
    }
}

impl fmt::Display for ErrorEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.policy.is_empty() {
            write!(f, "{}: ", self.policy)?;
        }
        let pointer = self.pointer();
        write!(f, "{}: {}", if pointer.is_empty() { "/" } else { &pointer }, self.message)
    }
}

/// The errors of the core: a malformed policy (set) or a malformed request, each listing every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A policy document or a policy set is malformed (Python `PolicyError`).
    Policy(Vec<ErrorEntry>),
    /// A request is malformed (Python `RequestError`).
    Request(Vec<ErrorEntry>),
}

impl Error {
    /// Every problem found.
    #[must_use]
    pub fn entries(&self) -> &[ErrorEntry] {
        match self {
            Self::Policy(entries) | Self::Request(entries) => entries,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.entries();
        write!(f, "{} error{}", entries.len(), if entries.len() == 1 { "" } else { "s" })?;
        for entry in entries {
            write!(f, "\n  {entry}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_grammar_pointer_escapes_tilde_and_slash() {
        let path = vec![PathSegment::from("Statement"), PathSegment::from(0), PathSegment::from("a/b~c")];
        assert_eq!(json_pointer(&path), "/Statement/0/a~1b~0c");
        assert_eq!(json_pointer(&[]), "");
    }
}
