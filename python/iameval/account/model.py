"""The in-memory model of an account: principals with their policies, groups, managed policies.

Every class is a frozen dataclass. Policy documents are kept as the export gave them (a ``dict``, or JSON
text the engine will reject with a located error) and are shared, not copied: treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from iameval.account.errors import AccountError
from iameval.account.policysets import PolicySetCache
from iameval.engine import PolicySet, principal_context
from iameval.errors import PolicyError
from iameval.reference.document import PolicyDocument

__all__ = ["Account", "AttachedPolicy", "Group", "ManagedPolicy", "Principal", "PrincipalKind"]

PrincipalKind = Literal["user", "role"]

SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"
SSO_ROLE_PREFIX = "AWSReservedSSO_"
SERVICE_ROLE_PATH = "/aws-service-role/"


@dataclass(frozen=True, slots=True)
class AttachedPolicy:
    """One policy of a principal and where it came from.

    ``kind``: ``inline`` (``name`` is the inline policy's name) or ``managed`` (``arn`` its ARN, ``name`` its
    name); ``group``: the group it is inherited through, ``None`` for the principal's own; ``location``:
    ``file: /pointer`` of the document in the export.
    """

    kind: Literal["inline", "managed"]
    name: str
    document: PolicyDocument
    location: str
    arn: str | None = None
    group: str | None = None

    @property
    def label(self) -> str:
        """Short text naming the policy: ``inline Name``, ``managed ARN``, ``group G inline Name``."""
        own = f"inline {self.name}" if self.kind == "inline" else f"managed {self.arn}"
        return own if self.group is None else f"group {self.group} {own}"


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A managed policy of the dump, with the document of its default version."""

    arn: str
    name: str
    path: str
    document: PolicyDocument
    location: str
    version_id: str | None = None

    @property
    def aws_managed(self) -> bool:
        """True for a policy AWS manages (``arn:aws:iam::aws:policy/...``)."""
        return self.arn.split(":")[4:5] == ["aws"]


@dataclass(frozen=True, slots=True)
class Group:
    """An IAM group: its inline and attached managed policies (``group`` unset: they are its own)."""

    arn: str
    name: str
    path: str
    policies: tuple[AttachedPolicy, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Principal:
    """An IAM user or role of an account, ready to evaluate.

    ``policies`` are its identity policies in evaluation order: its own inline policies, its attached managed
    policies, then for a user each group's inline and managed policies (``AttachedPolicy.group`` set).
    ``boundary`` is the permissions boundary's managed policy (``boundary_arn`` names it even when the dump
    lacks it). ``trust_policy``: a role's trust policy (a resource-based policy, not part of its own set).
    ``problems``: what the loader could not resolve (a boundary, group or managed policy missing from the
    dump); :attr:`error` adds the error compiling its policies. A principal with an error is **not
    evaluated**: :meth:`policy_set` raises for it.

    ``identity_center``: a role of an IAM Identity Center permission set; ``service_linked``: a
    service-linked role, to which SCPs and RCPs do not apply (:meth:`policy_set` leaves them out).
    """

    arn: str
    kind: PrincipalKind
    name: str
    path: str
    account_id: str
    policies: tuple[AttachedPolicy, ...] = ()
    boundary: AttachedPolicy | None = None
    boundary_arn: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    unique_id: str | None = None
    trust_policy: PolicyDocument | None = None
    trust_location: str | None = None
    problems: tuple[str, ...] = ()
    _sets: PolicySetCache = field(default_factory=PolicySetCache, init=False, repr=False, compare=False)

    @property
    def identity_center(self) -> bool:
        """True for a role created by IAM Identity Center for a permission set."""
        return self.kind == "role" and (self.path.startswith(SSO_ROLE_PATH)
                                        or self.name.startswith(SSO_ROLE_PREFIX))

    @property
    def service_linked(self) -> bool:
        """True for a service-linked role (path under ``/aws-service-role/``)."""
        return self.kind == "role" and self.path.startswith(SERVICE_ROLE_PATH)

    @property
    def identity_documents(self) -> list[PolicyDocument]:
        """The documents of :attr:`policies`, in order (what ``PolicySet(identity=...)`` takes)."""
        return [p.document for p in self.policies]

    @property
    def error(self) -> str | None:
        """Why this principal is not evaluated (``None``: it is). Compiles its base set on first use."""
        if self.problems:
            return "; ".join(self.problems)
        outcome = self._base()
        return self._describe(outcome) if isinstance(outcome, PolicyError) else None

    @property
    def evaluated(self) -> bool:
        """True when :attr:`error` is ``None``."""
        return self.error is None

    def context(self) -> dict[str, str]:
        """The request context keys AWS sets for this principal (``iameval.principal_context``): its ARN,
        account, type, ``aws:username`` and ``aws:userid`` for a user, and ``aws:PrincipalTag/...``."""
        user_id = self.unique_id if self.kind == "user" else None
        return principal_context(self.arn, tags=self.tags, user_id=user_id)

    def policy_set(self, *, scps: Sequence[Sequence[PolicyDocument]] | None = None,
                   rcps: Sequence[Sequence[PolicyDocument]] | None = None,
                   resource: PolicyDocument | None = None) -> PolicySet:
        """The compiled set of this principal's identity policies and boundary, with the given SCP levels,
        RCP levels (``Organization.scp_levels`` / ``rcp_levels``) and resource-based policy.

        SCPs and RCPs are left out for a service-linked role. Cached (see :mod:`iameval.account.policysets`).
        :class:`AccountError` when the principal is not evaluated; ``PolicyError`` when the given layers are
        invalid.
        """
        if self.service_linked:
            scps = rcps = None
        base = self._base()
        if isinstance(base, PolicyError) or self.problems:
            raise AccountError("", "", f"principal `{self.arn}` is not evaluated: {self.error}")
        if scps is None and rcps is None and resource is None:
            return base
        return self._sets.layered(scps, rcps, resource, lambda: PolicySet(
            identity=self.identity_documents, permission_boundary=self._boundary_document(),
            scps=scps, rcps=rcps, resource=resource))

    def _boundary_document(self) -> PolicyDocument | None:
        return None if self.boundary is None else self.boundary.document

    def _base(self) -> PolicySet | PolicyError:
        return self._sets.base(lambda: PolicySet(identity=self.identity_documents,
                                                 permission_boundary=self._boundary_document()))

    def _describe(self, error: PolicyError) -> str:
        """The compile errors, each located in the export (``file: /pointer/inside: message``)."""
        lines = []
        for entry in error.errors():
            place = str(entry.get("policy", ""))
            source: AttachedPolicy | None = self.boundary if place == "permission_boundary" else None
            if place.startswith("identity/") and place[9:].isdigit() and int(place[9:]) < len(self.policies):
                source = self.policies[int(place[9:])]
            where = f"{source.location}{entry.get('pointer', '')}" if source else place
            lines.append(f"{where}: {entry.get('message', '')}")
        return "; ".join(lines)


@dataclass(frozen=True, slots=True)
class Account:
    """One AWS account as its authorization details describe it.

    ``principals``: users then roles, in the dump's order; ``groups`` by ARN; ``managed_policies`` by ARN
    (customer and AWS managed ones the dump includes, default versions). ``sources``: the files read.
    """

    id: str
    principals: tuple[Principal, ...]
    groups: Mapping[str, Group]
    managed_policies: Mapping[str, ManagedPolicy]
    sources: tuple[str, ...] = ()
    _by_arn: dict[str, Principal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_arn", {p.arn: p for p in self.principals})

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("id", "principals", "groups", "managed_policies",
                                                       "sources")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    @property
    def users(self) -> tuple[Principal, ...]:
        """The IAM users."""
        return tuple(p for p in self.principals if p.kind == "user")

    @property
    def roles(self) -> tuple[Principal, ...]:
        """The IAM roles."""
        return tuple(p for p in self.principals if p.kind == "role")

    @property
    def not_evaluated(self) -> tuple[Principal, ...]:
        """The principals with an :attr:`Principal.error` (compiles every principal's base set)."""
        return tuple(p for p in self.principals if p.error is not None)

    def principal(self, name_or_arn: str) -> Principal:
        """The principal with this ARN, or the user or role with this name (a user first);
        :class:`AccountError` when there is none."""
        found = self._by_arn.get(name_or_arn)
        if found is None:
            found = next((p for p in self.principals if p.name == name_or_arn), None)
        if found is None:
            raise AccountError("", "", f"no principal `{name_or_arn}` in account {self.id}")
        return found
