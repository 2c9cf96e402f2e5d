"""S3 Block Public Access, ``RestrictPublicBuckets`` (IAM_RULES R20c): when is a bucket policy *public*.

A statement of a resource-based policy makes it public when all of these hold (AWS: "The meaning of
'public'"; the exact tests are fixed by issue 8's SPEC so that both engines agree):

1. its Effect is Allow;
2. its actions include a *bad action* (``s3:Get*``, ``s3:List*``, ``s3:Delete*``, ``s3:Put*``,
   ``s3:AbortMultipartUpload``, ``s3:RestoreObject``) — :func:`has_bad_action`;
3. its principal is not fixed: ``NotPrincipal``, or a ``*`` anywhere in a Principal value —
   :func:`principal_not_fixed`;
4. no clause of its Condition pins a fixed value — :func:`pins_fixed_value`.

The policy setting itself (``s3_block_public_access=`` of a policy set) is read by
:func:`read_block_public_access`. Combining it with the other layers is :mod:`iameval.reference.authorize`'s
job.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from iameval.errors import ErrorEntry
from iameval.reference.conditions import Clause
from iameval.reference.document import PolicyDocument, error_entry
from iameval.reference.pattern import glob_match
from iameval.reference.policy import Policy, Statement, parse_policy
from iameval.reference.variables import Literal, Template, Var

__all__ = [
    "BLOCK_PUBLIC_ACCESS_FIELDS",
    "has_bad_action",
    "is_public",
    "pins_fixed_value",
    "principal_not_fixed",
    "public_statement_indexes",
    "public_statements",
    "read_block_public_access",
    "statement_is_public",
]

#: The fields of a PublicAccessBlockConfiguration (each a bool; a missing field is False).
BLOCK_PUBLIC_ACCESS_FIELDS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)
_LOCATION = "s3_block_public_access"

#: R20c bad actions: four families given by a literal prefix (``s3:get*`` ...) and two exact actions.
BAD_ACTION_PREFIXES = ("s3:get", "s3:list", "s3:delete", "s3:put")
BAD_ACTIONS = ("s3:abortmultipartupload", "s3:restoreobject")

#: R20c condition keys (lower-cased) whose fixed value restricts a statement, and the operators that pin them.
PINNING_KEYS = frozenset(
    {
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        "aws:userid",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
    }
)
PINNING_OPERATORS = frozenset(
    {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"}
)
#: R20c Decision: AWS documents no threshold for ``aws:SourceIp``; a network broader than these prefix lengths
#: counts as public (failing closed).
MIN_PREFIX_IPV4 = 8
MIN_PREFIX_IPV6 = 32


# --- the setting ------------------------------------------------------------------------------------------------


def read_block_public_access(value: Any, errors: list[ErrorEntry]) -> bool | None:
    """R20c: the effective ``RestrictPublicBuckets`` of a policy set's ``s3_block_public_access`` setting.

    ``None`` (not set), a ``bool`` (RestrictPublicBuckets itself), or a PublicAccessBlockConfiguration object:
    a ``dict`` with any of :data:`BLOCK_PUBLIC_ACCESS_FIELDS`, each a ``bool`` (a missing field is False). Only
    a ``dict`` (as for policy documents), not another mapping. An ``int`` such as ``1`` is not a bool.
    Problems are added to ``errors`` (policy location ``s3_block_public_access``); ``None`` is returned then.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        errors.append(
            error_entry(
                "wrong_type",
                (),
                "`s3_block_public_access` must be a boolean or a PublicAccessBlockConfiguration object",
                _LOCATION,
            )
        )
        return None
    before = len(errors)
    for key, field in value.items():
        name = str(key)
        if key not in BLOCK_PUBLIC_ACCESS_FIELDS:
            errors.append(error_entry("unknown_element", (name,), f"unknown field `{name}`", _LOCATION))
        elif not isinstance(field, bool):
            errors.append(error_entry("wrong_type", (name,), f"`{name}` must be a boolean", _LOCATION))
    if len(errors) > before:
        return None
    return bool(value.get("RestrictPublicBuckets", False))


# --- the meaning of "public" ------------------------------------------------------------------------------------


def _can_match_prefix(pattern: str, prefix: str) -> bool:
    """Whether the glob ``pattern`` matches some action that starts with the literal ``prefix``.

    Pattern and prefix are walked together: a ``*`` in the pattern can reach anything (yes); ``?`` matches any
    character of the prefix; other characters must be equal; a pattern that ends first matches only shorter
    strings (no); a prefix consumed first leaves the rest of the pattern free (yes).
    """
    for i, ch in enumerate(prefix):
        if i >= len(pattern):
            return False
        if pattern[i] == "*":
            return True
        if pattern[i] != "?" and pattern[i] != ch:
            return False
    return True


def _covers_family(pattern: str, prefix: str) -> bool:
    """Whether a NotAction ``pattern`` excludes every action of the family ``prefix*``.

    It must end with ``*``; without its trailing run of ``*`` (call that A), A holds no other ``*``, is no
    longer than ``prefix`` and matches its first ``len(A)`` characters (``?`` matching any character).
    """
    if not pattern.endswith("*"):
        return False
    head = pattern.rstrip("*")
    if "*" in head or len(head) > len(prefix):
        return False
    return all(p == "?" or p == c for p, c in zip(head, prefix, strict=False))


def has_bad_action(statement: Statement) -> bool:
    """R20c criterion 2: the statement's actions include a bad action.

    With ``Action``: some pattern can match an action of ``s3:get*``, ``s3:list*``, ``s3:delete*``,
    ``s3:put*`` or glob-matches ``s3:abortmultipartupload`` / ``s3:restoreobject``. With ``NotAction`` (every
    action but the listed ones): unless each of the six bad families is covered by a NotAction pattern —
    conservative, since "public" is the fail-closed side. Patterns are lower-cased already (R3).
    """
    patterns = statement.actions
    if not statement.not_action:
        return any(
            any(_can_match_prefix(p, prefix) for prefix in BAD_ACTION_PREFIXES)
            or any(glob_match(p, action) for action in BAD_ACTIONS)
            for p in patterns
        )
    families_covered = all(
        any(_covers_family(p, prefix) for p in patterns) for prefix in BAD_ACTION_PREFIXES
    ) and all(any(glob_match(p, action) for p in patterns) for action in BAD_ACTIONS)
    return not families_covered


def principal_not_fixed(statement: Statement) -> bool:
    """R20c criterion 3: ``NotPrincipal``, or a ``*`` anywhere in a Principal value (``"*"``, ``{"AWS": "*"}``,
    ``arn:aws:iam::*:root``, ``*.amazonaws.com``, ...)."""
    spec = statement.principal
    if statement.not_principal or spec is None or spec.star:
        return True
    return any(
        "*" in v for values in (spec.aws, spec.service, spec.federated, spec.canonical) for v in values
    )


def _fixed_text(template: Template) -> str | None:
    """The text of a String/Arn condition value when it is fixed: no ``*``, ``?`` and no policy variable
    (``${``); ``None`` otherwise.

    A variable or an escape (``${*}``) is a :class:`Var` or :class:`Literal` part; text that was not read as a
    variable keeps its ``${``. An ARN value with a variable before the fifth colon was read as ``()`` (it
    matches nothing, R13): it had a variable, so it is not fixed either.
    """
    if not template or any(isinstance(part, (Var, Literal)) for part in template):
        return None
    text = "".join(str(part) for part in template)
    if "*" in text or "?" in text or "${" in text:
        return None
    return text


def _fixed_value(key: str, template: Template) -> bool:
    """A fixed value; for ``aws:userid`` also ``X:*`` with ``X`` non-empty and fixed (AWS: a value "outside
    the pattern AROLEID:*" restricts, a role id with any session name does too)."""
    if _fixed_text(template) is not None:
        return True
    if key != "aws:userid" or any(isinstance(part, (Var, Literal)) for part in template):
        return False
    text = "".join(str(part) for part in template)
    if not text.endswith(":*"):
        return False
    head = text[:-2]
    return bool(head) and "*" not in head and "?" not in head and "${" not in head


def _narrow_network(network: Any) -> bool:
    if isinstance(network, ipaddress.IPv4Network):
        return network.prefixlen >= MIN_PREFIX_IPV4
    return bool(network.prefixlen >= MIN_PREFIX_IPV6)


def clause_pins(clause: Clause) -> bool:
    """R20c criterion 4, one clause: a plain (not negated, no ``IfExists``, no qualifier or ``ForAnyValue:``)
    String/Arn equality or Like on a pinning key with only fixed values, or ``IpAddress`` on ``aws:SourceIp``
    with only networks of at least /8 (IPv4) or /32 (IPv6)."""
    op = clause.op
    if op.negated or op.if_exists or op.qualifier not in (None, "ForAnyValue"):
        return False
    if clause.key_lower in PINNING_KEYS and op.base in PINNING_OPERATORS:
        return all(_fixed_value(clause.key_lower, value) for value in clause.values)
    if clause.key_lower == "aws:sourceip" and op.base == "IpAddress":
        return all(_narrow_network(network) for network in clause.values)
    return False


def pins_fixed_value(statement: Statement) -> bool:
    """R20c criterion 4: some clause of the statement's Condition pins a fixed value (:func:`clause_pins`)."""
    return any(clause_pins(clause) for clause in statement.conditions)


def statement_is_public(statement: Statement) -> bool:
    """R20c: an Allow with a bad action, a principal that is not fixed, and no pinning condition."""
    return (
        statement.effect == "Allow"
        and has_bad_action(statement)
        and principal_not_fixed(statement)
        and not pins_fixed_value(statement)
    )


def public_statement_indexes(policy: Policy) -> tuple[int, ...]:
    """R20c: the indexes (in the Statement list, in order) of the statements that make ``policy`` public."""
    return tuple(st.index for st in policy.statements if statement_is_public(st))


def public_statements(doc: PolicyDocument) -> tuple[int, ...]:
    """R20c: the indexes of the statements that make the resource-based policy ``doc`` (a dict, or JSON text
    or bytes) public; a single-object Statement is index 0. An invalid policy raises :class:`PolicyError`
    (policy location ``resource``)."""
    return public_statement_indexes(parse_policy(doc, "resource", location="resource"))


def is_public(doc: PolicyDocument) -> bool:
    """R20c: whether the resource-based policy ``doc`` is public (see :func:`public_statements`)."""
    return bool(public_statements(doc))
