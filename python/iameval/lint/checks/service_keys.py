"""Service condition keys (``s3:prefix``, ``ec2:ResourceTag/team``...) judged with AWS's catalog: unknown keys
and services, and the operator and set-qualifier checks that :mod:`iameval.lint.checks.conditions` does for
global ``aws:`` keys, with the same codes, for service keys (so no key is judged by both modules).

Keys that are not a service's (``aws:`` global keys, ``saml:`` and identity-provider claims such as
``token.actions.githubusercontent.com:sub``) are left alone. A template of the catalog matches concrete keys
(``s3:ExistingObjectTag/<key>`` is ``s3:ExistingObjectTag/team``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iameval.lint.checks.actions import RETIRED_SERVICES
from iameval.lint.checks.conditions import ALLOWED_FAMILIES
from iameval.lint.clauses import Clause, clauses
from iameval.lint.context import LintContext
from iameval.lint.registry import check

if TYPE_CHECKING:
    from iameval.catalog import Catalog, ConditionKeyInfo

__all__ = ["service_key"]

#: condition key prefixes that are no service's: global keys and federation claims
NOT_SERVICES = frozenset({"aws", "saml", "cognito-identity", "www.amazon.com", "graph.facebook.com",
                          "accounts.google.com"})
_FAMILY_NAMES = {"string": "String", "arn": "ARN", "bool": "Bool", "date": "Date", "numeric": "Numeric",
                 "ip": "IpAddress", "binary": "Binary"}

_MISSING = object()
#: condition key definitions and known services, per catalog directory (a lookup crosses into the core)
_KEYS: dict[tuple[str, str], ConditionKeyInfo | None] = {}
_SERVICES: dict[tuple[str, str], bool] = {}


def _is_service_key(key: str) -> bool:
    prefix, colon, name = key.partition(":")
    low = prefix.lower()
    return bool(colon and name and prefix) and low not in NOT_SERVICES and "." not in low


def service_key(catalog: Catalog, clause: Clause) -> ConditionKeyInfo | None:
    """The catalog's definition of a clause's service key (cached per catalog directory), or None."""
    key = (catalog.path, clause.key_lower)
    found = _KEYS.get(key, _MISSING)
    if found is _MISSING:
        found = catalog.condition_key(clause.key)
        if len(_KEYS) > 100_000:
            _KEYS.clear()
        _KEYS[key] = found
    return found  # type: ignore[return-value]


def _service_known(catalog: Catalog, prefix: str) -> bool:
    key = (catalog.path, prefix.lower())
    found = _SERVICES.get(key)
    if found is None:
        found = catalog.service(prefix) is not None
        _SERVICES[key] = found
    return found


@check("conditions", "INVALID_SERVICE", "INVALID_SERVICE_CONDITION_KEY", needs_catalog=True, condition_only=True)
def known_service_keys(ctx: LintContext) -> None:
    """A service condition key names a service of AWS's catalog and a key that service defines."""
    found = [c for st in ctx.statements for c in clauses(st) if _is_service_key(c.key)]
    if not found:
        return
    catalog = ctx.catalog
    if catalog is None:
        return
    for c in found:
        prefix = c.key.partition(":")[0]
        if prefix.lower() in RETIRED_SERVICES:
            continue
        if not _service_known(catalog, prefix):
            ctx.report("INVALID_SERVICE", c.path, f"The service `{prefix}` does not exist. Use a valid service name "
                       f"(condition key `{c.key}`).",
                       hint="use a key of AWS's Service Authorization Reference", on_key=True)
        elif service_key(catalog, c) is None:
            ctx.report("INVALID_SERVICE_CONDITION_KEY", c.path, f"The condition key `{c.key}` does not exist in the "
                       f"service `{prefix}`. Use a valid condition key.",
                       hint=f"use a condition key that `{prefix}` defines", on_key=True)


@check("conditions", "TYPE_MISMATCH", "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", "MISSING_QUALIFIER",
       "FORALLVALUES_WITH_SINGLE_VALUED_KEY", needs_catalog=True, condition_only=True)
def service_key_types(ctx: LintContext) -> None:
    """The operator suits the service key's type (a Bool key under a String operator is a mismatch; ``StringLike``
    on an ARN key should be ``ArnLike``); a multivalued key takes ``ForAllValues``/``ForAnyValue``, a
    single-valued one not ``ForAllValues``."""
    found = [c for st in ctx.statements for c in clauses(st)
             if c.operator is not None and c.operator.family != "null" and _is_service_key(c.key)]
    if not found:
        return
    catalog = ctx.catalog
    if catalog is None:
        return
    for c in found:
        info = service_key(catalog, c)
        op = c.operator
        if info is None or op is None:
            continue
        allowed: set[str] = set()
        for kind in info.types:
            allowed |= ALLOWED_FAMILIES.get(kind.removeprefix("ArrayOf"), frozenset())
        base = info.type.removeprefix("ArrayOf")
        if base == "String":
            allowed.add("arn")  # ARN operators compare strings: AWS's own policies use ArnLike on String keys
        if allowed and op.family not in allowed:
            wanted = " or ".join(sorted(_FAMILY_NAMES[f] for f in allowed))
            ctx.report("TYPE_MISMATCH", c.path, f"Use the operator type {wanted} instead of operator "
                       f"`{c.operator_name}` for the condition key `{c.key}` ({base}).",
                       hint=f"use a {wanted} condition operator", on_key=True)
        elif base == "ARN" and op.family == "string" and op.base in ("StringLike", "StringNotLike"):
            arn_op = op.base.replace("String", "Arn")
            ctx.report("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", c.path,
                       f"Use the operator type {arn_op} instead of operator `{c.operator_name}` for the condition "
                       f"key `{c.key}`.", hint=f"use {arn_op}",
                       on_key=True)
        if info.multivalued and op.qualifier is None:
            ctx.report("MISSING_QUALIFIER", c.path,
                       f"The request context key `{c.key}` has multiple values. Use the ForAllValues or ForAnyValue "
                       f"condition key qualifiers in your policy (`{c.operator_name}`).",
                       hint=f"use ForAnyValue:{c.operator_name} or ForAllValues:{c.operator_name}", on_key=True)
        elif not info.multivalued and op.qualifier == "ForAllValues":
            ctx.report("FORALLVALUES_WITH_SINGLE_VALUED_KEY", c.path,
                       f"Using ForAllValues qualifier with the single-valued condition key `{c.key}` can be overly "
                       "permissive. We recommend that you remove ForAllValues:.",
                       hint="remove ForAllValues:", on_key=True)
