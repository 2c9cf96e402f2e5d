"""Principal and NotPrincipal matching (IAM_RULES R5, R6).

:func:`namings` says *how* a Principal element names the caller, because R18 makes the outcome of a
same-account resource-policy grant depend on it: ``star``, ``account``, ``user``, ``role`` (a role ARN naming
the caller's role), ``session``, ``federated``, ``service``, ``federated_idp``, ``canonical``, ``other``.
Principal ARNs are compared exactly (case-sensitively); wildcards other than a lone ``*`` are not supported
by AWS in principals and are compared literally.
"""

from __future__ import annotations

import re

from iameval.reference.pattern import split_arn
from iameval.reference.policy import PrincipalSpec
from iameval.reference.request import Caller

__all__ = ["anonymous_namings", "exempt_from_not_principal", "namings"]

_ACCOUNT_ID = re.compile(r"^\d{12}\Z", re.ASCII)


def _aws_naming(entry: str, caller: Caller) -> str | None:
    """How one ``{"AWS": entry}`` names the caller, or ``None`` (R5)."""
    if entry == "*":
        return "star"
    if _ACCOUNT_ID.match(entry):
        # the account: delegation to that account's identities (not service principals nor anonymous)
        return "account" if caller.is_iam and caller.account == entry else None
    fields = split_arn(entry)
    if fields is None:
        return "other" if entry == caller.arn else None
    _, partition, service, _, account, resource = fields
    if service == "iam" and resource == "root":
        return (
            "account"
            if caller.is_iam and caller.account == account and caller.partition == partition
            else None
        )
    if service == "iam" and resource.startswith("role/"):
        if caller.kind == "role":
            return "role" if entry == caller.arn else None
        if caller.kind == "session":
            # a session ARN carries no role path: match on partition, account and role name (R5)
            name = resource.rsplit("/", 1)[-1]
            same = caller.partition == partition and caller.account == account and caller.role_name == name
            return "role" if same else None
        return None
    if entry != caller.arn:
        return None
    if caller.kind in ("user", "session", "federated"):
        return caller.kind
    return "other"


def anonymous_namings(spec: PrincipalSpec) -> set[str]:
    """R5: only ``"*"`` / ``{"AWS": "*"}`` names the anonymous caller. Any other value, the text ``anonymous``
    under ``AWS``, ``Service``, ``Federated`` or ``CanonicalUser`` included, names nobody (so a NotPrincipal
    list exempts the anonymous caller only when it lists ``*``, R6)."""
    return {"star"} if spec.star else set()


def namings(spec: PrincipalSpec, caller: Caller) -> set[str]:
    """Every way the Principal element ``spec`` names ``caller`` (empty: it does not apply to the caller)."""
    if caller.kind == "anonymous":
        return anonymous_namings(spec)
    found: set[str] = set()
    if spec.star:
        found.add("star")  # "*" and {"AWS": "*"} match everyone, anonymous included
    for entry in spec.aws:
        naming = _aws_naming(entry, caller)
        if naming is not None:
            found.add(naming)
    if caller.arn in spec.service:
        found.add("service")
    if caller.arn in spec.federated:
        found.add("federated_idp")
    if caller.arn in spec.canonical:
        found.add("canonical")
    return found


def exempt_from_not_principal(spec: PrincipalSpec, caller: Caller) -> bool:
    """R6: the caller is exempt from a NotPrincipal statement when the list names the caller itself.

    Its user ARN; for a role session its session ARN or its role ARN; a service by its name. Listing only the
    account (id or ``:root``) does not exempt the account's users and roles (R6 Decision) — it does exempt
    the account root user, which is the account itself.
    """
    found = namings(spec, caller)
    if caller.kind == "root" and "account" in found:
        return True
    return bool(found - {"account"})
