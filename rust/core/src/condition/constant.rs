//! Conditions under a constant context (IAM_RULES R8-R13 and R15 unchanged: only their cost).
//!
//! A statement's conditions read nothing but the request context: each clause its key's value (R8, R9) and
//! its policy variables' values (R13), all from the context. So when every request of a run has the same
//! context, whether a statement's conditions all hold is one fact for the whole run. Two batch runs have
//! that: `evaluate_grid`'s cells of one principal (one caller, one context; only the action and the
//! resource change from cell to cell), and a `decide_many` chunk whose rows all share one context and no
//! context column. [`ConstantConditions`] keeps that fact per statement of the set, found the first time a
//! request of the run needs it; later requests read it instead of evaluating the clauses, and skip the
//! statement's resource match when the conditions do not hold.
//!
//! A Resource / NotResource entry with policy variables (R13) is substituted from the context too: in such a
//! run it is substituted and compiled once ([`SubstitutedEntry`]), instead of once per request.
//!
//! When the caller is fixed too (the grid), R15's service-linked check (the caller's role path, or the
//! `aws:PrincipalArn` of its session) is also one fact for the run, and is kept here.
//!
//! It lives in a [`crate::authorize::Plans`] next to the action plans and the clause memo; the batch path
//! starts it for a run ([`ConstantConditions::start`]) and stops it after, so that a kept `Plans` never
//! carries one context's answers into another run. The answers are those of evaluating every clause by
//! construction (the first request of the run evaluates them); `test_r8_r15_constant_context_answers_equal_
//! single_decisions` (`batch.rs`) and the differential test check them against [`crate::PolicySet::decide`]
//! and the reference.

/// A statement's conditions not looked at yet in this run.
const UNKNOWN: u8 = 0;
/// They do not all hold.
const FAIL: u8 = 1;
/// They all hold.
const HOLD: u8 = 2;

/// A Resource / NotResource entry with variables, substituted from a run's constant context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubstitutedEntry {
    /// Not substituted yet in this run.
    Unknown,
    /// A variable without a value or default (R13: the entry matches nothing).
    Unresolvable,
    /// Substituted and compiled, as the entry would be written without variables.
    Compiled(ResourcePattern),
    /// Its substitution is not a plain pattern (a value with a wildcard character, or `*` from several
    /// parts): it is matched per request, as always.
    PerRequest,
}

/// The conditions' answers of one set's statements under one context (module documentation).
#[derive(Debug, Default)]
pub struct ConstantConditions {
    /// One state per statement number of the set; `active` false: nothing is kept.
    states: Vec<u8>,
    /// One per Resource / NotResource entry with variables ([`crate::policy::ResourceEntry::number`]).
    entries: Vec<SubstitutedEntry>,
    active: bool,
    /// Whether the caller is fixed for the run too.
    caller_fixed: bool,
    /// R15's service-linked answer, once found (only when the caller is fixed).
    service_linked: Option<bool>,
}

impl ConstantConditions {
    /// Start a run whose requests share one context (and one caller when `caller_fixed`), for a set of
    /// `statements` statements and `entries` Resource entries with variables: everything known before is
    /// forgotten. When room cannot be allocated, the run
    /// keeps nothing (every request evaluates as always); so does a set of `u32::MAX` statements or more
    /// (whose numbers saturate).
    pub fn start(&mut self, statements: usize, entries: usize, caller_fixed: bool) {
        self.stop();
        if !u32::try_from(statements).is_ok_and(|n| n < u32::MAX)
            || self.states.try_reserve(statements).is_err()
            || self.entries.try_reserve(entries).is_err()
        {
            return;
        }
        self.states.resize(statements, UNKNOWN);
        self.entries.resize(entries, SubstitutedEntry::Unknown);
        self.active = true;
        self.caller_fixed = caller_fixed;
    }

    /// End the run: nothing is kept (the buffer keeps its room).
    pub fn stop(&mut self) {
        self.states.clear();
        self.entries.clear();
        self.active = false;
        self.caller_fixed = false;
        self.service_linked = None;
    }

    /// Whether a run is on.
    #[must_use]
    pub const fn active(&self) -> bool {
        self.active
    }

    /// Whether a run is on whose caller is fixed too.
    #[must_use]
    pub const fn caller_fixed(&self) -> bool {
        self.active && self.caller_fixed
    }

    /// Whether statement `number`'s conditions all hold, when known in this run.
    #[must_use]
    pub fn known(&self, number: u32) -> Option<bool> {
        match self.states.get(usize::try_from(number).ok()?) {
            Some(&HOLD) => Some(true),
            Some(&FAIL) => Some(false),
            _ => None,
        }
    }

    /// Record whether statement `number`'s conditions all hold (a number outside the set: nothing is kept).
    pub fn remember(&mut self, number: u32, hold: bool) {
        if let Some(state) = usize::try_from(number).ok().and_then(|n| self.states.get_mut(n)) {
            *state = if hold { HOLD } else { FAIL };
        }
    }

    /// Resource entry `number` as substituted in this run (`None`: not kept: no run, or a number outside the
    /// set).
    #[must_use]
    pub fn entry(&self, number: u32) -> Option<&SubstitutedEntry> {
        if !self.active {
            return None;
        }
        self.entries.get(usize::try_from(number).ok()?)
    }

    /// Record how resource entry `number` is substituted in this run.
    pub fn remember_entry(&mut self, number: u32, entry: SubstitutedEntry) {
        if let Some(slot) = usize::try_from(number).ok().and_then(|n| self.entries.get_mut(n)) {
            *slot = entry;
        }
    }

    /// R15's service-linked answer: kept when the caller is fixed, else `check` every time.
    pub fn service_linked(&mut self, check: impl FnOnce() -> bool) -> bool {
        if !self.caller_fixed() {
            return check();
        }
        *self.service_linked.get_or_insert_with(check)
    }
}

use crate::resource_pattern::ResourcePattern;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r8_constant_answers_are_kept_per_run_only() {
        let mut kept = ConstantConditions::default();
        assert!(!kept.active());
        kept.remember(0, true); // no run: nothing kept
        assert_eq!(kept.known(0), None);
        kept.start(3, 2, false);
        assert_eq!(kept.entry(1), Some(&SubstitutedEntry::Unknown));
        kept.remember_entry(1, SubstitutedEntry::Unresolvable);
        kept.remember_entry(5, SubstitutedEntry::PerRequest); // outside the set: ignored
        assert_eq!((kept.entry(1), kept.entry(5)), (Some(&SubstitutedEntry::Unresolvable), None));
        assert!(kept.active());
        assert_eq!(kept.known(1), None);
        kept.remember(1, false);
        kept.remember(2, true);
        kept.remember(7, true); // outside the set: ignored
        assert_eq!(
            (kept.known(0), kept.known(1), kept.known(2), kept.known(7)),
            (None, Some(false), Some(true), None)
        );
        // a caller that is not fixed: the service-linked check runs every time
        let mut calls = 0;
        for _ in 0..3 {
            assert!(kept.service_linked(|| {
                calls += 1;
                true
            }));
        }
        assert_eq!(calls, 3);
        // a new run forgets the last one's answers
        kept.start(3, 2, true);
        assert_eq!((kept.known(1), kept.known(2)), (None, None));
        assert_eq!(kept.entry(1), Some(&SubstitutedEntry::Unknown));
        let mut calls = 0;
        for _ in 0..3 {
            assert!(!kept.service_linked(|| {
                calls += 1;
                false
            }));
        }
        assert_eq!(calls, 1);
        kept.stop();
        assert!(!kept.active());
        assert_eq!(kept.known(2), None);
    }
}
