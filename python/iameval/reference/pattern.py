"""IAM wildcard and ARN matching (IAM_RULES R3, R4, R11 ArnLike).

The glob language has two wildcards: ``*`` matches any run of characters (also the empty run) and ``?``
matches exactly one character. Nothing else is special: there is no escape character (policy variables
``${*}`` and ``${?}`` are resolved before matching, see :mod:`iameval.reference.variables`, and the text they
produce is matched literally through :class:`Literal` segments).

The matcher is the classic two-pointer algorithm with one backtrack point (the last ``*`` seen): it runs in
O(len(pattern) * len(value)) time at worst and never recurses, so a pattern with many ``*`` cannot blow up.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ARN_FIELDS",
    "arn_like",
    "fold_case",
    "glob_match",
    "resource_match",
    "split_arn",
]

#: An ARN has six ``:``-separated fields: ``arn:partition:service:region:account:resource`` (R4).
ARN_FIELDS = 6


def fold_case(text: str) -> str:
    """Lower-case ``text`` character by character (``str.lower`` of each character, no final-sigma context).

    The one case rule of iameval for actions (R3), the first five ARN fields (R4), context key names (R2),
    variable names (R13) and operator names: both engines apply it the same way.
    """
    return "".join(ch.lower() for ch in text)


def glob_match(pattern: str | Sequence[str | Literal], value: str, *, ignore_case: bool = False) -> bool:
    """Return whether ``value`` matches the IAM glob ``pattern`` as a whole (R3, R4, R11 StringLike).

    ``pattern`` is either a plain string, where ``*`` and ``?`` are wildcards, or a sequence of parts in which
    :class:`Literal` parts are matched character for character (text substituted for a policy variable, R13).
    With ``ignore_case`` both sides are compared case-insensitively (actions, R3).
    """
    tokens = _tokens(pattern, lower=ignore_case)
    if ignore_case:
        # character by character, so that both sides fold alike ("İ" -> "i̇", no final-sigma context)
        value = fold_case(value)
    return _match_tokens(tokens, value)


class Literal(str):
    """A run of text inside a pattern that is matched literally: ``*`` and ``?`` in it are ordinary characters.

    Used for the text a policy variable resolves to, and for ``${*}``, ``${?}``, ``${$}`` (R13).
    """

    __slots__ = ()


class _Wild:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_STAR = _Wild("*")
_ONE = _Wild("?")


def _tokens(pattern: str | Sequence[str | Literal], *, lower: bool = False) -> list[object]:
    """Turn a pattern into a list of characters and the two wildcard tokens (characters lower-cased one by one
    when ``lower``)."""
    parts: Sequence[str | Literal] = [pattern] if isinstance(pattern, str) else pattern
    out: list[object] = []
    for part in parts:
        if isinstance(part, Literal):
            out.extend(fold_case(part) if lower else part)
            continue
        for ch in part:
            if ch == "*":
                if not out or out[-1] is not _STAR:  # consecutive stars are one star
                    out.append(_STAR)
            elif ch == "?":
                out.append(_ONE)
            else:
                out.extend(ch.lower() if lower else ch)
    return out


def _match_tokens(tokens: list[object], value: str) -> bool:
    """Two-pointer glob match with a single backtrack point (linear space, no recursion)."""
    t = 0  # position in tokens
    v = 0  # position in value
    star_t = -1  # token index just after the last star seen
    star_v = 0  # value index that star is currently assumed to cover up to
    n_tokens = len(tokens)
    n_value = len(value)
    while v < n_value:
        if t < n_tokens:
            tok = tokens[t]
            if tok is _STAR:
                star_t = t + 1
                star_v = v
                t += 1
                continue
            if tok is _ONE or tok == value[v]:
                t += 1
                v += 1
                continue
        if star_t >= 0:
            # let the last star swallow one more character and retry from there
            star_v += 1
            v = star_v
            t = star_t
            continue
        return False
    while t < n_tokens and tokens[t] is _STAR:
        t += 1
    return t == n_tokens


def split_arn(arn: str) -> list[str] | None:
    """Split an ARN into its six fields; the last (resource) field keeps any further ``:``.

    Returns ``None`` when the text has fewer than six fields (the first field is not checked here).
    """
    fields = arn.split(":", ARN_FIELDS - 1)
    if len(fields) < ARN_FIELDS:
        return None
    return fields


def _split_pattern(pattern: Sequence[str | Literal]) -> list[list[str | Literal]]:
    """Split a pattern (a sequence of parts) on ``:`` into at most six fields; ``:`` inside a Literal counts too.

    Returns the list of fields, each a list of parts; the last field keeps further ``:`` characters.
    """
    fields: list[list[str | Literal]] = [[]]
    for part in pattern:
        literal = isinstance(part, Literal)
        pieces = part.split(":") if len(fields) < ARN_FIELDS else [part]
        for i, piece in enumerate(pieces):
            if i > 0:
                if len(fields) < ARN_FIELDS:
                    fields.append([])
                else:  # sixth field reached: the rest of this part, colons included, belongs to it
                    rest = ":" + ":".join(pieces[i:])
                    fields[-1].append(Literal(rest) if literal else rest)
                    break
            if piece:
                fields[-1].append(Literal(piece) if literal else piece)
    return fields


def _ends_with_star(field: list[str | Literal]) -> bool:
    for part in reversed(field):
        if not part:
            continue
        return not isinstance(part, Literal) and part.endswith("*")
    return False


def resource_match(
    pattern: str | Sequence[str | Literal], resource: str, *, resource_based: bool = False
) -> bool:
    """Return whether a Resource pattern matches the request resource (R4).

    - the pattern ``*`` alone matches everything, the request resource ``*`` included;
    - a request resource of ``*`` (an action without resource-level permissions) is matched by ``*`` only;
    - otherwise both are split into six fields: partition, service, region and account are matched field by
      field, case-insensitively, with wildcards that never cross a ``:``; the resource field is matched as a
      whole (``*`` may span ``/`` and ``:``), case-sensitively;
    - a pattern with fewer than six fields is padded with ``*`` fields when its last field ends in ``*``;
      without that trailing ``*`` it is padded the same way in identity, boundary, session, SCP and RCP
      policies, and matches nothing in a resource-based policy (``resource_based=True``) — Decision of R4.
    """
    parts: Sequence[str | Literal] = [pattern] if isinstance(pattern, str) else pattern
    if len(parts) == 1 and not isinstance(parts[0], Literal) and parts[0] == "*":
        return True
    if all(isinstance(p, Literal) or "*" not in p for p in parts) and "".join(parts) == "*":
        # "${*}" alone is a literal star: it names the resource "*" and nothing else
        return resource == "*"
    if resource == "*":
        return False
    res_fields = split_arn(resource)
    if res_fields is None:
        return False
    pat_fields = _split_pattern(parts)
    if len(pat_fields) < ARN_FIELDS:
        if resource_based and not _ends_with_star(pat_fields[-1]):
            return False
        pat_fields.extend([["*"] for _ in range(ARN_FIELDS - len(pat_fields))])
    for i in range(ARN_FIELDS - 1):
        if not glob_match(pat_fields[i], res_fields[i], ignore_case=True):
            return False
    return glob_match(pat_fields[ARN_FIELDS - 1], res_fields[ARN_FIELDS - 1])


def arn_like(pattern: str | Sequence[str | Literal], value: str) -> bool:
    """ArnLike / ArnEquals (R11): six fields, each matched separately and case-sensitively with ``*``/``?``.

    A wildcard never crosses a field. A value or pattern that does not have six fields does not match.
    """
    parts: Sequence[str | Literal] = [pattern] if isinstance(pattern, str) else pattern
    val_fields = split_arn(value)
    if val_fields is None:
        return False
    pat_fields = _split_pattern(parts)
    if len(pat_fields) < ARN_FIELDS:
        return False
    return all(glob_match(p, v) for p, v in zip(pat_fields, val_fields, strict=True))
