"""``.iameval.toml``: which findings ``iameval lint`` leaves out.

The file is looked for in the current directory, then in each parent; the first one found is used::

    [lint]
    ignore = ["MISSING_VERSION"]            # codes never reported
    fail-on = "error"                       # default for --fail-on

    [lint.per-file]                         # glob (relative to the file's directory) -> codes
    "legacy/**/*.json" = ["UNSUPPORTED_SID"]

    [lint.per-sid]                          # statement Sid -> codes left out for that statement only
    "AllowAdmin" = ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CONFIG_NAME", "ConfigError", "LintConfig", "find_config", "load_config"]

CONFIG_NAME = ".iameval.toml"


class ConfigError(ValueError):
    """The configuration file cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class LintConfig:
    """``ignore``: codes left out everywhere; ``per_file``: glob -> codes; ``per_sid``: Sid -> codes;
    ``fail_on``: the default ``--fail-on`` (None: the command's default); ``root``: the file's directory."""

    ignore: frozenset[str] = frozenset()
    per_file: Mapping[str, frozenset[str]] = field(default_factory=dict)
    per_sid: Mapping[str, frozenset[str]] = field(default_factory=dict)
    fail_on: str | None = None
    root: Path | None = None
    path: Path | None = None

    def ignored_for(self, file: str) -> frozenset[str]:
        """The codes left out for ``file``: ``ignore`` plus every ``per-file`` glob that matches its path
        relative to the configuration's directory (or its name)."""
        codes = set(self.ignore)
        if self.per_file:
            try:
                relative = Path(os.path.relpath(Path(file).resolve(), self.root)).as_posix() if self.root else file
            except ValueError:
                relative = file
            for glob, more in self.per_file.items():
                if fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(Path(file).name, glob):
                    codes.update(more)
        return frozenset(codes)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.iameval.toml`` in ``start`` (default: the current directory) or its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _codes(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{where}` must be a list of codes")
    return frozenset(v.strip().upper() for v in value)


def _table(value: Any, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"`{where}` must be a table")
    return {str(k): _codes(v, f"{where}.{k}") for k, v in value.items()}


def load_config(path: Path) -> LintConfig:
    """Read ``path``; raise :class:`ConfigError` with a one-line message when it is not a valid file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read `{path}`: {exc}") from None
    section = data.get("lint", {})
    if not isinstance(section, dict):
        raise ConfigError("`lint` must be a table")
    known = {"ignore", "per-file", "per-sid", "fail-on"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"unknown setting `lint.{unknown[0]}`: expected one of {', '.join(sorted(known))}")
    fail_on = section.get("fail-on")
    if fail_on is not None and not isinstance(fail_on, str):
        raise ConfigError("`lint.fail-on` must be a string")
    return LintConfig(
        ignore=_codes(section.get("ignore", []), "lint.ignore"),
        per_file=_table(section.get("per-file", {}), "lint.per-file"),
        per_sid=_table(section.get("per-sid", {}), "lint.per-sid"),
        fail_on=fail_on,
        root=path.parent.resolve(),
        path=path,
    )
