"""The trace (issue 8): why exactly, statement by statement.

``PolicySet.evaluate(request, trace=True)`` (both engines) returns a :class:`Result` whose ``trace`` lists every
statement of every layer in evaluation order (SCP levels, RCP levels, VPC endpoint, resource, identity,
boundary, session), each evaluated in full: whether its action, principal and resource matched (with the
pattern that decided), and every condition clause with the request values it saw, the variables substituted
and its result. These classes are shared by both engines, like :class:`Result`; how the reference builds a
trace is :func:`iameval.reference.evaluate.trace_statement`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ClauseTrace", "LayerTrace", "MatchDetail", "StatementTrace", "Trace"]


@dataclass(frozen=True)
class MatchDetail:
    """Whether one element (Action, Principal, Resource) is satisfied, and the pattern that decided it.

    ``pattern``: for ``Action``/``Resource``/``Principal`` the first entry that matched (``None``: no pattern
    matched); for ``NotAction``/``NotResource`` the first entry that matched the request (so the statement is
    not satisfied), ``None`` when none did; always ``None`` for ``NotPrincipal`` and for a statement without a
    Resource element (a trust policy). Actions are given lower-cased, resource and principal entries as
    written. A ``NotResource`` entry whose variable cannot be resolved is given too: it leaves the list
    unsatisfied (R13). Principal entries are tried in a fixed order: the element ``"*"``, then ``AWS``,
    ``Service``, ``Federated``, ``CanonicalUser``.
    """

    matched: bool
    pattern: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "pattern": self.pattern}


@dataclass(frozen=True)
class ClauseTrace:
    """One condition clause: an operator and one key (R8-R13).

    ``operator`` and ``key`` as written; ``values``: the policy values as text (strings as written, numbers as
    their JSON text, booleans ``true``/``false``); ``request_values``: the request's values of the key
    (``None``: the key is missing); ``variables``: for String and Arn operators, each distinct policy variable
    of the values (by name as written, in order of first appearance) with the text substituted for it: the
    key's single value, else the default, else ``None`` (it cannot be resolved, R13) — an Arn value with a
    variable before the fifth colon matches nothing and lists none; ``result``: whether the clause holds.
    """

    operator: str
    key: str
    values: tuple[str, ...]
    request_values: tuple[str, ...] | None
    variables: tuple[tuple[str, str | None], ...]
    result: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "key": self.key,
            "values": list(self.values),
            "request_values": None if self.request_values is None else list(self.request_values),
            "variables": [{"name": name, "value": value} for name, value in self.variables],
            "result": self.result,
        }


@dataclass(frozen=True)
class StatementTrace:
    """One statement evaluated in full (no short circuit); ``applies`` is R7 (every element holds)."""

    policy_index: int
    statement_index: int
    sid: str | None
    effect: str
    action: MatchDetail
    principal: MatchDetail | None
    resource: MatchDetail
    conditions: tuple[ClauseTrace, ...]
    applies: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_index": self.policy_index,
            "statement_index": self.statement_index,
            "sid": self.sid,
            "effect": self.effect,
            "action": self.action.to_dict(),
            "principal": None if self.principal is None else self.principal.to_dict(),
            "resource": self.resource.to_dict(),
            "conditions": [c.to_dict() for c in self.conditions],
            "applies": self.applies,
        }


@dataclass(frozen=True)
class LayerTrace:
    """One layer: a policy type, or one SCP/RCP level. ``applies``: whether the layer takes part in the decision
    for this request (SCPs: IAM principals other than service-linked roles, R15; RCPs: the services of R16;
    identity, boundary and session policies: IAM principals); its statements are listed either way."""

    policy_type: str
    level: int | None
    applies: bool
    statements: tuple[StatementTrace, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_type": self.policy_type,
            "level": self.level,
            "applies": self.applies,
            "statements": [s.to_dict() for s in self.statements],
        }

    def name(self) -> str:
        """``scps[1]``, ``identity``, ``vpc_endpoint``, ..."""
        return self.policy_type if self.level is None else f"{self.policy_type}s[{self.level}]"


def _detail(label: str, detail: MatchDetail | None) -> str:
    if detail is None:
        return f"{label}: (none)"
    mark = "yes" if detail.matched else "no"
    pattern = "no pattern matched" if detail.pattern is None else f"`{detail.pattern}`"
    return f"{label}: {mark} ({pattern})"


def _clause(clause: ClauseTrace) -> str:
    seen = "missing" if clause.request_values is None else ", ".join(f"`{v}`" for v in clause.request_values)
    values = ", ".join(f"`{v}`" for v in clause.values)
    text = f"{'true ' if clause.result else 'false'} {clause.operator} {clause.key} [{values}] <- {seen}"
    if clause.variables:
        subs = ", ".join(f"${{{name}}}={'unresolved' if v is None else repr(v)}" for name, v in clause.variables)
        text += f" ({subs})"
    return text


@dataclass(frozen=True)
class Trace:
    """Every layer, in evaluation order. ``to_dict()`` is JSON-able; ``str()`` is a readable report."""

    layers: tuple[LayerTrace, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"layers": [layer.to_dict() for layer in self.layers]}

    def __str__(self) -> str:
        lines: list[str] = []
        for layer in self.layers:
            state = "" if layer.applies else "  (does not apply to this request)"
            lines.append(f"{layer.name()}{state}")
            if not layer.statements:
                lines.append("  (no statements)")
            for st in layer.statements:
                # layers of several policies (identity, an SCP or RCP level) name the policy: scps[1] [0]#2
                several = layer.policy_type == "identity" or layer.level is not None
                where = f"[{st.policy_index}]" if several else ""
                sid = f" ({st.sid})" if st.sid else ""
                verdict = "APPLIES" if st.applies else "does not apply"
                lines.append(f"  {where}#{st.statement_index}{sid} {st.effect}: {verdict}")
                lines.append(f"    {_detail('action', st.action)}")
                if st.principal is not None:
                    lines.append(f"    {_detail('principal', st.principal)}")
                lines.append(f"    {_detail('resource', st.resource)}")
                lines.extend(f"    condition {_clause(c)}" for c in st.conditions)
        return "\n".join(lines)
