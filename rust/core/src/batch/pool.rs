//! The worker pools of batch calls: a few rayon pools kept per process, reused by size.
//!
//! - **Bounded**: at most [`MAX_POOLS`] pools are kept; building another one drops the least recently used
//!   (a call still running on it keeps it alive until it ends), and a pool has at most [`max_threads`]
//!   threads. So the threads the process keeps are bounded whatever sizes callers ask for.
//! - **Fork-safe**: the registry's lock is never held while a pool is built (building spawns threads),
//!   only while the list is read or changed. A process made by `fork()` has none of its parent's worker
//!   threads: the registry remembers the process id it was filled in and forgets (never joins) pools
//!   inherited from another process. A binding that can run code around `fork()` (Python's
//!   `os.register_at_fork`) calls [`before_fork`], [`after_fork_in_parent`] and [`after_fork_in_child`], so that
//!   no fork happens while another thread holds the lock (which the child would inherit locked, and hang on).

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rayon::{ThreadPool, ThreadPoolBuilder};

/// Pools kept at most (each of at most [`max_threads`] threads).
pub const MAX_POOLS: usize = 4;

/// Threads per core that a call may ask for at most.
pub const THREADS_PER_CORE: usize = 4;

/// The pools built so far in process `pid`, each with the tick of its last use.
struct Registry {
    pid: u32,
    tick: u64,
    pools: Vec<(usize, u64, Arc<ThreadPool>)>,
}

impl Registry {
    /// Forget the pools of another process (after a `fork()` without the hooks): their threads do not
    /// exist here, so dropping them would wait for nothing forever.
    fn adopt(&mut self) {
        let pid = std::process::id();
        if self.pid != pid {
            forget_all(&mut self.pools);
            self.pid = pid;
        }
    }

    fn find(&mut self, n: usize) -> Option<Arc<ThreadPool>> {
        self.tick += 1;
        let tick = self.tick;
        let (_, used, pool) = self.pools.iter_mut().find(|(size, _, _)| *size == n)?;
        *used = tick;
        Some(Arc::clone(pool))
    }
}

fn forget_all(pools: &mut Vec<(usize, u64, Arc<ThreadPool>)>) {
    for (_, _, inherited) in pools.drain(..) {
        std::mem::forget(inherited);
    }
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { pid: 0, tick: 0, pools: Vec::new() });

fn lock() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The number of cores (0 until asked once): an atomic, not a lock, so that a fork can never inherit it
/// half-initialized.
static CORES: AtomicUsize = AtomicUsize::new(0);

/// The number of cores available to the process (asked once: the answer reads cgroup files).
#[must_use]
pub fn cores() -> usize {
    match CORES.load(Ordering::Relaxed) {
        0 => {
            let found = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
            CORES.store(found, Ordering::Relaxed);
            found
        }
        known => known,
    }
}

/// The largest number of threads a call may ask for: [`THREADS_PER_CORE`] × [`cores`].
#[must_use]
pub fn max_threads() -> usize {
    cores().saturating_mul(THREADS_PER_CORE)
}

/// The number of worker threads for `threads` (`None` or 0: every core; at most [`max_threads`]).
#[must_use]
pub fn thread_count(threads: Option<usize>) -> usize {
    threads.filter(|&n| n > 0).unwrap_or_else(cores).min(max_threads())
}

/// A pool of `n` threads: a kept one, or a new one (which evicts the least recently used when
/// [`MAX_POOLS`] are kept). `None` when the threads cannot be started: the caller then works alone.
pub(crate) fn pool(n: usize) -> Option<Arc<ThreadPool>> {
    {
        let mut registry = lock();
        registry.adopt();
        if let Some(found) = registry.find(n) {
            return Some(found);
        }
    }
    // built without the lock: a fork() meanwhile in another thread must not inherit it held
    let pid = std::process::id();
    let built =
        ThreadPoolBuilder::new().num_threads(n).thread_name(|i| format!("iameval-{i}")).build().ok()?;
    let built = Arc::new(built);
    if std::process::id() != pid {
        // this thread is the child of a fork that happened while the pool was built: its threads are gone
        std::mem::forget(built);
        return None;
    }
    let evicted;
    let pool = {
        let mut registry = lock();
        registry.adopt();
        if let Some(found) = registry.find(n) {
            evicted = Some(built); // another thread built one meanwhile: use it, drop ours
            found
        } else {
            evicted = if registry.pools.len() >= MAX_POOLS {
                let oldest = registry.pools.iter().enumerate().min_by_key(|(_, (_, used, _))| *used);
                let index = oldest.map_or(0, |(i, _)| i);
                Some(registry.pools.swap_remove(index).2)
            } else {
                None
            };
            let tick = registry.tick;
            registry.pools.push((n, tick, Arc::clone(&built)));
            built
        }
    };
    drop(evicted); // outside the lock: its threads end once idle
    Some(pool)
}

/// The number of pools kept (for tests and diagnostics).
#[must_use]
pub fn kept_pools() -> usize {
    let mut registry = lock();
    registry.adopt();
    registry.pools.len()
}

thread_local! {
    /// The registry's lock, held by the thread that is about to fork.
    static HELD: RefCell<Option<MutexGuard<'static, Registry>>> = const { RefCell::new(None) };
}

/// Before `fork()`: take the registry's lock, so that no other thread holds it when the process is copied.
pub fn before_fork() {
    let guard = lock();
    HELD.with(|held| *held.borrow_mut() = Some(guard));
}

/// After `fork()`, in the parent: release the lock taken by [`before_fork`].
pub fn after_fork_in_parent() {
    HELD.with(|held| drop(held.borrow_mut().take()));
}

/// After `fork()`, in the child: forget the parent's pools (their threads were not copied) and release
/// the lock taken by [`before_fork`].
pub fn after_fork_in_child() {
    HELD.with(|held| {
        let mut held = held.borrow_mut();
        if let Some(registry) = held.as_mut() {
            forget_all(&mut registry.pools);
            registry.pid = std::process::id();
        }
        drop(held.take());
    });
}
