"""``external_access``: which loaded resources let someone outside the account or the organization in?

The findings of IAM Access Analyzer's external access analyzer, computed offline and decided by the engine.
For every loaded resource with a resource-based policy (bucket, key, queue, topic, function, secret,
repository, and every role's trust policy) the policy is evaluated, with the RCP levels of its owner account
(R16), for **candidate external principals** built from the policy:

- the anonymous caller ``*`` and a synthetic principal of an unrelated account (public access, R5);
- every account, user, role or session the policy names (``Principal`` and ``NotPrincipal``, and literal
  values of ``aws:PrincipalAccount`` / ``aws:PrincipalArn`` conditions); an account is tried through its root
  user and through an ordinary role of it, as ``NotPrincipal`` treats them differently (R6);
- every ``Service``, ``Federated`` and ``CanonicalUser`` principal it names.

**Identity side.** An IAM principal of another account also needs an identity Allow of its own account (R21),
which the export of *our* accounts cannot show: like Access Analyzer, which "does not consider the state of
any external accounts", the other account is **assumed to allow** (an ``Allow *`` identity policy is added for
it; :attr:`Finding.identity_side` says ``assumed``). The anonymous caller, service principals and federated
identity providers have no identity side (``none``).

**Actions.** The actions tried are the catalog's actions (:func:`iameval.catalog.default_catalog`) of the
resource's service that apply to its resource type (``sts`` role actions for a trust policy; for a bucket, the
bucket's and its objects' actions, objects named after the policy's ``Resource`` patterns): ``s3:*`` is
decided action by action. A finding lists the allowed actions, the policy's ``Action`` patterns that granted
them (:attr:`Finding.patterns`) and their count.

**Conditions.** Context keys that a candidate certainly lacks are known (the anonymous caller has no
``aws:PrincipalAccount``; an IAM principal has no ``aws:SourceArn``); every other key a deciding statement
asks for and the question did not give (``context``) makes the finding **conditional**, with the keys
(``aws:SourceIp``, ``sts:ExternalId``, ``SAML:aud``, ...). A denied cell is still a finding when the trace
shows an Allow statement of the resource policy that matched but for clauses on such missing keys, and no
Deny that applies regardless of them. The organization keys ``aws:PrincipalOrgID`` / ``aws:PrincipalOrgPaths``
of an outside principal are tried absent, set to a synthetic foreign organization, and set to each literal
value the policy or the RCPs name (except the organization's own id, ``org_id``): access that needs one of
those literals is conditional on the key, the value is in :attr:`Finding.assumed`.

**Categories** (:attr:`Finding.category`): ``public`` (the anonymous caller or any AWS account),
``cross-account`` (a named account inside the organization, or any other account when no organization is
loaded), ``outside-organization`` (a named account not in the loaded organization), ``federated`` (an
identity provider: SAML, OIDC, web identity), ``service`` (an AWS service principal). The **zone of trust**
is the organization when one is loaded, else the resource's account (``zone``): cross-account access inside
the organization is reported only with ``zone="account"``.

**Service principals.** Access Analyzer names the principal of a finding by ``AWS``, ``Federated`` or
``CanonicalUser`` (its filter keys ``principal.AWS``, ``principal.Federated``): a grant to an AWS service
principal is not external access for it. We report it in the separate ``service`` category so that the
confused-deputy risk stays visible: unconditional when the grant does not pin ``aws:SourceAccount`` /
``aws:SourceArn`` / ``aws:SourceOrgID`` (the service may act for any account: ``assumed`` says
``on behalf of any account``), conditional on those keys when it does. Leave the category out with
``categories``.

**Differences from Access Analyzer**: RCPs are applied (AA reports them as ``APPLICABLE``, not applied); S3
Block Public Access, ACLs and access points are not loaded, so they are not considered.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from iameval import PolicySet, Request, principal_context
from iameval._core import wildcard_match
from iameval.account import Resource
from iameval.catalog import Catalog, default_catalog
from iameval.errors import PolicyError, RequestError
from iameval.questions.answer import FIELDS, Answer, Answers, PolicyRef, Table
from iameval.questions.environment import Environment
from iameval.reference.result import Result
from iameval.reference.trace import ClauseTrace, StatementTrace

__all__ = ["CATEGORIES", "EXTRA_FIELDS", "Finding", "Findings", "external_access", "external_chunk"]

Category = Literal["public", "cross-account", "outside-organization", "federated", "service"]
#: the categories of a finding, in report order
CATEGORIES: tuple[Category, ...] = ("public", "outside-organization", "cross-account", "federated", "service")
#: the columns a finding adds to the common answer row (JSON keys, CSV columns after :data:`FIELDS`)
EXTRA_FIELDS = ("category", "principal_kind", "resource_type", "owner_account", "identity_side", "action_count",
                "actions", "patterns", "assumed")

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
_SOURCE_KEYS = frozenset({"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"})
_ORG_KEYS = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths")
#: keys of an authenticated principal: absent for the anonymous caller (and, but for the source keys, for a
#: service principal); ``aws:PrincipalTag/`` is a prefix
_PRINCIPAL_KEYS = frozenset({
    "aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
    "aws:username", "aws:principalisawsservice", "aws:principalservicename", "aws:principalservicenameslist",
    "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:tokenissuetime", "aws:sourceidentity",
    "aws:federatedprovider", "aws:viaawsservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast",
    "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4", "aws:principaltag/",
}) | _SOURCE_KEYS
_ACCOUNT = re.compile(r"^\d{12}\Z")
_FOREIGN_ORG = "o-iamevalforeign"
_SYNTHETIC_ROLE = "iameval-external-principal"
_OBJECT_KEY = "iameval-object"


# -- the findings ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """Access from outside the zone of trust to one resource, for one principal (module docstring).

    ``principal``: as the policy names it (``*`` for the anonymous caller, ``arn:...:root`` for an account, a
    role or user ARN, a service or identity provider), or ``any principal of any AWS account`` for the
    synthetic one; ``principal_kind``: ``anonymous``, ``any-account``, ``account``, ``role``, ``user``,
    ``session``, ``service``, ``federated``, ``canonical``. ``decision``: ``Allow``, or the decision without
    the condition keys (a conditional finding whose Allow needs them). ``actions``: the allowed actions
    (sorted), ``patterns``: the ``Action`` / ``NotAction`` patterns of the granting statements.
    ``condition_keys``: empty for unconditional access. ``assumed``: what was assumed of the principal (an
    organization id it must have, a service acting for any account).
    """

    resource: str
    resource_type: str
    owner_account: str
    principal: str
    principal_kind: str
    category: Category
    decision: str
    actions: tuple[str, ...]
    patterns: tuple[str, ...]
    condition_keys: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    matched: tuple[PolicyRef, ...] = ()
    identity_side: Literal["assumed", "none"] = "none"
    pattern_total: int = 0

    @property
    def conditional(self) -> bool:
        """True when the access depends on context keys the question did not give."""
        return bool(self.condition_keys)

    @property
    def is_public(self) -> bool:
        return self.category == "public"

    @property
    def action_text(self) -> str:
        """The actions compactly: the patterns when they are all allowed, else the actions (up to five) or the
        patterns with ``(N of M)``."""
        joined = ",".join(self.patterns)
        if self.patterns and len(self.actions) == self.pattern_total:
            return joined
        if len(self.actions) <= 5 or not self.patterns:
            return ",".join(self.actions)
        return f"{joined} ({len(self.actions)} of {self.pattern_total})"

    def answer(self) -> Answer:
        """The finding as a row of the common shape (``action`` is :attr:`action_text`)."""
        return Answer(self.principal, self.action_text, self.resource, self.decision, "resource",
                      self.condition_keys, self.matched)

    def to_dict(self) -> dict[str, Any]:
        """The keys of :data:`~iameval.questions.FIELDS`, then those of :data:`EXTRA_FIELDS`."""
        row = self.answer().to_dict()
        row.update({"category": self.category, "principal_kind": self.principal_kind,
                    "resource_type": self.resource_type, "owner_account": self.owner_account,
                    "identity_side": self.identity_side, "action_count": len(self.actions),
                    "actions": list(self.actions), "patterns": list(self.patterns), "assumed": list(self.assumed)})
        return row


class Findings(Table[Finding]):
    """The findings of :func:`external_access`, most exposed first (category, resource, principal);
    ``not_evaluated`` lists the resources whose policy (or RCPs) the engine rejects, with the reason."""

    __slots__ = ()

    def sorted(self) -> Findings:
        """The findings most exposed first: by category (:data:`CATEGORIES` order), resource, principal,
        unconditional before conditional."""
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return Findings(sorted(self._rows, key=lambda f: (order[f.category], f.resource, f.principal,
                                                          f.conditional, f.condition_keys)), self.not_evaluated)

    def for_resource(self, arn: str) -> list[Finding]:
        return [f for f in self._rows if f.resource == arn]

    def to_answers(self) -> Answers:
        """The rows of the common shape (:class:`~iameval.questions.Answers`: Arrow, pandas)."""
        return Answers([f.answer() for f in self._rows], self.not_evaluated)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self._rows]

    def to_json(self) -> str:
        """One JSON array: per finding the common keys and :data:`EXTRA_FIELDS`."""
        return json.dumps(self.to_dicts(), ensure_ascii=False)

    def to_csv(self) -> str:
        """CSV: the common columns as :meth:`Answers.to_csv` writes them, then :data:`EXTRA_FIELDS` (lists joined
        by ``;``)."""
        common = self.to_answers().to_csv().splitlines()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow((*FIELDS, *EXTRA_FIELDS))
        for line, f in zip(common[1:], self._rows, strict=True):
            first = next(csv.reader([line]))
            writer.writerow([*first, f.category, f.principal_kind, f.resource_type, f.owner_account,
                             f.identity_side, len(f.actions), ";".join(f.actions), ";".join(f.patterns),
                             ";".join(f.assumed)])
        return out.getvalue()


# -- candidates --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Variant:
    """Organization keys set for one evaluation, and the note a finding that needs them carries."""

    context: Mapping[str, Any]
    note: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One external principal tried: the request principals representing it, its context, the keys it certainly
    lacks (lower-cased; ``aws:principaltag/`` a prefix) and the organization variants."""

    display: str
    kind: str
    category: Category
    account: str | None
    callers: tuple[str, ...]
    context: Mapping[str, Any]
    absent: frozenset[str]
    variants: tuple[_Variant, ...] = (_Variant({}),)

    @property
    def assumed_identity(self) -> bool:
        return self.kind in ("any-account", "account", "role", "user", "session")


def _document(resource: Resource) -> dict[str, Any]:
    policy = resource.policy
    if isinstance(policy, (str, bytes, bytearray)):
        loaded = json.loads(policy)
        return loaded if isinstance(loaded, dict) else {}
    return dict(policy) if isinstance(policy, Mapping) else {}


def _statements(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = document.get("Statement", [])
    found = [found] if isinstance(found, dict) else found
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _condition_values(documents: Iterable[Mapping[str, Any]], key: str) -> list[str]:
    """The values given to condition ``key`` (any operator, case-insensitively) in the documents, in order."""
    found: list[str] = []
    for document in documents:
        for statement in _statements(document):
            condition = statement.get("Condition")
            if not isinstance(condition, dict):
                continue
            for block in condition.values():
                if not isinstance(block, dict):
                    continue
                for name, values in block.items():
                    if isinstance(name, str) and name.lower() == key.lower():
                        found.extend(v for v in _strings(values) if v not in found)
    return found


def _named(document: Mapping[str, Any]) -> dict[str, list[str]]:
    """The entries of every ``Principal`` and ``NotPrincipal`` by type (``AWS``, ``Service``, ...), in order."""
    found: dict[str, list[str]] = {}
    for statement in _statements(document):
        for element in ("Principal", "NotPrincipal"):
            value = statement.get(element)
            if not isinstance(value, dict):
                continue
            for kind, entries in value.items():
                bucket = found.setdefault(str(kind), [])
                bucket.extend(e for e in _strings(entries) if e not in bucket)
    return found


def _absent(kind: str) -> frozenset[str]:
    if kind in ("anonymous", "canonical"):
        return _PRINCIPAL_KEYS
    if kind == "service":
        return _PRINCIPAL_KEYS - _SOURCE_KEYS - {"aws:principalservicename", "aws:principalisawsservice"}
    if kind == "federated":
        return _PRINCIPAL_KEYS - {"aws:federatedprovider"}
    return _SOURCE_KEYS | {"aws:principalservicename", "aws:principalservicenameslist"}


@dataclass
class _Zone:
    """Who is inside: the owner account, the organization's accounts, the zone kind, the organization id."""

    env: Environment
    owner: str
    zone: Literal["account", "organization"]
    org_id: str | None
    org_literals: Mapping[str, list[str]] = field(default_factory=dict)

    def in_org(self, account: str) -> bool:
        org = self.env.organization
        return org is not None and account in org

    def category(self, account: str) -> Category | None:
        """The category of a principal of ``account``; ``None`` inside the zone of trust."""
        if account == self.owner:
            return None
        if self.in_org(account):
            return None if self.zone == "organization" else "cross-account"
        return "outside-organization" if self.env.organization is not None else "cross-account"

    def variants(self, account: str | None) -> tuple[_Variant, ...]:
        """Organization keys of a principal of ``account`` (``None``: an unrelated one): known for an account
        of the organization when its id is given, else tried (module docstring)."""
        org = self.env.organization
        if account is not None and org is not None and account in org and self.org_id:
            context: dict[str, Any] = {"aws:PrincipalOrgID": self.org_id}
            if account in org.accounts:
                path = "/".join((self.org_id, *org.path(account)[:-1])) + "/"
                context["aws:PrincipalOrgPaths"] = [path]
            return (_Variant(context),)
        found = [_Variant({}), _Variant({"aws:PrincipalOrgID": _FOREIGN_ORG,
                                         "aws:PrincipalOrgPaths": [f"{_FOREIGN_ORG}/r-iameval/"]})]
        for key, values in self.org_literals.items():
            for value in values:
                text = value.replace("*", "x").replace("?", "x")
                if self.org_id and text.split("/", 1)[0] == self.org_id:
                    continue  # an account outside the organization cannot carry its id
                found.append(_Variant({key: [text] if key == "aws:PrincipalOrgPaths" else text},
                                      f"{key}={value}", key))
        return tuple(found)


def _synthetic_account(taken: Collection[str]) -> str:
    for digit in "987654321":
        account = digit * 12
        if account not in taken:
            return account
    return "123456789012"


def _candidates(resource: Resource, document: Mapping[str, Any], zone: _Zone,
                categories: Collection[str]) -> list[_Candidate]:
    """Every external principal to try on ``resource`` (module docstring), first the public ones."""
    named = _named(document)
    partition = resource.arn.split(":", 2)[1] or "aws"
    aws_entries = [*named.get("AWS", []), *_condition_values([document], "aws:PrincipalAccount"),
                   *(v for v in _condition_values([document], "aws:PrincipalArn") if "*" not in v and "?" not in v)]
    taken = {zone.owner, *(e for e in aws_entries if _ACCOUNT.match(e)),
             *(e.split(":")[4] for e in aws_entries if e.count(":") >= 5)}
    other = _synthetic_account(taken)
    synthetic = f"arn:{partition}:iam::{other}:role/{_SYNTHETIC_ROLE}"
    found: list[_Candidate] = [
        _Candidate("*", "anonymous", "public", None, ("*",), principal_context("*"), _absent("anonymous")),
        _Candidate("any principal of any AWS account", "any-account", "public", other, (synthetic,),
                   principal_context(synthetic), _absent("role"), zone.variants(None)),
    ]
    seen: set[str] = set()
    for entry in aws_entries:
        candidate = _aws_candidate(entry, partition, zone)
        if candidate is not None and candidate.display not in seen:
            seen.add(candidate.display)
            found.append(candidate)
    for service in named.get("Service", []):
        if service != "*" and service not in seen:
            seen.add(service)
            found.append(_Candidate(service, "service", "service", None, (service,), principal_context(service),
                                    _absent("service")))
    for provider in named.get("Federated", []):
        if provider != "*" and provider not in seen:
            seen.add(provider)
            fields = provider.split(":")
            account = fields[4] if provider.startswith("arn:") and len(fields) > 5 else None
            found.append(_Candidate(provider, "federated", "federated", account, (provider,), {},
                                    _absent("federated")))
    for user in named.get("CanonicalUser", []):
        if user != "*" and user not in seen:
            seen.add(user)
            found.append(_Candidate(user, "canonical", "cross-account", None, (user,), {}, _absent("canonical")))
    return [c for c in found if c.category in categories]


def _valid(candidate: _Candidate) -> str | None:
    """Why the engine cannot take the candidate as a request principal (``None``: it can)."""
    for caller in candidate.callers:
        try:
            Request(principal=caller, action="sts:AssumeRole", resource="*")
        except RequestError as error:
            return "; ".join(str(e.get("message", "")) for e in error.errors())
    return None


def _aws_candidate(entry: str, partition: str, zone: _Zone) -> _Candidate | None:
    """An ``AWS`` principal entry (or a ``aws:PrincipalAccount`` / ``aws:PrincipalArn`` value) as a candidate;
    ``None`` for ``*``, a principal inside the zone of trust, or text that is not an account or ARN."""
    if entry == "*":
        return None
    fields = entry.split(":", 5)
    root: str | None
    if _ACCOUNT.match(entry):
        account, root = entry, f"arn:{partition}:iam::{entry}:root"
    elif len(fields) == 6 and fields[0] == "arn" and _ACCOUNT.match(fields[4]):
        account, root = fields[4], (entry if fields[2] == "iam" and fields[5] == "root" else None)
    else:
        return None
    category = zone.category(account)
    if category is None:
        return None
    if root is not None:  # the account: through its root user and through one of its roles (R6)
        role = f"arn:{fields[1] if len(fields) == 6 else partition}:iam::{account}:role/{_SYNTHETIC_ROLE}"
        return _Candidate(root, "account", category, account, (role, root), {}, _absent("role"),
                          zone.variants(account))
    kind = {"user": "user", "role": "role", "assumed-role": "session"}.get(fields[5].split("/", 1)[0], "user")
    return _Candidate(entry, kind, category, account, (entry,), {}, _absent(kind), zone.variants(account))


# -- actions and resources -----------------------------------------------------------------------------------

def _targets(resource: Resource, document: Mapping[str, Any], catalog: Catalog,
             cache: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """``(action, resource ARN)`` pairs to decide: each ARN standing for the resource (a bucket and its
    objects) with the catalog's actions of the governing service that apply to its type."""
    arns = [resource.arn]
    if resource.type == "s3:bucket":
        arns.append(f"{resource.arn}/{_OBJECT_KEY}")
        for statement in _statements(document):
            for pattern in _strings(statement.get("Resource")):
                if pattern.startswith(resource.arn + "/"):
                    arn = re.sub(r"\$\{[^}]*\}", "x", pattern).replace("*", "x").replace("?", "x")
                    if arn not in arns:
                        arns.append(arn)
    service = "sts" if resource.type == "iam:role" else resource.service
    pairs: list[tuple[str, str]] = []
    for arn in arns:
        for kind in {t.name for t in catalog.match_resource(arn) if t.service == service}:
            actions = cache.get((service, kind))
            if actions is None:
                actions = [a for a in _service_actions(catalog, service)
                           if any(r.name == kind for r in (catalog.resource_types(a) or ()))]
                cache[(service, kind)] = actions
            pairs.extend((a, arn) for a in actions)
    return pairs


def _service_actions(catalog: Catalog, service: str) -> list[str]:
    try:
        return catalog.actions(service)
    except KeyError:
        return []


# -- deciding ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Cell:
    decision: str
    keys: frozenset[str]
    refs: tuple[PolicyRef, ...]
    note: str | None

    def rank(self) -> tuple[int, int, int]:
        return (0 if not self.keys else 1, 0 if self.decision == "Allow" else 1, len(self.keys))


def _missing(keys: Iterable[str], absent: frozenset[str], given: Collection[str]) -> frozenset[str]:
    """The keys that are neither certainly absent for the candidate nor given (case-insensitively)."""
    out = set()
    for key in keys:
        low = key.lower()
        if low in absent or low in given or (low.startswith("aws:principaltag/") and "aws:principaltag/" in absent):
            continue
        out.add(key)
    return frozenset(out)


def _clause_missing(clause: ClauseTrace, absent: frozenset[str], given: Collection[str]) -> bool:
    return clause.request_values is None and bool(_missing([clause.key], absent, given))


def _possible(result: Result, resource_arn: str, absent: frozenset[str], given: Collection[str]
              ) -> tuple[frozenset[str], tuple[PolicyRef, ...]] | None:
    """For a denied cell, from its trace: the keys under which an Allow of the resource policy would apply
    and no Deny would (``None``: no such keys)."""
    if result.trace is None:
        return None
    keys: set[str] = set()
    allows: list[StatementTrace] = []
    for layer in result.trace.layers:
        if not layer.applies:
            continue
        for st in layer.statements:
            matched = st.action.matched and st.resource.matched and (st.principal is None or st.principal.matched)
            if not matched:
                continue
            soft = [c for c in st.conditions if _clause_missing(c, absent, given)]
            if st.effect == "Deny" and st.applies:
                if not soft:
                    return None  # a Deny that applies whatever the missing keys say
                keys.update(c.key for c in soft)
            elif st.effect == "Allow" and layer.policy_type == "resource":
                failing = [c for c in st.conditions if not c.result]
                if all(_clause_missing(c, absent, given) for c in failing):  # applies, or would with the keys
                    allows.append(st)
                    keys.update(c.key for c in failing)
    if not allows:
        return None
    refs = tuple(PolicyRef("resource", resource_arn, st.statement_index, st.sid, st.effect) for st in allows)
    return frozenset(keys), refs


def _refs(result: Result, resource_arn: str, rcp_name: Callable[[int | None, int], str]) -> tuple[PolicyRef, ...]:
    out = []
    for m in result.matched:
        if m.policy_type == "identity":
            continue  # the assumed identity side of the other account
        name = resource_arn if m.policy_type == "resource" else rcp_name(m.level, m.policy_index)
        out.append(PolicyRef(m.policy_type, name, m.statement_index, m.sid, m.effect))
    return tuple(out)


def _decide(candidate: _Candidate, pairs: Sequence[tuple[str, str]], sets: tuple[PolicySet, PolicySet],
            owner: str, resource_arn: str, context: Mapping[str, Any],
            rcp_name: Callable[[int | None, int], str]) -> dict[str, _Cell]:
    """The best cell per action for one candidate, over its callers, variants and the resource's ARNs."""
    policy_set = sets[0] if candidate.assumed_identity else sets[1]
    given = {k.lower() for k in context}
    best: dict[str, _Cell] = {}
    for variant in candidate.variants:
        absent = candidate.absent | {k.lower() for k in _ORG_KEYS}
        for caller in candidate.callers:
            base = dict(principal_context(caller)) if candidate.kind not in ("federated", "canonical") else {}
            merged = {**base, **candidate.context, **variant.context, "aws:ResourceAccount": owner, **context}
            account = caller.split(":")[4] if caller.startswith("arn:") else None
            requests = [Request(principal=caller, action=action, resource=arn, context=merged,
                                principal_account=account, resource_account=owner) for action, arn in pairs]
            for (action, _arn), request, result in zip(pairs, requests, policy_set.evaluate_many(requests),
                                                       strict=True):
                cell = _cell(result, request, policy_set, absent, given, resource_arn, variant, rcp_name)
                if cell is not None and (action not in best or cell.rank() < best[action].rank()):
                    best[action] = cell
    return best


def _cell(result: Result, request: Request, policy_set: PolicySet, absent: frozenset[str],
          given: Collection[str], resource_arn: str, variant: _Variant,
          rcp_name: Callable[[int | None, int], str]) -> _Cell | None:
    variant_keys = frozenset({variant.key}) if variant.key else frozenset()
    keys = _missing(result.missing_context_keys, absent, given)
    if str(result.decision) == "Allow":
        return _Cell("Allow", keys | variant_keys, _refs(result, resource_arn, rcp_name), variant.note)
    if not keys:
        return None
    possible = _possible(policy_set.evaluate(request, trace=True), resource_arn, absent, given)
    if possible is None:
        return None
    return _Cell(str(result.decision), possible[0] | variant_keys, possible[1], variant.note)


# -- the question --------------------------------------------------------------------------------------------

def external_access(env: Environment, *, context: Mapping[str, Any] | None = None,
                    zone: Literal["account", "organization"] | None = None, org_id: str | None = None,
                    categories: Collection[str] = CATEGORIES, catalog: Catalog | None = None,
                    resources: Iterable[str] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> Findings:
    """Every loaded resource whose resource-based policy, after the RCPs of its owner account, lets a principal
    outside the zone of trust (or anyone) act on it: the findings, with the actions and the condition keys
    (module docstring).

    ``context``: keys every request carries (``aws:SourceIp``, ``aws:SecureTransport``, ...), no longer
    conditional. ``zone``: ``organization`` (default when ``env`` has one) or ``account``. ``org_id``: the
    organization's id (``o-...``; default: the loaded organization's ``id``, which the layout's ``id`` key and
    ``describe-organization.json`` give): with it, ``aws:PrincipalOrgID`` conditions naming it are decided
    exactly. ``categories``: the categories to report. ``resources``: the
    ARNs to analyze (default every loaded resource). ``progress(done, total)`` is called per resource.
    """
    chosen: Literal["account", "organization"] = zone or ("organization" if env.organization else "account")
    if chosen == "organization" and env.organization is None:
        raise ValueError("zone='organization' needs an environment with an organization")
    unknown = set(categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories: {', '.join(sorted(unknown))}")
    catalog = catalog or default_catalog()
    if org_id is None and env.organization is not None:
        org_id = env.organization.id
    extra = dict(context or {})
    wanted = list(env.resources.values()) if resources is None else [env.resources[a] for a in resources]
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    cache: dict[tuple[str, str], list[str]] = {}
    for done, resource in enumerate(wanted, 1):
        try:
            findings.extend(_resource_findings(env, resource, chosen, org_id, categories, catalog, extra, cache,
                                               skipped))
        except (PolicyError, RequestError, ValueError) as error:
            skipped.append((resource.arn, str(error)))
        except _NotEvaluated as error:
            skipped.append((resource.arn, error.reason))
        if progress is not None:
            progress(done, len(wanted))
    return Findings(findings, skipped).sorted()


def external_chunk(env: Environment, resources: Sequence[str], *, context: Mapping[str, Any] | None = None,
                   zone: Literal["account", "organization"] | None = None, org_id: str | None = None,
                   categories: Collection[str] = CATEGORIES) -> Findings:
    """:func:`external_access` for some loaded resources (ARNs): the question :func:`iameval.questions.run`
    sends to worker processes or a Dask cluster; :meth:`Findings.sorted` orders the concatenated chunks as
    one run does."""
    return external_access(env, context=context, zone=zone, org_id=org_id, categories=categories,
                           resources=resources)


class _NotEvaluated(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _resource_findings(env: Environment, resource: Resource, zone: Literal["account", "organization"],
                       org_id: str | None, categories: Collection[str], catalog: Catalog,
                       context: Mapping[str, Any], cache: dict[tuple[str, str], list[str]],
                       skipped: list[tuple[str, str]]) -> list[Finding]:
    """The findings of one resource; principals the engine cannot take are added to ``skipped``."""
    if resource.error is not None:
        raise _NotEvaluated(resource.error)
    owner = resource.owner_account
    org = env.organization
    rcps = org.rcp_levels(owner) if org is not None and owner in org else None
    levels = org.level_policies(owner, "RCP") if org is not None and owner in org and rcps is not None else None

    def rcp_name(level: int | None, index: int) -> str:
        if levels is not None and level is not None and 0 <= level < len(levels) and 0 <= index < len(levels[level]):
            policy = levels[level][index]
            return f"{policy.id} ({policy.name})" if policy.name else policy.id
        return f"rcp[{level}][{index}]"

    document = _document(resource)
    rcp_documents = [_as_dict(p.document) for level in (levels or ()) for p in level]
    literals = {key: _condition_values([document, *rcp_documents], key) for key in _ORG_KEYS}
    scope = _Zone(env, owner, zone, org_id, literals)
    sets = (PolicySet(identity=[ALLOW_ALL], resource=resource.policy, rcps=rcps),
            PolicySet(resource=resource.policy, rcps=rcps))
    pairs = _targets(resource, document, catalog, cache)
    if not pairs:
        return []
    universe = sorted({a for a, _ in pairs})
    found: list[Finding] = []
    public_actions: dict[str, _Cell] = {}
    for candidate in _candidates(resource, document, scope, categories):
        problem = _valid(candidate)
        if problem is not None:
            skipped.append((resource.arn, f"principal `{candidate.display}` not evaluated: {problem}"))
            continue
        cells = _decide(candidate, pairs, sets, owner, resource.arn, context, rcp_name)
        if candidate.kind == "anonymous":
            public_actions = cells
        elif candidate.kind == "any-account" and public_actions:
            cells = {a: c for a, c in cells.items()
                     if a not in public_actions or public_actions[a].rank() > c.rank()}
        found.extend(_group(candidate, cells, resource, document, universe))
    return found


def _as_dict(document: Any) -> dict[str, Any]:
    if isinstance(document, (str, bytes, bytearray)):
        try:
            loaded = json.loads(document)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    return dict(document) if isinstance(document, Mapping) else {}


def _group(candidate: _Candidate, cells: Mapping[str, _Cell], resource: Resource, document: Mapping[str, Any],
           universe: Sequence[str]) -> list[Finding]:
    """One finding per (decision, condition keys, assumption) of a candidate's allowed actions."""
    groups: dict[tuple[str, frozenset[str], str | None], list[str]] = {}
    refs: dict[tuple[str, frozenset[str], str | None], list[PolicyRef]] = {}
    for action in sorted(cells):
        cell = cells[action]
        key = (cell.decision, cell.keys, cell.note)
        groups.setdefault(key, []).append(action)
        bucket = refs.setdefault(key, [])
        bucket.extend(r for r in cell.refs if r not in bucket)
    statements = _statements(document)
    out = []
    for key, actions in groups.items():
        decision, keys, note = key
        matched = tuple(sorted(refs[key], key=lambda r: (r.policy_type, r.statement_index)))
        patterns: list[str] = []
        negated: list[str] = []
        for ref in matched:
            if ref.policy_type == "resource" and ref.effect == "Allow" and ref.statement_index < len(statements):
                st = statements[ref.statement_index]
                for p in _strings(st.get("Action")):
                    if p not in patterns:
                        patterns.append(p)
                for p in _strings(st.get("NotAction")):
                    if p not in negated:
                        negated.append(p)
        covered = [a for a in universe if any(wildcard_match(p, a, True) for p in patterns)
                   or (negated and not any(wildcard_match(p, a, True) for p in negated))]
        assumed = [note] if note else []
        if candidate.kind == "service" and not keys:
            assumed.append("not pinned to an account by aws:SourceAccount / aws:SourceArn / aws:SourceOrgID")
        out.append(Finding(
            resource=resource.arn, resource_type=resource.type, owner_account=resource.owner_account,
            principal=candidate.display, principal_kind=candidate.kind, category=candidate.category,
            decision=decision, actions=tuple(actions),
            patterns=tuple([*patterns, *(f"NotAction:{p}" for p in negated)]),
            condition_keys=tuple(sorted(keys, key=str.lower)), assumed=tuple(assumed), matched=matched,
            identity_side="assumed" if candidate.assumed_identity else "none", pattern_total=len(covered)))
    return out
