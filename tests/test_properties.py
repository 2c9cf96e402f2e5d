"""Property tests of the evaluation rules (IAM_RULES.md), on random valid policy sets and requests that almost
match them (tests/strategies.py).

Each property is named after the rule it pins and is true under the spec as written; the comment above each
one says why. Properties run against every engine in ``ENGINES``: the pure-Python reference always, and
``iameval.PolicySet`` as well once it is a different class (the Rust engine).

Example counts scale with the Hypothesis profile (tests/conftest.py): ``_n(k)`` is ``k`` examples per 300 of the
profile's ``max_examples`` (so the ``ci`` profile runs ``k``, ``long`` runs thousands).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import iameval
import iameval.reference as reference
import pytest
import strategies as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# --- engines -----------------------------------------------------------------------------------------------------

ENGINES = [pytest.param((reference.PolicySet, reference.Request), id="reference")]
if iameval.PolicySet is not reference.PolicySet:  # the Rust engine has landed
    ENGINES.append(pytest.param((iameval.PolicySet, iameval.Request), id="iameval"))

DECISIONS = ("Allow", "ExplicitDeny", "ImplicitDeny")
POLICY_TYPES = ("identity", "resource", "permission_boundary", "session", "scp", "rcp")


def _n(k: int) -> int:
    """``k`` examples in the ``ci`` profile (300 max_examples), proportionally more or fewer in others."""
    return max(5, settings.default.max_examples * k // 300)


def _settings(k: int) -> settings:
    return settings(
        max_examples=_n(k), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


@pytest.fixture(params=ENGINES, scope="module")
def engine(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    return request.param


# --- helpers -----------------------------------------------------------------------------------------------------


def run(engine: tuple[Any, Any], policies: dict[str, Any], request: dict[str, Any]) -> Any:
    return engine[0].from_vector(policies).evaluate(request)


def decision(engine: tuple[Any, Any], policies: dict[str, Any], request: dict[str, Any]) -> str:
    return str(run(engine, policies, request).decision.value)


def is_gci(request: dict[str, Any]) -> bool:
    return request["action"].lower() == "sts:getcalleridentity"


def caller_kind(request: dict[str, Any]) -> str:
    p = S._PRINCIPAL_BY_ARN.get(request["principal"])
    assert p is not None, request["principal"]
    return p.kind


def statements_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    raw = doc["Statement"]
    return raw if isinstance(raw, list) else [raw]


def statement_at(policies: dict[str, Any], m: Any) -> dict[str, Any]:
    """The statement a MatchedStatement points at (fails the test if it does not exist)."""
    t = m.policy_type
    assert t in POLICY_TYPES, m
    if t == "identity":
        assert m.level is None
        doc = policies["identity"][m.policy_index]
    elif t in ("resource", "permission_boundary", "session"):
        assert m.level is None and m.policy_index == 0, m
        doc = policies[t]
        assert doc is not None, m
    else:
        levels = policies[t + "s"]
        assert levels is not None and m.level is not None, m
        doc = levels[m.level][m.policy_index]
    sts = statements_of(doc)
    assert 0 <= m.statement_index < len(sts), m
    return sts[m.statement_index]


def append_statement(doc: dict[str, Any], statement: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A copy of ``doc`` with ``statement`` appended; returns it and the new statement's index."""
    doc = copy.deepcopy(doc)
    sts = statements_of(doc)
    doc["Statement"] = [*sts, statement]
    return doc, len(sts)


def new_policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [statement]}


#: Where a statement can be added: (target, policy kind, strong). ``strong``: the set keeps every layer it had
#: (a statement appended to an existing policy, a new identity policy, a policy added to an existing SCP level,
#: a new RCP level); weak: a new layer appears (a boundary, a session policy, an SCP level that did not exist),
#: which may restrict by itself.
def add_statement(
    data: Any, policies: dict[str, Any], statement_for: Callable[[str], dict[str, Any]]
) -> tuple[dict[str, Any], tuple[str, int, int, int | None], bool]:
    """Add a statement somewhere in a copy of ``policies``; return the copy, the statement's location
    ``(policy_type, policy_index, statement_index, level)`` and whether the change is *strong* (see above)."""
    p = copy.deepcopy(policies)
    targets = ["identity-new"]
    if p["identity"]:
        targets.append("identity-append")
    for single in ("resource", "permission_boundary", "session"):
        targets.append(single + ("-append" if p[single] is not None else "-new"))
    targets.append("scp-new-level")
    if p["scps"]:
        targets += ["scp-append", "scp-level-new-policy"]
    targets.append("rcp-new-level")
    if p["rcps"]:
        targets.append("rcp-level-new-policy")
        if any(p["rcps"]):
            targets.append("rcp-append")
    target = data.draw(st.sampled_from(targets), label="target")
    kind = target.split("-")[0]  # identity, resource, permission_boundary, session, scp, rcp
    statement = statement_for(kind)
    if target == "identity-new":
        p["identity"].append(new_policy(statement))
        return p, ("identity", len(p["identity"]) - 1, 0, None), True
    if target == "identity-append":
        i = data.draw(st.integers(0, len(p["identity"]) - 1), label="policy")
        p["identity"][i], j = append_statement(p["identity"][i], statement)
        return p, ("identity", i, j, None), True
    for single in ("resource", "permission_boundary", "session"):
        if target == single + "-append":
            p[single], j = append_statement(p[single], statement)
            return p, (single, 0, j, None), True
        if target == single + "-new":
            p[single] = new_policy(statement)
            # a new resource policy holding only this statement grants nothing new: strong; a new boundary or
            # session policy is a new restriction by itself: weak
            return p, (single, 0, 0, None), single == "resource" and statement["Effect"] == "Deny"
    kind_key = kind + "s"
    levels = p[kind_key]
    if target.endswith("new-level"):
        levels = list(levels or [])
        at = data.draw(st.integers(0, len(levels)), label="level")
        levels.insert(at, [new_policy(statement)])
        p[kind_key] = levels
        # a new RCP level is transparent but for its Denies (RCPFullAWSAccess is implicit, R16); a new SCP level
        # allows only what its policy allows (R15), and a level inserted before others renumbers them
        return p, (kind, 0, 0, at), kind == "rcp" and at == len(levels) - 1
    level = data.draw(st.integers(0, len(levels) - 1), label="level")
    if target.endswith("level-new-policy"):
        levels[level].append(new_policy(statement))
        return p, (kind, len(levels[level]) - 1, 0, level), True
    candidates = list(range(len(levels[level])))
    if not candidates:
        levels[level].append(new_policy(statement))
        return p, (kind, 0, 0, level), True
    i = data.draw(st.sampled_from(candidates), label="policy")
    levels[level][i], j = append_statement(levels[level][i], statement)
    return p, (kind, i, j, level), True


def locations(result: Any) -> set[tuple[str, int, int, int | None]]:
    return {(m.policy_type, m.policy_index, m.statement_index, m.level) for m in result.matched}


def effective_accounts(request: dict[str, Any]) -> tuple[str | None, str | None]:
    """R1: accounts default to the ARNs' account fields; a resource without one defaults to the principal's."""
    pa = request["principal_account"]
    if pa is None:
        caller = S._PRINCIPAL_BY_ARN[request["principal"]]
        pa = caller.account
    ra = request["resource_account"]
    if ra is None:
        res = request["resource"]
        ra = (res.split(":")[4] if res != "*" else "") or pa
    return pa, ra


# =================================================================================================================
# R22: the answer is well formed; valid input never raises
# =================================================================================================================


@_settings(60)
@given(case=S.cases())
def test_R22_result_is_well_formed(engine: Any, case: Any) -> None:
    policies, request = case
    result = run(engine, policies, request)  # valid input never raises
    d = result.decision.value
    assert d in DECISIONS
    assert result.allowed == (d == "Allow")
    as_dict = result.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["decision"] == d and as_dict["allowed"] == result.allowed
    for m in result.matched:
        statement = statement_at(policies, m)
        assert m.effect == statement["Effect"], (m, statement)
        assert m.sid == statement.get("Sid"), (m, statement)
        assert (m.level is not None) == (m.policy_type in ("scp", "rcp")), m
    effects = {m.effect for m in result.matched}
    if d == "ExplicitDeny":
        # R14/R22: an explicit deny is decided by a Deny statement that applied
        assert "Deny" in effects, result
    else:
        # a Deny statement that applied would have decided (R14); R20 is the only exception and lists nothing
        assert "Deny" not in effects, result
    if is_gci(request):
        assert d == "Allow"  # R20
    elif d == "Allow" and caller_kind(request) != "root":
        # R17/R18/R21: only identity policies and resource-based policies grant (SCPs, RCPs, boundaries and
        # session policies never do); the root user's own-account access is the exception (R20a)
        assert any(
            m.effect == "Allow" and m.policy_type in ("identity", "resource") for m in result.matched
        ), result


# =================================================================================================================
# API equivalences
# =================================================================================================================


@_settings(25)
@given(batch=S.case_batches())
def test_evaluate_many_equals_evaluate(engine: Any, batch: Any) -> None:
    policies, requests = batch
    ps = engine[0].from_vector(policies)
    many = ps.evaluate_many(requests)
    one_by_one = [ps.evaluate(r) for r in requests]
    assert [r.decision for r in many] == [r.decision for r in one_by_one]
    assert [r.to_dict() for r in many] == [r.to_dict() for r in one_by_one]
    assert ps.evaluate_many([]) == []


@_settings(25)
@given(case=S.cases())
def test_policy_as_dict_str_bytes_gives_same_answer(engine: Any, case: Any) -> None:
    policies, request = case
    PolicySet = engine[0]

    def convert(f: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        p = copy.deepcopy(policies)
        p["identity"] = [f(x) for x in p["identity"]]
        for k in ("resource", "permission_boundary", "session"):
            if p[k] is not None:
                p[k] = f(p[k])
        for k in ("scps", "rcps"):
            if p[k] is not None:
                p[k] = [[f(x) for x in level] for level in p[k]]
        return p

    expected = PolicySet.from_vector(policies).evaluate(request).to_dict()
    as_str = convert(json.dumps)
    as_bytes = convert(lambda d: json.dumps(d, indent=2).encode())
    assert PolicySet.from_vector(as_str).evaluate(request).to_dict() == expected
    assert PolicySet.from_vector(as_bytes).evaluate(request).to_dict() == expected
    # the constructor and from_vector agree; evaluating twice, or on a rebuilt set, is deterministic
    built = PolicySet(**copy.deepcopy(policies))
    assert built.evaluate(request).to_dict() == expected
    assert built.evaluate(request).to_dict() == expected


@_settings(25)
@given(case=S.cases())
def test_request_object_equals_request_dict(engine: Any, case: Any) -> None:
    policies, request = case
    PolicySet, Request = engine
    ps = PolicySet.from_vector(policies)
    assert ps.evaluate(Request(**request)).to_dict() == ps.evaluate(request).to_dict()


# =================================================================================================================
# R14: an explicit Deny wins; adding a Deny never grants
# =================================================================================================================


@_settings(60)
@given(case=S.cases(), data=st.data())
def test_R14_adding_a_deny_never_grants(engine: Any, case: Any, data: Any) -> None:
    """Adding a Deny statement anywhere never turns a refusal into Allow. When the set keeps its layers (strong
    change) the decision is either unchanged or ExplicitDeny, and it becomes ExplicitDeny exactly when the new
    statement applies (it is then listed among the matched statements)."""
    policies, request = case

    def deny_for(kind: str) -> dict[str, Any]:
        if data.draw(st.booleans(), label="aimed"):
            return data.draw(S.aimed_statements(kind, request, "Deny"), label="deny")
        return data.draw(S.deny_statements(kind), label="deny")

    before = run(engine, policies, request)
    changed, where, strong = add_statement(data, policies, deny_for)
    after = run(engine, changed, request)
    if before.decision.value != "Allow":
        assert after.decision.value != "Allow", (before.to_dict(), after.to_dict())
    if strong:
        assert after.decision.value in (before.decision.value, "ExplicitDeny"), (
            before.to_dict(),
            after.to_dict(),
        )
        if after.decision.value == "ExplicitDeny" and before.decision.value != "ExplicitDeny":
            assert where in locations(after), (where, after.to_dict())
        if where in locations(after):
            assert after.decision.value == "ExplicitDeny"


@_settings(40)
@given(
    case=S.cases(kinds=("user", "role", "session", "service_linked_role", "service_linked_session")),
    data=st.data(),
)
def test_R14_identity_deny_of_the_action_denies_all_but_get_caller_identity(
    engine: Any, case: Any, data: Any
) -> None:
    """An unconditional identity Deny of the request's action on ``*`` makes every decision ExplicitDeny for a
    caller with identity policies, whatever else the set says; sts:GetCallerIdentity stays allowed (R20)."""
    policies, request = case
    if data.draw(st.booleans(), label="gci"):
        request = {**request, "action": data.draw(S.vary_case("sts:GetCallerIdentity")), "resource": "*"}
    action = data.draw(S.vary_case(request["action"]), label="deny action")
    deny = {"Effect": "Deny", "Action": action, "Resource": "*"}
    changed = copy.deepcopy(policies)
    if changed["identity"] and data.draw(st.booleans(), label="append"):
        changed["identity"][0], _ = append_statement(changed["identity"][0], deny)
    else:
        changed["identity"].append(new_policy(deny))
    expected = "Allow" if is_gci(request) else "ExplicitDeny"
    assert decision(engine, changed, request) == expected


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R14_deny_everything_in_resource_policy_denies_every_caller(
    engine: Any, case: Any, data: Any
) -> None:
    """A resource-based Deny with Principal ``*`` of every action on ``*`` applies to every caller, anonymous and
    service principals included (R5, R14)."""
    policies, request = case
    principal = data.draw(st.sampled_from(["*", {"AWS": "*"}]), label="principal")
    deny = {"Effect": "Deny", "Principal": principal, "Action": "*", "Resource": "*"}
    changed = copy.deepcopy(policies)
    if changed["resource"] is not None:
        changed["resource"], _ = append_statement(changed["resource"], deny)
    else:
        changed["resource"] = new_policy(deny)
    assert decision(engine, changed, request) == ("Allow" if is_gci(request) else "ExplicitDeny")


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R14_R15_R16_org_policy_deny_everything(engine: Any, case: Any, data: Any) -> None:
    """A Deny of everything in an SCP level denies the callers SCPs restrict (R15); in an RCP level it denies
    every caller of a service RCPs apply to (R16). Elsewhere the added Deny changes nothing."""
    policies, request = case
    changed = copy.deepcopy(policies)
    which = data.draw(st.sampled_from(["scps", "rcps"]), label="which")
    deny: dict[str, Any] = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    if which == "rcps":
        deny["Principal"] = "*"
    levels = (
        changed[which] if changed[which] is not None else [[S.FULL_AWS_ACCESS]] if which == "scps" else [[]]
    )
    level = data.draw(st.integers(0, len(levels) - 1), label="level")
    levels[level] = [*levels[level], new_policy(deny)]
    changed[which] = levels
    service = request["action"].split(":")[0].lower()
    applies = caller_kind(request) in S.SCP_KINDS if which == "scps" else service in S.RCP_SERVICES
    got = decision(engine, changed, request)
    if is_gci(request):
        assert got == "Allow"
    elif applies:
        assert got == "ExplicitDeny"
    elif policies[which] is not None:
        assert got == decision(engine, policies, request)


# =================================================================================================================
# R15, R16, R17: SCPs, RCPs, boundaries and session policies never grant
# =================================================================================================================


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R15_removing_scp_levels_never_denies_more(engine: Any, case: Any, data: Any) -> None:
    """Removing an SCP level (or all of them: ``scps=None``) removes restrictions only: an Allow stays Allow, and
    an ExplicitDeny afterwards was an ExplicitDeny before. SCPs never grant."""
    policies, request = case
    if policies["scps"] is None:
        policies = {**policies, "scps": data.draw(S._scp_levels(None), label="scps")}
    before = decision(engine, policies, request)
    levels = policies["scps"]
    options = [None, *range(len(levels))]
    drop = data.draw(st.sampled_from(options), label="drop")
    changed = {**policies, "scps": None if drop is None else [lv for i, lv in enumerate(levels) if i != drop]}
    after = decision(engine, changed, request)
    if before == "Allow":
        assert after == "Allow"
    if after == "ExplicitDeny":
        assert before == "ExplicitDeny"


@_settings(30)
@given(case=S.cases())
def test_R15_full_aws_access_at_every_level_is_transparent(engine: Any, case: Any) -> None:
    """Levels that each hold only FullAWSAccess restrict nothing: the same decision as no SCPs at all."""
    policies, request = case
    n = len(policies["scps"] or [[]])
    with_full = {**policies, "scps": [[S.FULL_AWS_ACCESS] for _ in range(n)]}
    without = {**policies, "scps": None}
    assert decision(engine, with_full, request) == decision(engine, without, request)


@_settings(30)
@given(
    case=S.cases(kinds=("service_linked_role", "service_linked_session", "service", "anonymous")),
    data=st.data(),
)
def test_R15_scps_do_not_apply_to_service_linked_roles_nor_service_principals(
    engine: Any, case: Any, data: Any
) -> None:
    """SCPs restrict the IAM identities of a member account, not service-linked roles, nor service principals or
    anonymous callers (R15): any SCPs give the same decision as none."""
    policies, request = case
    scps = policies["scps"] or data.draw(S._scp_levels(None), label="scps")
    scps = [*scps, []]  # an empty level: would deny everything the SCPs restrict
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*"}
    scps[0] = [*scps[0], new_policy(deny)]
    assert decision(engine, {**policies, "scps": scps}, request) == decision(
        engine, {**policies, "scps": None}, request
    )


@_settings(30)
@given(case=S.cases(kinds=tuple(S.SCP_KINDS)), data=st.data())
def test_R15_an_empty_scp_level_allows_nothing(engine: Any, case: Any, data: Any) -> None:
    policies, request = case
    levels = list(policies["scps"] or [])
    levels.insert(data.draw(st.integers(0, len(levels)), label="at"), [])
    got = decision(engine, {**policies, "scps": levels}, request)
    assert got == "Allow" if is_gci(request) else got != "Allow"


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R16_rcps_never_grant(engine: Any, case: Any, data: Any) -> None:
    """RCPs only deny: without them an Allow stays Allow and no new ExplicitDeny appears; for services RCPs do
    not apply to they change nothing; levels without customer RCPs (only the implicit RCPFullAWSAccess) are
    transparent."""
    policies, request = case
    if policies["rcps"] is None:
        policies = {**policies, "rcps": data.draw(S._rcp_levels(None), label="rcps")}
    with_rcps = decision(engine, policies, request)
    without = decision(engine, {**policies, "rcps": None}, request)
    if with_rcps == "Allow":
        assert without == "Allow"
    if without == "ExplicitDeny":
        assert with_rcps == "ExplicitDeny"
    if request["action"].split(":")[0].lower() not in S.RCP_SERVICES:
        assert with_rcps == without
    empty = {**policies, "rcps": [[] for _ in policies["rcps"]]}
    assert decision(engine, empty, request) == without


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R17_boundaries_and_session_policies_never_grant(engine: Any, case: Any, data: Any) -> None:
    """A permissions boundary or a session policy only restricts (R17): without it an Allow stays Allow. A
    session policy that allows everything is transparent; so is such a boundary, unless a resource-based Deny
    uses NotPrincipal (which always applies to a caller with a boundary, R6)."""
    policies, request = case
    which = data.draw(st.sampled_from(["permission_boundary", "session"]), label="which")
    if policies[which] is None:
        policies = {**policies, which: data.draw(S.policies(which), label="policy")}
    with_it = decision(engine, policies, request)
    without = decision(engine, {**policies, which: None}, request)
    if with_it == "Allow":
        assert without == "Allow"
    if without == "ExplicitDeny":
        assert with_it == "ExplicitDeny"
    allow_all = new_policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    transparent = decision(engine, {**policies, which: allow_all}, request)
    not_principal_deny = policies["resource"] is not None and any(
        "NotPrincipal" in s and s["Effect"] == "Deny" for s in statements_of(policies["resource"])
    )
    if which == "session" or not not_principal_deny:
        assert transparent == without


@_settings(40)
@given(case=S.cases(), data=st.data())
def test_R17_R18_adding_an_allow_never_revokes(engine: Any, case: Any, data: Any) -> None:
    """Allow statements only add permissions: appending one to an existing policy (identity, resource-based,
    boundary, session, an SCP) or adding an identity policy never turns Allow into a refusal."""
    policies, request = case

    def allow_for(kind: str) -> dict[str, Any]:
        if kind == "rcp":  # RCPs hold only Denies; an Allow would be RCPFullAWSAccess's job
            return data.draw(S.deny_statements(kind), label="allow")
        if data.draw(st.booleans(), label="aimed"):
            return data.draw(S.aimed_statements(kind, request, "Allow"), label="allow")
        return data.draw(S.allow_statements(kind), label="allow")

    before = decision(engine, policies, request)
    changed, where, strong = add_statement(data, policies, allow_for)
    if (
        where[0] == "rcp"
        or not strong
        or (where[0] in ("permission_boundary", "session") and policies[where[0]] is None)
    ):
        return  # not an Allow added to an existing layer
    if where[0] == "resource" and policies["resource"] is None:
        return
    after = decision(engine, changed, request)
    if before == "Allow":
        assert after == "Allow"


# =================================================================================================================
# R19, R20, R21: who must allow
# =================================================================================================================


@_settings(30)
@given(case=S.cases(), data=st.data())
def test_R20_get_caller_identity_is_always_allowed(engine: Any, case: Any, data: Any) -> None:
    policies, request = case
    request = {**request, "action": data.draw(S.vary_case("sts:GetCallerIdentity")), "resource": "*"}
    assert decision(engine, policies, request) == "Allow"


@_settings(40)
@given(case=S.cases())
def test_R21_without_a_resource_policy_no_cross_account_nor_service_access(engine: Any, case: Any) -> None:
    """Across accounts both sides must allow and a missing resource policy means deny (R21); service principals
    and anonymous callers have only resource-based policies to grant them anything."""
    policies, request = case
    policies = {**policies, "resource": None}
    pa, ra = effective_accounts(request)
    outsider = caller_kind(request) in ("service", "anonymous") or pa != ra
    if outsider and not is_gci(request):
        assert decision(engine, policies, request) != "Allow"


@_settings(40)
@given(case=S.cases())
def test_R19_trust_and_key_policies_must_allow_explicitly(engine: Any, case: Any) -> None:
    """sts:AssumeRole* on a role and KMS actions on a key need the role's trust policy or the key policy to
    allow: with no resource-based policy they are never allowed, whatever the identity side says (R19), the
    account root user included for KMS keys (R20a)."""
    policies, request = case
    action = request["action"].lower()
    resource = request["resource"]
    fields = resource.split(":", 5) if resource != "*" else None
    trust = (
        action.startswith("sts:assumerole")
        and fields is not None
        and fields[2] == "iam"
        and fields[5].startswith("role/")
    )
    key = (
        action.startswith("kms:")
        and fields is not None
        and fields[2] == "kms"
        and fields[5].startswith("key/")
    )
    if (trust and caller_kind(request) != "root") or key:
        assert decision(engine, {**policies, "resource": None}, request) != "Allow"


# =================================================================================================================
# R2, R3, order: what must not matter
# =================================================================================================================


@_settings(30)
@given(case=S.cases(), data=st.data())
def test_R2_context_key_names_are_case_insensitive(engine: Any, case: Any, data: Any) -> None:
    policies, request = case
    context = {data.draw(S.vary_case(k), label="key"): v for k, v in request["context"].items()}
    recased = {**request, "context": context}
    assert run(engine, policies, recased).to_dict() == run(engine, policies, request).to_dict()


@_settings(30)
@given(case=S.cases(), data=st.data())
def test_R3_request_action_is_case_insensitive(engine: Any, case: Any, data: Any) -> None:
    policies, request = case
    recased = {**request, "action": data.draw(S.vary_case(request["action"]), label="action")}
    assert run(engine, policies, recased).to_dict() == run(engine, policies, request).to_dict()


@_settings(30)
@given(case=S.cases())
def test_R14_order_of_policies_and_statements_does_not_matter(engine: Any, case: Any) -> None:
    """The decision depends on which statements apply, not on where they are written."""
    policies, request = case

    def reverse(doc: dict[str, Any]) -> dict[str, Any]:
        return {**doc, "Statement": list(reversed(statements_of(doc)))}

    p = copy.deepcopy(policies)
    p["identity"] = [reverse(d) for d in reversed(p["identity"])]
    for k in ("resource", "permission_boundary", "session"):
        if p[k] is not None:
            p[k] = reverse(p[k])
    for k in ("scps", "rcps"):
        if p[k] is not None:
            p[k] = [[reverse(d) for d in reversed(level)] for level in p[k]]
    assert decision(engine, p, request) == decision(engine, policies, request)
