"""Policy variables (IAM_RULES R13).

``${name}`` is replaced by the request's value of the context key ``name`` (case-insensitive) only in policies
with ``"Version": "2012-10-17"``, and only in Resource/NotResource and in the values of String and ARN condition
operators; elsewhere the text is literal. ``${*}``, ``${?}`` and ``${$}`` are the literal characters ``*``,
``?`` and ``$``. ``${name, 'default'}`` uses the default when the key is missing (or multivalued).

A value is parsed once into a *template*: a tuple of parts, each a plain ``str`` (pattern text where ``*``
and ``?`` are wildcards for the operators that have them), a :class:`Literal` (text matched character for
character) or a :class:`Var`. Resolving a template against a request gives the parts with every variable
replaced by a :class:`Literal`, or ``None`` when a variable cannot be resolved (key missing or multivalued and
no default): R13 says such a value never matches, and never satisfies a negated operator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from iameval.reference.pattern import Literal, fold_case

__all__ = [
    "Literal",
    "Template",
    "Var",
    "parse_template",
    "resolve",
    "substitution",
    "template_text",
    "variable_before_fifth_colon",
    "variables_in",
]


@dataclass(frozen=True)
class Var:
    """A policy variable ``${name}`` or ``${name, 'default'}``; ``key`` is the lower-cased name."""

    name: str
    key: str
    default: str | None


Part = str | Literal | Var
Template = tuple[Part, ...]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_NAME_DEFAULT = re.compile(r"^([^,']+?)\s*(?:,\s*'([^']*)')?\Z", re.ASCII)
_ASCII_SPACE = " \t\n\r\f\v"
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def parse_template(text: str, *, substitute: bool) -> Template:
    """Split ``text`` into parts; with ``substitute=False`` (2008 grammar, non-string operators) it is one part."""
    if not substitute or "${" not in text:
        return (text,)
    parts: list[Part] = []
    pos = 0
    for m in _VARIABLE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        inner = m.group(1).strip(_ASCII_SPACE)
        if inner in _ESCAPES:
            parts.append(Literal(_ESCAPES[inner]))
        else:
            nd = _NAME_DEFAULT.match(inner)
            if nd is None or not nd.group(1).strip(_ASCII_SPACE):
                parts.append(m.group(0))  # not a variable: keep the text as written
            else:
                name = nd.group(1).strip(_ASCII_SPACE)
                parts.append(Var(name, fold_case(name), nd.group(2)))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def variables_in(template: Template) -> list[Var]:
    """The variables of a template, in order."""
    return [p for p in template if isinstance(p, Var)]


def template_text(template: Template) -> str:
    """The template written back as policy text (for messages)."""
    out = []
    for p in template:
        if isinstance(p, Var):
            out.append("${" + p.name + (f", '{p.default}'" if p.default is not None else "") + "}")
        elif isinstance(p, Literal):
            out.append("${" + str(p) + "}" if p in _ESCAPES else str(p))
        else:
            out.append(p)
    return "".join(out)


def resolve(template: Template, context: Mapping[str, str | Sequence[str]]) -> list[str | Literal] | None:
    """Substitute every variable from ``context`` (keys lower-cased); ``None`` when one cannot be resolved.

    Substituted text is a :class:`Literal`: it is never a wildcard (R13).
    """
    out: list[str | Literal] = []
    for p in template:
        if isinstance(p, Var):
            value = substitution(p, context)
            if value is None:
                return None
            out.append(Literal(value))
        else:
            out.append(p)
    return out


def substitution(var: Var, context: Mapping[str, str | Sequence[str]]) -> str | None:
    """R13: the text that replaces ``var``: the key's single value, else the default (the key is missing or
    multivalued), else ``None`` (the variable cannot be resolved)."""
    value = context.get(var.key)
    if isinstance(value, str):
        return value
    return var.default


def variable_before_fifth_colon(template: Template) -> bool:
    """R13: variables are substituted only after the fifth colon of an ARN; earlier, the entry matches nothing."""
    colons = 0
    for part in template:
        if isinstance(part, (Var, Literal)):  # Literal parts here are ${*} ${?} ${$}
            if colons < 5:
                return True
            continue
        colons += part.count(":")
        if colons >= 5:
            return False
    return False
