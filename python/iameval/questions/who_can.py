"""``who_can``: which principals may do this action on this resource?

Two kinds of principals are asked about, each in its own **scope** (:func:`scope_of`):

- ``loaded``: every user and role of the loaded accounts, decided exactly (identity policies, groups,
  boundary, tags as context, the SCP levels of its account, the resource's policy and the RCP levels of its
  owner account, IAM_RULES R14-R21) through :func:`iameval.questions.grid.evaluate_cells`.
- principals **outside** the loaded accounts that the resource's policy names in an ``Allow`` statement
  (``Principal`` entries: other accounts and their roots, users, roles and sessions, ``*``, service
  principals, federated identity providers, canonical users; an ``Allow`` with ``NotPrincipal`` names
  ``*``). Their own account was not loaded, so only the resource side is known:

  - ``external: identity side not loaded`` (IAM principals of an account, or an ARN, that is not loaded):
    evaluated by the same engine with the resource's policy, the resource owner's RCPs, the SCPs of their
    account when the organization has it, and in place of their unknown identity policies one that allows
    everything. An ``Allow`` here means **allowed by the resource side, if their own account's identity
    policies (and SCPs) allow it too** (R21), never a certainty; an explicit deny is certain. The answer's
    ``decided_by`` says so and its identity statement is named ``(not loaded: assumed to allow)``.
  - ``external: no identity side``: ``*`` (evaluated as the anonymous caller: what anyone gets, keys such as
    ``aws:PrincipalOrgID`` it asks for make it conditional), service principals, canonical users and
    federated identity providers: no identity policy applies to them, so the resource side is the whole
    decision and the answer is exact.

  A named account that is loaded (its id or root) is not listed again: its users and roles are the loaded
  principals (delegation, R18/R21). Root users are not listed unless named by an account outside.

Conditional answers (``missing_context_keys``) are kept when they may be an Allow with the keys
(:func:`iameval.questions.grid.may_allow`), flagged ``conditional``; ``include_denied=True`` lists every
principal asked about.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from iameval.account import AccountError, AttachedPolicy, Principal, PrincipalKind
from iameval.questions.answer import Answer, Answers, PolicyRef
from iameval.questions.environment import Environment
from iameval.questions.grid import Block, ProgressHook, evaluate_cells
from iameval.reference.request import classify_principal

__all__ = ["EXTERNAL_IDENTITY_UNKNOWN", "EXTERNAL_NO_IDENTITY", "LOADED", "named_principals", "scope_of",
           "who_can", "who_can_chunk"]

LOADED = "loaded"
EXTERNAL_IDENTITY_UNKNOWN = "external: identity side not loaded"
EXTERNAL_NO_IDENTITY = "external: no identity side"
ASSUMED = "(not loaded: assumed to allow)"

_ALLOW_ALL: dict[str, Any] = {"Version": "2012-10-17",
                              "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def who_can_chunk(env: Environment, principals: Sequence[str], *, action: str, resource: str,
                  context: Mapping[str, Any] | None = None, include_denied: bool = False) -> Answers:
    """:func:`who_can` for some loaded principals (ARNs) and no external one: the question
    :func:`iameval.questions.run` sends to worker processes or a Dask cluster, chunk by chunk."""
    return who_can(env, action, resource, context, include_denied=include_denied, principals=principals,
                   external=False)


def who_can(env: Environment, action: str, resource: str, context: Mapping[str, Any] | None = None, *,
            include_denied: bool = False, threads: int | None = None,
            progress: ProgressHook | None = None, principals: Sequence[str] | None = None,
            external: bool = True) -> Answers:
    """Every principal allowed ``action`` on ``resource`` (or conditionally allowed), loaded ones first in the
    environment's order, then those the resource's policy names, in the policy's order (module docstring).
    :class:`~iameval.account.AccountError` when the resource's policy is not evaluated;
    :class:`~iameval.errors.RequestError` for a malformed action or context value. ``principals``: only these
    loaded principals (ARNs or names; default all); ``external=False``: no principal outside the loaded
    accounts (a run in chunks asks about them once, apart)."""
    subject = env.subject(resource, action)
    if subject.resource is not None and subject.resource.error is not None:
        raise AccountError("", "", f"the policy of `{subject.resource.arn}` is not evaluated: "
                           f"{subject.resource.error}")
    externals: list[Principal] = []
    bad: list[tuple[str, str]] = []
    if external and subject.resource is not None:
        for arn in named_principals(env, subject.resource.policy):
            made = _external(arn)
            if isinstance(made, str):
                bad.append((arn, made))
            else:
                externals.append(made)
    loaded_ones = env.principals if principals is None else tuple(env.principal(p) for p in principals)
    asked = [*loaded_ones, *externals]
    answers = evaluate_cells(env, asked, [Block((action,), (resource,))], context,
                             keep="all" if include_denied else "reported", threads=threads, progress=progress)
    loaded = {p.arn for p in env.principals}
    rows = [a if a.principal in loaded else _mark_external(a) for a in answers]
    return Answers(rows, [*answers.not_evaluated, *bad])


def scope_of(env: Environment, principal: str) -> str:
    """``loaded``, ``external: identity side not loaded`` or ``external: no identity side`` (module
    docstring) for a principal ARN of a ``who_can`` answer."""
    if any(p.arn == principal for p in env.principals):
        return LOADED
    caller = classify_principal(principal)
    return EXTERNAL_IDENTITY_UNKNOWN if caller is not None and caller.is_iam else EXTERNAL_NO_IDENTITY


def named_principals(env: Environment, policy: Any) -> list[str]:
    """The principals an ``Allow`` statement of a resource policy names that are not loaded: ARNs as written
    (an account id becomes its root ARN), ``*``, service names, federated providers, canonical user ids; each
    once, in order. Principals of the loaded accounts are left out (they are asked about as loaded ones)."""
    loaded_accounts = env.account_ids()
    loaded = {p.arn for p in env.principals}
    found: dict[str, None] = {}
    for entry in _allow_principals(policy):
        if entry.isdigit() and len(entry) == 12:
            entry = f"arn:aws:iam::{entry}:root"
        if entry in loaded:
            continue
        fields = entry.split(":")
        if len(fields) == 6 and fields[2] == "iam" and fields[5] == "root" and fields[4] in loaded_accounts:
            continue
        found.setdefault(entry, None)
    return list(found)


def _allow_principals(policy: Any) -> Iterator[str]:
    doc = json.loads(policy) if isinstance(policy, (str, bytes)) else policy
    if not isinstance(doc, Mapping):
        return
    statements = doc.get("Statement", [])
    for st in [statements] if isinstance(statements, Mapping) else statements:
        if not isinstance(st, Mapping) or st.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in st:
            yield "*"
        spec = st.get("Principal")
        if spec == "*":
            yield "*"
        elif isinstance(spec, Mapping):
            for kind in ("AWS", "Service", "Federated", "CanonicalUser"):
                value = spec.get(kind, [])
                yield from [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _external(arn: str) -> Principal | str:
    """A stand-in principal for ``arn``: no identity policy for a caller that has none, an allow-everything
    one for an IAM principal whose account is not loaded; or why ``arn`` cannot be a caller."""
    caller = classify_principal(arn)
    if caller is None:
        return ("not a principal a request can have (AWS compares principal ARNs exactly: a wildcard inside "
                "one names nobody)")
    policies: tuple[AttachedPolicy, ...] = ()
    if caller.is_iam:
        policies = (AttachedPolicy("inline", ASSUMED, _ALLOW_ALL, ""),)
    name = arn.rsplit("/", 1)[-1]
    kind: PrincipalKind = "role" if caller.kind in ("role", "session") else "user"
    return Principal(arn, kind, name, "/", caller.account or "", policies)


def _mark_external(answer: Answer) -> Answer:
    """An answer about a principal outside the loaded accounts: its stand-in identity statement named as an
    assumption, ``decided_by`` marked when its identity side is unknown."""
    caller = classify_principal(answer.principal)
    if caller is None or not caller.is_iam:
        return replace(answer, decided_by=f"{answer.decided_by} ({EXTERNAL_NO_IDENTITY})")
    refs = tuple(PolicyRef("identity", ASSUMED, 0, None, m.effect) if m.policy_type == "identity" else m
                 for m in answer.matched)
    return replace(answer, decided_by=f"{answer.decided_by} ({EXTERNAL_IDENTITY_UNKNOWN})", matched=refs)


def scopes(env: Environment, answers: Sequence[Answer]) -> list[str]:
    """:func:`scope_of` for each answer."""
    loaded = {p.arn for p in env.principals}
    return [LOADED if a.principal in loaded else scope_of(env, a.principal) for a in answers]
