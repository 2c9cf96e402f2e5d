"""Redundancy: entries, condition keys and statements that change nothing, decided with IAM's matching rules.

An entry of ``Action`` or ``Resource`` is redundant when another entry of the same statement already matches
everything it matches (``ecs:Describe*`` covers ``ecs:DescribeClusters``; ``arn:aws:s3:::b/*`` covers
``arn:aws:s3:::b/x``). Coverage of an exact name is IAM's own matcher (:func:`~iameval.reference.pattern.glob_match`
for actions, :func:`~iameval.reference.pattern.resource_match` for ARNs); coverage of a pattern by a pattern is
the same glob read as a language: every ``*`` of the covered pattern must be met by a ``*`` of the covering one,
every ``?`` by a ``?`` or a ``*`` (sound: a reported entry is always covered; a few exotic coverings are missed).
Without AWS's action catalog, ``s3:Get*`` and ``s3:GetObject`` are compared as text patterns, never expanded.

A statement is redundant when another statement decides every request it matches the same way: the same
effect, the same principals, its actions and resources covered by the other's, and every condition clause of
the other also in it (the other is at least as broad). Statements with ``NotAction``/``NotResource`` are left
alone. Condition keys whose wildcard makes them always true, or a statement whose wildcard makes it never
apply, are the ``..._DUE_TO_WILDCARD_IN_CONDITION`` codes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from iameval.lint.clauses import Clause, clauses
from iameval.lint.context import LintContext, Path, Statement
from iameval.lint.registry import check
from iameval.lint.wildcards import star_match
from iameval.reference.pattern import glob_match, resource_match, split_arn

if TYPE_CHECKING:
    from iameval.catalog import Catalog

__all__ = ["action_covers", "glob_covers", "resource_covers"]

#: policy types whose Resource is matched as in a resource-based policy (a short pattern needs a trailing ``*``)
_RESOURCE_BASED = frozenset({"resource", "trust"})


@lru_cache(maxsize=4096)
def glob_covers(wide: str, narrow: str, ignore_case: bool = False) -> bool:
    """True when every text the IAM glob ``narrow`` matches is also matched by the glob ``wide``.

    A ``*`` of ``narrow`` is covered only by a ``*`` of ``wide``, a ``?`` by a ``?`` or a ``*``, a character by
    the same character (either case with ``ignore_case``), a ``?`` or a ``*``."""
    if "*" not in narrow and "?" not in narrow:
        if "?" not in wide and wide.isascii() and narrow.isascii():
            # `*` only and ASCII (where IAM's case fold is `str.lower`): the star matcher, without tokenizing
            return star_match(wide.lower(), narrow.lower()) if ignore_case else star_match(wide, narrow)
        return glob_match(wide, narrow, ignore_case=ignore_case)
    if "*" not in wide and "?" not in wide:
        return False  # a plain text matches one text; narrow matches many
    if ignore_case:
        wide, narrow = wide.lower(), narrow.lower()
    if _STAR not in narrow and _QUESTION not in narrow and _STAR not in wide and _QUESTION not in wide:
        marked = narrow.replace("*", _STAR).replace("?", _QUESTION)
        if "?" not in wide:  # only `*`: each covers anything, the rest is literal (never a marker)
            return star_match(wide, marked)
        rx = _cover_regex(wide)
        if rx is not None:
            return rx.fullmatch(marked) is not None
    # reach[j]: wide[:i] can cover narrow[:j]
    reach = [True] + [False] * len(narrow)
    for ch in wide:
        if ch == "*":
            for j in range(1, len(narrow) + 1):
                reach[j] = reach[j] or reach[j - 1]
            continue
        nxt = [False] * (len(narrow) + 1)
        for j in range(1, len(narrow) + 1):
            if reach[j - 1]:
                got = narrow[j - 1]
                nxt[j] = got != "*" and (ch == "?" or ch == got)
        reach = nxt
    return reach[len(narrow)]


# the covered pattern's wildcards, as characters of their own (private-use code points; a text that contains
# them is compared by the dynamic programme above instead)
_STAR, _QUESTION = "\ue000", "\ue001"


@lru_cache(maxsize=4096)
def _cover_regex(wide: str) -> re.Pattern[str] | None:
    """``wide`` as a regex over the covered pattern's text with its wildcards marked: ``*`` covers anything,
    ``?`` anything but a ``*``, a character itself. None for patterns with many ``*`` (regex backtracking)."""
    if wide.count("*") > 4 or _STAR in wide or _QUESTION in wide:
        return None
    body = "".join(".*" if c == "*" else f"[^{_STAR}]" if c == "?" else re.escape(c) for c in wide)
    return re.compile(body, re.DOTALL)


def action_covers(wide: str, narrow: str) -> bool:
    """True when the Action entry ``wide`` matches every action ``narrow`` matches (case-insensitive)."""
    if wide == "*":
        return True
    w_service, w_colon, w_name = wide.partition(":")
    n_service, n_colon, n_name = narrow.partition(":")
    if not w_colon or not n_colon:
        return False
    return glob_covers(w_service, n_service, True) and glob_covers(w_name, n_name, True)


def resource_covers(wide: str, narrow: str, *, resource_based: bool = False) -> bool:
    """True when the Resource entry ``wide`` matches every resource ``narrow`` matches: partition, service,
    region and account compared field by field without case, the resource part with case. Entries with
    policy variables are compared only against ``*``."""
    if wide == "*":
        return True
    if narrow == "*" or "${" in wide or "${" in narrow:
        return False
    w_fields = n_fields = None
    if (w_fields := _split_arn(wide)) is not None:
        # the resource part of a six-field ``wide`` is matched or covered character by character up to its
        # first wildcard, so it covers only resource parts that start with that text: most pairs stop here
        n_fields = _split_arn(narrow)
        if n_fields is None or not n_fields[-1].startswith(_literal_head(w_fields[-1])):
            return False
    if "*" not in narrow and "?" not in narrow:
        return resource_match(wide, narrow, resource_based=resource_based)
    if w_fields is None or n_fields is None:
        return False
    # equal fields cover each other: most pairs differ in the resource part only
    return all(w == n or glob_covers(w, n, True) for w, n in zip(w_fields[:-1], n_fields[:-1], strict=True)) and (
        w_fields[-1] == n_fields[-1] or glob_covers(w_fields[-1], n_fields[-1])
    )


@lru_cache(maxsize=8192)
def _split_arn(text: str) -> tuple[str, ...] | None:
    """:func:`~iameval.reference.pattern.split_arn`, remembered: an entry is compared with many others."""
    found = split_arn(text)
    return None if found is None else tuple(found)


@lru_cache(maxsize=8192)
def _literal_head(pattern: str) -> str:
    """The text of an IAM glob before its first ``*`` or ``?`` (all of it when it has none)."""
    star, question = pattern.find("*"), pattern.find("?")
    cut = min(i for i in (star, question, len(pattern)) if i >= 0)
    return pattern[:cut]


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _covered_entries(
    entries: list[tuple[Path, str]],
    covers: Callable[[str, str], bool],
    same: Callable[[str], str],
    group: Callable[[str], str | None] = lambda _text: None,
) -> list[tuple[Path, str, str]]:
    """``(path, entry, covering entry)`` of every entry another entry covers; of two entries that cover each
    other, the later one. ``same`` gives the text two entries share when they match the same things (the
    lower-cased action); an entry without wildcards covers only those. ``group`` narrows the wildcard entries
    tried (an action's service): None means any group. Linear in the entries for the common case, a list of
    exact names and a few wildcards."""
    texts = list(map(itemgetter(1), entries))
    keys = list(map(same, texts))
    found: list[tuple[Path, str, str]] = []
    if "*" not in (joined := "".join(texts)) and "?" not in joined:
        # exact entries only: a duplicate is the only way to be covered (none when the keys are distinct)
        if len(set(keys)) < len(keys):
            first: dict[str, int] = {}
            for i, key in enumerate(keys):
                j0 = first.setdefault(key, i)
                if j0 != i:
                    found.append((entries[i][0], texts[i], texts[j0]))
        return found
    wild_by_group: dict[str | None, list[int]] = {}
    for j, text in enumerate(texts):
        if "*" in text or "?" in text:
            wild_by_group.setdefault(group(text), []).append(j)
    anywhere = wild_by_group.get(None, [])
    # the wildcard entries an entry of each group is tried against: its group's and those of any group
    tried_by_group = {g: anywhere + js for g, js in wild_by_group.items() if g is not None}
    first = {}
    for i, key in enumerate(keys):
        j0 = first.setdefault(key, i)
        narrow = texts[i]
        if j0 != i:
            found.append((entries[i][0], narrow, texts[j0]))
            continue
        own = group(narrow)
        tried = anywhere if own is None else tried_by_group.get(own, anywhere)
        for j in tried:
            wide = texts[j]
            if j != i and covers(wide, narrow) and (j < i or not covers(narrow, wide)):
                found.append((entries[i][0], narrow, wide))
                break
    return found


def _action_group(action: str) -> str | None:
    """The lower-cased service of an action, or None when the service part has a wildcard (or is missing)."""
    service, colon, _name = action.partition(":")
    return service.lower() if colon and not _wild(service) else None


@check("redundancy", "REDUNDANT_ACTION")
def redundant_actions(ctx: LintContext) -> None:
    """An ``Action`` entry that another entry of the same statement already matches (``ecs:DescribeClusters``
    beside ``ecs:Describe*``)."""
    for st in ctx.statements:
        entries = st.strings("Action")
        if len(entries) < 2:
            continue
        for path, narrow, wide in _covered_entries(entries, action_covers, str.lower, _action_group):
            ctx.report("REDUNDANT_ACTION", path, f"The 1 action(s) are redundant because they "
                       "provide similar permissions. Update the policy to remove "
                       f"the redundant action such as: {narrow} (`{wide}` already matches it).",
                       hint=f"remove `{narrow}`")


def _resource_types(catalog: Catalog | None, arn: str) -> frozenset[tuple[str, str]]:
    """The (service, name) of the resource types the catalog reads ``arn`` as (its most specific ARN formats);
    empty without a catalog or for an ARN no format matches."""
    if catalog is None:
        return frozenset()
    return frozenset((t.service, t.name) for t in catalog.match_resource(arn))


def _same_resource(narrow_types: frozenset[tuple[str, str]], wide_types: frozenset[tuple[str, str]],
                   narrow: str, wide: str) -> bool:
    """Whether a covered ``narrow`` names the same kind of resource as ``wide``: a resource type in common, or,
    when the catalog cannot type one of them, resource parts with as many ``/`` (``/v2/apis/*/routes`` is not
    the API ``/v2/apis/*``)."""
    if narrow_types and wide_types:
        return bool(narrow_types & wide_types)
    return _resource_part(narrow).count("/") == _resource_part(wide).count("/")


def _resource_part(arn: str) -> str:
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 else arn


@check("redundancy", "REDUNDANT_RESOURCE")
def redundant_resources(ctx: LintContext) -> None:
    """A ``Resource`` entry that another entry of the same statement already matches and that names the same
    resource type (``arn:aws:iam::111122223333:role/jane-admin`` beside ``...:role/jane*``).

    Access Analyzer reports ARNs "redundant because they reference the same resource": an ARN of another
    resource type that a wider pattern happens to match as text (the S3 objects ``arn:aws:s3:::b*/*`` beside
    the buckets ``arn:aws:s3:::b*``, an API Gateway ``/restapis/*/stages`` beside ``/restapis/*``) is not
    reported. The types are the catalog's (:meth:`~iameval.catalog.Catalog.match_resource`); when it cannot type
    an entry (no catalog, a service or format it does not know), the resource parts must have as many ``/``.
    Exact repeats and entries beside ``*`` are always redundant."""
    based = ctx.kind in _RESOURCE_BASED

    def covers(wide: str, narrow: str) -> bool:
        return resource_covers(wide, narrow, resource_based=based)

    types: dict[str, frozenset[tuple[str, str]]] = {}

    def typed(arn: str) -> frozenset[tuple[str, str]]:
        found = types.get(arn)
        if found is None:
            found = types[arn] = _resource_types(ctx.catalog, arn)
        return found

    for st in ctx.statements:
        entries = st.strings("Resource")
        if len(entries) < 2:
            continue
        for path, narrow, wide in _covered_entries(entries, covers, str, _resource_group):
            if narrow != wide and wide != "*" and not _same_resource(typed(narrow), typed(wide), narrow, wide):
                continue
            ctx.report("REDUNDANT_RESOURCE", path,
                       f"The 1 resource ARN(s) are redundant because they reference the same resource: `{narrow}` "
                       f"is already matched by `{wide}`. Review the use of wildcards (*)", hint=f"remove `{narrow}`")


# --- statements ----------------------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True)


#: a condition clause as compared between statements: operator, key, the distinct values in order
_ClauseKey = tuple[str, str, tuple[str, ...]]


def _clause_set(st: Statement) -> frozenset[_ClauseKey] | None:
    """The statement's condition as a set of ``(operator, key, values)`` (names lower-cased, the distinct values
    sorted, as a tuple: equal exactly when their JSON lists are), or None when the Condition is not a
    well-formed object (such statements are not compared)."""
    cond = st.data.get("Condition")
    if cond is None:
        return frozenset()
    if not isinstance(cond, dict):
        return None
    found: set[_ClauseKey] = set()
    for c in clauses(st):
        values = [t for _p, t in c.values()]
        raw = c.raw if isinstance(c.raw, list) else [c.raw]
        if len(values) != len(raw):
            return None
        found.add((c.operator_name.lower(), c.key_lower, tuple(sorted(set(values)))))
    if sum(len(b) for b in cond.values() if isinstance(b, dict)) != len(found) or not all(
        isinstance(b, dict) for b in cond.values()
    ):
        return None
    return frozenset(found)


def _comparable(st: Statement) -> bool:
    """An Allow or Deny statement with ``Action`` and ``Resource`` (not their ``Not`` forms) made of strings only."""
    data = st.data
    if st.effect not in ("Allow", "Deny") or "NotAction" in data or "NotResource" in data or "NotPrincipal" in data:
        return False
    for name in ("Action", "Resource"):
        entries = st.strings(name)
        value = data.get(name)
        if not entries or len(entries) != (len(value) if isinstance(value, list) else 1):
            return False
    return True


class _Entries:
    """A statement's ``Action`` or ``Resource`` entries prepared for coverage tests: the exact entries as a set
    (compared by ``same``), the wildcard entries by group (an action's service; None: may match any group)."""

    __slots__ = ("exact", "groups", "wild")

    def __init__(self, entries: list[tuple[Path, str]], same: Callable[[str], str],
                 group: Callable[[str], str | None]) -> None:
        exact: set[str] = set()
        wild: dict[str | None, list[str]] = {}
        groups: set[str | None] = set()
        for _path, text in entries:
            g = group(text)
            groups.add(g)
            if "*" in text or "?" in text:
                wild.setdefault(g, []).append(text)
            else:
                exact.add(same(text))
        self.exact, self.wild, self.groups = exact, wild, groups


def _all_covered(
    narrow: list[tuple[Path, str]],
    wide: _Entries,
    covers: Callable[[str, str], bool],
    same: Callable[[str], str],
    group: Callable[[str], str | None],
) -> bool:
    """Whether every entry of ``narrow`` is covered by an entry of ``wide``: an equal exact entry, or a wildcard
    entry of its group (or of no group) that covers it."""
    anywhere = wide.wild.get(None, [])
    for _path, text in narrow:
        if not _wild(text) and same(text) in wide.exact:
            continue
        own = group(text)
        tried = anywhere + wide.wild.get(own, []) if own is not None else anywhere
        if not any(covers(w, text) for w in tried):
            return False
    return True


def _resource_group(resource: str) -> str | None:
    """The lower-cased service of an ARN, or None for ``*``, text that is not an ARN, or a service part with a
    wildcard or a variable (such entries may cover, or be covered by, any service's)."""
    parts = resource.split(":", 3)
    if len(parts) < 4 or parts[0] != "arn" or _wild(parts[2]) or "$" in parts[2]:
        return None
    return parts[2].lower()


@check("redundancy", "REDUNDANT_STATEMENT")
def redundant_statements(ctx: LintContext) -> None:
    """A statement whose every request another statement of the policy decides the same way: same effect and
    principals, actions and resources covered by the other's, and the other's conditions all among its own."""
    based = ctx.kind in _RESOURCE_BASED

    def res_covers(wide: str, narrow: str) -> bool:
        return resource_covers(wide, narrow, resource_based=based)

    statements = [st for st in ctx.statements if _comparable(st)]
    if len(statements) < 2:
        return
    # only statements of the same effect and principals can cover each other: compare within those groups
    buckets: dict[tuple[str | None, str], list[Statement]] = {}
    for st in statements:
        buckets.setdefault((st.effect, _canonical(st.data.get("Principal"))), []).append(st)
    for candidates in buckets.values():
        if len(candidates) >= 2:
            _redundant_among(ctx, candidates, res_covers)


def _redundant_among(ctx: LintContext, candidates: list[Statement],
                     res_covers: Callable[[str, str], bool]) -> None:
    """Report the statements of ``candidates`` (same effect, same principals) that another of them covers."""
    # prepared on first use: only the statements of a tried pair are
    conditions: dict[int, frozenset[_ClauseKey] | None] = {}
    actions: dict[int, _Entries] = {}
    resources: dict[int, _Entries] = {}

    def condition_of(st: Statement) -> frozenset[_ClauseKey] | None:
        if st.index not in conditions:
            conditions[st.index] = _clause_set(st)
        return conditions[st.index]

    def actions_of(st: Statement) -> _Entries:
        found = actions.get(st.index)
        if found is None:
            found = actions[st.index] = _Entries(st.strings("Action"), str.lower, _action_group)
        return found

    def resources_of(st: Statement) -> _Entries:
        found = resources.get(st.index)
        if found is None:
            found = resources[st.index] = _Entries(st.strings("Resource"), str, _resource_group)
        return found

    def covers(wide: Statement, narrow: Statement) -> bool:
        wide_cond, narrow_cond = condition_of(wide), condition_of(narrow)
        if wide_cond is None or narrow_cond is None or not wide_cond <= narrow_cond:
            return False
        wide_actions = actions_of(wide)
        return (
            # a service of the narrow statement that the wide one never names (nor any wildcard service): no
            (None in wide_actions.groups or actions_of(narrow).groups <= wide_actions.groups)
            and _all_covered(narrow.strings("Action"), wide_actions, action_covers, str.lower, _action_group)
            and _all_covered(narrow.strings("Resource"), resources_of(wide), res_covers, str, _resource_group)
        )

    by_first = _first_action_index(candidates)
    for narrow in candidates:
        for wide in by_first(narrow.strings("Action")[0][1]):
            if wide is narrow or not covers(wide, narrow):
                continue
            if wide.index > narrow.index and covers(narrow, wide):
                continue  # the two are equivalent: the later one is reported
            other = f"`{wide.sid}`" if wide.sid else f"statement {wide.index}"
            ctx.report("REDUNDANT_STATEMENT", narrow.path,
                       "The statements are redundant because they provide identical permissions. Update the policy to "
                       f"remove the redundant statement (the statement{_named(narrow)}: {other} already decides every "
                       "request it matches).", hint="remove the statement or merge it into the other one")
            break


def _first_action_index(candidates: list[Statement]) -> Callable[[str], list[Statement]]:
    """The candidates that may cover the candidate whose first action is ``first``, in candidate order.

    A statement can cover another only if it covers its first action: one that lists that action, or one with a
    wildcard entry of its service (or of any service). The candidates are indexed by the actions they list
    (lower-cased) and by the groups of their wildcard entries, so each lookup reads only those, rather than
    testing every candidate against every statement: the same candidates, in the same order."""
    by_name: dict[str, list[int]] = {}
    by_group: dict[str | None, list[int]] = {}
    for position, st in enumerate(candidates):
        names: set[str] = set()
        groups: set[str | None] = set()
        for _path, text in st.strings("Action"):
            if "*" in text or "?" in text:
                groups.add(_action_group(text))
            else:
                names.add(text.lower())
        for name in names:
            by_name.setdefault(name, []).append(position)
        for group in groups:
            by_group.setdefault(group, []).append(position)
    anywhere = by_group.get(None, [])

    def tried(first: str) -> list[Statement]:
        group = _action_group(first)
        found = set(anywhere)
        if group is not None:
            found.update(by_group.get(group, ()))
        if not _wild(first):
            found.update(by_name.get(first.lower(), ()))
        return [candidates[position] for position in sorted(found)]

    return tried


def _named(st: Statement) -> str:
    return f" `{st.sid}`" if st.sid else ""


# --- wildcards in conditions ---------------------------------------------------------------------------------

_LIKE = ("StringLike", "ArnLike")
_NOT_LIKE = ("StringNotLike", "ArnNotLike")


def _has_star(c: Clause) -> bool:
    return any(t == "*" for _p, t in c.values())


@check("redundancy", "REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION", condition_only=True)
def always_true_keys(ctx: LintContext) -> None:
    """A condition key that a ``*`` value makes always true, present or not: ``ForAllValues:StringLike`` (also
    true without the key) or a ``...LikeIfExists`` operator with ``*`` among its values."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.base not in _LIKE or not _has_star(c):
                continue
            if op.qualifier == "ForAllValues" or op.if_exists:
                ctx.report("REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION", c.path,
                           f"The key {c.key} in the condition block of {c.operator_name} is "
                           f"redundant because it is always "
                           "matched (`*`). Remove this key to simplify the condition.",
                           hint=f"remove `{c.key}` from the condition, or replace `*` with the values to allow",
                           on_key=True)


@check("redundancy", "REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION", condition_only=True)
def never_true_statements(ctx: LintContext) -> None:
    """A statement that never applies because a ``*`` value makes a condition key always false:
    ``ForAnyValue:StringNotLike`` with ``*`` (every value matches ``*``, and a missing key is false)."""
    for st in ctx.statements:
        for c in clauses(st):
            op = c.operator
            if op is None or op.base not in _NOT_LIKE or not _has_star(c):
                continue
            if op.qualifier == "ForAnyValue" and not op.if_exists:
                ctx.report("REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION", c.path,
                           f"The key {c.key} in the condition block of {c.operator_name} does not "
                           f"match any values (`*`): "
                           "the statement never applies. Remove this key to simplify the condition.",
                           hint="remove the statement, or replace `*` with the values to exclude", on_key=True)
                break
