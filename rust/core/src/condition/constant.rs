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
//! When the caller is fixed too (the grid), R15's service-linked check (the caller's role path, or the
//! `aws:PrincipalArn` of its session) is also one fact for the run, and is kept here.
//!
//! It lives in a [`crate::authorize::Plans`] next to the action plans and the clause memo; the batch path
//! starts it for a run ([`ConstantConditions::start`]) and stops it after, so that a kept `Plans` never
//! carries one context's answers into another run. The answers are those of evaluating every clause by
//! construction (the first request of the run evaluates them); `test_r8_constant_context_answers_equal_
//! evaluated_ones` and the grid and batch tests check them against [`crate::PolicySet::decide`].

/// A statement's conditions not looked at yet in this run.
const UNKNOWN: u8 = 0;
/// They do not all hold.
const FAIL: u8 = 1;
/// They all hold.
const HOLD: u8 = 2;

/// The conditions' answers of one set's statements under one context (module documentation).
#[derive(Debug, Default)]
pub struct ConstantConditions {
    /// One state per statement number of the set; `active` false: nothing is kept.
    states: Vec<u8>,
    active: bool,
    /// Whether the caller is fixed for the run too.
    caller_fixed: bool,
    /// R15's service-linked answer, once found (only when the caller is fixed).
    service_linked: Option<bool>,
}

impl ConstantConditions {
    /// Start a run whose requests share one context (and one caller when `caller_fixed`), for a set of
    /// `statements` statements: everything known before is forgotten. When room cannot be allocated, the run
    /// keeps nothing (every request evaluates as always); so does a set of `u32::MAX` statements or more
    /// (whose numbers saturate).
    pub fn start(&mut self, statements: usize, caller_fixed: bool) {
        self.stop();
        if !u32::try_from(statements).is_ok_and(|n| n < u32::MAX)
            || self.states.try_reserve(statements).is_err()
        {
            return;
        }
        self.states.resize(statements, UNKNOWN);
        self.active = true;
        self.caller_fixed = caller_fixed;
    }

    /// End the run: nothing is kept (the buffer keeps its room).
    pub fn stop(&mut self) {
        self.states.clear();
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

    /// R15's service-linked answer: kept when the caller is fixed, else `check` every time.
    pub fn service_linked(&mut self, check: impl FnOnce() -> bool) -> bool {
        if !(self.active && self.caller_fixed) {
            return check();
        }
        *self.service_linked.get_or_insert_with(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r8_constant_answers_are_kept_per_run_only() {
        let mut kept = ConstantConditions::default();
        assert!(!kept.active());
        kept.remember(0, true); // no run: nothing kept
        assert_eq!(kept.known(0), None);
        kept.start(3, false);
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
        kept.start(3, true);
        assert_eq!((kept.known(1), kept.known(2)), (None, None));
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
