"""Parse + compile every AWS managed policy, and memory per compiled policy, with pytest-benchmark.

Measured: ``iameval.PolicySet(identity=[text])`` for each of the 1,571 managed policies (JSON text in, so
parsing is included), the same with ``iameval.reference.PolicySet`` on every 10th policy, and the resident
memory growth over building 1,000 such sets (``extra_info["bytes_per_policy"]``; in-process, so a rough
figure: ``benches/run.py`` measures it in a fresh interpreter). Skips when ``../shared/data`` is absent.
"""

from __future__ import annotations

from typing import Any

import iameval
import iameval.reference as reference
import measure as M


def test_compile_all_managed(benchmark: Any, managed: list[str]) -> None:
    """Parse + compile all managed policies with the Rust engine (target: <= 150 ms, reported only)."""
    benchmark.group = "compile managed policies"
    _, rejected = benchmark.pedantic(M.compile_each, args=(iameval, managed), rounds=5, warmup_rounds=1)
    benchmark.extra_info["policies"] = len(managed)
    benchmark.extra_info["rejected"] = rejected
    best = M.best_seconds(benchmark)
    if best:
        benchmark.extra_info["ms_all"] = round(best * 1e3, 1)


def test_compile_reference_sample(benchmark: Any, managed: list[str]) -> None:
    """Parse + compile every 10th managed policy with the reference (for the ratio)."""
    texts = managed[::10]
    benchmark.group = "compile managed policies"
    benchmark.pedantic(M.compile_each, args=(reference, texts), rounds=1)
    benchmark.extra_info["policies"] = len(texts)
    best = M.best_seconds(benchmark)
    if best:
        benchmark.extra_info["us_per_policy"] = round(best / len(texts) * 1e6, 1)


def test_memory_per_policy(benchmark: Any, managed: list[str]) -> None:
    """RSS growth over building 1,000 one-policy Rust sets, divided (one round; kept alive while measured)."""
    texts = managed[:1000]
    benchmark.group = "memory"
    kept: list[Any] = []

    def build() -> None:
        delta, sets = M.rss_delta(lambda: M.compile_each(iameval, texts))
        kept.append((delta, sets))

    benchmark.pedantic(build, rounds=1)
    delta, (sets, _) = kept[0]
    benchmark.extra_info["bytes_per_policy"] = round(delta / max(1, len(sets)))
