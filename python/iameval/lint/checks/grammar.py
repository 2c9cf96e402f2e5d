"""Grammar: the policy's top-level elements, statements and their shapes (IAM JSON policy grammar).

Every problem the engines' validator reports (``PolicyError.errors()`` of :mod:`iameval.reference.policy`) is a
finding here, under the code Access Analyzer gives it: an unknown element is ``INVALID_POLICY_ELEMENT`` (with
the validator's "did you mean" hint), a value of the wrong JSON type ``DATA_TYPE_MISMATCH``, a missing
element ``MISSING_*``, an exact duplicate key ``JSON_SYNTAX_ERROR`` (the text is not a JSON object IAM
accepts), an unknown condition operator ``INVALID_CONDITION_OPERATOR``. The empty-condition checks and the
condition values belong to the conditions family, the principal values to the principals family, the
policy-type rules (SCP/RCP/trust) to ``policy_type``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from iameval.lint.context import LintContext, Path, Statement
from iameval.lint.operators import operator_of
from iameval.lint.registry import check
from iameval.reference.conditions import operator_hint
from iameval.reference.document import JsonObject
from iameval.reference.hints import closest
from iameval.reference.policy import STATEMENT_ELEMENTS, TOP_ELEMENTS

VERSIONS = ("2012-10-17", "2008-10-17")
#: the policy types whose statements need ``Resource``/``NotResource``: Access Analyzer's page ("Missing
#: resource"): "All policies except role trust policies must include a Resource or NotResource element" (the
#: 2023 page said only identity policies; the current one includes resource policies)
RESOURCE_REQUIRED = ("identity", "boundary", "session", "scp", "rcp", "resource")
#: the policy types whose statements need ``Principal``/``NotPrincipal``
PRINCIPAL_REQUIRED = ("resource", "trust", "rcp")
#: IAM stores these policy types and refuses duplicate Sids in them ("Statement IDs (SID) in a single policy
#: must be unique"), as do Organizations for SCPs and RCPs; services that keep resource policies accept them
#: (S3, SNS, SQS), so Access Analyzer only recommends unique Sids there
UNIQUE_SIDS_REQUIRED_IN = ("identity", "boundary", "session", "trust", "scp", "rcp")
#: IAM's Sid alphabet (IAM User Guide, "IAM JSON policy elements: Sid"), which Organizations also holds SCPs and
#: RCPs to (Access Analyzer reports a Sid with `_` in an SCP: awsdocs/iam-user-guide#282); services that keep
#: resource policies accept any string (KMS and S3 document Sids with spaces), so resource and trust policies are
#: not held to it
SID_CHECKED_IN = ("identity", "boundary", "session", "scp", "rcp")
_SID = re.compile(r"[A-Za-z0-9]*\Z")
_ACTION = re.compile(r"[^:]+:.+\Z", re.DOTALL)

_JSON_TYPES = {str: "String", int: "Number", float: "Number", bool: "Boolean", list: "Array", dict: "Object"}


def json_type(value: Any) -> str:
    """The JSON type of a parsed value (``String``, ``Number``, ``Boolean``, ``Array``, ``Object``, ``Null``)."""
    if value is None:
        return "Null"
    for kind, name in _JSON_TYPES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _mismatch(ctx: LintContext, path: Path, what: str, expected: str, value: Any) -> None:
    ctx.report("DATA_TYPE_MISMATCH", path, f"The text does not match the expected JSON data type: {what} must be "
               f"{expected}, not {json_type(value)}", hint=f"write {what} as {expected}")


@check("grammar", "JSON_SYNTAX_ERROR")
def json_syntax(ctx: LintContext) -> None:
    """The policy text is not one JSON object (reported by the runner before any check runs), or an object
    repeats a key (a JSON parser keeps only the last one, so the policy would not mean what it says)."""
    if not ctx.duplicate_keys:
        return
    stack: list[tuple[Any, Path]] = [(ctx.doc, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if isinstance(value, JsonObject):
                for key in value.duplicates:
                    ctx.report("JSON_SYNTAX_ERROR", (*path, key), f"Fix the JSON syntax error: duplicate key `{key}`",
                               hint="remove one of the members with this name", on_key=True)
            stack.extend((child, (*path, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(value))


@check("grammar", "MISSING_VERSION", "INVALID_VERSION", "DATA_TYPE_MISMATCH")
def version(ctx: LintContext) -> None:
    """``Version`` should be present and must be the string ``2012-10-17`` or ``2008-10-17``.

    AA page, "Data type mismatch": "the ``Version`` ... requires a ``String`` data type. If you provide a date or an
    integer, the data type won't match": a ``Version`` that is not a string is ``DATA_TYPE_MISMATCH``, a string
    that is not a version ``INVALID_VERSION``."""
    value = ctx.doc.get("Version")
    if "Version" not in ctx.doc:
        ctx.report("MISSING_VERSION", (), "We recommend that you specify the Version element to help you with "
                   "debugging permission issues: the policy has no `Version`",
                   hint='add "Version": "2012-10-17" (without it, policy variables are not replaced)')
    elif not isinstance(value, str):
        _mismatch(ctx, ("Version",), "`Version`", "a string", value)
    elif value not in VERSIONS:
        ctx.report("INVALID_VERSION", ("Version",), f"The version `{value}` is not valid. Use one of the following "
                   f"versions: {', '.join(VERSIONS)}",
                   hint='use "Version": "2012-10-17"')


@check("grammar", "INVALID_POLICY_ELEMENT", "DATA_TYPE_MISMATCH", "MISSING_STATEMENT")
def top_level(ctx: LintContext) -> None:
    """The document has only ``Version``, ``Id`` and ``Statement``; ``Statement`` is an object or a non-empty
    list of objects; ``Id`` is a string."""
    for key in ctx.doc:
        if key not in TOP_ELEMENTS:
            _unknown(ctx, (key,), key, TOP_ELEMENTS)
    if "Id" in ctx.doc and not isinstance(ctx.doc["Id"], str):
        _mismatch(ctx, ("Id",), "`Id`", "a string", ctx.doc["Id"])
    if "Statement" not in ctx.doc:
        ctx.report("MISSING_STATEMENT", (), "Add a statement to the policy: it has no `Statement`",
                   hint='add a "Statement" list with at least one statement')
        return
    body = ctx.doc["Statement"]
    if isinstance(body, list):
        if not body:
            ctx.report("MISSING_STATEMENT", ("Statement",), "Add a statement to the policy: `Statement` is an empty "
                       "list",
                       hint="add at least one statement")
        for i, entry in enumerate(body):
            if not isinstance(entry, Mapping):
                _mismatch(ctx, ("Statement", i), "a statement", "an object", entry)
    elif not isinstance(body, Mapping):
        _mismatch(ctx, ("Statement",), "`Statement`", "an object or a list of objects", body)


def _unknown(ctx: LintContext, path: Path, key: str, candidates: tuple[str, ...]) -> None:
    suggestion = closest(key, candidates)
    ctx.report("INVALID_POLICY_ELEMENT", path, f"The policy element `{key}` is not valid.",
               hint=f"did you mean `{suggestion}`?" if suggestion else
               f"use only {', '.join(candidates)}", on_key=True)


@check("grammar", "INVALID_POLICY_ELEMENT", "MISSING_EFFECT", "INVALID_EFFECT", "DATA_TYPE_MISMATCH",
       "EMPTY_SID_VALUE", "UNSUPPORTED_SID")
def statement_elements(ctx: LintContext) -> None:
    """Every statement has only the statement elements, a string ``Sid`` (IAM's alphabet in the policies IAM
    stores, not empty), and an ``Effect`` of ``Allow`` or ``Deny``."""
    for st in ctx.statements:
        for key in st.data:
            if key not in STATEMENT_ELEMENTS:
                _unknown(ctx, (*st.path, key), key, STATEMENT_ELEMENTS)
        if "Sid" in st.data:
            sid = st.data["Sid"]
            if not isinstance(sid, str):
                _mismatch(ctx, (*st.path, "Sid"), "`Sid`", "a string", sid)
            elif sid == "":
                ctx.report("EMPTY_SID_VALUE", (*st.path, "Sid"), "Add a value to the empty string in the Sid element.",
                           hint="give the statement an identifier, or remove `Sid`")
            elif ctx.kind in SID_CHECKED_IN and not _SID.match(sid):
                ctx.report("UNSUPPORTED_SID", (*st.path, "Sid"),
                           f"Update the characters in the Sid element to use one of the following character types: "
                           f"[a-z, A-Z, 0-9] (the Sid `{sid}` has others)",
                           hint="use only letters and digits in `Sid`")
        if "Effect" not in st.data:
            ctx.report("MISSING_EFFECT", st.path, "Add an Effect element to the policy statement with a value of "
                       "Allow or Deny.",
                       hint='add "Effect": "Allow" or "Effect": "Deny"')
        else:
            effect = st.data["Effect"]
            if not isinstance(effect, str):
                _mismatch(ctx, (*st.path, "Effect"), "`Effect`", "a string", effect)
            elif effect not in ("Allow", "Deny"):
                suggestion = closest(effect, ("Allow", "Deny"))
                ctx.report("INVALID_EFFECT", (*st.path, "Effect"), f"The effect `{effect}` is not valid. Use Allow or "
                           "Deny.",
                           hint=f"did you mean `{suggestion}`?" if suggestion else "use `Allow` or `Deny`")


@check("grammar", "UNIQUE_SIDS_REQUIRED", "UNIQUE_SIDS_RECOMMENDED")
def unique_sids(ctx: LintContext) -> None:
    """Sids are unique in a policy: required in the policies IAM and Organizations store, recommended in
    resource policies."""
    required = ctx.kind in UNIQUE_SIDS_REQUIRED_IN
    code = "UNIQUE_SIDS_REQUIRED" if required else "UNIQUE_SIDS_RECOMMENDED"
    lead = ("Duplicate statement IDs are not supported for this policy type. Update the Sid value" if required else
            "We recommend that you use statement IDs that are unique to your policy. Update the Sid value")
    first: dict[str, int] = {}
    for st in ctx.statements:
        sid = st.sid
        if not sid:
            continue
        if sid in first:
            ctx.report(code, (*st.path, "Sid"),
                       f"{lead}: `{sid}` is already the Sid of statement {first[sid]}",
                       hint="give every statement its own Sid")
        else:
            first[sid] = st.index


def _pair(ctx: LintContext, st: Statement, name: str) -> None:
    """``name`` and ``Not<name>`` together in one statement."""
    if name in st.data and f"Not{name}" in st.data:
        ctx.report("UNSUPPORTED_ELEMENT_COMBINATION", (*st.path, f"Not{name}"),
                   f"The policy elements {name} and Not{name} can not be used in the same statement. Remove one of "
                   "these elements.",
                   hint=f"keep only one of `{name}` and `Not{name}`", on_key=True)


def _string_list(ctx: LintContext, st: Statement, name: str, empty_code: str) -> list[tuple[Path, str]] | None:
    """The entries of a string-or-list element; type problems and an empty list are reported. The entries are
    :meth:`Statement.strings` (shared: not to be changed); a list that holds something else than strings is
    walked again to report each such entry."""
    value = st.data[name]
    path = (*st.path, name)
    if isinstance(value, str):
        return st.strings(name)
    if not isinstance(value, list):
        _mismatch(ctx, path, f"`{name}`", "a string or a list of strings", value)
        return None
    if not value:
        what = "actions" if "Action" in name else "resources"
        ctx.report(empty_code, path, f"This statement includes no {what} and does not affect the policy. Specify "
                   f"{what}: `{name}` is an empty list",
                   hint=f"list the {what}, or remove the statement")
        return None
    strings = st.strings(name)
    if len(strings) == len(value):
        return strings  # every entry is a string: nothing to report
    entries = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            entries.append(((*path, i), item))
        else:
            _mismatch(ctx, (*path, i), f"`{name}` entries", "strings", item)
    return entries


@check("grammar", "MISSING_ACTION", "UNSUPPORTED_ELEMENT_COMBINATION", "EMPTY_ARRAY_ACTION",
       "DATA_TYPE_MISMATCH", "INVALID_ACTION")
def actions(ctx: LintContext) -> None:
    """Exactly one of ``Action``/``NotAction``, a string or a non-empty list of strings, each ``*`` or
    ``service:action``."""
    for st in ctx.statements:
        _pair(ctx, st, "Action")
        names = [n for n in ("Action", "NotAction") if n in st.data]
        if not names:
            ctx.report("MISSING_ACTION", st.path, "Add an Action or NotAction element to the policy statement.",
                       hint='add an "Action" list')
        for name in names:
            entries = _string_list(ctx, st, name, "EMPTY_ARRAY_ACTION") or ()
            if all(map(_ACTION.match, map(itemgetter(1), entries))):
                continue  # every entry is `service:action` (tested in C): nothing to report
            for path, action in entries:
                if action != "*" and not _ACTION.match(action):
                    ctx.report("INVALID_ACTION", path, f"The action `{action}` does not exist: without a "
                               "`service:` prefix it is not an action",
                               hint="write actions as `service:ActionName` (or `*`)")


@check("grammar", "MISSING_RESOURCE", "UNSUPPORTED_ELEMENT_COMBINATION", "EMPTY_ARRAY_RESOURCE",
       "DATA_TYPE_MISMATCH")
def resources(ctx: LintContext) -> None:
    """At most one of ``Resource``/``NotResource`` (one is required outside resource policies), a string or a
    non-empty list of strings."""
    for st in ctx.statements:
        _pair(ctx, st, "Resource")
        names = [n for n in ("Resource", "NotResource") if n in st.data]
        if not names and ctx.kind in RESOURCE_REQUIRED:
            ctx.report("MISSING_RESOURCE", st.path, "Add a Resource or NotResource element to the policy statement.",
                       hint='add "Resource": "*" or the ARNs the statement is about')
        for name in names:
            _string_list(ctx, st, name, "EMPTY_ARRAY_RESOURCE")


@check("grammar", "MISSING_PRINCIPAL", "UNSUPPORTED_ELEMENT_COMBINATION", "EMPTY_ARRAY_PRINCIPAL",
       "EMPTY_OBJECT_PRINCIPAL", "DATA_TYPE_MISMATCH")
def principals(ctx: LintContext) -> None:
    """Resource, trust and resource control policies name a ``Principal`` or ``NotPrincipal``: ``*`` or an
    object of principal types whose values are strings or non-empty lists of strings."""
    for st in ctx.statements:
        _pair(ctx, st, "Principal")
        names = [n for n in ("Principal", "NotPrincipal") if n in st.data]
        if not names and ctx.kind in PRINCIPAL_REQUIRED:
            ctx.report("MISSING_PRINCIPAL", st.path, "Add a Principal element to the policy statement.",
                       hint='add a "Principal", e.g. {"AWS": "123456789012"}')
        for name in names:
            value = st.data[name]
            path = (*st.path, name)
            if value == "*":
                continue
            if not isinstance(value, Mapping):
                _mismatch(ctx, path, f"`{name}`", 'an object (or "*")', value)
                continue
            if not value:
                ctx.report("EMPTY_OBJECT_PRINCIPAL", path, "This statement includes no principals and does not affect "
                           f"the policy. Specify principals: `{name}` is an empty object",
                           hint="name the principals, or remove the statement")
                continue
            for key, entry in value.items():
                where = (*path, key)
                if isinstance(entry, str):
                    continue
                if not isinstance(entry, list):
                    _mismatch(ctx, where, f"`{key}` principals", "a string or a list of strings", entry)
                elif not entry:
                    ctx.report("EMPTY_ARRAY_PRINCIPAL", where, "This statement includes no principals and does not "
                               f"affect the policy. Specify principals: `{key}` is an empty list",
                               hint="name the principals, or remove the statement")
                else:
                    for i, item in enumerate(entry):
                        if not isinstance(item, str):
                            _mismatch(ctx, (*where, i), f"`{key}` principals", "strings", item)


_NULL_IF_EXISTS = re.compile(r"(?i)(?:[^:]*:)?nullifexists\Z")


@check("grammar", "INVALID_CONDITION_OPERATOR", "DATA_TYPE_MISMATCH", "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
       condition_only=True)
def condition_shape(ctx: LintContext) -> None:
    """``Condition`` is an object of known operators, each an object of condition keys whose values are
    scalars or lists of scalars; a key is written with one capitalization throughout the statement's condition
    block.

    AA page, "Duplicate keys with different case": the key "appears more than once with different capitalization in
    the same condition block", and "A *condition block* is the text within the ``Condition`` element of a policy
    statement": the whole ``Condition``, across its operators, not one operator's object."""
    for st in ctx.statements:
        if "Condition" not in st.data:
            continue
        block = st.data["Condition"]
        path = (*st.path, "Condition")
        if not isinstance(block, Mapping):
            _mismatch(ctx, path, "`Condition`", "an object", block)
            continue
        seen: dict[str, str] = {}  # the first spelling of each key (folded) in the condition block
        for op, keys in block.items():
            op_path = (*path, op)
            if operator_of(op) is None and not _NULL_IF_EXISTS.match(op):
                suggestion = operator_hint(op)
                ctx.report("INVALID_CONDITION_OPERATOR", op_path, f"The condition operator `{op}` is not valid. Use a "
                           "valid condition operator.",
                           hint=f"did you mean `{suggestion}`?" if suggestion else
                           "use an operator such as `StringEquals`", on_key=True)
            if not isinstance(keys, Mapping):
                _mismatch(ctx, op_path, f"the `{op}` block", "an object of condition keys", keys)
                continue
            for key, values in keys.items():
                folded = key.lower()
                if folded in seen and seen[folded] != key:
                    ctx.report("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", (*op_path, key),
                               f"The condition key `{key}` appears more than once with different capitalization in the "
                               f"same condition block (also `{seen[folded]}`). Remove the duplicate condition keys.",
                               hint="use the same capitalization for every instance (key names are not case-sensitive)",
                               on_key=True)
                seen.setdefault(folded, key)
                items = values if isinstance(values, list) else [values]
                for i, item in enumerate(items):
                    if isinstance(item, dict | list) or item is None:
                        where = (*op_path, key, i) if isinstance(values, list) else (*op_path, key)
                        _mismatch(ctx, where, "condition values", "strings, numbers or booleans", item)
