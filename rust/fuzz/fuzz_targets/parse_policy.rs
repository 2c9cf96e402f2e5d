//! Arbitrary bytes through the strict JSON reader, the policy grammar of every kind, `PolicySet` building
//! and request evaluation. Property: nothing panics (errors are fine).
//!
//! Input shape (seeded from the test vectors, one vector line per file): a JSON document. The whole document
//! is validated as a policy of every kind; when it is an object with `policies` (resp. `request`), those are
//! used to build a `PolicySet` and evaluate the request, otherwise the document itself is tried as the
//! `policies` object and as the request.
#![no_main]

use iameval_core::json::parse_bytes;
use iameval_core::policy::read_policy;
use iameval_core::{Json, Kind, PolicySet, validate_policy};
use libfuzzer_sys::fuzz_target;

fn default_request() -> Json {
    let s = |v: &str| Json::String(v.to_owned());
    Json::Object(vec![
        ("principal".to_owned(), s("arn:aws:iam::111111111111:user/alice")),
        ("action".to_owned(), s("s3:GetObject")),
        ("resource".to_owned(), s("arn:aws:s3:::bucket/key")),
        ("resource_account".to_owned(), s("111111111111")),
    ])
}

fn try_policies(policies: &Json, requests: &[&Json]) {
    if let Ok(set) = PolicySet::from_json(policies) {
        let _ = set.summary();
        for request in requests {
            if let Ok(evaluation) = set.evaluate_json(request) {
                let _ = format!("{evaluation:?}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (doc, errors) = parse_bytes(data);
    for error in &errors {
        let _ = format!("{error:?}");
    }
    let Some(doc) = doc else { return };

    for kind in Kind::ALL {
        for error in validate_policy(&doc, kind) {
            let _ = format!("{error:?}");
        }
        let _ = read_policy(&doc, kind, "fuzz");
    }

    let default = default_request();
    let mut requests: Vec<&Json> = vec![&default, &doc];
    if let Some(request) = doc.get("request") {
        requests.insert(0, request);
    }
    match doc.get("policies") {
        Some(policies) => {
            // Each policy value under each key as every kind (catches kind-specific grammar paths).
            if let Json::Object(pairs) = policies {
                for (_, value) in pairs {
                    let items: Vec<&Json> = match value {
                        Json::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        for kind in Kind::ALL {
                            let _ = validate_policy(item, kind);
                        }
                    }
                }
            }
            try_policies(policies, &requests);
        }
        None => try_policies(&doc, &requests),
    }
});
