"""Compare ``iameval lint`` with parliament and iam-policy-validator on the same inputs; write LINT_COMPARISON.md.

    python benches/lint_comparison.py [--venv /tmp/lintcmp] [--data ../shared/data] [--output FILE.md]

The two other tools live in their own virtual environment (``python3 -m venv /tmp/lintcmp &&
/tmp/lintcmp/bin/pip install parliament iam-policy-validator``); iameval runs from the interpreter running this
script. Each tool runs in a subprocess (its wall time includes interpreter start, imports and loading its data):

- iameval: ``iameval.lint.lint`` on every file, kind ``auto`` (AWS's catalog loaded as the CLI would);
- parliament: ``parliament.analyze_policy_string`` on every file (its CLI's ``--directory`` mode stops at the
  first policy it raises on, so each file is analysed on its own and an exception counts as ``EXCEPTION``);
- iam-policy-validator: ``iam-validator validate --path DIR --format json --aws-services-dir DIR``, where the
  services directory is ``../shared/data/service-reference`` (AWS's official per-service JSON, the format its
  ``sync-services`` command downloads) linked into a temporary directory with the ``_services.json`` index it
  expects. With it the validator makes no network request (without it, it downloads AWS's service reference).

Inputs: every ``*.json`` under ``tricky/`` (findings per file) and under ``aws-managed-policies/`` (time).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV = "/tmp/lintcmp"

_IAMEVAL = """
import json, sys
from pathlib import Path
from iameval.lint import lint
out = {}
for name in sys.argv[1:]:
    out[name] = [f.code for f in lint(Path(name).read_bytes(), "auto", file=name)]
print(json.dumps(out))
"""

_PARLIAMENT = """
import json, sys
from pathlib import Path
from parliament import analyze_policy_string
out = {}
for name in sys.argv[1:]:
    try:
        policy = analyze_policy_string(Path(name).read_text(encoding="utf-8", errors="replace"), name)
        out[name] = [f.issue for f in policy.findings]
    except Exception:
        out[name] = ["EXCEPTION"]
print(json.dumps(out))
"""


def _files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.rglob("*.json"))]


def _timed(argv: list[str], **kwargs: Any) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    return done, time.perf_counter() - start


def _run_script(python: str, script: str, files: list[str]) -> tuple[dict[str, list[str]], float]:
    done, seconds = _timed([python, "-c", script, *files])
    if done.returncode != 0:
        raise RuntimeError(f"`{python}` failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result, seconds


def _service_dir(reference: Path, target: Path) -> Path:
    """``reference``'s per-service files linked into ``target`` with the ``_services.json`` index that
    iam-policy-validator reads from ``--aws-services-dir``."""
    names = sorted(p.stem for p in reference.glob("*.json"))
    for name in names:
        os.symlink(reference / f"{name}.json", target / f"{name}.json")
    index = [{"service": n, "url": f"https://servicereference.us-east-1.amazonaws.com/v1/{n}/{n}.json"} for n in names]
    (target / "_services.json").write_text(json.dumps(index), encoding="utf-8")
    return target


def _run_validator(venv: Path, folder: Path, services: Path) -> tuple[dict[str, list[str]], float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        done, seconds = _timed([str(venv / "bin" / "iam-validator"), "validate", "--path", str(folder),
                                "--format", "json", "--aws-services-dir", str(services), "-o", str(report)])
        out: dict[str, list[str]] = {}
        if report.exists():
            data = json.loads(report.read_text(encoding="utf-8"))
            for result in data.get("results", []):
                out[result["policy_file"]] = [i.get("issue_type", "?") for i in result.get("issues", [])]
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        return out, seconds, (lines[-1] if done.returncode not in (0, 1) and lines else "")


def _versions() -> str:
    """The versions compared: iameval's commit and the two PyPI packages'."""
    from importlib.metadata import version

    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    others = subprocess.run([str(Path(VENV) / "bin" / "pip"), "list", "--format", "json"], capture_output=True,
                            text=True, check=False).stdout
    found = {p["name"].lower(): p["version"] for p in json.loads(others or "[]")}
    return (f"iameval {version('iameval')} (commit {commit or '?'}), parliament {found.get('parliament', '?')}, "
            f"iam-policy-validator {found.get('iam-policy-validator', '?')}")


def _checks(venv: Path) -> dict[str, tuple[int, str]]:
    """Checks each tool ships: a count and what they are grouped by."""
    import iameval.lint.checks  # noqa: F401 - registers every check
    from iameval.lint.registry import RULES

    families = Counter(rule.family for rule in RULES.values())
    aws = sum(rule.aws for rule in RULES.values())
    site = next((venv / "lib").glob("python3*/site-packages"))
    parliament_codes = [line[:-1] for line in (site / "parliament" / "config.yaml").read_text().splitlines()
                        if line.endswith(":") and line[:1].isupper()]
    validator_checks = sorted(
        line.split('"')[1]
        for path in (site / "iam_validator" / "checks").glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "check_id: ClassVar[str] =" in line
    )
    return {
        "iameval lint": (len(RULES), f"{aws} of Access Analyzer's 153 codes + {len(RULES) - aws} own; families: "
                         + ", ".join(f"{f} {n}" for f, n in families.most_common())),
        "parliament": (len(parliament_codes), "issue codes of config.yaml (community auditors not counted): "
                       + ", ".join(f"`{c}`" for c in parliament_codes)),
        "iam-policy-validator": (len(validator_checks), "check classes: "
                                 + ", ".join(f"`{c}`" for c in validator_checks)),
    }


def _summary(found: dict[str, list[str]], files: list[str]) -> tuple[int, int, Counter[str]]:
    codes: Counter[str] = Counter(c for name in files for c in found.get(name, []))
    flagged = sum(1 for name in files if found.get(name))
    return sum(codes.values()), flagged, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--venv", default="/tmp/lintcmp")
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--output", default=str(REPO / "benches" / "LINT_COMPARISON.md"))
    args = parser.parse_args(argv)
    global VENV
    VENV = args.venv
    venv, data = Path(args.venv), Path(args.data).resolve()
    tricky, managed = data / "tricky", data / "aws-managed-policies"
    tricky_files, managed_files = _files(tricky), _files(managed)
    python = str(venv / "bin" / "python")
    with tempfile.TemporaryDirectory() as tmp:
        services = _service_dir(data / "service-reference", Path(tmp))
        results: dict[str, dict[str, list[str]]] = {}
        times: dict[str, dict[str, float]] = {}
        notes: dict[str, str] = {}
        for label, folder, files in (("tricky", tricky, tricky_files), ("managed", managed, managed_files)):
            found, t_i = _run_script(sys.executable, _IAMEVAL, files)
            results.setdefault("iameval lint", {}).update(found)
            found, t_p = _run_script(python, _PARLIAMENT, files)
            results.setdefault("parliament", {}).update(found)
            found, t_v, problem = _run_validator(venv, folder, services)
            results.setdefault("iam-policy-validator", {}).update(found)
            if problem:
                notes[f"iam-policy-validator {label}"] = problem
            times[label] = {"iameval lint": t_i, "parliament": t_p, "iam-policy-validator": t_v}
    text = _render(_checks(venv), results, times, notes, tricky_files, managed_files, data)
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


def _render(
    checks: dict[str, tuple[int, str]],
    results: dict[str, dict[str, list[str]]],
    times: dict[str, dict[str, float]],
    notes: dict[str, str],
    tricky_files: list[str],
    managed_files: list[str],
    data: Path,
) -> str:
    tools = list(checks)
    out = ["# iameval lint vs parliament vs iam-policy-validator", "",
           "Generated by `python benches/lint_comparison.py` (how each tool is run, and offline: its docstring) "
           f"with {_versions()}.",
           "", "## Checks supported", "", "| tool | checks | what |", "|---|---|---|"]
    out += [f"| {tool} | {n} | {what} |" for tool, (n, what) in checks.items()]
    out += ["", f"## Findings on `tricky/` ({len(tricky_files)} files)", "",
            "| tool | findings | files with findings | most frequent codes |", "|---|---|---|---|"]
    for tool in tools:
        total, flagged, codes = _summary(results[tool], tricky_files)
        top = ", ".join(f"`{c}` {n}" for c, n in codes.most_common(6))
        out.append(f"| {tool} | {total} | {flagged} | {top} |")
    out += ["", "Per file (number of findings; `!` = the tool raised on the file):", "",
            "| file | " + " | ".join(tools) + " |", "|---|" + "---|" * len(tools)]
    for name in tricky_files:
        cells = []
        for tool in tools:
            codes = results[tool].get(name)
            cells.append("-" if codes is None else "!" if codes == ["EXCEPTION"] else str(len(codes)))
        out.append(f"| `{Path(name).relative_to(data / 'tricky')}` | " + " | ".join(cells) + " |")
    out += ["", "`-`: the tool reported nothing for the file (iam-policy-validator lists only the policies it loaded).",
            "", "## Wall time (one process per tool and input set, start-up and data loading included)", "",
            "| tool | tricky/ (" + str(len(tricky_files)) + " files) | aws-managed-policies/ ("
            + str(len(managed_files)) + " files) | managed findings |", "|---|---|---|---|"]
    for tool in tools:
        total, _flagged, _codes = _summary(results[tool], managed_files)
        out.append(f"| {tool} | {times['tricky'][tool]:.2f} s | {times['managed'][tool]:.2f} s | {total} |")
    if notes:
        out += ["", "Errors the tools printed:", ""] + [f"- {k}: `{v[:200]}`" for k, v in notes.items()]
    out += ["", "## Notes", "", *NOTES]
    return "\n".join(out) + "\n"


NOTES = [
    "- iameval reports Access Analyzer's issue codes with JSON pointers and line:column spans into the exact "
    "text; parliament and iam-policy-validator use their own codes and locate findings by statement (or not).",
    "- parliament reads AWS's action data bundled in its release (`iam_definition.json`), so it reports "
    "recent actions and condition keys as unknown, and it raises on condition types its table does not know "
    "(`ArrayOfARN`); it has no resource-policy, SCP/RCP, quota, variable or redundancy checks.",
    "- iam-policy-validator is strongest on action/resource/condition-key validity against AWS's service "
    "reference and on opinionated security checks (sensitive actions without conditions, which iameval does "
    "not report); it does not place findings in the text and has no policy-variable, quota or redundancy "
    "checks of Access Analyzer's kind.",
    "- iameval's time is dominated by loading AWS's action catalog once per process (a few seconds here); "
    "without the catalog it lints all of `../shared/data` in about 2 s (`benches/lint_shared_data.py`). Its "
    "catalog checks (unknown actions, resource types, service condition keys) are still arriving, so its "
    "numbers move with them: rerun the script.",
    "- Counts are not comparable one to one: parliament reports every unknown action and condition key per "
    "statement, iam-policy-validator its own security opinions; iameval reports only Access Analyzer's codes "
    "(and the 8 of its own listed in README).",
]


if __name__ == "__main__":
    sys.exit(main())
