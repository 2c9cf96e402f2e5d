"""Users' code type-checks under ``mypy --strict`` against the installed iameval.

Checked, in one mypy run: ``tests/typing/user_script.py`` (a realistic script that uses every public name of
``iameval`` and ``iameval.reference``, with annotated assignments of the batch results), every ```python block
of README.md (each in its own file), and :data:`MUST_FAIL`, mistakes that mypy must report (so that a type
that decays to ``Any`` is caught: an ``Any`` satisfies every annotation).

How mypy is run, the way a user's project would run it:

- in process (``mypy.api.run``), from wherever pytest runs (the repository root in CI);
- ``--config-file=`` (empty): no configuration file is read. The repository's ``[tool.mypy]`` is for the
  package itself (its ``files=``, ``python_version``, ``warn_unreachable``); only ``--strict`` applies here;
- ``--python-executable sys.executable``: iameval is found where this interpreter imports it from, with its
  ``py.typed``, ``_core.pyi`` and sources: site-packages after ``pip install .`` (CI), or ``python/`` through
  the ``.pth`` file of an editable install (``make dev``). The repository root (mypy's first search directory)
  has no ``iameval`` of its own, so no other copy can be picked up. In both cases mypy reports no errors
  inside the package (it is installed); ``mypy`` and stubtest (``make lint``) check the package itself;
- a fresh cache directory, so that a stale cache never hides or invents an error.
"""

from __future__ import annotations

import ast
import importlib.resources
import re
import runpy
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import iameval
import iameval.reference
import mypy.api
import pytest
from test_readme import readme_blocks

USER_SCRIPT = Path(__file__).resolve().parent / "typing" / "user_script.py"

# Each line marked `# E: code` must get an error of that code, and no other line any error.
MUST_FAIL = """\
import numpy
import numpy.typing

import iameval
from iameval import reference

ps = iameval.PolicySet()
doc = {"Version": "2012-10-17", "Statement": []}
a: list[iameval.Decision] = ps.decide_many(["s3:GetObject"], ["*"], principal="p")  # E: assignment
b: numpy.typing.NDArray[numpy.uint8] = ps.decide_many(["a"], ["r"], principal="p", as_list=True)  # E: assignment
c: list[iameval.Decision] = iameval.evaluate_grid([ps], ["p"], ["a"], ["r"])  # E: assignment
d: numpy.typing.NDArray[numpy.uint8] = iameval.evaluate_grid([ps], ["p"], ["a"], ["r"], as_list=True)  # E: assignment
flag = len(doc) > 1
e: list[iameval.Decision] = ps.decide_many(["a"], ["r"], principal="p", as_list=flag)  # E: assignment
ps.decide_many([1, 2], ["*", "*"], principal="p")  # E: list-item
ps.decide_many(["a"], ["r"], principal="p", context_columns={"k": [1]})  # E: list-item
iameval.evaluate_grid([doc], ["p"], ["a"], ["r"])  # E: list-item
iameval.validate_policy(doc, kind="scps")  # E: arg-type
reference.validate_policy(doc, kind="bogus")  # E: arg-type
iameval.PolicySet(identity=doc)  # E: arg-type
reference.PolicySet(scps=[doc])  # E: list-item
iameval.is_public(42)  # E: arg-type
kinds: tuple[iameval.PolicyKind, ...] = ("identity", "role")  # E: assignment
r: int = ps.evaluate({"principal": "p", "action": "a"})  # E: assignment
"""


@dataclass(frozen=True)
class Checked:
    """The mypy run: its report, and the files checked (README blocks by their README line)."""

    stdout: str
    stderr: str
    status: int
    user_script: Path
    must_fail: Path
    readme: dict[Path, int]

    def errors(self) -> list[tuple[Path, str]]:
        """Each error line of the report with the file it is in (mypy prints a path relative to the current
        directory when the file is under it, else the path as given)."""
        out = []
        for line in self.stdout.splitlines():
            match = re.match(r"(.+?):\d+:(?:\d+:)? error: ", line)
            if match:
                out.append((Path(match.group(1)).resolve(), line))
        return out

    def errors_in(self, path: Path) -> list[str]:
        return [line for file, line in self.errors() if file == path.resolve()]

    def report(self) -> str:
        return f"mypy exit status {self.status}\n{self.stdout}{self.stderr}"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    root = tmp_path_factory.mktemp("typing")
    must_fail = root / "must_fail.py"
    must_fail.write_text(MUST_FAIL, encoding="utf-8")
    readme = {}
    for block in readme_blocks("python"):
        path = root / f"readme_line_{block.line}.py"
        path.write_text(block.code, encoding="utf-8")
        readme[path] = block.line
    args = [
        "--strict",
        "--config-file=",
        "--python-executable",
        sys.executable,
        "--cache-dir",
        str(root / "cache"),
        "--show-error-codes",
        "--no-error-summary",
        "--no-pretty",
        "--no-color-output",
        str(USER_SCRIPT),
        str(must_fail),
        *map(str, readme),
    ]
    stdout, stderr, status = mypy.api.run(args)
    yield Checked(stdout, stderr, status, USER_SCRIPT, must_fail, readme)


def test_installed_package_is_typed() -> None:
    package = importlib.resources.files("iameval")
    assert package.joinpath("py.typed").is_file(), f"no py.typed in {package}"
    assert package.joinpath("_core.pyi").is_file(), f"no _core.pyi in {package}"


def test_mypy_ran(checked: Checked) -> None:
    # status 1 is "errors found" (asserted on below, file by file); 2 is a crash or a usage error
    assert checked.status in (0, 1) and not checked.stderr, checked.report()
    ours = {
        checked.user_script.resolve(),
        checked.must_fail.resolve(),
        *(p.resolve() for p in checked.readme),
    }
    assert {file for file, _ in checked.errors()} <= ours, checked.report()
    # an iameval that mypy cannot find, or finds without its types, would make every check below vacuous
    for line in checked.stdout.splitlines():
        assert "import-not-found" not in line and "import-untyped" not in line, checked.report()


def test_user_script(checked: Checked) -> None:
    assert checked.errors_in(checked.user_script) == [], checked.report()


def _public_names(tree: ast.AST, module_name: str) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == module_name
    }


def test_user_script_uses_every_public_name() -> None:
    tree = ast.parse(USER_SCRIPT.read_text(encoding="utf-8"))
    assert set(iameval.__all__) - _public_names(tree, "iameval") == set()
    assert set(iameval.reference.__all__) - _public_names(tree, "reference") == set()


def test_user_script_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(USER_SCRIPT), run_name="__main__")
    assert f"iameval {iameval.__version__}" in capsys.readouterr().out


def test_readme_blocks(checked: Checked) -> None:
    assert len(checked.readme) >= 3
    problems = {
        f"README.md line {line}": checked.errors_in(path)
        for path, line in checked.readme.items()
        if checked.errors_in(path)
    }
    assert problems == {}, checked.report()


def test_mistakes_are_reported(checked: Checked) -> None:
    expected = {
        (number, match.group(1))
        for number, line in enumerate(MUST_FAIL.splitlines(), start=1)
        if (match := re.search(r"# E: ([a-z-]+)$", line))
    }
    found = set()
    for line in checked.errors_in(checked.must_fail):
        match = re.match(r".*?:(\d+):(?:\d+:)? error: .*\[([a-z-]+)\]$", line)
        assert match, line
        found.add((int(match.group(1)), match.group(2)))
    assert found == expected, checked.report()
