"""IAM wildcard matching implemented in Rust (crate ``iameval-core``, binding ``iameval-py``).

Semantics are those of :mod:`iameval.reference.pattern` for plain-string patterns: ``*`` matches any run of
characters (also the empty run), ``?`` exactly one character; there is no escape character. Every function
takes ``str`` arguments only (``TypeError`` otherwise); a ``str`` containing a lone surrogate cannot be
encoded as UTF-8 and raises ``UnicodeEncodeError``. No function raises for any other input. Inputs longer
than 16 KiB are matched with the GIL released.
"""

__all__ = ["__version__", "arn_like", "resource_match", "wildcard_match"]

__version__: str
"""Version of the compiled extension (the same as ``iameval.__version__``)."""

def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Return whether ``value`` matches the IAM glob ``pattern`` as a whole (R3, R4, R11 StringLike).

    ``*`` matches any run of characters, ``?`` exactly one Unicode character (code point). With
    ``ignore_case`` both sides are lowercased character by character before matching, like
    ``"".join(c.lower() for c in s)``: identical to ``str.lower()`` for ASCII; for other text it applies no
    context rule (capital sigma always becomes ``σ``, never the final ``ς``), and ``İ`` (U+0130) becomes the
    two characters ``i`` + U+0307. Never exponential: a pattern whose ``*``-free runs contain no ``?`` matches
    in time linear in ``len(pattern) + len(value)``, however many ``*`` it has; a run containing ``?`` costs
    at most ``len(value) * len(run)``.
    """

def resource_match(pattern: str, resource: str, resource_based: bool = False) -> bool:
    """Return whether a ``Resource`` pattern matches the request resource (R4).

    ``*`` alone matches everything (the request resource ``*`` included); a request resource of ``*`` is
    matched by that pattern only. Otherwise both are split into six ``:``-separated fields (the sixth keeps
    any further ``:``); partition, service, region and account are matched field by field,
    case-insensitively, with wildcards that never cross a field; the resource field is matched as a whole
    (``*`` may span ``/`` and ``:``), case-sensitively. A resource with fewer than six fields matches nothing.
    A pattern with fewer than six fields is padded with ``*`` fields when its last field ends in ``*``;
    without that trailing ``*`` it is padded too, except with ``resource_based=True`` (a resource-based
    policy), where it matches nothing.
    """

def arn_like(pattern: str, value: str) -> bool:
    """``ArnLike`` / ``ArnEquals`` (R11): match an ARN field by field.

    Both sides are split into six ``:``-separated fields (the sixth keeps any further ``:``), and each field
    is matched separately and case-sensitively with ``*`` and ``?``: a wildcard never crosses a field. A
    pattern or value with fewer than six fields does not match.
    """
