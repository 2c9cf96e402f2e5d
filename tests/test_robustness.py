"""Robustness of the Rust engine's Python API (issue 8): account columns in the batch API, huge outputs, worker
pools across ``fork()`` and many ``threads=`` values, Ctrl-C during long batch calls, many-valued conditions,
text that is not Unicode, mappings mutated while they are read, and clear errors for wrong inputs.

Long or process-wide behaviour (memory limits, fork, signals) runs in a subprocess with a generous timeout, so a
hang or an abort fails the test instead of hanging or killing the suite; no test asserts on speed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from typing import Any

import iameval
import iameval.reference as reference
import pytest
from iameval import Decision, PolicySet, Request, RequestError

HAVE_NUMPY = importlib.util.find_spec("numpy") is not None
HAVE_PYARROW = importlib.util.find_spec("pyarrow") is not None

ALICE = "arn:aws:iam::111111111111:user/alice"  # the bucket owner's account
BOB = "arn:aws:iam::222222222222:user/bob"  # another account
CAROL = "arn:aws:iam::333333333333:role/carol"  # a third account, not named by the bucket policy
OWNER = "111111111111"

#: the same identity policy for everyone; a bucket policy granting account 222222222222 reads of `shared`
AUDIT_POLICIES: dict[str, Any] = {
    "identity": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}],
    "resource": {
        "Statement": {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
        }
    },
}
AUDIT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
AUDIT_RESOURCES = ["arn:aws:s3:::shared/report.csv", "arn:aws:s3:::shared", "arn:aws:s3:::private/x"]


def _decoded(out: Any) -> list[Decision]:
    return [iameval.DECISION_CODES[int(c)] for c in (out.reshape(-1).tolist() if HAVE_NUMPY else out)]


def _pointers(exc: pytest.ExceptionInfo[RequestError]) -> list[tuple[str, str]]:
    return [(e["pointer"], e["type"]) for e in exc.value.errors()]


def _run(script: str, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter; a hang past ``timeout`` fails the test."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the subprocess hung (no answer in {timeout} s): {exc.stdout!r} {exc.stderr!r}")


# -- A. account columns ------------------------------------------------------------------------------------------


def _expected(engine: Any, principal: str, action: str, resource: str, pa: Any, ra: Any) -> Decision:
    request = Request(principal, action, resource, principal_account=pa, resource_account=ra)
    return engine.evaluate(request).decision  # type: ignore[no-any-return]


def test_decide_many_account_columns_equal_requests_with_accounts() -> None:
    rust, ref = PolicySet.from_vector(AUDIT_POLICIES), reference.PolicySet.from_vector(AUDIT_POLICIES)
    rows = [
        (p, a, r, pa, ra)
        for p in (ALICE, BOB, CAROL)
        for a in AUDIT_ACTIONS
        for r in AUDIT_RESOURCES
        for pa in (None, "222222222222")
        for ra in (None, OWNER, "333333333333")
    ]
    principals, actions, resources, pas, ras = (list(col) for col in zip(*rows, strict=True))
    want = [_expected(ref, *row) for row in rows]
    assert want == [_expected(rust, *row) for row in rows]
    assert set(want) == {Decision.ALLOW, Decision.IMPLICIT_DENY}
    got = ps_out = rust.decide_many(
        actions, resources, principals=principals, principal_accounts=pas, resource_accounts=ras
    )
    assert _decoded(got) == want
    listed = rust.decide_many(
        actions, resources, principals=principals, principal_accounts=pas, resource_accounts=ras, as_list=True
    )
    assert listed == want
    for threads in (1, 2):  # enough rows to be split into chunks
        many = rust.decide_many(
            actions * 200,
            resources * 200,
            principals=principals * 200,
            principal_accounts=tuple(pas * 200),
            resource_accounts=ras * 200,
            threads=threads,
        )
        assert _decoded(many) == want * 200
    # one account for every row
    for pa, ra in ((None, OWNER), ("222222222222", None), ("222222222222", OWNER)):
        one = rust.decide_many(
            actions, resources, principals=principals, principal_accounts=pa, resource_accounts=ra
        )
        assert _decoded(one) == [
            _expected(ref, p, a, r, pa, ra) for p, a, r in zip(principals, actions, resources, strict=True)
        ]
    assert _decoded(ps_out) == want


def test_cross_account_s3_audit_needs_the_bucket_owner() -> None:
    """S3 bucket ARNs carry no account: without ``resource_accounts`` every caller looks like the bucket owner
    (R1), with it a caller of another account needs the bucket policy too."""
    rust, ref = PolicySet.from_vector(AUDIT_POLICIES), reference.PolicySet.from_vector(AUDIT_POLICIES)
    principals = [ALICE, BOB, CAROL]
    grid = _decoded(
        iameval.evaluate_grid(
            [rust] * 3, principals, AUDIT_ACTIONS, AUDIT_RESOURCES, resource_accounts=[OWNER] * 3
        )
    )
    want = [
        _expected(ref, p, a, r, None, OWNER)
        for p in principals
        for a in AUDIT_ACTIONS
        for r in AUDIT_RESOURCES
    ]
    assert grid == want
    assert grid == _decoded(
        iameval.evaluate_grid([rust] * 3, principals, AUDIT_ACTIONS, AUDIT_RESOURCES, resource_accounts=OWNER)
    )
    keys = [(p, a, r) for p in principals for a in AUDIT_ACTIONS for r in AUDIT_RESOURCES]
    cells = dict(zip(keys, grid, strict=True))
    assert cells[(ALICE, "s3:PutObject", "arn:aws:s3:::private/x")] is Decision.ALLOW  # same account
    assert cells[(BOB, "s3:GetObject", "arn:aws:s3:::shared/report.csv")] is Decision.ALLOW  # both sides
    assert cells[(BOB, "s3:PutObject", "arn:aws:s3:::shared/report.csv")] is Decision.IMPLICIT_DENY
    assert cells[(CAROL, "s3:GetObject", "arn:aws:s3:::shared/report.csv")] is Decision.IMPLICIT_DENY
    # without the owner's account every caller is taken to own the bucket
    naive = _decoded(iameval.evaluate_grid([rust] * 3, principals, AUDIT_ACTIONS, AUDIT_RESOURCES))
    assert set(naive) == {Decision.ALLOW}
    # principal accounts, per principal or one for all
    pas = [None, "111111111111", "222222222222"]
    per = _decoded(
        iameval.evaluate_grid(
            [rust] * 3,
            principals,
            AUDIT_ACTIONS,
            AUDIT_RESOURCES,
            principal_accounts=pas,
            resource_accounts=OWNER,
        )
    )
    assert per == [
        _expected(ref, p, a, r, pa, OWNER)
        for p, pa in zip(principals, pas, strict=True)
        for a in AUDIT_ACTIONS
        for r in AUDIT_RESOURCES
    ]


def _account_forms() -> list[tuple[str, Any]]:
    forms: list[tuple[str, Any]] = [("list", list), ("tuple", tuple)]
    if HAVE_NUMPY:
        import numpy as np

        forms += [("numpy U", lambda v: np.array(v)), ("numpy object", lambda v: np.array(v, dtype=object))]
    if HAVE_PYARROW:
        import pyarrow as pa

        forms += [("pyarrow", pa.array), ("pyarrow chunked", lambda v: pa.chunked_array([v[:2], v[2:]]))]
    return forms


@pytest.mark.parametrize(("name", "form"), _account_forms(), ids=[n for n, _ in _account_forms()])
def test_account_columns_every_column_type(name: str, form: Any) -> None:
    rust = PolicySet.from_vector(AUDIT_POLICIES)
    resources = [
        "arn:aws:s3:::shared/k",
        "arn:aws:s3:::shared/k",
        "arn:aws:s3:::private/k",
        "arn:aws:s3:::x/k",
    ]
    owners = [OWNER, "222222222222", OWNER, OWNER]
    got = rust.decide_many(["s3:GetObject"] * 4, resources, principal=BOB, resource_accounts=form(owners))
    ref = reference.PolicySet.from_vector(AUDIT_POLICIES)
    assert _decoded(got) == [
        _expected(ref, BOB, "s3:GetObject", r, None, o) for r, o in zip(resources, owners, strict=True)
    ]


def test_account_column_errors_point_at_argument_and_row() -> None:
    rust = PolicySet.from_vector(AUDIT_POLICIES)
    n = 8
    args = (["s3:GetObject"] * n, ["arn:aws:s3:::shared/k"] * n)
    for argument in ("principal_accounts", "resource_accounts"):
        for bad, kind in (
            (5, "wrong_type"),
            ("", "invalid_value"),
            ("a\udc80", "invalid_value"),
            (["x"], "wrong_type"),
        ):
            column: list[Any] = [OWNER] * n
            column[5] = bad
            with pytest.raises(RequestError) as exc:
                rust.decide_many(*args, principal=BOB, **{argument: column})
            assert _pointers(exc) == [(f"/{argument}/5", kind)], bad
        with pytest.raises(RequestError) as exc:
            rust.decide_many(*args, principal=BOB, **{argument: [OWNER] * (n - 1)})
        assert _pointers(exc) == [(f"/{argument}", "invalid_value")]
        with pytest.raises(RequestError) as exc:
            rust.decide_many(*args, principal=BOB, **{argument: ""})
        assert _pointers(exc) == [(f"/{argument}", "invalid_value")]
        grid_args: tuple[Any, ...] = (
            [rust] * 2,
            [ALICE, BOB],
            ["s3:GetObject"],
            ["arn:aws:s3:::a", "arn:aws:s3:::b"],
        )
        with pytest.raises(RequestError) as exc:
            iameval.evaluate_grid(*grid_args, **{argument: [OWNER] * 3})
        assert _pointers(exc) == [(f"/{argument}", "invalid_value")]
        with pytest.raises(RequestError) as exc:
            iameval.evaluate_grid(*grid_args, **{argument: [OWNER, 7]})
        assert _pointers(exc) == [(f"/{argument}/1", "wrong_type")]
    with pytest.raises(TypeError):
        rust.decide_many(*args, principal=BOB, principal_accounts=5)


# -- B. huge outputs ----------------------------------------------------------------------------------------------


def test_grid_whose_size_overflows_is_value_error_naming_the_size() -> None:
    rust = PolicySet.from_vector(AUDIT_POLICIES)
    n = 2**22  # n**3 = 2**66 cells: more than any allocation can hold (the columns are cheap: one str each)
    with pytest.raises(ValueError, match=r"4194304 x 4194304 x 4194304 cells is too large"):
        iameval.evaluate_grid([rust] * n, [ALICE] * n, ["s3:GetObject"] * n, ["arn:aws:s3:::b/k"] * n)


def test_grid_too_large_to_allocate_is_memory_error_naming_the_size() -> None:
    rust = PolicySet.from_vector(AUDIT_POLICIES)
    n = 2**20  # n**3 = 2**60 bytes: fits isize, but no machine has it (the columns are cheap: one str each)
    with pytest.raises(MemoryError, match=f"cannot allocate {n**3} bytes"):
        iameval.evaluate_grid([rust] * n, [ALICE] * n, ["s3:GetObject"] * n, ["arn:aws:s3:::b/k"] * n)
    assert (
        iameval.evaluate_grid([rust], [ALICE], ["s3:GetObject"] * 8, ["arn:aws:s3:::b/k"], as_list=True)
        == [Decision.ALLOW] * 8
    )


_MEMORY_LIMIT_SCRIPT = """
    import resource, sys
    import iameval
    ps = iameval.PolicySet(identity=[{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}])
    n = 4_000_000
    actions, resources = ["s3:GetObject"] * n, ["arn:aws:s3:::b/k"] * n
    ps.decide_many(actions[:100_000], resources[:100_000], principal="arn:aws:iam::111111111111:user/a")
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:")) * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (vm + {margin}, hard))
    try:
        given = (iter(actions), iter(resources)) if "{form}" == "iterators" else (actions, resources)
        out = ps.decide_many(*given, principal="arn:aws:iam::111111111111:user/a", threads={threads})
    except MemoryError as error:
        print("MemoryError", error)
    else:
        print("ok", len(out))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
@pytest.mark.parametrize("margin_mb", [8, 60, 150, 210, 218, 222, 260])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("form", ["iterators", "lists"])
def test_decide_many_under_a_memory_limit_raises_memory_error(margin_mb: int, threads: int, form: str) -> None:
    """With little address space left, each of the call's large buffers (the rows held, their text, the
    decisions, the output) may be the one that fails: a ``MemoryError``, never an abort. Iterators are read
    at once; lists segment by segment (rust/py/src/segments.rs), which needs far less room: there 8 MB
    may be enough."""
    script = (
        _MEMORY_LIMIT_SCRIPT.replace("{margin}", str(margin_mb << 20))
        .replace("{threads}", str(threads))
        .replace("{form}", form)
    )
    # mimalloc (the extension's allocator) reserves 1 GiB of address space ahead: without that, the limit
    # above the current size really is the room left
    done = _run(script, env={**os.environ, "MIMALLOC_ARENA_RESERVE": "0"})
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.startswith(("MemoryError", "ok")), done.stdout
    if margin_mb == 8 and form == "iterators":
        assert done.stdout.startswith("MemoryError cannot allocate"), done.stdout


# -- C. fork while pools are built -------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_while_another_thread_builds_pools_does_not_hang_the_child() -> None:
    script = """
        import os, sys, threading
        import iameval
        ps = iameval.PolicySet(identity=[{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}])
        p = "arn:aws:iam::111111111111:user/a"
        actions, resources = ["s3:GetObject"] * 5000, ["arn:aws:s3:::b/k"] * 5000
        try:
            ps.decide_many([], [], principal=p, threads=10**9)
        except ValueError as error:
            bound = int(str(error).split(" to ")[1].split()[0])
        sizes = list(range(2, bound + 1)) or [2]
        stop = threading.Event()

        def churn():  # more sizes than pools kept: pools are built and dropped all the time
            i = 0
            while not stop.is_set():
                ps.decide_many(actions, resources, principal=p, threads=sizes[i % len(sizes)])
                i += 1

        worker = threading.Thread(target=churn)
        worker.start()
        for _ in range(60):
            pid = os.fork()
            if pid == 0:
                out = ps.decide_many(actions, resources, principal=p, threads=2)
                os._exit(0 if bytes(out) == b"\\x01" * 5000 else 1)
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                print("child failed", status)
                sys.exit(1)
        stop.set()
        worker.join()
        print("ok")
    """
    done = _run(script, timeout=240)
    assert done.returncode == 0 and done.stdout.strip() == "ok", (done.stdout, done.stderr[-2000:])


# -- D. threads are capped and pools bounded ----------------------------------------------------------------------


def _thread_bound(ps: PolicySet) -> int:
    with pytest.raises(ValueError, match=r"from 1 to \d+") as exc:
        ps.decide_many([], [], principal=ALICE, threads=10**9)
    return int(re.search(r"from 1 to (\d+)", str(exc.value)).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", [0, -1, 2**70, -(2**70), 10**100])
def test_threads_out_of_range_is_value_error_naming_the_bound(bad: int) -> None:
    ps = PolicySet.from_vector(AUDIT_POLICIES)
    bound = _thread_bound(ps)
    assert bound >= 4
    for call in (
        lambda: ps.decide_many([], [], principal=ALICE, threads=bad),
        lambda: ps.evaluate_many([], threads=bad),
        lambda: iameval.evaluate_grid([], [], [], [], threads=bad),
    ):
        with pytest.raises(ValueError, match=rf"from 1 to {bound}"):
            call()
    with pytest.raises(ValueError, match=rf"from 1 to {bound}"):
        ps.decide_many([], [], principal=ALICE, threads=bound + 1)
    assert len(ps.decide_many([], [], principal=ALICE, threads=bound)) == 0
    with pytest.raises(TypeError):
        ps.decide_many([], [], principal=ALICE, threads=2.0)  # type: ignore[arg-type]


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
def test_many_thread_counts_do_not_grow_the_thread_count_without_bound() -> None:
    ps = PolicySet.from_vector(AUDIT_POLICIES)
    bound = _thread_bound(ps)
    n = 5000  # more than one chunk: every call really uses a pool
    actions, resources = ["s3:GetObject"] * n, ["arn:aws:s3:::shared/k"] * n
    before = _threads()
    for _ in range(3):
        for threads in range(1, bound + 1):
            ps.decide_many(actions, resources, principal=ALICE, threads=threads)
            ps.evaluate_many([{"principal": ALICE, "action": "s3:GetObject"}] * 100, threads=threads)
    # at most 4 pools are kept (MAX_POOLS), each of at most `bound` threads; dropped pools' threads end
    # once idle: wait for them (a generous deadline, not a speed check)
    limit = before + 4 * bound + 1
    deadline = time.monotonic() + 60
    while _threads() > limit and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _threads() <= limit, (before, _threads(), bound)


# -- E. Ctrl-C during long calls ----------------------------------------------------------------------------------

#: one statement whose condition costs 2000 x 400 glob matches per row (tens of milliseconds): thousands of
#: rows would take many minutes. Each row has its own context (a grid: its own principal), so that the answer is
#: not kept from one row to the next (a run with one context evaluates a condition once: issue 12)
_SLOW_SETUP = """
    import signal, sys
    import iameval
    signal.signal(signal.SIGINT, signal.default_int_handler)
    patterns = [f"*q{i}*z*x*" for i in range(2000)]
    ps = iameval.PolicySet(identity=[{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": patterns}}}]}])
    context = {"aws:TagKeys": [f"tag-{i}-abcdefghijklmnopqrstuvwxyz" for i in range(400)]}
    p = "arn:aws:iam::111111111111:user/a"
    n = 10_000
"""
_SLOW_CALLS = {
    "decide_many": "ps.decide_many(['s3:GetObject'] * n, ['arn:aws:s3:::b/k'] * n, principal=p,"
    " contexts=[context] * n, threads={threads})",
    # more than rust/py/src/segments.rs's SEGMENTED rows: read and decided segment by segment
    "decide_many_segmented": "ps.decide_many(['s3:GetObject'] * 3 * n, ['arn:aws:s3:::b/k'] * 3 * n, principal=p,"
    " contexts=[context] * 3 * n, threads={threads})",
    "evaluate_grid": "iameval.evaluate_grid([ps] * n, [p] * n, ['s3:GetObject'], ['arn:aws:s3:::b/k'],"
    " contexts=[context] * n, threads={threads})",
    "evaluate_many": "ps.evaluate_many([{'principal': p, 'action': 's3:GetObject', 'context': context}] * n,"
    " threads={threads})",
}


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("api", sorted(_SLOW_CALLS))
def test_ctrl_c_interrupts_a_long_batch_call(api: str, threads: int) -> None:
    """SIGINT half a second into a call that would run for many minutes: ``KeyboardInterrupt`` comes out of the
    call (the process timeout, far shorter than the whole call, catches a call that ignores it)."""
    call = _SLOW_CALLS[api].replace("{threads}", str(threads))
    script = textwrap.dedent(_SLOW_SETUP) + textwrap.dedent(f"""
        print("ready", flush=True)
        try:
            {call}
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        print("finished", flush=True)
        """)
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail(f"{api} ignored Ctrl-C")
    assert (child.returncode, out.strip()) == (3, "interrupted"), err[-2000:]


# -- F. many-valued exact conditions, the GIL in evaluate() --------------------------------------------------------


def _set_with(operator: str, key: str, values: list[str]) -> dict[str, Any]:
    return {
        "identity": [
            {
                "Statement": {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "*",
                    "Condition": {operator: {key: values}},
                }
            }
        ]
    }


def test_for_any_value_string_equals_many_values_decides_correctly() -> None:
    """10,000 policy values against 100,000 request values: a billion comparisons one by one, a hash lookup per
    request value here (no timing asserted: the answer must be right)."""
    values = [f"team-{i:05d}" for i in range(10_000)]
    request_values = [f"other-{i}" for i in range(100_000)]
    for operator, hit, expected in (
        ("ForAnyValue:StringEquals", "team-09999", Decision.ALLOW),
        ("ForAnyValue:StringEqualsIgnoreCase", "TEAM-00042", Decision.ALLOW),
        ("ForAllValues:StringNotEquals", None, Decision.ALLOW),
        ("ForAllValues:StringNotEqualsIgnoreCase", "Team-00007", Decision.IMPLICIT_DENY),
    ):
        ps = PolicySet.from_vector(_set_with(operator, "aws:TagKeys", values))
        tags = [*request_values, hit] if hit else request_values
        request = {"principal": ALICE, "action": "s3:GetObject", "context": {"aws:TagKeys": tags}}
        assert ps.evaluate(request).decision is expected, operator
        if hit:  # without the matching value the answer flips
            flipped = ps.evaluate({**request, "context": {"aws:TagKeys": request_values}}).decision
            assert flipped is not expected, operator


@pytest.mark.parametrize(
    "operator",
    [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "ForAnyValue:StringEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringNotEqualsIgnoreCase",
        "StringEqualsIfExists",
    ],
)
def test_many_valued_exact_conditions_equal_the_reference(operator: str) -> None:
    values = [f"Value-{i}" for i in range(40)] + ["ǅungla", "Straße", "plain"]
    values += ["İstanbul", "${*}", ""]
    ps_args = _set_with(operator, "k", values)
    rust, ref = PolicySet.from_vector(ps_args), reference.PolicySet.from_vector(ps_args)
    cases: list[Any] = [
        None,
        "Value-3",
        "value-3",
        "VALUE-39",
        "Value-40",
        "ǆUNGLA",
        "STRASSE",
        "straße",
        "i̇stanbul",
        "*",
        "",
        [],
        ["Value-1", "nope"],
        ["value-1", "VALUE-2"],
        ["Value-1", "Value-2"],
    ]
    for case in cases:
        context = {} if case is None else {"k": case}
        request = {"principal": ALICE, "action": "s3:GetObject", "context": context}
        assert rust.evaluate(request).to_dict() == ref.evaluate(request).to_dict(), (operator, case)


def _main_thread_ran_during(call: Any) -> bool:
    """Whether this thread ran Python code while ``call`` ran in another one (see tests/test_batch.py)."""
    import threading

    started, state = threading.Event(), {"done": False}

    def worker() -> None:
        started.set()
        call()
        state["done"] = True

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    count = 0
    while not state["done"] and count < 100_000:
        count += 1
    thread.join()
    return count > 0


def test_evaluate_releases_the_gil_for_a_large_request() -> None:
    patterns = [f"*q{i}*z*" for i in range(300)]
    ps = PolicySet.from_vector(_set_with("ForAnyValue:StringLike", "aws:TagKeys", patterns))
    request = {
        "principal": ALICE,
        "action": "s3:GetObject",
        "context": {"aws:TagKeys": [f"tag-{i}-abcdefghijklmnop" for i in range(5000)]},
    }
    assert ps.evaluate(request).decision is Decision.IMPLICIT_DENY  # warm-up
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        ran = any(_main_thread_ran_during(lambda: ps.evaluate(request)) for _ in range(3))
    finally:
        sys.setswitchinterval(old)
    assert ran, "evaluate() held the GIL while evaluating a large request"


# -- G. text that is not Unicode ------------------------------------------------------------------------------------


def _errors(call: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(RequestError) as exc:
        call()
    return [(e["type"], e["pointer"], e["message"]) for e in exc.value.errors()]


ALLOW_S3 = {"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}
BAD = "a\udc80"

SURROGATE_REQUESTS: list[tuple[Any, list[str]]] = [
    ({"principal": ALICE + "\udc80", "action": "s3:GetObject"}, ["/principal"]),
    ({"principal": ALICE, "action": "s3:Get\ud800"}, ["/action"]),
    ({"principal": ALICE, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/" + BAD}, ["/resource"]),
    (Request(ALICE, "s3:GetObject", principal_account=BAD), ["/principal_account"]),
    ({"principal": ALICE, "action": "s3:GetObject", "resource_account": BAD}, ["/resource_account"]),
    (Request(ALICE, "s3:GetObject", context={BAD: "x"}), ["/context/a\\udc80"]),
    ({"principal": ALICE, "action": "s3:GetObject", "context": {"k": BAD}}, ["/context/k"]),
    ({"principal": ALICE, "action": "s3:GetObject", "context": {"k": ["ok", BAD]}}, ["/context/k/1"]),
    (
        {"principal": BAD, "action": "s3:GetObject", "context": {5: "x", BAD: [BAD]}},
        ["/principal", "/context/5", "/context/a\\udc80", "/context/a\\udc80/0"],
    ),
]


@pytest.mark.parametrize(("request_", "pointers"), SURROGATE_REQUESTS)
def test_lone_surrogates_in_requests_are_request_errors_in_both_engines(
    request_: Any, pointers: list[str]
) -> None:
    rust, ref = PolicySet.from_vector(ALLOW_S3), reference.PolicySet.from_vector(ALLOW_S3)
    found = _errors(lambda: rust.evaluate(request_))
    assert found == _errors(lambda: ref.evaluate(request_))
    assert found == _errors(lambda: rust.evaluate_many([{"principal": ALICE, "action": "s3:Get"}, request_]))
    assert [pointer for _, pointer, _ in found] == pointers
    assert {kind for kind, _, _ in found} == {"invalid_value"}


def test_lone_surrogates_in_batch_columns_and_contexts_are_request_errors() -> None:
    rust = PolicySet.from_vector(ALLOW_S3)
    actions, resources = ["s3:GetObject"] * 3, ["arn:aws:s3:::b/k"] * 3
    cases: list[tuple[Any, str]] = [
        (lambda: rust.decide_many([*actions[:2], "s3:" + BAD], resources, principal=ALICE), "/actions/2"),
        (lambda: rust.decide_many(actions, [*resources[:1], BAD, "*"], principal=ALICE), "/resources/1"),
        (lambda: rust.decide_many(actions, resources, principals=[ALICE, ALICE, BAD]), "/principals/2"),
        (lambda: rust.decide_many(actions, resources, principal=BAD), "/principal"),
        (lambda: rust.decide_many(actions, resources, principal=ALICE, contexts={"k": BAD}), "/contexts/k"),
        (
            lambda: rust.decide_many(actions, resources, principal=ALICE, contexts=[None, {BAD: "x"}, None]),
            "/contexts/1/a\\udc80",
        ),
        (
            lambda: rust.decide_many(
                actions, resources, principal=ALICE, context_columns={"k": ["x", None, BAD]}
            ),
            "/context_columns/k/2",
        ),
        (
            lambda: rust.decide_many(
                actions, resources, principal=ALICE, context_columns={"k": [["x", BAD], None, "y"]}
            ),
            "/context_columns/k/0",
        ),
        (
            lambda: rust.decide_many(actions, resources, principal=ALICE, context_columns={BAD: ["x"] * 3}),
            "/context_columns/a\\udc80",
        ),
        (lambda: iameval.evaluate_grid([rust], [ALICE], ["s3:GetObject"], ["*", BAD]), "/resources/1"),
        (lambda: iameval.evaluate_grid([rust], [BAD], ["s3:GetObject"], ["*"]), "/principals/0"),
        (
            lambda: iameval.evaluate_grid([rust], [ALICE], ["s3:GetObject"], ["*"], contexts=[{"k": [BAD]}]),
            "/contexts/0/k/0",
        ),
    ]
    for call, pointer in cases:
        found = _errors(call)
        assert [(kind, where) for kind, where, _ in found] == [("invalid_value", pointer)], found
        assert "lone surrogate" in found[0][2]


@pytest.mark.skipif(not HAVE_NUMPY, reason="needs numpy")
def test_numpy_columns_of_either_byte_order_and_surrogate_code_points() -> None:
    import numpy as np

    rust = PolicySet.from_vector(ALLOW_S3)
    actions = ["s3:GetObject", "ec2:RunInstances", "s3:PutObject"]
    resources = ["arn:aws:s3:::b/ü", "*", "arn:aws:s3:::b/€𝄞"]
    want = rust.decide_many(actions, resources, principal=ALICE, as_list=True)
    assert want == [Decision.ALLOW, Decision.IMPLICIT_DENY, Decision.ALLOW]
    for order in ("<", ">", "="):
        got = rust.decide_many(
            np.array(actions, dtype=f"{order}U20"),
            np.array(resources, dtype=f"{order}U20"),
            principals=np.array([ALICE] * 3, dtype=f"{order}U40"),
            context_columns={"k": np.array(["x", "y", "ÿ"], dtype=f"{order}U3")},
            as_list=True,
        )
        assert got == want, order
    surrogate = np.array(["s3:GetObject", "s3:\ud800"], dtype=">U12")
    assert [
        (k, p) for k, p, _ in _errors(lambda: rust.decide_many(surrogate, ["*"] * 2, principal=ALICE))
    ] == [("invalid_value", "/actions/1")]


# -- H. mappings changed while they are read ------------------------------------------------------------------------


def test_policy_dict_changed_while_converted_is_a_policy_error_not_a_panic() -> None:
    doc: dict[str, Any] = {}

    class Growing(int):
        def __str__(self) -> str:  # converting this number adds keys to the document being converted
            doc[f"Extra{len(doc)}"] = 1
            return "5"

    doc.update(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"NumericEquals": {"s3:max-keys": Growing(5)}},
                }
            ],
            "Id": "last",
        }
    )
    with pytest.raises(iameval.PolicyError) as exc:
        PolicySet(identity=[doc])
    assert [(e["type"], e["message"]) for e in exc.value.errors()] == [
        ("json_invalid", "invalid JSON: a dict changed size while it was read")
    ]
    statement = doc["Statement"][0]

    class Shrinking(int):
        def __str__(self) -> str:  # the inner dict loses a key while it is walked
            statement.pop("Sid", None)
            return "5"

    statement.update({"Sid": "x", "Condition": {"NumericEquals": {"s3:max-keys": Shrinking(5)}}})
    with pytest.raises(iameval.PolicyError):
        PolicySet(identity=[doc])
    statement["Sid"] = "again"
    assert [e["type"] for e in iameval.validate_policy(doc)] == ["json_invalid"]


def test_list_and_request_mappings_changed_while_converted_do_not_panic() -> None:
    actions: list[Any] = ["s3:GetObject"]

    class Appending(int):
        def __str__(self) -> str:
            actions.extend(["s3:PutObject"] * 3)
            return "5"

    doc = {
        "Statement": {
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*",
            "Condition": {"NumericEquals": {"k": [Appending(1)]}},
        }
    }
    PolicySet(identity=[doc])  # the list is read as it is when reached: no error, no panic
    context: dict[str, Any] = {}

    class Mutating(int):
        def __str__(self) -> str:
            context[f"k{len(context)}"] = "v"
            return "7"

    context.update({"a": Mutating(1), "b": "x"})
    rust = PolicySet.from_vector(ALLOW_S3)
    result = rust.evaluate({"principal": ALICE, "action": "s3:GetObject", "context": context})
    assert result.decision is Decision.ALLOW
    rust.decide_many(["s3:GetObject"], ["*"], principal=ALICE, contexts=[context])


# -- I. clear errors ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not HAVE_PYARROW, reason="needs pyarrow")
def test_pyarrow_table_batch_and_scalar_are_type_errors_naming_the_accepted_types() -> None:
    import pyarrow as pa

    rust = PolicySet.from_vector(ALLOW_S3)
    for bad in (
        pa.table({"a": ["s3:GetObject"]}),
        pa.record_batch({"a": ["s3:GetObject"]}),
        pa.scalar("s3:Get"),
    ):
        with pytest.raises(
            TypeError, match=r"pyarrow string / large_string Array or ChunkedArray, not pyarrow\."
        ):
            rust.decide_many(bad, ["*"], principal=ALICE)
        with pytest.raises(TypeError, match="ChunkedArray"):
            rust.decide_many(["s3:GetObject"], ["*"], principal=ALICE, context_columns={"k": bad})
        with pytest.raises(TypeError, match="ChunkedArray"):
            iameval.evaluate_grid([rust], [ALICE], bad, ["*"])


def test_non_string_context_keys_are_named() -> None:
    rust, ref = PolicySet.from_vector(ALLOW_S3), reference.PolicySet.from_vector(ALLOW_S3)
    for key, pointer in (
        (5, "/context/5"),
        (None, "/context/None"),
        (("a", 1), "/context/('a', 1)"),
        (b"k", "/context/b'k'"),
    ):
        request = {"principal": ALICE, "action": "s3:GetObject", "context": {"ok": "v", key: "x"}}
        found = _errors(lambda request=request: rust.evaluate(request))
        assert found == _errors(lambda request=request: ref.evaluate(request))
        assert [(k, p) for k, p, _ in found] == [("invalid_value", pointer)]
        assert repr(key) in found[0][2]
        batch = _errors(
            lambda request=request: rust.decide_many(
                ["s3:Get"], ["*"], principal=ALICE, contexts=[request["context"]]
            )
        )
        assert [p for _, p, _ in batch] == ["/contexts/0" + pointer[len("/context") :]]
    with pytest.raises(TypeError, match="not 5"):
        rust.decide_many(["s3:Get"], ["*"], principal=ALICE, context_columns={5: ["x"]})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1e400, "condition value `inf` is not a finite number"),
        (-1e400, "condition value `-inf` is not a finite number"),
        (float("nan"), "condition value `nan` is not a number"),
        (10**5000, "condition value is an integer with too many digits"),
        ((1, 2), "condition value must be a string, number or boolean"),
        (None, "condition value must be a string, number or boolean"),
    ],
    ids=["inf", "-inf", "nan", "10**5000", "tuple", "None"],
)
def test_unreadable_condition_values_say_why_in_both_engines(value: Any, message: str) -> None:
    docs: list[Any] = [
        {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {op: {"k": v}}}}
        for op in ("StringEquals", "NumericLessThan")
        for v in (value, [value], ["1", value])
    ]
    if value == 1e400:  # the same number written in JSON text
        docs.append(
            '{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", '
            '"Condition": {"NumericEquals": {"k": 1e400}}}}'
        )
    for doc in docs:
        with pytest.raises(iameval.PolicyError) as rust_exc:
            PolicySet(identity=[doc])
        with pytest.raises(iameval.PolicyError) as ref_exc:
            reference.PolicySet(identity=[doc])
        entries = [(e["type"], e["pointer"], e["message"]) for e in rust_exc.value.errors()]
        assert entries == [(e["type"], e["pointer"], e["message"]) for e in ref_exc.value.errors()]
        assert [(kind, text) for kind, _, text in entries] == [("invalid_condition_value", message)], doc
        assert iameval.validate_policy(doc) == reference.validate_policy(doc)
