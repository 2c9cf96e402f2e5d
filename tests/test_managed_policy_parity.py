"""Every AWS managed policy (``../shared/data/aws-managed-policies``): both engines agree on sampled requests.

For each policy, a deterministic sample of requests (seeded by ``zlib.crc32`` of the file name) is built from
the policy itself and AWS's service authorization reference (``../shared/data/service-reference``, see
``tests/service_reference.py``): actions are the policy's Action patterns expanded against the catalog's action
names (random catalog actions for ``*`` and NotAction), resources are the catalog's ARN formats of a resource
type the action supports, filled with plausible values, or the policy's own Resource patterns concretized so
that they match; the context holds some of the policy's condition keys with values taken from its condition
values (so conditions sometimes hold), policy variables and the keys AWS sets for the principal. The Rust
engine (``evaluate_many``) and the reference must give identical ``to_dict()`` for every request, and the
sampling must actually reach ``Allow`` for a good share of the requests.

Skipped when ``../shared/data`` is not checked out.
"""

from __future__ import annotations

import json
import random
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import iameval
import iameval.reference as reference
import pytest
from iameval import PolicyError, RequestError
from service_reference import (
    ACCOUNT,
    PRINCIPALS,
    Catalog,
    Service,
    as_list,
    concretize,
    concretize_arn,
    is_set_operator,
    random_name,
)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
POLICY_DIR = DATA / "aws-managed-policies"
CATALOG_DIR = DATA / "service-reference"

if not POLICY_DIR.is_dir() or not CATALOG_DIR.is_dir():
    pytest.skip(f"managed policies / service reference not present under {DATA}", allow_module_level=True)

RUST: Any = iameval.PolicySet
REF: Any = reference.PolicySet
pytestmark = pytest.mark.skipif(RUST is REF, reason="iameval.PolicySet is still the reference")

REQUESTS_PER_POLICY = 20
POLICY_NAMES = sorted(p.name for p in POLICY_DIR.glob("*.json"))


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return Catalog.load(CATALOG_DIR)


# -- request generation --------------------------------------------------------------------------------------


def _statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in as_list(doc.get("Statement", [])) if isinstance(s, dict)]


def _pick_action(rng: random.Random, stmt: dict[str, Any]) -> tuple[Service | None, str]:
    cat = catalog()
    if "NotAction" in stmt:
        excluded = [a for a in as_list(stmt["NotAction"]) if isinstance(a, str)]
        if excluded and rng.random() < 0.3:  # an excluded action: the statement must not apply
            hits = cat.expand(rng.choice(excluded))
            if hits:
                service, name = rng.choice(hits)
                return service, f"{service.prefix}:{name}"
        service, name = cat.random_action(rng)
        return service, f"{service.prefix}:{name}"
    patterns = [a for a in as_list(stmt.get("Action", [])) if isinstance(a, str)]
    if not patterns or rng.random() < 0.05:
        service, name = cat.random_action(rng)
        return service, f"{service.prefix}:{name}"
    pattern = rng.choice(patterns)
    if pattern == "*":
        service, name = cat.random_action(rng)
        return service, f"{service.prefix}:{name}"
    hits = cat.expand(pattern)
    if hits:
        service, name = rng.choice(hits)
        # Sometimes keep the policy's spelling (case) or vary it: action names match case-insensitively.
        action = f"{service.prefix}:{name}"
        if rng.random() < 0.1:
            action = action.upper() if rng.random() < 0.5 else action.lower()
        return service, action
    # Not in the catalog (retired or newer action): use the pattern itself, wildcards filled.
    prefix, _, name = concretize(rng, pattern, {}).partition(":")
    return None, f"{prefix or random_name(rng)}:{name or random_name(rng)}"


def _pick_resource(
    rng: random.Random, stmt: dict[str, Any], service: Service | None, action: str, variables: dict[str, str]
) -> str:
    patterns = [r for r in as_list(stmt.get("Resource", stmt.get("NotResource", []))) if isinstance(r, str)]
    concrete = [r for r in patterns if r != "*"]
    roll = rng.random()
    if concrete and roll < 0.5:
        return concretize_arn(rng, rng.choice(concrete), variables)
    if 0.5 <= roll < 0.6:
        return "*"
    name = action.partition(":")[2]
    real = service.lower.get(name.lower()) if service is not None else None
    return catalog().resource_for(rng, service, real)


def _condition_value(rng: random.Random, operator: str, values: list[Any], variables: dict[str, str]) -> str:
    op = operator.lower()
    if rng.random() < 0.75 and values:
        value = rng.choice(values)
        text = value if isinstance(value, str) else json.dumps(value)
        if "like" in op or "arn" in op or "${" in text:
            return (
                concretize_arn(rng, text, variables)
                if text.startswith("arn:")
                else concretize(rng, text, variables)
            )
        return text
    if "bool" in op or op.startswith("null"):
        return rng.choice(("true", "false"))
    if op.startswith(("arn", "forallvalues:arn", "foranyvalue:arn")):
        return f"arn:aws:iam::{ACCOUNT}:role/{random_name(rng)}"
    return random_name(rng)


def _context(
    rng: random.Random, doc_conditions: list[tuple[str, str, list[Any]]], stmt: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    context: dict[str, Any] = {}
    variables: dict[str, str] = {}
    own = [
        (op, key, as_list(values))
        for op, block in (stmt.get("Condition") or {}).items()
        if isinstance(block, dict)
        for key, values in block.items()
    ]
    chosen = [c for c in own if rng.random() < 0.8]
    if doc_conditions:
        chosen += rng.sample(doc_conditions, min(len(doc_conditions), rng.randint(0, 2)))
    seen = set()
    for op, key, values in chosen:
        if key.lower() in seen:
            continue
        seen.add(key.lower())
        if op.lower().startswith("null") and rng.random() < 0.4:
            continue  # absent key: Null "true" holds
        if is_set_operator(op) or rng.random() < 0.05:
            context[key] = [_condition_value(rng, op, values, variables) for _ in range(rng.randint(0, 3))]
        else:
            context[key] = _condition_value(rng, op, values, variables)
    return context, variables


def _requests(name: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(zlib.crc32(name.encode()))
    statements = _statements(doc)
    doc_conditions = [
        (op, key, as_list(values))
        for stmt in statements
        for op, block in (stmt.get("Condition") or {}).items()
        if isinstance(block, dict)
        for key, values in block.items()
    ]
    requests: list[dict[str, Any]] = []
    for _ in range(REQUESTS_PER_POLICY):
        stmt = rng.choice(statements) if statements else {}
        principal, role_arn = rng.choice(PRINCIPALS)
        context, variables = _context(rng, doc_conditions, stmt)
        service, action = _pick_action(rng, stmt)
        resource = _pick_resource(rng, stmt, service, action, variables)
        lowered = {k.lower() for k in context}
        for key, value in variables.items():  # policy variables of the Resource/condition values
            if key.lower() not in lowered and rng.random() < 0.7:
                context[key] = value
                lowered.add(key.lower())
        if rng.random() < 0.6:
            for key, value in iameval.principal_context(principal, role_arn=role_arn).items():
                if key.lower() not in lowered:
                    context[key] = value
        if rng.random() < 0.3 and "aws:requestedregion" not in lowered:
            context["aws:RequestedRegion"] = rng.choice(("us-east-1", "eu-west-1"))
        requests.append({"principal": principal, "action": action, "resource": resource, "context": context})
    return requests


# -- comparison ----------------------------------------------------------------------------------------------


def _outcome(ps: Any, request: dict[str, Any]) -> Any:
    try:
        return ps.evaluate(request).to_dict()
    except RequestError as exc:
        return ("RequestError", [(e["type"], e["pointer"]) for e in exc.errors()])


@dataclass
class PolicyOutcome:
    requests: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    divergences: list[tuple[dict[str, Any], Any, Any]] = field(default_factory=list)


@cache
def compare(name: str) -> PolicyOutcome:
    doc = json.loads((POLICY_DIR / name).read_text(encoding="utf-8"))
    outcome = PolicyOutcome()
    try:
        rust_ps = RUST(identity=[doc])
    except PolicyError as exc:
        rust_error = [(e["type"], e["pointer"]) for e in exc.errors()]
        with pytest.raises(PolicyError) as ref_exc:
            REF(identity=[doc])
        assert [(e["type"], e["pointer"]) for e in ref_exc.value.errors()] == rust_error
        return outcome
    ref_ps = REF(identity=[doc])
    requests = _requests(name, doc)
    try:
        rust = [r.to_dict() for r in rust_ps.evaluate_many(requests)]
    except RequestError:
        rust = [_outcome(rust_ps, r) for r in requests]
    ref = [_outcome(ref_ps, r) for r in requests]
    outcome.requests = len(requests)
    for request, r, p in zip(requests, rust, ref, strict=True):
        outcome.decisions[r["decision"] if isinstance(r, dict) else "RequestError"] += 1
        if r != p:
            outcome.divergences.append((request, r, p))
    return outcome


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_managed_policy_parity(name: str) -> None:
    outcome = compare(name)
    if outcome.divergences:
        request, rust, ref = outcome.divergences[0]
        pytest.fail(
            f"{len(outcome.divergences)} of {outcome.requests} requests differ; first:\n"
            f"request: {json.dumps(request)}\nrust:      {json.dumps(rust)}\nreference: {json.dumps(ref)}"
        )


def test_sampling_reaches_allow() -> None:
    """The sample is useful: across all policies many requests are allowed and many are not."""
    totals: Counter[str] = Counter()
    policies_with_allow = 0
    for name in POLICY_NAMES:
        outcome = compare(name)
        totals.update(outcome.decisions)
        policies_with_allow += outcome.decisions["Allow"] > 0
    total = sum(totals.values())
    assert total >= REQUESTS_PER_POLICY * len(POLICY_NAMES) * 0.9, totals
    assert totals["Allow"] >= total * 0.2, totals
    assert totals["ImplicitDeny"] + totals["ExplicitDeny"] >= total * 0.1, totals
    assert policies_with_allow >= len(POLICY_NAMES) * 0.6, (policies_with_allow, totals)
