"""One focused test (or a few) per rule of IAM_RULES.md, against the pure-Python reference evaluator.

The vectors in tests/vectors/ cover the rules broadly; these tests pin each rule in the smallest form, so that
a failure names the rule that broke.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from iameval import reference
from iameval.reference import Decision, PolicyError, PolicySet, Request, RequestError

ALICE = "arn:aws:iam::111111111111:user/alice"
ROLE = "arn:aws:iam::111111111111:role/app"
SESSION = "arn:aws:sts::111111111111:assumed-role/app/s1"
ROOT = "arn:aws:iam::111111111111:root"
BOB = "arn:aws:iam::222222222222:user/bob"
BUCKET_KEY = "arn:aws:s3:::bucket/key"


def stmt(
    effect: str = "Allow", action: Any = "s3:GetObject", resource: Any = "*", **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect, "Action": action}
    if resource is not None:
        out["Resource"] = resource
    out.update(extra)
    return out


def pol(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    doc: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return doc


def decide(
    principal: str = ALICE,
    action: str = "s3:GetObject",
    target: str = BUCKET_KEY,
    context: dict[str, Any] | None = None,
    **policies: Any,
) -> Decision:
    ps = PolicySet(**policies)
    return ps.evaluate(Request(principal, action, target, context or {})).decision


ALLOW, EXPLICIT, IMPLICIT = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY


# --- R1, R2: the request ------------------------------------------------------------------------------------


def test_r1_accounts_default_from_arns_and_s3_takes_principal_account() -> None:
    ps = PolicySet(identity=[pol(stmt(resource="*"))])
    # S3 ARNs carry no account: same account as the principal, so the identity Allow suffices
    assert ps.evaluate({"principal": ALICE, "action": "s3:GetObject", "resource": BUCKET_KEY}).allowed
    # an explicit resource account makes it cross-account: no resource policy, so deny (R21)
    req = {
        "principal": ALICE,
        "action": "s3:GetObject",
        "resource": BUCKET_KEY,
        "resource_account": "222222222222",
    }
    assert ps.evaluate(req).decision is IMPLICIT


def test_r1_malformed_request_raises_request_error_with_pointer() -> None:
    ps = PolicySet(identity=[pol(stmt())])
    with pytest.raises(RequestError) as info:
        ps.evaluate(
            {"principal": ALICE, "action": "GetObject", "resource": "bucket", "context": {"k": {"x": 1}}}
        )
    pointers = {e["pointer"] for e in info.value.errors()}
    assert {"/action", "/resource", "/context/k"} <= pointers
    assert isinstance(info.value, ValueError)


def test_r2_context_key_names_are_case_insensitive_including_tag_keys() -> None:
    cond = {"StringEquals": {"aws:PrincipalTag/Team": "red"}}
    policies = {"identity": [pol(stmt(Condition=cond))]}
    assert decide(context={"AWS:PRINCIPALTAG/TEAM": "red"}, **policies) is ALLOW


# --- R3, R4: action and resource ----------------------------------------------------------------------------


def test_r3_actions_case_insensitive_with_wildcards() -> None:
    assert decide(identity=[pol(stmt(action="S3:get*"))]) is ALLOW
    assert decide(identity=[pol(stmt(action="s3:Get?bject"))]) is ALLOW
    assert decide(identity=[pol(stmt(action="s3:Put*"))]) is IMPLICIT


def test_r3_not_action_matches_every_other_action() -> None:
    assert decide(identity=[pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})]) is ALLOW
    assert decide(identity=[pol({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})]) is IMPLICIT


def test_r4_resource_fields_and_case() -> None:
    arn = "arn:aws:ec2:us-west-2:111111111111:instance/i-1"
    ok = [
        "arn:aws:ec2:*:111111111111:instance/*",
        "ARN:AWS:EC2:US-WEST-2:111111111111:instance/i-1",  # first five fields case-insensitive (Decision)
        "arn:aws:ec2:*",  # short pattern ending in *: padded with * fields
        "arn:aws:ec2:us-west-2:111111111111:*",
    ]
    bad = ["arn:aws:ec2:us-west-2:111111111111:INSTANCE/i-1", "arn:aws:ec2:us-*-2:2*:instance/i-1"]
    for pattern in ok:
        assert (
            decide(
                action="ec2:StartInstances",
                target=arn,
                identity=[pol(stmt(action="ec2:*", resource=pattern))],
            )
            is ALLOW
        ), pattern
    for pattern in bad:
        assert (
            decide(
                action="ec2:StartInstances",
                target=arn,
                identity=[pol(stmt(action="ec2:*", resource=pattern))],
            )
            is IMPLICIT
        ), pattern


def test_r4_star_in_resource_part_spans_slash_and_colon() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:a/b:c"
    assert (
        decide(
            action="secretsmanager:GetSecretValue",
            target=arn,
            identity=[pol(stmt(action="*", resource="arn:aws:secretsmanager:us-east-1:111111111111:*c"))],
        )
        is ALLOW
    )


def test_r4_short_pattern_without_star_padded_except_in_resource_policies() -> None:
    # identity: "arn:aws:sqs" is padded with * fields
    arn = "arn:aws:sqs:us-east-1:111111111111:q"
    assert (
        decide(
            action="sqs:SendMessage", target=arn, identity=[pol(stmt(action="sqs:*", resource="arn:aws:sqs"))]
        )
        is ALLOW
    )
    # resource-based: matches nothing (Decision)
    res = pol(stmt(action="sqs:*", resource="arn:aws:sqs", Principal={"AWS": ALICE}))
    assert decide(action="sqs:SendMessage", target=arn, resource=res) is IMPLICIT


def test_r4_request_resource_star_only_matched_by_star() -> None:
    assert (
        decide(action="s3:ListAllMyBuckets", target="*", identity=[pol(stmt(action="s3:*", resource="*"))])
        is ALLOW
    )
    assert (
        decide(
            action="s3:ListAllMyBuckets",
            target="*",
            identity=[pol(stmt(action="s3:*", resource="arn:aws:s3:::*"))],
        )
        is IMPLICIT
    )


def test_r4_not_resource() -> None:
    p = pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::other/*"})
    assert decide(identity=[p]) is ALLOW
    assert decide(target="arn:aws:s3:::other/x", identity=[p]) is IMPLICIT


# --- R5, R6: principals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal_elem", "caller", "expected"),
    [
        ("*", ALICE, ALLOW),
        ({"AWS": "*"}, ALICE, ALLOW),
        ({"AWS": ALICE}, ALICE, ALLOW),
        ({"AWS": "arn:aws:iam::111111111111:user/Alice"}, ALICE, IMPLICIT),  # exact comparison
        ({"AWS": ROLE}, SESSION, ALLOW),  # a role ARN names every session of the role
        ({"AWS": "arn:aws:iam::111111111111:role/path/app"}, SESSION, ALLOW),  # session ARN carries no path
        ({"AWS": SESSION}, SESSION, ALLOW),
        ({"AWS": "arn:aws:sts::111111111111:assumed-role/app/other"}, SESSION, IMPLICIT),
        ({"Service": "events.amazonaws.com"}, "events.amazonaws.com", ALLOW),
        ({"Service": "sns.amazonaws.com"}, "events.amazonaws.com", IMPLICIT),
        ({"AWS": "111111111111"}, "events.amazonaws.com", IMPLICIT),
    ],
)
def test_r5_principal_forms(principal_elem: Any, caller: str, expected: Decision) -> None:
    res = pol(stmt(Principal=principal_elem))
    assert decide(principal=caller, resource=res) is expected


def test_r5_account_principal_is_delegation() -> None:
    res = pol(stmt(Principal={"AWS": "111111111111"}))
    assert decide(resource=res) is IMPLICIT  # the account's identity policies must also allow
    assert decide(resource=res, identity=[pol(stmt())]) is ALLOW


def test_r6_not_principal_exemptions() -> None:
    deny_all_but = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    allow_id = [pol(stmt())]
    # listing the caller's user ARN exempts it
    res = pol({**deny_all_but, "NotPrincipal": {"AWS": [ALICE]}})
    assert decide(identity=allow_id, resource=res) is ALLOW
    # listing only the account does not exempt its users (Decision)
    res = pol({**deny_all_but, "NotPrincipal": {"AWS": ["111111111111"]}})
    assert decide(identity=allow_id, resource=res) is EXPLICIT
    # a session is exempt when its role ARN is listed
    res = pol({**deny_all_but, "NotPrincipal": {"AWS": [ROLE]}})
    assert decide(principal=SESSION, identity=allow_id, resource=res) is ALLOW


def test_r6_not_principal_deny_always_denies_caller_with_boundary() -> None:
    res = pol({"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": [ALICE]}})
    boundary = pol(stmt(action="*"))
    assert decide(identity=[pol(stmt())], resource=res, permission_boundary=boundary) is EXPLICIT


def test_r6_allow_not_principal_grants_to_others() -> None:
    res = pol({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": [BOB]}})
    assert decide(resource=res) is ALLOW


# --- R7: statements and grammar -----------------------------------------------------------------------------


def test_r7_all_parts_must_match() -> None:
    cond = {"StringEquals": {"aws:username": "alice"}}
    assert decide(context={"aws:username": "alice"}, identity=[pol(stmt(Condition=cond))]) is ALLOW
    assert decide(context={"aws:username": "bob"}, identity=[pol(stmt(Condition=cond))]) is IMPLICIT


def test_grammar_every_error_located() -> None:
    bad = {
        "Version": "2020-01-01",
        "Statement": [
            {"Effect": "Permit", "Action": "s3:GetObject", "NotAction": "s3:Put*", "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"StringLikes": {"k": "v"}},
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": "*", "Extra": 1},
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"NumericLessThan": {"k": "x"}},
            },
        ],
    }
    with pytest.raises(PolicyError) as info:
        PolicySet(identity=[bad])
    got = {(e["pointer"], e["type"]) for e in info.value.errors()}
    assert got == {
        ("/Version", "invalid_value"),
        ("/Statement/0/Effect", "invalid_value"),
        ("/Statement/0", "conflicting_elements"),
        ("/Statement/1/Condition/StringLikes", "unknown_operator"),
        ("/Statement/2/Principal", "element_not_allowed"),
        ("/Statement/2/Extra", "unknown_element"),
        ("/Statement/3/Condition/NumericLessThan/k", "invalid_condition_value"),
    }
    assert all(e["policy"] == "identity/0" for e in info.value.errors())


def test_grammar_duplicate_keys_and_invalid_json_in_text() -> None:
    with pytest.raises(PolicyError) as info:
        PolicySet(identity=['{"Version": "2012-10-17", "Statement": [], "Statement": []}'])
    assert info.value.errors()[0]["pointer"] == "/Statement"
    assert info.value.errors()[0]["type"] == "json_duplicate_key"
    with pytest.raises(PolicyError) as info:
        PolicySet(identity=[b'{"Statement": [,]}'])
    assert "line 1 column" in info.value.errors()[0]["message"]


def test_grammar_operator_names_case_insensitive_and_statement_object() -> None:
    p = {"Statement": stmt(Condition={"ForAnyValue:Stringlike": {"aws:TagKeys": "a*"}})}
    assert decide(context={"aws:TagKeys": ["ab"]}, identity=[p]) is ALLOW


def _messages(doc: Any, kind: str = "identity") -> list[tuple[str, str]]:
    return [(e["pointer"], e["message"]) for e in reference.validate_policy(doc, kind=kind)]


def _operator_messages(*operators: str) -> list[str]:
    doc = pol(stmt(Condition={op: {"k": "v"} for op in operators}))
    return [message for _, message in _messages(doc)]


def test_grammar_did_you_mean_element() -> None:
    """An unknown element names the closest element valid where it stands (reference.hints): Levenshtein on
    ASCII-lower-cased names, within max(1, len // 3); a wrong-case name is an error and the hint its case."""
    doc = {"version": "2012-10-17", "Statment": [stmt()]}
    assert _messages(doc) == [
        ("/version", "unknown element `version` (did you mean `Version`?)"),
        ("/Statment", "unknown element `Statment` (did you mean `Statement`?)"),
        ("", "a policy needs a `Statement` element"),
    ]
    bad = {"Efect": "Allow", "Action": "*", "Resource": "*", "Resources": "*", "Id": "x", "Conditions": {}}
    assert _messages(pol({**bad, "effect": "Allow"})) == [
        ("/Statement/0/Efect", "unknown element `Efect` (did you mean `Effect`?)"),
        ("/Statement/0/Resources", "unknown element `Resources` (did you mean `Resource`?)"),
        ("/Statement/0/Id", "unknown element `Id` (did you mean `Sid`?)"),
        ("/Statement/0/Conditions", "unknown element `Conditions` (did you mean `Condition`?)"),
        ("/Statement/0/effect", "unknown element `effect` (did you mean `Effect`?)"),
        ("/Statement/0", "a statement needs an `Effect` element"),
    ]
    principal = {"Aws": "*", "Services": "s", "federated": "f", "Canonical": "c", "Group": "g"}
    assert _messages(pol(stmt(resource=None, Principal=principal)), kind="resource") == [
        ("/Statement/0/Principal/Aws", "unknown principal type `Aws` (did you mean `AWS`?)"),
        ("/Statement/0/Principal/Services", "unknown principal type `Services` (did you mean `Service`?)"),
        (
            "/Statement/0/Principal/federated",
            "unknown principal type `federated` (did you mean `Federated`?)",
        ),
        (
            "/Statement/0/Principal/Canonical",
            "unknown principal type `Canonical` (did you mean `CanonicalUser`?)",
        ),
        ("/Statement/0/Principal/Group", "unknown principal type `Group`"),
    ]
    # the type is unchanged; the hint is only a suggestion, the policy is still rejected
    assert [e["type"] for e in reference.validate_policy(pol({**stmt(), "Efect": "Allow"}))] == [
        "unknown_element"
    ]


def test_grammar_did_you_mean_operator() -> None:
    assert _operator_messages(
        "StringEqualz",
        "IpAddres",
        "stringequal",
        "NumericLessThanEqual",
        "StringEqualzIfExists",
        "ArnLikIfExists",
        "StringEqualsIfExist",
        "ArnLikeifexist",
        "Nul",
        "bool2",
    ) == [
        "unknown condition operator `StringEqualz` (did you mean `StringEquals`?)",
        "unknown condition operator `IpAddres` (did you mean `IpAddress`?)",
        "unknown condition operator `stringequal` (did you mean `StringEquals`?)",
        "unknown condition operator `NumericLessThanEqual` (did you mean `NumericLessThanEquals`?)",
        "unknown condition operator `StringEqualzIfExists` (did you mean `StringEqualsIfExists`?)",
        "unknown condition operator `ArnLikIfExists` (did you mean `ArnLikeIfExists`?)",
        "unknown condition operator `StringEqualsIfExist` (did you mean `StringEqualsIfExists`?)",
        "unknown condition operator `ArnLikeifexist` (did you mean `ArnLikeIfExists`?)",
        "unknown condition operator `Nul` (did you mean `Null`?)",
        "unknown condition operator `bool2` (did you mean `Bool`?)",
    ]


def test_grammar_did_you_mean_qualifier() -> None:
    assert _operator_messages(
        "ForAllValue:StringEquals",
        "ForAnyValues:StringLikeIfExists",
        "forallvalues:StringLik",
        "ForAnyValue:StringEqualz",
        "ForAllValue:Nul",
        "ForAnyValue:NullIfExists",
        "Condition:StringEquals",
    ) == [
        "unknown condition operator `ForAllValue:StringEquals` (did you mean `ForAllValues:StringEquals`?)",
        "unknown condition operator `ForAnyValues:StringLikeIfExists` (did you mean "
        "`ForAnyValue:StringLikeIfExists`?)",
        "unknown condition operator `forallvalues:StringLik` (did you mean `ForAllValues:StringLike`?)",
        "unknown condition operator `ForAnyValue:StringEqualz` (did you mean `ForAnyValue:StringEquals`?)",
        "unknown condition operator `ForAllValue:Nul` (did you mean `ForAllValues:Null`?)",
        "unknown condition operator `ForAnyValue:NullIfExists`",
        "unknown condition operator `Condition:StringEquals`",
    ]


def test_grammar_did_you_mean_no_hint_when_far() -> None:
    far = (
        "NullIfExists",
        "nullifexists",
        "xyz",
        "",
        "IfExists",
        "ArnXyzIfExists",
        "ForEveryValue:StringEquals",
    )
    assert _operator_messages(*far) == [f"unknown condition operator `{op}`" for op in far]
    long = "S" * 100_000
    assert _messages(pol({**stmt(), long: 1})) == [(f"/Statement/0/{long}", f"unknown element `{long}`")]
    assert _messages({"Statement": [], "Foo": 1, "Versionz12": 2}) == [
        ("/Foo", "unknown element `Foo`"),
        ("/Versionz12", "unknown element `Versionz12`"),
    ]


def test_grammar_did_you_mean_distance_and_closest() -> None:
    from iameval.reference.hints import closest, distance

    assert distance("kitten", "sitting") == 3
    assert distance("stringequals", "StringEquals") == 0
    assert distance("Ä", "ä") == 1  # only ASCII letters are folded
    assert closest("Id", ("Sid", "Effect")) == "Sid"  # bound max(1, 3 // 3) = 1
    assert closest("ab", ("aa", "bb")) == "aa"  # a tie: the first in list order
    assert closest("Boo", ("Bo", "Boolean")) == "Bo"  # each candidate has its own bound
    assert closest("Boolea", ("Bo", "Boolean")) == "Boolean"
    assert closest("x" * 100_000, ("Version", "Id")) is None


def test_grammar_dict_str_and_bytes_give_the_same_answer() -> None:
    doc = pol(stmt())
    for form in (doc, json.dumps(doc), json.dumps(doc).encode()):
        assert decide(identity=[form]) is ALLOW


# --- R8-R12: conditions --------------------------------------------------------------------------------------


def test_r8_values_ored_keys_and_operators_anded_negated_nor() -> None:
    ctx = {"aws:username": "alice", "aws:PrincipalTag/team": "red"}
    ok = {"StringEquals": {"aws:username": ["bob", "alice"], "aws:PrincipalTag/team": "red"}}
    assert decide(context=ctx, identity=[pol(stmt(Condition=ok))]) is ALLOW
    no = {"StringEquals": {"aws:username": "alice"}, "StringLike": {"aws:PrincipalTag/team": "b*"}}
    assert decide(context=ctx, identity=[pol(stmt(Condition=no))]) is IMPLICIT
    nor = {"StringNotEquals": {"aws:username": ["bob", "alice"]}}
    assert decide(context=ctx, identity=[pol(stmt(Condition=nor))]) is IMPLICIT


def test_r9_missing_key_rules() -> None:
    def one(op: str) -> Decision:
        return decide(identity=[pol(stmt(Condition={op: {"aws:SourceVpc": "vpc-1"}}))])

    assert one("StringEquals") is IMPLICIT
    assert one("StringNotEquals") is ALLOW
    assert one("StringEqualsIfExists") is ALLOW
    assert one("ForAllValues:StringEqualsIfExists") is ALLOW
    assert one("ForAnyValue:StringEqualsIfExists") is IMPLICIT


def test_r10_null() -> None:
    assert decide(identity=[pol(stmt(Condition={"Null": {"aws:SourceVpc": "true"}}))]) is ALLOW
    assert decide(identity=[pol(stmt(Condition={"Null": {"aws:SourceVpc": "false"}}))]) is IMPLICIT
    assert (
        decide(
            context={"aws:SourceVpc": "v"}, identity=[pol(stmt(Condition={"Null": {"aws:SourceVpc": False}}))]
        )
        is ALLOW
    )


@pytest.mark.parametrize(
    ("op", "policy_value", "request_value", "holds"),
    [
        ("StringEqualsIgnoreCase", "STRASSE", "straße", True),  # Unicode case folding
        ("StringLike", "a*:b?", "a/x:b1", True),
        ("NumericEquals", "3600", "3600.0", True),
        ("NumericLessThan", 10, "9.5", True),
        ("NumericGreaterThanEquals", "10", "x", False),
        (
            "NumericNotEquals",
            "10",
            "x",
            False,
        ),  # unreadable request value: false even when negated (Decision)
        ("DateEquals", "1700000000", "2023-11-14T22:13:20Z", True),
        ("DateLessThan", "2024-06-01", "2024-05-31T23:59:59+00:00", True),
        ("DateGreaterThan", "2024-06-01T00:00:00+02:00", "2024-05-31T23:00:00Z", True),
        ("DateNotEquals", "2024-06-01", "soon", False),
        ("Bool", "TRUE", "true", True),
        ("Bool", True, "false", False),
        ("BinaryEquals", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", True),
        ("IpAddress", "10.0.0.0/8", "10.1.2.3", True),
        ("IpAddress", "10.1.2.3", "10.1.2.3", True),
        ("IpAddress", "0.0.0.0/0", "2001:db8::1", False),
        ("NotIpAddress", "2001:DB8::/32", "2001:db8::1", False),
        ("NotIpAddress", "10.0.0.0/8", "not-an-ip", False),
        ("ArnLike", "arn:aws:iam::*:role/*", "arn:aws:iam::1:role/a/b", True),
        ("ArnLike", "arn:aws:iam::*", "arn:aws:sts::1:assumed-role/a/b", False),
        ("ArnEquals", "arn:aws:iam::1:ROLE/x", "arn:aws:iam::1:role/x", False),
        ("ArnNotLike", "arn:aws:iam::2:*", "arn:aws:iam::1:user/a", True),
    ],
)
def test_r11_operator_families(op: str, policy_value: Any, request_value: str, holds: bool) -> None:
    p = pol(stmt(Condition={op: {"k:key": policy_value}}))
    assert decide(context={"k:key": request_value}, identity=[p]) is (ALLOW if holds else IMPLICIT)


def test_r11_unreadable_policy_value_is_a_policy_error() -> None:
    for op, value in [
        ("NumericEquals", "ten"),
        ("DateEquals", "tomorrow"),
        ("Bool", "yes"),
        ("IpAddress", "1.2.3"),
    ]:
        with pytest.raises(PolicyError):
            PolicySet(identity=[pol(stmt(Condition={op: {"k": value}}))])


def test_r12_set_operators_and_multivalued_keys() -> None:
    def one(op: str, values: list[str], ctx_value: Any) -> Decision:
        return decide(
            context={"aws:TagKeys": ctx_value}, identity=[pol(stmt(Condition={op: {"aws:TagKeys": values}}))]
        )

    assert one("ForAllValues:StringEquals", ["a", "b"], ["a"]) is ALLOW
    assert one("ForAllValues:StringEquals", ["a"], ["a", "c"]) is IMPLICIT
    assert one("ForAllValues:StringEquals", ["a"], []) is ALLOW
    assert one("ForAnyValue:StringEquals", ["a"], []) is IMPLICIT
    assert one("ForAnyValue:StringEquals", ["a"], ["c", "a"]) is ALLOW
    assert one("ForAnyValue:StringEquals", ["a"], "a") is ALLOW  # single value = one-element set
    # Decision: plain operator on a multivalued key: ForAnyValue (positive), ForAllValues (negated)
    assert one("StringEquals", ["a"], ["c", "a"]) is ALLOW
    assert one("StringNotEquals", ["a"], ["c", "a"]) is IMPLICIT
    assert one("StringNotEquals", ["a"], ["c", "d"]) is ALLOW


# --- R13: policy variables ------------------------------------------------------------------------------------


def test_r13_variables_only_in_2012_policies() -> None:
    ctx = {"aws:username": "alice"}
    res = "arn:aws:s3:::bucket/${aws:username}/*"
    assert (
        decide(target="arn:aws:s3:::bucket/alice/x", context=ctx, identity=[pol(stmt(resource=res))]) is ALLOW
    )
    old = pol(stmt(resource=res), version="2008-10-17")
    assert decide(target="arn:aws:s3:::bucket/alice/x", context=ctx, identity=[old]) is IMPLICIT
    assert (
        decide(
            target="arn:aws:s3:::bucket/alice/x",
            context=ctx,
            identity=[pol(stmt(resource=res), version=None)],
        )
        is IMPLICIT
    )


def test_r13_escapes_defaults_and_literal_substitution() -> None:
    ctx = {"aws:PrincipalTag/p": "a*"}
    p = pol(stmt(resource="arn:aws:s3:::b/${aws:PrincipalTag/p}"))
    assert decide(target="arn:aws:s3:::b/a*", context=ctx, identity=[p]) is ALLOW
    assert (
        decide(target="arn:aws:s3:::b/abc", context=ctx, identity=[p]) is IMPLICIT
    )  # substituted text is literal
    esc = pol(stmt(resource="arn:aws:s3:::b/what${?}${*}${$}"))
    assert decide(target="arn:aws:s3:::b/what?*$", identity=[esc]) is ALLOW
    assert decide(target="arn:aws:s3:::b/whatX*$", identity=[esc]) is IMPLICIT
    dflt = pol(stmt(resource="arn:aws:s3:::b/${aws:username, 'nobody'}"))
    assert decide(target="arn:aws:s3:::b/nobody", identity=[dflt]) is ALLOW


def test_r13_unresolvable_variable_fails_closed() -> None:
    pos = pol(stmt(Condition={"StringEquals": {"s3:prefix": ["${aws:username}", "home"]}}))
    assert decide(context={"s3:prefix": "home"}, identity=[pos]) is ALLOW  # other values still tried
    neg = pol(stmt(Condition={"StringNotEquals": {"s3:prefix": ["${aws:username}"]}}))
    assert decide(context={"s3:prefix": "home"}, identity=[neg]) is IMPLICIT
    notres = pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/${aws:username}"})
    assert decide(identity=[notres]) is IMPLICIT
    before_fifth = pol(stmt(resource="arn:aws:s3:::${aws:username}"))
    assert (
        decide(target="arn:aws:s3:::alice", context={"aws:username": "alice"}, identity=[before_fifth])
        is ALLOW
    )
    account = pol(stmt(action="ec2:*", resource="arn:aws:ec2:us-east-1:${aws:PrincipalAccount}:instance/*"))
    arn = "arn:aws:ec2:us-east-1:111111111111:instance/i-1"
    assert (
        decide(
            action="ec2:StartInstances",
            target=arn,
            context={"aws:PrincipalAccount": "111111111111"},
            identity=[account],
        )
        is IMPLICIT
    )


def test_r13_variables_not_substituted_in_numeric_or_actions() -> None:
    p = pol(stmt(action="s3:${aws:username}"))
    assert decide(context={"aws:username": "GetObject"}, identity=[p]) is IMPLICIT


# --- R14-R21: combining -------------------------------------------------------------------------------------------


def test_r14_explicit_deny_wins_everywhere() -> None:
    allow = [pol(stmt())]
    deny = pol(stmt("Deny"))
    assert decide(identity=[*allow, deny]) is EXPLICIT
    assert decide(identity=allow, permission_boundary=deny) is EXPLICIT
    assert decide(identity=allow, session=deny) is EXPLICIT
    assert decide(identity=allow, scps=[[pol(stmt(action="*")), deny]]) is EXPLICIT
    assert decide(identity=allow, rcps=[[pol(stmt("Deny", Principal="*"))]]) is EXPLICIT
    assert decide(identity=allow, resource=pol(stmt("Deny", Principal="*"))) is EXPLICIT


def test_r15_scp_levels() -> None:
    full = pol(stmt(action="*"))
    allow = [pol(stmt())]
    assert decide(identity=allow, scps=[[full], [full]]) is ALLOW
    assert decide(identity=allow, scps=[[full], []]) is IMPLICIT  # an empty level allows nothing
    assert decide(identity=allow, scps=[[full], [pol(stmt(action="ec2:*"))]]) is IMPLICIT
    assert decide(identity=[], scps=[[full]]) is IMPLICIT  # SCPs never grant
    slr = "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX"
    assert decide(principal=slr, identity=allow, scps=[[]]) is ALLOW  # service-linked roles exempt
    assert decide(principal=ROOT, scps=[[pol(stmt("Deny"))]]) is EXPLICIT  # member account root too


def test_r16_rcps_only_for_supported_services_and_never_grant() -> None:
    deny = [[pol(stmt("Deny", action="*", Principal="*"))]]
    assert decide(identity=[pol(stmt())], rcps=deny) is EXPLICIT
    arn = "arn:aws:ec2:us-east-1:111111111111:instance/i-1"
    assert (
        decide(action="ec2:StartInstances", target=arn, identity=[pol(stmt(action="ec2:*"))], rcps=deny)
        is ALLOW
    )
    assert decide(identity=[], rcps=[[]]) is IMPLICIT
    assert "s3" in reference.RCP_SERVICES


def test_r17_boundary_and_session_must_also_allow_and_never_grant() -> None:
    allow = [pol(stmt())]
    assert decide(identity=allow, permission_boundary=pol(stmt(action="ec2:*"))) is IMPLICIT
    assert decide(identity=[], permission_boundary=pol(stmt())) is IMPLICIT
    assert decide(principal=SESSION, identity=allow, session=pol(stmt(action="ec2:*"))) is IMPLICIT
    assert (
        decide(principal=SESSION, identity=allow, session=pol(stmt()), permission_boundary=pol(stmt()))
        is ALLOW
    )


@pytest.mark.parametrize(
    ("named", "caller", "no_identity", "no_boundary", "no_session"),
    [
        (ALICE, ALICE, ALLOW, ALLOW, None),
        (ROLE, SESSION, ALLOW, IMPLICIT, IMPLICIT),
        (SESSION, SESSION, ALLOW, ALLOW, ALLOW),
        (
            "arn:aws:sts::111111111111:federated-user/fed",
            "arn:aws:sts::111111111111:federated-user/fed",
            ALLOW,
            ALLOW,
            ALLOW,
        ),
        ("111111111111", SESSION, IMPLICIT, IMPLICIT, IMPLICIT),
        (ROOT, ALICE, IMPLICIT, IMPLICIT, None),
        ("*", SESSION, ALLOW, ALLOW, ALLOW),
    ],
)
def test_r18_same_account_resource_policy_table(
    named: str, caller: str, no_identity: Decision, no_boundary: Decision, no_session: Decision | None
) -> None:
    res = pol(stmt(Principal={"AWS": named}))
    other = [pol(stmt(action="ec2:*"))]
    allow = [pol(stmt())]
    assert decide(principal=caller, resource=res, identity=other) is no_identity
    assert (
        decide(principal=caller, resource=res, identity=allow, permission_boundary=pol(stmt(action="ec2:*")))
        is no_boundary
    )
    if no_session is not None:
        assert (
            decide(principal=caller, resource=res, identity=allow, session=pol(stmt(action="ec2:*")))
            is no_session
        )


def test_r18_not_principal_allow_acts_as_star() -> None:
    res = pol({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": BOB}})
    assert decide(principal=SESSION, resource=res, session=pol(stmt(action="ec2:*"))) is ALLOW


def test_r19_trust_and_kms_key_policies_must_allow_explicitly() -> None:
    allow_all = [pol(stmt(action="*"))]
    assert (
        decide(action="sts:AssumeRole", target="arn:aws:iam::111111111111:role/target", identity=allow_all)
        is IMPLICIT
    )
    trust = pol({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ALICE}})
    assert (
        decide(action="sts:AssumeRole", target="arn:aws:iam::111111111111:role/target", resource=trust)
        is ALLOW
    )
    key = "arn:aws:kms:us-east-1:111111111111:key/k1"
    assert decide(action="kms:Decrypt", target=key, identity=allow_all) is IMPLICIT
    key_policy = pol(stmt(action="kms:*", Principal={"AWS": ROOT}))
    assert decide(action="kms:Decrypt", target=key, identity=allow_all, resource=key_policy) is ALLOW
    assert decide(action="kms:Decrypt", target=key, identity=[], resource=key_policy) is IMPLICIT


def test_r20_get_caller_identity_always_allowed() -> None:
    deny = pol(stmt("Deny", action="*"))
    assert decide(action="sts:GetCallerIdentity", target="*", identity=[deny], scps=[[deny]]) is ALLOW


def test_r20a_root_user() -> None:
    assert decide(principal=ROOT) is ALLOW
    assert decide(principal=ROOT, scps=[[pol(stmt(action="ec2:*"))]]) is IMPLICIT
    assert decide(principal=ROOT, resource=pol(stmt("Deny", Principal="*"))) is EXPLICIT
    key = "arn:aws:kms:us-east-1:111111111111:key/k1"
    assert decide(principal=ROOT, action="kms:Decrypt", target=key) is IMPLICIT
    assert (
        decide(
            principal=ROOT,
            action="kms:Decrypt",
            target=key,
            resource=pol(stmt(action="kms:*", Principal={"AWS": "111111111111"})),
        )
        is ALLOW
    )


def test_r21_cross_account_needs_both_sides() -> None:
    allow = [pol(stmt())]
    res = pol(stmt(Principal={"AWS": "arn:aws:iam::222222222222:root"}))
    req = {
        "principal": BOB,
        "action": "s3:GetObject",
        "resource": BUCKET_KEY,
        "resource_account": "111111111111",
    }
    assert PolicySet(identity=allow, resource=res).evaluate(req).decision is ALLOW
    assert PolicySet(identity=allow).evaluate(req).decision is IMPLICIT
    assert PolicySet(identity=[], resource=res).evaluate(req).decision is IMPLICIT
    assert (
        PolicySet(identity=allow, resource=res, rcps=[[pol(stmt("Deny", Principal="*"))]])
        .evaluate(req)
        .decision
        is EXPLICIT
    )


def test_r22_result_explains_the_decision() -> None:
    ps = PolicySet(
        identity=[pol({**stmt(), "Sid": "Read"})],
        scps=[
            [pol(stmt(action="*"))],
            [
                pol(stmt(action="*")),
                pol({**stmt("Deny"), "Sid": "NoS3", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
            ],
        ],
    )
    res = ps.evaluate(Request(ALICE, "s3:GetObject", BUCKET_KEY, {"aws:SecureTransport": "false"}))
    assert res.decision is EXPLICIT and not res.allowed and res.decided_by == "scp"
    assert [(m.policy_type, m.level, m.policy_index, m.statement_index, m.sid) for m in res.matched] == [
        ("scp", 1, 1, 0, "NoS3")
    ]
    res = ps.evaluate(Request(ALICE, "s3:GetObject", BUCKET_KEY, {}))
    assert res.allowed and res.decided_by == "identity"
    assert res.missing_context_keys == ("aws:SecureTransport",)
    assert {m.sid for m in res.matched} == {None, "Read"}
    assert res.to_dict()["decision"] == "Allow"


def test_grammar_limits_depth_size_and_lone_surrogates() -> None:
    deep = "[" * 64 + "]" * 64  # inside the document object: 65 levels
    for text in (
        '{"Statement": ' + deep + "}",
        '{"Statement": [], "Id": "\\ud800"}',
        " " * (1024 * 1024 + 1),
    ):
        errors = reference.validate_policy(text)
        assert [(e["type"], e["pointer"]) for e in errors] == [("json_invalid", "")]
    assert (
        reference.validate_policy({"Statement": [], "Id": "x" * 2_000_000}) == []
    )  # the size limit is for text


def test_grammar_limit_statement_count() -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    assert reference.validate_policy({"Statement": [statement] * 10_000}) == []
    errors = reference.validate_policy({"Statement": [statement] * 10_001})
    assert [(e["type"], e["pointer"]) for e in errors] == [("invalid_value", "/Statement")]
    assert "at most 10000 statements" in errors[0]["message"]
