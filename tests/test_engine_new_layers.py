"""The Rust engine's API for issue 8's layers, against the reference: VPC endpoint policies (R20b), S3 Block
Public Access and `is_public` (R20c), the RCP service table (R16), and pickling of sets that use them.

The rules themselves are pinned by the vectors (`tests/vectors/r20b_*.jsonl`, `r20c_*.jsonl`, run by both
engines) and by the reference's rule tests; this file checks what only the binding can get wrong.
"""

from __future__ import annotations

import enum
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import iameval
import iameval.reference as reference
from iameval import Decision, PolicyError

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "resource-policies"

BUCKET = "arn:aws:s3:::bkt"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": f"{BUCKET}/*"},
        {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"},
    ],
}
ENDPOINT = {
    "Statement": [
        {"Sid": "Reads", "Effect": "Allow", "Principal": "*", "Action": "s3:Get*", "Resource": "*"},
        {"Sid": "NoSecrets", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": f"{BUCKET}/secret/*"},
    ]
}
OUTSIDER = {"principal": "arn:aws:iam::222222222222:user/bob", "resource_account": "111111111111"}
IDENTITY = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]


def both(**policies: Any) -> tuple[Any, Any]:
    return iameval.PolicySet(**policies), reference.PolicySet(**policies)


def request(action: str, key: str, **fields: Any) -> dict[str, Any]:
    return {"action": action, "resource": f"{BUCKET}/{key}", **OUTSIDER, **fields}


def test_r16_rcp_services_is_the_core_table() -> None:
    assert isinstance(iameval.RCP_SERVICES, frozenset)
    assert iameval.RCP_SERVICES == reference.authorize.RCP_SERVICES
    assert {"s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb", "ecr", "logs"} <= iameval.RCP_SERVICES
    assert "iam" not in iameval.RCP_SERVICES  # sts:AssumeRole is keyed by its action's service


def test_r16_rcp_deny_on_dynamodb_applies_in_both_engines() -> None:
    rcp = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "dynamodb:*", "Resource": "*"}]}
    req = {"principal": "arn:aws:iam::111111111111:user/a", "action": "dynamodb:GetItem",
           "resource": "arn:aws:dynamodb:us-east-1:111111111111:table/t"}
    for ps in both(identity=IDENTITY, rcps=[[rcp]]):
        result = ps.evaluate(req)
        assert (result.decision, result.decided_by) == (Decision.EXPLICIT_DENY, "rcp")


def test_r20b_endpoint_layer_in_results_of_both_engines() -> None:
    rust, ref = both(identity=IDENTITY, vpc_endpoint=ENDPOINT)
    same = {"principal": "arn:aws:iam::111111111111:user/a"}
    cases = [
        (request("s3:GetObject", "k", **same), Decision.ALLOW, "identity"),
        (request("s3:PutObject", "k", **same), Decision.IMPLICIT_DENY, "vpc_endpoint"),
        (request("s3:GetObject", "secret/k", **same), Decision.EXPLICIT_DENY, "vpc_endpoint"),
    ]
    for req, decision, decided_by in cases:
        got = rust.evaluate(req)
        assert (got.decision, got.decided_by) == (decision, decided_by)
        assert got == ref.evaluate(req)
        assert got.to_dict() == ref.evaluate(req).to_dict()
    allowed = rust.evaluate(cases[0][0])
    assert [m.label() for m in allowed.matched] == ["vpc_endpoint#0 (Reads) Allow", "identity[0]#0 Allow"]
    codes = rust.decide_many([c[0]["action"] for c in cases], [c[0]["resource"] for c in cases],
                             principal=same["principal"], as_list=True)
    assert codes == [c[1] for c in cases]


def test_r20b_endpoint_policy_errors_are_located() -> None:
    bad = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}  # no Principal
    for cls in (iameval.PolicySet, reference.PolicySet):
        with pytest.raises(PolicyError) as info:
            cls(vpc_endpoint=bad)
        assert {e["policy"] for e in info.value.errors()} == {"vpc_endpoint"}
    rust_errors = _errors(iameval.PolicySet, vpc_endpoint=bad)
    assert rust_errors == _errors(reference.PolicySet, vpc_endpoint=bad)


def _errors(cls: Any, **policies: Any) -> list[Any]:
    with pytest.raises(PolicyError) as info:
        cls(**policies)
    return info.value.errors()


@pytest.mark.parametrize(
    "setting",
    ["yes", 1, [True], {"RestrictPublicBuckets": 1}, {"Restrict": True}, {"RestrictPublicBuckets": None}],
)
def test_r20c_bad_settings_raise_the_same_errors(setting: Any) -> None:
    assert _errors(iameval.PolicySet, s3_block_public_access=setting) == _errors(
        reference.PolicySet, s3_block_public_access=setting
    )


@pytest.mark.parametrize(
    "setting",
    [True, {"RestrictPublicBuckets": True}, {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                             "BlockPublicPolicy": True, "RestrictPublicBuckets": True}],
)
def test_r20c_restrict_public_buckets_in_both_engines(setting: Any) -> None:
    rust, ref = both(identity=IDENTITY, resource=PUBLIC_READ, s3_block_public_access=setting)
    outsider = request("s3:GetObject", "k")
    anonymous = request("s3:GetObject", "k", principal="anonymous")
    insider = request("s3:GetObject", "k", principal="arn:aws:iam::111111111111:user/a")
    for req, decision, decided_by in [
        (outsider, Decision.IMPLICIT_DENY, "s3_block_public_access"),
        (anonymous, Decision.IMPLICIT_DENY, "s3_block_public_access"),
        (insider, Decision.ALLOW, "identity"),
        (request("s3:DeleteObject", "k"), Decision.EXPLICIT_DENY, "resource"),
    ]:
        got = rust.evaluate(req)
        assert (got.decision, got.decided_by) == (decision, decided_by), req
        assert got.public_statements == (1,)
        assert got == ref.evaluate(req)
        assert got.to_dict() == ref.evaluate(req).to_dict()
    off = iameval.PolicySet(resource=PUBLIC_READ, s3_block_public_access=False)
    assert off.evaluate(anonymous).decision is Decision.ALLOW
    assert off.evaluate(anonymous).public_statements == ()


def test_r20c_is_public_agrees_with_the_reference_on_real_bucket_policies() -> None:
    files = sorted((SHARED / "s3").rglob("*.json")) if SHARED.is_dir() else []
    if not files:
        pytest.skip("../shared/data/resource-policies is absent")
    checked = 0
    for path in files:
        doc = json.loads(path.read_text())
        try:
            expected = reference.public_statements(doc)
        except PolicyError:
            with pytest.raises(PolicyError):
                iameval.public_statements(doc)
            continue
        assert iameval.public_statements(doc) == expected, path.name
        assert iameval.is_public(doc) == reference.is_public(doc) == bool(expected)
        checked += 1
    assert checked > 40


def test_r20c_is_public_rejects_invalid_policies_like_the_reference() -> None:
    for bad in ({"Statement": [{"Effect": "Allow"}]}, "{", 3):
        with pytest.raises(PolicyError) as rust_info:
            iameval.is_public(bad)
        with pytest.raises(PolicyError) as ref_info:
            reference.is_public(bad)
        assert rust_info.value.errors() == ref_info.value.errors()


def test_new_layers_survive_pickle_and_show_in_repr() -> None:
    for setting in (True, False, {"RestrictPublicBuckets": True, "BlockPublicAcls": False}):
        rust, ref = both(resource=PUBLIC_READ, vpc_endpoint=ENDPOINT, s3_block_public_access=setting)
        restored = pickle.loads(pickle.dumps(rust))
        assert repr(restored) == repr(rust) == repr(ref)
        assert "vpc_endpoint=True" in repr(rust)
        for req in (request("s3:GetObject", "k"), request("s3:GetObject", "secret/k")):
            assert restored.evaluate(req) == rust.evaluate(req) == ref.evaluate(req)
    assert repr(iameval.PolicySet()) == repr(reference.PolicySet())


class Limit(enum.IntEnum):
    TEN = 10


def test_pickle_of_a_set_built_with_an_int_enum() -> None:
    """Regression (issue 8): an IntEnum condition value made the set unpicklable ("could not convert string
    to float"): pickling must not fail on what the set was built from."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
             "Condition": {"NumericLessThanEquals": {"s3:max-keys": Limit.TEN}}}
        ],
    }
    ps = iameval.PolicySet(identity=[doc])
    restored = pickle.loads(pickle.dumps(ps))
    for keys in ("5", "10", "11"):
        req = {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:ListBucket",
               "context": {"s3:max-keys": keys}}
        assert restored.evaluate(req) == ps.evaluate(req)
