"""``what_can``: which actions of AWS's catalog may this principal do, on ``*`` and on the loaded resources?

The actions are those of the catalog (:func:`iameval.catalog.default_catalog`), optionally of one service
prefix and one access level. Each is asked on ``*`` (what the principal's policies grant on every resource),
and on each loaded resource and IAM entity (:func:`default_resources`; or each of ``resources``) **whose type
the action supports**: the resource's
ARN is typed with ``Catalog.match_resource`` and an action is asked about it when one of the action's resource
types has one of those ARN formats (``sts:AssumeRole`` on a role: the role's trust policy decides, R19;
``iam:PassRole`` on a role). An action with no resource type (``"Resource": "*"`` only) is asked on ``*``
only. S3 object actions need an object ARN: pass ``resources=["arn:aws:s3:::bucket/key"]`` (governed by the
bucket's policy).

Every cell is decided by the engine (:func:`iameval.questions.grid.evaluate_cells`: ``evaluate_grid`` for the
bulk, ``evaluate_many`` for the rows reported). Rows: the allowed cells, and the conditional ones that may
be an Allow with the context keys the question did not give (flagged ``conditional``), ordered by action (in
the order of the actions asked about), then ``*`` before the resources in their order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iameval.account import Principal
from iameval.catalog import Catalog, default_catalog
from iameval.questions.answer import Answers
from iameval.questions.environment import Environment
from iameval.questions.grid import Block, ProgressHook, evaluate_cells

__all__ = ["catalog_actions", "default_resources", "what_can", "what_can_chunk"]


def what_can_chunk(env: Environment, actions: Sequence[str], *, principal: str,
                   resources: Iterable[str] | None = None, context: Mapping[str, Any] | None = None,
                   threads: int | None = None) -> Answers:
    """:func:`what_can` for some actions (a consecutive slice of :func:`catalog_actions`): the question
    :func:`iameval.questions.run` sends to worker processes or a Dask cluster; the chunks' rows, concatenated
    in order, are one run's."""
    return what_can(env, principal, actions=actions, resources=resources, context=context, threads=threads)


def what_can(env: Environment, principal: str | Principal, *, service: str | None = None,
             access_level: str | None = None, resources: Iterable[str] | None = None,
             context: Mapping[str, Any] | None = None, catalog: Catalog | None = None,
             threads: int | None = None, progress: ProgressHook | None = None,
             actions: Sequence[str] | None = None) -> Answers:
    """The actions ``principal`` (a :class:`~iameval.account.Principal`, its ARN or its name) may do (module
    docstring). :class:`~iameval.account.AccountError` for an unknown principal, ``KeyError`` for an unknown
    service, ``ValueError`` for an unknown access level; a principal that is not evaluated is answered with no
    rows and its reason in ``not_evaluated``. ``actions``: these actions instead of the catalog's (sorted as
    :func:`catalog_actions` sorts them; ``service`` and ``access_level`` are then ignored)."""
    who = principal if isinstance(principal, Principal) else env.principal(principal)
    cat = catalog if catalog is not None else default_catalog()
    chosen = tuple(catalog_actions(cat, service, access_level) if actions is None else actions)
    arns = list(dict.fromkeys(resources)) if resources is not None else default_resources(env)
    blocks = [Block(chosen, ("*",)), *_resource_blocks(cat, chosen, arns)]
    answers = evaluate_cells(env, [who], blocks, context, threads=threads, progress=progress)
    order = {arn: i for i, arn in enumerate(["*", *arns])}
    position = {a: i for i, a in enumerate(chosen)}
    rows = sorted(answers, key=lambda a: (position.get(a.action, len(position)), order.get(a.resource, len(order))))
    return Answers(rows, answers.not_evaluated)


def default_resources(env: Environment) -> list[str]:
    """The resources ``what_can`` asks about by default: every loaded resource (resource policies, roles with
    their trust policy), then the other IAM entities of the loaded accounts, which have no resource policy
    but are what IAM actions act on (users, groups, customer managed policies: ``iam:CreateAccessKey`` on
    ``user/${aws:username}``, ``iam:CreatePolicyVersion`` on a policy)."""
    found = dict.fromkeys(r.arn for r in env.resources.values())
    for account in env.accounts:
        for principal in account.principals:
            found.setdefault(principal.arn)
        for group in account.groups.values():
            found.setdefault(group.arn)
        for policy in account.managed_policies.values():
            if not policy.aws_managed:
                found.setdefault(policy.arn)
    return list(found)


def catalog_actions(catalog: Catalog, service: str | None = None, access_level: str | None = None) -> list[str]:
    """The catalog's actions, of one service prefix and access level if given, sorted."""
    if service is not None:
        return catalog.actions(service, access_level)
    found: list[str] = []
    for prefix in catalog.services():
        found.extend(catalog.actions(prefix, access_level))
    return sorted(found, key=str.lower)


def _resource_blocks(catalog: Catalog, actions: Sequence[str], arns: Sequence[str]) -> list[Block]:
    """The resources grouped by the actions (of ``actions``) their type supports: one block per group."""
    by_format = _format_index(catalog)
    position = {a: i for i, a in enumerate(actions)}
    by_formats: dict[frozenset[str], tuple[str, ...]] = {}
    groups: dict[tuple[str, ...], list[str]] = {}
    for arn in arns:
        formats = frozenset(f for t in catalog.match_resource(arn) for f in t.arn_formats)
        key = by_formats.get(formats)
        if key is None:
            supported = {a for f in formats for a in by_format.get(f, ()) if a in position}
            key = by_formats[formats] = tuple(sorted(supported, key=position.__getitem__))
        if key:
            groups.setdefault(key, []).append(arn)
    return [Block(key, tuple(found)) for key, found in groups.items()]


_LOCK = threading.Lock()
_INDEX: dict[int, tuple[Catalog, dict[str, frozenset[str]]]] = {}


def _format_index(catalog: Catalog) -> dict[str, frozenset[str]]:
    """ARN format -> the actions having a resource type of that format (built once per catalog)."""
    with _LOCK:
        hit = _INDEX.get(id(catalog))
        if hit is not None and hit[0] is catalog:
            return hit[1]
    index: dict[str, set[str]] = {}
    for prefix in catalog.services():
        for name in catalog.actions(prefix):
            info = catalog.action(name)
            if info is None:
                continue
            for rt in info.resource_types:
                for fmt in rt.arn_formats:
                    index.setdefault(fmt, set()).add(name)
    frozen = {k: frozenset(v) for k, v in index.items()}
    with _LOCK:
        if len(_INDEX) > 8:
            _INDEX.clear()
        _INDEX[id(catalog)] = (catalog, frozen)
    return frozen

