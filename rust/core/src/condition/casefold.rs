//! Full Unicode case folding, as Python's `str.casefold` (StringEqualsIgnoreCase, R11).
//!
//! The table is generated from Python 3.11's `unicodedata` (Unicode 14.0): characters added to Unicode later
//! are left as they are, exactly as that Python does. Python `str.casefold` is applied character by
//! character (it has no context rules), so the table is all it needs.

mod table;

use table::CASEFOLD;
pub use table::UNICODE_VERSION;

/// Case-fold `text` as Python's `str.casefold`.
#[must_use]
pub fn casefold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match CASEFOLD.binary_search_by(|(c, _)| c.cmp(&ch)) {
            Ok(index) => out.push_str(CASEFOLD.get(index).map_or("", |(_, folded)| folded)),
            Err(_) => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_casefold_as_python() {
        assert_eq!(casefold("Straße"), "strasse");
        assert_eq!(casefold("ΣΑΣ"), "σασ");
        assert_eq!(casefold("ς"), "σ");
        assert_eq!(casefold("İ"), "i\u{307}");
        assert_eq!(casefold("\u{212a}"), "k");
        assert_eq!(casefold("ﬃ"), "ffi");
        assert_eq!(table::UNICODE_VERSION, "14.0.0");
    }
}
