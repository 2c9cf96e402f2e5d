"""The AWS global condition context keys, as a read-only table.

Source: the IAM User Guide page "AWS global condition context keys" (``reference_policies_condition-keys``),
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, read on 2026-12-07
through a stored copy of its Markdown rendering (the version whose summary table lists 61 keys, including
``aws:SignInSessionArn``, ``aws:CalledViaAWSMCP``, ``aws:ViaAWSMCPService`` and ``aws:IsMcpServiceAction``).
Every row below is one ``### key`` section of that page; ``type``, ``multivalued`` and ``always_present`` come
from its "Data type", "Value type" and "Availability" lines, ``family`` from the ``## Properties of ...``
heading the key sits under, ``sensitive`` from its "Sensitive condition keys" list.

One row is not on that page: ``aws:ARN``, which IAM Access Analyzer's policy check "General Warning -
Deprecated global condition key" (issue code ``DEPRECATED_GLOBAL_CONDITION_KEY``,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html) names as
deprecated in favour of ``aws:PrincipalArn`` or ``aws:SourceArn``. It is kept (``deprecated=True``,
``on_page=False``) so that a policy using it resolves to "known, deprecated" rather than "unknown".

Not included, on purpose:

* ``aws:SourceOwner``: not on the page. An AWS documentation writer said on awsdocs/iam-user-guide#111 that
  AWS does not plan to document it and that ``aws:SourceAccount`` is its preferred replacement; Access
  Analyzer's deprecated-key check does not name it either. ``global_condition_key`` returns ``None`` for it.
* The ``sts:`` SAML and OIDC federation keys: the page's closing section "Other cross-service condition keys"
  only links to them (in the IAM and AWS STS condition keys page) without listing them, and its summary table
  does not put any ``sts:`` key under "Properties of a role session".

Conventions:

* ``type`` uses the data type names of AWS's service authorization reference: the page's "Boolean" is
  ``Bool``, "IP address" is ``IPAddress``, and a "String (list)" / "Multivalued" key is ``ArrayOfString``.
* Tag keys are written as templates ``aws:PrincipalTag/${TagKey}`` (the page writes ``aws:PrincipalTag/tag-key``);
  ``global_condition_key("aws:PrincipalTag/team")`` resolves to that template row.
* ``always_present`` is True only when the page says the key is in *every* request context ("always included",
  or "all requests, including anonymous requests"). ``present_when_signed`` is also True for the two keys
  the page says are in every *signed* request but missing from anonymous ones (``aws:PrincipalArn``,
  ``aws:PrincipalIsAWSService``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "FAMILIES",
    "FAMILY_HEADINGS",
    "GLOBAL_CONDITION_KEYS",
    "KEY_TYPES",
    "GlobalConditionKey",
    "global_condition_key",
]

#: The page's five groupings, short name -> the page's exact heading.
FAMILY_HEADINGS: Mapping[str, str] = MappingProxyType(
    {
        "principal": "Properties of the principal",
        "role session": "Properties of a role session",
        "network": "Properties of the network",
        "resource": "Properties of the resource",
        "request": "Properties of the request",
    }
)
FAMILIES = frozenset(FAMILY_HEADINGS)

#: The data type names a row may carry (service authorization reference spelling); ``ArrayOf...`` iff multivalued.
KEY_TYPES = frozenset(
    {"String", "ARN", "Bool", "Date", "IPAddress", "Numeric"}
    | {f"ArrayOf{t}" for t in ("String", "ARN", "Bool", "Date", "IPAddress", "Numeric")}
)


@dataclass(frozen=True, slots=True)
class GlobalConditionKey:
    """One global condition context key (see the module docstring for where each field comes from)."""

    name: str
    type: str
    multivalued: bool
    always_present: bool
    availability: str
    family: str
    deprecated: bool = False
    #: ``aws:PrincipalTag/${TagKey}``, ``aws:RequestTag/${TagKey}``, ``aws:ResourceTag/${TagKey}``.
    templated: bool = False
    #: Listed under the page's "Sensitive condition keys" (no valid use for wildcards in their values).
    sensitive: bool = False
    #: In every signed request (anonymous requests may lack it); implied by ``always_present``.
    present_when_signed: bool = False
    #: Other data types the page gives for the key (``aws:EpochTime`` is "Date, Numeric").
    alt_types: tuple[str, ...] = ()
    #: False only for ``aws:ARN``, which comes from Access Analyzer's check reference, not from the page.
    on_page: bool = True


def _key(
    name: str,
    type_: str,
    family: str,
    availability: str,
    *,
    always: bool = False,
    signed: bool = False,
    sensitive: bool = False,
    alt_types: tuple[str, ...] = (),
    deprecated: bool = False,
    on_page: bool = True,
) -> GlobalConditionKey:
    return GlobalConditionKey(
        name=name,
        type=type_,
        multivalued=type_.startswith("ArrayOf"),
        always_present=always,
        availability=availability,
        family=family,
        deprecated=deprecated,
        templated=name.endswith("/${TagKey}"),
        sensitive=sensitive,
        present_when_signed=always or signed,
        alt_types=alt_types,
        on_page=on_page,
    )


_P, _S, _N, _RES, _REQ = "principal", "role session", "network", "resource", "request"

_SERVICE_PRINCIPAL_ONLY = (
    "Only when an AWS service principal calls directly (not via a service role, FAS, an IAM principal "
    "or an anonymous caller)."
)
_VIA_SERVICE = (
    "When a service uses an IAM principal's credentials (FAS) to call another; not for direct calls."
)
_RESOURCE_ORG = (
    "When the resource owner account is in an organization; a few listed actions (e.g. all EBS actions, "
    "ec2:CreateVpcEndpoint) do not support it."
)
_SOURCE_RESOURCE = (
    "Only when a service principal calls on behalf of the resource whose configuration triggered the call"
)
_VPCE_SERVICES = "Only through a VPC endpoint, and only for the services the page lists as supporting it"

_ROWS: tuple[GlobalConditionKey, ...] = (
    # ---- Properties of the principal ----
    _key("aws:PrincipalArn", "ARN", _P, "In every signed request; not in anonymous requests.", signed=True),
    _key(
        "aws:PrincipalAccount",
        "String",
        _P,
        "In every request; anonymous requests carry 'anonymous'.",
        always=True,
        sensitive=True,
    ),
    _key(
        "aws:PrincipalOrgPaths",
        "ArrayOfString",
        _P,
        "Only when the principal's account is in an organization; not for anonymous requests.",
    ),
    _key(
        "aws:PrincipalOrgID",
        "String",
        _P,
        "Only when the principal's account is in an organization; not for anonymous requests.",
        sensitive=True,
    ),
    # One context key per tag on the IAM user / role, or per session tag; not for anonymous requests.
    _key(
        "aws:PrincipalTag/${TagKey}",
        "String",
        _P,
        "When the IAM user or role has tags, or the session has session tags; one key per tag.",
    ),
    _key(
        "aws:PrincipalIsAWSService",
        "Bool",
        _P,
        "In every signed request (true only for a service principal); not in anonymous requests.",
        signed=True,
    ),
    _key("aws:PrincipalServiceName", "String", _P, _SERVICE_PRINCIPAL_ONLY),
    _key("aws:PrincipalServiceNamesList", "ArrayOfString", _P, _SERVICE_PRINCIPAL_ONLY),
    _key("aws:PrincipalType", "String", _P, "In every request, including anonymous requests.", always=True),
    _key("aws:userid", "String", _P, "In every request, including anonymous requests.", always=True),
    _key(
        "aws:username",
        "String",
        _P,
        "Always for IAM users; not for the root user, roles, IAM Identity Center or anonymous requests.",
    ),
    # ---- Properties of a role session ----
    # The section's preamble: only for requests made with role session or federated user principal credentials.
    _key("aws:AssumedRoot", "Bool", _S, "Only when the credentials come from sts:AssumeRoot."),
    # The page's data type is "String*": a string for AWS built-in IdPs (Cognito), an ARN for other OIDC IdPs
    # (GitHub, EKS). We record String, what the page's "Data type" line says before the asterisk.
    _key(
        "aws:FederatedProvider",
        "String",
        _S,
        "In sessions of roles assumed through an OIDC provider, and in the trust policy evaluation of "
        "AssumeRoleWithWebIdentity.",
    ),
    _key(
        "aws:TokenIssueTime",
        "Date",
        _S,
        "Only with temporary credentials; not for requests signed with access keys.",
    ),
    _key(
        "aws:SignInSessionArn",
        "ARN",
        _S,
        "When the request comes from an AWS Sign-In OAuth session (e.g. aws login); not for console sessions.",
    ),
    _key(
        "aws:MultiFactorAuthAge",
        "Numeric",
        _S,
        "Only with temporary security credentials; not for federated identities or access-key requests.",
    ),
    # The page warns against Bool "false" and Null checks on this key (use BoolIfExists); that is about
    # how to use the key, not a deprecation of it.
    _key(
        "aws:MultiFactorAuthPresent",
        "Bool",
        _S,
        "Only with temporary credentials (false when MFA was not used); absent with long-term access keys.",
    ),
    _key(
        "aws:ChatbotSourceArn",
        "ARN",
        _S,
        "Set by Amazon Q Developer in chat applications whenever it assumes a role session.",
    ),
    _key(
        "aws:Ec2InstanceSourceVpc", "String", _S, "Whenever the request is signed with EC2 role credentials."
    ),
    _key(
        "aws:Ec2InstanceSourcePrivateIPv4",
        "IPAddress",
        _S,
        "Whenever the request is signed with EC2 role credentials.",
    ),
    _key(
        "aws:SourceIdentity",
        "String",
        _S,
        "After a source identity was set when assuming the role; persists through role chaining.",
    ),
    _key(
        "ec2:RoleDelivery",
        "Numeric",
        _S,
        "Whenever the role session was created by an EC2 instance (1.0/2.0).",
    ),
    _key("ec2:SourceInstanceArn", "ARN", _S, "Whenever the role session was created by an EC2 instance."),
    _key(
        "glue:RoleAssumedBy",
        "String",
        _S,
        "When AWS Glue itself calls with a service role on the customer's behalf (value glue.amazonaws.com).",
    ),
    _key(
        "glue:CredentialIssuingService",
        "String",
        _S,
        "When an AWS Glue job or development endpoint calls with its service role (value glue.amazonaws.com).",
    ),
    _key("codebuild:BuildArn", "ARN", _S, "Whenever the request is made by a role assumed by CodeBuild."),
    _key("codebuild:ProjectArn", "ARN", _S, "Whenever the request is made by a role assumed by CodeBuild."),
    _key(
        "lambda:SourceFunctionArn",
        "ARN",
        _S,
        "Whenever Lambda function code runs with its execution role (and for some Lambda-made calls).",
    ),
    _key(
        "ssm:SourceInstanceArn",
        "ARN",
        _S,
        "When role credentials were delivered to a Systems Manager managed instance (not an EC2 profile role).",
    ),
    _key("identitystore:UserId", "String", _S, "When the caller is an IAM Identity Center user."),
    # ---- Properties of the network ----
    # The page notes that for service-to-service (FAS) calls "network-specific authorization context is
    # redacted"; it does not say exactly which keys, so that is not modelled here.
    _key(
        "aws:SourceIp",
        "IPAddress",
        _N,
        "In the request context except when the request comes through a VPC endpoint.",
    ),
    # AWS recommends aws:SourceVpcArn over aws:SourceVpc where supported; a recommendation, not a deprecation
    # (Access Analyzer does not flag aws:SourceVpc).
    _key(
        "aws:SourceVpc", "String", _N, "Only when the request comes through a VPC endpoint.", sensitive=True
    ),
    _key("aws:SourceVpcArn", "ARN", _N, f"{_VPCE_SERVICES}; not through public endpoints."),
    _key(
        "aws:SourceVpce", "String", _N, "Only when the request comes through a VPC endpoint.", sensitive=True
    ),
    _key("aws:VpceAccount", "String", _N, f"{_VPCE_SERVICES}; not through public endpoints.", sensitive=True),
    _key(
        "aws:VpceOrgID",
        "String",
        _N,
        f"{_VPCE_SERVICES}, when the endpoint owner account is in an organization.",
        sensitive=True,
    ),
    _key(
        "aws:VpceOrgPaths",
        "ArrayOfString",
        _N,
        f"{_VPCE_SERVICES}, when the endpoint owner account is in an organization.",
    ),
    _key("aws:VpcSourceIp", "IPAddress", _N, "Only when the request comes through a VPC endpoint."),
    # ---- Properties of the resource ----
    # "Always included ... for most service actions", with a list of exceptions: so not always_present.
    _key(
        "aws:ResourceAccount",
        "String",
        _RES,
        "For most actions; a few listed actions (e.g. all EBS actions, ec2:CreateVpcEndpoint) lack it.",
        sensitive=True,
    ),
    _key("aws:ResourceOrgID", "String", _RES, _RESOURCE_ORG, sensitive=True),
    _key("aws:ResourceOrgPaths", "ArrayOfString", _RES, _RESOURCE_ORG),
    _key(
        "aws:ResourceTag/${TagKey}",
        "String",
        _RES,
        "When the resource has tags (or is created with tags) and its service supports tag-based "
        "authorization; one key per tag.",
    ),
    # ---- Properties of the request ----
    _key("aws:CalledVia", "ArrayOfString", _REQ, f"{_VIA_SERVICE} Only for services that support it."),
    _key("aws:CalledViaFirst", "String", _REQ, _VIA_SERVICE),
    _key("aws:CalledViaLast", "String", _REQ, _VIA_SERVICE),
    _key(
        "aws:CalledViaAWSMCP",
        "String",
        _REQ,
        "When an AWS MCP service uses an IAM principal's credentials to call an AWS service.",
    ),
    _key(
        "aws:ViaAWSService",
        "Bool",
        _REQ,
        "In every request: true for forward access sessions, false for direct calls.",
        always=True,
    ),
    # The page says the key "returns false when the principal makes the call directly" but its Availability
    # line only promises it for MCP-forwarded requests, so it is not recorded as always present.
    _key(
        "aws:ViaAWSMCPService",
        "Bool",
        _REQ,
        "When an AWS MCP server calls a downstream AWS service on behalf of an IAM principal.",
    ),
    _key("aws:CurrentTime", "Date", _REQ, "In every request.", always=True),
    # The page gives "Date, Numeric" and says the key also accepts seconds since 1970-01-01. We record Date:
    # it is listed first, it is what the key means (the request time), and AWS's Date operators accept epoch
    # seconds as policy values; Numeric operators work too, hence alt_types.
    _key("aws:EpochTime", "Date", _REQ, "In every request.", always=True, alt_types=("Numeric",)),
    # Lower-case "referer" as AWS writes it (one "r", after the HTTP header).
    _key(
        "aws:referer",
        "String",
        _REQ,
        "Only when the request was reached by following a link in a browser; caller-supplied, not for "
        "programmatic requests.",
    ),
    _key(
        "aws:RequestedRegion",
        "String",
        _REQ,
        "In every request (us-east-1 for global services such as IAM).",
        always=True,
    ),
    _key(
        "aws:RequestTag/${TagKey}",
        "String",
        _REQ,
        "When the request passes tags; one key per tag key-value pair.",
    ),
    _key("aws:TagKeys", "ArrayOfString", _REQ, "When the operation supports passing tags in the request."),
    _key("aws:SecureTransport", "Bool", _REQ, "In every request: whether it was sent over TLS.", always=True),
    _key("aws:SourceAccount", "String", _REQ, f"{_SOURCE_RESOURCE}.", sensitive=True),
    _key("aws:SourceArn", "ARN", _REQ, f"{_SOURCE_RESOURCE}."),
    _key(
        "aws:SourceOrgID",
        "String",
        _REQ,
        f"{_SOURCE_RESOURCE}, if its owner is in an organization.",
        sensitive=True,
    ),
    _key(
        "aws:SourceOrgPaths",
        "ArrayOfString",
        _REQ,
        f"{_SOURCE_RESOURCE}, if its owner is in an organization.",
    ),
    _key("aws:UserAgent", "String", _REQ, "In every request (caller-supplied HTTP header).", always=True),
    _key(
        "aws:IsMcpServiceAction",
        "Bool",
        _REQ,
        "Set (to true) only when the MCP service authorizes one of its own MCP service actions.",
    ),
    # ---- Not on the page ----
    # Deprecated per Access Analyzer's DEPRECATED_GLOBAL_CONDITION_KEY check: "update aws:ARN to use the newer
    # condition keys aws:PrincipalArn or aws:SourceArn". The global keys page does not list it, so it has no
    # heading of its own; it is filed under "principal" after aws:PrincipalArn, the first replacement AWS
    # names. Its data type and availability are not documented: ARN is inferred from its replacements, and
    # it is not recorded as present in any request context.
    _key(
        "aws:ARN",
        "ARN",
        _P,
        "Undocumented; Access Analyzer flags it as deprecated (use aws:PrincipalArn or aws:SourceArn).",
        deprecated=True,
        on_page=False,
    ),
)

#: Every row, keyed by its lower-cased name ("aws:sourceip", "aws:principaltag/${tagkey}").
GLOBAL_CONDITION_KEYS: Mapping[str, GlobalConditionKey] = MappingProxyType({k.name.lower(): k for k in _ROWS})

#: Lower-cased prefix ("aws:principaltag/") -> the template row it resolves to.
_TEMPLATES: Mapping[str, GlobalConditionKey] = MappingProxyType(
    {k.name.lower().removesuffix("${tagkey}"): k for k in _ROWS if k.templated}
)


def global_condition_key(name: str) -> GlobalConditionKey | None:
    """The table row for condition key ``name`` (case-insensitive), or ``None``.

    A concrete tag key resolves to its template: ``aws:PrincipalTag/team`` -> ``aws:PrincipalTag/${TagKey}``,
    likewise ``aws:RequestTag/...`` and ``aws:ResourceTag/...`` (the tag key must be non-empty). Unknown
    ``aws:`` keys and keys of other services that are not in the table give ``None``.
    """
    lower = name.lower()
    row = GLOBAL_CONDITION_KEYS.get(lower)
    if row is not None:
        return row
    prefix, slash, tag_key = lower.partition("/")
    if slash and tag_key:
        return _TEMPLATES.get(prefix + "/")
    return None
