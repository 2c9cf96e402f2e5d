"""One statement against one request (IAM_RULES R3, R4, R5-R7, R8-R13): does it apply?

This module knows nothing of Allow vs Deny or of policy types beyond what matching needs; combining the
statements that apply is :mod:`iameval.reference.authorize`'s job. :func:`match_statement` decides;
:func:`trace_statement` explains (issue 8): every element evaluated, nothing skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from iameval.reference.conditions import Clause, Context, clause_holds, clause_variables
from iameval.reference.pattern import glob_match, resource_match
from iameval.reference.policy import ResourceEntry, Statement
from iameval.reference.principal import exempt_from_not_principal, naming_entry, namings
from iameval.reference.request import ReadRequest
from iameval.reference.trace import ClauseTrace, MatchDetail, StatementTrace
from iameval.reference.variables import Var, resolve, substitution

__all__ = ["StatementMatch", "match_statement", "trace_statement"]


@dataclass(frozen=True)
class StatementMatch:
    """The outcome for one statement: ``applies`` (R7) and, for Principal statements, how the caller was named."""

    applies: bool
    namings: frozenset[str]
    missing_keys: tuple[str, ...]


def matching_action(statement: Statement, action: str) -> str | None:
    """R3: the first Action/NotAction pattern that matches ``action`` (``None``: none does).

    ``service:Name`` compared case-insensitively with ``*``/``?``: both sides are lower-cased already (actions
    when the policy is read, the request action when it is read).
    """
    return next((pattern for pattern in statement.actions if glob_match(pattern, action)), None)


def action_matches(statement: Statement, action: str) -> bool:
    """R3: an Action list matches when one of its patterns does; NotAction matches every action not listed."""
    return (matching_action(statement, action) is not None) != statement.not_action


def deciding_resource(statement: Statement, req: ReadRequest, resource_based: bool) -> ResourceEntry | None:
    """R4 with R13: the first Resource/NotResource entry that decides (``None``: none does).

    For Resource: the first entry that matches the request resource. For NotResource: the first entry that
    matches it, or whose variable cannot be resolved (R13 Decision, fail closed: such an entry leaves the
    NotResource list unsatisfied). An entry with a variable before the fifth colon matches nothing (R13), and
    in a Resource list an entry with an unresolvable variable matches nothing.
    """
    for entry in statement.resources or ():
        if entry.dead:
            continue  # a variable before the fifth colon is not substituted: the entry matches nothing (R13)
        parts = resolve(entry.template, req.context)
        if parts is None:
            if statement.not_resource:
                return entry
            continue
        if resource_match(parts, req.resource, resource_based=resource_based):
            return entry
    return None


def resource_matches(statement: Statement, req: ReadRequest, resource_based: bool) -> bool:
    """R4 with R13: Resource / NotResource against the request resource.

    No Resource element (a role trust policy): the statement is about the resource it is attached to.
    Otherwise a Resource list is satisfied when an entry decides (matches), a NotResource list when none does
    (:func:`deciding_resource`).
    """
    if statement.resources is None:
        return True
    return (deciding_resource(statement, req, resource_based) is not None) != statement.not_resource


def principal_namings(statement: Statement, req: ReadRequest, has_boundary: bool) -> frozenset[str] | None:
    """R5/R6: how the statement's Principal names the caller; ``None`` when it does not apply to the caller.

    Statements without a principal element (identity-side policies) apply to the caller: ``{"implicit"}``.
    A NotPrincipal statement names everyone not listed (``{"not_principal"}``, R18 treats it as ``"*"``); a
    Deny with NotPrincipal always applies to a caller with a permissions boundary (R6).
    """
    spec = statement.principal
    if spec is None:
        return frozenset({"implicit"})
    if statement.not_principal:
        if statement.effect == "Deny" and has_boundary:
            return frozenset({"not_principal"})
        if exempt_from_not_principal(spec, req.caller):
            return None
        return frozenset({"not_principal"})
    found = namings(spec, req.caller)
    return frozenset(found) if found else None


def _missing_keys(statement: Statement, req: ReadRequest) -> tuple[str, ...]:
    """Condition keys and variables without default that the statement asks for and the context lacks."""
    out: list[str] = []
    for clause in statement.conditions:
        if clause.key_lower not in req.context:
            out.append(clause.key)
        out.extend(v.name for v in clause_variables(clause) if _unresolvable(v, req))
    for entry in statement.resources or ():
        out.extend(p.name for p in entry.template if isinstance(p, Var) and _unresolvable(p, req))
    return tuple(out)


def _unresolvable(var: Var, req: ReadRequest) -> bool:
    return var.default is None and var.key not in req.context


def match_statement(
    statement: Statement, req: ReadRequest, *, resource_based: bool, has_boundary: bool
) -> StatementMatch | None:
    """R7: a statement applies when action, resource, principal (where present) and all conditions match.

    Returns ``None`` when the action or the principal does not match (the statement is not about this
    request at all); otherwise a :class:`StatementMatch` whose ``missing_keys`` lists what it asked for.
    """
    if not action_matches(statement, req.action):
        return None
    named = principal_namings(statement, req, has_boundary)
    if named is None:
        return None
    missing = _missing_keys(statement, req)
    applies = resource_matches(statement, req, resource_based) and all(
        clause_holds(clause, req.context) for clause in statement.conditions
    )
    return StatementMatch(applies, named, missing)


# -- the trace (issue 8) ----------------------------------------------------------------------------------------


def action_detail(statement: Statement, action: str) -> MatchDetail:
    """R3 for the trace: whether Action/NotAction is satisfied, and the first pattern that matches the action
    (lower-cased, as stored); for NotAction that pattern is what excludes the request."""
    pattern = matching_action(statement, action)
    return MatchDetail((pattern is not None) != statement.not_action, pattern)


def resource_detail(statement: Statement, req: ReadRequest, resource_based: bool) -> MatchDetail:
    """R4/R13 for the trace: whether Resource/NotResource is satisfied, and the entry that decided, as written.

    No Resource element (a trust policy): satisfied, no pattern.
    """
    if statement.resources is None:
        return MatchDetail(True, None)
    entry = deciding_resource(statement, req, resource_based)
    return MatchDetail((entry is not None) != statement.not_resource, None if entry is None else entry.text)


def principal_detail(statement: Statement, req: ReadRequest, has_boundary: bool) -> MatchDetail | None:
    """R5/R6 for the trace: ``None`` without a Principal/NotPrincipal element; otherwise whether the statement
    applies to the caller (:func:`principal_namings`, the R6 boundary rule included) and, for Principal, the
    first entry that names the caller (NotPrincipal: no pattern)."""
    spec = statement.principal
    if spec is None:
        return None
    matched = principal_namings(statement, req, has_boundary) is not None
    return MatchDetail(matched, None if statement.not_principal else naming_entry(spec, req.caller))


def request_values(clause: Clause, context: Context) -> tuple[str, ...] | None:
    """R2 for the trace: the request's values of the clause's key; ``None`` when the key is missing (R9)."""
    value = context.get(clause.key_lower)
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def clause_substitutions(clause: Clause, context: Context) -> tuple[tuple[str, str | None], ...]:
    """R13 for the trace: each distinct variable of the clause's values (String and Arn operators only), by
    name as written in order of first appearance, with the text substituted (``None``: unresolvable)."""
    seen: dict[str, str | None] = {}
    for var in clause_variables(clause):
        if var.name not in seen:
            seen[var.name] = substitution(var, context)
    return tuple(seen.items())


def clause_trace(clause: Clause, context: Context) -> ClauseTrace:
    """R8-R13 for the trace: one (operator, key) clause, as written, with what the request gave it."""
    return ClauseTrace(
        operator=clause.op.written,
        key=clause.key,
        values=clause.texts,
        request_values=request_values(clause, context),
        variables=clause_substitutions(clause, context),
        result=clause_holds(clause, context),
    )


def trace_statement(
    statement: Statement, policy_index: int, req: ReadRequest, *, resource_based: bool, has_boundary: bool
) -> StatementTrace:
    """R7 in full: every element of the statement against the request, none skipped (no short circuit); the
    statement applies when action, principal (where present), resource and every clause hold."""
    action = action_detail(statement, req.action)
    principal = principal_detail(statement, req, has_boundary)
    resource = resource_detail(statement, req, resource_based)
    conditions = tuple(clause_trace(clause, req.context) for clause in statement.conditions)
    applies = (
        action.matched
        and (principal is None or principal.matched)
        and resource.matched
        and all(c.result for c in conditions)
    )
    return StatementTrace(
        policy_index=policy_index,
        statement_index=statement.index,
        sid=statement.sid,
        effect=statement.effect,
        action=action,
        principal=principal,
        resource=resource,
        conditions=conditions,
        applies=applies,
    )
