//! Criterion benchmarks of policy-set evaluation in the pure core (no Python):
//! `cargo bench -p iameval-core --bench evaluate` (`-- --quick` for a short run).
//!
//! The policy set is generated inline as JSON text and read the way the binding reads it
//! (`json::parse_str`, `PolicySet::from_json`): three identity policies (one with 60 wildcard statements over
//! 12 services, one with conditions and policy variables, one with a NotAction Deny), a permissions boundary
//! with conditions and three SCP levels (FullAWSAccess plus a region Deny, a protection Deny, a tag Deny).
//! Measured: building the set (parse + compile), `evaluate` (decision with its explanation) and `decide`
//! (decision only) for single requests of each outcome and for a batch of mixed requests (per request).
#![allow(missing_docs, reason = "criterion_main! generates an undocumented main")]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iameval_core::{Decision, Json, PolicySet, Request, json};

const ACCOUNT: &str = "111111111111";
const SERVICES: [&str; 12] =
    ["s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "kms", "logs", "iam", "rds", "ecr", "secretsmanager"];
const VERBS: [&str; 5] = ["Get*", "List*", "Describe*", "Put*", "Create*"];

/// One statement as JSON text.
fn statement(sid: &str, effect: &str, action: &str, resource: &str, condition: &str) -> String {
    let condition = if condition.is_empty() { String::new() } else { format!(r#","Condition":{condition}"#) };
    format!(r#"{{"Sid":"{sid}","Effect":"{effect}",{action},"Resource":{resource}{condition}}}"#)
}

fn policy(statements: &[String]) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","))
}

/// 60 Allow statements `service:Verb*` on team-scoped ARNs with `*` and `?`.
fn wide_identity_policy() -> String {
    let mut statements = Vec::new();
    for service in SERVICES {
        for verb in VERBS {
            let sid = format!("{}{}", service.replace('-', ""), verb.trim_end_matches('*'));
            let resource =
                format!(r#"["arn:aws:{service}:*:{ACCOUNT}:*team-?/*","arn:aws:{service}:::team-*"]"#);
            statements.push(statement(
                &sid,
                "Allow",
                &format!(r#""Action":"{service}:{verb}""#),
                &resource,
                "",
            ));
        }
    }
    policy(&statements)
}

fn conditional_identity_policy() -> String {
    policy(&[
        statement(
            "OwnHome",
            "Allow",
            r#""Action":["s3:GetObject*","s3:PutObject*","s3:DeleteObject"]"#,
            r#""arn:aws:s3:::corp-home/home/${aws:username}/*""#,
            r#"{"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#,
        ),
        statement(
            "TeamInstances",
            "Allow",
            r#""Action":["ec2:StartInstances","ec2:StopInstances"]"#,
            &format!(r#""arn:aws:ec2:*:{ACCOUNT}:instance/*""#),
            r#"{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"},
                "ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/ou-*/"]}}"#,
        ),
        statement(
            "OwnItems",
            "Allow",
            r#""Action":["dynamodb:GetItem","dynamodb:Query","dynamodb:PutItem"]"#,
            &format!(r#""arn:aws:dynamodb:*:{ACCOUNT}:table/orders*""#),
            r#"{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:username}"]},
                "DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
                "NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}"#,
        ),
    ])
}

fn deny_identity_policy() -> String {
    policy(&[statement(
        "OnlyOurServices",
        "Deny",
        r#""NotAction":["s3:*","ec2:*","dynamodb:*","lambda:*","sqs:*","kms:*","logs:*","sts:*"]"#,
        r#""*""#,
        "",
    )])
}

fn boundary() -> String {
    policy(&[
        statement(
            "Team",
            "Allow",
            r#""Action":"*""#,
            r#""*""#,
            r#"{"StringEquals":{"aws:PrincipalTag/team":["data","web"],"aws:RequestedRegion":["us-east-1","eu-west-1"]}}"#,
        ),
        statement(
            "MfaForDeletes",
            "Deny",
            r#""Action":["*:Delete*","ec2:Terminate*"]"#,
            r#""*""#,
            r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
        ),
    ])
}

fn scp_levels() -> String {
    let full = policy(&[statement("FullAWSAccess", "Allow", r#""Action":"*""#, r#""*""#, "")]);
    let regions = policy(&[statement(
        "DenyRegions",
        "Deny",
        r#""NotAction":["iam:*","sts:*","organizations:*","support:*"]"#,
        r#""*""#,
        r#"{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1","eu-central-1"]},
            "ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/BreakGlass"}}"#,
    )]);
    let protect = policy(&[statement(
        "ProtectLogs",
        "Deny",
        r#""Action":["logs:DeleteLogGroup","kms:ScheduleKeyDeletion","iam:DeleteRole*"]"#,
        r#""*""#,
        "",
    )]);
    let tags = policy(&[statement(
        "RequireProjectTag",
        "Deny",
        r#""Action":["ec2:RunInstances","ec2:CreateVolume"]"#,
        r#""*""#,
        r#"{"Null":{"aws:RequestTag/project":"true"}}"#,
    )]);
    format!("[[{full},{regions}],[{full},{protect}],[{full},{tags}]]")
}

/// The whole `policies` object (the shape of `PolicySet.from_vector`) as JSON text.
fn policies_json() -> String {
    format!(
        r#"{{"identity":[{},{},{}],"permission_boundary":{},"scps":{}}}"#,
        wide_identity_policy(),
        conditional_identity_policy(),
        deny_identity_policy(),
        boundary(),
        scp_levels()
    )
}

const PRINCIPAL: &str = "arn:aws:sts::111111111111:assumed-role/Engineer/alice";

/// Requests of every outcome: `(name, action, resource, region)`; the context is filled in by [`request_json`].
const REQUESTS: [(&str, &str, &str, &str); 8] = [
    ("allow wildcard", "s3:GetObject", "arn:aws:s3:::team-data/reports/2026.csv", "us-east-1"),
    ("allow condition+variable", "s3:PutObject", "arn:aws:s3:::corp-home/home/alice/notes.txt", "eu-west-1"),
    (
        "allow set operator",
        "dynamodb:Query",
        "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
        "us-east-1",
    ),
    (
        "implicit deny",
        "lambda:InvokeFunction",
        "arn:aws:lambda:us-east-1:111111111111:function:f",
        "us-east-1",
    ),
    (
        "explicit deny scp region",
        "ec2:StartInstances",
        "arn:aws:ec2:ap-south-1:111111111111:instance/i-1",
        "ap-south-1",
    ),
    (
        "explicit deny NotAction",
        "rds:DeleteDBInstance",
        "arn:aws:rds:us-east-1:111111111111:db:main",
        "us-east-1",
    ),
    ("explicit deny scp tag", "ec2:RunInstances", "*", "us-east-1"),
    ("implicit deny boundary", "s3:ListBucket", "arn:aws:s3:::team-data", "eu-central-1"),
];

fn request_json(action: &str, resource: &str, region: &str) -> String {
    let mut context = String::new();
    let _ = write!(
        context,
        r#""aws:username":"alice","aws:PrincipalTag/team":"data","aws:RequestedRegion":"{region}",
           "aws:SourceIp":"10.1.2.3","aws:SecureTransport":"true","aws:MultiFactorAuthPresent":"true",
           "aws:MultiFactorAuthAge":"120","aws:CurrentTime":"2026-06-01T12:00:00Z",
           "aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/ou-ab12-prod/"],"aws:ResourceTag/team":"data",
           "dynamodb:LeadingKeys":["alice"],"aws:PrincipalArn":"arn:aws:iam::{ACCOUNT}:role/Engineer""#
    );
    format!(
        r#"{{"principal":"{PRINCIPAL}","action":"{action}","resource":"{resource}","context":{{{context}}}}}"#
    )
}

#[expect(
    clippy::panic,
    reason = "benchmark setup: the inline JSON is valid; a failure is a bug in this file"
)]
fn parse(text: &str) -> Json {
    match json::parse_str(text) {
        (Some(value), errors) if errors.is_empty() => value,
        (_, errors) => panic!("invalid inline JSON: {errors:?}"),
    }
}

#[expect(clippy::panic, reason = "benchmark setup: the inline policies are valid")]
fn policy_set(text: &str) -> PolicySet {
    match PolicySet::from_json(&parse(text)) {
        Ok(ps) => ps,
        Err(error) => panic!("invalid inline policies: {error:?}"),
    }
}

#[expect(clippy::panic, reason = "benchmark setup: the inline requests are valid")]
fn requests() -> Vec<(&'static str, Request)> {
    REQUESTS
        .iter()
        .map(|&(name, action, resource, region)| {
            match Request::from_json(&parse(&request_json(action, resource, region))) {
                Ok(req) => (name, req),
                Err(error) => panic!("invalid inline request {name}: {error:?}"),
            }
        })
        .collect()
}

fn bench_build(c: &mut Criterion) {
    let text = policies_json();
    c.bench_function("build: parse + compile the policy set", |b| b.iter(|| policy_set(black_box(&text))));
}

fn bench_single(c: &mut Criterion) {
    let ps = policy_set(&policies_json());
    let mut group = c.benchmark_group("single request");
    for (name, req) in &requests() {
        group.bench_function(format!("evaluate {name}"), |b| b.iter(|| ps.evaluate(black_box(req))));
        group.bench_function(format!("decide {name}"), |b| b.iter(|| ps.decide(black_box(req))));
    }
    group.finish();
}

fn bench_batch(c: &mut Criterion) {
    let ps = policy_set(&policies_json());
    let reqs: Vec<Request> = requests().into_iter().map(|(_, req)| req).collect();
    let mut group = c.benchmark_group("mixed batch");
    group.throughput(Throughput::Elements(reqs.len() as u64));
    group.bench_function("evaluate", |b| {
        b.iter(|| {
            reqs.iter()
                .map(|req| ps.evaluate(black_box(req)).decision)
                .filter(|d| *d == Decision::Allow)
                .count()
        })
    });
    group.bench_function("decide", |b| {
        b.iter(|| reqs.iter().map(|req| ps.decide(black_box(req))).filter(|d| *d == Decision::Allow).count())
    });
    group.finish();
}

criterion_group!(benches, bench_build, bench_single, bench_batch);
criterion_main!(benches);
