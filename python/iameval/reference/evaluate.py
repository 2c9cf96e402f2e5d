"""One statement against one request (IAM_RULES R3, R4, R5-R7, R8-R13): does it apply?

This module knows nothing of Allow vs Deny or of policy types beyond what matching needs; combining the
statements that apply is :mod:`iameval.reference.authorize`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from iameval.reference.conditions import clause_holds, clause_variables
from iameval.reference.pattern import glob_match, resource_match
from iameval.reference.policy import Statement
from iameval.reference.principal import exempt_from_not_principal, namings
from iameval.reference.request import ReadRequest
from iameval.reference.variables import Var, resolve

__all__ = ["StatementMatch", "match_statement"]


@dataclass(frozen=True)
class StatementMatch:
    """The outcome for one statement: ``applies`` (R7) and, for Principal statements, how the caller was named."""

    applies: bool
    namings: frozenset[str]
    missing_keys: tuple[str, ...]


def action_matches(statement: Statement, action: str) -> bool:
    """R3: ``service:Name`` compared case-insensitively with ``*``/``?``; NotAction matches every action not listed.

    Both sides are lower-cased already (actions when the policy is read, the request action when it is read).
    """
    hit = any(glob_match(pattern, action) for pattern in statement.actions)
    return hit != statement.not_action


def resource_matches(statement: Statement, req: ReadRequest, resource_based: bool) -> bool:
    """R4 with R13: Resource / NotResource against the request resource.

    No Resource element (a role trust policy): the statement is about the resource it is attached to.
    A Resource entry whose variable cannot be resolved matches nothing; a NotResource list with such an entry
    is not satisfied (R13 Decision, fail closed).
    """
    if statement.resources is None:
        return True
    hit = False
    for entry in statement.resources:
        if entry.dead:
            continue  # a variable before the fifth colon is not substituted: the entry matches nothing (R13)
        parts = resolve(entry.template, req.context)
        if parts is None:
            if statement.not_resource:
                return False
            continue
        if resource_match(parts, req.resource, resource_based=resource_based):
            hit = True
            if not statement.not_resource:
                return True
    return hit != statement.not_resource


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
