"""``iameval query``: one question (or a table of them) asked of policy files, every option and error path.

Most cases run in-process through ``main(argv)`` (output captured by capsys, standard input replaced by
monkeypatch); the ``run_both`` cases also run as a subprocess ``python -m iameval`` (the real entry point: exit
code, stdout, stderr, no traceback, standard input, no terminal).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import iameval
import pytest
from iameval.cli import main
from iameval.cli.query import EXPLANATIONS
from vector_files import load_vectors

ROLE = "arn:aws:iam::111111111111:role/app"
OTHER = "arn:aws:iam::222222222222:role/partner"
OBJECT = "arn:aws:s3:::bkt/blue/key"
V = "2012-10-17"
ANSI = re.compile(r"\x1b\[")
#: an SGR sequence that sets a colour (foreground or background, 16/256/true colour)
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")

IDENTITY = {
    "Version": V,
    "Statement": [
        {
            "Sid": "ReadTeam",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bkt/${aws:PrincipalTag/team}/*",
        },
        {
            "Sid": "PutFromOffice",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::bkt/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        },
        {
            "Sid": "TagWithB",
            "Effect": "Allow",
            "Action": "ec2:CreateTags",
            "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["b"]}},
        },
        {
            "Sid": "Agent",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::bkt",
            "Condition": {"StringEquals": {"aws:UserAgent": "x,y"}},
        },
        {
            "Sid": "OwnAccount",
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": "111111111111"}},
        },
    ],
}
ALLOW_ALL = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
OU_SCP = {
    "Version": V,
    "Statement": [
        {"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {
            "Sid": "DenyOutsideRegions",
            "Effect": "Deny",
            "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}},
        },
    ],
}
ONLY_DENY_SCP = {
    "Version": V,
    "Statement": [{"Sid": "DenyIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}],
}
BUCKET = {
    "Version": V,
    "Statement": [
        {
            "Sid": "PartnerRead",
            "Effect": "Allow",
            "Principal": {"AWS": OTHER},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bkt/*",
        },
        {
            "Sid": "NoDelete",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:DeleteObject",
            "Resource": "arn:aws:s3:::bkt/*",
        },
    ],
}
PUBLIC_BUCKET = {
    "Version": V,
    "Statement": [
        {
            "Sid": "Public",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bkt/*",
        }
    ],
}
BOUNDARY = {
    "Version": V,
    "Statement": [{"Sid": "OnlyS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
SESSION = {
    "Version": V,
    "Statement": [{"Sid": "OnlyGet", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
}
ENDPOINT = {
    "Version": V,
    "Statement": [
        {"Sid": "Reads", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    ],
}
RCP = {
    "Version": V,
    "Statement": [
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}},
        }
    ],
}

FILES: dict[str, Any] = {
    "role.json": IDENTITY,
    "root.json": ALLOW_ALL,
    "ou.json": OU_SCP,
    "only-deny.json": ONLY_DENY_SCP,
    "bucket.json": BUCKET,
    "public.json": PUBLIC_BUCKET,
    "boundary.json": BOUNDARY,
    "session.json": SESSION,
    "endpoint.json": ENDPOINT,
    "rcp.json": RCP,
    "allow-all.json": ALLOW_ALL,
}


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


Runner = Callable[..., Run]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The policy files above in a temporary directory, which is the current directory of the test."""
    for name, doc in FILES.items():
        (tmp_path / name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path


def _in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    def run(*argv: str, stdin: str | bytes | None = None) -> Run:
        if stdin is not None:
            data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()
        code = main(["query", *argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _subprocess_env(**extra: str) -> dict[str, str]:
    """Make the package that this test imported importable in the child (installed or from python/)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    package_parent = str(Path(iameval.__path__[0]).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def _subprocess(cwd: Path, **env: str) -> Runner:
    def run(*argv: str, stdin: str | bytes | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "iameval", "query", *argv],
            input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
            capture_output=True,
            cwd=cwd,
            env=_subprocess_env(**env),
            timeout=120,
            check=False,
        )
        return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))

    return run


@pytest.fixture
def run(files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """``iameval query ARGV...`` in-process."""
    return _in_process(capsys, monkeypatch)


@pytest.fixture(params=["in-process", "subprocess"])
def run_both(
    request: pytest.FixtureRequest,
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Runner:
    """``iameval query ARGV...`` in-process and as a subprocess."""
    if request.param == "in-process":
        return _in_process(capsys, monkeypatch)
    return _subprocess(files)


def _assert_bad_input(result: Run, *fragments: str) -> None:
    assert result.code == 2, result
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert result.out == "", "nothing on stdout for bad input"
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert lines, "expected an error message on stderr"
    assert all(line.startswith("iameval: error: ") for line in lines), result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)


def _field(out: str, name: str) -> str:
    """The text after ``name:`` on its line of a detailed report."""
    for line in out.splitlines():
        if line.startswith(f"{name}:"):
            return line[len(name) + 1 :].strip()
    raise AssertionError(f"no `{name}:` line in\n{out}")


# -- one question: the detailed report -----------------------------------------------------------------------


def test_allow_report(run_both: Runner) -> None:
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT,
        "--identity", "role.json", "--scp", "root.json", "--scp", "ou.json", "--principal-tag", "team=blue",
    )  # fmt: skip
    assert result.code == 0, result
    assert result.err == ""
    assert _field(result.out, "decision") == "Allow"
    assert _field(result.out, "request") == f"{ROLE} s3:GetObject {OBJECT}"
    assert _field(result.out, "decided by") == f"identity — {EXPLANATIONS['identity', 'Allow']}"
    assert "  Allow scps level 0: root.json statement #0\n" in result.out
    assert "  Allow scps level 1: ou.json statement #0 (AllowAll)\n" in result.out
    assert "  Allow identity: role.json statement #0 (ReadTeam)\n" in result.out
    assert '  aws:PrincipalTag/team = "blue"  (derived for the principal)\n' in result.out
    assert "missing context keys" not in result.out
    assert not ANSI.search(result.out), "not a terminal: plain text"


def test_explicit_deny_report_names_the_file_and_hints_missing_keys(run: Runner) -> None:
    result = run(
        "--principal", ROLE, "--action", "s3:PutObject", "--resource", OBJECT,
        "--identity", "role.json", "--scp", "root.json", "--scp", "ou.json", "--context", "aws:SourceIp=10.1.2.3",
    )  # fmt: skip
    assert result.code == 0
    assert _field(result.out, "decision") == "ExplicitDeny"
    assert _field(result.out, "decided by") == "scp — a Deny statement in an SCP applies"
    assert "  Deny  scps level 1: ou.json statement #1 (DenyOutsideRegions)\n" in result.out
    assert _field(result.out, "missing context keys") == "aws:RequestedRegion"
    assert "--context aws:RequestedRegion=VALUE" in result.out
    # passing the key changes the answer
    result = run(
        "--principal", ROLE, "--action", "s3:PutObject", "--resource", OBJECT,
        "--identity", "role.json", "--scp", "root.json", "--scp", "ou.json",
        "--context", "aws:SourceIp=10.1.2.3", "--context", "aws:RequestedRegion=eu-west-1",
    )  # fmt: skip
    assert _field(result.out, "decision") == "Allow"
    assert "missing context keys" not in result.out


def test_scp_level_without_allow_is_named(run: Runner) -> None:
    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--principal-tag", "team=blue",
        "--identity", "role.json", "--scp", "root.json", "--scp", "only-deny.json,ou.json", "--scp", "only-deny.json",
    )  # fmt: skip
    assert _field(result.out, "decision") == "ImplicitDeny"
    assert _field(result.out, "decided by").startswith("scp — an SCP level does not allow it")
    assert "  scps level 2 (only-deny.json): no Allow statement applies\n" in result.out
    assert "scps level 1 (" not in result.out
    assert "  Allow scps level 1: ou.json statement #0 (AllowAll)\n" in result.out


def test_implicit_deny_with_nothing_matched_hints(run: Runner) -> None:
    result = run("--principal", ROLE, "--action", "dynamodb:GetItem", "--identity", "role.json")
    assert result.code == 0
    assert _field(result.out, "decision") == "ImplicitDeny"
    assert _field(result.out, "decided by") == f"default — {EXPLANATIONS['default', 'ImplicitDeny']}"
    assert "matched statements: none" in result.out
    assert "hint: no statement applied" in result.out and "--trace" in result.out
    # the resource defaults to `*`, as in Request
    assert _field(result.out, "request") == f"{ROLE} dynamodb:GetItem *"


def test_no_policies_at_all(run: Runner) -> None:
    result = run("--principal", ROLE, "--action", "s3:GetObject", "--trace")
    assert result.code == 0
    assert _field(result.out, "decision") == "ImplicitDeny"
    assert "policy files: none" in result.out


def test_every_layer_names_its_file(run: Runner) -> None:
    """resource policy, boundary, session, VPC endpoint, RCP levels: each matched statement shows its file."""
    result = run(
        "--principal", ROLE, "--action", "s3:DeleteObject", "--resource", OBJECT,
        "--identity", "allow-all.json", "--resource-policy", "bucket.json", "--boundary", "boundary.json",
        "--session", "session.json", "--vpc-endpoint", "endpoint.json", "--rcp", "rcp.json", "--trace",
    )  # fmt: skip
    assert _field(result.out, "decision") == "ExplicitDeny"
    assert "  Deny  rcps level 0: rcp.json statement #0 (OrgOnly)\n" in result.out
    assert "  Deny  resource policy: bucket.json statement #1 (NoDelete)\n" in result.out
    assert _field(result.out, "decided by").startswith("rcp — ")
    legend = result.out[result.out.index("policy files:") : result.out.index("trace:")]
    for place, file in [
        ("identity[0]", "allow-all.json"),
        ("resource", "bucket.json"),
        ("permission_boundary", "boundary.json"),
        ("session", "session.json"),
        ("vpc_endpoint", "endpoint.json"),
        ("rcps[0][0]", "rcp.json"),
    ]:
        assert re.search(rf"^  {re.escape(place)} +{re.escape(file)}$", legend, re.M), (place, legend)

    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--context", "aws:PrincipalOrgID=o-1",
        "--identity", "allow-all.json", "--resource-policy", "bucket.json", "--boundary", "boundary.json",
        "--session", "session.json", "--vpc-endpoint", "endpoint.json", "--rcp", "rcp.json",
    )  # fmt: skip
    assert _field(result.out, "decision") == "Allow"
    assert "  Allow VPC endpoint: endpoint.json statement #0 (Reads)\n" in result.out
    assert "  Allow boundary: boundary.json statement #0 (OnlyS3)\n" in result.out
    assert "  Allow session policy: session.json statement #0 (OnlyGet)\n" in result.out

    result = run(
        "--principal", ROLE, "--action", "s3:PutObject", "--resource", OBJECT,
        "--identity", "allow-all.json", "--session", "session.json",
    )  # fmt: skip
    assert _field(result.out, "decided by") == f"session — {EXPLANATIONS['session', 'ImplicitDeny']}"
    result = run(
        "--principal", ROLE, "--action", "ec2:RunInstances",
        "--identity", "allow-all.json", "--boundary", "boundary.json",
    )  # fmt: skip
    assert _field(result.out, "decided by").startswith("permission_boundary — the permissions boundary")
    result = run(
        "--principal",
        ROLE,
        "--action",
        "s3:PutObject",
        "--identity",
        "allow-all.json",
        "--vpc-endpoint",
        "endpoint.json",
    )
    assert _field(result.out, "decided by").startswith(
        "vpc_endpoint — the VPC endpoint policy does not allow"
    )


def test_accounts(run: Runner) -> None:
    """Across accounts both sides must allow; --resource-account says whose bucket it is."""
    base = (
        "--principal",
        OTHER,
        "--action",
        "s3:GetObject",
        "--resource",
        OBJECT,
        "--identity",
        "allow-all.json",
    )
    alone = run(*base)  # S3 ARNs carry no account: the bucket is taken to be the caller's
    assert _field(alone.out, "decision") == "Allow"
    cross = run(*base, "--resource-account", "111111111111")
    assert _field(cross.out, "decision") == "ImplicitDeny"
    assert _field(cross.out, "decided by").startswith(
        "resource — the resource-based policy does not grant it"
    )
    assert _field(cross.out, "accounts") == "principal (from ARN), resource 111111111111"
    both = run(*base, "--resource-account", "111111111111", "--resource-policy", "bucket.json")
    assert _field(both.out, "decision") == "Allow"
    assert _field(both.out, "decided by").startswith("identity+resource — ")
    assert "  Allow resource policy: bucket.json statement #0 (PartnerRead)\n" in both.out
    # the principal's account, given explicitly, counts as well
    same = run(*base, "--resource-account", "111111111111", "--principal-account", "111111111111")
    assert _field(same.out, "decision") == "Allow"
    assert _field(same.out, "accounts") == "principal 111111111111, resource 111111111111"


def test_block_public_access(run: Runner, files: Path) -> None:
    """A caller from another account, allowed by its identity policy and by a public bucket policy."""
    base = (
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--resource-policy", "public.json",
        "--identity", "allow-all.json", "--resource-account", "222222222222",
    )  # fmt: skip
    assert _field(run(*base).out, "decision") == "Allow"
    assert _field(run(*base, "--block-public-access", "false").out, "decision") == "Allow"
    on = run(*base, "--block-public-access", "TRUE")
    assert _field(on.out, "decision") == "ImplicitDeny"
    assert _field(on.out, "decided by").startswith("s3_block_public_access — S3 Block Public Access")
    assert "block public access: in force; public.json is public (statements #0)" in on.out
    # the S3 API's configuration, as `aws s3api get-public-access-block` prints it, or bare
    wrapped = {"PublicAccessBlockConfiguration": {"BlockPublicAcls": False, "RestrictPublicBuckets": True}}
    (files / "bpa.json").write_text(json.dumps(wrapped), encoding="utf-8")
    (files / "bpa-bare.json").write_text(json.dumps({"RestrictPublicBuckets": False}), encoding="utf-8")
    for name, decision in [("bpa.json", "ImplicitDeny"), ("bpa-bare.json", "Allow")]:
        result = run(*base, "--block-public-access", name, "--format", "json")
        assert result.json()["result"]["decision"] == decision
        assert result.json()["policies"]["s3_block_public_access"] == name


# -- the context --------------------------------------------------------------------------------------------------


def _context(run: Runner, *argv: str) -> dict[str, Any]:
    result = run("--principal", ROLE, "--action", "s3:GetObject", "--format", "json", *argv)
    assert result.code == 0, result
    context: dict[str, Any] = result.json()["request"]["context"]
    return context


def test_context_values(run: Runner) -> None:
    assert _context(run, "--context", "aws:SourceIp=10.0.0.1") == {"aws:SourceIp": "10.0.0.1"}
    assert _context(run, "--context", "aws:TagKeys=a,b") == {"aws:TagKeys": ["a", "b"]}
    assert _context(run, "--context", "aws:TagKeys=a,,b,") == {"aws:TagKeys": ["a", "", "b", ""]}
    assert _context(run, "--context", "k=") == {"k": ""}
    assert _context(run, "--context", "k=a=b") == {"k": "a=b"}, "the key ends at the first `=`"
    assert _context(run, "--context-json", 'aws:UserAgent="x,y"') == {"aws:UserAgent": "x,y"}
    assert _context(run, "--context-json", "aws:TagKeys=[]") == {"aws:TagKeys": []}
    assert _context(run, "--context-json", 'aws:TagKeys=["a,b", "c"]') == {"aws:TagKeys": ["a,b", "c"]}
    assert _context(run, "--context-json", 'k=["x"]') == {"k": ["x"]}


def test_context_decides(run: Runner) -> None:
    def decision(action: str, resource: str, *argv: str) -> str:
        result = run(
            "--principal", ROLE, "--action", action, "--resource", resource, "--identity", "role.json", *argv
        )
        return _field(result.out, "decision")

    assert decision("s3:PutObject", OBJECT, "--context", "aws:SourceIp=10.9.9.9") == "Allow"
    assert decision("s3:PutObject", OBJECT, "--context", "aws:SourceIp=192.168.0.1") == "ImplicitDeny"
    assert decision("ec2:CreateTags", "*", "--context", "aws:TagKeys=a,b") == "Allow"
    assert decision("ec2:CreateTags", "*", "--context", "aws:TagKeys=a") == "ImplicitDeny"
    assert decision("ec2:CreateTags", "*", "--context-json", "aws:TagKeys=[]") == "ImplicitDeny"
    assert decision("s3:ListBucket", "arn:aws:s3:::bkt", "--context-json", 'aws:UserAgent="x,y"') == "Allow"
    # without the JSON form the commas make a list, which StringEquals does not match
    assert decision("s3:ListBucket", "arn:aws:s3:::bkt", "--context", "aws:UserAgent=x,y") == "ImplicitDeny"


def test_principal_tag_makes_the_policy_variable_work(run: Runner) -> None:
    base = ("--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--identity", "role.json")
    without = run(*base)
    assert _field(without.out, "decision") == "ImplicitDeny"
    assert _field(without.out, "missing context keys") == "aws:PrincipalTag/team"
    assert _field(run(*base, "--principal-tag", "team=blue").out, "decision") == "Allow"
    assert _field(run(*base, "--principal-tag", "team=red").out, "decision") == "ImplicitDeny"
    # a tag value may hold commas and `=`: it is one string
    ctx = _context(run, "--principal-tag", "team=a,b=c", "--principal-tag", "cost=")
    assert ctx["aws:PrincipalTag/team"] == "a,b=c" and ctx["aws:PrincipalTag/cost"] == ""
    assert ctx["aws:PrincipalArn"] == ROLE, "principal tags imply --principal-context"


def test_principal_context(run: Runner) -> None:
    assert _context(run) == {}
    derived = _context(run, "--principal-context")
    assert derived == iameval.principal_context(ROLE)
    base = ("--principal", ROLE, "--action", "sqs:SendMessage", "--identity", "role.json")
    assert _field(run(*base).out, "decision") == "ImplicitDeny"
    assert _field(run(*base, "--principal-context").out, "decision") == "Allow"
    # an explicit key wins over the derived one, whatever its case
    overridden = _context(run, "--principal-context", "--context", "aws:principalaccount=999999999999")
    assert overridden["aws:principalaccount"] == "999999999999"
    assert "aws:PrincipalAccount" not in overridden
    assert _field(
        run(*base, "--principal-context", "--context", "aws:PrincipalAccount=9").out, "decision"
    ) == ("ImplicitDeny")


def test_principal_tag_on_a_principal_without_tags_warns(run: Runner) -> None:
    result = run("--principal", "*", "--action", "s3:GetObject", "--principal-tag", "team=blue")
    assert result.code == 0
    assert "iameval: warning: --principal-tag: ignored" in result.err


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["--context", "aws:SourceIp"], ["--context: `aws:SourceIp` is not KEY=VALUE"]),
        (["--context", "=x"], ["--context: `=x` is not KEY=VALUE"]),
        (
            ["--context", "aws:SourceIp=1", "--context", "AWS:SOURCEIP=2"],
            ["--context: AWS:SOURCEIP: given twice (also by --context"],
        ),
        (
            ["--context", "k=1", "--context-json", 'K="2"'],
            ["--context-json: K: given twice (also by --context"],
        ),
        (
            ["--context-json", "k=[1]"],
            ["--context-json: k: the value must be a JSON string or a list of strings"],
        ),
        (["--context-json", "k={}"], ["--context-json: k: the value must be"]),
        (["--context-json", "k=abc"], ["--context-json: k: invalid JSON at column 1"]),
        (["--context-json", 'k=["a", "a"'], ["--context-json: k: invalid JSON at column"]),
        (["--principal-tag", "team"], ["--principal-tag: `team` is not KEY=VALUE"]),
        (["--principal-tag", "a=1", "--principal-tag", "A=2"], ["--principal-tag: A: given twice"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and v and v[0].startswith("--") else None,
)
def test_context_errors(run: Runner, argv: list[str], fragments: list[str]) -> None:
    result = run("--principal", ROLE, "--action", "s3:GetObject", *argv)
    _assert_bad_input(result, *fragments)


def test_every_context_problem_is_reported(run: Runner) -> None:
    result = run(
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--context",
        "a",
        "--context-json",
        "b=1",
        "--principal-tag",
        "c",
    )
    _assert_bad_input(result, "--context: `a`", "--context-json: b:", "--principal-tag: `c`")
    assert len(result.err.splitlines()) == 3


# -- several questions: the table --------------------------------------------------------------------------------


def _table(out: str) -> tuple[list[str], list[list[str]]]:
    """The header and body rows of a table (cells cut at the header's column starts; the lines of a cell that
    holds several joined with newlines); the lines above the header and the summary below are skipped."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.strip() and set(line.strip()) <= {"─"})
    header_line = lines[rule - 1]
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header_line)]
    header = [header_line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
    rows: list[list[str]] = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        cells = [
            line[a:b].strip() if b is not None else line[a:].strip()
            for a, b in zip(starts, [*starts[1:], None], strict=True)
        ]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [f"{old}\n{new}" if new else old for old, new in zip(rows[-1], cells, strict=True)]
    return header, rows


def _table_rows(out: str) -> list[list[str]]:
    return _table(out)[1]


def test_table_every_action_by_every_resource(run_both: Runner) -> None:
    red = "arn:aws:s3:::bkt/red/key"
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:PutObject",
        "--resource", OBJECT, "--resource", red, "--identity", "role.json", "--scp", "root.json,ou.json",
        "--principal-tag", "team=blue", "--context", "aws:SourceIp=10.0.0.1",
    )  # fmt: skip
    assert result.code == 0, result
    assert result.out.startswith(f"principal: {ROLE}\n\n")
    header, rows = _table(result.out)
    assert header == ["action", "resource", "decision", "decided by", "matched statements", "missing keys"]
    assert rows == [
        [
            "s3:GetObject", OBJECT, "Allow", "identity",
            "root.json#0 Allow\nou.json#0 (AllowAll) Allow\nrole.json#0 (ReadTeam) Allow", "-",
        ],
        ["s3:GetObject", red, "ImplicitDeny", "default", "root.json#0 Allow\nou.json#0 (AllowAll) Allow", "-"],
        ["s3:PutObject", OBJECT, "ExplicitDeny", "scp", "ou.json#1 (DenyOutsideRegions) Deny", "aws:RequestedRegion"],
        ["s3:PutObject", red, "ExplicitDeny", "scp", "ou.json#1 (DenyOutsideRegions) Deny", "aws:RequestedRegion"],
    ]  # fmt: skip
    assert result.out.endswith("\n\n4 requests: 1 Allow, 2 ExplicitDeny, 1 ImplicitDeny\n")
    assert not ANSI.search(result.out)


def test_actions_file(run: Runner, files: Path) -> None:
    (files / "actions.txt").write_text(
        "# what the app does\ns3:GetObject\n\n  s3:PutObject   # uploads\n#s3:DeleteObject\n",
        encoding="utf-8",
    )
    result = run(
        "--principal", ROLE, "--action", "sqs:SendMessage", "--actions-file", "actions.txt",
        "--resource", OBJECT, "--identity", "role.json", "--principal-tag", "team=blue",
    )  # fmt: skip
    assert [r[:3] for r in _table_rows(result.out)] == [
        ["sqs:SendMessage", OBJECT, "Allow"],
        ["s3:GetObject", OBJECT, "Allow"],
        ["s3:PutObject", OBJECT, "ImplicitDeny"],
    ]
    # one action in the file and one resource: the detailed report
    (files / "one.txt").write_text("s3:GetObject\n", encoding="utf-8")
    single = run("--principal", ROLE, "--actions-file", "one.txt", "--resource", OBJECT)
    assert _field(single.out, "decision") == "ImplicitDeny"


def test_table_expect_column_and_exit_1(run_both: Runner) -> None:
    argv = (
        "--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:DeleteObject",
        "--resource", OBJECT, "--identity", "role.json", "--principal-tag", "team=blue",
    )  # fmt: skip
    result = run_both(*argv, "--expect", "Deny")
    assert result.code == 1, result
    header, rows = _table(result.out)
    assert header[-1] == "expected Deny"
    assert [(r[0], r[2], r[-1]) for r in rows] == [
        ("s3:GetObject", "Allow", "MISMATCH"),
        ("s3:DeleteObject", "ImplicitDeny", "ok"),
    ]
    assert (
        "\n2 requests: 1 Allow, 0 ExplicitDeny, 1 ImplicitDeny; 1 of 2 expected decisions hold (--expect Deny)\n"
        in (result.out)
    )
    assert "Traceback" not in result.err
    assert run_both(*argv[:4], *argv[6:], "--expect", "Allow").code == 0


def test_wide_table(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ("--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:PutObject", "--resource", OBJECT,
            "--identity", "role.json", "--scp", "root.json,ou.json", "--principal-tag", "team=blue")  # fmt: skip
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run(*argv)
    wide = run(*argv, "--wide")
    assert narrow.code == wide.code == 0
    # the long columns (resource, matched statements, missing keys) wrap; --wide keeps each cell whole
    # (each wrapped column keeps at least 10 characters: a little wider than 60 here)
    assert max(len(line) for line in narrow.out.splitlines()) <= 90
    assert max(len(line) for line in wide.out.splitlines()) > 120
    assert "ou.json#1 (DenyOutsideRegions) Deny" not in narrow.out
    assert "ou.json#1 (DenyOutsideRegions) Deny" in wide.out
    monkeypatch.delenv("COLUMNS")
    assert _table_rows(wide.out) == _table_rows(run(*argv).out), "no width limit off a terminal"


def test_table_trace(run: Runner) -> None:
    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:PutObject", "--resource", OBJECT,
        "--identity", "role.json", "--trace",
    )  # fmt: skip
    assert f"trace of s3:GetObject on {OBJECT}:\n  identity\n    [0]#0 (ReadTeam) Allow" in result.out
    assert f"trace of s3:PutObject on {OBJECT}:" in result.out
    assert "policy files:\n  identity[0]  role.json\n" in result.out


# -- --expect ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "expect", "code"),
    [
        ("s3:GetObject", "Allow", 0),
        ("s3:GetObject", "Deny", 1),
        ("s3:PutObject", "Deny", 0),
        ("s3:PutObject", "ExplicitDeny", 0),
        ("s3:PutObject", "ImplicitDeny", 1),
        ("s3:PutObject", "Allow", 1),
        ("s3:DeleteObject", "Deny", 0),
        ("s3:DeleteObject", "ImplicitDeny", 0),
        ("s3:DeleteObject", "ExplicitDeny", 1),
    ],
)
def test_expect(run: Runner, action: str, expect: str, code: int) -> None:
    result = run(
        "--principal", ROLE, "--action", action, "--resource", OBJECT, "--identity", "role.json",
        "--scp", "root.json", "--scp", "ou.json", "--principal-tag", "team=blue", "--expect", expect,
    )  # fmt: skip
    assert result.code == code
    assert _field(result.out, "expected") == f"{expect} — " + ("holds" if code == 0 else "does NOT hold")
    as_json = run(
        "--principal", ROLE, "--action", action, "--resource", OBJECT, "--identity", "role.json",
        "--scp", "root.json", "--scp", "ou.json", "--principal-tag", "team=blue", "--expect", expect,
        "--format", "json",
    )  # fmt: skip
    assert as_json.code == code
    assert as_json.json()["expected"] == expect and as_json.json()["ok"] is (code == 0)


def test_expect_is_checked_by_argparse(run: Runner) -> None:
    result = run("--principal", ROLE, "--action", "s3:GetObject", "--expect", "allow")
    assert result.code == 2 and "invalid choice" in result.err


# -- JSON --------------------------------------------------------------------------------------------------------


def test_json_document(run_both: Runner) -> None:
    result = run_both(
        "--principal", ROLE, "--action", "s3:PutObject", "--resource", OBJECT, "--identity", "role.json",
        "--scp", "root.json", "--scp", "ou.json", "--format", "json", "--principal-account", "111111111111",
    )  # fmt: skip
    assert result.code == 0
    doc = result.json()
    assert set(doc) == {"request", "result", "explanation", "policies", "expected", "ok"}
    assert doc["request"] == {
        "principal": ROLE,
        "action": "s3:PutObject",
        "resource": OBJECT,
        "context": {},
        "principal_account": "111111111111",
        "resource_account": None,
    }
    assert doc["result"]["decision"] == "ExplicitDeny" and doc["result"]["decided_by"] == "scp"
    assert doc["result"]["matched"] == [
        {
            "policy_type": "scp",
            "policy_index": 0,
            "statement_index": 1,
            "sid": "DenyOutsideRegions",
            "effect": "Deny",
            "level": 1,
        }
    ]
    assert doc["result"]["missing_context_keys"] == ["aws:RequestedRegion", "aws:SourceIp"]
    assert "trace" not in doc["result"]
    assert doc["explanation"] == EXPLANATIONS["scp", "ExplicitDeny"]
    assert doc["policies"] == {"identity[0]": "role.json", "scps[0][0]": "root.json", "scps[1][0]": "ou.json"}
    assert doc["expected"] is None and doc["ok"] is None


def test_json_lines_for_several(run: Runner) -> None:
    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--action", "s3:PutObject", "--resource", OBJECT,
        "--resource", "arn:aws:s3:::bkt/red/k", "--identity", "role.json", "--format", "json", "--trace",
        "--expect", "ImplicitDeny", "--principal-tag", "team=blue",
    )  # fmt: skip
    assert result.code == 1
    lines = result.json_lines()
    assert len(lines) == 4 == len(result.out.splitlines())
    assert [(d["request"]["action"], d["request"]["resource"]) for d in lines] == [
        ("s3:GetObject", OBJECT),
        ("s3:GetObject", "arn:aws:s3:::bkt/red/k"),
        ("s3:PutObject", OBJECT),
        ("s3:PutObject", "arn:aws:s3:::bkt/red/k"),
    ]
    assert [d["ok"] for d in lines] == [False, True, True, True]
    assert all("trace" in d["result"] for d in lines)


def test_json_trace_is_the_engines(run: Runner) -> None:
    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--identity", "role.json",
        "--format", "json", "--trace",
    )  # fmt: skip
    ps = iameval.PolicySet(identity=[IDENTITY])
    expected = ps.evaluate(iameval.Request(ROLE, "s3:GetObject", OBJECT), trace=True).to_dict()
    assert result.json()["result"] == expected


def test_text_trace(run_both: Runner) -> None:
    result = run_both(
        "--principal", ROLE, "--action", "s3:PutObject", "--resource", OBJECT, "--identity", "role.json",
        "--scp", "root.json", "--scp", "ou.json", "--context", "aws:SourceIp=10.0.0.1", "--trace",
    )  # fmt: skip
    assert result.code == 0
    ps = iameval.PolicySet(identity=[IDENTITY], scps=[[ALLOW_ALL], [OU_SCP]])
    trace = ps.evaluate(
        iameval.Request(ROLE, "s3:PutObject", OBJECT, {"aws:SourceIp": "10.0.0.1"}), trace=True
    ).trace
    assert trace is not None
    indented = "\n".join("  " + line for line in str(trace).splitlines())
    assert "trace:\n" + indented + "\n" in result.out
    assert (
        "policy files:\n  identity[0]  role.json\n  scps[0][0]   root.json\n  scps[1][0]   ou.json\n"
        in result.out
    )
    assert "condition true  StringNotEquals aws:RequestedRegion [`eu-west-1`] <- missing" in result.out


# -- engines -----------------------------------------------------------------------------------------------------


QUERIES = [
    ("--action", "s3:GetObject", "--resource", OBJECT, "--principal-tag", "team=blue"),
    ("--action", "s3:PutObject", "--resource", OBJECT, "--context", "aws:SourceIp=10.0.0.1"),
    (
        "--action",
        "s3:DeleteObject",
        "--action",
        "ec2:CreateTags",
        "--context",
        "aws:TagKeys=a,b",
        "--resource",
        OBJECT,
    ),
    ("--action", "s3:GetObject", "--resource", OBJECT, "--principal-account", "222222222222"),
]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_reference_engine_agrees(run: Runner, query: tuple[str, ...]) -> None:
    argv = (
        "--principal", ROLE, *query, "--identity", "role.json", "--scp", "root.json", "--scp", "ou.json",
        "--resource-policy", "bucket.json", "--boundary", "boundary.json", "--format", "json", "--trace",
    )  # fmt: skip
    default = run(*argv)
    reference = run(*argv, "--engine", "reference")
    assert default.code == reference.code == 0
    assert default.out == reference.out
    text = run(*argv[:-3])
    assert text.out == run(*argv[:-3], "--engine", "reference").out


def test_every_deciding_layer_is_explained() -> None:
    """Every (decided_by, decision) the engine gives on the repository's vectors has an explanation."""
    seen = set()
    for _, case in load_vectors(Path(__file__).parent / "vectors"):
        try:
            result = iameval.PolicySet.from_vector(case["policies"]).evaluate(case["request"])
        except (iameval.PolicyError, iameval.RequestError):
            continue
        seen.add((result.decided_by, result.decision.value))
    assert len(seen) > 10
    assert seen <= set(EXPLANATIONS), seen - set(EXPLANATIONS)


# -- standard input ----------------------------------------------------------------------------------------------


def test_stdin_policy(run_both: Runner) -> None:
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--identity", "-",
        "--principal-tag", "team=blue", stdin=json.dumps(IDENTITY),
    )  # fmt: skip
    assert result.code == 0, result
    assert _field(result.out, "decision") == "Allow"
    assert "  Allow identity: - statement #0 (ReadTeam)\n" in result.out


def test_stdin_actions_file(run_both: Runner) -> None:
    result = run_both(
        "--principal", ROLE, "--actions-file", "-", "--resource", OBJECT, "--identity", "role.json",
        "--principal-tag", "team=blue", stdin="s3:GetObject\n# x\ns3:PutObject\n",
    )  # fmt: skip
    assert result.code == 0, result
    assert [r[2] for r in _table_rows(result.out)] == ["Allow", "ImplicitDeny"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--identity", "-", "--identity", "-"],
        ["--identity", "-", "--scp", "root.json,-"],
        ["--actions-file", "-", "--boundary", "-"],
        ["--actions-file", "-", "--actions-file", "-"],
        ["--resource-policy", "-", "--block-public-access", "-"],
    ],
    ids=["identity-twice", "identity-and-scp", "actions-and-boundary", "actions-twice", "resource-and-bpa"],
)
def test_stdin_twice_is_bad_input(run_both: Runner, argv: list[str]) -> None:
    result = run_both("--principal", ROLE, "--action", "s3:GetObject", *argv, stdin=json.dumps(ALLOW_ALL))
    _assert_bad_input(result, "iameval: error: -: standard input is already read as ")


# -- bad input ---------------------------------------------------------------------------------------------------


def test_unreadable_files_are_all_reported(run_both: Runner, files: Path) -> None:
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--identity", "nope.json", "--identity", "role.json",
        "--scp", "root.json,missing.json", "--boundary", str(files),
    )  # fmt: skip
    _assert_bad_input(
        result,
        "iameval: error: nope.json: cannot read file: No such file or directory",
        "iameval: error: missing.json: cannot read file",
        f"iameval: error: {files}: cannot read file",
    )
    assert len(result.err.splitlines()) == 3


@pytest.mark.parametrize("option", ["--actions-file", "--block-public-access"])
def test_other_unreadable_files(run: Runner, option: str) -> None:
    _assert_bad_input(
        run("--principal", ROLE, "--action", "s3:GetObject", option, "nope.txt"), "nope.txt: cannot read"
    )


def test_invalid_json_with_line_and_column(run_both: Runner, files: Path) -> None:
    (files / "broken.json").write_text('{\n  "Version": "2012-10-17",\n  "Statement": [}\n', encoding="utf-8")
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--identity", "role.json", "--session", "broken.json"
    )
    _assert_bad_input(result, "iameval: error: broken.json: invalid JSON at line 3 column 17")


def test_duplicate_key_and_not_utf8(run: Runner, files: Path) -> None:
    (files / "dup.json").write_text(
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}}',
        encoding="utf-8",
    )
    (files / "latin1.json").write_bytes(b'{"Version": "2012-10-17", "Statement": [], "x": "\xe9"}')
    result = run(
        "--principal", ROLE, "--action", "s3:GetObject", "--identity", "dup.json", "--boundary", "latin1.json"
    )
    _assert_bad_input(
        result, "iameval: error: dup.json: /Statement/Effect: duplicate key `Effect`", "latin1.json: "
    )


def test_policy_errors_are_located_in_their_files(run_both: Runner, files: Path) -> None:
    bad_effect = {"Version": V, "Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]}
    no_principal = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    bad_operator = {
        "Version": V,
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEqual": {"a": "b"}}}
        ],
    }
    for name, doc in [
        ("bad-effect.json", bad_effect),
        ("no-principal.json", no_principal),
        ("op.json", bad_operator),
    ]:
        (files / name).write_text(json.dumps(doc), encoding="utf-8")
    result = run_both(
        "--principal", ROLE, "--action", "s3:GetObject", "--identity", "role.json", "--identity", "op.json",
        "--scp", "root.json", "--scp", "ou.json,bad-effect.json", "--resource-policy", "no-principal.json",
    )  # fmt: skip
    _assert_bad_input(
        result,
        "iameval: error: op.json: /Statement/0/Condition/StringEqual: ",
        "iameval: error: bad-effect.json: /Statement/0/Effect: ",
        "iameval: error: no-principal.json: /Statement/0",
    )
    assert "role.json" not in result.err and "ou.json" not in result.err


def test_block_public_access_file_errors(run: Runner, files: Path) -> None:
    (files / "bpa.json").write_text(
        json.dumps({"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": "yes"}}), encoding="utf-8"
    )
    (files / "bpa2.json").write_text('{"RestrictPublicBuckets": true,\n "Bogus": true}', encoding="utf-8")
    (files / "bpa3.json").write_text('{"RestrictPublicBuckets": tru}', encoding="utf-8")
    argv = ("--principal", ROLE, "--action", "s3:GetObject")
    _assert_bad_input(
        run(*argv, "--block-public-access", "bpa.json"),
        "bpa.json: /PublicAccessBlockConfiguration/RestrictPublicBuckets: ",
    )
    _assert_bad_input(run(*argv, "--block-public-access", "bpa2.json"), "bpa2.json: /Bogus: ")
    _assert_bad_input(
        run(*argv, "--block-public-access", "bpa3.json"), "bpa3.json: invalid JSON at line 1 column"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ["--principal", "alice", "--action", "s3:GetObject"],
            "iameval: error: --principal: `alice` is not a principal",
        ),
        (["--principal", "alice", "--action", "s3:GetObject", "--principal-context"], "--principal: `alice`"),
        (["--principal", ROLE, "--action", "nocolon"], "iameval: error: --action: action `nocolon` must be"),
        (["--principal", ROLE, "--action", "s3:GetObject", "--resource", ""], "iameval: error: --resource: "),
        (["--principal", ROLE, "--action", "s3:GetObject", "--scp", "root.json,"], "iameval: error: --scp: "),
        (["--principal", ROLE, "--action", "s3:GetObject", "--rcp", ",rcp.json"], "iameval: error: --rcp: "),
        (["--principal", ROLE], "iameval: error: --action: at least one action is needed"),
    ],
    ids=["principal", "principal-context", "action", "resource", "scp-level", "rcp-level", "no-action"],
)
def test_bad_request_options(run: Runner, argv: list[str], fragment: str) -> None:
    _assert_bad_input(run(*argv), fragment)


def test_bad_actions_in_a_file_are_located_by_line(run: Runner, files: Path) -> None:
    (files / "actions.txt").write_text(
        "s3:GetObject\n# fine\nnot an action\ns3:PutObject\nalso-bad\n", encoding="utf-8"
    )
    (files / "empty.txt").write_text("# nothing\n\n", encoding="utf-8")
    result = run(
        "--principal", ROLE, "--actions-file", "actions.txt", "--resource", OBJECT, "--resource", "*"
    )
    _assert_bad_input(result, "actions.txt: line 3: action `not an action` must be", "actions.txt: line 5: ")
    assert len(result.err.splitlines()) == 2, "each bad action once, whatever the number of resources"
    _assert_bad_input(
        run("--principal", ROLE, "--actions-file", "empty.txt"), "empty.txt: no actions in the file"
    )
    (files / "bin.txt").write_bytes(b"s3:Get\xffObject\n")
    _assert_bad_input(run("--principal", ROLE, "--actions-file", "bin.txt"), "bin.txt: not UTF-8 text")


def test_a_bad_principal_is_reported_once(run: Runner) -> None:
    result = run(
        "--principal",
        "bob",
        "--action",
        "s3:GetObject",
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::a",
        "--resource",
        "arn:aws:s3:::b",
    )
    _assert_bad_input(result, "--principal: ")
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["--action", "s3:GetObject"],
        ["--principal", ROLE, "--action"],
        ["--principal", ROLE, "--action", "s3:GetObject", "--format", "yaml"],
        ["--principal", ROLE, "--action", "s3:GetObject", "--engine", "rust"],
        ["--principal", ROLE, "--action", "s3:GetObject", "--bogus"],
    ],
    ids=["no-principal", "action-without-value", "format", "engine", "unknown-option"],
)
def test_usage_errors(run_both: Runner, argv: list[str]) -> None:
    result = run_both(*argv)
    assert result.code == 2
    assert (
        "usage: iameval" in result.err
    )  # argparse: the query usage, or the top-level one for an unknown option
    assert "Traceback" not in result.err
    assert result.out == ""


def test_help(run: Runner) -> None:
    result = run("--help")
    assert result.code == 0
    for option in (
        "--principal", "--action", "--actions-file", "--resource", "--context", "--context-json", "--principal-tag",
        "--principal-context", "--principal-account", "--resource-account", "--identity", "--resource-policy",
        "--boundary", "--session", "--scp", "--rcp", "--vpc-endpoint", "--block-public-access", "--trace",
        "--expect", "--format", "--wide", "--engine",
    ):  # fmt: skip
        assert option in result.out, option


# -- colour --------------------------------------------------------------------------------------------------------


def test_colour_only_on_a_terminal(files: Path) -> None:
    """Not a terminal: no escape at all; FORCE_COLOR (a terminal, for rich): the decision in colour; NO_COLOR:
    no colour, even then."""
    argv = ("--principal", ROLE, "--action", "s3:GetObject", "--resource", OBJECT, "--identity", "role.json",
            "--principal-tag", "team=blue", "--expect", "Allow")  # fmt: skip
    plain = _subprocess(files)(*argv)
    assert plain.code == 0 and not ANSI.search(plain.out)
    table = _subprocess(files)(*argv, "--action", "s3:PutObject")
    assert table.code == 1 and not ANSI.search(table.out)
    forced = _subprocess(files, FORCE_COLOR="1")(*argv)
    assert COLOUR.search(forced.out), "the check below would be vacuous"
    for extra in ((), ("--action", "s3:PutObject")):
        no_colour = _subprocess(files, FORCE_COLOR="1", NO_COLOR="1")(*argv, *extra)
        assert not COLOUR.search(no_colour.out), no_colour.out
        assert "Allow" in no_colour.out
