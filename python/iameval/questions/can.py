"""``can``: may this principal do this action on this resource, and why?

Built from the loaded environment automatically (:class:`~iameval.questions.environment.Environment`): the
principal's policies and boundary, its tags as ``aws:PrincipalTag/...`` context, the resource's policy and
owner account, the SCP levels of the principal's account and the RCP levels of the resource's account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iameval.account import Organization, Principal
from iameval.engine import Result
from iameval.questions.answer import Answer, Answers, PolicyRef
from iameval.questions.environment import Environment, Subject

__all__ = ["answer_of", "can", "can_each"]


def can(env: Environment, principal: str | Principal, action: str, resource: str,
        context: Mapping[str, Any] | None = None) -> Answer:
    """The decision for ``principal`` (a :class:`~iameval.account.Principal`, its ARN or its name) doing
    ``action`` on ``resource`` (an ARN, or ``*``), with ``context`` keys over the ones AWS sets for the
    principal. :class:`~iameval.account.AccountError` for an unknown principal or one that is not evaluated
    (the error says why); :class:`~iameval.errors.RequestError` for a malformed action or context value."""
    who = principal if isinstance(principal, Principal) else env.principal(principal)
    subject = env.subject(resource, action)
    policy_set = env.policy_set(who, subject)
    result = policy_set.evaluate(env.request(who, action, subject, context))
    return answer_of(env, who, action, subject, result)


def can_each(env: Environment, principals: Sequence[str], action: str, resource: str,
             context: Mapping[str, Any] | None = None) -> Answers:
    """:func:`can` for each principal (ARNs or names), in order; a principal that is not evaluated goes to
    ``Answers.not_evaluated`` with the reason. A module-level function, so that
    ``functools.partial(can_each, action=..., resource=...)`` is a question :func:`iameval.questions.scale.run`
    can send to worker processes or a Dask cluster."""
    rows: list[Answer] = []
    skipped: list[tuple[str, str]] = []
    subject = env.subject(resource, action)
    for name in principals:
        who = env.principal(name)
        reason = who.error
        if reason is not None:
            skipped.append((who.arn, reason))
            continue
        result = env.policy_set(who, subject).evaluate(env.request(who, action, subject, context))
        rows.append(answer_of(env, who, action, subject, result))
    return Answers(rows, skipped)


def answer_of(env: Environment, principal: Principal, action: str, subject: Subject, result: Result) -> Answer:
    """An :class:`Answer` from the engine's result, its matched statements named after the policies of the
    environment (inline policy, managed policy ARN, SCP/RCP id and name, resource ARN)."""
    refs = tuple(PolicyRef(m.policy_type, _policy_name(env, principal, subject, m.policy_type, m.level,
                                                      m.policy_index),
                           m.statement_index, m.sid, m.effect) for m in result.matched)
    return Answer(principal.arn, action, subject.arn, str(result.decision), result.decided_by,
                  tuple(result.missing_context_keys), refs)


def _policy_name(env: Environment, principal: Principal, subject: Subject, policy_type: str, level: int | None,
                 index: int) -> str:
    if policy_type == "identity" and 0 <= index < len(principal.policies):
        return principal.policies[index].label
    if policy_type == "permission_boundary" and principal.boundary is not None:
        return principal.boundary.arn or principal.boundary.name
    if policy_type == "resource" and subject.resource is not None:
        return subject.resource.arn
    org = env.organization
    if policy_type in ("scp", "rcp") and org is not None and level is not None:
        account = principal.account_id if policy_type == "scp" else (subject.owner_account or principal.account_id)
        found = _level_policy(org, account, policy_type.upper(), level, index)
        if found is not None:
            return found
    return f"{policy_type}[{level}][{index}]" if level is not None else f"{policy_type}[{index}]"


def _level_policy(org: Organization, account: str, kind: str, level: int, index: int) -> str | None:
    """``p-id (Name)`` of the ``index``-th policy of ``kind`` at ``level`` of ``account``'s path, as
    :meth:`Organization.scp_levels` / ``rcp_levels`` order them."""
    if account not in org:
        return None
    levels = org.level_policies(account, kind)  # type: ignore[arg-type]
    if levels is None or not 0 <= level < len(levels) or not 0 <= index < len(levels[level]):
        return None
    policy = levels[level][index]
    return f"{policy.id} ({policy.name})" if policy.name else policy.id
