"""The strategies of tests/strategies.py produce valid input, and cover the grammar and the decisions.

Validity: every generated policy passes ``validate_policy`` for its kind, every policy set builds, every request
evaluates. Coverage: over a fixed (derandomized) sample, every R11 operator, every qualifier, every principal
kind and Principal form, both policy versions, every decision and the other features the properties rely on
show up — so a change to the strategies that silently stops generating something fails here.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import strategies as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iameval.reference import PolicySet, validate_policy

SAMPLE = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _documents(policies: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [("identity", p) for p in policies["identity"]]
    out += [
        (k, policies[k]) for k in ("resource", "permission_boundary", "session") if policies[k] is not None
    ]
    for key, kind in (("scps", "scp"), ("rcps", "rcp")):
        for level in policies[key] or []:
            out += [(kind, p) for p in level]
    return out


def _statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    raw = doc["Statement"]
    return raw if isinstance(raw, list) else [raw]


def test_generated_cases_are_valid_and_cover_the_grammar() -> None:
    seen: Counter[str] = Counter()

    # 400 examples: the decision mix (about 15% Allow, 10% ExplicitDeny, 75% ImplicitDeny since issue 8 added
    # anonymous principals and non-ARN values) is checked against 5%, which 150 examples left too close to chance
    @settings(SAMPLE, max_examples=400)
    @given(case=S.cases())
    def check(case: Any) -> None:
        policies, request = case
        json.dumps(policies)
        json.dumps(request)
        for kind, doc in _documents(policies):
            assert validate_policy(doc, kind=kind) == [], (kind, doc)
            seen[f"version:{doc.get('Version')}"] += 1
            if isinstance(doc["Statement"], dict):
                seen["statement-object"] += 1
            for s in _statements(doc):
                for element in ("NotAction", "NotResource", "Principal", "NotPrincipal", "Sid", "Condition"):
                    seen[element] += element in s
                text = json.dumps(s)
                seen["variable"] += "${aws:" in text.lower()
                seen["escape"] += "${*}" in text or "${?}" in text or "${$}" in text
        result = PolicySet.from_vector(policies).evaluate(request)
        seen[result.decision.value] += 1
        seen["kind:" + S._PRINCIPAL_BY_ARN[request["principal"]].kind] += 1
        seen["same-account" if request["principal_account"] == request["resource_account"] else "other"] += 1
        seen["scps"] += policies["scps"] is not None
        seen["rcps"] += policies["rcps"] is not None
        seen["resource-policy"] += policies["resource"] is not None
        seen["multivalued"] += any(isinstance(v, list) for v in request["context"].values())
        seen["empty-list"] += any(v == [] for v in request["context"].values())
        seen["key-case"] += any(k not in S.KEYS for k in request["context"])
        seen["resource-star"] += request["resource"] == "*"

    check()
    total = sum(seen[d] for d in ("Allow", "ExplicitDeny", "ImplicitDeny"))
    for d in ("Allow", "ExplicitDeny", "ImplicitDeny"):
        assert seen[d] >= total * 0.05, seen  # every decision is common enough to matter
    for kind in ("user", "role", "session", "root", "service"):
        assert seen["kind:" + kind] > 0, seen
    for feature in (
        "version:2012-10-17",
        "version:2008-10-17",
        "version:None",
        "statement-object",
        "NotAction",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Sid",
        "Condition",
        "variable",
        "escape",
        "scps",
        "rcps",
        "resource-policy",
        "same-account",
        "other",
        "multivalued",
        "empty-list",
        "key-case",
        "resource-star",
    ):
        assert seen[feature] > 0, (feature, seen)


def test_condition_blocks_cover_every_operator() -> None:
    seen: Counter[str] = Counter()

    @settings(SAMPLE, max_examples=1500)
    @given(block=S.condition_blocks())
    def check(block: dict[str, Any]) -> None:
        doc = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": block}],
        }
        assert validate_policy(doc) == [], block
        for op in block:
            low = op.lower()
            for q in ("forallvalues:", "foranyvalue:"):
                if low.startswith(q):
                    seen[q] += 1
                    low = low[len(q) :]
            if low.endswith("ifexists"):
                seen["ifexists"] += 1
                low = low[: -len("ifexists")]
            seen[low] += 1

    check()
    for ops in S.OPERATORS.values():
        for op in ops:
            assert seen[op.lower()] > 0, (op, seen)
    for feature in ("forallvalues:", "foranyvalue:", "ifexists"):
        assert seen[feature] > 0, (feature, seen)


def test_principal_elements_cover_every_form() -> None:
    seen: Counter[str] = Counter()

    @settings(SAMPLE, max_examples=800)
    @given(element=S.principal_elements())
    def check(element: Any) -> None:
        if element == "*":
            seen["star"] += 1
            return
        for key, value in element.items():
            for v in value if isinstance(value, list) else [value]:
                if key != "AWS":
                    seen[key] += 1
                elif v == "*":
                    seen["aws-star"] += 1
                elif v.isdigit():
                    seen["account-id"] += 1
                elif v.endswith(":root"):
                    seen["root-arn"] += 1
                elif ":user/" in v:
                    seen["user"] += 1
                elif ":assumed-role/" in v:
                    seen["session"] += 1
                elif ":role/" in v:
                    seen["role"] += 1

    check()
    for form in (
        "star",
        "aws-star",
        "account-id",
        "root-arn",
        "user",
        "role",
        "session",
        "Service",
        "Federated",
        "CanonicalUser",
    ):
        assert seen[form] > 0, (form, seen)


@settings(SAMPLE, max_examples=40)
@given(kind=st.sampled_from(S.POLICY_KINDS), data=st.data())
def test_every_statement_helper_is_valid_for_its_kind(kind: str, data: Any) -> None:
    _, request = data.draw(S.cases())
    for strategy in (S.allow_statements(kind), S.deny_statements(kind), S.aimed_statements(kind, request)):
        statement = data.draw(strategy)
        if kind == "rcp" and statement["Effect"] == "Allow":
            continue  # RCPs hold Denies only (RCPFullAWSAccess is implicit); the grammar would accept it anyway
        doc = {"Version": "2012-10-17", "Statement": [statement]}
        assert validate_policy(doc, kind=kind) == [], (kind, statement)


def test_rcp_services_of_the_generated_actions() -> None:
    """R16: the strategies' RCP_SERVICES is exactly the part of the reference table they can generate."""
    from iameval.reference.authorize import RCP_SERVICES

    assert set(S.ACTIONS) & RCP_SERVICES == S.RCP_SERVICES
