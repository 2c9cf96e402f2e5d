"""The answer (IAM_RULES R22): a decision plus why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from iameval.reference.trace import Trace

__all__ = ["Decision", "MatchedStatement", "Result"]


class Decision(StrEnum):
    """The three outcomes of an authorization (R22); members are ``str`` (``Decision.ALLOW == "Allow"``)."""

    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


@dataclass(frozen=True)
class MatchedStatement:
    """A statement that applied to the request.

    ``policy_type``: ``identity``, ``resource``, ``permission_boundary``, ``session``, ``scp``, ``rcp`` or
    ``vpc_endpoint`` (R20b); ``policy_index``: index of the policy in its list (within its level for SCPs and
    RCPs, 0 for the single policies); ``statement_index``: index in the policy's Statement list; ``level``: the
    SCP/RCP level (0 = organization root) or ``None``.
    """

    policy_type: str
    policy_index: int
    statement_index: int
    sid: str | None
    effect: str
    level: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_type": self.policy_type,
            "policy_index": self.policy_index,
            "statement_index": self.statement_index,
            "sid": self.sid,
            "effect": self.effect,
            "level": self.level,
        }

    def label(self) -> str:
        """Short text such as ``scps[1][0]#2 (DenyRegions) Deny`` or ``vpc_endpoint#2 (Sid) Allow``."""
        if self.level is not None:
            where = f"{self.policy_type}s[{self.level}][{self.policy_index}]"
        elif self.policy_type == "identity":
            where = f"identity[{self.policy_index}]"
        else:
            where = self.policy_type
        sid = f" ({self.sid})" if self.sid else ""
        return f"{where}#{self.statement_index}{sid} {self.effect}"


@dataclass(frozen=True)
class Result:
    """The result of evaluating one request against a policy set.

    ``matched``: for an ExplicitDeny every Deny statement that applied; otherwise every Allow statement that
    applied, in evaluation order (SCPs, RCPs, VPC endpoint, resource, identity, boundary, session): resource
    Allows that S3 Block Public Access ignored (R20c) are listed too. ``decided_by``: which layer decided (see
    the README; ``vpc_endpoint`` and ``s3_block_public_access`` among them). ``missing_context_keys``:
    condition keys (and policy variables) that statements matching the action and principal asked for and the
    request context lacked. ``public_statements``: when RestrictPublicBuckets is in force for the request
    (R20c), the indexes of the bucket policy's statements that make it public; else ``()``. ``trace``: with
    ``evaluate(request, trace=True)``, every statement of every layer evaluated in full (:class:`Trace`).
    """

    decision: Decision
    decided_by: str
    matched: tuple[MatchedStatement, ...] = ()
    missing_context_keys: tuple[str, ...] = ()
    public_statements: tuple[int, ...] = ()
    trace: Trace | None = None

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "allowed": self.allowed,
            "decided_by": self.decided_by,
            "matched": [m.to_dict() for m in self.matched],
            "missing_context_keys": list(self.missing_context_keys),
            "public_statements": list(self.public_statements),
            **({} if self.trace is None else {"trace": self.trace.to_dict()}),
        }
