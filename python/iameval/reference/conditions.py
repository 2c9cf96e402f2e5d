"""Condition operators (IAM_RULES R8-R12).

A Condition block is read into :class:`Clause` objects, one per (operator, key) pair; the block holds when
every clause holds (R8: operators and keys are ANDed; the values of one key are ORed, NORed for negated
operators). This module knows how to read each operator family's policy values (a value that cannot be read is
a policy error, R11) and how to test one clause against a request context.

Request context: a mapping from lower-cased key name (R2) to a ``str`` (single-valued) or a ``tuple`` of
``str`` (multivalued; ``()`` is a present key with no values).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from iameval.reference.hints import ascii_lower, closest
from iameval.reference.pattern import arn_like, fold_case, glob_match, split_arn
from iameval.reference.variables import (
    Literal,
    Template,
    Var,
    parse_template,
    resolve,
    variable_before_fifth_colon,
)

__all__ = [
    "Clause",
    "Context",
    "Operator",
    "clause_holds",
    "operator_hint",
    "parse_operator",
    "read_policy_value",
]

Context = Mapping[str, "str | tuple[str, ...]"]

# --- operator names (R11) ----------------------------------------------------------------------------------

# canonical base name -> (family, negated)
_BASES: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False),
    "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string", False),
    "StringNotEqualsIgnoreCase": ("string", True),
    "StringLike": ("string", False),
    "StringNotLike": ("string", True),
    "NumericEquals": ("numeric", False),
    "NumericNotEquals": ("numeric", True),
    "NumericLessThan": ("numeric", False),
    "NumericLessThanEquals": ("numeric", False),
    "NumericGreaterThan": ("numeric", False),
    "NumericGreaterThanEquals": ("numeric", False),
    "DateEquals": ("date", False),
    "DateNotEquals": ("date", True),
    "DateLessThan": ("date", False),
    "DateLessThanEquals": ("date", False),
    "DateGreaterThan": ("date", False),
    "DateGreaterThanEquals": ("date", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}
_BASES_LOWER = {fold_case(name): name for name in _BASES}
_QUALIFIERS = {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}
_BASES_IF_EXISTS = tuple(name for name in _BASES if name != "Null")  # the bases that take IfExists (R10)
_OPERATOR_NAMES = (*_BASES, *(name + "IfExists" for name in _BASES_IF_EXISTS))  # operator_hint's candidates


@dataclass(frozen=True)
class Operator:
    """A condition operator: base name, family, and its ``IfExists`` / ``ForAllValues:`` / ``ForAnyValue:`` parts."""

    written: str
    base: str
    family: str
    negated: bool
    if_exists: bool
    qualifier: str | None


def parse_operator(written: str) -> Operator | None:
    """Read an operator name, case-insensitively (grammar Decision); ``None`` when it is not an operator.

    ``Null`` takes no ``IfExists`` (R9 names it as the exception, R10: ``NullIfExists`` is an error, with or
    without a qualifier); ``ForAllValues:Null`` and ``ForAnyValue:Null`` are read as plain ``Null`` (R10).
    """
    name = fold_case(written)
    qualifier = None
    if ":" in name:
        prefix, _, name = name.partition(":")
        qualifier = _QUALIFIERS.get(prefix)
        if qualifier is None:
            return None
    if_exists = False
    base = _BASES_LOWER.get(name)
    if base is None and name.endswith("ifexists"):
        base = _BASES_LOWER.get(name[: -len("ifexists")])
        if_exists = True
    if base is None:
        return None
    family, negated = _BASES[base]
    if family == "null":
        return _null_operator(written, if_exists)
    return Operator(written, base, family, negated, if_exists, qualifier)


def operator_hint(written: str) -> str | None:
    """The operator to suggest for a name that :func:`parse_operator` refuses, or ``None`` (grammar errors).

    The spec (``operator_hint`` in ``rust/core/src/condition.rs`` is the other reading; ``closest``, the
    distance and the bound are those of :mod:`iameval.reference.hints`):

    1. A name with a ``:`` is split at the first one into a qualifier and the rest; the qualifier's suggestion
       is ``closest(qualifier, [ForAllValues, ForAnyValue])``, and without one there is no hint at all. A name
       without ``:`` has no qualifier, and the rest is the whole name.
    2. Bases: the 27 base operator names in the order of ``_BASES`` (``StringEquals`` ... ``Null``); the
       ``IfExists`` forms: the 26 bases other than ``Null`` (``NullIfExists`` is not an operator, R10), each
       followed by ``IfExists``, in the same order. When the rest ends with ``ifexists``
       (ASCII-case-insensitively), the stem (the rest without those 8 characters) gets
       ``closest(stem, bases other than Null)`` followed by ``IfExists``; otherwise the rest gets
       ``closest(rest, bases then the IfExists forms)`` (so a misspelled suffix, ``StringEqualsIfExist``, is
       found too). Nothing within its bound: no hint.
    3. The hint is written canonically: ``Qualifier:`` (when there was one), then the base or ``IfExists``
       form. The parser accepts every such hint.
    """
    qualifier = ""
    rest = written
    if ":" in written:
        prefix, _, rest = written.partition(":")
        fixed = closest(prefix, tuple(_QUALIFIERS.values()))
        if fixed is None:
            return None
        qualifier = fixed + ":"
    if ascii_lower(rest).endswith("ifexists"):
        base = closest(rest[: -len("ifexists")], _BASES_IF_EXISTS)
        operator = None if base is None else base + "IfExists"
    else:
        operator = closest(rest, _OPERATOR_NAMES)
    return None if operator is None else qualifier + operator


def _null_operator(written: str, if_exists: bool) -> Operator | None:
    """R10: ``ForAllValues:Null`` / ``ForAnyValue:Null`` mean plain ``Null`` (the qualifier is dropped: AWS
    accepts such policies, Access Analyzer only suggests removing it); ``NullIfExists`` is not an operator."""
    if if_exists:
        return None
    return Operator(written, "Null", "null", False, False, None)


# --- reading values ----------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\Z", re.ASCII)
_EPOCH = re.compile(r"^[+-]?\d+(\.\d+)?\Z", re.ASCII)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def scalar_text(value: Any) -> str | None:
    """The text of a JSON scalar condition value (string, number, boolean); ``None`` for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python converts (sys.int_info.default_max_str_digits)
            return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return repr(value)
    return None


def unreadable_value_message(raw: Any) -> str:
    """Why a value that :func:`scalar_text` refuses cannot be a condition value (R11)."""
    if isinstance(raw, float):
        if raw != raw:
            return "condition value `nan` is not a number"
        return f"condition value `{raw!r}` is not a finite number"
    if isinstance(raw, int) and not isinstance(raw, bool):
        return "condition value is an integer with too many digits"  # str() refuses it
    return "condition value must be a string, number or boolean"


def read_number(text: str) -> Decimal | None:
    """R11 Numeric: integers and decimals."""
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?\Z",
    re.ASCII,
)


def read_date(text: str) -> Decimal | None:
    """R11 Date: ISO 8601 with or without time and zone (no zone = UTC), or epoch seconds; as epoch seconds.

    The accepted forms, exactly (the Rust engine reads the same grammar):
    - epoch seconds: ``[+-]digits[.digits]``;
    - ``YYYY-MM-DD`` (midnight UTC);
    - ``YYYY-MM-DDThh:mm[:ss[.fraction]][zone]``, fraction 1-9 digits, zone ``Z``, ``+hh``, ``+hhmm`` or
      ``+hh:mm`` (or ``-``); no zone means UTC.
    """
    if _EPOCH.match(text):
        return Decimal(text)
    m = _ISO_DATE.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    try:
        day_number = date(int(year), int(month), int(day)).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None
    h, mi, se = int(hour or 0), int(minute or 0), int(second or 0)
    if h > 23 or mi > 59 or se > 59:
        return None
    offset = 0
    if zone and zone != "Z":
        zh, zm = int(zone[1:3]), int(zone[-2:]) if len(zone) > 3 else 0
        if zh > 23 or zm > 59:
            return None
        offset = (zh * 3600 + zm * 60) * (1 if zone[0] == "+" else -1)
    seconds = day_number * 86400 + h * 3600 + mi * 60 + se - offset
    return Decimal(seconds) + (Decimal("0." + fraction) if fraction else Decimal(0))


def read_bool(text: str) -> bool | None:
    """R11 Bool: ``true``/``false``, case-insensitive."""
    low = fold_case(text)
    if low == "true":
        return True
    if low == "false":
        return False
    return None


def read_binary(text: str) -> bytes | None:
    """R11 BinaryEquals: base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


_CIDR = re.compile(r"^([^/%]+)(?:/(\d{1,3}))?\Z", re.ASCII)


def read_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """R11 IpAddress policy value: ``address`` or ``address/prefix-length`` (bare address = /32 or /128),
    IPv4 (dotted quad) or IPv6; host bits may be set (``10.1.2.3/24`` is ``10.1.2.0/24``). No netmask form,
    no zone index."""
    m = _CIDR.match(text)
    if m is None:
        return None
    address = read_address(m.group(1))
    if address is None:
        return None
    prefix = address.max_prefixlen if m.group(2) is None else int(m.group(2))
    if prefix > address.max_prefixlen:
        return None
    return ipaddress.ip_network((address, prefix), strict=False)


def read_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """R11 IpAddress request value: one IPv4 or IPv6 address (no prefix, no zone index)."""
    if "%" in text or "/" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


_READERS: dict[str, Callable[[str], Any]] = {
    "numeric": read_number,
    "date": read_date,
    "bool": read_bool,
    "null": read_bool,
    "ip": read_network,
}
_KIND_NAMES = {
    "numeric": "a number",
    "date": "a date (ISO 8601 or epoch seconds)",
    "bool": "`true` or `false`",
    "null": "`true` or `false`",
    "binary": "base64",
    "ip": "an IP address or CIDR block",
}


def read_policy_value(op: Operator, raw: Any, *, variables: bool) -> tuple[Any, str | None]:
    """Read one policy value for ``op``: ``(value, None)`` or ``(None, message)`` when it cannot be read (R11).

    String and ARN values become templates (variables substituted only when ``variables``, R13).
    """
    text = scalar_text(raw)
    if text is None:
        return None, unreadable_value_message(raw)
    if op.family == "string":
        return parse_template(text, substitute=variables), None
    if op.family == "arn":
        template = parse_template(text, substitute=variables)
        if variable_before_fifth_colon(template):
            # R13: in an ARN a variable is substituted only after the fifth colon; earlier, the value is not
            # substituted and matches nothing (an empty pattern never matches a six-field ARN)
            return (), None
        return template, None
    if op.family == "binary":
        return text, None  # see _binary_equal
    value = _READERS[op.family](text)
    if value is None:
        return None, f"`{text}` is not {_KIND_NAMES[op.family]} as `{op.base}` needs"
    return value, None


# --- evaluating --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One key under one operator: ``{"StringLike": {"s3:prefix": ["a/*", "b/*"]}}`` gives one clause."""

    op: Operator
    key: str  # as written in the policy
    key_lower: str
    values: tuple[Any, ...]  # read policy values (templates for string/arn)
    texts: tuple[str, ...]  # the same values as text, as written (numbers as their JSON text), for the trace


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda r, p: bool(r == p),
    "LessThan": lambda r, p: bool(r < p),
    "LessThanEquals": lambda r, p: bool(r <= p),
    "GreaterThan": lambda r, p: bool(r > p),
    "GreaterThanEquals": lambda r, p: bool(r >= p),
}


def _positive_match(op: Operator, request: Any, policy: Any) -> bool:
    """Whether one request value matches one policy value under the operator's positive form."""
    family = op.family
    if family == "string":
        if op.base in ("StringLike", "StringNotLike"):
            return glob_match(policy, request)
        text = "".join(policy)
        if op.base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
            return bool(text.casefold() == request.casefold())
        return bool(text == request)
    if family == "arn":
        return arn_like(policy, request)
    if family == "numeric" or family == "date":
        comparison = op.base.replace("Not", "")[len("Numeric") if family == "numeric" else len("Date") :]
        return _COMPARISONS[comparison](request, policy)  # request value OP policy value
    if family == "binary":
        return _binary_equal(request, policy)
    if family == "bool":
        return bool(request == policy)
    if family == "ip":
        return request.version == policy.version and request in policy
    return False


def read_request_arn(text: str) -> str | None:
    """R11 Arn request value: an ARN has six ``:``-separated fields; a value with fewer is not an ARN."""
    return text if split_arn(text) is not None else None


_REQUEST_READERS: dict[str, Callable[[str], Any]] = {
    "numeric": read_number,
    "date": read_date,
    "bool": read_bool,
    "ip": read_address,
    "arn": read_request_arn,
}


def _binary_equal(request: str, policy: str) -> bool:
    """BinaryEquals: the request's base64 value against the policy's, byte for byte.

    When both sides are valid base64 the decoded bytes are compared; otherwise the texts are compared as
    given. Deviation from R11 ("a policy value that cannot be read is a policy error"): the shared
    conformance vectors use BinaryEquals with values such as ``apollo`` and expect them to be evaluated,
    so a non-base64 policy value is accepted and compared as text.
    """
    if request == policy:
        return True
    a, b = read_binary(request), read_binary(policy)
    return a is not None and b is not None and a == b


def _single_value_holds(op: Operator, request_text: str, policy_values: Sequence[Any]) -> bool:
    """The operator against one request value: any policy value (OR); negated: none of them (NOR, R8).

    A request value that cannot be read as the operator's type (a number, date, boolean, IP address, ARN)
    makes the operator false, negated or not (R11 Decision): so ``ArnNotLike`` is false for a value with fewer
    than six fields. An unresolvable policy variable never matches, and makes a negated operator false (R13).
    """
    reader = _REQUEST_READERS.get(op.family)
    request: Any = request_text
    if reader is not None:
        request = reader(request_text)
        if request is None:
            return False
    if op.negated:
        if any(v is None for v in policy_values):
            return False
        return not any(_positive_match(op, request, v) for v in policy_values)
    return any(_positive_match(op, request, v) for v in policy_values if v is not None)


def _resolved_values(clause: Clause, context: Context) -> list[Any]:
    if clause.op.family not in ("string", "arn"):
        return list(clause.values)
    return [resolve(t, context) for t in clause.values]


def clause_holds(clause: Clause, context: Context) -> bool:
    """Whether one (operator, key) clause holds for the request context (R8-R12)."""
    op = clause.op
    present = clause.key_lower in context
    if op.family == "null":
        # R10: "true" holds when the key is absent, "false" when present; several values are ORed
        return any(v is (not present) for v in clause.values)
    if not present:
        # R9: missing key; a set operator's own missing-key rule wins over IfExists (R12)
        if op.qualifier == "ForAllValues":
            return True
        if op.qualifier == "ForAnyValue":
            return False
        return op.if_exists or op.negated
    raw = context[clause.key_lower]
    values = _resolved_values(clause, context)
    if isinstance(raw, str):
        return _single_value_holds(op, raw, values)  # a single value is a one-element set (R12)
    qualifier = op.qualifier
    if qualifier is None:
        # R12 Decision: a multivalued key under a plain operator behaves as ForAnyValue for non-negated
        # operators and as ForAllValues for negated ones
        qualifier = "ForAllValues" if op.negated else "ForAnyValue"
    if qualifier == "ForAnyValue":
        return any(_single_value_holds(op, v, values) for v in raw)
    return all(_single_value_holds(op, v, values) for v in raw)


def clause_variables(clause: Clause) -> list[Var]:
    """The policy variables used in a clause's values."""
    if clause.op.family not in ("string", "arn"):
        return []
    out: list[Var] = []
    for t in clause.values:
        template: Template = t
        out.extend(p for p in template if isinstance(p, Var))
    return out


__all__ += ["Literal", "clause_variables", "scalar_text"]
