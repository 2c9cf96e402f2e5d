//! The action plans (and remembered clause answers, [`crate::condition::memo`]) that batch calls leave
//! behind, kept for the next call whatever thread it runs on.
//!
//! A chunk of rows takes one [`Plans`] (the one of its policy set when one is kept, else any kept one, whose
//! buffers it reuses, else a new one) and gives it back when done. Kept per thread instead, they were lost
//! with every call that runs on a thread of its own (a binding's watched call, a thread per request in a
//! server), and the first rows of each such call paid for building its actions' plans again.
//!
//! - **Bounded**: at most [`MAX_KEPT`] are kept (each bounded, see [`Plans`]); one given back beyond that is
//!   dropped (outside the lock).
//! - **Never blocks, fork-safe**: the lock is only ever tried (a few times, it is held for a push or a
//!   pop); when it cannot be had, the chunk works with new plans and drops them after. A process made by
//!   `fork()` while another thread held the lock so works without kept plans, and never hangs on it.

use std::sync::{Mutex, MutexGuard, TryLockError};

use crate::authorize::{Plans, PolicySet};

/// Plans kept at most (one per worker thread of the largest pools is more than a 2-4 core machine uses).
pub const MAX_KEPT: usize = 8;

/// Tries of the lock before working without it.
const TRIES: usize = 64;

static KEPT: Mutex<Vec<Plans>> = Mutex::new(Vec::new());

fn lock() -> Option<MutexGuard<'static, Vec<Plans>>> {
    for _ in 0..TRIES {
        match KEPT.try_lock() {
            Ok(guard) => return Some(guard),
            // a panic while the lock was held cannot leave the list half-changed (push, pop, swap_remove)
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::yield_now(),
        }
    }
    None
}

/// Plans for the set `set` ([`crate::PolicySet`]'s id): the kept ones of that set when there are, else the
/// most recently given back (reset by their first use with `set`), else new ones.
pub(crate) fn take(set: u64) -> Plans {
    let Some(mut kept) = lock() else { return Plans::default() };
    let at = kept.iter().rposition(|plans| plans.set_id() == set).or_else(|| kept.len().checked_sub(1));
    at.map(|at| kept.swap_remove(at)).unwrap_or_default()
}

/// Give `plans` back for a later chunk or call (dropped when [`MAX_KEPT`] are kept already).
pub(crate) fn give(mut plans: Plans) {
    plans.end_constant_context(); // a later call has a context of its own
    let spare = match lock() {
        Some(mut kept) if kept.len() < MAX_KEPT => {
            if kept.try_reserve(MAX_KEPT).is_err() {
                return; // no room to keep them: dropped (the lock is released first, see below)
            }
            kept.push(plans);
            None
        }
        _ => Some(plans),
    };
    drop(spare); // outside the lock: plans of a large set take a while to free
}

/// How many plans are kept, and how many of them are of `set`.
#[must_use]
pub fn kept(set: &PolicySet) -> (usize, usize) {
    let id = set.id();
    lock().map_or((0, 0), |kept| (kept.len(), kept.iter().filter(|p| p.set_id() == id).count()))
}
