//! Date condition values (R11 Date): ISO 8601 or epoch seconds, as exact epoch seconds.

use super::number::{Decimal, read_number};

/// Days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let slice = self.bytes.get(self.pos..self.pos + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(slice.iter().fold(0, |acc, b| acc * 10 + i64::from(b - b'0')))
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.bytes.get(self.pos) == Some(&byte);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// R11 Date, the reference `read_date`: epoch seconds `[+-]digits[.digits]`; `YYYY-MM-DD`;
/// `YYYY-MM-DDThh:mm[:ss[.fraction]][zone]`, fraction 1-9 digits, zone `Z`, `+hh`, `+hhmm` or `+hh:mm`.
#[must_use]
pub fn read_date(text: &str) -> Option<Decimal> {
    if is_epoch(text) {
        return read_number(text);
    }
    let mut c = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = c.digits(4)?;
    c.eat(b'-').then_some(())?;
    let month = c.digits(2)?;
    c.eat(b'-').then_some(())?;
    let day = c.digits(2)?;
    let (mut hour, mut minute, mut second, mut fraction, mut offset) = (0, 0, 0, "", 0);
    if !c.done() {
        c.eat(b'T').then_some(())?;
        hour = c.digits(2)?;
        c.eat(b':').then_some(())?;
        minute = c.digits(2)?;
        if c.eat(b':') {
            second = c.digits(2)?;
            if c.eat(b'.') {
                let start = c.pos;
                while c.peek().is_some_and(|b| b.is_ascii_digit()) && c.pos - start < 9 {
                    c.pos += 1;
                }
                fraction = text.get(start..c.pos)?;
                if fraction.is_empty() {
                    return None;
                }
            }
        }
        match c.peek() {
            Some(b'Z') => c.pos += 1,
            Some(sign @ (b'+' | b'-')) => {
                c.pos += 1;
                let zh = c.digits(2)?;
                let zm = if c.done() {
                    0
                } else {
                    c.eat(b':');
                    c.digits(2)?
                };
                if zh > 23 || zm > 59 {
                    return None;
                }
                offset = (zh * 3600 + zm * 60) * if sign == b'+' { 1 } else { -1 };
            }
            _ => {}
        }
        if !c.done() {
            return None;
        }
    }
    if !(1..=12).contains(&month) || year < 1 || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(epoch_plus_fraction(seconds, fraction))
}

fn is_epoch(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `seconds + 0.fraction` exactly.
fn epoch_plus_fraction(seconds: i64, fraction: &str) -> Decimal {
    let frac_value: u64 = fraction.parse().unwrap_or(0);
    if seconds >= 0 || frac_value == 0 {
        return Decimal::from_parts(seconds < 0, &seconds.unsigned_abs().to_string(), fraction);
    }
    // seconds < 0: -(|s| - 0.f) = -((|s| - 1) + (1 - 0.f))
    let width = u32::try_from(fraction.len()).unwrap_or(9);
    let complement = 10u64.pow(width) - frac_value;
    let frac_text = format!("{complement:0width$}", width = fraction.len());
    Decimal::from_parts(true, &(seconds.unsigned_abs() - 1).to_string(), &frac_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_dates_read_as_epoch_seconds() {
        let d = |t: &str| read_date(t);
        assert_eq!(d("1970-01-01"), read_number("0"));
        assert_eq!(d("2024-02-29T12:00:00Z"), read_number("1709208000"));
        assert_eq!(d("2024-02-29T13:30:00+01:30"), read_number("1709208000"));
        assert_eq!(d("2024-02-29T10:30-0130"), read_number("1709208000"));
        assert_eq!(d("2024-02-29T12:00:00.5+00"), read_number("1709208000.5"));
        assert_eq!(d("1969-12-31T23:59:59.25"), read_number("-0.75"));
        assert_eq!(d("0001-01-01"), read_number("-62135596800"));
        assert_eq!(d("1709208000.50"), read_number("1709208000.5"));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "0000-01-01",
            "2024-01-01T24:00",
            "2024-01-01T00:00:60",
            "2024-01-01Z",
            "2024-01-01T00:00+24",
            "2024-01-01T00:00:00.1234567890",
            "2024-01-01T00:00+05:",
            "2024-1-01",
            "1.",
            ".5",
            "2024-01-01T00:00:00.",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }
}
