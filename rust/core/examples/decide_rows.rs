//! The pure core deciding exported rows (`benches/export_rows.py`), for timing and profiling without Python:
//!
//! ```text
//! python benches/export_rows.py W1 /tmp/w1.jsonl
//! cargo run --release -p iameval-core --example decide_rows -- /tmp/w1.jsonl [repeats]
//! BATCH=1 valgrind --tool=callgrind --toggle-collect='*decide_batch*' target/release/examples/decide_rows /tmp/w1.jsonl 1
//! ```
//!
//! Prints the decision mix and the best nanoseconds per decision over `repeats` passes; under callgrind,
//! the instructions counted in `decide_all` divided by the number of rows are the instructions per decision.
//! `decide_all` decides each request with [`PolicySet::decide`] (`PLANS=1`: with per-action plans); with
//! `BATCH=1` it is one `decide_batch` call on one thread per pass, every context key a column, as
//! `decide_many(..., context_columns=...)` runs once the Python columns are read (requests must share one
//! principal).

use std::time::Instant;

use std::sync::Arc;

use iameval_core::authorize::Plans;
use iameval_core::batch::{AccountRows, CallerRows, ContextRows, KeyColumn, Rows, Run};
use iameval_core::request::{Caller, Context, ContextValue};
use iameval_core::{Decision, Json, PolicySet, Request};

/// The requests as batch columns: actions, resources, one column per context key.
struct Columns {
    actions: Vec<String>,
    resources: Vec<String>,
    keys: Vec<(String, Vec<Option<String>>)>,
}

impl Columns {
    fn of(requests: &[Request]) -> Self {
        let mut names: Vec<&String> = requests.iter().flat_map(|r| r.context.keys()).collect();
        names.sort();
        names.dedup();
        let keys = names
            .into_iter()
            .map(|key| {
                let cells = requests
                    .iter()
                    .map(|r| match r.context.get(key) {
                        Some(ContextValue::Single(text)) => Some(text.clone()),
                        _ => None,
                    })
                    .collect();
                (key.clone(), cells)
            })
            .collect();
        Self {
            actions: requests.iter().map(|r| r.action.clone()).collect(),
            resources: requests.iter().map(|r| r.resource.clone()).collect(),
            keys,
        }
    }
}

#[inline(never)]
fn decide_batch(set: &PolicySet, caller: &Caller, columns: &Columns, counts: &mut [u64; 3]) {
    let key_columns: Vec<KeyColumn<'_>> =
        columns.keys.iter().map(|(key, cells)| KeyColumn { key, column: cells }).collect();
    let empty = Arc::new(Context::default());
    let rows = Rows {
        callers: CallerRows::One(caller),
        actions: &columns.actions[..],
        resources: &columns.resources[..],
        contexts: ContextRows::One(&empty),
        columns: &key_columns,
        principal_accounts: AccountRows::Default,
        resource_accounts: AccountRows::Default,
    };
    let codes = set.decide_batch(&rows, Run { threads: Some(1), cancel: None }).unwrap_or_default();
    for code in codes {
        // decision codes: 0 ImplicitDeny, 1 Allow, 2 ExplicitDeny
        let slot = match code {
            1 => 0,
            2 => 1,
            _ => 2,
        };
        if let Some(count) = counts.get_mut(slot) {
            *count += 1;
        }
    }
}

#[inline(never)]
fn decide_all(set: &PolicySet, requests: &[Request], counts: &mut [u64; 3], plans: Option<&mut Plans>) {
    let mut plans = plans;
    for request in requests {
        let decision = match plans.as_deref_mut() {
            Some(plans) => set.decide_planned(request, plans),
            None => set.decide(request),
        };
        let slot = match decision {
            Decision::Allow => 0,
            Decision::ExplicitDeny => 1,
            Decision::ImplicitDeny => 2,
        };
        if let Some(count) = counts.get_mut(slot) {
            *count += 1;
        }
    }
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: decide_rows FILE.jsonl [repeats]")?;
    let repeats: u32 = args.next().map_or(Ok(5), |r| r.parse()).map_err(|e| format!("repeats: {e}"))?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines().enumerate().map(|(i, line)| {
        let (doc, errors) = iameval_core::json::parse_str(line);
        doc.ok_or_else(|| format!("{path}:{}: {errors:?}", i + 1))
    });
    let policies: Json = lines.next().ok_or("an empty file")??;
    let set = PolicySet::from_json(&policies).map_err(|e| e.to_string())?;
    let requests = lines
        .map(|doc| Request::from_json(&doc?).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut best = f64::INFINITY;
    let mut counts = [0_u64; 3];
    let flag = |name: &str| std::env::var_os(name).is_some_and(|v| v != "0");
    let planned = flag("PLANS");
    let mut plans = Plans::default();
    let batch = flag("BATCH").then(|| Columns::of(&requests));
    let caller = requests.first().map(|r| r.caller.clone()).ok_or("no requests")?;
    for _ in 0..repeats {
        counts = [0; 3];
        let start = Instant::now();
        match &batch {
            Some(columns) => decide_batch(&set, &caller, columns, &mut counts),
            None => decide_all(&set, &requests, &mut counts, planned.then_some(&mut plans)),
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    #[allow(clippy::cast_precision_loss)]
    let per = best * 1e9 / requests.len().max(1) as f64;
    let [allow, deny, implicit] = counts;
    println!(
        "{} requests: Allow {allow}, ExplicitDeny {deny}, ImplicitDeny {implicit}; best of {repeats}: {per:.0} ns/decision ({:.0} decisions/s)",
        requests.len(),
        1e9 / per
    );
    Ok(())
}
