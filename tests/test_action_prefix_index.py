"""R3: the decision path finds prefix-only Action statements by the action's own prefixes (action_index's
``decision_candidates``) and visits them in any order; it must decide exactly as the explaining path (policy
order, every statement checked) and as the reference, whatever mix of prefixes, globs, ``*``, wildcard services
and NotAction statements a policy has, and however many statements its action cannot match (issue 12, "cost
growth")."""

from __future__ import annotations

from typing import Any

import iameval
from hypothesis import given, settings
from hypothesis import strategies as st
from iameval import reference

PRINCIPAL = "arn:aws:iam::111122223333:role/app"
PATTERNS = ["ec2:a*", "ec2:ab*", "ec2:abc*", "EC2:AB*", "ec2:*", "*", "e?2:*", "ec2:a*c", "ec2:ab", "ec2:abc",
            "s3:*", "s3:get*", "*:a*", "ec2:é*"]
ACTIONS = ["ec2:a", "ec2:ab", "ec2:abc", "ec2:abd", "EC2:ABC", "ec2:xyz", "s3:getobject", "s3:put", "iam:a",
           "ec2:é1"]

statement = st.fixed_dictionaries({
    "Effect": st.sampled_from(["Allow", "Allow", "Deny"]),
    "key": st.sampled_from(["Action", "Action", "Action", "NotAction"]),
    "patterns": st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3),
})


def _policy(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": s["Effect"], s["key"]: s["patterns"], "Resource": "*"} for s in statements]}


@settings(max_examples=300, deadline=None)
@given(st.lists(statement, min_size=1, max_size=12), st.booleans())
def test_r3_decision_path_equals_explaining_path_and_reference(statements: list[dict[str, Any]],
                                                               as_boundary: bool) -> None:
    doc = _policy(statements)
    layers: dict[str, Any] = {"identity": [doc]}
    if as_boundary:  # the same index serves every layer: a boundary that must also allow
        layers = {"identity": [{"Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
                  "permission_boundary": doc}
    fast = iameval.PolicySet(**layers)
    ref = reference.PolicySet(**layers)
    codes = fast.decide_many(ACTIONS, ["*"] * len(ACTIONS), principal=PRINCIPAL, threads=1, as_list=True)
    for action, code in zip(ACTIONS, codes, strict=True):
        explained = fast.evaluate({"principal": PRINCIPAL, "action": action})
        expected = ref.evaluate(reference.Request(principal=PRINCIPAL, action=action)).decision
        assert str(code) == str(explained.decision) == str(expected), (action, doc)


def test_r3_many_prefix_statements_decide_like_the_reference() -> None:
    """5,000 prefix statements of one service (the growth benchmark's policy) plus a Deny among them."""
    statements = [{"Effect": "Allow", "Action": f"ec2:Act{i}*", "Resource": "*"} for i in range(5_000)]
    statements.insert(2_500, {"Effect": "Deny", "Action": "ec2:Act77*", "Resource": "*"})
    doc = {"Version": "2012-10-17", "Statement": statements}
    actions = ["ec2:Act1Thing", "ec2:Act77Thing", "ec2:Act771Thing", "ec2:Act4999X", "ec2:Act5000", "ec2:Other",
               "s3:GetObject", "ec2:act12x"]
    codes = iameval.PolicySet(identity=[doc]).decide_many(actions, ["*"] * len(actions), principal=PRINCIPAL,
                                                          threads=1, as_list=True)
    ref = reference.PolicySet(identity=[doc])
    assert [str(c) for c in codes] == [
        str(ref.evaluate(reference.Request(principal=PRINCIPAL, action=a)).decision) for a in actions]
    assert [str(c) for c in codes] == ["Allow", "ExplicitDeny", "ExplicitDeny", "Allow", "Allow", "ImplicitDeny",
                                       "ImplicitDeny", "Allow"]
