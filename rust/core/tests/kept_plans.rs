//! The action plans batch calls leave behind are kept for the next call on any thread, and bounded
//! (`iameval_core::batch::kept`). One test in its own test binary: the kept plans are process-wide, and
//! tests of the same binary run at the same time.

use std::sync::Arc;

use iameval_core::PolicySet;
use iameval_core::batch::{AccountRows, CallerRows, ContextRows, MAX_KEPT, Rows, Run, kept};
use iameval_core::json::parse_str;
use iameval_core::request::{Context, ContextValue, Request, read_principal};

fn set_of(actions: &str) -> PolicySet {
    let text = format!(
        r#"{{"identity": [{{"Statement": [
            {{"Effect": "Allow", "Action": {actions}, "Resource": "*",
              "Condition": {{"IpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}}},
            {{"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}}]}}]}}"#
    );
    let (Some(json), _) = parse_str(&text) else { unreachable!() };
    let Ok(set) = PolicySet::from_json(&json) else { unreachable!() };
    set
}

const ACTIONS: [&str; 5] =
    ["s3:GetObject", "s3:DeleteObject", "ec2:DescribeInstances", "kms:Decrypt", "s3:ListBucket"];

/// `decide_batch` over 10,000 rows on `threads` threads, run on a thread of its own (as a binding's watched
/// call is), and each row's decision by `decide` (the expected one).
fn decide_on_new_thread(set: &PolicySet, threads: usize) -> (Vec<u8>, Vec<u8>) {
    let Ok(caller) = read_principal("arn:aws:iam::111111111111:role/app") else { unreachable!() };
    let ips = ["203.0.113.9", "198.51.100.1"];
    let (mut actions, mut resources, mut contexts) = (Vec::new(), Vec::new(), Vec::new());
    for row in 0..10_000 {
        actions.push(ACTIONS.get(row % ACTIONS.len()).copied().unwrap_or_default());
        resources.push("arn:aws:s3:::bucket/key");
        let mut context = Context::default();
        let ip = ips.get(row % 7 % 2).copied().unwrap_or_default();
        context.insert("aws:sourceip".to_owned(), ContextValue::Single(ip.to_owned()));
        contexts.push(Arc::new(context));
    }
    let rows = Rows {
        callers: CallerRows::One(&caller),
        actions: &actions[..],
        resources: &resources[..],
        contexts: ContextRows::PerRow(&contexts),
        columns: &[],
        principal_accounts: AccountRows::Default,
        resource_accounts: AccountRows::Default,
    };
    let codes = std::thread::scope(|scope| {
        let call = scope.spawn(|| set.decide_batch(&rows, Run { threads: Some(threads), cancel: None }));
        call.join().ok().and_then(Result::ok).unwrap_or_default()
    });
    let expected = (0..actions.len())
        .map(|row| {
            let (Some(action), Some(resource), Some(context)) =
                (actions.get(row), resources.get(row), contexts.get(row))
            else {
                unreachable!()
            };
            let mut req = Request::for_caller(caller.clone(), Arc::clone(context));
            let (Ok(()), Ok(())) = (req.set_action(action), req.set_resource(resource)) else {
                unreachable!()
            };
            iameval_core::batch::decision_code(set.decide(&req))
        })
        .collect();
    (codes, expected)
}

#[test]
fn plans_are_kept_between_calls_on_any_thread_and_bounded() {
    let set = set_of(r#"["s3:*", "ec2:Describe*", "kms:Decrypt"]"#);
    assert_eq!(kept(&set), (0, 0));
    // a call on a thread that ends with it leaves its plans behind, for the next call on another thread
    let (first, expected) = decide_on_new_thread(&set, 1);
    assert_eq!(first, expected);
    assert!(first.contains(&0) && first.contains(&1) && first.contains(&2)); // implicit Deny, Allow, explicit Deny
    assert_eq!(kept(&set), (1, 1));
    let (again, _) = decide_on_new_thread(&set, 1);
    assert_eq!(again, expected); // the kept plans (and remembered answers) give the same decisions
    assert_eq!(kept(&set), (1, 1));
    // two worker threads: each chunk takes the set's plans when kept, else new ones
    let (two, _) = decide_on_new_thread(&set, 2);
    assert_eq!(two, expected);
    let (all, of_set) = kept(&set);
    assert!((1..=2).contains(&of_set) && all == of_set, "{all} kept, {of_set} of the set");
    // another set takes the kept plans (and resets them) rather than building new ones; never more than
    // MAX_KEPT are kept, whatever the number of sets
    let others: Vec<PolicySet> = (0..MAX_KEPT * 2).map(|_| set_of(r#""s3:Get*""#)).collect();
    for other in &others {
        let (codes, expected) = decide_on_new_thread(other, 2);
        assert_eq!(codes, expected);
        assert!(kept(other).1 >= 1);
        assert!(kept(other).0 <= MAX_KEPT);
    }
    let (codes, expected) = decide_on_new_thread(&set, 2);
    assert_eq!(codes, expected);
    assert!(kept(&set).1 >= 1);
}
