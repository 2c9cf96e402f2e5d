"""The trace (issue 8): ``evaluate(request, trace=True)`` in both engines.

- on every vector: the trace agrees with the decision (the statements it marks applicable in the layers that
  apply are exactly ``matched``; an applicable Deny is there iff the decision is ExplicitDeny), tracing changes
  nothing else in the result, and the two engines' traces are equal;
- details: the pattern that matched or excluded, NotResource with an unresolvable variable, variables and
  missing keys in clauses, layers that do not apply, ``to_dict()`` and ``str()``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import iameval
import iameval.reference as reference
import pytest
from iameval import Decision
from iameval.reference.trace import ClauseTrace, LayerTrace, MatchDetail, Trace
from vector_files import load_vectors

TESTS = Path(__file__).resolve().parent
VECTORS = [c for _, c in load_vectors(TESTS / "vectors")] + [
    c for _, c in load_vectors(TESTS.parent.parent / "shared" / "conformance")
]
ENGINES = {"rust": iameval.PolicySet, "reference": reference.PolicySet}


def _expected_matched(result: Any, trace: Trace) -> list[tuple[Any, ...]]:
    effect = "Deny" if result.decision is Decision.EXPLICIT_DENY else "Allow"
    return [
        (layer.policy_type, st.policy_index, st.statement_index, st.sid, st.effect, layer.level)
        for layer in trace.layers
        if layer.applies
        for st in layer.statements
        if st.applies and st.effect == effect
    ]


def _check_against_decision(result: Any) -> None:
    trace = result.trace
    assert isinstance(trace, Trace)
    if result.decided_by == "get-caller-identity":
        return  # R20: decided before any policy is read
    got = [(m.policy_type, m.policy_index, m.statement_index, m.sid, m.effect, m.level) for m in result.matched]
    assert got == _expected_matched(result, trace)
    denies = any(
        st.applies and st.effect == "Deny" for layer in trace.layers if layer.applies for st in layer.statements
    )
    assert denies == (result.decision is Decision.EXPLICIT_DENY)
    for layer in trace.layers:
        for st in layer.statements:
            parts = [st.action.matched, st.resource.matched, *(c.result for c in st.conditions)]
            if st.principal is not None:
                parts.append(st.principal.matched)
            assert st.applies == all(parts)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_trace_agrees_with_the_decision_on_every_vector(engine: str) -> None:
    cls = ENGINES[engine]
    checked = 0
    for case in VECTORS:
        ps = cls.from_vector(case["policies"])
        plain = ps.evaluate(case["request"])
        traced = ps.evaluate(case["request"], trace=True)
        assert dataclasses.replace(traced, trace=None) == plain, case["id"]
        _check_against_decision(traced)
        json.dumps(traced.to_dict())
        assert str(traced.trace)
        checked += 1
    assert checked >= 800


def test_traces_of_both_engines_are_equal_on_every_vector() -> None:
    for case in VECTORS:
        rust = iameval.PolicySet.from_vector(case["policies"]).evaluate(case["request"], trace=True)
        ref = reference.PolicySet.from_vector(case["policies"]).evaluate(case["request"], trace=True)
        assert rust.trace == ref.trace, case["id"]
        assert rust.to_dict() == ref.to_dict(), case["id"]


ALICE = {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
         "resource": "arn:aws:s3:::b/alice/k"}


def _traced(engine: str, request: dict[str, Any] = ALICE, **policies: Any) -> Any:
    return ENGINES[engine](**policies).evaluate(request, trace=True)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_trace_patterns_that_matched_or_excluded(engine: str) -> None:
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ec2:*", "S3:Get*", "s3:*"],
         "Resource": ["arn:aws:s3:::x/*", "arn:aws:s3:::b/*"]},
        {"Effect": "Deny", "NotAction": ["iam:*", "s3:GetObject"], "NotResource": "arn:aws:s3:::b/${aws:username}/*"},
    ]}
    result = _traced(engine, identity=[doc])
    first, second = result.trace.layers[0].statements
    assert first.action == MatchDetail(True, "s3:get*")
    assert first.resource == MatchDetail(True, "arn:aws:s3:::b/*")
    assert first.principal is None
    assert second.action == MatchDetail(False, "s3:getobject")
    # R13: a NotResource entry whose variable cannot be resolved leaves the list unsatisfied
    assert second.resource == MatchDetail(False, "arn:aws:s3:::b/${aws:username}/*")
    assert (first.applies, second.applies) == (True, False)
    assert result.decision is Decision.ALLOW


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_trace_clauses_show_values_variables_and_missing_keys(engine: str) -> None:
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:*", "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:PrincipalTag/team": ["blue", "${aws:username}"]},
            "ForAnyValue:StringLike": {"aws:TagKeys": ["${aws:PrincipalTag/x, 'dflt'}*", "${missing}"]},
            "NumericLessThan": {"s3:max-keys": [10, 2.5]},
            "Bool": {"aws:SecureTransport": True},
        },
    }]}
    request = {**ALICE, "context": {"aws:username": "alice", "aws:PrincipalTag/team": "alice",
                                    "aws:TagKeys": ["a", "dfltz"]}}
    statement = _traced(engine, request, identity=[doc]).trace.layers[0].statements[0]
    team, tags, keys, secure = statement.conditions
    assert team == ClauseTrace("StringEquals", "aws:PrincipalTag/team", ("blue", "${aws:username}"), ("alice",),
                               (("aws:username", "alice"),), True)
    assert tags.request_values == ("a", "dfltz")
    assert tags.variables == (("aws:PrincipalTag/x", "dflt"), ("missing", None))
    assert tags.result is True
    assert keys == ClauseTrace("NumericLessThan", "s3:max-keys", ("10", "2.5"), None, (), False)
    assert secure.values == ("true",) and secure.request_values is None and not secure.result
    assert not statement.applies


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_trace_layers_that_do_not_apply(engine: str) -> None:
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    rcp = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}
    bucket = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ec2:*", "Resource": "*"}]}
    anonymous = {"principal": "anonymous", "action": "ec2:RunInstances", "resource": "*"}
    result = _traced(engine, anonymous, identity=[allow_all], scps=[[allow_all]], rcps=[[rcp]], resource=bucket,
                     permission_boundary=allow_all)
    layers: list[LayerTrace] = list(result.trace.layers)
    assert [(x.name(), x.applies) for x in layers] == [
        ("scps[0]", False), ("rcps[0]", False), ("resource", True), ("identity", False),
        ("permission_boundary", False)]
    assert all(st.applies for x in layers for st in x.statements)  # evaluated even where the layer is out
    assert (result.decision, result.decided_by) == (Decision.ALLOW, "resource")
    text = str(result.trace)
    assert "rcps[0]  (does not apply to this request)" in text and "resource" in text


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_trace_principal_patterns(engine: str) -> None:
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    bucket = {"Statement": [
        {**statement, "Principal": {"AWS": ["arn:aws:iam::111111111111:user/bob", "111111111111"]}},
        {**statement, "Principal": "*"},
        {**statement, "Principal": {"Service": "anonymous"}},
        {**statement, "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:user/bob"}},
    ]}
    named = [st.principal for st in _traced(engine, resource=bucket).trace.layers[0].statements]
    assert named == [MatchDetail(True, "111111111111"), MatchDetail(True, "*"), MatchDetail(False, None),
                     MatchDetail(True, None)]
    anon = {**ALICE, "principal": "anonymous"}
    named = [st.principal for st in _traced(engine, anon, resource=bucket).trace.layers[0].statements]
    assert named == [MatchDetail(False, None), MatchDetail(True, "*"), MatchDetail(False, None),
                     MatchDetail(True, None)]


def test_no_trace_unless_asked() -> None:
    for cls in ENGINES.values():
        result = cls().evaluate(ALICE)
        assert result.trace is None
        assert "trace" not in result.to_dict()


@pytest.mark.parametrize("engine", ["rust", "reference"])
def test_trace_text_names_the_policy_within_an_scp_level(engine: str) -> None:
    """Regression: `str(trace)` wrote `#0` for a statement of an SCP level with several policies, so the
    statement could not be told apart from the same-numbered one of the level's other policy."""
    module: Any = iameval if engine == "rust" else reference
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    deny_s3 = {"Statement": [{"Sid": "D", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
    ps = module.PolicySet(identity=[allow_all], scps=[[allow_all], [allow_all, deny_s3]], rcps=[[deny_s3]])
    request = {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:GetObject", "resource": "*"}
    text = str(ps.evaluate(request, trace=True).trace).splitlines()
    level = text.index("scps[1]")
    assert text[level + 1] == "  [0]#0 Allow: APPLIES"
    assert "  [1]#0 (D) Deny: APPLIES" in text[level:]
    assert "  [0]#0 (D) Deny: APPLIES" in text[text.index("rcps[0]") :]
