"""Real-world policies from ``../shared/data`` (see its README) parse with ``iameval.validate_policy``.

- every AWS managed policy (identity), SCP example, RCP example and resource-based policy parses, apart from
  the explicit list of expected failures below (sample templates whose placeholders are not valid values);
- ``tricky/``: the valid ones parse; the duplicate-key counter-examples (41-44) are rejected at the duplicated
  key's JSON pointer; the invalid-JSON ones (``tricky/invalid/``) are rejected with line and column;
- ``gaad/``: every inline, managed and trust policy document of the account authorization dumps parses.

Test ids are paths relative to ``shared/data``. The whole module is skipped when the data is not checked out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import iameval
import pytest
from iameval import PolicyError, PolicySet, validate_policy

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

if not DATA.is_dir():
    pytest.skip(f"shared data sets not present at {DATA}", allow_module_level=True)

#: policy folders and the kind their documents are validated as
FOLDERS = {
    "aws-managed-policies": "identity",
    "scp-examples": "scp",
    "rcp-examples": "rcp",
    "resource-policies": "resource",
}

_IP_PLACEHOLDER = (
    "sample template: placeholder `<my-corporate-cidr>` where NotIpAddress needs an IP address or CIDR"
)

_DP_SCP = "scp-examples/aws-samples-data-perimeter-policy-examples/"
_DP_RCP = "rcp-examples/aws-samples-data-perimeter-policy-examples/"
_RCP_SAMPLES = "rcp-examples/aws-samples-resource-control-policy-examples/"

#: Documents of the policy folders that do NOT validate, with the JSON pointers of every error and the reason.
#: IAM_RULES (grammar): "a policy value that cannot be read as its operator's type is a policy error", and AWS
#: rejects these documents too until the placeholders are filled in. Keep this list explicit: a document that
#: starts or stops failing makes the test fail.
EXPECTED_INVALID: dict[str, tuple[set[str], str]] = {
    # data-perimeter / network-perimeter SCP templates (aws-samples)
    f"{_DP_SCP}network_perimeter_sourcevpc_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_SCP}network_perimeter_vpceorgid_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_SCP}service_specific_controls/network_perimeter_ec2_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_SCP}service_specific_controls/network_perimeter_glue_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_SCP}service_specific_controls/network_perimeter_iam_users_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_SCP}service_specific_controls/network_perimeter_lambda_scp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    # same document as tricky/28
    "scp-examples/aws-samples-service-control-policy-examples/Protect-cloud-platform-resource/"
    "Deny-use-of-IAM-user-credentials-from-unexpected-networks.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    # network-perimeter RCP templates (aws-samples)
    f"{_DP_RCP}network_perimeter_sourcevpc_rcp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_RCP}network_perimeter_vpceorgid_rcp.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_RCP}service_specific_controls/api_gateway_policy.json": (
        {"/Statement/2/Condition/NotIpAddressIfExists/aws:SourceIp"},
        _IP_PLACEHOLDER,
    ),
    f"{_DP_RCP}service_specific_controls/sns_topic_policy.json": (
        {"/Statement/1/Condition/NotIpAddressIfExists/aws:SourceIp"},
        _IP_PLACEHOLDER,
    ),
    f"{_RCP_SAMPLES}Service-specific-controls/S3-Prevent-long-term-presigned-url.json": (
        {"/Statement/0/Condition/NumericGreaterThan/s3:signatureAge/0"},
        "sample template: placeholder `[MAX_SIGNATURE_AGE_IN_MILLISECONDS]` where NumericGreaterThan needs "
        "a number",
    ),
    # same document as tricky/36
    f"{_RCP_SAMPLES}Limit-access-to-trusted-OIDC-identity-providers/Shared-Issuers.json": (
        {"/Statement/19"},
        (
            "upstream mistake: the last statement (EnforceTrustedOIDCTenantGoogle, an Allow, which RCPs do "
            "not support either) has no Resource, like a trust-policy statement pasted into the RCP"
        ),
    ),
    # VPC endpoint policy template (aws-samples data-perimeter examples)
    "resource-policies/vpc-endpoint/aws-samples-data-perimeter-policy-examples/s3_endpoint_policy.json": (
        {"/Statement/4/Action", "/Statement/5/Action"},
        "sample template: placeholder `<action>` where an action `service:Name` is needed",
    ),
}


def _rel(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


def _policy_files() -> list[Any]:
    params = []
    for folder, kind in FOLDERS.items():
        for path in sorted((DATA / folder).rglob("*.json")):
            params.append(pytest.param(path, kind, id=_rel(path)))
    return params


POLICY_FILES = _policy_files()


def _errors_summary(errors: list[dict[str, Any]]) -> str:
    return "\n".join(f"{e.get('pointer') or '/'}: {e.get('message')}" for e in errors)


def test_policy_folders_present() -> None:
    counts = {folder: sum(1 for _ in (DATA / folder).rglob("*.json")) for folder in FOLDERS}
    assert counts["aws-managed-policies"] >= 1500, counts
    assert all(n > 0 for n in counts.values()), counts
    # every expected failure names a file that exists (a renamed file must not hide a failure)
    missing = [name for name in EXPECTED_INVALID if not (DATA / name).is_file()]
    assert not missing, missing


@pytest.mark.parametrize(("path", "kind"), POLICY_FILES)
def test_policy_validates(path: Path, kind: str) -> None:
    errors = validate_policy(path.read_bytes(), kind=kind)
    expected = EXPECTED_INVALID.get(_rel(path))
    if expected is None:
        assert errors == [], _errors_summary(errors)
    else:
        pointers, reason = expected
        assert errors, f"expected to be invalid ({reason}), but it validates"
        assert {e["pointer"] for e in errors} == pointers, _errors_summary(errors)


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_dict_and_bytes_agree(folder: str) -> None:
    """A document given as a dict and as its JSON bytes gets the same verdict and error pointers."""
    kind = FOLDERS[folder]
    differ = []
    for path in sorted((DATA / folder).rglob("*.json")):
        raw = path.read_bytes()
        from_bytes = [e["pointer"] for e in validate_policy(raw, kind=kind)]
        from_dict = [e["pointer"] for e in validate_policy(json.loads(raw), kind=kind)]
        if from_bytes != from_dict:
            differ.append((_rel(path), from_bytes, from_dict))
    assert not differ


# -- tricky/ -------------------------------------------------------------------------------------------------

TRICKY = DATA / "tricky"
_KIND_OF_FOLDER = {folder: kind for folder, kind in FOLDERS.items()}


def _tricky_manifest() -> dict[str, dict[str, Any]]:
    path = DATA / "manifests" / "tricky.json"
    if not path.is_file():
        return {}
    return {entry["file"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))}


MANIFEST = _tricky_manifest()


def _statements(doc: Any) -> list[Any]:
    st = doc.get("Statement") if isinstance(doc, dict) else None
    return [st] if isinstance(st, dict) else st if isinstance(st, list) else []


def _tricky_kind(path: Path) -> str:
    """The kind of the data set the file was picked from (manifest ``also_in``), else guessed: resource-based
    when a statement names a principal, identity otherwise; 44 is an SCP (Organizations docs)."""
    also_in = (MANIFEST.get(f"tricky/{path.name}", {}).get("source") or {}).get("also_in") or ""
    folder = also_in.split("/", 1)[0]
    if folder in _KIND_OF_FOLDER:
        return _KIND_OF_FOLDER[folder]
    if path.name.startswith("44-"):
        return "scp"
    doc = json.loads(path.read_bytes())
    has_principal = any(
        isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in _statements(doc)
    )
    return "resource" if has_principal else "identity"


#: tricky files labelled "valid" by the data set that iameval rejects on purpose (same documents as above)
TRICKY_EXPECTED_INVALID: dict[str, tuple[set[str], str]] = {
    "28-ipv6-ifexists-network-perimeter.json": (
        {"/Statement/0/Condition/NotIpAddressIfExists/aws:SourceIp/0"},
        _IP_PLACEHOLDER,
    ),
    "36-large-rcp.json": (
        {"/Statement/19"},
        "the Allow statement EnforceTrustedOIDCTenantGoogle has no Resource (see Shared-Issuers.json above)",
    ),
}

#: AWS's documented duplicate-key counter-examples: the pointer of the duplicated key
DUPLICATE_KEYS = {
    "41-duplicate-statement-key.json": "/Statement",
    "42-duplicate-effect-key.json": "/Statement/Effect",
    "43-duplicate-resource-key.json": "/Statement/Resource",
    "44-duplicate-statement-key-scp.json": "/Statement",
}

#: tricky/invalid: the line the JSON error is on (the column may differ between JSON parsers)
INVALID_JSON_LINES = {
    "i01-json-line-comment.json": 15,  # `//` comment inside an array
    "i02-trailing-comma.json": 39,  # `}` after a trailing comma
    "i03-nbsp-whitespace.json": 2,  # U+00A0 used as indentation
    "i04-smart-quotes.json": 9,  # U+201C/U+201D around a string
}


def _tricky_files() -> Iterator[Any]:
    for path in sorted(TRICKY.glob("*.json")):
        yield pytest.param(path, id=_rel(path))


def test_tricky_lists_are_complete() -> None:
    names = {p.name for p in TRICKY.glob("*.json")}
    assert set(DUPLICATE_KEYS) <= names and set(TRICKY_EXPECTED_INVALID) <= names
    assert {p.name for p in (TRICKY / "invalid").glob("*.json")} == set(INVALID_JSON_LINES)
    if MANIFEST:
        ambiguous = {Path(f).name for f, e in MANIFEST.items() if e.get("expect") == "ambiguous"}
        assert ambiguous == set(DUPLICATE_KEYS)


@pytest.mark.parametrize("path", list(_tricky_files()))
def test_tricky(path: Path) -> None:
    raw = path.read_bytes()
    kind = _tricky_kind(path)
    errors = validate_policy(raw, kind=kind)
    if path.name in DUPLICATE_KEYS:
        pointer = DUPLICATE_KEYS[path.name]
        key = pointer.rsplit("/", 1)[-1]
        duplicates = [e for e in errors if e["type"] == "json_duplicate_key"]
        assert [e["pointer"] for e in duplicates] == [pointer], _errors_summary(errors)
        assert f"`{key}`" in duplicates[0]["message"]
        assert tuple(duplicates[0]["path"]) == tuple(pointer.strip("/").split("/"))
        # the same text given as str; and a policy set refuses it, naming where the policy sits
        assert [
            e["pointer"]
            for e in validate_policy(raw.decode("utf-8"), kind=kind)
            if e["type"] == "json_duplicate_key"
        ] == [pointer]
        set_kind = {"scp": "scps", "rcp": "rcps"}.get(kind)
        with pytest.raises(PolicyError) as info:
            if set_kind:
                PolicySet(**{set_kind: [[raw]]})
            else:
                PolicySet(identity=[raw])
        entry = next(e for e in info.value.errors() if e["type"] == "json_duplicate_key")
        assert entry["pointer"] == pointer
        assert entry["policy"] == (f"{set_kind}/0/0" if set_kind else "identity/0")
    elif path.name in TRICKY_EXPECTED_INVALID:
        pointers, reason = TRICKY_EXPECTED_INVALID[path.name]
        assert {e["pointer"] for e in errors} == pointers, f"{reason}\n{_errors_summary(errors)}"
    else:
        assert errors == [], f"as {kind}:\n{_errors_summary(errors)}"
        # the decoded document is valid too
        assert validate_policy(json.loads(raw), kind=kind) == []


_LINE_COLUMN = re.compile(r"line\D{0,3}(\d+)\D{1,10}?col(?:umn)?\D{0,3}(\d+)", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=_rel(p)) for p in sorted((TRICKY / "invalid").glob("*.json"))]
)
def test_tricky_invalid_json(path: Path) -> None:
    raw = path.read_bytes()
    with pytest.raises(PolicyError) as info:
        PolicySet(identity=[raw])
    errors = info.value.errors()
    assert len(errors) == 1, errors
    error = errors[0]
    assert error["type"] == "json_invalid"
    assert error["policy"] == "identity/0"
    assert isinstance(error["pointer"], str)  # "" = the whole document
    assert "invalid json" in error["message"].lower()
    found = _LINE_COLUMN.search(error["message"])
    assert found, error["message"]
    assert int(found.group(1)) == INVALID_JSON_LINES[path.name]
    assert int(found.group(2)) >= 1
    # validate_policy reports the same problem instead of raising
    assert [e["type"] for e in validate_policy(raw)] == ["json_invalid"]
    assert isinstance(info.value, iameval.IamEvalError) and isinstance(info.value, ValueError)


# -- gaad/ ---------------------------------------------------------------------------------------------------

_INLINE_LISTS = ("UserPolicyList", "GroupPolicyList", "RolePolicyList")


def _gaad_documents(path: Path) -> Iterator[tuple[str, Any, str]]:
    """``(pointer in the dump, document, kind)`` of every inline policy, managed policy version and trust
    policy of a ``get-account-authorization-details`` dump."""
    dump = json.loads(path.read_bytes())
    for list_key in ("UserDetailList", "GroupDetailList", "RoleDetailList"):
        for i, entity in enumerate(dump.get(list_key) or []):
            for inline_key in _INLINE_LISTS:
                for j, inline in enumerate(entity.get(inline_key) or []):
                    yield (
                        f"/{list_key}/{i}/{inline_key}/{j}/PolicyDocument",
                        inline["PolicyDocument"],
                        "identity",
                    )
            if "AssumeRolePolicyDocument" in entity:
                yield (
                    f"/{list_key}/{i}/AssumeRolePolicyDocument",
                    entity["AssumeRolePolicyDocument"],
                    "resource",
                )
    for i, policy in enumerate(dump.get("Policies") or []):
        for j, version in enumerate(policy.get("PolicyVersionList") or []):
            yield f"/Policies/{i}/PolicyVersionList/{j}/Document", version["Document"], "identity"


def _gaad_params() -> list[Any]:
    params = []
    for path in sorted((DATA / "gaad").glob("*.json")):
        for pointer, doc, kind in _gaad_documents(path):
            params.append(pytest.param(doc, kind, id=f"{_rel(path)}#{pointer}"))
    return params


GAAD_DOCUMENTS = _gaad_params()


def test_gaad_documents_found() -> None:
    assert len(GAAD_DOCUMENTS) >= 200
    # the AWS CLI example has Statement objects instead of lists
    assert any(isinstance(p.values[0].get("Statement"), dict) for p in GAAD_DOCUMENTS)


@pytest.mark.parametrize(("doc", "kind"), GAAD_DOCUMENTS)
def test_gaad_document_parses(doc: Any, kind: str) -> None:
    assert isinstance(doc, dict)  # already decoded in the dumps (not URL-encoded text)
    errors = validate_policy(doc, kind=kind)
    assert errors == [], _errors_summary(errors)
