"""The engine-driving layer shared by the questions over many cells (``who-can``, ``what-can``, ...).

A question is a grid: principals x cells, where the cells are given as :class:`Block` s (every action of a
block on every resource of it). :func:`evaluate_cells` answers it with the engine only:

1. **Decide every cell** with :func:`iameval.evaluate_grid` (GIL released, ``threads``): the principals of a
   chunk against each group of a block's resources that share one resource policy and owner account (one
   compiled set per principal and group; principals with identical layers share one compiled set).
2. **Pick the cells to explain**: those allowed, and those that may be *conditional*. Missing context keys
   come only from statements whose Action/NotAction (and Principal) match the request (R7), so a cell can be
   conditional only if its action is matched by a statement with a ``Condition`` (or a policy variable in its
   Resource) in one of the layers. That superset is found from the policy documents (patterns matched with
   IAM's ``*``/``?`` rules, case-insensitively); it only chooses which cells to re-evaluate, it decides none.
3. **Explain them** with ``PolicySet.evaluate_many`` (the full :class:`~iameval.engine.Result`: matched
   statements, missing keys), and keep (``keep="reported"``) the allowed cells and the conditional ones that
   could turn into an Allow with the missing keys: a conditional cell is kept when an Allow statement of an
   identity or resource-based policy matches its action, principal and resource and fails only on condition
   keys the request lacks (read from the engine's trace), or when it is allowed already. ``keep="all"`` keeps
   every cell; ``keep="none"`` explains nothing and only counts the cells and the allowed ones
   (:func:`decide_chunk`: audits and benchmarks over millions of cells).

**Units of work and merging.** The unit is a chunk of principals (:func:`run_chunk`, any slice of the
principal list): it returns a :class:`Partial` whose rows carry their grid position (principal position,
block, action index, resource index). Partials merge by concatenation (:meth:`Partial.merge`) and
:meth:`Partial.answers` sorts by position, so any partition of the principals (threads, ``--workers``
processes, Dask) gives the same :class:`~iameval.questions.Answers` as one run. Everything a chunk needs and
returns pickles.

A principal that is not evaluated (a policy the engine rejects, a boundary missing from the export) is listed
in ``Answers.not_evaluated`` with its reason; so is a resource whose policy is not evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy
import numpy.typing

from iameval.account import AccountError, Principal
from iameval.engine import PolicySet, Request, Result, evaluate_grid
from iameval.errors import PolicyError
from iameval.questions.answer import Answer, Answers
from iameval.questions.can import answer_of
from iameval.questions.environment import Environment, Subject

__all__ = ["Block", "Keep", "Partial", "ProgressHook", "Row", "chunks", "decide_chunk", "evaluate_cells", "may_allow",
           "run_chunk"]

ALLOW = 1
#: ``(done, total)`` cells, called as the work proceeds
ProgressHook = Callable[[int, int], None]
#: ``reported``: allowed and possibly-allowed conditional cells; ``all``: every cell
Keep = Literal["reported", "all", "none"]
#: how many principals a chunk has by default
CHUNK = 256


@dataclass(frozen=True, slots=True)
class Block:
    """Cells: every action of ``actions`` on every resource of ``resources`` (ARNs, or ``*``)."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.actions) * len(self.resources)


@dataclass(frozen=True, slots=True)
class Row:
    """One kept answer and its grid position: (principal position, block, action index, resource index)."""

    key: tuple[int, int, int, int]
    answer: Answer


@dataclass(frozen=True, slots=True)
class Partial:
    """What a chunk of principals produced: its rows, what it could not evaluate (``(position, ARN, reason)``,
    position ``-1`` for a resource), how many cells it decided and how many of them were allowed. Mergeable,
    picklable."""

    rows: tuple[Row, ...] = ()
    not_evaluated: tuple[tuple[int, str, str], ...] = ()
    cells: int = 0
    allowed: int = 0

    def merge(self, other: Partial) -> Partial:
        return Partial(self.rows + other.rows, self.not_evaluated + other.not_evaluated, self.cells + other.cells,
                       self.allowed + other.allowed)

    @classmethod
    def concat(cls, parts: Sequence[Partial]) -> Partial:
        """Several partials merged, in order (what :func:`iameval.questions.run` needs of a result)."""
        merged = cls()
        for part in parts:
            merged = merged.merge(part)
        return merged

    def answers(self) -> Answers:
        """The rows in grid order; each principal or resource not evaluated once, in order."""
        rows = sorted(self.rows, key=lambda r: r.key)
        seen: dict[str, str] = {}
        for _, arn, reason in sorted(self.not_evaluated, key=lambda n: (n[0], n[1])):
            seen.setdefault(arn, reason)
        return Answers([r.answer for r in rows], list(seen.items()))


def chunks(count: int, size: int = CHUNK) -> list[range]:
    """The principal positions ``0..count`` cut into consecutive chunks of at most ``size``."""
    size = max(1, size)
    return [range(start, min(count, start + size)) for start in range(0, count, size)]


def evaluate_cells(env: Environment, principals: Sequence[Principal], blocks: Sequence[Block],
                   context: Mapping[str, Any] | None = None, *, keep: Keep = "reported",
                   threads: int | None = None, chunk_size: int = CHUNK,
                   progress: ProgressHook | None = None) -> Answers:
    """Answer ``principals`` x ``blocks`` (module docstring), in one process, chunk after chunk."""
    total = len(principals) * sum(b.size for b in blocks)
    done = 0
    merged = Partial()

    def step(cells: int) -> None:
        nonlocal done
        done += cells
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    for positions in chunks(len(principals), chunk_size):
        part = run_chunk(env, [principals[i] for i in positions], blocks, context, keep=keep, threads=threads,
                         first=positions.start, on_cells=step)
        merged = merged.merge(part)
    return merged.answers()


def run_chunk(env: Environment, principals: Sequence[Principal], blocks: Sequence[Block],
              context: Mapping[str, Any] | None = None, *, keep: Keep = "reported", threads: int | None = None,
              first: int = 0, on_cells: Callable[[int], None] | None = None) -> Partial:
    """One unit of work: ``principals`` (at positions ``first``, ``first + 1``, ...) on every block.
    :class:`~iameval.errors.RequestError` for a malformed action or context value."""
    rows: list[Row] = []
    skipped: list[tuple[int, str, str]] = []
    live: list[tuple[int, Principal]] = []
    for offset, principal in enumerate(principals):
        error = principal.error
        if error is None:
            live.append((first + offset, principal))
        else:
            skipped.append((first + offset, principal.arn, error))
    cells = 0
    allowed = [0]
    subjects: dict[str, Subject] = {}
    for b_index, block in enumerate(blocks):
        for r_indexes, subject in _resource_groups(env, block, subjects):
            for a_indexes, own in _action_groups(env, block, subject):
                resource = own.resource
                if resource is not None and resource.error is not None:
                    skipped.append((-1, resource.arn, f"its policy is not evaluated: {resource.error}"))
                    continue
                group = _Group(env, block, b_index, r_indexes, subjects, context, keep, threads, a_indexes, own,
                               allowed)
                group.run(live, rows, skipped)
                cells += len(live) * len(a_indexes) * len(r_indexes)
                if on_cells is not None:
                    on_cells(len(principals) * len(a_indexes) * len(r_indexes))
    return Partial(tuple(rows), tuple(skipped), cells, allowed[0])


def decide_chunk(env: Environment, principals: Sequence[str], *, blocks: Sequence[Block],
                 context: Mapping[str, Any] | None = None, threads: int | None = None) -> Partial:
    """Decide every cell of ``principals`` (ARNs) x ``blocks`` and count them (``keep="none"``: no row is
    explained): a question :func:`iameval.questions.run` can send to worker processes or a Dask cluster for
    organization-wide counts."""
    return run_chunk(env, [env.principal(p) for p in principals], blocks, context, keep="none", threads=threads)


def _resource_groups(env: Environment, block: Block, subjects: dict[str, Subject]
                     ) -> list[tuple[list[int], Subject]]:
    """The block's resources grouped by (resource policy, owner account): one compiled set per principal and
    group. Each group: its resource indexes and a representative subject."""
    groups: dict[tuple[int, str | None], tuple[list[int], Subject]] = {}
    for index, arn in enumerate(block.resources):
        subject = subjects.get(arn)
        if subject is None:
            subject = subjects[arn] = env.subject(arn)
        key = (0 if subject.resource is None else id(subject.resource), subject.owner_account)
        groups.setdefault(key, ([], subject))[0].append(index)
    return list(groups.values())


def _action_groups(env: Environment, block: Block, subject: Subject) -> list[tuple[list[int], Subject]]:
    """The block's actions split by the resource policy that governs them on ``subject``: a role's trust policy
    is its resource policy for ``sts:`` actions only (:meth:`Environment.for_action`), so on a role the
    ``sts:`` actions and the others form two groups."""
    everything = list(range(len(block.actions)))
    if not env.is_trust(subject):
        return [(everything, subject)]
    sts = [i for i in everything if block.actions[i].lower().startswith("sts:")]
    other = [i for i in everything if not block.actions[i].lower().startswith("sts:")]
    groups: list[tuple[list[int], Subject]] = []
    if sts:
        groups.append((sts, subject))
    if other:
        groups.append((other, env.for_action(subject, block.actions[other[0]])))
    return groups


@dataclass
class _Group:
    """The cells of one block on one group of resources, for the principals of a chunk."""

    env: Environment
    block: Block
    b_index: int
    r_indexes: list[int]
    subjects: dict[str, Subject]
    context: Mapping[str, Any] | None
    keep: Keep
    threads: int | None
    a_indexes: list[int]  # the block's actions this group decides
    subject: Subject  # the representative subject (its resource policy and owner) of the group
    allowed: list[int]  # the chunk's count of allowed cells (one cell: shared by the chunk's groups)
    _sets: dict[tuple[Any, ...], PolicySet] = field(default_factory=dict)

    def run(self, live: Sequence[tuple[int, Principal]], rows: list[Row],
            skipped: list[tuple[int, str, str]]) -> None:
        block = self.block
        resources = [block.resources[i] for i in self.r_indexes]
        actions = tuple(block.actions[i] for i in self.a_indexes)
        rep = self.subject
        sets: list[PolicySet] = []
        requests: list[Request] = []
        members: list[tuple[int, Principal]] = []
        for position, principal in live:
            try:
                policy_set = self._policy_set(principal, rep)
            except (AccountError, PolicyError) as error:
                skipped.append((position, principal.arn, str(error)))
                continue
            sets.append(policy_set)
            requests.append(self.env.request(principal, actions[0], rep, self.context))
            members.append((position, principal))
        if not members:
            return
        codes = evaluate_grid(
            sets, [r.principal for r in requests], actions, resources,
            contexts=[dict(r.context) for r in requests],
            principal_accounts=[r.principal_account or None for r in requests],
            resource_accounts=None if rep.owner_account is None else rep.owner_account,
            threads=self.threads)
        self.allowed[0] += int(numpy.count_nonzero(codes == ALLOW))
        if self.keep == "none":
            return
        for i, (position, principal) in enumerate(members):
            plane = codes[i]
            if self.keep == "all":
                wanted = numpy.ones(plane.shape, dtype=bool)
            else:
                wanted = plane == ALLOW
                candidates = _conditioned_mask(self.env, principal, rep, actions)
                if candidates is not None:
                    wanted |= candidates[:, None]
            picked = numpy.argwhere(wanted)
            if len(picked) == 0:
                continue
            base = requests[i]
            batch = [Request(principal=base.principal, action=actions[a], resource=resources[r],
                             context=base.context, principal_account=base.principal_account or None,
                             resource_account=base.resource_account or None)
                     for a, r in picked]
            results = sets[i].evaluate_many(batch, threads=self.threads) if len(batch) > 1 else \
                [sets[i].evaluate(batch[0])]
            named: dict[tuple[Any, ...], Answer] = {}
            for (a, r), request, result in zip(picked, batch, results, strict=True):
                if self.keep != "all" and not self._reported(sets[i], request, result):
                    continue
                rows.append(Row((position, self.b_index, self.a_indexes[int(a)], self.r_indexes[int(r)]),
                                self._answer(named, principal, request, resources[r], result)))

    def _answer(self, named: dict[tuple[Any, ...], Answer], principal: Principal, request: Request,
                resource: str, result: Result) -> Answer:
        """:func:`~iameval.questions.can.answer_of`, its statement names computed once per distinct outcome
        (the resources of a group share one resource policy, so the names do not depend on the cell)."""
        key = (result.decision, result.decided_by, tuple(result.missing_context_keys), tuple(result.matched))
        found = named.get(key)
        if found is None:
            subject = Subject(resource, self.subject.owner_account, self.subject.resource)
            found = named[key] = answer_of(self.env, principal, request.action, subject, result)
        return Answer(principal.arn, request.action, resource, found.decision, found.decided_by,
                      found.missing_context_keys, found.matched)

    def _policy_set(self, principal: Principal, subject: Subject) -> PolicySet:
        """The compiled set of ``principal`` for the group; principals with identical layers share one."""
        key = (tuple(id(d) for d in principal.identity_documents),
               id(principal.boundary.document) if principal.boundary is not None else 0,
               principal.service_linked, principal.account_id)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = self.env.policy_set(principal, subject)
        return found

    @staticmethod
    def _reported(policy_set: PolicySet, request: Request, result: Result) -> bool:
        if str(result.decision) == "Allow":
            return True
        if not result.missing_context_keys:
            return False
        return may_allow(policy_set.evaluate(request, trace=True))


def may_allow(result: Result) -> bool:
    """Whether an Allow statement of an identity or resource-based policy matches the request's action,
    principal and resource and fails (if at all) only on condition keys the request lacks: with those keys the
    request could be allowed. Needs a result evaluated with ``trace=True``."""
    trace = result.trace
    if trace is None:
        return False
    for layer in trace.layers:
        if layer.policy_type not in ("identity", "resource") or not layer.applies:
            continue
        for st in layer.statements:
            if st.effect != "Allow" or not st.action.matched or not st.resource.matched:
                continue
            if st.principal is not None and not st.principal.matched:
                continue
            if all(c.result or c.request_values is None for c in st.conditions):
                return True
    return False


# -- which actions can be conditional ---------------------------------------------------------------------------

#: per policy document (by id, the document kept alive alongside): its conditioned statements' matchers
_DOC_MATCHERS: dict[int, tuple[Any, list[Callable[[str], bool]] | None]] = {}
_MASKS: dict[tuple[int, int], tuple[Any, Any, numpy.typing.NDArray[numpy.bool_]]] = {}


def _conditioned_mask(env: Environment, principal: Principal, subject: Subject, actions: tuple[str, ...]
                      ) -> numpy.typing.NDArray[numpy.bool_] | None:
    """For each action, whether some statement with a Condition (or a variable in its Resource) of the layers
    deciding ``principal`` on ``subject`` may match it (a superset); ``None`` when none can."""
    found: numpy.typing.NDArray[numpy.bool_] | None = None
    for doc in _layer_documents(env, principal, subject):
        mask = _doc_mask(doc, actions)
        if mask is not None:
            found = mask.copy() if found is None else found | mask
    return found


def _layer_documents(env: Environment, principal: Principal, subject: Subject) -> Iterable[Any]:
    yield from principal.identity_documents
    if principal.boundary is not None:
        yield principal.boundary.document
    org = env.organization
    if org is not None:
        owner = subject.owner_account or principal.account_id
        for account, kind in ((principal.account_id, "SCP"), (owner, "RCP")):
            if account in org:
                levels = org.scp_levels(account) if kind == "SCP" else org.rcp_levels(account)
                for level in levels or ():
                    yield from level
    if subject.resource is not None:
        yield subject.resource.policy


def _doc_mask(doc: Any, actions: tuple[str, ...]) -> numpy.typing.NDArray[numpy.bool_] | None:
    cached = _MASKS.get((id(doc), id(actions)))
    if cached is not None and cached[0] is doc and cached[1] is actions:
        return cached[2] if cached[2].any() else None
    matchers = _doc_matchers(doc)
    if matchers is None:
        mask = numpy.ones(len(actions), dtype=bool)
    else:
        mask = numpy.zeros(len(actions), dtype=bool)
        for matcher in matchers:
            mask |= numpy.fromiter((matcher(a) for a in actions), dtype=bool, count=len(actions))
    if len(_MASKS) > 4096:
        _MASKS.clear()
    _MASKS[(id(doc), id(actions))] = (doc, actions, mask)
    return mask if mask.any() else None


def _doc_matchers(doc: Any) -> list[Callable[[str], bool]] | None:
    """Matchers of the actions of the document's conditioned statements; ``None``: any action (a document
    that cannot be read here)."""
    cached = _DOC_MATCHERS.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    try:
        matchers: list[Callable[[str], bool]] | None = _read_matchers(doc)
    except (ValueError, TypeError, AttributeError):
        matchers = None
    if len(_DOC_MATCHERS) > 65536:
        _DOC_MATCHERS.clear()
    _DOC_MATCHERS[id(doc)] = (doc, matchers)
    return matchers


def _read_matchers(doc: Any) -> list[Callable[[str], bool]]:
    if isinstance(doc, (str, bytes)):
        doc = json.loads(doc)
    statements = doc.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    out: list[Callable[[str], bool]] = []
    for st in statements:
        if not _conditioned(st):
            continue
        if "Action" in st:
            out.append(_pattern_matcher(_strings(st["Action"]), negate=False))
        elif "NotAction" in st:
            out.append(_pattern_matcher(_strings(st["NotAction"]), negate=True))
        else:
            out.append(lambda _a: True)
    return out


def _conditioned(statement: Mapping[str, Any]) -> bool:
    if statement.get("Condition"):
        return True
    return any("${" in r for key in ("Resource", "NotResource") for r in _strings(statement.get(key, [])))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise TypeError("not a list of strings")
        return value
    raise TypeError("not a string or a list")


def _pattern_matcher(patterns: list[str], *, negate: bool) -> Callable[[str], bool]:
    """R3: ``*`` any run, ``?`` one character, case-insensitively, the whole name."""
    if not patterns:
        return lambda _a: negate
    text = "|".join("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p)
                    for p in patterns)
    rx = re.compile(f"(?:{text})", re.IGNORECASE | re.DOTALL)
    if negate:
        return lambda a: rx.fullmatch(a) is None
    return lambda a: rx.fullmatch(a) is not None
