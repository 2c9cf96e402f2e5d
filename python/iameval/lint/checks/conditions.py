"""Conditions: operators, condition keys and values, read without AWS's action catalog.

Every check walks the ``Condition`` element of each statement (``{operator: {key: value-or-list}}``) and
judges what is decidable from the operator, the global condition key table (:mod:`iameval.global_keys`) and
the values alone; service keys (``s3:prefix``...) are only judged where Access Analyzer's rule names them.
Values of the wrong JSON type inside a condition are ``DATA_TYPE_MISMATCH`` here; shapes outside
``Condition`` belong to the grammar checks.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from iameval.global_keys import GlobalConditionKey, global_condition_key
from iameval.lint.clauses import clauses, condition_blocks, condition_keys, scalar_text
from iameval.lint.context import LintContext
from iameval.lint.finding import Severity
from iameval.lint.registry import check, own_rule
from iameval.reference.conditions import (
    read_binary,
    read_bool,
    read_date,
    read_network,
    read_number,
)

__all__ = ["ALLOWED_FAMILIES"]

#: ``aws:`` keys Access Analyzer accepts that the global key table leaves out (legacy keys still in use)
LEGACY_GLOBAL_KEYS = frozenset({"aws:sourceowner", "aws:principalorgmasteraccountid"})
#: tag-key templates that need a tag key after the slash
TAG_KEY_PREFIXES = ("aws:resourcetag", "aws:requesttag", "aws:principaltag")
#: keys whose values the caller controls (AA: "can be spoofed/manipulated by the caller")
UNTRUSTWORTHY_KEYS = frozenset({"aws:useragent", "aws:referer"})
#: keys whose values are service principal names
SERVICE_PRINCIPAL_KEYS = frozenset(
    {"aws:principalservicename", "aws:principalservicenameslist", "aws:calledvia", "aws:calledviafirst",
     "aws:calledvialast"}
)
_SERVICE_PRINCIPAL = re.compile(
    r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(amazonaws\.com(\.cn)?|amazon\.com|api\.aws|aws\.internal)\Z"
)
_VPC = re.compile(r"^vpc-([0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})\Z")
_VPCE = re.compile(r"^vpce-([0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})\Z")
_KEY_FORMAT = re.compile(r"^[^:\s]+:[^\s]+\Z")
_EPOCH = re.compile(r"^[+-]?\d+(\.\d+)?\Z")
#: RFC 1918 and RFC 4193 (unique local) ranges: what "private" means for aws:SourceIp
PRIVATE_NETWORKS = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("fc00::/7"),
)
#: operator families allowed for a key type (the ``ArrayOf`` prefix removed)
ALLOWED_FAMILIES: Mapping[str, frozenset[str]] = {
    "String": frozenset({"string"}),
    "ARN": frozenset({"arn", "string"}),
    "Bool": frozenset({"bool"}),
    "Date": frozenset({"date"}),
    "Numeric": frozenset({"numeric"}),
    "IPAddress": frozenset({"ip"}),
}
_FAMILY_NAMES = {"string": "String", "arn": "ARN", "bool": "Bool", "date": "Date", "numeric": "Numeric",
                 "ip": "IpAddress"}


def _bare_operator(name: str) -> str:
    """The operator name without its qualifier, lower-cased."""
    return name.partition(":")[2].lower() if ":" in name else name.lower()


def _qualifier(name: str) -> str | None:
    if ":" not in name:
        return None
    prefix = name.partition(":")[0].lower()
    return {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}.get(prefix)


def _has_variable(text: str) -> bool:
    return "${" in text


def _wildcard_outside_variables(text: str) -> bool:
    return bool(re.search(r"[*?]", re.sub(r"\$\{[^}]*\}", "", text)))


def _key_row(key: str) -> GlobalConditionKey | None:
    return global_condition_key(key)


# --- structure -------------------------------------------------------------------------------------------


@check("conditions", "EMPTY_OBJECT_CONDITION", condition_only=True)
def empty_condition(ctx: LintContext) -> None:
    """A ``Condition`` element that is an empty object has no effect."""
    for st in ctx.statements:
        cond = st.data.get("Condition")
        if isinstance(cond, Mapping) and not cond:
            ctx.report("EMPTY_OBJECT_CONDITION", (*st.path, "Condition"),
                       "This condition block `{}` is empty and it does not affect the policy. Specify conditions.",
                       hint="remove the empty Condition element or add conditions")


@check("conditions", "DATA_TYPE_MISMATCH", condition_only=True)
def condition_json_types(ctx: LintContext) -> None:
    """Inside ``Condition``, an operator takes an object and a key takes a string, number, boolean or a list
    of them."""
    for st in ctx.statements:
        cond = st.data.get("Condition")
        if not isinstance(cond, Mapping):
            continue
        for op, block in cond.items():
            path = (*st.path, "Condition", op)
            if not isinstance(block, Mapping):
                ctx.report("DATA_TYPE_MISMATCH", path,
                           f"The text does not match the expected JSON data type Object: the condition operator "
                           f"`{op}` takes an object of keys.", hint='write {"operator": {"key": ["value"]}}')
                continue
            for key, raw in block.items():
                items = raw if isinstance(raw, list) else [raw]
                for i, item in enumerate(items):
                    if scalar_text(item) is None:
                        at = (*path, key, i) if isinstance(raw, list) else (*path, key)
                        ctx.report("DATA_TYPE_MISMATCH", at,
                                   f"The text does not match the expected JSON data type String: a value of condition "
                                   f"key `{key}` must be a string, number or boolean.",
                                   hint="use a string value or a list of strings")


@check("conditions", "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", condition_only=True)
def duplicate_condition_keys(ctx: LintContext) -> None:
    """A condition key written twice with different capitalization in the same condition block, which AA's
    page defines as "the text within the ``Condition`` element of a policy statement" (so under one operator
    or under two); key names are case-insensitive. The same spelling under two operators is not reported."""
    for st in ctx.statements:
        seen: dict[str, str] = {}
        for _op, path, block in condition_blocks(st):
            for key in block:
                first = seen.setdefault(key.lower(), key)
                if first != key:
                    ctx.report("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", (*path, key),
                               f"The condition key `{key}` appears more than once with different capitalization "
                               f"(`{first}`) in the same condition block. Remove the duplicate condition keys.",
                               hint="keep one spelling of the key", on_key=True)


def _json_type(value: object) -> str | None:
    """The JSON data type of a condition value (None for what is not a scalar: DATA_TYPE_MISMATCH's)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


@check("conditions", "INVALID_CONDITION_DATA_TYPE", condition_only=True)
def mixed_value_types(ctx: LintContext) -> None:
    """The values of one condition key mix JSON data types (``["true", false]``, ``[3600, "7200"]``): AA's
    "The condition value data types do not match. Use condition values of the same JSON data type."
    Reported on the first value whose type differs from the first value's."""
    for st in ctx.statements:
        for c in clauses(st):
            if not isinstance(c.raw, list) or len(c.raw) < 2:
                continue
            first: str | None = None
            for i, item in enumerate(c.raw):
                kind = _json_type(item)
                if kind is None:
                    continue
                if first is None:
                    first = kind
                elif kind != first:
                    ctx.report("INVALID_CONDITION_DATA_TYPE", (*c.path, i),
                               f"The condition value data types do not match. Use condition values of the same JSON "
                               f"data type: `{c.key}` mixes {first} and {kind} values.",
                               hint="write every value of the key as a string")
                    break


@check("conditions", "INVALID_CONDITION_KEY_FORMAT", condition_only=True)
def key_format(ctx: LintContext) -> None:
    """A condition key must be ``service:keyname``."""
    for st in ctx.statements:
        for c in clauses(st):
            if not _KEY_FORMAT.match(c.key):
                ctx.report("INVALID_CONDITION_KEY_FORMAT", c.path,
                           f"The condition key format is not valid. Use the format service:keyname (`{c.key}`).",
                           hint="use a key such as aws:SourceIp or s3:prefix", on_key=True)


@check("conditions", "INVALID_GLOBAL_CONDITION_KEY", "MISSING_TAG_KEY_IN_CONDITION", "UNSUPPORTED_GLOBAL_CONDITION_KEY",
       condition_only=True)
def global_keys(ctx: LintContext) -> None:
    """``aws:`` keys must be AWS global condition keys; tag keys need a tag name; ``aws:ARN`` is not supported.

    ``aws:ARN`` is named by two of AA's checks: UNSUPPORTED_GLOBAL_CONDITION_KEY (an error: "The condition key
    aws:ARN is not supported. Use aws:PrincipalArn or aws:SourceArn instead.") and
    DEPRECATED_GLOBAL_CONDITION_KEY (a general warning). The page gives no condition that separates them; the
    key is in no request context (it is not on the global condition keys page), so a condition on it never
    matches, which is the error; reporting both would report the one key twice."""
    for st in ctx.statements:
        for c in clauses(st):
            low = c.key_lower
            if not low.startswith("aws:"):
                continue
            base, _slash, tag = low.partition("/")
            if base in TAG_KEY_PREFIXES and not tag:
                name = c.key.split("/")[0] + "/"
                ctx.report("MISSING_TAG_KEY_IN_CONDITION", c.path,
                           f"The condition key `{name}` must include a tag key to control access based on tags. Use "
                           f"the format {name}tag-key and specify a key name for tag-key.",
                           hint=f"write {name}tag-key with the tag's name", on_key=True)
                continue
            row = _key_row(c.key)
            if row is None:
                if low not in LEGACY_GLOBAL_KEYS:
                    ctx.report("INVALID_GLOBAL_CONDITION_KEY", c.path,
                               f"The condition key `{c.key}` does not exist. Use a valid condition key.",
                               hint="use a key from the AWS global condition context keys page", on_key=True)
            elif row.deprecated:
                ctx.report("UNSUPPORTED_GLOBAL_CONDITION_KEY", c.path,
                           f"The condition key `{c.key}` is not supported. Use aws:PrincipalArn or aws:SourceArn "
                           "instead.", hint="use aws:PrincipalArn or aws:SourceArn", on_key=True)


# --- operators ---------------------------------------------------------------------------------------------


@check("conditions", "NULL_WITH_IF_EXISTS", "NULL_WITH_QUALIFIER", condition_only=True)
def null_operator(ctx: LintContext) -> None:
    """``Null`` takes neither ``IfExists`` nor ``ForAllValues:``/``ForAnyValue:``."""
    for st in ctx.statements:
        for op, path, _block in condition_blocks(st):
            bare = _bare_operator(op)
            if bare == "nullifexists":
                ctx.report("NULL_WITH_IF_EXISTS", path, f"The Null condition operator cannot be used with the IfExists "
                           f"suffix (`{op}`). Update the operator or the suffix.",
                           hint="use Null", on_key=True)
            elif bare == "null" and _qualifier(op) is not None:
                ctx.report("NULL_WITH_QUALIFIER", path,
                           f"Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers "
                           f"(`{op}`) because they always return a true or false respectively.",
                           hint="use Null without ForAllValues/ForAnyValue", on_key=True)


@check("conditions", "EMPTY_ARRAY_CONDITION", "EMPTY_ARRAY_CONDITION_FORALLVALUES",
       "EMPTY_ARRAY_CONDITION_FORANYVALUE", "EMPTY_ARRAY_CONDITION_IFEXISTS", condition_only=True)
def empty_values(ctx: LintContext) -> None:
    """A condition key with an empty list of values."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.raw != []:
                continue
            qualifier = _qualifier(c.operator_name)
            key = f"`{c.key}`"
            null_true = "To determine if the request context is empty, we recommend that you use the Null condition " \
                "operator with the value of true instead."
            if qualifier == "ForAllValues":
                code = "EMPTY_ARRAY_CONDITION_FORALLVALUES"
                message = (f"The ForAllValues prefix with an empty condition key matches only if the key {key} is "
                           f"missing from the request context. {null_true}")
            elif qualifier == "ForAnyValue":
                code = "EMPTY_ARRAY_CONDITION_FORANYVALUE"
                message = (f"The ForAnyValue prefix with an empty condition key {key} never matches the request "
                           "context and it does not affect the policy. Specify conditions.")
            elif _bare_operator(c.operator_name).endswith("ifexists"):
                code = "EMPTY_ARRAY_CONDITION_IFEXISTS"
                message = (f"The IfExists suffix with an empty condition key matches only if the key {key} is "
                           f"missing from the request context. {null_true}")
            else:
                code = "EMPTY_ARRAY_CONDITION"
                message = (f"There are no values for the condition key {key} and it does not affect the policy. "
                           "Specify conditions.")
            ctx.report(code, c.path, message, hint="add values or remove the key")


@check("conditions", "TYPE_MISMATCH", "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", condition_only=True)
def operator_type(ctx: LintContext) -> None:
    """The operator's family must suit the global key's data type (a Bool key under a String operator...);
    ``StringLike`` on an ARN key should be ``ArnLike``."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.family == "null":
                continue
            row = _key_row(c.key)
            if row is None:
                continue
            base = row.type.removeprefix("ArrayOf")
            allowed = set(ALLOWED_FAMILIES.get(base, frozenset()))
            for alt in row.alt_types:
                allowed |= ALLOWED_FAMILIES.get(alt.removeprefix("ArrayOf"), frozenset())
            if not allowed:
                continue
            if op.family not in allowed:
                wanted = " or ".join(sorted(_FAMILY_NAMES[f] for f in allowed))
                ctx.report("TYPE_MISMATCH", c.path,
                           f"Use the operator type {wanted} instead of operator `{c.operator_name}` for the condition "
                           f"key `{c.key}` ({base}).",
                           hint=f"use a {wanted} condition operator", on_key=True)
            elif base == "ARN" and op.family == "string" and op.base in ("StringLike", "StringNotLike"):
                arn_op = op.base.replace("String", "Arn")
                ctx.report("STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", c.path,
                           f"Use the operator type {arn_op} instead of operator `{c.operator_name}` for the "
                           f"condition key `{c.key}`.",
                           hint=f"use {arn_op}", on_key=True)


@check("conditions", "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_DATE", "TYPE_MISMATCH_BOOLEAN", "TYPE_MISMATCH_STRING",
       "TYPE_MISMATCH_IP_RANGE", "INVALID_DATE_VALUE", "IMPROVE_IP_RANGE", condition_only=True)
def operator_values(ctx: LintContext) -> None:
    """Values must be readable by the operator: numbers, ISO 8601 dates, true/false, base64, CIDR ranges
    (values with policy variables are the variables checks' business)."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None:
                continue
            for path, text in c.values():
                if _has_variable(text):
                    continue
                if op.family == "numeric" and read_number(text) is None:
                    ctx.report("TYPE_MISMATCH_NUMBER", path, f"Add a valid numeric value for the condition operator "
                               f"`{c.operator_name}`: `{text}` is not a number.",
                               hint="use an integer or decimal value")
                elif op.family == "date":
                    if read_date(text) is None:
                        ctx.report("TYPE_MISMATCH_DATE", path,
                                   f"The date condition operator `{c.operator_name}` is used "
                                   f"with an invalid value `{text}`. Specify a valid date using YYYY-MM-DD or other "
                                   "ISO 8601 date/time format.",
                                   hint="use YYYY-MM-DD or another ISO 8601 date/time")
                    elif _EPOCH.match(text) and c.key_lower != "aws:epochtime":
                        ctx.report("INVALID_DATE_VALUE", path, f"The date `{text}` might not resolve as expected. We "
                                   "recommend that you use the YYYY-MM-DD format.",
                                   hint="use the YYYY-MM-DD format")
                elif op.family == "bool" and read_bool(text) is None:
                    ctx.report("TYPE_MISMATCH_BOOLEAN", path, f"Add a valid Boolean value (true or false) for the "
                               f"condition operator `{c.operator_name}`: `{text}` is neither.",
                               hint="use true or false")
                elif op.family == "binary" and read_binary(text) is None:
                    ctx.report("TYPE_MISMATCH_STRING", path, f"Add a valid base64-encoded string value for the "
                               f"condition operator `{c.operator_name}`: `{text}` is not base64.",
                               hint="use a base64-encoded value")
                elif op.family == "ip":
                    network = read_network(text)
                    if network is None:
                        ctx.report("TYPE_MISMATCH_IP_RANGE", path,
                                   f"The condition operator `{c.operator_name}` is used with an invalid IP range "
                                   f"value `{text}`. Specify the IP range in standard CIDR format.",
                                   hint="use CIDR notation such as 203.0.113.0/24")
                    elif "/" in text and str(network.network_address) != text.split("/")[0]:
                        ctx.report("IMPROVE_IP_RANGE", path, f"The non-zero bits in the IP address `{text}` after the "
                                   f"masked bits are ignored. Replace address with {network}.",
                                   hint=f"write {network}")


@check("conditions", "INVALID_CONDITION_MULTIPLE_BOOLEAN", condition_only=True)
def multiple_booleans(ctx: LintContext) -> None:
    """A ``Bool`` key takes one value."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.operator is not None and c.operator.family == "bool" and isinstance(c.raw, list) and len(c.raw) > 1:
                ctx.report("INVALID_CONDITION_MULTIPLE_BOOLEAN", c.path,
                           f"The condition key `{c.key}` does not support multiple Boolean values. Use a single "
                           "Boolean value.", hint="use one value")


@check("conditions", "WILDCARD_WITHOUT_LIKE_OPERATOR", condition_only=True)
def wildcard_without_like(ctx: LintContext) -> None:
    """``*`` or ``?`` in a value of a ``StringEquals``-style operator is matched literally."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.family != "string" or "Like" in op.base:
                continue
            for path, text in c.values():
                if _wildcard_outside_variables(text):
                    ctx.report("WILDCARD_WITHOUT_LIKE_OPERATOR", path,
                               f"Your condition value `{text}` includes a * or ? character. If you meant to use a "
                               f"wildcard (*, ?), update the condition operator `{c.operator_name}` to include Like.",
                               hint=f"use {op.base.replace('Equals', 'Like').replace('IgnoreCase', '')}")


@check("conditions", "EQUIVALENT_TO_NULL_FALSE", "EQUIVALENT_TO_NULL_TRUE", condition_only=True)
def like_star(ctx: LintContext) -> None:
    """A Like operator whose only value is ``*`` only tests whether the key exists (``Null``)."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.base not in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike"):
                continue
            values = [t for _p, t in c.values()]
            if not values or any(v != "*" for v in values) or op.qualifier == "ForAllValues":
                continue
            if not op.negated and not op.if_exists:
                ctx.report("EQUIVALENT_TO_NULL_FALSE", c.path,
                           f"We recommend replacing the key `{c.key}` in the condition block of `{c.operator_name}` "
                           f"with {{{c.key}: false}} (the Null operator) to ensure better enforcement of the "
                           "condition.",
                           hint=f'use "Null": {{"{c.key}": "false"}}', on_key=True)
            elif op.negated and op.qualifier is None:
                ctx.report("EQUIVALENT_TO_NULL_TRUE", c.path,
                           f"We recommend replacing the key `{c.key}` in the condition block of `{c.operator_name}` "
                           f"with {{{c.key}: true}} (the Null operator) to ensure better enforcement of the "
                           "condition.",
                           hint=f'use "Null": {{"{c.key}": "true"}}', on_key=True)


# --- set qualifiers ----------------------------------------------------------------------------------------

own_rule(
    "FORALLVALUES_ALLOW_MISSING_KEY",
    Severity.WARNING,
    "ForAllValues in Allow matches a missing key",
    "conditions",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    "ForAllValues is true when the request has no value for the key, so an Allow with it also allows requests "
    "without the key unless a Null check (\"Null\": {key: \"false\"}) is added",
)

#: OIDC audience claim keys (``<provider>:aud``, ``<provider>:oaud``, ``www.amazon.com:app_id``...)
_AUDIENCE = re.compile(r"^[^:]+\.[^:]+:(aud|oaud|app_id)\Z", re.IGNORECASE)


@check("conditions", "MISSING_QUALIFIER", "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE",
       "CONFIRM_AUDIENCE_CLAIM_TYPE", "FORALLVALUES_ALLOW_MISSING_KEY", condition_only=True)
def set_qualifiers(ctx: LintContext) -> None:
    """Multivalued global keys need ``ForAllValues``/``ForAnyValue``; single-valued ones must not have them
    (an audience claim is single-valued); ``ForAllValues`` in an Allow also matches requests without the key."""
    for st in ctx.statements:
        null_false = {c.key_lower for c in clauses(st) if _bare_operator(c.operator_name) == "null"
                      and any(t.lower() == "false" for _p, t in c.values())}
        for c in clauses(st):
            op = c.operator
            if op is None or op.family == "null":
                continue
            row = _key_row(c.key)
            if _AUDIENCE.match(c.key) and op.qualifier is not None:
                if op.qualifier == "ForAnyValue":
                    ctx.report("FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE", c.path,
                               f"Using ForAnyValue qualifier with the single-valued condition key `{c.key}` can be "
                               "overly permissive. We recommend that you remove ForAnyValue:.",
                               hint="remove ForAnyValue:", on_key=True)
                else:
                    claim = c.key.rpartition(":")[2]
                    ctx.report("CONFIRM_AUDIENCE_CLAIM_TYPE", c.path,
                               f"The `{c.key}` ({claim}) claim key identifies the recipients that the JSON web token "
                               "is intended for. Because this claim is single-valued, do not use a qualifier.",
                               hint="remove ForAllValues: unless the claim is multivalued", on_key=True)
                continue
            if row is not None and row.multivalued and op.qualifier is None:
                ctx.report("MISSING_QUALIFIER", c.path,
                           f"The request context key `{c.key}` has multiple values. Use the ForAllValues or "
                           f"ForAnyValue condition key qualifiers in your policy (`{c.operator_name}`).",
                           hint=f"use ForAnyValue:{c.operator_name} or ForAllValues:{c.operator_name}", on_key=True)
            elif row is not None and not row.multivalued and op.qualifier == "ForAllValues":
                ctx.report("FORALLVALUES_WITH_SINGLE_VALUED_KEY", c.path,
                           f"Using ForAllValues qualifier with the single-valued condition key `{c.key}` can be "
                           "overly permissive. We recommend that you remove ForAllValues:.",
                           hint="remove ForAllValues:", on_key=True)
            elif (op.qualifier == "ForAllValues" and st.effect == "Allow" and c.key_lower not in null_false
                  and (row is None or not row.always_present)):
                ctx.report("FORALLVALUES_ALLOW_MISSING_KEY", c.path,
                           f"`{c.operator_name}` on `{c.key}` in an Allow also matches requests without the key",
                           hint=f'add "Null": {{"{c.key}": "false"}} to the condition', on_key=True)


# --- particular keys -----------------------------------------------------------------------------------------


def _private(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return any(network.version == p.version and network.subnet_of(p) for p in PRIVATE_NETWORKS)  # type: ignore[arg-type]


@check("conditions", "PRIVATE_IP_ADDRESS", "PRIVATE_NOT_IP_ADDRESS", "PRIVATE_IP_ADDRESS_SUBSET",
       "PRIVATE_NOT_IP_ADDRESS_SUBSET", condition_only=True)
def private_source_ip(ctx: LintContext) -> None:
    """``aws:SourceIp`` only sees public addresses: private ranges in it never match."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.family != "ip" or c.key_lower != "aws:sourceip":
                continue
            networks = [n for n in (read_network(t) for _p, t in c.values()) if n is not None]
            private = [n for n in networks if _private(n)]
            if not private:
                continue
            negated = op.negated
            listed = ", ".join(map(str, private))
            public_only = "aws:SourceIp works only for public IP address ranges."
            if len(private) == len(networks):
                update = "Update the value to include only public IP addresses."
                if negated:
                    code = "PRIVATE_NOT_IP_ADDRESS"
                    message = (f"The values for condition key aws:SourceIp include only private IP addresses "
                               f"(`{listed}`) and has no effect. {public_only} {update}")
                else:
                    code = "PRIVATE_IP_ADDRESS"
                    message = (f"{public_only} The values for condition key aws:SourceIp include only private IP "
                               f"addresses (`{listed}`) and will not have the desired effect. {update}")
            else:
                effect = "have no effect" if negated else "will not have the desired effect"
                code = "PRIVATE_NOT_IP_ADDRESS_SUBSET" if negated else "PRIVATE_IP_ADDRESS_SUBSET"
                message = (f"The values for condition key aws:SourceIp include a mix of private and public IP "
                           f"addresses. The private addresses (`{listed}`) {effect}. {public_only} To define "
                           "permissions for private IP ranges, use aws:VpcSourceIp.")
            ctx.report(code, c.path, message, hint="aws:SourceIp sees only public addresses; use aws:VpcSourceIp",
                       on_key=True)


@check("conditions", "REDUNDANT_CONDITION_VALUE_NUM", condition_only=True)
def redundant_numbers(ctx: LintContext) -> None:
    """Several values under a numeric less/greater-than operator: only the greatest (or least) matters."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.family != "numeric" or op.base in ("NumericEquals", "NumericNotEquals"):
                continue
            numbers = [n for n in (read_number(t) for _p, t in c.values()) if n is not None]
            if len(numbers) > 1:
                which = "greatest" if "Less" in op.base else "least"
                ctx.report("REDUNDANT_CONDITION_VALUE_NUM", c.path,
                           f"Multiple values in `{c.operator_name}` are redundant. Replace with the {which} single "
                           f"value for `{c.key}`.",
                           hint=f"keep only the {which} value", on_key=True)


@check("conditions", "INVALID_VPC_FORMAT", "INVALID_VPCE_FORMAT", condition_only=True)
def vpc_ids(ctx: LintContext) -> None:
    """``aws:SourceVpc`` takes ``vpc-`` and ``aws:SourceVpce`` ``vpce-`` followed by 8 or 17 characters."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.family != "string":
                continue
            if c.key_lower == "aws:sourcevpc":
                code, pattern, prefix, what = "INVALID_VPC_FORMAT", _VPC, "vpc-", "VPC"
            elif c.key_lower == "aws:sourcevpce":
                code, pattern, prefix, what = "INVALID_VPCE_FORMAT", _VPCE, "vpce-", "VPCE"
            else:
                continue
            for path, text in c.values():
                if _has_variable(text) or _wildcard_outside_variables(text):
                    continue
                if not pattern.match(text):
                    ctx.report(code, path, f"The {what} identifier `{text}` in the condition key value is not valid. "
                               f"Use the prefix '{prefix}' followed by 8 or 17 alphanumeric characters.",
                               hint=f"use {prefix} followed by 8 or 17 alphanumeric characters")


@check("conditions", "INVALID_SERVICE_PRINCIPAL_FORMAT", condition_only=True)
def service_principal_values(ctx: LintContext) -> None:
    """Keys that hold service principals (``aws:PrincipalServiceName``, ``aws:CalledVia``...) take names such as
    ``ec2.amazonaws.com``."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.key_lower not in SERVICE_PRINCIPAL_KEYS or c.operator is None or c.operator.family != "string":
                continue
            for path, text in c.values():
                if _has_variable(text) or _wildcard_outside_variables(text):
                    continue
                if not _SERVICE_PRINCIPAL.match(text):
                    ctx.report("INVALID_SERVICE_PRINCIPAL_FORMAT", path,
                               f"The service principal `{text}` does not match the expected format. Use the format "
                               "service-name.amazonaws.com.",
                               hint="use the format service-name.amazonaws.com")


@check("conditions", "UNTRUSTWORTHY_CONDITION_KEY", condition_only=True)
def untrustworthy_keys(ctx: LintContext) -> None:
    """``aws:UserAgent`` and ``aws:Referer`` are set by the caller and can be spoofed."""
    for st in ctx.statements:
        for c in clauses(st):
            if c.key_lower in UNTRUSTWORTHY_KEYS:
                ctx.report("UNTRUSTWORTHY_CONDITION_KEY", c.path,
                           f"The `{c.key}` condition key is not recommended for access control as it can be "
                           "spoofed/manipulated by the caller.", hint="do not use it for access control",
                           on_key=True)


#: key -> the keys any one of which it should be paired with in the same condition block
PAIRED_KEYS: Mapping[str, tuple[str, ...]] = {
    "aws:vpcsourceip": ("aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn"),
}


@check("conditions", "MISSING_PAIRED_CONDITION_KEYS", condition_only=True)
def paired_keys(ctx: LintContext) -> None:
    """``aws:VpcSourceIp`` alone matches the address in any VPC: pair it with ``aws:SourceVpc``."""
    for st in ctx.statements:
        keys = condition_keys(st)
        for c in clauses(st):
            partners = PAIRED_KEYS.get(c.key_lower)
            if partners and not keys.intersection(partners):
                ctx.report("MISSING_PAIRED_CONDITION_KEYS", c.path,
                           f"Using the condition key `{c.key}` can be overly permissive without also using the "
                           "following condition keys: aws:SourceVpc. Condition keys like this one are more secure "
                           "when paired with a related key. We recommend that you add the related condition keys to "
                           "the same condition block.",
                           hint="add aws:SourceVpc to the same condition block", on_key=True)


@check("conditions", "DYNAMODB_ATTRIBUTES_WITHOUT_SELECT", condition_only=True)
def dynamodb_attributes(ctx: LintContext) -> None:
    """Restricting ``dynamodb:Attributes`` in an Allow also needs ``dynamodb:Select`` = ``SPECIFIC_ATTRIBUTES``."""
    for st in ctx.statements:
        if st.effect != "Allow":
            continue
        found = [c for c in clauses(st) if c.key_lower == "dynamodb:attributes"]
        if not found:
            continue
        selects = any(
            c.key_lower == "dynamodb:select" and c.operator is not None and not c.operator.negated
            and any(t == "SPECIFIC_ATTRIBUTES" for _p, t in c.values())
            for c in clauses(st)
        )
        if not selects:
            c = found[0]
            ctx.report("DYNAMODB_ATTRIBUTES_WITHOUT_SELECT", c.path,
                       f"Restricting `{c.key}` without also setting dynamodb:Select to SPECIFIC_ATTRIBUTES allows all "
                       "attributes to be returned on read requests that omit a projection expression. We recommend "
                       "that you also set dynamodb:Select to SPECIFIC_ATTRIBUTES.",
                       hint='add "StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}', on_key=True)


@check("conditions", "S3_PREFIX_IN_NEGATIVE_CONTEXT", condition_only=True)
def s3_prefix_negative(ctx: LintContext) -> None:
    """``s3:prefix`` in a Deny with a positive operator, or in an Allow with a negated one, is bypassed by a
    shorter prefix."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if c.key_lower != "s3:prefix" or op is None or op.family != "string":
                continue
            if (st.effect == "Deny" and not op.negated) or (st.effect == "Allow" and op.negated):
                ctx.report("S3_PREFIX_IN_NEGATIVE_CONTEXT", c.path,
                           f"Using the s3:prefix condition key in a Deny statement or with a negated string operator "
                           f"(`{c.operator_name}` in a {st.effect}) does not block listing the objects under the "
                           "matching prefixes. A request that specifies a shorter prefix does not match the condition "
                           "and can still list those objects.",
                           hint="use StringLike in an Allow, or StringNotLike in a Deny", on_key=True)
