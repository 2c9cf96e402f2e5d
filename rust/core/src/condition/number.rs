//! Numeric condition values (R11 Numeric): integers and decimals, compared exactly as decimals.

use std::cmp::Ordering;

/// An exact decimal number: sign, integer digits without leading zeros, fraction digits without trailing
/// zeros (zero is never negative), so that equal values have equal fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Build from a sign and digit strings (ASCII digits only; normalized here).
    #[must_use]
    pub fn from_parts(negative: bool, int: &str, frac: &str) -> Self {
        let int = int.trim_start_matches('0').to_owned();
        let frac = frac.trim_end_matches('0').to_owned();
        let negative = negative && !(int.is_empty() && frac.is_empty());
        Self { negative, int, frac }
    }

    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// R11 Numeric: `[+-]?(\d+(\.\d*)?|\.\d+)` (ASCII digits), as in the reference `read_number`.
#[must_use]
pub fn read_number(text: &str) -> Option<Decimal> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = all_digits(int) && all_digits(frac) && (!int.is_empty() || !frac.is_empty());
    ok.then(|| Decimal::from_parts(negative, int, frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_numbers_compare_exactly() {
        let n = |t: &str| read_number(t);
        assert_eq!(n("1.0"), n("1"));
        assert_eq!(n("-0"), n("+0.000"));
        assert!(n("0.1") < n("0.10000000000000000000000000000001"));
        assert!(n("-2") < n("-1.5"));
        assert!(n("10") > n("9.999"));
        assert!(n("123456789012345678901234567890") > n("123456789012345678901234567889.9"));
        assert_eq!(n(".5"), n("0.5"));
        assert_eq!(n("5."), n("5"));
        for bad in ["", ".", "+", "1e3", "١", " 1", "1.2.3", "0x1"] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }
}
