"""The policy grammar (IAM_RULES "Grammar and validation", R7, R13): a document read into typed statements.

Reading never stops at the first problem: every problem is collected with its JSON pointer, and a policy with
any problem is rejected whole (it is never evaluated in part).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from iameval.errors import ErrorEntry, PolicyError
from iameval.reference.conditions import Clause, operator_hint, parse_operator, read_policy_value, scalar_text
from iameval.reference.document import PolicyDocument, error_entry, load_document
from iameval.reference.hints import closest, with_hint
from iameval.reference.pattern import fold_case
from iameval.reference.variables import Template, parse_template, variable_before_fifth_colon

__all__ = [
    "KINDS",
    "Policy",
    "PolicyKind",
    "PrincipalSpec",
    "ResourceEntry",
    "Statement",
    "parse_policy",
    "validate_policy",
]

PolicyKind: TypeAlias = Literal["identity", "resource", "permission_boundary", "session", "scp", "rcp"]
"""The kind of a policy document (``validate_policy(kind=...)``): which grammar it is read with."""

#: The policy types of a policy set, and which of them are resource-based (may name principals).
KINDS: tuple[PolicyKind, ...] = ("identity", "resource", "permission_boundary", "session", "scp", "rcp")
_PRINCIPAL_KINDS = ("resource", "rcp")
VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"

# At most this many statements in one policy (a limit of ours: AWS's size quotas keep real policies far below
# it). A longer `Statement` list is rejected whole without reading its statements.
MAX_STATEMENTS = 10_000
TOP_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_KIND_NAMES = {
    "identity": "an identity policy",
    "permission_boundary": "a permissions boundary",
    "session": "a session policy",
    "scp": "an SCP",
}
_ACTION = re.compile(r"^[^:]+:.+\Z", re.DOTALL)


@dataclass(frozen=True)
class PrincipalSpec:
    """A Principal or NotPrincipal element (R5): ``"*"``, or lists per principal type."""

    star: bool
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceEntry:
    """One Resource/NotResource pattern. ``text``: the entry as written (the trace names it); ``dead``: a
    variable sits before the fifth colon (R13), so the entry matches nothing."""

    text: str
    template: Template
    dead: bool


@dataclass(frozen=True)
class Statement:
    """One statement, read and validated (R7)."""

    index: int
    sid: str | None
    effect: str  # "Allow" | "Deny"
    actions: tuple[str, ...]  # lower-cased patterns (R3)
    not_action: bool
    resources: tuple[ResourceEntry, ...] | None  # None: no Resource element (a trust policy)
    not_resource: bool
    principal: PrincipalSpec | None
    not_principal: bool
    conditions: tuple[Clause, ...]


@dataclass(frozen=True)
class Policy:
    """A policy document of one kind (identity, resource, permission_boundary, session, scp, rcp)."""

    kind: str
    version: str
    id: str | None
    statements: tuple[Statement, ...]


Path = tuple[str | int, ...]


class _Reader:
    """Walks a document and collects every problem."""

    def __init__(self, kind: str, policy_location: str) -> None:
        self.kind = kind
        self.location = policy_location
        self.errors: list[ErrorEntry] = []

    def error(self, kind: str, path: Path, message: str) -> None:
        self.errors.append(error_entry(kind, path, message, self.location))

    def unknown(self, key: Any, path: Path, what: str, candidates: tuple[str, ...]) -> None:
        """An ``unknown_element`` error for ``key``, with a hint from the elements valid there (:mod:`.hints`).

        A key that is not a ``str`` (a ``dict`` given by a caller) is written, and compared, as ``str(key)``.
        """
        text = str(key)
        self.error("unknown_element", path, with_hint(f"{what} `{text}`", closest(text, candidates)))

    def string_list(self, value: Any, path: Path, what: str) -> tuple[str, ...] | None:
        """A string or a non-empty list of strings (Action, Resource, Principal values)."""
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            self.error("wrong_type", path, f"{what} must be a string or a list of strings")
            return None
        if not value:
            self.error("empty_list", path, f"{what} must not be an empty list")
            return None
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.error("wrong_type", (*path, i), f"{what} entries must be strings")
                ok = False
        return tuple(value) if ok else None

    # -- document --------------------------------------------------------------------------------------------

    def document(self, doc: Any) -> Policy | None:
        if not isinstance(doc, dict):
            self.error("wrong_type", (), "a policy must be a JSON object")
            return None
        for key in doc:
            if key not in TOP_ELEMENTS:
                self.unknown(key, (key,), "unknown element", TOP_ELEMENTS)
        version = doc.get("Version", VERSION_2008)  # absent means 2008-10-17
        if version not in (VERSION_2012, VERSION_2008):
            self.error("invalid_value", ("Version",), f"version must be `{VERSION_2012}` or `{VERSION_2008}`")
            version = VERSION_2008
        pid = doc.get("Id")
        if pid is not None and not isinstance(pid, str):
            self.error("wrong_type", ("Id",), "`Id` must be a string")
            pid = None
        if "Statement" not in doc:
            self.error("missing_element", (), "a policy needs a `Statement` element")
            return None
        raw = doc["Statement"]
        statements: list[Statement] = []
        if isinstance(raw, dict):
            st = self.statement(raw, ("Statement",), 0, version)
            if st is not None:
                statements.append(st)
        elif isinstance(raw, list) and len(raw) > MAX_STATEMENTS:
            self.error(
                "invalid_value",
                ("Statement",),
                f"a policy may have at most {MAX_STATEMENTS} statements, not {len(raw)}",
            )
        elif isinstance(raw, list):
            for i, item in enumerate(raw):
                st = self.statement(item, ("Statement", i), i, version)
                if st is not None:
                    statements.append(st)
        else:
            self.error("wrong_type", ("Statement",), "`Statement` must be an object or a list of objects")
        return Policy(self.kind, version, pid, tuple(statements))

    # -- statement --------------------------------------------------------------------------------------------

    def statement(self, raw: Any, path: Path, index: int, version: str) -> Statement | None:
        if not isinstance(raw, dict):
            self.error("wrong_type", path, "a statement must be a JSON object")
            return None
        before = len(self.errors)
        for key in raw:
            if key not in STATEMENT_ELEMENTS:
                self.unknown(key, (*path, key), "unknown element", STATEMENT_ELEMENTS)
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            self.error("wrong_type", (*path, "Sid"), "`Sid` must be a string")
        effect = raw.get("Effect")
        if effect is None:
            self.error("missing_element", path, "a statement needs an `Effect` element")
        elif effect not in ("Allow", "Deny"):
            self.error("invalid_value", (*path, "Effect"), "`Effect` must be `Allow` or `Deny`")

        actions, not_action = self.actions(raw, path)
        resources, not_resource = self.resources(raw, path, version)
        principal, not_principal = self.principal(raw, path)
        conditions = self.conditions(raw.get("Condition"), (*path, "Condition"), version)
        if len(self.errors) > before:
            return None
        return Statement(
            index=index,
            sid=sid,
            effect=str(effect),
            actions=actions,
            not_action=not_action,
            resources=resources,
            not_resource=not_resource,
            principal=principal,
            not_principal=not_principal,
            conditions=conditions,
        )

    def actions(self, raw: dict[str, Any], path: Path) -> tuple[tuple[str, ...], bool]:
        """Exactly one of Action / NotAction (R7); each ``*`` or ``service:pattern``."""
        has_action, has_not = "Action" in raw, "NotAction" in raw
        if has_action and has_not:
            self.error("conflicting_elements", path, "a statement cannot have both `Action` and `NotAction`")
            return (), False
        if not has_action and not has_not:
            self.error("missing_element", path, "a statement needs `Action` or `NotAction`")
            return (), False
        name = "Action" if has_action else "NotAction"
        values = self.string_list(raw[name], (*path, name), f"`{name}`")
        if values is None:
            return (), False
        for i, action in enumerate(values):
            if action != "*" and not _ACTION.match(action):
                where = (*path, name) if isinstance(raw[name], str) else (*path, name, i)
                self.error("invalid_value", where, f"action `{action}` must be `*` or `service:action`")
        return tuple(fold_case(a) for a in values), has_not

    def resources(
        self, raw: dict[str, Any], path: Path, version: str
    ) -> tuple[tuple[ResourceEntry, ...] | None, bool]:
        """At most one of Resource / NotResource; none only in a resource-based policy (a trust policy)."""
        has_res, has_not = "Resource" in raw, "NotResource" in raw
        if has_res and has_not:
            self.error(
                "conflicting_elements", path, "a statement cannot have both `Resource` and `NotResource`"
            )
            return None, False
        if not has_res and not has_not:
            if self.kind != "resource":
                self.error("missing_element", path, "a statement needs `Resource` or `NotResource`")
            return None, False
        name = "Resource" if has_res else "NotResource"
        values = self.string_list(raw[name], (*path, name), f"`{name}`")
        if values is None:
            return None, False
        entries = []
        for i, text in enumerate(values):
            where = (*path, name) if isinstance(raw[name], str) else (*path, name, i)
            if not text:
                self.error("invalid_value", where, f"`{name}` entries must not be empty")
                continue
            template = parse_template(text, substitute=version == VERSION_2012)
            entries.append(ResourceEntry(text, template, variable_before_fifth_colon(template)))
        return tuple(entries), has_not

    def principal(self, raw: dict[str, Any], path: Path) -> tuple[PrincipalSpec | None, bool]:
        """Principal / NotPrincipal (R5, R6): only in resource-based policies, where one of them is required."""
        has_p, has_not = "Principal" in raw, "NotPrincipal" in raw
        if not has_p and not has_not:
            if self.kind == "resource":
                self.error(
                    "missing_element", path, "a resource-based statement needs `Principal` or `NotPrincipal`"
                )
            return None, False
        name = "Principal" if has_p else "NotPrincipal"
        if self.kind not in _PRINCIPAL_KINDS:
            self.error(
                "element_not_allowed",
                (*path, name),
                f"`{name}` is only allowed in resource-based policies, not in {_KIND_NAMES[self.kind]}",
            )
            return None, False
        if has_p and has_not:
            self.error(
                "conflicting_elements", path, "a statement cannot have both `Principal` and `NotPrincipal`"
            )
            return None, False
        value = raw[name]
        where = (*path, name)
        if value == "*":
            return PrincipalSpec(star=True), has_not
        if not isinstance(value, dict):
            self.error("wrong_type", where, f'`{name}` must be `*` or an object such as {{"AWS": ...}}')
            return None, False
        if not value:
            self.error("invalid_value", where, f"`{name}` must name at least one principal")
            return None, False
        lists: dict[str, tuple[str, ...]] = {}
        for key, entry in value.items():
            if key not in _PRINCIPAL_TYPES:
                self.unknown(key, (*where, key), "unknown principal type", _PRINCIPAL_TYPES)
                continue
            names = self.string_list(entry, (*where, key), f"`{key}` principals")
            if names is not None:
                lists[key] = names
        star = lists.get("AWS") == ("*",) or "*" in lists.get("AWS", ())
        return (
            PrincipalSpec(
                star=star,
                aws=lists.get("AWS", ()),
                service=lists.get("Service", ()),
                federated=lists.get("Federated", ()),
                canonical=lists.get("CanonicalUser", ()),
            ),
            has_not,
        )

    def conditions(self, raw: Any, path: Path, version: str) -> tuple[Clause, ...]:
        """The Condition block (R8-R12): operator -> key -> value(s); unknown operators are errors."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.error("wrong_type", path, "`Condition` must be an object")
            return ()
        clauses: list[Clause] = []
        for op_name, block in raw.items():
            op = parse_operator(op_name)
            op_path = (*path, op_name)
            if op is None:
                message = f"unknown condition operator `{op_name}`"
                self.error("unknown_operator", op_path, with_hint(message, operator_hint(op_name)))
                continue
            if not isinstance(block, dict):
                self.error(
                    "wrong_type", op_path, f"the `{op_name}` block must be an object of condition keys"
                )
                continue
            for key, raw_values in block.items():
                key_path = (*op_path, key)
                if not key:
                    self.error("invalid_value", key_path, "condition key names must not be empty")
                    continue
                items = raw_values if isinstance(raw_values, list) else [raw_values]
                values = []
                texts = []
                for i, item in enumerate(items):
                    where = (*key_path, i) if isinstance(raw_values, list) else key_path
                    value, problem = read_policy_value(op, item, variables=version == VERSION_2012)
                    if problem is not None:
                        self.error("invalid_condition_value", where, problem)
                    else:
                        values.append(value)
                        texts.append(scalar_text(item) or "")  # read, so a scalar: the text is never None
                clauses.append(Clause(op, key, fold_case(key), tuple(values), tuple(texts)))
        return tuple(clauses)


def _read(source: Any, kind: str, location: str) -> tuple[Policy | None, list[ErrorEntry]]:
    if kind not in KINDS:
        raise ValueError(f"unknown policy kind `{kind}`; expected one of {', '.join(KINDS)}")
    doc, errors = load_document(source)
    errors = [{**e, "policy": location} for e in errors]
    if doc is None and errors:
        return None, errors
    reader = _Reader(kind, location)
    policy = reader.document(doc)
    errors.extend(reader.errors)
    return (policy if not errors else None), errors


def parse_policy(source: PolicyDocument, kind: PolicyKind = "identity", *, location: str = "") -> Policy:
    """Read a policy (dict, or JSON ``str``/``bytes``) of the given kind; raise :class:`PolicyError` listing
    every problem."""
    policy, errors = _read(source, kind, location)
    if errors or policy is None:
        raise PolicyError(errors)
    return policy


def validate_policy(source: PolicyDocument, *, kind: PolicyKind = "identity") -> list[ErrorEntry]:
    """Every problem in a policy document, as ``PolicyError.errors()`` entries; ``[]`` when it is valid."""
    return _read(source, kind, "")[1]


def parse_policies(
    sources: Sequence[Any], kind: PolicyKind, location: str, errors: list[ErrorEntry]
) -> list[Policy]:
    """Read a list of policies, adding problems to ``errors`` (locations ``location/i``)."""
    out = []
    for i, source in enumerate(sources):
        policy, problems = _read(source, kind, f"{location}/{i}")
        errors.extend(problems)
        if policy is not None:
            out.append(policy)
    return out
