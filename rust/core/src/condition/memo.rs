//! Clause answers remembered across the rows of a batch (IAM_RULES R8-R13 unchanged: only their cost).
//!
//! A clause answers from its key's value in the request (R8: the operator against that value; R9: its
//! absence) and, when its policy values have variables, from those variables' values (R13: each its key's
//! single value, else its default). The rows of an audit batch repeat a handful of values per key (the
//! caller's `aws:PrincipalArn`, a few source addresses, regions, user names), so the batch path keeps, per
//! clause, the last [`WAYS`] keys it met (the value, with the variables' values when it has any) and the
//! clause's answer for each: a row whose key was seen before gets the answer with one comparison, without
//! reading the value as an address, an ARN or a date, or substituting variables, again. [`ClauseMemo`] lives
//! in a [`crate::authorize::Plans`] (one per batch worker at a time, kept between calls), next to the action
//! plans, and is reset with them when they are used for another set (an answer is a fact of one compiled set).
//!
//! Only clauses worth it get a memo number ([`worth_remembering`]: the families whose request value is parsed
//! or matched by a pattern, and string comparisons with variables), at most [`MAX_CLAUSES`] per set; a clause
//! whose keys keep changing (fewer than one hit in [`OFF_BELOW`] lookups over a window of [`TRIAL`] misses)
//! stops being remembered in that memo (until it is reset). Values longer than [`LONGEST`] bytes (keys with
//! variables: [`LONGEST_WITH_VARIABLES`]), multivalued keys and absent keys are evaluated as always. Memory
//! per memo is bounded: `MAX_CLAUSES * WAYS` keys of at most [`LONGEST_WITH_VARIABLES`]
//! bytes each.
//!
//! The answers are those of [`Clause::holds_in`] by construction (a hit returns what it returned for the
//! same key); `test_r8_remembered_answers_equal_evaluated_ones` checks it on rows that hit, miss, evict,
//! vary the variables' values and switch the memo off.

use crate::condition::{ArnCache, Clause, Family, TextMatch};
use crate::facts::{ContextView, KeyValue};

/// A clause's memo number; [`NO_MEMO`]: not remembered.
pub type MemoId = u32;

/// The memo number of a clause that is not remembered.
pub const NO_MEMO: MemoId = MemoId::MAX;

/// The most clauses of one set that are remembered (the rest are evaluated as always).
pub const MAX_CLAUSES: usize = 2048;

/// Values remembered per clause.
pub const WAYS: usize = 4;

/// The longest value remembered, in bytes.
pub const LONGEST: usize = 128;

/// Misses before a clause's hit rate is judged.
pub const TRIAL: u32 = 256;

/// A clause stops being remembered when fewer than one lookup in `OFF_BELOW` hit in a window of [`TRIAL`]
/// misses: a miss costs a comparison per way and a copy, a hit saves the value's parsing and matching.
pub const OFF_BELOW: u32 = 4;

/// Whether remembering the clause's answers pays: its request value is parsed (addresses, ARNs, dates,
/// numbers, binary), matched by a pattern or case folding, or compared with policy values that have
/// variables (substituted per request). `Null`, `Bool` and plain string equality with constant values are as
/// cheap as a lookup.
#[must_use]
pub fn worth_remembering(clause: &Clause) -> bool {
    match clause.op.family {
        Family::Ip | Family::Arn | Family::Date | Family::Numeric | Family::Binary => true,
        Family::String => clause.op.text != TextMatch::Equals || clause.variables().next().is_some(),
        Family::Bool | Family::Null => false,
    }
}

/// The longest key remembered for a clause with variables (its value and its variables' values), in bytes.
pub const LONGEST_WITH_VARIABLES: usize = 2 * LONGEST;

/// One remembered key and the clause's answer for it. The key is the clause's value; for a clause with
/// policy variables, the value and each variable's value, each written as its length (4 bytes, `u32::MAX`
/// for none) and its bytes.
#[derive(Debug, Default)]
struct Way {
    key: Vec<u8>,
    answer: bool,
    used: bool,
}

/// Append one part of a key with variables: its length and bytes (`None`: absent).
fn push_part(key: &mut Vec<u8>, part: Option<&str>) {
    match part {
        Some(text) => {
            key.extend_from_slice(&u32::try_from(text.len()).unwrap_or(u32::MAX - 1).to_le_bytes());
            key.extend_from_slice(text.as_bytes());
        }
        None => key.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
}

/// How a clause's memo has done so far.
#[derive(Debug, Default, Clone, Copy)]
struct Record {
    /// Hits and misses in the current window.
    hits: u32,
    misses: u32,
    /// The way the next miss replaces.
    next: u8,
    off: bool,
    /// Whether the clause has policy variables (`None`: not looked at yet; found on its first lookup, so
    /// that later ones do not walk its values).
    variables: Option<bool>,
}

/// The remembered answers of one set's clauses, used by one batch worker at a time (module documentation).
#[derive(Debug, Default)]
pub struct ClauseMemo {
    /// `WAYS` per memo number.
    ways: Vec<Way>,
    records: Vec<Record>,
    /// Where the key of a clause with variables is written.
    scratch: Vec<u8>,
}

impl ClauseMemo {
    /// Forget everything; make room for `clauses` memo numbers (at most [`MAX_CLAUSES`]). The ways keep their
    /// buffers; when room cannot be allocated, nothing is remembered.
    pub fn reset(&mut self, clauses: usize) {
        let clauses = clauses.min(MAX_CLAUSES);
        self.records.clear();
        for way in &mut self.ways {
            way.used = false;
        }
        let ways = clauses * WAYS;
        if self.ways.len() < ways {
            if self.ways.try_reserve(ways - self.ways.len()).is_err()
                || self.records.try_reserve(clauses).is_err()
            {
                return; // no records: every lookup evaluates
            }
            self.ways.resize_with(ways, Way::default);
        } else if self.records.try_reserve(clauses).is_err() {
            return;
        }
        self.records.resize(clauses, Record::default());
    }

    /// [`Clause::holds_in`], answered from memory when the clause met the same value before.
    pub fn holds<'r>(&mut self, clause: &Clause, context: ContextView<'r>, arns: &mut ArnCache<'r>) -> bool {
        let id = usize::try_from(clause.memo).unwrap_or(usize::MAX);
        let Some(record) = self.records.get_mut(id).filter(|r| !r.off) else {
            return clause.holds_in(context, arns);
        };
        let Some(KeyValue::Single(text)) = context.get(clause.slot, &clause.key_lower) else {
            return clause.holds_in(context, arns);
        };
        let Some(ways) = self.ways.get_mut(id * WAYS..(id + 1) * WAYS) else {
            return clause.holds_in(context, arns);
        };
        if text.len() > LONGEST {
            return clause.holds_in(context, arns);
        }
        // R13: a variable's value is its key's single value (a multivalued or absent key: its default or
        // nothing, alike); the answer depends on those values too
        let has_variables = *record.variables.get_or_insert_with(|| clause.variables().next().is_some());
        let key: &[u8] = if !has_variables {
            text.as_bytes()
        } else {
            let scratch = &mut self.scratch;
            scratch.clear();
            push_part(scratch, Some(text));
            for var in clause.variables() {
                let value = match context.get(var.slot, &var.key) {
                    Some(KeyValue::Single(value)) => Some(value),
                    _ => None,
                };
                push_part(scratch, value);
            }
            if scratch.len() > LONGEST_WITH_VARIABLES {
                return clause.holds_in(context, arns);
            }
            scratch
        };
        if let Some(way) = ways.iter().find(|way| way.used && way.key == key) {
            record.hits = record.hits.saturating_add(1);
            return way.answer;
        }
        let answer = clause.holds_in(context, arns);
        record.misses = record.misses.saturating_add(1);
        if record.misses >= TRIAL {
            // judged per window of TRIAL misses: a clause whose values stopped repeating is switched off
            let lookups = record.misses.saturating_add(record.hits);
            if record.hits.saturating_mul(OFF_BELOW) < lookups {
                record.off = true;
                return answer;
            }
            (record.hits, record.misses) = (0, 0);
        }
        if let Some(way) = ways.get_mut(usize::from(record.next) % WAYS) {
            way.key.clear();
            if way.key.try_reserve(key.len()).is_ok() {
                way.key.extend_from_slice(key);
                way.answer = answer;
                way.used = true;
            } else {
                way.used = false;
            }
        }
        record.next = record.next.wrapping_add(1);
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Slot;
    use crate::json::parse_str;
    use crate::policy::{Kind, read_policy};
    use crate::request::{Context, ContextValue};

    fn clauses(condition: &str) -> Vec<Clause> {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{condition}}}]}}"#
        );
        let (doc, errors) = parse_str(&text);
        assert!(errors.is_empty());
        let Some(Ok(policy)) = doc.map(|doc| read_policy(&doc, Kind::Identity, "p")) else {
            unreachable!("{text}")
        };
        let Some(statement) = policy.statements.into_iter().next() else { unreachable!("no statement") };
        let mut out = statement.conditions;
        for (i, clause) in out.iter_mut().enumerate() {
            clause.slot = Slot::MAX; // read by name from the map
            clause.memo =
                if worth_remembering(clause) { MemoId::try_from(i).unwrap_or(NO_MEMO) } else { NO_MEMO };
        }
        out
    }

    fn context(pairs: &[(&str, ContextValue)]) -> Context {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    #[test]
    fn test_r8_remembered_answers_equal_evaluated_ones() {
        let clauses = clauses(
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},
                "ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Eng*"},
                "DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"},
                "StringLike":{"aws:RequestedRegion":"eu-*"},
                "StringEquals":{"aws:PrincipalTag/team":"data"},
                "Null":{"aws:MultiFactorAuthPresent":"true"},
                "StringEqualsIgnoreCase":{"aws:userid":["${aws:username}","x-${aws:PrincipalTag/team, 'none'}"]}}"#,
        );
        let memos: Vec<bool> = clauses.iter().map(|c| c.memo != NO_MEMO).collect();
        // the parsed, pattern and variable clauses are remembered; plain equality and Null are not
        assert_eq!(memos, [true, true, true, true, false, false, true]);
        let mut memo = ClauseMemo::default();
        memo.reset(clauses.len());
        let ips = ["10.1.2.3", "192.0.2.1", "2001:db8::1", "not an address", "10.9.9.9", "203.0.113.7"];
        let arns = ["arn:aws:iam::1:role/Engineer", "arn:aws:iam::1:role/Admin", "not-an-arn"];
        let mut checked = 0;
        // 6 addresses over 4 ways: hits, misses and evictions; then a run of fresh values switches a clause off
        for i in 0..2_000_usize {
            let ip = if i < 1_200 {
                // an irregular order: a cycle of 6 values over 4 ways would miss every time (the memo then
                // switches itself off, as the dates' cycle of 9 below shows)
                ips.get((i * 7_919 + i / 3) % 101 % ips.len()).copied().unwrap_or_default().to_owned()
            } else {
                format!("10.0.{}.1", i % 250)
            };
            // the variables' values vary too (a key with variables remembers them): present, absent,
            // multivalued (which a variable reads as absent: its default or nothing)
            let userids = ["ME", "x-none", "x-data", "YOU"];
            let userid = userids.get(i % 4).copied().unwrap_or_default().to_owned();
            let username = match i % 5 {
                0 => None,
                1 => Some(ContextValue::Multi(vec!["me".to_owned()])),
                2 => Some(ContextValue::Single("you".to_owned())),
                _ => Some(ContextValue::Single("me".to_owned())),
            };
            let team = (i % 7 != 0).then(|| ContextValue::Single("data".to_owned()));
            let mut ctx = context(&[
                ("aws:sourceip", ContextValue::Single(ip)),
                (
                    "aws:principalarn",
                    ContextValue::Single(arns.get(i % 3).copied().unwrap_or_default().to_owned()),
                ),
                ("aws:currenttime", ContextValue::Single(format!("2026-0{}-01T00:00:00Z", 1 + i % 9))),
                (
                    "aws:requestedregion",
                    ContextValue::Single(if i % 2 == 0 { "eu-west-1" } else { "us-east-1" }.to_owned()),
                ),
                ("aws:userid", ContextValue::Single(userid)),
            ]);
            for (key, value) in [("aws:username", username), ("aws:principaltag/team", team)] {
                if let Some(value) = value {
                    ctx.insert(key.to_owned(), value);
                }
            }
            let view = ContextView::Map(&ctx);
            for clause in &clauses {
                let expected = clause.holds_in(view, &mut ArnCache::default());
                assert_eq!(
                    memo.holds(clause, view, &mut ArnCache::default()),
                    expected,
                    "row {i} {clause:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 14_000);
        let records = &memo.records;
        let [ip, arn, date, ..] = records.as_slice() else { unreachable!("{records:?}") };
        assert!(ip.off, "{ip:?}"); // off once the values stopped repeating
        assert!(arn.misses == 3 && !arn.off, "{arn:?}"); // 3 values: 3 misses, then hits
        assert!(date.hits == 0 && date.off, "{date:?}");
        let Some(variables) = records.get(6) else { unreachable!("{records:?}") };
        assert!(variables.hits > 0 && variables.misses > 0, "{variables:?}"); // 40 value combinations, 4 ways
        // a multivalued or absent key is evaluated, not remembered
        let ctx = context(&[("aws:sourceip", ContextValue::Multi(vec!["10.1.1.1".to_owned()]))]);
        let Some(first) = clauses.first() else { unreachable!("no clause") };
        let mut fresh = ClauseMemo::default();
        fresh.reset(clauses.len());
        assert!(fresh.holds(first, ContextView::Map(&ctx), &mut ArnCache::default()));
        assert!(!fresh.holds(first, ContextView::Map(&Context::default()), &mut ArnCache::default()));
        assert!(fresh.ways.iter().all(|way| !way.used));
    }

    #[test]
    fn test_memo_is_bounded() {
        let mut memo = ClauseMemo::default();
        memo.reset(MAX_CLAUSES * 4);
        assert_eq!((memo.records.len(), memo.ways.len()), (MAX_CLAUSES, MAX_CLAUSES * WAYS));
        // a long value is not copied
        let clauses = clauses(r#"{"StringLike":{"aws:userid":"*x"}}"#);
        let long = "a".repeat(LONGEST + 1) + "x";
        let ctx = context(&[("aws:userid", ContextValue::Single(long))]);
        let Some(clause) = clauses.first() else { unreachable!("no clause") };
        assert!(memo.holds(clause, ContextView::Map(&ctx), &mut ArnCache::default()));
        assert!(memo.ways.iter().all(|way| way.key.is_empty()));
        // a reset forgets answers
        let ctx = context(&[("aws:userid", ContextValue::Single("ax".to_owned()))]);
        assert!(memo.holds(clause, ContextView::Map(&ctx), &mut ArnCache::default()));
        memo.reset(1);
        assert!(memo.ways.iter().all(|way| !way.used) && memo.records.len() == 1);
    }
}
