"""The Rust engine (``iameval.PolicySet``, ``iameval._core``) against the pure-Python reference.

- every vector (tests/vectors/*.jsonl and ../shared/conformance/*.jsonl): identical ``to_dict()``;
- every grammar error case (tests/vectors/errors/) and every policy document in ../shared/data: identical
  error lists (type, policy, pointer, message) in both engines;
- a Hypothesis differential test on random valid policy sets and near-matching requests (tests/strategies.py);
- garbage (arbitrary JSON values, huge strings, deep nesting, invalid UTF-8, NaN/inf, wrong types): only
  ``PolicyError`` / ``RequestError``, never another exception or a crash;
- threads (same results as sequential) and pickling (a restored set decides identically).
"""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import iameval
import iameval.reference as reference
import pytest
import strategies as S
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from iameval import PolicyError, RequestError
from vector_files import load_vectors

TESTS = Path(__file__).resolve().parent
OWN_DIR = TESTS / "vectors"
ERROR_DIR = OWN_DIR / "errors"
SHARED = TESTS.parent.parent / "shared"
CONFORMANCE_DIR = SHARED / "conformance"
DATA_DIR = SHARED / "data"

RUST = iameval.PolicySet
REF = reference.PolicySet

pytestmark = pytest.mark.skipif(RUST is REF, reason="iameval.PolicySet is still the reference")


def _load(directory: Path) -> list[dict[str, Any]]:
    return [case for _, case in load_vectors(directory)]


VECTORS = _load(OWN_DIR) + _load(CONFORMANCE_DIR)
ERROR_CASES = _load(ERROR_DIR)


def _outcome(build: Any, policies: Any, request: Any = None) -> Any:
    """What an engine says: the result's ``to_dict()``, or the error class and its (type, policy, pointer)."""
    try:
        ps = build(policies)
        if request is None:
            return repr(ps)
        return ps.evaluate(request).to_dict()
    except (PolicyError, RequestError) as exc:
        return (
            type(exc).__name__,
            [(e["type"], e["policy"], e["pointer"], e["message"]) for e in exc.errors()],
        )


def _both(policies: Any, request: Any = None) -> tuple[Any, Any]:
    return _outcome(RUST.from_vector, policies, request), _outcome(REF.from_vector, policies, request)


# -- vectors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", VECTORS, ids=[c["id"] for c in VECTORS])
def test_vector_parity(case: dict[str, Any]) -> None:
    rust, ref = _both(case["policies"], case["request"])
    assert rust == ref


def test_vector_count() -> None:
    assert len(VECTORS) >= 400
    if not CONFORMANCE_DIR.is_dir():
        pytest.skip(f"no conformance vectors at {CONFORMANCE_DIR}")


def test_results_are_the_reference_classes() -> None:
    case = VECTORS[0]
    rust = RUST.from_vector(case["policies"]).evaluate(case["request"])
    ref = REF.from_vector(case["policies"]).evaluate(case["request"])
    assert type(rust) is reference.Result
    assert rust == ref
    assert rust.decision is ref.decision
    assert isinstance(rust.decision, iameval.Decision)
    assert [m.label() for m in rust.matched] == [m.label() for m in ref.matched]


def test_repr_matches_reference() -> None:
    for case in VECTORS[:200]:
        assert repr(RUST.from_vector(case["policies"])) == repr(REF.from_vector(case["policies"]))


def test_request_dataclass_and_dict_agree() -> None:
    case = VECTORS[0]
    ps = RUST.from_vector(case["policies"])
    req = iameval.Request(**case["request"])
    assert ps.evaluate(req) == ps.evaluate(case["request"]) == REF.from_vector(case["policies"]).evaluate(req)


# -- errors ---------------------------------------------------------------------------------------------------


def _errors(fn: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
    try:
        fn(*args, **kwargs)
    except PolicyError as exc:
        return exc.errors()
    return []


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c["id"] for c in ERROR_CASES])
def test_error_vector_parity(case: dict[str, Any]) -> None:
    rust = _errors(RUST.from_vector, case["policies"])
    ref = _errors(REF.from_vector, case["policies"])
    assert rust, "the Rust engine accepted a policy set the reference rejects"
    key = [(e["type"], e["policy"], e["pointer"], e["message"]) for e in ref]
    assert [(e["type"], e["policy"], e["pointer"], e["message"]) for e in rust] == key
    assert [e["path"] for e in rust] == [e["path"] for e in ref]
    if "error_messages" in case:  # written by hand in the builder: both engines give exactly these
        assert [e["message"] for e in rust] == case["error_messages"]


def _data_documents() -> Iterator[tuple[str, str]]:
    kinds = {
        "aws-managed-policies": "identity",
        "scp-examples": "scp",
        "rcp-examples": "rcp",
        "resource-policies": "resource",
        "tricky": "identity",
    }
    for folder, kind in kinds.items():
        for path in sorted((DATA_DIR / folder).rglob("*.json")):
            yield str(path.relative_to(DATA_DIR)), kind


DATA_DOCS = list(_data_documents()) if DATA_DIR.is_dir() else []


def _entries(errors: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["type"], e["policy"], e["pointer"], e["message"]) for e in errors]


@pytest.mark.skipif(not DATA_DOCS, reason=f"shared data sets not present at {DATA_DIR}")
def test_shared_data_validate_parity() -> None:
    """Every policy document of ../shared/data: the same errors from both engines, as text, bytes and dict,
    as every kind."""
    differences = []
    for rel, _ in DATA_DOCS:
        raw = (DATA_DIR / rel).read_bytes()
        try:
            doc: Any = json.loads(raw)
        except ValueError:
            doc = None
        for kind in reference.KINDS:
            sources: list[Any] = [raw, raw.decode("utf-8", "replace")]
            if doc is not None:
                sources.append(doc)
            for source in sources:
                rust = _entries(iameval.validate_policy(source, kind=kind))
                ref = _entries(reference.validate_policy(source, kind=kind))
                if rust != ref:
                    differences.append((rel, kind, type(source).__name__, rust, ref))
    assert not differences, differences[:5]


@pytest.mark.skipif(not DATA_DOCS, reason=f"shared data sets not present at {DATA_DIR}")
def test_shared_data_policy_set_parity() -> None:
    """The same documents in every slot of a policy set: the same errors (type, policy, pointer)."""
    docs = [(DATA_DIR / rel).read_text(encoding="utf-8", errors="replace") for rel, _ in DATA_DOCS]
    for start in range(0, len(docs), 40):
        chunk = docs[start : start + 40]
        policies = {
            "identity": chunk[:10],
            "resource": chunk[10] if len(chunk) > 10 else None,
            "permission_boundary": chunk[11] if len(chunk) > 11 else None,
            "session": chunk[12] if len(chunk) > 12 else None,
            "scps": [chunk[13:20], chunk[20:25]],
            "rcps": [chunk[25:40]],
        }
        rust, ref = _both(policies)
        assert rust == ref, start


def test_validate_policy_unknown_kind() -> None:
    for kind in ("nope", 5):
        with pytest.raises(ValueError, match="unknown policy kind") as rust:
            iameval.validate_policy({}, kind=kind)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="unknown policy kind") as ref:
            reference.validate_policy({}, kind=kind)  # type: ignore[arg-type]
        assert str(rust.value) == str(ref.value)


def test_error_entries_have_the_reference_shape() -> None:
    bad = [b"\xff\xfe", "{", {"Statement": [{"Effect": "Permit"}]}, {1, 2}, ("x",), 3.5]
    rust = _errors(RUST, identity=bad, resource=object(), scps=[[{"Statement": ()}]], rcps="x")
    ref = _errors(REF, identity=bad, resource=object(), scps=[[{"Statement": ()}]], rcps="x")
    assert [(e["type"], e["policy"], e["pointer"], e["path"]) for e in rust] == [
        (e["type"], e["policy"], e["pointer"], e["path"]) for e in ref
    ]
    assert [e["message"] for e in rust] == [e["message"] for e in ref]
    assert rust[0]["message"] == ref[0]["message"] == "invalid UTF-8 at byte 0"


def test_from_vector_errors() -> None:
    for policies in (None, [], {"identity": [], "bogus": 1, 3: 2}):
        rust, ref = _both(policies)
        assert rust == ref


# -- hypothesis differential ----------------------------------------------------------------------------------


# At least 5,000 examples in CI (the ``ci`` profile's default is lower); the ``long`` profile's count otherwise.
DIFFERENTIAL_EXAMPLES = max(5000, settings.default.max_examples)


def _crossed(requests: list[dict[str, Any]], limit: int = 48) -> list[dict[str, Any]]:
    """More requests for free: every caller (with its context) x action x resource seen in ``requests``.

    Generating a policy set costs far more than evaluating it, so each example also compares the product of the
    generated requests' parts (near-matches recombined), up to ``limit`` requests.
    """
    callers = {(r["principal"], r.get("principal_account")): r.get("context", {}) for r in requests}
    actions = dict.fromkeys(r["action"] for r in requests)
    resources = dict.fromkeys((r["resource"], r.get("resource_account")) for r in requests)
    out = []
    for (principal, principal_account), context in callers.items():
        for action in actions:
            for resource, resource_account in resources:
                out.append(
                    {
                        "principal": principal,
                        "principal_account": principal_account,
                        "action": action,
                        "resource": resource,
                        "resource_account": resource_account,
                        "context": context,
                    }
                )
    return out[:limit]


@settings(
    max_examples=DIFFERENTIAL_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(S.case_batches(max_requests=4))
def test_differential(batch: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    policies, requests = batch
    rust_ps, ref_ps = RUST.from_vector(policies), REF.from_vector(policies)
    assert repr(rust_ps) == repr(ref_ps)
    for group in (requests, _crossed(requests)):
        rust = [r.to_dict() for r in rust_ps.evaluate_many(group)]
        ref = [r.to_dict() for r in ref_ps.evaluate_many(group)]
        assert rust == ref, (policies, group)
        if group is requests:
            # the trace (issue 8): equal in both engines, statement by statement
            for r in group:
                assert rust_ps.evaluate(r, trace=True).trace == ref_ps.evaluate(r, trace=True).trace, (policies, r)
        # the decision-only batch path, for the rows whose accounts are the ARN defaults
        picked = [
            i
            for i, r in enumerate(group)
            if r.get("principal_account") is None and r.get("resource_account") is None
        ]
        if picked:
            rows = [group[i] for i in picked]
            decided = rust_ps.decide_many(
                [r["action"] for r in rows],
                [r["resource"] for r in rows],
                principals=[r["principal"] for r in rows],
                contexts=[r.get("context") for r in rows],
                as_list=True,
            )
            assert decided == [ref[i]["decision"] for i in picked], (policies, rows)
            # the compiled request layout (issue 12): the same contexts given as one column per key
            columns = _as_context_columns([r.get("context") for r in rows])
            if columns is not None:
                by_column = rust_ps.decide_many(
                    [r["action"] for r in rows],
                    [r["resource"] for r in rows],
                    principals=[r["principal"] for r in rows],
                    context_columns=columns,
                    as_list=True,
                )
                assert by_column == decided, (policies, rows, columns)
            _check_constant_context_paths(rust_ps, ref_ps, rows)


def _with_context(request: dict[str, Any], context: Any) -> dict[str, Any]:
    """``request`` with ``context`` (none: without one)."""
    out = {k: v for k, v in request.items() if k != "context"}
    if context is not None:
        out["context"] = context
    return out


def _check_constant_context_paths(rust_ps: Any, ref_ps: Any, rows: list[dict[str, Any]]) -> None:
    """The batch paths that keep condition answers for a run with one context (issue 12, R8-R13, R15):
    ``decide_many`` with one context for every row, against the reference; ``evaluate_grid`` of the rows'
    principals (each with its own context, all on one set) x their actions x their resources, against
    ``evaluate`` of each cell's request (itself checked against the reference above)."""
    shared = rows[0].get("context")
    actions = [r["action"] for r in rows]
    resources = [r["resource"] for r in rows]
    one = rust_ps.decide_many(
        actions, resources, principals=[r["principal"] for r in rows], contexts=shared, as_list=True
    )
    expected = [r.decision for r in ref_ps.evaluate_many([_with_context(r, shared) for r in rows])]
    assert one == expected, (rows, shared)
    grid = iameval.evaluate_grid(
        [rust_ps] * len(rows),
        [r["principal"] for r in rows],
        actions,
        resources,
        contexts=[r.get("context") for r in rows],
        as_list=True,
    )
    cells = [
        _with_context({"principal": p["principal"], "action": a, "resource": r}, p.get("context"))
        for p in rows
        for a in actions
        for r in resources
    ]
    assert grid == [rust_ps.evaluate(cell).decision for cell in cells], rows


def _as_context_columns(contexts: list[Any]) -> dict[str, list[Any]] | None:
    """Per-row contexts as one column per key (``None`` cells where a row lacks it); ``None`` when they cannot be
    columns: a value that is not a ``str`` or a list of ``str``, or two keys equal but for case."""
    keys: dict[str, str] = {}
    for context in contexts:
        if context is None:
            continue
        if not isinstance(context, dict):
            return None
        for key, value in context.items():
            plain = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            if not isinstance(key, str) or not plain or keys.setdefault(key.lower(), key) != key:
                return None
    return {key: [(c or {}).get(key) for c in contexts] for key in keys.values()}


# -- garbage --------------------------------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["Allow", "Deny", "*", "s3:GetObject", "arn:aws:s3:::b/*", "2012-10-17", "StringLike"])
)
_keys = st.text(max_size=8) | st.sampled_from(
    [
        "Version",
        "Statement",
        "Effect",
        "Action",
        "Resource",
        "Principal",
        "Condition",
        "Sid",
        "AWS",
        "context",
    ]
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=30,
)
_weird = st.sampled_from(
    [
        object(),
        {1, 2},
        frozenset(),
        ("s3:GetObject",),
        b"\xff\xfe\x00",
        bytearray(b'{"Statement": []}'),
        memoryview(b"{}"),
        "\ud800",
        float("nan"),
        float("-inf"),
        1 + 2j,
        "{" * 200,
        "[" * 100 + "]" * 100,
        '{"a": 1, "a": 2}',
        "\ufeff{}",
        "NaN",
    ]
)
_huge = st.sampled_from(["text", "int"]).map(lambda k: "x" * 100_000 if k == "text" else 10**5000)
garbage = st.recursive(
    _scalars | _weird | _huge,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys | st.integers(), inner, max_size=3),
    max_leaves=20,
)


def _deep(n: int) -> Any:
    value: Any = "s3:GetObject"
    for i in range(n):
        value = [value] if i % 2 else {"Action": value}
    return value


def _only_located_errors(fn: Any, *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except (PolicyError, RequestError) as exc:
        for e in exc.errors():
            assert set(e) == {"type", "policy", "pointer", "path", "message"}
            assert isinstance(e["path"], tuple)


@given(st.lists(json_values | garbage, max_size=3), json_values | garbage, garbage)
def test_garbage_policies_only_raise_policy_error(identity: Any, resource: Any, scps: Any) -> None:
    _only_located_errors(RUST, identity=identity, resource=resource, scps=scps)
    _only_located_errors(RUST, identity=resource)
    _only_located_errors(RUST.from_vector, scps)
    _only_located_errors(iameval.validate_policy, resource, kind="rcp")


@given(json_values)
def test_json_values_same_errors(value: Any) -> None:
    """Arbitrary JSON values (not too deep) as a policy: the same errors as the reference."""
    for kind in ("identity", "resource"):
        assert _entries(iameval.validate_policy(value, kind=kind)) == _entries(
            reference.validate_policy(value, kind=kind)
        )
    text = json.dumps(value)
    assert _entries(iameval.validate_policy(text)) == _entries(reference.validate_policy(text))


_NAMES = (
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    "ForAllValues:",
    "ForAnyValue:",
    "IfExists",
    "StringEquals",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "NumericLessThanEquals",
    "DateGreaterThan",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnLike",
    "ArnNotEquals",
    "Null",
)


@st.composite
def _near_name(draw: Any) -> str:
    """A valid element or operator name (or two run together), a few characters inserted, deleted or changed."""
    text = "".join(draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=2)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from("aeEiIlnNoOsSxX:ÄéK\u212a0 "))
        edit = draw(st.sampled_from(("insert", "delete", "replace")))
        tail = text[at + 1 :] if edit != "insert" else text[at:]
        text = text[:at] + ("" if edit == "delete" else char) + tail
    return text


@given(st.lists(_near_name(), min_size=1, max_size=4))
def test_did_you_mean_hints_same_errors(names: list[str]) -> None:
    """Near-miss element, principal-type and operator names: the same errors and hints as the reference."""
    doc: dict[str, Any] = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    statement = doc["Statement"]
    for i, name in enumerate(names):
        [doc, statement, statement.setdefault("Condition", {})][i % 3][name] = {"k": "v"}
    statement["Principal"] = {name: "*" for name in names}
    for kind in ("identity", "resource"):
        assert _entries(iameval.validate_policy(doc, kind=kind)) == _entries(
            reference.validate_policy(doc, kind=kind)
        )


@given(garbage | json_values)
def test_garbage_requests_only_raise_request_error(request_value: Any) -> None:
    ps = RUST(identity=[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}])
    _only_located_errors(ps.evaluate, request_value)
    base = {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:GetObject"}
    for key in ("principal", "action", "resource", "context", "principal_account", "resource_account", 7):
        _only_located_errors(ps.evaluate, {**base, key: request_value})
        _only_located_errors(ps.evaluate, {**base, "context": {"k": request_value, key: [request_value]}})
    _only_located_errors(ps.evaluate_many, [base, request_value])


def test_deep_nesting_and_limits() -> None:
    for n in (60, 63, 64, 65, 100, 5000):
        doc = {"Statement": {"Effect": "Allow", "Action": _deep(n), "Resource": "*"}}
        rust = _entries(iameval.validate_policy(doc))
        assert rust == _entries(reference.validate_policy(doc)), n
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert iameval.validate_policy({"Statement": cyclic})[0]["type"] == "json_invalid"
    huge = {"Statement": {"Effect": "Allow", "Action": "s3:" + "x" * 5_000_000, "Resource": "*"}}
    assert iameval.validate_policy(huge) == []
    assert _entries(iameval.validate_policy(json.dumps(huge))) == [
        ("json_invalid", "", "", "invalid JSON: document larger than 1048576 bytes")
    ]
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    for count in (10_000, 10_001, 1_000_000):
        doc = {"Statement": [statement] * count}
        assert _entries(iameval.validate_policy(doc)) == _entries(reference.validate_policy(doc)), count
    for text in (
        '{"Statement": NaN}',
        b"\xc3\x28",
        "\ud800",
        '{"a": 1, "a": 2}',
        "\ufeff{}",
        b"\xef\xbb\xbf{}",
    ):
        assert _entries(iameval.validate_policy(text)) == _entries(reference.validate_policy(text)), text
    nan_condition = {
        "Statement": {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*",
            "Condition": {"NumericEquals": {"k": [math.nan, math.inf, 1.5, 10**20]}},
        }
    }
    assert iameval.validate_policy(nan_condition) == reference.validate_policy(nan_condition)


# -- threads and pickling -------------------------------------------------------------------------------------


def _vector_sets() -> list[tuple[Any, Any, dict[str, Any]]]:
    out = []
    for case in VECTORS[:300]:
        out.append((RUST.from_vector(case["policies"]), REF.from_vector(case["policies"]), case["request"]))
    return out


def test_threads_same_results_as_sequential() -> None:
    sets = _vector_sets()
    sequential = [ps.evaluate(req).to_dict() for ps, _, req in sets]
    work = [(ps, req) for ps, _, req in sets] * 8

    def run(item: tuple[Any, dict[str, Any]]) -> dict[str, Any]:
        ps, req = item
        return dict(ps.evaluate(req).to_dict())

    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(run, work))
        batched = list(pool.map(lambda item: item[0].evaluate_many([item[1]] * 20)[-1].to_dict(), work))
    assert parallel == sequential * 8
    assert batched == sequential * 8


def test_pickle_round_trip() -> None:
    for ps, ref_ps, req in _vector_sets():
        restored = pickle.loads(pickle.dumps(ps))
        assert type(restored) is RUST
        assert repr(restored) == repr(ps)
        assert restored.evaluate(req) == ps.evaluate(req) == ref_ps.evaluate(req)


def test_pickle_keeps_text_bytes_and_numbers() -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"NumericLessThan": {"s3:max-keys": [10, 2.5, 10**30]}, "Bool": {"k": True}},
            }
        ],
    }
    ps = RUST(identity=[doc, json.dumps(doc), json.dumps(doc).encode()], scps=[[doc], []], rcps=[])
    restored = pickle.loads(pickle.dumps(ps))
    req = {
        "principal": "arn:aws:iam::111111111111:user/a",
        "action": "s3:GetObject",
        "context": {"s3:max-keys": "2", "k": "true"},
    }
    assert restored.evaluate(req) == ps.evaluate(req)
    assert repr(restored) == repr(ps)


def test_pickle_reads_back_compressed_sources_exactly() -> None:
    # the sources a set keeps for pickling are compressed (issue 12, memory): a large policy, a small one and
    # absent layers read back as given
    big = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": f"S{i}", "Effect": "Allow", "Action": f"s3:Get{i % 7}*", "Resource": f"arn:aws:s3:::b{i}/*"}
            for i in range(3_000)
        ],
    }
    small = {"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}
    ps = RUST(identity=[big], permission_boundary=small)
    cls, args = ps.__reduce__()
    assert cls is RUST
    assert args == ([big], None, small, None, None, None, None, None)
    restored = pickle.loads(pickle.dumps(ps))
    assert repr(restored) == repr(ps)
    req = {"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:Get3x", "resource": "arn:aws:s3:::b3/k"}
    assert restored.evaluate(req) == ps.evaluate(req)


def test_frozen_and_thread_safe_class() -> None:
    ps = RUST()
    with pytest.raises(AttributeError):
        ps.foo = 1  # type: ignore[attr-defined]
    assert repr(ps) == repr(REF())
