"""A user's access-audit script, written the way a user of iameval would: it must pass ``mypy --strict``
against the installed package (``tests/test_typing.py``), with no ``type: ignore`` but the one a user needs
for pyarrow (it ships no type information), and it runs.

It uses every public name of ``iameval`` and of ``iameval.reference`` (the test checks that too), with
annotated assignments where a return type matters, so a stub that loses precision (an ``Any`` or a wrong
overload) fails the type check instead of passing silently.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from typing import Any

import iameval
import numpy
import numpy.typing
from iameval import reference

ACCOUNT = "111111111111"
APP_ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
AUDIT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/audit"

READ_DATA: iameval.PolicyDocument = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadData",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
        }
    ],
}
# JSON text is a policy document too
BOUNDARY: iameval.PolicyDocument = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
)
GUARDRAIL = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {
            "Sid": "DenyOutsideNetwork",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::data/secret/*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        },
    ],
}
BUCKET_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
    ],
}


def policy_sets() -> tuple[iameval.PolicySet, reference.PolicySet]:
    """The same policies in both engines."""
    scps: list[list[Mapping[str, Any]]] = [[GUARDRAIL]]
    app = iameval.PolicySet(
        identity=[READ_DATA],
        permission_boundary=BOUNDARY,
        scps=scps,
        resource=BUCKET_POLICY,
        s3_block_public_access={"RestrictPublicBuckets": True},
    )
    oracle = reference.PolicySet(
        identity=[READ_DATA],
        permission_boundary=BOUNDARY,
        scps=scps,
        resource=BUCKET_POLICY,
        s3_block_public_access={"RestrictPublicBuckets": True},
    )
    return app, oracle


def explain(result: iameval.Result) -> str:
    matched: tuple[iameval.MatchedStatement, ...] = result.matched
    labels = ", ".join(m.label() for m in matched)
    return f"{result.decision.value} by {result.decided_by} [{labels}] missing={list(result.missing_context_keys)}"


def check_one(app: iameval.PolicySet, oracle: reference.PolicySet) -> None:
    context: dict[str, str | list[str]] = {"aws:SourceIp": "192.0.2.7"}
    context.update(iameval.principal_context(APP_ROLE, tags={"team": "data"}))
    request = iameval.Request(APP_ROLE, "s3:GetObject", "arn:aws:s3:::data/secret/a.csv", context)
    result: iameval.Result = app.evaluate(request, trace=True)
    same: reference.Result = oracle.evaluate(
        reference.Request(APP_ROLE, "s3:GetObject", "arn:aws:s3:::data/secret/a.csv", context)
    )
    assert result.decision is iameval.Decision.EXPLICIT_DENY and not result.allowed
    assert same.decision == reference.Decision.EXPLICIT_DENY
    assert result.public_statements == (0,)  # RestrictPublicBuckets is in force: the bucket policy is public
    print(explain(result))
    if result.trace is not None:
        report: dict[str, Any] = result.trace.to_dict()
        print(len(report["layers"]), "layers traced")
    as_json: dict[str, Any] = result.to_dict()
    assert as_json["decision"] == "ExplicitDeny"
    again: iameval.PolicySet = pickle.loads(pickle.dumps(app))
    assert again.evaluate(request).decision == result.decision
    first: iameval.MatchedStatement = result.matched[0]
    ref_first: reference.MatchedStatement = same.matched[0]
    assert (first.policy_type, first.level, first.sid) == (ref_first.policy_type, 0, "DenyOutsideNetwork")
    bad = {"principal": APP_ROLE, "action": "GetObject"}
    try:
        app.evaluate(bad)
    except iameval.RequestError as error:
        print("request rejected:", [e["pointer"] for e in error.errors()])
    try:
        oracle.evaluate(bad)
    except reference.RequestError as error:
        assert isinstance(error, reference.IamEvalError)


def audit_columns(app: iameval.PolicySet) -> None:
    actions = numpy.array(["s3:GetObject", "s3:GetObject", "s3:PutObject", "s3:ListBucket"])
    resources = [
        "arn:aws:s3:::data/a.csv",
        "arn:aws:s3:::data/secret/b.csv",
        "arn:aws:s3:::data/a.csv",
        "arn:aws:s3:::data",
    ]
    source_ips: list[str | None] = ["192.0.2.7", "192.0.2.7", "10.1.2.3", None]
    codes: numpy.typing.NDArray[numpy.uint8] = app.decide_many(
        actions, resources, principal=APP_ROLE, context_columns={"aws:SourceIp": source_ips}, threads=1
    )
    counts = numpy.bincount(codes, minlength=3)
    print("allowed:", int(counts[1]), "explicitly denied:", int(counts[2]))
    decisions: list[iameval.Decision] = app.decide_many(
        actions,
        resources,
        principals=[APP_ROLE] * len(resources),
        contexts=[{"aws:SourceIp": ip} if ip else None for ip in source_ips],
        resource_accounts=ACCOUNT,
        as_list=True,
    )
    assert decisions == [iameval.DECISION_CODES[int(c)] for c in codes]
    as_list = len(resources) < 10
    either: numpy.typing.NDArray[numpy.uint8] | list[iameval.Decision] = app.decide_many(
        actions, resources, principal=APP_ROLE, as_list=as_list
    )
    assert len(either) == len(resources)
    try:
        import pyarrow  # type: ignore[import-untyped, unused-ignore]  # pyarrow ships no type information
    except ImportError:
        pass
    else:
        arrow_codes: numpy.typing.NDArray[numpy.uint8] = app.decide_many(
            pyarrow.array(actions.tolist()), pyarrow.chunked_array([resources]), principal=APP_ROLE
        )
        assert arrow_codes.tolist() == app.decide_many(actions, resources, principal=APP_ROLE).tolist()


def audit_grid(app: iameval.PolicySet) -> None:
    list_all = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}],
    }
    auditor = iameval.PolicySet(identity=[list_all])
    sets: Sequence[iameval.PolicySet] = [app, auditor]
    principals = [APP_ROLE, AUDIT_ROLE]
    actions = ("s3:GetObject", "s3:ListBucket")
    resources = ["arn:aws:s3:::data", "arn:aws:s3:::data/a.csv", "arn:aws:s3:::logs"]
    grid: numpy.typing.NDArray[numpy.uint8] = iameval.evaluate_grid(
        sets, principals, actions, resources, principal_accounts=[ACCOUNT, None], threads=2
    )
    assert grid.shape == (len(principals), len(actions), len(resources))
    flat: list[iameval.Decision] = iameval.evaluate_grid(sets, principals, actions, resources, as_list=True)
    assert flat[0] is iameval.DECISION_CODES[int(grid[0, 0, 0])]
    results: list[iameval.Result] = app.evaluate_many(
        [{"principal": AUDIT_ROLE, "action": a, "resource": r} for a in actions for r in resources], threads=2
    )
    print("grid allows:", int((grid == 1).sum()), "of", grid.size, "-", len(results), "full results")


def validate_all(documents: Mapping[str, iameval.PolicyDocument]) -> int:
    problems = 0
    kinds: tuple[iameval.PolicyKind, ...] = iameval.KINDS
    assert kinds == reference.KINDS
    for name, document in documents.items():
        kind: reference.PolicyKind = "resource" if name.startswith("bucket") else "identity"
        errors = iameval.validate_policy(document, kind=kind)
        assert errors == reference.validate_policy(document, kind=kind)
        for error in errors:
            print(f"{name}: {error['pointer']}: {error['message']}")
        problems += len(errors)
    try:
        iameval.PolicySet(identity=[{"Version": "2012-10-17", "Statement": []}], scps=[[b"{"]])
    except iameval.PolicyError as error:
        problems += len(error.errors())
    try:
        reference.PolicySet(session="not json")
    except reference.PolicyError as error:
        assert isinstance(error, iameval.IamEvalError)
    return problems


def public_buckets(documents: Mapping[str, reference.PolicyDocument]) -> list[str]:
    """The bucket policies that are public (R20c), and why."""
    public = [name for name, doc in documents.items() if iameval.is_public(doc)]
    assert public == [name for name, doc in documents.items() if reference.is_public(doc)]
    for name in public:
        statements: tuple[int, ...] = iameval.public_statements(documents[name])
        assert statements == reference.public_statements(documents[name])
    return public


def main() -> None:
    print("iameval", iameval.__version__)
    app, oracle = policy_sets()
    check_one(app, oracle)
    audit_columns(app)
    audit_grid(app)
    documents: dict[str, iameval.PolicyDocument] = {
        "read-data": READ_DATA,
        "boundary": BOUNDARY,
        "bucket-data": BUCKET_POLICY,
        "broken": b'{"Version": "2012-10-17", "Statement": {"Effect": "Maybe"}}',
    }
    print(validate_all(documents), "problems")
    private_bucket = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": AUDIT_ROLE},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::logs/*",
            }
        ],
    }
    buckets = {"data": BUCKET_POLICY, "logs": private_bucket}
    print("public buckets:", public_buckets(buckets))
    rcp_covered: frozenset[str] = iameval.RCP_SERVICES
    assert "s3" in rcp_covered and rcp_covered == reference.RCP_SERVICES
    print(reference.principal_context(AUDIT_ROLE)["aws:PrincipalType"])
    print(lint_report(BUCKET_POLICY))
    print(catalog_report(["s3:GetObject*", "s3:PutBucketPolicy"]))


def catalog_report(patterns: Sequence[str]) -> list[str]:
    """The actions the patterns grant, with their access level, from AWS's catalog."""
    catalog: iameval.Catalog = iameval.default_catalog()
    lines: list[str] = []
    for name in sorted({a for p in patterns for a in catalog.expand(p)}):
        action = catalog.action(name)
        if action is not None:
            lines.append(f"{action.full_name} {action.access_level}")
    try:
        iameval.Catalog.from_directory("/nonexistent/catalog")
    except iameval.CatalogError as error:
        assert error.kind == "io" and error.pointer == ""
    return lines


def lint_report(document: iameval.PolicyDocument) -> list[str]:
    """Lint a bucket policy; keep what is at least a warning, as ``LINE:COL CODE`` lines."""
    findings: list[iameval.Finding] = iameval.lint(document, "resource", file="bucket.json")
    threshold: iameval.Severity = iameval.Severity.parse("warning")
    lines = []
    for finding in findings:
        if finding.severity.rank >= threshold.rank and finding.span is not None:
            lines.append(f"{finding.span.start.line}:{finding.span.start.column} {finding.code}")
    return lines


if __name__ == "__main__":
    main()
