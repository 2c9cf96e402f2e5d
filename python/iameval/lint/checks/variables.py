"""Policy variables: ``${...}`` in ``Resource``/``NotResource`` and in the values of ``Condition``.

A variable is ``$`` ``{``, a name without spaces, an optional default (``, 'text'``) and ``}``; ``${*}``,
``${?}`` and ``${$}`` are the literal characters. Variables are replaced only with ``"Version":
"2012-10-17"``, only in the resource elements and in the values of String and ARN operators. Findings cover the
``${...}`` text itself (a substring span).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from iameval.lint.clauses import clauses
from iameval.lint.context import LintContext, Path
from iameval.lint.operators import operator_of
from iameval.lint.registry import check

_ESCAPES = ("*", "?", "$")
_NAME = re.compile(r"[^\s,'}]+\Z")
_DEFAULT = re.compile(r"\s*'[^']*'\Z")
#: operators whose values may hold variables (the rest compare numbers, dates, booleans, IPs, bytes, presence)
_VARIABLE_OPERATORS = re.compile(r"(?i)(?:for(?:all|any)values?:)?(?:string|arn)")


def _variables(text: str) -> Iterator[tuple[int, int, str | None]]:
    """``(start, end, inner)`` of every ``${`` in ``text``: ``inner`` is the text between the braces, or None
    when the closing brace is missing (``end`` is then the end of the string)."""
    pos = text.find("${")
    while pos != -1:
        close = text.find("}", pos + 2)
        nested = text.find("${", pos + 2)
        if close == -1 or (nested != -1 and nested < close):
            yield pos, len(text) if nested == -1 else nested, None
            pos = nested
            continue
        yield pos, close + 1, text[pos + 2 : close]
        pos = text.find("${", close + 1)


def _problem(inner: str | None) -> tuple[str, str, str] | None:
    """The code, message and hint for a malformed variable, or None when it is well formed."""
    if inner is None:
        return ("MISSING_BRACE_IN_VARIABLE", "The policy variable is missing a closing curly brace. Add } after the "
                "variable text.",
                "add `}` after the variable name")
    if inner in _ESCAPES:
        return None
    if not inner.strip():
        return ("EMPTY_VARIABLE", "Empty policy variable. Remove the ${ } variable structure or provide a variable "
                "within the structure: `${" + inner + "}`",
                "name a request context key (`${aws:username}`) or remove the `${}`")
    name, comma, default = inner.partition(",")
    if comma and not _DEFAULT.match(default):
        return ("MISSING_QUOTE_IN_VARIABLE", "The policy variable default value must begin and end with a single "
                f"quote. Add the missing quote: `${{{inner}}}`",
                "write the default as `, 'value'`")
    if not _NAME.match(name):
        return ("UNSUPPORTED_SPACE_IN_VARIABLE", "A space is not supported within the policy variable text. Remove "
                f"the space: `${{{inner}}}`",
                "remove the spaces from the variable name")
    return None


def _without_variables(ctx: LintContext) -> bool:
    """True when no string of the document can hold a ``${``: the text has no ``${`` and no escape at all, so
    each string value is spelled out in it character for character (a ``\\u0024{`` escape keeps the checks
    running). Every check of this family reports only at a ``${``, so such a document has nothing to report."""
    text = ctx.text
    return "${" not in text and "\\" not in text


def _resource_strings(ctx: LintContext) -> Iterator[tuple[Path, str]]:
    for st in ctx.statements:
        for name in ("Resource", "NotResource"):
            yield from st.strings(name)


def _condition_strings(ctx: LintContext) -> Iterator[tuple[Path, str, str]]:
    """``(path, value, operator)`` of every string condition value."""
    for st in ctx.statements:
        for c in clauses(st):
            for path, value in c.strings():
                yield path, value, c.operator_name


@check("variables", "MISSING_BRACE_IN_VARIABLE", "MISSING_QUOTE_IN_VARIABLE", "UNSUPPORTED_SPACE_IN_VARIABLE",
       "EMPTY_VARIABLE", "VARIABLE_UNSUPPORTED_IN_VERSION")
def variable_syntax(ctx: LintContext) -> None:
    """Every ``${...}`` in a resource or a condition value is well formed (closing brace, a name without
    spaces, a default in single quotes), and the policy's ``Version`` is ``2012-10-17`` (earlier versions read
    ``${...}`` as literal text)."""
    if _without_variables(ctx):
        return
    modern = ctx.doc.get("Version") == "2012-10-17"
    places = [(p, v) for p, v in _resource_strings(ctx)] + [(p, v) for p, v, _ in _condition_strings(ctx)]
    for path, value in places:
        for start, end, inner in _variables(value):
            problem = _problem(inner)
            if problem is not None:
                code, message, hint = problem
                if inner is None:  # name the unclosed variable (the other messages quote the `${...}` already)
                    message = f"{message[:-1]}: `{value[start:end]}`"
                ctx.report(code, path, message, hint=hint, substring=(start, end - start))
            elif not modern and inner not in _ESCAPES:
                ctx.report("VARIABLE_UNSUPPORTED_IN_VERSION", path,
                           "To include variables in your policy, use the policy version 2012-10-17 or later: "
                           f"`${{{inner}}}` is literal text without \"Version\": \"2012-10-17\"",
                           hint='add "Version": "2012-10-17" to the policy', substring=(start, end - start))


@check("variables", "VARIABLE_UNSUPPORTED_IN_ELEMENT")
def variable_elements(ctx: LintContext) -> None:
    """Variables appear only in ``Resource``/``NotResource`` and condition values, not in ``Action``,
    ``NotAction``, ``Principal`` or ``NotPrincipal``."""
    if _without_variables(ctx):
        return
    for st in ctx.statements:
        places: list[tuple[Path, str]] = [*st.strings("Action"), *st.strings("NotAction")]
        for name in ("Principal", "NotPrincipal"):
            value = st.data.get(name)
            if isinstance(value, Mapping):
                for key, entry in value.items():
                    entries = entry if isinstance(entry, list) else [entry]
                    for i, item in enumerate(entries):
                        if isinstance(item, str):
                            where = (*st.path, name, key, i) if isinstance(entry, list) else (*st.path, name, key)
                            places.append((where, item))
        for path, value in places:
            for start, end, inner in _variables(value):
                if inner is not None and inner not in _ESCAPES and _problem(inner) is None:
                    element = next(str(p) for p in path[len(st.path):] if isinstance(p, str))
                    ctx.report("VARIABLE_UNSUPPORTED_IN_ELEMENT", path,
                               "Policy variables are supported in the Resource and Condition elements. Remove the "
                               f"policy variable `${{{inner}}}` from this element (`{element}`).",
                               hint="use policy variables only in `Resource` and in condition values",
                               substring=(start, end - start))


@check("variables", "INVALID_VARIABLE_FOR_OPERATOR")
def variable_operators(ctx: LintContext) -> None:
    """Variables in condition values only under String and ARN operators."""
    if _without_variables(ctx):
        return
    for path, value, op in _condition_strings(ctx):
        if operator_of(op) is None or _VARIABLE_OPERATORS.match(op):
            continue
        for start, end, inner in _variables(value):
            if inner is not None and inner not in _ESCAPES and _problem(inner) is None:
                ctx.report("INVALID_VARIABLE_FOR_OPERATOR", path,
                           "Policy variables can only be used with String and ARN operators: "
                           f"`${{{inner}}}` is not replaced under `{op}`",
                           hint="use policy variables only with String and ARN operators",
                           substring=(start, end - start))
