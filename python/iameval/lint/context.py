"""What a check sees: the parsed document, its kind, the catalog, and ``report``.

Checks read the document as ``json.loads`` gives it (objects are :class:`~iameval.reference.document.JsonObject`
dicts that remember duplicate keys) and report problems by *path* (a tuple of keys and indices); the runner
turns paths into JSON pointers and spans afterwards, so checks never deal with text positions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from iameval.catalog import Catalog

__all__ = ["POLICY_TYPES", "LintContext", "PolicyType", "Report", "Statement"]

PolicyType = Literal["identity", "resource", "scp", "rcp", "trust", "boundary", "session"]
POLICY_TYPES: tuple[PolicyType, ...] = ("identity", "resource", "scp", "rcp", "trust", "boundary", "session")

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """A problem as a check reports it, before the runner places it in the text."""

    code: str
    path: Path
    message: str
    hint: str = ""
    on_key: bool = False  # the span is the member name at ``path`` rather than its value
    substring: tuple[int, int] | None = None  # (start, length) inside the string value at ``path``
    statement: int | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of the document: its ``path`` (``("Statement", 2)``, or ``("Statement",)`` when the
    document's ``Statement`` is a single object), its position ``index``, and its members ``data``."""

    path: Path
    index: int
    data: Mapping[str, Any]
    #: per-statement memo for checks: ``strings(element)`` under the element name, checks under tuple keys
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def sid(self) -> str | None:
        sid = self.data.get("Sid")
        return sid if isinstance(sid, str) else None

    @property
    def effect(self) -> str | None:
        effect = self.data.get("Effect")
        return effect if isinstance(effect, str) else None

    def strings(self, element: str) -> list[tuple[Path, str]]:
        """The string values of an element that takes a string or a list of strings (``Action``,
        ``NotResource``, ...), each with its path; non-string entries are skipped (grammar checks report them).
        The list is shared between callers: do not change it."""
        found: list[tuple[Path, str]] | None = self.memo.get(element)
        if found is None:
            value = self.data.get(element)
            base = (*self.path, element)
            if isinstance(value, str):
                found = [(base, value)]
            elif isinstance(value, list):
                # hot: every check reads Action and Resource
                found = [((*base, i), v) for i, v in enumerate(value) if type(v) is str or isinstance(v, str)]
            else:
                found = []
            self.memo[element] = found
        return found


@dataclass
class LintContext:
    """The document being linted and the findings reported so far."""

    doc: Mapping[str, Any]
    kind: PolicyType
    text: str
    file: str = ""
    catalog_loader: Callable[[], Catalog | None] | None = None
    resource_type: str | None = None  # ``AWS::S3::Bucket``: what a resource policy is attached to, when known
    reports: list[Report] = field(default_factory=list)
    _statements: list[Statement] | None = None
    _catalog: Catalog | None = None
    _catalog_loaded: bool = False
    #: what the runner learnt while parsing the text (the defaults are the safe answers for a context built
    #: without it): whether an object repeats a key, and whether ``json.dumps(doc)`` reproduces the text up to
    #: whitespace (no escape, float or repeated key)
    duplicate_keys: bool = True
    canonical_text: bool = False
    #: per-document memo for checks (e.g. a statement's actions indexed by service), keyed by the check's own keys
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def catalog(self) -> Catalog | None:
        """AWS's action catalog (loaded on first use), or None when the caller gave none and none loads."""
        if not self._catalog_loaded:
            self._catalog_loaded = True
            self._catalog = self.catalog_loader() if self.catalog_loader is not None else None
        return self._catalog

    @property
    def statements(self) -> list[Statement]:
        """The statements that are objects (a non-object entry is a grammar finding, not a statement)."""
        if self._statements is None:
            found: list[Statement] = []
            body = self.doc.get("Statement")
            if isinstance(body, Mapping):
                found.append(Statement(("Statement",), 0, body))
            elif isinstance(body, list):
                for i, entry in enumerate(body):
                    if isinstance(entry, Mapping):
                        found.append(Statement(("Statement", i), i, entry))
            self._statements = found
        return self._statements

    def report(
        self,
        code: str,
        path: Path,
        message: str,
        *,
        hint: str = "",
        on_key: bool = False,
        substring: tuple[int, int] | None = None,
    ) -> None:
        """Report ``code`` at ``path`` (``("Statement", 0, "Action", 2)``) with a one-line ``message`` naming the
        offending value in backticks, and a ``hint`` saying how to fix it."""
        statement = None
        if len(path) >= 1 and path[0] == "Statement":
            if len(path) >= 2 and isinstance(path[1], int):
                statement = path[1]
            elif isinstance(self.doc.get("Statement"), Mapping) and len(path) >= 2:
                statement = 0
        self.reports.append(Report(code, path, message, hint, on_key, substring, statement))
