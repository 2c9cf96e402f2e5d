"""The batch API (README.md, "Batch evaluation"): ``PolicySet.decide_many``, ``PolicySet.evaluate_many(threads=)``,
``iameval.evaluate_grid`` and ``iameval.DECISION_CODES``.

- ``decide_many`` == ``[r.decision for r in evaluate_many(...)]`` == the reference's decisions, on every vector
  (ours and ../shared/conformance, grouped by identical policy sets) and on hypothesis ``case_batches``, every
  row (explicit accounts as ``principal_accounts`` / ``resource_accounts`` columns, R1);
- argument forms that must agree: ``principal=`` vs a ``principals=`` column, ``contexts`` None / ``{}`` /
  ``[{}] * n`` / ``[None] * n``, one shared dict vs that dict repeated, columns as list, tuple, numpy (``U``
  and ``object``), pyarrow (``string``, ``large_string``, ``ChunkedArray``);
- ``threads`` never changes a result (1, 2, None; on 20,000 rows, so the work is really split);
- ``evaluate_grid``: shape ``(P, A, R)``, C order, equal to ``decide_many`` per principal and to the reference;
- return types: a numpy ``uint8`` array when numpy is installed, else a ``bytearray``; ``as_list=True`` gives
  ``Decision`` members;
- errors: ``RequestError`` entries pointing at the argument and row, ``TypeError`` for principal/principals
  misuse and for a non-``PolicySet`` in ``evaluate_grid``;
- the GIL is released while the batch is evaluated (a deterministic check, see ``_main_thread_ran_during``).

The numpy and pyarrow tests skip when those packages are not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import iameval
import iameval.reference as reference
import pytest
import strategies as S
from hypothesis import HealthCheck, given, settings
from iameval import Decision, PolicySet, Request, RequestError
from iameval.errors import json_pointer
from iameval.reference.request import read_request
from vector_files import load_vectors

TESTS = Path(__file__).resolve().parent
OWN_DIR = TESTS / "vectors"
CONFORMANCE_DIR = TESTS.parent.parent / "shared" / "conformance"

REF = reference.PolicySet
HAVE_NUMPY = importlib.util.find_spec("numpy") is not None

# -- helpers ----------------------------------------------------------------------------------------------------


def _load(directory: Path) -> list[dict[str, Any]]:
    return [case for _, case in load_vectors(directory)]


def _decisions(out: Any, shape: tuple[int, ...]) -> list[Decision]:
    """Check the documented return type of ``decide_many`` / ``evaluate_grid`` and decode it (flat, C order)."""
    size = 1
    for n in shape:
        size *= n
    if HAVE_NUMPY:
        np: Any = importlib.import_module("numpy")
        assert isinstance(out, np.ndarray), type(out)
        assert out.dtype == np.uint8
        assert out.shape == shape
        codes = [int(c) for c in out.reshape(-1).tolist()]
    else:
        assert type(out) is bytearray, type(out)
        assert len(out) == size
        codes = list(out)
    return [iameval.DECISION_CODES[c] for c in codes]


def _check_list(listed: Any, size: int) -> list[Decision]:
    assert type(listed) is list
    assert len(listed) == size
    assert all(type(d) is Decision for d in listed)
    return listed


def _decide(ps: PolicySet, actions: Any, resources: Any, **kwargs: Any) -> list[Decision]:
    """``ps.decide_many`` decoded; ``as_list=True`` must give the same decisions."""
    n = len(actions)
    decisions = _decisions(ps.decide_many(actions, resources, **kwargs), (n,))
    assert _check_list(ps.decide_many(actions, resources, as_list=True, **kwargs), n) == decisions
    return decisions


def _grid(
    policy_sets: Sequence[PolicySet], principals: Any, actions: Any, resources: Any, **kwargs: Any
) -> list[Decision]:
    """``iameval.evaluate_grid`` decoded (flat, C order); ``as_list=True`` must give the same decisions."""
    shape = (len(policy_sets), len(actions), len(resources))
    decisions = _decisions(
        iameval.evaluate_grid(policy_sets, principals, actions, resources, **kwargs), shape
    )
    listed = iameval.evaluate_grid(policy_sets, principals, actions, resources, as_list=True, **kwargs)
    assert _check_list(listed, len(decisions)) == decisions
    return decisions


def _has_accounts(request: Mapping[str, Any]) -> bool:
    """Whether ``request`` gives an account that differs from the R1 default."""
    given_ = read_request(request)
    default = read_request(
        {k: v for k, v in request.items() if k not in ("principal_account", "resource_account")}
    )
    return (given_.principal_account, given_.resource_account) != (
        default.principal_account,
        default.resource_account,
    )


def _columns(requests: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    return {
        "actions": [r["action"] for r in requests],
        "resources": [r.get("resource", "*") for r in requests],
        "principals": [r["principal"] for r in requests],
        "contexts": [r.get("context") for r in requests],
        "principal_accounts": [r.get("principal_account") for r in requests],
        "resource_accounts": [r.get("resource_account") for r in requests],
    }


def _check_group(policies: Any, requests: list[dict[str, Any]]) -> tuple[int, list[Any]]:
    """Compare the batch calls with the reference on one policy set. Returns (rows decided, mismatches)."""
    rust_ps, ref_ps = PolicySet.from_vector(policies), REF.from_vector(policies)
    expected = [ref_ps.evaluate(r).decision for r in requests]
    mismatches: list[Any] = []
    many = [r.decision for r in rust_ps.evaluate_many(requests)]
    if many != expected:
        mismatches.append(("evaluate_many", requests, many, expected))
    rows = list(range(len(requests)))
    if rows:
        cols = _columns(requests)
        accounts = {
            "principal_accounts": cols["principal_accounts"],
            "resource_accounts": cols["resource_accounts"],
        }
        got = _decide(
            rust_ps,
            cols["actions"],
            cols["resources"],
            principals=cols["principals"],
            contexts=cols["contexts"],
            **accounts,
        )
        if got != expected:
            mismatches.append(("decide_many", requests, got, expected))
        if len(set(cols["principals"])) == 1:
            single = _decide(
                rust_ps,
                cols["actions"],
                cols["resources"],
                principal=cols["principals"][0],
                contexts=cols["contexts"],
                **accounts,
            )
            if single != expected:
                mismatches.append(("decide_many principal=", requests, single, expected))
        plain = [i for i in rows if not _has_accounts(requests[i])]  # without account columns
        if plain:
            sub = _columns([requests[i] for i in plain])
            got = _decide(
                rust_ps,
                sub["actions"],
                sub["resources"],
                principals=sub["principals"],
                contexts=sub["contexts"],
            )
            if got != [expected[i] for i in plain]:
                mismatches.append(("decide_many without accounts", plain, got, expected))
    return len(rows), mismatches


def _pointers(exc: pytest.ExceptionInfo[RequestError]) -> list[str]:
    entries = exc.value.errors()
    for e in entries:
        assert set(e) == {"type", "policy", "pointer", "path", "message"}, e
        assert isinstance(e["path"], tuple)
        assert json_pointer(e["path"]) == e["pointer"], e
        assert e["message"]
    return [e["pointer"] for e in entries]


# -- a policy set whose answers depend on principal, action, resource and context ---------------------------------

FULL_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
POLICIES: dict[str, Any] = {
    "identity": [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Read",
                    "Effect": "Allow",
                    "Action": ["s3:Get*", "s3:List*"],
                    "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
                },
                {
                    "Sid": "OwnHome",
                    "Effect": "Allow",
                    "Action": "s3:PutObject",
                    "Resource": "arn:aws:s3:::data/home/${aws:username}/*",
                },
                {
                    "Sid": "Office",
                    "Effect": "Allow",
                    "Action": "ec2:*",
                    "Resource": "*",
                    "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
                },
                {
                    "Sid": "NoSecrets",
                    "Effect": "Deny",
                    "Action": "s3:*",
                    "Resource": "arn:aws:s3:::data/secret/*",
                },
            ],
        }
    ],
    "resource": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Partner",
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::222222222222:root", "events.amazonaws.com"]},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::data/shared/*",
            },
            {
                "Sid": "ServiceReads",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::data/*",
            },
        ],
    },
    "permission_boundary": None,
    "session": None,
    "scps": [
        [FULL_ACCESS],
        [
            FULL_ACCESS,
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Regions",
                        "Effect": "Deny",
                        "NotAction": ["iam:*", "sts:*", "s3:*"],
                        "Resource": "*",
                        "Condition": {"StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
                    }
                ],
            },
        ],
    ],
    "rcps": None,
}
PRINCIPALS = [
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:user/dev/bob",
    "arn:aws:sts::111111111111:assumed-role/app/session-1",
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::222222222222:user/carol",
    "events.amazonaws.com",
]
ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "S3:getObject",
    "ec2:RunInstances",
    "ec2:DescribeInstances",
    "iam:GetRole",
    "sts:GetCallerIdentity",
    "dynamodb:GetItem",
    "sqs:SendMessage",
    "kms:Decrypt",
]
RESOURCES = [
    "arn:aws:s3:::data/home/alice/report.csv",
    "arn:aws:s3:::data/secret/key",
    "arn:aws:s3:::data/shared/ключ-ü.txt",
    "arn:aws:s3:::data",
    "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
    "*",
]
OFFICE = {"aws:SourceIp": "10.1.2.3", "aws:RequestedRegion": "eu-west-1", "aws:username": "alice"}
CONTEXTS: list[dict[str, Any] | None] = [
    OFFICE,
    {},
    {"aws:SourceIp": "192.0.2.1", "aws:RequestedRegion": "us-east-1", "aws:username": "bob"},
    None,
    {"aws:TagKeys": ["a", "b"], "aws:RequestedRegion": "eu-west-1", "aws:SourceIp": "10.9.9.9"},
]
#: every principal x action x resource (432 rows), contexts cycling
BASE_ROWS = [
    {"principal": p, "action": a, "resource": r, "context": CONTEXTS[i % len(CONTEXTS)]}
    for i, (p, a, r) in enumerate(itertools.product(PRINCIPALS, ACTIONS, RESOURCES))
]
BIG = 20_000


def _rows(n: int) -> list[dict[str, Any]]:
    """``n`` rows: the base rows cycled, with the context shifted each cycle (so the pairs vary)."""
    return [
        {**BASE_ROWS[i % len(BASE_ROWS)], "context": CONTEXTS[(i + i // len(BASE_ROWS)) % len(CONTEXTS)]}
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def ps() -> PolicySet:
    return PolicySet.from_vector(POLICIES)


@pytest.fixture(scope="module")
def base_expected() -> list[Decision]:
    ref_ps = REF.from_vector(POLICIES)
    return [ref_ps.evaluate(r).decision for r in BASE_ROWS]


def test_decision_codes() -> None:
    assert iameval.DECISION_CODES == {0: Decision.IMPLICIT_DENY, 1: Decision.ALLOW, 2: Decision.EXPLICIT_DENY}
    assert all(type(d) is Decision for d in iameval.DECISION_CODES.values())


def test_fixture_batch_equals_reference_and_covers_every_decision(
    ps: PolicySet, base_expected: list[Decision]
) -> None:
    assert set(base_expected) == set(Decision)  # the fixture can tell wrong answers apart
    cols = _columns(BASE_ROWS)
    got = _decide(
        ps, cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
    )
    assert got == base_expected
    assert [r.decision for r in ps.evaluate_many(BASE_ROWS)] == base_expected
    # the context matters here: without it some answers change
    assert _decide(ps, cols["actions"], cols["resources"], principals=cols["principals"]) != base_expected


# -- vectors and hypothesis: decide_many == evaluate_many == reference -------------------------------------------


@pytest.mark.parametrize("directory", [OWN_DIR, CONFORMANCE_DIR], ids=["own", "conformance"])
def test_vectors_decide_many_equals_evaluate_many_and_reference(directory: Path) -> None:
    cases = _load(directory)
    if not cases:
        pytest.skip(f"no vectors at {directory}")
    groups: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
    for case in cases:
        key = json.dumps(case["policies"], sort_keys=True)
        groups.setdefault(key, (case["policies"], []))[1].append(case["request"])
    decided, mismatches = 0, []
    for policies, requests in groups.values():
        n, bad = _check_group(policies, requests)
        decided += n
        mismatches += bad
    assert not mismatches, mismatches[:5]
    assert decided == len(cases)
    # some rows really give accounts other than the defaults
    assert any(_has_accounts(case["request"]) for case in cases)


@settings(
    max_examples=max(300, settings().max_examples),  # 300 in the ci profile, more in the long one
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(S.case_batches())
def test_case_batches_decide_many_equals_evaluate_many_and_reference(
    batch: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    policies, requests = batch
    _, mismatches = _check_group(policies, requests)
    assert not mismatches, (policies, mismatches)


# -- equivalent argument forms -----------------------------------------------------------------------------------


def test_single_principal_equals_principal_column(ps: PolicySet) -> None:
    actions = [a for a in ACTIONS for _ in RESOURCES]
    resources = RESOURCES * len(ACTIONS)
    contexts = [CONTEXTS[i % len(CONTEXTS)] for i in range(len(actions))]
    ref_ps = REF.from_vector(POLICIES)
    for principal in PRINCIPALS:
        column = _decide(ps, actions, resources, principals=[principal] * len(actions), contexts=contexts)
        single = _decide(ps, actions, resources, principal=principal, contexts=contexts)
        assert single == column
        expected = [
            ref_ps.evaluate({"principal": principal, "action": a, "resource": r, "context": c}).decision
            for a, r, c in zip(actions, resources, contexts, strict=True)
        ]
        assert single == expected, principal


def test_contexts_none_empty_dict_and_list_of_empty_dicts_agree(ps: PolicySet) -> None:
    cols = _columns(BASE_ROWS)
    n = len(BASE_ROWS)
    args = (ps, cols["actions"], cols["resources"])
    baseline = _decide(*args, principals=cols["principals"])
    assert _decide(*args, principals=cols["principals"], contexts=None) == baseline
    assert _decide(*args, principals=cols["principals"], contexts={}) == baseline
    assert _decide(*args, principals=cols["principals"], contexts=[{}] * n) == baseline
    assert _decide(*args, principals=cols["principals"], contexts=[None] * n) == baseline
    assert _decide(*args, principals=cols["principals"], contexts=tuple({} for _ in range(n))) == baseline
    ref_ps = REF.from_vector(POLICIES)
    assert baseline == [ref_ps.evaluate({**r, "context": {}}).decision for r in BASE_ROWS]


def test_shared_context_dict_equals_repeated_list(ps: PolicySet) -> None:
    cols = _columns(BASE_ROWS)
    n = len(BASE_ROWS)
    args = (ps, cols["actions"], cols["resources"])
    ref_ps = REF.from_vector(POLICIES)
    for context in CONTEXTS[:3] + CONTEXTS[4:]:
        assert context is not None
        shared = _decide(*args, principals=cols["principals"], contexts=context)
        assert shared == _decide(*args, principals=cols["principals"], contexts=[context] * n)
        assert shared == [ref_ps.evaluate({**r, "context": context}).decision for r in BASE_ROWS]
    # and the shared context really matters
    assert _decide(*args, principals=cols["principals"], contexts=OFFICE) != _decide(
        *args, principals=cols["principals"]
    )


def test_context_of_every_row_is_its_own(ps: PolicySet, base_expected: list[Decision]) -> None:
    """Reversing the rows (contexts with them) reverses the answers: no row reads another row's context."""
    rows = BASE_ROWS[::-1]
    cols = _columns(rows)
    got = _decide(
        ps, cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
    )
    assert got == base_expected[::-1]


#: per-row contexts of the plain form, which ``decide_many`` lays out by key slot (issue 12): the same object
#: again, copies, keys in other cases, multivalued and empty lists, keys no statement reads
PLAIN_CONTEXTS: list[dict[str, Any] | None] = [
    OFFICE,
    dict(OFFICE),
    {"AWS:SOURCEIP": "10.1.2.3", "Aws:RequestedRegion": "eu-west-1", "AWS:USERNAME": "alice"},
    None,
    {"aws:TagKeys": ["a", "b"], "aws:RequestedRegion": "eu-west-1", "aws:SourceIp": "10.9.9.9"},
    {"aws:TagKeys": [], "aws:username": "bob", "x:unread": "v", "x:unread-list": ["a"]},
    OFFICE,
    {},
    {"aws:SourceIp": "192.0.2.1", "aws:username": "bob"},
]
#: and contexts it reads as context maps: more than 32 keys, a tuple, a number, a mapping that is not a dict
OTHER_CONTEXTS: list[Any] = [
    {f"x:key{i}": "v" for i in range(40)} | {"AWS:SourceIP": "10.1.2.3", "aws:username": "alice"},
    {"aws:TagKeys": ("a", "b"), "aws:SourceIp": "10.1.2.3", "aws:username": "alice"},
    {"aws:SourceIp": "192.0.2.1", "aws:MultiFactorAuthAge": 5, "aws:username": "bob"},
    MappingProxyType({"aws:SourceIp": "10.1.2.3", "aws:username": "alice"}),
]


@pytest.mark.parametrize("forms", ["plain", "mixed"])
@pytest.mark.parametrize("rows", [len(BASE_ROWS), BIG], ids=["small", "big"])
def test_r2_per_row_context_dicts_equal_evaluate(ps: PolicySet, rows: int, forms: str) -> None:
    """Per-row context dicts of the plain form are read straight into the compiled request layout (issue 12),
    any other form as context maps; either way every row's decision is ``evaluate``'s on that row's request
    (a small call, and one large enough to run on a thread of its own; a list and a tuple of contexts)."""
    contexts = PLAIN_CONTEXTS + (OTHER_CONTEXTS if forms == "mixed" else [])
    requests = [
        {**BASE_ROWS[i % len(BASE_ROWS)], "context": contexts[(i + i // len(BASE_ROWS)) % len(contexts)]}
        for i in range(rows)
    ]
    cols = _columns(requests)
    expected = [ps.evaluate(r).decision for r in requests]
    for form in (cols["contexts"], tuple(cols["contexts"])):
        got = _decide(ps, cols["actions"], cols["resources"], principals=cols["principals"], contexts=form)
        assert got == expected
    assert len(set(expected)) == 3  # every decision is among them


def _forms_sequences() -> list[tuple[str, Callable[[list[str]], Any]]]:
    return [("list", list), ("tuple", tuple)]


def _forms_numpy() -> list[tuple[str, Callable[[list[str]], Any]]]:
    np = pytest.importorskip("numpy")
    return [
        ("numpy-U", lambda c: np.array(c, dtype=str)),
        ("numpy-object", lambda c: np.array(c, dtype=object)),
        ("numpy-U-noncontiguous", lambda c: np.array([x for x in c for _ in (0, 1)], dtype=str)[::2]),
        ("numpy-object-noncontiguous", lambda c: np.array([x for x in c for _ in (0, 1)], dtype=object)[::2]),
    ]


def _forms_pyarrow() -> list[tuple[str, Callable[[list[str]], Any]]]:
    pa = pytest.importorskip("pyarrow")

    def chunked(c: list[str]) -> Any:
        k = len(c) // 3
        return pa.chunked_array([c[:k], [], c[k : 2 * k], c[2 * k :]], type=pa.string())

    def chunked_large(c: list[str]) -> Any:
        return pa.chunked_array([c[:5], c[5:]], type=pa.large_string())

    return [
        ("pyarrow-string", lambda c: pa.array(c, type=pa.string())),
        ("pyarrow-large_string", lambda c: pa.array(c, type=pa.large_string())),
        ("pyarrow-sliced", lambda c: pa.array(["x:y", *c, "x:y"], type=pa.string()).slice(1, len(c))),
        ("pyarrow-chunked", chunked),
        ("pyarrow-chunked-large_string", chunked_large),
    ]


def _check_forms(ps: PolicySet, forms: list[tuple[str, Callable[[list[str]], Any]]]) -> None:
    cols = _columns(BASE_ROWS)
    baseline = _decide(
        ps, cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
    )
    grid_sets = [ps] * len(PRINCIPALS)
    grid_baseline = _grid(grid_sets, PRINCIPALS, ACTIONS, RESOURCES, contexts=OFFICE)
    for name, form in forms:
        got = _decide(
            ps,
            form(cols["actions"]),
            form(cols["resources"]),
            principals=form(cols["principals"]),
            contexts=cols["contexts"],
        )
        assert got == baseline, name
        # one column converted at a time, the others plain lists
        assert (
            _decide(
                ps,
                form(cols["actions"]),
                cols["resources"],
                principals=cols["principals"],
                contexts=cols["contexts"],
            )
            == baseline
        ), name
        assert _decide(ps, cols["actions"], form(cols["resources"]), principal=PRINCIPALS[0]) == _decide(
            ps, cols["actions"], cols["resources"], principal=PRINCIPALS[0]
        ), name
        assert (
            _grid(grid_sets, form(PRINCIPALS), form(ACTIONS), form(RESOURCES), contexts=OFFICE)
            == grid_baseline
        ), name


def test_column_forms_list_and_tuple_agree(ps: PolicySet) -> None:
    _check_forms(ps, _forms_sequences())


def test_column_forms_numpy_agree(ps: PolicySet) -> None:
    _check_forms(ps, _forms_numpy())


def test_column_forms_pyarrow_agree(ps: PolicySet) -> None:
    _check_forms(ps, _forms_pyarrow())


def test_return_type_numpy_uint8_or_bytearray_and_as_list(
    ps: PolicySet, base_expected: list[Decision]
) -> None:
    cols = _columns(BASE_ROWS)
    out = ps.decide_many(
        cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
    )
    if HAVE_NUMPY:
        np: Any = importlib.import_module("numpy")
        assert type(out) is np.ndarray
        assert out.dtype == np.uint8 and out.ndim == 1
    else:
        assert type(out) is bytearray
    codes = {d: c for c, d in iameval.DECISION_CODES.items()}
    assert list(out) == [codes[d] for d in base_expected]
    listed = ps.decide_many(
        cols["actions"],
        cols["resources"],
        principals=cols["principals"],
        contexts=cols["contexts"],
        as_list=True,
    )
    assert listed == base_expected
    assert all(d is Decision(d.value) for d in listed)


# -- threads --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_rows() -> list[dict[str, Any]]:
    return _rows(BIG)


def test_threads_do_not_change_decide_many(ps: PolicySet, big_rows: list[dict[str, Any]]) -> None:
    cols = _columns(big_rows)
    results = {
        threads: _decide(
            ps,
            cols["actions"],
            cols["resources"],
            principals=cols["principals"],
            contexts=cols["contexts"],
            threads=threads,
        )
        for threads in (1, 2, None)
    }
    assert results[1] == results[2] == results[None]
    assert results[1] == [r.decision for r in ps.evaluate_many(big_rows, threads=1)]
    assert set(results[1]) == set(Decision)
    shared = {
        threads: _decide(
            ps, cols["actions"], cols["resources"], principal=PRINCIPALS[0], contexts=OFFICE, threads=threads
        )
        for threads in (1, 2, None)
    }
    assert shared[1] == shared[2] == shared[None]


#: rust/py/src/segments.rs: calls of at least SEGMENTED rows are read and decided
#: segment by segment (SEGMENT rows each)
SEGMENT = 6_144
SEGMENTED = 4 * SEGMENT


@pytest.fixture(scope="module")
def segmented_rows() -> list[dict[str, Any]]:
    rows = _rows(SEGMENTED + 2 * SEGMENT + 17)  # seven segments, the last one short
    for i, row in enumerate(rows):
        if i % 5 == 1:
            row["principal_account"] = "111111111111"
        if i % 7 == 2:
            row["resource_account"] = "333333333333"
    return rows


@pytest.mark.parametrize("form", ["dicts", "columns", "tuples", "one-principal"])
def test_segmented_calls_equal_calls_at_once(
    ps: PolicySet, segmented_rows: list[dict[str, Any]], form: str
) -> None:
    """A call of many rows on two threads reads and decides them segment by segment, so that reading (with the
    GIL) overlaps deciding (issue 12): whatever the row arguments, the decisions are those of the call read at
    once (one thread) and of ``evaluate`` on each row."""
    cols = _columns(segmented_rows)
    args: dict[str, Any] = {
        "principals": cols["principals"],
        "principal_accounts": cols["principal_accounts"],
        "resource_accounts": cols["resource_accounts"],
    }
    if form == "dicts":
        args["contexts"] = cols["contexts"]
    elif form == "columns":
        keys = sorted({k for c in cols["contexts"] if c for k in c})
        args["context_columns"] = {k: [(c or {}).get(k) for c in cols["contexts"]] for k in keys}
    elif form == "tuples":
        args = {key: tuple(value) for key, value in args.items()} | {"contexts": tuple(cols["contexts"])}
    else:
        args = {"principal": PRINCIPALS[0], "contexts": OFFICE, "principal_accounts": "111111111111"}
    actions, resources = cols["actions"], cols["resources"]
    if form == "tuples":
        actions, resources = tuple(actions), tuple(resources)
    at_once = _decide(ps, actions, resources, threads=1, **args)
    assert _decide(ps, actions, resources, threads=2, **args) == at_once
    assert _decide(ps, actions, resources, threads=None, **args) == at_once
    if form != "one-principal":
        assert at_once == [r.decision for r in ps.evaluate_many(segmented_rows, threads=2)]
    assert set(at_once) == set(Decision)


def test_segmented_call_reports_the_error_of_the_call_at_once(
    ps: PolicySet, segmented_rows: list[dict[str, Any]]
) -> None:
    """A malformed row in a late segment: the same error (argument, row) as the call read at once, which reads
    the columns in argument order (the bad action in the last segment wins over the bad context before it)."""
    cols = _columns(segmented_rows)
    actions, contexts = list(cols["actions"]), list(cols["contexts"])
    contexts[SEGMENTED - 3] = {"aws:SourceIp": object()}
    actions[SEGMENTED + SEGMENT + 5] = 7
    errors = []
    for threads in (1, 2):
        with pytest.raises((RequestError, TypeError)) as exc:
            ps.decide_many(
                actions, cols["resources"], principals=cols["principals"], contexts=contexts, threads=threads
            )
        errors.append((type(exc.value), str(exc.value)))
    assert errors[0] == errors[1]
    assert f"/actions/{SEGMENTED + SEGMENT + 5}" in errors[0][1]
    # and a malformed context alone: reported at its row by both
    with pytest.raises(RequestError) as exc:
        ps.decide_many(
            cols["actions"], cols["resources"], principals=cols["principals"], contexts=contexts, threads=2
        )
    assert _pointers(exc) == [f"/contexts/{SEGMENTED - 3}/aws:SourceIp"]


def test_threads_do_not_change_evaluate_many_and_it_equals_a_loop_of_evaluate(
    ps: PolicySet, big_rows: list[dict[str, Any]]
) -> None:
    loop = [ps.evaluate(r).to_dict() for r in big_rows]
    for threads in (1, 2, None):
        assert [r.to_dict() for r in ps.evaluate_many(big_rows, threads=threads)] == loop, threads
    assert [r.to_dict() for r in ps.evaluate_many(big_rows)] == loop


def test_evaluate_many_threads_equals_a_loop_of_evaluate_on_vectors() -> None:
    cases = _load(OWN_DIR) + _load(CONFORMANCE_DIR)
    groups: dict[str, tuple[Any, list[Any]]] = {}
    for i, case in enumerate(cases):
        request: Any = case["request"]
        if i % 3 == 0:  # some as Request objects
            request = Request(**request)
        groups.setdefault(json.dumps(case["policies"], sort_keys=True), (case["policies"], []))[1].append(
            request
        )
    for policies, requests in groups.values():
        rust_ps = PolicySet.from_vector(policies)
        loop = [rust_ps.evaluate(r).to_dict() for r in requests]
        for threads in (1, 2, None):
            assert [r.to_dict() for r in rust_ps.evaluate_many(requests, threads=threads)] == loop, (
                policies,
                threads,
            )


def test_evaluate_many_threads_same_request_error(ps: PolicySet) -> None:
    requests: list[Any] = [*BASE_ROWS[:50], {"principal": "bob", "action": "s3GetObject"}, *BASE_ROWS[50:100]]
    seen = []
    for threads in (1, 2, None):
        with pytest.raises(RequestError) as exc:
            ps.evaluate_many(requests, threads=threads)
        seen.append(exc.value.errors())
    assert seen[0] == seen[1] == seen[2]


def test_threads_do_not_change_evaluate_grid(ps: PolicySet) -> None:
    other = PolicySet.from_vector({"identity": [FULL_ACCESS]})
    policy_sets = [ps, other, ps, PolicySet(), ps]
    principals = PRINCIPALS[:5]
    actions = ACTIONS + [f"s3:Get{i}" for i in range(28)]
    resources = [
        f"arn:aws:s3:::data/{d}/{i}" for d in ("home/alice", "secret", "shared") for i in range(33)
    ] + ["*"]
    assert len(policy_sets) * len(actions) * len(resources) == BIG
    contexts = [OFFICE, None, {}, CONTEXTS[2], CONTEXTS[4]]
    results = {
        threads: _grid(policy_sets, principals, actions, resources, contexts=contexts, threads=threads)
        for threads in (1, 2, None)
    }
    assert results[1] == results[2] == results[None]
    assert len(set(results[1])) == 3


# -- evaluate_grid ------------------------------------------------------------------------------------------------


def _small_grid() -> tuple[
    list[dict[str, Any]], list[str], list[str], list[str], list[dict[str, Any] | None]
]:
    """5 policy sets x 12 actions x 3 resources."""
    no_scps = {**POLICIES, "scps": None}
    deny_get = {
        "identity": [
            FULL_ACCESS,
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Deny", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data/secret/*"}
                ],
            },
        ]
    }
    policies = [POLICIES, no_scps, deny_get, {}, POLICIES]
    principals = [PRINCIPALS[0], PRINCIPALS[1], PRINCIPALS[2], PRINCIPALS[4], PRINCIPALS[5]]
    resources = [RESOURCES[0], RESOURCES[1], RESOURCES[4]]
    contexts: list[dict[str, Any] | None] = [OFFICE, CONTEXTS[2], None, {}, OFFICE]
    return policies, principals, ACTIONS, resources, contexts


def test_evaluate_grid_shape_c_order_and_reference() -> None:
    policies, principals, actions, resources, contexts = _small_grid()
    policy_sets = [PolicySet.from_vector(p) for p in policies]
    shape = (len(policies), len(actions), len(resources))
    assert shape == (5, 12, 3)
    out = iameval.evaluate_grid(policy_sets, principals, actions, resources, contexts=contexts)
    flat = _decisions(out, shape)  # checks the shape (numpy) or the length (bytearray)
    expected = [
        REF.from_vector(policies[i])
        .evaluate({"principal": principals[i], "action": a, "resource": r, "context": contexts[i]})
        .decision
        for i in range(len(policies))
        for a in actions
        for r in resources
    ]
    assert flat == expected  # the flat order is C order: principal, then action, then resource
    assert set(expected) == set(Decision)
    if HAVE_NUMPY:
        for i, a, r in itertools.product(range(shape[0]), range(shape[1]), range(shape[2])):
            assert iameval.DECISION_CODES[int(out[i, a, r])] == expected[(i * shape[1] + a) * shape[2] + r]
    listed = iameval.evaluate_grid(
        policy_sets, principals, actions, resources, contexts=contexts, as_list=True
    )
    assert listed == expected


def test_evaluate_grid_equals_decide_many_per_principal() -> None:
    policies, principals, actions, resources, contexts = _small_grid()
    policy_sets = [PolicySet.from_vector(p) for p in policies]
    flat = _grid(policy_sets, principals, actions, resources, contexts=contexts)
    cells = len(actions) * len(resources)
    flat_actions = [a for a in actions for _ in resources]
    flat_resources = [r for _ in actions for r in resources]
    for i, ps in enumerate(policy_sets):
        per = _decide(ps, flat_actions, flat_resources, principal=principals[i], contexts=contexts[i])
        assert per == flat[i * cells : (i + 1) * cells], i


def test_r8_grid_calls_in_turn_with_their_own_actions_equal_evaluate() -> None:
    # a grid keeps each principal's condition answers and finds an action's plan by its index (issue 12);
    # calls in turn on the same sets, with the actions in other orders and other contexts, must not see the
    # last call's (a regression: an action was once decided with the plan of the last call's same index)
    policies, principals, actions, resources, contexts = _small_grid()
    own = [PolicySet.from_vector(p) for p in policies]
    shared = [PolicySet.from_vector(policies[0])] * len(principals)  # one set, other callers and contexts
    for turn in range(8):
        policy_sets = own if turn < 4 else shared
        ordered = actions[turn:] + actions[:turn] if turn % 2 else list(reversed(actions))
        context_of = contexts if turn % 4 < 2 else [OFFICE] * len(principals)
        if turn % 4 == 3:
            ordered = ordered[:1]  # one action: each principal's cells follow the last one's, same number
        found = _grid(policy_sets, principals, ordered, resources, contexts=context_of)
        expected = [
            ps.evaluate(
                {"principal": principals[i], "action": a, "resource": r, "context": context_of[i]}
            ).decision
            for i, ps in enumerate(policy_sets)
            for a in ordered
            for r in resources
        ]
        assert found == expected, turn


def test_evaluate_grid_contexts_none_shared_and_per_principal() -> None:
    policies, principals, actions, resources, _ = _small_grid()
    policy_sets = [PolicySet.from_vector(p) for p in policies]
    p = len(policies)
    none = _grid(policy_sets, principals, actions, resources)
    assert _grid(policy_sets, principals, actions, resources, contexts=None) == none
    assert _grid(policy_sets, principals, actions, resources, contexts={}) == none
    assert _grid(policy_sets, principals, actions, resources, contexts=[{}] * p) == none
    shared = _grid(policy_sets, principals, actions, resources, contexts=OFFICE)
    assert _grid(policy_sets, principals, actions, resources, contexts=[OFFICE] * p) == shared
    assert shared != none


# -- errors -------------------------------------------------------------------------------------------------------

GOOD = {"actions": "s3:GetObject", "resources": "arn:aws:s3:::data/x", "principals": PRINCIPALS[0]}
INVALID = {"actions": "s3GetObject", "resources": "not-an-arn", "principals": "bob"}
NOT_STR: list[Any] = [None, 5, b"s3:GetObject", ""]


@pytest.mark.parametrize("column", ["actions", "resources", "principals"])
@pytest.mark.parametrize("bad", ["invalid", *NOT_STR], ids=["invalid", "None", "int", "bytes", "empty"])
def test_decide_many_row_error_points_at_column_and_row(ps: PolicySet, column: str, bad: Any) -> None:
    cols: dict[str, list[Any]] = {name: [value] * 8 for name, value in GOOD.items()}
    cols[column][5] = INVALID[column] if bad == "invalid" else bad
    with pytest.raises(RequestError) as exc:
        ps.decide_many(cols["actions"], cols["resources"], principals=cols["principals"])
    assert _pointers(exc) == [f"/{column}/5"]


@pytest.mark.parametrize("bad", ["bob", "s3:GetObject", "arn:aws:s3:::data/x", ""])
def test_decide_many_single_principal_error(ps: PolicySet, bad: str) -> None:
    with pytest.raises(RequestError) as exc:
        ps.decide_many([GOOD["actions"]] * 3, [GOOD["resources"]] * 3, principal=bad)
    assert _pointers(exc) == ["/principal"]


def test_decide_many_context_errors(ps: PolicySet) -> None:
    actions, resources = [GOOD["actions"]] * 3, [GOOD["resources"]] * 3
    cases: list[tuple[Any, str]] = [
        ([{}, {"aws:SourceIp": object()}, {}], "/contexts/1/aws:SourceIp"),
        ([{}, {"aws:TagKeys": ["a", object()]}, None], "/contexts/1/aws:TagKeys/1"),
        ([None, 5, {}], "/contexts/1"),
        ([{}, {"": "x"}, {}], "/contexts/1/"),
        ([{}, {"aws:SourceIp": "10.1.2.3", "AWS:SOURCEIP": "192.0.2.1"}, {}], "/contexts/1/AWS:SOURCEIP"),
    ]
    for contexts, pointer in cases:
        with pytest.raises(RequestError) as exc:
            ps.decide_many(actions, resources, principal=PRINCIPALS[0], contexts=contexts)
        assert _pointers(exc) == [pointer], contexts
    with pytest.raises(RequestError):
        ps.decide_many(actions, resources, principal=PRINCIPALS[0], contexts={"aws:SourceIp": object()})


@pytest.mark.parametrize("column", ["resources", "principals", "contexts"])
@pytest.mark.parametrize("length", [2, 4, 0])
def test_decide_many_length_mismatch_is_invalid_value(ps: PolicySet, column: str, length: int) -> None:
    cols: dict[str, list[Any]] = {name: [value] * 3 for name, value in GOOD.items()}
    cols["contexts"] = [{}] * 3
    cols[column] = cols[column][:1] * length
    with pytest.raises(RequestError) as exc:
        ps.decide_many(
            cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
        )
    assert _pointers(exc) == [f"/{column}"]
    assert [e["type"] for e in exc.value.errors()] == ["invalid_value"]


def test_decide_many_both_or_neither_principal_is_type_error(ps: PolicySet) -> None:
    actions, resources = [GOOD["actions"]] * 2, [GOOD["resources"]] * 2
    with pytest.raises(TypeError):
        ps.decide_many(actions, resources)
    with pytest.raises(TypeError):
        ps.decide_many(actions, resources, principal=None, principals=None)
    with pytest.raises(TypeError):
        ps.decide_many(actions, resources, principal=PRINCIPALS[0], principals=[PRINCIPALS[0]] * 2)


def test_decide_many_numpy_object_column_with_non_str_names_the_row(ps: PolicySet) -> None:
    np = pytest.importorskip("numpy")
    for bad in (None, 5, b"s3:GetObject", 1.5):
        actions = np.array([GOOD["actions"]] * 8, dtype=object)
        actions[6] = bad
        with pytest.raises(RequestError) as exc:
            ps.decide_many(actions, [GOOD["resources"]] * 8, principal=PRINCIPALS[0])
        assert _pointers(exc) == ["/actions/6"], bad


def test_decide_many_pyarrow_null_names_the_row(ps: PolicySet) -> None:
    pa = pytest.importorskip("pyarrow")
    values: list[str | None] = [GOOD["resources"]] * 8
    values[3] = None
    for column in (
        pa.array(values, type=pa.string()),
        pa.array(values, type=pa.large_string()),
        pa.chunked_array([values[:2], values[2:]], type=pa.string()),
    ):
        with pytest.raises(RequestError) as exc:
            ps.decide_many([GOOD["actions"]] * 8, column, principal=PRINCIPALS[0])
        assert _pointers(exc) == ["/resources/3"], column.type


def test_empty_columns_give_empty_results(ps: PolicySet) -> None:
    assert _decide(ps, [], [], principal=PRINCIPALS[0]) == []
    assert _decide(ps, (), (), principals=(), contexts=[]) == []
    assert ps.evaluate_many([]) == []
    assert ps.evaluate_many([], threads=2) == []
    assert _grid([ps, ps], PRINCIPALS[:2], [], RESOURCES) == []
    assert _grid([ps, ps], PRINCIPALS[:2], ACTIONS, []) == []
    assert _grid([], [], ACTIONS, RESOURCES) == []


def test_empty_columns_numpy_and_pyarrow(ps: PolicySet) -> None:
    np = pytest.importorskip("numpy")
    assert _decide(ps, np.array([], dtype=str), np.array([], dtype=object), principal=PRINCIPALS[0]) == []
    pa = pytest.importorskip("pyarrow")
    empty = pa.array([], type=pa.string())
    assert _decide(ps, empty, pa.chunked_array([], type=pa.large_string()), principals=empty) == []


@pytest.mark.parametrize("bad", [None, "policy", {}, object()], ids=["None", "str", "dict", "object"])
def test_evaluate_grid_non_policy_set_is_type_error(ps: PolicySet, bad: Any) -> None:
    with pytest.raises(TypeError):
        iameval.evaluate_grid([ps, ps, bad], PRINCIPALS[:3], ACTIONS, RESOURCES)


def test_evaluate_grid_reference_policy_set_is_type_error(ps: PolicySet) -> None:
    with pytest.raises(TypeError):
        iameval.evaluate_grid([ps, REF()], PRINCIPALS[:2], ACTIONS, RESOURCES)  # type: ignore[list-item]


def test_evaluate_grid_row_errors_point_at_argument_and_row(ps: PolicySet) -> None:
    sets = [ps] * 5
    principals = PRINCIPALS[:5]
    actions = list(ACTIONS[:10])
    resources = list(RESOURCES[:3])
    bad_principals = [*principals[:3], "bob", principals[4]]
    with pytest.raises(RequestError) as exc:
        iameval.evaluate_grid(sets, bad_principals, actions, resources)
    assert _pointers(exc) == ["/principals/3"]
    bad_actions = [*actions[:7], None, *actions[8:]]
    with pytest.raises(RequestError) as exc:
        iameval.evaluate_grid(sets, principals, bad_actions, resources)
    assert _pointers(exc) == ["/actions/7"]
    bad_resources = [resources[0], "not-an-arn", resources[2]]
    with pytest.raises(RequestError) as exc:
        iameval.evaluate_grid(sets, principals, actions, bad_resources)
    assert _pointers(exc) == ["/resources/1"]
    bad_contexts: list[Any] = [{}, {}, {"aws:SourceIp": object()}, {}, {}]
    with pytest.raises(RequestError) as exc:
        iameval.evaluate_grid(sets, principals, actions, resources, contexts=bad_contexts)
    assert _pointers(exc) == ["/contexts/2/aws:SourceIp"]


def test_evaluate_grid_length_mismatch_is_invalid_value(ps: PolicySet) -> None:
    for principals, contexts in ((PRINCIPALS[:2], None), (PRINCIPALS[:3], [{}] * 2)):
        with pytest.raises(RequestError) as exc:
            iameval.evaluate_grid([ps] * 3, principals, ACTIONS, RESOURCES, contexts=contexts)
        assert "invalid_value" in [e["type"] for e in exc.value.errors()]


# -- the GIL ------------------------------------------------------------------------------------------------------


def _main_thread_ran_during(call: Callable[[], object]) -> bool:
    """Run ``call`` in a worker thread; return whether this (main) thread ran Python code before it returned.

    The switch interval is huge while this runs (the caller sets it), so a thread holding the GIL never has to
    hand it over: the main thread, waiting for the worker's ``started`` event, can get the GIL before the
    worker sets ``done`` only if something in between releases it. Between ``started.set()`` and ``done`` there
    is nothing but ``call()`` (imports and first-call work were done by a warm-up call), so an implementation
    that keeps the GIL for the whole call always gives ``count == 0``; one that releases it while it evaluates
    lets the main thread in (unless the OS never schedules it during the whole evaluation: the caller retries
    with a bigger batch). No clocks are read.
    """
    started = threading.Event()
    state = {"done": False}
    failures: list[BaseException] = []

    def worker() -> None:
        started.set()
        try:
            call()
        except Exception as exc:
            failures.append(exc)
        state["done"] = True

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    count = 0
    while not state["done"] and count < 100_000:  # the worker cannot set `done` while we hold the GIL
        count += 1
    thread.join()
    assert not failures, failures
    return count > 0


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("api", ["decide_many", "evaluate_many", "evaluate_grid"])
def test_gil_released_during_batch_evaluation(ps: PolicySet, api: str, threads: int) -> None:
    rows = _rows(4 * BIG)
    cols = _columns(rows)
    grid_actions = [f"{a}{i}" if i else a for i in range(9) for a in ACTIONS][:100]
    grid_resources = [f"{r}/{i}" if r != "*" else r for i in range(7) for r in RESOURCES][:40]

    def run(n: int) -> Callable[[], object]:
        if api == "decide_many":
            actions, resources = cols["actions"][:n], cols["resources"][:n]
            principals, contexts = cols["principals"][:n], cols["contexts"][:n]
            return lambda: ps.decide_many(
                actions, resources, principals=principals, contexts=contexts, threads=threads
            )
        if api == "evaluate_many":
            requests = rows[: n // 4]
            return lambda: ps.evaluate_many(requests, threads=threads)
        p = n // (len(grid_actions) * len(grid_resources))  # 5, 10, 20 principals
        sets, principals = [ps] * p, (PRINCIPALS * p)[:p]
        return lambda: iameval.evaluate_grid(
            sets, principals, grid_actions, grid_resources, contexts=OFFICE, threads=threads
        )

    run(100)()  # warm-up: lazy imports, thread pools
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        ran = any(_main_thread_ran_during(run(n)) for n in (BIG, 2 * BIG, 4 * BIG))
    finally:
        sys.setswitchinterval(old)
    assert ran, f"{api} held the GIL for the whole call"


# -- context_columns ------------------------------------------------------------------------------------------


def _context_columns(contexts: Sequence[Mapping[str, Any] | None]) -> dict[str, list[Any]]:
    """The per-row contexts as one column per key (``None`` where a row lacks the key)."""
    keys = sorted({k for c in contexts if c for k in c})
    return {k: [(c or {}).get(k) for c in contexts] for k in keys}


def test_context_columns_equal_per_row_contexts_and_reference(
    ps: PolicySet, base_expected: list[Decision]
) -> None:
    rows = _rows(BIG // 4)
    cols = _columns(rows)
    per_row = _decide(
        ps, cols["actions"], cols["resources"], principals=cols["principals"], contexts=cols["contexts"]
    )
    key_cols = _context_columns(cols["contexts"])
    for threads in (1, 2, None):
        by_column = _decide(
            ps,
            cols["actions"],
            cols["resources"],
            principals=cols["principals"],
            context_columns=key_cols,
            threads=threads,
        )
        assert by_column == per_row
    base = _columns(BASE_ROWS)
    got = _decide(
        ps,
        base["actions"],
        base["resources"],
        principals=base["principals"],
        context_columns=_context_columns(base["contexts"]),
    )
    assert got == base_expected


def test_context_columns_override_the_shared_context_and_fall_back_to_it(ps: PolicySet) -> None:
    """A column's value replaces the shared context's for its key; an absent cell (None) keeps the shared one."""
    base = _columns(BASE_ROWS)
    n = len(BASE_ROWS)
    ips = [None if i % 3 == 0 else ("10.1.2.3" if i % 3 == 1 else "192.0.2.1") for i in range(n)]
    merged = [{**OFFICE, **({"aws:SourceIp": ip} if ip is not None else {})} for ip in ips]
    ref_ps = REF.from_vector(POLICIES)
    expected = [ref_ps.evaluate({**r, "context": c}).decision for r, c in zip(BASE_ROWS, merged, strict=True)]
    got = _decide(
        ps,
        base["actions"],
        base["resources"],
        principals=base["principals"],
        contexts=OFFICE,
        context_columns={"AWS:SourceIP": ips},
    )
    assert got == expected
    assert len(set(got)) > 1


def test_context_columns_multivalued_cells_and_numpy_arrow_columns(ps: PolicySet) -> None:
    base = _columns(BASE_ROWS)
    n = len(BASE_ROWS)
    tags: list[Any] = [["a", "b"] if i % 2 else ("c",) for i in range(n)]
    regions = ["eu-west-1" if i % 2 else "us-east-1" for i in range(n)]
    ref_ps = REF.from_vector(POLICIES)
    expected = [
        ref_ps.evaluate({**r, "context": {"aws:TagKeys": list(t), "aws:RequestedRegion": g}}).decision
        for r, t, g in zip(BASE_ROWS, tags, regions, strict=True)
    ]
    args = (ps, base["actions"], base["resources"])
    got = _decide(
        *args,
        principals=base["principals"],
        context_columns={"aws:TagKeys": tags, "aws:RequestedRegion": regions},
    )
    assert got == expected
    for module, convert in (
        ("numpy", lambda v: __import__("numpy").array(v)),
        ("pyarrow", lambda v: __import__("pyarrow").array(v)),
    ):
        if importlib.util.find_spec(module) is None:
            continue
        column = convert(regions)
        got = _decide(
            *args,
            principals=base["principals"],
            context_columns={"aws:TagKeys": tags, "aws:RequestedRegion": column},
        )
        assert got == expected, module


def test_context_columns_errors_name_the_key_and_row(ps: PolicySet) -> None:
    p = PRINCIPALS[0]
    actions, resources = ["s3:GetObject"] * 3, ["arn:aws:s3:::data/x"] * 3
    cases: list[tuple[Any, list[str]]] = [
        ({"aws:SourceIp": ["10.0.0.1", 5, None]}, ["/context_columns/aws:SourceIp/1"]),
        ({"aws:TagKeys": [["a", 1], None, None]}, ["/context_columns/aws:TagKeys/0"]),
        ({"aws:SourceIp": ["10.0.0.1"]}, ["/context_columns/aws:SourceIp"]),
        ({"": ["a", "b", "c"]}, ["/context_columns/"]),
        ({"aws:a": ["x"] * 3, "AWS:A": ["y"] * 3}, ["/context_columns/AWS:A"]),
    ]
    for columns, pointers in cases:
        with pytest.raises(RequestError) as info:
            ps.decide_many(actions, resources, principal=p, context_columns=columns)
        assert _pointers(info) == pointers, columns
    with pytest.raises(TypeError):
        ps.decide_many(actions, resources, principal=p, context_columns=[("aws:a", ["x"] * 3)])
    with pytest.raises(TypeError):
        ps.decide_many(actions, resources, principal=p, context_columns={"aws:a": "xyz"})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_batch_in_a_forked_child_builds_its_own_threads(
    ps: PolicySet, big_rows: list[dict[str, Any]]
) -> None:
    """After ``fork()`` the parent's worker threads do not exist in the child: a batch there must not hang."""
    cols = _columns(big_rows)
    args = (cols["actions"], cols["resources"])
    expected = bytes(ps.decide_many(*args, principals=cols["principals"], threads=2))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: decide, report, leave without running pytest's cleanup
        try:
            got = bytes(ps.decide_many(*args, principals=cols["principals"], threads=2))
            os.write(write_end, b"ok" if got == expected else b"different")
        finally:
            os._exit(0)
    os.close(write_end)
    deadline = 120.0
    status = 0
    while deadline > 0:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
        deadline -= 0.1
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("decide_many hung in a forked child")
    with os.fdopen(read_end, "rb") as fh:
        assert fh.read() == b"ok"
    assert os.waitstatus_to_exitcode(status) == 0


# -- evaluate_many in chunks, shared result objects (issue 12) --------------------------------------------------


def test_evaluate_many_reads_an_iterator_across_chunks(ps: PolicySet, big_rows: list[dict[str, Any]]) -> None:
    # 20,000 rows: more than one chunk of evaluate_many (16,384); a generator is read once, in order
    loop = [ps.evaluate(r).to_dict() for r in big_rows]
    assert [r.to_dict() for r in ps.evaluate_many(r for r in big_rows)] == loop
    assert [r.to_dict() for r in ps.evaluate_many(iter(big_rows), threads=1)] == loop


def test_evaluate_many_raises_for_a_malformed_request_after_the_first_chunk(
    ps: PolicySet, big_rows: list[dict[str, Any]]
) -> None:
    bad = {"principal": "bob", "action": "s3GetObject"}
    with pytest.raises(RequestError) as one:
        ps.evaluate(bad)
    for at in (0, 16_383, 16_384, len(big_rows)):
        requests = [*big_rows[:at], bad, *big_rows[at:]]
        with pytest.raises(RequestError) as many:
            ps.evaluate_many(requests)
        assert many.value.errors() == one.value.errors(), at


def test_r22_results_of_a_set_share_their_matched_statements(ps: PolicySet) -> None:
    # a statement's MatchedStatement (a frozen dataclass) is made once per set and shared by its results
    row = next(r for r in BASE_ROWS if len(ps.evaluate(r).matched) >= 1)
    first, again = ps.evaluate(row), ps.evaluate(row)
    many = ps.evaluate_many([row, row], threads=1)
    assert first == again == many[0] == many[1]
    assert all(a is b for a, b in zip(first.matched, again.matched, strict=True))
    assert all(a is b for a, b in zip(first.matched, many[1].matched, strict=True))
    # equal to the reference's own objects, field by field, and pickled like them
    ref = REF.from_vector(POLICIES).evaluate(row)
    assert first.matched == ref.matched and first.to_dict() == ref.to_dict()
    import pickle

    assert pickle.loads(pickle.dumps(first)) == first
    # another set (the same policies) keeps its own objects
    other = PolicySet.from_vector(POLICIES).evaluate(row)
    assert other == first and all(a is not b for a, b in zip(first.matched, other.matched, strict=True))


def test_r22_shared_missing_key_strings_are_the_same_values() -> None:
    policies = {
        "identity": [
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:PrincipalTag/Team": "a", "s3:prefix": "b"}},
                    }
                ],
            }
        ]
    }
    ps = PolicySet.from_vector(policies)
    request = {"principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "*"}
    first, again = ps.evaluate(request), ps.evaluate(request)
    assert first == REF.from_vector(policies).evaluate(request)
    assert first.decision is Decision.IMPLICIT_DENY and first.decided_by == "default"
    assert first.missing_context_keys == ("aws:PrincipalTag/Team", "s3:prefix")
    assert all(a is b for a, b in zip(first.missing_context_keys, again.missing_context_keys, strict=True))
    assert first.decided_by is again.decided_by  # interned


def test_shared_matched_statements_are_bounded_per_set() -> None:
    # 7 policies x 10,000 statements that all apply: more than the 65,536 objects a set keeps; the rest are
    # made per result, and every result is still complete and equal. Two requests that differ in their
    # missing keys alone give two results (a whole result is kept per set: results.rs) with the same matched
    # statements
    statements: list[dict[str, Any]] = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} for i in range(10_000)
    ]
    statements[0]["Condition"] = {"StringEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}}
    policy = {"Version": "2012-10-17", "Statement": statements}
    ps = PolicySet(identity=[policy] * 7)
    request = {"principal": "arn:aws:iam::111122223333:user/bob", "action": "s3:GetObject", "resource": "*"}
    first = ps.evaluate(request)
    again = ps.evaluate({**request, "context": {"aws:RequestedRegion": "eu-west-1"}})
    assert first is not again and first.missing_context_keys == ("aws:RequestedRegion",)
    # a result listing more statements than a set keeps in all (results::MAX_KEPT_ITEMS, 65,536) is not kept
    assert ps.evaluate(request) is not first and ps.evaluate(request) == first
    assert len(first.matched) == 70_000 and first.matched == again.matched
    assert first.matched[0] is again.matched[0]
    assert first.matched[-1] is not again.matched[-1] and first.matched[-1] == again.matched[-1]
    assert [(m.policy_index, m.statement_index, m.sid) for m in first.matched[-2:]] == [
        (6, 9_998, "S9998"),
        (6, 9_999, "S9999"),
    ]
