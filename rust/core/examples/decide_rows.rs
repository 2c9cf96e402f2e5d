//! The pure core deciding exported rows (`benches/export_rows.py`), for timing and profiling without Python:
//!
//! ```text
//! python benches/export_rows.py W1 /tmp/w1.jsonl
//! cargo run --release -p iameval-core --example decide_rows -- /tmp/w1.jsonl [repeats]
//! valgrind --tool=callgrind --toggle-collect='*decide_all*' target/release/examples/decide_rows /tmp/w1.jsonl 1
//! ```
//!
//! Prints the decision mix and the best nanoseconds per decision over `repeats` passes; under callgrind,
//! the instructions counted in `decide_all` divided by the number of rows are the instructions per decision.

use std::time::Instant;

use iameval_core::authorize::Plans;
use iameval_core::{Decision, Json, PolicySet, Request};

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
    let planned = std::env::var_os("PLANS").is_some_and(|v| v != "0");
    let mut plans = Plans::default();
    for _ in 0..repeats {
        counts = [0; 3];
        let start = Instant::now();
        decide_all(&set, &requests, &mut counts, planned.then_some(&mut plans));
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
