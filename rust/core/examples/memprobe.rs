//! Bytes kept on the heap by compiled policy sets, counted by a counting global allocator (requested bytes:
//! malloc adds ~16 bytes per allocation): `cargo run --release -p iameval-core --example memprobe -- [DIR]
//! [N]` builds one set per policy file of DIR (default `../shared/data/aws-managed-policies`; the first N by
//! name, default 1,000) and prints the bytes and allocations still held per set, for the parsed JSON alone
//! and for the compiled set, the sizes of the compiled types, and a few synthetic sets (issue 12: memory
//! per compiled managed policy).

use std::path::PathBuf;

use iameval_core::PolicySet;
use iameval_core::json::{Json, parse_str};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/aws-managed-policies".to_owned()));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    let texts: Vec<String> = files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).take(n).collect();
    let docs: Vec<Json> = texts.iter().filter_map(|t| parse_str(t).0).collect();
    let mut kept_json: Vec<Json> = Vec::with_capacity(docs.len());
    let json = allocation_counter::measure(|| {
        for text in &texts {
            if let Some(doc) = parse_str(text).0 {
                kept_json.push(doc);
            }
        }
    });
    let mut kept_sets: Vec<PolicySet> = Vec::with_capacity(docs.len());
    let sets = allocation_counter::measure(|| {
        for doc in &docs {
            let identity = Json::Array(vec![doc.clone()]);
            if let Ok(set) = PolicySet::new([Some(&identity), None, None, None, None, None, None, None]) {
                kept_sets.push(set);
            }
        }
    });
    let count = kept_sets.len().max(1);
    println!(
        "sizes: Statement {} Clause {} ResourceEntry {} Policy {} PrincipalSpec {} ActionIndex {}",
        size_of::<iameval_core::policy::Statement>(),
        size_of::<iameval_core::condition::Clause>(),
        size_of::<iameval_core::policy::ResourceEntry>(),
        size_of::<iameval_core::policy::Policy>(),
        size_of::<iameval_core::policy::PrincipalSpec>(),
        size_of::<iameval_core::action_index::ActionIndex>(),
    );
    println!("empty identity list: {} bytes", kept("[]"));
    println!(
        "one statement, 1 action: {} bytes",
        kept(
            r#"[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}]"#
        )
    );
    let many: Vec<String> = (0..100).map(|i| format!("s3:GetThing{i}")).collect();
    println!("one statement, 100 actions: {} bytes", kept(&one_statement(&many)));
    let globs: Vec<String> = (0..100).map(|i| format!("s{i}:Get*")).collect();
    println!("one statement, 100 globs: {} bytes", kept(&one_statement(&globs)));
    println!(
        "{} policies ({} bytes of JSON each): parsed JSON kept {} bytes each ({} allocations); compiled set kept {} bytes each ({} allocations)",
        count,
        texts.iter().map(String::len).sum::<usize>() / count,
        json.bytes_current / count as i64,
        json.count_current / count as i64,
        sets.bytes_current / count as i64,
        sets.count_current / count as i64,
    );
}

/// The bytes kept by a set built from `policies` (a JSON text of the `identity` list).
fn kept(policies: &str) -> i64 {
    let Some(identity) = parse_str(policies).0 else { return -1 };
    let mut keep = Vec::new();
    let info = allocation_counter::measure(|| {
        if let Ok(set) = PolicySet::new([Some(&identity), None, None, None, None, None, None, None]) {
            keep.push(set);
        }
    });
    info.bytes_current
}

/// An identity list of one policy with one Allow statement of these actions on `*`.
fn one_statement(actions: &[String]) -> String {
    let quoted: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"[{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}]"#,
        quoted.join(",")
    )
}
