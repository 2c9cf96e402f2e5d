"""The ``iameval`` command line (iameval.cli): simulate, check, validate, and every bad-input path.

Each case runs twice: in-process through ``main(argv)`` (output captured by capsys) and as a subprocess
``python -m iameval`` (the real entry point: exit code, stdout, stderr, no traceback).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import iameval
import pytest
from iameval.cli import main

REPO = Path(__file__).resolve().parent.parent
CONFORMANCE = REPO.parent / "shared" / "conformance"
DECISIONS = {"Allow", "ExplicitDeny", "ImplicitDeny"}


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


Runner = Callable[..., Run]


def _subprocess_env() -> dict[str, str]:
    """Make the package that this test imported importable in the child (installed or from python/)."""
    env = dict(os.environ)
    package_parent = str(Path(iameval.__path__[0]).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(params=["in-process", "subprocess"])
def run(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the CLI with arguments (and optional stdin text); return exit code, stdout, stderr."""
    if request.param == "in-process":

        def run_in_process(*argv: str, stdin: str | None = None) -> Run:
            if stdin is not None:
                pytest.skip("stdin is exercised through the subprocess runner")
            capsys.readouterr()
            code = main(list(argv))
            captured = capsys.readouterr()
            return Run(code, captured.out, captured.err)

        return run_in_process

    def run_subprocess(*argv: str, stdin: str | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "iameval", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_subprocess_env(),
            timeout=120,
            check=False,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run_subprocess


def _builtin_scenario() -> dict[str, Any]:
    text = (
        resources.files("iameval").joinpath("examples").joinpath("scenario.json").read_text(encoding="utf-8")
    )
    return json.loads(text)


def _write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    return str(path)


ALLOW_S3 = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadBucket",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
        }
    ],
}
USER = "arn:aws:iam::111111111111:user/alice"


def _scenario(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "policies": {"identity": [ALLOW_S3]},
        "requests": [
            {
                "name": "read",
                "principal": USER,
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::bucket/key",
                "expected": "Allow",
            },
            {
                "name": "write",
                "principal": USER,
                "action": "s3:PutObject",
                "resource": "arn:aws:s3:::bucket/key",
                "expected": "ImplicitDeny",
            },
        ],
    }
    doc.update(overrides)
    return doc


def _assert_bad_input(result: Run, *fragments: str) -> None:
    assert result.code == 2, result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert lines, "expected an error message on stderr"
    assert all(line.startswith("iameval: error: ") for line in lines), result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)


# -- simulate: the built-in example --------------------------------------------------------------------------


def test_builtin_example_is_instructive() -> None:
    """Every request is named and carries an expected decision; the example shows all three decisions."""
    doc = _builtin_scenario()
    assert set(doc) <= {"description", "policies", "defaults", "requests"}
    assert set(doc["policies"]) == {"identity", "resource", "permission_boundary", "scps", "rcps"}
    assert len(doc["policies"]["scps"]) == 2  # root and one OU
    requests = doc["requests"]
    assert 10 <= len(requests) <= 15
    names = [r["name"] for r in requests]
    assert len(set(names)) == len(names)
    assert {r["expected"] for r in requests} == DECISIONS
    assert all(r.get("why") for r in requests)


def test_builtin_example_all_expectations_hold(run: Runner) -> None:
    result = run("simulate")
    assert result.code == 0, result.out + result.err
    assert "Traceback" not in result.err
    assert "MISMATCH" not in result.out
    n = len(_builtin_scenario()["requests"])
    assert f"{n} of {n} expected decisions hold" in result.out
    for request in _builtin_scenario()["requests"]:
        assert request["name"] in result.out
    header = next(line for line in result.out.splitlines() if line.startswith("#"))
    for column in (
        "name",
        "principal",
        "action",
        "resource",
        "decision",
        "decided by",
        "matched statements",
        "missing keys",
    ):
        assert column in header


def test_builtin_example_json_lines(run: Runner) -> None:
    result = run("simulate", "--json")
    assert result.code == 0, result.err
    lines = result.json_lines()
    scenario = _builtin_scenario()
    assert len(lines) == len(scenario["requests"])
    for i, (line, raw) in enumerate(zip(lines, scenario["requests"], strict=True)):
        assert line["index"] == i
        assert line["name"] == raw["name"]
        assert line["expected"] == raw["expected"]
        assert line["ok"] is True
        assert line["result"]["decision"] == raw["expected"]
        assert set(line["result"]) >= {"decision", "allowed", "decided_by", "matched", "missing_context_keys"}
        assert line["request"]["action"] == raw["action"]
        assert line["request"]["principal"].startswith("arn:aws:")
        assert "name" not in line["request"] and "expected" not in line["request"]


def test_builtin_example_covers_the_layers() -> None:
    """The example shows a decision by each layer worth teaching, and missing context keys."""
    lines = _json_run(["simulate", "--json"])
    by_name = {line["name"]: line["result"] for line in lines}
    deciders = {(r["decision"], r["decided_by"]) for r in by_name.values()}
    assert ("ExplicitDeny", "scp") in deciders
    assert ("ExplicitDeny", "rcp") in deciders
    assert ("ImplicitDeny", "permission_boundary") in deciders
    assert ("ImplicitDeny", "resource") in deciders  # cross-account, the bucket policy does not allow
    assert any(r["decision"] == "Allow" and "resource" in r["decided_by"] for r in by_name.values())
    assert any(r["missing_context_keys"] for r in by_name.values())
    denied_by_scp = by_name["run-instance-unapproved-region"]
    assert [m["sid"] for m in denied_by_scp["matched"]] == ["DenyOutsideApprovedRegions"]
    assert denied_by_scp["matched"][0]["level"] == 1


def _json_run(argv: list[str]) -> list[dict[str, Any]]:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_builtin_example_engines_agree() -> None:
    default = _json_run(["simulate", "--json"])
    reference = _json_run(["simulate", "--json", "--engine", "reference"])
    assert [d["result"]["decision"] for d in default] == [r["result"]["decision"] for r in reference]


def test_matched_statement_labels(run: Runner) -> None:
    result = run("simulate")
    assert "identity[0]#3 (LaunchWorkers) Allow" in result.out
    assert "scps[1][1]#0 (DenyOutsideApprovedRegions) Deny" in result.out
    assert "permission_boundary#0 (BoundaryForPipelines) Allow" in result.out
    assert "resource#0 (PipelineRoleReadsReports) Allow" in result.out


# -- simulate: scenario files --------------------------------------------------------------------------------


def test_simulate_file(run: Runner, tmp_path: Path) -> None:
    result = run("simulate", _write(tmp_path, "s.json", _scenario()))
    assert result.code == 0, result.err
    assert "2 of 2 expected decisions hold" in result.out
    assert "identity[0]#0 (ReadBucket) Allow" in result.out


def test_simulate_with_vpc_endpoint_and_block_public_access(run: Runner, tmp_path: Path) -> None:
    """Scenarios take the R20b/R20c keys of a vector's ``policies``; the deciding layer is printed."""
    doc = _scenario()
    doc["policies"]["vpc_endpoint"] = {
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "*"}]
    }
    doc["policies"]["s3_block_public_access"] = {"RestrictPublicBuckets": True}
    for r in doc["requests"]:
        r.pop("expected", None)
    result = run("simulate", "--json", _write(tmp_path, "s.json", doc))
    assert result.code == 0, result.err
    assert {line["result"]["decided_by"] for line in result.json_lines()} == {"vpc_endpoint"}
    doc["policies"]["s3_block_public_access"] = "on"
    bad = run("simulate", _write(tmp_path, "s.json", doc))
    assert bad.code == 2
    assert "s3_block_public_access" in bad.err


def test_simulate_mismatch_exits_1(run: Runner, tmp_path: Path) -> None:
    doc = _scenario()
    doc["requests"][1]["expected"] = "Allow"
    result = run("simulate", _write(tmp_path, "s.json", doc))
    assert result.code == 1
    assert "MISMATCH" in result.out
    assert "expected Allow, got ImplicitDeny" in result.out
    assert "1 of 2 expected decisions hold" in result.out


def test_simulate_mismatch_json(run: Runner, tmp_path: Path) -> None:
    doc = _scenario()
    doc["requests"][0]["expected"] = "ExplicitDeny"
    result = run("simulate", "--json", _write(tmp_path, "s.json", doc))
    assert result.code == 1
    assert [line["ok"] for line in result.json_lines()] == [False, True]


def test_simulate_without_expectations(run: Runner, tmp_path: Path) -> None:
    doc = _scenario()
    for r in doc["requests"]:
        del r["expected"], r["name"]
    result = run("simulate", _write(tmp_path, "s.json", doc))
    assert result.code == 0
    assert "expected" not in result.out.splitlines()[0]
    assert "1 Allow, 0 ExplicitDeny, 1 ImplicitDeny" in result.out
    lines = run("simulate", "--json", _write(tmp_path, "s.json", doc)).json_lines()
    assert [(line["name"], line["expected"], line["ok"]) for line in lines] == [(None, None, None)] * 2


def test_simulate_defaults_and_missing_policies(run: Runner, tmp_path: Path) -> None:
    """``defaults`` fill request fields; a request's context overrides key by key; null removes a key."""
    doc = {
        "policies": {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "s3:GetObject",
                            "Resource": "*",
                            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}},
                        }
                    ],
                }
            ]
        },
        "defaults": {
            "principal": USER,
            "action": "s3:GetObject",
            "context": {"aws:PrincipalTag/team": "blue"},
        },
        "requests": [
            {"resource": "arn:aws:s3:::b/k", "expected": "Allow"},
            {
                "resource": "arn:aws:s3:::b/k",
                "context": {"AWS:PRINCIPALTAG/TEAM": "red"},
                "expected": "ImplicitDeny",
            },
            {
                "resource": "arn:aws:s3:::b/k",
                "context": {"aws:PrincipalTag/team": None},
                "expected": "ImplicitDeny",
            },
        ],
    }
    result = run("simulate", "--json", _write(tmp_path, "s.json", doc))
    assert result.code == 0, result.out + result.err
    lines = result.json_lines()
    assert lines[1]["request"]["context"] == {"AWS:PRINCIPALTAG/TEAM": "red"}
    assert lines[2]["request"]["context"] == {}
    assert lines[2]["result"]["missing_context_keys"] == ["aws:PrincipalTag/team"]
    # no policies at all: everything is implicitly denied
    empty = {"requests": [{"principal": USER, "action": "s3:GetObject", "expected": "ImplicitDeny"}]}
    assert run("simulate", _write(tmp_path, "e.json", empty)).code == 0


def test_simulate_stdin(run: Runner) -> None:
    result = run("simulate", "-", stdin=json.dumps(_scenario()))
    assert result.code == 0, result.err
    assert "2 of 2 expected decisions hold" in result.out


# -- check ---------------------------------------------------------------------------------------------------


def _vector(vid: str, action: str, expected: str) -> dict[str, Any]:
    return {
        "id": vid,
        "request": {
            "principal": USER,
            "principal_account": "111111111111",
            "action": action,
            "resource": "arn:aws:s3:::bucket/key",
            "resource_account": "111111111111",
            "context": {},
        },
        "policies": {"identity": [ALLOW_S3], "resource": None, "scps": None, "rcps": None},
        "expected": expected,
        "why": "identity Allow on s3:GetObject only",
    }


def _vectors_file(tmp_path: Path, *vectors: dict[str, Any], name: str = "v.jsonl") -> str:
    return _write(tmp_path, name, "".join(json.dumps(v) + "\n" for v in vectors))


def test_check_all_pass(run: Runner, tmp_path: Path) -> None:
    path = _vectors_file(
        tmp_path, _vector("ok-1", "s3:GetObject", "Allow"), _vector("ok-2", "s3:PutObject", "ImplicitDeny")
    )
    result = run("check", path)
    assert result.code == 0, result.out
    assert "2 passed, 0 failed" in result.out.splitlines()


def test_check_reports_mismatch(run: Runner, tmp_path: Path) -> None:
    path = _vectors_file(
        tmp_path,
        _vector("ok-1", "s3:GetObject", "Allow"),
        _vector("wrong-2", "s3:PutObject", "Allow"),
    )
    result = run("check", path)
    assert result.code == 1
    assert "1 passed, 1 failed" in result.out.splitlines()
    assert "FAIL wrong-2" in result.out
    assert "expected Allow, got ImplicitDeny" in result.out
    assert "why: identity Allow on s3:GetObject only" in result.out
    assert "ok-1" not in result.out


def test_check_several_files_and_blank_lines(run: Runner, tmp_path: Path) -> None:
    a = _write(tmp_path, "a.jsonl", json.dumps(_vector("a", "s3:GetObject", "Allow")) + "\n\n")
    b = _vectors_file(tmp_path, _vector("b", "s3:GetObject", "Allow"), name="b.jsonl")
    result = run("check", a, b, "--engine", "reference")
    assert result.code == 0
    assert "2 passed, 0 failed" in result.out.splitlines()


def test_check_policy_error_counts_as_failure(run: Runner, tmp_path: Path) -> None:
    vector = _vector("bad-policy", "s3:GetObject", "Allow")
    vector["policies"]["identity"] = [{"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}]
    result = run("check", _vectors_file(tmp_path, vector))
    assert result.code == 1
    assert "FAIL bad-policy" in result.out and "PolicyError" in result.out
    assert "/policies/identity/0/Statement/0/Effect" in result.out
    assert "0 passed, 1 failed" in result.out.splitlines()
    assert "Traceback" not in result.err


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="shared conformance vectors not present")
def test_check_shared_conformance_vectors(run: Runner) -> None:
    files = sorted(str(p) for p in CONFORMANCE.glob("*.jsonl"))
    result = run("check", *files)
    assert result.code == 0, result.out[-3000:]
    summary = result.out.splitlines()[-1]
    passed, failed = summary.replace(",", "").split()[0::2]
    assert failed == "0" and int(passed) >= 1585


# -- validate ------------------------------------------------------------------------------------------------


def test_validate_good(run: Runner, tmp_path: Path) -> None:
    identity = _write(tmp_path, "identity.json", ALLOW_S3)
    bucket = _write(
        tmp_path,
        "bucket.json",
        {
            "Statement": {
                "Effect": "Allow",
                "Principal": {"AWS": "111111111111"},
                "Action": "s3:*",
                "Resource": "arn:aws:s3:::b/*",
            }
        },
    )
    result = run("validate", identity, bucket)
    assert result.code == 0, result.out + result.err
    assert f"{identity}: valid identity policy" in result.out
    assert f"{bucket}: valid resource policy" in result.out  # kind guessed from Principal
    assert "2 valid, 0 invalid" in result.out


def test_validate_kind_option(run: Runner, tmp_path: Path) -> None:
    path = _write(tmp_path, "scp.json", ALLOW_S3)
    result = run("validate", "--kind", "scp", path)
    assert result.code == 0 and "valid scp policy" in result.out
    result = run("validate", "--kind", "resource", path)  # a resource policy needs a Principal
    assert result.code == 1
    assert f"{path}: /Statement/0: " in result.out


def test_validate_bad(run: Runner, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.json", ALLOW_S3)
    bad = _write(
        tmp_path,
        "bad.json",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*", "Bogus": 1}],
        },
    )
    result = run("validate", good, bad)
    assert result.code == 1
    assert f"{bad}: /Statement/0/Effect: " in result.out
    assert f"{bad}: /Statement/0/Bogus: " in result.out
    assert "1 valid, 1 invalid" in result.out
    assert "Traceback" not in result.err


def test_validate_invalid_json_and_duplicate_keys(run: Runner, tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.json", '{"Version": "2012-10-17",\n "Statement": [,]}')
    duplicate = _write(
        tmp_path,
        "dup.json",
        '{"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}}',
    )
    result = run("validate", broken, duplicate)
    assert result.code == 1
    assert f"{broken}: /: invalid JSON" in result.out and "line 2" in result.out
    assert f"{duplicate}: /Statement/Effect: " in result.out and "duplicate" in result.out


def test_validate_stdin(run: Runner) -> None:
    result = run("validate", "-", stdin=json.dumps(ALLOW_S3))
    assert result.code == 0 and "-: valid identity policy" in result.out


# -- bad input: exit 2, one located line per problem on stderr, never a traceback ----------------------------

POLICY_ERROR_SCENARIO = _scenario(
    policies={
        "identity": [ALLOW_S3, {"Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}],
        "scps": [[ALLOW_S3], [{"Statement": [{"Effect": "Deny", "Action": "s3:*"}]}]],
    }
)
REQUEST_ERROR_SCENARIO = _scenario(
    requests=[
        {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
        {"principal": USER, "action": "GetObject", "resource": "arn:aws:s3:::b/k"},
        {"action": "s3:GetObject"},
        {"principal": USER, "action": "s3:GetObject", "context": {"aws:SourceIp": {"nested": 1}}},
    ]
)

BAD_SCENARIOS: dict[str, tuple[Any, tuple[str, ...]]] = {
    # name: (file content, fragments expected on stderr; {file} is replaced by the path)
    "invalid-json": ('{"policies": {},\n  "requests": [}\n', ("{file}: invalid JSON at line 2 column",)),
    "not-utf8": (b'{"requests": ["\xff"]}', ("{file}: invalid UTF-8",)),
    "top-level-list": ([1, 2], ("{file}: a scenario must be a JSON object",)),
    "no-requests": ({"policies": {}}, ("needs `requests`",)),
    "requests-not-list": ({"requests": {"a": 1}}, ("{file}: /requests: ",)),
    "request-not-object": ({"requests": ["s3:GetObject"]}, ("{file}: /requests/0: ",)),
    "unknown-top-level-key": (_scenario(polices={}), ("{file}: /polices: unknown scenario key",)),
    "unknown-policy-type": (_scenario(policies={"identities": []}), ("{file}: /policies/identities: ",)),
    "bad-expected": (
        _scenario(requests=[{"principal": USER, "action": "s3:GetObject", "expected": "Deny"}]),
        ("{file}: /requests/0/expected: ",),
    ),
    "unknown-request-field": (
        _scenario(requests=[{"principal": USER, "action": "s3:GetObject", "actoin": "x"}]),
        ("{file}: /requests/0/actoin: ",),
    ),
    "policy-error": (
        POLICY_ERROR_SCENARIO,
        ("{file}: /policies/identity/1/Statement/0/Effect: ", "{file}: /policies/scps/1/0/Statement/0"),
    ),
    "identity-not-a-list": (_scenario(policies={"identity": "nope"}), ("{file}: /policies/identity: ",)),
    "request-error": (
        REQUEST_ERROR_SCENARIO,
        (
            "{file}: /requests/1/action: ",
            "{file}: /requests/2: ",
            "{file}: /requests/3/context/aws:SourceIp: ",
        ),
    ),
    "duplicate-key": (
        (
            '{"policies": {"identity": [{"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", '
            '"Resource": "*"}}]}, "requests": []}'
        ),
        ("{file}: /policies/identity/0/Statement/Effect: duplicate key `Effect`",),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SCENARIOS))
def test_simulate_bad_input(run: Runner, tmp_path: Path, case: str) -> None:
    content, fragments = BAD_SCENARIOS[case]
    path = _write(tmp_path, "scenario.json", content)
    result = run("simulate", path)
    _assert_bad_input(result, *(f.format(file=path) for f in fragments))
    assert result.out == ""


def test_simulate_defaults_request_error_points_into_defaults(run: Runner, tmp_path: Path) -> None:
    doc = {
        "defaults": {"principal": "alice", "action": "s3:GetObject"},
        "requests": [{}, {"principal": USER}],
    }
    path = _write(tmp_path, "s.json", doc)
    result = run("simulate", path)
    _assert_bad_input(result, f"{path}: /defaults/principal: ")
    assert "/requests/1" not in result.err


@pytest.mark.parametrize(
    "argv_kind",
    ["simulate-missing", "simulate-directory", "check-missing", "validate-missing", "validate-directory"],
)
def test_unreadable_files(run: Runner, tmp_path: Path, argv_kind: str) -> None:
    command, what = argv_kind.split("-")
    path = str(tmp_path / "nope.json") if what == "missing" else str(tmp_path)
    result = run(command, path)
    _assert_bad_input(result, f"{path}: cannot read file")


def test_validate_unreadable_still_reports_the_others(run: Runner, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.json", ALLOW_S3)
    missing = str(tmp_path / "missing.json")
    result = run("validate", good, missing)
    assert result.code == 2
    assert f"{good}: valid identity policy" in result.out
    assert f"iameval: error: {missing}: cannot read file" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "case",
    ["invalid-json-line", "not-an-object", "missing-expected", "missing-request", "duplicate-key"],
)
def test_check_bad_vectors(run: Runner, tmp_path: Path, case: str) -> None:
    good = json.dumps(_vector("good", "s3:GetObject", "Allow"))
    bad = {
        "invalid-json-line": '{"id": "x", "request": ',
        "not-an-object": "[1, 2]",
        "missing-expected": json.dumps(
            {k: v for k, v in _vector("x", "s3:GetObject", "Allow").items() if k != "expected"}
        ),
        "missing-request": json.dumps(
            {k: v for k, v in _vector("x", "s3:GetObject", "Allow").items() if k != "request"}
        ),
        "duplicate-key": good[:-1] + ', "expected": "ImplicitDeny"}',
    }[case]
    path = _write(tmp_path, "v.jsonl", good + "\n" + bad + "\n")
    result = run("check", path)
    expected = {
        "invalid-json-line": f"{path}:2: invalid JSON at column",
        "not-an-object": f"{path}:2: a vector must be a JSON object",
        "missing-expected": f"{path}:2: /expected: ",
        "missing-request": f"{path}:2: /request: ",
        "duplicate-key": f"{path}:2: /expected: duplicate key",
    }[case]
    _assert_bad_input(result, expected)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["simulate", "--bogus"],
        ["check"],
        ["validate"],
        ["validate", "--kind", "iam", "x.json"],
    ],
    ids=[
        "no-command",
        "unknown-command",
        "unknown-option",
        "check-no-files",
        "validate-no-files",
        "bad-kind",
    ],
)
def test_usage_errors(run: Runner, argv: list[str]) -> None:
    result = run(*argv)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "usage:" in result.err


def test_help(run: Runner) -> None:
    result = run("--help")
    assert result.code == 0
    for command in ("simulate", "check", "validate"):
        assert command in result.out
