"""``PolicySet.evaluate`` reads a plain request in place (issue 12): the context values a set reads are laid
out in its key slots, borrowed from the Python strings, instead of being copied into a context map. These
tests hold that path to the general one (``evaluate_many`` and ``trace=True`` read every request into a map)
and to the reference, on the forms where the two could differ: keys no statement reads, multivalued keys,
missing keys and variables (R13, R22), keys given twice in two cases, more than 32 keys, large lists, the
service-linked check (R15) and malformed values."""

from __future__ import annotations

from typing import Any

import iameval.reference as reference
import pytest
from iameval import PolicySet, Request, RequestError

ROLE = "arn:aws:iam::111122223333:role/app"
SERVICE_LINKED = "arn:aws:iam::111122223333:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps"

POLICIES: dict[str, Any] = {
    "identity": [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Team",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::data/${aws:PrincipalTag/team}/*",
                    "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
                },
                {
                    "Sid": "Tags",
                    "Effect": "Allow",
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::data/${aws:username, 'nobody'}/*",
                    "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}},
                },
                {
                    "Sid": "DenyNoMfa",
                    "Effect": "Deny",
                    "Action": "s3:DeleteObject",
                    "Resource": "*",
                    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                },
            ],
        }
    ],
    "scps": [
        [
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
            {
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "s3:*",
                        "Resource": "*",
                        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app"}},
                    }
                ]
            },
        ]
    ],
}


def _request(action: str, resource: str, context: Any, principal: str = ROLE) -> dict[str, Any]:
    return {"principal": principal, "action": action, "resource": resource, "context": context}


CONTEXTS: list[Any] = [
    None,
    {},
    {"aws:RequestedRegion": "eu-west-1", "aws:PrincipalTag/team": "blue", "aws:PrincipalArn": ROLE},
    {"AWS:requestedregion": "eu-west-1", "aws:principaltag/TEAM": "blue", "aws:PrincipalArn": ROLE},
    {"aws:RequestedRegion": "us-east-1", "aws:PrincipalTag/team": "blue", "aws:PrincipalArn": ROLE},
    {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/other", "aws:RequestedRegion": "eu-west-1"},
    {"aws:TagKeys": ["env"], "aws:PrincipalArn": ROLE, "aws:username": "ann"},
    {"aws:TagKeys": ["env", "cost"], "aws:PrincipalArn": ROLE},
    {"aws:TagKeys": [], "aws:PrincipalArn": ROLE},
    {"aws:MultiFactorAuthPresent": "false", "aws:PrincipalArn": ROLE},
    {"aws:MultiFactorAuthPresent": "true", "aws:PrincipalArn": ROLE, "unread:key": "x", "other": ["a", "b"]},
    {"aws:PrincipalArn": ROLE, **{f"unread:k{i}": str(i) for i in range(40)}},  # more than 32 keys
    {"aws:PrincipalArn": ROLE, "aws:TagKeys": [f"k{i}" for i in range(2_000)]},  # a large list
    {"aws:PrincipalArn": ROLE, "aws:MultiFactorAuthPresent": False, "aws:TagKeys": ["env", 3]},  # not str
]
REQUESTS = [
    _request(action, resource, context)
    for context in CONTEXTS
    for action, resource in (
        ("s3:GetObject", "arn:aws:s3:::data/blue/k"),
        ("s3:GetObject", "arn:aws:s3:::data/red/k"),
        ("s3:PutObject", "arn:aws:s3:::data/ann/k"),
        ("s3:PutObject", "arn:aws:s3:::data/nobody/k"),
        ("s3:DeleteObject", "arn:aws:s3:::data/blue/k"),
    )
]


@pytest.fixture(scope="module")
def sets() -> tuple[PolicySet, Any]:
    return PolicySet.from_vector(POLICIES), reference.PolicySet.from_vector(POLICIES)


def _plain(result: Any) -> dict[str, Any]:
    out = result.to_dict()
    out.pop("trace", None)
    return out


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_r22_evaluate_in_place_equals_the_map_path_and_the_reference(sets: tuple[Any, Any], index: int) -> None:
    ps, ref = sets
    request = REQUESTS[index]
    in_place = ps.evaluate(request)
    assert in_place == ps.evaluate_many([request])[0]
    assert _plain(in_place) == _plain(ps.evaluate(request, trace=True))
    assert in_place == ref.evaluate(request)
    assert ps.evaluate(Request(**request)) == in_place  # a Request object reads the same way


def test_r15_service_linked_role_read_in_place(sets: tuple[Any, Any]) -> None:
    ps, ref = sets
    # the SCP's ArnNotLike Deny would deny this role; a service-linked role is outside SCPs (R15)
    for context in ({"aws:PrincipalArn": SERVICE_LINKED}, {}):
        request = _request("s3:GetObject", "arn:aws:s3:::data/x/k", context, principal=SERVICE_LINKED)
        assert ps.evaluate(request) == ref.evaluate(request) == ps.evaluate_many([request])[0]


def test_r13_missing_keys_and_variables_reported_in_place(sets: tuple[Any, Any]) -> None:
    ps, ref = sets
    request = _request("s3:GetObject", "arn:aws:s3:::data/blue/k", {"aws:PrincipalArn": ROLE})
    result = ps.evaluate(request)
    assert result.missing_context_keys == ref.evaluate(request).missing_context_keys
    assert set(result.missing_context_keys) == {"aws:PrincipalTag/team", "aws:RequestedRegion"}


@pytest.mark.parametrize(
    "context",
    [
        {"aws:RequestedRegion": "eu-west-1", "AWS:RequestedRegion": "eu-west-1"},  # one key in two cases
        {"aws:RequestedRegion": "eu-west-1", "aws:requestedregion": "eu-west-1"},  # both spellings the set knows
        {"aws:PrincipalTag/team": "a", "AWS:PRINCIPALTAG/TEAM": "b"},  # a variable's key in two cases
        {"unread:key": "a", "UNREAD:KEY": "b"},  # a key no statement reads, twice
        {"aws:RequestedRegion": {"a": 1}},
        {"aws:RequestedRegion": None},
        {"aws:TagKeys": [["a"]]},
        {"": "x"},
        {3: "x"},
    ],
)
def test_malformed_contexts_raise_as_the_general_path_does(sets: tuple[Any, Any], context: Any) -> None:
    ps, _ = sets
    request = _request("s3:GetObject", "arn:aws:s3:::data/blue/k", context)
    with pytest.raises(RequestError) as one:
        ps.evaluate(request)
    with pytest.raises(RequestError) as many:
        ps.evaluate_many([request])
    assert one.value.errors() == many.value.errors()
    with pytest.raises(RequestError):  # contexts read dict by dict
        ps.decide_many(["s3:GetObject"], ["arn:aws:s3:::data/blue/k"], principal=ROLE, contexts=[context])


def test_r1_r5_classified_principals_are_kept_per_set_and_bounded(sets: tuple[Any, Any]) -> None:
    # evaluate() keeps the classification of the principals it saw (at most 1,024 per set, then starts
    # over): many principals, each asked twice, in two rounds, give the general path's answers
    ps, ref = sets
    principals = [f"arn:aws:iam::{100000000000 + i}:role/app" for i in range(1_100)]
    principals += [ROLE, SERVICE_LINKED, "arn:aws:iam::111122223333:user/bob", "ec2.amazonaws.com", "*"]
    requests = [
        _request("s3:GetObject", "arn:aws:s3:::data/blue/k", CONTEXTS[2], principal=p) for p in principals
    ]
    expected = ps.evaluate_many(requests)
    for _ in range(2):
        assert [ps.evaluate(r) for r in requests] == expected
    sample = requests[::97] + requests[-5:]
    assert [ps.evaluate(r) for r in sample] == [ref.evaluate(r) for r in sample]
    with pytest.raises(RequestError):
        ps.evaluate(_request("s3:GetObject", "*", None, principal="arn:aws:iam::1:role/x"))


def test_r22_equal_results_are_one_kept_object_and_trace_results_their_own(sets: tuple[Any, Any]) -> None:
    # a Result is a frozen value: a set hands out one object for the evaluations that give the same fields
    # (issue 12: a lookup instead of an object per call, a pointer per kept result); a result with a trace
    # is never that object, and the kept one never gets a trace
    ps, ref = sets
    request = _request("s3:GetObject", "arn:aws:s3:::data/blue/k", CONTEXTS[2])
    first = ps.evaluate(request)
    assert ps.evaluate(dict(request)) is first
    assert ps.evaluate(Request(**request)) is first
    assert all(r is first for r in ps.evaluate_many([request, request]))
    traced = ps.evaluate(request, trace=True)
    assert traced is not first and traced.trace is not None and _plain(traced) == _plain(first)
    assert ps.evaluate(request) is first and first.trace is None
    # the same decision with other fields is another object, with its own fields
    lacking = _request("s3:GetObject", "arn:aws:s3:::data/blue/k", {"aws:PrincipalArn": ROLE})
    elsewhere = _request("s3:GetObject", "arn:aws:s3:::data/blue/k", CONTEXTS[4])  # another region
    one, two = ps.evaluate(lacking), ps.evaluate(elsewhere)
    assert one is not two and one.decision == two.decision == "ImplicitDeny"
    assert (one, two) == (ref.evaluate(lacking), ref.evaluate(elsewhere))
    assert one.missing_context_keys and not two.missing_context_keys


def test_r22_kept_results_are_bounded_per_set() -> None:
    # 5,000 statements, each the only one a request matches: 5,000 distinct results. The set keeps the first
    # 4,096 (results::MAX_RESULTS) and makes the others per call; every answer stays the reference's
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b/k{i}"}
        for i in range(5_000)
    ]
    policies = {"identity": [{"Version": "2012-10-17", "Statement": statements}]}
    ps, ref = PolicySet.from_vector(policies), reference.PolicySet.from_vector(policies)
    requests = [_request("s3:GetObject", f"arn:aws:s3:::b/k{i}", None) for i in range(5_000)]
    first = [ps.evaluate(r) for r in requests]
    again = [ps.evaluate(r) for r in requests]
    assert all(a is b for a, b in zip(first[:4_096], again[:4_096], strict=True))
    assert not any(a is b for a, b in zip(first[4_096:], again[4_096:], strict=True))
    assert first == again
    for i in (0, 4_095, 4_096, 4_999):
        assert first[i] == ref.evaluate(requests[i])
        assert [m.sid for m in first[i].matched] == [f"S{i}"]


def test_r1_requests_read_in_place_in_turn_keep_nothing_of_the_last() -> None:
    # evaluate() fills one kept request per set call after call: no field of one call (an explicit account,
    # a resource, an action) may reach the next, nor may a call that raised
    other = "999988887777"
    policies = {
        "identity": [{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:*"], "Resource": "*"}]}],
        "resource": {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
                    "Action": "s3:GetObject",
                    "Resource": "*",
                }
            ]
        },
    }
    ps, ref = PolicySet.from_vector(policies), reference.PolicySet.from_vector(policies)
    bucket = "arn:aws:s3:::data/k"
    requests: list[dict[str, Any]] = [
        {"principal": ROLE, "action": "s3:GetObject", "resource": bucket, "resource_account": other},
        {"principal": ROLE, "action": "s3:GetObject", "resource": bucket},
        {"principal": ROLE, "action": "s3:GetObject", "resource": bucket, "principal_account": other},
        {"principal": ROLE, "action": "S3:GETOBJECT", "resource": bucket},
        {"principal": ROLE, "action": "sqs:SendMessage", "resource": f"arn:aws:sqs:us-east-1:{other}:q"},
        {"principal": ROLE, "action": "sqs:SendMessage", "resource": "arn:aws:sqs:us-east-1:111122223333:q"},
        {"principal": ROLE, "action": "s3:GetObject"},
        {"principal": f"arn:aws:iam::{other}:role/x", "action": "s3:GetObject", "resource": bucket},
        {"principal": ROLE, "action": "s3:GetObject", "resource": bucket},
    ]
    bad = [
        {"principal": ROLE, "action": "s3", "resource": bucket},  # no service prefix
        {"principal": ROLE, "action": "s3:GetObject", "resource": "not-an-arn"},
        {"principal": ROLE, "action": "s3:GetObject", "resource": bucket, "resource_account": ""},
    ]
    expected = [ref.evaluate(r) for r in requests]
    assert [e.decision for e in expected[:2]] == ["ImplicitDeny", "Allow"]  # cross-account, same account
    for _ in range(2):
        for request, want in zip(requests, expected, strict=True):
            assert ps.evaluate(request) == want, request
            for broken in bad:
                with pytest.raises(RequestError):
                    ps.evaluate(broken)
            assert ps.evaluate(request) == want, request
