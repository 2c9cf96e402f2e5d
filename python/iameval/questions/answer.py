"""One answer of a question (principal, action, resource, decision, why), and a table of them.

Every question (``can``, ``who-can``, ``what-can``, ``external-access``, ``privesc``) answers with rows of the
same shape, :class:`Answer`: ``principal`` (ARN), ``action``, ``resource``, ``decision`` (``Allow`` /
``ExplicitDeny`` / ``ImplicitDeny``), ``decided_by`` (the layer that decided: ``identity``, ``scp``,
``resource``, ...), ``conditional``, ``missing_context_keys`` and ``matched`` (the deciding statements as
:class:`PolicyRef`: policy type, policy name or ARN, statement index, Sid).

**Conditional.** An answer is conditional when the policies that matched the action and principal asked for
context keys the question did not give (``missing_context_keys`` not empty): with those keys the decision
may differ (an MFA condition, a source IP, a resource tag). Such an answer is reported as conditional, with
the keys, never as a plain yes or no.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, TypeVar, overload

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["FIELDS", "Answer", "Answers", "PolicyRef", "Table"]

T = TypeVar("T")

#: the columns of every table of answers, in order
FIELDS = ("principal", "action", "resource", "decision", "decided_by", "conditional", "missing_context_keys",
          "matched")


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """A statement that decided: ``policy_type`` (``identity``, ``resource``, ``permission_boundary``, ``scp``,
    ``rcp``, ...), ``policy`` (an inline policy's ``user/NAME/POLICY``, a managed policy's ARN, an SCP's or
    RCP's id and name, a resource's ARN), its ``statement_index`` and ``sid``, and its ``effect``."""

    policy_type: str
    policy: str
    statement_index: int
    sid: str | None
    effect: str

    def to_dict(self) -> dict[str, Any]:
        return {"policy_type": self.policy_type, "policy": self.policy, "statement_index": self.statement_index,
                "sid": self.sid, "effect": self.effect}

    def label(self) -> str:
        sid = f" ({self.sid})" if self.sid else ""
        return f"{self.policy_type} {self.policy} #{self.statement_index}{sid} {self.effect}"


@dataclass(frozen=True, slots=True)
class Answer:
    """The decision for one principal, action and resource, and why (module docstring)."""

    principal: str
    action: str
    resource: str
    decision: str
    decided_by: str
    missing_context_keys: tuple[str, ...] = ()
    matched: tuple[PolicyRef, ...] = ()

    @property
    def conditional(self) -> bool:
        """True when the decision may change with context keys the question did not give."""
        return bool(self.missing_context_keys)

    @property
    def allowed(self) -> bool:
        return self.decision == "Allow"

    def to_dict(self) -> dict[str, Any]:
        """The answer with the keys of :data:`FIELDS` (JSON types)."""
        return {"principal": self.principal, "action": self.action, "resource": self.resource,
                "decision": self.decision, "decided_by": self.decided_by, "conditional": self.conditional,
                "missing_context_keys": list(self.missing_context_keys),
                "matched": [m.to_dict() for m in self.matched]}


class Table(Sequence[T]):
    """An immutable sequence of rows with the principals (or resources) left out, each with the reason
    (``not_evaluated``: a policy the engine rejects, a boundary missing from the export), never silently
    dropped: the base of :class:`Answers` and of the questions' finding tables. Tables of one type compare
    equal row for row and concatenate in order (:meth:`concat`, for results computed in chunks)."""

    __slots__ = ("_rows", "not_evaluated")

    def __init__(self, rows: Iterable[T] = (), not_evaluated: Iterable[tuple[str, str]] = ()) -> None:
        self._rows: tuple[T, ...] = tuple(rows)
        self.not_evaluated: tuple[tuple[str, str], ...] = tuple(not_evaluated)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Self: ...
    def __getitem__(self, index: int | slice) -> T | Self:
        if isinstance(index, slice):
            return type(self)(self._rows[index], self.not_evaluated)
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[T]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self._rows)} rows, {len(self.not_evaluated)} not evaluated)"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Table)
        return self._rows == other._rows and self.not_evaluated == other.not_evaluated

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def concat(cls, parts: Sequence[Self]) -> Self:
        """The rows and the ones not evaluated of several tables, in order."""
        return cls([r for part in parts for r in part], [n for part in parts for n in part.not_evaluated])


class Answers(Table[Answer]):
    """An immutable table of answers: a sequence of :class:`Answer`, written as JSON, CSV, a pandas frame or
    an Arrow table. ``not_evaluated`` lists the principals left out, each with the reason (a policy the
    engine rejects, a boundary missing from the export), never silently dropped."""

    __slots__ = ()

    def to_dicts(self) -> list[dict[str, Any]]:
        return [a.to_dict() for a in self._rows]

    def to_json(self) -> str:
        """One JSON array, an object per answer (the keys of :data:`FIELDS`)."""
        return json.dumps(self.to_dicts(), ensure_ascii=False)

    def to_csv(self) -> str:
        """CSV with a header row; ``missing_context_keys`` joined by ``;``, ``matched`` as labels joined by
        ``;``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for a in self._rows:
            writer.writerow([a.principal, a.action, a.resource, a.decision, a.decided_by, str(a.conditional).lower(),
                             ";".join(a.missing_context_keys), ";".join(m.label() for m in a.matched)])
        return out.getvalue()

    def to_arrow(self) -> pyarrow.Table:
        """An Arrow table with the columns of :data:`FIELDS` (``missing_context_keys`` a list of strings,
        ``matched`` a list of structs). Needs ``pyarrow`` (``pip install iameval[accounts]``)."""
        try:
            import pyarrow as pa
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("Answers.to_arrow() needs pyarrow: pip install 'iameval[accounts]'") from exc
        ref = pa.struct([("policy_type", pa.string()), ("policy", pa.string()), ("statement_index", pa.int64()),
                         ("sid", pa.string()), ("effect", pa.string())])
        schema = pa.schema([("principal", pa.string()), ("action", pa.string()), ("resource", pa.string()),
                            ("decision", pa.string()), ("decided_by", pa.string()), ("conditional", pa.bool_()),
                            ("missing_context_keys", pa.list_(pa.string())), ("matched", pa.list_(ref))])
        return pa.Table.from_pylist(self.to_dicts(), schema=schema)

    @classmethod
    def from_arrow(cls, table: pyarrow.Table, not_evaluated: Sequence[tuple[str, str]] = ()) -> Answers:
        """The answers of an Arrow table written by :meth:`to_arrow` (``conditional`` is derived again from
        ``missing_context_keys``)."""
        rows = []
        for r in table.to_pylist():
            refs = tuple(PolicyRef(m["policy_type"], m["policy"], m["statement_index"], m["sid"], m["effect"])
                         for m in r["matched"] or ())
            rows.append(Answer(r["principal"], r["action"], r["resource"], r["decision"], r["decided_by"],
                               tuple(r["missing_context_keys"] or ()), refs))
        return cls(rows, not_evaluated)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas frame with the columns of :data:`FIELDS`. Needs ``pandas`` and ``pyarrow``."""
        try:
            import pandas  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("Answers.to_pandas() needs pandas: pip install 'iameval[accounts]'") from exc
        return self.to_arrow().to_pandas()
