//! Many decisions at once (no IAM rule of its own): columns of actions and resources against one policy
//! set ([`PolicySet::decide_batch`]), or a grid of principals × actions × resources ([`decide_grid`]),
//! split into chunks evaluated on a rayon thread pool. Each chunk reuses one [`Request`], so a row costs no
//! allocation once its buffers have grown. Results never depend on the number of threads.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::authorize::PolicySet;
use crate::request::{Caller, Context, ContextValue, Request};
use crate::result::Decision;

/// Rows per unit of parallel work.
const CHUNK: usize = 2048;

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
    Multi(&'a [String]),
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

/// The number of worker threads for `threads` (`None`: every core).
#[must_use]
pub fn thread_count(threads: Option<usize>) -> usize {
    // asking the OS reads cgroup files (tens of microseconds): once is enough
    static CORES: OnceLock<usize> = OnceLock::new();
    threads.filter(|&n| n > 0).unwrap_or_else(|| {
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
    })
}

/// The pools built so far: (process id, threads, pool).
static POOLS: Mutex<Vec<(u32, usize, Arc<ThreadPool>)>> = Mutex::new(Vec::new());

/// A thread pool of `n` threads, built once per size and kept. A process made by `fork()` has none of its
/// parent's worker threads: it builds its own pools (the parent's are forgotten, never joined).
fn pool(n: usize) -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    if pools.iter().any(|(owner, _, _)| *owner != pid) {
        for (_, _, inherited) in pools.drain(..) {
            std::mem::forget(inherited); // its threads do not exist here: dropping would wait for them
        }
    }
    if let Some((_, _, found)) = pools.iter().find(|(_, size, _)| *size == n) {
        return Some(Arc::clone(found));
    }
    let built = Arc::new(
        ThreadPoolBuilder::new().num_threads(n).thread_name(|i| format!("iameval-{i}")).build().ok()?,
    );
    pools.push((pid, n, Arc::clone(&built)));
    Some(built)
}

/// Run `work` over `out` split in chunks of `chunk` items: on the calling thread when one thread is asked
/// for or there is a single chunk, else on a pool of `threads`. `work(first_index, chunk)`; the error of
/// the lowest index wins, so the result never depends on the number of threads.
fn run_chunks<E: Send>(
    out: &mut [u8],
    chunk: usize,
    threads: Option<usize>,
    work: impl Fn(usize, &mut [u8]) -> Result<(), (usize, E)> + Sync,
) -> Result<(), E> {
    let chunk = chunk.max(1);
    let n = thread_count(threads);
    let serial = |out: &mut [u8]| -> Result<(), (usize, E)> {
        out.chunks_mut(chunk).enumerate().try_for_each(|(i, part)| work(i * chunk, part))
    };
    let outcome = if n <= 1 || out.len() <= chunk {
        serial(out)
    } else if let Some(pool) = pool(n) {
        pool.install(|| {
            let errors: Vec<(usize, E)> = out
                .par_chunks_mut(chunk)
                .enumerate()
                .filter_map(|(i, part)| work(i * chunk, part).err())
                .collect();
            errors.into_iter().min_by_key(|(row, _)| *row).map_or(Ok(()), Err)
        })
    } else {
        serial(out)
    };
    outcome.map_err(|(_, error)| error)
}

/// `items.map(f)` in order, on `threads` threads (`None`: every core; one thread or few items: the
/// calling thread).
pub fn map_rows<T: Sync, U: Send>(
    items: &[T],
    threads: Option<usize>,
    f: impl Fn(&T) -> U + Sync + Send,
) -> Vec<U> {
    let n = thread_count(threads);
    if n <= 1 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    match pool(n) {
        Some(pool) => pool.install(|| items.par_iter().with_min_len(32).map(&f).collect()),
        None => items.iter().map(f).collect(),
    }
}

/// The columns of a batch, as [`PolicySet::decide_batch`] takes them.
struct Input<'a, A: ?Sized, R: ?Sized> {
    callers: CallerRows<'a>,
    actions: &'a A,
    resources: &'a R,
    contexts: ContextRows<'a>,
    columns: &'a [KeyColumn<'a>],
}

impl<A: ?Sized, R: ?Sized> Clone for Input<'_, A, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A: ?Sized, R: ?Sized> Copy for Input<'_, A, R> {}

impl PolicySet {
    /// Decide row `i` = (caller, `actions[i]`, `resources[i]`, context) for every row; one decision code per
    /// row ([`decision_code`]), on `threads` threads (`None`: every core; `Some(1)`: the calling thread).
    /// The same decisions as [`PolicySet::decide`] on each request read by [`Request::from_json`]
    /// with accounts defaulted from the ARNs.
    ///
    /// # Errors
    /// The first bad row (lowest row number): a malformed action or resource, a column shorter than the
    /// actions, an unreadable text.
    pub fn decide_batch<A, R>(
        &self,
        callers: CallerRows<'_>,
        actions: &A,
        resources: &R,
        contexts: ContextRows<'_>,
        columns: &[KeyColumn<'_>],
        threads: Option<usize>,
    ) -> Result<Vec<u8>, RowError>
    where
        A: TextColumn + ?Sized,
        R: TextColumn + ?Sized,
    {
        let rows = actions.len();
        let short = |column, len: usize| RowError {
            column,
            key: None,
            row: len,
            message: format!("has {len} rows where `actions` has {rows}"),
        };
        if resources.len() != rows {
            return Err(short(Column::Resources, resources.len()));
        }
        if let CallerRows::PerRow { rows: per_row, .. } = callers
            && per_row.len() != rows
        {
            return Err(short(Column::Principals, per_row.len()));
        }
        if let ContextRows::PerRow(per_row) = contexts
            && per_row.len() != rows
        {
            return Err(short(Column::Contexts, per_row.len()));
        }
        if let Some(bad) = columns.iter().find(|c| c.column.len() != rows) {
            return Err(RowError {
                key: Some(bad.key.to_owned()),
                ..short(Column::ContextColumns, bad.column.len())
            });
        }
        let mut out = vec![0_u8; rows];
        let input = Input { callers, actions, resources, contexts, columns };
        run_chunks(&mut out, CHUNK, threads, |first, part| {
            self.decide_chunk(&input, first, part).map_err(|e| (e.row, e))
        })?;
        Ok(out)
    }

    fn decide_chunk<A, R>(
        &self,
        input: &Input<'_, A, R>,
        first: usize,
        out: &mut [u8],
    ) -> Result<(), RowError>
    where
        A: TextColumn + ?Sized,
        R: TextColumn + ?Sized,
    {
        let Input { callers, actions, resources, contexts, columns } = *input;
        let caller_of = |row: usize| -> Result<&Caller, RowError> {
            match callers {
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
            match contexts {
                ContextRows::One(context) => Ok(context),
                ContextRows::PerRow(all) => all.get(row).ok_or_else(|| RowError {
                    column: Column::Contexts,
                    key: None,
                    row,
                    message: "no context".to_owned(),
                }),
            }
        };
        let (mut action_buf, mut resource_buf, mut cell_buf) = (String::new(), String::new(), String::new());
        let mut request: Option<(&Caller, Request)> = None;
        // with context columns: the shared context the request's private context was copied from
        let mut copied_from: Option<&Arc<Context>> = None;
        for (offset, slot) in out.iter_mut().enumerate() {
            let row = first + offset;
            let caller = caller_of(row)?;
            let context = context_of(row)?;
            let req = match &mut request {
                Some((last, req)) if std::ptr::eq(*last, caller) => req,
                slot => {
                    copied_from = None;
                    &mut slot.insert((caller, Request::for_caller(caller.clone(), Arc::clone(context)))).1
                }
            };
            if columns.is_empty() {
                if !Arc::ptr_eq(&req.context, context) {
                    req.context = Arc::clone(context);
                }
            } else {
                if !copied_from.is_some_and(|from| Arc::ptr_eq(from, context)) {
                    req.context = Arc::new(Context::clone(context));
                    copied_from = Some(context);
                }
                let own = Arc::make_mut(&mut req.context);
                for column in columns {
                    let cell = column.column.cell(row, &mut cell_buf).map_err(|message| RowError {
                        column: Column::ContextColumns,
                        key: Some(column.key.to_owned()),
                        row,
                        message,
                    })?;
                    set_cell(own, column.key, cell, context);
                }
            }
            let bad = |column, message| RowError { column, key: None, row, message };
            let action = actions.text(row, &mut action_buf).map_err(|m| bad(Column::Actions, m))?;
            req.set_action(action).map_err(|m| bad(Column::Actions, m))?;
            let resource = resources.text(row, &mut resource_buf).map_err(|m| bad(Column::Resources, m))?;
            req.set_resource(resource).map_err(|m| bad(Column::Resources, m))?;
            *slot = decision_code(self.decide(req));
        }
        Ok(())
    }
}

/// Put one cell of a context column into a row's context (reusing the value's buffer when it can); an
/// absent cell restores the shared context's value of the key, or removes the key.
fn set_cell(context: &mut Context, key: &str, cell: Cell<'_>, shared: &Context) {
    match cell {
        Cell::Text(text) => match context.get_mut(key) {
            Some(ContextValue::Single(value)) => {
                value.clear();
                value.push_str(text);
            }
            _ => {
                context.insert(key.to_owned(), ContextValue::Single(text.to_owned()));
            }
        },
        Cell::Multi(items) => match context.get_mut(key) {
            Some(ContextValue::Multi(values)) => {
                // reuse the strings already there
                values.truncate(items.len());
                for (i, item) in items.iter().enumerate() {
                    match values.get_mut(i) {
                        Some(value) => {
                            value.clear();
                            value.push_str(item);
                        }
                        None => values.push(item.clone()),
                    }
                }
            }
            _ => {
                context.insert(key.to_owned(), ContextValue::Multi(items.to_vec()));
            }
        },
        Cell::Absent => match shared.get(key) {
            Some(value) => {
                context.insert(key.to_owned(), value.clone());
            }
            None => {
                context.remove(key);
            }
        },
    }
}

/// One principal of a grid: its policy set, caller and context.
#[derive(Debug, Clone)]
pub struct GridRow {
    /// The principal's policy set.
    pub policy_set: PolicySet,
    /// The principal.
    pub caller: Caller,
    /// Its request context.
    pub context: Arc<Context>,
}

/// Decide every (principal, action, resource) of the product `principals × actions × resources`: one code
/// per cell in C order (principal-major), principals spread over `threads` threads.
///
/// # Errors
/// The first malformed action or resource (checked before any evaluation).
pub fn decide_grid(
    principals: &[GridRow],
    actions: &[&str],
    resources: &[&str],
    threads: Option<usize>,
) -> Result<Vec<u8>, RowError> {
    // check the columns once; a cell then cannot fail
    let probe = principals.first().map(|p| Request::for_caller(p.caller.clone(), Arc::clone(&p.context)));
    if let Some(mut probe) = probe {
        for (row, action) in actions.iter().enumerate() {
            probe.set_action(action).map_err(|message| RowError {
                column: Column::Actions,
                key: None,
                row,
                message,
            })?;
        }
        for (row, resource) in resources.iter().enumerate() {
            probe.set_resource(resource).map_err(|message| RowError {
                key: None,
                column: Column::Resources,
                row,
                message,
            })?;
        }
    }
    let cells = actions.len() * resources.len();
    let mut out = vec![0_u8; principals.len() * cells];
    if cells == 0 {
        return Ok(out);
    }
    run_chunks(&mut out, cells, threads, |first, part| {
        let Some(row) = principals.get(first / cells) else {
            return Ok(());
        };
        let mut request = Request::for_caller(row.caller.clone(), Arc::clone(&row.context));
        let mut slots = part.iter_mut();
        for action in actions {
            request.set_action(action).map_err(|message| {
                (first, RowError { column: Column::Actions, key: None, row: 0, message })
            })?;
            for resource in resources {
                request.set_resource(resource).map_err(|message| {
                    (first, RowError { column: Column::Resources, key: None, row: 0, message })
                })?;
                if let Some(slot) = slots.next() {
                    *slot = decision_code(row.policy_set.decide(&request));
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_str;
    use crate::request::read_principal;

    const POLICIES: &str = r#"{"identity": [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "ec2:DescribeInstances"], "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"}]}],
        "scps": [[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]]}"#;

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
            set.decide_batch(
                CallerRows::One(&caller),
                &action_col[..],
                &resource_col[..],
                ContextRows::One(&context),
                &[],
                threads,
            )
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
        let error = set.decide_batch(
            CallerRows::One(&caller),
            &bad[..],
            &resource_col[..],
            ContextRows::One(&context),
            &[],
            Some(2),
        );
        assert_eq!(error.map_err(|e| (e.column, e.row)), Err((Column::Actions, 7000)));
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
            let found = set.decide_batch(
                CallerRows::One(&caller),
                &actions[..],
                &resources[..],
                ContextRows::One(&shared),
                &columns,
                threads,
            );
            assert_eq!(found.as_deref(), Ok(&expected[..]));
        }
    }
}
