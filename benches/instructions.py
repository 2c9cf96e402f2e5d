"""Instructions per decision of the pure core (no Python), counted with callgrind: issue 12's stable measure,
which the timing spread of a shared machine does not blur.

    python benches/instructions.py [--rows 20000] [--only W1,W2,W3,W1py] [--markdown]

For each workload: the rows are exported (``export_rows.py``), the harness ``rust/core/examples/decide_rows.rs``
is built (``cargo build --release``) and run under ``valgrind --tool=callgrind`` with one and with three passes
over the rows, counting only inside the decision loop. "cold" is the first pass (the batch path builds its
per-action plans then), "warm" a later pass ((three passes - one pass) / 2). Modes: ``decide`` is
``PolicySet::decide`` per request (context maps, no plans); ``batch`` is one ``decide_batch`` call per pass on one
thread with every context key a column (what ``decide_many(..., context_columns=...)`` runs once the Python
columns are read). Needs valgrind and cargo; W1 needs ``../shared/data``.

``--only W3`` counts ``evaluate_grid`` instead (mode ``grid``): the binding is built with line tables (so that
callgrind sees the core's functions through the inlining; ``target/instructions``) and put beside a copy of
``python/iameval`` in a temporary directory; W3's grid, 1,000 principals x 200 actions x 5 resources, runs once
and three times under callgrind, counting only inside the core's ``decide_grid`` (one thread); "cold" is the
first call, "warm" a later one. It needs no shared data.

``--only W1py`` counts W1 from Python, the binding built the same way: ``evaluate`` is a loop of
``PolicySet.evaluate(dict)`` over 2,000 W1 requests (counted inside the binding's ``evaluate``: reading the dict,
the evaluation, the ``Result``), ``dicts`` one ``decide_many`` call with a context dict per row on one thread
(counted inside the binding's ``decide_many``: reading the dicts with the GIL held and deciding). "cold" is the
first pass, "warm" a later one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "target" / "release" / "examples" / "decide_rows"
MODES = {"decide": ("*decide_all*", {}), "batch": ("*decide_batch*", {"BATCH": "1"})}


def callgrind(toggle: str, command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Instructions callgrind counts inside functions matching ``toggle`` while ``command`` runs (with ``env``
    added to the environment), and what it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/cg.out",
                f"--toggle-collect={toggle}",
                *command,
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env},
        )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None or int(found.group(1)) == 0:
        raise RuntimeError(f"no instructions counted in {toggle}:\n{out.stderr}")
    return int(found.group(1)), out.stdout


def count(rows_file: Path, mode: str, passes: int) -> int:
    """Instructions callgrind counts in the decision loop of ``passes`` passes."""
    toggle, env = MODES[mode]
    return callgrind(toggle, [str(HARNESS), str(rows_file), str(passes)], env)[0]


GRID_SCRIPT = """
import sys
sys.path.insert(0, {benches!r})
import iameval, workloads
w = workloads.w3()
sets = [iameval.PolicySet.from_vector(p) for p in w.principal_policies]
for _ in range({passes}):
    iameval.evaluate_grid(sets, w.principals, w.actions, w.resources, contexts=w.contexts, threads=1)
print(w.size())
"""


PYTHON_SCRIPT = """
import sys
sys.path.insert(0, {benches!r})
import measure, workloads
if not workloads.shared_data_present():
    sys.exit("needs ../shared/data")
w = workloads.w1({rows})
ps = measure.rust_set(w)
reqs = measure.requests(w)
for _ in range({passes}):
    {call}
print({rows})
"""
PYTHON_MODES = {
    "evaluate": ("*pymethod_evaluate__*", "[ps.evaluate(r) for r in reqs]"),
    "dicts": (
        "*pymethod_decide_many__*",
        "ps.decide_many(w.actions, w.resources, principal=w.principal, contexts=w.contexts, threads=1)",
    ),
}
PYTHON_ROWS = 2_000


def count_python(package: Path, mode: str, passes: int) -> int:
    """Instructions callgrind counts in the binding's method of ``mode`` over ``passes`` passes over W1."""
    toggle, call = PYTHON_MODES[mode]
    script = PYTHON_SCRIPT.format(benches=str(ROOT / "benches"), rows=PYTHON_ROWS, passes=passes, call=call)
    return callgrind(toggle, [sys.executable, "-c", script], {"PYTHONPATH": str(package)})[0]


def grid_package(into: Path) -> None:
    """Build the binding with line tables and lay out an importable ``iameval`` in ``into``."""
    target = ROOT / "target" / "instructions"
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_PROFILE_RELEASE_DEBUG": "line-tables-only"}
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "iameval-py"], cwd=ROOT, check=True, env=env)
    shutil.copytree(ROOT / "python" / "iameval", into / "iameval")
    shutil.copy2(target / "release" / "lib_core.so", into / "iameval" / "_core.abi3.so")


def count_grid(package: Path, passes: int) -> tuple[int, int]:
    """Instructions callgrind counts in ``decide_grid`` over ``passes`` W3 grid calls, and the cells per call."""
    script = GRID_SCRIPT.format(benches=str(ROOT / "benches"), passes=passes)
    total, printed = callgrind("*decide_grid*", [sys.executable, "-c", script], {"PYTHONPATH": str(package)})
    return total, int(printed.split()[-1])


def main(argv: list[str] | None = None) -> int:
    """Export, build, count, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--only", default="W1,W2")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None or shutil.which("cargo") is None:
        print("needs valgrind and cargo", file=sys.stderr)
        return 2
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "iameval-core", "--example", "decide_rows"],
        cwd=ROOT,
        check=True,
    )
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            package = Path(tmp) / "package"
            if name in ("W3", "W1py") and not package.exists():
                grid_package(package)
            if name == "W1py":
                for mode in PYTHON_MODES:
                    try:
                        one, three = count_python(package, mode, 1), count_python(package, mode, 3)
                    except subprocess.CalledProcessError as error:
                        print(f"{name}: skipped ({error.stderr.strip()})", file=sys.stderr)
                        break
                    n = PYTHON_ROWS
                    table.append((name, mode, n, one / n, (three - one) / 2 / n))
                continue
            if name == "W3":
                (one, cells), (three, _) = count_grid(package, 1), count_grid(package, 3)
                table.append((name, "grid", cells, one / cells, (three - one) / 2 / cells))
                continue
            rows_file = Path(tmp) / f"{name}.jsonl"
            exported = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benches" / "export_rows.py"),
                    name,
                    str(rows_file),
                    "--rows",
                    str(args.rows),
                ],
                capture_output=True,
                text=True,
            )
            if exported.returncode != 0:
                print(f"{name}: skipped ({exported.stderr.strip()})", file=sys.stderr)
                continue
            n = sum(1 for _ in rows_file.open()) - 1
            for mode in MODES:
                one, three = count(rows_file, mode, 1), count(rows_file, mode, 3)
                table.append((name, mode, n, one / n, (three - one) / 2 / n))
    header = ("workload", "mode", "rows", "cold: instructions/decision", "warm: instructions/decision")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for name, mode, n, cold, warm in table:
            print(f"| {name} | {mode} | {n:,} | {cold:,.0f} | {warm:,.0f} |")
    else:
        print("  ".join(f"{h:>12}" for h in header))
        for name, mode, n, cold, warm in table:
            print(f"{name:>12}  {mode:>12}  {n:>12,}  {cold:>12,.0f}  {warm:>12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
