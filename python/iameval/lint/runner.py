"""Run every check on one document and place the findings in its text."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from iameval.errors import CatalogError, json_pointer
from iameval.lint.context import POLICY_TYPES, LintContext, PolicyType, Report
from iameval.lint.finding import Finding, Position, Severity, Span
from iameval.lint.registry import CHECKS, RULES, own_rule
from iameval.lint.spans import SpanIndex
from iameval.reference.document import MAX_DEPTH, JsonObject, object_pairs, reject_constant

if TYPE_CHECKING:
    from iameval.catalog import Catalog

__all__ = ["guess_kind", "lint", "sort_key"]

own_rule(
    "INTERNAL_CHECK_ERROR",
    Severity.ERROR,
    "Internal check error",
    "grammar",
    "https://github.com/iameval/iameval/issues",
    "a check of iameval failed on this document (a bug in iameval: please report it with the policy)",
)


def guess_kind(doc: Any) -> PolicyType:
    """``--type auto``: an ``Allow`` statement with a ``Principal``/``NotPrincipal`` and an ``sts:AssumeRole*``
    action is a role trust policy; any other ``Principal`` makes a resource policy; otherwise an identity policy.

    Only ``Allow`` statements count, and a document that names a ``Resource``/``NotResource`` anywhere is not
    read as a trust policy: a trust policy lets principals assume the role it is attached to and names no
    resource, while RCPs and resource policies commonly *deny* ``sts:AssumeRole*`` to ``"Principal": "*"`` on
    resources (the data-perimeter RCP examples do), and reading those as trust policies reported trust-policy
    errors on every statement. Give ``--type trust`` to lint a trust policy that (wrongly) names a resource."""
    statements: list[Any] = []
    if isinstance(doc, Mapping):
        body = doc.get("Statement")
        statements = [body] if isinstance(body, Mapping) else body if isinstance(body, list) else []
    has_principal = assumes = names_resource = False
    for st in statements:
        if not isinstance(st, Mapping):
            continue
        names_resource = names_resource or "Resource" in st or "NotResource" in st
        if "Principal" in st or "NotPrincipal" in st:
            has_principal = True
            if st.get("Effect") != "Allow":
                continue
            actions = st.get("Action")
            names = [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []
            assumes = assumes or any(isinstance(a, str) and a.lower().startswith("sts:assumerole") for a in names)
    if assumes and not names_resource:
        return "trust"
    return "resource" if has_principal else "identity"


#: the types of JSON values that hold no other value
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _nests_within(value: Any, limit: int) -> bool:
    """Whether ``value`` nests no deeper than ``limit`` levels (one walk over the containers only). A container
    whose members are all leaves (an ``Action`` list of thousands of strings) is recognised by the set of its
    members' types, built in C, rather than by a test per member."""
    stack = [(value, 1)]
    leaves = _LEAVES
    while stack:
        item, level = stack.pop()
        if level > limit:
            return False
        children = item.values() if isinstance(item, dict) else item
        if leaves.issuperset(map(type, children)):
            continue
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return True


def _position(text: str, offset: int) -> Position:
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(line=text.count("\n", 0, offset) + 1, column=offset - line_start, offset=offset)


def _syntax_finding(text: str, message: str, offset: int, file: str) -> Finding:
    """A ``JSON_SYNTAX_ERROR`` finding at ``offset`` (the only finding of a document that is not JSON)."""
    rule = RULES["JSON_SYNTAX_ERROR"]
    start = _position(text, offset)
    end = _position(text, offset + 1)
    return Finding(
        code=rule.code,
        severity=rule.severity,
        message=message,
        pointer="",
        span=Span(start, end),
        file=file,
        hint="fix the JSON syntax at this position (a policy must be one JSON object)",
        url=rule.url,
        title=rule.title,
    )


def _text_of(doc: Any, file: str) -> tuple[str | None, Finding | None]:
    """The policy text of ``doc`` (str, UTF-8 bytes, or a mapping dumped as ``json.dumps(doc, indent=2)``), or
    the ``JSON_SYNTAX_ERROR`` finding that says why there is none."""
    if isinstance(doc, bytes | bytearray | memoryview):
        try:
            return bytes(doc).decode("utf-8"), None
        except UnicodeDecodeError as exc:
            return None, _syntax_finding("", f"the policy is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                         0, file)
    if isinstance(doc, str):
        return doc, None
    if isinstance(doc, Mapping):
        try:
            return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False), None
        except (TypeError, ValueError, RecursionError) as exc:
            return None, _syntax_finding("", f"the policy is not JSON data ({exc})", 0, file)
    raise TypeError(f"lint() takes a policy as dict, str or bytes, not {type(doc).__name__}")


def lint(
    doc: Mapping[str, Any] | str | bytes,
    kind: PolicyType | str = "identity",
    catalog: Catalog | None = None,
    *,
    file: str = "",
    ignore: Collection[str] = (),
    per_sid: Mapping[str, Collection[str]] | None = None,
    resource_type: str | None = None,
) -> list[Finding]:
    """Lint one policy document; return its findings sorted by place in the text, then code.

    ``doc`` is JSON text (``str``/``bytes``: spans are offsets into exactly that text) or a parsed ``dict``
    (spans then refer to ``json.dumps(doc, indent=2)``). ``kind`` is one of ``identity``, ``resource``,
    ``scp``, ``rcp``, ``trust``, ``boundary``, ``session`` or ``auto`` (guessed by :func:`guess_kind`).
    ``catalog`` is AWS's action catalog for the checks that need it (the default catalog is loaded on first
    use when None). ``ignore`` drops findings with those codes; ``per_sid`` maps a statement's ``Sid`` to the
    codes dropped for that statement only. ``resource_type`` (``AWS::S3::Bucket``) names what a resource
    policy is attached to, for the checks that depend on it. Never raises on a document's content (anything
    that is not a JSON object is a ``JSON_SYNTAX_ERROR`` finding); raises ``TypeError`` for a ``doc`` that is
    not a str, bytes or mapping, and ``ValueError`` for an unknown kind.
    """
    import iameval.lint.checks  # noqa: F401 - registers every check

    if kind != "auto" and kind not in POLICY_TYPES:
        raise ValueError(f"unknown policy type `{kind}`: expected one of {', '.join(POLICY_TYPES)} or auto")
    text, problem = _text_of(doc, file)
    if text is None:
        return [] if problem is None or problem.code in ignore else [problem]
    found = _parse(text, file)
    if isinstance(found, Finding):
        return [] if found.code in ignore else [found]
    parsed, duplicates, floats = found
    if kind == "auto":
        kind = guess_kind(parsed)
    policy_type: PolicyType = kind

    def load_catalog() -> Catalog:
        if catalog is not None:
            return catalog
        from iameval.catalog import default_catalog

        return default_catalog()  # a catalog that cannot load raises CatalogError out of lint(): fail closed

    ctx = LintContext(doc=parsed, kind=policy_type, text=text, file=file, catalog_loader=load_catalog,
                      resource_type=resource_type, duplicate_keys=duplicates,
                      canonical_text=not duplicates and not floats and "\\" not in text)
    conditions = any("Condition" in st.data for st in ctx.statements)
    for chk in CHECKS:
        if chk.condition_only and not conditions:
            continue  # it would read no Condition, so it would report nothing
        before = len(ctx.reports)
        try:
            chk.func(ctx)
        except CatalogError:  # the catalog could not be loaded: no answer rather than a partial one
            raise
        except Exception as exc:  # a bug in a check must not hide the other findings nor crash a batch
            del ctx.reports[before:]
            ctx.report("INTERNAL_CHECK_ERROR", (), f"check `{chk.name}` failed: {type(exc).__name__}: {exc}")
    return _place(ctx, ctx.reports, file, frozenset(ignore), per_sid or {})


def _parse(text: str, file: str) -> Any:
    """The parsed JSON object of ``text``, whether an object in it repeats a key (seen as the parser builds
    each object) and whether it has a floating-point number, or the ``JSON_SYNTAX_ERROR`` finding."""
    if text.startswith("\ufeff"):
        return _syntax_finding(text, "the policy starts with a byte order mark", 0, file)
    try:
        floats: list[str] = []

        def parse_float(literal: str) -> float:
            floats.append(literal)
            return float(literal)

        repeated: list[JsonObject] = []

        def pairs_hook(pairs: list[tuple[str, Any]]) -> JsonObject:
            obj = object_pairs(pairs)
            if obj.duplicates:
                repeated.append(obj)
            return obj

        parsed = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=reject_constant,
                            parse_float=parse_float)
    except json.JSONDecodeError as exc:
        return _syntax_finding(text, f"invalid JSON: {exc.msg[:1].lower()}{exc.msg[1:]}", exc.pos, file)
    except (ValueError, RecursionError) as exc:
        return _syntax_finding(text, f"invalid JSON: {exc}", 0, file)
    if not isinstance(parsed, dict):
        return _syntax_finding(text, "a policy must be a JSON object", 0, file)
    if not _shallow(text, parsed):
        return _syntax_finding(text, f"the policy nests deeper than {MAX_DEPTH} levels", 0, file)
    return parsed, bool(repeated), bool(floats)


def _shallow(text: str, parsed: Any) -> bool:
    """Whether the document nests no deeper than ``MAX_DEPTH`` levels. Each level is a container, and each
    container opens with its own ``{`` or ``[`` in the text: a text with at most ``MAX_DEPTH`` of them (counted
    in C, strings included, so never fewer than the containers) cannot nest deeper, and only a larger text is
    walked."""
    if text.count("{") + text.count("[") <= MAX_DEPTH:
        return True
    return _nests_within(parsed, MAX_DEPTH)


def _place(
    ctx: LintContext,
    reports: list[Report],
    file: str,
    ignore: frozenset[str],
    per_sid: Mapping[str, Collection[str]],
) -> list[Finding]:
    kept = [r for r in reports if r.code not in ignore]
    if not kept:
        return []
    index = SpanIndex(ctx.text, duplicates=ctx.duplicate_keys)
    statements = {st.index: st for st in ctx.statements}
    findings: list[Finding] = []
    seen: set[tuple[str, str, int, int]] = set()
    for r in kept:
        sid = None
        if r.statement is not None:
            st = statements.get(r.statement)
            sid = st.sid if st is not None else None
        if sid is not None and r.code in per_sid.get(sid, ()):
            continue
        rule = RULES[r.code]
        span: Span | None
        pointer = json_pointer(r.path)
        if r.substring is not None:
            span = index.substring(pointer, *r.substring)
            if span is None:
                span = index.locate(r.path)
        else:
            span = index.locate(r.path, on_key=r.on_key)
        # one finding per code and place: two checks (or two passes of one) may see the same problem
        key = (r.code, pointer, span.start.offset if span else -1, span.end.offset if span else -1)
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            Finding(
                code=r.code,
                severity=rule.severity,
                message=r.message,
                pointer=pointer,
                span=span,
                file=file,
                hint=r.hint,
                url=rule.url,
                sid=sid,
                title=rule.title,
            )
        )
    findings.sort(key=sort_key)
    return findings


def sort_key(f: Finding) -> tuple[int, int, int, str, str]:
    """Findings in text order (start offset, longer spans first), then most severe first, then code."""
    start = f.span.start.offset if f.span else -1
    end = f.span.end.offset if f.span else -1
    return (start, -end, -f.severity.rank, f.code, f.pointer)
