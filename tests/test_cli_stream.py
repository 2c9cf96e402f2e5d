"""The command line's issue-9 features: scenario policies given by file, ``simulate --requests`` (a stream of
requests decided in chunks through the batch path, bad lines reported and the run going on, flat memory),
``check`` with error vectors and streamed files, ``--format`` on every command, ``--version``, and the output
conventions (no ANSI escapes off a terminal or with ``NO_COLOR``, colours and tables that fit on a terminal,
``--wide``).

Most cases run twice, like tests/test_cli.py: in-process through ``main(argv)`` and as a ``python -m iameval``
subprocess. Environment variables that change the output (``NO_COLOR``, ``FORCE_COLOR``, ``COLUMNS``...) are
cleared for every test and set only where a test asks for them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import iameval
import iameval.reference
import pytest
from iameval import _core
from iameval.cli import main
from iameval.cli import simulate as simulate_module

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ERROR_VECTORS = sorted((REPO / "tests" / "vectors" / "errors").glob("*.jsonl"))
DECISIONS = ("Allow", "ExplicitDeny", "ImplicitDeny")
REQUEST_FIELDS = ("principal", "action", "resource", "context", "principal_account", "resource_account")
#: the environment variables that change what the command line prints
OUTPUT_ENV = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MIB = 1 << 20

USER = "arn:aws:iam::111111111111:user/alice"
BOB = "arn:aws:iam::222222222222:user/bob"
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


# -- running the command line ----------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]

    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


Runner = Callable[..., Run]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OUTPUT_ENV:
        monkeypatch.delenv(name, raising=False)


def _subprocess_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child imports the package this test imported; output variables only as given."""
    env = {k: v for k, v in os.environ.items() if k not in OUTPUT_ENV}
    package_parent = str(Path(iameval.__path__[0]).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


def _in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str, stdin: str | bytes | None = None, env: Mapping[str, str] | None = None) -> Run:
        with monkeypatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            if stdin is not None:
                data = stdin.encode() if isinstance(stdin, str) else stdin
                patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
            capsys.readouterr()
            code = main(list(argv))
            captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _subprocess(*argv: str, stdin: str | bytes | None = None, env: Mapping[str, str] | None = None) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "iameval", *argv],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=_subprocess_env(env),
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


@pytest.fixture(params=["in-process", "subprocess"])
def run(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    """Run the CLI with arguments, optional stdin and environment; return exit code, stdout, stderr."""
    if request.param == "in-process":
        return _in_process(monkeypatch, capsys)
    return _subprocess


@pytest.fixture
def run_here(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """In-process only (for tests that look inside, or that a subprocess would only slow down)."""
    return _in_process(monkeypatch, capsys)


def _write(path: Path, content: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    return str(path)


def _jsonl(path: Path, lines: list[Any]) -> str:
    return _write(path, "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def _assert_errors_only(result: Run) -> None:
    """stderr holds only ``iameval: error:`` lines, never a traceback."""
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert all(line.startswith("iameval: error: ") for line in result.err_lines()), result.err


# -- 1. scenario policies given by file ------------------------------------------------------------------------

ENDPOINT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
}
BUCKET = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "BobReads",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
        }
    ],
}
FULL_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
DENY_DELETE = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}],
}
RCP_DENY_HTTP = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "SecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
        }
    ],
}
BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "*"}],
}

#: every place a policy may be given by file, with the policy each holds
POLICY_PLACES: dict[str, Any] = {
    "identity": [ALLOW_S3, FULL_ACCESS],
    "resource": BUCKET,
    "permission_boundary": BOUNDARY,
    "session": FULL_ACCESS,
    "scps": [[FULL_ACCESS], [FULL_ACCESS, DENY_DELETE]],
    "rcps": [[RCP_DENY_HTTP]],
    "vpc_endpoint": ENDPOINT,
}

PLACES_REQUESTS: list[dict[str, Any]] = [
    {"name": "read", "principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k"},
    {"name": "delete", "principal": USER, "action": "s3:DeleteObject", "resource": "arn:aws:s3:::bucket/k"},
    {"name": "put", "principal": USER, "action": "s3:PutObject", "resource": "arn:aws:s3:::bucket/k"},
    {
        "name": "http",
        "principal": USER,
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/k",
        "context": {"aws:SecureTransport": "false"},
    },
    {
        "name": "cross-account",
        "principal": BOB,
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/k",
        "resource_account": "111111111111",
    },
]


def _by_file(tmp_path: Path, policies: Mapping[str, Any], folder: str = "policies") -> dict[str, Any]:
    """``policies`` with every document written to its own file under ``folder`` and given as ``{"file"}``."""
    count = iter(range(1000))

    def ref(doc: Any) -> dict[str, str]:
        name = f"{folder}/p{next(count)}.json"
        _write(tmp_path / name, doc)
        return {"file": name}

    out: dict[str, Any] = {}
    for key, value in policies.items():
        if key == "identity":
            out[key] = [ref(doc) for doc in value]
        elif key in ("scps", "rcps"):
            out[key] = [[ref(doc) for doc in level] for level in value]
        else:
            out[key] = ref(value)
    return out


def _results(result: Run) -> list[tuple[Any, ...]]:
    return [(line["name"], line["result"]) for line in result.json_lines()]


def test_policy_files_in_every_place_decide_as_inline(run: Runner, tmp_path: Path) -> None:
    """Identity list, SCP and RCP levels, resource, boundary, session, endpoint: a policy given by file decides
    exactly as the same policy written inline; paths are relative to the scenario's directory."""
    inline = _write(tmp_path / "inline.json", {"policies": POLICY_PLACES, "requests": PLACES_REQUESTS})
    by_file = {"policies": _by_file(tmp_path / "sub", POLICY_PLACES), "requests": PLACES_REQUESTS}
    scenario = _write(tmp_path / "sub" / "scenario.json", by_file)
    expected = run("simulate", "--json", inline)
    assert expected.code == 0, expected.err
    got = run("simulate", "--json", scenario)
    assert got.code == 0, got.err
    assert _results(got) == _results(expected)
    deciders = {line["result"]["decided_by"] for line in got.json_lines()}
    assert {"scp", "rcp"} <= deciders  # the file-given SCP and RCP levels took part
    # a mix: some policies inline, some by file
    mixed = dict(by_file["policies"], identity=[ALLOW_S3, by_file["policies"]["identity"][1]])
    mixed_file = _write(tmp_path / "sub" / "mixed.json", {"policies": mixed, "requests": PLACES_REQUESTS})
    assert _results(run("simulate", "--json", mixed_file)) == _results(expected)


def test_policy_files_relative_to_the_scenario_not_the_cwd(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = {"policies": _by_file(tmp_path / "deep" / "er", POLICY_PLACES), "requests": PLACES_REQUESTS}
    _write(tmp_path / "deep" / "er" / "scenario.json", scenario)
    monkeypatch.chdir(tmp_path)
    result = run("simulate", "--json", os.path.join("deep", "er", "scenario.json"))
    assert result.code == 0, result.err
    assert len(result.json_lines()) == len(PLACES_REQUESTS)
    monkeypatch.chdir(tmp_path / "deep")
    assert run("simulate", "--json", os.path.join("er", "scenario.json")).code == 0


@pytest.mark.skipif(not (EXAMPLES / "scenario.json").is_file(), reason="examples/ not present")
def test_examples_scenario_with_policy_files(run: Runner, tmp_path: Path) -> None:
    """The repository's example scenario (its policies in files) decides as its inlined copy, and all its
    expectations hold, in a scenario run and through its request stream."""
    doc = json.loads((EXAMPLES / "scenario.json").read_text(encoding="utf-8"))

    def inline(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"file"}:
            return json.loads((EXAMPLES / value["file"]).read_text(encoding="utf-8"))
        if isinstance(value, list):
            return [inline(v) for v in value]
        return value

    inlined = dict(doc, policies={k: inline(v) for k, v in doc["policies"].items()})
    copy = _write(tmp_path / "inlined.json", inlined)
    by_file = run("simulate", "--json", str(EXAMPLES / "scenario.json"))
    assert by_file.code == 0, by_file.err
    assert _results(by_file) == _results(run("simulate", "--json", copy))
    stream = run("simulate", str(EXAMPLES / "scenario.json"), "--requests", str(EXAMPLES / "requests.jsonl"))
    assert stream.code == 0, stream.out + stream.err
    n = sum(1 for line in (EXAMPLES / "requests.jsonl").read_text().splitlines() if line.strip())
    assert f"{n} of {n} expected decisions hold" in stream.out


def test_policy_file_errors_are_located_in_the_policy_file(run: Runner, tmp_path: Path) -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}
    _write(tmp_path / "pol" / "bad.json", bad)
    _write(tmp_path / "pol" / "ok.json", ALLOW_S3)
    _write(tmp_path / "pol" / "broken.json", '{"Version": "2012-10-17",\n  "Statement": [,]}')
    _write(
        tmp_path / "pol" / "dup.json",
        '{"Statement": {"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}}',
    )
    _write(
        tmp_path / "pol" / "endpoint.json",
        {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    )
    doc = {
        "policies": {
            "identity": [{"file": "pol/ok.json"}, {"file": "pol/bad.json"}],
            "scps": [[{"file": "pol/ok.json"}], [{"file": "pol/ok.json"}, {"file": "pol/broken.json"}]],
            "resource": {"file": "pol/dup.json"},
            "vpc_endpoint": {"file": "pol/endpoint.json"},
            "session": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Bogus": 1}]},
        },
        "requests": [{"principal": USER, "action": "s3:GetObject"}],
    }
    scenario = _write(tmp_path / "scenario.json", doc)
    pol = str(tmp_path / "pol")
    for argv in (["simulate", scenario], ["simulate", scenario, "--requests", "-"]):
        result = run(*argv, stdin=json.dumps({"principal": USER, "action": "s3:GetObject"}) + "\n")
        assert result.code == 2, result
        assert result.out == ""
        _assert_errors_only(result)
        err = result.err
        assert f"iameval: error: {pol}/bad.json: /Statement/0/Effect: " in err
        assert f"iameval: error: {pol}/broken.json: invalid JSON at line 2 column" in err
        assert f"iameval: error: {pol}/dup.json: /Statement/Effect: duplicate key `Effect`" in err
        assert f"iameval: error: {pol}/endpoint.json: /Statement/0: " in err  # an endpoint needs a Principal
        # an inline policy keeps being located in the scenario
        assert f"iameval: error: {scenario}: /policies/session/Statement/0/Bogus: " in err
        assert "ok.json" not in err


@pytest.mark.parametrize("engine", ["default", "reference"])
def test_policy_file_errors_with_either_engine(run: Runner, tmp_path: Path, engine: str) -> None:
    _write(tmp_path / "p.json", {"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]})
    scenario = _write(
        tmp_path / "s.json",
        {"policies": {"identity": [{"file": "p.json"}]}, "requests": [{"principal": USER, "action": "s3:X"}]},
    )
    result = run("simulate", "--engine", engine, scenario)
    assert result.code == 2
    assert f"{tmp_path / 'p.json'}: /Statement/0/Effect: " in result.err


BAD_REFERENCES: dict[str, tuple[Any, str]] = {
    # name: (the policies, the pointer reported in the scenario)
    "missing-identity": ({"identity": [ALLOW_S3, {"file": "nope.json"}]}, "/policies/identity/1/file"),
    "missing-scp": (
        {"scps": [[FULL_ACCESS], [FULL_ACCESS, {"file": "nope.json"}]]},
        "/policies/scps/1/1/file",
    ),
    "missing-rcp": ({"rcps": [[{"file": "nope.json"}]]}, "/policies/rcps/0/0/file"),
    "missing-resource": ({"resource": {"file": "nope.json"}}, "/policies/resource/file"),
    "missing-boundary": (
        {"permission_boundary": {"file": "no/pe.json"}},
        "/policies/permission_boundary/file",
    ),
    "missing-session": ({"session": {"file": "nope.json"}}, "/policies/session/file"),
    "missing-endpoint": ({"vpc_endpoint": {"file": "nope.json"}}, "/policies/vpc_endpoint/file"),
    "a-directory": ({"identity": [{"file": "."}]}, "/policies/identity/0/file"),
    "not-a-string": ({"identity": [{"file": 3}]}, "/policies/identity/0/file"),
    "empty": ({"resource": {"file": ""}}, "/policies/resource/file"),
    "null": ({"session": {"file": None}}, "/policies/session/file"),
}


@pytest.mark.parametrize("case", sorted(BAD_REFERENCES))
def test_unreadable_or_bad_policy_reference(run: Runner, tmp_path: Path, case: str) -> None:
    policies, pointer = BAD_REFERENCES[case]
    scenario = _write(
        tmp_path / "s.json",
        {"policies": policies, "requests": [{"principal": USER, "action": "s3:GetObject"}]},
    )
    result = run("simulate", scenario)
    assert result.code == 2, result
    assert result.out == ""
    _assert_errors_only(result)
    assert f"iameval: error: {scenario}: {pointer}: " in result.err
    assert len(result.err_lines()) == 1


def test_a_scenario_over_one_mib_works(run: Runner, tmp_path: Path) -> None:
    """The 1 MiB limit is the engines' limit on one policy document, not on a scenario."""
    requests = [
        {
            "name": f"request-{i:06d}",
            "principal": USER,
            "action": "s3:GetObject" if i % 2 else "s3:PutObject",
            "resource": f"arn:aws:s3:::bucket/{'k' * 80}/{i}",
            "context": {"aws:SourceIp": "10.0.0.1", "aws:PrincipalTag/team": "blue"},
            "expected": "Allow" if i % 2 else "ImplicitDeny",
        }
        for i in range(8000)
    ]
    scenario = _write(tmp_path / "big.json", {"policies": {"identity": [ALLOW_S3]}, "requests": requests})
    assert os.path.getsize(scenario) > 2 * MIB
    result = run("simulate", "--json", scenario)
    assert result.code == 0, result.err[:2000]
    lines = result.json_lines()
    assert len(lines) == len(requests)
    assert all(line["ok"] for line in lines)


@pytest.mark.parametrize("engine", ["default", "reference"])
def test_a_policy_file_over_one_mib_is_rejected(run: Runner, tmp_path: Path, engine: str) -> None:
    big = dict(ALLOW_S3, Statement=[dict(ALLOW_S3["Statement"][0], Sid="S" * MIB)])
    policy = _write(tmp_path / "big-policy.json", big)
    assert os.path.getsize(policy) > MIB
    scenario = _write(
        tmp_path / "s.json",
        {
            "policies": {"identity": [{"file": "big-policy.json"}]},
            "requests": [{"principal": USER, "action": "s3:X"}],
        },
    )
    result = run("simulate", "--engine", engine, scenario)
    assert result.code == 2
    _assert_errors_only(result)
    assert f"iameval: error: {policy}: invalid JSON: document larger than 1048576 bytes" in result.err
    # the same document just under the limit is read
    small = dict(ALLOW_S3, Statement=[dict(ALLOW_S3["Statement"][0], Sid="S" * (MIB - 200))])
    _write(tmp_path / "big-policy.json", small)
    assert os.path.getsize(policy) <= MIB
    assert run("simulate", "--engine", engine, scenario).code == 0


# -- 2. simulate --requests: a stream of requests ------------------------------------------------------------

STREAM_POLICIES: dict[str, Any] = {
    "identity": [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "TeamReads",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
                    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}},
                },
                {"Sid": "Writes", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
                {
                    "Sid": "NoDeleteFromOutside",
                    "Effect": "Deny",
                    "Action": "s3:DeleteObject",
                    "Resource": "*",
                    "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
                },
                {"Sid": "Deletes", "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"},
            ],
        }
    ],
    "resource": BUCKET,
}
STREAM_DEFAULTS: dict[str, Any] = {
    "principal": USER,
    "context": {"aws:PrincipalTag/team": "blue", "aws:SourceIp": "10.1.2.3"},
}


def _stream_scenario(tmp_path: Path, **overrides: Any) -> str:
    doc: dict[str, Any] = {"policies": STREAM_POLICIES, "defaults": STREAM_DEFAULTS}
    doc.update(overrides)
    return _write(tmp_path / "stream-scenario.json", doc)


def _merged(defaults: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The request a line stands for (the documented rule, written out independently of the CLI): the
    line's request fields override ``defaults``; contexts merge key by key, case-insensitively, the line
    winning, and a ``null`` in the line removes the key."""
    request = dict(defaults)
    request.update({k: raw[k] for k in REQUEST_FIELDS if k in raw})
    if isinstance(raw.get("context"), dict):
        own = {k.lower() for k in raw["context"]}
        context = {k: v for k, v in defaults.get("context", {}).items() if k.lower() not in own}
        context.update({k: v for k, v in raw["context"].items() if v is not None})
        request["context"] = context
    return request


def _random_lines(n: int, seed: int = 9) -> list[dict[str, Any]]:
    """Varied request lines: defaults used or overridden, contexts merged, keys dropped, accounts, resources
    absent, null or ``*``, names and expectations on some."""
    rng = random.Random(seed)
    actions = ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "ec2:RunInstances"]
    resources: list[Any] = [
        None,
        "*",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/k/1",
        "arn:aws:s3:::other/k",
    ]
    contexts: list[Any] = [
        None,
        {},
        {"aws:PrincipalTag/team": None},
        {"AWS:PRINCIPALTAG/TEAM": "red"},
        {"aws:principaltag/team": "blue"},
        {"aws:SourceIp": "192.0.2.7"},
        {"aws:SourceIp": None},
        {"aws:SourceIp": None, "aws:PrincipalTag/team": None},
        {"s3:prefix": ["a/", "b/"]},
    ]
    lines = []
    for i in range(n):
        line: dict[str, Any] = {"action": rng.choice(actions)}
        resource = rng.choice([*resources, "absent"])
        if resource != "absent":
            line["resource"] = resource
        context = rng.choice([*contexts, "absent", "absent"])
        if context != "absent":
            line["context"] = context
        if rng.random() < 0.25:
            line["principal"] = BOB
            if rng.random() < 0.7:
                line["resource_account"] = "111111111111"
        if rng.random() < 0.15:
            line["principal_account"] = "111111111111" if line.get("principal") != BOB else "222222222222"
        if rng.random() < 0.3:
            line["name"] = f"line-{i}"
        lines.append(line)
    return lines


def _evaluate(engine: Any, policies: Mapping[str, Any], request: Mapping[str, Any]) -> Any:
    return engine.PolicySet.from_vector(policies).evaluate(request)


def _expected_decisions(lines: list[dict[str, Any]], engine: Any = iameval) -> list[str]:
    policy_set = engine.PolicySet.from_vector(STREAM_POLICIES)
    return [str(policy_set.evaluate(_merged(STREAM_DEFAULTS, raw)).decision) for raw in lines]


@pytest.mark.parametrize("threads", [None, "1"])
def test_stream_decisions_equal_evaluate(run: Runner, tmp_path: Path, threads: str | None) -> None:
    lines = _random_lines(600)
    expected = _expected_decisions(lines)
    assert set(expected) == set(DECISIONS)  # the lines exercise every decision
    for raw, decision in zip(lines[::3], expected[::3], strict=True):
        raw["expected"] = decision
    requests = _jsonl(tmp_path / "requests.jsonl", lines)
    argv = ["simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json"]
    result = run(*argv, *(["--threads", threads] if threads else []))
    assert result.code == 0, result.err[:2000]
    assert result.err == ""
    out = result.json_lines()
    assert [o["line"] for o in out] == list(range(1, len(lines) + 1))
    assert [o["decision"] for o in out] == expected
    for o, raw in zip(out, lines, strict=True):
        assert set(o) == {"line", "name", "decision", "expected", "ok"}  # no result without --explain
        assert o["name"] == raw.get("name")
        assert o["expected"] == raw.get("expected")
        assert o["ok"] is (None if "expected" not in raw else True)


def test_stream_defaults_merging(run: Runner, tmp_path: Path) -> None:
    """Each rule of the merge, with the decision it must give."""
    cases = [
        ({"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k"}, "Allow"),  # defaults: team blue
        ({"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k", "context": {}}, "Allow"),
        # null drops the default key: the condition's key is missing
        ({"action": "s3:GetObject", "context": {"aws:PrincipalTag/team": None}}, "ImplicitDeny"),
        # the line's key wins, case-insensitively
        ({"action": "s3:GetObject", "context": {"AWS:PRINCIPALTAG/TEAM": "red"}}, "ImplicitDeny"),
        # other default keys are kept: the IP is still inside 10/8
        ({"action": "s3:DeleteObject", "context": {"aws:PrincipalTag/team": "red"}}, "Allow"),
        ({"action": "s3:DeleteObject", "context": {"aws:SourceIp": "192.0.2.1"}}, "ExplicitDeny"),
        # the key removed: NotIpAddress matches a missing key, the Deny applies
        ({"action": "s3:DeleteObject", "context": {"aws:SourceIp": None}}, "ExplicitDeny"),
        # resource absent, null or "*": the same request
        ({"action": "s3:ListBucket"}, "ImplicitDeny"),
        ({"action": "s3:ListBucket", "resource": None}, "ImplicitDeny"),
        ({"action": "s3:ListBucket", "resource": "*"}, "ImplicitDeny"),
        ({"action": "s3:ListBucket", "resource": "arn:aws:s3:::bucket"}, "Allow"),
        # the principal overridden; cross-account with the bucket policy
        (
            {
                "principal": BOB,
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::bucket/k",
                "resource_account": "111111111111",
            },
            "Allow",
        ),
        (
            {
                "principal": BOB,
                "action": "s3:ListBucket",
                "resource": "arn:aws:s3:::bucket",
                "resource_account": "111111111111",
            },
            "ImplicitDeny",
        ),
    ]
    lines = [dict(raw, expected=decision) for raw, decision in cases]
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    result = run("simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json")
    assert result.code == 0, (result.out, result.err)
    assert [o["decision"] for o in result.json_lines()] == [d for _, d in cases]
    assert _expected_decisions([raw for raw, _ in cases]) == [d for _, d in cases]
    text = run("simulate", _stream_scenario(tmp_path), "--requests", requests)
    by_line = {int(line.split(":")[0]): line for line in text.out.splitlines() if re.match(r"\d+: ", line)}
    assert by_line[8] == "8: ImplicitDeny s3:ListBucket *"
    assert by_line[9] == "9: ImplicitDeny s3:ListBucket *"  # a null resource is printed as the `*` it means


@pytest.mark.parametrize("engine", ["default", "reference"])
def test_stream_explain_equals_evaluate_to_dict(run: Runner, tmp_path: Path, engine: str) -> None:
    lines = _random_lines(150, seed=4)
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    result = run(
        "simulate",
        _stream_scenario(tmp_path),
        "--requests",
        requests,
        "--format",
        "json",
        "--explain",
        "--engine",
        engine,
    )
    assert result.code == 0, result.err
    eng = iameval.reference if engine == "reference" else iameval
    policy_set = eng.PolicySet.from_vector(STREAM_POLICIES)
    out = result.json_lines()
    assert len(out) == len(lines)
    for o, raw in zip(out, lines, strict=True):
        want = policy_set.evaluate(_merged(STREAM_DEFAULTS, raw)).to_dict()
        assert o["result"] == want
        assert o["decision"] == want["decision"]
    # the text lines name the deciding layer
    text = run(
        "simulate", _stream_scenario(tmp_path), "--requests", requests, "--explain", "--engine", engine
    )
    assert "[decided by identity]" in text.out


def test_stream_reference_engine_decides_as_the_default(run: Runner, tmp_path: Path) -> None:
    lines = _random_lines(300, seed=5)
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    argv = ["simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json"]
    reference = run(*argv, "--engine", "reference")
    default = run(*argv)
    assert reference.code == default.code == 0
    assert reference.json_lines() == default.json_lines()  # the same lines: no `result` without --explain
    assert [o["decision"] for o in reference.json_lines()] == _expected_decisions(lines, iameval.reference)


def test_stream_text_output(run: Runner, tmp_path: Path) -> None:
    lines = [
        {"name": "read", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k", "expected": "Allow"},
        {"action": "s3:DeleteObject", "context": {"aws:SourceIp": "192.0.2.1"}},
        {"name": "wrong", "action": "s3:ListBucket", "expected": "Allow"},
    ]
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    result = run("simulate", _stream_scenario(tmp_path), "--requests", requests)
    assert result.code == 1  # an expectation does not hold
    assert result.out.splitlines() == [
        "1: Allow s3:GetObject arn:aws:s3:::bucket/k (read)",
        "2: ExplicitDeny s3:DeleteObject *",
        "3: ImplicitDeny s3:ListBucket * (wrong) MISMATCH (expected Allow)",
        "",
        "3 requests: 1 Allow, 1 ExplicitDeny, 1 ImplicitDeny; 1 of 2 expected decisions hold",
    ]
    json_out = run("simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json")
    assert json_out.code == 1
    assert [o["ok"] for o in json_out.json_lines()] == [True, None, False]


def test_stream_blank_lines_crlf_and_no_final_newline(run: Runner, tmp_path: Path) -> None:
    body = (
        '\n{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k"}\r\n'
        "   \n\t\r\n"
        '{"action": "s3:PutObject"}\r\n'
        '\n{"action": "s3:ListBucket"}'
    )
    requests = _write(tmp_path / "r.jsonl", body)
    result = run("simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json")
    assert result.code == 0, result.err
    assert [(o["line"], o["decision"]) for o in result.json_lines()] == [
        (2, "Allow"),
        (5, "Allow"),
        (7, "ImplicitDeny"),
    ]


BAD_LINES: dict[str, tuple[str | bytes, str]] = {
    # name: (the line, what stderr says after `FILE:LINE: `)
    "invalid-json": ('{"action": "s3:GetObject",', "invalid JSON at column "),
    "trailing-garbage": ('{"action": "s3:GetObject"} x', "invalid JSON at column 28: extra data"),
    "not-an-object": ('["s3:GetObject"]', "a request must be an object"),
    "a-string": ('"s3:GetObject"', "a request must be an object"),
    "unknown-field": ('{"action": "s3:GetObject", "actoin": "x"}', "/actoin: unknown request field `actoin`"),
    "bad-expected": (
        '{"action": "s3:GetObject", "expected": "Deny"}',
        "/expected: `expected` must be one of",
    ),
    "name-not-a-string": ('{"action": "s3:GetObject", "name": 3}', "/name: `name` must be a string"),
    "duplicate-key": (
        '{"action": "s3:GetObject", "action": "s3:PutObject"}',
        "/action: duplicate key `action`",
    ),
    "nan": ('{"action": "s3:GetObject", "context": {"k": NaN}}', "invalid JSON: `NaN` is not a JSON value"),
    "invalid-utf8": (b'{"action": "s3:Get\xffObject"}', "invalid UTF-8 at byte 18"),
    "bad-action": ('{"action": "GetObject"}', "/action: "),
    "bad-principal": ('{"principal": "alice", "action": "s3:GetObject"}', "/principal: "),
    "no-action": ('{"resource": "*"}', ""),
    "nested-context-value": (
        '{"action": "s3:GetObject", "context": {"aws:SourceIp": {"a": 1}}}',
        "/context/",
    ),
    "context-not-an-object": ('{"action": "s3:GetObject", "context": ["a"]}', ""),
    "resource-not-a-string": ('{"action": "s3:GetObject", "resource": 7}', "/resource: "),
    "account-not-a-string": ('{"action": "s3:GetObject", "principal_account": 7}', "/principal_account: "),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_stream_bad_line_is_reported_and_the_run_goes_on(run: Runner, tmp_path: Path, case: str) -> None:
    bad, message = BAD_LINES[case]
    good = b'{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/k", "expected": "Allow"}'
    bad_bytes = bad if isinstance(bad, bytes) else bad.encode()
    requests = _write(tmp_path / "r.jsonl", b"\n".join([good, good, bad_bytes, good, b""]))
    for fmt in ("text", "json"):
        result = run("simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", fmt)
        assert result.code == 2, (case, result)
        _assert_errors_only(result)
        errors = result.err_lines()
        assert len(errors) == 1 and errors[0].startswith(f"iameval: error: {requests}:3: " + message), errors
        if fmt == "json":
            assert [(o["line"], o["ok"]) for o in result.json_lines()] == [(1, True), (2, True), (4, True)]
        else:
            assert (
                "3 requests: 3 Allow, 0 ExplicitDeny, 0 ImplicitDeny; 3 of 3 expected decisions hold; "
                "1 bad line" in result.out
            )


def test_stream_over_several_chunks_with_bad_lines_inside_one(run: Runner, tmp_path: Path) -> None:
    """More than two chunks of CHUNK lines; in the middle of the second, a line that is not JSON and two
    requests the engine rejects (they make the batch call fail: the chunk is decided row by row and only the
    bad lines are left out). Every good line is decided, in order, exactly as evaluate() decides it."""
    assert simulate_module.CHUNK == 4096
    n = 2 * simulate_module.CHUNK + 777
    lines: list[Any] = _random_lines(n, seed=11)
    bad = {
        6000: "{not json",
        6001: {"principal": "alice", "action": "s3:GetObject"},
        6500: {"action": "nope"},
    }
    for lineno, line in bad.items():
        lines[lineno - 1] = line
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    result = run("simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json")
    assert result.code == 2
    _assert_errors_only(result)
    errors = result.err_lines()
    assert [e.split(": ")[2] for e in errors] == [f"{requests}:{lineno}" for lineno in bad]
    assert errors[1].startswith(f"iameval: error: {requests}:6001: /principal: ")
    assert errors[2].startswith(f"iameval: error: {requests}:6500: /action: ")
    out = result.json_lines()
    good = [i for i in range(1, n + 1) if i not in bad]
    assert [o["line"] for o in out] == good
    assert all(set(o) == {"line", "name", "decision", "expected", "ok"} for o in out)  # the same shape
    assert [o["decision"] for o in out] == _expected_decisions([lines[i - 1] for i in good])
    text = run("simulate", _stream_scenario(tmp_path), "--requests", requests)
    assert text.code == 2
    assert f"\n{len(good)} requests: " in text.out and text.out.endswith("; 3 bad lines\n")
    assert "decided by" not in text.out


def test_stream_decides_in_chunks_through_the_batch_path(
    run_here: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    original = simulate_module.Stream._batch

    def spy(self: Any, requests: list[dict[str, Any]]) -> list[Any]:
        calls.append(("evaluate_many" if self.full else "decide_many", len(requests)))
        return original(self, requests)

    monkeypatch.setattr(simulate_module.Stream, "_batch", spy)
    n = 2 * simulate_module.CHUNK + 5
    requests = _jsonl(tmp_path / "r.jsonl", _random_lines(n, seed=3))
    scenario = _stream_scenario(tmp_path)
    assert run_here("simulate", scenario, "--requests", requests, "--format", "json").code == 0
    assert calls == [("decide_many", 4096), ("decide_many", 4096), ("decide_many", 5)]
    for extra in (["--explain"], ["--engine", "reference"]):
        calls.clear()
        assert run_here("simulate", scenario, "--requests", requests, "--format", "json", *extra).code == 0
        assert calls == [("evaluate_many", 4096), ("evaluate_many", 4096), ("evaluate_many", 5)]


def test_stream_empty_input(run: Runner, tmp_path: Path) -> None:
    scenario = _stream_scenario(tmp_path)
    for name, content in (("empty.jsonl", ""), ("blank.jsonl", "\n   \n\r\n\n")):
        requests = _write(tmp_path / name, content)
        result = run("simulate", scenario, "--requests", requests)
        assert result.code == 2
        _assert_errors_only(result)
        assert f"iameval: error: {requests}: no requests" in result.err
    result = run("simulate", scenario, "--requests", "-", stdin="")
    assert result.code == 2 and "iameval: error: -: no requests" in result.err
    # only bad lines: they are reported, and the run ends with exit 2
    only_bad = _write(tmp_path / "bad.jsonl", "[1]\n[2]\n")
    result = run("simulate", scenario, "--requests", only_bad)
    assert result.code == 2 and len(result.err_lines()) == 2


def test_stream_from_stdin(run: Runner, tmp_path: Path) -> None:
    lines = _random_lines(50, seed=8)
    body = "".join(json.dumps(line) + "\n" for line in lines)
    result = run("simulate", _stream_scenario(tmp_path), "--requests", "-", "--format", "json", stdin=body)
    assert result.code == 0, result.err
    assert [o["decision"] for o in result.json_lines()] == _expected_decisions(lines)
    bad = run("simulate", _stream_scenario(tmp_path), "--requests", "-", stdin="[1]\n")
    assert "iameval: error: -:1: a request must be an object" in bad.err


def test_stream_with_the_builtin_example(run: Runner) -> None:
    """Without a scenario the built-in example gives the policies and the defaults."""
    body = (
        json.dumps({"action": "s3:GetObject", "resource": "arn:aws:s3:::example-datalake-reports/x"}) + "\n"
    )
    result = run("simulate", "--requests", "-", "--format", "json", "--explain", stdin=body)
    assert result.code == 0, result.err
    [line] = result.json_lines()
    assert line["decision"] in DECISIONS and line["result"]["matched"]


def test_stdin_read_twice_is_an_error(run: Runner, tmp_path: Path) -> None:
    scenario = json.dumps({"policies": {"identity": [ALLOW_S3]}, "defaults": {"principal": USER}})
    result = run("simulate", "-", "--requests", "-", stdin=scenario)
    assert result.code == 2
    _assert_errors_only(result)
    assert "iameval: error: -: standard input is already read as the scenario" in result.err
    assert result.out == ""


@pytest.mark.parametrize("command", ["check", "validate"])
def test_stdin_twice_in_one_list_of_files_is_an_error(run: Runner, command: str) -> None:
    """`check - -` / `validate - -`: standard input is read once; the second `-` is reported, not read empty."""
    vector = json.dumps(_vector("v", "s3:GetObject", "Allow")) if command == "check" else json.dumps(ALLOW_S3)
    result = run(command, "-", "-", stdin=vector + "\n")
    assert result.code == 2
    assert "iameval: error: -: standard input is already read as" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("option", [["--explain"], ["--threads", "1"], ["--no-progress"]])
def test_stream_options_without_requests_are_usage_errors(run: Runner, option: list[str]) -> None:
    result = run("simulate", *option)
    assert result.code == 2
    _assert_errors_only(result)
    assert f"iameval: error: {option[0]}: only with --requests" in result.err
    assert result.out == ""


def test_stream_unreadable_requests_and_bad_threads(run: Runner, tmp_path: Path) -> None:
    scenario = _stream_scenario(tmp_path)
    missing = str(tmp_path / "missing.jsonl")
    result = run("simulate", scenario, "--requests", missing)
    assert result.code == 2 and f"iameval: error: {missing}: cannot read file" in result.err
    result = run("simulate", scenario, "--requests", str(tmp_path))
    assert result.code == 2 and "cannot read file" in result.err
    requests = _jsonl(tmp_path / "r.jsonl", [{"action": "s3:GetObject"}])
    for threads in ("0", "-2", "100000"):
        result = run("simulate", scenario, "--requests", requests, "--threads", threads)
        assert result.code == 2, threads
        _assert_errors_only(result)
        assert "iameval: error: --threads: " in result.err
        assert result.out == ""
    # a scenario whose policies are wrong: nothing is read from the stream
    bad = _write(tmp_path / "bad.json", {"policies": {"identity": [{"Statement": "nope"}]}})
    result = run("simulate", bad, "--requests", requests)
    assert result.code == 2 and f"{bad}: /policies/identity/0/Statement: " in result.err


def test_stream_scenario_requests_are_not_run(run: Runner, tmp_path: Path) -> None:
    """With --requests the scenario's own `requests` (still checked) are not evaluated."""
    scenario = _stream_scenario(
        tmp_path, requests=[{"action": "s3:PutObject", "name": "from-the-scenario", "expected": "Allow"}]
    )
    requests = _jsonl(tmp_path / "r.jsonl", [{"action": "s3:GetObject", "name": "from-the-stream"}])
    result = run("simulate", scenario, "--requests", requests, "--format", "json")
    assert result.code == 0
    assert [o["name"] for o in result.json_lines()] == ["from-the-stream"]


def _stream_args(**overrides: Any) -> argparse.Namespace:
    args = argparse.Namespace(requests="r.jsonl", explain=False, threads=None, no_progress=False)
    for key, value in overrides.items():
        setattr(args, key, value)
    return args


@pytest.mark.parametrize(
    ("tty", "source", "no_progress", "shown"),
    [
        (True, "r.jsonl", False, True),
        (True, "-", False, False),
        (True, "r.jsonl", True, False),
        (False, "r.jsonl", False, False),
        (False, "-", False, False),
    ],
)
def test_progress_bar_decision(
    monkeypatch: pytest.MonkeyPatch, tty: bool, source: str, no_progress: bool, shown: bool
) -> None:
    """The bar: on stderr, only when stderr is a terminal, the requests come from a file, no --no-progress."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    args = _stream_args(requests=source, no_progress=no_progress)
    stream = simulate_module.Stream(args, None, iameval, iameval.PolicySet(), {})  # type: ignore[arg-type]
    assert stream.show_progress is shown


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_run_keeps_stdout_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the bar drawn (stderr a terminal, a file of more than 1 MiB so that it advances), stdout is exactly
    the output of a run without it."""
    lines = _random_lines(20000, seed=2)
    requests = _jsonl(tmp_path / "r.jsonl", lines)
    assert os.path.getsize(requests) > MIB
    argv = ["simulate", _stream_scenario(tmp_path), "--requests", requests, "--format", "json"]
    capsys.readouterr()
    assert main(argv) == 0
    plain = capsys.readouterr()
    assert plain.err == ""
    terminal = _FakeTerminal()
    with monkeypatch.context() as patch:
        patch.setenv("TERM", "xterm-256color")  # not a dumb terminal: rich draws the bar
        patch.setattr(sys, "stderr", terminal)
        assert main(argv) == 0
    with_bar = capsys.readouterr()
    assert "requests" in terminal.getvalue() and "\x1b[" in terminal.getvalue()  # the bar was drawn
    assert with_bar.out == plain.out
    assert "\x1b" not in with_bar.out
    assert [o["decision"] for o in map(json.loads, with_bar.out.splitlines())] == _expected_decisions(lines)
    # --no-progress: nothing on the terminal
    terminal = _FakeTerminal()
    with monkeypatch.context() as patch:
        patch.setenv("TERM", "xterm-256color")
        patch.setattr(sys, "stderr", terminal)
        assert main([*argv, "--no-progress"]) == 0
    assert terminal.getvalue() == ""
    assert capsys.readouterr().out == plain.out


def _peak_rss_kib(argv: list[str]) -> tuple[int, float]:
    """Run the command line in a child that reports its own peak RSS (KiB) and the time it took."""
    code = (
        "import resource, sys, time\n"
        "from iameval.cli import main\n"
        "start = time.perf_counter()\n"
        "code = main(sys.argv[1:])\n"
        "took = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "if sys.platform == 'darwin':\n"
        "    peak //= 1024\n"
        "sys.stderr.write(f'{code} {peak} {took}\\n')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_subprocess_env(),
        timeout=600,
        check=False,
    )
    last = proc.stderr.decode().splitlines()[-1]
    rc, peak, took = last.split()
    assert rc == "0", proc.stderr.decode()[-2000:]
    return int(peak), float(took)


def _write_requests(path: Path, n: int) -> None:
    """``n`` request lines, written a block at a time."""
    block_lines = 1000
    block = "".join(
        json.dumps(
            {
                "action": ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket")[i % 4],
                "resource": f"arn:aws:s3:::bucket/k/{i}",
                **({"context": {"aws:SourceIp": "192.0.2.1"}} if i % 7 == 0 else {}),
                **({"expected": "Allow"} if i % 4 == 1 else {}),
            }
        )
        + "\n"
        for i in range(block_lines)
    ).encode()
    with open(path, "wb") as fh:
        for _ in range(n // block_lines):
            fh.write(block)


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
def test_stream_memory_is_flat_for_a_million_requests(tmp_path: Path) -> None:
    """Issue 9: a stream of 1,000,000 requests runs in about the memory of 10,000 (< 100 MB more)."""
    scenario = _stream_scenario(tmp_path)
    small, large = tmp_path / "10k.jsonl", tmp_path / "1m.jsonl"
    _write_requests(small, 10_000)
    _write_requests(large, 1_000_000)
    argv = ["simulate", scenario, "--format", "json", "--requests"]
    base, _ = _peak_rss_kib([*argv, str(small)])
    peak, took = _peak_rss_kib([*argv, str(large)])
    growth_mb = (peak - base) / 1024
    print(
        f"\n1,000,000 requests: {took:.1f} s, peak RSS {peak / 1024:.0f} MiB (10,000: {base / 1024:.0f} MiB)"
    )
    assert growth_mb < 100, (base, peak)


# -- 3. check: error vectors, streamed files, bad lines ---------------------------------------------------------


def _vector(vid: str, action: str, expected: str) -> dict[str, Any]:
    return {
        "id": vid,
        "request": {
            "principal": USER,
            "action": action,
            "resource": "arn:aws:s3:::bucket/key",
            "context": {},
        },
        "policies": {"identity": [ALLOW_S3], "resource": None, "scps": None, "rcps": None},
        "expected": expected,
    }


def _error_vector(vid: str, policies: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": vid, "policies": policies, "expected_error": "PolicyError", **fields}


BAD_EFFECT = {"Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}


@pytest.mark.skipif(not ERROR_VECTORS, reason="tests/vectors/errors not present")
@pytest.mark.parametrize("engine", ["default", "reference"])
def test_check_the_error_vector_files_pass(run: Runner, engine: str) -> None:
    files = [str(p) for p in ERROR_VECTORS]
    n = sum(1 for p in ERROR_VECTORS for line in p.read_text().splitlines() if line.strip())
    result = run("check", "--engine", engine, *files)
    assert result.code == 0, result.out[-3000:] + result.err
    assert result.out.splitlines()[-1] == f"{n} passed, 0 failed"
    json_result = run("check", "--engine", engine, "--format", "json", *files)
    lines = json_result.json_lines()
    assert lines[-1] == {"summary": True, "passed": n, "failed": 0, "bad": 0}
    assert all(line["ok"] and line["got"] == line["expected"] for line in lines[:-1])


def test_check_error_vectors(run: Runner, tmp_path: Path) -> None:
    vectors = [
        _error_vector("policy-error", {"identity": [ALLOW_S3, BAD_EFFECT]}, error_policy="identity/1"),
        _error_vector("policy-error-anywhere", {"scps": [[FULL_ACCESS], [BAD_EFFECT]]}),
        _error_vector(
            "policy-error-in-scp", {"scps": [[FULL_ACCESS], [BAD_EFFECT]]}, error_policy="scps/1/0"
        ),
        {
            "id": "request-error",
            "policies": {"identity": [ALLOW_S3]},
            "request": {"principal": "alice", "action": "s3:GetObject"},
            "expected_error": "RequestError",
        },
    ]
    path = _jsonl(tmp_path / "v.jsonl", vectors)
    result = run("check", path)
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == ["4 passed, 0 failed"]


FAILING_ERROR_VECTORS: dict[str, tuple[dict[str, Any], str]] = {
    # name: (vector, what `got` says)
    "valid-policies": (_error_vector("v", {"identity": [ALLOW_S3]}), "no error"),
    "wrong-error-policy": (
        _error_vector("v", {"identity": [ALLOW_S3, BAD_EFFECT]}, error_policy="identity/0"),
        "PolicyError in identity/1, not in identity/0",
    ),
    "policy-error-expected-request-error": (
        {
            "id": "v",
            "policies": {"identity": [BAD_EFFECT]},
            "request": {"principal": USER, "action": "s3:GetObject"},
            "expected_error": "RequestError",
        },
        "PolicyError",
    ),
    "request-fine": (
        {
            "id": "v",
            "policies": {"identity": [ALLOW_S3]},
            "request": {"principal": USER, "action": "s3:GetObject"},
            "expected_error": "RequestError",
        },
        "no error",
    ),
    "request-error-expected-policy-error": (
        {
            "id": "v",
            "policies": {"identity": [ALLOW_S3]},
            "request": {"principal": "alice", "action": "s3:GetObject"},
            "expected_error": "PolicyError",
        },
        "RequestError",
    ),
}


@pytest.mark.parametrize("case", sorted(FAILING_ERROR_VECTORS))
def test_check_failing_error_vector(run: Runner, tmp_path: Path, case: str) -> None:
    vector, got = FAILING_ERROR_VECTORS[case]
    path = _jsonl(tmp_path / "v.jsonl", [_vector("ok", "s3:GetObject", "Allow"), vector])
    result = run("check", path)
    assert result.code == 1, result
    assert result.err == ""
    assert f"FAIL v ({path}:2): expected {vector['expected_error']}, got {got}" in result.out
    assert result.out.splitlines()[-1] == "1 passed, 1 failed"
    lines = run("check", "--format", "json", path).json_lines()
    assert lines[1]["ok"] is False and lines[1]["got"] == got and lines[1]["where"] == f"{path}:2"
    assert lines[-1] == {"summary": True, "passed": 1, "failed": 1, "bad": 0}


BAD_VECTOR_LINES: dict[str, tuple[str, str]] = {
    "invalid-json": ('{"id": "x", "policies": ', "invalid JSON at column "),
    "not-an-object": ("[1]", "a vector must be a JSON object"),
    "no-policies": (json.dumps({"id": "x", "request": {}, "expected": "Allow"}), "/policies: "),
    "bad-expected": (json.dumps(dict(_vector("x", "s3:GetObject", "Allow"), expected="Deny")), "/expected: "),
    "bad-expected-error": (
        json.dumps(_error_vector("x", {}, expected_error="KeyError")),
        "/expected_error: `expected_error` must be one of PolicyError, RequestError",
    ),
    "bad-error-policy": (json.dumps(_error_vector("x", {}, error_policy=1)), "/error_policy: "),
    "request-error-without-request": (
        json.dumps(_error_vector("x", {}, expected_error="RequestError")),
        "/request: a RequestError vector needs `request`",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VECTOR_LINES))
def test_check_bad_line_is_reported_and_the_run_goes_on(run: Runner, tmp_path: Path, case: str) -> None:
    bad, message = BAD_VECTOR_LINES[case]
    path = _jsonl(
        tmp_path / "v.jsonl",
        [_vector("a", "s3:GetObject", "Allow"), bad, "", _vector("b", "s3:PutObject", "Allow")],
    )
    other = _jsonl(tmp_path / "w.jsonl", [_vector("c", "s3:GetObject", "Allow")])
    result = run("check", path, other)
    assert result.code == 2, result
    _assert_errors_only(result)
    assert result.err_lines() == [line for line in result.err_lines() if f"{path}:2: " in line]
    assert result.err_lines()[0].startswith(f"iameval: error: {path}:2: {message}")
    assert "FAIL b (" + path + ":4)" in result.out  # the vectors after the bad line are run
    assert result.out.splitlines()[-1] == "2 passed, 1 failed, 1 bad input"
    lines = run("check", "--format", "json", path, other).json_lines()
    assert [line.get("id") for line in lines[:-1]] == ["a", "b", "c"]
    assert lines[-1] == {"summary": True, "passed": 2, "failed": 1, "bad": 1}


def test_check_empty_files(run: Runner, tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.jsonl", "")
    blank = _write(tmp_path / "blank.jsonl", "\n  \n\t\n")
    good = _jsonl(tmp_path / "good.jsonl", [_vector("a", "s3:GetObject", "Allow")])
    for files in ([empty], [blank], [empty, good, blank]):
        result = run("check", *files)
        assert result.code == 2
        _assert_errors_only(result)
        for file in files:
            if file != good:
                assert f"iameval: error: {file}: no vectors in {file}" in result.err
    assert "1 passed, 0 failed, 2 bad input" in result.out
    result = run("check", "-", stdin="")
    assert result.code == 2 and "no vectors in -" in result.err


def test_check_unreadable_file_does_not_stop_the_others(run: Runner, tmp_path: Path) -> None:
    good = _jsonl(tmp_path / "good.jsonl", [_vector("a", "s3:GetObject", "Allow")])
    missing = str(tmp_path / "missing.jsonl")
    result = run("check", missing, good)
    assert result.code == 2
    assert f"iameval: error: {missing}: cannot read file" in result.err
    assert result.out.splitlines()[-1] == "1 passed, 0 failed, 1 bad input"


def test_check_json_format(run: Runner, tmp_path: Path) -> None:
    vectors = [
        _vector("pass", "s3:GetObject", "Allow"),
        _vector("fail", "s3:PutObject", "Allow"),
        _error_vector("error-pass", {"identity": [BAD_EFFECT]}, error_policy="identity/0"),
        dict(_vector("policy-error", "s3:GetObject", "Allow"), policies={"identity": [BAD_EFFECT]}),
    ]
    path = _jsonl(tmp_path / "v.jsonl", vectors)
    result = run("check", "--format", "json", path)
    assert result.code == 1
    lines = result.json_lines()
    assert len(lines) == 5
    keys = {"id", "where", "ok", "expected", "got"}
    for line, vector, lineno in zip(lines, vectors, range(1, 5), strict=False):
        assert keys <= set(line) <= keys | {"result", "errors"}
        assert line["id"] == vector["id"] and line["where"] == f"{path}:{lineno}"
    assert lines[0]["ok"] is True and lines[0]["got"] == "Allow"
    assert (
        lines[0]["result"]
        == iameval.PolicySet.from_vector(vectors[0]["policies"]).evaluate(vectors[0]["request"]).to_dict()
    )
    assert lines[1]["ok"] is False and lines[1]["got"] == "ImplicitDeny" and "result" in lines[1]
    assert lines[2]["ok"] is True and lines[2]["got"] == "PolicyError"
    assert lines[2]["errors"][0]["pointer"] == "/policies/identity/0/Statement/0/Effect"
    assert set(lines[2]["errors"][0]) == {"pointer", "message"}
    assert lines[3]["ok"] is False and lines[3]["got"] == "PolicyError" and lines[3]["errors"]
    assert lines[4] == {"summary": True, "passed": 2, "failed": 2, "bad": 0}


# -- 4. --format on every command, --json, --version -----------------------------------------------------------


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    from iameval.cli import _parser

    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", ["simulate", "query", "check", "validate"])
def test_every_command_has_format(command: str) -> None:
    parser = _subparsers()[command]
    [option] = [a for a in parser._actions if "--format" in a.option_strings]
    assert tuple(option.choices or ()) == ("text", "json") and option.default == "text"


def test_validate_format_json(run: Runner, tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", ALLOW_S3)
    bucket = _write(tmp_path / "bucket.json", BUCKET)
    bad = _write(
        tmp_path / "bad.json",
        {"Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*", "Bogus": 1}]},
    )
    broken = _write(tmp_path / "broken.json", '{"Statement": [\n,]}')
    result = run("validate", "--format", "json", good, bucket, bad, broken)
    assert result.code == 1
    assert result.err == ""
    lines = result.json_lines()
    assert [(line["file"], line["kind"], line["valid"]) for line in lines] == [
        (good, "identity", True),
        (bucket, "resource", True),
        (bad, "identity", False),
        (broken, "identity", False),
    ]
    for line in lines:
        assert set(line) == {"file", "kind", "valid", "errors"}
        for error in line["errors"]:
            assert set(error) == {"type", "pointer", "message"}
    assert lines[0]["errors"] == []
    assert {e["pointer"] for e in lines[2]["errors"]} == {"/Statement/0/Effect", "/Statement/0/Bogus"}
    assert lines[3]["errors"][0]["type"] == "json_invalid" and "line 2" in lines[3]["errors"][0]["message"]
    # no text summary line in json
    assert all(line.startswith("{") for line in result.out.splitlines())
    missing = str(tmp_path / "missing.json")
    result = run("validate", "--format", "json", "--kind", "scp", good, missing)
    assert result.code == 2
    assert f"iameval: error: {missing}: cannot read file" in result.err
    lines = result.json_lines()
    assert lines[0] == {"file": good, "kind": "scp", "valid": True, "errors": []}
    assert lines[1]["file"] == missing and lines[1]["valid"] is None
    assert lines[1]["errors"][0]["type"] == "unreadable"


def test_simulate_json_is_an_alias(run: Runner, tmp_path: Path) -> None:
    assert run("simulate", "--json").out == run("simulate", "--format", "json").out
    requests = _jsonl(tmp_path / "r.jsonl", _random_lines(20))
    scenario = _stream_scenario(tmp_path)
    alias = run("simulate", scenario, "--requests", requests, "--json")
    assert alias.out == run("simulate", scenario, "--requests", requests, "--format", "json").out
    assert len(alias.json_lines()) == 20


def test_version(run: Runner) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"iameval {iameval.__version__} (core {_core.__version__})"
    assert result.err == ""


def test_version_in_process_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(f"iameval {iameval.__version__} (core ")


# -- 5. output conventions -------------------------------------------------------------------------------------

TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}


def _plain(text: str) -> str:
    return ANSI.sub("", text)


def _commands_with_every_kind_of_output(tmp_path: Path) -> Iterator[list[str]]:
    """Tables, stream lines, mismatches, failures, invalid policies, bad input."""
    scenario = _stream_scenario(tmp_path)
    requests = _jsonl(tmp_path / "r.jsonl", [{"action": "s3:GetObject", "expected": "ExplicitDeny"}, "[1]"])
    vectors = _jsonl(tmp_path / "v.jsonl", [_vector("f", "s3:PutObject", "Allow"), "{"])
    bad_policy = _write(tmp_path / "bad.json", {"Statement": [{"Effect": "Permit"}]})
    mismatch = _write(
        tmp_path / "mismatch.json",
        {
            "policies": {"identity": [ALLOW_S3]},
            "requests": [
                {"principal": USER, "action": "s3:GetObject", "expected": "Allow", "name": "n"},
                {
                    "principal": USER,
                    "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::bucket/k",
                    "expected": "ExplicitDeny",
                },
            ],
        },
    )
    yield ["simulate"]
    yield ["simulate", mismatch]
    yield ["simulate", scenario, "--requests", requests]
    yield ["simulate", scenario, "--requests", requests, "--explain"]
    yield ["check", vectors]
    yield ["validate", bad_policy]
    yield ["simulate", bad_policy]


@pytest.mark.parametrize(
    "env",
    [{}, {"NO_COLOR": "1"}, {"NO_COLOR": "1", **TERMINAL}],
    ids=["pipe", "no-color", "no-color-terminal"],
)
def test_no_ansi_off_a_terminal_or_with_no_color(run: Runner, tmp_path: Path, env: dict[str, str]) -> None:
    for argv in _commands_with_every_kind_of_output(tmp_path):
        result = run(*argv, env=env)
        assert "Traceback" not in result.err
        assert "\x1b" not in result.out, (argv, result.out[:500])
        assert "\x1b" not in result.err, (argv, result.err[:500])


@pytest.mark.parametrize(
    "terminal",
    [TERMINAL, {"TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}],
    ids=["FORCE_COLOR", "TTY_COMPATIBLE"],
)
def test_decisions_in_colour_on_a_terminal(run: Runner, terminal: dict[str, str]) -> None:
    result = run("simulate", env=dict(terminal, COLUMNS="200"))
    assert result.code == 0
    assert re.search(r"\x1b\[[0-9;]*32m\s*Allow", result.out), result.out[:2000]  # green
    assert re.search(r"\x1b\[[0-9;]*31m\s*ExplicitDeny", result.out)  # red
    assert re.search(r"\x1b\[[0-9;]*33m\s*ImplicitDeny", result.out)  # yellow
    plain = run("simulate", env={"COLUMNS": "200"}).out
    # only the colours differ (and the padding spaces a style ends with)
    assert [line.rstrip() for line in _plain(result.out).splitlines()] == plain.splitlines()


def _table_lines(text: str) -> list[str]:
    """The description and the table: every line before the blank line above the summary."""
    lines = _plain(text).splitlines()
    last_blank = max(i for i, line in enumerate(lines) if not line.strip())
    return lines[:last_blank]


@pytest.mark.parametrize("columns", [50, 80, 100, 132])
def test_table_fits_the_terminal(run: Runner, tmp_path: Path, columns: int) -> None:
    """On a terminal the description and the table fit in COLUMNS."""
    for argv in (["simulate"], ["simulate", _write(tmp_path / "s.json", _long_scenario())]):
        result = run(*argv, env=dict(TERMINAL, COLUMNS=str(columns)))
        assert result.code == 0, result.err
        assert "\x1b[" in result.out
        widest = max(len(line) for line in _table_lines(result.out))
        assert widest <= columns, (columns, widest)
        assert widest >= columns - 15  # and uses the width it has


def _long_scenario() -> dict[str, Any]:
    long_resource = (
        "arn:aws:s3:::a-bucket-with-a-rather-long-name/" + "/".join(["segment"] * 12) + "/object.csv"
    )
    return {
        "description": "A scenario with long cells. " * 8,
        "policies": {"identity": [ALLOW_S3]},
        "requests": [
            {
                "name": "long-" + "x" * 40,
                "principal": USER,
                "action": "s3:GetObject",
                "resource": long_resource,
            },
            {
                "name": "short",
                "principal": BOB,
                "action": "s3:PutObject",
                "resource": "arn:aws:s3:::bucket/k",
            },
        ],
    }


def test_wide_keeps_every_cell_whole(run: Runner, tmp_path: Path) -> None:
    doc = _long_scenario()
    scenario = _write(tmp_path / "s.json", doc)
    narrow = run("simulate", scenario, env=dict(TERMINAL, COLUMNS="60"))
    wide = run("simulate", "--wide", scenario, env=dict(TERMINAL, COLUMNS="60"))
    assert narrow.code == wide.code == 0
    long_resource = doc["requests"][0]["resource"]
    assert long_resource not in _plain(narrow.out)  # folded to fit 60 columns
    wide_lines = _table_lines(wide.out)
    assert any(long_resource in line and doc["requests"][0]["name"] in line for line in wide_lines)
    assert max(len(line) for line in wide_lines) > 60
    # --wide off a terminal too
    assert long_resource in run("simulate", "--wide", scenario, env={"COLUMNS": "60"}).out


def test_off_a_terminal_the_table_is_full_width_unless_columns_is_set(run: Runner, tmp_path: Path) -> None:
    doc = _long_scenario()
    scenario = _write(tmp_path / "s.json", doc)
    full = run("simulate", scenario)
    assert "\x1b" not in full.out
    row = next(line for line in full.out.splitlines() if line.startswith("0 "))
    for cell in (
        doc["requests"][0]["name"],
        doc["requests"][0]["resource"],
        USER,
        "s3:GetObject",
        "ImplicitDeny",
    ):
        assert cell in row
    assert full.out == run("simulate", "--wide", scenario).out
    limited = run("simulate", scenario, env={"COLUMNS": "80"})
    assert "\x1b" not in limited.out
    assert max(len(line) for line in _table_lines(limited.out)) <= 80
    assert doc["requests"][0]["resource"] not in limited.out
