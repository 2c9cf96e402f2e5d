//! Many decisions at once (no IAM rule of its own): columns of actions and resources against one policy
//! set ([`PolicySet::decide_batch`]), or a grid of principals × actions × resources ([`decide_grid`]),
//! split into chunks evaluated on a rayon thread pool. Each chunk reuses one [`Request`], so a row costs no
//! allocation once its buffers have grown. Results never depend on the number of threads.

mod kept_plans;
mod pool;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use smallvec::SmallVec;

pub use kept_plans::{MAX_KEPT, kept};
pub use pool::{
    MAX_POOLS, THREADS_PER_CORE, after_fork_in_child, after_fork_in_parent, before_fork, cores, kept_pools,
    max_threads, thread_count,
};

use crate::authorize::{Plans, PolicySet, new_numbering};
use crate::facts::{ContextView, KeyValue, MultiValues};
use crate::request::{Caller, Context, PreparedAction, PreparedResource, Request};
use crate::result::Decision;

/// Rows per unit of parallel work.
const CHUNK: usize = 2048;

/// One row in the compiled request layout: a value per key slot (inline up to 32 keys).
type Values<'a> = SmallVec<[Option<KeyValue<'a>>; 32]>;

/// A column of text values (the binding reads Python lists, numpy and Arrow buffers through it).
pub trait TextColumn: Sync {
    /// Number of rows.
    fn len(&self) -> usize;

    /// Whether there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of `row`, decoded into `scratch` when it is not stored as UTF-8.
    ///
    /// # Errors
    /// A message saying why the row has no text (not a string, null, invalid UTF-8, out of range).
    fn text<'a>(&'a self, row: usize, scratch: &'a mut String) -> Result<&'a str, String>;
}

impl<S: AsRef<str> + Sync> TextColumn for [S] {
    fn len(&self) -> usize {
        <[S]>::len(self)
    }

    fn text<'a>(&'a self, row: usize, _scratch: &'a mut String) -> Result<&'a str, String> {
        self.get(row).map(AsRef::as_ref).ok_or_else(|| format!("row {row} is out of range"))
    }
}

/// The callers of the rows: one for every row, or an index into `callers` per row.
#[derive(Debug, Clone, Copy)]
pub enum CallerRows<'a> {
    /// Every row has this caller.
    One(&'a Caller),
    /// Row `i` has `callers[rows[i]]`.
    PerRow {
        /// The distinct callers.
        callers: &'a [Caller],
        /// Per row, an index into `callers`.
        rows: &'a [u32],
    },
}

/// The contexts of the rows: one shared by every row, or one per row.
#[derive(Debug, Clone, Copy)]
pub enum ContextRows<'a> {
    /// Every row has this context.
    One(&'a Arc<Context>),
    /// Row `i` has `contexts[i]`.
    PerRow(&'a [Arc<Context>]),
}

/// One row's value of a context column.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// The key is absent in this row (the shared context's value, if any, applies).
    Absent,
    /// A single value.
    Text(&'a str),
    /// A multivalued key's values.
    Multi(MultiValues<'a>),
}

/// A column of values of one context key (the binding reads Python lists and numpy/Arrow columns).
pub trait ContextColumn: Sync {
    /// Number of rows.
    fn len(&self) -> usize;

    /// Whether there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `row`, decoded into `scratch` when it is not stored as UTF-8.
    ///
    /// # Errors
    /// A message saying why the row has no value.
    fn cell<'a>(&'a self, row: usize, scratch: &'a mut String) -> Result<Cell<'a>, String>;
}

impl<S: AsRef<str> + Sync> ContextColumn for Vec<Option<S>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn cell<'a>(&'a self, row: usize, _scratch: &'a mut String) -> Result<Cell<'a>, String> {
        match self.get(row) {
            Some(Some(text)) => Ok(Cell::Text(text.as_ref())),
            Some(None) => Ok(Cell::Absent),
            None => Err(format!("row {row} is out of range")),
        }
    }
}

/// A context key (lowercased, R2) and its column.
#[derive(Clone, Copy)]
pub struct KeyColumn<'a> {
    /// The key, lowercased.
    pub key: &'a str,
    /// Its values, one per row.
    pub column: &'a dyn ContextColumn,
}

/// Which argument a row error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The actions column.
    Actions,
    /// The resources column.
    Resources,
    /// The principals (or the callers given per row).
    Principals,
    /// The contexts.
    Contexts,
    /// A context column (the key is in [`RowError::key`]).
    ContextColumns,
    /// The principals' accounts.
    PrincipalAccounts,
    /// The resources' accounts.
    ResourceAccounts,
}

impl Column {
    /// The argument's name (`actions`, `resources`, `principals`, `contexts`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Actions => "actions",
            Self::Resources => "resources",
            Self::Principals => "principals",
            Self::Contexts => "contexts",
            Self::ContextColumns => "context_columns",
            Self::PrincipalAccounts => "principal_accounts",
            Self::ResourceAccounts => "resource_accounts",
        }
    }
}

/// A bad row: which column, which row, why (an `invalid_value` message as [`Request::from_json`] gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The column.
    pub column: Column,
    /// For a context column, its key as given.
    pub key: Option<String>,
    /// The row (for a grid: the index in that column).
    pub row: usize,
    /// The message.
    pub message: String,
}

/// The code of a decision in batch output: 0 ImplicitDeny, 1 Allow, 2 ExplicitDeny.
#[must_use]
pub const fn decision_code(decision: Decision) -> u8 {
    match decision {
        Decision::ImplicitDeny => 0,
        Decision::Allow => 1,
        Decision::ExplicitDeny => 2,
    }
}

/// Why a batch gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// A bad row.
    Row(RowError),
    /// The output would have more cells than an allocation can hold (`isize::MAX` bytes), or than `usize`
    /// can count: the dimensions asked for.
    TooLarge(Vec<usize>),
    /// A buffer of this many bytes (the output, or a grid's prepared resources) could not be allocated.
    OutOfMemory(usize),
    /// The cancel flag was raised (see [`Run::cancel`]).
    Cancelled,
}

impl From<RowError> for BatchError {
    fn from(error: RowError) -> Self {
        Self::Row(error)
    }
}

/// How a batch runs: on how many threads, and a flag that stops it early.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run<'a> {
    /// Worker threads (`None`: every core; `Some(1)`: the calling thread); see [`thread_count`].
    pub threads: Option<usize>,
    /// Checked before each chunk of rows: once it is `true`, the call ends with [`BatchError::Cancelled`]
    /// within a chunk per thread.
    pub cancel: Option<&'a AtomicBool>,
}

impl Run<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

/// The number of cells of an output of these dimensions, when it can be allocated at all.
///
/// # Errors
/// [`BatchError::TooLarge`] when the product overflows or exceeds `isize::MAX`.
pub fn output_len(dims: &[usize]) -> Result<usize, BatchError> {
    dims.iter()
        .try_fold(1_usize, |total, &d| total.checked_mul(d))
        .filter(|&n| isize::try_from(n).is_ok())
        .ok_or_else(|| BatchError::TooLarge(dims.to_vec()))
}

/// Memory that must still be free after a large buffer is allocated: the work that follows makes small
/// allocations (requests, buffers, the thread pool's jobs), and a small allocation that fails aborts the
/// process, where a large one that fails is an error.
pub const HEADROOM: usize = 16 << 20;

/// Whether [`HEADROOM`] bytes can still be allocated (they are freed at once).
#[must_use]
pub fn has_headroom() -> bool {
    Vec::<u8>::new().try_reserve_exact(HEADROOM).is_ok()
}

/// A zeroed output of `len` bytes, allocated fallibly, with [`HEADROOM`] left.
fn zeroed(len: usize) -> Result<Vec<u8>, BatchError> {
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| BatchError::OutOfMemory(len))?;
    if !has_headroom() {
        return Err(BatchError::OutOfMemory(len));
    }
    out.resize(len, 0);
    Ok(out)
}

/// Run `work` over `out` split in chunks of `chunk` items: on the calling thread when one thread is asked
/// for or there is a single chunk, else on a pool of `threads`. `work(first_index, chunk)`; the error of
/// the lowest index wins, so the result never depends on the number of threads (except that a cancelled
/// run may end with [`BatchError::Cancelled`] or with a row error found before).
fn run_chunks(
    out: &mut [u8],
    chunk: usize,
    run: Run<'_>,
    work: impl Fn(usize, &mut [u8]) -> Result<(), BatchError> + Sync,
) -> Result<(), BatchError> {
    let chunk = chunk.max(1);
    let n = thread_count(run.threads);
    let one = |i: usize, part: &mut [u8]| -> Result<(), (usize, BatchError)> {
        if run.cancelled() {
            return Err((i * chunk, BatchError::Cancelled));
        }
        work(i * chunk, part).map_err(|e| (i * chunk, e))
    };
    let serial = |out: &mut [u8]| out.chunks_mut(chunk).enumerate().try_for_each(|(i, part)| one(i, part));
    let outcome = if n <= 1 || out.len() <= chunk {
        serial(out)
    } else if let Some(pool) = pool::pool(n) {
        pool.install(|| {
            let errors: Vec<(usize, BatchError)> =
                out.par_chunks_mut(chunk).enumerate().filter_map(|(i, part)| one(i, part).err()).collect();
            errors.into_iter().min_by_key(|(row, _)| *row).map_or(Ok(()), Err)
        })
    } else {
        serial(out)
    };
    outcome.map_err(|(_, error)| error)
}

/// `items.map(f)` in order, on `run.threads` threads (`None`: every core; one thread or few items: the
/// calling thread).
///
/// # Errors
/// [`BatchError::OutOfMemory`] when the output cannot be allocated, [`BatchError::Cancelled`].
pub fn map_rows<T: Sync, U: Send>(
    items: &[T],
    run: Run<'_>,
    f: impl Fn(&T) -> U + Sync + Send,
) -> Result<Vec<U>, BatchError> {
    let n = thread_count(run.threads);
    let mut out: Vec<Option<U>> = Vec::new();
    let bytes = items.len().saturating_mul(size_of::<Option<U>>());
    out.try_reserve_exact(items.len()).map_err(|_| BatchError::OutOfMemory(bytes))?;
    if !has_headroom() {
        return Err(BatchError::OutOfMemory(bytes));
    }
    // each item checks the flag: a cancelled call skips the rest
    let one = |item: &T| if run.cancelled() { None } else { Some(f(item)) };
    let pool = if n <= 1 || items.len() < 64 { None } else { pool::pool(n) };
    match pool {
        Some(pool) => pool.install(|| items.par_iter().with_min_len(32).map(one).collect_into_vec(&mut out)),
        None => out.extend(items.iter().map(one)),
    }
    let mut done = Vec::new();
    done.try_reserve_exact(out.len())
        .map_err(|_| BatchError::OutOfMemory(items.len().saturating_mul(size_of::<U>())))?;
    for value in out {
        done.push(value.ok_or(BatchError::Cancelled)?);
    }
    Ok(done)
}

/// `f` over every item, in order: on one of the kept worker pools (all cores) when there are several items,
/// else (or when no pool starts) on this thread. Never rayon's global pool, which a forked child cannot use.
pub(crate) fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    let n = thread_count(None);
    match if n <= 1 || items.len() < 2 { None } else { pool::pool(n) } {
        Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
        None => items.iter().map(f).collect(),
    }
}

/// The accounts of the rows on one side (the principal's or the resource's), as a request's
/// `principal_account` / `resource_account` gives them (R1).
#[derive(Clone, Copy, Default)]
pub enum AccountRows<'a> {
    /// Defaulted from the ARNs, as when the request gives none.
    #[default]
    Default,
    /// This account for every row.
    One(&'a str),
    /// Per row: [`Cell::Text`] an account, [`Cell::Absent`] the default (a multivalued cell is an error).
    PerRow(&'a dyn ContextColumn),
}

impl AccountRows<'_> {
    fn len(&self) -> Option<usize> {
        match self {
            Self::PerRow(column) => Some(column.len()),
            _ => None,
        }
    }

    /// Row `row`'s account (`None`: the default).
    fn get<'s>(&'s self, row: usize, scratch: &'s mut String) -> Result<Option<&'s str>, String> {
        let account = match self {
            Self::Default => return Ok(None),
            Self::One(account) => account,
            Self::PerRow(column) => match column.cell(row, scratch)? {
                Cell::Absent => return Ok(None),
                Cell::Text(text) => text,
                Cell::Multi(_) => return Err("must be a string or None".to_owned()),
            },
        };
        if account.is_empty() {
            return Err("must be a non-empty string or None".to_owned());
        }
        Ok(Some(account))
    }
}

/// The columns of a batch: row `i` is (caller, `actions[i]`, `resources[i]`, context, accounts).
pub struct Rows<'a, A: ?Sized, R: ?Sized> {
    /// The callers.
    pub callers: CallerRows<'a>,
    /// The actions.
    pub actions: &'a A,
    /// The resources.
    pub resources: &'a R,
    /// The contexts.
    pub contexts: ContextRows<'a>,
    /// Context columns: a column's cell overrides the row's context for its key.
    pub columns: &'a [KeyColumn<'a>],
    /// The principals' accounts.
    pub principal_accounts: AccountRows<'a>,
    /// The resources' accounts.
    pub resource_accounts: AccountRows<'a>,
}

impl PolicySet {
    /// Decide every row of `rows`; one decision code per row ([`decision_code`]), on `run.threads`
    /// threads. The same decisions as [`PolicySet::decide`] on each request read by [`Request::from_json`]
    /// (accounts defaulted from the ARNs when not given).
    ///
    /// # Errors
    /// The first bad row (lowest row number): a malformed action, resource or account, a column whose
    /// length is not the actions', an unreadable text; [`BatchError::OutOfMemory`]; [`BatchError::Cancelled`].
    pub fn decide_batch<A, R>(&self, rows: &Rows<'_, A, R>, run: Run<'_>) -> Result<Vec<u8>, BatchError>
    where
        A: TextColumn + ?Sized,
        R: TextColumn + ?Sized,
    {
        let n = rows.actions.len();
        let short = |column, len: usize| RowError {
            column,
            key: None,
            row: len,
            message: format!("has {len} rows where `actions` has {n}"),
        };
        if rows.resources.len() != n {
            return Err(short(Column::Resources, rows.resources.len()).into());
        }
        if let CallerRows::PerRow { rows: per_row, .. } = rows.callers
            && per_row.len() != n
        {
            return Err(short(Column::Principals, per_row.len()).into());
        }
        if let ContextRows::PerRow(per_row) = rows.contexts
            && per_row.len() != n
        {
            return Err(short(Column::Contexts, per_row.len()).into());
        }
        if let Some(bad) = rows.columns.iter().find(|c| c.column.len() != n) {
            return Err(RowError {
                key: Some(bad.key.to_owned()),
                ..short(Column::ContextColumns, bad.column.len())
            }
            .into());
        }
        for (column, accounts) in [
            (Column::PrincipalAccounts, rows.principal_accounts),
            (Column::ResourceAccounts, rows.resource_accounts),
        ] {
            if let Some(len) = accounts.len().filter(|&len| len != n) {
                return Err(short(column, len).into());
            }
        }
        let mut out = zeroed(n)?;
        run_chunks(&mut out, CHUNK, run, |first, part| self.decide_chunk(rows, run, first, part))?;
        Ok(out)
    }

    /// Decide the rows of one chunk with the set's kept [`Plans`] ([`kept_plans`]).
    fn decide_chunk<A, R>(
        &self,
        input: &Rows<'_, A, R>,
        run: Run<'_>,
        first: usize,
        out: &mut [u8],
    ) -> Result<(), BatchError>
    where
        A: TextColumn + ?Sized,
        R: TextColumn + ?Sized,
    {
        let mut plans = kept_plans::take(self.id());
        let outcome = self.decide_rows(input, run, first, out, &mut plans);
        kept_plans::give(plans);
        outcome
    }

    fn decide_rows<A, R>(
        &self,
        input: &Rows<'_, A, R>,
        run: Run<'_>,
        first: usize,
        out: &mut [u8],
        plans: &mut Plans,
    ) -> Result<(), BatchError>
    where
        A: TextColumn + ?Sized,
        R: TextColumn + ?Sized,
    {
        let Rows { callers, actions, resources, contexts, columns, principal_accounts, resource_accounts } =
            input;
        let caller_of = |row: usize| -> Result<&Caller, RowError> {
            match *callers {
                CallerRows::One(caller) => Ok(caller),
                CallerRows::PerRow { callers, rows } => rows
                    .get(row)
                    .and_then(|&i| callers.get(usize::try_from(i).ok()?))
                    .ok_or_else(|| RowError {
                        column: Column::Principals,
                        key: None,
                        row,
                        message: "no caller".to_owned(),
                    }),
            }
        };
        let context_of = |row: usize| -> Result<&Arc<Context>, RowError> {
            match *contexts {
                ContextRows::One(context) => Ok(context),
                ContextRows::PerRow(all) => all.get(row).ok_or_else(|| RowError {
                    column: Column::Contexts,
                    key: None,
                    row,
                    message: "no context".to_owned(),
                }),
            }
        };
        let (mut action_buf, mut resource_buf) = (String::new(), String::new());
        let mut account_buf = String::new();
        let mut request: Option<(&Caller, Request)> = None;
        // with context columns, the compiled request layout (crate::facts): a row is one value per key slot,
        // from its cells (borrowed from the columns) or its context; the cells of keys no statement reads are
        // read (a malformed one is an error) but not laid out: they cannot change a decision
        let (slot_keys, key_slots) = self.layout();
        let column_slots: Vec<Option<usize>> = columns
            .iter()
            .map(|c| key_slots.get(c.key).and_then(|&slot| usize::try_from(slot).ok()))
            .collect();
        let mut cell_bufs: Vec<String> = vec![String::new(); columns.len()];
        // one context for every row, no column: the statements' condition answers hold for the whole chunk
        // (crate::condition::constant)
        if matches!(contexts, ContextRows::One(_)) && columns.is_empty() {
            plans.start_constant_context(self, matches!(callers, CallerRows::One(_)));
        } else {
            plans.end_constant_context();
        }
        // the values the slots take from the rows' context map (the shared one: laid out once)
        let mut shared_base: Option<(&Arc<Context>, Values<'_>)> = None;
        for (offset, slot) in out.iter_mut().enumerate() {
            if run.cancelled() {
                return Err(BatchError::Cancelled); // checked per row: a row may be slow
            }
            let row = first + offset;
            let caller = caller_of(row)?;
            let context = context_of(row)?;
            let req = match &mut request {
                Some((last, req)) if std::ptr::eq(*last, caller) => req,
                slot => {
                    &mut slot.insert((caller, Request::for_caller(caller.clone(), Arc::clone(context)))).1
                }
            };
            if !Arc::ptr_eq(&req.context, context) {
                req.context = Arc::clone(context);
            }
            let mut values: Values<'_> = Values::new();
            if !columns.is_empty() {
                if !shared_base.as_ref().is_some_and(|(from, _)| Arc::ptr_eq(from, context)) {
                    shared_base = Some((context, laid_out(slot_keys, context)));
                }
                if let Some((_, base)) = &shared_base {
                    values.extend_from_slice(base);
                }
                for ((column, buf), &to) in columns.iter().zip(cell_bufs.iter_mut()).zip(&column_slots) {
                    let cell = column.column.cell(row, buf).map_err(|message| RowError {
                        column: Column::ContextColumns,
                        key: Some(column.key.to_owned()),
                        row,
                        message,
                    })?;
                    // an absent cell leaves the context's value of the key (or none)
                    let value = match cell {
                        Cell::Absent => continue,
                        Cell::Text(text) => KeyValue::Single(text),
                        Cell::Multi(items) => KeyValue::Multi(items),
                    };
                    if let Some(entry) = to.and_then(|to| values.get_mut(to)) {
                        *entry = Some(value);
                    }
                }
            }
            let bad = |column, message| RowError { column, key: None, row, message };
            if !matches!(principal_accounts, AccountRows::Default) {
                let account = principal_accounts
                    .get(row, &mut account_buf)
                    .map_err(|m| bad(Column::PrincipalAccounts, m))?;
                req.set_principal_account(account);
            }
            let action = actions.text(row, &mut action_buf).map_err(|m| bad(Column::Actions, m))?;
            req.set_action(action).map_err(|m| bad(Column::Actions, m))?;
            let resource = resources.text(row, &mut resource_buf).map_err(|m| bad(Column::Resources, m))?;
            req.set_resource(resource).map_err(|m| bad(Column::Resources, m))?;
            if let Some(account) =
                resource_accounts.get(row, &mut account_buf).map_err(|m| bad(Column::ResourceAccounts, m))?
            {
                req.set_resource_account(account);
            }
            let view = if columns.is_empty() {
                ContextView::Map(&req.context)
            } else {
                ContextView::Slots { values: &values, map: &req.context }
            };
            *slot = decision_code(self.decide_with(req, view, Some(plans)));
        }
        Ok(())
    }
}

/// The values of the key slots (`slot_keys[slot]` is the slot's key) in a context map.
fn laid_out<'c>(slot_keys: &[String], context: &'c Context) -> Values<'c> {
    slot_keys.iter().map(|key| context.get(key).map(KeyValue::from)).collect()
}

/// One principal of a grid: its policy set, caller, account and context.
#[derive(Debug, Clone)]
pub struct GridRow {
    /// The principal's policy set.
    pub policy_set: PolicySet,
    /// The principal.
    pub caller: Caller,
    /// The principal's account (`None`: from its ARN, R1).
    pub account: Option<String>,
    /// Its request context.
    pub context: Arc<Context>,
}

/// Decide every (principal, action, resource) of the product `principals × actions × resources`: one code
/// per cell in C order (principal-major), in chunks spread over `run.threads` threads. `resource_accounts`:
/// one per resource (`None` in a cell, or no column: from the ARN, R1).
///
/// # Errors
/// The first malformed action or resource (checked before any evaluation); a resource account column of
/// another length; [`BatchError::TooLarge`], [`BatchError::OutOfMemory`], [`BatchError::Cancelled`].
pub fn decide_grid(
    principals: &[GridRow],
    actions: &[&str],
    resources: &[&str],
    resource_accounts: Option<&[Option<&str>]>,
    run: Run<'_>,
) -> Result<Vec<u8>, BatchError> {
    let cells = output_len(&[principals.len(), actions.len(), resources.len()])?;
    if let Some(accounts) = resource_accounts
        && accounts.len() != resources.len()
    {
        return Err(RowError {
            column: Column::ResourceAccounts,
            key: None,
            row: accounts.len(),
            message: format!("has {} rows where `resources` has {}", accounts.len(), resources.len()),
        }
        .into());
    }
    // check the columns once; a cell then cannot fail (the actions and resources are read once, for every
    // cell)
    let mut lowered = Vec::new();
    let bytes = actions.len().saturating_mul(size_of::<PreparedAction>());
    lowered.try_reserve_exact(actions.len()).map_err(|_| BatchError::OutOfMemory(bytes))?;
    for (row, action) in actions.iter().enumerate() {
        lowered.push(PreparedAction::new(action).map_err(|message| RowError {
            column: Column::Actions,
            key: None,
            row,
            message,
        })?);
    }
    let actions = &lowered[..];
    let mut prepared = Vec::new();
    let bytes = resources.len().saturating_mul(size_of::<PreparedResource<'_>>());
    prepared.try_reserve_exact(resources.len()).map_err(|_| BatchError::OutOfMemory(bytes))?;
    for (row, resource) in resources.iter().enumerate() {
        prepared.push(PreparedResource::new(resource).map_err(|message| RowError {
            key: None,
            column: Column::Resources,
            row,
            message,
        })?);
    }
    let resources = &prepared[..];
    let mut out = zeroed(cells)?;
    let per_principal = actions.len() * resources.len();
    if per_principal == 0 {
        return Ok(out);
    }
    // the call's action numbers: a plan is found by its action's index (kept plans forget another call's)
    let numbering = new_numbering();
    run_chunks(&mut out, CHUNK, run, |first, part| {
        // the plans of the chunk's first principal's set when they are kept
        let set = principals.get(first / per_principal).map_or(0, |p| p.policy_set.id());
        let mut plans = kept_plans::take(set);
        plans.number_actions(numbering);
        let outcome =
            grid_chunk(principals, actions, resources, resource_accounts, run, first, part, &mut plans);
        kept_plans::give(plans);
        outcome
    })?;
    Ok(out)
}

/// The fewest resources for which a grid builds action plans ([`grid_chunk`]). Measured on W3 (callgrind,
/// instructions per cell without / with plans): 5 resources 1,204 / 1,368, 10: 1,055 / 1,130, 20: 976 /
/// 1,014, 40: 937 / 955; the layers' kept outcomes leave a plan little to save, and building one costs
/// about two scans of the action indexes.
const PLAN_FROM_RESOURCES: usize = 64;

/// The cells `first..first + part.len()` of a grid (see [`decide_grid`]), with `plans`: a principal's cells
/// of one action share its plan, and so do the principals that share a set.
#[expect(clippy::too_many_arguments, reason = "one chunk of decide_grid's work")]
fn grid_chunk(
    principals: &[GridRow],
    actions: &[PreparedAction],
    resources: &[PreparedResource<'_>],
    resource_accounts: Option<&[Option<&str>]>,
    run: Run<'_>,
    first: usize,
    part: &mut [u8],
    plans: &mut Plans,
) -> Result<(), BatchError> {
    let per_principal = actions.len() * resources.len();
    // a principal's action is decided for its few resources, its layers mostly once (their outcomes are kept
    // for the next resources when they do not read the resource: authorize::StaticOutcomes); a plan pays
    // for many resources only
    let planned = resources.len() >= PLAN_FROM_RESOURCES;
    // (principal index, its request, the action index set in it)
    let mut current: Option<(usize, Request, usize)> = None;
    // the principal's context in its set's compiled request layout (crate::facts), laid out once per principal
    let mut layout: Option<(usize, Values<'_>)> = None;
    for (offset, slot) in part.iter_mut().enumerate() {
        if run.cancelled() {
            return Err(BatchError::Cancelled);
        }
        let cell = first + offset;
        let (p, rest) = (cell / per_principal, cell % per_principal);
        let (a, r) = (rest / resources.len(), rest % resources.len());
        let (Some(row), Some(action), Some(resource)) = (principals.get(p), actions.get(a), resources.get(r))
        else {
            return Ok(());
        };
        let request = match &mut current {
            Some((index, request, set)) if *index == p => {
                if *set != a {
                    request.set_prepared_action(action);
                    *set = a;
                }
                request
            }
            slot => {
                let mut request = Request::for_caller(row.caller.clone(), Arc::clone(&row.context));
                request.set_principal_account(row.account.as_deref());
                request.set_prepared_action(action);
                &mut slot.insert((p, request, a)).1
            }
        };
        request.set_prepared_resource(resource);
        if let Some(account) = resource_accounts.and_then(|accounts| accounts.get(r).copied().flatten()) {
            request.set_resource_account(account);
        }
        let values = match &mut layout {
            Some((index, values)) if *index == p => values,
            slot => {
                // a new principal: its own caller and context, for all its cells (crate::condition::constant)
                plans.start_constant_context(&row.policy_set, true);
                &mut slot.insert((p, laid_out(row.policy_set.layout().0, &row.context))).1
            }
        };
        let view = ContextView::Slots { values, map: &row.context };
        // the grid numbers its actions: plans are found by the action's index
        *slot = decision_code(row.policy_set.decide_numbered(request, view, plans, a, planned));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_str;
    use crate::request::{ContextValue, read_principal};

    const POLICIES: &str = r#"{"identity": [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "ec2:DescribeInstances"], "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"}]}],
        "scps": [[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]]}"#;

    /// The rows of one caller, accounts from the ARNs.
    fn one_caller<'a, A: ?Sized, R: ?Sized>(
        caller: &'a Caller,
        actions: &'a A,
        resources: &'a R,
        contexts: ContextRows<'a>,
        columns: &'a [KeyColumn<'a>],
    ) -> Rows<'a, A, R> {
        Rows {
            callers: CallerRows::One(caller),
            actions,
            resources,
            contexts,
            columns,
            principal_accounts: AccountRows::Default,
            resource_accounts: AccountRows::Default,
        }
    }

    #[test]
    fn test_batch_equals_single_decisions_on_any_thread_count() {
        let Some(json) = parse_str(POLICIES).0 else { unreachable!() };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let Ok(caller) = read_principal("arn:aws:iam::111111111111:user/alice") else { unreachable!() };
        let actions = ["s3:GetObject", "S3:getobject", "ec2:DescribeInstances", "iam:PassRole"];
        let resources = ["arn:aws:s3:::secret/k", "arn:aws:s3:::open/k", "*"];
        let (mut action_col, mut resource_col) = (Vec::new(), Vec::new());
        for (action, resource) in actions.iter().cycle().zip(resources.iter().cycle()).take(10_000) {
            action_col.push(*action);
            resource_col.push(*resource);
        }
        let context = Arc::new(Context::default());
        let run = |threads| {
            let rows =
                one_caller(&caller, &action_col[..], &resource_col[..], ContextRows::One(&context), &[]);
            set.decide_batch(&rows, Run { threads, cancel: None })
        };
        let one = run(Some(1));
        assert_eq!(one, run(Some(2)));
        assert_eq!(one, run(None));
        let mut expected = Vec::new();
        for (action, resource) in action_col.iter().zip(&resource_col) {
            let mut request = Request::for_caller(caller.clone(), Arc::clone(&context));
            assert_eq!(request.set_action(action), Ok(()));
            assert_eq!(request.set_resource(resource), Ok(()));
            expected.push(decision_code(set.decide(&request)));
        }
        assert_eq!(one.as_deref(), Ok(&expected[..]));
        assert!(expected.contains(&0) && expected.contains(&1) && expected.contains(&2));

        let mut bad = action_col.clone();
        for (row, text) in [(7000, "nope"), (9000, "")] {
            if let Some(slot) = bad.get_mut(row) {
                *slot = text;
            }
        }
        let rows = one_caller(&caller, &bad[..], &resource_col[..], ContextRows::One(&context), &[]);
        let error = set.decide_batch(&rows, Run { threads: Some(2), cancel: None });
        let Err(BatchError::Row(error)) = error else { unreachable!("{error:?}") };
        assert_eq!((error.column, error.row), (Column::Actions, 7000));

        // a raised cancel flag stops the call
        let stop = AtomicBool::new(true);
        let rows = Rows { actions: &action_col[..], ..rows };
        for threads in [Some(1), Some(2)] {
            let cancelled = set.decide_batch(&rows, Run { threads, cancel: Some(&stop) });
            assert_eq!(cancelled, Err(BatchError::Cancelled));
        }
    }

    /// The compiled request layout (crate::facts): cells from columns over per-row contexts, a variable
    /// read through its slot, a multivalued cell, a column no statement reads, and the service-linked
    /// check reading `aws:PrincipalArn` (R15) all decide as the merged context maps do.
    #[test]
    fn test_r2_compiled_layout_equals_merged_context_maps() {
        let policies = r#"{"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/${aws:PrincipalTag/team}/*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
             "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "secret"}}}]}],
            "scps": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}]]}"#;
        let Some(json) = parse_str(policies).0 else { unreachable!() };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let Ok(caller) = read_principal("arn:aws:sts::111111111111:assumed-role/r/s") else { unreachable!() };
        let single = |text: &str| ContextValue::Single(text.to_owned());
        let per_row: Vec<Arc<Context>> = (0..4)
            .map(|i| {
                let mut context = Context::default();
                if i % 2 == 0 {
                    context.insert("aws:requestedregion".to_owned(), single("eu-west-1"));
                }
                if i % 3 == 0 {
                    context.insert("aws:principaltag/team".to_owned(), single("red"));
                }
                Arc::new(context)
            })
            .collect();
        let teams = [Some("blue"), None, Some("red"), None, Some("green")];
        let regions = [None, Some("us-east-1"), Some("eu-west-1")];
        let linked = [None, None, None, Some("arn:aws:iam::111111111111:role/aws-service-role/x/y")];
        let tags: [Option<Vec<String>>; 3] = [None, Some(vec!["a".into(), "secret".into()]), Some(vec![])];
        let unread = [Some("x"), None];
        let n = 600;
        let take = |items: &[Option<&'static str>]| -> Vec<Option<&'static str>> {
            items.iter().copied().cycle().take(n).collect()
        };
        let contexts: Vec<Arc<Context>> = per_row.iter().cycle().take(n).cloned().collect();
        let (team_col, region_col, linked_col, unread_col) =
            (take(&teams), take(&regions), take(&linked), take(&unread));
        let actions: Vec<&str> =
            (0..n).map(|i| if i % 7 == 0 { "iam:PassRole" } else { "s3:GetObject" }).collect();
        let resources: Vec<&str> =
            ["arn:aws:s3:::data/blue/k", "arn:aws:s3:::data/red/k"].iter().copied().cycle().take(n).collect();
        struct Tags<'t>(&'t [Option<Vec<String>>; 3], usize);
        impl ContextColumn for Tags<'_> {
            fn len(&self) -> usize {
                self.1
            }
            fn cell<'a>(&'a self, row: usize, _: &'a mut String) -> Result<Cell<'a>, String> {
                Ok(match self.0.get(row % 3) {
                    Some(Some(items)) => Cell::Multi(MultiValues::Owned(items)),
                    _ => Cell::Absent,
                })
            }
        }
        let tag_col = Tags(&tags, n);
        let columns = [
            KeyColumn { key: "aws:principaltag/team", column: &team_col },
            KeyColumn { key: "aws:requestedregion", column: &region_col },
            KeyColumn { key: "aws:principalarn", column: &linked_col },
            KeyColumn { key: "aws:tagkeys", column: &tag_col },
            KeyColumn { key: "aws:unread", column: &unread_col },
        ];
        let mut expected = Vec::new();
        let cells = team_col.iter().zip(&region_col).zip(&linked_col).zip(&unread_col);
        let rows = contexts.iter().zip(cells).zip(actions.iter().zip(&resources)).zip(tags.iter().cycle());
        for (((base, (((team, region), link), other)), (action, resource)), tag) in rows {
            let mut context = Context::clone(base);
            for (key, cell) in [
                ("aws:principaltag/team", team),
                ("aws:requestedregion", region),
                ("aws:principalarn", link),
                ("aws:unread", other),
            ] {
                if let Some(text) = cell {
                    context.insert(key.to_owned(), single(text));
                }
            }
            if let Some(items) = tag {
                context.insert("aws:tagkeys".to_owned(), ContextValue::Multi(items.clone()));
            }
            let mut request = Request::for_caller(caller.clone(), Arc::new(context));
            assert_eq!(request.set_action(action), Ok(()));
            assert_eq!(request.set_resource(resource), Ok(()));
            expected.push(decision_code(set.decide(&request)));
        }
        assert!(expected.contains(&0) && expected.contains(&1) && expected.contains(&2));
        for threads in [Some(1), Some(2)] {
            let rows =
                one_caller(&caller, &actions[..], &resources[..], ContextRows::PerRow(&contexts), &columns);
            assert_eq!(set.decide_batch(&rows, Run { threads, cancel: None }).as_deref(), Ok(&expected[..]));
        }
    }

    #[test]
    fn test_r2_context_columns_equal_per_row_contexts() {
        let policies = r#"{"identity": [{"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"NotIpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}]}"#;
        let Some(json) = parse_str(policies).0 else { unreachable!() };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let Ok(caller) = read_principal("arn:aws:iam::111111111111:user/alice") else { unreachable!() };
        let ips = [Some("10.1.2.3"), None, Some("192.0.2.1"), Some("10.9.9.9")];
        let regions = [None, Some("eu-west-1"), None, Some("us-east-1"), Some("eu-west-1")];
        let (mut ip_col, mut region_col, mut actions, mut resources) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (ip, region) in ips.iter().cycle().zip(regions.iter().cycle()).take(5000) {
            ip_col.push(*ip);
            region_col.push(*region);
            actions.push("s3:GetObject");
            resources.push("arn:aws:s3:::b/k");
        }
        let mut shared = Context::default();
        shared.insert("aws:requestedregion".to_owned(), ContextValue::Single("us-east-1".to_owned()));
        let shared = Arc::new(shared);
        let columns = [
            KeyColumn { key: "aws:sourceip", column: &ip_col },
            KeyColumn { key: "aws:requestedregion", column: &region_col },
        ];
        let mut expected = Vec::new();
        for (ip, region) in ip_col.iter().zip(&region_col) {
            let mut context = Context::clone(&shared);
            if let Some(ip) = ip {
                context.insert("aws:sourceip".to_owned(), ContextValue::Single((*ip).to_owned()));
            }
            if let Some(region) = region {
                context.insert("aws:requestedregion".to_owned(), ContextValue::Single((*region).to_owned()));
            }
            let mut request = Request::for_caller(caller.clone(), Arc::new(context));
            assert_eq!(request.set_action("s3:GetObject"), Ok(()));
            assert_eq!(request.set_resource("arn:aws:s3:::b/k"), Ok(()));
            expected.push(decision_code(set.decide(&request)));
        }
        assert!(expected.contains(&1) && expected.contains(&2));
        for threads in [Some(1), Some(2)] {
            let rows = one_caller(&caller, &actions[..], &resources[..], ContextRows::One(&shared), &columns);
            let found = set.decide_batch(&rows, Run { threads, cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
    }

    #[test]
    fn test_r2_grid_equals_single_decisions() {
        // principals with their own sets and contexts (laid out once per principal), two sharing a set;
        // conditions by slot, a variable, a multivalued key, a key no statement reads; resources prepared once
        // (`*`, ARNs with and without an account), some with a resource account given
        let with_conditions = r#"{"identity": [{"Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}/*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
             "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "secret"}}}]}],
            "scps": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
             {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}]]}"#;
        let plain = r#"{"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:Get*",
            "Resource": "arn:aws:s3:::*"}}]}"#;
        let sets: Vec<PolicySet> = [with_conditions, plain]
            .iter()
            .map(|text| {
                let Some(json) = parse_str(text).0 else { unreachable!() };
                let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
                set
            })
            .collect();
        let context = |pairs: &[(&str, ContextValue)]| -> Arc<Context> {
            Arc::new(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
        };
        let single = |text: &str| ContextValue::Single(text.to_owned());
        let contexts = [
            context(&[("aws:sourceip", single("10.1.2.3")), ("aws:principaltag/team", single("data"))]),
            context(&[
                ("aws:sourceip", single("192.0.2.1")),
                ("aws:tagkeys", ContextValue::Multi(vec!["a".to_owned(), "secret".to_owned()])),
                ("aws:unread", single("x")),
            ]),
            context(&[("aws:principaltag/team", single("ops"))]),
            context(&[]),
        ];
        let arns = [
            "arn:aws:iam::111111111111:user/a",
            "arn:aws:iam::111111111111:role/r",
            "arn:aws:sts::222222222222:assumed-role/r/s",
            "arn:aws:iam::111111111111:user/b",
        ];
        let mut principals = Vec::new();
        for (i, (arn, ctx)) in arns.iter().zip(&contexts).enumerate() {
            let Ok(caller) = read_principal(arn) else { unreachable!() };
            let Some(set) = sets.get(usize::from(i == 3)) else { unreachable!() };
            let account = (i == 1).then(|| "333333333333".to_owned());
            principals.push(GridRow { policy_set: set.clone(), caller, account, context: Arc::clone(ctx) });
        }
        let actions = ["s3:GetObject", "S3:PutObject", "ec2:DescribeInstances", "iam:PassRole"];
        let resources = [
            "*",
            "arn:aws:s3:::data/k",
            "arn:aws:s3:::ops/k",
            "arn:aws:ec2:us-east-1:222222222222:instance/i",
        ];
        let accounts = [None, Some("111111111111"), None, Some("111111111111")];
        let mut expected = Vec::new();
        for row in &principals {
            for action in actions {
                for (resource, account) in resources.iter().zip(accounts) {
                    let mut request = Request::for_caller(row.caller.clone(), Arc::clone(&row.context));
                    request.set_principal_account(row.account.as_deref());
                    assert_eq!(request.set_action(action), Ok(()));
                    assert_eq!(request.set_resource(resource), Ok(()));
                    if let Some(account) = account {
                        request.set_resource_account(account);
                    }
                    expected.push(decision_code(row.policy_set.decide(&request)));
                }
            }
        }
        for code in [0, 1, 2] {
            assert!(expected.contains(&code), "{code}");
        }
        for threads in [Some(1), Some(2)] {
            let found = decide_grid(
                &principals,
                &actions,
                &resources,
                Some(&accounts),
                Run { threads, cancel: None },
            );
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
        // a malformed resource is reported before any evaluation, with its row
        let bad = ["*", "nope"];
        let Err(BatchError::Row(error)) = decide_grid(&principals, &actions, &bad, None, Run::default())
        else {
            unreachable!()
        };
        assert_eq!((error.column, error.row), (Column::Resources, 1));
    }

    #[test]
    fn test_r8_remembered_clause_answers_equal_single_decisions() {
        // clauses the memo remembers (IP, ARN, date, pattern, a pattern with a variable), over rows whose
        // values repeat (hits, evictions: 6 addresses over 4 ways), then stop repeating (the memo switches off)
        let policies = r#"{"identity": [{"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}},
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringLike": {"aws:userid": "*:${aws:username}"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Eng*"}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-06-15T00:00:00Z"},
                           "StringNotLike": {"aws:RequestedRegion": "eu-*"}}}]}]}"#;
        let Some(json) = parse_str(policies).0 else { unreachable!() };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let Ok(other) = PolicySet::from_json(&json) else { unreachable!() };
        let Ok(caller) = read_principal("arn:aws:iam::111111111111:user/alice") else { unreachable!() };
        let ips = ["10.1.2.3", "192.0.2.1", "2001:db8::1", "bad", "10.9.9.9", "203.0.113.7"];
        let arns = ["arn:aws:iam::1:role/Engineer", "arn:aws:iam::1:role/Admin", "not-an-arn"];
        let regions = ["eu-west-1", "us-east-1", "EU-west-1"];
        let names = ["alice", "bob"];
        let keys =
            ["aws:sourceip", "aws:principalarn", "aws:currenttime", "aws:requestedregion", "aws:userid"];
        let mut cells: [Vec<Option<String>>; 5] = Default::default();
        let mut user_col = Vec::new();
        let pick = |i: usize, n: usize| (i * 7_919 + i / 3) % 101 % n;
        for i in 0..6_000_usize {
            let fresh = i >= 4_000;
            let row = [
                Some(if fresh {
                    format!("10.{}.0.1", i % 300)
                } else {
                    ips.get(pick(i, 6)).copied().unwrap_or_default().to_owned()
                }),
                (i % 7 != 0).then(|| arns.get(pick(i, 3)).copied().unwrap_or_default().to_owned()),
                Some(format!("2026-0{}-1{}T00:00:00Z", 1 + pick(i, 9), i % 10)),
                Some(regions.get(pick(i + 1, 3)).copied().unwrap_or_default().to_owned()),
                Some(format!("AROA:{}", names.get(pick(i, 2)).copied().unwrap_or_default())),
            ];
            for (column, cell) in cells.iter_mut().zip(row) {
                column.push(cell);
            }
            user_col.push(Some(names.get(i % 2).copied().unwrap_or_default().to_owned()));
        }
        let mut expected = Vec::new();
        for i in 0..6_000_usize {
            let mut context = Context::default();
            for (key, column) in keys.iter().zip(&cells) {
                if let Some(Some(value)) = column.get(i) {
                    context.insert((*key).to_owned(), ContextValue::Single(value.clone()));
                }
            }
            if let Some(Some(name)) = user_col.get(i) {
                context.insert("aws:username".to_owned(), ContextValue::Single(name.clone()));
            }
            let mut request = Request::for_caller(caller.clone(), Arc::new(context));
            assert_eq!(request.set_action("s3:GetObject"), Ok(()));
            assert_eq!(request.set_resource("arn:aws:s3:::b/k"), Ok(()));
            expected.push(decision_code(set.decide(&request)));
        }
        for code in [0, 1, 2] {
            assert!(expected.contains(&code), "{code}");
        }
        let [ip_col, arn_col, time_col, region_col, userid_col] = &cells;
        let columns = [
            KeyColumn { key: "aws:sourceip", column: ip_col },
            KeyColumn { key: "aws:principalarn", column: arn_col },
            KeyColumn { key: "aws:currenttime", column: time_col },
            KeyColumn { key: "aws:requestedregion", column: region_col },
            KeyColumn { key: "aws:userid", column: userid_col },
            KeyColumn { key: "aws:username", column: &user_col },
        ];
        let actions = vec!["s3:GetObject"; 6_000];
        let resources = vec!["arn:aws:s3:::b/k"; 6_000];
        let shared = Arc::new(Context::default());
        let rows = one_caller(&caller, &actions[..], &resources[..], ContextRows::One(&shared), &columns);
        // twice on one thread (the memo is kept between calls on a set), another set between (it is reset)
        for (set, threads) in [(&set, Some(1)), (&set, Some(1)), (&other, Some(1)), (&set, Some(2))] {
            let found = set.decide_batch(&rows, Run { threads, cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
    }

    #[test]
    fn test_r8_r15_constant_context_answers_equal_single_decisions() {
        // rows sharing one context (decide_batch's condition answers are kept for the whole chunk) with callers
        // per row, service-linked among them (R15's check is then made per row); a grid whose principals share
        // a set but not a context or a caller (its answers are kept per principal); two calls in turn with
        // other contexts on the same set (kept plans carry no answers from one call into the next)
        let Some(json) = parse_str(
            r#"{"identity": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*", "iam:*"], "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
                {"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:instance/${aws:PrincipalTag/team}-*",
                 "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}},
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::keep/*",
                 "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
                {"Effect": "Deny", "Action": "s3:GetObject",
                 "NotResource": ["arn:aws:s3:::${aws:PrincipalTag/team}/*", "arn:aws:s3:::keep/${aws:username}"]},
                {"Effect": "Deny", "Action": "ec2:StartInstances", "Resource": "*${aws:userid}"}]}],
             "scps": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}]]}"#,
        )
        .0
        else {
            unreachable!()
        };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let arns = [
            "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
            "arn:aws:iam::111111111111:role/plain",
            "arn:aws:sts::111111111111:assumed-role/plain/s",
        ];
        let callers: Vec<Caller> = arns
            .iter()
            .map(|arn| {
                let Ok(caller) = read_principal(arn) else { unreachable!() };
                caller
            })
            .collect();
        let single = |text: &str| ContextValue::Single(text.to_owned());
        // the team tag and the user name fill Resource / NotResource entries (substituted once per run): a
        // plain value, none (unresolvable), a value with a wildcard character (matched per request)
        let context = |ip: &str, region: &str, mfa: &str, arn: &str, team: Option<&str>| -> Arc<Context> {
            Arc::new(
                [
                    ("aws:sourceip", single(ip)),
                    ("aws:requestedregion", single(region)),
                    ("aws:multifactorauthpresent", single(mfa)),
                    ("aws:principalarn", single(arn)),
                    ("aws:username", single("k")),
                    ("aws:userid", single("")), // a variable before the fifth colon: a dead entry (R13)
                ]
                .into_iter()
                .chain(team.map(|team| ("aws:principaltag/team", single(team))))
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            )
        };
        let contexts = [
            context("10.1.1.1", "eu-west-1", "false", "arn:aws:iam::111111111111:role/plain", Some("blue")),
            context(
                "192.0.2.1",
                "us-east-1",
                "true",
                "arn:aws:iam::111111111111:role/aws-service-role/y",
                None,
            ),
            context("10.2.2.2", "us-east-1", "true", "arn:aws:iam::111111111111:role/plain", Some("bl*")),
            context("10.3.3.3", "eu-west-1", "true", "arn:aws:iam::111111111111:role/plain", Some("blue")),
        ];
        let actions = ["s3:GetObject", "s3:DeleteObject", "iam:PassRole", "ec2:StartInstances"];
        let resources = [
            "*",
            "arn:aws:s3:::keep/k",
            "arn:aws:ec2:eu-west-1:111111111111:instance/blue-1",
            "arn:aws:s3:::blue/x",
            "arn:aws:s3:::bl*/x",
        ];
        let expected_of = |caller: &Caller, context: &Arc<Context>, action: &str, resource: &str| {
            let mut request = Request::for_caller(caller.clone(), Arc::clone(context));
            assert_eq!(request.set_action(action), Ok(()));
            assert_eq!(request.set_resource(resource), Ok(()));
            decision_code(set.decide(&request))
        };
        // decide_batch: callers per row, one context per call, the calls in turn
        let indexes: Vec<u32> = (0..3000).map(|i| i % 3).collect();
        let (mut action_col, mut resource_col) = (Vec::new(), Vec::new());
        for i in 0..3000 {
            action_col.push(actions.get(i % 4).copied().unwrap_or_default());
            resource_col.push(resources.get(i / 4 % 3).copied().unwrap_or_default());
        }
        let mut seen = Vec::new();
        for context in contexts.iter().chain(contexts.iter().rev()) {
            let rows = Rows {
                callers: CallerRows::PerRow { callers: &callers, rows: &indexes },
                ..one_caller(
                    callers.first().unwrap_or_else(|| unreachable!()),
                    &action_col[..],
                    &resource_col[..],
                    ContextRows::One(context),
                    &[],
                )
            };
            let mut expected = Vec::new();
            for ((&i, action), resource) in indexes.iter().zip(&action_col).zip(&resource_col) {
                let Some(caller) = callers.get(usize::try_from(i).unwrap_or(usize::MAX)) else {
                    unreachable!()
                };
                expected.push(expected_of(caller, context, action, resource));
            }
            for threads in [Some(1), Some(2)] {
                let found = set.decide_batch(&rows, Run { threads, cancel: None });
                assert_eq!(found.as_deref(), Ok(&expected[..]));
            }
            seen.extend(expected);
        }
        for code in [0, 1, 2] {
            assert!(seen.contains(&code), "{code}");
        }
        // one caller and one context per call: the layers' outcomes are kept per action for the call (rows of
        // one action with other resources take them), in calls in turn with other callers and contexts
        for caller in &callers {
            for context in &contexts {
                let rows =
                    one_caller(caller, &action_col[..], &resource_col[..], ContextRows::One(context), &[]);
                let expected: Vec<u8> = action_col
                    .iter()
                    .zip(&resource_col)
                    .map(|(action, resource)| expected_of(caller, context, action, resource))
                    .collect();
                for threads in [Some(1), Some(2)] {
                    let found = set.decide_batch(&rows, Run { threads, cancel: None });
                    assert_eq!(found.as_deref(), Ok(&expected[..]));
                }
            }
        }
        // a grid: every caller with every context, all on one set
        let mut principals = Vec::new();
        let mut expected = Vec::new();
        for caller in &callers {
            for context in &contexts {
                principals.push(GridRow {
                    policy_set: set.clone(),
                    caller: caller.clone(),
                    account: None,
                    context: Arc::clone(context),
                });
                for action in actions {
                    for resource in resources {
                        expected.push(expected_of(caller, context, action, resource));
                    }
                }
            }
        }
        for threads in [Some(1), Some(2)] {
            let found = decide_grid(&principals, &actions, &resources, None, Run { threads, cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
        // enough resources for the grid to build action plans (PLAN_FROM_RESOURCES), in two calls in turn
        let many: Vec<&str> = resources.iter().copied().cycle().take(PLAN_FROM_RESOURCES + 2).collect();
        for actions in [&actions[..], &actions[1..]] {
            let mut expected = Vec::new();
            for row in &principals {
                for action in actions {
                    for resource in &many {
                        expected.push(expected_of(&row.caller, &row.context, action, resource));
                    }
                }
            }
            let found =
                decide_grid(&principals, actions, &many, None, Run { threads: Some(2), cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
        // one action: the principals' cells follow each other with the same action number, so what a layer
        // said for one principal must not be taken for the next
        for action in actions {
            let mut expected = Vec::new();
            for row in &principals {
                for resource in resources {
                    expected.push(expected_of(&row.caller, &row.context, action, resource));
                }
            }
            let found =
                decide_grid(&principals, &[action], &resources, None, Run { threads: Some(1), cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]), "{action}");
        }
        // a later call numbers its actions otherwise: the kept plans' numbers of the last call are not used
        // (a regression: action 0 of one call was once decided with action 0's plan of the call before)
        for actions in [["iam:PassRole", "s3:GetObject"], ["s3:GetObject", "iam:PassRole"]] {
            let mut expected = Vec::new();
            for row in &principals {
                for action in actions {
                    for resource in resources {
                        expected.push(expected_of(&row.caller, &row.context, action, resource));
                    }
                }
            }
            let found =
                decide_grid(&principals, &actions, &resources, None, Run { threads: Some(1), cancel: None });
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
    }

    #[test]
    fn test_r18_r20c_r21_grid_decisions_kept_by_what_the_grant_reads_of_the_resource() {
        // layers that read no resource: a grid keeps a principal's decision for an action by what the flow
        // reads of the resource after the scans (authorize::PolicySet::resource_facts): the account (R21),
        // whether the resource is a KMS key or a role to assume (R18's strict resources), whether
        // RestrictPublicBuckets applies (R20c). Resources that differ in each of these follow each other
        // within one action, with and without a resource-account column; every cell against decide()
        let Some(json) = parse_str(
            r#"{"identity": [{"Statement": {"Effect": "Allow",
                  "Action": ["kms:*", "sts:AssumeRole", "s3:GetObject"], "Resource": "*"}}],
                "resource": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": "*"}},
                "s3_block_public_access": true}"#,
        )
        .0
        else {
            unreachable!()
        };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        let actions = ["kms:Decrypt", "sts:AssumeRole", "s3:GetObject", "ec2:DescribeInstances"];
        let resources = [
            "arn:aws:kms:us-east-1:111111111111:alias/a",
            "arn:aws:kms:us-east-1:111111111111:key/k1",
            "arn:aws:kms:us-east-1:222222222222:key/k2",
            "arn:aws:iam::111111111111:role/r",
            "arn:aws:iam::222222222222:role/r",
            "arn:aws:s3:::bucket/k",
            "*",
            "arn:aws:kms:us-east-1:111111111111:alias/b",
        ];
        let accounts: [Option<&str>; 8] =
            [None, None, None, None, Some("111111111111"), Some("222222222222"), None, Some("222222222222")];
        let mut principals = Vec::new();
        for arn in ["arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:root"] {
            let Ok(caller) = read_principal(arn) else { unreachable!() };
            principals.push(GridRow {
                policy_set: set.clone(),
                caller,
                account: None,
                context: Arc::new(Context::default()),
            });
        }
        for column in [None, Some(&accounts[..])] {
            let mut expected = Vec::new();
            for row in &principals {
                for action in actions {
                    for (resource, account) in resources.iter().zip(&accounts) {
                        let mut request = Request::for_caller(row.caller.clone(), Arc::clone(&row.context));
                        assert_eq!(request.set_action(action), Ok(()));
                        assert_eq!(request.set_resource(resource), Ok(()));
                        if let (Some(_), Some(account)) = (column, account) {
                            request.set_resource_account(account);
                        }
                        expected.push(decision_code(set.decide(&request)));
                    }
                }
            }
            // each principal's action gets both answers across its resources (else the grid tests nothing)
            let per_action = resources.len();
            let mixed =
                expected.chunks(per_action).filter(|cells| cells.iter().any(|c| Some(c) != cells.first()));
            assert!(mixed.count() >= 4, "{expected:?}");
            for threads in [Some(1), Some(2)] {
                let found =
                    decide_grid(&principals, &actions, &resources, column, Run { threads, cancel: None });
                assert_eq!(found.as_deref(), Ok(&expected[..]));
            }
            // decide_batch with one caller and one context keeps them per action too (by its plan): the same
            // cells as rows, three times over, the actions interleaved
            for (p, row) in principals.iter().enumerate() {
                let cells = actions.len() * resources.len();
                let (mut action_col, mut resource_col, mut account_col, mut want) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for i in 0..3 * cells {
                    let (a, r) = (i % actions.len(), i / actions.len() % resources.len());
                    action_col.push(actions.get(a).copied().unwrap_or_default());
                    resource_col.push(resources.get(r).copied().unwrap_or_default());
                    account_col.push(column.and_then(|accounts| accounts.get(r).copied().flatten()));
                    want.push(expected.get(p * cells + a * resources.len() + r).copied().unwrap_or(u8::MAX));
                }
                let rows = Rows {
                    resource_accounts: AccountRows::PerRow(&account_col),
                    ..one_caller(
                        &row.caller,
                        &action_col[..],
                        &resource_col[..],
                        ContextRows::One(&row.context),
                        &[],
                    )
                };
                for threads in [Some(1), Some(2)] {
                    assert_eq!(
                        set.decide_batch(&rows, Run { threads, cancel: None }).as_deref(),
                        Ok(&want[..])
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod robustness_tests {
    use super::*;
    use crate::json::{Json, parse_str};
    use crate::request::read_principal;

    fn set_of(policies: &str) -> PolicySet {
        let Some(json) = parse_str(policies).0 else { unreachable!() };
        let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
        set
    }

    #[test]
    fn test_r1_account_columns_equal_requests_with_accounts() {
        // a bucket policy granting another account: decided by the resource account
        let set = set_of(
            r#"{"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}],
                "resource": {"Statement": {"Effect": "Allow", "Principal": {"AWS": "222222222222"},
                             "Action": "s3:GetObject", "Resource": "*"}}}"#,
        );
        let principal = "arn:aws:iam::222222222222:user/bob";
        let Ok(caller) = read_principal(principal) else { unreachable!() };
        let accounts = [None, Some("111111111111"), Some("222222222222")];
        let (mut actions, mut resources, mut resource_accounts, mut principal_accounts) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, account) in accounts.iter().cycle().take(5000).enumerate() {
            actions.push(if i % 2 == 0 { "s3:GetObject" } else { "s3:PutObject" });
            resources.push("arn:aws:s3:::bucket/key");
            resource_accounts.push(*account);
            principal_accounts.push(accounts.get((i / 3) % 3).copied().flatten());
        }
        let context = Arc::new(Context::default());
        let mut expected = Vec::new();
        for (((action, resource), pa), ra) in
            actions.iter().zip(&resources).zip(&principal_accounts).zip(&resource_accounts)
        {
            let mut pairs = vec![
                ("principal".to_owned(), Json::String(principal.to_owned())),
                ("action".to_owned(), Json::String((*action).to_owned())),
                ("resource".to_owned(), Json::String((*resource).to_owned())),
            ];
            if let Some(account) = pa {
                pairs.push(("principal_account".to_owned(), Json::String((*account).to_owned())));
            }
            if let Some(account) = ra {
                pairs.push(("resource_account".to_owned(), Json::String((*account).to_owned())));
            }
            let Ok(request) = Request::from_json(&Json::Object(pairs)) else { unreachable!() };
            expected.push(decision_code(set.decide(&request)));
        }
        assert!(expected.contains(&0) && expected.contains(&1));
        let (pa, ra): (Vec<Option<&str>>, Vec<Option<&str>>) = (principal_accounts, resource_accounts);
        for threads in [Some(1), Some(2)] {
            let rows = Rows {
                callers: CallerRows::One(&caller),
                actions: &actions[..],
                resources: &resources[..],
                contexts: ContextRows::One(&context),
                columns: &[],
                principal_accounts: AccountRows::PerRow(&pa),
                resource_accounts: AccountRows::PerRow(&ra),
            };
            assert_eq!(set.decide_batch(&rows, Run { threads, cancel: None }).as_deref(), Ok(&expected[..]));
        }
    }

    #[test]
    fn test_grid_sizes_are_checked() {
        assert_eq!(output_len(&[2, 3, 4]), Ok(24));
        assert!(matches!(output_len(&[usize::MAX, 2, 1]), Err(BatchError::TooLarge(_))));
        assert!(matches!(output_len(&[1 << 40, 1 << 40, 1]), Err(BatchError::TooLarge(_))));
        assert!(matches!(zeroed(usize::MAX / 2), Err(BatchError::OutOfMemory(_))));
    }

    #[test]
    fn test_pools_are_bounded() {
        let items: Vec<usize> = (0..1000).collect();
        for round in 0..3 {
            for n in 1..=(MAX_POOLS + 3) {
                let out = map_rows(&items, Run { threads: Some(n), cancel: None }, |i| i * 2);
                assert_eq!(out.map(|v| v.iter().sum::<usize>()), Ok(999 * 1000), "round {round}");
            }
        }
        assert!(kept_pools() <= MAX_POOLS);
        assert_eq!(thread_count(Some(usize::MAX)), max_threads());
    }
}
