//! Parity with the pure-Python reference: every test vector of the project (`tests/vectors/*.jsonl`) and of
//! the shared conformance suite (`../shared/conformance/*.jsonl`, skipped when absent) must get its expected
//! decision, and every grammar-error vector must fail naming the expected policy (with exactly the expected
//! messages when the vector lists them).

use std::fs;
use std::path::{Path, PathBuf};

use iameval_core::json::parse_str;
use iameval_core::{Json, PolicySet, Request};

fn jsonl_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect();
    files.sort();
    files
}

fn cases(file: &Path) -> Vec<Json> {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| parse_str(line).0.unwrap_or(Json::Null))
        .collect()
}

fn text<'a>(case: &'a Json, key: &str) -> &'a str {
    case.get(key).and_then(Json::as_str).unwrap_or("")
}

/// Run the decision vectors of `files`; return (passed, failures).
fn run(files: &[PathBuf]) -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    for file in files {
        for case in cases(file) {
            let id = text(&case, "id").to_owned();
            let expected = text(&case, "expected");
            let outcome = case
                .get("policies")
                .ok_or_else(|| "no policies".to_owned())
                .and_then(|p| PolicySet::from_json(p).map_err(|e| e.to_string()))
                .and_then(|set| {
                    let request = Request::from_json(case.get("request").unwrap_or(&Json::Null))
                        .map_err(|e| e.to_string())?;
                    Ok((set.evaluate(&request), set.decide(&request)))
                });
            match outcome {
                Ok((evaluation, decided)) if decided != evaluation.decision => failures.push(format!(
                    "{id}: decide() says {} but evaluate() {}",
                    decided.as_str(),
                    evaluation.decision.as_str()
                )),
                Ok((evaluation, _)) if evaluation.decision.as_str() == expected => passed += 1,
                Ok((evaluation, _)) => failures.push(format!(
                    "{id}: expected {expected}, got {} ({})",
                    evaluation.decision.as_str(),
                    evaluation.decided_by
                )),
                Err(error) => failures.push(format!("{id}: error {error}")),
            }
        }
    }
    (passed, failures)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn project_vectors_match_the_reference() {
    let (passed, failures) = run(&jsonl_files(&root().join("tests/vectors")));
    assert!(failures.is_empty(), "{passed} passed, {} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed >= 700, "only {passed} vectors found");
}

#[test]
fn shared_conformance_vectors_match() {
    let dir = root().join("../shared/conformance");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let (passed, failures) = run(&jsonl_files(&dir));
    assert!(failures.is_empty(), "{passed} passed, {} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed >= 1500, "only {passed} vectors found");
}

#[test]
fn grammar_error_vectors_fail_naming_the_policy() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in jsonl_files(&root().join("tests/vectors/errors")) {
        for case in cases(&file) {
            checked += 1;
            let id = text(&case, "id");
            let policy = text(&case, "error_policy");
            // `error_messages`, when the case has it: the message of every error, in order
            let messages: Option<Vec<&str>> = match case.get("error_messages") {
                Some(Json::Array(items)) => Some(items.iter().map(|m| m.as_str().unwrap_or("")).collect()),
                _ => None,
            };
            match PolicySet::from_json(case.get("policies").unwrap_or(&Json::Null)) {
                Ok(_) => failures.push(format!("{id}: accepted")),
                Err(error) if !error.entries().iter().any(|e| e.policy == policy) => {
                    failures.push(format!("{id}: no error names `{policy}`: {error}"));
                }
                Err(error) => {
                    let got: Vec<&str> = error.entries().iter().map(|e| e.message.as_str()).collect();
                    if messages.as_ref().is_some_and(|want| *want != got) {
                        failures.push(format!("{id}: messages {got:?}, expected {messages:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 20, "only {checked} error vectors found");
}

/// Full parity (decision, `decided_by`, `matched`, `missing_context_keys`) with results written by the
/// reference: set `IAMEVAL_REFERENCE_RESULTS` to a JSONL file of `{"id", "result": Result.to_dict()}` lines
/// (see `rust/core/README` notes in the crate docs); skipped when unset.
#[test]
fn full_results_match_reference_dump() {
    let Ok(dump) = std::env::var("IAMEVAL_REFERENCE_RESULTS") else {
        return;
    };
    let mut expected = std::collections::HashMap::new();
    for case in cases(Path::new(&dump)) {
        expected.insert(text(&case, "id").to_owned(), case.get("result").cloned().unwrap_or(Json::Null));
    }
    let mut files = jsonl_files(&root().join("tests/vectors"));
    files.extend(jsonl_files(&root().join("../shared/conformance")));
    let (mut compared, mut failures) = (0, Vec::new());
    for file in files {
        for case in cases(&file) {
            let id = text(&case, "id");
            let Some(want) = expected.get(id) else {
                continue;
            };
            compared += 1;
            let got = case
                .get("policies")
                .and_then(|p| PolicySet::from_json(p).ok())
                .and_then(|set| set.evaluate_json(case.get("request").unwrap_or(&Json::Null)).ok())
                .map(|evaluation| evaluation.to_json());
            if got.as_ref() != Some(want) {
                failures.push(format!("{id}:\n  want {want:?}\n  got  {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{compared} compared, {} differ:\n{}", failures.len(), failures.join("\n"));
    assert!(compared > 0, "no case of the dump was found");
}

/// Error parity with the reference: set `IAMEVAL_REFERENCE_ERRORS` to a JSONL file of
/// `{"id", "policies", "errors": [[type, policy, pointer], ...]}` lines written by the reference
/// (`PolicySet.from_vector(policies)`); every error list must be the same, in the same order.
#[test]
fn policy_errors_match_reference_dump() {
    let Ok(dump) = std::env::var("IAMEVAL_REFERENCE_ERRORS") else {
        return;
    };
    let mut failures = Vec::new();
    let all = cases(Path::new(&dump));
    for case in &all {
        let id = text(case, "id");
        let want: Vec<String> = match case.get("errors") {
            Some(Json::Array(items)) => items.iter().map(|e| format!("{e:?}")).collect(),
            _ => Vec::new(),
        };
        let got: Vec<String> = match PolicySet::from_json(case.get("policies").unwrap_or(&Json::Null)) {
            Ok(_) => Vec::new(),
            Err(error) => error
                .entries()
                .iter()
                .map(|e| {
                    let entry = Json::Array(vec![
                        Json::String(e.kind.as_str().to_owned()),
                        Json::String(e.policy.clone()),
                        Json::String(e.pointer()),
                    ]);
                    format!("{entry:?}")
                })
                .collect(),
        };
        if got != want {
            failures.push(format!("{id}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} cases, {} differ:\n{}", all.len(), failures.len(), failures.join("\n"));
}
