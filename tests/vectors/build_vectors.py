#!/usr/bin/env python3

"""Source of truth for iameval's own test vectors.

`python tests/vectors/build_vectors.py` rewrites the .jsonl files (deterministically).

Each case is written by hand from IAM_RULES.md (../shared/IAM_RULES.md): the expected decision and
the `why` are reasoned from the rule(s) named in the tags, never computed by an evaluator. One group
(and one .jsonl file) per rule group; ids are `<group>-NNN` in the order of the calls below. Format:
../shared/conformance/README.md. Grammar errors (policies that must be rejected when the policy set
is built) are in errors/grammar_errors.jsonl with `expected_error` instead of `expected`.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _lib import (
    ABSENT,
    ALICE,
    ALLOW_ALL,
    ANON,
    AWS,
    BOB,
    BOB_A,
    CANON_ID,
    CANON_OTHER,
    CAROL,
    FED,
    FULL,
    FUNC,
    INSTANCE,
    KEY,
    KEY_B,
    NORES,
    OBJ,
    QUEUE,
    QUEUE_B,
    ROLE,
    ROLE_B,
    ROLE_PATH,
    ROOT,
    ROOT_B,
    SAML,
    SAML_OTHER,
    SECRET,
    SESS,
    SESS2,
    SESS_B,
    SLR,
    SVC,
    TARGET,
    TOPIC,
    V08,
    V12,
    A,
    B,
    C,
    ErrorGroup,
    Group,
    P,
    allow,
    deny,
    rq,
    stmt,
)

HERE = os.path.dirname(os.path.abspath(__file__))
GROUPS: list[Group] = []


def group(prefix: str, filename: str, title: str) -> Group:
    g = Group(prefix, filename, title)
    GROUPS.append(g)
    return g


S3ALL = allow("s3:*", "*")
ALLOW_GET = allow("s3:GetObject", "*")
ALLOW_SQS = allow("sqs:SendMessage", "*")


def cond_allow(op: str, key: str, value, action: str = "s3:GetObject", version=V12):
    """An identity policy allowing `action` on * when the one condition holds."""
    return P(allow(action, "*", cond={op: {key: value}}), version=version)


# ====================================================================== R1, R2: the request
g = group("r01", "r01_request.jsonl", "R1 request fields and account defaults, R2 context keys")

g.add(
    "R1 accounts:null",
    rq(ALICE, pacct=None, racct=None),
    "Allow",
    "R1: principal_account null defaults to the ARN's account (111111111111); the S3 ARN carries no account, so "
    "resource_account defaults to the principal's: same account, the identity Allow suffices.",
    identity=ALLOW_GET,
)
g.add(
    "R1 accounts:absent",
    rq(ALICE, pacct=ABSENT, racct=ABSENT),
    "Allow",
    "R1: principal_account and resource_account absent: both default as when null; same account.",
    identity=ALLOW_GET,
)
g.add(
    "R1 accounts:null",
    rq(BOB, pacct=None, racct=None),
    "Allow",
    "R1: a user of 222222222222 on an S3 object with no resource_account: the resource account defaults to "
    "the principal's (222222222222), so this is same-account and the identity Allow suffices.",
    identity=ALLOW_GET,
)
g.add(
    "R1 R21 accounts:null",
    rq(ALICE, "sqs:SendMessage", QUEUE_B, pacct=None, racct=None),
    "ImplicitDeny",
    "R1: resource_account null defaults to the queue ARN's account 222222222222, which differs from the "
    "caller's: cross-account (R21) needs a resource policy, and there is none.",
    identity=ALLOW_SQS,
)
g.add(
    "R1 R21 accounts:null",
    rq(ALICE, "sqs:SendMessage", QUEUE_B, pacct=None, racct=None),
    "Allow",
    "R1: accounts default from the ARNs (111111111111 vs 222222222222): cross-account, and both the identity "
    "policy and the queue policy naming alice allow (R21).",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE_B, principal=AWS(ALICE))),
)
g.add(
    "R1 R21 accounts:explicit",
    rq(ALICE, racct=B),
    "ImplicitDeny",
    "R1: an S3 ARN carries no account; resource_account is given as 222222222222, so the request is "
    "cross-account and the missing bucket policy denies (R21).",
    identity=ALLOW_GET,
)
g.add(
    "R1 R21 accounts:explicit",
    rq(ALICE, racct=B),
    "Allow",
    "R1: S3 object of account 222222222222 (given explicitly); the bucket policy names alice and her identity "
    "policy allows: both sides allow (R21).",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(ALICE))),
)
g.add(
    "R1 R21 accounts:explicit",
    rq(ALICE, racct=B),
    "ImplicitDeny",
    "R1: resource_account 222222222222 given explicitly makes the request cross-account; the bucket policy "
    "alone does not grant across accounts without an identity Allow (R21).",
    resource=P(allow(principal=AWS(ALICE))),
)
g.add(
    "R1 accounts:null",
    rq(SESS, "sqs:SendMessage", QUEUE, pacct=None, racct=None),
    "Allow",
    "R1: the session ARN arn:aws:sts::111111111111:assumed-role/app/s1 carries the account; the queue is in the "
    "same account; the role's identity policy allows.",
    identity=ALLOW_SQS,
)
g.add(
    "R1 R21 accounts:null",
    rq(SESS, "sqs:SendMessage", QUEUE_B, pacct=None, racct=None),
    "ImplicitDeny",
    "R1: account from the session ARN (111111111111) vs the queue ARN (222222222222): cross-account with no "
    "queue policy (R21).",
    identity=ALLOW_SQS,
)
g.add(
    "R1 accounts:null",
    rq(ALICE, "ec2:DescribeInstances", "*", pacct=None, racct=None),
    "Allow",
    "R1: a request resource `*` carries no account; the resource account defaults to the principal's; the "
    "identity Allow on * applies.",
    identity=allow("ec2:DescribeInstances", "*"),
)
g.add(
    "R1 R21 accounts:null",
    rq(BOB, "sqs:SendMessage", QUEUE, pacct=None, racct=None),
    "Allow",
    "R1: defaults give principal account 222222222222 and resource account 111111111111; the queue policy "
    "names account 222222222222 and bob's identity policy allows (R21, R5 delegation).",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(B))),
)
g.add(
    "R1 R20a accounts:null",
    rq(ROOT, pacct=None, racct=None),
    "Allow",
    "R1: the root user's account comes from its ARN; the S3 object defaults to the same account; the root user "
    "is allowed everything in its own account (R20a).",
)
g.add(
    "R1 R20a R21 accounts:null",
    rq(ROOT_B, "sqs:SendMessage", QUEUE, pacct=None, racct=None),
    "ImplicitDeny",
    "R1: root of 222222222222 on a queue of 111111111111 (accounts from the ARNs): cross-account, and no queue "
    "policy grants it (R21); R20a covers only its own account.",
)
g.add(
    "R1 R19 R21 accounts:null",
    rq(ALICE, "kms:Decrypt", KEY_B, pacct=None, racct=None),
    "Allow",
    "R1: the key ARN gives resource account 222222222222: cross-account; the key policy names account "
    "111111111111 and alice's identity policy allows kms:Decrypt (R19, R21).",
    identity=allow("kms:Decrypt", "*"),
    resource=P(allow("kms:Decrypt", "*", principal=AWS(f"arn:aws:iam::{A}:root"))),
)
g.add(
    "R1 R21 accounts:explicit",
    rq(BOB, "s3:GetObject", OBJ, racct=A),
    "Allow",
    "R1: S3 object whose account is given (111111111111) and a caller of 222222222222: the bucket policy names "
    "bob's account and bob's identity policy allows (R21).",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(f"arn:aws:iam::{B}:root"))),
)

# R2: key names are case-insensitive (including the tag key after aws:PrincipalTag/ etc.); values are strings.
g.add(
    "R2 key-case",
    rq(ALICE, ctx={"AWS:SOURCEIP": "10.0.0.5"}),
    "Allow",
    "R2: the context key AWS:SOURCEIP is the same key as aws:SourceIp in the policy.",
    identity=cond_allow("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
)
g.add(
    "R2 key-case",
    rq(ALICE, ctx={"aws:SourceIp": "10.0.0.5"}),
    "Allow",
    "R2: the policy key AWS:SourceIP matches the context key aws:SourceIp (names are case-insensitive).",
    identity=cond_allow("IpAddress", "AWS:SourceIP", "10.0.0.5/32"),
)
g.add(
    "R2 key-case tag-key-case",
    rq(ALICE, ctx={"aws:PrincipalTag/Team": "blue"}),
    "Allow",
    "R2: aws:principaltag/team in the policy names the context key aws:PrincipalTag/Team: the tag-key part is "
    "case-insensitive too.",
    identity=cond_allow("StringEquals", "aws:principaltag/team", "blue"),
)
g.add(
    "R2 key-case tag-key-case",
    rq(ALICE, ctx={"aws:principaltag/TEAM": "blue"}),
    "Allow",
    "R2: context key aws:principaltag/TEAM = policy key aws:PrincipalTag/team.",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/team", "blue"),
)
g.add(
    "R2 key-case tag-key-case",
    rq(ALICE, ctx={"aws:ResourceTag/Env": "prod"}),
    "Allow",
    "R2: aws:resourcetag/ENV = aws:ResourceTag/Env.",
    identity=cond_allow("StringEquals", "aws:resourcetag/ENV", "prod"),
)
g.add(
    "R2 key-case tag-key-case",
    rq(ALICE, "s3:PutObject", ctx={"aws:requesttag/costcenter": "42"}),
    "Allow",
    "R2: aws:RequestTag/CostCenter in the policy = aws:requesttag/costcenter in the context.",
    identity=cond_allow("StringEquals", "aws:RequestTag/CostCenter", "42", action="s3:PutObject"),
)
g.add(
    "R2 R11 value-case",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "Blue"}),
    "ImplicitDeny",
    "R2: only key names are case-insensitive; StringEquals compares the value `Blue` with `blue` "
    "case-sensitively (R11): no match.",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/team", "blue"),
)
g.add(
    "R2 R10 key-case",
    rq(ALICE, ctx={"aws:MultiFactorAuthPresent": "true"}),
    "Allow",
    "R2: Null names the key as AWS:MULTIFACTORAUTHPRESENT; the context has aws:MultiFactorAuthPresent: the "
    "key is present, so Null false holds (R10).",
    identity=cond_allow("Null", "AWS:MULTIFACTORAUTHPRESENT", "false"),
)
g.add(
    "R2 R14 key-case",
    rq(ALICE, ctx={"aws:RequestedRegion": "eu-west-1"}),
    "ExplicitDeny",
    "R2: Deny when aws:requestedregion (any case) is not us-east-1; the context key aws:RequestedRegion is the "
    "same key, value eu-west-1: the Deny applies.",
    identity=P(
        allow("*", "*"), deny("*", "*", cond={"StringNotEquals": {"aws:requestedregion": "us-east-1"}})
    ),
)
g.add(
    "R2 R12 multivalued",
    rq(ALICE, "s3:PutObject", ctx={"aws:TagKeys": ["env", "team"]}),
    "Allow",
    "R2: a multivalued key is a JSON list; ForAllValues:StringEquals holds as env and team are both allowed.",
    identity=cond_allow(
        "ForAllValues:StringEquals", "aws:TagKeys", ["env", "team", "owner"], action="s3:PutObject"
    ),
)
g.add(
    "R2 key-case",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", ctx={"s3:Prefix": "home/alice/"}),
    "Allow",
    "R2: service keys are case-insensitive too: S3:PREFIX = s3:Prefix.",
    identity=cond_allow("StringLike", "S3:PREFIX", "home/*", action="s3:ListBucket"),
)
g.add(
    "R2 R11 number-as-string",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", ctx={"s3:max-keys": "10"}),
    "Allow",
    "R2: numbers are given as strings in the context; NumericLessThanEquals 10 <= 10 holds.",
    identity=cond_allow("NumericLessThanEquals", "s3:max-keys", "10", action="s3:ListBucket"),
)
g.add(
    "R2 key-case",
    rq(ALICE, ctx={"aws:SecureTransport": "true"}),
    "ImplicitDeny",
    "R2: Deny if aws:securetransport is false is not triggered (true), but nothing allows: the key case does "
    "not matter and the default is implicit deny.",
    identity=P(deny(cond={"Bool": {"aws:securetransport": "false"}})),
)
g.add(
    "R2 R9 key-case",
    rq(ALICE, ctx={"AWS:PRINCIPALTAG/DEPT": "eng"}),
    "Allow",
    "R2: the key given as AWS:PRINCIPALTAG/DEPT is present for StringEqualsIfExists aws:PrincipalTag/dept, "
    "so it is evaluated (eng = eng) rather than skipped as missing (R9).",
    identity=cond_allow("StringEqualsIfExists", "aws:PrincipalTag/dept", "eng"),
)
g.add(
    "R2 R9 key-case",
    rq(ALICE, ctx={"AWS:PRINCIPALTAG/DEPT": "ops"}),
    "ImplicitDeny",
    "R2: the key is present (different case only), so StringEqualsIfExists evaluates it: ops != eng (R9).",
    identity=cond_allow("StringEqualsIfExists", "aws:PrincipalTag/dept", "eng"),
)

# ====================================================================== R3: actions
g = group("r03", "r03_actions.jsonl", "R3 Action / NotAction")


def act(action_pattern, request_action, expected, why, extra_tags=""):
    g.add(
        "R3 " + extra_tags,
        rq(ALICE, request_action, "*" if not request_action.startswith("s3:") else OBJ),
        expected,
        why,
        identity=allow(action_pattern, "*"),
    )


act("s3:GetObject", "s3:GetObject", "Allow", "R3: exact action match.", "action:exact")
act(
    "S3:GETOBJECT",
    "s3:GetObject",
    "Allow",
    "R3: actions compare case-insensitively (policy upper case).",
    "action:case",
)
act(
    "s3:GetObject",
    "S3:getobject",
    "Allow",
    "R3: actions compare case-insensitively (request in odd case).",
    "action:case",
)
act(
    "s3:get*",
    "s3:GetObject",
    "Allow",
    "R3: case-insensitive with a wildcard: s3:get* matches s3:GetObject.",
    "action:case action:wildcard",
)
act("s3:Get*", "s3:GetObject", "Allow", "R3: s3:Get* matches s3:GetObject.", "action:wildcard")
act("s3:Get*", "s3:PutObject", "ImplicitDeny", "R3: s3:Get* does not match s3:PutObject.", "action:wildcard")
act(
    "s3:*Object",
    "s3:PutObject",
    "Allow",
    "R3: a leading * in the name: s3:*Object matches s3:PutObject.",
    "action:wildcard",
)
act(
    "s3:*Object",
    "s3:GetObjectAcl",
    "ImplicitDeny",
    "R3: the pattern must match the whole action: s3:*Object does not match s3:GetObjectAcl.",
    "action:wildcard",
)
act("s3:GetObject*", "s3:GetObject", "Allow", "R3: * also matches the empty run.", "action:wildcard")
act(
    "s3:GetObject*",
    "s3:GetObjectAcl",
    "Allow",
    "R3: s3:GetObject* matches s3:GetObjectAcl.",
    "action:wildcard",
)
act("s3:GetO?ject", "s3:GetObject", "Allow", "R3: ? matches exactly one character.", "action:question")
act(
    "s3:Get?Object",
    "s3:GetObject",
    "ImplicitDeny",
    "R3: ? needs exactly one character between Get and Object; s3:GetObject has none.",
    "action:question",
)
act(
    "s3:GetObject?",
    "s3:GetObject",
    "ImplicitDeny",
    "R3: a trailing ? does not match the empty string.",
    "action:question",
)
act("s3:GetObjec?", "s3:GetObject", "Allow", "R3: s3:GetObjec? matches s3:GetObject.", "action:question")
act("*", "ec2:RunInstances", "Allow", "R3: * alone matches every action.", "action:all-star")
act(
    "s3:*",
    "ec2:DescribeInstances",
    "ImplicitDeny",
    "R3: s3:* does not match an ec2 action.",
    "action:service-star",
)
act(
    "ec2:GetObject",
    "s3:GetObject",
    "ImplicitDeny",
    "R3: same name, different service prefix: no match.",
    "action:exact",
)
act(
    ["ec2:*", "s3:GetObject"],
    "s3:GetObject",
    "Allow",
    "R3: a list matches when any entry matches.",
    "action:list",
)
act(["ec2:*", "s3:Put*"], "s3:GetObject", "ImplicitDeny", "R3: no entry of the list matches.", "action:list")
act("s3:*", "s3:GetObject", "Allow", "R3: s3:* matches every S3 action.", "action:service-star")
act("s3:*Obj*", "s3:GetObject", "Allow", "R3: two wildcards around Obj.", "action:wildcard")
act("s3:Get*Object", "s3:GetObject", "Allow", "R3: * in the middle matches the empty run.", "action:wildcard")
act("s3:G*t*t", "s3:GetObject", "Allow", "R3: several wildcards: G|e|t|Objec|t.", "action:wildcard")
act(
    "s3:GetObject",
    "s3:GetObjectAcl",
    "ImplicitDeny",
    "R3: without a wildcard the whole name must match: s3:GetObject is not a prefix match.",
    "action:exact",
)
act("iam:*User*", "iam:CreateUser", "Allow", "R3: iam:*User* matches iam:CreateUser.", "action:wildcard")
act(
    "iam:*User*",
    "iam:CreateRole",
    "ImplicitDeny",
    "R3: iam:*User* does not match iam:CreateRole.",
    "action:wildcard",
)
act("s3:getobject", "s3:GETOBJECT", "Allow", "R3: both sides in different cases still match.", "action:case")

g.add(
    "R3 notaction",
    rq(ALICE, "s3:GetObject"),
    "Allow",
    "R3: Allow with NotAction iam:* matches every action that is not an iam action.",
    identity=allow(not_action="iam:*"),
)
g.add(
    "R3 notaction",
    rq(ALICE, "iam:CreateUser", f"arn:aws:iam::{A}:user/x"),
    "ImplicitDeny",
    "R3: NotAction iam:* does not match iam:CreateUser: the Allow does not apply.",
    identity=allow(not_action="iam:*"),
)
g.add(
    "R3 notaction",
    rq(ALICE, "s3:DeleteObject"),
    "ImplicitDeny",
    "R3: NotAction [iam:*, s3:Delete*]: s3:DeleteObject is in the list, so the Allow does not apply.",
    identity=allow(not_action=["iam:*", "s3:Delete*"]),
)
g.add(
    "R3 notaction",
    rq(ALICE, "s3:GetObject"),
    "Allow",
    "R3: NotAction [iam:*, s3:Delete*]: s3:GetObject matches neither entry, so the Allow applies.",
    identity=allow(not_action=["iam:*", "s3:Delete*"]),
)
g.add(
    "R3 R14 notaction",
    rq(ALICE, "ec2:RunInstances", INSTANCE),
    "ExplicitDeny",
    "R3: Deny NotAction s3:* applies to every non-S3 action; it wins over Allow * (R14).",
    identity=P(allow("*", "*"), deny(not_action="s3:*")),
)
g.add(
    "R3 notaction",
    rq(ALICE, "s3:GetObject"),
    "Allow",
    "R3: Deny NotAction s3:* does not apply to an S3 action; the Allow * decides.",
    identity=P(allow("*", "*"), deny(not_action="s3:*")),
)
g.add(
    "R3 notaction action:case",
    rq(ALICE, "s3:GetObject"),
    "ImplicitDeny",
    "R3: NotAction is case-insensitive too: S3:GETOBJECT lists s3:GetObject, so the Allow does not apply.",
    identity=allow(not_action="S3:GETOBJECT"),
)
g.add(
    "R3 notaction action:case",
    rq(ALICE, "s3:getobject"),
    "ImplicitDeny",
    "R3: request s3:getobject is matched by NotAction s3:GetObject (case-insensitive): the Allow does not apply.",
    identity=allow(not_action="s3:GetObject"),
)
g.add(
    "R3 R14 notaction",
    rq(ALICE, "s3:PutObject", OBJ),
    "ExplicitDeny",
    "R3: Deny NotAction s3:GetObject on arn:aws:s3:::bucket/* applies to s3:PutObject on bucket/key.",
    identity=P(allow("*", "*"), deny(not_action="s3:GetObject", resource="arn:aws:s3:::bucket/*")),
)
g.add(
    "R3 notaction",
    rq(ALICE, "s3:PutObject", "arn:aws:s3:::other/key"),
    "Allow",
    "R3: the NotAction Deny is limited to arn:aws:s3:::bucket/*: another bucket is not denied.",
    identity=P(allow("*", "*"), deny(not_action="s3:GetObject", resource="arn:aws:s3:::bucket/*")),
)
g.add(
    "R3 notaction",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R3: Allow NotAction s3:* matches sqs:SendMessage.",
    identity=allow(not_action="s3:*"),
)
g.add(
    "R3 notaction",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket"),
    "ImplicitDeny",
    "R3: Allow NotAction s3:* does not match s3:ListBucket.",
    identity=allow(not_action="s3:*"),
)
g.add(
    "R3 notaction action:wildcard",
    rq(ALICE, "s3:GetObjectAcl"),
    "ImplicitDeny",
    "R3: NotAction s3:Get*Acl lists s3:GetObjectAcl (wildcard in NotAction).",
    identity=allow(not_action="s3:Get*Acl"),
)
g.add(
    "R3 notaction action:all-star",
    rq(ALICE),
    "ImplicitDeny",
    "R3: NotAction * lists every action, so the Allow matches nothing.",
    identity=allow(not_action="*"),
)
g.add(
    "R3 action:list",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R3: the second statement's action list matches; one matching statement suffices.",
    identity=P(allow("s3:*"), allow(["sns:Publish", "sqs:Send*"])),
)

# ====================================================================== R4: resources
g = group("r04", "r04_resources.jsonl", "R4 Resource / NotResource")


def res(pattern, resource, expected, why, tags="", action=None, version=V12):
    action = action or {"s3": "s3:GetObject", "sq": "sqs:SendMessage", "lo": "logs:PutLogEvents"}.get(
        resource.split(":")[2][:2] if resource.startswith("arn:") else "", "ec2:DescribeInstances"
    )
    g.add(
        "R4 " + tags,
        rq(ALICE, action, resource),
        expected,
        why,
        identity=P(allow(action, pattern), version=version),
    )


LOG_STREAM = f"arn:aws:logs:us-east-1:{A}:log-group:app:log-stream:s1"
res("*", OBJ, "Allow", "R4: `*` alone matches every resource.", "resource:star")
res(OBJ, OBJ, "Allow", "R4: exact ARN match.", "resource:exact")
res(
    "arn:aws:s3:::Bucket/key",
    OBJ,
    "ImplicitDeny",
    "R4: the resource part is matched case-sensitively: Bucket != bucket.",
    "resource:case",
)
res(
    "arn:aws:s3:::bucket/KEY*",
    OBJ,
    "ImplicitDeny",
    "R4: case-sensitive resource part with a wildcard: KEY* does not match key.",
    "resource:case",
)
res(
    "arn:AWS:s3:::bucket/key",
    OBJ,
    "Allow",
    "R4 Decision: the partition field is matched case-insensitively.",
    "resource:case decision",
)
res(
    "arn:aws:S3:::bucket/key",
    OBJ,
    "Allow",
    "R4 Decision: the service field is matched case-insensitively.",
    "resource:case decision",
)
res(
    f"arn:aws:sqs:US-EAST-1:{A}:q",
    QUEUE,
    "Allow",
    "R4 Decision: the region field is matched case-insensitively.",
    "resource:case decision",
)
MANAGED = "arn:aws:iam::aws:policy/ReadOnlyAccess"
g.add(
    "R4 R1 resource:case decision",
    rq(ALICE, "iam:GetPolicy", MANAGED, racct=A),
    "Allow",
    "R4 Decision: the account field is matched case-insensitively too: the pattern's `AWS` matches the "
    "managed-policy account `aws` (resource_account given as the caller's, R1, so the identity policy alone decides).",
    identity=allow("iam:GetPolicy", "arn:aws:iam::AWS:policy/ReadOnlyAccess"),
)
g.add(
    "R4 R1 resource:case",
    rq(ALICE, "iam:GetPolicy", MANAGED, racct=A),
    "ImplicitDeny",
    "R4: the resource part policy/readonlyaccess does not match policy/ReadOnlyAccess (case-sensitive).",
    identity=allow("iam:GetPolicy", "arn:aws:iam::aws:policy/readonlyaccess"),
)
res(
    f"arn:aws:sqs:us-east-1:{A}:Q",
    QUEUE,
    "ImplicitDeny",
    "R4: the resource part (queue name) is case-sensitive: Q != q.",
    "resource:case",
)
g.add(
    "R4 R5 resource:case decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: field case rules are the same in a resource-based policy: US-EAST-1 matches us-east-1; the "
    "queue policy names alice (same account, R18).",
    resource=P(allow("sqs:SendMessage", f"arn:aws:sqs:US-EAST-1:{A}:q", principal=AWS(ALICE))),
)
res(
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/a/b/c.txt",
    "Allow",
    "R4: in the resource part * spans `/`.",
    "resource:wildcard",
)
res(
    f"arn:aws:logs:us-east-1:{A}:log-group:*",
    LOG_STREAM,
    "Allow",
    "R4: in the resource part * spans `:` (log-group:app:log-stream:s1).",
    "resource:wildcard",
)
res(
    f"arn:aws:logs:us-east-1:{A}:*",
    LOG_STREAM,
    "Allow",
    "R4: * as the whole resource part matches a resource part containing `:` and `/`.",
    "resource:wildcard",
)
res(
    "arn:aws:logs:*:log-group:app:log-stream:s1",
    LOG_STREAM,
    "ImplicitDeny",
    "R4: fields are split first: region `*`, account `log-group`, resource `app:log-stream:s1`; the account "
    "field does not match 111111111111 (a wildcard never crosses `:` before the resource part).",
    "resource:wildcard",
)
res(
    "arn:aws:sqs:*:q",
    QUEUE,
    "ImplicitDeny",
    "R4 Decision: five fields without a trailing `*` are padded (identity policy) to arn:aws:sqs:*:q:*; account "
    "`q` does not match. The `*` in the region field cannot swallow `us-east-1:111111111111`.",
    "resource:short-arn resource:wildcard decision",
)
res(
    "arn:aws:s3:::bucket/k?y",
    OBJ,
    "Allow",
    "R4: ? matches one character of the resource part.",
    "resource:question",
)
res(
    "arn:aws:s3:::bucket/k?",
    OBJ,
    "ImplicitDeny",
    "R4: k? matches two characters only, not `key`.",
    "resource:question",
)
res("arn:aws:s3:::b*t/key", OBJ, "Allow", "R4: * inside the resource part.", "resource:wildcard")
res(
    "arn:aws:s*:::bucket/key",
    OBJ,
    "Allow",
    "R4: * inside the service field matches within that field.",
    "resource:wildcard",
)
res(f"arn:aws:sqs:us-*:{A}:q", QUEUE, "Allow", "R4: * inside the region field.", "resource:wildcard")
res(f"arn:aws:sqs:us-east-?:{A}:q", QUEUE, "Allow", "R4: ? inside the region field.", "resource:question")
res(f"arn:aws:sqs:us-east-1:{B}:q", QUEUE, "ImplicitDeny", "R4: the account field differs.", "resource:exact")
res("arn:aws:sqs:us-east-1:*:q", QUEUE, "Allow", "R4: * as the account field.", "resource:wildcard")
res(
    f"arn:aws:sqs::{A}:q",
    QUEUE,
    "ImplicitDeny",
    "R4: an empty region field matches only an empty region.",
    "resource:exact",
)
res(
    "arn:aws:s3:*:*:bucket/key",
    OBJ,
    "Allow",
    "R4: * matches the empty region and account fields of an S3 ARN.",
    "resource:wildcard",
)
res(
    "arn:aws:s3:::*",
    QUEUE,
    "ImplicitDeny",
    "R4: an S3 pattern does not match an SQS queue (service field).",
    "resource:wildcard",
    action="sqs:SendMessage",
)
res(
    ["arn:aws:s3:::other/*", "arn:aws:s3:::bucket/*"],
    OBJ,
    "Allow",
    "R4: a list matches when any entry matches.",
    "resource:list",
)
res(
    ["arn:aws:s3:::other/*", "arn:aws:s3:::bucket"],
    OBJ,
    "ImplicitDeny",
    "R4: arn:aws:s3:::bucket (the bucket) does not match the object bucket/key.",
    "resource:list",
)
res("arn:aws:s3:::bucket/key*", OBJ, "Allow", "R4: a trailing * matches the empty run.", "resource:wildcard")

res(
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "ImplicitDeny",
    "R4: bucket/* needs the `/`: it does not match the bucket ARN itself.",
    "resource:wildcard",
    action="s3:ListBucket",
)
res("arn:aws:s3:::bucket*", OBJ, "Allow", "R4: bucket* spans the `/` of bucket/key.", "resource:wildcard")

# short ARNs (padding)
res(
    f"arn:aws:sqs:us-east-1:{A}",
    QUEUE,
    "Allow",
    "R4 Decision: a five-field pattern without trailing * is padded with * in an identity policy: matches q.",
    "resource:short-arn decision",
)
g.add(
    "R4 R5 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R4 Decision: the same five-field pattern without trailing * matches nothing in a resource-based policy; "
    "the queue policy grants nothing and alice has no identity policy.",
    resource=P(allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}", principal=AWS(ALICE))),
)
g.add(
    "R4 R5 resource:short-arn",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4: a short pattern whose last field ends in * is padded with * fields, in a resource-based policy too.",
    resource=P(allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:*", principal=AWS(ALICE))),
)
g.add(
    "R4 R5 resource:short-arn",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4: arn:aws:sqs:* (ends in *) is padded to arn:aws:sqs:*:*:* in a resource-based policy.",
    resource=P(allow("sqs:SendMessage", "arn:aws:sqs:*", principal=AWS(ALICE))),
)
res(
    "arn:aws:sqs:*",
    QUEUE,
    "Allow",
    "R4: arn:aws:sqs:* padded to arn:aws:sqs:*:*:* matches the queue.",
    "resource:short-arn",
)
res(
    "arn:*",
    QUEUE,
    "Allow",
    "R4: arn:* is padded to arn:*:*:*:*:* and matches every ARN.",
    "resource:short-arn",
)
g.add(
    "R4 R5 resource:short-arn",
    rq(ALICE),
    "Allow",
    "R4: arn:* ends in * so it is padded in a resource-based policy too; the bucket policy names alice.",
    resource=P(allow(resource="arn:*", principal=AWS(ALICE))),
)
res(
    f"arn:aws:sqs:us-east-1:{A}",
    f"arn:aws:sqs:us-west-2:{A}:q",
    "ImplicitDeny",
    "R4 Decision: padding gives arn:aws:sqs:us-east-1:111111111111:*, which does not match a us-west-2 queue.",
    "resource:short-arn decision",
)
g.add(
    "R4 R17 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: a short pattern without trailing * is padded in a permissions boundary: the boundary allows.",
    identity=allow("*", "*"),
    boundary=P(allow("sqs:*", f"arn:aws:sqs:us-east-1:{A}")),
)
g.add(
    "R4 R17 resource:short-arn decision",
    rq(SESS, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: padded in a session policy too: the session policy allows.",
    identity=allow("*", "*"),
    session=P(allow("sqs:*", f"arn:aws:sqs:us-east-1:{A}")),
)
g.add(
    "R4 R15 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: padded in an SCP: the only SCP level allows sqs:* on the padded pattern.",
    identity=allow("*", "*"),
    scps=[[P(allow("sqs:*", f"arn:aws:sqs:us-east-1:{A}"))]],
)
g.add(
    "R4 R16 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R4 Decision: padded in an RCP: the RCP Deny matches the queue.",
    identity=allow("*", "*"),
    rcps=[[P(deny("sqs:*", f"arn:aws:sqs:us-east-1:{A}", principal="*"))]],
)
g.add(
    "R4 R14 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: in the queue's resource policy a short pattern without trailing * matches nothing, so its "
    "Deny does not apply; the identity Allow decides (same account).",
    identity=allow("*", "*"),
    resource=P(deny("sqs:*", f"arn:aws:sqs:us-east-1:{A}", principal="*")),
)
g.add(
    "R4 R14 resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R4 Decision: the same short pattern in an identity Deny is padded and matches.",
    identity=P(allow("*", "*"), deny("sqs:*", f"arn:aws:sqs:us-east-1:{A}")),
)
g.add(
    "R4 R5 notresource resource:short-arn decision",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4 Decision: in a resource-based policy the short NotResource entry matches nothing, so NotResource "
    "matches every resource, the queue included; the statement names alice.",
    resource=P(allow("sqs:SendMessage", not_resource=f"arn:aws:sqs:us-east-1:{A}", principal=AWS(ALICE))),
)

# request resource *
res(
    "*",
    "*",
    "Allow",
    "R4: a request resource `*` is matched by the pattern `*`.",
    "resource:star",
    action="ec2:DescribeInstances",
)
res(
    "arn:aws:ec2:*:*:*",
    "*",
    "ImplicitDeny",
    "R4: a request resource `*` is matched only by the pattern `*`.",
    "resource:wildcard",
    action="ec2:DescribeInstances",
)
res(
    "arn:*",
    "*",
    "ImplicitDeny",
    "R4: not even arn:* matches the request resource `*`.",
    "resource:short-arn",
    action="ec2:DescribeInstances",
)
g.add(
    "R4 notresource",
    rq(ALICE, "ec2:DescribeInstances", "*"),
    "Allow",
    "R4: the request resource `*` is not matched by the NotResource entry arn:aws:ec2:*:*:instance/*, so "
    "NotResource is satisfied and the Allow applies.",
    identity=allow("ec2:DescribeInstances", not_resource="arn:aws:ec2:*:*:instance/*"),
)
g.add(
    "R4 notresource",
    rq(ALICE, "ec2:DescribeInstances", "*"),
    "ImplicitDeny",
    "R4: NotResource `*` matches the request resource `*`, so the Allow does not apply.",
    identity=allow("ec2:DescribeInstances", not_resource="*"),
)

# NotResource
g.add(
    "R4 notresource",
    rq(ALICE),
    "Allow",
    "R4: NotResource arn:aws:s3:::bucket/secret/* does not list bucket/key: the Allow applies.",
    identity=allow(not_resource="arn:aws:s3:::bucket/secret/*"),
)
g.add(
    "R4 notresource",
    rq(ALICE, resource="arn:aws:s3:::bucket/secret/x"),
    "ImplicitDeny",
    "R4: bucket/secret/x is listed in NotResource: the Allow does not apply.",
    identity=allow(not_resource="arn:aws:s3:::bucket/secret/*"),
)
g.add(
    "R4 R14 notresource",
    rq(ALICE, resource="arn:aws:s3:::other/key"),
    "ExplicitDeny",
    "R4: Deny NotResource bucket/* applies to every other resource.",
    identity=P(allow("s3:*"), deny("s3:*", not_resource=["arn:aws:s3:::bucket/*"])),
)
g.add(
    "R4 notresource",
    rq(ALICE),
    "Allow",
    "R4: Deny NotResource bucket/* does not apply to bucket/key.",
    identity=P(allow("s3:*"), deny("s3:*", not_resource=["arn:aws:s3:::bucket/*"])),
)
g.add(
    "R4 notresource resource:case",
    rq(ALICE, resource="arn:aws:s3:::bucket/secret/x"),
    "Allow",
    "R4: NotResource bucket/Secret/* does not match bucket/secret/x (case-sensitive resource part): the Allow "
    "applies.",
    identity=allow(not_resource="arn:aws:s3:::bucket/Secret/*"),
)
g.add(
    "R4 notresource resource:case decision",
    rq(ALICE, resource="arn:aws:s3:::bucket/secret/x"),
    "ImplicitDeny",
    "R4 Decision: the partition field matches case-insensitively, so arn:AWS:s3:::bucket/secret/* lists the "
    "object and the NotResource Allow does not apply.",
    identity=allow(not_resource="arn:AWS:s3:::bucket/secret/*"),
)
g.add(
    "R4 R5 notresource",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4: NotResource in a resource-based policy: the queue is not the listed `other` queue.",
    resource=P(
        allow("sqs:SendMessage", not_resource=f"arn:aws:sqs:us-east-1:{A}:other", principal=AWS(ALICE))
    ),
)
g.add(
    "R4 R5 resource:star",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R4: Resource * in the queue policy naming alice.",
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(ALICE))),
)
g.add(
    "R4 resource:list notresource",
    rq(ALICE, resource="arn:aws:s3:::bucket/tmp/x"),
    "ImplicitDeny",
    "R4: NotResource [bucket/secret/*, bucket/tmp/*]: the second entry lists bucket/tmp/x.",
    identity=allow(not_resource=["arn:aws:s3:::bucket/secret/*", "arn:aws:s3:::bucket/tmp/*"]),
)

# ====================================================================== R5: Principal
g = group("r05", "r05_principal.jsonl", "R5 Principal element forms")
SNS = "sns:Publish"
WEBCTX = {"cognito-identity.amazonaws.com:aud": "us-east-1:pool-1"}

g.add(
    "R5 R18 principal-elem:aws-star",
    rq(ALICE),
    "Allow",
    'R5: {"AWS": "*"} matches every principal; same account, no identity policy needed (R18 `*` row).',
    resource=P(allow(principal=AWS("*"))),
)
g.add(
    "R5 R18 principal-elem:star",
    rq(ALICE),
    "Allow",
    'R5: Principal "*" is the same as {"AWS": "*"}.',
    resource=P(allow(principal="*")),
)
g.add(
    "R5 principal-elem:star anonymous",
    rq(ANON, racct=A),
    "Allow",
    'R5: Principal "*" matches anonymous callers too.',
    resource=P(allow(principal="*")),
)
g.add(
    "R5 principal-elem:aws-star anonymous",
    rq(ANON, racct=A),
    "Allow",
    'R5: {"AWS": "*"} matches anonymous callers too (the same thing as "*").',
    resource=P(allow(principal=AWS("*"))),
)
g.add(
    "R5 R18 principal-elem:account-id",
    rq(ALICE),
    "ImplicitDeny",
    "R5: naming the account (id) delegates to the account: alice's identity policies must also allow, and she "
    "has none (R18 account row).",
    resource=P(allow(principal=AWS(A))),
)
g.add(
    "R5 principal-elem:account-id",
    rq(ALICE),
    "Allow",
    "R5: the bucket policy names the account and alice's identity policy allows: delegation satisfied.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(A))),
)
g.add(
    "R5 R18 principal-elem:account-root-arn",
    rq(ALICE),
    "ImplicitDeny",
    "R5: arn:aws:iam::111111111111:root names the account, not a grant to each user: identity must allow.",
    resource=P(allow(principal=AWS(ROOT))),
)
g.add(
    "R5 principal-elem:account-root-arn",
    rq(ALICE),
    "Allow",
    "R5: :root names the account; alice's identity policy allows.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(ROOT))),
)
g.add(
    "R5 R21 principal-elem:account-id",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R5: the queue policy names account 222222222222; bob (of that account) has an identity Allow (R21).",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(B))),
)
g.add(
    "R5 R21 principal-elem:account-root-arn",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R5: the queue policy names arn:aws:iam::222222222222:root; bob's identity policy allows (R21).",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(ROOT_B))),
)
g.add(
    "R5 R21 principal-elem:account-id",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R5: naming account 222222222222 delegates: bob has no identity Allow.",
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(B))),
)
g.add(
    "R5 R21 principal-elem:account-id",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R5: the queue policy names account 333333333333, not bob's account.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(C))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(ALICE),
    "Allow",
    "R5: a user ARN names that user; same account, no identity policy needed (R18).",
    resource=P(allow(principal=AWS(ALICE))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(ALICE),
    "ImplicitDeny",
    "R5: the bucket policy names another user of the account (bob).",
    resource=P(allow(principal=AWS(BOB_A))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(CAROL),
    "Allow",
    "R5: a user with a path is named by its full ARN user/dev/carol.",
    resource=P(allow(principal=AWS(CAROL))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(CAROL),
    "ImplicitDeny",
    "R5: arn:aws:iam::111111111111:user/carol is not the ARN of user /dev/carol (the path is part of a user ARN).",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{A}:user/carol"))),
)
g.add(
    "R5 R18 principal-elem:role-arn",
    rq(SESS),
    "Allow",
    "R5: a role ARN names the role and every session of it; same account, no boundary (R18).",
    resource=P(allow(principal=AWS(ROLE))),
)
g.add(
    "R5 principal-elem:role-arn role-path",
    rq(SESS),
    "Allow",
    "R5: a session ARN carries no role path: role/team/app matches session assumed-role/app/s1 on account "
    "and role name.",
    resource=P(allow(principal=AWS(ROLE_PATH))),
)
g.add(
    "R5 principal-elem:role-arn",
    rq(SESS),
    "ImplicitDeny",
    "R5: the bucket policy names role admin; the caller is a session of role app.",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{A}:role/admin"))),
)
g.add(
    "R5 principal-elem:role-arn",
    rq(SESS),
    "ImplicitDeny",
    "R5: role app of account 222222222222 is another role than app of 111111111111.",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{B}:role/app"))),
)
g.add(
    "R5 principal-elem:role-arn",
    rq(ROLE),
    "Allow",
    "R5: a caller given as the role ARN is a session of that role: named by the role ARN.",
    resource=P(allow(principal=AWS(ROLE))),
)
g.add(
    "R5 principal-elem:session-arn",
    rq(SESS),
    "Allow",
    "R5: a session ARN names that session.",
    resource=P(allow(principal=AWS(SESS))),
)
g.add(
    "R5 principal-elem:session-arn",
    rq(SESS),
    "ImplicitDeny",
    "R5: session s2 of role app is not session s1.",
    resource=P(allow(principal=AWS(SESS2))),
)
g.add(
    "R5 principal-elem:session-arn",
    rq(ROLE),
    "ImplicitDeny",
    "R5: a caller given as the role ARN is a session whose ARN is named nowhere, so a session ARN in the "
    "policy does not name it.",
    resource=P(allow(principal=AWS(SESS))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(SESS),
    "ImplicitDeny",
    "R5: user/app is not role app: a user ARN does not name a role session.",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{A}:user/app"))),
)
g.add(
    "R5 principal-elem:role-arn",
    rq(ALICE),
    "ImplicitDeny",
    "R5: role/alice is not user alice.",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{A}:role/alice"))),
)
g.add(
    "R5 principal-elem:service",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "R5: the Service form names the service principal.",
    resource=P(allow(SNS, TOPIC, principal=SVC("events.amazonaws.com"))),
)
g.add(
    "R5 principal-elem:service",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "R5: a Service list names each service in it.",
    resource=P(allow(SNS, TOPIC, principal=SVC(["s3.amazonaws.com", "events.amazonaws.com"]))),
)
g.add(
    "R5 principal-elem:service",
    rq("events.amazonaws.com", SNS, TOPIC),
    "ImplicitDeny",
    "R5: the topic policy names another service.",
    resource=P(allow(SNS, TOPIC, principal=SVC("s3.amazonaws.com"))),
)
g.add(
    "R5 principal-elem:service",
    rq(ALICE, SNS, TOPIC),
    "ImplicitDeny",
    "R5: a Service principal entry does not name an IAM user.",
    resource=P(allow(SNS, TOPIC, principal=SVC("events.amazonaws.com"))),
)
g.add(
    "R5 principal-elem:account-id",
    rq("events.amazonaws.com", SNS, TOPIC),
    "ImplicitDeny",
    "R5: naming an account delegates to that account's identities, not to service principals.",
    resource=P(allow(SNS, TOPIC, principal=AWS(A))),
)
g.add(
    "R5 principal-elem:star",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    'R5: "*" matches everyone, service principals included.',
    resource=P(allow(SNS, TOPIC, principal="*")),
)
g.add(
    "R5 principal-elem:federated",
    rq(
        SAML,
        "sts:AssumeRoleWithSAML",
        f"arn:aws:iam::{A}:role/sso",
        {"saml:aud": "https://signin.aws.amazon.com/saml"},
    ),
    "Allow",
    "R5: the Federated form names the SAML provider; the role trust policy allows it (R19).",
    resource=P(allow("sts:AssumeRoleWithSAML", NORES, principal={"Federated": SAML})),
)
g.add(
    "R5 principal-elem:federated",
    rq(
        SAML,
        "sts:AssumeRoleWithSAML",
        f"arn:aws:iam::{A}:role/sso",
        {"saml:aud": "https://signin.aws.amazon.com/saml"},
    ),
    "ImplicitDeny",
    "R5: the trust policy names another SAML provider.",
    resource=P(allow("sts:AssumeRoleWithSAML", NORES, principal={"Federated": SAML_OTHER})),
)
g.add(
    "R5 principal-elem:federated",
    rq(
        "cognito-identity.amazonaws.com",
        "sts:AssumeRoleWithWebIdentity",
        f"arn:aws:iam::{A}:role/web",
        WEBCTX,
        pacct=None,
        racct=A,
        base=False,
    ),
    "Allow",
    "R5: Federated cognito-identity.amazonaws.com names the web identity provider.",
    resource=P(
        allow(
            "sts:AssumeRoleWithWebIdentity", NORES, principal={"Federated": "cognito-identity.amazonaws.com"}
        )
    ),
)
g.add(
    "R5 principal-elem:federated",
    rq(
        "accounts.google.com",
        "sts:AssumeRoleWithWebIdentity",
        f"arn:aws:iam::{A}:role/web",
        {"accounts.google.com:aud": "client-1"},
        pacct=None,
        racct=A,
        base=False,
    ),
    "ImplicitDeny",
    "R5: the trust policy names cognito, the caller is accounts.google.com.",
    resource=P(
        allow(
            "sts:AssumeRoleWithWebIdentity", NORES, principal={"Federated": "cognito-identity.amazonaws.com"}
        )
    ),
)
g.add(
    "R5 principal-elem:canonical-user",
    rq(CANON_ID, pacct=None, racct=A),
    "Allow",
    "R5: the CanonicalUser form names the S3 canonical user id.",
    resource=P(allow(principal={"CanonicalUser": CANON_ID})),
)
g.add(
    "R5 principal-elem:canonical-user",
    rq(CANON_ID, pacct=None, racct=A),
    "ImplicitDeny",
    "R5: the bucket policy names another canonical user.",
    resource=P(allow(principal={"CanonicalUser": CANON_OTHER})),
)
g.add(
    "R5 principal-elem:list",
    rq(ALICE),
    "Allow",
    "R5: an AWS list names each entry: alice is the second.",
    resource=P(allow(principal=AWS([BOB_A, ALICE]))),
)
g.add(
    "R5 principal-elem:mixed",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "R5: a Principal with several types names each of them: the Service entry matches.",
    resource=P(allow(SNS, TOPIC, principal={"AWS": BOB_A, "Service": "events.amazonaws.com"})),
)
g.add(
    "R5 principal-elem:account-id anonymous",
    rq(ANON, racct=A),
    "ImplicitDeny",
    "R5: naming the account does not cover anonymous callers.",
    resource=P(allow(principal=AWS(A))),
)
g.add(
    "R5 principal-elem:user-arn anonymous",
    rq(ANON, racct=A),
    "ImplicitDeny",
    "R5: a user ARN does not name an anonymous caller.",
    resource=P(allow(principal=AWS(ALICE))),
)
g.add(
    "R5 R18 principal-elem:federated-user-arn",
    rq(FED),
    "Allow",
    "R5: a federated-user session ARN names that session; same account (R18 federated row).",
    resource=P(allow(principal=AWS(FED))),
)
g.add(
    "R5 principal-elem:federated-user-arn",
    rq(FED),
    "ImplicitDeny",
    "R5: another federated user's session ARN does not name fiona.",
    resource=P(allow(principal=AWS(f"arn:aws:sts::{A}:federated-user/gus"))),
)
g.add(
    "R5 principal-elem:user-arn",
    rq(SESS, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R5: the queue policy names only user alice; the caller is a role session.",
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(ALICE))),
)
g.add(
    "R5 R21 principal-elem:role-arn",
    rq(SESS_B, "sqs:SendMessage", QUEUE),
    "Allow",
    "R5: cross-account, the queue policy names role worker of 222222222222, which names its sessions; the "
    "role's identity policy allows (R21).",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(ROLE_B))),
)

# ====================================================================== R6: NotPrincipal
g = group("r06", "r06_notprincipal.jsonl", "R6 NotPrincipal")


def np_deny(listed, *, action="s3:GetObject", cond=None):
    """Bucket policy: Deny s3:GetObject to everyone not listed."""
    return P(deny(action, "*", not_principal=listed, cond=cond))


g.add(
    "R6 notprincipal:deny",
    rq(ALICE),
    "Allow",
    "R6: Deny NotPrincipal listing alice's user ARN exempts alice; her identity Allow decides.",
    identity=S3ALL,
    resource=np_deny(AWS(ALICE)),
)
g.add(
    "R6 R14 notprincipal:deny",
    rq(ALICE),
    "ExplicitDeny",
    "R6: the NotPrincipal list names only bob, so the Deny applies to alice.",
    identity=S3ALL,
    resource=np_deny(AWS(BOB_A)),
)
g.add(
    "R6 notprincipal:deny decision",
    rq(ALICE),
    "ExplicitDeny",
    "R6 Decision: listing only the account id does not exempt the account's users: the Deny applies to alice.",
    identity=S3ALL,
    resource=np_deny(AWS(A)),
)
g.add(
    "R6 notprincipal:deny decision",
    rq(ALICE),
    "ExplicitDeny",
    "R6 Decision: listing only arn:aws:iam::111111111111:root does not exempt alice.",
    identity=S3ALL,
    resource=np_deny(AWS(ROOT)),
)
g.add(
    "R6 notprincipal:deny",
    rq(ALICE),
    "Allow",
    "R6: listing both the account and alice's ARN exempts alice.",
    identity=S3ALL,
    resource=np_deny(AWS([ROOT, ALICE])),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "Allow",
    "R6: for a role session, listing its role ARN exempts it.",
    identity=S3ALL,
    resource=np_deny(AWS(ROLE)),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "Allow",
    "R6: for a role session, listing its session ARN exempts it.",
    identity=S3ALL,
    resource=np_deny(AWS(SESS)),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "ExplicitDeny",
    "R6: another session (s2) of the same role is listed, not s1: the Deny applies.",
    identity=S3ALL,
    resource=np_deny(AWS(SESS2)),
)
g.add(
    "R6 notprincipal:deny decision",
    rq(SESS),
    "ExplicitDeny",
    "R6 Decision: the account id alone does not exempt the account's role sessions.",
    identity=S3ALL,
    resource=np_deny(AWS(A)),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "Allow",
    "R6: AWS's documented pattern lists the account, the role and the session together: exempt.",
    identity=S3ALL,
    resource=np_deny(AWS([ROOT, ROLE, SESS])),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "ExplicitDeny",
    "R6: another role (admin) is listed; the caller's session is not exempt.",
    identity=S3ALL,
    resource=np_deny(AWS(f"arn:aws:iam::{A}:role/admin")),
)
g.add(
    "R6 R17 notprincipal:deny notprincipal:boundary",
    rq(ALICE),
    "ExplicitDeny",
    "R6: a Deny with NotPrincipal always denies a caller that has a permissions boundary, even when the list "
    "names the caller.",
    identity=S3ALL,
    boundary=S3ALL,
    resource=np_deny(AWS(ALICE)),
)
g.add(
    "R6 R17 notprincipal:deny notprincipal:boundary",
    rq(SESS),
    "ExplicitDeny",
    "R6: the boundary rule also holds for role sessions listed by account, role and session ARN.",
    identity=S3ALL,
    boundary=ALLOW_ALL,
    resource=np_deny(AWS([ROOT, ROLE, SESS])),
)
g.add(
    "R6 R17 notprincipal:deny notprincipal:boundary",
    rq(ALICE),
    "Allow",
    "R6: with a boundary, the NotPrincipal Deny still has to match the action: it denies s3:DeleteObject only.",
    identity=S3ALL,
    boundary=S3ALL,
    resource=np_deny(AWS(ALICE), action="s3:DeleteObject"),
)
g.add(
    "R6 R18 notprincipal:allow",
    rq(ALICE),
    "Allow",
    "R6: an existing Allow + NotPrincipal grants to every principal not listed (only bob is); same account, no "
    "identity policy needed.",
    resource=P(allow(not_principal=AWS(BOB_A))),
)
g.add(
    "R6 notprincipal:allow",
    rq(ALICE),
    "ImplicitDeny",
    "R6: Allow + NotPrincipal listing alice does not grant to alice; she has no identity policy.",
    resource=P(allow(not_principal=AWS(ALICE))),
)
g.add(
    "R6 notprincipal:allow anonymous",
    rq(ANON, racct=A),
    "Allow",
    "R6: Allow + NotPrincipal grants to every principal not listed, anonymous callers included.",
    resource=P(allow(not_principal=AWS(BOB_A))),
)
g.add(
    "R6 notprincipal:deny principal-elem:service",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "R6: Deny NotPrincipal listing the Service exempts that service principal; the Allow grants.",
    resource=P(
        allow(SNS, TOPIC, principal=SVC("events.amazonaws.com")),
        deny(SNS, TOPIC, not_principal=SVC("events.amazonaws.com")),
    ),
)
g.add(
    "R6 notprincipal:deny anonymous",
    rq(ANON, racct=A),
    "ExplicitDeny",
    'R6: an anonymous caller is not listed (only alice is): the Deny applies and beats the Allow "*".',
    resource=P(allow(principal="*"), deny(not_principal=AWS(ALICE))),
)
g.add(
    "R6 notprincipal:deny",
    rq(ROLE),
    "Allow",
    "R6: a caller given as the role ARN is exempted by its role ARN.",
    identity=S3ALL,
    resource=np_deny(AWS(ROLE)),
)
g.add(
    "R6 notprincipal:deny role-path",
    rq(SESS),
    "Allow",
    "R6: the listed role ARN has a path (role/team/app); the session ARN carries none, so the role is matched "
    "on account and name (R5) and the session is exempt.",
    identity=S3ALL,
    resource=np_deny(AWS(ROLE_PATH)),
)
g.add(
    "R6 R21 notprincipal:deny decision",
    rq(BOB, racct=A),
    "ExplicitDeny",
    "R6 Decision: cross-account, NotPrincipal lists only bob's account id: bob is not exempt and the Deny "
    "beats the Allow naming him.",
    identity=S3ALL,
    resource=P(allow(principal=AWS(BOB)), deny(not_principal=AWS(B))),
)
g.add(
    "R6 R8 notprincipal:deny",
    rq(ALICE, ctx={"aws:SecureTransport": "true"}),
    "Allow",
    "R6: the NotPrincipal Deny only applies when its condition holds; SecureTransport is true.",
    identity=S3ALL,
    resource=np_deny(AWS(BOB_A), cond={"Bool": {"aws:SecureTransport": "false"}}),
)
g.add(
    "R6 notprincipal:deny",
    rq(SESS),
    "ExplicitDeny",
    "R6: a user ARN with the role's name (user/app) does not exempt the role session.",
    identity=S3ALL,
    resource=np_deny(AWS(f"arn:aws:iam::{A}:user/app")),
)
g.add(
    "R6 notprincipal:deny",
    rq(FED),
    "Allow",
    "R6: a federated-user session is exempt when its session ARN is listed.",
    identity=S3ALL,
    resource=np_deny(AWS(FED)),
)

# ====================================================================== R7: statement applies
g = group("r07", "r07_statement.jsonl", "R7 when a statement applies")
g.add(
    "R7",
    rq(ALICE),
    "ImplicitDeny",
    "R7: action matches but resource (other bucket) does not.",
    identity=allow("s3:GetObject", "arn:aws:s3:::other/*"),
)
g.add(
    "R7",
    rq(ALICE),
    "ImplicitDeny",
    "R7: resource matches but action (s3:PutObject) does not.",
    identity=allow("s3:PutObject", OBJ),
)
g.add(
    "R7",
    rq(ALICE, ctx={"aws:SourceIp": "10.0.0.1"}),
    "Allow",
    "R7: action, resource and the condition all match.",
    identity=allow("s3:GetObject", OBJ, cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
)
g.add(
    "R7",
    rq(ALICE, ctx={"aws:SourceIp": "192.0.2.1"}),
    "ImplicitDeny",
    "R7: the condition fails, so the statement does not apply.",
    identity=allow("s3:GetObject", OBJ, cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
)
g.add(
    "R7",
    rq(ALICE),
    "Allow",
    "R7: the Deny names another resource, so it does not apply.",
    identity=P(allow(), deny("s3:GetObject", "arn:aws:s3:::other/*")),
)
g.add(
    "R7",
    rq(ALICE, ctx={"aws:SourceIp": "192.0.2.1"}),
    "Allow",
    "R7: the Deny's condition fails, so it does not apply.",
    identity=P(allow(), deny(cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
)
g.add(
    "R7 R5",
    rq(ALICE),
    "ImplicitDeny",
    "R7: the bucket policy statement matches action and resource but not the principal.",
    resource=P(allow("s3:GetObject", OBJ, principal=AWS(BOB_A))),
)
g.add(
    "R7",
    rq(ALICE),
    "ImplicitDeny",
    "R7: one statement matches only the action, another only the resource: neither applies.",
    identity=P(allow("s3:GetObject", "arn:aws:s3:::other/*"), allow("s3:PutObject", OBJ)),
)
g.add(
    "R7 R14",
    rq(ALICE),
    "ExplicitDeny",
    "R7: the Deny matches action and resource: it applies.",
    identity=P(allow(), deny("s3:GetObject", OBJ)),
)
g.add(
    "R7 R8",
    rq(ALICE, ctx={"aws:SourceIp": "10.0.0.1", "aws:SecureTransport": "true"}),
    "Allow",
    "R7: every condition of the statement holds.",
    identity=allow(
        cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:SecureTransport": "true"}}
    ),
)
g.add(
    "R7",
    rq(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/dir/key"),
    "Allow",
    "R7: the second statement matches action and resource.",
    identity=P(allow("s3:PutObject", "*"), allow("s3:GetObject", "arn:aws:s3:::bucket/dir/*")),
)
g.add(
    "R7 R5",
    rq(ALICE),
    "Allow",
    "R7: a resource-policy statement applies when principal, action and resource all match.",
    resource=P(
        allow("s3:PutObject", OBJ, principal=AWS(ALICE)), allow("s3:GetObject", OBJ, principal=AWS(ALICE))
    ),
)

# ====================================================================== R8, R9, R10: condition logic
MISSING = None


def cadd(grp, tags, op, key, value, reqval, expected, why, *, deny_stmt=False, version=V12):
    """One condition on one key. reqval None: the key is missing from the context."""
    ctx = {} if reqval is MISSING else {key: reqval}
    if deny_stmt:
        ident = P(allow("s3:*", "*"), deny(cond={op: {key: value}}), version=version)
    else:
        ident = cond_allow(op, key, value, version=version)
    grp.add(tags, rq(ALICE, ctx=ctx), expected, why, identity=ident)


g = group("r08", "r08_condition_logic.jsonl", "R8 AND/OR of condition blocks")
g.add(
    "R8 condition:multi-operator",
    rq(ALICE, ctx={"aws:SourceIp": "10.1.1.1", "aws:SecureTransport": "true"}),
    "Allow",
    "R8: two operators in the block, both hold (AND).",
    identity=allow(
        cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:SecureTransport": "true"}}
    ),
)
g.add(
    "R8 condition:multi-operator",
    rq(ALICE, ctx={"aws:SourceIp": "10.1.1.1", "aws:SecureTransport": "false"}),
    "ImplicitDeny",
    "R8: two operators; Bool fails, so the block fails (AND).",
    identity=allow(
        cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:SecureTransport": "true"}}
    ),
)
g.add(
    "R8 condition:multi-key",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "dev"}),
    "ImplicitDeny",
    "R8: two keys under one operator: env=dev fails env=prod (AND).",
    identity=allow(cond={"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}}),
)
g.add(
    "R8 condition:multi-key",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}),
    "Allow",
    "R8: two keys under one operator, both hold.",
    identity=allow(cond={"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}}),
)
cadd(
    g,
    "R8 condition:multi-value",
    "StringEquals",
    "aws:PrincipalTag/team",
    ["red", "blue"],
    "blue",
    "Allow",
    "R8: several values for one key: any may match (OR).",
)
cadd(
    g,
    "R8 condition:multi-value",
    "StringEquals",
    "aws:PrincipalTag/team",
    ["red", "blue"],
    "green",
    "ImplicitDeny",
    "R8: none of the values matches.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotEquals",
    "aws:PrincipalTag/team",
    ["red", "blue"],
    "red",
    "ImplicitDeny",
    "R8: negated operator with several values: the request value must match none (NOR); it matches red.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotEquals",
    "aws:PrincipalTag/team",
    ["red", "blue"],
    "blue",
    "ImplicitDeny",
    "R8: NOR: the request value matches the second value blue.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotEquals",
    "aws:PrincipalTag/team",
    ["red", "blue"],
    "green",
    "Allow",
    "R8: NOR: green matches neither value.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotLike",
    "s3:prefix",
    ["dev-*", "test-*"],
    "test-1",
    "ImplicitDeny",
    "R8: StringNotLike with two patterns: test-1 matches test-*.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotLike",
    "s3:prefix",
    ["dev-*", "test-*"],
    "prod-1",
    "Allow",
    "R8: StringNotLike: prod-1 matches neither pattern.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "NotIpAddress",
    "aws:SourceIp",
    ["10.0.0.0/8", "192.168.0.0/16"],
    "192.168.1.1",
    "ImplicitDeny",
    "R8: NotIpAddress with two ranges: the address is in the second.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "NotIpAddress",
    "aws:SourceIp",
    ["10.0.0.0/8", "192.168.0.0/16"],
    "172.16.0.1",
    "Allow",
    "R8: NotIpAddress: in neither range.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "StringNotEquals",
    "aws:RequestedRegion",
    ["us-east-1", "eu-west-1"],
    "eu-west-1",
    "Allow",
    "R8: Deny unless the region is one of two: eu-west-1 is listed, the Deny does not apply.",
    deny_stmt=True,
)
cadd(
    g,
    "R8 R14 condition:multi-value condition:negated",
    "StringNotEquals",
    "aws:RequestedRegion",
    ["us-east-1", "eu-west-1"],
    "ap-south-1",
    "ExplicitDeny",
    "R8: Deny unless the region is one of two: ap-south-1 is not, the Deny applies.",
    deny_stmt=True,
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "ArnNotLike",
    "aws:SourceArn",
    [f"arn:aws:sqs:*:{A}:a", f"arn:aws:sqs:*:{A}:b"],
    f"arn:aws:sqs:us-east-1:{A}:b",
    "ImplicitDeny",
    "R8: ArnNotLike with two values: the ARN matches the second.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "NumericNotEquals",
    "s3:max-keys",
    ["1", "2"],
    "2",
    "ImplicitDeny",
    "R8: NumericNotEquals [1, 2]: 2 equals the second value.",
)
cadd(
    g,
    "R8 condition:multi-value condition:negated",
    "NumericNotEquals",
    "s3:max-keys",
    ["1", "2"],
    "3",
    "Allow",
    "R8: NumericNotEquals [1, 2]: 3 equals neither.",
)
g.add(
    "R8 condition:multi-operator",
    rq(
        ALICE,
        ctx={"aws:PrincipalTag/team": "blue", "aws:SecureTransport": "true", "aws:SourceIp": "10.2.3.4"},
    ),
    "Allow",
    "R8: three operators, all hold.",
    identity=allow(
        cond={
            "StringEquals": {"aws:PrincipalTag/team": "blue"},
            "Bool": {"aws:SecureTransport": "true"},
            "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
        }
    ),
)
g.add(
    "R8 R14 condition:multi-operator",
    rq(ALICE, ctx={"aws:SecureTransport": "false", "aws:SourceIp": "10.0.0.1"}),
    "Allow",
    "R8: the Deny needs both SecureTransport false AND an address outside 10/8; the second fails.",
    identity=P(
        allow("s3:*"),
        deny(cond={"Bool": {"aws:SecureTransport": "false"}, "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    ),
)
g.add(
    "R8 R14 condition:multi-operator",
    rq(ALICE, ctx={"aws:SecureTransport": "false", "aws:SourceIp": "192.0.2.9"}),
    "ExplicitDeny",
    "R8: both conditions of the Deny hold.",
    identity=P(
        allow("s3:*"),
        deny(cond={"Bool": {"aws:SecureTransport": "false"}, "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    ),
)
g.add(
    "R8 condition:multi-key",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue"}),
    "ImplicitDeny",
    "R8: two keys under one operator, the second key is missing (R9: false), so the operator fails.",
    identity=allow(cond={"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:PrincipalTag/env": "prod"}}),
)

g = group("r09", "r09_missing_ifexists.jsonl", "R9 missing keys and IfExists")
ms = "the key is missing"
cadd(
    g,
    "R9 condition:missing-key",
    "StringEquals",
    "aws:PrincipalTag/team",
    "blue",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: a non-negated operator is false.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "StringNotEquals",
    "aws:PrincipalTag/team",
    "blue",
    MISSING,
    "Allow",
    f"R9: {ms}: a negated operator is true.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "StringNotLike",
    "aws:PrincipalTag/team",
    "b*",
    MISSING,
    "Allow",
    f"R9: {ms}: StringNotLike is true.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "StringNotEqualsIgnoreCase",
    "aws:PrincipalTag/team",
    "blue",
    MISSING,
    "Allow",
    f"R9: {ms}: StringNotEqualsIgnoreCase is true.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "NumericNotEquals",
    "s3:max-keys",
    "10",
    MISSING,
    "Allow",
    f"R9: {ms}: NumericNotEquals is true.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "NumericLessThan",
    "s3:max-keys",
    "10",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: NumericLessThan is false.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "DateNotEquals",
    "aws:CurrentTime",
    "2024-01-01T00:00:00Z",
    MISSING,
    "Allow",
    f"R9: {ms}: DateNotEquals is true.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "DateGreaterThan",
    "aws:CurrentTime",
    "2024-01-01T00:00:00Z",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: DateGreaterThan is false.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "Bool",
    "aws:SecureTransport",
    "true",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: Bool is false.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "IpAddress",
    "aws:SourceIp",
    "10.0.0.0/8",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: IpAddress is false.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "NotIpAddress",
    "aws:SourceIp",
    "10.0.0.0/8",
    MISSING,
    "Allow",
    f"R9: {ms}: NotIpAddress is true.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "ArnLike",
    "aws:SourceArn",
    "arn:aws:s3:::*",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: ArnLike is false.",
)
cadd(
    g,
    "R9 condition:missing-key condition:negated",
    "ArnNotEquals",
    "aws:SourceArn",
    "arn:aws:s3:::b",
    MISSING,
    "Allow",
    f"R9: {ms}: ArnNotEquals is true.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "BinaryEquals",
    "aws:RequestTag/cert",
    "QmluYXJ5VmFsdWU=",
    MISSING,
    "ImplicitDeny",
    f"R9: {ms}: BinaryEquals is false.",
)
cadd(
    g,
    "R9 condition:missing-key",
    "Bool",
    "aws:MultiFactorAuthPresent",
    "false",
    MISSING,
    "Allow",
    "R9: Deny if Bool aws:MultiFactorAuthPresent false: with the key missing Bool is false, so the Deny does "
    "not apply (AWS's documented pitfall).",
    deny_stmt=True,
)
cadd(
    g,
    "R9 R14 condition:missing-key condition:IfExists",
    "BoolIfExists",
    "aws:MultiFactorAuthPresent",
    "false",
    MISSING,
    "ExplicitDeny",
    "R9: Deny if BoolIfExists aws:MultiFactorAuthPresent false: missing key makes "
    "IfExists true, so the Deny applies.",
    deny_stmt=True,
)
# IfExists on every family
ie = "condition:IfExists"
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "StringEqualsIfExists",
    "aws:PrincipalTag/team",
    "blue",
    MISSING,
    "Allow",
    "R9: StringEqualsIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "StringEqualsIfExists",
    "aws:PrincipalTag/team",
    "blue",
    "red",
    "ImplicitDeny",
    "R9: the key is present: StringEqualsIfExists evaluates normally (red != blue).",
)
cadd(
    g,
    f"R9 {ie}",
    "StringEqualsIfExists",
    "aws:PrincipalTag/team",
    "blue",
    "blue",
    "Allow",
    "R9: the key is present and matches.",
)
cadd(
    g,
    f"R9 {ie}",
    "StringLikeIfExists",
    "aws:PrincipalTag/team",
    "bl*",
    "red",
    "ImplicitDeny",
    "R9: StringLikeIfExists with the key present: red does not match bl*.",
)
cadd(
    g,
    f"R9 {ie} condition:negated",
    "StringNotEqualsIfExists",
    "aws:PrincipalTag/team",
    "blue",
    "blue",
    "ImplicitDeny",
    "R9: StringNotEqualsIfExists with the key present: blue equals blue, so it is false.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "StringEqualsIgnoreCaseIfExists",
    "aws:PrincipalTag/team",
    "BLUE",
    MISSING,
    "Allow",
    "R9: StringEqualsIgnoreCaseIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "StringNotLikeIfExists",
    "aws:PrincipalTag/team",
    "b*",
    MISSING,
    "Allow",
    "R9: StringNotLikeIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "NumericLessThanIfExists",
    "s3:max-keys",
    "10",
    MISSING,
    "Allow",
    "R9: NumericLessThanIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "NumericLessThanIfExists",
    "s3:max-keys",
    "10",
    "20",
    "ImplicitDeny",
    "R9: NumericLessThanIfExists with the key present: 20 < 10 is false.",
)
cadd(
    g,
    f"R9 {ie}",
    "NumericGreaterThanEqualsIfExists",
    "s3:max-keys",
    "10",
    "10",
    "Allow",
    "R9: NumericGreaterThanEqualsIfExists with the key present: 10 >= 10.",
)
cadd(
    g,
    f"R9 {ie} condition:negated",
    "NumericNotEqualsIfExists",
    "s3:max-keys",
    "10",
    "10",
    "ImplicitDeny",
    "R9: NumericNotEqualsIfExists with the key present: 10 = 10, so false.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "DateLessThanIfExists",
    "aws:CurrentTime",
    "2024-01-01T00:00:00Z",
    MISSING,
    "Allow",
    "R9: DateLessThanIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "DateLessThanIfExists",
    "aws:CurrentTime",
    "2024-01-01T00:00:00Z",
    "2024-06-01T00:00:00Z",
    "ImplicitDeny",
    "R9: DateLessThanIfExists with the key present: June 2024 is not before 2024-01-01.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key condition:negated",
    "DateNotEqualsIfExists",
    "aws:CurrentTime",
    "2024-01-01T00:00:00Z",
    MISSING,
    "Allow",
    "R9: DateNotEqualsIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "BoolIfExists",
    "aws:SecureTransport",
    "true",
    MISSING,
    "Allow",
    "R9: BoolIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "BoolIfExists",
    "aws:SecureTransport",
    "true",
    "false",
    "ImplicitDeny",
    "R9: BoolIfExists with the key present: false != true.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "BinaryEqualsIfExists",
    "aws:RequestTag/cert",
    "QmluYXJ5VmFsdWU=",
    MISSING,
    "Allow",
    "R9: BinaryEqualsIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "BinaryEqualsIfExists",
    "aws:RequestTag/cert",
    "QmluYXJ5VmFsdWU=",
    "T3RoZXJWYWx1ZQ==",
    "ImplicitDeny",
    "R9: BinaryEqualsIfExists with the key present: other bytes.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "IpAddressIfExists",
    "aws:SourceIp",
    "10.0.0.0/8",
    MISSING,
    "Allow",
    "R9: IpAddressIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "IpAddressIfExists",
    "aws:SourceIp",
    "10.0.0.0/8",
    "192.0.2.1",
    "ImplicitDeny",
    "R9: IpAddressIfExists with the key present: outside the range.",
)
cadd(
    g,
    f"R9 {ie} condition:negated",
    "NotIpAddressIfExists",
    "aws:SourceIp",
    "10.0.0.0/8",
    "10.0.0.1",
    "ImplicitDeny",
    "R9: NotIpAddressIfExists with the key present: inside the range, so false.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key",
    "ArnLikeIfExists",
    "aws:SourceArn",
    "arn:aws:s3:::logs-*",
    MISSING,
    "Allow",
    "R9: ArnLikeIfExists is true on a missing key.",
)
cadd(
    g,
    f"R9 {ie}",
    "ArnLikeIfExists",
    "aws:SourceArn",
    "arn:aws:s3:::logs-*",
    "arn:aws:s3:::data",
    "ImplicitDeny",
    "R9: ArnLikeIfExists with the key present: arn:aws:s3:::data does not match.",
)
cadd(
    g,
    f"R9 {ie} condition:negated",
    "ArnNotLikeIfExists",
    "aws:SourceArn",
    "arn:aws:s3:::logs-*",
    "arn:aws:s3:::logs-1",
    "ImplicitDeny",
    "R9: ArnNotLikeIfExists with the key present and matching: false.",
)
cadd(
    g,
    f"R9 {ie} condition:missing-key condition:set",
    "ForAllValues:StringEqualsIfExists",
    "aws:TagKeys",
    ["env", "team"],
    MISSING,
    "Allow",
    "R9: ForAllValues:...IfExists is true on a missing key (set rule wins).",
)
cadd(
    g,
    f"R9 R12 {ie} condition:missing-key condition:set",
    "ForAnyValue:StringEqualsIfExists",
    "aws:TagKeys",
    ["env", "team"],
    MISSING,
    "ImplicitDeny",
    "R9: ForAnyValue:...IfExists is false on a missing key: the set operator's missing-key rule wins.",
)
cadd(
    g,
    f"R9 R12 {ie} condition:set",
    "ForAnyValue:StringEqualsIfExists",
    "aws:TagKeys",
    ["env", "team"],
    ["team", "x"],
    "Allow",
    "R9: ForAnyValue:...IfExists with the key present evaluates normally: team matches.",
)
cadd(
    g,
    f"R9 R12 {ie} condition:set",
    "ForAllValues:StringEqualsIfExists",
    "aws:TagKeys",
    ["env", "team"],
    ["team", "x"],
    "ImplicitDeny",
    "R9: ForAllValues:...IfExists with the key present: x is not allowed.",
)
cadd(
    g,
    f"R9 R14 {ie} condition:missing-key condition:negated",
    "StringNotEqualsIfExists",
    "aws:PrincipalOrgID",
    "o-mine",
    MISSING,
    "ExplicitDeny",
    "R9: Deny if StringNotEqualsIfExists aws:PrincipalOrgID: missing key -> true -> the Deny applies.",
    deny_stmt=True,
)

g = group("r10", "r10_null.jsonl", "R10 Null")
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:TokenIssueTime",
    "true",
    MISSING,
    "Allow",
    "R10: Null true holds when the key is absent.",
)
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:TokenIssueTime",
    "true",
    "2024-01-01T00:00:00Z",
    "ImplicitDeny",
    "R10: Null true fails when the key is present.",
)
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:TokenIssueTime",
    "false",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R10: Null false holds when the key is present.",
)
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:TokenIssueTime",
    "false",
    MISSING,
    "ImplicitDeny",
    "R10: Null false fails when the key is absent.",
)
cadd(
    g,
    "R10 R14 condition:Null",
    "Null",
    "aws:MultiFactorAuthAge",
    "true",
    MISSING,
    "ExplicitDeny",
    "R10: Deny if Null aws:MultiFactorAuthAge true: the key is absent, so the Deny applies.",
    deny_stmt=True,
)
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:MultiFactorAuthAge",
    "true",
    "30",
    "Allow",
    "R10: Deny if Null true: the key is present, so the Deny does not apply.",
    deny_stmt=True,
)
g.add(
    "R10 R8 condition:Null",
    rq(ALICE, ctx={"aws:RequestTag/owner": "alice"}),
    "Allow",
    "R10: Null with two keys: env absent (true holds) and owner present (false holds).",
    identity=allow(cond={"Null": {"aws:RequestTag/env": "true", "aws:RequestTag/owner": "false"}}),
)
g.add(
    "R10 R8 condition:Null",
    rq(ALICE, ctx={"aws:RequestTag/owner": "alice", "aws:RequestTag/env": "dev"}),
    "ImplicitDeny",
    "R10: env is present, so Null true on it fails.",
    identity=allow(cond={"Null": {"aws:RequestTag/env": "true", "aws:RequestTag/owner": "false"}}),
)
cadd(
    g,
    "R10 condition:Null multivalued",
    "Null",
    "aws:TagKeys",
    "false",
    ["env"],
    "Allow",
    "R10: a multivalued key with a value is present: Null false holds.",
)
cadd(
    g,
    "R10 condition:Null",
    "Null",
    "aws:SourceVpc",
    "true",
    "vpc-1",
    "ImplicitDeny",
    "R10: aws:SourceVpc is present: Null true fails.",
)

# ====================================================================== R11: operators
g = group("r11", "r11_operators.jsonl", "R11 condition operator families")


def op(opname, key, value, reqval, expected, why, tags="", deny_stmt=False):
    cadd(
        g,
        f"R11 condition-base:{opname.replace('IfExists', '')} {tags}",
        opname,
        key,
        value,
        reqval,
        expected,
        why,
        deny_stmt=deny_stmt,
    )


T = "aws:PrincipalTag/team"
# String
op("StringEquals", T, "alice", "alice", "Allow", "R11: StringEquals exact match.")
op("StringEquals", T, "alice", "Alice", "ImplicitDeny", "R11: StringEquals is case-sensitive.")
op("StringEquals", T, "a*", "abc", "ImplicitDeny", "R11: StringEquals has no wildcards: a* is literal.")
op("StringEquals", T, "a*", "a*", "Allow", "R11: StringEquals compares the literal text a*.")
op("StringNotEquals", T, "alice", "bob", "Allow", "R11: StringNotEquals: bob differs from alice.")
op(
    "StringNotEquals",
    T,
    "alice",
    "alice",
    "ImplicitDeny",
    "R11: StringNotEquals: equal values make it false.",
)
op("StringNotEquals", T, "alice", "Alice", "Allow", "R11: StringNotEquals is case-sensitive: Alice != alice.")
op("StringEqualsIgnoreCase", T, "ALICE", "alice", "Allow", "R11: StringEqualsIgnoreCase ignores case.")
op(
    "StringEqualsIgnoreCase",
    T,
    "Ärger",
    "äRGER",
    "Allow",
    "R11: StringEqualsIgnoreCase uses Unicode case folding: Ä/ä.",
    "unicode",
)
op(
    "StringEqualsIgnoreCase",
    T,
    "ΑΘΗΝΑ",
    "αθηνα",
    "Allow",
    "R11: StringEqualsIgnoreCase folds Greek capitals too.",
    "unicode",
)
op(
    "StringEqualsIgnoreCase",
    T,
    "alice",
    "bob",
    "ImplicitDeny",
    "R11: StringEqualsIgnoreCase: different values.",
)
op(
    "StringNotEqualsIgnoreCase",
    T,
    "ALICE",
    "alice",
    "ImplicitDeny",
    "R11: StringNotEqualsIgnoreCase: equal ignoring case, so false.",
)
op(
    "StringNotEqualsIgnoreCase",
    T,
    "alice",
    "bob",
    "Allow",
    "R11: StringNotEqualsIgnoreCase: different values.",
)
op("StringLike", "s3:prefix", "home/*", "home/a/b", "Allow", "R11: StringLike * spans `/`.")
op(
    "StringLike",
    "aws:SourceArn",
    "arn:aws:s3:::*/key",
    "arn:aws:s3:::bucket/key",
    "Allow",
    "R11: StringLike is a glob over the whole value.",
)
op(
    "StringLike",
    "aws:SourceArn",
    "arn:aws:logs:*:log-group:g",
    f"arn:aws:logs:us-east-1:{A}:log-group:g",
    "Allow",
    "R11: StringLike * spans `:` (unlike the ARN operators, which split fields).",
)
op("StringLike", "s3:prefix", "file-?.txt", "file-1.txt", "Allow", "R11: StringLike ? matches one character.")
op(
    "StringLike",
    "s3:prefix",
    "file-?.txt",
    "file-10.txt",
    "ImplicitDeny",
    "R11: StringLike ? matches exactly one character.",
)
op("StringLike", "s3:prefix", "Home/*", "home/x", "ImplicitDeny", "R11: StringLike is case-sensitive.")
op("StringLike", "s3:prefix", "*", "", "Allow", "R11: StringLike * matches the empty string.")
op("StringLike", "s3:prefix", "abc", "abc", "Allow", "R11: StringLike without wildcards is an exact match.")
op("StringNotLike", "s3:prefix", "home/*", "home/x", "ImplicitDeny", "R11: StringNotLike: the value matches.")
op("StringNotLike", "s3:prefix", "home/*", "other", "Allow", "R11: StringNotLike: the value does not match.")
# Numeric
K = "s3:max-keys"
op("NumericEquals", K, "10", "10", "Allow", "R11: NumericEquals 10 = 10.")
op("NumericEquals", K, "10", "10.0", "Allow", "R11: numbers compare as numbers: 10.0 = 10.", "decimal")
op("NumericEquals", K, "1.5", "1.50", "Allow", "R11: decimals compare as numbers: 1.50 = 1.5.", "decimal")
op("NumericEquals", K, "10", "11", "ImplicitDeny", "R11: NumericEquals 11 != 10.")
op("NumericEquals", K, ["5", "10"], "10", "Allow", "R11: NumericEquals with two values (R8 OR).")
op("NumericNotEquals", K, "10", "10", "ImplicitDeny", "R11: NumericNotEquals 10 vs 10 is false.")
op("NumericNotEquals", K, "10", "11", "Allow", "R11: NumericNotEquals 11 vs 10 is true.")
op("NumericLessThan", K, "10", "9", "Allow", "R11: 9 < 10.")
op("NumericLessThan", K, "10", "10", "ImplicitDeny", "R11: 10 < 10 is false.")
op("NumericLessThan", K, "10", "-5", "Allow", "R11: negative numbers: -5 < 10.")
op("NumericLessThan", K, "2.5", "2.25", "Allow", "R11: decimals: 2.25 < 2.5.", "decimal")
op("NumericLessThan", K, "100", "99", "Allow", "R11: numeric, not lexical: 99 < 100.")
op("NumericLessThanEquals", K, "10", "10", "Allow", "R11: 10 <= 10.")
op("NumericLessThanEquals", K, "10", "11", "ImplicitDeny", "R11: 11 <= 10 is false.")
op("NumericGreaterThan", K, "10", "11", "Allow", "R11: 11 > 10.")
op("NumericGreaterThan", K, "10", "10", "ImplicitDeny", "R11: 10 > 10 is false.")
op("NumericGreaterThan", K, "9", "10", "Allow", "R11: numeric, not lexical: 10 > 9.")
op("NumericGreaterThanEquals", K, "10", "10", "Allow", "R11: 10 >= 10.")
op("NumericGreaterThanEquals", K, "10", "9", "ImplicitDeny", "R11: 9 >= 10 is false.")
op("NumericGreaterThanEquals", K, "0.5", "0.75", "Allow", "R11: 0.75 >= 0.5.", "decimal")
op(
    "NumericLessThan",
    K,
    "10",
    "abc",
    "ImplicitDeny",
    "R11 Decision: a request value that is not a number makes the operator false.",
    "unreadable decision",
)
op(
    "NumericNotEquals",
    K,
    "10",
    "abc",
    "ImplicitDeny",
    "R11 Decision: an unreadable request value makes even the negated operator false.",
    "unreadable decision",
)
op(
    "NumericNotEquals",
    K,
    "10",
    "abc",
    "Allow",
    "R11 Decision: Deny if NumericNotEquals with an unreadable request value: the operator is false, so the "
    "Deny does not apply and the Allow decides.",
    "unreadable decision",
    deny_stmt=True,
)
op(
    "NumericNotEqualsIfExists",
    K,
    "10",
    "ten",
    "ImplicitDeny",
    "R11 Decision: the key is present (IfExists evaluates) but unreadable: false.",
    "unreadable decision",
)
# Date
CT = "aws:CurrentTime"
op(
    "DateEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R11: DateEquals, same ISO instant.",
)
op(
    "DateEquals",
    CT,
    "1704067200",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R11: epoch 1704067200 and 2024-01-01T00:00:00Z are the same instant.",
    "date:epoch",
)
op(
    "DateEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "1704067200",
    "Allow",
    "R11: an epoch request value equals the same ISO instant in the policy.",
    "date:epoch",
)
op(
    "DateEquals",
    CT,
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R11: a date-only value is midnight UTC of that day.",
    "date:date-only",
)
op(
    "DateEquals",
    CT,
    "2024-01-01",
    "2024-01-01T00:00:01Z",
    "ImplicitDeny",
    "R11: a date-only value is the instant midnight, not the whole day.",
    "date:date-only",
)
op(
    "DateEquals",
    CT,
    "2024-01-01T00:00:00",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R11: a time without zone is UTC.",
    "date:no-zone",
)
op(
    "DateEquals",
    CT,
    "2024-01-01T02:00:00+02:00",
    "2024-01-01T00:00:00Z",
    "Allow",
    "R11: dates compare as instants: 02:00+02:00 = 00:00Z.",
    "date:offset",
)
op(
    "DateEquals",
    CT,
    "2023-12-31T19:00:00-05:00",
    "1704067200",
    "Allow",
    "R11: a negative offset and an epoch value of the same instant.",
    "date:offset date:epoch",
)
op(
    "DateNotEquals",
    CT,
    "1704067200",
    "2024-01-01T00:00:00Z",
    "ImplicitDeny",
    "R11: DateNotEquals is false for the same instant written differently.",
    "date:epoch",
)
op(
    "DateNotEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "2024-01-02T00:00:00Z",
    "Allow",
    "R11: DateNotEquals, other day.",
)
op("DateLessThan", CT, "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", "Allow", "R11: one second earlier.")
op(
    "DateLessThan",
    CT,
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00Z",
    "ImplicitDeny",
    "R11: equal is not less.",
)
op(
    "DateLessThan",
    CT,
    "1704067200",
    "1704067199",
    "Allow",
    "R11: both epoch: 1704067199 < 1704067200.",
    "date:epoch",
)
op(
    "DateLessThanEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "1704067200",
    "Allow",
    "R11: DateLessThanEquals holds for the same instant (ISO vs epoch).",
    "date:epoch",
)
op(
    "DateLessThanEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:01Z",
    "ImplicitDeny",
    "R11: one second later is not <=.",
)
op(
    "DateGreaterThan",
    CT,
    "2024-01-01",
    "2024-06-01T12:00:00Z",
    "Allow",
    "R11: June 2024 > 2024-01-01.",
    "date:date-only",
)
op(
    "DateGreaterThan",
    CT,
    "2024-01-01",
    "2023-06-01T00:00:00Z",
    "ImplicitDeny",
    "R11: June 2023 is not later.",
    "date:date-only",
)
op(
    "DateGreaterThan",
    CT,
    "2024-01-01T00:00:00Z",
    "2023-12-31T23:00:00-02:00",
    "Allow",
    "R11: 2023-12-31T23:00-02:00 is 2024-01-01T01:00Z, later than midnight.",
    "date:offset",
)
op("DateGreaterThanEquals", CT, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "Allow", "R11: equal is >=.")
op(
    "DateGreaterThanEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "1735689600",
    "Allow",
    "R11: epoch 1735689600 (2025-01-01) >= 2024-01-01.",
    "date:epoch",
)
op(
    "DateGreaterThan",
    CT,
    "2024-01-01T00:00:00Z",
    "not-a-date",
    "ImplicitDeny",
    "R11 Decision: an unreadable date makes the operator false.",
    "unreadable decision",
)
op(
    "DateNotEquals",
    CT,
    "2024-01-01T00:00:00Z",
    "yesterday",
    "ImplicitDeny",
    "R11 Decision: an unreadable date makes even DateNotEquals false.",
    "unreadable decision",
)
# Bool
ST = "aws:SecureTransport"
op("Bool", ST, "true", "true", "Allow", "R11: Bool true = true.")
op("Bool", ST, "true", "false", "ImplicitDeny", "R11: Bool false != true.")
op("Bool", ST, "TRUE", "true", "Allow", "R11: Bool policy values are case-insensitive.", "bool:case")
op("Bool", ST, "true", "True", "Allow", "R11: Bool request values are case-insensitive.", "bool:case")
op("Bool", ST, "false", "FALSE", "Allow", "R11: FALSE = false.", "bool:case")
op(
    "Bool",
    ST,
    "true",
    "yes",
    "ImplicitDeny",
    "R11 Decision: `yes` cannot be read as a boolean: the operator is false.",
    "unreadable decision",
)
op(
    "Bool",
    ST,
    "false",
    "no",
    "Allow",
    "R11 Decision: Deny if Bool false, request value `no` unreadable: operator false, Deny does not apply.",
    "unreadable decision",
    deny_stmt=True,
)
# Binary
BK = "aws:RequestTag/cert"
op("BinaryEquals", BK, "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", "Allow", "R11: BinaryEquals, same bytes.")
op(
    "BinaryEquals",
    BK,
    "QmluYXJ5VmFsdWU=",
    "T3RoZXJWYWx1ZQ==",
    "ImplicitDeny",
    "R11: BinaryEquals, other bytes.",
)
op(
    "BinaryEquals",
    BK,
    ["T3RoZXJWYWx1ZQ==", "QmluYXJ5VmFsdWU="],
    "QmluYXJ5VmFsdWU=",
    "Allow",
    "R11: BinaryEquals with two values: the second matches.",
)
op(
    "BinaryEquals",
    BK,
    "QmluYXJ5VmFsdWU=",
    "***not base64***",
    "ImplicitDeny",
    "R11 Decision: a request value that is not base64 makes BinaryEquals false.",
    "unreadable decision",
)
# IP
IP = "aws:SourceIp"
op("IpAddress", IP, "10.0.0.0/8", "10.1.2.3", "Allow", "R11: 10.1.2.3 is in 10.0.0.0/8.", "ip:v4")
op("IpAddress", IP, "10.0.0.0/8", "11.0.0.1", "ImplicitDeny", "R11: 11.0.0.1 is outside 10.0.0.0/8.", "ip:v4")
op("IpAddress", IP, "10.0.0.0/24", "10.0.0.255", "Allow", "R11: the last address of a /24.", "ip:v4")
op("IpAddress", IP, "10.0.0.0/24", "10.0.1.0", "ImplicitDeny", "R11: the first address after a /24.", "ip:v4")
op(
    "IpAddress",
    IP,
    "203.0.113.5",
    "203.0.113.5",
    "Allow",
    "R11: a bare IPv4 address is a /32.",
    "ip:v4 ip:bare",
)
op(
    "IpAddress",
    IP,
    "203.0.113.5",
    "203.0.113.6",
    "ImplicitDeny",
    "R11: a bare address matches only itself.",
    "ip:v4 ip:bare",
)
op(
    "IpAddress",
    IP,
    "0.0.0.0/0",
    "198.51.100.7",
    "Allow",
    "R11: 0.0.0.0/0 matches every IPv4 address.",
    "ip:v4",
)
op(
    "IpAddress",
    IP,
    "0.0.0.0/0",
    "2001:db8::1",
    "ImplicitDeny",
    "R11: 0.0.0.0/0 covers IPv4 only, not an IPv6 address.",
    "ip:v6",
)
op("IpAddress", IP, "2001:db8::/32", "2001:db8:1::5", "Allow", "R11: IPv6 CIDR.", "ip:v6")
op("IpAddress", IP, "2001:db8::/32", "2001:db9::1", "ImplicitDeny", "R11: outside the IPv6 CIDR.", "ip:v6")
op(
    "IpAddress",
    IP,
    "2001:db8::1",
    "2001:db8::1",
    "Allow",
    "R11: a bare IPv6 address is a /128.",
    "ip:v6 ip:bare",
)
op(
    "IpAddress",
    IP,
    "2001:db8::1",
    "2001:db8::2",
    "ImplicitDeny",
    "R11: a bare IPv6 address matches only itself.",
    "ip:v6 ip:bare",
)
op(
    "IpAddress",
    IP,
    "2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    "Allow",
    "R11: addresses compare as addresses, not text: the uncompressed form is the same address.",
    "ip:v6 ip:bare",
)
op("IpAddress", IP, "::/0", "2001:db8::1", "Allow", "R11: ::/0 matches every IPv6 address.", "ip:v6")
op(
    "IpAddress",
    IP,
    "10.0.0.0/8",
    "2001:db8::1",
    "ImplicitDeny",
    "R11: an IPv6 address is not in an IPv4 range.",
    "ip:v6",
)
op(
    "IpAddress",
    IP,
    ["10.0.0.0/8", "2001:db8::/32"],
    "2001:db8::7",
    "Allow",
    "R11: mixed IPv4/IPv6 list: the IPv6 range matches.",
    "ip:v6",
)
op("NotIpAddress", IP, "10.0.0.0/8", "192.0.2.1", "Allow", "R11: NotIpAddress: outside the range.", "ip:v4")
op(
    "NotIpAddress",
    IP,
    "10.0.0.0/8",
    "10.9.9.9",
    "ImplicitDeny",
    "R11: NotIpAddress: inside the range.",
    "ip:v4",
)
op(
    "NotIpAddress",
    IP,
    "2001:db8::/32",
    "2001:db8::5",
    "ImplicitDeny",
    "R11: NotIpAddress IPv6: inside.",
    "ip:v6",
)
op(
    "NotIpAddress",
    IP,
    "192.0.2.10",
    "192.0.2.11",
    "Allow",
    "R11: NotIpAddress with a bare address.",
    "ip:v4 ip:bare",
)
op(
    "IpAddress",
    IP,
    "10.0.0.0/8",
    "not-an-ip",
    "ImplicitDeny",
    "R11 Decision: an unreadable IP makes IpAddress false.",
    "unreadable decision",
)
op(
    "NotIpAddress",
    IP,
    "10.0.0.0/8",
    "not-an-ip",
    "ImplicitDeny",
    "R11 Decision: an unreadable IP makes NotIpAddress false too.",
    "unreadable decision",
)
op(
    "NotIpAddress",
    IP,
    "10.0.0.0/8",
    "unknown",
    "Allow",
    "R11 Decision: Deny if NotIpAddress with an unreadable address: operator false, the Deny does not apply.",
    "unreadable decision",
    deny_stmt=True,
)
# ARN
SA = "aws:SourceArn"
op("ArnEquals", SA, ROLE, ROLE, "Allow", "R11: ArnEquals exact.")
op(
    "ArnEquals",
    SA,
    f"arn:aws:iam::{A}:role/*",
    ROLE,
    "Allow",
    "R11: ArnEquals also matches * within a field.",
)
op("ArnLike", SA, f"arn:aws:iam::{A}:role/*", ROLE, "Allow", "R11: ArnLike role/*.")
op("ArnLike", SA, "arn:aws:iam::*:role/app", ROLE, "Allow", "R11: * as the account field.")
op(
    "ArnLike",
    SA,
    f"arn:aws:iam::{A}:role/*",
    f"arn:aws:iam::{A}:role/team/app",
    "Allow",
    "R11: * in the resource field spans `/`.",
)
op(
    "ArnLike",
    SA,
    "arn:aws:logs:*:log-group:g",
    f"arn:aws:logs:us-east-1:{A}:log-group:g",
    "ImplicitDeny",
    "R11: fields are matched separately: region `*`, account `log-group` vs 111111111111 fails; a wildcard "
    "never crosses a field.",
    "arn:field",
)
op(
    "ArnLike",
    SA,
    f"arn:aws:logs:us-east-1:{A}:log-group:*",
    f"arn:aws:logs:us-east-1:{A}:log-group:g:log-stream:s",
    "Allow",
    "R11: the last field may contain `:`; * there matches `g:log-stream:s`.",
    "arn:field",
)
op(
    "ArnLike",
    SA,
    f"arn:aws:iam::{A}:role/App",
    ROLE,
    "ImplicitDeny",
    "R11: ARN operators are case-sensitive.",
    "arn:case",
)
op(
    "ArnLike",
    SA,
    f"arn:aws:IAM::{A}:role/app",
    ROLE,
    "ImplicitDeny",
    "R11: ARN operators are case-sensitive in every field, the service field included.",
    "arn:case",
)
op("ArnLike", SA, f"arn:aws:iam::{A}:role/ap?", ROLE, "Allow", "R11: ? matches one character.")
op("ArnLike", SA, f"arn:aws:sqs:*:{A}:q", QUEUE, "Allow", "R11: * as the region field.")
op(
    "ArnLike",
    SA,
    "arn:aws:s3:::bucket-*",
    "arn:aws:s3:::bucket-logs",
    "Allow",
    "R11: S3 ARN with empty fields.",
)
op(
    "ArnLike",
    SA,
    [f"arn:aws:iam::{A}:user/*", f"arn:aws:iam::{A}:role/*"],
    ROLE,
    "Allow",
    "R11: ArnLike with two values: the second matches.",
)
op("ArnNotEquals", SA, ROLE, ROLE, "ImplicitDeny", "R11: ArnNotEquals: equal ARNs make it false.")
op("ArnNotEquals", SA, ROLE, f"arn:aws:iam::{A}:role/other", "Allow", "R11: ArnNotEquals: different ARN.")
op("ArnNotLike", SA, f"arn:aws:iam::{A}:role/*", ROLE, "ImplicitDeny", "R11: ArnNotLike: the ARN matches.")
op(
    "ArnNotLike",
    SA,
    f"arn:aws:iam::{A}:role/*",
    ALICE,
    "Allow",
    "R11: ArnNotLike: a user ARN does not match role/*.",
)
op(
    "ArnEquals",
    SA,
    f"arn:aws:iam::{A}:role/app",
    f"arn:aws:iam::{A}:role/app2",
    "ImplicitDeny",
    "R11: ArnEquals without wildcard needs the whole field: app != app2.",
)

# ====================================================================== R12: set operators and multivalued keys
g = group("r12", "r12_set_operators.jsonl", "R12 ForAnyValue / ForAllValues and multivalued keys")
TK = "aws:TagKeys"


def setop(opname, value, reqval, expected, why, tags="", key=TK, deny_stmt=False):
    cadd(g, f"R12 condition:set {tags}", opname, key, value, reqval, expected, why, deny_stmt=deny_stmt)


setop(
    "ForAnyValue:StringEquals",
    ["team", "owner"],
    ["env", "team"],
    "Allow",
    "R12: ForAnyValue: at least one request value (team) matches.",
)
setop(
    "ForAnyValue:StringEquals",
    ["team"],
    ["env"],
    "ImplicitDeny",
    "R12: ForAnyValue: no request value matches.",
)
setop(
    "ForAnyValue:StringEquals",
    ["team"],
    MISSING,
    "ImplicitDeny",
    "R12: ForAnyValue is false on a missing key.",
    "condition:missing-key",
)
setop(
    "ForAnyValue:StringEquals",
    ["team"],
    [],
    "ImplicitDeny",
    "R12: ForAnyValue is false on an empty key.",
    "condition:empty-set",
)
setop(
    "ForAnyValue:StringEqualsIfExists",
    ["team"],
    [],
    "ImplicitDeny",
    "R12: ForAnyValue is false on an empty key, also with IfExists.",
    "condition:empty-set condition:IfExists",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team", "owner"],
    ["env", "team"],
    "Allow",
    "R12: ForAllValues: every request value is allowed.",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team"],
    ["env", "cost"],
    "ImplicitDeny",
    "R12: ForAllValues: cost is not allowed.",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team"],
    MISSING,
    "Allow",
    "R12: ForAllValues is true on a missing key.",
    "condition:missing-key",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team"],
    [],
    "Allow",
    "R12: ForAllValues is true on an empty key.",
    "condition:empty-set",
)
setop(
    "ForAllValues:StringEqualsIfExists",
    ["env"],
    [],
    "Allow",
    "R12: ForAllValues...IfExists true on empty key.",
    "condition:empty-set condition:IfExists",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team"],
    "env",
    "Allow",
    "R12: a single-valued key under a set operator is a one-element set.",
    "single-valued",
)
setop(
    "ForAllValues:StringEquals",
    ["env", "team"],
    "cost",
    "ImplicitDeny",
    "R12: single-valued key as a one-element set: cost is not allowed.",
    "single-valued",
)
setop(
    "ForAnyValue:StringEquals",
    ["env", "team"],
    "team",
    "Allow",
    "R12: single-valued key under ForAnyValue: team matches.",
    "single-valued",
)
setop(
    "ForAnyValue:StringNotEquals",
    ["env"],
    ["env", "team"],
    "Allow",
    "R12: ForAnyValue:StringNotEquals: team is not env, so some value is not in the list.",
    "condition:negated",
)
setop(
    "ForAnyValue:StringNotEquals",
    ["env"],
    ["env"],
    "ImplicitDeny",
    "R12: ForAnyValue:StringNotEquals: the only value is env.",
    "condition:negated",
)
setop(
    "ForAllValues:StringNotEquals",
    ["env", "team"],
    ["cost", "owner"],
    "Allow",
    "R12: ForAllValues:StringNotEquals: no request value is in the list.",
    "condition:negated",
)
setop(
    "ForAllValues:StringNotEquals",
    ["env", "team"],
    ["cost", "env"],
    "ImplicitDeny",
    "R12: ForAllValues:StringNotEquals: env is in the list.",
    "condition:negated",
)
setop(
    "ForAllValues:StringLike",
    "team-*",
    ["team-a", "team-b"],
    "Allow",
    "R12: ForAllValues:StringLike, all match.",
)
setop(
    "ForAllValues:StringLike",
    "team-*",
    ["team-a", "x"],
    "ImplicitDeny",
    "R12: ForAllValues:StringLike, x fails.",
)
setop(
    "ForAnyValue:StringLike",
    "team-*",
    ["x", "team-a"],
    "Allow",
    "R12: ForAnyValue:StringLike, team-a matches.",
)
setop(
    "ForAllValues:StringNotEquals",
    ["secret"],
    MISSING,
    "ExplicitDeny",
    "R12: Deny ForAllValues:StringNotEquals on a missing key: ForAllValues is true, so the Deny applies.",
    "condition:missing-key",
    deny_stmt=True,
)
setop(
    "ForAnyValue:StringEquals",
    ["secret"],
    MISSING,
    "Allow",
    "R12: Deny ForAnyValue on a missing key: false, so the Deny does not apply.",
    "condition:missing-key",
    deny_stmt=True,
)
setop(
    "ForAnyValue:StringEqualsIgnoreCase", "env", ["ENV"], "Allow", "R12: ForAnyValue:StringEqualsIgnoreCase."
)
setop(
    "ForAllValues:StringEqualsIgnoreCase",
    ["env", "team"],
    ["ENV", "Team"],
    "Allow",
    "R12: ForAllValues:StringEqualsIgnoreCase.",
)
setop(
    "ForAllValues:StringEquals",
    ["ENV"],
    ["env"],
    "ImplicitDeny",
    "R12: ForAllValues:StringEquals stays case-sensitive for values.",
)
setop(
    "ForAnyValue:NumericGreaterThan",
    "10",
    ["1", "20"],
    "Allow",
    "R12: ForAnyValue:NumericGreaterThan: 20 > 10.",
    key="s3:sizes",
)
setop(
    "ForAllValues:NumericGreaterThan",
    "10",
    ["1", "20"],
    "ImplicitDeny",
    "R12: ForAllValues:NumericGreaterThan: 1 is not > 10.",
    key="s3:sizes",
)
setop(
    "ForAnyValue:ArnLike",
    f"arn:aws:iam::{A}:role/*",
    [ALICE, ROLE],
    "Allow",
    "R12: ForAnyValue:ArnLike: the role ARN matches.",
    key="custom:arns",
)
setop(
    "ForAnyValue:IpAddress",
    "10.0.0.0/8",
    ["192.0.2.1", "10.0.0.9"],
    "Allow",
    "R12: ForAnyValue:IpAddress: 10.0.0.9 is in range.",
    key="custom:ips",
)
setop(
    "ForAnyValue:StringNotLike",
    "team-*",
    ["team-a", "x"],
    "Allow",
    "R12: ForAnyValue:StringNotLike: x does not match team-*.",
    "condition:negated",
)
setop(
    "ForAllValues:StringNotLike",
    "team-*",
    ["a", "b"],
    "Allow",
    "R12: ForAllValues:StringNotLike: neither value matches team-*.",
    "condition:negated",
)
setop(
    "ForAllValues:StringNotLike",
    "team-*",
    ["a", "team-b"],
    "ImplicitDeny",
    "R12: ForAllValues:StringNotLike: team-b matches team-*.",
    "condition:negated",
)
# multivalued keys under plain operators (Decision)
setop(
    "StringEquals",
    "team",
    ["env", "team"],
    "Allow",
    "R12 Decision: a multivalued key under a plain non-negated operator behaves as ForAnyValue: team matches.",
    "multivalued decision",
)
setop(
    "StringEquals",
    "team",
    ["env", "cost"],
    "ImplicitDeny",
    "R12 Decision: as ForAnyValue: no value is team.",
    "multivalued decision",
)
setop(
    "StringNotEquals",
    "team",
    ["env", "team"],
    "ImplicitDeny",
    "R12 Decision: a multivalued key under a plain negated operator behaves as ForAllValues: team is equal, so "
    "not every value differs.",
    "multivalued decision condition:negated",
)
setop(
    "StringNotEquals",
    "team",
    ["env", "cost"],
    "Allow",
    "R12 Decision: as ForAllValues: every value differs from team.",
    "multivalued decision condition:negated",
)
setop(
    "StringEquals",
    "team",
    [],
    "ImplicitDeny",
    "R12 Decision: an empty multivalued key under a plain positive operator behaves as ForAnyValue: false.",
    "multivalued decision condition:empty-set",
)
setop(
    "StringNotEquals",
    "team",
    [],
    "Allow",
    "R12 Decision: an empty multivalued key under a plain negated operator behaves as ForAllValues: true.",
    "multivalued decision condition:empty-set condition:negated",
)
setop(
    "StringLike",
    "team-*",
    ["a", "team-x"],
    "Allow",
    "R12 Decision: StringLike on a list, as ForAnyValue.",
    "multivalued decision",
)
setop(
    "StringNotLike",
    "team-*",
    ["team-x", "other"],
    "ImplicitDeny",
    "R12 Decision: StringNotLike on a list, as ForAllValues: team-x matches, so false.",
    "multivalued decision condition:negated",
)
setop(
    "NumericEquals",
    "2",
    ["1", "2"],
    "Allow",
    "R12 Decision: NumericEquals on a list, as ForAnyValue.",
    "multivalued decision",
    key="s3:sizes",
)
setop(
    "StringNotEquals",
    "secret",
    ["env", "secret"],
    "Allow",
    "R12 Decision: Deny if StringNotEquals secret on a list containing secret: as ForAllValues the operator is "
    "false, the Deny does not apply.",
    "multivalued decision condition:negated",
    deny_stmt=True,
)

# ====================================================================== R13: policy variables
g = group("r13", "r13_variables.jsonl", "R13 policy variables")
HOME = "arn:aws:s3:::bucket/home/${aws:username}/*"
ALICE_NOTE = "arn:aws:s3:::bucket/home/alice/notes.txt"


def var_res(tags, principal, resource, pattern, expected, why, version=V12, ctx=None, not_res=False):
    st = allow(not_resource=pattern) if not_res else allow("s3:GetObject", pattern)
    g.add(
        "R13 " + tags,
        rq(principal, "s3:GetObject", resource, ctx),
        expected,
        why,
        identity=P(st, version=version),
    )


var_res(
    "resource:variable",
    ALICE,
    ALICE_NOTE,
    HOME,
    "Allow",
    "R13: Version 2012-10-17: ${aws:username} is replaced by alice.",
)
var_res(
    "resource:variable",
    ALICE,
    "arn:aws:s3:::bucket/home/bob/x",
    HOME,
    "ImplicitDeny",
    "R13: ${aws:username} is alice: bob's folder does not match.",
)
var_res(
    "resource:variable version:2008",
    ALICE,
    ALICE_NOTE,
    HOME,
    "ImplicitDeny",
    "R13: Version 2008-10-17: ${aws:username} is literal text, so home/alice/ does not match.",
    version=V08,
)
var_res(
    "resource:variable version:absent",
    ALICE,
    ALICE_NOTE,
    HOME,
    "ImplicitDeny",
    "R13: no Version means 2008-10-17: the variable is literal text.",
    version=None,
)
var_res(
    "resource:variable version:2008",
    ALICE,
    "arn:aws:s3:::bucket/home/${aws:username}/notes.txt",
    HOME,
    "Allow",
    "R13: Version 2008-10-17: the literal text ${aws:username} matches the same literal text.",
    version=V08,
)
var_res(
    "resource:variable version:absent",
    ALICE,
    "arn:aws:s3:::bucket/home/${aws:username}/notes.txt",
    HOME,
    "Allow",
    "R13: no Version: literal ${aws:username} in the request resource matches.",
    version=None,
)
g.add(
    "R13 condition:variable",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:prefix": "home/alice/"}),
    "Allow",
    "R13: variables are substituted in String condition values.",
    identity=cond_allow("StringEquals", "s3:prefix", "home/${aws:username}/", action="s3:ListBucket"),
)
g.add(
    "R13 condition:variable version:2008",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:prefix": "home/alice/"}),
    "ImplicitDeny",
    "R13: Version 2008-10-17: the condition value is the literal text home/${aws:username}/.",
    identity=cond_allow(
        "StringEquals", "s3:prefix", "home/${aws:username}/", action="s3:ListBucket", version=V08
    ),
)
g.add(
    "R13 condition:variable version:absent",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:prefix": "home/alice/docs"}),
    "ImplicitDeny",
    "R13: no Version: StringLike home/${aws:username}/* is literal and does not match home/alice/docs.",
    identity=cond_allow(
        "StringLike", "s3:prefix", "home/${aws:username}/*", action="s3:ListBucket", version=None
    ),
)
g.add(
    "R13 condition:variable",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:prefix": "home/alice/docs"}),
    "Allow",
    "R13: StringLike home/${aws:username}/* becomes home/alice/*.",
    identity=cond_allow("StringLike", "s3:prefix", "home/${aws:username}/*", action="s3:ListBucket"),
)
g.add(
    "R13 condition:variable",
    rq(ALICE, ctx={"aws:SourceArn": f"arn:aws:sqs:us-east-1:{A}:alice-queue"}),
    "Allow",
    "R13: variables are substituted in ARN condition values after the fifth colon.",
    identity=cond_allow(
        "ArnEquals", "aws:SourceArn", f"arn:aws:sqs:us-east-1:{A}:" + "${aws:username}-queue"
    ),
)
g.add(
    "R13 condition:variable variable:field",
    rq(ALICE, ctx={"aws:SourceArn": f"arn:aws:sqs:us-east-1:{A}:q"}),
    "ImplicitDeny",
    "R13: a variable in the account field of an ARN condition value is not substituted: the value matches "
    "nothing.",
    identity=cond_allow("ArnLike", "aws:SourceArn", "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q"),
)
g.add(
    "R13 resource:variable variable:field",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R13: a variable in the account field of a Resource ARN is not substituted: the pattern matches nothing.",
    identity=allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q"),
)
g.add(
    "R13 resource:variable variable:field",
    rq(ALICE, "sqs:SendMessage", QUEUE, {"aws:RequestedRegion": "us-east-1"}),
    "ImplicitDeny",
    "R13: a variable in the region field is not substituted: the pattern matches nothing.",
    identity=allow("sqs:SendMessage", "arn:aws:sqs:" + "${aws:RequestedRegion}" + f":{A}:q"),
)
g.add(
    "R13 resource:variable",
    rq(ALICE, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:alice"),
    "Allow",
    "R13: a variable after the fifth colon is substituted.",
    identity=allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:" + "${aws:username}"),
)
g.add(
    "R13 R3 variable:action",
    rq(ALICE, "s3:GetObject", OBJ, {"aws:PrincipalTag/op": "GetObject"}),
    "ImplicitDeny",
    "R13: variables are not substituted in Action: s3:${aws:PrincipalTag/op} is literal and does not match "
    "s3:GetObject.",
    identity=allow("s3:${aws:PrincipalTag/op}", "*"),
)
var_res(
    "resource:variable variable:name-case",
    ALICE,
    ALICE_NOTE,
    "arn:aws:s3:::bucket/home/${AWS:USERNAME}/*",
    "Allow",
    "R13: variable names are case-insensitive: ${AWS:USERNAME} = aws:username.",
)
var_res(
    "resource:variable variable:name-case",
    ALICE,
    "arn:aws:s3:::bucket/blue/x",
    "arn:aws:s3:::bucket/${aws:principaltag/TEAM}/*",
    "Allow",
    "R13: ${aws:principaltag/TEAM} names the context key aws:PrincipalTag/team (R2).",
    ctx={"aws:PrincipalTag/team": "blue"},
)
var_res(
    "resource:variable variable:name-case",
    ALICE,
    "arn:aws:s3:::bucket/blue/x",
    "arn:aws:s3:::bucket/${aws:PrincipalTag/Team}/*",
    "Allow",
    "R13: the context key is given as AWS:PRINCIPALTAG/TEAM; names are case-insensitive.",
    ctx={"AWS:PRINCIPALTAG/TEAM": "blue"},
)
var_res(
    "resource:escape-variable",
    ALICE,
    "arn:aws:s3:::bucket/x",
    "arn:aws:s3:::bucket/${*}",
    "ImplicitDeny",
    "R13: ${*} is a literal `*`, not a wildcard: bucket/x does not match.",
)
var_res(
    "resource:escape-variable",
    ALICE,
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/${*}",
    "Allow",
    "R13: ${*} matches the literal character `*`.",
)
var_res(
    "resource:escape-variable",
    ALICE,
    "arn:aws:s3:::bucket/a?b",
    "arn:aws:s3:::bucket/a${?}b",
    "Allow",
    "R13: ${?} matches the literal character `?`.",
)
var_res(
    "resource:escape-variable",
    ALICE,
    "arn:aws:s3:::bucket/axb",
    "arn:aws:s3:::bucket/a${?}b",
    "ImplicitDeny",
    "R13: ${?} is not a wildcard: axb does not match.",
)
g.add(
    "R13 condition:escape-variable",
    rq(ALICE, ctx={"aws:PrincipalTag/price": "cost$"}),
    "Allow",
    "R13: ${$} is the literal `$`.",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/price", "cost${$}"),
)
g.add(
    "R13 condition:escape-variable",
    rq(ALICE, ctx={"s3:prefix": "file?"}),
    "Allow",
    "R13: StringLike file${?} matches the literal `file?`.",
    identity=cond_allow("StringLike", "s3:prefix", "file${?}"),
)
g.add(
    "R13 condition:escape-variable",
    rq(ALICE, ctx={"s3:prefix": "filex"}),
    "ImplicitDeny",
    "R13: StringLike file${?}: ${?} is not a wildcard, so filex does not match.",
    identity=cond_allow("StringLike", "s3:prefix", "file${?}"),
)
var_res(
    "resource:variable variable:default",
    SESS,
    "arn:aws:s3:::bucket/home/guest/x",
    "arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*",
    "Allow",
    "R13: a role session has no aws:username: the default 'guest' is used.",
)
var_res(
    "resource:variable variable:default",
    ALICE,
    "arn:aws:s3:::bucket/home/guest/x",
    "arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*",
    "ImplicitDeny",
    "R13: the key is present (alice), so the default is not used: home/alice/* does not match home/guest/x.",
)
var_res(
    "resource:variable variable:default",
    ALICE,
    "arn:aws:s3:::bucket/company-wide/x",
    "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*",
    "Allow",
    "R13: the default (AWS's documented example) is used when the tag is missing.",
)
g.add(
    "R13 condition:variable variable:default",
    rq(ALICE, ctx={"s3:prefix": "home/shared/"}),
    "Allow",
    "R13: defaults work in String condition values too.",
    identity=cond_allow("StringEquals", "s3:prefix", "home/${aws:PrincipalTag/dept, 'shared'}/"),
)
g.add(
    "R13 resource:variable variable:missing",
    rq(SESS, resource="arn:aws:s3:::bucket/public/x"),
    "Allow",
    "R13: an unresolvable entry in a Resource list matches nothing; the other entry still matches.",
    identity=allow("s3:GetObject", [HOME, "arn:aws:s3:::bucket/public/*"]),
)
g.add(
    "R13 resource:variable variable:missing decision",
    rq(SESS, resource="arn:aws:s3:::bucket/home/${aws:username}/x"),
    "ImplicitDeny",
    "R13 Decision: a role session has no aws:username; the Resource entry containing it matches nothing, not "
    "even a resource with the literal text.",
    identity=allow("s3:GetObject", HOME),
)
g.add(
    "R13 condition:variable variable:missing",
    rq(SESS, ctx={"s3:prefix": "public/"}),
    "Allow",
    "R13: an unresolvable value never matches, but the other value of the key is still tried.",
    identity=cond_allow("StringEquals", "s3:prefix", ["${aws:username}", "public/"]),
)
g.add(
    "R13 condition:variable variable:missing",
    rq(SESS, ctx={"s3:prefix": "anything"}),
    "ImplicitDeny",
    "R13: StringLike ${aws:username}* with aws:username missing never matches.",
    identity=cond_allow("StringLike", "s3:prefix", "${aws:username}*"),
)
g.add(
    "R13 condition:variable variable:missing condition:negated decision",
    rq(SESS, ctx={"s3:prefix": "x"}),
    "ImplicitDeny",
    "R13 Decision: StringNotEquals with an unresolvable value is false (fail closed).",
    identity=cond_allow("StringNotEquals", "s3:prefix", "${aws:username}"),
)
g.add(
    "R13 condition:variable variable:missing condition:negated decision",
    rq(SESS, ctx={"s3:prefix": "b"}),
    "ImplicitDeny",
    "R13 Decision: a negated operator with an unresolvable value is false, even though b differs from the "
    "other value a.",
    identity=cond_allow("StringNotEquals", "s3:prefix", ["${aws:username}", "a"]),
)
g.add(
    "R13 condition:variable variable:missing condition:negated decision",
    rq(SESS, ctx={"s3:prefix": "x"}),
    "Allow",
    "R13 Decision: Deny if StringNotEquals ${aws:username}: unresolvable -> the operator is false -> the Deny "
    "does not apply; the Allow decides.",
    identity=P(allow("s3:*"), deny(cond={"StringNotEquals": {"s3:prefix": "${aws:username}"}})),
)
g.add(
    "R13 condition:variable variable:missing condition:negated decision",
    rq(SESS, ctx={"s3:prefix": "x"}),
    "Allow",
    "R13 Decision: Deny if StringNotLike with an unresolvable value: the operator is false.",
    identity=P(allow("s3:*"), deny(cond={"StringNotLike": {"s3:prefix": "home/${aws:username}/*"}})),
)
var_res(
    "notresource resource:variable variable:missing decision",
    SESS,
    "arn:aws:s3:::bucket/other/x",
    HOME,
    "ImplicitDeny",
    "R13 Decision: a NotResource list containing an unresolvable variable is not satisfied: the Allow does not "
    "apply.",
    not_res=True,
)
g.add(
    "R13 R14 notresource resource:variable variable:missing decision",
    rq(SESS, resource="arn:aws:s3:::bucket/x"),
    "Allow",
    "R13 Decision: Deny NotResource with an unresolvable variable: not satisfied, the Deny does not apply.",
    identity=P(allow("s3:*"), deny("s3:*", not_resource=HOME)),
)
var_res(
    "notresource resource:variable",
    ALICE,
    "arn:aws:s3:::bucket/home/bob/x",
    HOME,
    "Allow",
    "R13: NotResource home/${aws:username}/* for alice does not list bob's folder: the Allow applies.",
    not_res=True,
)
var_res(
    "notresource resource:variable",
    ALICE,
    ALICE_NOTE,
    HOME,
    "ImplicitDeny",
    "R13: NotResource home/${aws:username}/* lists alice's own folder.",
    not_res=True,
)
var_res(
    "resource:variable variable:multivalued decision",
    ALICE,
    "arn:aws:s3:::bucket/a/x",
    "arn:aws:s3:::bucket/${aws:TagKeys}/*",
    "ImplicitDeny",
    "R13: a multivalued key (a list, here of one element) cannot be substituted: the entry matches nothing.",
    ctx={"aws:TagKeys": ["a"]},
)
var_res(
    "resource:variable variable:literal",
    ALICE,
    "arn:aws:s3:::bucket/anything/x",
    "arn:aws:s3:::bucket/${aws:PrincipalTag/project}/x",
    "ImplicitDeny",
    "R13: the tag value `*` is substituted as literal text, never a wildcard.",
    ctx={"aws:PrincipalTag/project": "*"},
)
var_res(
    "resource:variable variable:literal",
    ALICE,
    "arn:aws:s3:::bucket/*/x",
    "arn:aws:s3:::bucket/${aws:PrincipalTag/project}/x",
    "Allow",
    "R13: the substituted `*` matches a literal `*`.",
    ctx={"aws:PrincipalTag/project": "*"},
)
g.add(
    "R13 condition:variable variable:literal",
    rq(ALICE, ctx={"aws:PrincipalTag/prefix": "team-*", "s3:prefix": "team-a"}),
    "ImplicitDeny",
    "R13: StringLike ${aws:PrincipalTag/prefix} with the tag value team-*: the substituted * is literal.",
    identity=cond_allow("StringLike", "s3:prefix", "${aws:PrincipalTag/prefix}"),
)
g.add(
    "R13 condition:variable variable:literal",
    rq(ALICE, ctx={"aws:PrincipalTag/prefix": "team-*", "s3:prefix": "team-*"}),
    "Allow",
    "R13: the substituted text team-* matches itself literally.",
    identity=cond_allow("StringLike", "s3:prefix", "${aws:PrincipalTag/prefix}"),
)
g.add(
    "R13 condition:variable variable:literal",
    rq(ALICE, ctx={"aws:PrincipalTag/p": "a?c", "s3:prefix": "abc/x"}),
    "ImplicitDeny",
    "R13: a substituted `?` is literal: a?c/* does not match abc/x.",
    identity=cond_allow("StringLike", "s3:prefix", "${aws:PrincipalTag/p}/*"),
)
g.add(
    "R13 condition:variable variable:literal",
    rq(ALICE, ctx={"aws:PrincipalTag/p": "a?c", "s3:prefix": "a?c/x"}),
    "Allow",
    "R13: the literal `?` matches itself; the policy's own * is still a wildcard.",
    identity=cond_allow("StringLike", "s3:prefix", "${aws:PrincipalTag/p}/*"),
)
g.add(
    "R13 R5 resource:variable",
    rq(ALICE, resource=ALICE_NOTE),
    "Allow",
    "R13: variables are substituted in a resource-based policy's Resource too.",
    resource=P(allow("s3:GetObject", HOME, principal=AWS(ALICE))),
)
g.add(
    "R13 R15 condition:variable",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue", "aws:ResourceTag/team": "blue"}),
    "Allow",
    "R13: an SCP Deny comparing two tags with a variable: equal tags, the Deny does not apply.",
    identity=S3ALL,
    scps=[
        [
            FULL,
            P(deny("*", "*", cond={"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}})),
        ]
    ],
)
g.add(
    "R13 R15 condition:variable",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue", "aws:ResourceTag/team": "red"}),
    "ExplicitDeny",
    "R13: the SCP Deny's variable resolves to blue; the resource tag red differs.",
    identity=S3ALL,
    scps=[
        [
            FULL,
            P(deny("*", "*", cond={"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}})),
        ]
    ],
)
g.add(
    "R13 condition:variable",
    rq(ALICE, ctx={"aws:PrincipalTag/owner": "ALICE"}),
    "Allow",
    "R13: substituted in StringEqualsIgnoreCase: alice vs ALICE ignoring case.",
    identity=cond_allow("StringEqualsIgnoreCase", "aws:PrincipalTag/owner", "${aws:username}"),
)
var_res(
    "resource:variable",
    SESS,
    "arn:aws:s3:::bucket/home/AROAEXAMPLEAPP:s1/x",
    "arn:aws:s3:::bucket/home/${aws:userid}/*",
    "Allow",
    "R13: ${aws:userid} of a role session is ROLEID:session, substituted after the fifth colon (its own `:` is "
    "literal text).",
)
var_res(
    "resource:variable",
    ALICE,
    "arn:aws:s3:::bucket/ALICE",
    "arn:aws:s3:::bucket/${aws:username}",
    "ImplicitDeny",
    "R13: the substituted text is compared case-sensitively in the resource part.",
)
g.add(
    "R13 condition:variable",
    rq(ALICE, ctx={"aws:SourceArn": f"arn:aws:iam::{A}:user/alice"}),
    "Allow",
    "R13: ArnLike with a variable after the fifth colon: user/${aws:username} -> user/alice.",
    identity=cond_allow("ArnLike", "aws:SourceArn", f"arn:aws:iam::{A}:user/" + "${aws:username}"),
)
g.add(
    "R13 condition:variable variable:missing",
    rq(SESS, ctx={"aws:SourceArn": f"arn:aws:iam::{A}:user/x"}),
    "ImplicitDeny",
    "R13: ArnLike with a missing variable and no default never matches.",
    identity=cond_allow("ArnLike", "aws:SourceArn", f"arn:aws:iam::{A}:user/" + "${aws:username}"),
)

g.add(
    "R13 R5 variable:principal",
    rq(ALICE),
    "ImplicitDeny",
    "R13: variables are not substituted in Principal: user/${aws:username} is literal and does not name alice.",
    resource=P(allow(principal=AWS(f"arn:aws:iam::{A}:user/" + "${aws:username}"))),
)
g.add(
    "R13 R3 notaction variable:action",
    rq(ALICE, "s3:GetObject", OBJ, {"aws:PrincipalTag/op": "GetObject"}),
    "Allow",
    "R13: not substituted in NotAction either: s3:${aws:PrincipalTag/op} is literal, does not list s3:GetObject, "
    "so the Allow applies.",
    identity=allow(not_action="s3:${aws:PrincipalTag/op}"),
)
g.add(
    "R13 condition:variable variable:missing condition:negated decision",
    rq(SESS, ctx={"aws:SourceArn": f"arn:aws:iam::{A}:user/x"}),
    "ImplicitDeny",
    "R13 Decision: ArnNotLike with an unresolvable variable is false.",
    identity=cond_allow("ArnNotLike", "aws:SourceArn", f"arn:aws:iam::{A}:user/" + "${aws:username}"),
)
var_res(
    "resource:variable variable:default version:2008",
    SESS,
    "arn:aws:s3:::bucket/home/guest/x",
    "arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*",
    "ImplicitDeny",
    "R13: in a 2008-10-17 policy even a variable with a default is literal text.",
    version=V08,
)


# ====================================================================== R14: explicit deny wins
g = group("r14", "r14_explicit_deny.jsonl", "R14 implicit default, explicit Deny wins")
g.add("R14", rq(ALICE), "ImplicitDeny", "R14: no policy at all: implicit deny.")
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: Allow and Deny in the same identity policy: the Deny wins.",
    identity=P(allow(), deny()),
)
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in a second identity policy wins over the first's Allow.",
    identity=[P(allow("s3:*")), P(deny("s3:GetObject", OBJ))],
)
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in the resource policy wins over the identity Allow.",
    identity=S3ALL,
    resource=P(deny(principal="*")),
)
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in the resource policy wins over its own Allow.",
    resource=P(allow(principal=AWS(ALICE)), deny(principal=AWS(ALICE))),
)
g.add(
    "R14 R17",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in the permissions boundary wins.",
    identity=S3ALL,
    boundary=P(allow("*", "*"), deny()),
)
g.add(
    "R14 R17",
    rq(SESS),
    "ExplicitDeny",
    "R14: a Deny in the session policy wins.",
    identity=S3ALL,
    session=P(allow("*", "*"), deny()),
)
g.add(
    "R14 R15",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in an SCP wins.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:GetObject", "*"))]],
)
g.add(
    "R14 R16",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a Deny in an RCP wins.",
    identity=S3ALL,
    rcps=[[P(deny("s3:GetObject", "*", principal="*"))]],
)
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: a matching Deny without any Allow is an explicit deny.",
    identity=P(deny()),
)
g.add(
    "R14",
    rq(ALICE),
    "Allow",
    "R14: a Deny for another action does not affect the Allow.",
    identity=P(allow("s3:*"), deny("s3:PutObject")),
)
g.add(
    "R14",
    rq(ALICE),
    "ExplicitDeny",
    "R14: Deny * on * wins over everything.",
    identity=[P(allow("s3:GetObject", OBJ)), P(deny("*", "*"))],
)
g.add(
    "R14 R21",
    rq(BOB, racct=A),
    "ExplicitDeny",
    "R14: cross-account, the resource policy allows bob and also denies him: the Deny wins.",
    identity=S3ALL,
    resource=P(allow(principal=AWS(BOB)), deny(principal=AWS(BOB))),
)
g.add(
    "R14 R18",
    rq(ALICE),
    "ExplicitDeny",
    "R14: the resource policy grants alice, her identity policy denies: the Deny wins.",
    identity=P(deny()),
    resource=P(allow(principal=AWS(ALICE))),
)

# ====================================================================== R15: SCPs
g = group("r15", "r15_scps.jsonl", "R15 service control policies")
EC2ONLY = P(allow("ec2:*", "*"))
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: one level with FullAWSAccess: the identity policy decides.",
    identity=S3ALL,
    scps=[[FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "ImplicitDeny",
    "R15: the only level allows ec2:* only: s3 is implicitly denied.",
    identity=S3ALL,
    scps=[[EC2ONLY]],
)
g.add(
    "R15 scp:empty-level",
    rq(ALICE),
    "ImplicitDeny",
    "R15: an empty level allows nothing.",
    identity=S3ALL,
    scps=[[]],
)
g.add(
    "R15", rq(ALICE), "Allow", "R15: two levels, both FullAWSAccess.", identity=S3ALL, scps=[[FULL], [FULL]]
)
g.add(
    "R15 scp:empty-level",
    rq(ALICE),
    "ImplicitDeny",
    "R15: the account level is empty.",
    identity=S3ALL,
    scps=[[FULL], []],
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: three levels, all FullAWSAccess.",
    identity=S3ALL,
    scps=[[FULL], [FULL], [FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: the OU level allows s3:* only, which covers s3:GetObject.",
    identity=S3ALL,
    scps=[[FULL], [P(allow("s3:*", "*"))], [FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "ImplicitDeny",
    "R15: the OU level allows ec2:* only: every level must allow.",
    identity=S3ALL,
    scps=[[FULL], [EC2ONLY], [FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "ExplicitDeny",
    "R15: a Deny at the middle level wins.",
    identity=S3ALL,
    scps=[[FULL], [FULL, P(deny("s3:*", "*"))], [FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "ExplicitDeny",
    "R15: a Deny at the root level wins.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:GetObject", "*"))], [FULL], [FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "ExplicitDeny",
    "R15: a Deny at the account level wins.",
    identity=S3ALL,
    scps=[[FULL], [FULL], [FULL, P(deny("s3:GetObject", "*"))]],
)
g.add(
    "R15 scp:empty-level",
    rq(ALICE),
    "ExplicitDeny",
    "R15/R14: a Deny at one level and an empty level at another: the explicit deny is reported.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:*", "*"))], []],
)
g.add(
    "R15",
    rq(ALICE),
    "ImplicitDeny",
    "R15: SCPs never grant: FullAWSAccess with no identity policy.",
    scps=[[FULL]],
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: a level with two SCPs: the second allows s3:Get*.",
    identity=S3ALL,
    scps=[[P(allow("ec2:*", "*")), P(allow("s3:Get*", "*"))]],
)
g.add(
    "R15 notaction",
    rq(ALICE),
    "Allow",
    "R15: an SCP Allow with NotAction iam:* allows s3 actions.",
    identity=S3ALL,
    scps=[[P(allow(not_action="iam:*"))]],
)
g.add(
    "R15 notaction",
    rq(ALICE, "iam:CreateUser", f"arn:aws:iam::{A}:user/x"),
    "ImplicitDeny",
    "R15: the SCP Allow NotAction iam:* does not cover iam:CreateUser.",
    identity=allow("*", "*"),
    scps=[[P(allow(not_action="iam:*"))]],
)
g.add(
    "R15",
    rq(ALICE, ctx={"aws:RequestedRegion": "eu-west-1"}),
    "ImplicitDeny",
    "R15: the SCP Allow has a region condition that fails: the level does not allow.",
    identity=S3ALL,
    scps=[[P(allow("*", "*", cond={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))]],
)
g.add(
    "R15",
    rq(ALICE, ctx={"aws:RequestedRegion": "us-east-1"}),
    "Allow",
    "R15: the SCP Allow's region condition holds.",
    identity=S3ALL,
    scps=[[P(allow("*", "*", cond={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))]],
)
g.add(
    "R15",
    rq(ALICE, ctx={"aws:RequestedRegion": "eu-west-1"}),
    "ExplicitDeny",
    "R15: region-restriction SCP: Deny when the region is not us-east-1.",
    identity=S3ALL,
    scps=[[FULL, P(deny("*", "*", cond={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}))]],
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: an SCP Allow limited to arn:aws:s3:::bucket/* covers bucket/key.",
    identity=S3ALL,
    scps=[[P(allow("s3:*", "arn:aws:s3:::bucket/*"))]],
)
g.add(
    "R15",
    rq(ALICE, resource="arn:aws:s3:::other/key"),
    "ImplicitDeny",
    "R15: the SCP Allow is limited to bucket/*; another bucket is not allowed.",
    identity=S3ALL,
    scps=[[P(allow("s3:*", "arn:aws:s3:::bucket/*"))]],
)
g.add(
    "R15 notresource",
    rq(ALICE, resource="arn:aws:s3:::other/key"),
    "ExplicitDeny",
    "R15: SCP Deny NotResource bucket/*: every other bucket is denied.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:*", not_resource="arn:aws:s3:::bucket/*"))]],
)
g.add(
    "R15 scp:service-linked-role scp:empty-level",
    rq(SLR),
    "Allow",
    "R15: SCPs do not apply to service-linked roles (path /aws-service-role/): an empty level is ignored.",
    identity=S3ALL,
    scps=[[]],
)
g.add(
    "R15 scp:service-linked-role",
    rq(SLR),
    "Allow",
    "R15: an SCP Deny does not affect a service-linked role.",
    identity=S3ALL,
    scps=[[FULL, P(deny("*", "*"))]],
)
g.add(
    "R15 scp:service-linked-role",
    rq(f"arn:aws:iam::{A}:role/AWSServiceRoleForFake"),
    "ExplicitDeny",
    "R15: only the /aws-service-role/ path makes a service-linked role; a role merely named like one is "
    "subject to SCPs.",
    identity=S3ALL,
    scps=[[FULL, P(deny("*", "*"))]],
)
g.add(
    "R15 R20a scp:empty-level",
    rq(ROOT),
    "ImplicitDeny",
    "R15: SCPs apply to a member account's root user: an empty level denies it.",
    scps=[[FULL], []],
)
g.add(
    "R15 R20a",
    rq(ROOT),
    "ExplicitDeny",
    "R15: an SCP Deny applies to the root user.",
    scps=[[FULL, P(deny("s3:*", "*"))]],
)
g.add(
    "R15 R20a",
    rq(ROOT),
    "Allow",
    "R15: FullAWSAccess at every level: the root user keeps full access.",
    scps=[[FULL], [FULL]],
)
g.add(
    "R15",
    rq(SESS),
    "ExplicitDeny",
    "R15: SCPs apply to role sessions.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:*", "*"))]],
)
g.add(
    "R15",
    rq(ROLE),
    "ImplicitDeny",
    "R15: SCPs apply to roles: a level without an Allow.",
    identity=S3ALL,
    scps=[[EC2ONLY]],
)
g.add(
    "R15 R21",
    rq(ALICE, "sqs:SendMessage", QUEUE_B),
    "ExplicitDeny",
    "R15: the SCPs of the principal's account apply to its cross-account requests.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(ALICE))),
    scps=[[FULL, P(deny("sqs:*", "*"))]],
)
g.add(
    "R15 R21",
    rq(ALICE, "sqs:SendMessage", QUEUE_B),
    "ImplicitDeny",
    "R15: cross-account, the principal's SCP level does not allow sqs.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(ALICE))),
    scps=[[EC2ONLY]],
)
g.add(
    "R15 principal:service",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "R15: SCPs apply to users and roles of member accounts, not to AWS service principals: the topic policy "
    "grants.",
    resource=P(allow(SNS, TOPIC, principal=SVC("events.amazonaws.com"))),
    scps=[[]],
)
g.add(
    "R15 action:case",
    rq(ALICE),
    "Allow",
    "R15: SCP actions match case-insensitively (R3): S3:* covers s3:GetObject.",
    identity=S3ALL,
    scps=[[P(allow("S3:*", "*"))]],
)
g.add(
    "R15 R18",
    rq(ALICE),
    "ImplicitDeny",
    "R15: a same-account resource policy grant is still subject to the caller's SCPs: the level allows ec2 only.",
    resource=P(allow(principal=AWS(ALICE))),
    scps=[[EC2ONLY]],
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: scps null: the account is not governed by SCPs.",
    identity=S3ALL,
    scps=None,
)
g.add(
    "R15",
    rq(ALICE),
    "Allow",
    "R15: a level with an SCP Allow whose Deny-sibling targets another action: the level allows.",
    identity=S3ALL,
    scps=[[P(allow("*", "*"), deny("s3:DeleteObject", "*"))]],
)

# ====================================================================== R16: RCPs
g = group("r16", "r16_rcps.jsonl", "R16 resource control policies")


def rcp_deny(action, resource="*", cond=None):
    return P(deny(action, resource, principal="*", cond=cond))


g.add(
    "R16",
    rq(ALICE),
    "ExplicitDeny",
    "R16: an RCP Deny on s3 applies (S3 supports RCPs).",
    identity=S3ALL,
    rcps=[[rcp_deny("s3:*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, "ec2:RunInstances", INSTANCE),
    "Allow",
    "R16: EC2 does not support RCPs: an RCP Deny on ec2:* has no effect.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("ec2:*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, "ec2:RunInstances", INSTANCE),
    "Allow",
    "R16: an RCP Deny on * has no effect on an ec2 request.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("*")]],
)
g.add(
    "R16",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R16: SQS supports RCPs: the Deny * applies.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("*")]],
)
g.add(
    "R16 R19",
    rq(ALICE, "kms:Decrypt", KEY),
    "ExplicitDeny",
    "R16: KMS supports RCPs: the Deny applies.",
    identity=allow("*", "*"),
    resource=P(allow("kms:*", "*", principal=AWS(ROOT))),
    rcps=[[rcp_deny("kms:*")]],
)
g.add(
    "R16",
    rq(ALICE, "secretsmanager:GetSecretValue", SECRET),
    "ExplicitDeny",
    "R16: Secrets Manager supports RCPs.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("secretsmanager:*")]],
)
g.add(
    "R16 R19",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ExplicitDeny",
    "R16: STS supports RCPs: the Deny applies to AssumeRole even though the trust policy allows.",
    identity=allow("sts:AssumeRole", "*"),
    resource=P(allow("sts:AssumeRole", NORES, principal=AWS(ALICE))),
    rcps=[[rcp_deny("sts:*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, "iam:CreateUser", f"arn:aws:iam::{A}:user/x"),
    "Allow",
    "R16: IAM does not support RCPs.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, SNS, TOPIC),
    "Allow",
    "R16: SNS is not in the RCP service list.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("sns:*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, "lambda:InvokeFunction", FUNC),
    "Allow",
    "R16: Lambda is not in the RCP service list.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("*")]],
)
g.add(
    "R16",
    rq(ALICE),
    "ImplicitDeny",
    "R16: RCPs never grant: only RCPFullAWSAccess, no identity policy.",
    rcps=[[], []],
)
g.add(
    "R16",
    rq(ALICE),
    "Allow",
    "R16: empty levels mean RCPFullAWSAccess only: the identity policy decides.",
    identity=S3ALL,
    rcps=[[], [], []],
)
g.add(
    "R16 R21",
    rq(BOB, racct=A, ctx={"aws:PrincipalOrgID": "o-other"}),
    "ExplicitDeny",
    "R16: RCPs apply to external principals: Deny when aws:PrincipalOrgID is not o-mine.",
    identity=S3ALL,
    resource=P(allow(principal=AWS(BOB))),
    rcps=[[rcp_deny("s3:*", cond={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}})]],
)
g.add(
    "R16 R21",
    rq(BOB, racct=A, ctx={"aws:PrincipalOrgID": "o-mine"}),
    "Allow",
    "R16: the external principal is in the organization: the RCP Deny does not apply; both sides allow.",
    identity=S3ALL,
    resource=P(allow(principal=AWS(BOB))),
    rcps=[[rcp_deny("s3:*", cond={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}})]],
)
g.add(
    "R16 anonymous",
    rq(ANON, racct=A, ctx={"aws:SecureTransport": "false"}),
    "ExplicitDeny",
    "R16: RCPs apply to anonymous callers: Deny without TLS.",
    resource=P(allow(principal="*")),
    rcps=[[rcp_deny("s3:*", cond={"Bool": {"aws:SecureTransport": "false"}})]],
)
g.add(
    "R16 anonymous",
    rq(ANON, racct=A, ctx={"aws:SecureTransport": "true"}),
    "Allow",
    "R16: the RCP Deny's condition fails; the public bucket policy grants the anonymous caller.",
    resource=P(allow(principal="*")),
    rcps=[[rcp_deny("s3:*", cond={"Bool": {"aws:SecureTransport": "false"}})]],
)
g.add(
    "R16",
    rq(ALICE),
    "ExplicitDeny",
    "R16: a Deny at the third level applies.",
    identity=S3ALL,
    rcps=[[], [], [rcp_deny("s3:GetObject")]],
)
g.add(
    "R16",
    rq(ALICE),
    "Allow",
    "R16: the RCP Deny names another action.",
    identity=S3ALL,
    rcps=[[rcp_deny("s3:PutObject")]],
)
g.add(
    "R16 R21",
    rq(ALICE, "sqs:SendMessage", QUEUE_B),
    "ExplicitDeny",
    "R16: the resource account's RCP applies to a cross-account caller.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", "*", principal=AWS(ALICE))),
    rcps=[[rcp_deny("sqs:*")]],
)
g.add(
    "R16 R20a",
    rq(ROOT),
    "ExplicitDeny",
    "R16: an RCP Deny applies to the root user too.",
    rcps=[[rcp_deny("s3:*")]],
)
g.add(
    "R16 R18",
    rq(ALICE),
    "ExplicitDeny",
    "R16: an RCP Deny wins over a resource-policy grant.",
    resource=P(allow(principal=AWS(ALICE))),
    rcps=[[rcp_deny("s3:GetObject")]],
)
g.add(
    "R16",
    rq(ALICE, resource="arn:aws:s3:::public/key"),
    "Allow",
    "R16: the RCP Deny is limited to arn:aws:s3:::bucket/*.",
    identity=S3ALL,
    rcps=[[rcp_deny("s3:*", "arn:aws:s3:::bucket/*")]],
)
g.add(
    "R16 rcp:unsupported-service",
    rq(ALICE, "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/t"),
    "Allow",
    "R16: DynamoDB is not in the RCP service list.",
    identity=allow("*", "*"),
    rcps=[[rcp_deny("*")]],
)

# ====================================================================== R17: boundaries and session policies
g = group("r17", "r17_boundary_session.jsonl", "R17 permissions boundaries and session policies")
g.add("R17", rq(ALICE), "Allow", "R17: identity and boundary both allow.", identity=S3ALL, boundary=S3ALL)
g.add(
    "R17", rq(ALICE), "ImplicitDeny", "R17: the boundary allows ec2 only.", identity=S3ALL, boundary=EC2ONLY
)
g.add("R17", rq(ALICE), "ImplicitDeny", "R17: a boundary never grants on its own.", boundary=ALLOW_ALL)
g.add(
    "R17",
    rq(ALICE),
    "Allow",
    "R17: the effective permissions are the intersection: s3:GetObject is in both.",
    identity=S3ALL,
    boundary=P(allow("s3:Get*", "*")),
)
g.add(
    "R17",
    rq(ALICE, "s3:PutObject"),
    "ImplicitDeny",
    "R17: s3:PutObject is allowed by identity but not by the boundary (s3:Get*).",
    identity=S3ALL,
    boundary=P(allow("s3:Get*", "*")),
)
g.add("R17", rq(SESS), "Allow", "R17: identity and session policy both allow.", identity=S3ALL, session=S3ALL)
g.add(
    "R17",
    rq(SESS),
    "ImplicitDeny",
    "R17: the session policy allows ec2 only.",
    identity=S3ALL,
    session=EC2ONLY,
)
g.add("R17", rq(SESS), "ImplicitDeny", "R17: a session policy never grants on its own.", session=ALLOW_ALL)
g.add(
    "R17",
    rq(SESS),
    "Allow",
    "R17: identity, boundary and session policy all allow.",
    identity=S3ALL,
    boundary=S3ALL,
    session=ALLOW_ALL,
)
g.add(
    "R17",
    rq(SESS),
    "ImplicitDeny",
    "R17: boundary allows, session policy does not.",
    identity=S3ALL,
    boundary=S3ALL,
    session=EC2ONLY,
)
g.add(
    "R17",
    rq(SESS),
    "ImplicitDeny",
    "R17: session policy allows, boundary does not.",
    identity=S3ALL,
    boundary=EC2ONLY,
    session=S3ALL,
)
g.add(
    "R17",
    rq(ALICE),
    "Allow",
    "R17: a user's own and group policies all grant: the second one allows s3.",
    identity=[EC2ONLY, S3ALL],
)
g.add(
    "R17",
    rq(ALICE, ctx={"aws:SourceIp": "192.0.2.1"}),
    "ImplicitDeny",
    "R17: the boundary's Allow has a failing condition.",
    identity=S3ALL,
    boundary=P(allow("s3:*", "*", cond={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
)
g.add(
    "R17 notaction",
    rq(ALICE),
    "Allow",
    "R17: a boundary Allow NotAction iam:* covers s3.",
    identity=S3ALL,
    boundary=P(allow(not_action="iam:*")),
)
g.add(
    "R17 notaction",
    rq(ALICE, "iam:CreateUser", f"arn:aws:iam::{A}:user/x"),
    "ImplicitDeny",
    "R17: a boundary Allow NotAction iam:* does not cover iam:CreateUser.",
    identity=allow("*", "*"),
    boundary=P(allow(not_action="iam:*")),
)
g.add(
    "R17",
    rq(FED),
    "Allow",
    "R17: a federated-user session: the user's identity policy and the session policy both allow.",
    identity=S3ALL,
    session=P(allow("s3:GetObject", "*")),
)
g.add(
    "R17",
    rq(FED),
    "ImplicitDeny",
    "R17: the federated user's session policy allows only s3:PutObject.",
    identity=S3ALL,
    session=P(allow("s3:PutObject", "*")),
)
g.add(
    "R17",
    rq(ROLE),
    "ImplicitDeny",
    "R17: a role's boundary applies to its sessions.",
    identity=S3ALL,
    boundary=EC2ONLY,
)
g.add(
    "R17",
    rq(ALICE, resource="arn:aws:s3:::other/key"),
    "ImplicitDeny",
    "R17: the boundary is limited to arn:aws:s3:::bucket/*.",
    identity=S3ALL,
    boundary=P(allow("s3:*", "arn:aws:s3:::bucket/*")),
)
g.add(
    "R17",
    rq(SESS, resource="arn:aws:s3:::other/key"),
    "ImplicitDeny",
    "R17: the session policy is limited to arn:aws:s3:::bucket/*.",
    identity=S3ALL,
    session=P(allow("s3:*", "arn:aws:s3:::bucket/*")),
)
g.add(
    "R17",
    rq(SESS),
    "Allow",
    "R17: the session policy's resource limit covers bucket/key.",
    identity=S3ALL,
    session=P(allow("s3:*", "arn:aws:s3:::bucket/*")),
)
g.add(
    "R17 notaction",
    rq(SESS),
    "ImplicitDeny",
    "R17: a session policy Allow NotAction s3:* does not cover s3.",
    identity=S3ALL,
    session=P(allow(not_action="s3:*")),
)
g.add(
    "R17 R14",
    rq(SESS),
    "ExplicitDeny",
    "R17: the session policy does not allow and the identity policy denies.",
    identity=P(allow("*", "*"), deny()),
    session=EC2ONLY,
)
g.add(
    "R17",
    rq(ALICE, "ec2:DescribeInstances", "*"),
    "ImplicitDeny",
    "R17: the boundary allows ec2; the identity policy allows only s3: no grant.",
    identity=S3ALL,
    boundary=EC2ONLY,
)

# ====================================================================== R18: resource policy in the same account
g = group("r18", "r18_resource_policy_table.jsonl", "R18 same-account resource-based policy table")
NOALLOW = EC2ONLY  # a boundary / session policy with no Allow for the request


def bp(principal=None, not_principal=None):
    return P(allow(principal=principal, not_principal=not_principal))


# row: IAM user ARN
g.add(
    "R18 principal-elem:user-arn row:user",
    rq(ALICE),
    "Allow",
    "R18 (user row, identity column): a bucket policy naming the user grants without an identity Allow.",
    resource=bp(AWS(ALICE)),
)
g.add(
    "R18 principal-elem:user-arn row:user",
    rq(ALICE),
    "Allow",
    "R18 (user row, boundary column): a boundary without Allow does not block a grant to the user ARN.",
    resource=bp(AWS(ALICE)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:user-arn row:user",
    rq(ALICE),
    "Allow",
    "R18 (user row): identity Allow present, boundary without Allow: the resource-policy grant to the user "
    "still allows.",
    identity=S3ALL,
    resource=bp(AWS(ALICE)),
    boundary=NOALLOW,
)
g.add(
    "R18 R14 principal-elem:user-arn row:user",
    rq(ALICE),
    "ExplicitDeny",
    "R18: explicit denies still win: the identity policy denies.",
    identity=P(deny()),
    resource=bp(AWS(ALICE)),
)
g.add(
    "R18 R14 principal-elem:user-arn row:user",
    rq(ALICE),
    "ExplicitDeny",
    "R18: explicit denies still win: the boundary denies.",
    resource=bp(AWS(ALICE)),
    boundary=P(allow("ec2:*", "*"), deny("s3:*", "*")),
)
# row: role ARN (caller is its session)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(SESS),
    "Allow",
    "R18 (role row, identity column): a grant to the role ARN allows its session without identity Allow.",
    resource=bp(AWS(ROLE)),
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(SESS),
    "ImplicitDeny",
    "R18 (role row, boundary column): a boundary without Allow blocks a grant to the role ARN.",
    resource=bp(AWS(ROLE)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(SESS),
    "ImplicitDeny",
    "R18 (role row, session column): a session policy without Allow blocks a grant to the role ARN.",
    resource=bp(AWS(ROLE)),
    session=NOALLOW,
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(ROLE),
    "ImplicitDeny",
    "R18 (role row, boundary column), caller given as the role ARN: the boundary blocks.",
    resource=bp(AWS(ROLE)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(ROLE),
    "Allow",
    "R18 (role row, identity column), caller given as the role ARN.",
    resource=bp(AWS(ROLE)),
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(SESS),
    "ImplicitDeny",
    "R18 (role row): even with an identity Allow, a boundary without Allow denies.",
    identity=S3ALL,
    resource=bp(AWS(ROLE)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:role-arn row:role",
    rq(SESS),
    "Allow",
    "R18 (role row): the boundary allows: the grant to the role ARN stands.",
    resource=bp(AWS(ROLE)),
    boundary=S3ALL,
)
g.add(
    "R18 R14 principal-elem:role-arn row:role",
    rq(SESS),
    "ExplicitDeny",
    "R18: the session policy denies explicitly.",
    resource=bp(AWS(ROLE)),
    session=P(allow("*", "*"), deny()),
)
g.add(
    "R18 principal-elem:role-arn row:role role-path",
    rq(SESS),
    "ImplicitDeny",
    "R18 (role row): a role ARN with a path names the session too, with the same boundary rule.",
    resource=bp(AWS(ROLE_PATH)),
    boundary=NOALLOW,
)
# row: assumed-role session ARN
g.add(
    "R18 principal-elem:session-arn row:session",
    rq(SESS),
    "Allow",
    "R18 (session row, identity column).",
    resource=bp(AWS(SESS)),
)
g.add(
    "R18 principal-elem:session-arn row:session",
    rq(SESS),
    "Allow",
    "R18 (session row, boundary column): a grant to the session ARN is not blocked by the boundary.",
    resource=bp(AWS(SESS)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:session-arn row:session",
    rq(SESS),
    "Allow",
    "R18 (session row, session column): not blocked by the session policy.",
    resource=bp(AWS(SESS)),
    session=NOALLOW,
)
g.add(
    "R18 principal-elem:session-arn row:session",
    rq(SESS),
    "Allow",
    "R18 (session row): neither boundary nor session policy allows; the grant to the session ARN stands.",
    resource=bp(AWS(SESS)),
    boundary=NOALLOW,
    session=NOALLOW,
)
g.add(
    "R18 R14 principal-elem:session-arn row:session",
    rq(SESS),
    "ExplicitDeny",
    "R18: explicit denies still win: the session policy denies.",
    resource=bp(AWS(SESS)),
    session=P(deny()),
)
g.add(
    "R18 R14 principal-elem:session-arn row:session",
    rq(SESS),
    "ExplicitDeny",
    "R18: explicit denies still win: the role's identity policy denies.",
    identity=P(deny("s3:*", "*")),
    resource=bp(AWS(SESS)),
)
# row: federated-user session ARN
g.add(
    "R18 principal-elem:federated-user-arn row:federated",
    rq(FED),
    "Allow",
    "R18 (federated row, identity column).",
    resource=bp(AWS(FED)),
)
g.add(
    "R18 principal-elem:federated-user-arn row:federated",
    rq(FED),
    "Allow",
    "R18 (federated row, boundary column).",
    resource=bp(AWS(FED)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:federated-user-arn row:federated",
    rq(FED),
    "Allow",
    "R18 (federated row, session column).",
    resource=bp(AWS(FED)),
    session=NOALLOW,
)
g.add(
    "R18 R14 principal-elem:federated-user-arn row:federated",
    rq(FED),
    "ExplicitDeny",
    "R18: the federated user's session policy denies explicitly.",
    resource=bp(AWS(FED)),
    session=P(deny()),
)
# row: account
g.add(
    "R18 principal-elem:account-id row:account",
    rq(ALICE),
    "ImplicitDeny",
    "R18 (account row, identity column): delegation, the identity policy must allow.",
    resource=bp(AWS(A)),
)
g.add(
    "R18 principal-elem:account-root-arn row:account",
    rq(ALICE),
    "ImplicitDeny",
    "R18 (account row, identity column) with :root.",
    resource=bp(AWS(ROOT)),
)
g.add(
    "R18 principal-elem:account-id row:account",
    rq(ALICE),
    "ImplicitDeny",
    "R18 (account row, boundary column): identity allows, boundary does not.",
    identity=S3ALL,
    resource=bp(AWS(A)),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:account-root-arn row:account",
    rq(SESS),
    "ImplicitDeny",
    "R18 (account row, session column): identity allows, session policy does not.",
    identity=S3ALL,
    resource=bp(AWS(ROOT)),
    session=NOALLOW,
)
g.add(
    "R18 principal-elem:account-id row:account",
    rq(SESS),
    "ImplicitDeny",
    "R18 (account row, identity column) for a role session.",
    resource=bp(AWS(A)),
)
g.add(
    "R18 principal-elem:account-id row:account",
    rq(SESS),
    "Allow",
    "R18 (account row): identity, boundary and session policy all allow.",
    identity=S3ALL,
    resource=bp(AWS(A)),
    boundary=S3ALL,
    session=S3ALL,
)
# row: "*"
g.add(
    "R18 principal-elem:star row:star",
    rq(ALICE),
    "Allow",
    'R18 ("*" row, identity column).',
    resource=bp("*"),
)
g.add(
    "R18 principal-elem:star row:star",
    rq(ALICE),
    "Allow",
    'R18 ("*" row, boundary column).',
    resource=bp("*"),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:star row:star decision",
    rq(SESS),
    "Allow",
    'R18 Decision ("*" row, session column): "*" is treated as naming the caller itself.',
    resource=bp("*"),
    session=NOALLOW,
)
g.add(
    "R18 principal-elem:aws-star row:star",
    rq(SESS),
    "Allow",
    'R18 ("*" row, boundary column) with {"AWS": "*"} and a role session.',
    resource=bp(AWS("*")),
    boundary=NOALLOW,
)
g.add(
    "R18 principal-elem:aws-star row:star decision",
    rq(SESS),
    "Allow",
    'R18 Decision: {"AWS": "*"}, boundary and session policy both without Allow.',
    resource=bp(AWS("*")),
    boundary=NOALLOW,
    session=NOALLOW,
)
g.add(
    "R18 R14 principal-elem:star row:star",
    rq(ALICE),
    "ExplicitDeny",
    "R18: explicit denies still win: the boundary denies.",
    resource=bp("*"),
    boundary=P(deny("s3:*", "*")),
)
# row: Allow + NotPrincipal not listing the caller
g.add(
    "R18 R6 notprincipal:allow row:notprincipal",
    rq(ALICE),
    "Allow",
    "R18 (NotPrincipal row, identity column).",
    resource=bp(not_principal=AWS(BOB_A)),
)
g.add(
    "R18 R6 notprincipal:allow row:notprincipal",
    rq(ALICE),
    "Allow",
    "R18 (NotPrincipal row, boundary column).",
    resource=bp(not_principal=AWS(BOB_A)),
    boundary=NOALLOW,
)
g.add(
    "R18 R6 notprincipal:allow row:notprincipal decision",
    rq(SESS),
    "Allow",
    'R18 (NotPrincipal row, session column): treated as "*".',
    resource=bp(not_principal=AWS(BOB_A)),
    session=NOALLOW,
)
g.add(
    "R18 R6 R14 notprincipal:allow row:notprincipal",
    rq(SESS),
    "ExplicitDeny",
    "R18: explicit denies still win: the session policy denies.",
    resource=bp(not_principal=AWS(BOB_A)),
    session=P(deny()),
)
g.add(
    "R18 R14 row:user",
    rq(ALICE, ctx={"aws:SecureTransport": "false"}),
    "ExplicitDeny",
    "R18: a Deny in the resource policy itself wins over its grant.",
    resource=P(
        allow(principal=AWS(ALICE)),
        deny(principal=AWS(ALICE), cond={"Bool": {"aws:SecureTransport": "false"}}),
    ),
)

# ====================================================================== R19: trust policies and KMS key policies
g = group("r19", "r19_trust_kms.jsonl", "R19 role trust policies and KMS key policies")
ASSUME = allow("sts:AssumeRole", "*")


def trust(principal, action="sts:AssumeRole", effect="Allow", cond=None):
    return P(stmt(effect, action, NORES, principal=principal, cond=cond))


g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: an identity Allow alone does not let a same-account user assume a role: the trust policy must allow.",
    identity=ASSUME,
)
g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: even Allow * on * is not enough without the trust policy.",
    identity=allow("*", "*"),
)
g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: the trust policy names alice and her identity policy allows.",
    identity=ASSUME,
    resource=trust(AWS(ALICE)),
)
g.add(
    "R19 R18 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: the trust policy names alice's user ARN: same account, no identity Allow needed (R18 user row).",
    resource=trust(AWS(ALICE)),
)
g.add(
    "R19 trust principal-elem:account-id",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: the trust policy names the account and alice's identity policy allows (delegation).",
    identity=ASSUME,
    resource=trust(AWS(A)),
)
g.add(
    "R19 trust principal-elem:account-root-arn",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: the trust policy names the account; alice has no identity Allow.",
    resource=trust(AWS(ROOT)),
)
g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: the trust policy names bob, not alice.",
    identity=ASSUME,
    resource=trust(AWS(BOB_A)),
)
g.add(
    "R19 trust principal-elem:service",
    rq("ec2.amazonaws.com", "sts:AssumeRole", TARGET, racct=A),
    "Allow",
    "R19: the trust policy names the EC2 service.",
    resource=trust(SVC("ec2.amazonaws.com")),
)
g.add(
    "R19 trust principal-elem:service",
    rq("lambda.amazonaws.com", "sts:AssumeRole", TARGET, racct=A),
    "ImplicitDeny",
    "R19: the trust policy names EC2, the caller is Lambda.",
    resource=trust(SVC("ec2.amazonaws.com")),
)
g.add(
    "R19 R14 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ExplicitDeny",
    "R19: a Deny in the trust policy wins.",
    identity=ASSUME,
    resource=P(
        stmt("Allow", "sts:AssumeRole", NORES, principal=AWS(A)),
        stmt("Deny", "sts:AssumeRole", NORES, principal=AWS(ALICE)),
    ),
)
g.add(
    "R19 R21 trust",
    rq(BOB, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: cross-account: the trust policy names account 222222222222 and bob's identity policy allows.",
    identity=ASSUME,
    resource=trust(AWS(B)),
)
g.add(
    "R19 R21 trust",
    rq(BOB, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: cross-account without a trust policy.",
    identity=ASSUME,
)
g.add(
    "R19 R21 trust",
    rq(BOB, "sts:AssumeRole", TARGET, {"sts:ExternalId": "abc-123"}),
    "Allow",
    "R19: the trust policy requires sts:ExternalId abc-123; it matches.",
    identity=ASSUME,
    resource=trust(AWS(B), cond={"StringEquals": {"sts:ExternalId": "abc-123"}}),
)
g.add(
    "R19 R21 trust",
    rq(BOB, "sts:AssumeRole", TARGET, {"sts:ExternalId": "wrong"}),
    "ImplicitDeny",
    "R19: the external id does not match.",
    identity=ASSUME,
    resource=trust(AWS(B), cond={"StringEquals": {"sts:ExternalId": "abc-123"}}),
)
g.add(
    "R19 trust role-chaining",
    rq(SESS, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: role chaining: the trust policy names role app, whose session assumes target.",
    identity=ASSUME,
    resource=trust(AWS(ROLE)),
)
g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "Allow",
    "R19: trust Action sts:AssumeRole* covers sts:AssumeRole.",
    identity=ASSUME,
    resource=trust(AWS(ALICE), action="sts:AssumeRole*"),
)
g.add(
    "R19 trust",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R19: the trust policy allows only sts:AssumeRoleWithSAML; identity allows sts:AssumeRole.",
    identity=ASSUME,
    resource=trust(AWS(ALICE), action="sts:AssumeRoleWithSAML"),
)
# KMS
DEC = allow("kms:Decrypt", "*")


def keypol(principal, action="kms:*", cond=None):
    return P(allow(action, "*", principal=principal, cond=cond))


g.add(
    "R19 kms",
    rq(ALICE, "kms:Decrypt", KEY),
    "ImplicitDeny",
    "R19: no key policy: an identity Allow alone does not allow a KMS key operation.",
    identity=DEC,
)
g.add(
    "R19 kms principal-elem:account-root-arn",
    rq(ALICE, "kms:Decrypt", KEY),
    "Allow",
    "R19: the default key policy names the account (:root), which enables IAM policies; alice's identity "
    "policy allows.",
    identity=DEC,
    resource=keypol(AWS(ROOT)),
)
g.add(
    "R19 kms principal-elem:account-root-arn",
    rq(ALICE, "kms:Decrypt", KEY),
    "ImplicitDeny",
    "R19: the key policy names the account but alice has no identity Allow.",
    resource=keypol(AWS(ROOT)),
)
g.add(
    "R19 kms principal-elem:account-id",
    rq(ALICE, "kms:Decrypt", KEY),
    "Allow",
    "R19: the key policy names the account by id; identity allows.",
    identity=DEC,
    resource=keypol(AWS(A)),
)
g.add(
    "R19 R18 kms principal-elem:user-arn",
    rq(ALICE, "kms:Decrypt", KEY),
    "Allow",
    "R19: the key policy names alice directly: no identity Allow needed.",
    resource=keypol(AWS(ALICE)),
)
g.add(
    "R19 kms",
    rq(ALICE, "kms:Decrypt", KEY, {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}),
    "ImplicitDeny",
    "R19: the key policy's grant requires kms:ViaService s3.us-east-1.amazonaws.com.",
    identity=DEC,
    resource=keypol(AWS(ALICE), cond={"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
)
g.add(
    "R19 R20a kms",
    rq(ROOT, "kms:Decrypt", KEY),
    "ImplicitDeny",
    "R19/R20a: the root user needs the key policy too; there is none.",
)
g.add(
    "R19 R20a kms principal-elem:account-root-arn",
    rq(ROOT, "kms:Decrypt", KEY),
    "Allow",
    "R19/R20a: the key policy names the account root: the root user may use the key.",
    resource=keypol(AWS(ROOT)),
)
g.add(
    "R19 R20a kms",
    rq(ROOT, "kms:Decrypt", KEY),
    "ImplicitDeny",
    "R19/R20a: the key policy names only alice; the root user is not allowed.",
    resource=keypol(AWS(ALICE)),
)
g.add(
    "R19 R14 kms",
    rq(ALICE, "kms:Decrypt", KEY),
    "ExplicitDeny",
    "R19: the key policy denies alice.",
    identity=DEC,
    resource=P(allow("kms:*", "*", principal=AWS(ROOT)), deny("kms:Decrypt", "*", principal=AWS(ALICE))),
)
g.add(
    "R19 R21 kms",
    rq(ALICE, "kms:Decrypt", KEY_B),
    "Allow",
    "R19: cross-account key: the key policy names account 111111111111 and alice's identity policy allows.",
    identity=DEC,
    resource=keypol(AWS(ROOT)),
)
g.add(
    "R19 R21 kms",
    rq(ALICE, "kms:Decrypt", KEY_B),
    "ImplicitDeny",
    "R19: cross-account key whose policy trusts only its own account.",
    identity=DEC,
    resource=keypol(AWS(ROOT_B)),
)
g.add(
    "R19 R18 kms principal-elem:role-arn",
    rq(SESS, "kms:Decrypt", KEY),
    "Allow",
    "R19: the key policy names role app; its session needs no identity Allow (R18 role row, no boundary).",
    resource=keypol(AWS(ROLE)),
)
g.add(
    "R19 kms resource-request:star",
    rq(ALICE, "kms:ListKeys", "*"),
    "Allow",
    "R19 applies to operations on a key; kms:ListKeys on `*` involves no key policy: the identity Allow decides.",
    identity=allow("kms:ListKeys", "*"),
)
g.add(
    "R19 kms",
    rq(ALICE, "kms:Encrypt", KEY),
    "ImplicitDeny",
    "R19: the key policy allows alice only kms:Decrypt; the identity policy allows kms:*.",
    identity=allow("kms:*", "*"),
    resource=keypol(AWS(ALICE), action="kms:Decrypt"),
)

# ====================================================================== R20: GetCallerIdentity
g = group("r20", "r20_get_caller_identity.jsonl", "R20 sts:GetCallerIdentity")
GCI = "sts:GetCallerIdentity"
g.add("R20", rq(ALICE, GCI, "*"), "Allow", "R20: allowed with no policy at all.")
g.add(
    "R20 R14",
    rq(ALICE, GCI, "*"),
    "Allow",
    "R20: allowed even against an explicit Deny * in identity.",
    identity=P(deny("*", "*")),
)
g.add(
    "R20 R15",
    rq(ALICE, GCI, "*"),
    "Allow",
    "R20: allowed even with an SCP level that allows nothing.",
    scps=[[]],
)
g.add(
    "R20 R15",
    rq(ALICE, GCI, "*"),
    "Allow",
    "R20: allowed even against an SCP Deny *.",
    scps=[[FULL, P(deny("*", "*"))]],
)
g.add(
    "R20 R17",
    rq(ALICE, GCI, "*"),
    "Allow",
    "R20: allowed even with a boundary that allows nothing.",
    boundary=EC2ONLY,
)
g.add(
    "R20 R17",
    rq(SESS, GCI, "*"),
    "Allow",
    "R20: allowed even against a session-policy Deny.",
    session=P(deny("*", "*")),
)
g.add(
    "R20 R16",
    rq(ALICE, GCI, "*"),
    "Allow",
    "R20: allowed even against an RCP Deny sts:*.",
    rcps=[[P(deny("sts:*", "*", principal="*"))]],
)
g.add(
    "R20 action:case",
    rq(ALICE, "STS:getcalleridentity", "*"),
    "Allow",
    "R20: the action name is case-insensitive (R3).",
    identity=P(deny("*", "*")),
)
g.add(
    "R20 R14",
    rq(ALICE, "sts:GetSessionToken", "*"),
    "ExplicitDeny",
    "R20 is only for sts:GetCallerIdentity: sts:GetSessionToken is denied by the explicit Deny.",
    identity=P(allow("sts:*", "*"), deny("*", "*")),
)
g.add(
    "R20",
    rq(SESS, GCI, "*"),
    "Allow",
    "R20: a role session with an identity Deny sts:*.",
    identity=P(deny("sts:*", "*")),
)
g.add(
    "R20 R20a",
    rq(ROOT, GCI, "*"),
    "Allow",
    "R20: the root user with an SCP Deny *.",
    scps=[[FULL, P(deny("*", "*"))]],
)
g.add(
    "R20",
    rq(FED, GCI, "*"),
    "Allow",
    "R20: a federated user with a session policy allowing nothing.",
    session=EC2ONLY,
)

# ====================================================================== R20a: root user
g = group("r20a", "r20a_root.jsonl", "R20a account root user")
g.add("R20a", rq(ROOT), "Allow", "R20a: the root user is allowed everything in its own account.")
g.add("R20a", rq(ROOT, "ec2:TerminateInstances", INSTANCE), "Allow", "R20a: any service, own account.")
g.add("R20a", rq(ROOT, "iam:CreateUser", f"arn:aws:iam::{A}:user/x"), "Allow", "R20a: IAM actions too.")
g.add(
    "R20a resource-request:star",
    rq(ROOT, "ec2:DescribeInstances", "*"),
    "Allow",
    "R20a: actions without resource-level permissions.",
)
g.add(
    "R20a R14",
    rq(ROOT),
    "ExplicitDeny",
    "R20a: an explicit Deny in the bucket policy stops the root user.",
    resource=P(deny("s3:*", "*", principal="*")),
)
g.add(
    "R20a R14",
    rq(ROOT, ctx={"aws:SecureTransport": "true"}),
    "Allow",
    "R20a: the bucket policy's Deny applies only without TLS.",
    resource=P(deny("s3:*", "*", principal="*", cond={"Bool": {"aws:SecureTransport": "false"}})),
)
g.add(
    "R20a",
    rq(ROOT),
    "Allow",
    "R20a: a bucket policy granting only someone else does not restrict the root user.",
    resource=P(allow(principal=AWS(BOB_A))),
)
g.add(
    "R20a",
    rq(ROOT, "sqs:SendMessage", QUEUE),
    "Allow",
    "R20a: a queue policy naming only bob.",
    resource=P(allow("sqs:*", "*", principal=AWS(BOB_A))),
)
g.add(
    "R20a R15",
    rq(ROOT),
    "ImplicitDeny",
    "R20a: an SCP level that does not allow stops the root user.",
    scps=[[EC2ONLY]],
)
g.add(
    "R20a R15",
    rq(ROOT, "ec2:RunInstances", INSTANCE),
    "Allow",
    "R20a: the SCP level allows ec2.",
    scps=[[EC2ONLY]],
)
g.add(
    "R20a R16 rcp:unsupported-service",
    rq(ROOT, "ec2:RunInstances", INSTANCE),
    "Allow",
    "R20a: an RCP Deny has no effect on EC2 (not an RCP service).",
    rcps=[[P(deny("*", "*", principal="*"))]],
)
g.add(
    "R20a R16",
    rq(ROOT, "secretsmanager:GetSecretValue", SECRET),
    "ExplicitDeny",
    "R20a: an RCP Deny on Secrets Manager stops the root user.",
    rcps=[[P(deny("secretsmanager:*", "*", principal="*"))]],
)
g.add(
    "R20a R21",
    rq(ROOT_B, "s3:GetObject", OBJ, racct=A),
    "ImplicitDeny",
    "R20a covers only the root user's own account; across accounts without a bucket policy: deny (R21).",
)
g.add(
    "R20a R19 kms",
    rq(ROOT, "kms:Encrypt", KEY),
    "ImplicitDeny",
    "R20a: KMS keys are the exception: no key policy, no access for the root user.",
)
g.add(
    "R20a R19 kms",
    rq(ROOT, "kms:Encrypt", KEY),
    "Allow",
    "R20a: the key policy names the account (by id, the same as :root): the root user is allowed.",
    resource=P(allow("kms:*", "*", principal=AWS(A))),
)

# ====================================================================== R21: cross-account
g = group("r21", "r21_cross_account.jsonl", "R21 cross-account requests")
QP = lambda principal, **kw: P(allow("sqs:SendMessage", QUEUE, principal=principal, **kw))  # noqa: E731
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: both sides allow: bob's identity policy and the queue policy naming bob.",
    identity=ALLOW_SQS,
    resource=QP(AWS(BOB)),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: a missing resource policy means deny.",
    identity=ALLOW_SQS,
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the queue policy names bob but his identity policy does not allow.",
    resource=QP(AWS(BOB)),
)
g.add(
    "R21 principal-elem:account-id",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: the queue policy names bob's account.",
    identity=ALLOW_SQS,
    resource=QP(AWS(B)),
)
g.add(
    "R21 principal-elem:account-root-arn",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: the queue policy names bob's account root.",
    identity=ALLOW_SQS,
    resource=QP(AWS(ROOT_B)),
)
g.add(
    "R21 principal-elem:account-id",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the queue policy names a third account.",
    identity=ALLOW_SQS,
    resource=QP(AWS(C)),
)
g.add(
    "R21 principal-elem:star",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    'R21: the queue policy allows "*" and bob\'s identity policy allows.',
    identity=ALLOW_SQS,
    resource=QP("*"),
)
g.add(
    "R21 principal-elem:star",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    'R21: "*" in the queue policy is not enough across accounts without an identity Allow.',
    resource=QP("*"),
)
g.add(
    "R21 R16",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R21: the resource account's RCP denies.",
    identity=ALLOW_SQS,
    resource=QP(AWS(BOB)),
    rcps=[[P(deny("sqs:*", "*", principal="*"))]],
)
g.add(
    "R21 R15",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the principal's account SCP level does not allow sqs.",
    identity=ALLOW_SQS,
    resource=QP(AWS(BOB)),
    scps=[[EC2ONLY]],
)
g.add(
    "R21 R15",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R21: the principal's account SCP denies.",
    identity=ALLOW_SQS,
    resource=QP(AWS(BOB)),
    scps=[[FULL, P(deny("sqs:SendMessage", "*"))]],
)
g.add(
    "R21 R17",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the principal's boundary does not allow.",
    identity=ALLOW_SQS,
    resource=QP(AWS(BOB)),
    boundary=EC2ONLY,
)
g.add(
    "R21 principal-elem:role-arn",
    rq(SESS_B, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: a role session of 222222222222 named by its role ARN; the role's identity policy allows.",
    identity=ALLOW_SQS,
    resource=QP(AWS(ROLE_B)),
)
g.add(
    "R21 R17 principal-elem:session-arn",
    rq(SESS_B, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: cross-account, the principal's session policy must allow, even when the session ARN is named.",
    identity=ALLOW_SQS,
    resource=QP(AWS(SESS_B)),
    session=EC2ONLY,
)
g.add(
    "R21 R14",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R21: the queue policy denies bob.",
    identity=ALLOW_SQS,
    resource=P(
        allow("sqs:SendMessage", QUEUE, principal=AWS(B)), deny("sqs:SendMessage", QUEUE, principal=AWS(BOB))
    ),
)
g.add(
    "R21 R14",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R21: bob's identity policy denies.",
    identity=P(allow("sqs:*", "*"), deny("sqs:SendMessage", "*")),
    resource=QP(AWS(BOB)),
)
g.add(
    "R21 R1",
    rq(BOB, "s3:GetObject", OBJ, racct=A),
    "Allow",
    "R21: S3 object of account 111111111111 (given): bucket policy names bob, identity allows.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(BOB))),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the identity side allows only sqs:ReceiveMessage.",
    identity=allow("sqs:ReceiveMessage", "*"),
    resource=P(allow("sqs:*", QUEUE, principal=AWS(BOB))),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the identity side allows another queue only.",
    identity=allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:other"),
    resource=QP(AWS(B)),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE, {"aws:PrincipalOrgID": "o-shared"}),
    "Allow",
    "R21: the queue policy allows the whole organization by aws:PrincipalOrgID.",
    identity=ALLOW_SQS,
    resource=QP("*", cond={"StringEquals": {"aws:PrincipalOrgID": "o-shared"}}),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE, {"aws:PrincipalOrgID": "o-other"}),
    "ImplicitDeny",
    "R21: the caller is in another organization.",
    identity=ALLOW_SQS,
    resource=QP("*", cond={"StringEquals": {"aws:PrincipalOrgID": "o-shared"}}),
)
g.add(
    "R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: the queue policy names another user of 222222222222.",
    identity=ALLOW_SQS,
    resource=QP(AWS(f"arn:aws:iam::{B}:user/eve")),
)
g.add(
    "R21 R6 notprincipal:allow",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: the queue policy's Allow + NotPrincipal (eve listed) covers bob; his identity policy allows.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, not_principal=AWS(f"arn:aws:iam::{B}:user/eve"))),
)
g.add(
    "R21 R6 notprincipal:allow",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R21: Allow + NotPrincipal covers bob on the resource side, but cross-account needs his identity Allow too.",
    resource=P(allow("sqs:SendMessage", QUEUE, not_principal=AWS(f"arn:aws:iam::{B}:user/eve"))),
)
g.add(
    "R21 principal-elem:account-id",
    rq(SESS_B, "sqs:SendMessage", QUEUE),
    "Allow",
    "R21: the queue policy names account 222222222222; the role session's identity policy allows.",
    identity=ALLOW_SQS,
    resource=QP(AWS(B)),
)
g.add(
    "R21 R16",
    rq(ALICE, "s3:GetObject", OBJ, racct=B),
    "ExplicitDeny",
    "R21: the RCP of the bucket's account (222222222222) applies to alice's request.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(ALICE))),
    rcps=[[P(deny("s3:*", "*", principal="*", cond={"StringNotEquals": {"aws:PrincipalAccount": B}}))]],
)

# ====================================================================== R22: which kind of deny
g = group("r22", "r22_decisions.jsonl", "R22 Allow / ExplicitDeny / ImplicitDeny")
g.add("R22", rq(ALICE), "ImplicitDeny", "R22: nothing matches: ImplicitDeny.", identity=EC2ONLY)
g.add(
    "R22",
    rq(ALICE),
    "ExplicitDeny",
    "R22: a matching Deny decides: ExplicitDeny, even with no Allow anywhere.",
    identity=P(deny("s3:*", "*")),
)
g.add(
    "R22",
    rq(ALICE, ctx={"aws:SecureTransport": "true"}),
    "ImplicitDeny",
    "R22: the only Deny does not apply (condition false) and nothing allows: ImplicitDeny, not ExplicitDeny.",
    identity=P(deny(cond={"Bool": {"aws:SecureTransport": "false"}})),
)
g.add(
    "R22 R15",
    rq(ALICE),
    "ImplicitDeny",
    "R22: an SCP level without Allow is an implicit deny.",
    identity=S3ALL,
    scps=[[EC2ONLY]],
)
g.add(
    "R22 R15",
    rq(ALICE),
    "ExplicitDeny",
    "R22: an SCP Deny is an explicit deny.",
    identity=S3ALL,
    scps=[[FULL, P(deny("s3:*", "*"))]],
)
g.add(
    "R22 R17",
    rq(ALICE),
    "ImplicitDeny",
    "R22: a boundary without Allow is an implicit deny.",
    identity=S3ALL,
    boundary=EC2ONLY,
)
g.add(
    "R22 R17",
    rq(ALICE),
    "ExplicitDeny",
    "R22: a boundary Deny is an explicit deny.",
    identity=S3ALL,
    boundary=P(allow("*", "*"), deny("s3:*", "*")),
)
g.add(
    "R22 R17",
    rq(SESS),
    "ImplicitDeny",
    "R22: a session policy without Allow is an implicit deny.",
    identity=S3ALL,
    session=EC2ONLY,
)
g.add(
    "R22 R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R22: the other account's side not allowing (no queue policy) is an implicit deny.",
    identity=ALLOW_SQS,
)
g.add(
    "R22 R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R22: the queue policy's Deny is an explicit deny.",
    identity=ALLOW_SQS,
    resource=P(deny("sqs:*", "*", principal="*")),
)
g.add(
    "R22 R14 R15",
    rq(ALICE),
    "ExplicitDeny",
    "R22: an explicit Deny in the resource policy and an SCP level without Allow: ExplicitDeny wins.",
    identity=S3ALL,
    resource=P(deny(principal="*")),
    scps=[[EC2ONLY]],
)
g.add(
    "R22 R14 R17",
    rq(ALICE),
    "ExplicitDeny",
    "R22: the boundary does not allow and the identity policy denies: ExplicitDeny.",
    identity=P(deny()),
    boundary=EC2ONLY,
)
g.add(
    "R22 R16",
    rq(ALICE),
    "ExplicitDeny",
    "R22: an RCP Deny with no Allow anywhere: ExplicitDeny.",
    rcps=[[P(deny("s3:*", "*", principal="*"))]],
)
g.add(
    "R22 notaction",
    rq(ALICE, "ec2:RunInstances", INSTANCE),
    "ExplicitDeny",
    "R22: a matched Deny NotAction s3:* is an explicit deny.",
    identity=P(deny(not_action="s3:*")),
)
g.add(
    "R22 R15 R17",
    rq(SESS),
    "ExplicitDeny",
    "R22: the session policy does not allow and an SCP denies: ExplicitDeny.",
    identity=S3ALL,
    session=EC2ONLY,
    scps=[[FULL, P(deny("s3:*", "*"))]],
)
g.add(
    "R22 R19",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "ImplicitDeny",
    "R22: a role without a trust policy that allows the caller: implicit deny.",
    identity=ASSUME,
)
g.add("R22 R16", rq(ALICE), "ImplicitDeny", "R22: empty RCP levels never grant: implicit deny.", rcps=[[]])
g.add(
    "R22 R9",
    rq(ALICE),
    "ImplicitDeny",
    "R22: an Allow whose condition key is missing does not apply: implicit deny.",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/team", "blue"),
)
g.add("R22", rq(ALICE), "Allow", "R22: Allow when an Allow applies and nothing denies.", identity=S3ALL)
g.add(
    "R22 R6",
    rq(ALICE),
    "ExplicitDeny",
    "R22: a NotPrincipal Deny that applies is an explicit deny.",
    resource=np_deny(AWS(BOB_A)),
)

# ====================================================================== grammar (valid documents)
g = group("gram", "grammar.jsonl", "Grammar and validation: valid forms that must be accepted and evaluated")
g.add(
    "grammar statement-object",
    rq(ALICE),
    "Allow",
    "grammar: Statement may be a single object.",
    identity=P(allow(), single=True),
)
g.add(
    "grammar version:absent",
    rq(ALICE),
    "Allow",
    "grammar: Version may be absent (means 2008-10-17).",
    identity=P(allow(), version=None),
)
g.add(
    "grammar version:2008",
    rq(ALICE),
    "Allow",
    "grammar: Version 2008-10-17 is valid.",
    identity=P(allow(), version=V08),
)
g.add(
    "grammar policy-id",
    rq(ALICE),
    "Allow",
    "grammar: Id is optional and allowed.",
    identity=P(allow(), pid="my-policy"),
)
g.add(
    "grammar sid duplicate",
    rq(ALICE),
    "Allow",
    "grammar: duplicate Sids are a lint finding, not an evaluation error.",
    identity=P(allow("s3:GetObject", sid="S1"), allow("s3:PutObject", sid="S1")),
)
g.add(
    "grammar sid duplicate R14",
    rq(ALICE),
    "ExplicitDeny",
    "grammar: duplicate Sids do not stop evaluation: the second statement (same Sid) denies.",
    identity=P(allow("s3:*", sid="Same"), deny("s3:GetObject", sid="Same")),
)
g.add(
    "grammar list",
    rq(ALICE),
    "Allow",
    "grammar: Action and Resource as lists.",
    identity=allow(["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::other/*", OBJ]),
)
g.add(
    "grammar list",
    rq(ALICE),
    "Allow",
    "grammar: Principal AWS as a list.",
    resource=P(allow(principal=AWS([BOB_A, ALICE]))),
)
g.add(
    "grammar list",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue"}),
    "Allow",
    "grammar: condition values as a list.",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/team", ["red", "blue"]),
)
g.add(
    "grammar condition:json-number",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:max-keys": "10"}),
    "Allow",
    "grammar: a condition value may be a JSON number (100).",
    identity=cond_allow("NumericLessThan", "s3:max-keys", 100, action="s3:ListBucket"),
)
g.add(
    "grammar condition:json-number",
    rq(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket", {"s3:max-keys": "1.5"}),
    "Allow",
    "grammar: a decimal JSON number (1.5).",
    identity=cond_allow("NumericEquals", "s3:max-keys", 1.5, action="s3:ListBucket"),
)
g.add(
    "grammar condition:json-bool",
    rq(ALICE, ctx={"aws:SecureTransport": "true"}),
    "Allow",
    "grammar: a condition value may be a JSON boolean (true).",
    identity=cond_allow("Bool", "aws:SecureTransport", True),
)
g.add(
    "grammar condition:json-bool",
    rq(ALICE, ctx={"aws:SecureTransport": "true"}),
    "ImplicitDeny",
    "grammar: JSON false is the boolean false: the request's true does not match.",
    identity=cond_allow("Bool", "aws:SecureTransport", False),
)
g.add(
    "grammar condition:json-bool R10",
    rq(ALICE),
    "Allow",
    "grammar: Null with a JSON boolean true: the key is absent.",
    identity=cond_allow("Null", "aws:TokenIssueTime", True),
)
g.add(
    "grammar condition:json-number R11",
    rq(ALICE, ctx={"aws:PrincipalTag/level": "10"}),
    "Allow",
    "grammar: a JSON number under a String operator is its text (10).",
    identity=cond_allow("StringEquals", "aws:PrincipalTag/level", 10),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "blue"}),
    "Allow",
    "grammar Decision: operator names are case-insensitive: stringequals.",
    identity=cond_allow("stringequals", "aws:PrincipalTag/team", "blue"),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"aws:TagKeys": ["team-a"]}),
    "Allow",
    "grammar Decision: ForAnyValue:Stringlike, as in AWS's published samples.",
    identity=cond_allow("ForAnyValue:Stringlike", "aws:TagKeys", "team-*"),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"aws:TagKeys": ["env"]}),
    "Allow",
    "grammar Decision: forallvalues:stringequals in lower case.",
    identity=cond_allow("forallvalues:stringequals", "aws:TagKeys", ["env", "team"]),
)
g.add(
    "grammar operator-case decision R9",
    rq(ALICE),
    "Allow",
    "grammar Decision: STRINGEQUALSIFEXISTS is StringEqualsIfExists: true on a missing key.",
    identity=cond_allow("STRINGEQUALSIFEXISTS", "aws:PrincipalTag/team", "blue"),
)
g.add(
    "grammar operator-case decision R9",
    rq(ALICE, ctx={"aws:PrincipalTag/team": "red"}),
    "ImplicitDeny",
    "grammar Decision: StringequalsIfexists with the key present: red != blue.",
    identity=cond_allow("StringequalsIfexists", "aws:PrincipalTag/team", "blue"),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"s3:max-keys": "5"}),
    "Allow",
    "grammar Decision: numericlessthan.",
    identity=cond_allow("numericlessthan", "s3:max-keys", "10"),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"aws:SourceIp": "10.0.0.1"}),
    "Allow",
    "grammar Decision: IPADDRESS.",
    identity=cond_allow("IPADDRESS", "aws:SourceIp", "10.0.0.0/8"),
)
g.add(
    "grammar operator-case decision",
    rq(ALICE, ctx={"aws:SourceIp": "10.0.0.1"}),
    "ImplicitDeny",
    "grammar Decision: notipaddress with an address inside the range.",
    identity=cond_allow("notipaddress", "aws:SourceIp", "10.0.0.0/8"),
)
g.add(
    "grammar R15 scp-grammar",
    rq(ALICE, ctx={"aws:RequestedRegion": "us-east-1"}),
    "Allow",
    "grammar: SCP Allow statements may have a Condition.",
    identity=S3ALL,
    scps=[[P(allow("*", "*", cond={"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))]],
)
g.add(
    "grammar R15 scp-grammar notaction notresource",
    rq(ALICE),
    "Allow",
    "grammar: SCP Allow statements may use NotAction and NotResource.",
    identity=S3ALL,
    scps=[[P(allow(not_action="iam:*", not_resource="arn:aws:s3:::secret/*"))]],
)
g.add(
    "grammar R15 scp-grammar notresource",
    rq(ALICE, resource="arn:aws:s3:::secret/x"),
    "ImplicitDeny",
    "grammar: the SCP Allow's NotResource excludes secret/*: the level does not allow.",
    identity=S3ALL,
    scps=[[P(allow(not_action="iam:*", not_resource="arn:aws:s3:::secret/*"))]],
)
g.add(
    "grammar R15 scp-grammar notresource",
    rq(ALICE, resource="arn:aws:s3:::secret/x"),
    "ExplicitDeny",
    "grammar: SCP Deny with NotAction and Resource.",
    identity=S3ALL,
    scps=[[FULL, P(deny(not_action="s3:ListBucket", resource="arn:aws:s3:::secret/*"))]],
)
g.add(
    "grammar principal-elem:star",
    rq(ALICE),
    "Allow",
    'grammar: Principal as the string "*".',
    resource=P(allow(principal="*")),
)
g.add(
    "grammar trust R19",
    rq(ALICE, "sts:AssumeRole", TARGET),
    "Allow",
    "grammar: a trust policy statement has no Resource.",
    identity=ASSUME,
    resource=P(stmt("Allow", "sts:AssumeRole", NORES, principal=AWS(ALICE)), single=True),
)
g.add(
    "grammar list R5",
    rq("events.amazonaws.com", SNS, TOPIC),
    "Allow",
    "grammar: Principal Service as a list.",
    resource=P(allow(SNS, TOPIC, principal=SVC(["events.amazonaws.com"]))),
)
g.add(
    "grammar statement-object R17",
    rq(ALICE),
    "ImplicitDeny",
    "grammar: a boundary whose single Statement object allows ec2 only.",
    identity=S3ALL,
    boundary=P(allow("ec2:*", "*"), single=True),
)
g.add(
    "grammar version:absent R13",
    rq(ALICE, ctx={"s3:prefix": "${aws:username}"}),
    "Allow",
    "grammar/R13: without Version, ${aws:username} in a condition value is literal text and matches the same "
    "literal request value.",
    identity=cond_allow("StringEquals", "s3:prefix", "${aws:username}", version=None),
)
g.add(
    "grammar mixed-forms",
    rq(ALICE),
    "Allow",
    "grammar: several statements mixing string and list forms.",
    identity=P(allow("s3:GetObject", [OBJ]), stmt("Deny", ["s3:DeleteObject"], "*")),
)
g.add(
    "grammar R16 rcp-grammar",
    rq(ALICE),
    "ExplicitDeny",
    'grammar: an RCP statement with Principal "*" and a Condition.',
    identity=S3ALL,
    rcps=[[P(deny("s3:*", "*", principal="*", cond={"StringNotEquals": {"aws:PrincipalAccount": B}}))]],
)


# ====================================================================== grammar errors (rejected policies)
E = ErrorGroup("gerr", "grammar_errors.jsonl")
E.add(
    "version",
    "grammar: Version must be 2012-10-17 or 2008-10-17.",
    pointer_policy="identity/0",
    identity=P(allow(), version="2012-10-18"),
)
E.add(
    "R7 action",
    "R7: both Action and NotAction in one statement is an error.",
    pointer_policy="identity/0",
    identity=P(dict(allow(), NotAction="s3:PutObject")),
)
E.add(
    "action",
    "grammar: a statement needs Action or NotAction.",
    pointer_policy="identity/0",
    identity=P({"Effect": "Allow", "Resource": "*"}),
)
E.add(
    "R7 unknown-element",
    "R7: an unknown element (Actions) is an error.",
    pointer_policy="identity/0",
    identity=P({"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}),
)
E.add(
    "R3 action-format",
    "grammar: an action must be `*` or `service:action`; `s3*` has no service prefix "
    "(AWS: MalformedPolicyDocument, actions must be prefaced by a vendor).",
    pointer_policy="identity/0",
    identity=P(allow("s3*", "*")),
)
E.add(
    "R3 action-format",
    "grammar: `*Object` is neither `*` nor `service:action`.",
    pointer_policy="identity/0",
    identity=P(allow("*Object", "*")),
)
E.add(
    "effect",
    "grammar: Effect must be Allow or Deny.",
    pointer_policy="identity/0",
    identity=P({"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}),
)
E.add(
    "effect",
    "grammar: Effect is Allow|Deny exactly; `allow` is not a valid Effect.",
    pointer_policy="identity/0",
    identity=P({"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}),
)
E.add(
    "principal",
    "grammar: Principal is only allowed in resource-based policies, not identity policies.",
    pointer_policy="identity/0",
    identity=P(allow(principal=AWS(ALICE))),
)
E.add(
    "principal",
    "grammar: Principal is not allowed in a permissions boundary.",
    pointer_policy="permission_boundary",
    boundary=P(allow(principal="*")),
)
E.add(
    "resource",
    "grammar: an identity statement needs Resource or NotResource.",
    pointer_policy="identity/0",
    identity=P(allow("s3:GetObject", NORES)),
)
E.add(
    "resource",
    "grammar: Resource and NotResource together are an error.",
    pointer_policy="identity/0",
    identity=P(dict(allow(), NotResource="arn:aws:s3:::x/*")),
)
E.add(
    "operator",
    "grammar: an unknown condition operator is an error, never ignored.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"StringEqualz": {"aws:PrincipalTag/team": "blue"}})),
)
E.add(
    "operator",
    "grammar: an unknown condition operator in a Deny is an error too.",
    pointer_policy="identity/0",
    identity=P(allow(), deny(cond={"IpAddres": {"aws:SourceIp": "10.0.0.0/8"}})),
)
E.add(
    "R11 value",
    "R11: a policy value that is not a number under a Numeric operator is a policy error.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"NumericLessThan": {"s3:max-keys": "ten"}})),
)
E.add(
    "R11 R13 value",
    "R13: variables are not substituted in Numeric operators: ${aws:username} is literal text, "
    "which is not a number (R11 policy error).",
    pointer_policy="identity/0",
    identity=P(allow(cond={"NumericEquals": {"s3:max-keys": "${aws:username}"}})),
)
E.add(
    "R11 R13 value",
    "R13: variables are not substituted in Date operators: the literal is not a date.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"DateGreaterThan": {"aws:CurrentTime": "${aws:TokenIssueTime}"}})),
)
E.add(
    "R11 R13 value",
    "R13: variables are not substituted in Bool: the literal is not a boolean.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"Bool": {"aws:SecureTransport": "${aws:x}"}})),
)
E.add(
    "R11 R13 value",
    "R13: variables are not substituted in IpAddress: the literal is not an address.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"IpAddress": {"aws:SourceIp": "${aws:SourceIp}"}})),
)
E.add(
    "R11 value",
    "R11: 10.0.0.300 is not an IP address.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"IpAddress": {"aws:SourceIp": "10.0.0.300/32"}})),
)
E.add(
    "R11 value",
    "R11: a Bool value other than true/false is a policy error.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"Bool": {"aws:SecureTransport": "maybe"}})),
)
E.add(
    "R11 value",
    "R11: a Date value that is not a date is a policy error.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"DateLessThan": {"aws:CurrentTime": "next tuesday"}})),
)
# Not an error vector: R11 would make a non-base64 BinaryEquals policy value a policy error, but the shared
# conformance vectors (which iameval must pass) use values such as "Boto3/1.34.0" and expect them evaluated.
E.add(
    "scp",
    "grammar: an error in an SCP (level 2) rejects the policy set.",
    pointer_policy="scps/1/0",
    identity=S3ALL,
    scps=[[FULL], [P({"Effect": "Allow", "Action": "*", "Resource": "*", "Foo": 1})]],
)
E.add(
    "resource-policy",
    "grammar: an error in the resource policy (unknown Principal type).",
    pointer_policy="resource",
    resource=P(allow(principal={"Users": ALICE})),
)
E.add(
    "version",
    "grammar: Version must be exactly one of the two strings: 2012-10-17T00:00:00Z is an error.",
    pointer_policy="session",
    session=P(allow(), version="2012-10-17T00:00:00Z"),
)
E.add(
    "operator",
    "grammar: an unknown set qualifier (ForSomeValues:) is an error.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"ForSomeValues:StringEquals": {"aws:TagKeys": "env"}})),
)


def main() -> None:
    total = 0
    seen: set[str] = set()
    for grp in GROUPS:
        for case in grp.cases:
            assert case["id"] not in seen, case["id"]
            seen.add(case["id"])
        n = grp.write(HERE)
        total += n
        print(f"{grp.filename:40s} {n:4d}")
    n_err = E.write(os.path.join(HERE, "errors"))
    print(f"{'errors/' + E.filename:40s} {n_err:4d}")
    print(f"{'total (evaluated)':40s} {total:4d}")


if __name__ == "__main__":
    main()
